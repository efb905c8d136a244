//! Internal links: `../rules/x.md#rule-3`, `@/rules/x.md` and `#anchor`
//! resolved to URLs, each checked for its page and its anchor. Every broken
//! link of the build is reported, with file and line.

use std::collections::HashMap;

use super::Site;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse::{Document, Link};

/// What a link can point at: a URL and the anchors defined there.
struct Target<'a> {
    url: &'a str,
    /// A page defines tens of anchors and is linked a few times: a scan
    /// costs less than building a set for every page on every link.
    anchors: &'a [String],
}

/// Link targets by path without language suffix, per language.
type Targets<'a> = Vec<HashMap<&'a str, Target<'a>>>;

/// Resolves the links of every language's site. A link goes to the page
/// in the linking page's language, else to the default language's.
pub(super) fn resolve(
    langs: &mut [Site],
    unparsed: &std::collections::HashSet<(usize, String)>,
    diags: &mut Diagnostics,
) {
    let mut all_xrefs = Vec::with_capacity(langs.len());
    {
        let targets: Targets<'_> = langs
            .iter()
            .map(|site| {
                let mut targets: HashMap<&str, Target<'_>> = HashMap::new();
                for p in &site.pages {
                    targets.insert(p.doc.source.rel.as_str(), target(&p.doc, &p.url));
                }
                for s in &site.sections {
                    if let Some(d) = &s.index {
                        targets.insert(d.source.rel.as_str(), target(d, &s.url));
                    }
                }
                targets
            })
            .collect();
        for site in langs.iter() {
            let warn = site.config.links.broken == crate::config::Broken::Warn;
            let scope = Scope {
                targets: &targets,
                config: &site.config,
                langs,
                unparsed,
            };
            let page_xrefs: Vec<Vec<String>> = site
                .pages
                .iter()
                .map(|p| links(&p.doc, &scope, warn, diags))
                .collect();
            let section_xrefs: Vec<Vec<String>> = site
                .sections
                .iter()
                .map(|s| {
                    s.index
                        .as_ref()
                        .map(|d| links(d, &scope, warn, diags))
                        .unwrap_or_default()
                })
                .collect();
            all_xrefs.push((page_xrefs, section_xrefs));
        }
    }
    for (site, (page_xrefs, section_xrefs)) in langs.iter_mut().zip(all_xrefs) {
        for (p, x) in site.pages.iter_mut().zip(page_xrefs) {
            p.xrefs = x;
        }
        for (s, x) in site.sections.iter_mut().zip(section_xrefs) {
            s.xrefs = x;
        }
    }
}

/// What a link can reach: the pages and routes of every language.
struct Scope<'a> {
    targets: &'a Targets<'a>,
    config: &'a crate::config::SiteConfig,
    langs: &'a [Site],
    unparsed: &'a std::collections::HashSet<(usize, String)>,
}

impl<'a> Scope<'a> {
    /// A link written as a URL of the site: a path (`/wiki/borrow/`) or a
    /// relative pretty URL (`../code-of-conduct/`), checked against the
    /// route table with its anchor. A relative URL is tried from the
    /// file's folder (as GitHub reads it), then from the page's own URL (as
    /// Jekyll and Hugo do). Resolves to a site path.
    fn url_link(
        &self,
        doc: &Document,
        link: &Link,
        path: &str,
        anchor: Option<&str>,
    ) -> Result<String, Diagnostic> {
        let own = self
            .get(&doc.source.rel, doc.source.lang)
            .map_or("/", |t| t.url);
        let path = percent_decode(path.split('?').next().unwrap_or(path));
        let candidates: Vec<String> = if path.starts_with('/') {
            // Written with the site's base path (`/kb/x/`) or without.
            let base = self.config.url("/");
            let base = base.trim_end_matches('/');
            let mut c = vec![path.clone()];
            if let Some(rest) = path
                .strip_prefix(base)
                .filter(|r| !base.is_empty() && r.starts_with('/'))
            {
                c.insert(0, rest.to_string());
            }
            c
        } else {
            let nested = !doc.source.is_section_index();
            let folder = if nested {
                parent_url(own)
            } else {
                own.to_string()
            };
            [folder, own.to_string()]
                .iter()
                .filter_map(|base| join(base, &path))
                .map(|p| {
                    let slash = if path.ends_with('/') && !p.is_empty() {
                        "/"
                    } else {
                        ""
                    };
                    format!("/{p}{slash}")
                })
                .collect()
        };
        let found = candidates.iter().find_map(|url| {
            let file = crate::output::url_to_file(url);
            self.langs
                .iter()
                .find_map(|site| site.routes.get(&file).map(|r| (site, r, url)))
        });
        let Some((site, route, url)) = found else {
            return Err(broken(
                link,
                format!(
                    "broken link `{}`: no page of the site at {}",
                    link.target,
                    candidates.first().map_or("", String::as_str)
                ),
                "link to a page's URL as the site serves it (/rules/group-rules/), or to its Markdown file (../rules/group-rules.md)".into(),
            ));
        };
        let Some(a) = anchor.filter(|a| !a.is_empty()) else {
            return Ok(url.clone());
        };
        let a = percent_decode(a);
        let anchors: Option<&[String]> = match &route.kind {
            super::RouteKind::Page(p) => Some(&site.page(*p).doc.body.anchors),
            super::RouteKind::Section { id, .. } => site
                .section(*id)
                .index
                .as_ref()
                .map(|d| d.body.anchors.as_slice()),
            _ => None,
        };
        if let Some(known) = anchors {
            check_anchor(link, &a, url, known)?;
        }
        Ok(format!("{url}#{a}"))
    }

    /// The target at `rel` for a document in language `lang`: its own
    /// language's version, else the default language's; a link written
    /// with a language suffix (`x.en.md`) goes to that language.
    fn get(&self, rel: &str, lang: usize) -> Option<&'a Target<'a>> {
        let targets: &'a Targets<'a> = self.targets;
        if let Some(t) = targets[lang].get(rel).or_else(|| targets[0].get(rel)) {
            return Some(t);
        }
        let named = crate::load::source_path(self.config, lang, "", rel);
        (named.rel != rel)
            .then(|| targets[named.lang].get(named.rel.as_str()))
            .flatten()
    }
}

fn target<'a>(doc: &'a Document, url: &'a str) -> Target<'a> {
    Target {
        url,
        anchors: &doc.body.anchors,
    }
}

/// Resolves a document's links; a broken one is an error, or a warning
/// with `[links] broken = "warn"` (a migration in progress), and links
/// nowhere (`#`).
fn links(doc: &Document, targets: &Scope<'_>, warn: bool, diags: &mut Diagnostics) -> Vec<String> {
    doc.links
        .iter()
        .map(|link| match resolve_one(doc, link, targets) {
            Ok(url) => url,
            Err(mut d) => {
                if warn {
                    d.severity = crate::diagnostic::Severity::Warning;
                }
                diags.push(d);
                String::from("#")
            }
        })
        .collect()
}

fn resolve_one(doc: &Document, link: &Link, targets: &Scope<'_>) -> Result<String, Diagnostic> {
    let (path, anchor) = match link.target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (link.target.as_str(), None),
    };
    let is_file = path.is_empty() || path.starts_with("@/") || path.ends_with(".md");
    if !is_file {
        return targets.url_link(doc, link, path, anchor);
    }
    let rel = if path.is_empty() {
        doc.source.rel.clone()
    } else if let Some(abs) = path.strip_prefix("@/") {
        abs.to_string()
    } else {
        join(doc.source.dir(), path).ok_or_else(|| {
            broken(
                link,
                format!("link `{}` points outside content/", link.target),
                "relative links start from this file's folder".into(),
            )
        })?
    };
    let rel = percent_decode(&rel);
    let Some(target) = targets.get(rel.as_str(), doc.source.lang) else {
        // The file is there but did not parse: its own error says so.
        let lang = doc.source.lang;
        if [lang, 0]
            .iter()
            .any(|&l| targets.unparsed.contains(&(l, rel.clone())))
        {
            return Ok(String::from("#"));
        }
        return Err(broken(
            link,
            format!("broken link `{}`: no page content/{rel}", link.target),
            "link to a Markdown file relative to this one (../rules/x.md) or from content/ (@/rules/x.md); drafts are only built with --drafts".into(),
        ));
    };
    match anchor {
        None | Some("") => Ok(target.url.to_string()),
        Some(a) => {
            let a = percent_decode(a);
            check_anchor(link, &a, format_args!("content/{rel}"), target.anchors)?;
            Ok(if path.is_empty() {
                format!("#{a}")
            } else {
                format!("{}#{a}", target.url)
            })
        }
    }
}

/// A link that reaches nothing, at the place it is written.
fn broken(link: &Link, message: String, help: String) -> Diagnostic {
    Diagnostic::error(message)
        .at(link.location.clone())
        .help(help)
        .code("broken-link")
}

/// `anchor` is one of `known`, the anchors of `place`; else the error
/// names the closest ones.
fn check_anchor(
    link: &Link,
    anchor: &str,
    place: impl std::fmt::Display,
    known: &[String],
) -> Result<(), Diagnostic> {
    if known.iter().any(|k| k == anchor) {
        return Ok(());
    }
    Err(broken(
        link,
        format!(
            "broken anchor `#{anchor}` in link `{}`: {place} has no such heading or rule",
            link.target
        ),
        anchors_help(&closest(anchor, known)),
    ))
}

/// The anchors most like `wanted`, closest first: what the author likely meant.
fn closest<'a>(wanted: &str, anchors: &'a [String]) -> Vec<&'a str> {
    let mut known: Vec<(usize, &str)> = anchors
        .iter()
        .map(|a| (strsim::levenshtein(wanted, a), a.as_str()))
        .collect();
    known.sort();
    known.into_iter().take(5).map(|(_, a)| a).collect()
}

fn anchors_help(known: &[&str]) -> String {
    if known.is_empty() {
        "that page has no anchors".into()
    } else {
        format!("the closest anchors there: {}", known.join(", "))
    }
}

/// Joins a relative path onto a folder, resolving `.` and `..`; `None` above the root.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `/faq/join/` → `/faq/`: the folder a page's file is in, as a URL.
fn parent_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/"),
        None => "/".to_string(),
    }
}

/// Decodes `%E5%86%B2`-style escapes, as GitHub writes links to Chinese file names.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_paths() {
        assert_eq!(join("faq", "../rules/x.md").as_deref(), Some("rules/x.md"));
        assert_eq!(join("a/b", "./c.md").as_deref(), Some("a/b/c.md"));
        assert_eq!(join("", "../x.md"), None);
    }

    #[test]
    fn decode() {
        assert_eq!(percent_decode("%E5%86%B2.md"), "冲.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
