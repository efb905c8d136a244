//! What `almanac check` looks for beyond what fails a build: a linked
//! site that builds, but that readers or maintainers would want fixed.
//! Each finding is a warning with a code (see [`Diagnostic::code`]).

use std::collections::{HashMap, HashSet};

use super::{Page, Sites};
use crate::diagnostic::Diagnostic;
use crate::parse::Kind;

/// Every finding of every language, in a stable order.
pub(crate) fn lints(sites: &Sites) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // URLs are one space: an English page may link to a Chinese one.
    let linked: HashSet<&str> = sites.langs.iter().flat_map(linked_urls).collect();
    for site in &sites.langs {
        let mut questions: HashMap<String, (&str, &Page)> = HashMap::new();
        for page in &site.pages {
            let file = page.doc.source.display_path();
            let fm = &page.doc.front;
            let title = &page.doc.title;
            // One finding: what, at which key of the front matter, how to fix it.
            let mut warn = |code: &'static str, key: &str, message: String, help: &str| {
                out.push(
                    Diagnostic::warning(message)
                        .at(fm.locate(&file, key))
                        .help(help.to_string())
                        .code(code),
                );
            };
            // Events are found by date, in listings and calendars, not by links.
            if page.doc.kind != Kind::Event && !linked.contains(page.url.as_str()) {
                warn(
                    "orphan",
                    "title",
                    format!("no other page links to `{title}`"),
                    "link to it from a related page or its section's _index.md, so readers find it",
                );
            }
            if fm.tags.is_empty() {
                warn(
                    "no-tags",
                    "title",
                    format!("`{title}` has no tags"),
                    "add tags = [\"…\"] so it shows on tag pages and in search filters",
                );
            }
            match page.doc.kind {
                Kind::Event if fm.start.is_some() && fm.end.is_none() => warn(
                    "event-no-end",
                    "start",
                    format!("event `{title}` has no `end`"),
                    "add end = … so calendars show how long it lasts",
                ),
                Kind::Rules if fm.effective.is_none() => warn(
                    "rules-no-effective",
                    "title",
                    format!("rules page `{title}` has no `effective` date"),
                    "add effective = YYYY-MM-DD: readers need to know since when the rules apply",
                ),
                Kind::Faq => {
                    for q in &page.doc.body.questions {
                        let key = normalize_question(&q.question);
                        if key.is_empty() {
                            continue;
                        }
                        match questions.get(&key) {
                            Some((first, other)) => {
                                let where_ = if std::ptr::eq(*other, page) {
                                    "this page".to_string()
                                } else {
                                    other.doc.source.display_path()
                                };
                                warn(
                                    "faq-duplicate",
                                    "title",
                                    format!(
                                        "the question `{}` is also asked in {where_}",
                                        q.question
                                    ),
                                    &format!("answer it once and link to it (#{first})"),
                                );
                            }
                            None => {
                                questions.insert(key, (q.id.as_str(), page));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// URL paths some page or section text links to (anchors dropped).
fn linked_urls(site: &super::Site) -> HashSet<&str> {
    let page_links = site.pages.iter().flat_map(|p| {
        p.xrefs
            .iter()
            .filter(move |x| x.split('#').next() != Some(p.url.as_str()))
    });
    let section_links = site.sections.iter().flat_map(|s| s.xrefs.iter());
    page_links
        .chain(section_links)
        .map(|x| x.split('#').next().unwrap_or(""))
        .filter(|x| !x.is_empty())
        .collect()
}

/// A question as compared: lower case, letters and digits only (so
/// `How do I join?` and `how do I join` are one question).
fn normalize_question(q: &str) -> String {
    q.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
