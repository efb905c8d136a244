//! The section tree and URLs: which folder each page is in, where it lives,
//! and in what order sections list their pages.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::{Alias, Page, PageId, Section, SectionId, Site};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::SourcePath;
use crate::parse::{Document, Kind, SortBy, When};
use crate::slug::slugify;

pub(super) fn build(
    docs: Vec<Arc<Document>>,
    config: Arc<SiteConfig>,
    now: DateTime<FixedOffset>,
    committed: &crate::load::git::LastCommits,
    diags: &mut Diagnostics,
) -> Site {
    let kinds = crate::parse::section_kinds(docs.iter().map(|d| (&d.source, d.front.kind)));
    let roles = roles(docs.iter().map(|d| &d.source));
    let mut dirs: BTreeMap<String, Option<Arc<Document>>> = BTreeMap::new();
    dirs.insert(String::new(), None);
    for doc in &docs {
        add_dir_chain(&mut dirs, doc.source.dir());
    }
    let mut pages = Vec::with_capacity(docs.len());
    for (doc, role) in docs.into_iter().zip(roles) {
        match role {
            Role::Page => pages.push(doc),
            // Its folder holds a document, so it is in `dirs` already.
            Role::SectionPage(dir) => {
                dirs.insert(dir, Some(doc));
            }
        }
    }
    let mut sections: Vec<Section> = Vec::with_capacity(dirs.len());
    let mut by_dir = HashMap::new();
    for (dir, index) in dirs {
        let parent = (!dir.is_empty()).then(|| {
            let p = dir.rsplit_once('/').map_or("", |(p, _)| p);
            by_dir.get(p).copied().unwrap_or(SectionId(0))
        });
        let id = SectionId(sections.len());
        by_dir.insert(dir.clone(), id);
        let name = dir.rsplit('/').next().unwrap_or("");
        let kind = kinds.get(&dir).copied().unwrap_or(Kind::Page);
        let title = index.as_ref().map(|d| d.title.clone()).unwrap_or_else(|| {
            if dir.is_empty() {
                config.title.clone()
            } else {
                name.to_string()
            }
        });
        let url = dir_url(&dir, &config);
        if let Some(p) = parent {
            let parent_section: &mut Section = &mut sections[p.0];
            parent_section.children.push(id);
        }
        sections.push(Section {
            dir,
            url,
            kind,
            index,
            title,
            parent,
            children: Vec::new(),
            pages: Vec::new(),
            listing: Vec::new(),
            xrefs: Vec::new(),
        });
    }
    let mut site_pages = Vec::with_capacity(pages.len());
    for doc in pages {
        let section = by_dir
            .get(doc.source.dir())
            .copied()
            .unwrap_or(SectionId(0));
        let url = page_url(&doc, &sections[section.0].url, &config, diags);
        validate_kind(&doc, diags);
        let id = PageId(site_pages.len());
        sections[section.0].pages.push(id);
        site_pages.push(Page {
            url,
            section,
            tags: Vec::new(),
            xrefs: Vec::new(),
            position: 0,
            history: Arc::new([]),
            stale: None,
            committed: committed.get(&doc.source.file).map(|c| c.1),
            doc,
        });
    }
    let aliases = aliases(&site_pages, diags);
    let mut site = Site {
        config,
        now,
        pages: site_pages,
        sections,
        tags: Vec::new(),
        aliases,
        statics: Vec::new(),
        routes: Default::default(),
        translations: Default::default(),
    };
    sort_sections(&mut site);
    site
}

/// Adds `dir` and the folders above it to `dirs`, those not there yet.
fn add_dir_chain(dirs: &mut BTreeMap<String, Option<Arc<Document>>>, dir: &str) {
    for folder in folder_chain(dir) {
        // A folder already there came with every folder above it.
        if dirs.contains_key(folder) {
            break;
        }
        dirs.insert(folder.to_string(), None);
    }
}

/// `dir` and each folder above it, innermost first (`a/b`, then `a`);
/// none for the root, which is always a section.
fn folder_chain(dir: &str) -> impl Iterator<Item = &str> {
    std::iter::successors((!dir.is_empty()).then_some(dir), |d| {
        d.rsplit_once('/').map(|(parent, _)| parent)
    })
}

fn slug_or(text: &str, config: &SiteConfig) -> String {
    // `linux%e7%89%88.md`, as some repositories store names: the URL is made
    // from what the name says, not from its escapes.
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8();
    let text = match &decoded {
        Ok(d) if text.contains('%') => d.as_ref(),
        _ => text,
    };
    let s = slugify(text, config.slugify);
    if s.is_empty() { text.to_string() } else { s }
}

fn dir_url(dir: &str, config: &SiteConfig) -> String {
    let mut url = config.local("/");
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        url.push_str(&slug_or(part, config));
        url.push('/');
    }
    url
}

fn page_url(
    doc: &Document,
    section_url: &str,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> String {
    let name = doc.source.rel.rsplit('/').next().unwrap_or(&doc.source.rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let from_stem = || slug_or(stem, config);
    let slug = match &doc.front.slug {
        Some(s) => {
            let slug = slug_or(s.trim_matches('/'), config);
            if slug.is_empty() {
                let path = doc.source.display_path();
                diags.push(
                    Diagnostic::error(format!("`slug = {s:?}` is not a URL segment"))
                        .at(doc.front.locate(&path, "slug"))
                        .help(format!(
                            "write a slug of letters, digits and dashes, or remove it to use `{}`",
                            from_stem()
                        )),
                );
                from_stem()
            } else {
                slug
            }
        }
        None => from_stem(),
    };
    format!("{section_url}{slug}/")
}

/// Kind-specific checks that need nothing but the page itself.
fn validate_kind(doc: &Document, diags: &mut Diagnostics) {
    if doc.kind != Kind::Event {
        return;
    }
    let path = doc.source.display_path();
    let fm = &doc.front;
    for (key, when) in [("start", fm.start), ("end", fm.end)] {
        if let Some(When::Local(dt)) = when {
            diags.push(
                Diagnostic::error(format!(
                    "`{key}` of event `{}` has a time but no UTC offset",
                    doc.title
                ))
                .at(fm.locate(&path, key))
                .help(format!(
                    "write the offset, e.g. {}+08:00, so calendars show the right local time",
                    dt.format("%Y-%m-%dT%H:%M:%S")
                )),
            );
        }
    }
    match (fm.start, fm.end) {
        (None, _) => diags.push(
            Diagnostic::error(format!("event `{}` has no `start`", doc.title))
                .at(fm.locate(&path, "title"))
                .help("add start = 2026-05-01T19:00:00+08:00 (or a date for an all-day event)"),
        ),
        (Some(s), Some(e)) if e.instant() < s.instant() => diags.push(
            Diagnostic::error(format!("event `{}` ends before it starts", doc.title))
                .at(fm.locate(&path, "end"))
                .help("`end` must not be earlier than `start`"),
        ),
        _ => {}
    }
}

/// What a document is to the section tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// A page of its folder's section.
    Page,
    /// The own page of the section of this folder: its `_index.md`, or
    /// `foo.md` beside a folder `foo/` that has no `_index.md` (as Jupyter
    /// Book, mdBook and many wikis lay it out).
    SectionPage(String),
}

/// The role of each of one language's documents, in order: the one rule
/// for what is a page, shared by LINK and the search's head start (which
/// tokenizes pages before LINK has made them).
pub(crate) fn roles<'a>(sources: impl Iterator<Item = &'a SourcePath> + Clone) -> Vec<Role> {
    // Every folder holding a document, with its parents, and those that
    // have an `_index.md`.
    let mut folders: HashSet<&str> = HashSet::from([""]);
    let mut indexed: HashSet<&str> = HashSet::new();
    for source in sources.clone() {
        let dir = source.dir();
        if source.is_section_index() {
            indexed.insert(dir);
        }
        for folder in folder_chain(dir) {
            // A folder already there came with every folder above it.
            if !folders.insert(folder) {
                break;
            }
        }
    }
    sources
        .map(|source| {
            if source.is_section_index() {
                return Role::SectionPage(source.dir().to_string());
            }
            match folder_of(&source.rel) {
                Some(dir) if folders.contains(dir.as_str()) && !indexed.contains(dir.as_str()) => {
                    Role::SectionPage(dir)
                }
                _ => Role::Page,
            }
        })
        .collect()
}

/// `guides/setup.md` → `guides/setup`: the folder a page would be the page of.
fn folder_of(rel: &str) -> Option<String> {
    rel.strip_suffix(".md")
        .filter(|stem| !stem.ends_with("_index"))
        .map(str::to_string)
}

/// The redirects pages ask for. Which URLs they may take is the route
/// table's business; here each alias is checked on its own.
fn aliases(pages: &[Page], diags: &mut Diagnostics) -> Vec<Alias> {
    let mut out = Vec::new();
    for page in pages {
        let path = page.doc.source.display_path();
        for alias in &page.doc.front.aliases {
            if alias.contains("://") || alias.trim_start().starts_with("//") {
                diags.push(
                    Diagnostic::error(format!("alias `{alias}` of {path} is a full URL"))
                        .at(page.doc.front.locate(&path, "aliases"))
                        .help("an alias is a path on this site, such as /old/rules/"),
                );
                continue;
            }
            let from = normalize_alias(alias);
            if from == "/" {
                diags.push(
                    Diagnostic::error(format!("alias `{alias}` of {path} is the home page"))
                        .at(page.doc.front.locate(&path, "aliases"))
                        .help("an alias is an old path of this page, such as /old/rules/"),
                );
                continue;
            }
            if from == page.url {
                diags.push(
                    Diagnostic::warning(format!(
                        "alias `{alias}` of {path} is the page's own URL; ignored"
                    ))
                    .at(page.doc.front.locate(&path, "aliases")),
                );
                continue;
            }
            out.push(Alias {
                from,
                to: page.url.clone(),
                source: format!("{path} (alias `{alias}`)"),
                at: page.doc.front.locate(&path, "aliases"),
            });
        }
    }
    out
}

/// `old/rules` → `/old/rules/`; a path with an extension stays a file.
fn normalize_alias(alias: &str) -> String {
    let cleaned: Vec<&str> = alias
        .trim()
        .split('/')
        .filter(|p| !matches!(*p, "." | ".."))
        .collect();
    let cleaned = cleaned.join("/");
    let trimmed = cleaned.trim_start_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if last.contains('.') || trimmed.is_empty() {
        format!("/{trimmed}")
    } else {
        format!("/{}/", trimmed.trim_end_matches('/'))
    }
}

fn sort_sections(site: &mut Site) {
    let pages = &site.pages;
    for section in &mut site.sections {
        let sort_by = section.index.as_ref().and_then(|d| d.front.sort_by);
        let kind = section.kind;
        section.pages.sort_by(|a, b| {
            let (a, b) = (&pages[a.0], &pages[b.0]);
            let by_title = || a.doc.title.cmp(&b.doc.title);
            // Lists show the date they sort by: an event's start, else
            // when the page last changed (`updated`, else `date`).
            let when = |p: &Page| {
                let w = if kind == Kind::Event {
                    p.doc.front.start.or_else(|| p.date())
                } else {
                    p.last_changed()
                };
                w.map(|d| d.instant())
            };
            let by_date = || when(b).cmp(&when(a));
            let by_weight = || {
                let w = |p: &Page| p.doc.front.weight.unwrap_or(i64::MAX);
                w(a).cmp(&w(b))
            };
            match (sort_by, kind) {
                (Some(SortBy::Title), _) => by_title(),
                (Some(SortBy::Date), _) | (None, Kind::Event) => by_date().then_with(by_title),
                _ => by_weight().then_with(by_date).then_with(by_title),
            }
        });
    }
    let titles: Vec<String> = site.sections.iter().map(|s| s.title.clone()).collect();
    let weights: Vec<i64> = site
        .sections
        .iter()
        .map(|s| {
            s.index
                .as_ref()
                .and_then(|d| d.front.weight)
                .unwrap_or(i64::MAX)
        })
        .collect();
    for section in &mut site.sections {
        section.children.sort_by(|a, b| {
            weights[a.0]
                .cmp(&weights[b.0])
                .then_with(|| titles[a.0].cmp(&titles[b.0]))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_normalized() {
        assert_eq!(normalize_alias("old/rules"), "/old/rules/");
        assert_eq!(normalize_alias("/old/rules/"), "/old/rules/");
        assert_eq!(normalize_alias("/old/rules.html"), "/old/rules.html");
        assert_eq!(normalize_alias("../../etc/x"), "/etc/x/");
    }

    #[test]
    fn a_folder_chain_runs_up_to_the_root() {
        let chain = |dir| folder_chain(dir).collect::<Vec<_>>();
        assert_eq!(chain("a/b/c"), ["a/b/c", "a/b", "a"]);
        assert_eq!(chain("规则"), ["规则"]);
        assert!(chain("").is_empty());
    }

    #[test]
    fn a_folder_has_one_own_page_and_every_other_file_is_a_page() {
        let sources: Vec<SourcePath> = [
            "guides.md",
            "guides/a.md",
            "rules.md",
            "rules/_index.md",
            "rules/code.md",
            "deep/er/x.md",
            "deep.md",
            "deep/er.md",
            "faq.md",
            "_index.md",
        ]
        .iter()
        .map(|rel| SourcePath::new(rel))
        .collect();
        let page = |s: &str| (s.to_string(), Role::Page);
        let own = |s: &str, dir: &str| (s.to_string(), Role::SectionPage(dir.to_string()));
        let got: Vec<(String, Role)> = sources
            .iter()
            .map(|s| s.rel.clone())
            .zip(roles(sources.iter()))
            .collect();
        assert_eq!(
            got,
            [
                own("guides.md", "guides"),
                page("guides/a.md"),
                // `rules/` has its `_index.md`: `rules.md` is a page of the root.
                page("rules.md"),
                own("rules/_index.md", "rules"),
                page("rules/code.md"),
                page("deep/er/x.md"),
                // A folder with only folders in it is a folder too.
                own("deep.md", "deep"),
                own("deep/er.md", "deep/er"),
                page("faq.md"),
                own("_index.md", ""),
            ]
        );
    }
}
