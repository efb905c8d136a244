//! Site search: a static index the browser queries with no server.
//!
//! The index is split into routes (see [`crate::link::routes`]):
//!
//! - `search/meta.json`: how many shards, the kinds and tags to filter by,
//!   and the part of the Traditional → Simplified table this site's text
//!   needs (a few KB).
//! - `search/s/N.json`: shard N, the postings of every token whose hash
//!   falls in it. A query downloads only the shards of its own tokens.
//! - `search/p/N.json`: one page's parts (title, headings, anchors, text),
//!   fetched for the results shown, to make their snippets.
//!
//! Pages are numbered from oldest to newest, so a higher number is the
//! newer page when scores tie. A posting is `page, part, field, n,
//! positions…` with field 0 the title, 1 a heading, 2 the text.

pub(crate) mod extract;
pub(crate) mod fold;
pub(crate) mod tokenize;

use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::link::{PageId, Site};
use fold::Fold;
use tokenize::{Mode, tokenize};

/// Folder of the index under the output folder.
pub(crate) const DIR: &str = "search";

/// Positions kept per token in one part: enough to measure nearness.
const MAX_POSITIONS: usize = 4;

/// Tokens a shard holds, about: small enough to fetch per query.
const TOKENS_PER_SHARD: usize = 2_000;

/// How many shards `site` is split into: a power of two from the size of
/// its text, so LINK can name every shard before anything is tokenized.
pub(crate) fn shard_count(site: &Site) -> u32 {
    let tokens: usize = site
        .pages
        .iter()
        .map(|p| p.doc.body.words + 2 * p.doc.body.cjk_chars)
        .sum();
    // Distinct tokens grow far slower than text; a tenth is a fair guess.
    let distinct = tokens / 10;
    (distinct / TOKENS_PER_SHARD)
        .max(1)
        .next_power_of_two()
        .min(4096) as u32
}

/// The shard a token lives in: FNV-1a over its UTF-8 bytes, as the browser computes it.
pub(crate) fn shard_of(token: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

/// Pages from oldest to newest (undated first, then by path): position is the search number.
pub(crate) fn order(site: &Site) -> Vec<PageId> {
    let mut ids: Vec<PageId> = (0..site.pages.len()).map(PageId).collect();
    ids.sort_by_key(|p| (site.page(*p).last_changed().map(|w| w.instant()), p.0));
    ids
}

/// The whole index, made once per render that needs any of it.
pub(crate) struct Index {
    /// Shard JSON by number.
    pub(crate) shards: Vec<String>,
    /// `meta.json`.
    pub(crate) meta: String,
}

#[derive(Default)]
struct Hits {
    /// `(part, field, positions)`.
    parts: Vec<(u16, u8, Vec<u32>)>,
}

/// Tokens of one page, with where each is found.
fn page_tokens(site: &Site, id: PageId, fold: &Fold) -> FxHashMap<String, Hits> {
    let page = site.page(id);
    let mut tokens: FxHashMap<String, Hits> = FxHashMap::default();
    let mut add = |text: &str, part: u16, field: u8| {
        for t in tokenize(text, fold, Mode::Index) {
            let hits = tokens.entry(t.text).or_default();
            match hits.parts.last_mut() {
                Some((p, f, pos)) if *p == part && *f == field => {
                    if pos.len() < MAX_POSITIONS {
                        pos.push(t.pos);
                    }
                }
                _ => hits.parts.push((part, field, vec![t.pos])),
            }
        }
    };
    add(&page.doc.title, 0, 0);
    for (i, part) in extract::parts(&page.doc.body.html.unpack())
        .iter()
        .enumerate()
    {
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        add(&part.heading, i, 1);
        add(&part.text, i, 2);
    }
    tokens
}

/// A filter's token: no text tokenizes to it.
fn filter_token(kind: char, value: &str) -> String {
    format!("\u{1}{kind}:{value}")
}

/// Tokenizes every page and lays the postings out by shard.
pub(crate) fn index(site: &Site) -> Index {
    let fold = Fold::opencc();
    let shards = shard_count(site);
    let order = order(site);
    let per_page: Vec<FxHashMap<String, Hits>> = order
        .par_iter()
        .map(|&id| page_tokens(site, id, fold))
        .collect();
    // Each shard's tokens, with their postings as JSON numbers.
    let mut postings: Vec<FxHashMap<String, String>> =
        (0..shards).map(|_| FxHashMap::default()).collect();
    let mut push = |token: String, numbers: &str| {
        let shard = &mut postings[shard_of(&token, shards) as usize];
        let list = shard.entry(token).or_default();
        if !list.is_empty() {
            list.push(',');
        }
        list.push_str(numbers);
    };
    let mut used = String::new();
    let mut numbers = String::new();
    for (n, tokens) in per_page.into_iter().enumerate() {
        for (token, hits) in tokens {
            numbers.clear();
            for (i, (part, field, pos)) in hits.parts.iter().enumerate() {
                if i > 0 {
                    numbers.push(',');
                }
                let _ = write!(numbers, "{n},{part},{field},{}", pos.len());
                for p in pos {
                    let _ = write!(numbers, ",{p}");
                }
            }
            if token.chars().count() == 1 {
                used.push_str(&token);
            }
            push(token, &numbers);
        }
        let page = site.page(order[n]);
        push(filter_token('k', page.doc.kind.name()), &n.to_string());
        for t in &page.tags {
            push(filter_token('t', &site.tags[t.0].name), &n.to_string());
        }
    }
    let shards_json: Vec<String> = postings
        .into_par_iter()
        .map(|tokens| {
            let mut keys: Vec<(String, String)> = tokens.into_iter().collect();
            keys.sort_unstable();
            let mut out = String::from("{");
            for (i, (token, list)) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json(token));
                out.push_str(":[");
                out.push_str(list);
                out.push(']');
            }
            out.push('}');
            out
        })
        .collect();
    let used: std::collections::HashSet<char> = used.chars().collect();
    let pairs = fold.pairs_for(|c| used.contains(&c));
    let fold_text: String = pairs.iter().flat_map(|(t, s)| [*t, *s]).collect();
    let mut kinds: Vec<&str> = site.pages.iter().map(|p| p.doc.kind.name()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut tags: Vec<&str> = site.tags.iter().map(|t| t.name.as_str()).collect();
    tags.sort_unstable();
    let meta = serde_json::json!({
        "v": 1,
        "shards": shards,
        "pages": site.pages.len(),
        "fold": fold_text,
        "kinds": kinds,
        "tags": tags,
    })
    .to_string();
    Index {
        shards: shards_json,
        meta,
    }
}

/// `search/p/N.json` for the page numbered `n`.
pub(crate) fn page_json(site: &Site, id: PageId) -> String {
    let page = site.page(id);
    let parts: Vec<serde_json::Value> = extract::parts(&page.doc.body.html.unpack())
        .into_iter()
        .map(|p| serde_json::json!([p.anchor, p.heading, p.text]))
        .collect();
    let tags: Vec<&str> = page
        .tags
        .iter()
        .map(|t| site.tags[t.0].name.as_str())
        .collect();
    serde_json::json!({
        "u": page.url,
        "t": page.doc.title,
        "k": page.doc.kind.name(),
        "s": site.section(page.section).title,
        "g": tags,
        "d": page.last_changed().map(|w| w.day().to_string()),
        "p": parts,
    })
    .to_string()
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_spread_tokens() {
        assert_eq!(shard_of("rust", 1), 0);
        // The same numbers as the browser's FNV-1a (see search.js).
        assert_eq!(shard_of("", 1 << 31), 0x811c_9dc5 % (1 << 31));
        assert_eq!(shard_of("a", u32::MAX), 0xe40c_292c);
    }
}

#[cfg(test)]
mod vectors {
    //! The shared vectors: the browser's tokenizer is tested against the
    //! same file (tests/search/tokenize.test.js).
    use super::*;
    use tokenize::normalize;

    fn path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/vectors.json")
    }

    fn tokens(text: &str, mode: Mode) -> serde_json::Value {
        let fold = Fold::opencc();
        tokenize(text, fold, mode)
            .into_iter()
            .map(|t| serde_json::json!([t.text, t.pos]))
            .collect()
    }

    /// What the file must hold for its inputs, from this implementation.
    fn expected(file: &serde_json::Value) -> serde_json::Value {
        let fold = Fold::opencc();
        let mut texts = String::new();
        let cases: Vec<serde_json::Value> = file["cases"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let text = c["text"].as_str().unwrap_or_default();
                texts.push_str(text);
                serde_json::json!({
                    "text": text,
                    "index": tokens(text, Mode::Index),
                    "query": tokens(text, Mode::Query),
                })
            })
            .collect();
        let written: std::collections::HashSet<char> = texts.chars().collect();
        let pairs: String = fold
            .pairs_for(|_| true)
            .into_iter()
            .filter(|(t, _)| written.contains(t))
            .flat_map(|(t, s)| [t, s])
            .collect();
        let shards: Vec<serde_json::Value> = ["", "a", "rust", "群规", "\u{1}k:faq"]
            .iter()
            .map(|t| serde_json::json!([t, 1021, shard_of(t, 1021)]))
            .collect();
        serde_json::json!({ "fold": pairs, "cases": cases, "shards": shards })
    }

    #[test]
    fn the_shared_vectors_hold() {
        let text = std::fs::read_to_string(path()).expect("tests/search/vectors.json");
        let file: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let want = expected(&file);
        if std::env::var_os("ALMANAC_BLESS").is_some() {
            let pretty = serde_json::to_string_pretty(&want).expect("json");
            std::fs::write(path(), pretty + "\n").expect("write vectors");
            return;
        }
        assert_eq!(
            file, want,
            "run with ALMANAC_BLESS=1 to rewrite, then review the diff"
        );
    }

    #[test]
    fn folding_and_cjk_by_hand() {
        let fold = Fold::opencc();
        assert_eq!(
            normalize("群規 網線 講義 迴圈 檔案 錯誤", fold),
            "群规 网线 讲义 回圈 档案 错误"
        );
        assert_eq!(normalize("ＡＢＣ１２３", fold), "abc123");
        let q: Vec<String> = tokenize("群規則", fold, Mode::Query)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(q, ["群规", "规则"]);
        let q: Vec<String> = tokenize("规", fold, Mode::Query)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(q, ["规"]);
        let i: Vec<String> = tokenize("Rust教程", fold, Mode::Index)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(i, ["rust", "教", "教程", "程"]);
    }
}
