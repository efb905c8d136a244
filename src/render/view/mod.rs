//! The template context: typed views of the [`Site`], the theme API.
//!
//! [`context`] holds the types; [`Views`] builds them, and is the only code
//! that reads `Site` for templates, so what a template can read is exactly
//! what these modules expose.

pub(crate) mod context;

pub(crate) use context::*;

use std::sync::OnceLock;

use crate::link::{Page, PageId, Pager, Section, SectionId, Site, TermId};
use crate::parse::Kind;

/// Builds views of one site.
pub(crate) struct Views<'a> {
    site: &'a Site,
    /// Per section: pages in it and all its sub-sections.
    counts: Vec<usize>,
    /// Per page: its summary, made the first time a list shows it.
    summaries: Vec<OnceLock<PageSummary<'a>>>,
    /// The search index, when this render writes any of it.
    search: Option<&'a crate::search::Index>,
    /// Interface words of the site's language.
    labels: std::collections::BTreeMap<String, String>,
    /// Each language's name in itself, by language.
    language_names: Vec<String>,
}

impl<'a> Views<'a> {
    /// Views of `site`. Counts and positions every page render asks for are
    /// worked out once here, not once per page.
    pub(crate) fn new(site: &'a Site) -> Self {
        Views {
            site,
            counts: site.descendant_counts(),
            summaries: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            search: None,
            labels: super::labels::for_config(&site.config),
            language_names: (0..site.config.languages.len())
                .map(|l| {
                    super::labels::of_language(&site.config, l)
                        .remove("language_name")
                        .unwrap_or_else(|| site.config.languages[l].code.clone())
                })
                .collect(),
        }
    }

    /// Interface words of the site's language.
    pub(crate) fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        &self.labels
    }

    /// A link to a file of the site given as a path (`/logo.svg` or
    /// `logo.svg`), or a full URL as it is.
    fn site_file(&self, path: &str) -> String {
        if path.contains("://") {
            path.to_string()
        } else {
            self.url(&format!("/{}", path.trim_start_matches('/')))
        }
    }

    /// A date as this language writes it.
    pub(crate) fn date(&self, w: &crate::parse::When) -> DateView {
        DateView::new(w, self.site.config.language().date_format.as_deref())
    }

    /// The language switcher of the route `kind`: each language, linking to
    /// this page's version there or, without one, to that language's home.
    pub(crate) fn switcher(&self, kind: &crate::link::RouteKind) -> Vec<LanguageLink> {
        let site = self.site;
        if !site.config.multilingual() {
            return Vec::new();
        }
        let t = &site.translations;
        let versions = match kind {
            crate::link::RouteKind::Page(p) => t.of_page(&site.page(*p).doc.source.rel),
            crate::link::RouteKind::Section { id, .. } => t.of_section(&site.section(*id).dir),
            _ => &[],
        };
        let versions_count = versions.iter().flatten().count();
        t.languages
            .iter()
            .enumerate()
            .map(|(l, (code, home))| {
                let version = versions.get(l).and_then(Option::as_ref);
                let path = version.unwrap_or(home);
                LanguageLink {
                    code: code.clone(),
                    name: self.language_names[l].clone(),
                    url: self.url(path),
                    permalink: site.config.permalink(path),
                    current: l == site.config.lang,
                    translated: version.is_some(),
                    alternate: version.is_some() && versions_count > 1,
                }
            })
            .collect()
    }

    /// `/translations/`: every language's coverage of the default language's pages.
    pub(crate) fn translation_status(&self, sites: &crate::link::Sites) -> TranslationStatusView {
        let main = sites.main();
        let crumb = |title: &str, url: &str| Crumb {
            title: title.to_string().into(),
            url: self.url(url),
        };
        let languages = sites
            .langs
            .iter()
            .enumerate()
            .skip(1)
            .map(|(l, site)| {
                let stale: Vec<Crumb<'static>> = site
                    .pages
                    .iter()
                    .filter(|p| p.stale.is_some())
                    .map(|p| crumb(&p.doc.title, &p.url))
                    .collect();
                let missing: Vec<Crumb<'static>> = sites
                    .missing(l)
                    .map(|p| crumb(&p.doc.title, &p.url))
                    .collect();
                let current = main.pages.len().saturating_sub(missing.len() + stale.len());
                LanguageStatus {
                    code: site.config.language.clone(),
                    name: self.language_names[l].clone(),
                    current,
                    percent: (current * 100).checked_div(main.pages.len()).unwrap_or(100),
                    stale,
                    missing,
                }
            })
            .collect();
        TranslationStatusView {
            originals: main.pages.len(),
            languages,
        }
    }

    /// The notice on a stale translation.
    fn stale(&self, p: &Page) -> Option<StaleView> {
        let stale = p.stale.as_ref()?;
        let changed = stale.changed.as_ref().map(|w| self.date(w));
        let when = changed.as_ref().map_or("", |d| d.text.as_str());
        let notice = self
            .labels
            .get("stale")
            .map_or_else(String::new, |s| s.replace("{date}", when));
        let original_language = self.language_names[0].clone();
        let link_text = self
            .labels
            .get("read_original")
            .map_or_else(String::new, |s| s.replace("{language}", &original_language));
        Some(StaleView {
            original_url: self.url(&stale.original),
            link_text,
            original_language,
            original_code: self.site.config.languages[0].code.clone(),
            changed,
            notice,
        })
    }

    /// Views that render the search index's files from `index`.
    pub(crate) fn with_search(mut self, index: Option<&'a crate::search::Index>) -> Self {
        self.search = index;
        self
    }

    /// The search index; empty unless made with [`Views::with_search`].
    pub(crate) fn search(&self) -> &crate::search::Index {
        static EMPTY: crate::search::Index = crate::search::Index::EMPTY;
        self.search.unwrap_or(&EMPTY)
    }

    /// A page's place in its section's listing.
    pub(crate) fn position(&self, id: PageId) -> usize {
        self.site.page(id).position
    }

    fn url(&self, path: &str) -> String {
        self.site.config.url(path)
    }

    /// A tag link.
    pub(crate) fn term(&self, id: TermId) -> TermLink<'a> {
        let t = &self.site.tags[id.0];
        TermLink {
            name: &t.name,
            slug: &t.slug,
            url: self.url(&t.url),
            count: t.pages.len(),
        }
    }

    /// A section link.
    pub(crate) fn section_link(&self, id: SectionId) -> SectionLink<'a> {
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

    /// A page as listings show it; made once per page however many lists show it.
    /// Every section that has pages of its own, with them.
    pub(crate) fn all_pages(&self) -> Vec<SectionPages<'a>> {
        let site = self.site;
        (0..site.sections.len())
            .map(SectionId)
            .filter(|&id| !site.section(id).pages.is_empty())
            .map(|id| {
                let mut section = self.section_link(id);
                // A year folder's title alone says little.
                if let Some(parent) = site.section(id).parent.filter(|p| p.0 != 0) {
                    section.title =
                        format!("{} › {}", site.section(parent).title, section.title).into();
                }
                let pages = site
                    .section(id)
                    .pages
                    .iter()
                    .map(|&p| {
                        let page = site.page(p);
                        PageLink {
                            title: &page.doc.title,
                            url: self.url(&page.url),
                            kind: page.doc.kind,
                        }
                    })
                    .collect();
                SectionPages { section, pages }
            })
            .collect()
    }

    pub(crate) fn summary(&self, id: PageId) -> PageSummary<'a> {
        self.summaries[id.0]
            .get_or_init(|| self.make_summary(id))
            .clone()
    }

    fn make_summary(&self, id: PageId) -> PageSummary<'a> {
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
            date: p.date().map(|d| self.date(&d)),
            updated: p.last_changed().map(|d| self.date(&d)),
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
            start: self.date(&start),
            end: fm.end.as_ref().map(|d| self.date(d)),
            all_day: start.is_day(),
            location: fm.location.as_deref(),
            online: fm.online.as_deref(),
            organizers: &fm.organizers,
            recap: fm.recap,
            upcoming: self.site.is_upcoming(p),
            ics_url: self.url(&crate::link::ics_path(&p.url)),
        })
    }

    /// Home → … → the section `id`.
    pub(crate) fn breadcrumbs(&self, id: SectionId) -> Vec<Crumb<'a>> {
        let mut out = Vec::new();
        let mut cur = Some(id);
        while let Some(s) = cur {
            let sec = self.site.section(s);
            out.push(Crumb {
                title: sec.title.as_str().into(),
                url: self.url(&sec.url),
            });
            cur = sec.parent;
        }
        out.reverse();
        out
    }

    /// Events among `ids`, split into upcoming and past-by-year.
    pub(crate) fn events(&self, ids: &[PageId]) -> EventsView<'a> {
        let (upcoming, past) = self.site.split_events(ids);
        let mut groups: Vec<YearGroup<'a>> = Vec::new();
        for i in past {
            let year = self
                .site
                .page(i)
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

    /// The `site` variable. The lists (recent pages, upcoming events,
    /// popular tags) are filled in only `with_lists`, for the home page.
    pub(crate) fn site(&self, with_lists: bool) -> SiteView<'a> {
        let site = self.site;
        let labels = self.labels.clone();
        let (mut popular_tags, mut recent, mut upcoming) = (Vec::new(), Vec::new(), Vec::new());
        if with_lists {
            let mut tags: Vec<TermId> = (0..site.tags.len()).map(TermId).collect();
            tags.sort_by(|a, b| {
                site.tags[b.0]
                    .pages
                    .len()
                    .cmp(&site.tags[a.0].pages.len())
                    .then(a.cmp(b))
            });
            tags.truncate(24);
            popular_tags = tags.into_iter().map(|t| self.term(t)).collect();
            let lists = site.home_lists();
            recent = lists.recent.iter().map(|p| self.summary(*p)).collect();
            upcoming = lists.upcoming.iter().map(|p| self.summary(*p)).collect();
        }
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            home_url: self.url(&site.config.local("/")),
            language: &site.config.language,
            extra: &site.config.extra,
            sections: site
                .root()
                .children
                .iter()
                .map(|c| self.section_link(*c))
                .collect(),
            popular_tags,
            recent,
            upcoming,
            now: site.now.to_rfc3339(),
            tags_url: self.url(&site.config.local("/tags/")),
            static_url: self.url("/"),
            search_labels: {
                let words: std::collections::BTreeMap<&String, &String> = labels
                    .iter()
                    .filter(|(k, _)| {
                        k.starts_with("kind_") || ["results", "no_results"].contains(&k.as_str())
                    })
                    .collect();
                serde_json::to_string(&words).unwrap_or_default()
            },
            labels,
            has_events: site.events().next().is_some(),
            rtl: site.config.language().rtl,
            feed_url: self.url(&site.config.local("/atom.xml")),
            calendar_url: self.url(&site.config.local("/events.ics")),
            rule_changes_url: self.url(&site.config.local("/rules/changes.xml")),
            languages: self.switcher(&crate::link::RouteKind::TagIndex),
            logo: site.config.logo.as_deref().map(|p| self.site_file(p)),
            favicon: site.config.favicon.as_deref().map(|p| self.site_file(p)),
            search_index: site
                .config
                .search
                .enabled
                .then(|| self.url(&site.config.local(&format!("/{}/", crate::search::DIR)))),
        }
    }

    /// Previous, next and numbered links of one page of the list at `base`;
    /// `None` when the list fits on one page.
    pub(crate) fn pager(&self, base: &str, pager: &Pager) -> Option<PagerView> {
        if pager.count <= 1 {
            return None;
        }
        let link = |n: usize| self.url(&Pager::url_of(base, n));
        let (n, count) = (pager.number, pager.count);
        // The first, the last and two either side of the current; a gap for the rest.
        let mut pages = Vec::new();
        for k in 1..=count {
            if k == 1 || k == count || k.abs_diff(n) <= 2 {
                pages.push(PagerLink {
                    number: k,
                    url: link(k),
                    current: k == n,
                    gap: false,
                });
            } else if pages.last().is_some_and(|l: &PagerLink| !l.gap) {
                pages.push(PagerLink {
                    number: 0,
                    url: String::new(),
                    current: false,
                    gap: true,
                });
            }
        }
        Some(PagerView {
            number: n,
            count,
            per_page: pager.per_page,
            total: pager.total,
            first: link(1),
            last: link(count),
            previous: (n > 1).then(|| link(n - 1)),
            next: (n < count).then(|| link(n + 1)),
            pages,
        })
    }

    /// One page of a section's listing; `content` is its resolved body.
    pub(crate) fn section(&self, id: SectionId, content: String, pager: &Pager) -> SectionView<'a> {
        let s: &'a Section = self.site.section(id);
        let listed = &self.site.listing(id)[pager.range()];
        let events = (s.kind == Kind::Event).then(|| self.events(listed));
        let archives = self
            .site
            .archive_years(id)
            .into_iter()
            .map(|year| SectionLink {
                title: year.to_string().into(),
                url: self.url(&format!("{}{year}/", s.url)),
                kind: Kind::Event,
                count: self.site.events_of_year(id, year).len(),
                description: None,
            })
            .collect();
        let url = Pager::url_of(&s.url, pager.number);
        SectionView {
            title: s.title.clone(),
            url: self.url(&url),
            permalink: self.site.config.permalink(&url),
            description: s
                .index
                .as_ref()
                .and_then(|d| d.front.description.as_deref()),
            content,
            kind: s.kind,
            pages: listed.iter().map(|p| self.summary(*p)).collect(),
            subsections: s.children.iter().map(|c| self.section_link(*c)).collect(),
            breadcrumbs: self.breadcrumbs(id),
            extra: s.index.as_ref().map(|d| &d.front.extra),
            events,
            archives,
            toc: s.index.as_ref().map_or(&[], |d| &d.body.toc),
            pager: self.pager(&s.url, pager),
        }
    }

    /// The archive page of one year of an event section.
    pub(crate) fn year_archive(&self, id: SectionId, year: i32) -> SectionView<'a> {
        let s: &'a Section = self.site.section(id);
        let url = format!("{}{year}/", s.url);
        SectionView {
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
            events: Some(self.events(&self.site.events_of_year(id, year))),
            archives: Vec::new(),
            toc: &[],
            pager: None,
        }
    }

    /// A page with its body; `content` is its resolved body.
    pub(crate) fn page(
        &self,
        id: PageId,
        content: String,
        history: Vec<HistoryView>,
    ) -> PageView<'a> {
        let p: &'a Page = self.site.page(id);
        let fm = &p.doc.front;
        let crumb = |i: &PageId| {
            let q = self.site.page(*i);
            Crumb {
                title: q.doc.title.as_str().into(),
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
            effective: fm.effective.as_ref().map(|d| self.date(d)),
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
            stale: self.stale(p),
            edit_url: self.site.config.edit_url(&p.doc.source.display_path()),
        }
    }
}
