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

/// Steps 1 and 2: the text as the index sees it.
pub(crate) fn normalize(text: &str, fold: &Fold) -> String {
    let nfkc: String = if text.is_ascii() {
        text.to_string()
    } else {
        text.nfkc().collect()
    };
    let lower = nfkc.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    lower.chars().map(|c| fold.char(c)).collect()
}

/// The tokens of `text`.
pub(crate) fn tokenize(text: &str, fold: &Fold, mode: Mode) -> Vec<Token> {
    let text = normalize(text, fold);
    let mut out = Vec::new();
    let mut pos: u32 = 0;
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<Token>, pos: &mut u32| {
        if !word.is_empty() {
            out.push(Token {
                text: std::mem::take(word),
                pos: *pos,
            });
            *pos += 1;
        }
    };
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<Token>, pos: &mut u32| {
        let n = run.len();
        for i in 0..n {
            let at = *pos + i as u32;
            if mode == Mode::Index || n == 1 {
                out.push(Token {
                    text: run[i].to_string(),
                    pos: at,
                });
            }
            if i + 1 < n {
                out.push(Token {
                    text: [run[i], run[i + 1]].iter().collect(),
                    pos: at,
                });
            }
        }
        *pos += n as u32;
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out, &mut pos);
            run.push(c);
        } else if is_word(c) {
            flush_run(&mut run, &mut out, &mut pos);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out, &mut pos);
            flush_run(&mut run, &mut out, &mut pos);
        }
    }
    flush_word(&mut word, &mut out, &mut pos);
    flush_run(&mut run, &mut out, &mut pos);
    out
}
