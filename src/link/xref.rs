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
pub(super) fn resolve(langs: &mut [Site], diags: &mut Diagnostics) {
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

/// What a link can reach: the pages of every language.
struct Scope<'a> {
    targets: &'a Targets<'a>,
    config: &'a crate::config::SiteConfig,
}

impl<'a> Scope<'a> {
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
    let broken =
        |msg: String, help: String| Diagnostic::error(msg).at(link.location.clone()).help(help);
    let rel = if path.is_empty() {
        doc.source.rel.clone()
    } else if let Some(abs) = path.strip_prefix("@/") {
        abs.to_string()
    } else {
        join(doc.source.dir(), path).ok_or_else(|| {
            broken(
                format!("link `{}` points outside content/", link.target),
                "relative links start from this file's folder".into(),
            )
        })?
    };
    let rel = percent_decode(&rel);
    let Some(target) = targets.get(rel.as_str(), doc.source.lang) else {
        return Err(broken(
            format!("broken link `{}`: no page content/{rel}", link.target),
            "link to a Markdown file relative to this one (../rules/x.md) or from content/ (@/rules/x.md); drafts are only built with --drafts".into(),
        ));
    };
    match anchor {
        None | Some("") => Ok(target.url.to_string()),
        Some(a) => {
            let a = percent_decode(a);
            if !target.anchors.contains(&a) {
                let mut known: Vec<&str> = target.anchors.iter().map(String::as_str).collect();
                known.sort();
                known.truncate(8);
                return Err(broken(
                    format!(
                        "broken anchor `#{a}` in link `{}`: content/{rel} has no such heading or rule",
                        link.target
                    ),
                    if known.is_empty() {
                        "that page has no anchors".into()
                    } else {
                        format!("anchors there include: {}", known.join(", "))
                    },
                ));
            }
            Ok(if path.is_empty() {
                format!("#{a}")
            } else {
                format!("{}#{a}", target.url)
            })
        }
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
