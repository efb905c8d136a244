//! Tags: pages grouped by slugified tag, newest first; tags listed by slug.

use std::collections::{BTreeMap, HashMap};

use super::{PageId, Site, Term, TermId};
use crate::slug::slugify;

pub(super) fn tags(site: &mut Site) {
    let style = site.config.slugify;
    // By slug, so `Moderation` and `moderation` are one tag, named as first written.
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    let mut page_slugs: Vec<Vec<String>> = Vec::with_capacity(site.pages.len());
    for (i, page) in site.pages.iter().enumerate() {
        let mut slugs: Vec<String> = Vec::new();
        for name in &page.doc.front.tags {
            let name = name.trim();
            let slug = slugify(name, style);
            if slug.is_empty() || slugs.contains(&slug) {
                continue;
            }
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: name.to_string(),
                url: format!("/tags/{slug}/"),
                slug: slug.clone(),
                pages: Vec::new(),
            });
            term.pages.push(PageId(i));
            slugs.push(slug);
        }
        page_slugs.push(slugs);
    }
    let ids: HashMap<&str, TermId> = terms
        .keys()
        .enumerate()
        .map(|(i, slug)| (slug.as_str(), TermId(i)))
        .collect();
    for (page, slugs) in site.pages.iter_mut().zip(&page_slugs) {
        page.tags = slugs
            .iter()
            .filter_map(|s| ids.get(s.as_str()).copied())
            .collect();
    }
    let pages = &site.pages;
    let mut terms: Vec<Term> = terms.into_values().collect();
    for term in &mut terms {
        term.pages.sort_by(|a, b| {
            let d = |p: &PageId| pages[p.0].last_changed().map(|w| w.instant());
            d(b).cmp(&d(a))
                .then_with(|| pages[a.0].doc.title.cmp(&pages[b.0].doc.title))
        });
    }
    site.tags = terms;
}
