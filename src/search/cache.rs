//! What one index keeps for the next: each page's distinct tokens, by
//! number in a vocabulary of their own. `serve` keeps it in memory from one
//! rebuild to the next; `build` keeps it on disk beside the output (in
//! `.almanac-cache/`), so a rebuild tokenizes only the pages whose text
//! changed and lays out every other page's postings from numbers, with no
//! text read and no token looked up.
//!
//! The file is only ever a shortcut: one that is missing, from another
//! version, or damaged is ignored (and the index made from the text), and
//! each page's entry is used only when the page's inputs hash the same.

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::fold::Fold;

/// A token as the cache numbers it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) enum Name {
    /// A CJK bigram (`a << 32 | b`) or character (`a << 32`).
    Cjk(u64),
    Word(Box<str>),
}

/// Every token the cached pages have, numbered.
#[derive(Default)]
pub(super) struct Vocab {
    pub(super) names: Vec<Name>,
    cjk: FxHashMap<u64, u32>,
    words: FxHashMap<Box<str>, u32>,
}

impl Vocab {
    /// The number of CJK token `key`, given one when it is new.
    pub(super) fn cjk(&mut self, key: u64) -> u32 {
        let next = self.names.len() as u32;
        let id = *self.cjk.entry(key).or_insert(next);
        if id == next {
            self.names.push(Name::Cjk(key));
        }
        id
    }

    /// The number of word `word`, given one when it is new.
    pub(super) fn word(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.words.get(word) {
            return id;
        }
        let id = self.names.len() as u32;
        self.words.insert(word.into(), id);
        self.names.push(Name::Word(word.into()));
        id
    }

    fn push(&mut self, name: Name) {
        match name {
            Name::Cjk(key) => self.cjk(key),
            Name::Word(word) => self.word(&word),
        };
    }
}

/// The cache's contents.
#[derive(Default)]
pub(super) struct Cached {
    pub(super) vocab: Vocab,
    /// By source file.
    pub(super) pages: FxHashMap<String, Kept>,
    /// Whether anything changed since it was read from disk.
    pub(super) changed: bool,
}

/// What the cache keeps of one page.
pub(super) struct Kept {
    /// What the tokens were made from (see `PageText::inputs`).
    pub(super) inputs: u64,
    /// The page's distinct tokens, `number << 3 | where`.
    pub(super) tokens: Span,
    /// Whether they were made since the cache was read, rather than read
    /// with it: what `build -v` counts as tokenized.
    pub(super) made: bool,
}

/// A page's tokens: a stretch of one list that the pages tokenized
/// together share, so that keeping them copies nothing (a copy per page
/// was 2 % of the index's work, and as many bytes again). A list is freed
/// once no page refers to it; in `serve`, the pages tokenized again after
/// an edit keep their stretches of the old one until then, at most one
/// list's worth.
#[derive(Clone)]
pub(super) struct Span {
    list: Arc<Vec<u32>>,
    start: usize,
    end: usize,
}

impl Span {
    /// `list[range]` (empty where `range` is not in `list`).
    pub(super) fn new(list: Arc<Vec<u32>>, range: std::ops::Range<usize>) -> Span {
        Span {
            list,
            start: range.start,
            end: range.end,
        }
    }
}

impl From<Vec<u32>> for Span {
    fn from(list: Vec<u32>) -> Span {
        let end = list.len();
        Span::new(Arc::new(list), 0..end)
    }
}

impl std::ops::Deref for Span {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        self.list.get(self.start..self.end).unwrap_or(&[])
    }
}

/// Each page's distinct tokens, kept from one index to the next so that an
/// index tokenizes again only the pages whose text changed.
#[derive(Default)]
pub(crate) struct TokenCache {
    pub(super) inner: RwLock<Cached>,
}

/// Says what wrote a cache file: a file from another version of almanac,
/// of the tokenizer or of the fold table is not read.
const FORMAT: u32 = 2;

/// The first line of a cache file: made once per process, since it hashes
/// the whole fold table.
fn stamp() -> &'static [u8] {
    static STAMP: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    STAMP.get_or_init(|| {
        let pairs = Fold::opencc().pairs_for(|_| true);
        let fingerprint = crate::link::deps::hash_of(&pairs);
        format!(
            "almanac search tokens {FORMAT} {} {fingerprint:016x}\n",
            env!("CARGO_PKG_VERSION")
        )
        .into_bytes()
    })
}

impl TokenCache {
    /// Starts reading the tokens kept at `path` on a thread of its own,
    /// for a build to wait on once it has read the site.
    pub(crate) fn load_aside(path: std::path::PathBuf) -> Loading {
        let found = path.is_file();
        Loading {
            found,
            thread: found
                .then(|| std::thread::spawn(move || (TokenCache::load(&path), Duration::ZERO))),
        }
    }

    /// The cache saved at `path`, or an empty one when there is none that
    /// this almanac wrote and can read whole.
    fn load(path: &Path) -> TokenCache {
        let cached = std::fs::read(path)
            .ok()
            .and_then(|bytes| decode(&bytes, stamp()))
            .unwrap_or_default();
        TokenCache {
            inner: RwLock::new(cached),
        }
    }

    /// Saves the cache at `path` when it changed since it was loaded: only
    /// the tokens its pages use, written beside and renamed into place so
    /// that a build stopped halfway leaves the old file or the new.
    pub(crate) fn save(&self, path: &Path) -> std::io::Result<()> {
        let cached = self.inner.read().unwrap_or_else(|e| e.into_inner());
        if !cached.changed {
            return Ok(());
        }
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        encode(&cached, stamp(), &mut file)?;
        drop(cached);
        file.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    }

    /// Forgets every page but those of `site`, over all its languages: a
    /// page deleted or renamed would otherwise be kept for ever.
    pub(crate) fn keep_pages_of(&self, site: &crate::link::Sites) {
        let files: std::collections::HashSet<&str> = site
            .langs
            .iter()
            .flat_map(|s| s.pages.iter().map(|p| p.doc.source.file.as_str()))
            .collect();
        let mut cached = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let before = cached.pages.len();
        cached.pages.retain(|file, _| files.contains(file.as_str()));
        if cached.pages.len() != before {
            cached.changed = true;
        }
    }

    /// How many pages' tokens are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .pages
            .len()
    }
}

/// A token file being read (see [`TokenCache::load_aside`]); by default,
/// none.
#[derive(Default)]
pub(crate) struct Loading {
    /// Whether there was a file to read.
    found: bool,
    /// The tokens, and the time tokenizing ahead of LINK took (see
    /// [`Loading::then_tokenize`]).
    thread: Option<std::thread::JoinHandle<(TokenCache, Duration)>>,
}

impl Loading {
    /// Whether there was a file to read.
    pub(crate) fn found(&self) -> bool {
        self.found
    }

    /// The tokens read: none when there was no file or it could not be
    /// read.
    pub(crate) fn wait(self) -> TokenCache {
        self.wait_ahead().0
    }

    /// The tokens read, and the time tokenizing ahead took to add to them.
    pub(crate) fn wait_ahead(self) -> (TokenCache, Duration) {
        self.thread
            .and_then(|thread| thread.join().ok())
            .unwrap_or_default()
    }

    /// When any of `docs` has searchable text: once the tokens are read,
    /// goes on to tokenize `docs` into them ahead of LINK (see
    /// [`super::tokenize_ahead`]), on the thread pool `pool` makes when it
    /// makes one: what [`Loading::wait`] then gives has them.
    pub(crate) fn then_tokenize(
        self,
        docs: &[Arc<crate::parse::Document>],
        config: &crate::config::SiteConfig,
        drafts: bool,
        pool: impl FnOnce() -> Option<Arc<rayon::ThreadPool>>,
    ) -> Loading {
        if !docs.iter().any(|d| d.body.search.is_some()) {
            return self;
        }
        let (docs, slugs, pool) = (docs.to_vec(), config.slugify, pool());
        let found = self.found;
        let thread = std::thread::spawn(move || {
            let cache = self.wait();
            let started = std::time::Instant::now();
            let work = || super::tokenize_ahead(&docs, slugs, drafts, &cache);
            match &pool {
                Some(pool) => pool.install(work),
                None => work(),
            }
            (cache, started.elapsed())
        });
        Loading {
            found,
            thread: Some(thread),
        }
    }
}

/// The cache file after its stamp, in postcard's format, as [`encode`]
/// writes it: the tokens the pages use, then each page's source file,
/// inputs and tokens, numbered in that list.
#[derive(serde::Deserialize)]
struct In {
    tokens: Vec<Name>,
    pages: Vec<(String, u64, Vec<u32>)>,
}

/// Appends `n` as postcard writes a `u32` or a length: seven bits a byte,
/// lowest first, the high bit set on every byte but the last. Written
/// here for the pages' token lists, a million numbers on a big site:
/// through serde, postcard spent fifty instructions on each.
fn push_varint(buf: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        buf.push(n as u8 | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

/// Writes the stamp, then the cache with only the tokens its pages use,
/// pages in the order of their files.
fn encode(cached: &Cached, stamp: &[u8], to: &mut impl std::io::Write) -> std::io::Result<()> {
    const UNUSED: u32 = u32::MAX;
    let mut renumber = vec![UNUSED; cached.vocab.names.len()];
    let mut tokens = Vec::new();
    let mut files: Vec<&String> = cached.pages.keys().collect();
    files.sort_unstable();
    for file in &files {
        for &e in cached.pages[*file].tokens.iter() {
            let slot = &mut renumber[(e >> 3) as usize];
            if *slot == UNUSED {
                *slot = tokens.len() as u32;
                tokens.push(&cached.vocab.names[(e >> 3) as usize]);
            }
        }
    }
    to.write_all(stamp)?;
    // As postcard writes an `In` (a struct is its fields one after
    // another, a sequence its length then its items), a page at a time
    // into a buffer: its writer would make a call per byte.
    let other = std::io::Error::other;
    let mut buf = postcard::to_extend(&tokens, Vec::with_capacity(1 << 17)).map_err(other)?;
    buf = postcard::to_extend(&files.len(), buf).map_err(other)?;
    for file in files {
        let Kept {
            inputs,
            tokens: list,
            ..
        } = &cached.pages[file];
        // A tuple's fields one after another: the list, a sequence of
        // `u32`, after the rest.
        buf = postcard::to_extend(&(file.as_str(), *inputs), buf).map_err(other)?;
        push_varint(&mut buf, list.len() as u32);
        for &e in list.iter() {
            push_varint(&mut buf, renumber[(e >> 3) as usize] << 3 | (e & 7));
        }
        if buf.len() >= 1 << 16 {
            to.write_all(&buf)?;
            buf.clear();
        }
    }
    to.write_all(&buf)
}

/// What [`encode`] wrote, or `None` when `bytes` are not that whole: any
/// other stamp, bytes missing or left over, a token named twice, a page
/// twice or a token number beyond the list.
fn decode(bytes: &[u8], stamp: &[u8]) -> Option<Cached> {
    let (read, rest) = postcard::take_from_bytes::<In>(bytes.strip_prefix(stamp)?).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let mut vocab = Vocab::default();
    let count = read.tokens.len();
    for name in read.tokens {
        vocab.push(name);
    }
    let tokens = vocab.names.len();
    if tokens != count {
        return None;
    }
    let count = read.pages.len();
    let pages = read
        .pages
        .into_par_iter()
        .map(|(file, inputs, list)| {
            list.iter().all(|&e| ((e >> 3) as usize) < tokens).then(|| {
                let tokens = Span::from(list);
                let made = false;
                (
                    file,
                    Kept {
                        inputs,
                        tokens,
                        made,
                    },
                )
            })
        })
        .collect::<Option<FxHashMap<_, _>>>()?;
    (pages.len() == count).then_some(Cached {
        vocab,
        pages,
        changed: false,
    })
}

/// Reads any bytes as a cache file, and one it accepts back through
/// [`encode`]: must not panic (see `crate::fuzzing`).
pub(crate) fn fuzz(data: &[u8]) {
    if let Some(cached) = decode(data, b"") {
        let mut again = Vec::new();
        if encode(&cached, b"", &mut again).is_ok() {
            let back = decode(&again, b"");
            assert!(back.is_some_and(|b| b.pages.len() == cached.pages.len()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(inputs: u64, tokens: Vec<u32>) -> Kept {
        let tokens = Span::from(tokens);
        Kept {
            inputs,
            tokens,
            made: true,
        }
    }

    fn sample() -> Cached {
        let mut cached = Cached::default();
        let a = cached.vocab.cjk(u64::from('群') << 32 | u64::from('规'));
        let b = cached.vocab.word("rust");
        let unused = cached.vocab.word("gone");
        let c = cached.vocab.cjk(u64::from('群') << 32);
        assert_eq!((a, b, unused, c), (0, 1, 2, 3));
        cached
            .pages
            .insert("a.md".into(), kept(7, vec![a << 3 | 1, c << 3 | 4]));
        cached
            .pages
            .insert("b.md".into(), kept(9, vec![b << 3 | 2]));
        cached.changed = true;
        cached
    }

    /// The tokens of a page, by name.
    fn names(cached: &Cached, file: &str) -> Vec<(Name, u32)> {
        cached.pages[file]
            .tokens
            .iter()
            .map(|&e| (cached.vocab.names[(e >> 3) as usize].clone(), e & 7))
            .collect()
    }

    #[test]
    fn varints_are_written_as_postcard_writes_them() {
        let numbers = [
            0,
            1,
            0x7F,
            0x80,
            0x3FFF,
            0x4000,
            (1 << 21) - 1,
            1 << 21,
            (1 << 28) - 1,
            1 << 28,
            u32::MAX,
        ];
        let mut all = b"x".to_vec();
        let mut want = all.clone();
        for n in numbers {
            let mut buf = Vec::new();
            push_varint(&mut buf, n);
            assert_eq!(buf, postcard::to_allocvec(&n).expect("postcard"), "{n}");
            assert_eq!(buf, postcard::to_allocvec(&(n as usize)).expect("postcard"));
            // One after another, as a page's list is written.
            push_varint(&mut all, n);
            want.extend_from_slice(&buf);
        }
        assert_eq!(all, want);
    }

    #[test]
    fn a_cache_reads_back_as_written_without_unused_tokens() {
        let cached = sample();
        let mut bytes = Vec::new();
        encode(&cached, b"stamp\n", &mut bytes).expect("in memory");
        let back = decode(&bytes, b"stamp\n").expect("reads back");
        assert_eq!(back.vocab.names.len(), 3);
        assert!(!back.changed);
        for file in ["a.md", "b.md"] {
            assert_eq!(names(&back, file), names(&cached, file));
            assert_eq!(back.pages[file].inputs, cached.pages[file].inputs);
            assert!(cached.pages[file].made && !back.pages[file].made);
        }
    }

    #[test]
    fn a_cache_from_elsewhere_or_cut_short_is_not_read() {
        let mut bytes = Vec::new();
        encode(&sample(), b"stamp\n", &mut bytes).expect("in memory");
        assert!(decode(&bytes, b"other\n").is_none());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], b"stamp\n").is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, b"stamp\n").is_none());
        // A token number beyond the vocabulary.
        let mut bad = bytes;
        let last = bad.len() - 1;
        bad[last] = 0x7f;
        assert!(decode(&bad, b"stamp\n").is_none());
    }
}
