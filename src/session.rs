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
use crate::link::Sites;
use crate::link::deps::{Fingerprints, hash_of};
use crate::load::{SourceFile, SourcePath};
use crate::output::{Content, Dictionary, Output};
use crate::parse::{Document, ParseCache};
use crate::pipeline::{self, BuildOptions, Caches, Timings};
use crate::render::{self, RouteRef, Theme};
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
    /// The search tokens a build kept, being read while the first build
    /// loads and parses the site (on a big site the file is tens of MB).
    loading: Option<crate::search::cache::Loading>,
}

/// What the last successful build made: each route's fingerprint, and the files.
struct Previous {
    /// Fingerprint by output path, of every route rendered so far.
    fingerprints: HashMap<String, u64>,
    files: Arc<Files>,
    /// The site and theme it was made from, while they match the files on
    /// disk (dropped when a rebuild fails part way).
    linked: Option<(Sites, Theme, Vec<Diagnostic>)>,
    /// Per language: the corpus fingerprint the search shards were last
    /// fingerprinted at, and theirs.
    shards: Vec<Option<(u64, Vec<u64>)>>,
}

impl Session {
    /// A session for the site `opts` describes. "Now" is fixed when the
    /// session starts, so rebuilds agree with each other. The search
    /// tokens a build into the site's output folder kept are read (on a
    /// thread of their own, while the first build reads the site), so the
    /// first index tokenizes only the pages changed since.
    pub fn new(mut opts: BuildOptions) -> Self {
        opts.now
            .get_or_insert_with(|| chrono::Local::now().fixed_offset());
        let loading = Some(crate::search::TokenCache::load_aside(
            crate::write::cache_file(&opts.output_dir(), "search"),
        ));
        Session {
            opts,
            caches: Caches::default(),
            previous: None,
            dict: None,
            loading,
        }
    }

    /// Waits for the search tokens being read when the session started,
    /// and keeps them (a file that could not be read is an empty cache).
    fn loaded_tokens(&mut self) {
        if let Some(loading) = self.loading.take() {
            self.caches.search = loading.wait();
        }
    }

    /// Loads, parses (what changed), links and renders (what changed) the site in memory.
    pub fn render(&mut self) -> Result<RenderedSite> {
        let mut timings = Timings::start();
        if let Some(p) = &mut self.previous {
            p.linked = None;
        }
        // Until the first index has waited for the tokens read when the
        // session started, PARSE's documents are tokenized into them while
        // LINK runs, as `build` does: LINK keeps one processor busy.
        let loading = &mut self.loading;
        let drafts = self.opts.drafts;
        let ahead = |docs: &[Arc<Document>], config: &crate::config::SiteConfig| {
            *loading = loading
                .take()
                .map(|tokens| tokens.then_tokenize(docs, config, drafts, || None));
        };
        let (site, theme, warnings) =
            pipeline::site_with(&self.opts, &mut self.caches, &mut timings, ahead)?;
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
            let theme = crate::render::Theme::load(&site.main().config)?;
            timings.mark("templates");
            return self.finish(site, theme, warnings, timings);
        }
        let Some((mut site, theme, warnings)) =
            self.previous.as_mut().and_then(|p| p.linked.take())
        else {
            return self.render();
        };
        let Some(sources) = self.changed_pages(&site.main().config, changed) else {
            return self.render();
        };
        timings.mark("load");
        let errors = self.caches.parse.update(&sources, &site.main().config);
        timings.mark("parse");
        let parse = &self.caches.parse;
        let patched = errors.is_empty()
            && warnings.is_empty()
            && sources.iter().all(|s| parse.is_clean(&s.path.file))
            && patch(&mut site, parse, &sources);
        let (site, warnings) = if patched {
            (site, Vec::new())
        } else {
            let mut diags = crate::diagnostic::Diagnostics::default();
            diags.extend(errors);
            let docs = parse.in_order(&mut diags);
            let main = site.main();
            let (config, now, statics) = (main.config.clone(), main.now, main.statics.clone());
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
    fn changed_pages(
        &self,
        config: &crate::config::SiteConfig,
        changed: &[PathBuf],
    ) -> Option<Vec<SourceFile>> {
        // Canonical, as the watcher reports paths; a deleted file fails here.
        let dirs: Vec<(usize, String, PathBuf)> = crate::load::content_dirs(config)
            .ok()?
            .into_iter()
            .filter_map(|(l, name, path)| Some((l, name, path.canonicalize().ok()?)))
            .collect();
        let mut out: Vec<SourceFile> = Vec::new();
        for path in changed {
            let path = path.canonicalize().ok()?;
            // The innermost folder: a language's folder may sit inside content/.
            let (lang, folder, dir) = dirs
                .iter()
                .filter(|(_, _, d)| path.starts_with(d))
                .max_by_key(|(_, _, d)| d.components().count())?;
            let rel = crate::load::rel_path(dir, &path);
            let sp: SourcePath = crate::load::source_path(config, *lang, folder, &rel);
            if !rel.ends_with(".md") || sp.is_section_index() || !self.caches.parse.has(&sp.file) {
                return None;
            }
            if out.iter().any(|s| s.path.file == sp.file) {
                continue;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            out.push(SourceFile {
                path: sp,
                text: text.into(),
            });
        }
        Some(out)
    }

    fn finish(
        &mut self,
        site: Sites,
        mut theme: Theme,
        warnings: Vec<Diagnostic>,
        mut timings: Timings,
    ) -> Result<RenderedSite> {
        let sitemap = crate::link::deps::sitemap(&site);
        let mut fps: Vec<Fingerprints> = site
            .langs
            .iter()
            .map(|s| Fingerprints::new(s, global(s, &theme, &self.opts), sitemap))
            .collect();
        // When a language's text changed, its index is made first: which
        // shards changed is known from the index, not from the pages, so an
        // edit renders only the shards it touched.
        self.loaded_tokens();
        let before = self.previous.as_ref().map(|p| p.shards.as_slice());
        let mut indexes: Vec<Option<crate::search::Index>> = Vec::new();
        let mut shards = Vec::new();
        for (lang, (s, fp)) in site.langs.iter().zip(&mut fps).enumerate() {
            let corpus = fp.of(crate::link::deps::Dep::Corpus);
            let known = before
                .and_then(|b| b.get(lang).cloned().flatten())
                .filter(|(at, _)| *at == corpus);
            let (index, mine) = match known {
                _ if !s.config.search.enabled => (None, None),
                Some(known) => (None, Some(known)),
                None => {
                    let index = crate::search::index(s, Some(&self.caches.search));
                    let mine = (corpus, index.shard_fingerprints());
                    (Some(index), Some(mine))
                }
            };
            if let Some((_, f)) = &mine {
                fp.set_shards(f.clone());
            }
            indexes.push(index);
            shards.push(mine);
        }
        if indexes.iter().any(Option::is_some) {
            self.caches.search.keep_pages_of(&site);
        }
        timings.mark("inputs");
        let refs: Vec<RouteRef> = site.all_routes();
        let route = |&(l, i): &RouteRef| &site.langs[l].routes.routes[i];
        let fingerprints: Vec<u64> = refs
            .par_iter()
            .map(|r| fps[r.0].route(&site.langs[r.0], route(r)))
            .collect();
        let dirty_at: Vec<usize> = match &self.previous {
            Some(p) => (0..refs.len())
                .filter(|&i| p.fingerprints.get(&route(&refs[i]).path) != Some(&fingerprints[i]))
                .collect(),
            None => (0..refs.len()).collect(),
        };
        let dirty: Vec<RouteRef> = dirty_at.iter().map(|&i| refs[i]).collect();
        timings.mark("diff");
        let dict = match &self.dict {
            Some(d) => d.clone(),
            None => {
                let d = dictionary(&site, &mut theme, &dirty, &indexes)?;
                self.dict = Some(d.clone());
                d
            }
        };
        let sink = MemorySink::new(dict);
        if let Err(e) = render::routes(&site, &mut theme, &dirty, &sink, &indexes) {
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
        for &i in &dirty_at {
            known.insert(route(&refs[i]).path.clone(), fingerprints[i]);
        }
        // Every route is known now (a new one was dirty), so more entries
        // than routes means some route is gone.
        let map = Arc::make_mut(&mut files);
        if known.len() != refs.len() {
            known.retain(|path, _| site.route(path).is_some());
            map.retain(|path, _| site.route(path).is_some());
        }
        let outputs = sink.into_outputs();
        let mut rendered = Vec::with_capacity(outputs.len());
        for o in outputs {
            rendered.push(o.path.clone());
            map.insert(o.path, o.content);
        }
        rendered.sort();
        timings.mark("files");
        let counts = site.counts();
        self.previous = Some(Previous {
            fingerprints: known,
            files: files.clone(),
            linked: Some((site, theme, warnings.clone())),
            shards,
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
/// every page repeats. The search samples are made from `indexes`, the
/// ones this render made already.
fn dictionary(
    site: &Sites,
    theme: &mut Theme,
    dirty: &[RouteRef],
    indexes: &[Option<crate::search::Index>],
) -> Result<Arc<Dictionary>> {
    const PER_KIND: usize = 8;
    let mut taken: HashMap<std::mem::Discriminant<crate::link::RouteKind>, usize> = HashMap::new();
    let samples: Vec<RouteRef> = dirty
        .iter()
        .copied()
        .filter(|&(l, i)| {
            let n = taken
                .entry(std::mem::discriminant(&site.langs[l].routes.routes[i].kind))
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
    render::routes(site, theme, &samples, &sink, indexes)?;
    let samples = sink.0.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok(Arc::new(Dictionary::from_samples(&samples)))
}

/// What every output may read besides the site: config, templates, "now".
fn global(site: &crate::link::Site, theme: &Theme, opts: &BuildOptions) -> u64 {
    let config = format!("{:?}", site.config);
    hash_of((config, theme.fingerprint, site.now, opts.drafts))
}

/// Puts re-parsed documents in place in the site when nothing LINK reads
/// of them changed (front matter, title, links, anchors); says whether it could.
fn patch(sites: &mut Sites, parsed: &ParseCache, changed: &[SourceFile]) -> bool {
    let mut swaps = Vec::with_capacity(changed.len());
    for src in changed {
        let file = src.path.file.as_str();
        let Some(site) = sites.langs.get(src.path.lang) else {
            return false;
        };
        // A draft is not in the site: whether it is now takes LINK.
        let page = site.pages.iter().position(|p| p.doc.source.file == file);
        let (Some(i), Some(doc)) = (page, parsed.get(file)) else {
            return false;
        };
        if link_key(&site.pages[i].doc) != link_key(doc) {
            return false;
        }
        // An original's new text may make its translations stale.
        if site.config.multilingual() && site.pages[i].doc.fingerprint != doc.fingerprint {
            return false;
        }
        swaps.push((src.path.lang, i, doc.clone()));
    }
    for (lang, i, doc) in swaps {
        sites.langs[lang].pages[i].doc = doc;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_cache_forgets_deleted_pages() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("in a folder")).expect("folder");
            std::fs::write(path, text).expect("write");
        };
        write(
            "almanac.toml",
            "title = \"T\"\nbase_url = \"https://t.example\"\n\n[search]\nenabled = true\n",
        );
        write("content/a.md", "+++\ntitle = \"网线\"\n+++\n交换机\n");
        write("content/b.md", "+++\ntitle = \"讲义\"\n+++\n打印\n");
        let mut session = Session::new(BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        });
        session.render().expect("first render");
        assert_eq!(session.caches.search.len(), 2);
        let gone = root.join("content/b.md");
        std::fs::remove_file(&gone).expect("delete");
        session.apply(&[gone]).expect("render after the delete");
        assert_eq!(session.caches.search.len(), 1);
        // A build keeps its tokens beside its output, and a new session
        // starts from them.
        crate::pipeline::build(&BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        })
        .expect("build");
        let mut session = Session::new(BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        });
        session.loaded_tokens();
        assert_eq!(session.caches.search.len(), 1);
    }
}
