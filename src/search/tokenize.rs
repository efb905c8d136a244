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
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Whether `c` is never changed by NFKC and never composes with what is
/// around it: text may be cut into NFKC segments before such a character.
fn is_stable(c: char) -> bool {
    c.is_ascii() || matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// NFKC of `text`, fast for what knowledge bases are made of: runs of ASCII
/// and CJK ideographs are copied; only the pieces between them (accents,
/// full-width punctuation, other scripts) go through the normalizer. Each
/// piece is cut where [`is_stable`] says composition cannot reach across,
/// so the result equals NFKC of the whole text.
fn nfkc(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut piece_start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_stable = chars.peek().is_none_or(|&(_, n)| is_stable(n));
        let simple = is_stable(c) && next_stable;
        match (simple, piece_start) {
            (true, None) => out.push(c),
            (true, Some(start)) => {
                push_nfkc(&text[start..i], &mut out);
                piece_start = None;
                out.push(c);
            }
            (false, None) => piece_start = Some(i),
            (false, Some(_)) => {}
        }
        // A piece ends before a stable character.
        if let (Some(start), true) = (piece_start, next_stable) {
            let end = chars.peek().map_or(text.len(), |&(n, _)| n);
            push_nfkc(&text[start..end], &mut out);
            piece_start = None;
        }
    }
    out
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
    let lower = nfkc(text).to_lowercase();
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
        out.push(Token {
            text: t.to_string(),
            pos,
        })
    });
    out
}

/// Calls `f` with each token of `text` and its position, without
/// allocating per token: indexing a big site makes tens of millions.
pub(crate) fn for_each_token(text: &str, fold: &Fold, mode: Mode, mut f: impl FnMut(&str, u32)) {
    // Folding happens character by character below (CJK runs are the only
    // characters it changes), not as a pass of its own.
    let text = nfkc(text).to_lowercase();
    let mut pos: u32 = 0;
    let mut word_start: Option<usize> = None;
    let mut run: Vec<char> = Vec::new();
    let mut buf = String::new();
    let flush_run =
        |run: &mut Vec<char>, pos: &mut u32, f: &mut dyn FnMut(&str, u32), buf: &mut String| {
            let n = run.len();
            for i in 0..n {
                let at = *pos + i as u32;
                if mode == Mode::Index || n == 1 {
                    buf.clear();
                    buf.push(run[i]);
                    f(buf, at);
                }
                if i + 1 < n {
                    buf.clear();
                    buf.push(run[i]);
                    buf.push(run[i + 1]);
                    f(buf, at);
                }
            }
            *pos += n as u32;
            run.clear();
        };
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(start) = word_start.take() {
                f(&text[start..i], pos);
                pos += 1;
            }
            run.push(fold.char(c));
        } else if is_word(c) {
            flush_run(&mut run, &mut pos, &mut f, &mut buf);
            word_start.get_or_insert(i);
        } else {
            if let Some(start) = word_start.take() {
                f(&text[start..i], pos);
                pos += 1;
            }
            flush_run(&mut run, &mut pos, &mut f, &mut buf);
        }
    }
    if let Some(start) = word_start.take() {
        f(&text[start..], pos);
    }
    flush_run(&mut run, &mut pos, &mut f, &mut buf);
}
