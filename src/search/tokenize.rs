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

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::fold::Fold;

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
    Index,
    /// Queries are tokenized in the browser; the shared vectors check this
    /// mode on both sides.
    #[cfg_attr(not(test), allow(dead_code))]
    Query,
}

/// Whether `c` is written without spaces between words: CJK ideographs
/// (with extensions and compatibility forms), kana, Hangul syllables.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_word(c: char) -> bool {
    // Looked up for every character; the Unicode tables behind
    // `is_alphanumeric` are slow for the CJK punctuation between words.
    static BMP: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    if u > 0xFFFF {
        return word_slow(c);
    }
    let bits = BMP.get_or_init(|| {
        let mut bits = vec![0u64; 1024];
        for u in 0..=0xFFFFu32 {
            if char::from_u32(u).is_some_and(word_slow) {
                bits[(u / 64) as usize] |= 1 << (u % 64);
            }
        }
        bits
    });
    bits[(u / 64) as usize] & (1 << (u % 64)) != 0
}

fn word_slow(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Whether `c` is never changed by NFKC and never composes with what is
/// around it: text may be cut into NFKC segments before such a character.
fn is_stable(c: char) -> bool {
    c.is_ascii() || is_ideograph(c)
}

/// CJK ideographs of the Basic Multilingual Plane: stable under NFKC and
/// without case.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// NFKC of `text`, onto `out`; fast for what knowledge bases are made of: runs of ASCII
/// and CJK ideographs are copied; only the pieces between them (accents,
/// full-width punctuation, other scripts) go through the normalizer. Each
/// piece is cut where [`is_stable`] says composition cannot reach across,
/// so the result equals NFKC of the whole text.
fn nfkc_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.push_str(text);
        return;
    }
    let mut piece_start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_stable = chars.peek().is_none_or(|&(_, n)| is_stable(n));
        let simple = is_stable(c) && next_stable;
        match (simple, piece_start) {
            (true, None) => out.push(c),
            (true, Some(start)) => {
                push_nfkc(&text[start..i], out);
                piece_start = None;
                out.push(c);
            }
            (false, None) => piece_start = Some(i),
            (false, Some(_)) => {}
        }
        // A piece ends before a stable character.
        if let (Some(start), true) = (piece_start, next_stable) {
            let end = chars.peek().map_or(text.len(), |&(n, _)| n);
            push_nfkc(&text[start..end], out);
            piece_start = None;
        }
    }
}

/// Lower case of `text` into `out`, as `str::to_lowercase` gives it.
/// CJK ideographs have no case and never change a neighbour's (they are
/// neither cased nor case-ignorable, so a final sigma reads the same), so
/// the text is lowered between them, and pieces that lowering leaves alone
/// are copied without a new string.
fn lowercase_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
        return;
    }
    let mut rest = text;
    while !rest.is_empty() {
        let cut = rest
            .char_indices()
            .find(|&(_, c)| is_ideograph(c))
            .map_or(rest.len(), |(i, _)| i);
        let piece = &rest[..cut];
        let unchanged = piece.chars().all(|c| {
            if c.is_ascii() {
                return !c.is_ascii_uppercase();
            }
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        });
        if unchanged {
            out.push_str(piece);
        } else {
            out.push_str(&piece.to_lowercase());
        }
        rest = &rest[cut..];
        let ideographs = rest
            .char_indices()
            .find(|&(_, c)| !is_ideograph(c))
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&rest[..ideographs]);
        rest = &rest[ideographs..];
    }
}

/// Buffers one thread reuses for every text it tokenizes.
#[derive(Default)]
struct Scratch {
    nfkc: String,
    lower: String,
    run: Vec<char>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

fn push_nfkc(piece: &str, out: &mut String) {
    if unicode_normalization::is_nfkc_quick(piece.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        out.push_str(piece);
    } else {
        out.extend(piece.nfkc());
    }
}

/// Steps 1 and 2: the text as the index sees it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn normalize(text: &str, fold: &Fold) -> String {
    let mut nfkc = String::with_capacity(text.len());
    nfkc_into(text, &mut nfkc);
    let lower = nfkc.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    lower.chars().map(|c| fold.char(c)).collect()
}

/// The tokens of `text`.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn tokenize(text: &str, fold: &Fold, mode: Mode) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, fold, mode, |t, pos| {
        let text = match t {
            Tok::Word(w) => w.to_string(),
            Tok::Cjk(a, b) => [Some(a), b].into_iter().flatten().collect(),
        };
        out.push(Token { text, pos })
    });
    out
}

/// A token as [`for_each_token`] hands it over: a word's text, or one or
/// two CJK characters as they are (the index keys those by number, so
/// they are never written out as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    Word(&'a str),
    Cjk(char, Option<char>),
}

/// Calls `f` with each token of `text` and its position, without
/// allocating per token: indexing a big site makes tens of millions.
pub(crate) fn for_each_token(text: &str, fold: &Fold, mode: Mode, f: impl FnMut(Tok<'_>, u32)) {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => tokens_with(&mut scratch, text, fold, mode, f),
        // Only if `f` tokenizes too: then with buffers of its own.
        Err(_) => tokens_with(&mut Scratch::default(), text, fold, mode, f),
    });
}

fn tokens_with(
    scratch: &mut Scratch,
    text: &str,
    fold: &Fold,
    mode: Mode,
    mut f: impl FnMut(Tok<'_>, u32),
) {
    // Folding happens character by character below (CJK runs are the only
    // characters it changes), not as a pass of its own.
    let Scratch { nfkc, lower, run } = scratch;
    nfkc.clear();
    lower.clear();
    run.clear();
    nfkc_into(text, nfkc);
    lowercase_into(nfkc, lower);
    let text = lower.as_str();
    let mut pos: u32 = 0;
    let mut word_start: Option<usize> = None;
    let flush_run = |run: &mut Vec<char>, pos: &mut u32, f: &mut dyn FnMut(Tok<'_>, u32)| {
        let n = run.len();
        for i in 0..n {
            let at = *pos + i as u32;
            if mode == Mode::Index || n == 1 {
                f(Tok::Cjk(run[i], None), at);
            }
            if i + 1 < n {
                f(Tok::Cjk(run[i], Some(run[i + 1])), at);
            }
        }
        *pos += n as u32;
        run.clear();
    };
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(start) = word_start.take() {
                f(Tok::Word(&text[start..i]), pos);
                pos += 1;
            }
            run.push(fold.char(c));
        } else if is_word(c) {
            flush_run(run, &mut pos, &mut f);
            word_start.get_or_insert(i);
        } else {
            if let Some(start) = word_start.take() {
                f(Tok::Word(&text[start..i]), pos);
                pos += 1;
            }
            flush_run(run, &mut pos, &mut f);
        }
    }
    if let Some(start) = word_start.take() {
        f(Tok::Word(&text[start..]), pos);
    }
    flush_run(run, &mut pos, &mut f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowering_in_pieces_equals_lowering_the_whole() {
        for text in [
            "ΟΔΟΣ 群規ΟΔΟΣ群規 ΣA Σ群 aΣ群b",
            "İstanbul ǅemal ẞ 社区RULES，规则。ＡＢＣ",
            "ὈΔΥΣΣΕΎΣ 𠀀Σ 々Σ",
            "",
            "plain ascii TEXT",
        ] {
            let mut out = String::from("kept ");
            lowercase_into(text, &mut out);
            assert_eq!(out, format!("kept {}", text.to_lowercase()), "{text}");
        }
    }

    #[test]
    fn the_word_table_agrees_with_unicode() {
        for u in (0..0x11000u32).step_by(7) {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_word(c), word_slow(c), "{u:#x}");
            }
        }
    }
}
