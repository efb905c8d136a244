//! Atom feeds (site, per tag, rule changes), the sitemap and robots.txt.

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};

use super::view::HistoryView;
use crate::link::{Page, PageId, Site};

/// Which pages a feed holds and how much of each.
pub(crate) struct FeedSpec<'a> {
    /// Feed title.
    pub title: &'a str,
    /// The feed's own URL path.
    pub self_path: &'a str,
    /// The page it belongs to.
    pub alt_path: &'a str,
    /// Whole pages, or summaries only (tag feeds: 300 tags of full pages
    /// would triple the size of a large site's output).
    pub full_content: bool,
}

/// An Atom feed of pages, newest first, at most `feeds.limit` entries.
pub(crate) fn pages_feed(site: &Site, spec: &FeedSpec<'_>, pages: &[PageId]) -> String {
    let FeedSpec {
        title,
        self_path,
        alt_path,
        full_content,
    } = *spec;
    let config = &site.config;
    let mut ids: Vec<PageId> = pages.to_vec();
    ids.sort_by(|a, b| {
        let d = |p: &PageId| site.page(*p).last_changed().map(|w| w.instant());
        d(b).cmp(&d(a))
    });
    ids.truncate(config.feeds.limit);
    let entries: Vec<Entry> = ids
        .iter()
        .map(|id| page_entry(site, site.page(*id), full_content))
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| latest(site));
    feed(site, title, self_path, alt_path, updated, entries)
}

fn person(name: &str) -> Person {
    Person {
        name: name.to_string(),
        ..Default::default()
    }
}

fn feed(
    site: &Site,
    title: &str,
    self_path: &str,
    alt_path: &str,
    updated: FixedDateTime,
    entries: Vec<Entry>,
) -> String {
    let config = &site.config;
    let mut feed = Feed::default();
    feed.set_title(title);
    feed.set_id(config.permalink(self_path));
    feed.set_updated(updated);
    feed.set_lang(Some(config.language.clone()));
    // RFC 4287 wants an author for every entry: the feed's stands for
    // entries without their own.
    feed.set_authors(vec![person(
        config.author.as_deref().unwrap_or(&config.title),
    )]);
    feed.set_links(vec![
        link(config.permalink(self_path), "self"),
        link(config.permalink(alt_path), "alternate"),
    ]);
    if !config.description.is_empty() {
        feed.set_subtitle(Some(Text::plain(config.description.clone())));
    }
    feed.set_entries(entries);
    xml_chars(feed.to_string())
}

/// `xml` without the characters XML 1.0 allows nowhere, not even escaped
/// (control characters but tab and line ends, U+FFFE and U+FFFF): a page
/// whose text has one (pasted from a terminal, say) would otherwise make
/// its feeds unreadable to every feed reader.
fn xml_chars(xml: String) -> String {
    super::without(xml, |c| {
        super::c0_control(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    })
}

/// A date for things that have none: the site's newest page date, so that a
/// rebuild of unchanged content gives the same feed; the build time, to the
/// second, only for a site without dates at all.
fn latest(site: &Site) -> FixedDateTime {
    site.latest().unwrap_or_else(|| {
        use chrono::{SubsecRound, Timelike};
        site.now
            .trunc_subsecs(0)
            .with_nanosecond(0)
            .unwrap_or(site.now)
    })
}

fn link(href: String, rel: &str) -> Link {
    Link {
        href,
        rel: rel.to_string(),
        ..Default::default()
    }
}

/// Largest body a feed carries in full, in bytes of HTML.
const MAX_FEED_ENTRY: usize = 256 * 1024;

fn page_entry(site: &Site, page: &Page, full_content: bool) -> Entry {
    let permalink = site.config.permalink(&page.url);
    let updated = page
        .last_changed()
        .map_or_else(|| latest(site), |w| w.instant());
    // A huge page (a pasted log, a 5 MB code block) is linked, not copied
    // into every reader's feed.
    let full_content = full_content && page.doc.body.html.unpacked_len() <= MAX_FEED_ENTRY;
    let content = full_content.then(|| {
        let html = super::fill_links(&page.doc.body.html.unpack(), &page.xrefs, &site.config);
        Content {
            value: Some(super::absolute_links(&html, &site.config)),
            content_type: Some("html".into()),
            ..Default::default()
        }
    });
    Entry {
        title: Text::plain(page.doc.title.clone()),
        authors: page.doc.front.authors.iter().map(|a| person(a)).collect(),
        id: permalink.clone(),
        updated,
        published: page.date().map(|w| w.instant()),
        links: vec![link(permalink, "alternate")],
        summary: Some(Text::plain(
            page.doc
                .front
                .description
                .clone()
                .unwrap_or_else(|| page.doc.body.summary.clone()),
        )),
        content,
        categories: page
            .tags
            .iter()
            .map(|t| Category {
                term: site.tags[t.0].name.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// `/rules/changes.xml`: one entry per history entry of every rules page.
pub(crate) fn rule_changes(
    site: &Site,
    histories: &[(PageId, Vec<HistoryView>)],
    words: &std::collections::BTreeMap<String, String>,
) -> String {
    let word = |key: &str| words.get(key).map_or(key, String::as_str).to_string();
    let mut items: Vec<(FixedDateTime, Entry)> = Vec::new();
    for (id, history) in histories {
        let page = site.page(*id);
        let permalink = site.config.permalink(&page.url);
        for h in history {
            let date = h.instant;
            let version = h
                .version
                .as_deref()
                .map(|v| format!(" v{v}"))
                .unwrap_or_default();
            let mut body = format!("<p>{}</p>", escape(&h.summary));
            if !h.changes.is_empty() {
                body.push_str("<ul>");
                for c in &h.changes {
                    let text = c.new.as_deref().or(c.old.as_deref()).unwrap_or("");
                    body.push_str(&format!(
                        "<li>{} {}: {}</li>",
                        escape(&word(c.kind)),
                        c.number,
                        escape(text)
                    ));
                }
                body.push_str("</ul>");
            }
            let entry = Entry {
                title: Text::plain(format!("{}{version}: {}", page.doc.title, h.summary)),
                id: format!(
                    "{permalink}#history-{}-{}{}",
                    h.source,
                    h.date.iso,
                    version.trim()
                ),
                updated: date,
                published: Some(date),
                links: vec![link(permalink.clone(), "alternate")],
                content: Some(Content {
                    value: Some(body),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            };
            items.push((date, entry));
        }
    }
    items.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    let updated = items.first().map_or_else(|| latest(site), |(d, _)| *d);
    let title = format!("{} — {}", site.config.title, word("rule_changes_title"));
    feed(
        site,
        &title,
        &site.config.local("/rules/changes.xml"),
        &site.config.local("/rules/"),
        updated,
        items.into_iter().map(|(_, e)| e).collect(),
    )
}

/// `/sitemap.xml`: every route a reader lands on, from the route table.
pub(crate) fn sitemap(sites: &crate::link::Sites) -> String {
    let multilingual = sites.langs.len() > 1;
    let mut out = String::from(if multilingual {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    });
    for site in &sites.langs {
        for route in site.routes.routes.iter().filter(|r| r.in_sitemap()) {
            out.push_str("  <url>\n    <loc>");
            out.push_str(&escape(&site.config.permalink(&route.url)));
            out.push_str("</loc>\n");
            if let Some(l) = site.lastmod(route) {
                out.push_str(&format!(
                    "    <lastmod>{}</lastmod>\n",
                    escape(&l.rfc3339())
                ));
            }
            for (code, url) in site.alternates(&route.kind) {
                out.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape(code),
                    escape(&site.config.permalink(url))
                ));
            }
            out.push_str("  </url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// `/robots.txt` pointing at the sitemap.
pub(crate) fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.permalink("/sitemap.xml")
    )
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_dropped_and_the_rest_kept() {
        assert_eq!(
            xml_chars("a\u{7}b\tc\nd\re\u{1F}f\u{FFFE}g\u{FFFF}中\u{7F}".to_string()),
            "ab\tc\nd\refg中\u{7F}"
        );
        assert_eq!(xml_chars("<t>plain</t>".to_string()), "<t>plain</t>");
    }
}
