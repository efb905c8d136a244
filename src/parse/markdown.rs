//! Markdown to HTML, with what a knowledge base needs on top of CommonMark.
//!
//! One pass over pulldown-cmark's events rewrites them: headings get unique
//! anchors (Chinese kept), code blocks are highlighted, internal links become
//! placeholders (`almanac-xref:N`) that LINK resolves and RENDER fills in,
//! rules get `#rule-N`, playbook steps become checkable, FAQ questions are
//! collected, and a soft break between two CJK characters is dropped so it
//! does not show as a space.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::front_matter::Kind;
use super::highlight;
use crate::config::{RawHtml, SlugStyle};
use crate::slug::{is_cjk, slugify};

/// The prefix of an internal link's placeholder `href`.
pub const XREF_PREFIX: &str = "almanac-xref:";

/// How to render one body.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Raw HTML policy.
    pub raw_html: RawHtml,
    /// Highlight code blocks.
    pub highlight: bool,
    /// The page's kind: rules, FAQ and playbook pages get extra markup.
    pub kind: Kind,
    /// Take a leading `# ` heading out of the body as the title.
    pub take_title: bool,
    /// Number of the first link placeholder, so several renders of one page share numbering.
    pub first_link: usize,
}

/// An internal link as written, with its byte offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLink {
    /// `../rules/group-rules.md#rule-3`, `@/faq/x.md` or `#anchor`.
    pub target: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// Whether the `href` is a placeholder to fill in (false for `#anchor`).
    pub placeholder: bool,
}

/// One table-of-contents entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 2 for `## `, and so on.
    pub level: u8,
    /// Anchor, without `#`.
    pub id: String,
    /// Heading text.
    pub title: String,
    /// Headings nested under this one.
    pub children: Vec<TocEntry>,
}

/// A FAQ question (`## ` heading) and its answer as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// Anchor, without `#`.
    pub id: String,
    /// The question.
    pub question: String,
    /// The answer, as plain text.
    pub answer: String,
}

/// One rule of a rules page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The number a member cites.
    pub number: usize,
    /// `rule-N`.
    pub id: String,
    /// The rule's text, plain.
    pub text: String,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with `almanac-xref:N` placeholders for internal links.
    pub html: String,
    /// Headings, nested.
    pub toc: Vec<TocEntry>,
    /// Internal links; a placeholder's N indexes this list.
    pub links: Vec<RawLink>,
    /// Every anchor the body defines.
    pub anchors: Vec<String>,
    /// The leading `# ` heading's text, when `take_title` took it.
    pub title: Option<String>,
    /// Words in Latin-script text.
    pub words: usize,
    /// CJK characters.
    pub cjk_chars: usize,
    /// The first paragraph as plain text.
    pub summary: String,
    /// FAQ questions.
    pub questions: Vec<Question>,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Checkable playbook items (numbered steps and tasks).
    pub checks: usize,
}

impl Rendered {
    /// Reading time in minutes: 200 English words or 400 Chinese characters a minute.
    pub fn reading_minutes(&self) -> usize {
        let minutes = self.words as f64 / 200.0 + self.cjk_chars as f64 / 400.0;
        (minutes.ceil() as usize).max(1)
    }
}

/// Renders a Markdown body.
pub fn render(body: &str, opts: &MarkdownOptions) -> Rendered {
    let mut r = Renderer::new(opts);
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, parser_options())
        .into_offset_iter()
        .collect();
    r.rules_as_list = opts.kind == Kind::Rules && has_top_level_ordered_list(&events);
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().peekable();
    while let Some((event, range)) = iter.next() {
        let next_char = match iter.peek() {
            Some((Event::Text(t), _)) => t.chars().next(),
            _ => None,
        };
        r.event(event, range, next_char, &mut out);
    }
    r.finish(out)
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn has_top_level_ordered_list(events: &[(Event<'_>, std::ops::Range<usize>)]) -> bool {
    let mut depth = 0usize;
    for (e, _) in events {
        match e {
            Event::Start(Tag::List(start)) => {
                if depth == 0 && start.is_some() {
                    return true;
                }
                depth += 1;
            }
            Event::Start(Tag::BlockQuote(_)) | Event::Start(Tag::FootnoteDefinition(_)) => {
                depth += 1
            }
            Event::End(TagEnd::List(_))
            | Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// A heading being collected until its end tag.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    text: String,
    inner: Vec<Event<'a>>,
}

struct Renderer<'a> {
    opts: MarkdownOptions,
    result: Rendered,
    ids: HashMap<String, usize>,
    flat_toc: Vec<(u8, String, String)>,
    heading: Option<OpenHeading<'a>>,
    code: Option<(Option<String>, String)>,
    /// Nesting of block containers (lists, quotes, footnotes).
    depth: usize,
    /// For each open list: whether its items are rules or steps.
    lists: Vec<bool>,
    rules_as_list: bool,
    rule_text: Option<String>,
    in_summary: bool,
    summary_done: bool,
    first_block: bool,
    last_char: Option<char>,
}

impl<'a> Renderer<'a> {
    fn new(opts: &MarkdownOptions) -> Self {
        Renderer {
            opts: *opts,
            result: Rendered::default(),
            ids: HashMap::new(),
            flat_toc: Vec::new(),
            heading: None,
            code: None,
            depth: 0,
            lists: Vec::new(),
            rules_as_list: false,
            rule_text: None,
            in_summary: false,
            summary_done: false,
            first_block: true,
            last_char: None,
        }
    }

    fn event(
        &mut self,
        event: Event<'a>,
        range: std::ops::Range<usize>,
        next: Option<char>,
        out: &mut Vec<Event<'a>>,
    ) {
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code(out),
                _ => {}
            }
            return;
        }
        if matches!(&event, Event::Start(t) if is_block(t))
            || matches!(&event, Event::End(t) if is_block_end(t))
        {
            self.block_boundary();
        }
        if self.heading.is_some() {
            match event {
                Event::End(TagEnd::Heading(_)) => self.end_heading(out),
                other => {
                    let inner = self.inline(other, range, next);
                    if let (Some(h), Some(e)) = (&mut self.heading, inner) {
                        if let Event::Text(t) | Event::Code(t) = &e {
                            h.text.push_str(t);
                        }
                        h.inner.push(e);
                    }
                }
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(OpenHeading {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    text: String::new(),
                    inner: Vec::new(),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '{'])
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                self.first_block = false;
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::List(start)) => {
                self.first_block = false;
                let special = self.depth == 0
                    && start.is_some()
                    && (self.rules_as_list || self.opts.kind == Kind::Playbook);
                self.lists.push(special);
                self.depth += 1;
                match (special, start) {
                    (true, Some(_)) if self.rules_as_list => {
                        let next = self.result.rules.len() + 1;
                        out.push(Event::Html(
                            format!("<ol class=\"rules\" start=\"{next}\">\n").into(),
                        ));
                    }
                    (true, Some(_)) => out.push(Event::Html("<ol class=\"steps\">\n".into())),
                    _ => out.push(Event::Start(Tag::List(start))),
                }
            }
            Event::End(TagEnd::List(ordered)) => {
                self.depth = self.depth.saturating_sub(1);
                self.lists.pop();
                out.push(Event::End(TagEnd::List(ordered)));
            }
            Event::Start(Tag::Item) if self.depth == 1 && self.lists.last() == Some(&true) => {
                if self.rules_as_list {
                    let n = self.result.rules.len() + 1;
                    self.rule_text = Some(String::new());
                    out.push(Event::Html(
                        format!("<li id=\"rule-{n}\" class=\"rule\"><a class=\"rule-num\" href=\"#rule-{n}\" title=\"Link to rule {n}\">{n}</a>").into(),
                    ));
                    self.result.anchors.push(format!("rule-{n}"));
                    self.result.rules.push(Rule {
                        number: n,
                        id: format!("rule-{n}"),
                        text: String::new(),
                    });
                } else {
                    self.result.checks += 1;
                    let n = self.result.checks;
                    out.push(Event::Html(
                        format!("<li id=\"step-{n}\" class=\"step\" data-check=\"{n}\">").into(),
                    ));
                    self.result.anchors.push(format!("step-{n}"));
                }
            }
            Event::End(TagEnd::Item) if self.depth == 1 && self.lists.last() == Some(&true) => {
                if let (Some(text), Some(rule)) =
                    (self.rule_text.take(), self.result.rules.last_mut())
                {
                    rule.text = collapse_ws(&text);
                }
                out.push(Event::End(TagEnd::Item));
            }
            Event::Start(Tag::BlockQuote(k)) => {
                self.first_block = false;
                self.depth += 1;
                out.push(Event::Start(Tag::BlockQuote(k)));
            }
            Event::End(TagEnd::BlockQuote(k)) => {
                self.depth = self.depth.saturating_sub(1);
                out.push(Event::End(TagEnd::BlockQuote(k)));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.depth += 1;
                self.result.anchors.push(name.to_string());
                out.push(Event::Start(Tag::FootnoteDefinition(name)));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.depth = self.depth.saturating_sub(1);
                out.push(Event::End(TagEnd::FootnoteDefinition));
            }
            Event::Start(Tag::Paragraph) => {
                self.first_block = false;
                if !self.summary_done && self.depth == 0 {
                    self.in_summary = true;
                }
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                if self.in_summary {
                    self.in_summary = false;
                    self.summary_done = true;
                }
                out.push(Event::End(TagEnd::Paragraph));
            }
            Event::TaskListMarker(checked) if self.opts.kind == Kind::Playbook => {
                self.result.checks += 1;
                let n = self.result.checks;
                let checked = if checked { " checked" } else { "" };
                out.push(Event::Html(
                    format!("<input type=\"checkbox\" class=\"check\" data-check=\"{n}\" disabled{checked}> ").into(),
                ));
            }
            other => {
                if matches!(
                    other,
                    Event::Start(Tag::Table(_)) | Event::Rule | Event::Html(_)
                ) {
                    self.first_block = false;
                }
                if let Some(e) = self.inline(other, range, next) {
                    out.push(e);
                }
            }
        }
    }

    /// Inline events: text bookkeeping, links, raw HTML, soft breaks.
    fn inline(
        &mut self,
        event: Event<'a>,
        range: std::ops::Range<usize>,
        next: Option<char>,
    ) -> Option<Event<'a>> {
        match event {
            Event::Text(t) => {
                self.text(&t);
                Some(Event::Text(t))
            }
            Event::Code(t) => {
                self.text(&t);
                Some(Event::Code(t))
            }
            Event::SoftBreak => {
                let cjk =
                    matches!((self.last_char, next), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b));
                if cjk {
                    None
                } else {
                    self.text(" ");
                    Some(Event::SoftBreak)
                }
            }
            Event::HardBreak => {
                self.text(" ");
                Some(Event::HardBreak)
            }
            Event::Html(h) | Event::InlineHtml(h) if self.opts.raw_html == RawHtml::Escape => {
                Some(Event::Text(h))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.link(dest_url, range.start);
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            other => Some(other),
        }
    }

    fn link(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let Some(placeholder) = internal_link(&dest) else {
            return dest;
        };
        let n = self.opts.first_link + self.result.links.len();
        self.result.links.push(RawLink {
            target: dest.to_string(),
            offset,
            placeholder,
        });
        if placeholder {
            format!("{XREF_PREFIX}{n}").into()
        } else {
            dest
        }
    }

    /// Plain-text views (rule texts, FAQ answers) separate blocks with a space.
    fn block_boundary(&mut self) {
        if let Some(rule) = &mut self.rule_text {
            rule.push(' ');
        }
        if let Some(q) = self
            .result
            .questions
            .last_mut()
            .filter(|_| self.heading.is_none())
        {
            q.answer.push(' ');
        }
    }

    fn text(&mut self, t: &str) {
        if let Some(c) = t.chars().last() {
            self.last_char = Some(c);
        }
        let mut in_word = false;
        for c in t.chars() {
            if is_cjk(c) {
                self.result.cjk_chars += usize::from(c.is_alphanumeric());
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    self.result.words += 1;
                }
                in_word = true;
            } else if c.is_whitespace() || c.is_ascii_punctuation() && c != '\'' && c != '-' {
                in_word = false;
            }
        }
        if self.in_summary {
            self.result.summary.push_str(t);
        }
        if let Some(rule) = &mut self.rule_text {
            rule.push_str(t);
        }
        if let Some(q) = self
            .result
            .questions
            .last_mut()
            .filter(|_| self.heading.is_none())
        {
            q.answer.push_str(t);
        }
    }

    fn end_code(&mut self, out: &mut Vec<Event<'a>>) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        let html = if self.opts.highlight {
            highlight::code_block(&code, lang.as_deref())
        } else {
            highlight::code_block(&code, None)
        };
        out.push(Event::Html(html.into()));
    }

    fn end_heading(&mut self, out: &mut Vec<Event<'a>>) {
        let Some(h) = self.heading.take() else { return };
        let text = collapse_ws(&h.text);
        let level = h.level as u8;
        if level == 1 && self.opts.take_title && self.first_block && self.result.title.is_none() {
            self.result.title = Some(text);
            return;
        }
        self.first_block = false;
        let slug = h.id.clone().unwrap_or_else(|| {
            let s = slugify(&text, SlugStyle::Unicode);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        });
        let slug = self.unique(slug);
        let rule = self.opts.kind == Kind::Rules && !self.rules_as_list && level == 2;
        let id = if rule {
            let n = self.result.rules.len() + 1;
            self.result.rules.push(Rule {
                number: n,
                id: format!("rule-{n}"),
                text: text.clone(),
            });
            self.result.anchors.push(format!("rule-{n}"));
            format!("rule-{n}")
        } else {
            slug.clone()
        };
        let mut classes = h.classes.join(" ");
        if rule {
            classes.push_str(if classes.is_empty() { "rule" } else { " rule" });
        }
        let class_attr = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_html(&classes))
        };
        let mut open = format!("<h{level} id=\"{}\"{class_attr}>", escape_html(&id));
        if rule {
            let n = self.result.rules.len();
            open = format!(
                "<span id=\"{}\" class=\"alias-anchor\"></span>{open}<a class=\"rule-num\" href=\"#{id}\" title=\"Link to rule {n}\">{n}</a> ",
                escape_html(&slug)
            );
        }
        out.push(Event::Html(open.into()));
        out.extend(h.inner);
        out.push(Event::Html(
            format!("<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n", escape_html(&id)).into(),
        ));
        if self.opts.kind == Kind::Faq && level <= 2 {
            self.result.questions.retain(|q| !q.question.is_empty());
            if level == 2 {
                self.result.questions.push(Question {
                    id: id.clone(),
                    question: text.clone(),
                    answer: String::new(),
                });
            } else {
                // An `# ` heading ends the current answer.
                self.result.questions.push(Question {
                    id: String::new(),
                    question: String::new(),
                    answer: String::new(),
                });
            }
        }
        self.flat_toc.push((level, id, text));
    }

    fn unique(&mut self, slug: String) -> String {
        let id = match self.ids.get_mut(&slug) {
            None => {
                self.ids.insert(slug.clone(), 0);
                slug
            }
            Some(n) => {
                *n += 1;
                format!("{slug}-{n}")
            }
        };
        self.result.anchors.push(id.clone());
        id
    }

    fn finish(mut self, events: Vec<Event<'a>>) -> Rendered {
        let mut html = String::with_capacity(events.len() * 16);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if self.opts.raw_html == RawHtml::Sanitize {
            html = sanitize(&html);
        }
        self.result.html = html;
        self.result.questions.retain(|q| !q.question.is_empty());
        for q in &mut self.result.questions {
            q.answer = collapse_ws(&q.answer);
        }
        self.result.summary = collapse_ws(&self.result.summary);
        self.result.toc = nest(&self.flat_toc);
        self.result
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
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

fn is_block_end(tag: &TagEnd) -> bool {
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
fn internal_link(dest: &str) -> Option<bool> {
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

fn nest(flat: &[(u8, String, String)]) -> Vec<TocEntry> {
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
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

fn sanitize(html: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(kind: Kind) -> MarkdownOptions {
        MarkdownOptions {
            raw_html: RawHtml::Allow,
            highlight: true,
            kind,
            take_title: true,
            first_link: 0,
        }
    }

    #[test]
    fn chinese_anchors_and_duplicates() {
        let r = render(
            "## 冲突处理\n\n## 冲突处理\n\n## Hello World\n",
            &opts(Kind::Page),
        );
        assert!(r.html.contains("<h2 id=\"冲突处理\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"冲突处理-1\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"hello-world\">"), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
    }

    #[test]
    fn explicit_heading_id_wins() {
        let r = render("## Setup {#setup-steps}\n", &opts(Kind::Page));
        assert!(r.html.contains("id=\"setup-steps\""), "{}", r.html);
    }

    #[test]
    fn cjk_soft_break_is_dropped() {
        let r = render("第一行\n第二行\nand English\nwords\n", &opts(Kind::Page));
        assert!(r.html.contains("第一行第二行"), "{}", r.html);
        assert!(r.html.contains("and English\nwords"), "{}", r.html);
    }

    #[test]
    fn title_taken_from_leading_h1() {
        let r = render("# 欢迎\n\n正文。\n", &opts(Kind::Page));
        assert_eq!(r.title.as_deref(), Some("欢迎"));
        assert!(!r.html.contains("<h1"), "{}", r.html);
        assert_eq!(r.summary, "正文。");
    }

    #[test]
    fn internal_links_become_placeholders() {
        let r = render(
            "[a](../rules/x.md#rule-3) [b](@/faq/y.md) [c](#top) [d](https://x.org/a.md) [e](/abs/)\n",
            &opts(Kind::Page),
        );
        assert_eq!(r.links.len(), 3);
        assert!(r.html.contains("href=\"almanac-xref:0\""), "{}", r.html);
        assert!(r.html.contains("href=\"almanac-xref:1\""), "{}", r.html);
        assert!(r.html.contains("href=\"#top\""));
        assert!(r.html.contains("href=\"https://x.org/a.md\""));
    }

    #[test]
    fn reading_time_counts_cjk() {
        let zh = "字".repeat(800);
        let r = render(&zh, &opts(Kind::Page));
        assert_eq!(r.cjk_chars, 800);
        assert_eq!(r.words, 0);
        assert_eq!(r.reading_minutes(), 2);
        let en = "word ".repeat(450);
        assert_eq!(render(&en, &opts(Kind::Page)).reading_minutes(), 3);
    }

    #[test]
    fn rules_from_numbered_items() {
        let r = render(
            "1. Be kind.\n2. No spam.\n\nText.\n\n1. Third rule.\n",
            &opts(Kind::Rules),
        );
        assert_eq!(r.rules.len(), 3);
        assert_eq!(r.rules[2].text, "Third rule.");
        assert!(
            r.html.contains("<ol class=\"rules\" start=\"3\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<li id=\"rule-2\" class=\"rule\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn rules_from_headings_keep_text_anchor() {
        let r = render("## 友善\n\n内容\n\n## 禁止广告\n", &opts(Kind::Rules));
        assert_eq!(r.rules.len(), 2);
        assert!(
            r.html.contains("<h2 id=\"rule-2\" class=\"rule\">"),
            "{}",
            r.html
        );
        assert!(r.anchors.contains(&"禁止广告".to_string()));
    }

    #[test]
    fn faq_questions_and_answers() {
        let r = render(
            "Intro.\n\n## 怎么加入？\n\n填写**表单**。\n\n## Who runs it?\n\nVolunteers.\n\n- Many\n- of them\n",
            &opts(Kind::Faq),
        );
        assert_eq!(r.questions.len(), 2);
        assert_eq!(r.questions[0].question, "怎么加入？");
        assert_eq!(r.questions[0].answer, "填写表单。");
        assert_eq!(r.questions[1].answer, "Volunteers. Many of them");
    }

    #[test]
    fn playbook_checks() {
        let r = render(
            "1. One\n2. Two\n\n- [ ] task\n- [x] done\n",
            &opts(Kind::Playbook),
        );
        assert_eq!(r.checks, 4);
        assert!(
            r.html
                .contains("<li id=\"step-1\" class=\"step\" data-check=\"1\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("data-check=\"4\" disabled checked"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_policies() {
        let md = "<script>alert(1)</script>\n\nhi <b onclick=\"x()\">b</b>\n";
        let mut o = opts(Kind::Page);
        o.raw_html = RawHtml::Escape;
        assert!(render(md, &o).html.contains("&lt;script&gt;"));
        o.raw_html = RawHtml::Sanitize;
        let s = render(md, &o).html;
        assert!(!s.contains("<script") && !s.contains("onclick"), "{s}");
        assert!(s.contains("<b>b</b>"), "{s}");
    }
}
