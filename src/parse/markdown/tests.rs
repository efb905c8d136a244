//! Unit tests of the Markdown renderer.

use super::*;

fn opts(kind: Kind) -> MarkdownOptions {
    MarkdownOptions {
        raw_html: RawHtml::Allow,
        highlight: true,
        kind,
        take_title: true,
        first_link: 0,
        nested: false,
        rule_link: "Link to rule {n}".into(),
        search: true,
    }
}

#[test]
fn chinese_anchors_and_duplicates() {
    let r = render(
        "## 冲突处理\n\n## 冲突处理\n\n## Hello World\n",
        &opts(Kind::Page),
    );
    assert!(
        r.html.unpack().contains("<h2 id=\"冲突处理\">"),
        "{}",
        r.html.unpack()
    );
    assert!(
        r.html.unpack().contains("<h2 id=\"冲突处理-1\">"),
        "{}",
        r.html.unpack()
    );
    assert!(
        r.html.unpack().contains("<h2 id=\"hello-world\">"),
        "{}",
        r.html.unpack()
    );
    assert_eq!(r.toc.len(), 3);
}

#[test]
fn explicit_heading_id_wins() {
    let r = render("## Setup {#setup-steps}\n", &opts(Kind::Page));
    assert!(
        r.html.unpack().contains("id=\"setup-steps\""),
        "{}",
        r.html.unpack()
    );
}

#[test]
fn cjk_soft_break_is_dropped() {
    let r = render("第一行\n第二行\nand English\nwords\n", &opts(Kind::Page));
    assert!(
        r.html.unpack().contains("第一行第二行"),
        "{}",
        r.html.unpack()
    );
    assert!(
        r.html.unpack().contains("and English\nwords"),
        "{}",
        r.html.unpack()
    );
}

#[test]
fn title_taken_from_leading_h1() {
    let r = render("# 欢迎\n\n正文。\n", &opts(Kind::Page));
    assert_eq!(r.title.as_deref(), Some("欢迎"));
    assert!(!r.html.unpack().contains("<h1"), "{}", r.html.unpack());
    assert_eq!(r.summary, "正文。");
}

#[test]
fn internal_links_become_placeholders() {
    let r = render(
        "[a](../rules/x.md#rule-3) [b](@/faq/y.md) [c](#top) [d](https://x.org/a.md) [e](/abs/) [f](pic.png)\n",
        &opts(Kind::Page),
    );
    // A site path is checked in LINK too; a file beside the page is not.
    let targets: Vec<&str> = r.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(
        targets,
        ["../rules/x.md#rule-3", "@/faq/y.md", "#top", "/abs/"]
    );
    assert!(
        r.html.unpack().contains("href=\"almanac-xref:0\""),
        "{}",
        r.html.unpack()
    );
    assert!(
        r.html.unpack().contains("href=\"almanac-xref:1\""),
        "{}",
        r.html.unpack()
    );
    assert!(r.html.unpack().contains("href=\"#top\""));
    assert!(r.html.unpack().contains("href=\"https://x.org/a.md\""));
}

#[test]
fn every_ideograph_of_the_shortcut_is_a_letter() {
    for c in ('\u{3400}'..='\u{4DBF}').chain('\u{4E00}'..='\u{9FFF}') {
        assert!(c.is_alphanumeric(), "{c:?}");
    }
    for c in ['a', '7', 'é', 'ア', '。', '-', ' '] {
        assert_eq!(letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
    }
}

#[test]
fn reading_time_counts_cjk() {
    let zh = "字".repeat(800);
    let r = render(&zh, &opts(Kind::Page));
    assert_eq!(r.cjk_chars, 800);
    assert_eq!(r.words, 0);
    assert_eq!(r.reading_minutes(), 2);
    let en = "word ".repeat(450);
    assert_eq!(render(&en, &opts(Kind::Page)).reading_minutes(), 3);
}

#[test]
fn rules_from_numbered_items() {
    let r = render(
        "1. Be kind.\n2. No spam.\n\nText.\n\n1. Third rule.\n",
        &opts(Kind::Rules),
    );
    assert_eq!(r.rules.len(), 3);
    assert_eq!(r.rules[2].text, "Third rule.");
    assert!(
        r.html.unpack().contains("<ol class=\"rules\" start=\"3\">"),
        "{}",
        r.html.unpack()
    );
    assert!(
        r.html
            .unpack()
            .contains("<li id=\"rule-2\" class=\"rule\">"),
        "{}",
        r.html.unpack()
    );
}

#[test]
fn rules_from_headings_keep_text_anchor() {
    let r = render("## 友善\n\n内容\n\n## 禁止广告\n", &opts(Kind::Rules));
    assert_eq!(r.rules.len(), 2);
    assert!(
        r.html
            .unpack()
            .contains("<h2 id=\"rule-2\" class=\"rule\">"),
        "{}",
        r.html.unpack()
    );
    assert!(r.anchors.contains(&"禁止广告".to_string()));
}

#[test]
fn faq_questions_and_answers() {
    let r = render(
        "Intro.\n\n## 怎么加入？\n\n填写**表单**。\n\n## Who runs it?\n\nVolunteers.\n\n- Many\n- of them\n",
        &opts(Kind::Faq),
    );
    assert_eq!(r.questions.len(), 2);
    assert_eq!(r.questions[0].question, "怎么加入？");
    assert_eq!(r.questions[0].answer, "填写表单。");
    assert_eq!(r.questions[1].answer, "Volunteers. Many of them");
}

#[test]
fn playbook_checks() {
    let r = render(
        "1. One\n2. Two\n\n- [ ] task\n- [x] done\n",
        &opts(Kind::Playbook),
    );
    assert_eq!(r.checks, 4);
    assert!(
        r.html
            .unpack()
            .contains("<li id=\"step-1\" class=\"step\" data-check=\"1\">"),
        "{}",
        r.html.unpack()
    );
    assert!(
        r.html
            .unpack()
            .contains("data-check=\"4\" disabled checked"),
        "{}",
        r.html.unpack()
    );
}

#[test]
fn raw_html_policies() {
    let md = "<script>alert(1)</script>\n\nhi <b onclick=\"x()\">b</b>\n";
    let mut o = opts(Kind::Page);
    o.raw_html = RawHtml::Escape;
    assert!(render(md, &o).html.unpack().contains("&lt;script&gt;"));
    o.raw_html = RawHtml::Sanitize;
    let s = render(md, &o).html.unpack();
    assert!(!s.contains("<script") && !s.contains("onclick"), "{s}");
    assert!(s.contains("<b>b</b>"), "{s}");
}

#[test]
fn ids_stay_unique_when_a_heading_spells_a_suffix() {
    let r = render("## a\n\n## a\n\n## a-1\n", &opts(Kind::Page));
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["a", "a-1", "a-1-1"]);
    let r = render("## a-1\n\n## a\n\n## a\n", &opts(Kind::Page));
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["a-1", "a", "a-2"]);
}

#[test]
fn a_heading_named_like_a_rule_does_not_take_its_anchor() {
    let r = render(
        "## Rule 1\n\nIntro.\n\n1. Be kind.\n2. No spam.\n",
        &opts(Kind::Rules),
    );
    assert_eq!(r.toc[0].id, "rule-1-1");
    assert_eq!(
        r.html.unpack().matches("id=\"rule-1\"").count(),
        1,
        "{}",
        r.html.unpack()
    );
}

#[test]
fn a_line_starting_with_a_link_in_chinese_text_takes_no_space() {
    let r = render(
        "先读一遍\n[群规](#a)，然后\n**自我介绍**。\nThen in English\n[a link](#b).\n",
        &opts(Kind::Page),
    );
    let html = r.html.unpack();
    assert!(
        html.contains("先读一遍<a href=\"#a\">群规</a>，然后<strong>自我介绍</strong>。"),
        "{html}"
    );
    assert!(
        html.contains("English\n<a href=\"#b\">"),
        "Latin text keeps its space: {html}"
    );
}

/// The parts collected from events are the parts of the HTML they make.
#[test]
fn search_parts_from_events_equal_the_parts_of_the_html() {
    let bodies = [
        (
            Kind::Page,
            "Intro &amp; more, `code`, *em* and [a link](x.md).\n\n## How do I *join*?\n\nSay hello.\n中文\n换行 and English\nlines.\n\n![alt text](p.png)\n",
        ),
        (
            Kind::Rules,
            "1. Be kind.\n   - nested\n2. No spam.\n\nAfter the rules.\n",
        ),
        (
            Kind::Rules,
            "## 尊重\n\n不要人身攻击。\n\n## 不刷屏\n\nNo spam.\n",
        ),
        (
            Kind::Faq,
            "## 怎么加入？\n\n先读群规。\n\n## What time?\n\n> Quoted <em>raw</em> answer.\n",
        ),
        (
            Kind::Playbook,
            "1. [ ] Book the room\n2. [x] Send the invite\n\n| a | b |\n|---|---|\n| 一 | two |\n",
        ),
        (
            Kind::Page,
            "```rust\nfn main() { let x = 1 < 2; }\n```\n\n    indented <code>\n\n<div class=\"note\">\n<p>Raw <b>HTML</b> &lt;kept&gt;</p>\n<script>hidden()</script>\n</div>\n\nLine one  \nline two\n",
        ),
        (
            Kind::Event,
            "# Title\n\n### Deep heading\n\ntext\n\n---\n\n* a\n* b\n",
        ),
    ];
    for (kind, body) in bodies {
        for raw_html in [RawHtml::Allow, RawHtml::Escape, RawHtml::Sanitize] {
            let o = MarkdownOptions {
                raw_html,
                ..opts(kind)
            };
            let r = render(body, &o);
            let from_events = r.search.as_deref().expect("parts");
            let from_html =
                crate::search::extract::encode(&crate::search::extract::parts(&r.html.unpack()));
            assert_eq!(from_events, from_html, "{kind:?} {raw_html:?}\n{body}");
        }
    }
}
