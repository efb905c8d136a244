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
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Result};
use crate::link::Site;
use crate::link::deps::{Fingerprints, hash_of};
use crate::load::{SourceFile, SourcePath};
use crate::output::{Content, Dictionary, Output};
use crate::parse::{Document, ParseCache};
use crate::pipeline::{self, BuildOptions, Caches, Timings};
use crate::render::{self, Theme};
use crate::write::MemorySink;

/// Rendered files by their path under the output folder.
pub(crate) type Files = HashMap<String, Content>;

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
    /// What outputs are packed against: made from the first pages rendered.
    dict: Option<Arc<Dictionary>>,
}

/// What the last successful build made: each route's fingerprint, and the files.
struct Previous {
    /// Fingerprint by output path, of every route rendered so far.
    fingerprints: HashMap<String, u64>,
    files: Arc<Files>,
    /// The site and theme it was made from, while they match the files on
    /// disk (dropped when a rebuild fails part way).
    linked: Option<(Site, Theme, Vec<Diagnostic>)>,
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
            dict: None,
        }
    }

    /// Loads, parses (what changed), links and renders (what changed) the site in memory.
    pub fn render(&mut self) -> Result<RenderedSite> {
        let mut timings = Timings::start();
        if let Some(p) = &mut self.previous {
            p.linked = None;
        }
        let (site, theme, warnings) = pipeline::site(&self.opts, &mut self.caches, &mut timings)?;
        self.finish(site, theme, warnings, timings)
    }

    /// Rebuilds after the files at `changed` (absolute or under the site
    /// root) changed. When they are all existing pages, only they are read
    /// and parsed, and the site is re-linked, or patched in place when no
    /// link, title or front matter changed; anything else is a full
    /// [`Session::render`].
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<RenderedSite> {
        let mut timings = Timings::start();
        if self.only_templates(changed)
            && let Some((site, _, warnings)) = self.previous.as_mut().and_then(|p| p.linked.take())
        {
            // Nothing LINK reads changed: the same site with the new templates.
            let theme = crate::render::Theme::load(&site.config)?;
            timings.mark("templates");
            return self.finish(site, theme, warnings, timings);
        }
        let Some(sources) = self.changed_pages(changed) else {
            return self.render();
        };
        let Some((mut site, theme, warnings)) =
            self.previous.as_mut().and_then(|p| p.linked.take())
        else {
            return self.render();
        };
        timings.mark("load");
        let errors = self.caches.parse.update(&sources, &site.config);
        timings.mark("parse");
        let parse = &self.caches.parse;
        let patched = errors.is_empty()
            && warnings.is_empty()
            && sources.iter().all(|s| parse.is_clean(&s.path.rel))
            && patch(&mut site, parse, &sources);
        let (site, warnings) = if patched {
            (site, Vec::new())
        } else {
            let mut diags = crate::diagnostic::Diagnostics::default();
            diags.extend(errors);
            let docs = parse.in_order(&mut diags);
            let (config, now, statics) = (site.config.clone(), site.now, site.statics.clone());
            // Not kept alongside its successor: two linked sites at once
            // would be serve's peak.
            drop(site);
            let site = pipeline::relink(
                &self.opts,
                config,
                now,
                docs,
                statics,
                &mut self.caches,
                &mut diags,
            );
            (site, diags.finish()?)
        };
        timings.mark("link");
        self.finish(site, theme, warnings, timings)
    }

    /// Whether every changed file is a template (edited or added, not deleted):
    /// the site's routes stay the same and only the theme is reloaded.
    fn only_templates(&self, changed: &[PathBuf]) -> bool {
        let Ok(root) = self.opts.root.canonicalize() else {
            return false;
        };
        !changed.is_empty()
            && changed.iter().all(|path| {
                let Ok(path) = path.canonicalize() else {
                    return false;
                };
                let Ok(rel) = path.strip_prefix(&root) else {
                    return false;
                };
                let parts: Vec<_> = rel.components().map(|c| c.as_os_str()).collect();
                let in_templates = match parts.as_slice() {
                    [first, ..] if *first == "templates" => true,
                    [first, _, third, ..] => *first == "themes" && *third == "templates",
                    _ => false,
                };
                in_templates && path.is_file()
            })
    }

    /// The changed files as sources, when every one is a page the last
    /// build parsed (not a section's `_index.md`, which can change kinds).
    fn changed_pages(&self, changed: &[PathBuf]) -> Option<Vec<SourceFile>> {
        // Canonical, as the watcher reports paths; a deleted file fails here.
        let content = self.opts.root.join("content").canonicalize().ok()?;
        let mut out: Vec<SourceFile> = Vec::new();
        for path in changed {
            let path = path.canonicalize().ok()?;
            if !path.starts_with(&content) {
                return None;
            }
            let rel = crate::load::rel_path(&content, &path);
            if !rel.ends_with(".md") || rel.ends_with("_index.md") || !self.caches.parse.has(&rel) {
                return None;
            }
            if out.iter().any(|s| s.path.rel == rel) {
                continue;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            out.push(SourceFile {
                path: SourcePath { rel },
                text: text.into(),
            });
        }
        Some(out)
    }

    fn finish(
        &mut self,
        site: Site,
        mut theme: Theme,
        warnings: Vec<Diagnostic>,
        mut timings: Timings,
    ) -> Result<RenderedSite> {
        let fps = Fingerprints::new(&site, global(&site, &theme, &self.opts));
        timings.mark("inputs");
        let routes = &site.routes.routes;
        let fingerprints: Vec<u64> = routes.par_iter().map(|r| fps.route(&site, r)).collect();
        let dirty: Vec<usize> = match &self.previous {
            Some(p) => (0..routes.len())
                .filter(|&i| p.fingerprints.get(&routes[i].path) != Some(&fingerprints[i]))
                .collect(),
            None => (0..routes.len()).collect(),
        };
        timings.mark("diff");
        let dict = match &self.dict {
            Some(d) => d.clone(),
            None => {
                let d = dictionary(&site, &mut theme, &dirty)?;
                self.dict = Some(d.clone());
                d
            }
        };
        let sink = MemorySink::new(dict);
        if let Err(e) = render::routes(&site, &mut theme, &dirty, &sink) {
            // The files no longer match this site; the next rebuild starts over.
            if let Some(p) = &mut self.previous {
                p.linked = None;
            }
            return Err(e);
        }
        timings.mark("render");
        let (mut files, mut known) = match self.previous.take() {
            Some(p) => (p.files, p.fingerprints),
            None => Default::default(),
        };
        for &i in &dirty {
            known.insert(routes[i].path.clone(), fingerprints[i]);
        }
        // Every route is known now (a new one was dirty), so more entries
        // than routes means some route is gone.
        let map = Arc::make_mut(&mut files);
        if known.len() != routes.len() {
            known.retain(|path, _| site.routes.get(path).is_some());
            map.retain(|path, _| site.routes.get(path).is_some());
        }
        let outputs = sink.into_outputs();
        let mut rendered = Vec::with_capacity(outputs.len());
        for o in outputs {
            rendered.push(o.path.clone());
            map.insert(o.path, o.content);
        }
        rendered.sort();
        timings.mark("files");
        let counts = (site.pages.len(), site.sections.len(), site.tags.len());
        self.previous = Some(Previous {
            fingerprints: known,
            files: files.clone(),
            linked: Some((site, theme, warnings.clone())),
        });
        Ok(RenderedSite {
            files,
            counts,
            rendered,
            warnings,
            timings,
        })
    }
}

/// A dictionary to compress this site's outputs with, trained on a few
/// of each kind of route as the theme renders them: they hold the markup
/// every page repeats.
fn dictionary(site: &Site, theme: &mut Theme, dirty: &[usize]) -> Result<Arc<Dictionary>> {
    const PER_KIND: usize = 8;
    let routes = &site.routes.routes;
    let mut taken: HashMap<std::mem::Discriminant<crate::link::RouteKind>, usize> = HashMap::new();
    let samples: Vec<usize> = dirty
        .iter()
        .copied()
        .filter(|&i| {
            let n = taken
                .entry(std::mem::discriminant(&routes[i].kind))
                .or_default();
            *n += 1;
            *n <= PER_KIND
        })
        .collect();
    struct Collect(std::sync::Mutex<Vec<Vec<u8>>>);
    impl crate::output::Sink for Collect {
        fn put(&self, output: Output) -> Result<()> {
            if let Content::Bytes(b) = output.content {
                self.0
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(b.to_vec());
            }
            Ok(())
        }
    }
    let sink = Collect(Default::default());
    render::routes(site, theme, &samples, &sink)?;
    let samples = sink.0.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok(Arc::new(Dictionary::from_samples(&samples)))
}

/// What every output may read besides the site: config, templates, "now".
fn global(site: &Site, theme: &Theme, opts: &BuildOptions) -> u64 {
    let config = format!("{:?}", site.config);
    hash_of((config, theme.fingerprint, site.now, opts.drafts))
}

/// Puts re-parsed documents in place in the site when nothing LINK reads
/// of them changed (front matter, title, links, anchors); says whether it could.
fn patch(site: &mut Site, parsed: &ParseCache, changed: &[SourceFile]) -> bool {
    let mut swaps = Vec::with_capacity(changed.len());
    for src in changed {
        let rel = src.path.rel.as_str();
        // A draft is not in the site: whether it is now takes LINK.
        let page = site.pages.iter().position(|p| p.doc.source.rel == rel);
        let (Some(i), Some(doc)) = (page, parsed.get(rel)) else {
            return false;
        };
        if link_key(&site.pages[i].doc) != link_key(doc) {
            return false;
        }
        swaps.push((i, doc.clone()));
    }
    for (i, doc) in swaps {
        site.pages[i].doc = doc;
    }
    true
}

/// What LINK reads of a document.
fn link_key(doc: &Document) -> u64 {
    let mut anchors: Vec<&str> = doc.body.anchors.iter().map(String::as_str).collect();
    anchors.sort_unstable();
    let links: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
    let front = format!("{:?}", doc.front);
    hash_of((front, &doc.title, doc.kind, anchors, links))
}
