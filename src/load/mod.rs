//! Stage 1, LOAD: the site on disk becomes a [`SourceSet`].
//!
//! Only reads; parses nothing. A *source* is one Markdown file under
//! `content/`; an *asset* is any other file there or under `static/`, copied
//! to the output unchanged.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostic::{Error, Result};

/// One Markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to `content/`, `/`-separated, e.g. `rules/group-rules.md`.
    pub rel: String,
    /// The whole file.
    pub text: Arc<str>,
}

impl SourceFile {
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
    /// Where it is on disk.
    pub path: PathBuf,
}

/// Everything LOAD found.
#[derive(Debug, Default)]
pub struct SourceSet {
    /// Markdown files, sorted by path.
    pub sources: Vec<SourceFile>,
    /// Non-Markdown files from `content/` and `static/`.
    pub assets: Vec<Asset>,
    /// Markdown files that could not be read as text.
    pub problems: Vec<crate::diagnostic::Diagnostic>,
}

/// Reads `content/` and lists `static/`.
pub fn sources(config: &SiteConfig) -> Result<SourceSet> {
    let mut set = SourceSet::default();
    let content = config.content_dir();
    if !content.is_dir() {
        return Err(Error::Config(
            crate::diagnostic::Diagnostic::error(format!(
                "no content/ folder in {}",
                config.root.display()
            ))
            .help("create content/_index.md, or start from `almanac init`"),
        ));
    }
    for (rel, path) in files(&content)? {
        if rel.ends_with(".md") {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            match String::from_utf8(bytes) {
                Ok(text) => set.sources.push(SourceFile {
                    rel,
                    text: text.into(),
                }),
                Err(e) => {
                    let (line, col) = {
                        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                        let text = String::from_utf8_lossy(valid);
                        let index = crate::diagnostic::LineIndex::new(&text);
                        index.line_col(&text, text.len())
                    };
                    set.problems.push(
                        crate::diagnostic::Diagnostic::error(format!(
                            "content/{rel} is not UTF-8 text"
                        ))
                        .at(crate::diagnostic::Location {
                            path: format!("content/{rel}"),
                            line,
                            col,
                        })
                        .help("save the file as UTF-8 (GBK and Big5 are not read)"),
                    );
                }
            }
        } else {
            set.assets.push(Asset { out: rel, path });
        }
    }
    let static_dir = config.root.join("static");
    if static_dir.is_dir() {
        for (rel, path) in files(&static_dir)? {
            set.assets.push(Asset { out: rel, path });
        }
    }
    Ok(set)
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
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, entry.into_path()));
    }
    Ok(out)
}

/// Hidden files, editor swap and backup files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}
