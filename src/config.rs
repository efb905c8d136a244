//! Site configuration: `almanac.toml` read strictly, then validated.
//!
//! [`RawConfig`] mirrors the file (unknown keys are an error with line and
//! column); [`SiteConfig`] is what the rest of the pipeline reads: paths
//! resolved, command-line overrides applied, values checked.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Error, LineIndex, Location, Result};

/// The config file name at the site root.
pub(crate) const CONFIG_FILE: &str = "almanac.toml";

/// `almanac.toml` exactly as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    slugify: SlugStyle,
    #[serde(default)]
    front_matter: FrontMatterConfig,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    feeds: FeedConfig,
    #[serde(default)]
    rules: RulesConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    links: LinksConfig,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default)]
    extra: toml::Table,
}

/// Small enough that no listing page of a big site grows past a few hundred KB.
fn default_paginate_by() -> usize {
    50
}

fn default_language() -> String {
    "en".to_string()
}

/// How URL slugs are made from file names and titles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugStyle {
    /// Keep letters of every script (Chinese stays Chinese).
    #[default]
    Unicode,
    /// Transliterate to ASCII (Chinese becomes pinyin).
    Ascii,
}

/// What to do with front matter keys almanac does not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownKeys {
    /// Fail the build, naming the key and its line.
    #[default]
    Error,
    /// Print a warning and drop the key.
    Warn,
    /// Keep the key under `extra`, silently.
    Extra,
}

/// `[front_matter]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterConfig {
    /// See [`UnknownKeys`].
    #[serde(default)]
    pub unknown_keys: UnknownKeys,
}

/// What raw HTML in Markdown becomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Passed through as written.
    #[default]
    Allow,
    /// Shown as text.
    Escape,
    /// Cleaned of scripts and event handlers (ammonia).
    Sanitize,
}

/// `[markdown]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// See [`RawHtml`].
    #[serde(default)]
    pub raw_html: RawHtml,
    /// Highlight fenced code blocks at build time.
    #[serde(default = "yes")]
    pub highlight: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: RawHtml::Allow,
            highlight: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// `[feeds]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// Most entries in one feed.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            limit: default_feed_limit(),
        }
    }
}

fn default_feed_limit() -> usize {
    20
}

/// `[rules]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Add each rules file's git revisions to its history.
    #[serde(default)]
    pub history_from_git: bool,
}

/// `[links]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinksConfig {
    /// What a broken internal link is.
    #[serde(default)]
    pub broken: Broken,
}

/// What a broken internal link or anchor is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Broken {
    /// The build fails (the default).
    #[default]
    Error,
    /// The build finishes and lists them: for a migration in progress.
    Warn,
}

/// `[search]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Write the search index and show the search box.
    #[serde(default)]
    pub enabled: bool,
}

/// The validated configuration every stage reads.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Site root folder.
    pub root: PathBuf,
    /// Site title.
    pub title: String,
    /// One-line description, for feeds and meta tags.
    pub description: String,
    /// Absolute base URL without a trailing slash, e.g. `https://example.org`.
    pub base_url: String,
    /// BCP 47 language tag of the content, e.g. `zh-CN`.
    pub language: String,
    /// Theme folder name under `themes/`; `None` is the built-in default.
    pub theme: Option<String>,
    /// See [`SlugStyle`].
    pub slugify: SlugStyle,
    /// `[front_matter]`.
    pub front_matter: FrontMatterConfig,
    /// `[markdown]`.
    pub markdown: MarkdownConfig,
    /// `[feeds]`.
    pub feeds: FeedConfig,
    /// `[rules]`.
    pub rules: RulesConfig,
    /// `[search]`.
    pub search: SearchConfig,
    /// `[links]`.
    pub links: LinksConfig,
    /// Pages per listing page (sections and tags); 0 lists all on one page.
    pub paginate_by: usize,
    /// `[extra]`, free for templates.
    pub extra: toml::Table,
}

impl SiteConfig {
    /// The `content/` folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// An absolute URL for a site path such as `/rules/`, percent-encoded
    /// (`/tags/冲突/` → `/tags/%E5%86%B2%E7%AA%81/`) as sitemaps, feeds and
    /// calendars require; pages link with [`SiteConfig::url`], which keeps
    /// the characters readable.
    pub fn permalink(&self, path: &str) -> String {
        const KEEP_READABLE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'<')
            .add(b'>')
            .add(b'`')
            .add(b'{')
            .add(b'}')
            .add(b'|')
            .add(b'\\')
            .add(b'^');
        let encoded = percent_encoding::utf8_percent_encode(path, KEEP_READABLE);
        format!("{}{encoded}", self.base_url)
    }

    /// A site path as linked from pages: `/rules/`, or `/kb/rules/` when
    /// `base_url` has a path (a project site on GitHub Pages, say).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", &self.base_url[self.origin().len()..])
    }

    /// `https://example.org` of `https://example.org/kb`: scheme and host.
    pub fn origin(&self) -> &str {
        let scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        let end = self.base_url[scheme..]
            .find('/')
            .map_or(self.base_url.len(), |i| scheme + i);
        &self.base_url[..end]
    }

    /// `example.org` of `https://example.org/kb`.
    pub fn host(&self) -> &str {
        let origin = self.origin();
        origin.find("://").map_or(origin, |i| &origin[i + 3..])
    }
}

/// What is wrong with a base URL, if anything.
fn base_url_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some(if url.is_empty() {
            "is empty: links in feeds, sitemaps and calendars need the site's address"
        } else {
            "is not an http(s) URL"
        });
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Some("has no host");
    }
    if url.contains(['?', '#']) {
        return Some("has a query or fragment, which every link on the site would carry");
    }
    if url.chars().any(char::is_whitespace) {
        return Some("has a space in it");
    }
    None
}

/// Reads and validates `almanac.toml` under `root`; `base_url` overrides the file.
pub(crate) fn load(root: &Path, base_url: Option<&str>) -> Result<SiteConfig> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Config(
                Diagnostic::error(format!("no {CONFIG_FILE} in {}", root.display()))
                    .help("run almanac in a site folder, pass --root DIR, or create one with `almanac init`"),
            )
        } else {
            Error::io(&path, e)
        }
    })?;
    parse(root, &text, base_url)
}

fn parse(root: &Path, text: &str, base_url: Option<&str>) -> Result<SiteConfig> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let loc = LineIndex::new(text).locate(CONFIG_FILE, text, offset);
        Error::Config(
            Diagnostic::error(format!("invalid config: {}", e.message()))
                .at(loc)
                .help("see the README's config section for the keys almanac reads"),
        )
    })?;
    let from_file = base_url.is_none();
    let base_url = base_url.unwrap_or(&raw.base_url).trim_end_matches('/');
    if let Some(problem) = base_url_problem(base_url) {
        let d = Diagnostic::error(format!("base_url `{base_url}` {problem}")).help(
            "write it as https://example.org, or https://example.org/kb for a site under a path",
        );
        let line = crate::diagnostic::key_lines(text, false, 1)
            .get("base_url")
            .copied();
        let d = match (from_file, line) {
            (true, Some(line)) => d.at(Location {
                path: CONFIG_FILE.to_string(),
                line,
                col: 1,
            }),
            (true, None) => d.in_file(CONFIG_FILE),
            (false, _) => d.help("it came from --base-url"),
        };
        return Err(Error::Config(d));
    }
    Ok(SiteConfig {
        root: root.to_path_buf(),
        title: raw.title,
        description: raw.description,
        base_url: base_url.to_string(),
        language: raw.language,
        theme: raw.theme.filter(|t| t != "default"),
        slugify: raw.slugify,
        front_matter: raw.front_matter,
        markdown: raw.markdown,
        feeds: raw.feeds,
        rules: raw.rules,
        search: raw.search,
        links: raw.links,
        paginate_by: raw.paginate_by,
        extra: raw.extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\ntitel = 1\n";
        let err = parse(Path::new("."), text, None).unwrap_err().to_string();
        assert!(err.contains("titel"), "{err}");
        assert!(err.contains("almanac.toml:3:1"), "{err}");
    }

    #[test]
    fn override_base_url_trims_slash() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\n";
        let c = parse(Path::new("."), text, Some("http://localhost:1111/")).unwrap();
        assert_eq!(c.base_url, "http://localhost:1111");
        assert_eq!(c.permalink("/a/"), "http://localhost:1111/a/");
        assert_eq!(c.url("/a/"), "/a/");
        assert_eq!(
            c.permalink("/冲突 x/#a"),
            "http://localhost:1111/%E5%86%B2%E7%AA%81%20x/#a"
        );
        let c = parse(Path::new("."), text, Some("https://x.github.io/kb/")).unwrap();
        assert_eq!(c.url("/a/"), "/kb/a/");
        assert_eq!(c.origin(), "https://x.github.io");
        assert_eq!(c.host(), "x.github.io");
    }
}
