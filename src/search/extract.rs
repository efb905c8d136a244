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
        match (name.as_str(), closing) {
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
                in_heading = Some(name.clone());
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
        p.text = collapse(&p.text);
        p.heading = collapse(&p.heading);
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
    let text = decode(raw);
    if heading {
        part.heading.push_str(&text);
    } else {
        part.text.push_str(&text);
    }
}

fn space(s: &mut String) {
    if !s.is_empty() && !s.ends_with(' ') {
        s.push(' ');
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
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
