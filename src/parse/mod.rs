//! Stage 2, PARSE: each [`SourceFile`] becomes a [`Document`].
//!
//! Pure and per file, so a later incremental rebuild can re-parse one file.
//! Front matter is read first for every file, because a section's `kind`
//! (set in its `_index.md`, or implied by its folder name) decides how the
//! bodies of its pages render.

pub(crate) mod date;
pub(crate) mod front_matter;
pub(crate) mod highlight;
pub(crate) mod kind;
pub(crate) mod markdown;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

pub(crate) use date::When;
pub(crate) use front_matter::FrontMatter;
pub(crate) use kind::{Kind, SortBy};
pub(crate) use markdown::{Question, Rendered, Rule, TocEntry};

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::load::{SourceFile, SourcePath};

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
    pub source: SourcePath,
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
    /// Hash of the source text: equal hashes (with equal settings and kind) parse equally.
    pub hash: u64,
    /// What a translation records of its original in `translated_from`:
    /// the title and body, not the rest of the front matter (a new tag or
    /// date does not make a translation stale). Stable across builds and versions.
    pub fingerprint: String,
}

/// A document's [`Document::fingerprint`] from its title and body text.
pub(crate) fn fingerprint(title: &str, body: &str) -> String {
    let text = format!("{}\n{}", title.trim(), body.trim());
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// Parsed documents kept between builds of one session, keyed by source
/// path and content hash, so a rebuild re-parses only the files that changed.
#[derive(Default)]
pub struct ParseCache {
    /// Markdown and front matter settings the entries were made with.
    settings: Option<String>,
    entries: HashMap<String, CacheEntry>,
    /// Sources in LOAD's order, as of the last full parse.
    order: Vec<SourcePath>,
}

struct CacheEntry {
    hash: u64,
    body_offset: usize,
    warnings: Vec<Diagnostic>,
    doc: Arc<Document>,
}

fn content_hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// One source after its front matter is read, or found unchanged in the cache.
struct Fronted {
    /// Its text is dropped as soon as the document is made: a big site's
    /// sources and documents are never all in memory at once.
    src: SourceFile,
    hash: u64,
    /// The `kind` its front matter sets.
    declared: Option<Kind>,
    /// Front matter just parsed; `None` when `cached` holds it.
    front: Option<FrontMatter>,
    body_offset: usize,
    warnings: Vec<Diagnostic>,
    /// Warnings about the body, found when it is rendered (after the
    /// front matter's were reported).
    body_warnings: Vec<Diagnostic>,
    cached: Option<Arc<Document>>,
}

/// Parses every source; all problems of all files are reported together.
/// Unchanged files come from `cache`, which is then updated.
pub(crate) fn documents(
    sources: Vec<SourceFile>,
    config: &SiteConfig,
    cache: &mut ParseCache,
    diags: &mut Diagnostics,
) -> Vec<Arc<Document>> {
    let rule_links = rule_links(config);
    let settings = format!(
        "{:?}{:?}{rule_links:?}{:?}",
        config.markdown, config.front_matter, config.search.enabled
    );
    if cache.settings.as_ref() != Some(&settings) {
        *cache = ParseCache {
            settings: Some(settings),
            ..Default::default()
        };
    }
    let unknown = config.front_matter.unknown_keys;
    let order: Vec<SourcePath> = sources.iter().map(|s| s.path.clone()).collect();
    let fronts: Vec<Result<Fronted, Diagnostic>> = sources
        .into_par_iter()
        .map(|src| {
            let hash = content_hash(&src.text);
            if let Some(e) = cache.entries.get(&src.path.file).filter(|e| e.hash == hash) {
                return Ok(Fronted {
                    src,
                    hash,
                    declared: e.doc.front.kind,
                    front: None,
                    body_offset: e.body_offset,
                    warnings: e.warnings.clone(),
                    body_warnings: Vec::new(),
                    cached: Some(e.doc.clone()),
                });
            }
            let (front, body_offset, warnings) = read_front(&src, unknown)?;
            Ok(Fronted {
                src,
                hash,
                declared: front.kind,
                front: Some(front),
                body_offset,
                warnings,
                body_warnings: Vec::new(),
                cached: None,
            })
        })
        .collect();
    let mut parsed = Vec::with_capacity(fronts.len());
    for f in fronts {
        match f {
            Ok(f) => {
                diags.extend(f.warnings.iter().cloned());
                parsed.push(f);
            }
            Err(d) => diags.push(d),
        }
    }
    let kinds = section_kinds(parsed.iter().map(|f| (&f.src.path, f.declared)));
    let results: Vec<Result<(Fronted, Arc<Document>), Diagnostic>> = parsed
        .into_par_iter()
        .map(|mut f| {
            let kind = kinds.get(f.src.path.dir()).copied().unwrap_or(Kind::Page);
            let front = match (f.front.take(), f.cached.take()) {
                (_, Some(doc)) if doc.kind == kind => {
                    f.src.text = Arc::from("");
                    return Ok((f, doc));
                }
                (Some(front), _) => front,
                // Unchanged, but its section's kind changed: render it again.
                (None, cached) => cached.map(|d| d.front.clone()).unwrap_or_default(),
            };
            let rule_link = &rule_links[f.src.path.lang];
            let (doc, body_warnings) = document(
                &f.src,
                f.hash,
                front,
                f.body_offset,
                kind,
                config,
                rule_link,
            )?;
            f.body_warnings = body_warnings;
            f.src.text = Arc::from("");
            Ok((f, Arc::new(doc)))
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut entries = HashMap::with_capacity(results.len());
    for r in results {
        match r {
            Ok((mut f, doc)) => {
                diags.extend(f.body_warnings.iter().cloned());
                f.warnings.append(&mut f.body_warnings);
                entries.insert(
                    f.src.path.file.clone(),
                    CacheEntry {
                        hash: f.hash,
                        body_offset: f.body_offset,
                        warnings: f.warnings,
                        doc: doc.clone(),
                    },
                );
                docs.push(doc);
            }
            Err(d) => diags.push(d),
        }
    }
    cache.entries = entries;
    cache.order = order;
    docs
}

/// Splits a source and parses its front matter: the front matter, where
/// the body starts, and the warnings (dropped keys).
fn read_front(
    src: &SourceFile,
    unknown: crate::config::UnknownKeys,
) -> Result<(FrontMatter, usize, Vec<Diagnostic>), Diagnostic> {
    let split = front_matter::split(&src.text).map_err(|(offset, msg)| {
        let index = LineIndex::new(&src.text);
        Diagnostic::error(msg)
            .at(index.locate(&src.path.display_path(), &src.text, offset))
            .help("close the front matter with a line of +++ (TOML) or --- (YAML)")
    })?;
    let mut warnings = Vec::new();
    let front = front_matter::parse(src, &split, unknown, &mut warnings)?;
    Ok((front, split.body_offset, warnings))
}

impl ParseCache {
    /// Parses sources that changed since the last [`documents`] call, each
    /// keeping the kind it had (the caller makes sure no section's kind
    /// changed); returns the errors. A file that fails stays in the cache
    /// as it was.
    pub fn update(&mut self, changed: &[SourceFile], config: &SiteConfig) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let rule_links = rule_links(config);
        for src in changed {
            let Some(old) = self.entries.get(&src.path.file) else {
                continue;
            };
            let kind = old.doc.kind;
            let hash = content_hash(&src.text);
            let parsed = read_front(src, config.front_matter.unknown_keys).and_then(
                |(front, body_offset, mut warnings)| {
                    let rule_link = &rule_links[src.path.lang];
                    let (doc, mut body_warnings) =
                        document(src, hash, front, body_offset, kind, config, rule_link)?;
                    warnings.append(&mut body_warnings);
                    Ok(CacheEntry {
                        hash,
                        body_offset,
                        warnings,
                        doc: Arc::new(doc),
                    })
                },
            );
            match parsed {
                Ok(entry) => {
                    self.entries.insert(src.path.file.clone(), entry);
                }
                Err(d) => errors.push(d),
            }
        }
        errors
    }

    /// Every document in LOAD's order, with the warnings each had.
    pub fn in_order(&self, diags: &mut Diagnostics) -> Vec<Arc<Document>> {
        let mut docs = Vec::with_capacity(self.order.len());
        for path in &self.order {
            if let Some(e) = self.entries.get(&path.file) {
                diags.extend(e.warnings.iter().cloned());
                docs.push(e.doc.clone());
            }
        }
        docs
    }

    /// The sources the last full parse could not read (their errors are
    /// reported): LINK does not report the links to them again.
    pub fn unparsed(&self) -> impl Iterator<Item = &SourcePath> {
        self.order
            .iter()
            .filter(|p| !self.entries.contains_key(&p.file))
    }

    /// Whether this source parsed without warnings.
    pub fn is_clean(&self, file: &str) -> bool {
        self.entries
            .get(file)
            .is_some_and(|e| e.warnings.is_empty())
    }

    /// Whether the cache holds this source (it parsed at the last full parse).
    pub fn has(&self, file: &str) -> bool {
        self.entries.contains_key(file)
    }

    /// The document parsed last from this source.
    pub fn get(&self, file: &str) -> Option<&Arc<Document>> {
        self.entries.get(file).map(|e| &e.doc)
    }
}

/// The kind of every folder holding a source, and of every folder above
/// one: its `_index.md`'s `kind`, else its name's (top level only), else its
/// parent's. LINK reads the same map for its sections.
pub(crate) fn section_kinds<'a>(
    items: impl Iterator<Item = (&'a SourcePath, Option<Kind>)>,
) -> HashMap<String, Kind> {
    let mut explicit = HashMap::new();
    let mut dirs = vec![String::new()];
    for (path, declared) in items {
        let dir = path.dir();
        if let Some(k) = declared.filter(|_| path.is_section_index()) {
            // The default language's `_index.md` comes first and decides.
            explicit.entry(dir.to_string()).or_insert(k);
        }
        // Folders without a file of their own still pass their kind down.
        let mut at = 0;
        while let Some(i) = dir[at..].find('/') {
            dirs.push(dir[..at + i].to_string());
            at += i + 1;
        }
        dirs.push(dir.to_string());
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

/// Tags one page may have: every tag page lists the page with all its
/// tags, so the work grows with the square of this.
const MAX_TAGS: usize = 100;

/// Per language, the title of a rule number's link (the one theme word
/// the body's HTML holds).
fn rule_links(config: &SiteConfig) -> Vec<String> {
    (0..config.languages.len())
        .map(|l| {
            crate::render::labels::of_language(config, l)
                .remove("rule_link")
                .unwrap_or_default()
        })
        .collect()
}

fn document(
    src: &SourceFile,
    hash: u64,
    front: FrontMatter,
    body_offset: usize,
    kind: Kind,
    config: &SiteConfig,
    rule_link: &str,
) -> Result<(Document, Vec<Diagnostic>), Diagnostic> {
    let path = src.path.display_path();
    let text = &src.text;
    let index = LineIndex::new(text);
    let mut opts = markdown::MarkdownOptions {
        raw_html: config.markdown.raw_html,
        highlight: config.markdown.highlight,
        kind: if src.path.is_section_index() {
            Kind::Page
        } else {
            kind
        },
        take_title: front.title.is_none(),
        first_link: 0,
        nested: !src.path.is_section_index(),
        rule_link: rule_link.to_string(),
        search: config.search.enabled,
    };
    if front.tags.len() > MAX_TAGS {
        return Err(Diagnostic::error(format!(
            "{} tags on one page; at most {MAX_TAGS}",
            front.tags.len()
        ))
        .at(front.locate(&path, "tags"))
        .help("tags are for finding pages; split the list or move it under `extra`"));
    }
    if let Some(tag) = front
        .tags
        .iter()
        .find(|t| crate::slug::slugify(t, config.slugify).is_empty())
    {
        return Err(Diagnostic::error(format!(
            "tag `{tag}` has no letters or digits to make its page's URL from"
        ))
        .at(front.locate(&path, "tags"))
        .help("remove it, or give the tag a name"));
    }
    // `markdown="1"` blocks (kramdown, md_in_html): rendered as Markdown,
    // offsets mapped back to the file.
    let expanded = markdown::md_in_html::expand(&text[body_offset..]);
    let body = match &expanded {
        Some((expanded_body, _)) => markdown::render(expanded_body, &opts),
        None => markdown::render(&text[body_offset..], &opts),
    };
    let at = |offset: usize| match &expanded {
        Some((_, inserted)) => markdown::md_in_html::original(offset, inserted),
        None => offset,
    };
    if let Some(offset) = body.too_deep {
        return Err(Diagnostic::error(format!(
            "Markdown nested more than {} levels deep (quotes, lists or emphasis inside each other)",
            markdown::MAX_NESTING
        ))
        .at(index.locate(&path, text, body_offset + at(offset)))
        .help("flatten the nesting; this deep is almost always a paste gone wrong"));
    }
    let mut warnings = Vec::new();
    if let Some((offset, what, n)) = body.foreign {
        let more = if n > 1 {
            format!(" (and {} more in this file)", n - 1)
        } else {
            String::new()
        };
        warnings.push(
            Diagnostic::warning(format!(
                "{what}, written for another generator, is shown as text{more}"
            ))
            .at(index.locate(&path, text, body_offset + at(offset)))
            .help("almanac runs no other generator's templates: write it as Markdown (a link, the included text), or put it in a code block"),
        );
    }
    let mut cursor = index.cursor(&path, text);
    let mut links: Vec<Link> = body
        .links
        .iter()
        .map(|l| Link {
            target: l.target.clone(),
            location: cursor.locate(body_offset + at(l.offset)),
            placeholder: l.placeholder,
        })
        .collect();
    let mut prerequisites = Vec::new();
    opts.take_title = false;
    opts.kind = Kind::Page;
    opts.search = false;
    for p in &front.prerequisites {
        opts.first_link = links.len();
        let r = markdown::render(p, &opts);
        let html = r.html.unpack();
        let html = html.trim();
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
        .unwrap_or_else(|| file_title(&src.path));
    let doc = Document {
        source: src.path.clone(),
        front,
        kind,
        body,
        prerequisites,
        fingerprint: fingerprint(&title, &text[body_offset..]),
        links,
        title,
        hash,
    };
    Ok((doc, warnings))
}

/// A title from the file name, for pages with none: `group-rules.md` → `group-rules`.
fn file_title(src: &SourcePath) -> String {
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
