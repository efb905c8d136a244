//! Sessions: a series of builds of one site that redoes only what a change
//! touches. `serve` holds one.
//!
//! PARSE is memoised per file (see [`ParseCache`]) and git history by
//! `HEAD`. LINK runs from scratch and makes the route table. Each route's
//! fingerprint hashes everything it reads (see [`crate::link::deps`]); a
//! rebuild renders only the routes whose fingerprint is new, drops the
//! routes that are gone, and keeps every other output as it was. The tests
//! check that the result is byte-identical to a clean build.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Result};
use crate::link::Site;
use crate::link::deps::Fingerprints;
use crate::output::Content;
use crate::pipeline::{self, BuildOptions, Caches, Timings};
use crate::render::{self, Theme};
use crate::write::MemorySink;

/// Rendered files by their path under the output folder.
pub type Files = HashMap<String, Content>;

/// A site rendered in memory: its files and what went into them.
pub struct RenderedSite {
    /// Every output file, by path under the output folder.
    pub files: Arc<Files>,
    /// Pages, sections, tags.
    pub counts: (usize, usize, usize),
    /// The paths rendered by this build, sorted (all of them on the first).
    pub rendered: Vec<String>,
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// Time per stage so far.
    pub timings: Timings,
}

/// A series of builds of one site.
pub struct Session {
    opts: BuildOptions,
    caches: Caches,
    previous: Option<Previous>,
}

/// What the last successful build made: each route's fingerprint, and the files.
struct Previous {
    fingerprints: HashMap<String, u64>,
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
            caches: Caches::default(),
            previous: None,
        }
    }

    /// Loads, parses (what changed), links and renders (what changed) the site in memory.
    pub fn render(&mut self) -> Result<RenderedSite> {
        let mut timings = Timings::start();
        let (site, mut theme, warnings) =
            pipeline::site(&self.opts, &mut self.caches, &mut timings)?;
        let fps = Fingerprints::new(&site, global(&site, &theme, &self.opts));
        let routes = &site.routes.routes;
        let fingerprints: Vec<u64> = routes.par_iter().map(|r| fps.route(&site, r)).collect();
        let dirty: Vec<usize> = match &self.previous {
            Some(p) => (0..routes.len())
                .filter(|&i| p.fingerprints.get(&routes[i].path) != Some(&fingerprints[i]))
                .collect(),
            None => (0..routes.len()).collect(),
        };
        timings.mark("diff");
        let sink = MemorySink::default();
        render::routes(&site, &mut theme, &dirty, &sink)?;
        let mut files = match self.previous.take() {
            Some(p) => p.files,
            None => Arc::new(Files::new()),
        };
        let map = Arc::make_mut(&mut files);
        map.retain(|path, _| site.routes.get(path).is_some());
        let mut rendered = Vec::with_capacity(dirty.len());
        for o in sink.into_outputs() {
            rendered.push(o.path.clone());
            map.insert(o.path, o.content);
        }
        rendered.sort();
        timings.mark("render");
        self.previous = Some(Previous {
            fingerprints: routes
                .iter()
                .zip(fingerprints)
                .map(|(r, f)| (r.path.clone(), f))
                .collect(),
            files: files.clone(),
        });
        Ok(RenderedSite {
            files,
            counts: (site.pages.len(), site.sections.len(), site.tags.len()),
            rendered,
            warnings,
            timings,
        })
    }
}

/// What every output may read besides the site: config, templates, "now".
fn global(site: &Site, theme: &Theme, opts: &BuildOptions) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        format!("{:?}", site.config),
        theme.fingerprint,
        site.now,
        opts.drafts,
    )
        .hash(&mut h);
    h.finish()
}
