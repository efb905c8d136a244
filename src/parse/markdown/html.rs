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
    if has_scheme || path.starts_with('/') || !path.ends_with(".md") {
        return None;
    }
    Some(true)
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
    .add_url_schemes([XREF_PREFIX.trim_end_matches(':')])
    .link_rel(None);
    b.clean(html).to_string()
}
