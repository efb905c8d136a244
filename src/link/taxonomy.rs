//! Tags: pages grouped by slugified tag, newest first; tags listed by slug.

use std::collections::{BTreeMap, HashMap};

use super::{Page, PageId, Site, Term, TermId};
use crate::config::SlugStyle;
use crate::slug::slugify;

pub(super) fn tags(site: &mut Site) {
    let (mut terms, page_tags) = collect(&site.pages, site.config.slugify);
    for t in &mut terms {
        t.url = site.config.local(&t.url);
    }
    for (page, tags) in site.pages.iter_mut().zip(page_tags) {
        page.tags = tags;
    }
    let pages = &site.pages;
    for term in &mut terms {
        term.pages.sort_by(|a, b| {
            let d = |p: &PageId| pages[p.0].last_changed().map(|w| w.instant());
            d(b).cmp(&d(a))
                .then_with(|| pages[a.0].doc.title.cmp(&pages[b.0].doc.title))
        });
    }
    site.tags = terms;
}

/// The tags, by slug, and each page's tags.
fn collect(pages: &[Page], style: SlugStyle) -> (Vec<Term>, Vec<Vec<TermId>>) {
    // Hundreds of distinct names against tens of thousands of uses: slugify each name once.
    let mut slug_of: HashMap<&str, String> = HashMap::new();
    for name in pages.iter().flat_map(|p| &p.doc.front.tags) {
        let name = name.trim();
        if !slug_of.contains_key(name) {
            slug_of.insert(name, slugify(name, style));
        }
    }
    // By slug, so `Moderation` and `moderation` are one tag, named as first written.
    let mut by_slug: BTreeMap<&str, (&str, Vec<PageId>)> = BTreeMap::new();
    let mut uses: Vec<Vec<&str>> = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        let mut mine: Vec<&str> = Vec::new();
        for name in &page.doc.front.tags {
            let name = name.trim();
            let slug = slug_of.get(name).map_or("", String::as_str);
            if slug.is_empty() || mine.contains(&slug) {
                continue;
            }
            by_slug
                .entry(slug)
                .or_insert((name, Vec::new()))
                .1
                .push(PageId(i));
            mine.push(slug);
        }
        uses.push(mine);
    }
    let ids: HashMap<&str, TermId> = by_slug
        .keys()
        .enumerate()
        .map(|(i, slug)| (*slug, TermId(i)))
        .collect();
    let page_tags = uses
        .iter()
        .map(|mine| mine.iter().filter_map(|s| ids.get(s).copied()).collect())
        .collect();
    let terms = by_slug
        .into_iter()
        .map(|(slug, (name, pages))| Term {
            name: name.to_string(),
            slug: slug.to_string(),
            url: format!("/tags/{slug}/"),
            pages,
        })
        .collect();
    (terms, page_tags)
}
