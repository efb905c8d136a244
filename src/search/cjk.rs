//! What the search tokenizer calls CJK. On its own, with nothing to
//! import, because `build.rs` reads it too: the Traditional → Simplified
//! table it makes covers exactly these characters.

/// Whether `c` is written without spaces between words: CJK ideographs
/// (with extensions and compatibility forms), kana, Hangul syllables.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}
