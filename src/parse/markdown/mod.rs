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

use super::highlight;
use super::kind::Kind;
use crate::config::RawHtml;
use crate::search::extract::{Part, Parts};
use crate::slug::is_cjk;

pub(crate) mod html;
pub(crate) mod md_in_html;
pub(crate) use html::{collapse_ws, escape_html};
use html::{internal_link, is_block, is_block_end, nest, sanitize};

/// The prefix of an internal link's placeholder `href`.
pub(crate) const XREF_PREFIX: &str = "almanac-xref:";

/// How to render one body.
#[derive(Debug, Clone)]
pub(crate) struct MarkdownOptions {
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
    /// The page is served one folder below its file (`notes/a.md` at
    /// `/notes/a/`), so relative image and file URLs written against the
    /// file's folder (as GitHub reads them) get a `../`.
    pub nested: bool,
    /// The title of a rule number's link, `{n}` standing for the number,
    /// in the page's language.
    pub rule_link: String,
    /// Collect the body's searchable parts as it is rendered.
    pub search: bool,
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
    /// HTML with `almanac-xref:N` placeholders for internal links, packed:
    /// it is held from PARSE until its page is rendered.
    pub html: crate::packed::PackedText,
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
    /// The searchable parts, encoded by [`crate::search::extract::encode`];
    /// made only when the site has search. Kept as text: it is a fifth of
    /// the HTML's size and compresses poorly, so packing it would cost the
    /// build more time than it saves memory.
    pub search: Option<Box<str>>,
    /// FAQ questions.
    pub questions: Vec<Question>,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Checkable playbook items (numbered steps and tasks).
    pub checks: usize,
    /// Where the body nests deeper than [`MAX_NESTING`]: it is not rendered.
    pub too_deep: Option<usize>,
    /// Template syntax of another generator left in the text (Jekyll's
    /// `{% include %}`, Hugo's `{{< ref >}}`, MyST's ```{directive}): where
    /// the first is, what it is, and how many there are. Kept as text.
    pub foreign: Option<(usize, &'static str, usize)>,
}

/// What another generator's template syntax in `text` is, if any.
fn foreign_syntax(text: &str) -> Option<&'static str> {
    // Almost all text has no brace at all: one scan decides.
    if !text.contains('{') {
        return None;
    }
    if text.contains("{{<") || text.contains("{{%") {
        Some("a Hugo shortcode `{{< … >}}`")
    } else if text.contains("{%") && text.contains("%}") {
        Some("a Liquid/Jinja tag `{% … %}`")
    } else if text.contains("{{") && text.contains("}}") {
        Some("a template variable `{{ … }}`")
    } else {
        None
    }
}

/// `label` of a MyST target line, `(label)=`.
fn myst_label(text: &str) -> Option<&str> {
    let label = text.trim().strip_prefix('(')?.strip_suffix(")=")?;
    (!label.is_empty() && !label.contains(|c: char| c.is_whitespace() || c == '(' || c == ')'))
        .then_some(label)
}

/// How deep Markdown may nest (quotes, lists, emphasis inside each other).
/// Deeper is a paste gone wrong, and sanitizing HTML that deep takes time
/// that grows with the square of the depth.
pub(crate) const MAX_NESTING: usize = 100;

impl Rendered {
    /// Reading time in minutes: 200 English words or 400 Chinese characters a minute.
    pub fn reading_minutes(&self) -> usize {
        let minutes = self.words as f64 / 200.0 + self.cjk_chars as f64 / 400.0;
        (minutes.ceil() as usize).max(1)
    }
}

/// The rule texts of a rules file (front matter and all), as numbered on its page.
pub(crate) fn rule_texts(text: &str) -> Vec<String> {
    let body = super::front_matter::split(text).map_or(text, |s| s.body);
    let opts = MarkdownOptions {
        raw_html: RawHtml::Escape,
        highlight: false,
        kind: Kind::Rules,
        take_title: false,
        first_link: 0,
        nested: false,
        rule_link: String::new(),
        search: false,
    };
    render(body, &opts)
        .rules
        .into_iter()
        .map(|r| r.text)
        .collect()
}

/// `c.is_alphanumeric()`, with no table lookup for the ideographs of the
/// Basic Multilingual Plane: every one is a letter, and most of a Chinese
/// text's characters are one.
fn letter_or_digit(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) || c.is_alphanumeric()
}

/// Renders a Markdown body.
pub(crate) fn render(body: &str, opts: &MarkdownOptions) -> Rendered {
    let mut r = Renderer::new(opts);
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, parser_options())
        .into_offset_iter()
        .collect();
    let mut depth = 0usize;
    for (event, range) in &events {
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Rendered {
                        too_deep: Some(range.start),
                        ..Rendered::default()
                    };
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    r.rules_as_list = opts.kind == Kind::Rules && has_top_level_ordered_list(&events);
    let mut out = Vec::with_capacity(events.len());
    let mut foreign: Option<(usize, &'static str, usize)> = None;
    let mut in_code = false;
    // MyST targets, `(label)=` on a line of their own: by the index of their paragraph.
    let labels: HashMap<usize, String> = events
        .windows(3)
        .enumerate()
        .filter_map(|(i, w)| match w {
            [
                (Event::Start(Tag::Paragraph), _),
                (Event::Text(t), _),
                (Event::End(TagEnd::Paragraph), _),
            ] => myst_label(t).map(|l| (i, l.to_string())),
            _ => None,
        })
        .collect();
    // The first character of text at or after each event, through the
    // starts of links and emphasis: whether a line break joins CJK text
    // (`…文字\n[链接](x)` takes no space).
    let mut first_text: Vec<Option<char>> = vec![None; events.len() + 1];
    for (i, (e, _)) in events.iter().enumerate().rev() {
        first_text[i] = match e {
            Event::Text(t) => t.chars().next(),
            Event::Start(Tag::Link { .. } | Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                first_text[i + 1]
            }
            _ => None,
        };
    }
    let mut skip = 0;
    for (i, (event, range)) in events.into_iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let found = match &event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                matches!(kind, CodeBlockKind::Fenced(info) if info.trim_start().starts_with('{'))
                    .then_some("a MyST directive ```{…}")
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                None
            }
            Event::Text(t) if !in_code => foreign_syntax(t),
            _ => None,
        };
        if let Some(what) = found {
            foreign = Some(match foreign {
                Some((at, first, n)) => (at, first, n + 1),
                None => (range.start, what, 1),
            });
        }
        // A MyST target, `(label)=` on a line of its own, is an anchor for
        // what follows, not a paragraph (the heading after it stays the title).
        if let Some(label) = labels.get(&i) {
            out.push(Event::Html(
                format!(
                    "<span id=\"{}\" class=\"alias-anchor\"></span>\n",
                    escape_html(label)
                )
                .into(),
            ));
            r.result.anchors.push(label.clone());
            skip = 2;
            continue;
        }
        let next_char = first_text[i + 1];
        r.event(event, range, next_char, &mut out);
    }
    let mut rendered = r.finish(out);
    rendered.foreign = foreign;
    rendered
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
    opts: &'a MarkdownOptions,
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
    /// With search: almanac's own HTML events, by event index, as the
    /// search parts read them (see [`Mark`]).
    marks: Vec<(usize, Mark)>,
}

/// What one of almanac's own HTML events is to the search parts. Noted as
/// the event is made, so that the parts are told what it is rather than
/// parsing its HTML back. Events with no mark (raw HTML, and the rare
/// markup of check boxes and MyST targets) are read as HTML.
enum Mark {
    /// A highlighted code block: its text, not its markup.
    Code(String),
    /// A heading's opening tag, with its id (a rule heading's number link
    /// with it, which is no text).
    Heading { level: u8, anchor: String },
    /// A heading's permalink and closing tag.
    HeadingEnd { level: u8 },
    /// A rule's item, with its id, and its number link.
    Rule { anchor: String },
    /// Another list or item: it only separates text.
    Block(&'static str),
}

impl<'a> Renderer<'a> {
    /// Notes what the event about to be pushed at `at` is, for search.
    fn mark(&mut self, at: usize, mark: impl FnOnce() -> Mark) {
        if self.opts.search {
            self.marks.push((at, mark()));
        }
    }

    /// The title of rule `n`'s link.
    fn rule_title(&self, n: usize) -> String {
        escape_html(&self.opts.rule_link.replace("{n}", &n.to_string()))
    }

    fn new(opts: &'a MarkdownOptions) -> Self {
        Renderer {
            opts,
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
            marks: Vec::new(),
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
            self.in_heading(event, range, next, out);
            return;
        }
        let special_item = self.depth == 1 && self.lists.last() == Some(&true);
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
            Event::Start(Tag::CodeBlock(kind)) => self.start_code(kind),
            Event::Start(Tag::List(start)) => self.start_list(start, out),
            Event::Start(Tag::Item) if special_item => self.start_special_item(out),
            Event::End(TagEnd::Item) if special_item => {
                if let (Some(text), Some(rule)) =
                    (self.rule_text.take(), self.result.rules.last_mut())
                {
                    rule.text = collapse_ws(&text);
                }
                out.push(Event::End(TagEnd::Item));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.depth += 1;
                self.result.anchors.push(name.to_string());
                out.push(Event::Start(Tag::FootnoteDefinition(name)));
            }
            Event::Start(tag @ Tag::BlockQuote(_)) => {
                self.first_block = false;
                self.depth += 1;
                out.push(Event::Start(tag));
            }
            Event::End(
                end @ (TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition),
            ) => {
                self.depth = self.depth.saturating_sub(1);
                if matches!(end, TagEnd::List(_)) {
                    self.lists.pop();
                }
                out.push(Event::End(end));
            }
            Event::Start(Tag::Paragraph) => {
                self.first_block = false;
                self.in_summary = !self.summary_done && self.depth == 0;
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

    /// Events inside a heading are kept until its end, when its anchor is known.
    fn in_heading(
        &mut self,
        event: Event<'a>,
        range: std::ops::Range<usize>,
        next: Option<char>,
        out: &mut Vec<Event<'a>>,
    ) {
        if let Event::End(TagEnd::Heading(_)) = event {
            self.end_heading(out);
            return;
        }
        let inner = self.inline(event, range, next);
        if let (Some(h), Some(e)) = (&mut self.heading, inner) {
            if let Event::Text(t) | Event::Code(t) = &e {
                h.text.push_str(t);
            }
            h.inner.push(e);
        }
    }

    fn start_code(&mut self, kind: CodeBlockKind<'a>) {
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

    /// A top-level numbered list is a list of rules (rules pages) or steps (playbooks).
    fn start_list(&mut self, start: Option<u64>, out: &mut Vec<Event<'a>>) {
        self.first_block = false;
        let special = self.depth == 0
            && start.is_some()
            && (self.rules_as_list || self.opts.kind == Kind::Playbook);
        self.lists.push(special);
        self.depth += 1;
        let html = match special {
            true if self.rules_as_list => {
                let next = self.result.rules.len() + 1;
                format!("<ol class=\"rules\" start=\"{next}\">\n")
            }
            true => "<ol class=\"steps\">\n".to_string(),
            false => return out.push(Event::Start(Tag::List(start))),
        };
        self.mark(out.len(), || Mark::Block("ol"));
        out.push(Event::Html(html.into()));
    }

    /// An item of a rules or steps list: a numbered, linkable rule or a checkable step.
    fn start_special_item(&mut self, out: &mut Vec<Event<'a>>) {
        let html = if self.rules_as_list {
            let n = self.result.rules.len() + 1;
            self.mark(out.len(), || Mark::Rule {
                anchor: format!("rule-{n}"),
            });
            self.rule_text = Some(String::new());
            self.result.anchors.push(format!("rule-{n}"));
            self.result.rules.push(Rule {
                number: n,
                id: format!("rule-{n}"),
                text: String::new(),
            });
            format!(
                "<li id=\"rule-{n}\" class=\"rule\"><a class=\"rule-num\" href=\"#rule-{n}\" title=\"{}\">{n}</a>",
                self.rule_title(n)
            )
        } else {
            self.result.checks += 1;
            let n = self.result.checks;
            self.result.anchors.push(format!("step-{n}"));
            self.mark(out.len(), || Mark::Block("li"));
            format!("<li id=\"step-{n}\" class=\"step\" data-check=\"{n}\">")
        };
        out.push(Event::Html(html.into()));
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
            // Raw HTML's ids and `<a name>`s are link targets too.
            Event::Html(h) => {
                self.result.anchors.extend(html::html_ids(&h));
                Some(Event::Html(h))
            }
            Event::InlineHtml(h) => {
                self.result.anchors.extend(html::html_ids(&h));
                Some(Event::InlineHtml(h))
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Some(Event::Start(Tag::Image {
                link_type,
                dest_url: self.beside_file(dest_url),
                title,
                id,
            })),
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

    /// A relative URL of a file beside the source (`pic.png`), from the page's own URL.
    fn beside_file(&self, dest: CowStr<'a>) -> CowStr<'a> {
        let first = dest.split('/').next().unwrap_or("");
        let relative =
            !(dest.is_empty() || dest.starts_with(['/', '#', '?']) || first.contains(':'));
        if self.opts.nested && relative {
            format!("../{dest}").into()
        } else {
            dest
        }
    }

    /// A link's URL: a placeholder for a page of the site, else a file's URL.
    fn link(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let Some(placeholder) = internal_link(&dest) else {
            return self.beside_file(dest);
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
                self.result.cjk_chars += usize::from(letter_or_digit(c));
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
        self.mark(out.len(), || Mark::Code(code));
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
            let s = crate::slug::heading_id(&h.text);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        });
        let slug = self.unique(slug);
        let mut classes = h.classes.join(" ");
        let rule = self.opts.kind == Kind::Rules && !self.rules_as_list && level == 2;
        let (id, before, number) = if rule {
            classes.push_str(if classes.is_empty() { "rule" } else { " rule" });
            self.heading_rule(&slug, &text)
        } else {
            (slug, String::new(), String::new())
        };
        let class_attr = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_html(&classes))
        };
        let id_attr = escape_html(&id);
        self.mark(out.len(), || Mark::Heading {
            level,
            anchor: id.clone(),
        });
        out.push(Event::Html(
            format!("{before}<h{level} id=\"{id_attr}\"{class_attr}>{number}").into(),
        ));
        out.extend(h.inner);
        self.mark(out.len(), || Mark::HeadingEnd { level });
        out.push(Event::Html(
            format!("<a class=\"anchor\" href=\"#{id_attr}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n").into(),
        ));
        if self.opts.kind == Kind::Faq && level <= 2 {
            self.question(level, &id, &text);
        }
        self.flat_toc.push((level, id, text));
    }

    /// A `## ` heading of a rules page without numbered items is rule N:
    /// its id is `rule-N`, its text anchor stays on an empty span before it.
    /// Returns the id, the HTML before the heading and the visible number.
    fn heading_rule(&mut self, slug: &str, text: &str) -> (String, String, String) {
        let n = self.result.rules.len() + 1;
        let id = format!("rule-{n}");
        self.result.rules.push(Rule {
            number: n,
            id: id.clone(),
            text: text.to_string(),
        });
        self.result.anchors.push(id.clone());
        let before = format!(
            "<span id=\"{}\" class=\"alias-anchor\"></span>",
            escape_html(slug)
        );
        let number = format!(
            "<a class=\"rule-num\" href=\"#{id}\" title=\"{}\">{n}</a> ",
            self.rule_title(n)
        );
        (id, before, number)
    }

    /// In a FAQ, a `## ` heading opens a question; an `# ` heading ends the answer before it.
    fn question(&mut self, level: u8, id: &str, text: &str) {
        self.result.questions.retain(|q| !q.question.is_empty());
        let (id, question) = if level == 2 {
            (id.to_string(), text.to_string())
        } else {
            Default::default()
        };
        self.result.questions.push(Question {
            id,
            question,
            answer: String::new(),
        });
    }

    /// An id no other heading of the page has: `a`, `a-1`, `a-2`, … skipping
    /// any taken by an earlier heading (`## a-1` before the second `## a`)
    /// and the numbered anchors of rules and steps.
    fn unique(&mut self, slug: String) -> String {
        let reserved = |id: &str| {
            let numbered = |prefix: &str| {
                id.strip_prefix(prefix)
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            };
            (self.opts.kind == Kind::Rules && numbered("rule-"))
                || (self.opts.kind == Kind::Playbook && numbered("step-"))
        };
        let taken = |ids: &HashMap<String, usize>, id: &str| ids.contains_key(id) || reserved(id);
        let mut id = slug.clone();
        if taken(&self.ids, &id) {
            let mut n = self.ids.get(&slug).copied().unwrap_or(0);
            loop {
                n += 1;
                id = format!("{slug}-{n}");
                if !taken(&self.ids, &id) {
                    break;
                }
            }
            self.ids.insert(slug, n);
        }
        self.ids.entry(id.clone()).or_insert(0);
        self.result.anchors.push(id.clone());
        id
    }

    fn finish(mut self, events: Vec<Event<'a>>) -> Rendered {
        if self.opts.search {
            let parts = search_parts(&events, &self.marks);
            self.result.search = Some(crate::search::extract::encode(&parts).into_boxed_str());
        }
        let mut html = String::with_capacity(events.len() * 16);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if self.opts.raw_html == RawHtml::Sanitize {
            html = sanitize(&html);
        }
        self.result.html = crate::packed::PackedText::new(&html);
        self.result.questions.retain(|q| !q.question.is_empty());
        for q in &mut self.result.questions {
            q.answer = collapse_ws(&q.answer);
        }
        self.result.summary = collapse_ws(&self.result.summary);
        self.result.toc = nest(&self.flat_toc);
        self.result
    }
}

/// The searchable parts of a body's final events: what the HTML they make
/// would show, read without making or scanning it.
fn search_parts(events: &[Event<'_>], marks: &[(usize, Mark)]) -> Vec<Part> {
    let mut parts = Parts::default();
    let mut marks = marks.iter().peekable();
    // Text inside an image is its alt text, not shown.
    let mut in_image = 0usize;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => match marks.next_if(|(at, _)| *at == i) {
                Some((_, Mark::Code(code))) => {
                    parts.block("pre", false);
                    parts.text(code);
                    parts.block("pre", true);
                }
                Some((_, Mark::Heading { level, anchor })) => parts.open_heading(*level, anchor),
                Some((_, Mark::HeadingEnd { level })) => parts.close_heading(*level),
                Some((_, Mark::Rule { anchor })) => parts.open_rule(anchor),
                Some((_, Mark::Block(name))) => parts.block(name, false),
                None => parts.html(h),
            },
            Event::Text(t) | Event::Code(t) if in_image == 0 => parts.text(t),
            Event::SoftBreak => parts.text("\n"),
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(tag) => {
                if let Some(name) = block_name(&tag.to_end()) {
                    parts.block(name, false);
                }
            }
            Event::End(end) => {
                if let Some(name) = block_name(end) {
                    parts.block(name, true);
                }
            }
            Event::HardBreak => parts.block("br", false),
            _ => {}
        }
    }
    parts.finish()
}

/// The element a block opens and closes, for what separates text in parts.
fn block_name(end: &TagEnd) -> Option<&'static str> {
    Some(match end {
        TagEnd::Paragraph => "p",
        TagEnd::List(true) => "ol",
        TagEnd::List(false) => "ul",
        TagEnd::Item => "li",
        TagEnd::TableHead | TagEnd::TableRow => "tr",
        TagEnd::TableCell => "td",
        TagEnd::BlockQuote(_) => "blockquote",
        TagEnd::FootnoteDefinition => "div",
        TagEnd::CodeBlock => "pre",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
