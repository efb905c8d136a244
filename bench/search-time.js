// Time to answer a query once its shards are loaded, with the theme's own
// search script in Node:  node bench/search-time.js SITE_DIR QUERIES.json
// Each query runs once to load its shards and fragments, then 5 more times;
// prints the median of those per query (ranking, parts and snippets).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const search = require("../themes/default/static/search.js");

const out = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const index = new search.Index(path.join(out, "search") + "/", (file) =>
  Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8"))));

(async () => {
  const medians = [];
  for (const { q } of queries) {
    await index.query(q, {}, 10);
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      const results = await index.query(q, {}, 10);
      const pages = await Promise.all(results.map((r) => index.page(r.page)));
      pages.forEach((p, j) => search.snippet(p.p[results[j].part] ? p.p[results[j].part][2] : "", q, index.fold));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    medians.push(times[2]);
    console.log(`${q}: ${times[2].toFixed(1)} ms`);
  }
  medians.sort((a, b) => a - b);
  console.log(`median ${medians[Math.floor(medians.length / 2)].toFixed(1)} ms, max ${medians[medians.length - 1].toFixed(1)} ms`);
})();
