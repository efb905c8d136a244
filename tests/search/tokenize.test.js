// The browser's tokenizer (themes/default/static/search.js) against the
// vectors the Rust tokenizer is tested with (src/search/mod.rs). Run: node --test tests/search/
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const search = require("../../themes/default/static/search.js");
const vectors = require("./vectors.json");

const fold = search.makeFold(vectors.fold);

for (const c of vectors.cases) {
  test(`tokens of ${JSON.stringify(c.text)}`, () => {
    assert.deepStrictEqual(search.tokenize(c.text, fold, "index"), c.index);
    assert.deepStrictEqual(search.tokenize(c.text, fold, "query"), c.query);
  });
}

test("shards are chosen as in Rust", () => {
  for (const [token, shards, want] of vectors.shards) {
    assert.strictEqual(search.shardOf(token, shards), want, token);
  }
});

test("snippets mark matches in the original script", () => {
  const html = search.snippet("本社群的群規很簡單：互相尊重。", "群规", fold);
  assert.match(html, /<mark>群規<\/mark>/);
});
