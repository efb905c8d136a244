//! The section tree and URLs: which folder each page is in, where it lives,
//! and in what order sections list their pages.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::{Alias, Page, PageId, Section, SectionId, Site};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics};
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
    let (indexes, pages): (Vec<_>, Vec<_>) =
        docs.into_iter().partition(|d| d.source.is_section_index());
    let mut dirs: BTreeMap<String, Option<Arc<Document>>> = BTreeMap::new();
    dirs.insert(String::new(), None);
    for page in &pages {
        add_dir_chain(&mut dirs, page.source.dir());
    }
    for index in indexes {
        add_dir_chain(&mut dirs, index.source.dir());
        dirs.insert(index.source.dir().to_string(), Some(index));
    }
    // `foo.md` beside a folder `foo/` that has no `_index.md` is that
    // folder's own page, as Jupyter Book, mdBook and many wikis lay it out.
    let (beside, pages): (Vec<_>, Vec<_>) = pages.into_iter().partition(|d| {
        folder_of(&d.source.rel).is_some_and(|dir| matches!(dirs.get(&dir), Some(None)))
    });
    for doc in beside {
        if let Some(dir) = folder_of(&doc.source.rel) {
            dirs.insert(dir, Some(doc));
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

fn add_dir_chain(dirs: &mut BTreeMap<String, Option<Arc<Document>>>, dir: &str) {
    let mut acc = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(part);
        dirs.entry(acc.clone()).or_insert(None);
    }
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
}
