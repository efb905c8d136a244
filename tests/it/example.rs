//! The example site is the largest fixture: it must build with no warning.

use crate::support::{SiteTest, main_of, xml};

#[test]
fn example_site_builds_cleanly() {
    let t = SiteTest::example();
    let run = t.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(run.stdout.contains("Built 39 pages"), "{}", run.stdout);
    // Chinese file names keep their characters in URLs and anchors.
    let conflict = t.out("playbooks/conflict/冲突处理/index.html");
    assert!(conflict.contains(r#"<h2 id="冲突处理">"#));
    assert!(conflict.contains(r#"<a href="/rules/group-rules/#rule-5">群规第 5 条</a>"#));
    // Interface words follow the site language.
    assert!(conflict.contains(r#"<html lang="zh-Hans">"#));
    // English and Traditional translations of part of it; the English
    // group rules were made from version 2.0 and say so.
    let en = t.page("en/rules/group-rules/index.html");
    assert_eq!(en.attrs(".stale-notice a", "href"), ["/rules/group-rules/"]);
    assert_eq!(
        t.page("zh-hant/rules/group-rules/index.html")
            .count(".stale-notice"),
        0
    );
    assert_eq!(
        t.page("en/faq/joining/index.html").count(".stale-notice"),
        0
    );
    assert!(t.has("translations/index.html"));
    assert!(conflict.contains("<h2 class=\"facts-heading\">开始之前</h2>"));
    // A page in another language says so, for fonts and screen readers.
    assert!(
        t.out("faq/taipei-chapter/index.html")
            .contains(r#"<article class="page" data-page="/faq/taipei-chapter/" lang="zh-TW">"#)
    );
    // Every kind is used.
    assert!(
        t.out("rules/group-rules/index.html")
            .contains(r#"<li id="rule-8" class="rule">"#)
    );
    assert!(
        t.out("faq/joining/index.html")
            .contains(r#""@type":"FAQPage""#)
    );
    assert!(
        t.out("events/2026/winter-meetup/index.html")
            .contains(r#""@type":"Event""#)
    );
    assert!(t.has("events/2026/winter-meetup.ics"));
    xml(&t.out("rules/changes.xml"));
    xml(&t.out("atom.xml"));
    let home = t.out("index.html");
    assert!(
        main_of(&home).contains("冬季聚会：年度项目展"),
        "upcoming events on the home page"
    );
    assert!(!t.has("about/roadmap/index.html"), "drafts stay out");
    assert!(t.has("guides/welcome/index.html"), "aliases redirect");
}

#[test]
fn the_events_listing_is_paginated_with_upcoming_events_first() {
    let t = SiteTest::example();
    t.build().success();
    let first = main_of(&t.out("events/index.html")).to_string();
    let second = main_of(&t.out("events/page/2/index.html")).to_string();
    assert!(first.contains("id=\"upcoming-heading\""));
    assert!(
        first.contains("rel=\"next\" href=\"/events/page/2/\""),
        "{first}"
    );
    assert!(
        !second.contains("id=\"upcoming-heading\""),
        "page 2 holds past events only and does not claim there are none upcoming"
    );
    assert!(
        second.contains("rel=\"prev\" href=\"/events/\""),
        "{second}"
    );
    assert_eq!(first.matches("class=\"page-link\"").count(), 6);
}
