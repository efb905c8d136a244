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
//! newer page when scores tie. A token's postings are one number per page
//! that has it, in page order: `(page - previous page) * 8 + where`, with
//! `where` 1 for the title, 2 for a heading, 4 for the text. The index says
//! which pages; the browser then reads the few best pages' parts to pick
//! the part, measure how near the terms are, and cut the snippet, so the
//! index holds no positions and stays small.

pub(crate) mod extract;
pub(crate) mod fold;
pub(crate) mod tokenize;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::link::{PageId, RouteKind, Site};
use fold::Fold;
use tokenize::Mode;

/// Folder of the index under the output folder.
pub(crate) const DIR: &str = "search";

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
    shard_of_bytes(token.as_bytes(), shards)
}

fn shard_of_bytes(token: &[u8], shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in token {
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
    /// Each page's `p/N.json`, by page id, made from the same reading of its parts.
    pub(crate) pages: Vec<String>,
}

const IN_TITLE: u8 = 1;
const IN_HEADING: u8 = 2;
const IN_TEXT: u8 = 4;

/// A CJK token (one or two characters) as a number: most tokens of a
/// Chinese site are, and numbers hash and compare without allocating.
fn cjk_key(token: &str) -> Option<u64> {
    let mut chars = token.chars();
    let first = chars.next().filter(|c| tokenize::is_cjk(*c))?;
    let second = chars.next().map_or(0, u64::from);
    chars
        .next()
        .is_none()
        .then_some(u64::from(first) << 32 | second)
}

fn cjk_text(key: u64) -> String {
    String::from_utf8_lossy(cjk_bytes(key, &mut [0; 8])).into_owned()
}

/// Where each token of one page is.
#[derive(Default)]
struct PageTokens {
    cjk: FxHashMap<u64, u8>,
    words: FxHashMap<Box<str>, u8>,
}

/// Each token of one page, with where on the page it is, and its `p/N.json`.
fn page_tokens(site: &Site, id: PageId, fold: &Fold) -> (PageTokens, String) {
    let page = site.page(id);
    let parts = extract::parts(&page.doc.body.html.unpack());
    let mut tokens = PageTokens::default();
    let mut add = |text: &str, bit: u8| {
        tokenize::for_each_token(text, fold, Mode::Index, |t, _| {
            if let Some(key) = cjk_key(t) {
                *tokens.cjk.entry(key).or_default() |= bit;
            } else if let Some(bits) = tokens.words.get_mut(t) {
                *bits |= bit;
            } else {
                tokens.words.insert(t.into(), bit);
            }
        });
    };
    add(&page.doc.title, IN_TITLE);
    for part in &parts {
        add(&part.heading, IN_HEADING);
        add(&part.text, IN_TEXT);
    }
    // Filters are tokens no text makes.
    tokens
        .words
        .insert(filter_token('k', page.doc.kind.name()).into(), IN_TEXT);
    for t in &page.tags {
        tokens
            .words
            .insert(filter_token('t', &site.tags[t.0].name).into(), IN_TEXT);
    }
    (tokens, fragment(site, id, parts))
}

/// A filter's token: no text tokenizes to it.
fn filter_token(kind: char, value: &str) -> String {
    format!("\u{1}{kind}:{value}")
}

/// `(page, where)` in page order.
type Pages = Vec<(u32, u8)>;

/// The postings of one shard.
#[derive(Default)]
struct Shard {
    cjk: FxHashMap<u64, Pages>,
    words: FxHashMap<Box<str>, Pages>,
}

/// Tokenizes every page and lays the postings out by shard.
pub(crate) fn index(site: &Site) -> Index {
    let fold = Fold::opencc();
    // The route table already says how many shards there are and which
    // page each number is; the index follows it rather than working it out again.
    let mut count = 0;
    let mut order = Vec::new();
    for route in &site.routes.routes {
        match route.kind {
            RouteKind::SearchShard(_) => count += 1,
            RouteKind::SearchPage(p) => order.push(p),
            _ => {}
        }
    }
    let count = count.max(1);
    let empty = || -> (Vec<Shard>, Vec<(PageId, String)>) {
        ((0..count).map(|_| Shard::default()).collect(), Vec::new())
    };
    // Folded in page order and reduced left to right, so every list stays
    // sorted. Few, long runs: merging two runs costs as much as making one.
    let run = order.len() / (2 * rayon::current_num_threads()) + 1;
    let (shards, fragments) = order
        .par_iter()
        .enumerate()
        .with_min_len(run)
        .fold(empty, |(mut shards, mut fragments), (n, &id)| {
            let (tokens, json) = page_tokens(site, id, fold);
            fragments.push((id, json));
            let mut utf8 = [0u8; 8];
            for (key, bits) in tokens.cjk {
                let text = cjk_bytes(key, &mut utf8);
                let shard = &mut shards[shard_of_bytes(text, count) as usize];
                shard.cjk.entry(key).or_default().push((n as u32, bits));
            }
            for (token, bits) in tokens.words {
                let shard = &mut shards[shard_of(&token, count) as usize];
                shard.words.entry(token).or_default().push((n as u32, bits));
            }
            (shards, fragments)
        })
        .reduce(empty, |(mut left, mut fragments), (right, more)| {
            fragments.extend(more);
            for (l, r) in left.iter_mut().zip(right) {
                for (key, list) in r.cjk {
                    l.cjk.entry(key).or_default().extend(list);
                }
                for (token, list) in r.words {
                    l.words.entry(token).or_default().extend(list);
                }
            }
            (left, fragments)
        });
    let mut pages = vec![String::new(); site.pages.len()];
    for (id, json) in fragments {
        pages[id.0] = json;
    }
    let mut used: std::collections::HashSet<char> = std::collections::HashSet::new();
    for shard in &shards {
        for key in shard.cjk.keys() {
            if key & 0xffff_ffff == 0 {
                used.extend(char::from_u32((key >> 32) as u32));
            }
        }
    }
    let shards_json: Vec<String> = shards.into_par_iter().map(shard_json).collect();
    let pairs = fold.pairs_for(|c| used.contains(&c));
    let fold_text: String = pairs.iter().flat_map(|(t, s)| [*t, *s]).collect();
    let mut kinds: Vec<&str> = site.pages.iter().map(|p| p.doc.kind.name()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut tags: Vec<&str> = site.tags.iter().map(|t| t.name.as_str()).collect();
    tags.sort_unstable();
    let meta = serde_json::json!({
        "v": 1,
        "shards": count,
        "pages": site.pages.len(),
        "fold": fold_text,
        "kinds": kinds,
        "tags": tags,
    })
    .to_string();
    Index {
        shards: shards_json,
        meta,
        pages,
    }
}

/// The UTF-8 of a CJK key, in `buf`.
fn cjk_bytes(key: u64, buf: &mut [u8; 8]) -> &[u8] {
    let mut len = 0;
    for u in [key >> 32, key & 0xffff_ffff] {
        if let Some(c) = char::from_u32(u as u32).filter(|_| u != 0) {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
    }
    &buf[..len]
}

/// One shard as JSON: tokens in order, each with its delta-coded pages.
fn shard_json(shard: Shard) -> String {
    let mut tokens: Vec<(String, Pages)> = shard
        .cjk
        .into_iter()
        .map(|(k, v)| (cjk_text(k), v))
        .chain(shard.words.into_iter().map(|(k, v)| (k.into_string(), v)))
        .collect();
    tokens.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::from("{");
    let mut number = itoa::Buffer::new();
    for (i, (token, list)) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json(token));
        out.push_str(":[");
        let mut previous = 0;
        for (j, (page, bits)) in list.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let code = u64::from(page - previous) * 8 + u64::from(*bits);
            out.push_str(number.format(code));
            previous = *page;
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// A page's `search/p/N.json`.
pub(crate) fn page_json(site: &Site, id: PageId) -> String {
    let parts = extract::parts(&site.page(id).doc.body.html.unpack());
    fragment(site, id, parts)
}

fn fragment(site: &Site, id: PageId, parts: Vec<extract::Part>) -> String {
    let page = site.page(id);
    let parts: Vec<serde_json::Value> = parts
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
    use tokenize::{normalize, tokenize};

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
