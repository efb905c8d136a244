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

use crate::config::SiteConfig;
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
    /// Path relative to `content/`, `/`-separated, e.g. `rules/group-rules.md`.
    pub rel: String,
}

impl SourcePath {
    /// The path as a user sees it in messages, relative to the site root.
    pub fn display_path(&self) -> String {
        format!("content/{}", self.rel)
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

/// Reads `content/` and lists `static/`.
pub(crate) fn sources(config: &SiteConfig) -> Result<SourceSet> {
    let mut set = SourceSet::default();
    let content = config.content_dir();
    if !content.is_dir() {
        return Err(Error::Config(
            Diagnostic::error(format!("no content/ folder in {}", config.root.display()))
                .help("create content/_index.md, or start from `almanac init`"),
        ));
    }
    let (markdown, other): (Vec<_>, Vec<_>) = files(&content)?
        .into_iter()
        .partition(|(rel, _)| rel.ends_with(".md"));
    set.assets = other
        .into_iter()
        .map(|(out, path)| Asset {
            source: format!("content/{out}"),
            out,
            path,
        })
        .collect();
    let read: Vec<Result<std::result::Result<SourceFile, Diagnostic>>> = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            Ok(String::from_utf8(bytes)
                .map(|text| SourceFile {
                    path: SourcePath { rel: rel.clone() },
                    text: text.into(),
                })
                .map_err(|e| not_utf8(&rel, &e)))
        })
        .collect();
    for r in read {
        match r? {
            Ok(src) => set.sources.push(src),
            Err(d) => set.problems.push(d),
        }
    }
    let static_dir = config.root.join("static");
    if static_dir.is_dir() {
        for (rel, path) in files(&static_dir)? {
            set.assets.push(Asset {
                source: format!("static/{rel}"),
                out: rel,
                path,
            });
        }
    }
    Ok(set)
}

fn not_utf8(rel: &str, e: &std::string::FromUtf8Error) -> Diagnostic {
    let valid = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
    let (line, col) = LineIndex::new(&valid).line_col(&valid, valid.len());
    let path = format!("content/{rel}");
    Diagnostic::error(format!("{path} is not UTF-8 text"))
        .at(Location { path, line, col })
        .help("save the file as UTF-8 (GBK and Big5 are not read)")
}

/// Every regular file under `dir`, skipping hidden files and editor backups.
fn files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
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
