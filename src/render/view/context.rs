//! The types of the template context: what `site`, `page`, `section` and
//! `term` hold. This is the theme API; the README documents every field.

use serde::Serialize;

use crate::parse::{Kind, Question, Rule, TocEntry, When};

/// A date as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateView {
    /// RFC 3339 (or `YYYY-MM-DD` for a day), for `datetime` attributes.
    pub iso: String,
    /// `YYYY-MM-DD` as written.
    pub date: String,
    /// `HH:MM` as written, absent for a whole day.
    pub time: Option<String>,
    /// `+08:00`, absent for a whole day or a local time.
    pub offset: Option<String>,
    /// The year, for archives.
    pub year: i32,
    /// The day as the page's language writes it (`22 November 2026`,
    /// `2026年11月22日`); `YYYY-MM-DD` on a site of one language unless its
    /// words file sets `date_format`.
    pub text: String,
}

impl DateView {
    /// The view of a date, its day written with `format` (strftime, checked
    /// when the config was read) or as `YYYY-MM-DD`.
    pub(crate) fn new(w: &When, format: Option<&str>) -> DateView {
        let (time, offset) = match w {
            When::Day(_) => (None, None),
            When::Local(dt) => (Some(dt.format("%H:%M").to_string()), None),
            When::Instant(dt) => (
                Some(dt.format("%H:%M").to_string()),
                Some(dt.format("%:z").to_string()),
            ),
        };
        let day = w.day();
        let date = day.format("%Y-%m-%d").to_string();
        DateView {
            iso: w.rfc3339(),
            text: format.map_or_else(|| date.clone(), |f| day.format(f).to_string()),
            date,
            time,
            offset,
            year: chrono::Datelike::year(&day),
        }
    }
}

/// A link to a tag, with its page count.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermLink<'a> {
    /// Name as written.
    pub name: &'a str,
    /// URL slug.
    pub slug: &'a str,
    /// Link to its page.
    pub url: String,
    /// Number of pages.
    pub count: usize,
}

/// A link to a section.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionLink<'a> {
    /// Title.
    pub title: std::borrow::Cow<'a, str>,
    /// Link.
    pub url: String,
    /// Section kind.
    pub kind: Kind,
    /// Pages in the section and its sub-sections.
    pub count: usize,
    /// The section's description.
    pub description: Option<&'a str>,
}

/// One step of the breadcrumb trail.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Crumb<'a> {
    /// Title.
    pub title: std::borrow::Cow<'a, str>,
    /// Link.
    pub url: String,
}

/// Event details.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventView<'a> {
    /// Start.
    pub start: DateView,
    /// End.
    pub end: Option<DateView>,
    /// Whether it is a whole-day event.
    pub all_day: bool,
    /// Where.
    pub location: Option<&'a str>,
    /// Online attendance URL.
    pub online: Option<&'a str>,
    /// Who organises it.
    pub organizers: &'a [String],
    /// Whether the body is a write-up.
    pub recap: bool,
    /// Not yet over at build time.
    pub upcoming: bool,
    /// Link to its `.ics` file.
    pub ics_url: String,
}

/// A section with its own pages: the page of every page (`/search/`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionPages<'a> {
    /// The section; a nested one titled with its parent (`Events › 2025`).
    #[serde(flatten)]
    pub section: SectionLink<'a>,
    /// Its pages, in listing order.
    pub pages: Vec<PageLink<'a>>,
}

/// A page in the listing of every page (`/search/`): what a link needs
/// and no more, since the listing names every page of the site.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink<'a> {
    /// Title.
    pub title: &'a str,
    /// Link.
    pub url: String,
    /// Kind.
    pub kind: Kind,
}

/// A page in a listing: everything but its body.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageSummary<'a> {
    /// Title.
    pub title: &'a str,
    /// Link.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// `description`, else the first paragraph.
    pub description: &'a str,
    /// `date`.
    pub date: Option<DateView>,
    /// `updated`, else `date`.
    pub updated: Option<DateView>,
    /// Tags.
    pub tags: Vec<TermLink<'a>>,
    /// Kind.
    pub kind: Kind,
    /// Minutes to read.
    pub reading_time: usize,
    /// Event details, for events.
    pub event: Option<EventView<'a>>,
    /// Whether it is a draft (only with `--drafts`).
    pub draft: bool,
}

/// Playbook details.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlaybookView<'a> {
    /// How long it takes.
    pub duration: Option<&'a str>,
    /// Who takes part.
    pub roles: &'a [String],
    /// What to have done first, as HTML (links resolved).
    pub prerequisites: Vec<String>,
    /// Number of checkable steps and tasks.
    pub checks: usize,
}

/// One history entry of a rules page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HistoryView {
    /// When.
    pub date: DateView,
    /// The same, as an instant, for ordering and feeds (not in the template context).
    #[serde(skip)]
    pub instant: chrono::DateTime<chrono::FixedOffset>,
    /// Version after the change.
    pub version: Option<String>,
    /// What changed.
    pub summary: String,
    /// Rule-level changes, when known from git.
    pub changes: Vec<crate::render::history::RuleChange>,
    /// `front` (written in `[[history]]`) or `git`.
    pub source: &'static str,
}

/// Rules details.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RulesView<'a> {
    /// Version in force.
    pub version: Option<&'a str>,
    /// In force since.
    pub effective: Option<DateView>,
    /// Changes, newest first.
    pub history: Vec<HistoryView>,
    /// The rules, numbered.
    pub rules: &'a [Rule],
}

/// A page with its body.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView<'a> {
    /// Everything a listing shows.
    #[serde(flatten)]
    pub summary: PageSummary<'a>,
    /// Body HTML, internal links resolved.
    pub content: String,
    /// Table of contents.
    pub toc: &'a [TocEntry],
    /// Latin-script words.
    pub word_count: usize,
    /// CJK characters.
    pub cjk_count: usize,
    /// Home → sections → this page.
    pub breadcrumbs: Vec<Crumb<'a>>,
    /// Source path, e.g. `content/rules/group-rules.md`.
    pub source: String,
    /// `extra` from front matter.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Playbook details.
    pub playbook: Option<PlaybookView<'a>>,
    /// Rules details.
    pub rules: Option<RulesView<'a>>,
    /// FAQ questions.
    pub questions: Option<&'a [Question]>,
    /// schema.org JSON-LD, ready for a `<script>` tag.
    pub json_ld: Option<String>,
    /// Previous and next page in the section.
    pub prev: Option<Crumb<'a>>,
    /// See `prev`.
    pub next: Option<Crumb<'a>>,
    /// Set when this is a translation whose original changed after it.
    pub stale: Option<StaleView>,
    /// Where to edit its file on the repository's web page (`repo_url`).
    pub edit_url: Option<String>,
}

/// Upcoming events before past ones, past ones by year.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventsView<'a> {
    /// Soonest first.
    pub upcoming: Vec<PageSummary<'a>>,
    /// Newest year first, newest event first.
    pub past: Vec<YearGroup<'a>>,
}

/// Past events of one year.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct YearGroup<'a> {
    /// Year.
    pub year: i32,
    /// Events.
    pub pages: Vec<PageSummary<'a>>,
}

/// A section with its listing.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionView<'a> {
    /// Title.
    pub title: String,
    /// Link.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// `description`.
    pub description: Option<&'a str>,
    /// Body HTML of `_index.md`.
    pub content: String,
    /// Kind.
    pub kind: Kind,
    /// Its own pages, in order.
    pub pages: Vec<PageSummary<'a>>,
    /// Sub-sections.
    pub subsections: Vec<SectionLink<'a>>,
    /// Home → this section.
    pub breadcrumbs: Vec<Crumb<'a>>,
    /// `extra` of `_index.md`.
    pub extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// For event sections: all events below, split by time.
    pub events: Option<EventsView<'a>>,
    /// For event sections: one link per year with events, to its archive page.
    pub archives: Vec<SectionLink<'a>>,
    /// Table of contents of `_index.md`.
    pub toc: &'a [TocEntry],
    /// Links to the other pages of a listing that does not fit on one.
    pub pager: Option<PagerView>,
}

/// One page of a paginated listing: where it is, and links to the others.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PagerView {
    /// This page's number, from 1.
    pub number: usize,
    /// Number of pages.
    pub count: usize,
    /// Items per page.
    pub per_page: usize,
    /// Items in the whole listing.
    pub total: usize,
    /// Link to the first page (the listing's own URL).
    pub first: String,
    /// Link to the last page.
    pub last: String,
    /// Link to the page before, on all but the first.
    pub previous: Option<String>,
    /// Link to the page after, on all but the last.
    pub next: Option<String>,
    /// Numbered links: the first, the last, and two either side of this one,
    /// with a gap where numbers are left out.
    pub pages: Vec<PagerLink>,
}

/// A numbered link of a pager, or a gap.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PagerLink {
    /// Page number (0 for a gap).
    pub number: usize,
    /// Link (empty for a gap).
    pub url: String,
    /// Whether it is the page shown.
    pub current: bool,
    /// Whether it stands for numbers left out.
    pub gap: bool,
}

/// Site-wide values, available to every template as `site`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Base URL.
    pub base_url: &'a str,
    /// Link to the home page.
    pub home_url: String,
    /// Language tag.
    pub language: &'a str,
    /// `[extra]` from almanac.toml.
    pub extra: &'a toml::Table,
    /// Top-level sections.
    pub sections: Vec<SectionLink<'a>>,
    /// Most used tags, by count.
    pub popular_tags: Vec<TermLink<'a>>,
    /// Recently changed pages.
    pub recent: Vec<PageSummary<'a>>,
    /// Next upcoming events.
    pub upcoming: Vec<PageSummary<'a>>,
    /// Build time, RFC 3339.
    pub now: String,
    /// Link to the tags index.
    pub tags_url: String,
    /// Link to a file under the output root, e.g. `style.css`.
    pub static_url: String,
    /// Interface words in the site's language (see the README).
    pub labels: std::collections::BTreeMap<String, String>,
    /// Whether the site has events (for the calendar link).
    pub has_events: bool,
    /// The search index's folder URL, when search is on; its `index.html`
    /// lists every page, for readers without JavaScript.
    pub search_index: Option<String>,
    /// The words the search script shows, as JSON.
    pub search_labels: String,
    /// Whether the language is written right to left.
    pub rtl: bool,
    /// Link to the language's Atom feed.
    pub feed_url: String,
    /// Link to the language's calendar of every event.
    pub calendar_url: String,
    /// Link to the language's rule changes feed.
    pub rule_changes_url: String,
    /// Every language of the site, with its home page; empty for a site of one language.
    pub languages: Vec<LanguageLink>,
    /// Link to the logo (`logo` in almanac.toml).
    pub logo: Option<String>,
    /// Link to the icon (`favicon` in almanac.toml).
    pub favicon: Option<String>,
}

/// A language of the site, linked from the language switcher.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LanguageLink {
    /// BCP 47 tag, for `hreflang` and `lang`.
    pub code: String,
    /// Its name in itself (`English`, `繁體中文`).
    pub name: String,
    /// Link: this page in that language, else that language's home.
    pub url: String,
    /// Absolute URL, for `<link rel="alternate" hreflang>`.
    pub permalink: String,
    /// Whether it is the language of the page shown.
    pub current: bool,
    /// Whether this page exists in that language.
    pub translated: bool,
    /// Whether to list it as an `hreflang` alternate: it exists, and so
    /// does at least one other version.
    pub alternate: bool,
}

/// A translation whose original changed after it was made.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StaleView {
    /// Link to the original.
    pub original_url: String,
    /// The original's language, by name.
    pub original_language: String,
    /// The original's language tag.
    pub original_code: String,
    /// When the original changed, if known.
    pub changed: Option<DateView>,
    /// The notice, in the page's language.
    pub notice: String,
    /// The words of the link to the original.
    pub link_text: String,
}

/// `/translations/`: how much of the site each language has.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TranslationStatusView {
    /// Pages of the default language.
    pub originals: usize,
    /// One entry per language other than the default.
    pub languages: Vec<LanguageStatus>,
}

/// One language's coverage.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LanguageStatus {
    /// The language.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Translated pages that are current.
    pub current: usize,
    /// Percentage of the default language's pages translated and current.
    pub percent: usize,
    /// Translations whose original changed since.
    pub stale: Vec<Crumb<'static>>,
    /// Pages of the default language without a translation.
    pub missing: Vec<Crumb<'static>>,
}
