//! Site search: a static index the browser queries with no server.
//!
//! The index is split into routes (see [`crate::link::routes`]):
//!
//! - `search/meta.json`: how many shards, how many pages share a fragment
//!   file, the kinds and tags to filter by,
//!   and the part of the Traditional → Simplified table this site's text
//!   needs (a few KB).
//! - `search/s/N.json`: shard N, the postings of every token whose hash
//!   falls in it. A query downloads only the shards of its own tokens.
//! - `search/p/N.json`: the parts (title, headings, anchors, text) of
//!   [`BUNDLE`] pages, pages `N * BUNDLE` onwards, fetched for the results
//!   shown, to make their snippets.
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

pub(crate) mod cache;
mod cjk;
pub(crate) mod extract;
pub(crate) mod fold;
mod swar;
mod table;
pub(crate) mod tokenize;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::link::{PageId, RouteKind, Site};
pub(crate) use cache::TokenCache;
use cache::{Cached, Kept, Name, Span};
use fold::Fold;
use table::{Slot, Table};
use tokenize::Mode;

/// Folder of the index under the output folder.
pub(crate) const DIR: &str = "search";

/// Tokens of text (words, and two per CJK character) per shard: a
/// shard's postings grow with the text it covers, and a query fetches one
/// shard per term. About 12 KB of postings (5 KB gzip) a shard on the
/// 10,000-page corpus.
const TEXT_PER_SHARD: usize = 40_000;

/// Pages whose searchable parts share one file (`p/N.json`). A query
/// fetches its ten best pages' files, so this many times their bytes (less
/// a little: a file of several compresses better); in return a site has
/// this many times fewer files to write and to upload, which on a slow
/// disk is most of what the index costs a build.
pub(crate) const BUNDLE: usize = 4;

/// How many shards `site` is split into: a power of two from the size of
/// its text, so LINK can name every shard before anything is tokenized.
pub(crate) fn shard_count(site: &Site) -> u32 {
    let tokens: usize = site
        .pages
        .iter()
        .map(|p| p.doc.body.words + 2 * p.doc.body.cjk_chars)
        .sum();
    (tokens / TEXT_PER_SHARD)
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
    // Cached: a page's last change is the latest of its dates and its
    // history, worked out once per page rather than at every comparison.
    ids.sort_by_cached_key(|p| (site.page(*p).last_changed().map(|w| w.instant()), p.0));
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
    pub(crate) pages: usize,
    /// How many of them had their tokens made by this process, by the
    /// index or ahead of LINK (the others' were read with the cache).
    pub(crate) tokenized: usize,
    /// `meta.json`.
    pub(crate) meta: String,
}

const IN_TITLE: u8 = 1;
const IN_HEADING: u8 = 2;
const IN_TEXT: u8 = 4;

/// Postings as one thread gathers them: each token it meets gets a number
/// and a [`Slot`] of its own, so a page's tokens are counted in one table
/// per thread rather than a map per page, and a word is copied once per
/// thread, not once per page.
#[derive(Default)]
struct Postings {
    /// CJK bigrams (`a << 32 | b`) and single characters (`a << 32`).
    cjk: Table,
    /// Words of up to 8 bytes, by [`short_key`]: most words are, and a
    /// number hashes and compares faster than a string.
    short: Table,
    words: FxHashMap<Box<str>, Slot>,
    /// Tokens numbered so far.
    tokens: u32,
    /// The tokens met on the page being read and where on it.
    page: Vec<(u32, u8)>,
    /// Each page's distinct tokens, `token << 3 | where`, page after page.
    /// Appended as pages are read and sorted by token once at the end: one
    /// stream of writes, where a list per token would scatter writes over
    /// all of them after every page and push the token tables out of the
    /// cache. The same list is what a [`TokenCache`] keeps of each page.
    lists: Vec<u32>,
    /// Each page read: its place in the page order and where its tokens
    /// end in `lists`.
    recorded: Vec<(u32, u32)>,
    /// Whether the run keeps `lists` for a [`TokenCache`].
    record: bool,
}

/// A token as one thread counts it, kept in its table's entry so that
/// counting a token is one lookup: its number and its place in
/// [`Postings::page`] when last met. That place holds the token still
/// exactly when it was met on the page being read (the list is emptied
/// after each page), which spares the entry a page number: the smaller
/// the table, the more of it stays in the processor's cache.
impl Slot {
    /// The token is on the page being read, at `bit`.
    #[inline]
    fn hit(&mut self, page: &mut Vec<(u32, u8)>, bit: u8) {
        match page.get_mut(self.at as usize) {
            Some(entry) if entry.0 == self.id => entry.1 |= bit,
            _ => {
                self.at = page.len() as u32;
                page.push((self.id, bit));
            }
        }
    }
}

impl Postings {
    /// Postings that keep each page's tokens when `record` is set.
    fn new(record: bool) -> Self {
        Postings {
            record,
            ..Postings::default()
        }
    }

    /// A slot for a token met for the first time.
    fn fresh(tokens: &mut u32) -> Slot {
        let id = *tokens;
        *tokens += 1;
        Slot { id, at: u32::MAX }
    }

    /// CJK token `key` on the page being read, at `bit`.
    #[inline]
    fn cjk(&mut self, key: u64, bit: u8) {
        let Postings { cjk, tokens, .. } = self;
        cjk.slot(key, || Self::fresh(tokens))
            .hit(&mut self.page, bit);
    }

    /// Word `word` on the page being read, at `bit`. Inlined into the
    /// tokenizer's loop for the words of up to 8 bytes (most words); the
    /// longer ones take the map in a function of their own.
    #[inline(always)]
    fn word(&mut self, word: &str, bit: u8) {
        match short_key(word) {
            Some(key) => {
                let Postings {
                    short,
                    tokens,
                    page,
                    ..
                } = self;
                short.slot(key, || Self::fresh(tokens)).hit(page, bit);
            }
            None => self.long_word(word, bit),
        }
    }

    /// A word longer than [`short_key`] takes.
    #[inline(never)]
    fn long_word(&mut self, word: &str, bit: u8) {
        let Postings {
            words,
            tokens,
            page,
            ..
        } = self;
        let slot = match words.get_mut(word) {
            Some(slot) => slot,
            None => words
                .entry(word.into())
                .or_insert_with(|| Self::fresh(tokens)),
        };
        slot.hit(page, bit);
    }

    fn add_text(&mut self, text: &str, bit: u8, fold: &Fold) {
        // Bigrams only (and a character standing alone): every other
        // character's postings are its bigrams', merged once at the end
        // (see [`index`]), which halves the tokens a CJK text makes here.
        tokenize::for_each_token(text, fold, Mode::Query, PageSink(self, bit));
    }

    /// The page numbered `n`: its tokens.
    fn add_page(&mut self, page: &PageText<'_>, n: u32, fold: &Fold) {
        self.tokenize_page(page, fold);
        self.lists.extend(
            self.page
                .drain(..)
                .map(|(token, bits)| token << 3 | u32::from(bits)),
        );
        self.recorded.push((n, self.lists.len() as u32));
    }

    /// A page's tokens from its text, title and tags.
    fn tokenize_page(&mut self, page: &PageText<'_>, fold: &Fold) {
        self.add_text(page.title, IN_TITLE, fold);
        for (_, heading, text) in extract::fields(&page.parts) {
            self.add_text(heading, IN_HEADING, fold);
            self.add_text(text, IN_TEXT, fold);
        }
        // A page's tags describe it as a heading would, and filter by it
        // with tokens no text makes.
        for tag in &page.tags {
            self.add_text(tag, IN_HEADING, fold);
        }
        let filters = std::iter::once(filter_token('k', page.kind))
            .chain(page.tags.iter().map(|tag| filter_token('t', tag)));
        for token in filters {
            self.word(&token, IN_TEXT);
        }
    }

    /// The postings read, sorted by token (unless `sort` is off: a run
    /// read only for the [`TokenCache`]).
    fn into_run(self, sort: bool) -> Run {
        let (starts, pages) = if sort {
            by_token(
                self.tokens as usize,
                page_lists(&self.lists, &self.recorded),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let (lists, recorded) = if self.record {
            (self.lists, self.recorded)
        } else {
            (Vec::new(), Vec::new())
        };
        Run {
            cjk: self.cjk.ids(),
            short: self.short.ids(),
            words: self.words.into_iter().map(|(w, s)| (w, s.id)).collect(),
            starts,
            pages,
            tokens: self.tokens,
            lists,
            recorded,
        }
    }
}

/// Postings taking a text's tokens, found at `bit` of the page being read.
struct PageSink<'p>(&'p mut Postings, u8);

impl tokenize::Sink for PageSink<'_> {
    #[inline(always)]
    fn word(&mut self, word: &str, _: u32) {
        self.0.word(word, self.1);
    }

    #[inline]
    fn cjk(&mut self, key: u64, _: u32) {
        self.0.cjk(key, self.1);
    }
}

/// Each page's number and its tokens in `lists`, page after page, with
/// `recorded` saying where each page's tokens end.
fn page_lists<'a>(
    lists: &'a [u32],
    recorded: &'a [(u32, u32)],
) -> impl Iterator<Item = (u32, &'a [u32])> + Clone + 'a {
    let starts = std::iter::once(0).chain(recorded.iter().map(|&(_, end)| end));
    recorded
        .iter()
        .zip(starts)
        .map(move |(&(n, end), start)| (n, lists.get(start as usize..end as usize).unwrap_or(&[])))
}

/// Pages' tokens (`token << 3 | where`, page after page in page order)
/// sorted by token with a counting sort, so each token's pages stay in
/// order: where each token's pages start, and the pages, `page << 3 |
/// where`. Two plain loops over each page's list: the first needs no page
/// numbers at all.
fn by_token<'a>(
    tokens: usize,
    pages: impl Iterator<Item = (u32, &'a [u32])> + Clone,
) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; tokens + 1];
    for (_, list) in pages.clone() {
        for &entry in list {
            if let Some(count) = starts.get_mut((entry >> 3) as usize + 1) {
                *count += 1;
            }
        }
    }
    for i in 0..tokens {
        starts[i + 1] += starts[i];
    }
    let mut next = starts.clone();
    let mut sorted = vec![0u32; starts[tokens] as usize];
    for (n, list) in pages {
        for &entry in list {
            if let Some(at) = next.get_mut((entry >> 3) as usize) {
                sorted[*at as usize] = n << 3 | (entry & 7);
                *at += 1;
            }
        }
    }
    (starts, sorted)
}

/// The postings of a run of consecutive pages, read by one thread.
struct Run {
    /// Its tokens and their numbers, when it read the pages' text (a run
    /// laid out from the [`TokenCache`] numbers its tokens as the cache
    /// does).
    cjk: Vec<(u64, u32)>,
    short: Vec<(u64, u32)>,
    words: Vec<(Box<str>, u32)>,
    /// Token `t`'s pages are `pages[starts[t]..starts[t + 1]]`.
    starts: Vec<u32>,
    /// `page << 3 | where`.
    pages: Vec<u32>,
    /// How many tokens it numbered.
    tokens: u32,
    /// See [`Postings::lists`] and [`Postings::recorded`].
    lists: Vec<u32>,
    recorded: Vec<(u32, u32)>,
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
            RouteKind::SearchPages(ref pages) => order.extend_from_slice(pages),
            _ => {}
        }
    }
    let count = count.max(1);
    let (runs, (mut cjk, words), tokenized) = match cache {
        Some(cache) => {
            let mut cached = cache.inner.write().unwrap_or_else(|e| e.into_inner());
            from_cache(site, &order, fold, &mut cached)
        }
        None => {
            let texts = page_texts(site, &order);
            let runs = read(&texts, &numbers(order.len()), fold, false, true);
            let merged = merge(&runs);
            (runs, merged, order.len())
        }
    };
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
    for (word, lists) in words {
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
        "v": 3,
        "shards": count,
        "bundle": BUNDLE,
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
        tokenized,
        meta,
    }
}

/// Pages `which` of `pages` (numbers into it, in order), tokenized in
/// runs of consecutive pages kept in order, so each token's pages are its
/// runs' lists one after another. Few, long runs: every run repeats the
/// vocabulary. `record` keeps each page's tokens for the cache; `sort`
/// lays the postings out (a read only for the cache needs not).
fn read(pages: &[PageText<'_>], which: &[u32], fold: &Fold, record: bool, sort: bool) -> Vec<Run> {
    let run = which.len() / (2 * rayon::current_num_threads()) + 1;
    which
        .par_iter()
        .with_min_len(run)
        .fold(
            || Postings::new(record),
            |mut postings, &n| {
                if let Some(page) = pages.get(n as usize) {
                    postings.add_page(page, n, fold);
                }
                postings
            },
        )
        .map(|postings| vec![postings.into_run(sort)])
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            a
        })
}

/// The numbers of `count` pages.
fn numbers(count: usize) -> Vec<u32> {
    (0..count as u32).collect()
}

/// What a page's tokens are made from: its searchable text (as rendered:
/// settings such as `raw_html` change it), title, kind and tag names.
pub(crate) struct PageText<'a> {
    /// Its source file, which the [`TokenCache`] keys it by.
    file: &'a str,
    title: &'a str,
    kind: &'static str,
    parts: std::borrow::Cow<'a, str>,
    tags: Vec<&'a str>,
}

impl<'a> PageText<'a> {
    /// Page `id` of `site`.
    fn of(site: &'a Site, id: PageId) -> Self {
        let doc = &site.page(id).doc;
        PageText {
            file: &doc.source.file,
            title: &doc.title,
            kind: doc.kind.name(),
            parts: page_parts(site, id),
            tags: tag_names(site, id).collect(),
        }
    }

    /// A fingerprint of what the tokens are made from: a [`TokenCache`]
    /// keeps a page's tokens with it.
    fn inputs(&self) -> u64 {
        crate::link::deps::hash_of((&*self.parts, self.title, self.kind, &self.tags))
    }
}

/// The texts of the pages of `order`, in that order.
fn page_texts<'a>(site: &'a Site, order: &[PageId]) -> Vec<PageText<'a>> {
    order.par_iter().map(|&id| PageText::of(site, id)).collect()
}

/// CJK tokens and words, each with its lists in every run.
type Merged = (FxHashMap<u64, Lists>, Vec<(String, Lists)>);

/// The tokens of runs that read text, each with its lists in every run.
fn merge(runs: &[Run]) -> Merged {
    let mut cjk: FxHashMap<u64, Lists> = FxHashMap::default();
    let mut short: FxHashMap<u64, Lists> = FxHashMap::default();
    let mut words: FxHashMap<&str, Lists> = FxHashMap::default();
    for (r, run) in runs.iter().enumerate() {
        let r = r as u16;
        for &(key, id) in &run.cjk {
            cjk.entry(key).or_default().push((r, id));
        }
        for &(key, id) in &run.short {
            short.entry(key).or_default().push((r, id));
        }
        for (word, id) in &run.words {
            words.entry(word).or_default().push((r, *id));
        }
    }
    let short = short
        .into_iter()
        .map(|(key, lists)| (short_word(key), lists));
    let words = short
        .chain(words.into_iter().map(|(w, l)| (w.to_string(), l)))
        .collect();
    (cjk, words)
}

/// The word [`short_key`] made `key` of.
fn short_word(key: u64) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// The runs of every page in `order` and their tokens, with `cached`:
/// when it knows most pages, only the others are tokenized and every
/// page's postings are laid out from the numbers it keeps; else every
/// page is tokenized. Either way it then knows every page.
fn from_cache(
    site: &Site,
    order: &[PageId],
    fold: &Fold,
    cached: &mut Cached,
) -> (Vec<Run>, Merged, usize) {
    let texts = page_texts(site, order);
    let inputs: Vec<u64> = texts.par_iter().map(PageText::inputs).collect();
    let fresh = not_cached(&texts, &inputs, cached);
    // Pages whose tokens were made rather than read with the cache: by
    // this index or ahead of LINK, each counted once.
    let made = |cached: &Cached| {
        texts
            .iter()
            .filter(|t| cached.pages.get(t.file).is_some_and(|k| k.made))
            .count()
    };
    if fresh.len() * 2 > order.len() {
        let mut runs = read(&texts, &numbers(order.len()), fold, true, true);
        remember(&texts, &inputs, &mut runs, cached);
        let merged = merge(&runs);
        return (runs, merged, made(cached));
    }
    if !fresh.is_empty() {
        let mut runs = read(&texts, &fresh, fold, true, false);
        remember(&texts, &inputs, &mut runs, cached);
    }
    let lists: Vec<&[u32]> = texts
        .iter()
        .map(|t| cached.pages.get(t.file).map_or(&[][..], |k| &k.tokens[..]))
        .collect();
    let tokens = cached.vocab.names.len();
    let chunk = order.len() / (2 * rayon::current_num_threads()) + 1;
    let runs: Vec<Run> = (0..order.len())
        .collect::<Vec<usize>>()
        .par_chunks(chunk)
        .map(|ns| {
            let (starts, pages) = by_token(tokens, ns.iter().map(|&n| (n as u32, lists[n])));
            Run {
                cjk: Vec::new(),
                short: Vec::new(),
                words: Vec::new(),
                starts,
                pages,
                tokens: tokens as u32,
                lists: Vec::new(),
                recorded: Vec::new(),
            }
        })
        .collect();
    let mut cjk: FxHashMap<u64, Lists> = FxHashMap::default();
    let mut words = Vec::new();
    for (t, name) in cached.vocab.names.iter().enumerate() {
        let t = t as u32;
        let lists: Lists = (0..runs.len())
            .filter(|&r| !runs[r].list(t).is_empty())
            .map(|r| (r as u16, t))
            .collect();
        if lists.is_empty() {
            continue;
        }
        match name {
            Name::Cjk(key) => {
                cjk.insert(*key, lists);
            }
            Name::Word(word) => words.push((word.to_string(), lists)),
        }
    }
    let made = made(cached);
    (runs, (cjk, words), made)
}

/// Tokenizes the documents PARSE made into `cache` (the pages that have
/// searchable text and whose tokens it lacks) while LINK makes the site of
/// them: LINK keeps one processor busy and leaves the other idle. The
/// index then finds every page's tokens in the cache.
///
/// Which documents are pages, and what their tags are named, is worked out
/// by LINK's own rules ([`crate::link::roles`] and
/// [`crate::link::named_tags`], over the documents of each language), so
/// that the index finds each page's tokens made from the same inputs.
pub(crate) fn tokenize_ahead(
    docs: &[std::sync::Arc<crate::parse::Document>],
    slugs: crate::config::SlugStyle,
    drafts: bool,
    cache: &TokenCache,
) {
    let docs: Vec<&crate::parse::Document> = docs
        .iter()
        .map(|d| &**d)
        .filter(|d| drafts || !d.front.draft)
        .collect();
    let mut langs: Vec<crate::config::LangId> = docs.iter().map(|d| d.source.lang).collect();
    langs.sort_unstable();
    langs.dedup();
    let mut pages: Vec<PageText<'_>> = Vec::with_capacity(docs.len());
    for lang in langs {
        let mine: Vec<&crate::parse::Document> = docs
            .iter()
            .copied()
            .filter(|d| d.source.lang == lang)
            .collect();
        let roles = crate::link::roles(mine.iter().map(|d| &d.source));
        let mine: Vec<&crate::parse::Document> = mine
            .into_iter()
            .zip(roles)
            .filter(|(_, role)| *role == crate::link::Role::Page)
            .map(|(d, _)| d)
            .collect();
        let front: Vec<&[String]> = mine.iter().map(|d| &d.front.tags[..]).collect();
        let named = crate::link::named_tags(&front, slugs);
        for (doc, named) in mine.into_iter().zip(named.pages) {
            let Some(parts) = doc.body.search.as_deref() else {
                continue;
            };
            pages.push(PageText {
                file: &doc.source.file,
                title: &doc.title,
                kind: doc.kind.name(),
                parts: parts.into(),
                tags: named.into_iter().map(|(_, name)| name).collect(),
            });
        }
    }
    let inputs: Vec<u64> = pages.par_iter().map(PageText::inputs).collect();
    let mut cached = cache.inner.write().unwrap_or_else(|e| e.into_inner());
    let fresh = not_cached(&pages, &inputs, &cached);
    if !fresh.is_empty() {
        let mut runs = read(&pages, &fresh, Fold::opencc(), true, false);
        remember(&pages, &inputs, &mut runs, &mut cached);
    }
}

/// The numbers of the pages whose tokens `cached` does not have, made
/// from the same `inputs`.
fn not_cached(pages: &[PageText<'_>], inputs: &[u64], cached: &Cached) -> Vec<u32> {
    (0..pages.len())
        .filter(|&n| {
            cached
                .pages
                .get(pages[n].file)
                .is_none_or(|kept| kept.inputs != inputs[n])
        })
        .map(|n| n as u32)
        .collect()
}

/// Puts into `cached` the tokens `runs` recorded of each page of `pages`
/// they read, with its `inputs`.
fn remember(pages: &[PageText<'_>], inputs: &[u64], runs: &mut [Run], cached: &mut Cached) {
    // Each run's numbers as the cache's: one lookup per token per run.
    let numbers: Vec<Vec<u32>> = runs
        .iter()
        .map(|run| {
            let mut numbers = vec![0u32; run.tokens as usize];
            for &(key, id) in &run.cjk {
                numbers[id as usize] = cached.vocab.cjk(key);
            }
            for &(key, id) in &run.short {
                numbers[id as usize] = cached.vocab.word(&short_word(key));
            }
            for (word, id) in &run.words {
                numbers[*id as usize] = cached.vocab.word(word);
            }
            numbers
        })
        .collect();
    // Each run's list renumbered in place and shared by its pages.
    let lists: Vec<(usize, Span)> = runs
        .par_iter_mut()
        .zip(&numbers)
        .flat_map_iter(|(run, numbers)| {
            let mut list = std::mem::take(&mut run.lists);
            for e in &mut list {
                *e = numbers[(*e >> 3) as usize] << 3 | (*e & 7);
            }
            let list = std::sync::Arc::new(list);
            let mut start = 0;
            std::mem::take(&mut run.recorded)
                .into_iter()
                .map(move |(n, end)| {
                    let span = Span::new(list.clone(), start as usize..end as usize);
                    start = end;
                    (n as usize, span)
                })
        })
        .collect();
    for (n, tokens) in lists {
        let kept = Kept {
            inputs: inputs[n],
            tokens,
            made: true,
        };
        cached.pages.insert(pages[n].file.to_string(), kept);
    }
    cached.changed = true;
}

/// A word of up to 8 bytes as a number, its bytes zero-padded: no word
/// holds a zero byte (NUL separates words), so no two words share one.
fn short_key(word: &str) -> Option<u64> {
    // Read as two overlapping halves rather than copied into a buffer:
    // a copy of a length only known when running is a call to `memcpy`,
    // for every word of the site.
    let bytes = word.as_bytes();
    let n = bytes.len();
    let half = |at: usize| {
        bytes.get(at..at + 4).map_or(0, |b| {
            u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        })
    };
    match n {
        0..4 => Some(
            bytes
                .iter()
                .rev()
                .fold(0, |key, &b| key << 8 | u64::from(b)),
        ),
        4..=8 => Some(half(0) | half(n - 4) << (8 * (n - 4))),
        _ => None,
    }
}

/// The UTF-8 of a CJK key, in `buf`.
fn cjk_bytes(key: u64, buf: &mut [u8; 8]) -> &[u8] {
    let mut len = 0;
    for c in tokenize::cjk_chars(key) {
        len += c.encode_utf8(&mut buf[len..]).len();
    }
    &buf[..len]
}

impl Index {
    /// No index: what a render that needs none sees.
    pub(crate) const EMPTY: Index = Index {
        shards: Vec::new(),
        runs: Vec::new(),
        pages: 0,
        tokenized: 0,
        meta: String::new(),
    };

    /// Shard `n` as JSON: tokens in order, each with its delta-coded pages.
    pub(crate) fn shard_json(&self, n: usize) -> Vec<u8> {
        match self.shards.get(n) {
            Some(tokens) => shard_json(tokens, &self.runs, self.pages),
            None => b"{}".to_vec(),
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
                    At::Hits(hits) => hits.iter().for_each(|&hit| h.write_u32(hit)),
                });
                h.finish()
            })
            .collect()
    }
}

fn shard_json(tokens: &Shard, runs: &[Run], pages: usize) -> Vec<u8> {
    // Bytes rather than a `String`: a shard is mostly digits, and a byte
    // is pushed with no UTF-8 to encode.
    let mut out = b"{".to_vec();
    let mut previous = 0;
    each_posting(tokens, runs, pages, |at| match at {
        At::Token(i, token) => {
            if i > 0 {
                out.extend_from_slice(b"\",");
            }
            push_json(&mut out, token);
            out.extend_from_slice(b":\"");
            previous = 0;
        }
        At::Hits(hits) => push_hits(&mut out, hits, &mut previous),
    });
    if !tokens.is_empty() {
        out.push(b'"');
    }
    out.push(b'}');
    out
}

/// Where [`each_posting`] is.
enum At<'a> {
    /// The `i`th token of the shard begins.
    Token(usize, &'a str),
    /// Some of its postings, in page order, `page << 3 | where`.
    Hits(&'a [u32]),
}

/// Walks a shard's tokens in order and each one's postings in page order:
/// what its JSON says, whether written out or hashed.
fn each_posting<'a>(tokens: &'a Shard, runs: &'a [Run], pages: usize, mut f: impl FnMut(At<'_>)) {
    let mut merged = Vec::new();
    let mut seen = Vec::new();
    for (i, (token, lists, overlap)) in tokens.iter().enumerate() {
        f(At::Token(i, token));
        let hits = lists.iter().map(|&(r, id)| runs[usize::from(r)].list(id));
        if *overlap {
            union(hits, pages, &mut seen, &mut merged);
            f(At::Hits(&merged));
        } else {
            hits.for_each(|list| f(At::Hits(list)));
        }
    }
}

/// The digits of postings: URL-safe base 64, no character JSON escapes.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends the postings `hits` of one token, `previous` the page of the
/// one before them: a loop per list rather than a call per posting, of
/// which a 2,000-page site has two million.
fn push_hits(out: &mut Vec<u8>, hits: &[u32], previous: &mut u32) {
    // Most postings are one digit: a page near the one before.
    out.reserve(hits.len() * 2);
    for &hit in hits {
        let page = hit >> 3;
        let mut n = u64::from(page.wrapping_sub(*previous)) * 8 + u64::from(hit & 7);
        *previous = page;
        while n >= 32 {
            out.push(DIGITS[(n & 31) as usize | 32]);
            n >>= 5;
        }
        out.push(DIGITS[n as usize]);
    }
}

/// Hits (`page << 3 | where`) from several lists as one
/// list in page order, a page's `where` bits joined: by marking a byte per
/// page when the hits are many for the pages there are, else by sorting
/// them. `seen` holds the marks, all zero between calls: a shard's tokens
/// share it rather than each allocating and clearing a byte per page.
fn union<'a>(
    lists: impl Iterator<Item = &'a [u32]> + Clone,
    pages: usize,
    seen: &mut Vec<u8>,
    out: &mut Vec<u32>,
) {
    out.clear();
    let len: usize = lists.clone().map(<[u32]>::len).sum();
    if len * 8 >= pages {
        seen.resize(pages, 0);
        // Marked straight from the lists, a list at a time: copying them
        // first cost as much, and a flattened iterator checks for the end
        // of a list at every hit.
        for list in lists {
            for &hit in list {
                if let Some(bits) = seen.get_mut((hit >> 3) as usize) {
                    *bits |= (hit & 7) as u8;
                }
            }
        }
        for (page, bits) in seen.iter_mut().enumerate() {
            if *bits != 0 {
                out.push((page as u32) << 3 | u32::from(*bits));
                *bits = 0;
            }
        }
    } else {
        lists.for_each(|list| out.extend_from_slice(list));
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

/// A bundle's `search/p/N.json`: its pages' fragments, in order.
pub(crate) fn pages_json(site: &Site, pages: &[PageId]) -> Vec<u8> {
    let mut out = b"[".to_vec();
    for (i, &id) in pages.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        fragment(site, id, &page_parts(site, id), &mut out);
    }
    out.push(b']');
    out
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

/// A page's fragment in `p/N.json`: `{"d":…,"g":[…],"k":…,"p":[…],"s":…,"t":…,"u":…}`,
/// its last change (`YYYY-MM-DD` or null), tags, kind, parts (each
/// `[anchor, heading, text]`), section title, title and URL. Written by
/// hand: together they hold the whole text of the site, and almost none of
/// it needs escaping.
fn fragment(site: &Site, id: PageId, parts: &str, out: &mut Vec<u8>) {
    let page = site.page(id);
    out.reserve(parts.len() + 256);
    out.extend_from_slice(b"{\"d\":");
    match page.last_changed() {
        Some(when) => push_json(out, &when.day().to_string()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"g\":[");
    for (i, tag) in tag_names(site, id).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json(out, tag);
    }
    out.extend_from_slice(b"],\"k\":");
    push_json(out, page.doc.kind.name());
    out.extend_from_slice(b",\"p\":[");
    for (i, fields) in extract::fields(parts).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        for (j, field) in <[&str; 3]>::from(fields).into_iter().enumerate() {
            out.push(if j == 0 { b'[' } else { b',' });
            push_json(out, field);
        }
        out.push(b']');
    }
    out.extend_from_slice(b"],\"s\":");
    push_json(out, &site.section(page.section).title);
    out.extend_from_slice(b",\"t\":");
    push_json(out, &page.doc.title);
    out.extend_from_slice(b",\"u\":");
    push_json(out, &page.url);
    out.push(b'}');
}

/// `s` as a JSON string: as it is when no byte of it needs escaping
/// (checked in blocks the compiler vectorizes), else escaped by serde_json.
fn push_json(out: &mut Vec<u8>, s: &str) {
    // Blocks of a fixed size, which become vector instructions.
    let escaped = |block: &[u8; 32]| {
        block.iter().fold(false, |any, &b| {
            any | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    };
    let (blocks, rest) = s.as_bytes().as_chunks::<32>();
    let plain = !blocks.iter().any(escaped) && !escaped(&swar::padded(rest));
    if plain {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else if serde_json::to_writer(&mut *out, s).is_err() {
        out.extend_from_slice(b"\"\"");
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
    fn a_short_key_is_the_word_zero_padded() {
        let word = "abcdefghi";
        for n in 0..=word.len() {
            let mut padded = [0u8; 8];
            let key = short_key(&word[..n]);
            if n <= 8 {
                padded[..n].copy_from_slice(&word.as_bytes()[..n]);
                assert_eq!(key, Some(u64::from_le_bytes(padded)), "{n}");
                assert_eq!(short_word(u64::from_le_bytes(padded)), &word[..n]);
            } else {
                assert_eq!(key, None);
            }
        }
        assert_eq!(
            short_key("群规"),
            Some(u64::from_le_bytes(*b"\xe7\xbe\xa4\xe8\xa7\x84\0\0"))
        );
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
            &format!("{}\n{}", "x".repeat(40), "y".repeat(40)),
            &format!("{}\\", "x".repeat(64)),
        ] {
            let mut out = Vec::new();
            push_json(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).expect("json"), "{s:?}");
        }
    }

    #[test]
    fn numbers_are_base_32_lowest_digit_first() {
        // A posting `page << 3 | where` after page 0 is written as itself.
        let written = |n| {
            let mut s = Vec::new();
            push_hits(&mut s, &[n], &mut 0);
            String::from_utf8(s).expect("ASCII")
        };
        assert_eq!(written(0), "A");
        assert_eq!(written(12), "M");
        assert_eq!(written(31), "f");
        // 32 = 0 + 1 * 32: a zero with more to come (g), then one (B).
        assert_eq!(written(32), "gB");
        assert_eq!(written(1023), "_f");
        assert_eq!(written(1024), "ggB");
        assert_eq!(written(u32::MAX), "______D");
    }

    #[test]
    fn postings_are_written_as_differences_from_the_page_before() {
        let mut s = b"x".to_vec();
        let mut previous = 0;
        // Pages 1 (title), 2 (text) and 40 (heading and text), then page
        // 41 in the next call: its difference is from page 40.
        push_hits(
            &mut s,
            &[1 << 3 | 1, 2 << 3 | 4, 40 << 3 | 6],
            &mut previous,
        );
        push_hits(&mut s, &[41 << 3 | 4], &mut previous);
        assert_eq!(previous, 41);
        // 9 (J), 12 (M), 38 * 8 + 6 = 310 = 22 + 9 * 32 (22 + 32: 2, then
        // J), 12 (M).
        assert_eq!(String::from_utf8(s).expect("ASCII"), "xJM2JM");
    }

    #[test]
    fn union_joins_pages_either_way() {
        // Two lists, page 3 in both with different places.
        let lists: [&[u32]; 2] = [&[3 << 3 | 1, 7 << 3 | 4], &[1 << 3 | 2, 3 << 3 | 4]];
        let want = [1 << 3 | 2, 3 << 3 | 5, 7 << 3 | 4];
        let mut out = Vec::new();
        let mut seen = Vec::new();
        // Few pages for the hits: marked a byte per page, the marks left
        // cleared for the next token.
        union(lists.into_iter(), 8, &mut seen, &mut out);
        assert_eq!(out, want);
        assert!(seen.iter().all(|&b| b == 0));
        union(lists[..1].iter().map(|l| &l[..1]), 8, &mut seen, &mut out);
        assert_eq!(out, [3 << 3 | 1]);
        // Many pages: sorted.
        union(lists.into_iter(), 1_000, &mut seen, &mut out);
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
