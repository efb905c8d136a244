//! Rebuilds in a session give exactly the site a clean build gives, for
//! every kind of edit, whether they render everything or only what changed.

use std::collections::BTreeMap;

use almanac::output::Content;
use almanac::pipeline::{BuildOptions, RenderedSite, Session};

use crate::support::SiteTest;

fn files(r: &RenderedSite) -> BTreeMap<String, Vec<u8>> {
    r.files
        .iter()
        .map(|(path, content)| {
            let bytes = match content {
                Content::Bytes(b) => b.to_vec(),
                Content::Embedded(b) => b.to_vec(),
                Content::Copy(p) => std::fs::read(p).expect("asset"),
            };
            (path.clone(), bytes)
        })
        .collect()
}

fn session(t: &SiteTest) -> Session {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+08:00").unwrap();
    Session::new(BuildOptions {
        root: t.root.clone(),
        now: Some(now),
        ..Default::default()
    })
}

/// Applies `edit` between two renders of one session and compares the
/// result with a fresh session; returns the HTML pages the rebuild rendered.
#[track_caller]
fn rebuild_matches_clean(fixture: &str, edit: impl Fn(&SiteTest)) -> Vec<String> {
    let t = SiteTest::fixture(fixture);
    let mut s = session(&t);
    let first = s.render().expect("first build");
    edit(&t);
    let again = s.render().expect("rebuild");
    let clean = session(&t).render().expect("clean build");
    let (a, c) = (files(&again), files(&clean));
    let differing: Vec<&String> = c
        .keys()
        .chain(a.keys())
        .filter(|k| a.get(*k) != c.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "rebuild differs from a clean build in {differing:?}"
    );
    assert_ne!(files(&first), a, "the edit changed the site");
    again
        .rendered
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

#[test]
fn body_edit_renders_one_page() {
    let n = rebuild_matches_clean("basic", |t| {
        t.append(
            "content/guides/conflict.md",
            "\n## Later section\n\nMore.\n",
        )
    });
    assert_eq!(n, ["guides/conflict/index.html"]);
    let n = rebuild_matches_clean("kinds", |t| {
        t.append("content/faq/general.md", "\n## New question?\n\nYes.\n")
    });
    assert_eq!(n, ["faq/general/index.html"]);
    let n = rebuild_matches_clean("kinds", |t| {
        t.append(
            "content/events/past-meetup.md",
            "\nPhotos are in the group album.\n",
        )
    });
    assert_eq!(n, ["events/past-meetup/index.html"]);
}

#[test]
fn rules_history_edit_updates_the_changes_feed() {
    let n = rebuild_matches_clean("kinds", |t| {
        t.replace(
            "content/rules/house-rules.md",
            "summary = \"Added rule 3\"",
            "summary = \"Added rule 3 about cleaning\"",
        );
    });
    assert_eq!(n, ["rules/house-rules/index.html"]);
}

#[test]
fn listing_changes_render_the_lists() {
    let all = |n: Vec<String>| assert!(n.len() > 1, "{n:?}");
    all(rebuild_matches_clean("basic", |t| {
        t.replace(
            "content/guides/yaml-page.md",
            "title: A YAML page",
            "title: A renamed page",
        );
    }));
    all(rebuild_matches_clean("basic", |t| {
        t.replace(
            "content/guides/untitled.md",
            "tags = [\"onboarding\"]",
            "tags = [\"brand-new\"]",
        );
    }));
    all(rebuild_matches_clean("basic", |t| {
        t.replace(
            "content/guides/untitled.md",
            "date = 2025-12-01",
            "date = 2025-12-01\nweight = 1",
        );
    }));
    all(rebuild_matches_clean("basic", |t| {
        t.write("content/guides/new.md", "+++\ntitle = \"New\"\n+++\nHi.\n")
    }));
    all(rebuild_matches_clean("basic", |t| {
        std::fs::remove_file(t.root.join("content/guides/untitled.md")).unwrap()
    }));
    all(rebuild_matches_clean("basic", |t| {
        t.write(
            "content/guides/_index.md",
            "+++\ntitle = \"Guides!\"\n+++\n",
        )
    }));
    all(rebuild_matches_clean("kinds", |t| {
        t.replace("content/events/online-utc.md", "2026-12-01T", "2026-12-02T");
    }));
}

#[test]
fn a_section_kind_change_re_renders_its_unchanged_pages() {
    let n = rebuild_matches_clean("basic", |t| {
        t.write(
            "content/guides/_index.md",
            "+++\ntitle = \"Guides\"\nkind = \"faq\"\n+++\n",
        )
    });
    assert!(n.len() > 1);
}

#[test]
fn theme_and_static_changes_render_everything() {
    let n = rebuild_matches_clean("basic", |t| {
        t.write(
            "templates/page.html",
            "{% extends \"default/page.html\" %}{% block body %}X{{ super() }}{% endblock body %}",
        )
    });
    assert!(n.len() > 1);
    let n = rebuild_matches_clean("basic", |t| t.write("static/extra.css", "p{}"));
    assert!(n.is_empty(), "a new static file renders no page: {n:?}");
    let n = rebuild_matches_clean("basic", |t| {
        t.write(
            "almanac.toml",
            "title = \"Renamed KB\"\nbase_url = \"https://kb.example\"\nlanguage = \"en\"\n",
        )
    });
    assert!(n.len() > 1);
}
