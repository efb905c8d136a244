// almanac search: queries the static index under search/ in the browser.
// The tokenizer below is the one in src/search/tokenize.rs, step for step;
// tests/search/vectors.json holds cases both must pass.
(function (root) {
  "use strict";

  // --- Tokenizer -----------------------------------------------------------

  function isCjk(cp) {
    return cp === 0x3007 || (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
  }

  var WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;

  // The Traditional -> Simplified pairs of meta.json ("TSTS..."), as a map.
  function makeFold(pairs) {
    var map = new Map();
    var chars = Array.from(pairs || "");
    for (var i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
    return map;
  }

  function foldChars(s, fold) {
    if (!fold || fold.size === 0) return s;
    var out = "";
    for (var ch of s) out += fold.get(ch) || ch;
    return out;
  }

  function normalize(text, fold) {
    return foldChars(text.normalize("NFKC").toLowerCase(), fold);
  }

  // [token, position] pairs; mode "index" adds single CJK characters.
  function tokenize(text, fold, mode) {
    var s = normalize(text, fold);
    var out = [];
    var pos = 0;
    var word = "";
    var run = [];
    function flushWord() {
      if (word) { out.push([word, pos]); pos += 1; word = ""; }
    }
    function flushRun() {
      var n = run.length;
      for (var i = 0; i < n; i++) {
        if (mode === "index" || n === 1) out.push([run[i], pos + i]);
        if (i + 1 < n) out.push([run[i] + run[i + 1], pos + i]);
      }
      pos += n;
      run = [];
    }
    for (var ch of s) {
      var cp = ch.codePointAt(0);
      if (isCjk(cp)) { flushWord(); run.push(ch); }
      else if (WORD.test(ch)) { flushRun(); word += ch; }
      else { flushWord(); flushRun(); }
    }
    flushWord();
    flushRun();
    return out;
  }

  // FNV-1a over UTF-8, as src/search/mod.rs computes it.
  function shardOf(token, shards) {
    var bytes = new TextEncoder().encode(token);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  // --- Index ---------------------------------------------------------------

  function Index(base, fetchJson) {
    this.base = base;
    this.fetchJson = fetchJson;
    this.shards = new Map();
    this.files = new Map();
    this.meta = null;
  }

  Index.prototype.load = function () {
    var self = this;
    if (!this.metaPromise) {
      this.metaPromise = this.fetchJson(this.base + "meta.json").then(function (m) {
        self.meta = m;
        self.fold = makeFold(m.fold);
        return m;
      });
    }
    return this.metaPromise;
  };

  Index.prototype.shard = function (n) {
    if (!this.shards.has(n)) this.shards.set(n, this.fetchJson(this.base + "s/" + n + ".json"));
    return this.shards.get(n);
  };

  // Page n's fragment: pages share files, meta.bundle to a file, in order.
  Index.prototype.page = function (n) {
    var size = this.meta.bundle, file = Math.floor(n / size);
    if (!this.files.has(file)) this.files.set(file, this.fetchJson(this.base + "p/" + file + ".json"));
    return this.files.get(file).then(function (docs) { return docs[n % size]; });
  };

  Index.prototype.postings = function (token) {
    return this.shard(shardOf(token, this.meta.shards)).then(function (s) {
      return Object.prototype.hasOwnProperty.call(s, token) ? s[token] : "";
    });
  };

  // Postings are numbers (page - previous page) * 8 + where, each in base
  // 32, lowest digit first, one URL-safe base-64 character per digit, plus
  // 32 when more digits follow (see src/search/mod.rs).
  var DIGIT = new Int8Array(128).fill(-1);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) {
    DIGIT[c.charCodeAt(0)] = i;
  });

  // A token's postings: page -> where (1 title, 2 heading, 4 text).
  function decode(codes) {
    var pages = new Map(), page = 0, n = 0, scale = 1;
    for (var i = 0; i < codes.length; i++) {
      var d = DIGIT[codes.charCodeAt(i) & 127];
      if (d < 0) break;
      n += (d & 31) * scale;
      if (d & 32) { scale *= 32; continue; }
      page += Math.floor(n / 8);
      pages.set(page, n % 8);
      n = 0;
      scale = 1;
    }
    return pages;
  }

  // Pages a filter allows, or null for no filter.
  Index.prototype.allowed = function (filters) {
    var self = this;
    var tokens = [];
    if (filters && filters.kind) tokens.push("\u0001k:" + filters.kind);
    if (filters && filters.tag) tokens.push("\u0001t:" + filters.tag);
    if (!tokens.length) return Promise.resolve(null);
    return Promise.all(tokens.map(function (t) { return self.postings(t); })).then(function (lists) {
      var sets = lists.map(function (l) { return new Set(decode(l).keys()); });
      return sets.reduce(function (a, b) {
        return new Set(Array.from(a).filter(function (x) { return b.has(x); }));
      });
    });
  };

  // Smallest span of positions holding one position of each list.
  function span(lists) {
    var events = [];
    lists.forEach(function (l, i) { l.forEach(function (p) { events.push([p, i]); }); });
    events.sort(function (a, b) { return a[0] - b[0]; });
    var need = lists.length, have = 0, counts = new Array(need).fill(0), best = Infinity, lo = 0;
    for (var hi = 0; hi < events.length; hi++) {
      if (counts[events[hi][1]]++ === 0) have++;
      while (have === need) {
        best = Math.min(best, events[hi][0] - events[lo][0]);
        if (--counts[events[lo][1]] === 0) have--;
        lo++;
      }
    }
    return best;
  }

  function popcount(m) { var n = 0; for (; m; m &= m - 1) n++; return n; }

  // Ranked results: [{page, part, matched, score}], best first. The index
  // ranks pages; the best pages' parts are then read to choose the part,
  // and to reward terms that stand near each other.
  Index.prototype.query = function (text, filters, limit) {
    var self = this;
    limit = limit || 10;
    return this.load().then(function () {
      var seen = new Set();
      var terms = tokenize(text, self.fold, "query").map(function (t) { return t[0]; })
        .filter(function (t) { if (seen.has(t)) return false; seen.add(t); return true; })
        .slice(0, 30);
      if (!terms.length) return [];
      return Promise.all([Promise.all(terms.map(function (t) { return self.postings(t); })), self.allowed(filters)])
        .then(function (got) {
          var pages = rankPages(self.meta, got[0].map(decode), got[1]);
          var top = pages.slice(0, limit);
          return Promise.all(top.map(function (p) { return self.page(p.page); })).then(function (docs) {
            return chooseParts(top, docs, terms, self.fold, limit);
          });
        });
    });
  };

  var WEIGHT = { 1: 8, 2: 4, 4: 1 };

  function rankPages(meta, lists, allowed) {
    var pages = new Map();
    lists.forEach(function (list, t) {
      var idf = Math.log(1 + meta.pages / Math.max(1, list.size));
      list.forEach(function (where, page) {
        if (allowed && !allowed.has(page)) return;
        var p = pages.get(page) || { page: page, mask: 0, score: 0, title: 0 };
        p.mask |= 1 << t;
        p.score += idf * (where & 1 ? WEIGHT[1] : where & 2 ? WEIGHT[2] : WEIGHT[4]);
        if (where & 1) p.title |= 1 << t;
        pages.set(page, p);
      });
    });
    var out = Array.from(pages.values());
    out.forEach(function (p) { p.matched = popcount(p.mask); });
    out.sort(function (a, b) { return b.matched - a.matched || b.score - a.score || b.page - a.page; });
    var k = lists.length;
    var full = out.filter(function (p) { return p.matched === k; });
    return full.length ? full : out;
  }

  function chooseParts(top, docs, terms, fold, limit) {
    var k = terms.length;
    var ranked = [];
    top.forEach(function (p, i) {
      var doc = docs[i];
      var parts = [];
      doc.p.forEach(function (part, n) {
        var inHeading = 0, inText = 0, lists = new Array(k);
        tokenize(part[1], fold, "index").forEach(function (t) {
          var j = terms.indexOf(t[0]);
          if (j >= 0) inHeading |= 1 << j;
        });
        tokenize(part[2], fold, "index").forEach(function (t) {
          var j = terms.indexOf(t[0]);
          if (j >= 0) { inText |= 1 << j; (lists[j] = lists[j] || []).push(t[1]); }
        });
        var mask = inHeading | inText | (n === 0 ? p.title : 0);
        if (!mask) return;
        var score = popcount(inHeading) * 4 + popcount(inText) + (n === 0 ? popcount(p.title) * 8 : 0);
        var present = lists.filter(function (l) { return l; });
        if (k > 1 && present.length === k) score += 4 / (1 + Math.max(0, span(present) - (k - 1)));
        parts.push({ page: p.page, part: n, matched: popcount(mask), score: score });
      });
      parts.sort(function (a, b) { return b.matched - a.matched || b.score - a.score || a.part - b.part; });
      if (!parts.length) parts.push({ page: p.page, part: 0, matched: p.matched, score: 0 });
      // A page's parts follow its best one; the page's rank decides where.
      parts.slice(0, 3).forEach(function (r, j) { r.rank = [i, j]; ranked.push(r); });
    });
    // Every term in one part comes before terms scattered over a page.
    ranked.sort(function (a, b) {
      return (b.matched === k) - (a.matched === k) || a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1];
    });
    return ranked.slice(0, limit);
  }

  // --- Snippets ------------------------------------------------------------

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The best window of `text` for the query, with matches marked.
  function snippet(text, query, fold, width) {
    width = width || 90;
    var chars = Array.from(text);
    var norm = [];
    var map = [];
    chars.forEach(function (ch, i) {
      var n = normalize(ch, fold);
      for (var c of n) { norm.push(c); map.push(i); }
    });
    var normText = norm.join("");
    var normIdx = [];
    var units = 0;
    norm.forEach(function (c) { normIdx.push(units); units += c.length; });
    var hits = [];
    var terms = tokenize(query, fold, "query").map(function (t) { return t[0]; });
    terms.forEach(function (term, t) {
      var from = 0, at;
      while ((at = normText.indexOf(term, from)) >= 0) {
        var start = normIdx.indexOf(at), len = Array.from(term).length;
        var before = norm[start - 1], after = norm[start + len];
        var latin = !isCjk(term.codePointAt(0));
        if (start >= 0 && (!latin || ((!before || !WORD.test(before)) && (!after || !WORD.test(after))))) {
          hits.push([map[start], map[start + len - 1] + 1, t]);
        }
        from = at + term.length;
      }
    });
    hits.sort(function (a, b) { return a[0] - b[0]; });
    var bestStart = 0, bestScore = -1;
    for (var i = 0; i < hits.length; i++) {
      var distinct = new Set(), count = 0;
      for (var j = i; j < hits.length && hits[j][1] - hits[i][0] <= width; j++) { distinct.add(hits[j][2]); count++; }
      var score = distinct.size * 100 + count;
      if (score > bestScore) { bestScore = score; bestStart = hits[i][0]; }
    }
    var start = Math.max(0, bestStart - Math.floor(width / 4));
    var end = Math.min(chars.length, start + width);
    var html = start > 0 ? "…" : "";
    var cursor = start;
    hits.forEach(function (h) {
      if (h[0] < cursor || h[1] > end) return;
      html += escapeHtml(chars.slice(cursor, h[0]).join("")) + "<mark>" + escapeHtml(chars.slice(h[0], h[1]).join("")) + "</mark>";
      cursor = h[1];
    });
    html += escapeHtml(chars.slice(cursor, end).join("")) + (end < chars.length ? "…" : "");
    return html;
  }

  var api = { tokenize: tokenize, normalize: normalize, makeFold: makeFold, shardOf: shardOf, Index: Index, snippet: snippet };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }

  // --- The search box ------------------------------------------------------

  var form = document.querySelector("form.site-search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  var kindSelect = form.querySelector("select[data-filter=kind]");
  var tagSelect = form.querySelector("select[data-filter=tag]");
  var labels = JSON.parse(form.getAttribute("data-labels") || "{}");
  var index = new Index(form.getAttribute("data-index"), function (url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ": " + r.status); return r.json(); });
  });
  form.classList.add("enhanced");
  var active = -1;
  var ticket = 0;

  function fillFilters() {
    index.load().then(function (meta) {
      meta.kinds.forEach(function (k) { kindSelect.add(new Option(labels["kind_" + k] || k, k)); });
      meta.tags.forEach(function (t) { tagSelect.add(new Option(t, t)); });
      kindSelect.hidden = meta.kinds.length < 2;
      tagSelect.hidden = meta.tags.length === 0;
    });
  }

  function select(i) {
    var items = list.querySelectorAll("[role=option]");
    items.forEach(function (el, j) { el.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (items[i]) { input.setAttribute("aria-activedescendant", items[i].id); items[i].scrollIntoView({ block: "nearest" }); }
    else input.removeAttribute("aria-activedescendant");
  }

  function run() {
    var q = input.value.trim();
    var mine = ++ticket;
    if (!q) { list.hidden = true; list.innerHTML = ""; status.textContent = ""; return; }
    var filters = { kind: kindSelect.value, tag: tagSelect.value };
    index.query(q, filters, 10).then(function (results) {
      return Promise.all(results.map(function (r) { return index.page(r.page); })).then(function (pages) {
        if (mine !== ticket) return;
        list.innerHTML = "";
        results.forEach(function (r, i) {
          var page = pages[i];
          var part = page.p[r.part] || ["", "", ""];
          var a = document.createElement("a");
          a.href = page.u + (part[0] ? "#" + part[0] : "");
          a.id = "search-result-" + i;
          a.setAttribute("role", "option");
          var title = page.t + (part[1] ? " › " + part[1] : "");
          var meta = (labels["kind_" + page.k] || page.s) + (page.g.length ? " · " + page.g.join(", ") : "") + (page.d ? " · " + page.d : "");
          a.innerHTML = '<span class="result-title">' + snippet(title, q, index.fold, 200) + "</span>" +
            '<span class="result-meta">' + escapeHtml(meta) + "</span>" +
            '<span class="result-snippet">' + snippet(part[2] || "", q, index.fold) + "</span>";
          list.appendChild(a);
        });
        list.hidden = false;
        status.textContent = results.length ? (labels.results || "{n} results").replace("{n}", results.length) : (labels.no_results || "No results");
        select(results.length ? 0 : -1);
      });
    }).catch(function () { status.textContent = labels.no_results || "No results"; });
  }

  var timer;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 80); });
  input.addEventListener("focus", fillFiltersOnce);
  kindSelect.addEventListener("change", run);
  tagSelect.addEventListener("change", run);
  var filled = false;
  function fillFiltersOnce() { if (!filled) { filled = true; fillFilters(); } }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var items = list.querySelectorAll("[role=option]");
    if (items[Math.max(0, active)]) location.href = items[Math.max(0, active)].href;
  });
  input.addEventListener("keydown", function (e) {
    var n = list.querySelectorAll("[role=option]").length;
    if (e.key === "ArrowDown" && n) { e.preventDefault(); select((active + 1) % n); }
    else if (e.key === "ArrowUp" && n) { e.preventDefault(); select((active - 1 + n) % n); }
    else if (e.key === "Escape") { input.value = ""; run(); }
  });
  // A query in the address (?q=…), as the form sends it: run it at once.
  // On a phone the box is inside the closed menu: open it to show the box.
  function reveal() {
    var menu = form.closest("details");
    if (menu) menu.open = true;
  }
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; reveal(); fillFiltersOnce(); run(); }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      reveal();
      input.focus();
    }
  });
})(this);
