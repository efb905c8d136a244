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
//! `where` 1 for the title, 2 for a heading, 4 for the text. Each number
//! is written in base 32, lowest digits first, one character of the
//! URL-safe base-64 alphabet per digit, plus 32 when more digits follow:
//! a page with the token next to the previous one is one character
//! (`"[12,12,…]"` as JSON numbers took three). The index says
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
use tokenize::{Mode, Tok};

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

/// The whole index, made once per render that needs any of it. Each
/// shard's JSON is made by its own route ([`Index::shard_json`]), in
/// parallel with the rest and never held all at once.
pub(crate) struct Index {
    /// Each shard's tokens, in order.
    shards: Vec<Shard>,
    /// The postings the shards point into.
    runs: Vec<Run>,
    /// How many pages are numbered.
    pages: usize,
    /// `meta.json`.
    pub(crate) meta: String,
}

const IN_TITLE: u8 = 1;
const IN_HEADING: u8 = 2;
const IN_TEXT: u8 = 4;

/// Postings are appended in blocks of this many.
const BLOCK: usize = 1 << 16;

/// Postings as one thread gathers them: each token it meets gets a number
/// and a [`Slot`] of its own, so a page's tokens are counted in one table
/// per thread rather than a map per page, and a word is copied once per
/// thread, not once per page.
#[derive(Default)]
struct Postings {
    /// CJK bigrams (`a << 32 | b`) and single characters (`a << 32`).
    cjk: FxHashMap<u64, Slot>,
    /// Words of up to 8 bytes, by [`short_key`]: most words are, and a
    /// number hashes and compares faster than a string.
    short: FxHashMap<u64, Slot>,
    words: FxHashMap<Box<str>, Slot>,
    /// Tokens numbered so far.
    tokens: u32,
    /// The tokens met on the page being read and where on it.
    page: Vec<(u32, u8)>,
    /// `token << 32 | page << 3 | where` for each token of each page, in
    /// page order. Appended as pages are read and sorted by token once at
    /// the end: one stream of writes, where a list per token would scatter
    /// writes over all of them after every page and push the token tables
    /// out of the cache. In blocks, so growing never copies what is there.
    hits: Vec<Vec<u64>>,
    /// With a [`TokenCache`]: by token number, the token (a CJK key or a
    /// word), to write a page's tokens out; `None` without one.
    names: Option<Vec<Name>>,
    /// Pages tokenized now, for the cache: source file, inputs, tokens.
    fresh: Vec<(String, u64, std::sync::Arc<[u8]>)>,
}

/// A token as one thread counts it, kept in its table's entry so that
/// counting a token is one lookup: its number, the last page that had it
/// (plus one) and its place in [`Postings::page`] then.
#[derive(Clone, Copy)]
struct Slot {
    id: u32,
    page: u32,
    at: u32,
}

impl Slot {
    /// The token is on page `n`, at `bit`.
    fn hit(&mut self, page: &mut Vec<(u32, u8)>, n: u32, bit: u8) {
        if self.page == n + 1 {
            if let Some(entry) = page.get_mut(self.at as usize) {
                entry.1 |= bit;
            }
        } else {
            self.page = n + 1;
            self.at = page.len() as u32;
            page.push((self.id, bit));
        }
    }
}

/// A token as [`Postings`] numbers it.
enum Name {
    Cjk(u64),
    Word(Box<str>),
}

impl Postings {
    /// Postings that keep token names when a cache is to be filled.
    fn new(cache: bool) -> Self {
        Postings {
            names: cache.then(Vec::new),
            ..Postings::default()
        }
    }

    /// A slot for a token met for the first time.
    fn fresh(tokens: &mut u32, names: &mut Option<Vec<Name>>, name: impl FnOnce() -> Name) -> Slot {
        let id = *tokens;
        *tokens += 1;
        if let Some(names) = names {
            names.push(name());
        }
        Slot { id, page: 0, at: 0 }
    }

    /// CJK token `key` on page `n`, at `bit`.
    fn cjk(&mut self, key: u64, n: u32, bit: u8) {
        let Postings {
            cjk, tokens, names, ..
        } = self;
        cjk.entry(key)
            .or_insert_with(|| Self::fresh(tokens, names, || Name::Cjk(key)))
            .hit(&mut self.page, n, bit);
    }

    /// Word `word` on page `n`, at `bit`.
    fn word(&mut self, word: &str, n: u32, bit: u8) {
        let Postings {
            short,
            words,
            tokens,
            names,
            page,
            ..
        } = self;
        let slot = match short_key(word) {
            Some(key) => short
                .entry(key)
                .or_insert_with(|| Self::fresh(tokens, names, || Name::Word(word.into()))),
            None => match words.get_mut(word) {
                Some(slot) => slot,
                None => words
                    .entry(word.into())
                    .or_insert_with(|| Self::fresh(tokens, names, || Name::Word(word.into()))),
            },
        };
        slot.hit(page, n, bit);
    }

    fn add_text(&mut self, text: &str, n: u32, bit: u8, fold: &Fold) {
        // Bigrams only (and a character standing alone): every other
        // character's postings are its bigrams', merged once at the end
        // (see [`index`]), which halves the tokens a CJK text makes here.
        tokenize::for_each_token(text, fold, Mode::Query, |t, _| match t {
            Tok::Cjk(a, b) => self.cjk(u64::from(a) << 32 | u64::from(b.unwrap_or('\0')), n, bit),
            Tok::Word(w) => self.word(w, n, bit),
        });
    }

    /// Page `id`, number `n`: its tokens (from `cache` when it has them).
    fn add_page(
        &mut self,
        site: &Site,
        (id, n): (PageId, u32),
        fold: &Fold,
        cache: Option<&CachedPages>,
    ) {
        let page = site.page(id);
        let parts = page_parts(site, id);
        let inputs = cache.map(|_| token_inputs(site, id, &parts));
        let known = cache
            .and_then(|c| c.get(&page.doc.source.file))
            .filter(|(made_from, _)| Some(*made_from) == inputs);
        match known {
            Some((_, tokens)) => self.add_tokens(tokens, n),
            None => self.tokenize_page(site, id, n, &parts, fold),
        }
        if let (Some(inputs), None) = (inputs, known) {
            let tokens = self.encode_page();
            self.fresh
                .push((page.doc.source.file.clone(), inputs, tokens));
        }
        for (token, bits) in self.page.drain(..) {
            if self.hits.last().is_none_or(|block| block.len() == BLOCK) {
                self.hits.push(Vec::with_capacity(BLOCK));
            }
            if let Some(block) = self.hits.last_mut() {
                block.push(u64::from(token) << 32 | u64::from(n) << 3 | u64::from(bits));
            }
        }
    }

    /// A page's tokens from its text, title and tags.
    fn tokenize_page(&mut self, site: &Site, id: PageId, n: u32, parts: &str, fold: &Fold) {
        let page = site.page(id);
        self.add_text(&page.doc.title, n, IN_TITLE, fold);
        for (_, heading, text) in extract::fields(parts) {
            self.add_text(heading, n, IN_HEADING, fold);
            self.add_text(text, n, IN_TEXT, fold);
        }
        // A page's tags describe it as a heading would, and filter by it
        // with tokens no text makes.
        for tag in tag_names(site, id) {
            self.add_text(tag, n, IN_HEADING, fold);
        }
        let filters = std::iter::once(filter_token('k', page.doc.kind.name()))
            .chain(tag_names(site, id).map(|tag| filter_token('t', tag)));
        for token in filters {
            self.word(&token, n, IN_TEXT);
        }
    }

    /// The page just read's distinct tokens and where they were, as bytes:
    /// each CJK token in 6 (two 21-bit characters and 3 bits of where),
    /// each word as its length, its UTF-8 and where.
    fn encode_page(&self) -> std::sync::Arc<[u8]> {
        let Some(names) = &self.names else {
            return std::sync::Arc::from(Vec::new());
        };
        let mut out = Vec::with_capacity(self.page.len() * 6);
        for &(token, bits) in &self.page {
            let bits = u64::from(bits);
            match &names[token as usize] {
                Name::Cjk(key) => {
                    let packed = (key >> 32) << 24 | (key & 0x1f_ffff) << 3 | bits;
                    out.push(0);
                    out.extend_from_slice(&packed.to_le_bytes()[..6]);
                }
                Name::Word(word) => {
                    out.push(1);
                    out.extend_from_slice(&(word.len() as u32).to_le_bytes());
                    out.extend_from_slice(word.as_bytes());
                    out.push(bits as u8);
                }
            }
        }
        out.into()
    }

    /// Tokens [`Postings::encode_page`] wrote, on page `n`.
    fn add_tokens(&mut self, bytes: &[u8], n: u32) {
        let mut rest = bytes;
        while let Some((&tag, tail)) = rest.split_first() {
            if tag == 0 && tail.len() >= 6 {
                let mut raw = [0u8; 8];
                raw[..6].copy_from_slice(&tail[..6]);
                let packed = u64::from_le_bytes(raw);
                let (a, b) = (packed >> 24, (packed >> 3) & 0x1f_ffff);
                self.cjk(a << 32 | b, n, (packed & 7) as u8);
                rest = &tail[6..];
            } else if tag == 1 && tail.len() >= 4 {
                let len = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as usize;
                let Some((word, bits)) = tail
                    .get(4..4 + len)
                    .and_then(|w| std::str::from_utf8(w).ok())
                    .zip(tail.get(4 + len))
                else {
                    return;
                };
                self.word(word, n, *bits);
                rest = &tail[5 + len..];
            } else {
                return;
            }
        }
    }

    /// The hits sorted by token (a counting sort, so each token's pages
    /// stay in order).
    fn into_run(self) -> Run {
        let tokens = self.tokens as usize;
        let mut starts = vec![0u32; tokens + 1];
        for h in self.hits.iter().flatten() {
            starts[(h >> 32) as usize + 1] += 1;
        }
        for i in 0..tokens {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut pages = vec![0u32; starts[tokens] as usize];
        for h in self.hits.into_iter().flatten() {
            let at = &mut next[(h >> 32) as usize];
            pages[*at as usize] = h as u32;
            *at += 1;
        }
        Run {
            cjk: self.cjk,
            short: self.short,
            words: self.words,
            starts,
            pages,
            fresh: self.fresh,
        }
    }
}

/// The postings of a run of consecutive pages, read by one thread.
struct Run {
    cjk: FxHashMap<u64, Slot>,
    short: FxHashMap<u64, Slot>,
    words: FxHashMap<Box<str>, Slot>,
    /// Token `t`'s pages are `pages[starts[t]..starts[t + 1]]`.
    starts: Vec<u32>,
    /// `page << 3 | where`.
    pages: Vec<u32>,
    fresh: Vec<(String, u64, std::sync::Arc<[u8]>)>,
}

impl Run {
    fn list(&self, token: u32) -> &[u32] {
        let t = token as usize;
        &self.pages[self.starts[t] as usize..self.starts[t + 1] as usize]
    }
}

/// A page's tag names.
fn tag_names(site: &Site, id: PageId) -> impl Iterator<Item = &str> {
    site.page(id)
        .tags
        .iter()
        .map(|t| site.tags[t.0].name.as_str())
}

/// A filter's token: no text tokenizes to it.
fn filter_token(kind: char, value: &str) -> String {
    format!("\u{1}{kind}:{value}")
}

/// A token's pages: its number in each run that has it, runs in order.
type Lists = Vec<(u16, u32)>;

/// The tokens of one shard: each token's text, where its pages are, and
/// whether those lists overlap (a single CJK character's, gathered from
/// its bigrams).
type Shard = Vec<(String, Lists, bool)>;

/// Tokenizes every page (or takes its tokens from `cache`, which is then
/// brought up to date) and lays the postings out by shard.
pub(crate) fn index(site: &Site, cache: Option<&TokenCache>) -> Index {
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
    // Read in runs of consecutive pages, kept in page order, so each
    // token's pages are its runs' lists one after another. Few, long
    // runs: every run repeats the vocabulary.
    let run = order.len() / (2 * rayon::current_num_threads()) + 1;
    let known = cache.map(|c| c.pages.read().unwrap_or_else(|e| e.into_inner()));
    let runs: Vec<Run> = order
        .par_iter()
        .enumerate()
        .with_min_len(run)
        .fold(
            || Postings::new(cache.is_some()),
            |mut postings, (n, &id)| {
                postings.add_page(site, (id, n as u32), fold, known.as_deref());
                postings
            },
        )
        .map(|postings| vec![postings.into_run()])
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            a
        });
    drop(known);
    if let Some(cache) = cache {
        let mut pages = cache.pages.write().unwrap_or_else(|e| e.into_inner());
        for run in &runs {
            for (file, inputs, tokens) in &run.fresh {
                pages.insert(file.clone(), (*inputs, tokens.clone()));
            }
        }
    }
    let mut cjk: FxHashMap<u64, Lists> = FxHashMap::default();
    let mut short: FxHashMap<u64, Lists> = FxHashMap::default();
    let mut words: FxHashMap<&str, Lists> = FxHashMap::default();
    for (r, run) in runs.iter().enumerate() {
        let r = r as u16;
        for (&key, slot) in &run.cjk {
            cjk.entry(key).or_default().push((r, slot.id));
        }
        for (&key, slot) in &run.short {
            short.entry(key).or_default().push((r, slot.id));
        }
        for (word, slot) in &run.words {
            words.entry(word).or_default().push((r, slot.id));
        }
    }
    // A character's pages are those of every bigram it is in, plus those
    // where it stands alone: the index holds it as a token of its own,
    // made here from those lists rather than counted at every occurrence.
    let mut chars: FxHashMap<u64, Lists> = FxHashMap::default();
    for (&key, lists) in &cjk {
        let (a, b) = (key >> 32, key & 0xffff_ffff);
        for c in [Some(a), (b != 0 && b != a).then_some(b)]
            .into_iter()
            .flatten()
        {
            chars.entry(c << 32).or_default().extend_from_slice(lists);
        }
    }
    cjk.extend(chars);
    let mut shards: Vec<Shard> = (0..count).map(|_| Shard::new()).collect();
    let mut used: std::collections::HashSet<char> = std::collections::HashSet::new();
    let mut utf8 = [0u8; 8];
    for (key, lists) in cjk {
        let single = key & 0xffff_ffff == 0;
        if single {
            used.extend(char::from_u32((key >> 32) as u32));
        }
        let text = cjk_bytes(key, &mut utf8);
        let shard = shard_of_bytes(text, count) as usize;
        shards[shard].push((String::from_utf8_lossy(text).into_owned(), lists, single));
    }
    let short = short.into_iter().map(|(key, lists)| {
        let bytes = key.to_le_bytes();
        let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
        (String::from_utf8_lossy(&bytes[..len]).into_owned(), lists)
    });
    for (word, lists) in short.chain(words.into_iter().map(|(w, l)| (w.to_string(), l))) {
        let shard = shard_of(&word, count) as usize;
        shards[shard].push((word, lists, false));
    }
    shards
        .par_iter_mut()
        .for_each(|tokens| tokens.sort_unstable_by(|a, b| a.0.cmp(&b.0)));
    let pairs = fold.pairs_for(|c| used.contains(&c));
    let fold_text: String = pairs.iter().flat_map(|(t, s)| [*t, *s]).collect();
    let mut kinds: Vec<&str> = site.pages.iter().map(|p| p.doc.kind.name()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut tags: Vec<&str> = site.tags.iter().map(|t| t.name.as_str()).collect();
    tags.sort_unstable();
    let meta = serde_json::json!({
        "v": 2,
        "shards": count,
        "pages": site.pages.len(),
        "fold": fold_text,
        "kinds": kinds,
        "tags": tags,
    })
    .to_string();
    Index {
        shards,
        runs,
        pages: order.len(),
        meta,
    }
}

/// A word of up to 8 bytes as a number, its bytes zero-padded: no word
/// holds a zero byte (NUL separates words), so no two words share one.
fn short_key(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    let mut key = [0u8; 8];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u64::from_le_bytes(key))
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

impl Index {
    /// No index: what a render that needs none sees.
    pub(crate) const EMPTY: Index = Index {
        shards: Vec::new(),
        runs: Vec::new(),
        pages: 0,
        meta: String::new(),
    };

    /// Shard `n` as JSON: tokens in order, each with its delta-coded pages.
    pub(crate) fn shard_json(&self, n: usize) -> String {
        match self.shards.get(n) {
            Some(tokens) => shard_json(tokens, &self.runs, self.pages),
            None => "{}".into(),
        }
    }

    /// A fingerprint of each shard's JSON, made without writing it: `serve`
    /// renders only the shards an edit changed.
    pub(crate) fn shard_fingerprints(&self) -> Vec<u64> {
        use std::hash::{Hash, Hasher};
        self.shards
            .par_iter()
            .map(|tokens| {
                let mut h = rustc_hash::FxHasher::default();
                each_posting(tokens, &self.runs, self.pages, |at| match at {
                    At::Token(_, token) => token.hash(&mut h),
                    At::Hit(hit) => h.write_u32(hit),
                });
                h.finish()
            })
            .collect()
    }
}

fn shard_json(tokens: &Shard, runs: &[Run], pages: usize) -> String {
    let mut out = String::from("{");
    let mut previous = 0;
    each_posting(tokens, runs, pages, |at| match at {
        At::Token(i, token) => {
            if i > 0 {
                out.push_str("\",");
            }
            push_json(&mut out, token);
            out.push_str(":\"");
            previous = 0;
        }
        At::Hit(hit) => {
            let page = hit >> 3;
            push_number(
                &mut out,
                u64::from(page - previous) * 8 + u64::from(hit & 7),
            );
            previous = page;
        }
    });
    if !tokens.is_empty() {
        out.push('"');
    }
    out.push('}');
    out
}

/// Where [`each_posting`] is.
enum At<'a> {
    /// The `i`th token of the shard begins.
    Token(usize, &'a str),
    /// One page of its postings, `page << 3 | where`.
    Hit(u32),
}

/// Walks a shard's tokens in order and each one's postings in page order:
/// what its JSON says, whether written out or hashed.
fn each_posting<'a>(tokens: &'a Shard, runs: &[Run], pages: usize, mut f: impl FnMut(At<'a>)) {
    let mut merged = Vec::new();
    for (i, (token, lists, overlap)) in tokens.iter().enumerate() {
        f(At::Token(i, token));
        let mut hits = lists
            .iter()
            .flat_map(|&(r, id)| runs[usize::from(r)].list(id));
        if *overlap {
            union(&mut hits, pages, &mut merged);
            merged.iter().for_each(|&hit| f(At::Hit(hit)));
        } else {
            hits.for_each(|&hit| f(At::Hit(hit)));
        }
    }
}

/// The digits of postings: URL-safe base 64, no character JSON escapes.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `n` in base 32, lowest digit first; a digit with more to come has 32 added.
fn push_number(out: &mut String, mut n: u64) {
    loop {
        let digit = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(char::from(DIGITS[digit]));
            return;
        }
        out.push(char::from(DIGITS[digit | 32]));
    }
}

/// Hits (`page << 3 | where`) from several lists as one list in page
/// order, a page's `where` bits joined: by marking a byte per page when
/// the hits are many for the pages there are, else by sorting them.
fn union<'a>(hits: impl Iterator<Item = &'a u32>, pages: usize, out: &mut Vec<u32>) {
    out.clear();
    out.extend(hits);
    if out.len() * 8 >= pages {
        let mut seen = vec![0u8; pages];
        for &hit in out.iter() {
            if let Some(bits) = seen.get_mut((hit >> 3) as usize) {
                *bits |= (hit & 7) as u8;
            }
        }
        out.clear();
        out.extend(
            seen.iter()
                .enumerate()
                .filter(|(_, bits)| **bits != 0)
                .map(|(page, bits)| (page as u32) << 3 | u32::from(*bits)),
        );
    } else {
        out.sort_unstable();
        out.dedup_by(|next, kept| {
            let same = *next >> 3 == *kept >> 3;
            if same {
                *kept |= *next & 7;
            }
            same
        });
    }
}

/// A page's `search/p/N.json`.
pub(crate) fn page_json(site: &Site, id: PageId) -> String {
    fragment(site, id, &page_parts(site, id))
}

/// A page's parts as PARSE collected them (or, for a body parsed without
/// search, as its HTML shows them), encoded by [`extract::encode`].
fn page_parts(site: &Site, id: PageId) -> std::borrow::Cow<'_, str> {
    let body = &site.page(id).doc.body;
    match &body.search {
        Some(text) => std::borrow::Cow::Borrowed(text),
        None => extract::encode(&extract::parts(&body.html.unpack())).into(),
    }
}

/// Each page's distinct tokens, kept by `serve` from one rebuild to the
/// next so that an edit tokenizes again only the pages it changed.
#[derive(Default)]
pub(crate) struct TokenCache {
    pages: std::sync::RwLock<CachedPages>,
}

impl TokenCache {
    /// Forgets the pages whose source files `keep` refuses: a page deleted
    /// or renamed while `serve` runs would otherwise stay until it stops.
    pub(crate) fn keep(&self, keep: impl Fn(&str) -> bool) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        pages.retain(|file, _| keep(file));
    }

    /// How many pages' tokens are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.pages.read().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// By source file: what a page's tokens were made from ([`token_inputs`])
/// and the tokens ([`Postings::encode_page`]).
type CachedPages = FxHashMap<String, (u64, std::sync::Arc<[u8]>)>;

/// What a page's tokens are made from: its searchable text (as rendered:
/// settings such as `raw_html` change it), title, kind and tag names.
fn token_inputs(site: &Site, id: PageId, parts: &str) -> u64 {
    let page = site.page(id);
    let tags: Vec<&str> = tag_names(site, id).collect();
    crate::link::deps::hash_of((parts, &page.doc.title, page.doc.kind.name(), tags))
}

/// A page's `p/N.json`: `{"d":…,"g":[…],"k":…,"p":[…],"s":…,"t":…,"u":…}`,
/// its last change (`YYYY-MM-DD` or null), tags, kind, parts (each
/// `[anchor, heading, text]`), section title, title and URL. Written by
/// hand: together they hold the whole text of the site, and almost none of
/// it needs escaping.
fn fragment(site: &Site, id: PageId, parts: &str) -> String {
    let page = site.page(id);
    let mut out = String::with_capacity(parts.len() + 256);
    out.push_str("{\"d\":");
    match page.last_changed() {
        Some(when) => push_json(&mut out, &when.day().to_string()),
        None => out.push_str("null"),
    }
    out.push_str(",\"g\":[");
    for (i, tag) in tag_names(site, id).enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json(&mut out, tag);
    }
    out.push_str("],\"k\":");
    push_json(&mut out, page.doc.kind.name());
    out.push_str(",\"p\":[");
    for (i, fields) in extract::fields(parts).enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, field) in <[&str; 3]>::from(fields).into_iter().enumerate() {
            out.push(if j == 0 { '[' } else { ',' });
            push_json(&mut out, field);
        }
        out.push(']');
    }
    out.push_str("],\"s\":");
    push_json(&mut out, &site.section(page.section).title);
    out.push_str(",\"t\":");
    push_json(&mut out, &page.doc.title);
    out.push_str(",\"u\":");
    push_json(&mut out, &page.url);
    out.push('}');
    out
}

/// `s` as a JSON string: as it is when no byte of it needs escaping
/// (checked in blocks the compiler vectorizes), else escaped by serde_json.
fn push_json(out: &mut String, s: &str) {
    let plain = s.as_bytes().chunks(32).all(|block| {
        !block.iter().fold(false, |any, &b| {
            any | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    });
    if plain {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    }
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

    #[test]
    fn json_strings_are_serde_json_strings() {
        for s in [
            "",
            "plain",
            "群规 網線",
            "quote \" inside",
            "back\\slash",
            "tab\tnew\nline",
            "\u{1}k:faq",
            "\u{7f}\u{2028}\u{fffd}",
            &"长".repeat(40),
            &format!("{}\"", "x".repeat(70)),
        ] {
            let mut out = String::new();
            push_json(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).expect("json"), "{s:?}");
        }
    }

    #[test]
    fn numbers_are_base_32_lowest_digit_first() {
        let written = |n| {
            let mut s = String::new();
            push_number(&mut s, n);
            s
        };
        assert_eq!(written(0), "A");
        assert_eq!(written(12), "M");
        assert_eq!(written(31), "f");
        // 32 = 0 + 1 * 32: a zero with more to come (g), then one (B).
        assert_eq!(written(32), "gB");
        assert_eq!(written(1023), "_f");
        assert_eq!(written(1024), "ggB");
    }

    #[test]
    fn union_joins_pages_either_way() {
        // Two lists, page 3 in both with different places.
        let hits = [3 << 3 | 1, 7 << 3 | 4, 1 << 3 | 2, 3 << 3 | 4];
        let want = [1 << 3 | 2, 3 << 3 | 5, 7 << 3 | 4];
        let mut out = Vec::new();
        // Few pages for the hits: marked a byte per page.
        union(hits.iter(), 8, &mut out);
        assert_eq!(out, want);
        // Many pages: sorted.
        union(hits.iter(), 1_000, &mut out);
        assert_eq!(out, want);
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
