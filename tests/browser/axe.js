// Accessibility of the built example site, as axe-core sees it in headless
// Chromium: every kind of page, in light and dark mode. Also what a reader
// on a phone meets first, and the playbook checklist ticked from a step's text.
//
//   node tests/browser/axe.js BUILT_SITE_DIR
//
// Prints one line per violation; exits 1 if there is any. Needs Chromium
// (apt-get install chromium) and the npm packages axe-core and
// puppeteer-core, which tests/browser/run.sh installs when missing.
"use strict";
const http = require("http");
const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const root = path.resolve(process.argv[2] || "public");
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml" };

function serve() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let p = decodeURIComponent(req.url.split("?")[0]);
      let file = path.join(root, p);
      if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      fs.readFile(file, (err, data) => {
        if (err) {
          res.writeHead(404, { "Content-Type": types[".html"] });
          return res.end(fs.readFileSync(path.join(root, "404.html")));
        }
        res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
        res.end(data);
      });
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// One page of each kind the theme renders.
function pages() {
  const sitemap = fs.readFileSync(path.join(root, "sitemap.xml"), "utf8");
  const urls = [...sitemap.matchAll(/<loc>https?:\/\/[^/]+([^<]*)<\/loc>/g)].map((m) => decodeURIComponent(m[1]));
  const pick = (re) => urls.find((u) => re.test(u));
  return [
    ["home", "/"],
    ["playbook", pick(/^\/playbooks\/[^/]+\/[^/]+\/$/)],
    ["rules", pick(/^\/rules\/[^/]+\/$/)],
    ["faq", pick(/^\/faq\/[^/]+\/$/)],
    ["event", pick(/^\/events\/\d{4}\/[^/]+\/$/)],
    ["events", "/events/"],
    ["tags", "/tags/"],
    ["tag", pick(/^\/tags\/[^/]+\/$/)],
    ["404", "/no-such-page/"],
    ["translation", pick(/^\/en\/rules\/[^/]+\/$/)],
  ].filter(([, u]) => u);
}

(async () => {
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  let problems = 0;
  try {
    const page = await browser.newPage();
    for (const scheme of ["light", "dark"]) {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      for (const [kind, url] of pages()) {
        await page.goto(base + url, { waitUntil: "load" });
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
        for (const v of result.violations) {
          problems++;
          const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
          console.log(`${scheme} ${kind} ${url}: ${v.impact} ${v.id}: ${v.help} (${where})`);
        }
      }
    }
    // A playbook step's text ticks its box.
    const playbook = pages().find(([k]) => k === "playbook");
    if (playbook) {
      await page.goto(base + playbook[1], { waitUntil: "load" });
      const ticked = await page.evaluate(() => {
        const boxes = document.querySelectorAll("li.step > input.check, li > input.check");
        if (!boxes.length) return "no checklist";
        for (const box of boxes) {
          // Click the step's own text, not the box.
          const li = box.closest("li");
          const text = [...li.childNodes].find((n) => n !== box && n.textContent.trim());
          const target = text.nodeType === 1 ? text : li;
          target.click();
          if (!box.checked) return `clicking "${li.textContent.trim().slice(0, 40)}" did not tick it`;
        }
        return "ok";
      });
      if (ticked !== "ok") { problems++; console.log(`playbook ${playbook[1]}: ${ticked}`); }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`${problems} problem${problems === 1 ? "" : "s"}`);
  process.exit(problems ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
