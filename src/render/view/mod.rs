//! The template context: typed views of the [`Site`], the theme API.
//!
//! [`context`] holds the types; [`Views`] builds them, and is the only code
//! that reads `Site` for templates, so what a template can read is exactly
//! what these modules expose.

pub mod context;

pub use context::*;

use crate::link::{Page, PageId, Section, SectionId, Site, TermId};
use crate::parse::{Kind, When};

/// Builds views of one site.
pub struct Views<'a> {
    site: &'a Site,
    /// Per section: pages in it and all its sub-sections.
    counts: Vec<usize>,
    /// Per page: its place in its section's listing.
    positions: Vec<usize>,
}

impl<'a> Views<'a> {
    /// Views of `site`. Counts and positions every page render asks for are
    /// worked out once here, not once per page.
    pub fn new(site: &'a Site) -> Self {
        let mut counts: Vec<usize> = site.sections.iter().map(|s| s.pages.len()).collect();
        // A section comes after its parent (LINK creates parents first), so
        // adding from the end totals each subtree before its parent reads it.
        for (i, s) in site.sections.iter().enumerate().rev() {
            if let Some(parent) = s.parent {
                debug_assert!(parent.0 < i, "sections come after their parents");
                counts[parent.0] += counts[i];
            }
        }
        let mut positions = vec![0; site.pages.len()];
        for s in &site.sections {
            for (n, p) in s.pages.iter().enumerate() {
                positions[p.0] = n;
            }
        }
        Views {
            site,
            counts,
            positions,
        }
    }

    /// A page's place in its section's listing.
    pub fn position(&self, id: PageId) -> usize {
        self.positions[id.0]
    }

    fn url(&self, path: &str) -> String {
        self.site.config.url(path)
    }

    /// A tag link.
    pub fn term(&self, id: TermId) -> TermLink<'a> {
        let t = &self.site.tags[id.0];
        TermLink {
            name: &t.name,
            slug: &t.slug,
            url: self.url(&t.url),
            count: t.pages.len(),
        }
    }

    /// A section link.
    pub fn section_link(&self, id: SectionId) -> SectionLink<'a> {
        let s = self.site.section(id);
        SectionLink {
            title: s.title.as_str().into(),
            url: self.url(&s.url),
            kind: s.kind,
            count: self.counts[id.0],
            description: s
                .index
                .as_ref()
                .and_then(|d| d.front.description.as_deref()),
        }
    }

    /// Pages of a section and all its sub-sections.
    pub fn descendant_pages(&self, id: SectionId) -> Vec<PageId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(s) = stack.pop() {
            let s = self.site.section(s);
            out.extend(&s.pages);
            stack.extend(&s.children);
        }
        out
    }

    /// Whether an event is not over at build time.
    pub fn is_upcoming(&self, page: &Page) -> bool {
        let fm = &page.doc.front;
        let Some(start) = fm.start else { return false };
        let end = fm.end.unwrap_or(start);
        let end = match end {
            When::Day(d) => When::Day(d.succ_opt().unwrap_or(d)).instant(),
            other => other.instant(),
        };
        end >= self.site.now
    }

    /// A page as listings show it.
    pub fn summary(&self, id: PageId) -> PageSummary<'a> {
        let p = self.site.page(id);
        let fm = &p.doc.front;
        let event = (p.doc.kind == Kind::Event && fm.start.is_some())
            .then(|| self.event(p))
            .flatten();
        PageSummary {
            title: &p.doc.title,
            url: self.url(&p.url),
            permalink: self.site.config.permalink(&p.url),
            description: fm.description.as_deref().unwrap_or(&p.doc.body.summary),
            date: p.date().map(|d| DateView::new(&d)),
            updated: p.last_changed().map(|d| DateView::new(&d)),
            tags: p.tags.iter().map(|t| self.term(*t)).collect(),
            kind: p.doc.kind,
            reading_time: p.doc.body.reading_minutes(),
            event,
            draft: fm.draft,
        }
    }

    fn event(&self, p: &'a Page) -> Option<EventView<'a>> {
        let fm = &p.doc.front;
        let start = fm.start?;
        Some(EventView {
            start: DateView::new(&start),
            end: fm.end.as_ref().map(DateView::new),
            all_day: start.is_day(),
            location: fm.location.as_deref(),
            online: fm.online.as_deref(),
            organizers: &fm.organizers,
            recap: fm.recap,
            upcoming: self.is_upcoming(p),
            ics_url: self.url(&super::calendar::ics_path(&p.url)),
        })
    }

    /// Home → … → the section `id`.
    pub fn breadcrumbs(&self, id: SectionId) -> Vec<Crumb<'a>> {
        let mut out = Vec::new();
        let mut cur = Some(id);
        while let Some(s) = cur {
            let sec = self.site.section(s);
            out.push(Crumb {
                title: &sec.title,
                url: self.url(&sec.url),
            });
            cur = sec.parent;
        }
        out.reverse();
        out
    }

    /// Events under a section, split into upcoming and past-by-year.
    pub fn events(&self, ids: &[PageId]) -> EventsView<'a> {
        let page = |i: PageId| self.site.page(i);
        let mut ids: Vec<PageId> = ids
            .iter()
            .copied()
            .filter(|&i| page(i).doc.front.start.is_some())
            .collect();
        ids.sort_by_key(|&i| (page(i).doc.front.start.map(|s| s.instant()), i));
        let (upcoming, mut past): (Vec<PageId>, Vec<PageId>) =
            ids.into_iter().partition(|&i| self.is_upcoming(page(i)));
        past.reverse();
        let mut groups: Vec<YearGroup<'a>> = Vec::new();
        for i in past {
            let year = page(i)
                .doc
                .front
                .start
                .map_or(0, |s| chrono::Datelike::year(&s.day()));
            let summary = self.summary(i);
            match groups.last_mut() {
                Some(g) if g.year == year => g.pages.push(summary),
                _ => groups.push(YearGroup {
                    year,
                    pages: vec![summary],
                }),
            }
        }
        EventsView {
            upcoming: upcoming.into_iter().map(|i| self.summary(i)).collect(),
            past: groups,
        }
    }

    /// The `site` variable.
    pub fn site(&self) -> SiteView<'a> {
        let site = self.site;
        let mut tags: Vec<TermId> = (0..site.tags.len()).map(TermId).collect();
        tags.sort_by(|a, b| {
            site.tags[b.0]
                .pages
                .len()
                .cmp(&site.tags[a.0].pages.len())
                .then(a.cmp(b))
        });
        tags.truncate(24);
        let mut recent: Vec<PageId> = (0..site.pages.len()).map(PageId).collect();
        recent.sort_by(|a, b| {
            let d = |p: &PageId| site.page(*p).last_changed().map(|w| w.instant());
            d(b).cmp(&d(a))
        });
        recent.truncate(8);
        let all: Vec<PageId> = (0..site.pages.len()).map(PageId).collect();
        let mut upcoming = self.events(&all).upcoming;
        upcoming.truncate(5);
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            home_url: self.url("/"),
            language: &site.config.language,
            extra: &site.config.extra,
            sections: site
                .root()
                .children
                .iter()
                .map(|c| self.section_link(*c))
                .collect(),
            popular_tags: tags.into_iter().map(|t| self.term(t)).collect(),
            recent: recent.into_iter().map(|p| self.summary(p)).collect(),
            upcoming,
            now: site.now.to_rfc3339(),
            tags_url: self.url("/tags/"),
            static_url: self.url("/"),
            labels: super::labels::for_language(&site.config.language, &site.config.extra),
            has_events: site.pages.iter().any(|p| p.doc.kind == Kind::Event),
        }
    }

    /// A section with its listing; `content` is its resolved body.
    pub fn section(&self, id: SectionId, content: String) -> SectionView<'a> {
        let s: &'a Section = self.site.section(id);
        let events = (s.kind == Kind::Event).then(|| self.events(&self.descendant_pages(id)));
        let archives = self
            .years(id)
            .into_iter()
            .map(|(year, url, ids)| SectionLink {
                title: year.to_string().into(),
                url: self.url(&url),
                kind: Kind::Event,
                count: ids.len(),
                description: None,
            })
            .collect();
        SectionView {
            title: s.title.clone(),
            url: self.url(&s.url),
            permalink: self.site.config.permalink(&s.url),
            description: s
                .index
                .as_ref()
                .and_then(|d| d.front.description.as_deref()),
            content,
            kind: s.kind,
            pages: s.pages.iter().map(|p| self.summary(*p)).collect(),
            subsections: s.children.iter().map(|c| self.section_link(*c)).collect(),
            breadcrumbs: self.breadcrumbs(id),
            extra: s.index.as_ref().map(|d| &d.front.extra),
            events,
            archives,
            toc: s.index.as_ref().map_or(&[], |d| &d.body.toc),
        }
    }

    /// For a top-level event section: each year with events, newest first,
    /// with the URL of its archive (`/events/2025/`) and its events.
    fn years(&self, id: SectionId) -> Vec<(i32, String, Vec<PageId>)> {
        let s = self.site.section(id);
        let nested = s
            .parent
            .is_some_and(|p| self.site.section(p).kind == Kind::Event);
        if s.kind != Kind::Event || nested {
            return Vec::new();
        }
        let mut by_year: std::collections::BTreeMap<i32, Vec<PageId>> = Default::default();
        for p in self.descendant_pages(id) {
            if let Some(start) = self.site.page(p).doc.front.start {
                by_year
                    .entry(chrono::Datelike::year(&start.day()))
                    .or_default()
                    .push(p);
            }
        }
        by_year
            .into_iter()
            .rev()
            .map(|(year, ids)| (year, format!("{}{year}/", s.url), ids))
            .collect()
    }

    /// Archive pages for the years of an event section that have no folder of their own.
    pub fn year_archives(&self, id: SectionId) -> Vec<(String, SectionView<'a>)> {
        let s: &'a Section = self.site.section(id);
        let years = self.years(id);
        if years.is_empty() {
            return Vec::new();
        }
        let sections = self.site.sections.iter().map(|s| s.url.as_str());
        let pages = self.site.pages.iter().map(|p| p.url.as_str());
        let aliases = self.site.aliases.iter().map(|a| a.from.as_str());
        let taken: std::collections::HashSet<&str> = sections.chain(pages).chain(aliases).collect();
        years
            .into_iter()
            .filter(|(_, url, _)| !taken.contains(url.as_str()))
            .map(|(year, url, ids)| {
                let view = SectionView {
                    title: format!("{} · {year}", s.title),
                    url: self.url(&url),
                    permalink: self.site.config.permalink(&url),
                    description: None,
                    content: String::new(),
                    kind: Kind::Event,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    breadcrumbs: self.breadcrumbs(id),
                    extra: None,
                    events: Some(self.events(&ids)),
                    archives: Vec::new(),
                    toc: &[],
                };
                (url, view)
            })
            .collect()
    }

    /// A page with its body; `content` is its resolved body.
    pub fn page(&self, id: PageId, content: String, history: Vec<HistoryView>) -> PageView<'a> {
        let p: &'a Page = self.site.page(id);
        let fm = &p.doc.front;
        let crumb = |i: &PageId| {
            let q = self.site.page(*i);
            Crumb {
                title: &q.doc.title,
                url: self.url(&q.url),
            }
        };
        let siblings = &self.site.section(p.section).pages;
        let pos = self.position(id);
        let prev = pos.checked_sub(1).and_then(|i| siblings.get(i)).map(crumb);
        let next = siblings.get(pos + 1).map(crumb);
        let kind = p.doc.kind;
        let playbook = (kind == Kind::Playbook).then(|| PlaybookView {
            duration: fm.duration.as_deref(),
            roles: &fm.roles,
            prerequisites: p
                .doc
                .prerequisites
                .iter()
                .map(|h| super::fill_links(h, &p.xrefs, &self.site.config))
                .collect(),
            checks: p.doc.body.checks,
        });
        let rules = (kind == Kind::Rules).then(|| RulesView {
            version: fm.version.as_deref(),
            effective: fm.effective.as_ref().map(DateView::new),
            history,
            rules: &p.doc.body.rules,
        });
        let summary = self.summary(id);
        let json_ld = super::structured::json_ld(self.site, p, &summary);
        PageView {
            summary,
            content,
            toc: &p.doc.body.toc,
            word_count: p.doc.body.words,
            cjk_count: p.doc.body.cjk_chars,
            breadcrumbs: self.breadcrumbs(p.section),
            source: p.doc.source.display_path(),
            extra: &fm.extra,
            playbook,
            rules,
            questions: (kind == Kind::Faq).then_some(p.doc.body.questions.as_slice()),
            json_ld,
            prev,
            next,
        }
    }
}
