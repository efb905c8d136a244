//! Helpers of the Markdown renderer: link classification, the table of
//! contents, plain text and HTML escaping and cleaning.

use pulldown_cmark::{Tag, TagEnd};

use super::{TocEntry, XREF_PREFIX};

pub(super) fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

pub(super) fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Whether a link target is a page of this site written as a Markdown path;
/// `Some(true)` when its `href` must be replaced, `Some(false)` for `#anchor`.
/// Whether a link is to the site: `Some(true)` for one LINK resolves (a
/// placeholder until then), `Some(false)` for an anchor on the same page,
/// `None` for anything else (other sites, files beside the page).
pub(super) fn internal_link(dest: &str) -> Option<bool> {
    if dest.starts_with('#') {
        return Some(false);
    }
    if dest.starts_with("@/") {
        return Some(true);
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let has_scheme = path
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'));
    if has_scheme || path.starts_with("//") || path.is_empty() {
        return None;
    }
    // A Markdown file; a path on the site (`/wiki/borrow/`); a relative
    // pretty URL (`../code-of-conduct/`): LINK checks each against the
    // pages and routes. A relative file (`pic.png`) is the author's business.
    let last = path.rsplit('/').next().unwrap_or("");
    (path.ends_with(".md") || path.starts_with('/') || path.ends_with('/') || !last.contains('.'))
        .then_some(true)
}

pub(super) fn nest(flat: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn take(flat: &[(u8, String, String)], i: &mut usize, level: u8) -> Vec<TocEntry> {
        let mut out = Vec::new();
        while let Some((l, id, title)) = flat.get(*i) {
            if *l < level {
                break;
            }
            *i += 1;
            let children = take(flat, i, l + 1);
            out.push(TocEntry {
                level: *l,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        out
    }
    let min = flat.iter().map(|(l, ..)| *l).min().unwrap_or(2);
    let mut i = 0;
    let mut out = Vec::new();
    while i < flat.len() {
        out.extend(take(flat, &mut i, min));
    }
    out
}

/// Collapses whitespace runs to one space and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

pub(super) fn sanitize(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes([
        "id",
        "class",
        "title",
        "aria-hidden",
        "tabindex",
        "data-lang",
        "data-check",
    ])
    .add_tags(["input"])
    .add_tag_attributes("input", ["type", "checked", "disabled", "class"])
    .add_tag_attributes("ol", ["start"])
    .add_tag_attributes("a", ["name"])
    .add_url_schemes([XREF_PREFIX.trim_end_matches(':')])
    .link_rel(None);
    b.clean(html).to_string()
}

/// The attributes of one tag's text (what is between `<` and `>`), as
/// `(lower-case name, raw value)`; quoted and bare values alike.
pub(crate) fn attributes(tag: &str) -> Vec<(String, &str)> {
    attribute_pairs(tag)
        .map(|(key, value)| (key.to_ascii_lowercase(), value))
        .collect()
}

/// [`attributes`] without copying: names as written.
pub(crate) fn attribute_pairs(tag: &str) -> impl Iterator<Item = (&str, &str)> {
    let name_len = tag
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(tag.len());
    let mut attrs = &tag[name_len..];
    std::iter::from_fn(move || {
        let eq = attrs.find('=')?;
        let key = attrs[..eq]
            .trim()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("");
        let value_part = attrs[eq + 1..].trim_start();
        let (value, after) = match value_part.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &value_part[1..];
                let close = body.find(q).unwrap_or(body.len());
                (&body[..close], &body[(close + 1).min(body.len())..])
            }
            _ => {
                let stop = value_part
                    .find(char::is_whitespace)
                    .unwrap_or(value_part.len());
                (&value_part[..stop], &value_part[stop..])
            }
        };
        attrs = after;
        Some((key, value))
    })
}

/// Link targets that raw HTML in a page defines: any element's `id`, and
/// an `<a name>` (how older pages, and many READMEs, mark anchors).
pub(super) fn html_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with(['/', '!', '?']) {
            continue;
        }
        let is_a = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .is_some_and(|n| n.eq_ignore_ascii_case("a"));
        for (key, value) in attributes(tag) {
            if (key == "id" || (key == "name" && is_a)) && !value.is_empty() {
                out.push(value.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod id_tests {
    use super::html_ids;

    #[test]
    fn ids_and_named_anchors() {
        assert_eq!(
            html_ids(
                "<a name=\"top\"></a><div class='x' id='box'>t</div><span id=plain>s</span><p data-id=\"no\">"
            ),
            ["top", "box", "plain"]
        );
        assert!(
            html_ids("<meta name=\"viewport\">").is_empty(),
            "name counts on <a> only"
        );
    }
}
