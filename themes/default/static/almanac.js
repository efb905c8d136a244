// almanac default theme: progressive enhancement only. Every page works without it.
(function () {
  "use strict";
  // The theme's words come from the page (data-* attributes written from
  // the language's words); English only for a template that leaves them out.
  var words = document.querySelector("[data-copy]");
  var labels = {
    copy: (words && words.getAttribute("data-copy")) || "Copy link",
    copied: (words && words.getAttribute("data-copied")) || "Copied"
  };

  // Playbook checklists: numbered steps and task items, ticked state kept per page.
  var bar = document.querySelector(".checklist-bar");
  if (bar) {
    var key = "almanac:checklist:" + bar.getAttribute("data-checklist");
    var state = {};
    try { state = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { state = {}; }
    var boxes = [];
    document.querySelectorAll("li.step").forEach(function (li) {
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "check";
      box.setAttribute("data-check", li.getAttribute("data-check"));
      box.setAttribute("aria-label", (bar.getAttribute("data-step") || "Step {n}").replace("{n}", li.getAttribute("data-check")));
      li.insertBefore(box, li.firstChild);
      li.classList.add("has-check");
    });
    document.querySelectorAll(".content input.check").forEach(function (box) {
      box.disabled = false;
      var id = box.getAttribute("data-check");
      if (id in state) box.checked = !!state[id];
      boxes.push(box);
      box.addEventListener("change", function () { state[id] = box.checked; save(); update(); });
      var li = box.closest("li");
      if (!li) return;
      // A task is named by its own text; clicking the text ticks it, as a
      // label would, except on a link or a nested list's own items.
      if (!box.hasAttribute("aria-label")) {
        var text = "";
        li.childNodes.forEach(function (n) {
          if (n !== box && !(n.nodeType === 1 && /^(UL|OL)$/.test(n.tagName))) text += n.textContent;
        });
        box.setAttribute("aria-label", text.trim().slice(0, 160));
      }
      li.addEventListener("click", function (e) {
        var own = e.target.closest("li") === li;
        if (own && e.target !== box && !e.target.closest("a, button, input, summary")) box.click();
      });
    });
    var save = function () { try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) {} };
    var progress = bar.querySelector("progress");
    var count = bar.querySelector(".checklist-count");
    var total = boxes.length;
    var update = function () {
      var done = 0;
      boxes.forEach(function (b) { if (b.checked) done++; var li = b.closest("li"); if (li) li.classList.toggle("is-done", b.checked); });
      progress.max = total; progress.value = done;
      count.textContent = done + " / " + total + " " + count.textContent.replace(/^[\d\s\/]+/, "").trim();
    };
    bar.querySelector(".checklist-reset").addEventListener("click", function () {
      state = {}; save(); boxes.forEach(function (b) { b.checked = false; }); update();
    });
    bar.querySelector(".print-button").addEventListener("click", function () { window.print(); });
    bar.hidden = false;
    update();
  }

  // Copies text: the clipboard API where the page is secure, else the
  // older selection copy (plain http, as on a LAN preview).
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  // FAQ: a copy-link control after every question, outside the heading so
  // the heading's accessible name stays the question alone.
  document.querySelectorAll(".kind-faq .content h2[id]").forEach(function (h) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-link";
    b.textContent = labels.copy;
    b.setAttribute("aria-describedby", h.id);
    b.addEventListener("click", function () {
      var url = location.href.split("#")[0] + "#" + h.id;
      copy(url).then(function () {
        b.textContent = labels.copied;
        setTimeout(function () { b.textContent = labels.copy; }, 1500);
      }, function () { window.prompt(labels.copy, url); });
    });
    h.insertAdjacentElement("afterend", b);
  });
})();
