//! Rebuilds in a session give exactly the site a clean build gives, for
//! every kind of edit, whether they render everything or only what changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use almanac::pipeline::{BuildOptions, RenderedSite, Session};

use crate::support::SiteTest;

fn files(r: &RenderedSite) -> BTreeMap<String, Vec<u8>> {
    r.files
        .iter()
        .map(|(path, content)| (path.clone(), content.read().expect("content").into_owned()))
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

/// Every file of the site folder with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Applies `edit` between two renders of one session, telling the session
/// which files changed as the dev server's watcher does, and compares the
/// result with a fresh session; returns the HTML pages the rebuild rendered.
#[track_caller]
fn rebuild_matches_clean(fixture: &str, edit: impl Fn(&SiteTest)) -> Vec<String> {
    let t = SiteTest::fixture(fixture);
    rebuild_of(&t, edit)
}

#[track_caller]
fn rebuild_of(t: &SiteTest, edit: impl Fn(&SiteTest)) -> Vec<String> {
    rebuild_rendered(t, edit)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

/// [`rebuild_of`], returning every file the rebuild rendered.
#[track_caller]
fn rebuild_rendered(t: &SiteTest, edit: impl Fn(&SiteTest)) -> Vec<String> {
    let mut s = session(t);
    // Read now: a copied file's bytes are read from disk.
    let first = files(&s.render().expect("first build"));
    let before = tree(&t.root);
    edit(t);
    let after = tree(&t.root);
    let changed: Vec<PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect();
    let again = s.apply(&changed).expect("rebuild");
    let clean = session(t).render().expect("clean build");
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
    assert!(first != a, "the edit changed the site");
    again.rendered
}

#[test]
fn search_shards_render_only_when_their_tokens_change() {
    let shards = |rendered: &[String]| -> Vec<String> {
        rendered
            .iter()
            .filter(|p| p.starts_with("search/s/"))
            .cloned()
            .collect()
    };
    // A description is shown in listings but not searched: the page and
    // its listings change, the index does not.
    let t = SiteTest::fixture("search");
    let rendered = rebuild_rendered(&t, |t| {
        t.replace(
            "content/guides/network.md",
            "tags = [\"硬件\"]",
            "tags = [\"硬件\"]\ndescription = \"布线\"",
        )
    });
    assert!(rendered.contains(&"guides/network/index.html".to_string()));
    assert_eq!(shards(&rendered), Vec::<String>::new());
    // New words are: their shard is rendered again.
    let t = SiteTest::fixture("search");
    let rendered = rebuild_rendered(&t, |t| {
        t.append("content/guides/network.md", "\n交换机要提前测试。\n")
    });
    assert_eq!(shards(&rendered), ["search/s/0.json"]);
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

/// Every edit of the catalogue: the rebuild equals a clean build.
#[test]
fn the_edit_catalogue_matches_clean_builds() {
    // A page's date: its listings and feeds reorder.
    rebuild_matches_clean("basic", |t| {
        t.replace(
            "content/guides/untitled.md",
            "date = 2025-12-01",
            "date = 2024-01-01",
        )
    });
    // A draft published, and a page made a draft.
    rebuild_matches_clean("basic", |t| {
        t.replace("content/notes/draft.md", "draft = true", "draft = false")
    });
    rebuild_matches_clean("basic", |t| {
        t.replace(
            "content/guides/untitled.md",
            "date = 2025-12-01",
            "date = 2025-12-01\ndraft = true",
        )
    });
    // A page moved to another section.
    rebuild_matches_clean("basic", |t| {
        let text = std::fs::read_to_string(t.root.join("content/guides/untitled.md")).unwrap();
        std::fs::remove_file(t.root.join("content/guides/untitled.md")).unwrap();
        t.write("content/notes/untitled.md", &text);
    });
    // An alias edited: the old redirect goes, the new one comes.
    rebuild_matches_clean("basic", |t| {
        t.replace("content/notes/alias.md", "/old/note/", "/older/note/")
    });
    // A static file's content.
    rebuild_matches_clean("basic", |t| t.write("static/extra.css", "p{}"));
    let t = SiteTest::fixture("basic").file("static/extra.css", "p{}");
    let n = rebuild_of(&t, |t| t.write("static/extra.css", "p{color:red}"));
    assert!(n.is_empty(), "{n:?}");
    // A section's own text.
    rebuild_matches_clean("basic", |t| {
        t.append("content/guides/_index.md", "\nMore.\n")
    });
}

#[test]
fn a_failed_rebuild_then_a_fix_matches_a_clean_build() {
    let t = SiteTest::fixture("basic");
    let mut s = session(&t);
    s.render().expect("first build");
    let page = t.root.join("content/guides/conflict.md");
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, "+++\ntitle = \n+++\n").unwrap();
    assert!(s.apply(std::slice::from_ref(&page)).is_err());
    // Another file changes while the first is still broken: still an error.
    t.append("content/guides/untitled.md", "\nMore.\n");
    assert!(
        s.apply(&[t.root.join("content/guides/untitled.md")])
            .is_err()
    );
    std::fs::write(&page, good.replace("+++\n\n", "+++\n\nFixed. ")).unwrap();
    let again = files(&s.apply(std::slice::from_ref(&page)).expect("fixed"));
    let clean = files(&session(&t).render().expect("clean"));
    assert_eq!(again, clean);
}

#[test]
fn a_git_commit_updates_rules_history() {
    let t = SiteTest::fixture("kinds");
    t.write(
        "almanac.toml",
        "title = \"Kinds\"\nbase_url = \"https://kinds.example\"\n[rules]\nhistory_from_git = true\n",
    );
    t.git(&["init", "-q"]);
    t.git(&["add", "."]);
    t.git(&["commit", "-q", "-m", "Adopt house rules"]);
    let n = rebuild_of(&t, |t| {
        t.replace("content/rules/house-rules.md", "1. ", "1. Always ");
        t.git(&["commit", "-q", "-am", "Reword rule 1"]);
    });
    assert!(
        n.contains(&"rules/house-rules/index.html".to_string()),
        "{n:?}"
    );
}

/// The search index's routes follow edits like every other route.
#[test]
fn search_index_edits_match_clean_builds() {
    rebuild_matches_clean("search", |t| {
        t.replace("content/guides/network.md", "交换机", "路由器")
    });
    rebuild_matches_clean("search", |t| {
        t.replace(
            "content/guides/english.md",
            "Running a meetup",
            "Hosting a meetup",
        )
    });
    rebuild_matches_clean("search", |t| {
        t.replace("content/guides/loops.md", "2026-02-01", "2024-02-01")
    });
    rebuild_matches_clean("search", |t| {
        std::fs::remove_file(t.root.join("content/faq/join.md")).unwrap()
    });
}

#[test]
fn multilingual_edits_match_clean_builds() {
    // An original's text changes: the translation made from it turns stale.
    let rendered = rebuild_matches_clean("languages", |t| {
        t.replace(
            "content/rules/group-rules.md",
            "不发广告。",
            "不发广告，也不刷屏。",
        )
    });
    assert!(
        rendered.contains(&"zh-hant/rules/group-rules/index.html".to_string()),
        "{rendered:?}"
    );
    // A translation's body alone: its own page and its own language's
    // search files, not the other languages'.
    let t = SiteTest::fixture("languages");
    let rendered = rebuild_rendered(&t, |t| {
        t.replace("content/faq/join.en.md", "say hello", "say hi")
    });
    assert!(
        rendered.iter().all(|p| p.starts_with("en/")),
        "{rendered:?}"
    );
    assert!(
        rendered.iter().any(|p| p.starts_with("en/search/s/")),
        "{rendered:?}"
    );
    // A new translation: switchers, alternates and the sitemap change.
    rebuild_matches_clean("languages", |t| {
        t.write(
            "content/faq/only-zh.en.md",
            "+++\ntitle = \"Chinese only\"\n+++\nNow in English too.\n",
        )
    });
    // The site's own words.
    rebuild_matches_clean("languages", |t| {
        t.replace("i18n/en.toml", "\"Topics\"", "\"Subjects\"")
    });
}
