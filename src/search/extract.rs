//! A page's searchable parts, read from its rendered body: the text before
//! the first heading, each heading-level part (an FAQ's questions are its
//! headings) and each rule, with the anchor a result links to.
//!
//! Only the body is read, never the theme's chrome: menus, breadcrumbs and
//! tables of contents are not in it.

use std::borrow::Cow;

use super::swar::padded;

/// One result-sized part of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// Anchor without `#`; empty for the top of the page.
    pub(crate) anchor: String,
    /// The heading, or the rule's number; empty for the top of the page.
    pub(crate) heading: String,
    /// Plain text.
    pub(crate) text: String,
}

/// Splits body HTML into parts. The HTML is almanac's own (from PARSE), so
/// a small scanner suffices: tags are well formed and attributes quoted.
pub(crate) fn parts(html: &str) -> Vec<Part> {
    let mut parts = Parts::default();
    parts.html(html);
    parts.finish()
}

/// Parts as they are read. PARSE feeds it a body's Markdown events as it
/// renders them (text as text, almanac's own markup and raw HTML as HTML),
/// so the index never scans rendered pages.
pub(crate) struct Parts {
    parts: Vec<Part>,
    /// The part text goes to.
    current: usize,
    /// Inside a heading: its level.
    in_heading: Option<u8>,
    /// Inside a rule's item: the part to return to after its `</li>`, and
    /// the depth of items inside it.
    rule: Option<(usize, usize)>,
    /// Inside script, style, or a rule-number or permalink link.
    skip_depth: usize,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            parts: vec![Part {
                anchor: String::new(),
                heading: String::new(),
                text: String::new(),
            }],
            current: 0,
            in_heading: None,
            rule: None,
            skip_depth: 0,
        }
    }
}

impl Parts {
    /// Visible text, entities already decoded.
    pub(crate) fn text(&mut self, text: &str) {
        if self.skip_depth > 0 || text.is_empty() {
            return;
        }
        let part = &mut self.parts[self.current];
        let out = if self.in_heading.is_some() {
            &mut part.heading
        } else {
            &mut part.text
        };
        push_collapsed(out, text);
    }

    /// A space between blocks.
    pub(crate) fn space(&mut self) {
        space(&mut self.parts[self.current].text);
    }

    /// HTML: its tags and its text, with entities.
    pub(crate) fn html(&mut self, html: &str) {
        let mut rest = html;
        while !rest.is_empty() {
            let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
                self.escaped(rest);
                break;
            };
            self.escaped(&rest[..lt]);
            rest = &rest[lt..];
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            rest = &rest[end..];
            self.tag(&tag_name(tag), tag.starts_with("</"), tag);
        }
    }

    fn escaped(&mut self, raw: &str) {
        if raw.contains('&') {
            self.text(&decode(raw));
        } else {
            self.text(raw);
        }
    }

    /// A heading of `level` opens, with id `anchor`: it begins a part of
    /// its own (unless it is inside a rule's item or has no id).
    pub(crate) fn open_heading(&mut self, level: u8, anchor: &str) {
        if self.rule.is_none() && !anchor.is_empty() {
            self.parts.push(Part {
                anchor: anchor.to_string(),
                heading: String::new(),
                text: String::new(),
            });
            self.current = self.parts.len() - 1;
        }
        self.in_heading = Some(level);
    }

    /// The heading of `level` ends: text goes to the part's text again.
    pub(crate) fn close_heading(&mut self, level: u8) {
        if self.in_heading == Some(level) {
            self.in_heading = None;
            self.space();
        }
    }

    /// A rule's item opens, with id `anchor` (`rule-N`): a part of its
    /// own, headed by its number, until the item ends.
    pub(crate) fn open_rule(&mut self, anchor: &str) {
        self.parts.push(Part {
            anchor: anchor.to_string(),
            heading: anchor.trim_start_matches("rule-").to_string(),
            text: String::new(),
        });
        self.rule = Some((self.current, 0));
        self.current = self.parts.len() - 1;
        self.space();
    }

    /// Any other list item opens.
    pub(crate) fn item(&mut self) {
        if let Some((_, depth)) = &mut self.rule {
            *depth += 1;
        }
        self.space();
    }

    /// A tag: `name` in lower case, `tag` its whole text for its
    /// attributes (`<li>` will do for a tag without any).
    pub(crate) fn tag(&mut self, name: &str, closing: bool, tag: &str) {
        match (name, closing) {
            ("script" | "style", false) => self.skip_depth += 1,
            ("script" | "style", true) => self.skip_depth = self.skip_depth.saturating_sub(1),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => {
                let level = name.as_bytes()[1] - b'0';
                if closing {
                    self.close_heading(level);
                } else {
                    self.open_heading(level, &attr(tag, "id").unwrap_or_default());
                }
            }
            ("li", false) if self.rule.is_none() => {
                match attr(tag, "id").filter(|id| id.starts_with("rule-")) {
                    Some(anchor) => self.open_rule(&anchor),
                    None => self.item(),
                }
            }
            // The rule number and heading permalinks are not text.
            ("a", false)
                if matches!(attr(tag, "class").as_deref(), Some("rule-num" | "anchor")) =>
            {
                self.skip_depth += 1
            }
            ("a", true) if self.skip_depth > 0 => self.skip_depth -= 1,
            _ => self.block(name, closing),
        }
    }

    /// An element whose attributes do not matter here: list items, and
    /// blocks that separate text.
    pub(crate) fn block(&mut self, name: &str, closing: bool) {
        match (name, closing) {
            ("li", false) => self.item(),
            ("li", true) => {
                match &mut self.rule {
                    Some((back, 0)) => {
                        self.current = *back;
                        self.rule = None;
                    }
                    Some((_, depth)) => *depth -= 1,
                    None => {}
                }
                self.space();
            }
            (
                "p" | "div" | "br" | "tr" | "td" | "th" | "ol" | "ul" | "pre" | "blockquote" | "dt"
                | "dd",
                _,
            ) => self.space(),
            _ => {}
        }
    }

    /// The parts: the top of the page first (even when empty: a title
    /// match lands there), then each heading or rule with any text.
    pub(crate) fn finish(self) -> Vec<Part> {
        let mut parts = self.parts;
        for p in &mut parts {
            for s in [&mut p.text, &mut p.heading] {
                if s.ends_with(' ') {
                    s.pop();
                }
            }
        }
        let top = parts.remove(0);
        parts.retain(|p| !p.anchor.is_empty() || !p.text.is_empty());
        parts.insert(0, top);
        parts
    }
}

/// Parts as one text, the way they are kept from PARSE to the index:
/// anchor, heading and text of each, each ended by a NUL, which Markdown
/// never yields (the parser turns it into U+FFFD).
pub(crate) fn encode(parts: &[Part]) -> String {
    let len = parts
        .iter()
        .map(|p| p.anchor.len() + p.heading.len() + p.text.len() + 3)
        .sum();
    let mut text = String::with_capacity(len);
    for p in parts {
        for field in [&p.anchor, &p.heading, &p.text] {
            text.push_str(field);
            text.push('\0');
        }
    }
    text
}

/// The `(anchor, heading, text)` of each part [`encode`] wrote.
pub(crate) fn fields(text: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    // memchr's vector search: a big site's parts are read twice (index and
    // page JSON), and `str::split` scans them a word at a time.
    let mut ends = memchr::memchr_iter(0, text.as_bytes());
    let mut start = 0;
    let mut field = move || {
        let end = ends.next()?;
        let field = text.get(start..end)?;
        start = end + 1;
        Some(field)
    };
    std::iter::from_fn(move || Some((field()?, field()?, field()?)))
}

/// Appends `text` with each run of white space as one space, and none at
/// the start: the parts are made in one pass, with no copy to clean up.
/// Jumps between the bytes that can begin white space (ASCII space and
/// control characters, and four lead bytes), so the text between them is
/// copied as it is, never decoded.
fn push_collapsed(out: &mut String, text: &str) {
    // Leading spaces are one space (or none, at the start of a part).
    let trimmed = text.trim_start_matches(' ');
    if trimmed.len() < text.len() {
        space(out);
    }
    let (text, bytes) = (trimmed, trimmed.as_bytes());
    if !has_space_to_collapse(bytes) {
        out.push_str(text);
        return;
    }
    // Start of the text not copied yet; where the next white space may be.
    let mut start = 0;
    let mut i = 0;
    for (base, mut mask) in may_begin_space_masks(bytes) {
        while mask != 0 {
            let at = base + (mask.trailing_zeros() / 8) as usize;
            mask &= mask - 1;
            if at < i {
                continue;
            }
            // A lone space after text is what collapsing it would write: it
            // stays in the span copied, so English text is copied whole
            // rather than a word at a time.
            if bytes[at] == b' '
                && at > start
                && !bytes.get(at + 1).copied().is_some_and(may_begin_space)
            {
                continue;
            }
            match whitespace_len(text, at) {
                0 => {}
                len => {
                    out.push_str(&text[start..at]);
                    space(out);
                    i = at + len;
                    start = i;
                }
            }
        }
    }
    out.push_str(&text[start..]);
}

/// Whether `bytes` may hold white space other than lone ASCII spaces.
/// English text holds none, and tests of 32 bytes at once, which the
/// compiler turns into vector instructions, spare the jumps between its
/// spaces that [`push_collapsed`] makes otherwise. Every byte that may
/// begin white space is caught, and two spaces in a row. A block that
/// may hold some is looked at again, each byte with the two after it,
/// since CJK punctuation and curly quotes share their lead bytes with
/// U+3000 and U+2000..U+200A.
fn has_space_to_collapse(bytes: &[u8]) -> bool {
    const W: usize = 32;
    let next = bytes.get(1..).unwrap_or_default();
    let (blocks, _) = bytes.as_chunks::<W>();
    let (nexts, _) = next.as_chunks::<W>();
    let whole = nexts.len();
    if (blocks.iter().zip(nexts).enumerate())
        .any(|(n, (a, b))| any_may_begin(a, b) && any_begins(bytes, n * W))
    {
        return true;
    }
    // The last bytes (fewer than 33): one more turn of the same test.
    let last = padded::<{ W + 1 }>(bytes.get(whole * W..).unwrap_or_default());
    let (a, b) = (last.first_chunk::<W>(), last.last_chunk::<W>());
    a.zip(b).is_some_and(|(a, b)| any_may_begin(a, b)) && any_begins(bytes, whole * W)
}

/// Whether any byte of `a` may begin white space, or is a space that the
/// byte at the same place of `b` (the one after it) doubles.
#[inline(always)]
fn any_may_begin(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut any = false;
    for k in 0..32 {
        any |= may_begin(a[k]) | (a[k] == b' ') & (b[k] == b' ');
    }
    any
}

/// Whether [`begins_space`] holds at any of the 32 bytes from `start`.
fn any_begins(bytes: &[u8], start: usize) -> bool {
    let w = padded::<34>(bytes.get(start..).unwrap_or_default());
    let mut any = false;
    for k in 0..32 {
        any |= begins_space(w[k], w[k + 1], w[k + 2]);
    }
    any
}

/// Whether white space other than a lone ASCII space begins with bytes
/// `a`, `b`, `c`: what [`whitespace_len`] matches, without branches, and
/// any control character, and a space followed by a space.
#[inline(always)]
fn begins_space(a: u8, b: u8, c: u8) -> bool {
    (a < 0x20)
        | (a == b' ') & (b == b' ')
        | (a == 0xC2) & ((b == 0x85) | (b == 0xA0))
        | (a == 0xE1) & (b == 0x9A) & (c == 0x80)
        | (a == 0xE2) & (b == 0x80) & ((c <= 0x8A) | (c == 0xA8) | (c == 0xA9) | (c == 0xAF))
        | (a == 0xE2) & (b == 0x81) & (c == 0x9F)
        | (a == 0xE3) & (b == 0x80) & (c == 0x80)
}

/// [`may_begin_space`], and any other control character: fewer tests.
#[inline(always)]
fn may_begin(b: u8) -> bool {
    (b < 0x20) | leads_wide_space(b)
}

/// Whether `b` is the lead byte of a white space character of two or
/// three bytes: U+0085 and U+00A0, U+1680, U+2000..U+205F and U+3000.
#[inline(always)]
const fn leads_wide_space(b: u8) -> bool {
    (b == 0xC2) | (b.wrapping_sub(0xE1) < 3)
}

/// Whether white space (`char::is_whitespace`) can begin with byte `b`:
/// ASCII white space, and the lead bytes of U+0085 and U+00A0, U+1680,
/// U+2000..U+205F and U+3000. Arithmetic, not a table, so that a block of
/// bytes is tested at once.
const fn may_begin_space(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') < 5) | leads_wide_space(b)
}

/// For each block of 8 bytes (the last may be shorter), where it starts
/// and the high bit of each of its bytes that may begin white space: every
/// byte [`may_begin_space`] is marked, and a few others may be (control
/// characters, the lead byte 0xE0, bytes above a marked one), since each
/// is looked at again. Eight bytes are tested at once in a `u64`, with no
/// branch, since text has a candidate every dozen bytes or so.
fn may_begin_space_masks(bytes: &[u8]) -> impl Iterator<Item = (usize, u64)> + '_ {
    use super::swar::{ONES, below, load};
    let blocks = bytes.chunks_exact(8);
    let tail = blocks.remainder();
    let full = blocks.len() * 8;
    let whole = blocks.enumerate().map(move |(n, block)| {
        let x = load(block);
        // Space and control characters; 0xC2; 0xE0 to 0xE3.
        let mask = below(x, 0x21) | below(x ^ (ONES * 0xC2), 1) | below(x ^ (ONES * 0xE0), 4);
        (n * 8, mask)
    });
    let last = (!tail.is_empty()).then(|| {
        let mask = tail.iter().enumerate().fold(0, |mask, (k, &b)| {
            mask | u64::from(may_begin_space(b)) << (8 * k + 7)
        });
        (full, mask)
    });
    whole.chain(last)
}

/// The length of the white space character (`char::is_whitespace`) at
/// byte `i` of `text`, or 0: matched on its bytes, since CJK punctuation
/// shares its lead byte with U+3000 and is met at every sentence.
fn whitespace_len(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        0xE1 if (at(1), at(2)) == (0x9A, 0x80) => 3,
        0xE2 => match (at(1), at(2)) {
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F) => 3,
            _ => 0,
        },
        0xE3 if (at(1), at(2)) == (0x80, 0x80) => 3,
        _ => 0,
    }
}

fn space(s: &mut String) {
    if !s.is_empty() && !s.ends_with(' ') {
        s.push(' ');
    }
}

/// A tag's name, lower-cased only when it is not already (almanac writes
/// lower case; raw HTML may not).
fn tag_name(tag: &str) -> Cow<'_, str> {
    let name = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or("");
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name.into()
    }
}

fn attr<'t>(tag: &'t str, name: &str) -> Option<Cow<'t, str>> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    crate::parse::markdown::html::attribute_pairs(inner)
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| {
            if v.contains('&') {
                decode(v).into()
            } else {
                v.into()
            }
        })
}

/// The entities pulldown-cmark and the sanitizer write, and numeric ones.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // Entities are short; bytes, since the twelfth may be inside a character.
        let Some(semi) = rest.bytes().take(12).position(|b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_by_bytes_is_unicode_white_space() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let text = format!("{c}x");
            let want = if c.is_whitespace() { c.len_utf8() } else { 0 };
            assert_eq!(whitespace_len(&text, 0), want, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn white_space_begins_only_with_the_bytes_said() {
        let mut leads = std::collections::BTreeSet::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() {
                leads.insert(c.to_string().as_bytes()[0]);
            }
        }
        for b in 0..=255u8 {
            assert_eq!(may_begin_space(b), leads.contains(&b), "{b:#04x}");
        }
        let found = |text: &[u8]| -> Vec<usize> {
            may_begin_space_masks(text)
                .flat_map(|(base, mask)| {
                    (0..8)
                        .filter(move |k| mask >> (8 * k + 7) & 1 == 1)
                        .map(move |k| base + k)
                })
                .collect()
        };
        // Found in whole blocks and in the last, shorter one.
        let mut text = vec![b'a'; 100];
        for at in [0, 5, 7, 8, 31, 32, 63, 64, 70, 95, 96, 99] {
            text[at] = 0xE3;
            assert_eq!(found(&text), [at]);
            text[at] = b'a';
        }
        assert_eq!(may_begin_space_masks(&text).count(), 13);
        assert_eq!(may_begin_space_masks(&[]).count(), 0);
        // Every byte that may begin white space is marked, whatever its
        // neighbours, in every place of a block.
        for b in 0..=255u8 {
            for fill in [
                b'a', b' ', 0x00, 0x1F, 0x21, 0xC1, 0xC2, 0xE0, 0xE3, 0xE4, 0xFF,
            ] {
                for at in 0..8 {
                    let mut block = [fill; 8];
                    block[at] = b;
                    let marked = found(&block);
                    for (k, &byte) in block.iter().enumerate() {
                        assert!(!may_begin_space(byte) || marked.contains(&k), "{block:x?}");
                    }
                }
            }
        }
    }

    #[test]
    fn collapsing_bytes_equals_collapsing_characters() {
        let spaces: String = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert!(spaces.contains('\u{3000}') && spaces.contains('\u{85}'));
        for text in [
            "",
            " ",
            "a",
            "  两个  words\tand\n\n换行 ",
            "\u{3000}全角\u{3000}空格\u{a0}nbsp\u{2009}thin\u{202f}",
            "\u{1c}\u{1f}\u{200b}zero-width 不是空白",
            "one two three",
            " lead and trail ",
            "a \u{3000}b a 。b a\u{a0} b a  b a \nb",
            "x ",
            "a line of English words long enough to fill two blocks:  then  two spaces\tand a tab, 以及全角\u{3000}空格 ",
            spaces.as_str(),
            &format!("x{spaces}y{spaces}"),
        ] {
            for before in ["", "kept", "kept "] {
                assert_collapses_by_characters(before, text);
            }
        }
    }

    /// `text` collapsed after `before` as `push_collapsed` does it, and as
    /// splitting at every white space character does.
    fn assert_collapses_by_characters(before: &str, text: &str) {
        let mut fast = before.to_string();
        push_collapsed(&mut fast, text);
        let mut slow = before.to_string();
        for (i, word) in text.split_whitespace().enumerate() {
            if i > 0 || text.starts_with(char::is_whitespace) {
                space(&mut slow);
            }
            slow.push_str(word);
        }
        if text.ends_with(char::is_whitespace) {
            space(&mut slow);
        }
        assert_eq!(fast, slow, "{text:?} after {before:?}");
    }

    #[test]
    fn text_to_collapse_is_never_missed() {
        for u in 0..0x1_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let space = c.is_whitespace() && c != ' ';
            for text in [
                format!("{c}ab"),
                format!("a{c}b"),
                format!("ab{c}"),
                format!("{c}"),
            ] {
                assert!(!space || has_space_to_collapse(text.as_bytes()), "{text:?}");
            }
        }
        for (text, want) in [
            ("a b c", false),
            ("a  b", true),
            ("ab  ", true),
            ("", false),
            ("中文，标点。“引号”——省略…… 「括号」、顿号 · é", false),
            ("全角\u{3000}空格", true),
        ] {
            assert_eq!(has_space_to_collapse(text.as_bytes()), want, "{text:?}");
        }
        let long = "word ".repeat(20);
        assert!(!has_space_to_collapse(long.as_bytes()));
        for at in 0..long.len() {
            let mut doubled = long.clone();
            doubled.insert(at, ' ');
            assert_eq!(
                has_space_to_collapse(doubled.as_bytes()),
                doubled.contains("  ")
            );
        }
    }

    #[test]
    fn collapsing_random_text_equals_collapsing_characters() {
        const CHARS: &[char] = &[
            'a', 'b', ' ', ' ', ' ', '\n', '\t', '\u{3000}', '\u{a0}', '\u{2009}', '中', '。', 'é',
            '\u{1f}', '\u{85}',
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| CHARS[(next() % CHARS.len() as u64) as usize])
                .collect();
            for before in ["", "x", "x "] {
                assert_collapses_by_characters(before, &text);
            }
        }
    }

    #[test]
    fn an_ampersand_before_chinese_is_text() {
        assert_eq!(decode("&中文中文"), "&中文中文");
        assert_eq!(decode("&amp;中文中文&#x4e2d;"), "&中文中文中");
        let got = parts("<p>A&amp;中文中文 &中文</p>");
        assert_eq!(got[0].text, "A&中文中文 &中文");
    }

    #[test]
    fn splits_at_headings_and_rules() {
        let html = "<p>Intro &amp; more.</p>\n<h2 id=\"join\">How do I <em>join</em>?<a class=\"anchor\" href=\"#join\">#</a></h2>\n<p>Say hello.</p>\n<ol class=\"rules\">\n<li id=\"rule-1\" class=\"rule\"><a class=\"rule-num\" href=\"#rule-1\">1</a>Be kind.<ul><li>nested</li></ul></li>\n<li id=\"rule-2\" class=\"rule\">No spam.</li>\n</ol>\n<p>After.</p><script>x()</script>";
        let got = parts(html);
        let want = [
            ("", "", "Intro & more."),
            ("join", "How do I join?", "Say hello. After."),
            ("rule-1", "1", "Be kind. nested"),
            ("rule-2", "2", "No spam."),
        ];
        let got: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|p| (p.anchor.as_str(), p.heading.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(got, want);
    }
}
