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

/// Tags as LINK names them (see [`named_tags`]).
pub(crate) struct NamedTags<'a> {
    /// Every slug met.
    pub(crate) slugs: Vec<String>,
    /// Each page's tags: its slug's index in `slugs`, and its name.
    pub(crate) pages: Vec<Vec<(usize, &'a str)>>,
}

/// Tag names as LINK gives them. `pages` holds each page's front-matter
/// tags, pages in order. Each page's tags come one per slug, none whose
/// slug is empty, each named as the first page to write its slug writes
/// it, so `Moderation` and `moderation` are one tag. The search's head
/// start (see `search::tokenize_ahead`) names tags with it before LINK
/// runs.
pub(crate) fn named_tags<'a>(pages: &[&'a [String]], style: SlugStyle) -> NamedTags<'a> {
    // Hundreds of distinct names against tens of thousands of uses:
    // slugify each name once, and number each slug.
    let mut slugs: Vec<String> = Vec::new();
    let mut slug_ids: HashMap<String, usize> = HashMap::new();
    let mut slug_of: HashMap<&str, usize> = HashMap::new();
    let mut first: Vec<Option<&str>> = Vec::new();
    let mut uses = Vec::with_capacity(pages.len());
    for tags in pages {
        let mut mine: Vec<(usize, &str)> = Vec::new();
        for name in *tags {
            let name = name.trim();
            let id = *slug_of.entry(name).or_insert_with(|| {
                let slug = slugify(name, style);
                *slug_ids.entry(slug.clone()).or_insert_with(|| {
                    slugs.push(slug);
                    first.push(None);
                    slugs.len() - 1
                })
            });
            if slugs[id].is_empty() || mine.iter().any(|&(m, _)| m == id) {
                continue;
            }
            mine.push((id, *first[id].get_or_insert(name)));
        }
        uses.push(mine);
    }
    NamedTags { slugs, pages: uses }
}

/// The tags, by slug, and each page's tags.
fn collect(pages: &[Page], style: SlugStyle) -> (Vec<Term>, Vec<Vec<TermId>>) {
    let tags: Vec<&[String]> = pages.iter().map(|p| &p.doc.front.tags[..]).collect();
    let NamedTags { slugs, pages: uses } = named_tags(&tags, style);
    let mut by_slug: BTreeMap<&str, (&str, Vec<PageId>)> = BTreeMap::new();
    for (i, mine) in uses.iter().enumerate() {
        for &(slug, name) in mine {
            by_slug
                .entry(&slugs[slug])
                .or_insert((name, Vec::new()))
                .1
                .push(PageId(i));
        }
    }
    let ids: HashMap<&str, TermId> = by_slug
        .keys()
        .enumerate()
        .map(|(i, slug)| (*slug, TermId(i)))
        .collect();
    let page_tags = uses
        .iter()
        .map(|mine| {
            mine.iter()
                .filter_map(|&(slug, _)| ids.get(slugs[slug].as_str()).copied())
                .collect()
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_named_as_its_first_page_writes_it_once_per_page() {
        let pages: Vec<Vec<String>> = [
            vec![" Moderation ", "活动", "!!"],
            vec!["moderation", "MODERATION", "活动"],
            vec!["events"],
        ]
        .iter()
        .map(|p| p.iter().map(|t| t.to_string()).collect())
        .collect();
        let front: Vec<&[String]> = pages.iter().map(|p| &p[..]).collect();
        let named = named_tags(&front, SlugStyle::Unicode);
        let names: Vec<Vec<&str>> = named
            .pages
            .iter()
            .map(|p| p.iter().map(|&(_, name)| name).collect())
            .collect();
        assert_eq!(
            names,
            [
                vec!["Moderation", "活动"],
                vec!["Moderation", "活动"],
                vec!["events"],
            ]
        );
        assert_eq!(named.pages[0][0].0, named.pages[1][0].0, "one slug");
        assert_eq!(named.slugs[named.pages[2][0].0], "events");
    }
}
