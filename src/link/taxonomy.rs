//! Tags: pages grouped by slugified tag, newest first.

use std::collections::HashMap;

use super::{PageId, Site, Term, TermId};
use crate::slug::slugify;

pub(super) fn tags(site: &mut Site) {
    let mut by_slug: HashMap<String, TermId> = HashMap::new();
    let mut terms: Vec<Term> = Vec::new();
    for (i, page) in site.pages.iter_mut().enumerate() {
        for name in &page.doc.front.tags {
            let name = name.trim();
            let slug = slugify(name, site.config.slugify);
            if slug.is_empty() {
                continue;
            }
            let id = *by_slug.entry(slug.clone()).or_insert_with(|| {
                terms.push(Term {
                    name: name.to_string(),
                    url: format!("/tags/{slug}/"),
                    slug,
                    pages: Vec::new(),
                });
                TermId(terms.len() - 1)
            });
            if !page.tags.contains(&id) {
                page.tags.push(id);
                terms[id.0].pages.push(PageId(i));
            }
        }
    }
    let pages = &site.pages;
    for term in &mut terms {
        term.pages.sort_by(|a, b| {
            let d = |p: &PageId| pages[p.0].last_changed().map(|w| w.instant());
            d(b).cmp(&d(a))
                .then_with(|| pages[a.0].doc.title.cmp(&pages[b.0].doc.title))
        });
    }
    // Terms are listed by slug; page tag ids follow the new order.
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|&a, &b| terms[a].slug.cmp(&terms[b].slug));
    let mut new_of_old = vec![0; terms.len()];
    for (new, &old) in order.iter().enumerate() {
        new_of_old[old] = new;
    }
    for page in &mut site.pages {
        for t in &mut page.tags {
            *t = TermId(new_of_old[t.0]);
        }
    }
    let mut slots: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
    let terms: Vec<Term> = order.iter().filter_map(|&i| slots[i].take()).collect();
    site.tags = terms;
}
