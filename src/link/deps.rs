//! Dependencies and fingerprints: what a route reads, and a hash of each
//! such input, so a rebuild can tell which routes must be rendered again.
//!
//! A *dependency* ([`Dep`]) names one input of a route in this build. Its
//! *fingerprint* hashes that input's content together with its identity
//! (the page's source path, the section's folder), so fingerprints compare
//! across builds even though ids do not. A route's fingerprint hashes its
//! path, its kind and the fingerprints of its dependencies: equal
//! fingerprints render equal bytes.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::routes::{Route, RouteKind};
use super::{Page, PageId, SectionId, Site, TermId};

/// One input of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dep {
    /// Config, templates, theme, "now": what every output may read.
    Global,
    /// A page's body, front matter and resolved links.
    Doc(PageId),
    /// What listings show of a page.
    Summary(PageId),
    /// A section as links and breadcrumbs show it, with its own body.
    Section(SectionId),
    /// The top-level sections of the menu, with their counts.
    Menu,
    /// The home page's lists: recent pages, upcoming events, popular tags.
    Lists,
    /// One tag: its name, pages and their order.
    Term(TermId),
    /// Every tag with its count.
    Terms,
    /// A rules page's history (front matter and git).
    History(PageId),
    /// The newest date of any page (feeds' date for undated entries).
    Latest,
    /// The URLs the sitemap lists.
    Sitemap,
    /// Every page's text and summary: what the search index reads.
    Corpus,
    /// One shard of the search index: its tokens and their pages.
    Shard(u32),
}

/// Fingerprints hash every page's text on every rebuild, so the hasher is
/// the fast one rustc uses (deterministic, unlike the standard library's).
fn hasher() -> rustc_hash::FxHasher {
    rustc_hash::FxHasher::default()
}

/// A fingerprint of any hashable value.
pub(crate) fn hash_of(value: impl Hash) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

/// The fingerprint of every input of one build.
pub(crate) struct Fingerprints {
    global: u64,
    menu: u64,
    lists: u64,
    terms: u64,
    latest: u64,
    sitemap: u64,
    corpus: u64,
    /// Each search shard's, when the index was made first; else every
    /// shard changes with [`Dep::Corpus`].
    shards: Vec<u64>,
    docs: Vec<u64>,
    summaries: Vec<u64>,
    sections: Vec<u64>,
    term: Vec<u64>,
    history: Vec<u64>,
}

impl Fingerprints {
    /// Fingerprints of `site`'s inputs; `global` covers what is not in the
    /// site (templates and theme files).
    pub(crate) fn new(site: &Site, global: u64, sitemap: u64) -> Fingerprints {
        let summaries: Vec<u64> = site.pages.par_iter().map(|p| summary(site, p)).collect();
        let docs: Vec<u64> = site
            .pages
            .par_iter()
            .map(|p| {
                let versions = site.translations.of_page(&p.doc.source.rel);
                hash_of((
                    (&p.doc.source.rel, p.doc.hash, p.doc.kind, &p.xrefs),
                    (&p.stale, versions),
                ))
            })
            .collect();
        let history = site
            .pages
            .iter()
            .map(|p| {
                // A commit names the file's text in it.
                let commits: Vec<&str> = p.history.iter().map(|r| r.commit.as_str()).collect();
                hash_of((&p.doc.source.rel, p.doc.hash, commits))
            })
            .collect();
        let counts = site.descendant_counts();
        let sections: Vec<u64> = site
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let index = s.index.as_ref().map(|d| d.hash);
                let years: Vec<(i32, usize)> = site
                    .archive_years(SectionId(i))
                    .into_iter()
                    .map(|y| (y, site.events_of_year(SectionId(i), y).len()))
                    .collect();
                let versions = site.translations.of_section(&s.dir);
                hash_of((
                    (&s.dir, &s.url, &s.title, s.kind, index, &s.xrefs),
                    (counts[i], years, versions),
                ))
            })
            .collect();
        let menu = hash_of((
            site.root()
                .children
                .iter()
                .map(|c| sections[c.0])
                .collect::<Vec<_>>(),
            site.events().next().is_some(),
        ));
        let term: Vec<u64> = site
            .tags
            .iter()
            .map(|t| {
                let pages: Vec<&str> = t.pages.iter().map(|p| rel(site, *p)).collect();
                hash_of((&t.name, &t.slug, pages))
            })
            .collect();
        let terms = hash_of(
            site.tags
                .iter()
                .map(|t| (&t.name, &t.slug, t.pages.len()))
                .collect::<Vec<_>>(),
        );
        let lists = hash_of({
            let lists = site.home_lists();
            let ids = lists.recent.iter().chain(&lists.upcoming);
            ids.map(|p| summaries[p.0]).collect::<Vec<_>>()
        });
        let latest = hash_of(site.latest());
        let corpus = hash_of((&docs, &summaries));
        Fingerprints {
            global,
            corpus,
            shards: Vec::new(),
            menu,
            lists: hash_of((lists, terms)),
            terms,
            latest,
            sitemap,
            docs,
            summaries,
            sections,
            term,
            history,
        }
    }

    /// Sets each search shard's fingerprint (see [`Dep::Shard`]).
    pub(crate) fn set_shards(&mut self, shards: Vec<u64>) {
        self.shards = shards;
    }

    /// The fingerprint of one input.
    pub(crate) fn of(&self, dep: Dep) -> u64 {
        match dep {
            Dep::Global => self.global,
            Dep::Doc(p) => self.docs[p.0],
            Dep::Summary(p) => self.summaries[p.0],
            Dep::Section(s) => self.sections[s.0],
            Dep::Menu => self.menu,
            Dep::Lists => self.lists,
            Dep::Term(t) => self.term[t.0],
            Dep::Terms => self.terms,
            Dep::History(p) => self.history[p.0],
            Dep::Latest => self.latest,
            Dep::Sitemap => self.sitemap,
            Dep::Corpus => self.corpus,
            Dep::Shard(n) => self.shards.get(n as usize).copied().unwrap_or(self.corpus),
        }
    }

    /// The fingerprint of a route: equal fingerprints render equal bytes.
    pub(crate) fn route(&self, site: &Site, route: &Route) -> u64 {
        let mut h = hasher();
        route.path.hash(&mut h);
        match &route.kind {
            // Ids differ between builds; the dependencies name the page.
            RouteKind::Page(_) | RouteKind::EventCalendar(_) | RouteKind::SearchPages(_) => {
                0.hash(&mut h)
            }
            RouteKind::Section { pager, .. } | RouteKind::Tag { pager, .. } => pager.hash(&mut h),
            // The file is read when written or served; where it comes from is what renders.
            RouteKind::Static(i) => (&site.statics[*i].source, site.statics[*i].layer).hash(&mut h),
            other => other.hash(&mut h),
        }
        for dep in route.deps(site) {
            self.of(dep).hash(&mut h);
        }
        h.finish()
    }
}

/// What the sitemap lists, in every language, with its alternates; and
/// which translations are stale.
pub(crate) fn sitemap(sites: &super::Sites) -> u64 {
    let listed: Vec<_> = sites
        .langs
        .iter()
        .flat_map(|site| {
            site.routes
                .routes
                .iter()
                .filter(|r| r.in_sitemap())
                .map(move |r| (&r.url, site.lastmod(r), site.alternates(&r.kind)))
        })
        .collect();
    // The translation status page lists stale translations.
    let stale: Vec<bool> = sites
        .langs
        .iter()
        .flat_map(|s| s.pages.iter().map(|p| p.stale.is_some()))
        .collect();
    hash_of((listed, stale))
}

fn rel(site: &Site, p: PageId) -> &str {
    &site.page(p).doc.source.rel
}

/// Everything a listing, feed entry or calendar shows of a page.
fn summary(site: &Site, p: &Page) -> u64 {
    let fm = &p.doc.front;
    let tags: Vec<(&str, &str, usize)> = p
        .tags
        .iter()
        .map(|t| {
            let t = &site.tags[t.0];
            (t.name.as_str(), t.slug.as_str(), t.pages.len())
        })
        .collect();
    hash_of((
        (&p.doc.source.rel, &p.url, &p.doc.title, p.doc.kind),
        (
            &fm.description,
            &p.doc.body.summary,
            p.doc.body.reading_minutes(),
        ),
        (p.date(), p.last_changed(), fm.draft, tags),
        (
            fm.start,
            fm.end,
            &fm.location,
            &fm.online,
            &fm.organizers,
            fm.recap,
        ),
        site.is_upcoming(p),
    ))
}
