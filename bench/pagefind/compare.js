// almanac's search and Pagefind's, in headless Chromium, on one built site
// that holds both indexes (almanac's under search/, Pagefind's under
// _pagefind/):
//   node compare.js SITE_DIR QUERIES.json [REPORT.json]
// QUERIES.json: [{"q": "...", "want": "/url/" or "/url/#anchor"}]; "want"
// may be left out (bytes only). Each query runs on a fresh page with the
// cache off, as a first visit. Bytes are what a static host sends with
// gzip: the gzip size of each file, or its size when it is already gzip
// (Pagefind's index, fragments and wasm). Prints a summary; REPORT.json
// gets every query's figures.
"use strict";
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const zlib = require("node:zlib");
const puppeteer = require("puppeteer-core");

const site = path.resolve(process.argv[2]);
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const TOP = 5;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };
const gzipSizes = new Map();
function sentBytes(file, data) {
  if (!gzipSizes.has(file)) {
    const isGzip = data[0] === 0x1f && data[1] === 0x8b;
    gzipSizes.set(file, isGzip ? data.length : zlib.gzipSync(data, { level: 6 }).length);
  }
  return gzipSizes.get(file);
}

// Every request the server answers, with the bytes a host would send.
let log = [];
const server = http.createServer((req, res) => {
  let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(site, rel);
  if (!file.startsWith(site)) { res.writeHead(403); res.end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  const data = fs.readFileSync(file);
  log.push({ path: rel, bytes: sentBytes(file, data) });
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
  res.end(data);
});

function sum(entries) { return entries.reduce((n, e) => n + e.bytes, 0); }
function median(xs) { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : 0; }
function hit(urls, want) {
  if (!want) return null;
  const norm = (u) => { const url = new URL(u, "http://x"); return decodeURIComponent(url.pathname + url.hash); };
  return urls.some((u) => (want.includes("#") ? norm(u) === want : norm(u).split("#")[0] === want));
}

// almanac: the theme's own search box, as a reader uses it.
async function almanac(browser, base, q) {
  const page = await browser.newPage();
  await page.setCacheEnabled(false);
  log = [];
  // The script loads with every page; the index's metadata on focus.
  await page.goto(base + "/", { waitUntil: "networkidle0" });
  await page.focus("#site-search-q");
  await page.waitForNetworkIdle({ idleTime: 100 });
  const startup = log.filter((e) => e.path.startsWith("/search/") || e.path.endsWith("/search.js"));
  log = [];
  const started = Date.now();
  await page.type("#site-search-q", q);
  await page.waitForFunction(() => document.querySelector(".search-status").textContent !== "", { timeout: 20000 });
  const ms = Date.now() - started;
  const urls = await page.$$eval(".search-results [role=option]", (as) => as.map((a) => a.getAttribute("href")));
  await page.waitForNetworkIdle({ idleTime: 100 });
  const fetched = log.filter((e) => e.path.startsWith("/search/"));
  await page.close();
  return { startup, fetched, urls: urls.slice(0, TOP), ms };
}

// Pagefind: its JavaScript API, the first five results and their fragments
// (what its UI shows first).
async function pagefind(browser, base, q) {
  const page = await browser.newPage();
  await page.setCacheEnabled(false);
  await page.goto(base + "/", { waitUntil: "networkidle0" });
  log = [];
  await page.evaluate(async () => {
    window.pf = await import("/_pagefind/pagefind.js");
    await window.pf.init();
  });
  await page.waitForNetworkIdle({ idleTime: 100 });
  const startup = log.filter((e) => e.path.startsWith("/_pagefind/"));
  log = [];
  const started = Date.now();
  const urls = await page.evaluate(async (q, top) => {
    const found = await window.pf.search(q);
    const data = await Promise.all(found.results.slice(0, top).map((r) => r.data()));
    // A result stands for its page and the parts (sub-results) it names.
    return data.map((d) => [d.url, ...(d.sub_results || []).map((s) => s.url)]);
  }, q, TOP);
  const ms = Date.now() - started;
  await page.waitForNetworkIdle({ idleTime: 100 });
  const fetched = log.filter((e) => e.path.startsWith("/_pagefind/"));
  await page.close();
  return { startup, fetched, urls: urls.flat(), pages: urls.length, ms };
}

(async () => {
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const report = {};
  for (const [name, run] of [["almanac", almanac], ["pagefind", pagefind]]) {
    const rows = [];
    for (const { q, want } of queries) {
      const r = await run(browser, base, q);
      rows.push({ q, want, found: hit(r.urls, want), startup: sum(r.startup), bytes: sum(r.fetched), files: r.fetched.length, ms: r.ms, urls: r.urls });
    }
    const judged = rows.filter((r) => r.found !== null);
    report[name] = {
      recall: judged.length ? `${judged.filter((r) => r.found).length}/${judged.length}` : null,
      startup_bytes: median(rows.map((r) => r.startup)),
      query_bytes_median: median(rows.map((r) => r.bytes)),
      query_bytes_max: Math.max(...rows.map((r) => r.bytes)),
      query_ms_median: median(rows.map((r) => r.ms)),
      misses: judged.filter((r) => !r.found).map((r) => ({ q: r.q, want: r.want, got: r.urls })),
      queries: rows.map((r) => ({ q: r.q, bytes: r.bytes, files: r.files, ms: r.ms })),
    };
  }
  await browser.close();
  server.close();
  if (process.argv[4]) fs.writeFileSync(process.argv[4], JSON.stringify(report, null, 1));
  const kb = (n) => (n / 1000).toFixed(1) + " KB";
  for (const [name, v] of Object.entries(report)) {
    console.log(`${name}: recall ${v.recall || "-"}; start-up ${kb(v.startup_bytes)}; per query median ${kb(v.query_bytes_median)}, max ${kb(v.query_bytes_max)}`);
    for (const m of v.misses) console.log(`  miss: ${m.q} -> want ${m.want}, got ${JSON.stringify(m.got)}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
