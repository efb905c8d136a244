// Recall of the theme's own search script against a built index:
//   node tests/search/recall.js <output folder> [queries.json]
// Each query must return its expected page (or page#anchor) in the first
// five results. Prints each miss and the recall; exits 1 below 100 %.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const search = require("../../themes/default/static/search.js");

const out = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3] || path.join(__dirname, "recall.json"), "utf8"));
const index = new search.Index(path.join(out, "search") + "/", (file) =>
  Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8"))));

(async () => {
  let found = 0;
  for (const { q, want } of queries) {
    const results = await index.query(q, {}, 5);
    const urls = await Promise.all(results.map(async (r) => {
      const page = await index.page(r.page);
      const part = page.p[r.part];
      return page.u + (part && part[0] ? "#" + part[0] : "");
    }));
    const hit = urls.some((u) => (want.includes("#") ? u === want : u.startsWith(want)));
    if (hit) found++;
    else console.log(`miss: ${q} -> want ${want}, got ${JSON.stringify(urls)}`);
  }
  const recall = (100 * found) / queries.length;
  console.log(`recall ${found}/${queries.length} = ${recall.toFixed(1)} %`);
  process.exit(found === queries.length ? 0 : 1);
})();
