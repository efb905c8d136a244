//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! A [`Diagnostic`] is one problem a user can act on; it carries a
//! [`Location`] (file, line, column) when the problem comes from a file.
//! Stages that look at many files (parse, link) collect diagnostics so that
//! one run reports every broken link at once; [`Error`] is what a command
//! finally returns, and it knows its exit code.

use std::fmt;
use std::path::PathBuf;

/// A position in a source file, 1-based, with the path relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.col)
    }
}

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Printed, but the build goes on.
    Warning,
}

/// One problem found in the site, printed rustc-style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// Where it is, when it comes from a file.
    pub location: Option<Location>,
    /// How to fix it.
    pub help: Option<String>,
    /// What kind of finding it is, for tools (`check --format json`):
    /// `orphan`, `no-tags`, ...; `None` for the build's own errors and warnings.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// An error with a message and nothing else.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: None,
            code: None,
        }
    }

    /// A warning with a message and nothing else.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Attaches a location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Attaches a location at the start of a file.
    pub fn in_file(self, path: &str) -> Self {
        self.at(Location {
            path: path.to_string(),
            line: 1,
            col: 1,
        })
    }

    /// Names what kind of finding it is.
    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// One JSON object: file, line, column, severity, code, message, help.
    pub fn to_json(&self) -> serde_json::Value {
        let loc = self.location.as_ref();
        serde_json::json!({
            "file": loc.map(|l| l.path.as_str()),
            "line": loc.map(|l| l.line),
            "column": loc.map(|l| l.col),
            "severity": match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            "code": self.code.unwrap_or(match self.severity {
                Severity::Error => "build-error",
                Severity::Warning => "build-warning",
            }),
            "message": self.message,
            "help": self.help,
        })
    }

    /// Attaches a hint on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(loc) = &self.location {
            write!(f, "\n  --> {loc}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n   = help: {help}")?;
        }
        Ok(())
    }
}

/// Maps byte offsets in a text to 1-based lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        // memchr: every source is indexed, whether a diagnostic comes to
        // need it or not, so this is on every build's path.
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// Line and column (both 1-based, column in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let loc = self.cursor("", text).locate(offset);
        (loc.line, loc.col)
    }

    /// Locates offsets of `text` in `path` one after another: each
    /// column is counted from the one before on the same line, so a page
    /// of thousands of links on one line is not counted over for each.
    pub fn cursor<'a>(&'a self, path: &'a str, text: &'a str) -> Cursor<'a> {
        Cursor {
            index: self,
            path,
            text,
            last: (usize::MAX, 0, 0),
        }
    }

    /// A [`Location`] in `path` for a byte offset of `text`.
    pub fn locate(&self, path: &str, text: &str, offset: usize) -> Location {
        self.cursor(path, text).locate(offset)
    }
}

/// See [`LineIndex::cursor`].
pub struct Cursor<'a> {
    index: &'a LineIndex,
    path: &'a str,
    text: &'a str,
    /// The last offset located: its line, the offset and its column.
    last: (usize, usize, usize),
}

impl Cursor<'_> {
    /// The [`Location`] of a byte offset.
    pub fn locate(&mut self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.index.starts.partition_point(|&s| s <= offset).max(1);
        let (last_line, last, col) = self.last;
        let (from, col) = if line == last_line && last <= offset {
            (last, col)
        } else {
            (self.index.starts[line - 1], 1)
        };
        let col = match self.text.get(from..offset) {
            Some(counted) => {
                let col = col + counted.chars().count();
                self.last = (line, offset, col);
                col
            }
            // Inside a character (no parser gives such an offset).
            None => 1,
        };
        Location {
            path: self.path.to_string(),
            line,
            col,
        }
    }
}

/// The top-level key a line of TOML (`key = …`, `[[key]]`) or YAML
/// (`key: …`) sets, if any: how errors find the line a key is written on.
pub(crate) fn key_of(line: &str, yaml: bool) -> Option<&str> {
    if let Some(table) = line.strip_prefix("[[").and_then(|l| l.split("]]").next()) {
        return Some(table.trim());
    }
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let (key, _) = line.split_once(if yaml { ':' } else { '=' })?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.contains(' ')).then_some(key)
}

/// The line of each top-level key of `text`, whose first line is `first_line`.
pub(crate) fn key_lines(
    text: &str,
    yaml: bool,
    first_line: usize,
) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(key) = key_of(line, yaml) {
            out.entry(key.to_string()).or_insert(first_line + i);
        }
    }
    out
}

/// Why a command failed. Every variant keeps the path or location it is about.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("error: cannot access {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The site configuration or a command-line value is wrong.
    #[error("{0}")]
    Config(Diagnostic),
    /// Doing as asked would overwrite something almanac did not make: a
    /// file `new` would write, a site `init` would write over, an output
    /// folder no build made.
    #[error("{0}")]
    Refused(Diagnostic),
    /// The system would not give what the command needs: a port to listen
    /// on, file watching.
    #[error("{0}")]
    Unavailable(Diagnostic),
    /// The content has problems; all of them are listed.
    #[error("{}", render_all(.0))]
    Build(Vec<Diagnostic>),
    /// Failed, and the command has already said why (in the format asked for).
    #[error("")]
    Reported,
}

fn render_all(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut out: Vec<String> = diags.iter().map(ToString::to_string).collect();
    out.push(format!(
        "build failed: {errors} error{}",
        if errors == 1 { "" } else { "s" }
    ));
    out.join("\n\n")
}

impl Error {
    /// Wraps an I/O error with the path it is about.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit code: 1 for content, config and I/O errors.
    pub fn exit_code(&self) -> u8 {
        1
    }
}

/// Result of a stage that fails as a whole.
pub type Result<T> = std::result::Result<T, Error>;

/// Collects diagnostics across a stage; errors and warnings alike.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one diagnostic.
    pub fn push(&mut self, diag: Diagnostic) {
        self.items.push(diag);
    }

    /// Records many diagnostics.
    pub fn extend(&mut self, diags: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diags);
    }

    /// Everything recorded, in the order it was.
    pub fn into_items(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether any recorded diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// `Err(Build)` with everything recorded if there is an error, else the warnings.
    pub fn finish(mut self) -> Result<Vec<Diagnostic>> {
        sort(&mut self.items);
        if self.has_errors() {
            Err(Error::Build(self.items))
        } else {
            Ok(self.items)
        }
    }
}

/// Orders diagnostics by file and line so reports read top to bottom,
/// root causes first: broken links (often the result of another error)
/// after everything else.
fn sort(items: &mut [Diagnostic]) {
    items.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            let follows = d.code.is_some_and(|c| c.starts_with("broken-"));
            let at = d.location.as_ref().map(|l| (l.path.clone(), l.line, l.col));
            (follows, at)
        };
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\n冲突处理 x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 6));
    }

    #[test]
    fn a_cursor_locates_in_any_order() {
        let text = "ab\n冲突 [x](#a) 处理 [y](#b)\n\n末 [z](#c)";
        let idx = LineIndex::new(text);
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        // Forward, then backward and jumping between lines.
        let mut order = offsets.clone();
        order.extend(offsets.iter().rev());
        order.extend([9, 2, 30, 4, 4, 0]);
        let mut cursor = idx.cursor("p.md", text);
        for offset in order {
            let offset = offset.min(text.len());
            // Counted by hand from the text before the offset.
            let before = &text.as_bytes()[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = match std::str::from_utf8(before) {
                Ok(before) => before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                Err(_) => 1,
            };
            let loc = cursor.locate(offset);
            assert_eq!(
                (loc.path.as_str(), loc.line, loc.col),
                ("p.md", line, col),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn display_is_rustc_like() {
        let d = Diagnostic::error("broken link")
            .at(Location {
                path: "content/a.md".into(),
                line: 3,
                col: 5,
            })
            .help("fix it");
        assert_eq!(
            d.to_string(),
            "error: broken link\n  --> content/a.md:3:5\n   = help: fix it"
        );
    }
}
