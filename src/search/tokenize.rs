//! The search tokenizer. The browser runs the same steps in
//! `themes/default/static/search.js`; `tests/search/vectors.json` holds
//! inputs and the tokens both must give, checked on both sides.
//!
//! 1. NFKC (full-width and half-width forms fold together), then lower case.
//! 2. Traditional characters fold to Simplified, one character at a time,
//!    with OpenCC's table (see [`super::fold`]).
//! 3. Runs of letters, digits and marks are words. Runs of CJK characters
//!    (Han, kana, Hangul) become overlapping bigrams, so any substring of
//!    two or more characters is found without a dictionary; the index
//!    also holds each single character, for one-character queries.
//!    Everything else separates tokens.
//!
//! Positions count words and CJK characters, so nearness is comparable
//! across scripts.

use std::sync::atomic::{AtomicU32, Ordering};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::fold::Fold;
use super::swar;

/// One token and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) text: String,
    pub(crate) pos: u32,
}

/// For an index (bigrams and single characters) or for a query (bigrams,
/// or the character itself when a run has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// What the index holds, the definition the shared vectors state. The
    /// index itself is made from `Query` tokens, each other character's
    /// pages gathered from its bigrams' (see `search::index`).
    #[cfg_attr(not(test), allow(dead_code))]
    Index,
    /// Queries are tokenized in the browser; the shared vectors check this
    /// mode on both sides.
    Query,
}

use super::cjk::is_cjk;

/// Letters, digits and marks: what words are made of. Looked up once per
/// character a site has (see [`Simple`]), and per character of the rare
/// text that needs NFKC as a whole.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// CJK ideographs of the Basic Multilingual Plane: stable under NFKC and
/// without case.
const fn ideograph(u: u32) -> bool {
    // 0x3400..=0x4DBF and 0x4E00..=0x9FFF: the gap between is 64 wide.
    let (start, end) = (IDEOGRAPHS.start, IDEOGRAPHS.end);
    u.wrapping_sub(start) < end - start && u.wrapping_sub(0x4DC0) >= 0x40
}

/// The code points [`ideograph`] may be: what the tokenizer reads from
/// the bytes and folds from its own table (see `Fold::ideograph`).
pub(super) const IDEOGRAPHS: std::ops::Range<u32> = 0x3400..0xA000;

/// A character's class in the tokenizer's table (the top two bits; the
/// rest is the character it becomes). 0: it depends on its neighbours.
const CLASS: u32 = 3 << 30;
const SEPARATOR: u32 = 1 << 30;
const WORD: u32 = 2 << 30;
const CJK: u32 = 3 << 30;

/// What a normalized, lower-cased character is to the tokenizer, folded
/// when CJK.
fn class_of(c: char, fold: &Fold) -> u32 {
    if is_cjk(c) {
        CJK | fold.char(c) as u32
    } else if is_word(c) {
        WORD | c as u32
    } else {
        SEPARATOR | c as u32
    }
}

/// What `c` becomes through steps 1 and 2 and its class, when that holds
/// wherever it stands: its NFKC is one character that neither composes
/// with a neighbour nor is reordered, and lower-casing it needs no context
/// (Σ does: final sigma). 0 otherwise.
fn simple(c: char, fold: &Fold) -> u32 {
    use unicode_normalization::char::canonical_combining_class as ccc;
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    let mut nfkc = std::iter::once(c).nfkc();
    let (Some(d), None) = (nfkc.next(), nfkc.next()) else {
        return 0;
    };
    let composes_backwards = |c: char| is_nfkc_quick(std::iter::once(c)) == IsNormalized::Maybe;
    if ccc(c) != 0 || ccc(d) != 0 || composes_backwards(c) || composes_backwards(d) || d == 'Σ' {
        return 0;
    }
    let mut lower = d.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => class_of(l, fold),
        _ => 0,
    }
}

/// An entry of [`Simple`] not worked out yet: no character's class and
/// value (a class's value is a `char`, below 2^21).
const UNKNOWN: u32 = u32::MAX;

/// [`simple`] for the characters of the Basic Multilingual Plane, each
/// worked out the first time a text has it: a site's text has a few
/// thousand of them, and working out all 65,536 (NFKC and case of each)
/// took longer than indexing a small site. Shared by the threads that
/// tokenize; two working out the same character store the same value.
pub(super) struct Simple(Box<[AtomicU32]>);

impl Default for Simple {
    fn default() -> Self {
        Simple((0..0x1_0000).map(|_| AtomicU32::new(UNKNOWN)).collect())
    }
}

impl Simple {
    /// [`simple`] of the BMP character `u`; 0 (complex) for any other.
    #[inline]
    fn get(&self, u: u32, fold: &Fold) -> u32 {
        // Relaxed: the value is the same whoever stores it.
        match self.0.get(u as usize).map(|v| v.load(Ordering::Relaxed)) {
            Some(UNKNOWN) => self.work_out(u, fold),
            Some(v) => v,
            None => 0,
        }
    }

    /// Works out and stores `u`'s entry: once per character a site has.
    #[cold]
    #[inline(never)]
    fn work_out(&self, u: u32, fold: &Fold) -> u32 {
        let v = char::from_u32(u).map_or(0, |c| simple(c, fold));
        if let Some(entry) = self.0.get(u as usize) {
            entry.store(v, Ordering::Relaxed);
        }
        v
    }
}

/// Buffers one thread reuses for every text it tokenizes.
#[derive(Default)]
struct Scratch {
    /// Table values of the current chunk.
    chunk: Vec<u32>,
    word: String,
    slow: String,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Steps 1 and 2: the text as the index sees it. The definition the fast
/// path in [`for_each_token`] is tested against.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn normalize(text: &str, fold: &Fold) -> String {
    let lower = text.nfkc().collect::<String>().to_lowercase();
    lower
        .chars()
        .map(|c| if is_cjk(c) { fold.char(c) } else { c })
        .collect()
}

/// The tokens of `text`.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn tokenize(text: &str, fold: &Fold, mode: Mode) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, fold, mode, |t: Tok<'_>, pos| {
        out.push(Token {
            text: t.text(),
            pos,
        })
    });
    out
}

/// A token as [`for_each_token`] hands it over: a word's text, or one or
/// two CJK characters as the number the index keys them by (`a << 32 |
/// b`, `b` 0 for a character alone), never written out as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    Word(&'a str),
    Cjk(u64),
}

impl Tok<'_> {
    /// The token as text, as the browser sees it.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn text(self) -> String {
        match self {
            Tok::Word(w) => w.to_string(),
            Tok::Cjk(key) => cjk_chars(key).collect(),
        }
    }
}

/// The one or two characters of a CJK token's key (see [`Tok::Cjk`]).
pub(crate) fn cjk_chars(key: u64) -> impl Iterator<Item = char> {
    [key >> 32, key & 0xffff_ffff]
        .into_iter()
        .filter(|&u| u != 0)
        .filter_map(|u| char::from_u32(u as u32))
}

/// What receives tokens: a closure taking each [`Tok`] and its position,
/// or a type with a method per kind, so that the call made for every CJK
/// character stays small enough to be inlined into the tokenizer's loop.
pub(crate) trait Sink {
    /// A word and its position.
    fn word(&mut self, word: &str, pos: u32);
    /// A CJK token's key (see [`Tok::Cjk`]) and its position.
    fn cjk(&mut self, key: u64, pos: u32);
}

impl<F: FnMut(Tok<'_>, u32)> Sink for F {
    fn word(&mut self, word: &str, pos: u32) {
        self(Tok::Word(word), pos)
    }

    fn cjk(&mut self, key: u64, pos: u32) {
        self(Tok::Cjk(key), pos)
    }
}

/// Hands `f` each token of `text` and its position, without allocating
/// per token: indexing a big site makes tens of millions.
pub(crate) fn for_each_token(text: &str, fold: &Fold, mode: Mode, f: impl Sink) {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => tokens_with(&mut scratch, text, fold, mode, f),
        // Only if `f` tokenizes too: then with buffers of its own.
        Err(_) => tokens_with(&mut Scratch::default(), text, fold, mode, f),
    });
}

fn tokens_with<F: Sink>(scratch: &mut Scratch, text: &str, fold: &Fold, mode: Mode, f: F) {
    // The text is cut into chunks at ASCII white space and ideographs:
    // both survive NFKC and lower-casing as they are, never compose with
    // a neighbour and end the context of a final sigma, so each chunk
    // normalizes on its own as it would in the whole. A chunk of ASCII
    // alone (most of English text) is read from its bytes; a chunk whose
    // every character the table knows is read from the table; any other
    // chunk (decomposed accents, Σ, ligatures, characters beyond the BMP)
    // goes through NFKC and lower-casing as a string. ASCII and ideographs
    // are read from the bytes: the text is valid UTF-8, so a lead byte
    // says how long its character is. CJK punctuation between ideographs
    // is a chunk of its own (see `separator_at`).
    let table = &fold.simple;
    let Scratch { chunk, word, slow } = scratch;
    chunk.clear();
    word.clear();
    let mut out = Emit::new(word, mode, f);
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            if BYTE[usize::from(b)] & SPACE != 0 {
                out.end_word();
                out.end_run();
                i += 1;
                continue;
            }
            // Eight bytes at a time while they are lower-case letters and
            // digits (most of English text), then a byte at a time.
            let mut end = i;
            while let Some(block) = bytes.get(end..end + 8) {
                let other = not_lower_alnum(swar::load(block));
                end += (other.trailing_zeros() / 8) as usize;
                if other != 0 {
                    break;
                }
            }
            let mut seen = 0;
            while end < n {
                let class = BYTE[usize::from(bytes[end])];
                if class & STOP != 0 {
                    break;
                }
                seen |= class;
                end += 1;
            }
            if end == n || bytes[end] < 0x80 || ideograph_at(bytes, end).is_some() {
                let chunk = &text[i..end];
                if seen & OTHER == 0 {
                    out.ascii_word(chunk, seen & UPPER != 0);
                } else {
                    out.ascii(chunk);
                }
                // A space after a word ends nothing more: skipped here
                // rather than in a turn of the loop of its own.
                i = end + usize::from(bytes.get(end) == Some(&b' '));
                continue;
            }
        } else if let Some(u) = ideograph_at(bytes, i) {
            // A run of ideographs (most of Chinese text): each is a token
            // of its own kind, unchanged by NFKC and case, only folded.
            out.end_word();
            let mut u = u;
            loop {
                out.cjk(fold.ideograph(u));
                i += 3;
                match ideograph_at(bytes, i) {
                    Some(next) => u = next,
                    None => break,
                }
            }
            continue;
        } else if separator_at(bytes, i, table, fold) {
            // CJK punctuation between ideographs (or before ASCII): it only
            // separates tokens, whatever stands around it.
            out.end_word();
            out.end_run();
            i += 3;
            continue;
        }
        // Any other chunk: up to the next ASCII white space or ideograph.
        let start = i;
        let mut complex = false;
        for c in text[start..].chars() {
            if c.is_ascii_whitespace() || ideograph(c as u32) {
                break;
            }
            // Beyond the BMP: never in the table, so complex.
            if !complex {
                match table.get(c as u32, fold) {
                    0 => complex = true,
                    v => chunk.push(v),
                }
            }
            i += c.len_utf8();
        }
        if complex {
            slow.clear();
            slow.extend(text[start..i].nfkc());
            for c in slow.to_lowercase().chars() {
                out.feed(class_of(c, fold));
            }
        } else {
            for &v in chunk.iter() {
                out.feed(v);
            }
        }
        chunk.clear();
    }
    out.end_word();
    out.end_run();
}

/// [`BYTE`] bits: ASCII letters and digits, capitals, other ASCII (not
/// white space), ASCII white space, and what ends a chunk of ASCII (white
/// space and any byte of a character beyond ASCII).
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const OTHER: u8 = 4;
const SPACE: u8 = 8;
const STOP: u8 = 16;

/// What each byte is to the tokenizer's ASCII loops: one lookup in place
/// of a chain of comparisons.
static BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            ALNUM
        } else if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c.is_ascii_whitespace() {
            SPACE | STOP
        } else if c >= 0x80 {
            STOP
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// The high bit of each byte of `x` (eight bytes of text) that is not an
/// ASCII lower-case letter or digit. Above the first such byte the bits
/// may be wrong (a byte from 0x80 carries into the next): only the lowest
/// is read.
#[inline]
fn not_lower_alnum(x: u64) -> u64 {
    use swar::at_least;
    let lower = at_least(x, b'a') & !at_least(x, b'z' + 1);
    let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
    (!(lower | digit) | x) & swar::HIGH
}

/// The ideograph whose UTF-8 begins at byte `i`, if one does: their lead
/// bytes are 0xE3 to 0xE9, all three bytes long.
#[inline]
fn ideograph_at(bytes: &[u8], i: usize) -> Option<u32> {
    match bytes.get(i..i + 3) {
        Some(&[a, b, c]) if (0xE3..=0xE9).contains(&a) => {
            let u = u32::from(a & 0x0F) << 12 | u32::from(b & 0x3F) << 6 | u32::from(c & 0x3F);
            ideograph(u).then_some(u)
        }
        _ => None,
    }
}

/// Whether a three-byte character at byte `i` is a chunk of its own that
/// only separates tokens (most CJK punctuation): the table says it is a
/// separator wherever it stands, and what follows it cannot compose with
/// it (ASCII, an ideograph or the end). Before it stands white space, an
/// ideograph or the start, so no cased letter makes it a final sigma's
/// context either.
#[inline]
fn separator_at(bytes: &[u8], i: usize, table: &Simple, fold: &Fold) -> bool {
    let Some(&[a @ 0xE0..=0xEF, b, c]) = bytes.get(i..i + 3) else {
        return false;
    };
    let u = u32::from(a & 0x0F) << 12 | u32::from(b & 0x3F) << 6 | u32::from(c & 0x3F);
    let next_is_safe = match bytes.get(i + 3) {
        None => true,
        Some(&next) => next < 0x80 || ideograph_at(bytes, i + 3).is_some(),
    };
    next_is_safe && table.get(u, fold) & CLASS == SEPARATOR
}

/// Turns classified characters into tokens.
struct Emit<'s, F> {
    pos: u32,
    word: &'s mut String,
    /// The CJK run being read: its last character and its length so far.
    /// Each bigram is made as its second character arrives.
    last: u32,
    run: u32,
    mode: Mode,
    f: F,
}

impl<'s, F: Sink> Emit<'s, F> {
    fn new(word: &'s mut String, mode: Mode, f: F) -> Self {
        Emit {
            pos: 0,
            word,
            last: 0,
            run: 0,
            mode,
            f,
        }
    }

    fn feed(&mut self, v: u32) {
        match v & CLASS {
            CJK => {
                self.end_word();
                self.cjk(v & !CLASS);
            }
            WORD => {
                self.end_run();
                self.word.push(char::from_u32(v & !CLASS).unwrap_or(' '));
            }
            _ => {
                self.end_word();
                self.end_run();
            }
        }
    }

    /// One more character of a CJK run: the bigram it ends, then (for an
    /// index) itself, in the order of their first characters.
    #[inline]
    fn cjk(&mut self, c: u32) {
        if self.run > 0 {
            self.f
                .cjk(u64::from(self.last) << 32 | u64::from(c), self.pos - 1);
        }
        if self.mode == Mode::Index {
            self.f.cjk(u64::from(c) << 32, self.pos);
        }
        self.last = c;
        self.run += 1;
        self.pos += 1;
    }

    /// A chunk of ASCII, none of it white space: what feeding it a
    /// character at a time gives (letters and digits make words, in lower
    /// case; anything else separates them), without copying a word that
    /// is in lower case already.
    fn ascii(&mut self, chunk: &str) {
        self.end_word();
        self.end_run();
        let bytes = chunk.as_bytes();
        let n = bytes.len();
        let mut k = 0;
        loop {
            while k < n && BYTE[usize::from(bytes[k])] & ALNUM == 0 {
                k += 1;
            }
            if k == n {
                return;
            }
            let start = k;
            let mut seen = 0;
            while k < n {
                let class = BYTE[usize::from(bytes[k])];
                if class & ALNUM == 0 {
                    break;
                }
                seen |= class;
                k += 1;
            }
            self.emit_ascii(&chunk[start..k], seen & UPPER != 0);
        }
    }

    /// A chunk of ASCII that is one word (`upper`: with capitals).
    #[inline]
    fn ascii_word(&mut self, word: &str, upper: bool) {
        self.end_word();
        self.end_run();
        self.emit_ascii(word, upper);
    }

    /// An ASCII word, handed over as it stands unless it has capitals:
    /// the one place most words are handed over from, so that the sink's
    /// work for a word is inlined here alone.
    #[inline(always)]
    fn emit_ascii(&mut self, word: &str, upper: bool) {
        let word = if upper {
            self.word.push_str(word);
            self.word.make_ascii_lowercase();
            self.word.as_str()
        } else {
            word
        };
        self.f.word(word, self.pos);
        self.pos += 1;
        self.word.clear();
    }

    #[inline]
    fn end_word(&mut self) {
        if !self.word.is_empty() {
            self.hand_over_word();
        }
    }

    /// The word built a character at a time: rarer than ASCII words.
    #[inline(never)]
    fn hand_over_word(&mut self) {
        self.f.word(self.word, self.pos);
        self.pos += 1;
        self.word.clear();
    }

    /// A query's one-character run is the character itself.
    fn end_run(&mut self) {
        if self.run == 1 && self.mode == Mode::Query {
            self.f.cjk(u64::from(self.last) << 32, self.pos - 1);
        }
        self.run = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `text` normalized as a whole, by the definition.
    fn by_definition(text: &str, fold: &Fold, mode: Mode) -> Vec<(String, u32)> {
        let lower = text.nfkc().collect::<String>().to_lowercase();
        let mut word = String::new();
        let mut got = Vec::new();
        let mut out = Emit::new(&mut word, mode, |t: Tok<'_>, pos| got.push((t.text(), pos)));
        for c in lower.chars() {
            out.feed(class_of(c, fold));
        }
        out.end_word();
        out.end_run();
        got
    }

    fn fast(text: &str, fold: &Fold, mode: Mode) -> Vec<(String, u32)> {
        let mut got = Vec::new();
        for_each_token(text, fold, mode, |t: Tok<'_>, pos| {
            got.push((t.text(), pos))
        });
        got
    }

    /// Characters whose normalization depends on their neighbours, and
    /// the ones around them.
    const TRICKY: &[char] = &[
        'a', 'e', 'E', 'i', 'Z', '1', ' ', '\t', '.', '\'', ':', '-', 'Σ', 'σ', 'ς', 'Ω', 'İ', 'ǅ',
        'ß', 'ẞ', '\u{301}', '\u{308}', '\u{327}', '\u{345}', '\u{200d}', 'é', 'ﬁ', 'Ａ', 'ｚ',
        '，', '　', '。', 'か', '\u{3099}', 'ｶ', 'ﾞ', 'ア', 'ᄀ', 'ᅡ', '가', '群', '規', '规', '〇',
        '豈', '𠀀', '𝐀', '①', '㍿', '½', 'Å', '\u{a0}', 'ǈ', 'ǉ', 'ɐ',
    ];

    /// Mostly lower-case ASCII, for runs long enough to be read eight
    /// bytes at a time, with each side of the ranges that reading tests
    /// and what ends or breaks a run.
    const ASCII_RUNS: &[char] = &[
        'a', 'b', 'm', 'y', 'z', '0', '5', '9', 'a', 'e', 'o', 'n', 't', '`', '{', '/', ':', '@',
        '[', 'A', 'Z', '\u{7f}', ' ', '\n', '.', '\u{80}', 'é', '\u{301}', 'Σ', '群', '，',
    ];

    #[test]
    fn the_fast_path_equals_normalizing_the_whole_text() {
        let fold = Fold::opencc();
        // A fixed pseudo-random walk: reproducible, and over 100,000
        // strings every neighbour of every tricky character is met.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for k in 0..100_000 {
            let (chars, len) = match k % 2 {
                0 => (TRICKY, next() % 9),
                _ => (ASCII_RUNS, next() % 25),
            };
            let text: String = (0..len)
                .map(|_| chars[(next() % chars.len() as u64) as usize])
                .collect();
            for mode in [Mode::Index, Mode::Query] {
                assert_eq!(
                    fast(&text, fold, mode),
                    by_definition(&text, fold, mode),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn punctuation_read_on_its_own_equals_the_definition() {
        let fold = Fold::opencc();
        // What follows may compose with the punctuation's NFKC (＝ and
        // U+0338 make ≠), and a final sigma looks past case-ignorable
        // punctuation (U+FF0E).
        for text in [
            "群，规",
            "群，",
            "，群",
            "a，b",
            "＝\u{338}",
            "群＝\u{338}",
            "＜\u{338}x",
            "aΣ．b",
            " Σ．b",
            "群．Σ",
            "“群”。",
            "。。",
            "群、ｂ",
        ] {
            for mode in [Mode::Index, Mode::Query] {
                assert_eq!(
                    fast(text, fold, mode),
                    by_definition(text, fold, mode),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn every_bmp_character_in_company_equals_the_definition() {
        let fold = Fold::opencc();
        for u in 0..0x1_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            for text in [
                format!("{c}"),
                format!("a{c}b"),
                format!("Σ{c}"),
                format!("a{c}Σ"),
                format!("{c}\u{301}"),
                format!("群{c}\u{3099}"),
                format!(" {c}{c} "),
            ] {
                assert_eq!(
                    fast(&text, fold, Mode::Index),
                    by_definition(&text, fold, Mode::Index),
                    "U+{u:04X} in {text:?}"
                );
            }
        }
    }
}
