//! The foundation: a fixture site built end to end.

use std::path::{Path, PathBuf};

use crate::support::{SiteTest, main_of, xml};

fn built() -> SiteTest {
    let t = SiteTest::fixture("basic");
    t.build().success();
    t
}

#[test]
fn pages_live_at_pretty_urls() {
    let t = built();
    for path in [
        "index.html",
        "guides/index.html",
        "guides/conflict/index.html",
        "guides/yaml-page/index.html",
        "guides/untitled/index.html",
        "notes/alias/index.html",
        "404.html",
        "robots.txt",
        "img/logo.txt",
        "highlight-light.css",
        "highlight-dark.css",
        "style.css",
    ] {
        assert!(t.has(path), "missing {path}");
    }
    assert_eq!(t.out("img/logo.txt"), "hello static\n");
}

#[test]
fn headings_get_unicode_anchors_deduplicated() {
    let t = built();
    let html = t.out("guides/conflict/index.html");
    assert!(html.contains(r##"<h2 id="冲突处理">冲突处理<a class="anchor" href="#冲突处理" aria-hidden="true" tabindex="-1">#</a></h2>"##));
    assert!(html.contains(r#"<h2 id="冲突处理-1">冲突处理"#));
    assert!(html.contains(r#"<h2 id="code-sample">Code Sample"#));
    // Table of contents lists all three.
    assert!(
        html.contains(r##"<li><a href="#冲突处理-1">冲突处理</a></li>"##),
        "{}",
        main_of(&html)
    );
}

#[test]
fn chinese_line_break_adds_no_space() {
    let t = built();
    assert!(
        t.out("guides/conflict/index.html")
            .contains("<p>第一步先降温，然后再听双方。</p>")
    );
}

#[test]
fn code_is_highlighted_with_classes() {
    let t = built();
    let html = t.out("guides/conflict/index.html");
    assert!(html.contains(
        r#"<pre class="code hl-code" data-lang="rust"><code><span class="hl-source hl-rust">"#
    ));
    assert!(html.contains(r#"<span class="hl-storage hl-type hl-function hl-rust">fn</span>"#));
    assert!(!main_of(&html).contains("style=\""));
    assert!(t.out("highlight-light.css").contains(".hl-storage"));
    assert!(t.out("highlight-dark.css").contains(".hl-storage"));
    assert_ne!(t.out("highlight-light.css"), t.out("highlight-dark.css"));
}

#[test]
fn internal_links_resolve_to_urls() {
    let t = built();
    let html = t.out("guides/conflict/index.html");
    assert!(html.contains(r#"<a href="/guides/yaml-page/#second-part">the YAML page</a>"#));
    assert!(html.contains(r#"<a href="/notes/alias/">the note</a>"#));
    assert!(
        t.out("guides/yaml-page/index.html")
            .contains(r#"<a href="/guides/conflict/#冲突处理">conflict guide</a>"#)
    );
    assert!(
        t.out("index.html")
            .contains(r#"<a href="/guides/conflict/">conflict guide</a>"#)
    );
}

#[test]
fn title_falls_back_to_first_heading() {
    let t = built();
    let html = t.out("guides/untitled/index.html");
    assert!(html.contains("<title>Title From Heading · Fixture KB</title>"));
    assert!(html.contains(r#"<link rel="canonical" href="https://kb.example/guides/untitled/">"#));
    assert!(html.contains(r#"<meta property="og:title" content="Title From Heading">"#));
    assert!(html.contains("<h1>Title From Heading</h1>"));
    assert_eq!(
        html.matches("Title From Heading</h1>").count(),
        1,
        "heading not repeated in the body"
    );
}

#[test]
fn yaml_and_toml_front_matter_both_work() {
    let t = built();
    let html = t.out("guides/yaml-page/index.html");
    assert!(html.contains("<h1>A YAML page</h1>"));
    assert!(html.contains(r#"<time datetime="2026-01-15">2026-01-15</time>"#));
    assert!(html.contains(r#"href="/tags/onboarding/""#));
}

#[test]
fn tags_index_counts_and_orders() {
    let t = built();
    let tags = main_of(&t.out("tags/index.html")).to_string();
    // "Moderation" and "moderation" are one tag; the name first written wins.
    assert!(tags.contains(r#"<a class="tag" href="/tags/moderation/">#moderation <span class="count">3</span></a>"#), "{tags}");
    assert!(tags.contains(r#"<a class="tag" href="/tags/onboarding/">#onboarding <span class="count">2</span></a>"#), "{tags}");
    assert!(
        tags.contains(
            r#"<a class="tag" href="/tags/冲突/">#冲突 <span class="count">1</span></a>"#
        ),
        "{tags}"
    );
    let page = t.out("tags/moderation/index.html");
    let order: Vec<usize> = ["冲突处理指南", "Moved note", "A YAML page"]
        .iter()
        .map(|t| page.find(t).expect(t))
        .collect();
    assert!(
        order[0] < order[1] && order[1] < order[2],
        "newest first: {order:?}"
    );
}

#[test]
fn feeds_and_sitemap_are_valid_xml() {
    let t = built();
    let atom = t.out("atom.xml");
    let doc = xml(&atom);
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 4, "drafts are not in the feed");
    let first_title = entries[0]
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text());
    assert_eq!(first_title, Some("冲突处理指南"));
    let tag_feed = t.out("tags/moderation/atom.xml");
    assert_eq!(
        xml(&tag_feed)
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .count(),
        3
    );
    let sitemap = t.out("sitemap.xml");
    let locs: Vec<String> = xml(&sitemap)
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    assert!(
        locs.contains(&"https://kb.example/guides/conflict/".to_string()),
        "{locs:?}"
    );
    assert!(
        locs.contains(&"https://kb.example/tags/%E5%86%B2%E7%AA%81/".to_string()),
        "{locs:?}"
    );
    assert!(!locs.iter().any(|l| l.contains("draft")));
    assert!(
        locs.iter().all(|l| l.is_ascii()),
        "sitemap URLs are percent-encoded: {locs:?}"
    );
    assert_eq!(
        t.out("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://kb.example/sitemap.xml\n"
    );
}

#[test]
fn aliases_redirect() {
    let t = built();
    let html = t.out("old/note/index.html");
    assert!(
        html.contains(
            r#"<meta http-equiv="refresh" content="0; url=https://kb.example/notes/alias/">"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"<link rel="canonical" href="https://kb.example/notes/alias/">"#));
}

#[test]
fn drafts_only_with_flag() {
    let t = SiteTest::fixture("basic");
    t.build().success();
    assert!(!t.has("notes/draft/index.html"));
    t.run(&["build", "--drafts"]).success();
    assert!(t.out("notes/draft/index.html").contains("Secret draft"));
}

#[test]
fn base_url_flag_and_output_folder() {
    let t = SiteTest::fixture("basic");
    let out = t.root.join("elsewhere");
    t.run(&[
        "build",
        "--base-url",
        "https://mirror.example/kb/",
        "-o",
        out.to_str().unwrap(),
    ])
    .success();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://mirror.example/kb/guides/conflict/</loc>"),
        "{sitemap}"
    );
    // A base URL with a path prefixes every internal link.
    let page = std::fs::read_to_string(out.join("guides/conflict/index.html")).unwrap();
    assert!(page.contains(r#"<a href="/kb/notes/alias/">the note</a>"#));
    assert!(page.contains(r#"href="/kb/style.css""#));
}

#[test]
fn site_templates_override_and_extend_the_theme() {
    let t = SiteTest::fixture("basic").file(
        "templates/page.html",
        "{% extends \"default/page.html\" %}{% block body %}<div class=\"custom\">{{ page.word_count }} words</div>{{ super() }}{% endblock body %}",
    );
    t.build().success();
    let html = t.out("guides/yaml-page/index.html");
    assert!(
        html.contains("<div class=\"custom\">"),
        "{}",
        main_of(&html)
    );
    assert!(
        html.contains("<h2 id=\"second-part\">"),
        "super() keeps the body"
    );
}

#[test]
fn a_named_theme_folder_is_used() {
    let t = SiteTest::fixture("basic")
        .file(
            "almanac.toml",
            "title = \"T\"\nbase_url = \"https://kb.example\"\ntheme = \"plain\"\n",
        )
        .file(
            "themes/plain/templates/section.html",
            "SECTION {{ section.title }}",
        )
        .file("themes/plain/static/theme.css", "body{}");
    t.build().success();
    assert_eq!(t.out("guides/index.html"), "SECTION Guides");
    assert_eq!(t.out("theme.css"), "body{}");
    assert!(
        t.out("guides/conflict/index.html").contains("<article"),
        "other templates fall back to the default theme"
    );
}

#[test]
fn reading_time_counts_chinese_characters() {
    let zh = "这是一个很长的段落。".repeat(120);
    let t = SiteTest::minimal().file(
        "content/long.md",
        &format!("+++\ntitle = \"长文\"\n+++\n\n{zh}\n"),
    );
    t.build().success();
    // 1,080 CJK characters at 400 a minute: 3 minutes, though there are no spaces at all.
    assert!(t.out("long/index.html").contains("<span>3 min read</span>"));
}

#[test]
fn raw_html_policies() {
    let body = "+++\ntitle = \"x\"\n+++\n\n<script>alert(1)</script>\n\nHi <b onclick=\"evil()\">there</b>.\n";
    let t = SiteTest::minimal().file("content/x.md", body);
    t.build().success();
    assert!(
        main_of(&t.out("x/index.html")).contains("<script>alert(1)</script>"),
        "allow is the default"
    );
    t.write(
        "almanac.toml",
        "title = \"Test\"\nbase_url = \"https://t.example\"\n[markdown]\nraw_html = \"sanitize\"\n",
    );
    t.build().success();
    let html = t.out("x/index.html");
    let main = main_of(&html);
    assert!(
        !main.contains("<script>") && !main.contains("onclick"),
        "{main}"
    );
    assert!(main.contains("Hi <b>there</b>."));
    t.write(
        "almanac.toml",
        "title = \"Test\"\nbase_url = \"https://t.example\"\n[markdown]\nraw_html = \"escape\"\n",
    );
    t.build().success();
    assert!(main_of(&t.out("x/index.html")).contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn ascii_slugs_transliterate() {
    let t = SiteTest::empty()
        .file(
            "almanac.toml",
            "title = \"T\"\nbase_url = \"https://t.example\"\nslugify = \"ascii\"\n",
        )
        .file(
            "content/规则/冲突处理.md",
            "+++\ntitle = \"冲突\"\ntags = [\"新人\"]\n+++\n## 冲突处理\n",
        );
    t.build().success();
    let html = t.out("gui-ze/chong-tu-chu-li/index.html");
    assert!(
        html.contains("<h2 id=\"冲突处理\">"),
        "anchors keep Chinese either way"
    );
    assert!(t.has("tags/xin-ren/index.html"));
}

#[test]
fn rebuild_after_an_edit_equals_a_clean_build() {
    let edit = |t: &SiteTest| {
        t.write(
            "content/guides/yaml-page.md",
            "---\ntitle: Renamed page\ndate: 2026-05-15\ntags: [fresh]\n---\n## Second part {#second-part}\nNew body.\n",
        );
        std::fs::remove_file(t.root.join("content/guides/untitled.md")).unwrap();
    };
    let t = SiteTest::fixture("basic");
    t.build().success();
    let before = t.snapshot();
    edit(&t);
    t.build().success();
    let clean = SiteTest::fixture("basic");
    edit(&clean);
    clean.build().success();
    assert_eq!(
        t.snapshot(),
        clean.snapshot(),
        "files reused from the previous build match a clean build"
    );
    assert_ne!(before, t.snapshot());
    assert!(
        !t.has("guides/untitled/index.html"),
        "removed pages disappear"
    );
    assert!(t.out("tags/fresh/index.html").contains("Renamed page"));
}

#[test]
fn builds_of_unchanged_content_are_byte_identical() {
    let t = SiteTest::fixture("kinds");
    t.run(&["build"]).success();
    let first = t.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    t.run(&["build"]).success();
    assert_eq!(t.snapshot(), first, "no build time leaks into the output");
    let run = t.run(&["build", "-v"]);
    run.success();
    let files = first.len();
    assert!(
        run.stdout.contains(&format!("{files} files unchanged")),
        "{}",
        run.stdout
    );
}

#[test]
fn listings_paginate_with_links_between_pages() {
    let mut t = SiteTest::minimal().file(
        "content/notes/_index.md",
        "+++\ntitle = \"Notes\"\npaginate_by = 2\n+++\n",
    );
    for i in 1..=5 {
        t = t.file(
            &format!("content/notes/n{i}.md"),
            &format!("+++\ntitle = \"Note {i}\"\nweight = {i}\ntags = [\"all\"]\n+++\nBody {i}.\n"),
        );
    }
    t.write(
        "almanac.toml",
        "title = \"Test\"\nbase_url = \"https://t.example\"\npaginate_by = 3\n",
    );
    t.build().success();
    let titles = |rel: &str| t.page(rel).texts(".page-link");
    assert_eq!(titles("notes/index.html"), ["Note 1", "Note 2"]);
    assert_eq!(titles("notes/page/2/index.html"), ["Note 3", "Note 4"]);
    assert_eq!(titles("notes/page/3/index.html"), ["Note 5"]);
    assert!(!t.has("notes/page/4/index.html"));
    assert!(
        !t.has("notes/page/1/index.html"),
        "page 1 is the list's own URL"
    );
    let second = t.page("notes/page/2/index.html");
    assert_eq!(second.attrs("a[rel=prev]", "href"), ["/notes/"]);
    assert_eq!(second.attrs("a[rel=next]", "href"), ["/notes/page/3/"]);
    assert_eq!(second.text(".pager [aria-current=page]"), "2");
    // Tags use the site default.
    let tag = t.page("tags/all/index.html");
    assert_eq!(tag.count("a[href^='/notes/n']"), 3, "{}", tag.source());
    assert!(t.has("tags/all/page/2/index.html"));
    let sitemap = t.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://t.example/notes/page/3/</loc>"));
}

#[test]
fn a_list_that_fits_on_one_page_has_no_pager() {
    let t = SiteTest::fixture("basic");
    t.build().success();
    assert_eq!(t.page("guides/index.html").count(".pager"), 0);
    assert!(!t.has("guides/page/2/index.html"));
}

#[test]
fn placeholder_text_in_code_stays_as_written() {
    let t = SiteTest::minimal()
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\nB.\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n[b](b.md)\n\n```\nalmanac-xref:0 href=\"almanac-xref:0\"\n```\n",
        );
    t.build().success();
    let html = t.out("a/index.html");
    assert!(html.contains("<a href=\"/b/\">b</a>"), "{html}");
    assert!(
        html.contains("almanac-xref:0 href=&quot;almanac-xref:0&quot;"),
        "{html}"
    );
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    let t = SiteTest::minimal();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["build", "--root"])
        .arg(&t.root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run");
    drop(child.stdout.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn images_beside_a_page_resolve_from_its_url() {
    let t = SiteTest::minimal()
        .file("content/notes/a.md", "+++\ntitle = \"A\"\n+++\n![map](pic.png) [plan](files/plan.pdf) [site](https://x.example/)\n")
        .file("content/notes/pic.png", "png")
        .file("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n![map](pic.png)\n");
    t.build().success();
    assert!(t.has("notes/pic.png"));
    let page = t.out("notes/a/index.html");
    assert!(page.contains("src=\"../pic.png\""), "{page}");
    assert!(page.contains("href=\"../files/plan.pdf\""), "{page}");
    assert!(page.contains("href=\"https://x.example/\""), "{page}");
    assert!(t.out("notes/index.html").contains("src=\"pic.png\""));
}

#[test]
fn jekyll_front_matter_builds_as_written() {
    let t = SiteTest::minimal().file(
        "content/posts/meetup.md",
        "---\ntitle: 第一次聚会\ndate: 2023-3-01 08:00:00 +0800\ntags: meetup  beijing\nredirect_from: /2023/03/01/meetup.html\n---\nHello.\n",
    );
    t.build().success();
    let page = t.page("posts/meetup/index.html");
    assert_eq!(
        page.attrs("time", "datetime")[..1],
        ["2023-03-01T08:00:00+08:00"]
    );
    assert!(t.has("tags/meetup/index.html") && t.has("tags/beijing/index.html"));
    assert!(
        t.out("2023/03/01/meetup.html").contains("/posts/meetup/"),
        "redirect_from makes the old URL redirect"
    );
}

#[test]
fn names_as_other_generators_write_them() {
    let t = SiteTest::minimal()
        .file(
            "content/guides/linux%e7%89%88.md",
            "+++\ntitle = \"Linux\"\n+++\nHi.\n",
        )
        .file(
            "content/posts/2023-03-01-meetup.md",
            "---\ntitle: Meetup\n---\nHi.\n",
        );
    t.build().success();
    assert!(
        t.has("guides/linux版/index.html"),
        "the name is decoded for the URL"
    );
    let page = t.page("posts/2023-03-01-meetup/index.html");
    assert_eq!(
        page.attrs("time", "datetime")[..1],
        ["2023-03-01"],
        "the date comes from the name"
    );
}

#[test]
fn raw_html_ids_and_named_anchors_are_link_targets() {
    let t = SiteTest::minimal()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n<a name=\"old-anchor\"></a>\n\n<div id=\"box\">boxed</div>\n\nText with <span id=\"inline-one\">a span</span>.\n",
        )
        .file(
            "content/b.md",
            "+++\ntitle = \"B\"\n+++\n[1](a.md#old-anchor) [2](a.md#box) [3](a.md#inline-one)\n",
        );
    t.build().success();
    t.write(
        "content/b.md",
        "+++\ntitle = \"B\"\n+++\n[x](a.md#nowhere)\n",
    );
    t.build()
        .failure(1)
        .stderr_has("broken anchor `#nowhere`")
        .stderr_has("the closest anchors there:");
}

#[test]
fn aliases_as_migrated_sites_write_them() {
    let t = SiteTest::minimal()
        .file(
            "content/wiki/borrow.md",
            "+++\ntitle = \"Borrow\"\n+++\nHi.\n",
        )
        .file(
            "content/start.md",
            "+++\ntitle = \"Start\"\naliases = [\"/wiki/\", \"/start/\"]\n+++\nHi.\n",
        );
    let run = t.build();
    run.success()
        .stderr_has("alias `/start/` of content/start.md is the page's own URL; ignored");
    // wiki/ has no page of its own: the old URL that moved there wins.
    let wiki = t.out("wiki/index.html");
    assert!(
        wiki.contains("/start/") && wiki.contains("refresh"),
        "{wiki}"
    );
    assert!(t.has("wiki/borrow/index.html"));
    assert!(!run.stdout.contains("note:"), "quiet about it by default");
    let verbose = t.run(&["build", "-v"]);
    assert!(
        verbose.stdout.contains("note: /wiki/ is the redirect of content/start.md (alias `/wiki/`), in place of the generated listing of content/wiki"),
        "{}",
        verbose.stdout
    );
    // A folder with its own _index.md keeps its page: that is a collision.
    t.write("content/wiki/_index.md", "+++\ntitle = \"Wiki\"\n+++\n");
    t.build().failure(1).stderr_has("both make the URL /wiki/");
}

#[test]
fn a_page_beside_its_folder_is_the_folders_page() {
    let t = SiteTest::minimal()
        .file(
            "content/guide.md",
            "+++\ntitle = \"The guide\"\n+++\nIntro to the guide. See [a](guide/a.md).\n",
        )
        .file(
            "content/guide/a.md",
            "+++\ntitle = \"Part A\"\n+++\nBack to [the guide](../guide.md).\n",
        )
        .file(
            "content/other.md",
            "+++\ntitle = \"Other\"\n+++\n[Guide](guide.md)\n",
        );
    t.build().success();
    let guide = t.page("guide/index.html");
    assert_eq!(guide.text("h1"), "The guide");
    assert!(guide.source().contains("Intro to the guide."));
    assert!(
        guide.attrs("a", "href").iter().any(|h| h == "/guide/a/"),
        "it lists the folder's pages"
    );
    assert!(
        t.page("other/index.html")
            .attrs("a", "href")
            .iter()
            .any(|h| h == "/guide/")
    );
    assert!(
        t.page("guide/a/index.html")
            .attrs("a", "href")
            .iter()
            .any(|h| h == "/guide/")
    ); // With the folder's own _index.md too: the error says which to keep.
    t.write("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\n");
    t.build()
        .failure(1)
        .stderr_has("content/guide/_index.md and content/guide.md both make the URL /guide/")
        .stderr_has("help: both are the page of the folder content/guide/: keep content/guide/_index.md (move the text of content/guide.md into it and delete content/guide.md), or delete content/guide/_index.md to make content/guide.md the folder's page");
}

#[test]
fn feeds_validate_with_an_independent_reader() {
    let validator = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feeds/validate.py");
    let mut sites = vec![SiteTest::example()];
    for name in ["basic", "kinds", "languages"] {
        sites.push(SiteTest::fixture(name));
    }
    // A page with its own author.
    sites[1].replace(
        "content/guides/conflict.md",
        "title = \"冲突处理指南\"",
        "title = \"冲突处理指南\"\nauthor = \"Mei\"",
    );
    for t in &sites {
        t.build().success();
        let feeds: Vec<PathBuf> = walk_xml(&t.root.join("public"));
        assert!(feeds.len() >= 3, "{feeds:?}");
        let out = std::process::Command::new("python3")
            .arg(&validator)
            .args(&feeds)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let feed = sites[1].out("atom.xml");
    assert!(feed.contains("<author><name>Mei</name></author>"), "{feed}");
}

/// Every feed under `dir` (not the sitemap).
fn walk_xml(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_xml(&p));
        } else if p.extension().is_some_and(|x| x == "xml")
            && p.file_name().is_some_and(|n| n != "sitemap.xml")
        {
            out.push(p);
        }
    }
    out
}

#[test]
fn other_generators_template_syntax_is_kept_as_text_with_one_warning() {
    let t = SiteTest::minimal().file(
        "content/guide.md",
        "(intro-label)=\n# Getting started\n\nSee {% include note.html %} and {{< ref \"x\" >}}.\n\n```{note}\nA MyST note.\n```\n\nBack to [the top](#intro-label).\n\n```\n{% raw %} in a code block is fine\n```\n",
    );
    let run = t.build();
    run.success()
        .stderr_has("warning: a Liquid/Jinja tag `{% … %}`, written for another generator, is shown as text (and 1 more in this file)\n  --> content/guide.md:4:1");
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    let page = t.page("guide/index.html");
    assert_eq!(
        page.text("main h1"),
        "Getting started",
        "the label line does not stop the title"
    );
    assert_eq!(page.attrs(".content #intro-label", "id"), ["intro-label"]);
    assert_eq!(
        page.attrs(".content a[href='#intro-label']", "href"),
        ["#intro-label"]
    );
    assert!(
        page.texts(".content p")[0].contains("{% include note.html %}"),
        "kept visible"
    );
    // Only in code: no warning.
    let t = SiteTest::minimal().file("content/x.md", "```\n{{ site.title }}\n```\n");
    let run = t.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn links_written_as_site_urls_are_checked_against_the_routes() {
    let t = SiteTest::minimal()
        .file(
            "content/wiki/borrow.md",
            "+++\ntitle = \"Borrowing\"\n+++\n\n## Ownership rules\n\nText.\n",
        )
        .file("content/guide/code-of-conduct.md", "+++\ntitle = \"CoC\"\n+++\nBe kind.\n")
        .file(
            "content/guide/join.md",
            "+++\ntitle = \"Join\"\n+++\n\nRead [borrowing](/wiki/borrow/#ownership-rules), the [code](../code-of-conduct/), the [feed](/atom.xml) and [all tags](/tags/).\n",
        );
    t.build().success();
    let page = t.page("guide/join/index.html");
    assert_eq!(
        page.attrs(".content a", "href"),
        [
            "/wiki/borrow/#ownership-rules",
            "/guide/code-of-conduct/",
            "/atom.xml",
            "/tags/"
        ],
        "a relative pretty URL is read from the page's URL, as Jekyll does"
    );
    // Broken: a page that is not there, an anchor that is not there.
    t.write(
        "content/guide/join.md",
        "+++\ntitle = \"Join\"\n+++\n\nSee [x](/wiki/borow/) and\n[y](/wiki/borrow/#ownership-rule).\n",
    );
    t.build()
        .failure(1)
        .stderr_has("error: broken link `/wiki/borow/`: no page of the site at /wiki/borow/\n  --> content/guide/join.md:5:5")
        .stderr_has("error: broken anchor `#ownership-rule` in link `/wiki/borrow/#ownership-rule`: /wiki/borrow/ has no such heading or rule\n  --> content/guide/join.md:6:1")
        .stderr_has("help: the closest anchors there: ownership-rules");
    // A migration in progress lists them and builds.
    t.append("almanac.toml", "[links]\nbroken = \"warn\"\n");
    t.build()
        .success()
        .stderr_has("warning: broken link `/wiki/borow/`");
}

#[test]
fn from_git_pages_get_updated_dates_and_edit_links() {
    let t = SiteTest::minimal()
        .file(
            "content/notes/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-06-01\n+++\nText.\n",
        )
        .file(
            "content/notes/b.md",
            "+++\ntitle = \"B\"\ndate = 2025-06-01\nupdated = 2025-07-01\n+++\nText.\n",
        );
    t.append(
        "almanac.toml",
        "repo_url = \"https://github.com/example/kb\"\nedit_branch = \"trunk\"\n",
    );
    t.git(&["init", "-q"]);
    t.git(&["add", "."]);
    t.git(&["commit", "-q", "-m", "Start"]);
    t.build().success();
    // No `updated`: the commit's date (the test's git runs at 2026-01-05).
    let a = t.page("notes/a/index.html");
    assert_eq!(
        a.attrs(".page-header time", "datetime"),
        ["2026-01-05T10:00:00+08:00"]
    );
    // `updated` wins over git.
    let b = t.page("notes/b/index.html");
    assert_eq!(b.attrs(".page-header time", "datetime"), ["2025-07-01"]);
    assert_eq!(
        a.attrs(".edit-link a", "href"),
        ["https://github.com/example/kb/edit/trunk/content/notes/a.md"]
    );
    // Turned off, the page keeps its own date.
    t.append("almanac.toml", "[git]\ndates = false\n");
    t.build().success();
    let a = t.page("notes/a/index.html");
    assert_eq!(a.attrs(".page-header time", "datetime"), ["2025-06-01"]);
}

#[test]
fn logo_and_favicon_from_config() {
    let t = SiteTest::minimal();
    t.build().success();
    let home = t.page("index.html");
    assert_eq!(
        home.count(".brand img, link[rel=icon]"),
        0,
        "nothing without them"
    );
    t.append(
        "almanac.toml",
        "logo = \"logo.svg\"\nfavicon = \"/favicon.ico\"\n",
    );
    t.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    t.run(&["build", "--base-url", "https://t.example/kb"])
        .success();
    let home = t.page("index.html");
    assert_eq!(home.attrs(".brand img", "src"), ["/kb/logo.svg"]);
    assert_eq!(home.attrs("link[rel=icon]", "href"), ["/kb/favicon.ico"]);
}

#[test]
fn markdown_inside_html_blocks_marked_markdown_1() {
    let t = SiteTest::minimal()
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n<div class=\"note\" markdown=\"1\">\n**Bold** and [b](b.md).\n</div>\n\n<div class=\"raw\">\n**not bold**\n</div>\n",
        );
    t.build().success();
    let page = t.page("a/index.html");
    assert_eq!(page.texts(".content div.note strong"), ["Bold"]);
    assert_eq!(page.attrs(".content div.note a", "href"), ["/b/"]);
    assert_eq!(
        page.count(".content div.raw strong"),
        0,
        "without the mark, HTML stays HTML"
    );
    // A broken link inside one is reported at its own line.
    t.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n<div markdown=\"1\">\nSee [c](c.md).\n</div>\n",
    );
    t.build().failure(1).stderr_has("--> content/a.md:5:5");
}
