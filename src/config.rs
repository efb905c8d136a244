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
    #[serde(default)]
    author: Option<String>,
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
    #[serde(default)]
    languages: std::collections::BTreeMap<String, RawLanguage>,
    #[serde(default)]
    translations: TranslationsConfig,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    favicon: Option<String>,
    #[serde(default)]
    repo_url: Option<String>,
    #[serde(default)]
    edit_branch: Option<String>,
    #[serde(default)]
    git: GitConfig,
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

/// `[languages.<code>]`: one language of a multilingual site.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    content_dir: Option<String>,
    #[serde(default)]
    codes: Vec<String>,
}

/// One language the site is written in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language {
    /// The BCP 47 tag as configured, e.g. `zh-Hant`: `<html lang>`, feeds, `hreflang`.
    pub code: String,
    /// URL prefix without a trailing slash: `""` for the default language, `/zh-hant` otherwise.
    pub prefix: String,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
    /// Its own content folder (relative to the site root), when it has one.
    pub content_dir: Option<String>,
    /// Lower-case codes that name it in file names (`rules.zh-tw.md`) and folders.
    pub codes: Vec<String>,
    /// Written right to left (Arabic, Persian, Hebrew, ...).
    pub rtl: bool,
    /// The site's own interface words for it, from `i18n/<code>.toml`.
    pub words: std::collections::BTreeMap<String, String>,
    /// How dates are shown (chrono's strftime); `None` shows `YYYY-MM-DD`.
    pub date_format: Option<String>,
}

/// Index of a language in [`SiteConfig::languages`]; 0 is the default.
pub(crate) type LangId = usize;

/// `[translations]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationsConfig {
    /// Write `/translations/`, the coverage of every language, for maintainers.
    #[serde(default)]
    pub status_page: bool,
}

/// Whether a language tag is written right to left.
fn is_rtl(code: &str) -> bool {
    let primary = code
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ["ar", "fa", "he", "ur", "ps", "sd", "yi", "dv", "ug", "ckb"].contains(&primary.as_str())
}

/// `[git]`: what a site that is a git repository takes from its history.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitConfig {
    /// A page without `updated` is updated when its file was last committed.
    #[serde(default = "yes")]
    pub dates: bool,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig { dates: true }
    }
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
    /// Who writes the site, for feeds (Atom requires an author); the title when unset.
    pub author: Option<String>,
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
    /// Every language of the site, the default first; one for a site
    /// without `[languages]`.
    pub languages: Vec<Language>,
    /// The language this configuration is for (see [`SiteConfig::for_language`]).
    pub lang: LangId,
    /// `[translations]`.
    pub translations: TranslationsConfig,
    /// `[git]`.
    pub git: GitConfig,
    /// The site's logo, a path of a static file (`/logo.svg`), shown before its title.
    pub logo: Option<String>,
    /// The site's icon, a path of a static file (`/favicon.ico`).
    pub favicon: Option<String>,
    /// The repository's web page, for "edit this page" links.
    pub repo_url: Option<String>,
    /// The branch edits go to.
    pub edit_branch: String,
    /// The site's folder within its repository (`""` at the root, `docs/`),
    /// read from git when `repo_url` is set.
    pub repo_prefix: String,
}

impl SiteConfig {
    /// The `content/` folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// Whether the site has more than one language.
    pub fn multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The language this configuration is for.
    pub fn language(&self) -> &Language {
        &self.languages[self.lang]
    }

    /// The configuration as pages in language `lang` see it: its title,
    /// description and tag.
    pub fn for_language(&self, lang: LangId) -> SiteConfig {
        let l = &self.languages[lang];
        SiteConfig {
            title: l.title.clone(),
            description: l.description.clone(),
            language: l.code.clone(),
            lang,
            ..self.clone()
        }
    }

    /// Where a file of the site (`content/x.md`) is edited on the
    /// repository's web page, when `repo_url` is set: GitLab's
    /// `/-/edit/<branch>/…`, else the `/edit/<branch>/…` of GitHub, Gitea and Forgejo.
    pub fn edit_url(&self, file: &str) -> Option<String> {
        let repo = self.repo_url.as_deref()?;
        let edit = if repo.contains("gitlab") {
            "-/edit"
        } else {
            "edit"
        };
        Some(format!(
            "{repo}/{edit}/{}/{}{file}",
            self.edit_branch, self.repo_prefix
        ))
    }

    /// A path of this language's part of the site: `/tags/` → `/en/tags/`.
    pub fn local(&self, path: &str) -> String {
        format!("{}{path}", self.language().prefix)
    }

    /// The language whose code (as written in a file or folder name, any
    /// case) is `code`.
    pub fn language_of_code(&self, code: &str) -> Option<LangId> {
        let code = code.to_ascii_lowercase();
        self.languages.iter().position(|l| l.codes.contains(&code))
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
    let mut config = parse(root, &text, base_url)?;
    read_words(&mut config)?;
    if config.repo_url.is_some() {
        config.repo_prefix = crate::load::git::prefix(root);
    }
    Ok(config)
}

/// The folder of the site's own interface words, `i18n/<code>.toml`.
pub(crate) const WORDS_DIR: &str = "i18n";

/// Reads each language's `i18n/<code>.toml` (any of its codes, any case)
/// and settles how it shows dates: the file's `date_format`, else on a
/// multilingual site the language's usual form, else `YYYY-MM-DD` as a
/// one-language site always showed.
fn read_words(config: &mut SiteConfig) -> Result<()> {
    let dir = config.root.join(WORDS_DIR);
    let files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| {
                    let stem = p.file_stem()?.to_string_lossy().to_ascii_lowercase();
                    Some((stem, p))
                })
                .collect()
        })
        .unwrap_or_default();
    let multilingual = config.multilingual();
    for lang in &mut config.languages {
        if let Some((stem, path)) = files.iter().find(|(stem, _)| lang.codes.contains(stem)) {
            let name = format!(
                "{WORDS_DIR}/{}",
                path.file_name()
                    .map_or_else(|| stem.clone(), |n| n.to_string_lossy().into_owned())
            );
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            lang.words = toml::from_str(&text).map_err(|e| {
                let offset = e.span().map_or(0, |s| s.start);
                let loc = LineIndex::new(&text).locate(&name, &text, offset);
                Error::Config(
                    Diagnostic::error(format!("invalid words file: {}", e.message()))
                        .at(loc)
                        .help("write one `key = \"word\"` per line; the README lists the keys"),
                )
            })?;
            if let Some(f) = lang.words.get("date_format")
                && !valid_date_format(f)
            {
                let line = crate::diagnostic::key_lines(&text, false, 1)
                    .get("date_format")
                    .copied()
                    .unwrap_or(1);
                return Err(Error::Config(
                    Diagnostic::error(format!("date_format `{f}` is not a date format"))
                        .at(Location {
                            path: name,
                            line,
                            col: 1,
                        })
                        .help("use strftime fields such as \"%Y-%m-%d\" or \"%-d %B %Y\""),
                ));
            }
        }
        lang.date_format = lang.words.get("date_format").cloned().or_else(|| {
            multilingual.then(|| crate::render::labels::date_format(&lang.code).to_string())
        });
    }
    Ok(())
}

/// Whether chrono can format dates with `f` (a bad field would fail at render).
fn valid_date_format(f: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    !StrftimeItems::new(f).any(|i| matches!(i, Item::Error))
}

pub(crate) fn parse(root: &Path, text: &str, base_url: Option<&str>) -> Result<SiteConfig> {
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
    let languages = languages(&raw, text)?;
    Ok(SiteConfig {
        root: root.to_path_buf(),
        title: raw.title,
        description: raw.description,
        author: raw.author.filter(|a| !a.trim().is_empty()),
        base_url: base_url.to_string(),
        languages,
        lang: 0,
        translations: raw.translations,
        git: raw.git,
        logo: raw.logo.filter(|l| !l.trim().is_empty()),
        favicon: raw.favicon.filter(|l| !l.trim().is_empty()),
        repo_url: raw
            .repo_url
            .map(|u| u.trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty()),
        edit_branch: raw.edit_branch.unwrap_or_else(|| "main".to_string()),
        repo_prefix: String::new(),
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

/// The default language, then those under `[languages]`, checked.
fn languages(raw: &RawConfig, text: &str) -> Result<Vec<Language>> {
    let error = |key: &str, msg: String, help: &str| {
        let line = crate::diagnostic::key_lines(text, false, 1)
            .get(key)
            .copied();
        let d = Diagnostic::error(msg).help(help.to_string());
        Error::Config(match line {
            Some(line) => d.at(Location {
                path: CONFIG_FILE.to_string(),
                line,
                col: 1,
            }),
            None => d.in_file(CONFIG_FILE),
        })
    };
    let default_key = raw
        .languages
        .keys()
        .find(|k| k.eq_ignore_ascii_case(&raw.language))
        .cloned();
    let make = |code: &str, l: &RawLanguage, default: bool| {
        let lower = code.to_ascii_lowercase();
        let mut codes = vec![lower.clone()];
        codes.extend(l.codes.iter().map(|c| c.to_ascii_lowercase()));
        codes.dedup();
        let prefix = if default {
            String::new()
        } else {
            let p = l.prefix.clone().unwrap_or(lower);
            format!("/{}", p.trim_matches('/'))
        };
        Language {
            code: code.to_string(),
            prefix,
            title: l.title.clone().unwrap_or_else(|| raw.title.clone()),
            description: l
                .description
                .clone()
                .unwrap_or_else(|| raw.description.clone()),
            content_dir: l.content_dir.clone(),
            codes,
            rtl: is_rtl(code),
            words: Default::default(),
            date_format: None,
        }
    };
    let mut out = vec![make(
        &raw.language,
        default_key
            .as_ref()
            .and_then(|k| raw.languages.get(k))
            .unwrap_or(&RawLanguage::default()),
        true,
    )];
    if let Some(l) = default_key.as_ref().and_then(|k| raw.languages.get(k))
        && l.prefix
            .as_deref()
            .is_some_and(|p| !p.trim_matches('/').is_empty())
    {
        return Err(error(
            "prefix",
            format!(
                "the default language `{}` cannot have a prefix",
                raw.language
            ),
            "the default language is the site root; remove `prefix`, or make another language the default with `language = ...`",
        ));
    }
    for (code, l) in &raw.languages {
        if Some(code) != default_key.as_ref() {
            out.push(make(code, l, false));
        }
    }
    for (i, l) in out.iter().enumerate().skip(1) {
        let segment = &l.prefix[1..];
        if segment.is_empty() || segment.contains(['/', '?', '#', ' ']) {
            return Err(error(
                "prefix",
                format!("the prefix of language `{}` is not one URL segment", l.code),
                "write a prefix such as \"en\" or \"zh-hant\"",
            ));
        }
        for other in &out[..i] {
            if other.prefix == l.prefix {
                return Err(error(
                    "prefix",
                    format!(
                        "languages `{}` and `{}` have the same prefix",
                        other.code, l.code
                    ),
                    "give one of them another `prefix`",
                ));
            }
            if let Some(c) = l.codes.iter().find(|c| other.codes.contains(c)) {
                return Err(error(
                    "codes",
                    format!("code `{c}` names both `{}` and `{}`", other.code, l.code),
                    "a code in a file name must name one language",
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_default_first_with_prefixes() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\nlanguage = \"zh-Hans\"\n\
[languages.en]\ntitle = \"X\"\n[languages.zh-Hant]\ncodes = [\"zh-TW\"]\n[languages.zh-Hans]\ncodes = [\"zh-cn\"]\n[languages.ar]\n";
        let c = parse(Path::new("."), text, None).unwrap();
        let codes: Vec<&str> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["zh-Hans", "ar", "en", "zh-Hant"]);
        assert_eq!(c.languages[0].prefix, "");
        assert_eq!(c.languages[3].prefix, "/zh-hant");
        assert_eq!(c.language_of_code("ZH-TW"), Some(3));
        assert_eq!(c.language_of_code("zh-cn"), Some(0));
        assert!(c.languages[1].rtl && !c.languages[2].rtl);
        let en = c.for_language(2);
        assert_eq!(
            (en.title.as_str(), en.local("/tags/").as_str()),
            ("X", "/en/tags/")
        );
        let bad = text.replace("[languages.ar]", "[languages.ar]\nprefix = \"en\"");
        let err = parse(Path::new("."), &bad, None).unwrap_err().to_string();
        assert!(err.contains("same prefix"), "{err}");
    }

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
