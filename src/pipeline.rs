//! The build, stage by stage. Read this file first.
//!
//! ```text
//! almanac.toml ─ config::load
//! content/     ─ load::sources → parse::documents → link::site → render::routes ⇒ write::Staging
//! ```
//! Each stage is a function from values to values. LINK makes the route
//! table (every file the site writes, with what it reads); RENDER renders
//! routes and hands each output to a `Sink` as soon as it is made (the staging folder for
//! `build`, memory for `serve`). Diagnostics from PARSE and LINK are
//! collected so one run reports every problem. `serve` runs the same stages
//! through a [`Session`], which redoes only what a change touches.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::config::{self, SiteConfig};
use crate::diagnostic::{Diagnostic, Diagnostics, Result};
use crate::link::{self, Layer, Sites, StaticFile};
use crate::load::{self, HistoryCache};
use crate::output::Content;
use crate::parse::{self, ParseCache};
use crate::render::{self, Theme};
pub use crate::session::{RenderedSite, Session};
use crate::write;

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root.
    pub root: PathBuf,
    /// Output folder; `<root>/public` when unset.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Build drafts too.
    pub drafts: bool,
    /// "Now" for upcoming/past events; the clock when unset.
    pub now: Option<DateTime<FixedOffset>>,
    /// Replace an output folder that no build made.
    pub force: bool,
    /// Show a progress bar on a terminal when the build takes over a second.
    pub progress: bool,
}

impl BuildOptions {
    /// The output folder: `-o`, else `public/` in the site.
    pub(crate) fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did.
#[derive(Debug)]
pub struct BuildSummary {
    /// Pages built.
    pub pages: usize,
    /// Sections built.
    pub sections: usize,
    /// Tags.
    pub tags: usize,
    /// Files in the output.
    pub files: usize,
    /// Files that already had their bytes and were not written again.
    pub unchanged: usize,
    /// With search on: pages tokenized for the index, and pages indexed
    /// (the others' tokens were kept from the build before).
    pub tokenized: Option<(usize, usize)>,
    /// Where.
    pub output: PathBuf,
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
    /// Time spent in each stage, in order.
    pub timings: Timings,
    /// What the build decided that a user may want to know (`-v`).
    pub notes: Vec<String>,
}

/// Wall time of each stage of one build.
#[derive(Debug, Default)]
pub struct Timings {
    last: Option<Instant>,
    /// `(stage, time)` in pipeline order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub(crate) fn start() -> Self {
        Timings {
            last: Some(Instant::now()),
            stages: Vec::new(),
        }
    }

    /// Records `took` as the time of `stage`, which ran alongside the
    /// stage marked next.
    pub(crate) fn alongside(&mut self, stage: &'static str, took: Duration) {
        self.stages.push((stage, took));
    }

    /// Records the time since the previous mark as `stage`.
    pub(crate) fn mark(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(last) = self.last {
            self.stages.push((stage, now - last));
        }
        self.last = Some(now);
    }
}

/// What a series of builds keeps: parsed documents and git history.
#[derive(Default)]
pub struct Caches {
    /// Parsed documents by source.
    pub parse: ParseCache,
    /// Git revisions, by `HEAD`.
    pub history: HistoryCache,
    /// The search index's tokens of each page.
    pub(crate) search: crate::search::TokenCache,
}

/// Loads, parses and links the site: everything up to rendering.
pub fn site(
    opts: &BuildOptions,
    caches: &mut Caches,
    timings: &mut Timings,
) -> Result<(Sites, Theme, Vec<Diagnostic>)> {
    site_with(opts, caches, timings, |_, _| {})
}

/// [`site`], calling `parsed` with the documents PARSE made, before LINK
/// makes a site of them: work that needs only the documents can then run
/// alongside LINK, which keeps one processor busy.
pub(crate) fn site_with(
    opts: &BuildOptions,
    caches: &mut Caches,
    timings: &mut Timings,
    parsed: impl FnOnce(&[Arc<parse::Document>], &SiteConfig),
) -> Result<(Sites, Theme, Vec<Diagnostic>)> {
    let config: Arc<SiteConfig> = Arc::new(config::load(&opts.root, opts.base_url.as_deref())?);
    let now = opts
        .now
        .unwrap_or_else(|| chrono::Local::now().fixed_offset());
    let theme = Theme::load(&config)?;
    let sources = load::sources(&config)?;
    timings.mark("load");
    let mut diags = Diagnostics::default();
    diags.extend(sources.problems.iter().cloned());
    let docs = parse::documents(sources.sources, &config, &mut caches.parse, &mut diags);
    timings.mark("parse");
    parsed(&docs, &config);
    let statics = statics(&theme, sources.assets);
    let site = relink(opts, config, now, docs, statics, caches, &mut diags);
    timings.mark("link");
    let warnings = diags.finish()?;
    Ok((site, theme, warnings))
}

/// LINK, with the git history it needs: parsed documents become a site.
pub(crate) fn relink(
    opts: &BuildOptions,
    config: Arc<SiteConfig>,
    now: DateTime<FixedOffset>,
    docs: Vec<Arc<parse::Document>>,
    statics: Vec<StaticFile>,
    caches: &mut Caches,
    diags: &mut Diagnostics,
) -> Sites {
    let history = rules_history(&config, &docs, &mut caches.history);
    let multilingual = config.multilingual();
    // One `git log` for every file's last commit: pages' updated dates and
    // which translations are stale.
    let committed = if multilingual || config.git.dates {
        let dirs: Vec<String> = load::content_dirs(&config)
            .map(|d| d.into_iter().map(|(_, name, _)| name).collect())
            .unwrap_or_default();
        load::git::last_commits(&config.root, &dirs, &mut caches.history)
    } else {
        Arc::default()
    };
    // Files that did not parse are reported; links to them are not again.
    let unparsed = caches
        .parse
        .unparsed()
        .map(|p| (p.lang, p.rel.clone()))
        .collect();
    let input = link::Input {
        drafts: opts.drafts,
        statics,
        history,
        unparsed,
        committed: if config.git.dates {
            committed.clone()
        } else {
            Arc::default()
        },
    };
    let mut sites = link::sites(docs, config, now, input, diags);
    if multilingual {
        link::mark_stale(&mut sites, &committed);
    }
    sites
}

/// Git revisions of the rules pages, when the site asks for them: read
/// once PARSE has said which pages are rules.
fn rules_history(
    config: &SiteConfig,
    docs: &[Arc<parse::Document>],
    cache: &mut HistoryCache,
) -> load::Revisions {
    if !config.rules.history_from_git {
        return load::Revisions::new();
    }
    let rules: Vec<String> = docs
        .iter()
        .filter(|d| d.kind == parse::Kind::Rules && !d.source.is_section_index())
        .map(|d| d.source.file.clone())
        .collect();
    let dirs: Vec<String> = load::content_dirs(config)
        .map(|d| d.into_iter().map(|(_, name, _)| name).collect())
        .unwrap_or_default();
    load::git::revisions(
        &config.root,
        &dirs,
        &rules,
        parse::markdown::rule_texts,
        cache,
    )
}

/// Static files of every layer: the built-in theme, a theme folder, the site.
fn statics(theme: &Theme, assets: Vec<load::Asset>) -> Vec<StaticFile> {
    let builtin = theme.embedded_static.iter().map(|(out, bytes)| StaticFile {
        out: out.clone(),
        source: format!("(built-in theme) static/{out}"),
        layer: Layer::Builtin,
        content: Content::Embedded(bytes),
    });
    let themed = theme.static_files.iter().map(|a| StaticFile {
        out: a.out.clone(),
        source: a.source.clone(),
        layer: Layer::Theme,
        content: Content::Copy(a.path.clone()),
    });
    let own = assets.into_iter().map(|a| StaticFile {
        source: a.source,
        out: a.out,
        layer: Layer::Site,
        content: Content::Copy(a.path),
    });
    builtin.chain(themed).chain(own).collect()
}

/// Builds the site into its output folder, replacing it only on success.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary> {
    let started = Instant::now();
    let output = opts.output_dir();
    check_output(&opts.root, &output)?;
    let mut timings = Timings::start();
    let mut opts = opts.clone();
    opts.now
        .get_or_insert_with(|| chrono::Local::now().fixed_offset());
    // The search tokens the last build kept (see below) are read while
    // the site loads: there are some only when search was on.
    let tokens_file = write::cache_file(&output, "search");
    let mut loading = crate::search::TokenCache::load_aside(tokens_file.clone());
    // With search on, PARSE's documents are tokenized while LINK runs, on
    // the search's own threads (made only then).
    let mut pool: Option<Arc<rayon::ThreadPool>> = None;
    let ahead = |docs: &[Arc<parse::Document>], config: &SiteConfig| {
        loading = std::mem::take(&mut loading).then_tokenize(docs, config, opts.drafts, || {
            pool = search_pool().map(Arc::new);
            pool.clone()
        });
    };
    let (site, mut theme, warnings) =
        site_with(&opts, &mut Caches::default(), &mut timings, ahead)?;
    let searched = site.langs.iter().any(|s| s.config.search.enabled);
    if !searched && loading.found() {
        // Search was turned off: its tokens would only take up space.
        let _ = std::fs::remove_file(&tokens_file);
    }
    // Waited for by the index, which runs beside the rendering.
    let loading = searched.then_some(loading);
    let home = site.main().config.permalink("/");
    let staging = write::Staging::for_site(&output, opts.force, &home)?;
    let routes = site.all_routes();
    let progress = opts
        .progress
        .then(|| Progress::new(&staging, routes.len(), started));
    let sink: &dyn crate::output::Sink = match &progress {
        Some(progress) => progress,
        None => &staging,
    };
    // The search index is made while the rest of the site renders, on
    // threads of its own: when the disk is slow to take new files the
    // rendering waits on it and the index uses the idle processors. Only
    // the index's own files (its shards and meta) wait for it.
    let (by_index, rest): (Vec<render::RouteRef>, Vec<render::RouteRef>) = routes
        .iter()
        .partition(|&&(l, i)| site.langs[l].routes.routes[i].kind.needs_index());
    let (outcome, tokens) = std::thread::scope(|scope| {
        let indexing = scope.spawn(|| {
            let (tokens, ahead) = match loading {
                Some(loading) => {
                    let (tokens, ahead) = loading.wait_ahead();
                    (Some(tokens), ahead)
                }
                None => (None, Duration::ZERO),
            };
            let started = Instant::now();
            let indexes = index_aside(&site, tokens.as_ref(), pool.as_deref());
            let took = started.elapsed() + ahead;
            if let Some(tokens) = &tokens {
                tokens.keep_pages_of(&site);
            }
            (indexes, took, tokens)
        });
        let rendered = render::routes(&site, &mut theme, &rest, sink, &[]);
        let (indexes, took, tokens) = indexing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let outcome = rendered
            .and_then(|()| render::routes(&site, &mut theme, &by_index, sink, &indexes))
            .map(|()| {
                if searched {
                    timings.alongside("search", took);
                }
                tokens.as_ref().map(|_| {
                    indexes
                        .iter()
                        .flatten()
                        .fold((0, 0), |(t, p), i| (t + i.tokenized, p + i.pages))
                })
            });
        (outcome, tokens)
    });
    // The tokens are kept for the next build; only a shortcut, so one that
    // cannot be saved is made again from the text, and one saved by a
    // build that then fails is still true of every page it holds.
    let save = |tokens: Option<crate::search::TokenCache>| {
        if let Some(tokens) = tokens {
            let _ = tokens.save(&tokens_file);
        }
    };
    let tokenized = match outcome {
        Ok(tokenized) => tokenized,
        Err(e) => {
            save(tokens);
            return Err(e);
        }
    };
    if let Some(progress) = progress {
        progress.bar.finish_and_clear();
    }
    timings.mark("render+write");
    // Saved while the output folder is swapped into place, which keeps
    // one processor busy and leaves the other idle.
    let report = std::thread::scope(|scope| {
        let saving = scope.spawn(|| save(tokens));
        let report = staging.commit();
        let _ = saving.join();
        report
    })?;
    timings.mark("swap");
    let (pages, sections, tags) = site.counts();
    let notes = site
        .langs
        .iter()
        .flat_map(|s| s.routes.yielded.iter().cloned())
        .collect();
    Ok(BuildSummary {
        pages,
        sections,
        tags,
        files: report.files,
        unchanged: report.unchanged,
        tokenized,
        output,
        warnings,
        elapsed: started.elapsed(),
        timings,
        notes,
    })
}

/// Each language's search index (for those with search on), made on
/// `pool` (see [`search_pool`]).
fn index_aside(
    site: &Sites,
    tokens: Option<&crate::search::TokenCache>,
    pool: Option<&rayon::ThreadPool>,
) -> Vec<Option<crate::search::Index>> {
    let make = || {
        site.langs
            .iter()
            .map(|s| {
                s.config
                    .search
                    .enabled
                    .then(|| crate::search::index(s, tokens))
            })
            .collect()
    };
    match pool {
        Some(pool) => pool.install(make),
        None => make(),
    }
}

/// A thread pool of the search's own, so that its work runs while the
/// rendering threads wait on the disk (or LINK runs on one processor): on
/// the shared pool it would queue behind their work.
fn search_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("almanac-search-{i}"))
        .build()
        .ok()
}

/// Counts outputs on a progress bar (indicatif draws only on a terminal),
/// shown once the build has taken a second: a quick build prints no bar.
struct Progress<'a> {
    inner: &'a dyn crate::output::Sink,
    bar: indicatif::ProgressBar,
    started: Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl<'a> Progress<'a> {
    fn new(inner: &'a dyn crate::output::Sink, total: usize, started: Instant) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
        {
            bar.set_style(style);
        }
        Progress {
            inner,
            bar,
            started,
            shown: false.into(),
        }
    }
}

impl crate::output::Sink for Progress<'_> {
    fn put(&self, output: crate::output::Output) -> Result<()> {
        use std::sync::atomic::Ordering;
        self.inner.put(output)?;
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.inc(1);
        Ok(())
    }
}

/// The output folder is replaced wholesale: it must not hold the site or its sources.
fn check_output(root: &std::path::Path, output: &std::path::Path) -> Result<()> {
    // Lexically, without touching the disk: `site/..` is the folder above the site.
    let absolute = |p: &std::path::Path| {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut out = PathBuf::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    };
    let (root, out) = (absolute(root), absolute(output));
    let sources = ["content", "static", "templates", "themes"].map(|d| root.join(d));
    if root.starts_with(&out) || sources.iter().any(|s| out.starts_with(s)) {
        return Err(crate::diagnostic::Error::Config(
            Diagnostic::error(format!("refusing to build into {}: it holds the site's own files", output.display()))
                .help("the output folder is replaced on every build; pick a folder of its own, such as public/"),
        ));
    }
    Ok(())
}

/// What `check` found besides errors.
#[derive(Debug)]
pub struct CheckReport {
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// Per language other than the default: its translations.
    pub translations: Vec<TranslationReport>,
    /// Outside links, when asked for: how many, and whether any network was there.
    pub external: Option<(usize, bool)>,
}

/// One language's translations of the default language's pages.
#[derive(Debug)]
pub struct TranslationReport {
    /// The language's tag.
    pub language: String,
    /// Pages of the default language.
    pub originals: usize,
    /// Of them, translated into this language.
    pub translated: usize,
    /// Stale translations: the file, and what changed.
    pub stale: Vec<String>,
    /// Pages without a translation, by file.
    pub missing: Vec<String>,
}

/// Checks front matter, links and anchors, and renders every template,
/// writing nothing; lists stale and missing translations.
pub fn check(opts: &BuildOptions, external: bool) -> Result<CheckReport> {
    let (sites, mut theme, mut warnings) =
        site(opts, &mut Caches::default(), &mut Timings::start())?;
    render::all(&sites, &mut theme, &write::Discard)?;
    warnings.extend(link::lint::lints(&sites));
    let external = external.then(|| {
        let found = crate::external::check(&sites, &opts.root);
        warnings.extend(found.broken);
        (found.checked, found.offline)
    });
    Ok(CheckReport {
        warnings,
        translations: translation_report(&sites),
        external,
    })
}

fn translation_report(sites: &Sites) -> Vec<TranslationReport> {
    let main = sites.main();
    let by_rel: std::collections::HashMap<&str, &link::Page> = main
        .pages
        .iter()
        .map(|p| (p.doc.source.rel.as_str(), p))
        .collect();
    sites
        .langs
        .iter()
        .enumerate()
        .skip(1)
        .map(|(l, site)| {
            let stale = site
                .pages
                .iter()
                .filter_map(|p| {
                    let s = p.stale.as_ref()?;
                    let original = by_rel.get(p.doc.source.rel.as_str())?;
                    let when = s
                        .changed
                        .map(|w| format!(" on {}", w.day().format("%Y-%m-%d")))
                        .unwrap_or_default();
                    Some(format!(
                        "{} ({} changed{when})",
                        p.doc.source.file, original.doc.source.file
                    ))
                })
                .collect();
            let missing: Vec<String> = sites
                .missing(l)
                .map(|p| p.doc.source.file.clone())
                .collect();
            TranslationReport {
                language: site.config.language.clone(),
                originals: main.pages.len(),
                translated: main.pages.len() - missing.len(),
                stale,
                missing,
            }
        })
        .collect()
}
