//! Which languages each page and section is written in: what language
//! switchers and `hreflang` alternates link to.
//!
//! Translations of one page share its path without the language suffix
//! ([`crate::load::SourcePath::rel`]); a section's translations share its folder.

use std::collections::HashMap;

use super::Site;

/// Per page and per section, its URL path in each language that has it.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    /// Per language, as in `languages` of the config: its tag and home URL path.
    pub languages: Vec<(String, String)>,
    pages: HashMap<String, Vec<Option<String>>>,
    sections: HashMap<String, Vec<Option<String>>>,
}

impl Translations {
    /// Collects the pages and sections of every language's site.
    pub(crate) fn new(langs: &[Site]) -> Translations {
        let n = langs.len();
        let mut t = Translations {
            languages: langs
                .iter()
                .map(|s| (s.config.language.clone(), s.root().url.clone()))
                .collect(),
            ..Default::default()
        };
        if n < 2 {
            return t;
        }
        for (lang, site) in langs.iter().enumerate() {
            for p in &site.pages {
                let urls = t
                    .pages
                    .entry(p.doc.source.rel.clone())
                    .or_insert_with(|| vec![None; n]);
                urls[lang] = Some(p.url.clone());
            }
            for s in &site.sections {
                let urls = t
                    .sections
                    .entry(s.dir.clone())
                    .or_insert_with(|| vec![None; n]);
                urls[lang] = Some(s.url.clone());
            }
        }
        t
    }

    /// The URL path of a page (by its [`crate::load::SourcePath::rel`]) in
    /// each language; empty for a site of one language.
    pub fn of_page(&self, rel: &str) -> &[Option<String>] {
        self.pages.get(rel).map_or(&[], Vec::as_slice)
    }

    /// The URL path of a section (by folder) in each language; empty for a
    /// site of one language.
    pub fn of_section(&self, dir: &str) -> &[Option<String>] {
        self.sections.get(dir).map_or(&[], Vec::as_slice)
    }
}
