//! Stage 3, LINK: documents become a [`Site`] — URLs, the section tree,
//! tags, and every internal link resolved and checked.
//!
//! Pure: no I/O, no templates. It runs from scratch on every build (it is
//! milliseconds even for large sites), which keeps incremental rebuilds
//! simple. Vocabulary: a *page* is a Markdown file other than a section's own
//! page (its `_index.md`, or `foo.md` beside a folder `foo/` that has none:
//! see [`roles`]); a *section* is a folder; a *term* is one tag.

pub(crate) mod deps;
pub(crate) mod lint;
pub(crate) mod routes;
mod taxonomy;
pub(crate) use taxonomy::named_tags;
pub(crate) mod translations;
mod tree;
pub(crate) use tree::{Role, roles};
mod xref;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostics;
use crate::parse::{Document, Kind, When};
pub(crate) use routes::{Layer, Pager, Route, RouteKind, RouteTable, StaticFile};

/// Index of a page in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub usize);

/// Index of a section in [`Site::sections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionId(pub usize);

/// Index of a tag in [`Site::tags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub usize);

/// A page with its place in the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// The parsed file.
    pub doc: Arc<Document>,
    /// Its URL path, e.g. `/rules/group-rules/`.
    pub url: String,
    /// The section it is in.
    pub section: SectionId,
    /// Its tags.
    pub tags: Vec<TermId>,
    /// Resolved URLs of `doc.links`, by index.
    pub xrefs: Vec<String>,
    /// Its place in its section's pages.
    pub position: usize,
    /// Revisions of the file from git, oldest first (rules pages with
    /// `rules.history_from_git` only).
    pub history: Arc<[crate::load::Revision]>,
    /// Set when this is a translation whose original changed after it.
    pub stale: Option<Stale>,
    /// When its file was last committed (a site in a git repository, with
    /// `[git] dates`).
    pub committed: Option<When>,
}

/// What makes a translation stale: its original changed after it was made.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stale {
    /// The original's URL path.
    pub original: String,
    /// When the original changed (from git; unknown for a `translated_from` mismatch
    /// when the original has no `updated`).
    pub changed: Option<When>,
}

impl Page {
    /// The date a listing sorts by: `date`, else an event's `start`.
    pub fn date(&self) -> Option<When> {
        self.doc.front.date.or(self.doc.front.start)
    }

    /// When the page last changed: `updated`, else its last commit, else
    /// [`Page::date`]; for a rules page, a later revision in its history
    /// (declared or from git) wins, so "updated" matches the history shown.
    pub fn last_changed(&self) -> Option<When> {
        let own = self
            .doc
            .front
            .updated
            .or(self.committed)
            .or_else(|| self.date());
        let declared = self.doc.front.history.iter().map(|h| h.date);
        let revised = self.history.iter().map(|r| r.date);
        declared
            .chain(revised)
            .chain(own)
            .max_by_key(|w| w.instant())
    }
}

/// A folder of content.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` (`""` for the root).
    pub dir: String,
    /// Its URL path, e.g. `/rules/`.
    pub url: String,
    /// The kind of its pages.
    pub kind: Kind,
    /// Its `_index.md`, if it has one.
    pub index: Option<Arc<Document>>,
    /// Title: the index's, else the folder name.
    pub title: String,
    /// The enclosing section (`None` for the root).
    pub parent: Option<SectionId>,
    /// Sub-sections, by title.
    pub children: Vec<SectionId>,
    /// Its own pages (not those of sub-sections), in listing order.
    pub pages: Vec<PageId>,
    /// What its listing shows, in order: its pages, or for an event
    /// section every event below it, upcoming (soonest first) then past
    /// (newest first).
    pub listing: Vec<PageId>,
    /// Resolved URLs of the index's links, by index.
    pub xrefs: Vec<String>,
}

/// One tag and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    /// Display name, as first written.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// `/tags/<slug>/`.
    pub url: String,
    /// Pages, newest first.
    pub pages: Vec<PageId>,
}

/// An old URL that redirects to a new one.
#[derive(Debug, Clone)]
pub struct Alias {
    /// The old URL path, e.g. `/old/rules/`.
    pub from: String,
    /// Where it goes.
    pub to: String,
    /// The page that claims it, for messages.
    pub source: String,
    /// Where the alias is written.
    pub at: crate::diagnostic::Location,
}

/// The whole site, linked and checked.
#[derive(Debug, Clone)]
pub struct Site {
    /// Validated configuration.
    pub config: Arc<SiteConfig>,
    /// "Now", for upcoming and past events.
    pub now: DateTime<FixedOffset>,
    /// All pages (drafts only with `--drafts`).
    pub pages: Vec<Page>,
    /// All sections; `SectionId(0)` is the root.
    pub sections: Vec<Section>,
    /// Tags, by slug.
    pub tags: Vec<Term>,
    /// Redirects from `aliases`.
    pub aliases: Vec<Alias>,
    /// Files copied as they are: the theme's, `static/`, and content assets.
    pub statics: Vec<StaticFile>,
    /// Every file the site writes.
    pub routes: RouteTable,
    /// Which languages each page and section is written in (shared by
    /// every language's site).
    pub translations: Arc<translations::Translations>,
}

impl Site {
    /// A page by id.
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// A section by id.
    pub fn section(&self, id: SectionId) -> &Section {
        &self.sections[id.0]
    }

    /// The root section (home page).
    pub fn root(&self) -> &Section {
        &self.sections[0]
    }
}

/// Builds the site in each of its languages from parsed documents;
/// problems go to `diags`.
pub(crate) fn sites(
    docs: Vec<Arc<Document>>,
    config: Arc<SiteConfig>,
    now: DateTime<FixedOffset>,
    input: Input,
    diags: &mut Diagnostics,
) -> Sites {
    let mut by_lang: Vec<Vec<Arc<Document>>> = vec![Vec::new(); config.languages.len()];
    for d in docs {
        if input.drafts || !d.front.draft {
            by_lang[d.source.lang].push(d);
        }
    }
    let mut langs: Vec<Site> = by_lang
        .into_iter()
        .enumerate()
        .map(|(lang, docs)| {
            let config = if lang == 0 {
                config.clone()
            } else {
                Arc::new(config.for_language(lang))
            };
            let mut site = tree::build(docs, config, now, &input.committed, diags);
            for p in &mut site.pages {
                if let Some(h) = input.history.get(&p.doc.source.file) {
                    p.history = h.clone();
                }
            }
            taxonomy::tags(&mut site);
            site
        })
        .collect();
    langs[0].statics = input.statics;
    for site in &mut langs {
        let listings: Vec<Vec<PageId>> = (0..site.sections.len())
            .map(|i| site.make_listing(SectionId(i)))
            .collect();
        for (s, l) in site.sections.iter_mut().zip(listings) {
            s.listing = l;
        }
        for s in 0..site.sections.len() {
            for n in 0..site.sections[s].pages.len() {
                let p = site.sections[s].pages[n];
                site.pages[p.0].position = n;
            }
        }
        site.routes = routes::table(site, diags);
    }
    routes::check_across(&langs, diags);
    // After the route tables: a link may name any URL the site writes.
    xref::resolve(&mut langs, &input.unparsed, diags);
    let translations = Arc::new(translations::Translations::new(&langs));
    for site in &mut langs {
        site.translations = translations.clone();
    }
    Sites { langs }
}

/// Marks each translation whose original changed after it was made. With
/// `translated_from` in its front matter, the original's fingerprint
/// decides; otherwise git does (`last`: the original was committed after
/// the translation). The date shown is the original's last commit, else
/// its `updated`.
pub(crate) fn mark_stale(sites: &mut Sites, last: &crate::load::git::LastCommits) {
    let Some((main, others)) = sites.langs.split_first_mut() else {
        return;
    };
    let originals: std::collections::HashMap<&str, &Page> = main
        .pages
        .iter()
        .map(|p| (p.doc.source.rel.as_str(), p))
        .collect();
    for site in others {
        for page in &mut site.pages {
            let Some(original) = originals.get(page.doc.source.rel.as_str()) else {
                continue;
            };
            let committed = last.get(&original.doc.source.file);
            let changed = committed.map(|c| c.1).or(original.doc.front.updated);
            let stale = match &page.doc.front.translated_from {
                Some(fp) => fp.trim() != original.doc.fingerprint,
                None => matches!(
                    (committed, last.get(&page.doc.source.file)),
                    (Some(o), Some(t)) if o.0 < t.0
                ),
            };
            page.stale = stale.then(|| Stale {
                original: original.url.clone(),
                changed,
            });
        }
    }
}

/// The site in every language it is written in: one [`Site`] per
/// language, the default language's first. A site of one language has one.
#[derive(Debug, Clone)]
pub struct Sites {
    /// By language, as in [`SiteConfig::languages`].
    pub langs: Vec<Site>,
}

impl Sites {
    /// The default language's site, which also holds the files every
    /// language shares (static files, the sitemap).
    pub fn main(&self) -> &Site {
        &self.langs[0]
    }

    /// Pages, sections and tags in every language.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.langs.iter().fold((0, 0, 0), |(p, s, t), site| {
            (
                p + site.pages.len(),
                s + site.sections.len(),
                t + site.tags.len(),
            )
        })
    }

    /// The route at an output path, with the language it belongs to.
    pub fn route(&self, path: &str) -> Option<(usize, &Route)> {
        self.langs
            .iter()
            .enumerate()
            .find_map(|(i, s)| s.routes.get(path).map(|r| (i, r)))
    }

    /// Every route of every language, as (language, index in its route table).
    pub fn all_routes(&self) -> Vec<(usize, usize)> {
        self.langs
            .iter()
            .enumerate()
            .flat_map(|(l, s)| (0..s.routes.routes.len()).map(move |i| (l, i)))
            .collect()
    }

    /// Pages of the default language that language `lang` has no translation of.
    pub fn missing(&self, lang: usize) -> impl Iterator<Item = &Page> {
        let main = self.main();
        main.pages.iter().filter(move |p| {
            let versions = main.translations.of_page(&p.doc.source.rel);
            versions.get(lang).is_none_or(Option::is_none)
        })
    }
}

/// What LINK takes besides the documents.
#[derive(Default)]
pub(crate) struct Input {
    /// Build drafts too.
    pub drafts: bool,
    /// Static files of every layer.
    pub statics: Vec<StaticFile>,
    /// Git revisions of rules files, by file (`content/rules/x.md`).
    pub history: std::collections::HashMap<String, Arc<[crate::load::Revision]>>,
    /// The last commit of each file, for pages' updated dates.
    pub committed: Arc<crate::load::git::LastCommits>,
    /// Sources that failed to parse, as (language, path): their own error
    /// is the one to fix, so links to them are not reported as broken.
    pub unparsed: std::collections::HashSet<(usize, String)>,
}

/// What the home page lists besides its sections.
pub struct HomeLists {
    /// The most recently changed pages, newest first.
    pub recent: Vec<PageId>,
    /// The next events, soonest first.
    pub upcoming: Vec<PageId>,
}

/// `/events/2026/meetup/` → `/events/2026/meetup.ics`.
pub(crate) fn ics_path(url: &str) -> String {
    format!("{}.ics", url.trim_end_matches('/'))
}

impl Section {
    /// The file that makes it, as messages name it: its `_index.md`, else its folder.
    pub fn source(&self) -> String {
        self.index.as_ref().map_or_else(
            || format!("content/{}", self.dir),
            |d| d.source.display_path(),
        )
    }
}

impl Site {
    /// A section and its ancestors, innermost first.
    pub fn ancestry(&self, id: SectionId) -> impl Iterator<Item = SectionId> + '_ {
        std::iter::successors(Some(id), |s| self.section(*s).parent)
    }

    /// What a section's listing shows, in order.
    pub fn listing(&self, id: SectionId) -> &[PageId] {
        &self.section(id).listing
    }

    fn make_listing(&self, id: SectionId) -> Vec<PageId> {
        let s = self.section(id);
        if s.kind != Kind::Event {
            return s.pages.clone();
        }
        let (upcoming, past) = self.split_events(&self.descendant_pages(id));
        upcoming.into_iter().chain(past).collect()
    }

    /// Events among `ids`: upcoming soonest first, past newest first.
    pub fn split_events(&self, ids: &[PageId]) -> (Vec<PageId>, Vec<PageId>) {
        let mut ids: Vec<PageId> = ids
            .iter()
            .copied()
            .filter(|&i| self.page(i).doc.front.start.is_some())
            .collect();
        ids.sort_by_key(|&i| (self.page(i).doc.front.start.map(|s| s.instant()), i));
        let (upcoming, mut past): (Vec<PageId>, Vec<PageId>) = ids
            .into_iter()
            .partition(|&i| self.is_upcoming(self.page(i)));
        past.reverse();
        (upcoming, past)
    }

    /// Pages of a section and all its sub-sections.
    pub fn descendant_pages(&self, id: SectionId) -> Vec<PageId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(s) = stack.pop() {
            let s = self.section(s);
            out.extend(&s.pages);
            stack.extend(&s.children);
        }
        out
    }

    /// Per section: the pages in it and all its sub-sections.
    pub fn descendant_counts(&self) -> Vec<usize> {
        let mut counts: Vec<usize> = self.sections.iter().map(|s| s.pages.len()).collect();
        // A section comes after its parent (LINK creates parents first), so
        // adding from the end totals each subtree before its parent reads it.
        for (i, s) in self.sections.iter().enumerate().rev() {
            if let Some(parent) = s.parent {
                debug_assert!(parent.0 < i, "sections come after their parents");
                counts[parent.0] += counts[i];
            }
        }
        counts
    }

    /// Whether an event is not over at build time.
    pub fn is_upcoming(&self, page: &Page) -> bool {
        let fm = &page.doc.front;
        let Some(start) = fm.start else { return false };
        let end = match fm.end.unwrap_or(start) {
            When::Day(d) => When::Day(d.succ_opt().unwrap_or(d)).instant(),
            other => other.instant(),
        };
        end >= self.now
    }

    /// Event pages with a start, in page order.
    pub fn events(&self) -> impl Iterator<Item = PageId> + '_ {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.doc.kind == Kind::Event && p.doc.front.start.is_some())
            .map(|(i, _)| PageId(i))
    }

    /// For a top-level event section: the years with events, newest first.
    pub fn archive_years(&self, id: SectionId) -> Vec<i32> {
        let s = self.section(id);
        let nested = s
            .parent
            .is_some_and(|p| self.section(p).kind == Kind::Event);
        if s.kind != Kind::Event || nested {
            return Vec::new();
        }
        let mut years: Vec<i32> = s.listing.iter().filter_map(|p| self.year(*p)).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
    }

    fn year(&self, p: PageId) -> Option<i32> {
        let start = self.page(p).doc.front.start?;
        Some(chrono::Datelike::year(&start.day()))
    }

    /// The events of one year under an event section, as its listing orders them.
    pub fn events_of_year(&self, id: SectionId, year: i32) -> Vec<PageId> {
        let listing = &self.section(id).listing;
        listing
            .iter()
            .copied()
            .filter(|p| self.year(*p) == Some(year))
            .collect()
    }

    /// The `n` most recently changed pages, newest first.
    pub fn newest(&self, n: usize) -> Vec<PageId> {
        let mut ids: Vec<PageId> = (0..self.pages.len()).map(PageId).collect();
        // Ties go to the earlier page, as a stable sort would have it.
        let key = |p: &PageId| {
            let date = self.page(*p).last_changed().map(|w| w.instant());
            (std::cmp::Reverse(date), *p)
        };
        if n < ids.len() {
            ids.select_nth_unstable_by_key(n, key);
            ids.truncate(n);
        }
        ids.sort_by_key(key);
        ids
    }

    /// The pages the home page lists: recently changed and upcoming events.
    /// Both lists hold the page ids in the order they are shown; an
    /// upcoming event is in the second only.
    pub fn home_lists(&self) -> HomeLists {
        let (mut upcoming, _) = self.split_events(&self.events().collect::<Vec<_>>());
        upcoming.truncate(5);
        let mut recent = self.newest(8 + upcoming.len());
        recent.retain(|p| !self.is_upcoming(self.page(*p)));
        recent.truncate(8);
        HomeLists { recent, upcoming }
    }

    /// The newest date of any page, for things that have no date of their own.
    pub fn latest(&self) -> Option<chrono::DateTime<FixedOffset>> {
        self.pages
            .iter()
            .filter_map(|p| p.last_changed())
            .map(|w| w.instant())
            .max()
    }

    /// The versions of a page or section (first page of its listing) in
    /// every language that has one, as `(language tag, URL path)`, with
    /// `x-default` for the default language's; empty when the page is in
    /// one language only or the route is neither.
    pub fn alternates(&self, kind: &RouteKind) -> Vec<(&str, &str)> {
        let t = &self.translations;
        let urls = match kind {
            RouteKind::Page(p) => t.of_page(&self.page(*p).doc.source.rel),
            RouteKind::Section { id, pager } if pager.number == 1 => {
                t.of_section(&self.section(*id).dir)
            }
            _ => &[],
        };
        let mut out: Vec<(&str, &str)> = urls
            .iter()
            .zip(&t.languages)
            .filter_map(|(u, (code, _))| Some((code.as_str(), u.as_deref()?)))
            .collect();
        if out.len() < 2 {
            // In one language only: nothing to point at.
            return Vec::new();
        }
        if let Some(Some(main)) = urls.first() {
            out.push(("x-default", main));
        }
        out
    }

    /// The `<lastmod>` of a route in the sitemap.
    pub fn lastmod(&self, route: &Route) -> Option<When> {
        match route.kind {
            RouteKind::Page(p) => self.page(p).last_changed(),
            _ => None,
        }
    }
}
