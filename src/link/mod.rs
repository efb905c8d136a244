//! Stage 3, LINK: documents become a [`Site`] — URLs, the section tree,
//! tags, and every internal link resolved and checked.
//!
//! Pure: no I/O, no templates. It runs from scratch on every build (it is
//! milliseconds even for large sites), which keeps incremental rebuilds
//! simple. Vocabulary: a *page* is a Markdown file other than `_index.md`; a
//! *section* is a folder (its `_index.md` optional); a *term* is one tag.

mod taxonomy;
mod tree;
mod xref;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostics;
use crate::parse::{Document, Kind, When};

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
}

impl Page {
    /// The date a listing sorts by: `date`, else an event's `start`.
    pub fn date(&self) -> Option<When> {
        self.doc.front.date.or(self.doc.front.start)
    }

    /// When the page last changed: `updated`, else [`Page::date`].
    pub fn last_changed(&self) -> Option<When> {
        self.doc.front.updated.or_else(|| self.date())
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

/// Builds the site from parsed documents; problems go to `diags`.
pub fn site(
    docs: Vec<Arc<Document>>,
    config: Arc<SiteConfig>,
    now: DateTime<FixedOffset>,
    drafts: bool,
    diags: &mut Diagnostics,
) -> Site {
    let docs = docs
        .into_iter()
        .filter(|d| drafts || !d.front.draft)
        .collect();
    let mut site = tree::build(docs, config, now, diags);
    taxonomy::tags(&mut site);
    xref::resolve(&mut site, diags);
    site
}
