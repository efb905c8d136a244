//! Stage 1, LOAD: the site on disk becomes a [`SourceSet`].
//!
//! Only reads; parses nothing. A *source* is one Markdown file under
//! `content/`; an *asset* is any other file there or under `static/`, copied
//! to the output unchanged.

pub(crate) mod git;

pub(crate) use git::{HistoryCache, Revision, Revisions};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::config::{LangId, SiteConfig};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Error, LineIndex, Location, Result};

/// One Markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where it is.
    pub path: SourcePath,
    /// The whole file.
    pub text: Arc<str>,
}

/// Where a source is. Documents keep this, not the text, once parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourcePath {
    /// Path relative to its content folder, `/`-separated, without a
    /// language suffix: `rules/group-rules.md` for `rules/group-rules.md`,
    /// `rules/group-rules.zh-hant.md` and `content.en/rules/group-rules.md`
    /// alike. Translations of one page share it.
    pub rel: String,
    /// The language it is written in.
    pub lang: LangId,
    /// The file relative to the site root, as messages name it.
    pub file: String,
}

impl SourcePath {
    /// A file of the default language under `content/`.
    pub fn new(rel: &str) -> SourcePath {
        SourcePath {
            rel: rel.to_string(),
            lang: 0,
            file: format!("content/{rel}"),
        }
    }

    /// The path as a user sees it in messages, relative to the site root.
    pub fn display_path(&self) -> String {
        self.file.clone()
    }

    /// Whether this is a section's `_index.md`.
    pub fn is_section_index(&self) -> bool {
        self.rel == "_index.md" || self.rel.ends_with("/_index.md")
    }

    /// The folder the file is in, relative to `content/` (`""` for the root).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// A file copied to the output as is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Output path, `/`-separated, relative to the output folder.
    pub out: String,
    /// Where it is, as messages name it: `static/x.css`, `content/a/pic.png`.
    pub source: String,
    /// Where it is on disk.
    pub path: PathBuf,
}

/// Everything LOAD found.
#[derive(Debug, Default)]
pub(crate) struct SourceSet {
    /// Markdown files, sorted by path.
    pub sources: Vec<SourceFile>,
    /// Non-Markdown files from `content/` and `static/`.
    pub assets: Vec<Asset>,
    /// Markdown files that could not be read as text.
    pub problems: Vec<Diagnostic>,
}

/// Each language's content folder that exists, with the folder's name
/// relative to the site root: `content/` for the default language, then
/// `content_dir` or `content.<code>/` for the others.
pub(crate) fn content_dirs(config: &SiteConfig) -> Result<Vec<(LangId, String, PathBuf)>> {
    let mut out = Vec::new();
    for (i, l) in config.languages.iter().enumerate() {
        if let Some(dir) = &l.content_dir {
            let name = dir.trim_matches('/').to_string();
            let path = config.root.join(&name);
            if !path.is_dir() {
                return Err(Error::Config(
                    Diagnostic::error(format!(
                        "content_dir `{dir}` of language `{}` is not a folder",
                        l.code
                    ))
                    .in_file(crate::config::CONFIG_FILE)
                    .help("create it, or remove `content_dir` to use content.<code>/"),
                ));
            }
            out.push((i, name, path));
        } else if i == 0 {
            out.push((0, "content".to_string(), config.content_dir()));
        } else if let Some(name) = l
            .codes
            .iter()
            .map(|c| format!("content.{c}"))
            .find(|n| config.root.join(n).is_dir())
        {
            let path = config.root.join(&name);
            out.push((i, name, path));
        }
    }
    Ok(out)
}

/// Where a Markdown file belongs: `rel` is its path in the content folder
/// `folder` of language `lang`; a language suffix (`rules.zh-hant.md`)
/// names its language instead.
pub(crate) fn source_path(
    config: &SiteConfig,
    lang: LangId,
    folder: &str,
    rel: &str,
) -> SourcePath {
    let file = format!("{folder}/{rel}");
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, rel),
    };
    let suffixed = name
        .strip_suffix(".md")
        .and_then(|stem| stem.rsplit_once('.'))
        .filter(|(base, _)| !base.is_empty())
        .and_then(|(base, code)| Some((base, config.language_of_code(code)?)));
    match suffixed {
        Some((base, lang)) => SourcePath {
            rel: match dir {
                Some(d) => format!("{d}/{base}.md"),
                None => format!("{base}.md"),
            },
            lang,
            file,
        },
        None => SourcePath {
            rel: rel.to_string(),
            lang,
            file,
        },
    }
}

/// Reads every language's content folder and lists `static/`.
pub(crate) fn sources(config: &SiteConfig) -> Result<SourceSet> {
    let mut set = SourceSet::default();
    let content = config.content_dir();
    let dirs = content_dirs(config)?;
    if !content.is_dir() && dirs.iter().all(|(l, _, _)| *l != 0) {
        return Err(Error::Config(
            Diagnostic::error(format!("no content/ folder in {}", config.root.display()))
                .help("create content/_index.md, or start from `almanac init`"),
        ));
    }
    // A language folder inside another (Hugo's content/en/) is walked once, as its own.
    let nested: Vec<PathBuf> = dirs.iter().map(|(_, _, p)| p.clone()).collect();
    let mut markdown = Vec::new();
    for (lang, folder, dir) in &dirs {
        let skip: Vec<&PathBuf> = nested.iter().filter(|p| *p != dir).collect();
        let prefix = config.languages[*lang].prefix.trim_start_matches('/');
        for (rel, path) in files(dir, &skip)? {
            if rel.ends_with(".md") {
                markdown.push((source_path(config, *lang, folder, &rel), path));
            } else {
                set.assets.push(Asset {
                    source: format!("{folder}/{rel}"),
                    out: if prefix.is_empty() {
                        rel
                    } else {
                        format!("{prefix}/{rel}")
                    },
                    path,
                });
            }
        }
    }
    let mut seen: std::collections::HashMap<(LangId, &str), &str> = Default::default();
    for (sp, _) in &markdown {
        if let Some(first) = seen.insert((sp.lang, sp.rel.as_str()), sp.file.as_str()) {
            set.problems.push(
                Diagnostic::error(format!(
                    "{first} and {} are both the {} version of {}",
                    sp.file, config.languages[sp.lang].code, sp.rel
                ))
                .in_file(&sp.file)
                .help("keep one of them: a translation is either a suffixed file beside its source or a file in the language's folder"),
            );
        }
    }
    let read: Vec<Result<std::result::Result<SourceFile, Diagnostic>>> = markdown
        .into_par_iter()
        .map(|(sp, path)| {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            Ok(String::from_utf8(bytes)
                .map_err(|e| not_utf8(&sp.file, &e))
                .map(|text| SourceFile {
                    path: sp,
                    text: text.into(),
                }))
        })
        .collect();
    for r in read {
        match r? {
            Ok(src) => set.sources.push(src),
            Err(d) => set.problems.push(d),
        }
    }
    // Stable: each language's files stay in the order the walk found them.
    set.sources.sort_by_key(|s| s.path.lang);
    let static_dir = config.root.join("static");
    if static_dir.is_dir() {
        for (rel, path) in files(&static_dir, &[])? {
            set.assets.push(Asset {
                source: format!("static/{rel}"),
                out: rel,
                path,
            });
        }
    }
    Ok(set)
}

fn not_utf8(path: &str, e: &std::string::FromUtf8Error) -> Diagnostic {
    let valid = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
    let (line, col) = LineIndex::new(&valid).line_col(&valid, valid.len());
    let path = path.to_string();
    Diagnostic::error(format!("{path} is not UTF-8 text"))
        .at(Location { path, line, col })
        .help("save the file as UTF-8 (GBK and Big5 are not read)")
}

/// Every regular file under `dir` but those under `skip`, leaving out
/// hidden files and editor backups.
fn files(dir: &Path, skip: &[&PathBuf]) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(is_ignored(&e.file_name().to_string_lossy())
                    || skip.iter().any(|s| e.path() == s.as_path()))
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        out.push((rel_path(dir, entry.path()), entry.into_path()));
    }
    Ok(out)
}

/// `path` relative to `base`, with `/` separators on every platform.
pub(crate) fn rel_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Hidden files, editor swap and backup files are never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}
