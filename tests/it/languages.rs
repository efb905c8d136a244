//! Several languages in one site: URLs per language, hreflang alternates,
//! the language switcher, theme words, right to left, and translations
//! that know when they have gone stale (by fingerprint and by git).

use std::collections::{BTreeMap, BTreeSet};

use icalendar::{Calendar, CalendarComponent, Component};

use crate::support::{SiteTest, xml};

fn built() -> SiteTest {
    let t = SiteTest::fixture("languages");
    t.build().success();
    t
}

#[test]
fn each_language_has_its_own_urls_and_lists() {
    let t = built();
    for page in [
        "index.html",
        "rules/group-rules/index.html",
        "faq/only-zh/index.html",
        "en/index.html",
        "en/rules/group-rules/index.html",
        "en/faq/join/index.html",
        "en/events/meetup/index.html",
        "zh-hant/rules/group-rules/index.html",
        "ar/faq/join/index.html",
        "tags/入门/index.html",
        "en/tags/onboarding/index.html",
        "zh-hant/tags/入門/index.html",
    ] {
        assert!(t.has(page), "{page}");
    }
    // No silent copies: a page without a translation is absent from that language.
    for absent in [
        "en/faq/only-zh/index.html",
        "zh-hant/faq/join/index.html",
        "ar/rules/index.html",
        "en/tags/入门/index.html",
        "en/sitemap.xml",
    ] {
        assert!(!t.has(absent), "{absent}");
    }
    // The English tag page lists the English pages only.
    let tag = t.page("en/tags/onboarding/index.html");
    let mut listed = tag.attrs("main .page-list a", "href");
    listed.sort();
    assert_eq!(listed, ["/en/faq/join/", "/en/rules/group-rules/"]);
    // The English section lists its own pages.
    assert_eq!(
        t.page("en/faq/index.html")
            .attrs("main .page-list a[href^='/en/faq/']", "href"),
        ["/en/faq/join/"]
    );
}

#[test]
fn feeds_calendars_and_search_per_language() {
    let t = built();
    let en = t.out("en/atom.xml");
    let feed = xml(&en);
    let root = feed.root_element();
    assert_eq!(
        root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("en")
    );
    let titles: BTreeSet<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title"))?.text())
        .collect();
    assert_eq!(
        titles,
        BTreeSet::from(["Group rules", "How to join", "March meetup"])
    );
    let zh = t.out("atom.xml");
    assert!(zh.contains("群规") && !zh.contains("Group rules"));

    let ics: Calendar = t.out("en/events.ics").parse().expect("valid iCalendar");
    let summaries: Vec<&str> = ics
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => e.get_summary(),
            _ => None,
        })
        .collect();
    assert_eq!(summaries, ["March meetup"]);
    let title = |f: &str| {
        let text = t.out(f);
        let doc = xml(&text);
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text());
        title.unwrap_or_default().to_string()
    };
    assert_eq!(title("rules/changes.xml"), "河畔创客社 — 规则变更");
    assert_eq!(
        title("en/rules/changes.xml"),
        "Riverside Makers — rule changes"
    );

    // One search index per language, and each page's box points at its own.
    let meta = |dir: &str| -> serde_json::Value {
        serde_json::from_str(&t.out(&format!("{dir}search/meta.json"))).expect("json")
    };
    let count = |v: serde_json::Value| v["pages"].as_u64().or_else(|| v["count"].as_u64());
    assert!(
        count(meta("en/")).is_some_and(|n| n == 3),
        "{}",
        meta("en/")
    );
    assert!(count(meta("")).is_some_and(|n| n == 4), "{}", meta(""));
    let page = t.page("en/faq/join/index.html");
    assert_eq!(
        page.attrs("form.site-search", "data-index"),
        ["/en/search/"]
    );
}

/// `hreflang` alternates of every URL in the sitemap.
fn sitemap_alternates(t: &SiteTest) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = t.out("sitemap.xml");
    let doc = xml(&text);
    let mut out = BTreeMap::new();
    for url in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("url"))
    {
        let loc = url
            .children()
            .find(|c| c.has_tag_name("loc"))
            .and_then(|c| c.text())
            .expect("loc")
            .to_string();
        let alts: BTreeMap<String, String> = url
            .children()
            .filter(|c| c.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .map(|l| {
                (
                    l.attribute("hreflang").expect("hreflang").to_string(),
                    l.attribute("href").expect("href").to_string(),
                )
            })
            .collect();
        out.insert(loc, alts);
    }
    out
}

#[test]
fn hreflang_alternates_agree_between_sitemap_and_pages() {
    let t = built();
    let map = sitemap_alternates(&t);
    let rules = &map["https://example.org/en/rules/group-rules/"];
    let expected: BTreeMap<String, String> = [
        ("zh-Hans", "https://example.org/rules/group-rules/"),
        ("en", "https://example.org/en/rules/group-rules/"),
        ("zh-Hant", "https://example.org/zh-hant/rules/group-rules/"),
        ("x-default", "https://example.org/rules/group-rules/"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(rules, &expected);
    for (loc, alts) in &map {
        // Every alternate lists the same set back (the pairs are symmetric).
        for href in alts.values() {
            assert_eq!(map.get(href), Some(alts), "{loc} → {href}");
        }
        // The page says the same as the sitemap.
        let rel = loc.trim_start_matches("https://example.org/");
        let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
        let file = format!("{rel}index.html");
        let page = t.page(&file);
        let langs = page.attrs("link[rel=alternate][hreflang]", "hreflang");
        let hrefs = page.attrs("link[rel=alternate][hreflang]", "href");
        let in_page: BTreeMap<String, String> = langs.into_iter().zip(hrefs).collect();
        let mut in_map = alts.clone();
        in_map.remove("x-default");
        assert_eq!(in_page, in_map, "{file}");
    }
    // A page in one language only has no alternates.
    assert_eq!(map["https://example.org/faq/only-zh/"], BTreeMap::new());
}

#[test]
fn switcher_links_to_the_same_page_or_the_home() {
    let t = built();
    let page = t.page("en/faq/join/index.html");
    let links: Vec<(String, String)> = page
        .attrs(".lang-switch a", "hreflang")
        .into_iter()
        .zip(page.attrs(".lang-switch a", "href"))
        .collect();
    let expect = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        links,
        [
            expect("zh-Hans", "/faq/join/"),
            expect("ar", "/ar/faq/join/"),
            expect("en", "/en/faq/join/"),
            expect("zh-Hant", "/zh-hant/"),
        ]
    );
    assert_eq!(
        page.attrs(".lang-switch a[aria-current]", "hreflang"),
        ["en"]
    );
    assert_eq!(
        page.texts(".lang-switch a"),
        ["简体中文", "العربية", "English", "繁體中文"]
    );
}

#[test]
fn words_dates_and_direction_follow_the_language() {
    let t = built();
    let crumbs = |f: &str| t.page(f).texts("nav.breadcrumbs li a");
    assert_eq!(crumbs("faq/join/index.html")[0], "首页");
    assert_eq!(crumbs("en/faq/join/index.html")[0], "Home");
    assert_eq!(crumbs("zh-hant/rules/group-rules/index.html")[0], "首頁");
    assert_eq!(
        crumbs("ar/faq/join/index.html")[0],
        "الرئيسية",
        "i18n/ar.toml"
    );
    // i18n/en.toml renames a word.
    assert!(
        t.page("en/index.html")
            .texts(".site-nav a")
            .contains(&"Topics".to_string())
    );

    let time = |f: &str| t.page(f).texts(".page-header time");
    assert_eq!(time("en/faq/join/index.html"), ["1 February 2026"]);
    assert_eq!(time("faq/join/index.html"), ["2026年2月1日"]);

    // Error pages too, for hosts that serve the nearest 404.html.
    assert_eq!(t.page("zh-hant/404.html").text("main h1"), "頁面不存在");
    assert_eq!(t.page("en/404.html").text("main h1"), "Page not found");
    assert_eq!(t.page("404.html").text("main h1"), "页面不存在");
    // Rule numbers' links, the checklist and copy-link words.
    let rules = t.page("zh-hant/rules/group-rules/index.html");
    assert_eq!(
        rules.attrs("#rule-1 a.rule-num", "title"),
        ["連結到第 1 條"]
    );
    assert_eq!(
        t.page("en/faq/join/index.html")
            .attrs("[data-copy]", "data-copy"),
        ["Copy link"]
    );
    assert_eq!(
        t.page("faq/join/index.html")
            .attrs("[data-copy]", "data-copy"),
        ["复制链接"]
    );

    let ar = t.page("ar/index.html");
    assert_eq!(ar.attrs("html", "dir"), ["rtl"]);
    assert_eq!(ar.attrs("html", "lang"), ["ar"]);
    assert_eq!(
        t.page("en/index.html").attrs("html", "dir"),
        Vec::<String>::new()
    );
    assert_eq!(
        t.page("zh-hant/index.html").attrs("html", "lang"),
        ["zh-Hant"]
    );
}

#[test]
fn links_go_to_the_same_language_when_it_exists() {
    let t = built();
    let page = t.page("en/faq/join/index.html");
    let hrefs = page.attrs(".content a", "href");
    assert!(
        hrefs.contains(&"/en/rules/group-rules/#rule-2".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"/faq/only-zh/".to_string()), "{hrefs:?}");
    assert_eq!(
        t.page("zh-hant/index.html").attrs(".content a", "href"),
        ["/zh-hant/rules/group-rules/"]
    );
}

#[test]
fn stale_by_fingerprint_shows_a_notice_until_marked_current() {
    let t = built();
    let en = t.page("en/rules/group-rules/index.html");
    assert_eq!(
        en.attrs(".stale-notice a", "href"),
        ["/rules/group-rules/"],
        "links to the original"
    );
    assert!(
        en.text(".stale-notice").contains("1 March 2026"),
        "the original's `updated`"
    );
    assert_eq!(
        t.page("zh-hant/rules/group-rules/index.html")
            .count(".stale-notice"),
        0
    );

    let check = t.run(&["check"]);
    check.success();
    assert!(
        check
            .stdout
            .contains("en: 3 of 4 pages translated, 1 stale, 1 missing"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("stale    content/rules/group-rules.en.md")
    );
    assert!(check.stdout.contains("missing  content/faq/only-zh.md"));

    t.run(&["translated", "content/rules/group-rules.en.md"])
        .success();
    t.build().success();
    assert_eq!(
        t.page("en/rules/group-rules/index.html")
            .count(".stale-notice"),
        0
    );

    // The original changes: the Traditional translation made from it is stale now.
    t.replace(
        "content/rules/group-rules.md",
        "不发广告。",
        "不发广告，也不刷屏。",
    );
    t.build().success();
    assert_eq!(
        t.page("zh-hant/rules/group-rules/index.html")
            .count(".stale-notice"),
        1
    );
    let status = t.page("translations/index.html");
    assert!(
        status
            .texts(".translation-gaps a")
            .contains(&"群規".to_string())
    );
}

#[test]
fn stale_from_git_when_the_original_is_committed_after() {
    let t = SiteTest::fixture("languages");
    t.git(&["init", "-q"]);
    t.git(&["add", "."]);
    t.git(&["commit", "-q", "-m", "Start"]);
    t.build().success();
    assert_eq!(t.page("en/faq/join/index.html").count(".stale-notice"), 0);
    t.replace("content/faq/join.md", "然后打招呼", "然后在欢迎频道打招呼");
    t.git(&["commit", "-q", "-am", "faq: greet in the welcome channel"]);
    t.build().success();
    let page = t.page("en/faq/join/index.html");
    assert_eq!(page.count(".stale-notice"), 1);
    assert!(
        page.text(".stale-notice").contains("5 January 2026"),
        "the commit's date"
    );
    let check = t.run(&["check"]);
    assert!(
        check.stdout.contains(
            "stale    content/faq/join.en.md (content/faq/join.md changed on 2026-01-05)"
        ),
        "{}",
        check.stdout
    );
    // The translation is updated and committed: current again.
    t.append(
        "content/faq/join.en.md",
        "\nSay hello in the welcome channel.\n",
    );
    t.git(&["commit", "-q", "-am", "faq: update the English"]);
    t.build().success();
    assert_eq!(t.page("en/faq/join/index.html").count(".stale-notice"), 0);
}

#[test]
fn new_translation_records_its_original() {
    let t = SiteTest::fixture("languages");
    t.run(&[
        "new",
        "--translate",
        "content/faq/only-zh.md",
        "--lang",
        "zh-TW",
    ])
    .success();
    let text = std::fs::read_to_string(t.root.join("content/faq/only-zh.zh-tw.md")).expect("made");
    assert!(text.contains("translated_from = \""), "{text}");
    t.build().success();
    let page = t.page("zh-hant/faq/only-zh/index.html");
    assert_eq!(page.count(".stale-notice"), 0);
    t.run(&[
        "new",
        "--translate",
        "content/faq/only-zh.md",
        "--lang",
        "fr",
    ])
    .failure(1)
    .stderr_has("`fr` is not one of the site's other languages");
}

#[test]
fn status_page_shows_coverage() {
    let t = built();
    let page = t.page("translations/index.html");
    let rows = page.texts(".translation-status tbody tr");
    assert_eq!(rows.len(), 3, "{rows:?}");
    // English: three translated, one of them stale.
    assert!(rows[1].starts_with("English 2 / 4 (50%)"), "{rows:?}");
    // Off by default.
    t.replace("almanac.toml", "status_page = true", "status_page = false");
    t.build().success();
    assert!(!t.has("translations/index.html"));
}

#[test]
fn translation_conflicts_are_errors_naming_both() {
    let t = SiteTest::fixture("languages")
        .file("content.en/faq/join.md", "+++\ntitle = \"Joining\"\n+++\n");
    t.build().failure(1).stderr_has(
        "content/faq/join.en.md and content.en/faq/join.md are both the en version of faq/join.md",
    );
    let t = SiteTest::fixture("languages").file("content/en/x.md", "+++\ntitle = \"X\"\n+++\n");
    t.build().failure(1).stderr_has("both make the URL /en/");
}

#[test]
fn one_language_site_is_unchanged_by_a_languages_table() {
    let plain = SiteTest::fixture("basic");
    plain.build().success();
    let page = plain.out("index.html");
    assert!(!page.contains("lang-switch") && !page.contains("hreflang"));
    let tagged = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(tagged.root.join("almanac.toml")).expect("config");
    let lang = config
        .lines()
        .find_map(|l| l.strip_prefix("language = "))
        .map_or("en", |l| l.trim_matches('"'))
        .to_string();
    tagged.append("almanac.toml", &format!("\n[languages.{lang}]\n"));
    tagged.build().success();
    assert!(
        plain.snapshot() == tagged.snapshot(),
        "same files, same bytes"
    );
}

#[test]
fn a_language_folder_from_config_even_inside_content() {
    // Hugo's layout: content/en/ holds the English pages.
    let t = SiteTest::minimal()
        .file(
            "almanac.toml",
            "title = \"T\"\nbase_url = \"https://t.example\"\nlanguage = \"de\"\n[languages.en]\ncontent_dir = \"content/en\"\n",
        )
        .file("content/_index.md", "+++\ntitle = \"Start\"\n+++\n")
        .file("content/hilfe.md", "+++\ntitle = \"Hilfe\"\n+++\nText.\n")
        .file("content/en/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .file("content/en/hilfe.md", "+++\ntitle = \"Help\"\n+++\nText.\n");
    t.build().success();
    assert!(t.has("hilfe/index.html") && t.has("en/hilfe/index.html"));
    assert!(
        !t.has("en/en/index.html"),
        "content/en/ is not also a German section"
    );
    let page = t.page("hilfe/index.html");
    assert_eq!(
        page.attrs(".lang-switch a[hreflang=en]", "href"),
        ["/en/hilfe/"]
    );
    assert_eq!(page.attrs("html", "lang"), ["de"]);
}
