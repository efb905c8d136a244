//! `SiteTest`: a site in a temporary folder, built with the real binary.
//!
//! A test starts from a fixture under `tests/fixtures/` or from nothing,
//! adds or edits files, runs `almanac` as a user would, and asserts on the
//! exit code, the messages and the files written.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn failure(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// A site folder of its own for one test.
pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SiteTest {
    /// An empty folder.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).expect("site dir");
        SiteTest { _dir: dir, root }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let t = Self::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, &t.root);
        t
    }

    /// A copy of the example site.
    pub fn example() -> Self {
        let t = Self::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        copy_dir(&src, &t.root);
        let _ = std::fs::remove_dir_all(t.root.join("public"));
        t
    }

    /// A minimal site: config and a home page.
    pub fn minimal() -> Self {
        Self::empty()
            .file(
                "almanac.toml",
                "title = \"Test\"\nbase_url = \"https://t.example\"\n",
            )
            .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n")
    }

    /// Writes a file (creating folders).
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    /// Writes a file in place.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Replaces `from` with `to` in a file; `from` must be there, so a
    /// changed fixture fails the test instead of making the edit a no-op.
    #[track_caller]
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(path, text.replace(from, to)).expect("write");
    }

    /// Adds `text` at the end of a file.
    pub fn append(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        let old = std::fs::read_to_string(&path).expect("read");
        std::fs::write(path, old + text).expect("write");
    }

    /// Runs git in the site folder as a fixed author at a fixed date;
    /// a failing git command fails the test.
    #[track_caller]
    pub fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(&self.root)
            .env("GIT_AUTHOR_DATE", "2026-01-05T10:00:00+08:00")
            .env("GIT_COMMITTER_DATE", "2026-01-05T10:00:00+08:00")
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `almanac <args> --root <root>` in the site's parent folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_almanac"))
            .args(args)
            .arg("--root")
            .arg(&self.root)
            .current_dir(self.root.parent().expect("parent"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TZ", "UTC")
            .output()
            .expect("run almanac");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `almanac build` with a fixed "now".
    pub fn build(&self) -> Run {
        self.run(&["build", "--now", "2026-11-22T12:00:00+08:00"])
    }

    /// A file of the built site, as text.
    #[track_caller]
    pub fn out(&self, rel: &str) -> String {
        let path = self.root.join("public").join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Whether the built site has this file.
    pub fn has(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).is_file()
    }

    /// Every file of the built site with its bytes, sorted by path.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let base = self.root.join("public");
        for entry in walkdir(&base) {
            let rel = entry
                .strip_prefix(&base)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            out.push((rel, std::fs::read(&entry).expect("read")));
        }
        out.sort();
        out
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src)
        .unwrap_or_else(|e| panic!("{}: {e}", src.display()))
        .flatten()
    {
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).expect("copy");
        }
    }
}

/// The text between the first `<main` and `</main>`.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("has <main>");
    let end = html.find("</main>").expect("has </main>");
    &html[start..end]
}

/// Parses XML, failing the test with the document on error.
#[track_caller]
pub fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("invalid XML: {e}\n{text}"))
}

/// A built HTML page, parsed, so a test can say what it means ("the
/// third step's anchor", "the version shown") without the theme's exact
/// markup and whitespace.
pub struct Page {
    html: scraper::Html,
    source: String,
}

impl Page {
    pub fn parse(source: String) -> Page {
        Page {
            html: scraper::Html::parse_document(&source),
            source,
        }
    }

    fn all(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector =
            scraper::Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e}"));
        self.html.select(&selector).collect()
    }

    /// Text of each element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join("")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The one element matching `css`: its text.
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        let texts = self.texts(css);
        assert_eq!(texts.len(), 1, "{css:?} matches {texts:?}\n{}", self.source);
        texts.into_iter().next().unwrap_or_default()
    }

    /// Attribute `attr` of each element matching `css` that has it.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// How many elements match `css`.
    pub fn count(&self, css: &str) -> usize {
        self.all(css).len()
    }

    /// The page as written.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl SiteTest {
    /// A built page, parsed.
    pub fn page(&self, rel: &str) -> Page {
        Page::parse(self.out(rel))
    }
}
