//! Themes: templates and static files, looked up in layers.
//!
//! A template name resolves to the site's `templates/<name>`, else the
//! chosen theme's `themes/<theme>/templates/<name>`, else the built-in
//! default theme embedded in the binary. Every layer is also registered
//! under a prefix (`default/page.html`, `<theme>/page.html`) so a site
//! template can extend the very template it overrides.

use std::path::Path;

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::Asset;

/// The default theme, compiled in so a site needs no themes/ folder.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Loaded templates and the theme's static files.
pub struct Theme {
    /// All templates, ready to render.
    pub tera: tera::Tera,
    /// Static files of the embedded theme: output path and bytes.
    pub embedded_static: Vec<(String, &'static [u8])>,
    /// Static files of a theme folder on disk.
    pub static_files: Vec<Asset>,
    /// The theme folder's name, if one is used.
    pub name: Option<String>,
    /// Hash of every template's name and text and of the static file list:
    /// equal fingerprints render equal pages.
    pub fingerprint: u64,
}

impl Theme {
    /// Loads the site's templates over its theme's over the default theme's.
    pub fn load(config: &SiteConfig) -> Result<Theme> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut prefixes = Vec::new();
        let mut static_files = Vec::new();
        if let Some(name) = &config.theme {
            let dir = config.root.join("themes").join(name);
            if !dir.is_dir() {
                return Err(Error::Config(
                    Diagnostic::error(format!("theme `{name}` not found: no folder themes/{name}"))
                        .in_file(crate::config::CONFIG_FILE)
                        .help(
                            "remove `theme` to use the built-in theme, or add the theme's folder",
                        ),
                ));
            }
            templates.extend(read_dir_templates(
                &dir.join("templates"),
                &format!("{name}/"),
            )?);
            prefixes.push(format!("{name}/"));
            static_files = read_assets(&dir.join("static"), &format!("themes/{name}/static/"))?;
        }
        prefixes.push("default/".to_string());
        for file in embedded_files(&DEFAULT_THEME) {
            if let Some(rel) = file
                .path()
                .to_str()
                .and_then(|p| p.strip_prefix("templates/"))
            {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                templates.push((format!("default/{rel}"), text));
            }
        }
        templates.extend(read_dir_templates(&config.root.join("templates"), "")?);
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            templates.hash(&mut h);
            for a in &static_files {
                (&a.out, &a.path).hash(&mut h);
            }
            h.finish()
        };
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_fallback_prefixes(prefixes)
            .map_err(|e| template_error(&e, None, config.theme.as_deref()))?;
        tera.add_raw_templates(templates)
            .map_err(|e| template_error(&e, None, config.theme.as_deref()))?;
        let embedded_static = embedded_files(&DEFAULT_THEME)
            .filter_map(|f| {
                let rel = f.path().to_str()?.strip_prefix("static/")?;
                Some((rel.to_string(), f.contents()))
            })
            .collect();
        Ok(Theme {
            tera,
            embedded_static,
            static_files,
            name: config.theme.clone(),
            fingerprint,
        })
    }

    /// A rendering error as diagnostics naming the page being rendered.
    pub fn error(&self, e: &tera::Error, rendering: &str) -> Error {
        template_error(e, Some(rendering), self.name.as_deref())
    }

    /// Whether a template of this name exists in any layer.
    pub fn has(&self, name: &str) -> bool {
        // Resolves through the fallback prefixes: site, theme, built-in.
        self.tera.contains_template(name)
    }
}

fn embedded_files(
    dir: &'static Dir<'static>,
) -> impl Iterator<Item = &'static include_dir::File<'static>> {
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        files.extend(d.files());
        stack.extend(d.dirs());
    }
    files.into_iter()
}

fn read_dir_templates(dir: &Path, prefix: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for asset in read_assets(dir, "")? {
        let text = std::fs::read_to_string(&asset.path).map_err(|e| Error::io(&asset.path, e))?;
        out.push((format!("{prefix}{}", asset.out), text));
    }
    Ok(out)
}

/// Every file under `dir`; `label` prefixes its path in messages.
fn read_assets(dir: &Path, label: &str) -> Result<Vec<Asset>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if entry.file_type().is_file()
            && !crate::load::is_ignored(&entry.file_name().to_string_lossy())
        {
            let rel = crate::load::rel_path(dir, entry.path());
            out.push(Asset {
                source: format!("{label}{rel}"),
                out: rel,
                path: entry.into_path(),
            });
        }
    }
    Ok(out)
}

/// Where a registered template name lives on disk, for messages.
fn template_path(name: &str, theme: Option<&str>) -> String {
    if let Some(rest) = name.strip_prefix("default/") {
        return format!("(built-in theme) templates/{rest}");
    }
    if let Some(rest) = theme.and_then(|t| name.strip_prefix(&format!("{t}/"))) {
        return format!("themes/{}/templates/{rest}", theme.unwrap_or_default());
    }
    format!("templates/{name}")
}

/// A template error as diagnostics: template, line, and the page being rendered.
pub(crate) fn template_error(
    e: &tera::Error,
    rendering: Option<&str>,
    theme: Option<&str>,
) -> Error {
    let help = |d: Diagnostic| match rendering {
        Some(page) => d.help(format!("while rendering {page}")),
        None => d,
    };
    let located = |message: &str, name: &str, line: usize, col: usize| {
        let loc = crate::diagnostic::Location {
            path: template_path(name, theme),
            line,
            col,
        };
        help(Diagnostic::error(format!("template error: {message}")).at(loc))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let d = located(
                r.message(),
                r.filename(),
                r.span().start_line,
                r.span().start_col + 1,
            );
            Error::Build(vec![d])
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Error::Build(vec![located(
            &format!(
                "templates extend each other in a loop: {} → {tpl}",
                inheritance_chain.join(" → ")
            ),
            tpl,
            1,
            1,
        )]),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Error::Build(vec![located(
            &format!(
                "templates include each other in a loop: {}",
                include_chain.join(" → ")
            ),
            tpl,
            1,
            1,
        )]),
        tera::ErrorKind::MissingParent { current, parent } => Error::Build(vec![
            located(
                &format!("it extends `{parent}`, and there is no such template"),
                current,
                1,
                1,
            )
            .help(format!(
                "add templates/{parent}, or extend one of the theme's templates"
            )),
        ]),
        tera::ErrorKind::TemplateNotFound(name) => Error::Build(vec![help(
            Diagnostic::error(format!("template error: no template `{name}`")).help(format!(
                "add templates/{name}, or use one of the theme's templates"
            )),
        )]),
        // Tera checks every template's filters, tests, functions and
        // includes at once and returns what it found as one message of
        // reports; that text is all there is to read.
        tera::ErrorKind::Msg(text) => {
            let diags = parse_reports(text, &located);
            if diags.is_empty() {
                Error::Build(vec![help(Diagnostic::error(format!(
                    "template error: {}",
                    with_causes(e)
                )))])
            } else {
                Error::Build(diags)
            }
        }
        _ => Error::Build(vec![help(Diagnostic::error(format!(
            "template error: {}",
            with_causes(e)
        )))]),
    }
}

/// The error's message followed by those of its causes.
fn with_causes(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// Tera reports several template problems at once as text (`error: …` then
/// ` --> name:line:col`); each becomes a diagnostic.
fn parse_reports(
    text: &str,
    located: &dyn Fn(&str, &str, usize, usize) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(loc)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
            let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(1);
            let name = parts.next().unwrap_or(loc);
            out.push(located(m, name, line_no, col));
            message = None;
        }
    }
    out
}
