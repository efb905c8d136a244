//! Sessions: a series of builds of one site that redoes only what a change
//! touches. `serve` holds one; `build` uses one for a single render.
//!
//! PARSE is memoised per file (see [`ParseCache`]). LINK always runs from
//! scratch. RENDER compares the new site with the previous one: when the
//! config, the templates, the set of pages and sections and everything any
//! listing shows of a page (its *summary*: title, URL, dates, tags,
//! description, event details, position in its section) are unchanged,
//! only the pages whose document changed are rendered again, with the feeds
//! and calendars that show page bodies; every other output is reused. Any
//! other change renders everything. The tests check that both paths give
//! byte-identical sites.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Result};
use crate::link::{PageId, Site};
use crate::load::SourceSet;
use crate::parse::{Document, ParseCache};
use crate::pipeline::{self, BuildOptions, Timings};
use crate::render::{self, Content, Scope, Theme, view::Views};
use crate::write::MemorySink;

/// Rendered files by their path under the output folder.
pub type Files = HashMap<String, Content>;

/// A site rendered in memory: its files and what went into them.
pub struct RenderedSite {
    /// Every output file, by path under the output folder.
    pub files: Arc<Files>,
    /// Pages, sections, tags.
    pub counts: (usize, usize, usize),
    /// How many pages were rendered (all of them unless the rebuild was partial).
    pub rendered_pages: usize,
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// Time per stage so far.
    pub timings: Timings,
}

/// A series of builds of one site.
pub struct Session {
    opts: BuildOptions,
    cache: ParseCache,
    previous: Option<Previous>,
}

/// What the last successful render was made from, and what it made.
struct Previous {
    fingerprint: u64,
    /// Per page, in site order: URL, summary hash, document.
    pages: Vec<(String, u64, Arc<Document>)>,
    /// Per section, in site order: its index document.
    sections: Vec<Option<Arc<Document>>>,
    files: Arc<Files>,
}

impl Session {
    /// A session for the site `opts` describes. "Now" is fixed when the
    /// session starts, so rebuilds agree with each other.
    pub fn new(mut opts: BuildOptions) -> Self {
        opts.now
            .get_or_insert_with(|| chrono::Local::now().fixed_offset());
        Session {
            opts,
            cache: ParseCache::default(),
            previous: None,
        }
    }

    /// Loads, parses (what changed), links and renders (what changed) the site in memory.
    pub fn render(&mut self) -> Result<RenderedSite> {
        let mut timings = Timings::start();
        let (site, sources, warnings) = pipeline::site(&self.opts, &mut self.cache, &mut timings)?;
        let mut theme = Theme::load(&site.config)?;
        let fingerprint = fingerprint(&site, &theme, &sources);
        let summaries = summaries(&site);
        let dirty = self
            .previous
            .as_ref()
            .and_then(|p| p.dirty_pages(&site, fingerprint, &summaries));
        let sink = MemorySink::default();
        let (files, rendered_pages) = match (dirty, self.previous.take()) {
            (Some(ids), Some(previous)) => {
                render::outputs(
                    &site,
                    &mut theme,
                    &sources.assets,
                    Scope::Pages(&ids),
                    &sink,
                )?;
                let mut files = previous.files;
                Arc::make_mut(&mut files)
                    .extend(sink.into_outputs().into_iter().map(|o| (o.path, o.content)));
                (files, ids.len())
            }
            _ => {
                render::outputs(&site, &mut theme, &sources.assets, Scope::All, &sink)?;
                let files = sink
                    .into_outputs()
                    .into_iter()
                    .map(|o| (o.path, o.content))
                    .collect();
                (Arc::new(files), site.pages.len())
            }
        };
        timings.mark("render");

        self.previous = Some(Previous {
            fingerprint,
            pages: site
                .pages
                .iter()
                .zip(summaries)
                .map(|(p, h)| (p.url.clone(), h, p.doc.clone()))
                .collect(),
            sections: site.sections.iter().map(|s| s.index.clone()).collect(),
            files: files.clone(),
        });
        Ok(RenderedSite {
            files,
            counts: (site.pages.len(), site.sections.len(), site.tags.len()),
            rendered_pages,
            warnings,
            timings,
        })
    }
}

impl Previous {
    /// The pages to render again, or `None` when everything must be.
    fn dirty_pages(&self, site: &Site, fingerprint: u64, summaries: &[u64]) -> Option<Vec<PageId>> {
        let same_shape =
            self.fingerprint == fingerprint
                && self.pages.len() == site.pages.len()
                && self.sections.len() == site.sections.len()
                && self.sections.iter().zip(&site.sections).all(|(old, new)| {
                    match (old, &new.index) {
                        (None, None) => true,
                        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                        _ => false,
                    }
                });
        if !same_shape {
            return None;
        }
        let mut dirty = Vec::new();
        for (i, ((url, hash, doc), page)) in self.pages.iter().zip(&site.pages).enumerate() {
            if *url != page.url || *hash != summaries[i] {
                return None;
            }
            if !Arc::ptr_eq(doc, &page.doc) {
                dirty.push(PageId(i));
            }
        }
        Some(dirty)
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Everything besides pages that every output may depend on.
fn fingerprint(site: &Site, theme: &Theme, sources: &SourceSet) -> u64 {
    let config = format!("{:?}", site.config);
    let sections: Vec<(&str, &str)> = site
        .sections
        .iter()
        .map(|s| (s.url.as_str(), s.title.as_str()))
        .collect();
    let aliases: Vec<(&str, &str)> = site
        .aliases
        .iter()
        .map(|a| (a.from.as_str(), a.to.as_str()))
        .collect();
    let assets: Vec<&str> = sources.assets.iter().map(|a| a.out.as_str()).collect();
    hash_of((
        config,
        theme.fingerprint,
        sections,
        aliases,
        assets,
        site.now,
    ))
}

/// Per page: a hash of what listings show of it and where it stands in its section.
fn summaries(site: &Site) -> Vec<u64> {
    let views = Views::new(site);
    (0..site.pages.len())
        .map(PageId)
        .map(|id| {
            let summary = serde_json::to_string(&views.summary(id)).unwrap_or_default();
            hash_of((summary, site.page(id).section.0, views.position(id)))
        })
        .collect()
}
