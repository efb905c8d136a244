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

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::fold::Fold;

/// A token as the cache numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// By source file: what the page's tokens were made from (see
    /// `token_inputs`) and its distinct tokens, `number << 3 | where`.
    pub(super) pages: FxHashMap<String, (u64, Arc<[u32]>)>,
    /// Whether anything changed since it was read from disk.
    pub(super) changed: bool,
}

/// Each page's distinct tokens, kept from one index to the next so that an
/// index tokenizes again only the pages whose text changed.
#[derive(Default)]
pub(crate) struct TokenCache {
    pub(super) inner: RwLock<Cached>,
}

/// Says what wrote a cache file: a file from another version of almanac,
/// of the tokenizer or of the fold table is not read.
const FORMAT: u32 = 1;

fn stamp(fold: &Fold) -> Vec<u8> {
    let pairs = fold.pairs_for(|_| true);
    let fingerprint = crate::link::deps::hash_of(&pairs);
    format!(
        "almanac search tokens {FORMAT} {} {fingerprint:016x}\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

impl TokenCache {
    /// The cache saved at `path`, or an empty one when there is none that
    /// this almanac wrote and can read whole.
    pub(crate) fn load(path: &Path) -> TokenCache {
        let cached = std::fs::read(path)
            .ok()
            .and_then(|bytes| decode(&bytes, &stamp(Fold::opencc())))
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
        encode(&cached, &stamp(Fold::opencc()), &mut file)?;
        drop(cached);
        file.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    }

    /// Forgets the pages whose source files `keep` refuses: a page deleted
    /// or renamed would otherwise be kept for ever.
    pub(crate) fn keep(&self, keep: impl Fn(&str) -> bool) {
        let mut cached = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let before = cached.pages.len();
        cached.pages.retain(|file, _| keep(file));
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

/// The cache as bytes: the stamp, then the tokens the pages use (each a
/// tag byte, 0 for CJK with its key's 8 bytes, 1 for a word with its
/// length and UTF-8), then each page (its file, its inputs, how many
/// tokens it has and in how many bytes, and its tokens renumbered to that
/// list), numbers as LEB128. The bytes of each page's tokens are counted so
/// that pages can be read in parallel.
fn encode(cached: &Cached, stamp: &[u8], to: &mut impl std::io::Write) -> std::io::Result<()> {
    const UNUSED: u32 = u32::MAX;
    let mut renumber = vec![UNUSED; cached.vocab.names.len()];
    let mut used = Vec::new();
    let mut files: Vec<&String> = cached.pages.keys().collect();
    files.sort_unstable();
    for file in &files {
        for &e in cached.pages[*file].1.iter() {
            let slot = &mut renumber[(e >> 3) as usize];
            if *slot == UNUSED {
                *slot = used.len() as u32;
                used.push(e >> 3);
            }
        }
    }
    let mut out = Vec::with_capacity(stamp.len() + used.len() * 9);
    out.extend_from_slice(stamp);
    leb(&mut out, used.len() as u64);
    for &id in &used {
        match &cached.vocab.names[id as usize] {
            Name::Cjk(key) => {
                out.push(0);
                out.extend_from_slice(&key.to_le_bytes());
            }
            Name::Word(word) => {
                out.push(1);
                leb(&mut out, word.len() as u64);
                out.extend_from_slice(word.as_bytes());
            }
        }
    }
    leb(&mut out, files.len() as u64);
    let records: Vec<Vec<u8>> = files
        .par_iter()
        .map(|file| {
            let (inputs, tokens) = &cached.pages[*file];
            let mut body = Vec::with_capacity(tokens.len() * 2);
            for &e in tokens.iter() {
                leb(
                    &mut body,
                    u64::from(renumber[(e >> 3) as usize] << 3 | (e & 7)),
                );
            }
            let mut record = Vec::with_capacity(body.len() + file.len() + 24);
            leb(&mut record, file.len() as u64);
            record.extend_from_slice(file.as_bytes());
            record.extend_from_slice(&inputs.to_le_bytes());
            leb(&mut record, tokens.len() as u64);
            leb(&mut record, body.len() as u64);
            record.extend_from_slice(&body);
            record
        })
        .collect();
    to.write_all(&out)?;
    for record in records {
        to.write_all(&record)?;
    }
    Ok(())
}

/// What [`encode`] wrote, or `None` when `bytes` are not that whole.
fn decode(bytes: &[u8], stamp: &[u8]) -> Option<Cached> {
    let mut r = Reader {
        rest: bytes.strip_prefix(stamp)?,
    };
    let mut vocab = Vocab::default();
    let count = r.number()?;
    for _ in 0..count {
        let name = match r.byte()? {
            0 => Name::Cjk(u64::from_le_bytes(r.take(8)?.try_into().ok()?)),
            1 => {
                let len = r.number()?;
                Name::Word(std::str::from_utf8(r.take(len)?).ok()?.into())
            }
            _ => return None,
        };
        vocab.push(name);
    }
    // A file with a name twice is not one encode wrote.
    if vocab.names.len() != count {
        return None;
    }
    let tokens = vocab.names.len() as u64;
    let count = r.number()?;
    let mut records = Vec::with_capacity(count.min(r.rest.len()));
    for _ in 0..count {
        let len = r.number()?;
        let file = std::str::from_utf8(r.take(len)?).ok()?;
        let inputs = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
        let len = r.number()?;
        let bytes = r.number()?;
        records.push((file, inputs, len, r.take(bytes)?));
    }
    if !r.rest.is_empty() {
        return None;
    }
    let pages = records
        .into_par_iter()
        .map(|(file, inputs, len, bytes)| {
            let mut r = Reader { rest: bytes };
            let mut list = Vec::with_capacity(len.min(bytes.len()));
            for _ in 0..len {
                let e = r.number()? as u64;
                if e >> 3 >= tokens {
                    return None;
                }
                list.push(e as u32);
            }
            r.rest
                .is_empty()
                .then(|| (file.to_string(), (inputs, Arc::from(list))))
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

fn leb(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(head)
    }

    /// A LEB128 number of at most 35 bits: no count or token number the
    /// cache holds is bigger.
    fn number(&mut self) -> Option<usize> {
        if let Some((&b, rest)) = self.rest.split_first()
            && b < 0x80
        {
            self.rest = rest;
            return Some(usize::from(b));
        }
        let mut n = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return usize::try_from(n).ok();
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Cached {
        let mut cached = Cached::default();
        let a = cached.vocab.cjk(u64::from('群') << 32 | u64::from('规'));
        let b = cached.vocab.word("rust");
        let unused = cached.vocab.word("gone");
        let c = cached.vocab.cjk(u64::from('群') << 32);
        assert_eq!((a, b, unused, c), (0, 1, 2, 3));
        cached
            .pages
            .insert("a.md".into(), (7, Arc::from(vec![a << 3 | 1, c << 3 | 4])));
        cached
            .pages
            .insert("b.md".into(), (9, Arc::from(vec![b << 3 | 2])));
        cached.changed = true;
        cached
    }

    /// The tokens of a page, by name.
    fn names(cached: &Cached, file: &str) -> Vec<(Name, u32)> {
        cached.pages[file]
            .1
            .iter()
            .map(|&e| (cached.vocab.names[(e >> 3) as usize].clone(), e & 7))
            .collect()
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
            assert_eq!(back.pages[file].0, cached.pages[file].0);
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
