//! Markdown inside HTML blocks marked `markdown="1"`, as kramdown and
//! Python-Markdown's `md_in_html` read it:
//!
//! ```text
//! <div class="note" markdown="1">
//! **Bold** and [a link](x.md).
//! </div>
//! ```
//!
//! CommonMark ends an HTML block at a blank line and reads what follows as
//! Markdown, so the opening tag (without the attribute) gets a blank line
//! after it and its closing tag one before it. The inserted newlines are
//! remembered, so offsets in the result map back to the file.

/// The body to render, and where newlines were inserted (offsets in the
/// result, ascending); `None` when no block asks for Markdown.
pub(crate) fn expand(body: &str) -> Option<(String, Vec<usize>)> {
    if !body.contains("markdown=") {
        return None;
    }
    let mut out = String::with_capacity(body.len() + 64);
    let mut inserted = Vec::new();
    // Open blocks: (tag name, nesting depth of that tag inside the block).
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push_str(line);
            continue;
        }
        if let Some((tag, without)) = opening(trimmed) {
            out.push_str(&line.replace(trimmed, &without));
            if !line.ends_with('\n') {
                out.push('\n');
            }
            inserted.push(out.len());
            out.push('\n');
            open.push((tag, 0));
            continue;
        }
        if let Some((tag, depth)) = open.last_mut() {
            let opens = trimmed.matches(&format!("<{tag}")).count();
            let closes = trimmed.matches(&format!("</{tag}>")).count();
            *depth += opens;
            if closes > *depth && trimmed.starts_with(&format!("</{tag}>")) {
                inserted.push(out.len());
                out.push('\n');
                out.push_str(line);
                open.pop();
                continue;
            }
            *depth -= closes.min(*depth);
        }
        out.push_str(line);
    }
    Some((out, inserted))
}

/// `<div class="x" markdown="1">` on a line of its own: the tag's name and
/// the line with the attribute blanked.
fn opening(line: &str) -> Option<(String, String)> {
    let inner = line.strip_prefix('<')?.strip_suffix('>')?;
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if name.is_empty() || inner.contains('<') {
        return None;
    }
    let attr = [
        "markdown=\"1\"",
        "markdown='1'",
        "markdown=1",
        "markdown=\"block\"",
    ]
    .into_iter()
    .find(|a| inner.contains(a))?;
    // Blanked, not removed: offsets after it stay as they are in the file.
    Some((name, line.replace(attr, &" ".repeat(attr.len()))))
}

/// An offset in the expanded body as an offset in the original body.
pub(crate) fn original(offset: usize, inserted: &[usize]) -> usize {
    offset - inserted.partition_point(|&i| i < offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_marked_markdown_get_blank_lines() {
        let body = "<div class=\"note\" markdown=\"1\">\n**Bold** [x](a.md)\n</div>\nafter\n";
        let (out, inserted) = expand(body).expect("expanded");
        assert_eq!(
            out,
            "<div class=\"note\"             >\n\n**Bold** [x](a.md)\n\n</div>\nafter\n"
        );
        let link = out.find("[x]").expect("link");
        assert_eq!(original(link, &inserted), body.find("[x]").expect("link"));
        // Nested tags of the same name close in order; code is left alone.
        let body =
            "<div markdown=\"1\">\n<div>inner</div>\n*x*\n</div>\n```\n<div markdown=\"1\">\n```\n";
        let (out, _) = expand(body).expect("expanded");
        assert_eq!(
            out,
            "<div             >\n\n<div>inner</div>\n*x*\n\n</div>\n```\n<div markdown=\"1\">\n```\n"
        );
        assert!(expand("no blocks here").is_none());
    }
}
