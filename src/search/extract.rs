//! A page's searchable parts, read from its rendered body: the text before
//! the first heading, each heading-level part (an FAQ's questions are its
//! headings) and each rule, with the anchor a result links to.
//!
//! Only the body is read, never the theme's chrome: menus, breadcrumbs and
//! tables of contents are not in it.

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
    let mut parts = vec![Part {
        anchor: String::new(),
        heading: String::new(),
        text: String::new(),
    }];
    // Where text goes: a part, and whether into its heading.
    let mut current = 0usize;
    let mut in_heading: Option<String> = None; // the closing tag name
    // Rules: the part to return to after a rule's `</li>`, and li depth inside it.
    let mut rule: Option<(usize, usize)> = None;
    let mut skip_depth = 0usize; // inside script/style or a rule-num link
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut parts[current], in_heading.is_some(), rest, skip_depth);
            break;
        };
        push_text(
            &mut parts[current],
            in_heading.is_some(),
            &rest[..lt],
            skip_depth,
        );
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        let name = tag_name(tag);
        let closing = tag.starts_with("</");
        match (&*name, closing) {
            ("script" | "style", false) => skip_depth += 1,
            ("script" | "style", true) => skip_depth = skip_depth.saturating_sub(1),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                let anchor = attr(tag, "id").unwrap_or_default();
                if rule.is_none() && !anchor.is_empty() {
                    parts.push(Part {
                        anchor,
                        heading: String::new(),
                        text: String::new(),
                    });
                    current = parts.len() - 1;
                }
                in_heading = Some(name.to_string());
            }
            (h, true) if in_heading.as_deref() == Some(h) => {
                in_heading = None;
                space(&mut parts[current].text);
            }
            ("li", false) => {
                if let Some((_, depth)) = &mut rule {
                    *depth += 1;
                } else if let Some(anchor) = attr(tag, "id").filter(|id| id.starts_with("rule-")) {
                    let number = anchor.trim_start_matches("rule-").to_string();
                    parts.push(Part {
                        anchor,
                        heading: number,
                        text: String::new(),
                    });
                    rule = Some((current, 0));
                    current = parts.len() - 1;
                }
                space(&mut parts[current].text);
            }
            ("li", true) => {
                match &mut rule {
                    Some((back, 0)) => {
                        current = *back;
                        rule = None;
                    }
                    Some((_, depth)) => *depth -= 1,
                    None => {}
                }
                space(&mut parts[current].text);
            }
            // The rule number and heading permalinks are not text.
            ("a", false)
                if matches!(attr(tag, "class").as_deref(), Some("rule-num" | "anchor")) =>
            {
                skip_depth += 1
            }
            ("a", true) if skip_depth > 0 => skip_depth -= 1,
            (
                "p" | "div" | "br" | "tr" | "td" | "th" | "ol" | "ul" | "pre" | "blockquote" | "dt"
                | "dd",
                _,
            ) => space(&mut parts[current].text),
            _ => {}
        }
    }
    for p in &mut parts {
        for s in [&mut p.text, &mut p.heading] {
            if s.ends_with(' ') {
                s.pop();
            }
        }
    }
    // The top of the page stays first even when empty: a title match lands there.
    let top = parts.remove(0);
    parts.retain(|p| !p.anchor.is_empty() || !p.text.is_empty());
    parts.insert(0, top);
    parts
}

fn push_text(part: &mut Part, heading: bool, raw: &str, skip: usize) {
    if skip > 0 || raw.is_empty() {
        return;
    }
    let out = if heading {
        &mut part.heading
    } else {
        &mut part.text
    };
    if raw.contains('&') {
        push_collapsed(out, &decode(raw));
    } else {
        push_collapsed(out, raw);
    }
}

/// Appends `text` with each run of white space as one space, and none at
/// the start: the parts are made in one pass, with no copy to clean up.
/// Scans bytes: only ASCII and four lead bytes can begin white space, so
/// the Chinese text between is never decoded.
fn push_collapsed(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut word_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        match whitespace_len(text, i) {
            0 => {
                word_start.get_or_insert(i);
                i += 1;
            }
            len => {
                if let Some(start) = word_start.take() {
                    out.push_str(&text[start..i]);
                }
                space(out);
                i += len;
            }
        }
    }
    if let Some(start) = word_start {
        out.push_str(&text[start..]);
    }
}

/// The length of the white space character (`char::is_whitespace`) at byte
/// `i` of `text`, or 0.
fn whitespace_len(text: &str, i: usize) -> usize {
    match text.as_bytes()[i] {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        // U+0085, U+00A0; U+1680; U+2000..U+205F; U+3000.
        0xC2 | 0xE1 | 0xE2 | 0xE3 => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
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
fn tag_name(tag: &str) -> std::borrow::Cow<'_, str> {
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

fn attr(tag: &str, name: &str) -> Option<String> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    crate::parse::markdown::html::attributes(inner)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| decode(v))
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
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
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
            spaces.as_str(),
            &format!("x{spaces}y{spaces}"),
        ] {
            for before in ["", "kept", "kept "] {
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
        }
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
