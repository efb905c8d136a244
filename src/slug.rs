//! Slugs: the URL-safe names of pages, sections, tags and heading anchors.
//!
//! Unicode slugs keep letters and digits of every script, so `冲突处理`
//! stays `冲突处理` and `Code of Conduct` becomes `code-of-conduct`; ASCII
//! slugs transliterate first (`冲突处理` → `chong-tu-chu-li`).

use crate::config::SlugStyle;

/// Slugifies `text`: lowercase, letters and digits kept, every other run of
/// characters one `-`, no `-` at either end.
pub(crate) fn slugify(text: &str, style: SlugStyle) -> String {
    match style {
        SlugStyle::Unicode => collapse(text.chars(), |c| c.is_alphanumeric() || c == '_'),
        SlugStyle::Ascii => {
            let ascii = deunicode::deunicode(text);
            collapse(ascii.chars(), |c| c.is_ascii_alphanumeric() || c == '_')
        }
    }
}

/// A heading's anchor as GitHub makes it, so `#anchors` written against a
/// repository's rendering work on the site: lower case; letters, digits
/// and marks of every script kept (a Devanagari or Tamil word is not split
/// at its virama; ZWJ and ZWNJ stay); each space a `-`, with no
/// collapsing; `-` and `_` kept; every other character (punctuation,
/// full-width punctuation, symbols) dropped. `2.1 Expected` → `21-expected`.
pub(crate) fn heading_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == ' ' {
            out.push('-');
        } else if c.is_alphanumeric()
            || unicode_normalization::char::is_combining_mark(c)
            || matches!(c, '-' | '_' | '\u{200c}' | '\u{200d}')
        {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn collapse(chars: impl Iterator<Item = char>, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in chars {
        if keep(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Whether `c` is a CJK ideograph, kana, hangul or CJK punctuation: text
/// in which words are not separated by spaces.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF       // Hangul Jamo
        | 0x2E80..=0x2FDF     // CJK radicals
        | 0x3000..=0x303F     // CJK symbols and punctuation
        | 0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3100..=0x312F     // Bopomofo
        | 0x3130..=0x318F     // Hangul compatibility Jamo
        | 0x31A0..=0x31FF     // Bopomofo ext, Katakana ext
        | 0x3400..=0x4DBF     // CJK ext A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFE30..=0xFE4F     // CJK compatibility forms
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x2FA1F   // CJK ext B..F, compatibility supplement
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_as_github_makes_them() {
        for (text, id) in [
            ("2.1 Expected", "21-expected"),
            ("C++ & Rust", "c--rust"),
            ("What's new?", "whats-new"),
            ("活动收费吗？", "活动收费吗"),
            ("冲突处理（草案）", "冲突处理草案"),
            ("हिन्दी भाषा", "हिन्दी-भाषा"),
            ("தமிழ் மொழி", "தமிழ்-மொழி"),
            ("می\u{200c}خواهم", "می\u{200c}خواهم"),
            ("snake_case and-dash", "snake_case-and-dash"),
        ] {
            assert_eq!(heading_id(text), id, "{text}");
        }
    }

    #[test]
    fn unicode_keeps_chinese() {
        assert_eq!(slugify("冲突处理", SlugStyle::Unicode), "冲突处理");
        assert_eq!(slugify("群规 v2：总则", SlugStyle::Unicode), "群规-v2-总则");
        assert_eq!(
            slugify("  Code of Conduct! ", SlugStyle::Unicode),
            "code-of-conduct"
        );
        assert_eq!(slugify("衝突處理", SlugStyle::Unicode), "衝突處理");
    }

    #[test]
    fn ascii_transliterates() {
        assert_eq!(slugify("冲突处理", SlugStyle::Ascii), "chong-tu-chu-li");
        assert_eq!(slugify("Café Rules", SlugStyle::Ascii), "cafe-rules");
    }

    #[test]
    fn cjk_detection() {
        assert!(is_cjk('冲'));
        assert!(is_cjk('。'));
        assert!(!is_cjk('a'));
        assert!(!is_cjk('é'));
    }
}
