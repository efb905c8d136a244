//! Stage 2, PARSE: each [`SourceFile`] becomes a [`Document`].
//!
//! Pure and per file, so a later incremental rebuild can re-parse one file.
//! Front matter is read first for every file, because a section's `kind`
//! (set in its `_index.md`, or implied by its folder name) decides how the
//! bodies of its pages render.

pub mod front_matter;
pub mod highlight;
pub mod markdown;

use std::collections::HashMap;

use rayon::prelude::*;

pub use front_matter::{FrontMatter, HistoryEntry, Kind, SortBy, When};
pub use markdown::{Question, Rendered, Rule, TocEntry};

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::load::SourceFile;

/// An internal link found in a document, to be resolved by LINK.
#[derive(Debug, Clone)]
pub struct Link {
    /// As written: `../rules/x.md#rule-3`, `@/faq/y.md`, `#anchor`.
    pub target: String,
    /// Where it is written.
    pub location: Location,
    /// Whether the HTML holds a placeholder for it.
    pub placeholder: bool,
}

/// A parsed source: front matter, kind and rendered body.
#[derive(Debug, Clone)]
pub struct Document {
    /// The source it came from.
    pub source: SourceFile,
    /// Front matter.
    pub front: FrontMatter,
    /// The kind of its section.
    pub kind: Kind,
    /// The body.
    pub body: Rendered,
    /// Playbook prerequisites, each rendered as inline HTML.
    pub prerequisites: Vec<String>,
    /// Internal links of the body and the prerequisites; a placeholder's N indexes this.
    pub links: Vec<Link>,
    /// `title`, else the leading `# ` heading, else the file name.
    pub title: String,
}

/// Parses every source; all problems of all files are reported together.
pub fn documents(
    sources: &[SourceFile],
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    let unknown = config.front_matter.unknown_keys;
    let fronts: Vec<_> = sources
        .par_iter()
        .map(|src| {
            let mut warnings = Vec::new();
            let result = match front_matter::split(&src.text) {
                Err((offset, msg)) => Err(Diagnostic::error(msg)
                    .at(LineIndex::new(&src.text).locate(&src.display_path(), &src.text, offset))
                    .help("close the front matter with a line of +++ (TOML) or --- (YAML)")),
                Ok(split) => front_matter::parse(src, &split, unknown, &mut warnings)
                    .map(|fm| (fm, split.body_offset)),
            };
            (result, warnings)
        })
        .collect();
    let mut parsed = Vec::with_capacity(sources.len());
    for (src, (result, warnings)) in sources.iter().zip(fronts) {
        diags.extend(warnings);
        match result {
            Ok((fm, body_offset)) => parsed.push((src, fm, body_offset)),
            Err(d) => diags.push(d),
        }
    }
    let kinds = section_kinds(parsed.iter().map(|(s, fm, _)| (*s, fm)));
    let results: Vec<Result<Document, Diagnostic>> = parsed
        .into_par_iter()
        .map(|(src, front, body_offset)| {
            let kind = kinds.get(src.dir()).copied().unwrap_or(Kind::Page);
            document(src, front, body_offset, kind, config)
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(d) => diags.push(d),
        }
    }
    docs
}

/// The kind of every folder: its `_index.md`'s `kind`, else its name's, else its parent's.
fn section_kinds<'a>(
    items: impl Iterator<Item = (&'a SourceFile, &'a FrontMatter)>,
) -> HashMap<String, Kind> {
    let mut explicit = HashMap::new();
    let mut dirs = vec![String::new()];
    for (src, fm) in items {
        let dir = src.dir().to_string();
        if let Some(k) = fm.kind.filter(|_| src.is_section_index()) {
            explicit.insert(dir.clone(), k);
        }
        dirs.push(dir);
    }
    dirs.sort();
    dirs.dedup();
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    for dir in dirs {
        let parent = (!dir.is_empty()).then(|| dir.rsplit_once('/').map_or("", |(p, _)| p));
        let parent_kind = parent.and_then(|p| kinds.get(p).copied());
        let kind = Kind::of_folder(&dir, explicit.get(&dir).copied(), parent_kind);
        kinds.insert(dir, kind);
    }
    kinds
}

fn document(
    src: &SourceFile,
    front: FrontMatter,
    body_offset: usize,
    kind: Kind,
    config: &SiteConfig,
) -> Result<Document, Diagnostic> {
    let path = src.display_path();
    let text = &src.text;
    let index = LineIndex::new(text);
    let mut opts = markdown::MarkdownOptions {
        raw_html: config.markdown.raw_html,
        highlight: config.markdown.highlight,
        kind: if src.is_section_index() {
            Kind::Page
        } else {
            kind
        },
        take_title: front.title.is_none(),
        first_link: 0,
    };
    let body = markdown::render(&text[body_offset..], &opts);
    let mut links: Vec<Link> = body
        .links
        .iter()
        .map(|l| Link {
            target: l.target.clone(),
            location: index.locate(&path, text, body_offset + l.offset),
            placeholder: l.placeholder,
        })
        .collect();
    let mut prerequisites = Vec::new();
    opts.take_title = false;
    opts.kind = Kind::Page;
    for p in &front.prerequisites {
        opts.first_link = links.len();
        let r = markdown::render(p, &opts);
        let html = r.html.trim();
        let html = html
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .unwrap_or(html);
        prerequisites.push(html.to_string());
        links.extend(r.links.into_iter().map(|l| Link {
            target: l.target,
            location: front.locate(&path, "prerequisites"),
            placeholder: l.placeholder,
        }));
    }
    let title = front
        .title
        .clone()
        .or_else(|| body.title.clone())
        .unwrap_or_else(|| file_title(src));
    Ok(Document {
        source: src.clone(),
        front,
        kind,
        body,
        prerequisites,
        links,
        title,
    })
}

/// A title from the file name, for pages with none: `group-rules.md` → `group-rules`.
fn file_title(src: &SourceFile) -> String {
    let name = src.rel.rsplit('/').next().unwrap_or(&src.rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    if stem == "_index" {
        src.dir()
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("Home")
            .to_string()
    } else {
        stem.to_string()
    }
}
