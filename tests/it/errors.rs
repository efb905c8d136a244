//! Error cases: each with its message, its file:line:col and exit code 1,
//! and the previous output left exactly as it was.

use crate::support::SiteTest;

#[test]
fn broken_links_are_all_reported_with_file_and_line() {
    let t = SiteTest::minimal()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n\nIntro.\n\nSee [missing](nope.md) here.\n",
        )
        .file(
            "content/b.md",
            "+++\ntitle = \"B\"\n+++\n[one](@/gone.md)\n\n[two](a.md#no-such-anchor)\n",
        );
    let run = t.build();
    run.failure(1)
        .stderr_has("error: broken link `nope.md`: no page content/nope.md\n  --> content/a.md:7:5")
        .stderr_has("error: broken link `@/gone.md`: no page content/gone.md\n  --> content/b.md:4:1")
        .stderr_has("error: broken anchor `#no-such-anchor` in link `a.md#no-such-anchor`: content/a.md has no such heading or rule\n  --> content/b.md:6:1")
        .stderr_has("build failed: 3 errors");
    assert!(
        !t.root.join("public").exists(),
        "nothing written on failure"
    );
}

#[test]
fn url_collision_names_both_files() {
    let t = SiteTest::minimal()
        .file("content/guide.md", "+++\ntitle = \"One\"\n+++\n")
        .file(
            "content/other.md",
            "+++\ntitle = \"Two\"\nslug = \"guide\"\n+++\n",
        );
    t.build()
        .failure(1)
        .stderr_has("error: content/guide.md and content/other.md both make the URL /guide/\n  --> content/other.md");
}

#[test]
fn bad_toml_front_matter_points_at_line_and_column() {
    let t = SiteTest::minimal().file(
        "content/bad.md",
        "+++\ntitle = \"ok\"\ntags = [\"a\", \n+++\nbody\n",
    );
    let run = t.build();
    run.failure(1)
        .stderr_has("error: invalid front matter: unclosed array, expected `]`")
        .stderr_has("--> content/bad.md:3:13");
}

#[test]
fn bad_yaml_front_matter_points_at_line() {
    let t = SiteTest::minimal().file(
        "content/bad.md",
        "---\ntitle: ok\ntags: [a, b\ndate: 2026-01-01\n---\nbody\n",
    );
    t.build()
        .failure(1)
        .stderr_has("error: invalid front matter:")
        .stderr_has("--> content/bad.md:");
}

#[test]
fn unknown_front_matter_key_is_named_with_its_line() {
    let t = SiteTest::minimal().file("content/x.md", "+++\ntitle = \"x\"\nwriter = \"me\"\n+++\n");
    t.build()
        .failure(1)
        .stderr_has("unknown field `writer`")
        .stderr_has("--> content/x.md:3:1")
        .stderr_has("help: put custom keys under `extra`");
}

#[test]
fn unknown_keys_can_warn_or_go_to_extra() {
    let t = SiteTest::empty()
        .file("almanac.toml", "title = \"T\"\nbase_url = \"https://t.example\"\n[front_matter]\nunknown_keys = \"warn\"\n")
        .file("content/x.md", "+++\ntitle = \"x\"\nwriter = \"me\"\n+++\n");
    t.build()
        .success()
        .stderr_has("warning: unknown front matter key `writer` ignored\n  --> content/x.md:3:1");
    t.write("almanac.toml", "title = \"T\"\nbase_url = \"https://t.example\"\n[front_matter]\nunknown_keys = \"extra\"\n");
    t.write("templates/page.html", "{% extends \"default/page.html\" %}{% block body %}by {{ page.extra.writer }}{% endblock body %}");
    let run = t.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(t.out("x/index.html").contains("by me"));
}

#[test]
fn invalid_date_names_the_key() {
    let t = SiteTest::minimal().file("content/x.md", "---\ntitle: x\ndate: next tuesday\n---\n");
    t.build()
        .failure(1)
        .stderr_has("error: `date` is not a date: `next tuesday`\n  --> content/x.md:3:1");
}

#[test]
fn unclosed_front_matter() {
    let t = SiteTest::minimal().file("content/x.md", "+++\ntitle = \"x\"\n\nbody without end\n");
    t.build()
        .failure(1)
        .stderr_has("front matter opened with `+++` is never closed")
        .stderr_has("--> content/x.md:1:1");
}

#[test]
fn template_error_names_template_line_and_page() {
    let t = SiteTest::minimal()
        .file("content/x.md", "+++\ntitle = \"x\"\n+++\n")
        .file(
            "templates/page.html",
            "<p>\n{{ page.title | no_such_filter }}\n</p>\n",
        );
    t.build()
        .failure(1)
        .stderr_has("template error:")
        .stderr_has("templates/page.html:2:");
    let t = SiteTest::minimal()
        .file("content/x.md", "+++\ntitle = \"x\"\n+++\n")
        .file("templates/page.html", "<p>\n\n{{ page.title + 1 }}\n</p>\n");
    t.build()
        .failure(1)
        .stderr_has("templates/page.html:3:")
        .stderr_has("while rendering content/x.md");
}

#[test]
fn template_errors_of_every_kind_are_located() {
    let t = SiteTest::minimal()
        .file("content/x.md", "+++\ntitle = \"x\"\n+++\n")
        .file("templates/page.html", "{% extends \"nope.html\" %}\n");
    t.build()
        .failure(1)
        .stderr_has("template error: it extends `nope.html`, and there is no such template\n  --> templates/page.html:1:1");
    // Problems in two templates are two located errors, not one blob.
    let t = SiteTest::minimal()
        .file("content/x.md", "+++\ntitle = \"x\"\n+++\n")
        .file(
            "templates/page.html",
            "<p>\n{{ page.title | nope_one }}\n</p>\n",
        )
        .file(
            "templates/section.html",
            "\n\n{{ section.title | nope_two }}\n",
        );
    t.build()
        .failure(1)
        .stderr_has("template error: Unknown filter `nope_one`\n  --> templates/page.html:2:")
        .stderr_has("template error: Unknown filter `nope_two`\n  --> templates/section.html:3:")
        .stderr_has("build failed: 2 errors");
}

#[test]
fn config_errors() {
    let t = SiteTest::empty().file(
        "almanac.toml",
        "title = \"T\"\nbase_url = \"https://t.example\"\ntitel = \"x\"\n",
    );
    t.build()
        .failure(1)
        .stderr_has("unknown field `titel`")
        .stderr_has("--> almanac.toml:3:1");
    let t = SiteTest::empty();
    t.build()
        .failure(1)
        .stderr_has("no almanac.toml in")
        .stderr_has("almanac init");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let t = SiteTest::fixture("basic");
    t.build().success();
    let before = t.snapshot();
    assert!(before.len() > 10);
    t.write(
        "content/guides/conflict.md",
        "+++\ntitle = \"x\"\n+++\n[broken](nowhere.md)\n",
    );
    t.build().failure(1).stderr_has("broken link `nowhere.md`");
    assert_eq!(
        t.snapshot(),
        before,
        "the output folder is byte-for-byte as before"
    );
    t.write(
        "content/guides/conflict.md",
        "+++\ntitle = \"x\"\n+++\nfine\n",
    );
    t.write("templates/page.html", "{{ page.title | nope }}");
    t.build().failure(1);
    assert_eq!(
        t.snapshot(),
        before,
        "a template error loses nothing either"
    );
    let mut beside: Vec<String> = std::fs::read_dir(&t.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n == "public")
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [".almanac-cache", "public"],
        "nothing else is left beside the output"
    );
    let ignore = std::fs::read_to_string(t.root.join(".almanac-cache/.gitignore")).unwrap();
    assert_eq!(ignore, "*\n", "git ignores the cache");
}

#[test]
fn event_without_start_or_inverted() {
    let t = SiteTest::minimal().file("content/events/a.md", "+++\ntitle = \"Meetup\"\n+++\n");
    t.build()
        .failure(1)
        .stderr_has("error: event `Meetup` has no `start`")
        .stderr_has("--> content/events/a.md:2:1");
    let t = SiteTest::minimal().file(
        "content/events/a.md",
        "+++\ntitle = \"Meetup\"\nstart = 2026-05-01T19:00:00+08:00\nend = 2026-05-01T18:00:00+08:00\n+++\n",
    );
    t.build()
        .failure(1)
        .stderr_has("error: event `Meetup` ends before it starts")
        .stderr_has("--> content/events/a.md:4:1");
}

#[test]
fn event_time_needs_an_offset() {
    let t = SiteTest::minimal().file(
        "content/events/a.md",
        "+++\ntitle = \"Meetup\"\nstart = 2026-05-01T19:00:00\n+++\n",
    );
    t.build()
        .failure(1)
        .stderr_has("error: `start` of event `Meetup` has a time but no UTC offset\n  --> content/events/a.md:3:1")
        .stderr_has("help: write the offset, e.g. 2026-05-01T19:00:00+08:00");
}

#[test]
fn alias_cannot_escape_or_shadow() {
    let t = SiteTest::minimal()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\naliases = [\"/b/\"]\n+++\n",
        )
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\n");
    t.build()
        .failure(1)
        .stderr_has("error: content/b.md and content/a.md (alias `/b/`) both make the URL /b/\n  --> content/a.md");
    let t = SiteTest::minimal().file(
        "content/a.md",
        "+++\ntitle = \"A\"\naliases = [\"../../etc/evil\"]\n+++\n",
    );
    t.build().success();
    assert!(
        t.has("etc/evil/index.html"),
        "`..` is dropped, the redirect stays inside the output"
    );
}

#[test]
fn odd_files_are_reported_not_panicked_on() {
    let t = SiteTest::minimal()
        .file("content/empty.md", "")
        .file("content/dashes.md", "---\n---\n")
        .file("content/list.md", "---\n- a\n- b\n---\n")
        .file(
            "content/heads.md",
            "# \n\n## \n\n## ###\n\n[a](.md) [b](#)\n",
        );
    std::fs::write(t.root.join("content/gbk.md"), b"\xb3\xe5\xcd\xbb\n").unwrap();
    t.build()
        .failure(1)
        .stderr_has("error: content/gbk.md is not UTF-8 text\n  --> content/gbk.md:1:1")
        .stderr_has("error: invalid front matter: invalid type: sequence, expected a table of keys\n  --> content/list.md:2:1")
        .stderr_has("error: broken link `.md`: no page content/.md\n  --> content/heads.md:7:1")
        .stderr_has("build failed: 3 errors");
}

#[test]
fn output_folder_cannot_hold_the_site() {
    let t = SiteTest::fixture("basic");
    for out in [".", "content", "static/out", ".."] {
        let dir = t.root.join(out);
        t.run(&["build", "-o", dir.to_str().unwrap()])
            .failure(1)
            .stderr_has("it holds the site's own files");
    }
    assert!(
        t.root.join("content/guides/conflict.md").is_file(),
        "nothing was touched"
    );
}

#[test]
fn a_folder_no_build_made_is_not_replaced_without_force() {
    let t = SiteTest::fixture("basic").file("public/notes.txt", "my own notes");
    t.build()
        .failure(1)
        .stderr_has("refusing to replace")
        .stderr_has("--force");
    assert_eq!(
        std::fs::read_to_string(t.root.join("public/notes.txt")).unwrap(),
        "my own notes"
    );
    t.run(&["build", "--force"]).success();
    assert!(t.has("index.html") && !t.has("notes.txt"));
    t.build().success();
}

#[test]
fn pages_in_year_folders_are_events_without_any_index_file() {
    // No content/events/_index.md and no page directly in events/: the kind
    // still comes from the top-level folder.
    let t = SiteTest::minimal().file(
        "content/events/2026/meetup.md",
        "+++\ntitle = \"Meetup\"\n+++\n",
    );
    t.build()
        .failure(1)
        .stderr_has("error: event `Meetup` has no `start`");
}

/// Every pair of sources that would write one file is an error naming both.
#[test]
fn every_url_has_one_owner() {
    let page = |title: &str, more: &str| format!("+++\ntitle = \"{title}\"\n{more}+++\n");
    let cases: [(&[(&str, String)], &str); 5] = [
        (
            &[("content/tags/_index.md", page("Tags", ""))],
            "content/tags/_index.md and the generated tags index both make the URL /tags/\n  --> content/tags/_index.md",
        ),
        (
            &[("static/index.html", "<p>mine</p>".into())],
            "content/_index.md and static/index.html both make the URL /index.html\n  --> static/index.html",
        ),
        (
            &[
                ("content/foo.md", page("Foo", "")),
                ("content/foo/index.html", "<p>mine</p>".into()),
            ],
            "content/foo.md and content/foo/index.html both make the URL /foo/index.html",
        ),
        (
            &[
                ("content/a.md", page("A", "aliases = [\"old\"]\n")),
                ("content/b.md", page("B", "aliases = [\"/old/\"]\n")),
            ],
            "content/a.md (alias `old`) and content/b.md (alias `/old/`) both make the URL /old/\n  --> content/b.md:3:1",
        ),
        (
            &[
                ("content/notes/_index.md", page("Notes", "")),
                ("content/guides.md", page("G", "slug = \"notes\"\n")),
            ],
            "content/notes/_index.md and content/guides.md both make the URL /notes/\n  --> content/guides.md:3:1",
        ),
    ];
    for (files, message) in cases {
        let t = files
            .iter()
            .fold(SiteTest::minimal(), |t, (path, text)| t.file(path, text));
        t.build()
            .failure(1)
            .stderr_has(&format!("error: {message}"));
    }
}

#[test]
fn a_site_static_file_may_replace_a_theme_file() {
    let t = SiteTest::minimal().file("static/style.css", "body{}");
    t.build().success();
    assert_eq!(t.out("style.css"), "body{}");
}

#[test]
fn empty_slugs_and_full_url_aliases_are_errors() {
    let t = SiteTest::minimal().file("content/a.md", "+++\ntitle = \"A\"\nslug = \"\"\n+++\n");
    t.build()
        .failure(1)
        .stderr_has("error: `slug = \"\"` is not a URL segment\n  --> content/a.md:3:1")
        .stderr_has("remove it to use `a`");
    let t = SiteTest::minimal().file(
        "content/a.md",
        "+++\ntitle = \"A\"\naliases = [\"https://old.example/a/\"]\n+++\n",
    );
    t.build()
        .failure(1)
        .stderr_has("error: alias `https://old.example/a/` of content/a.md is a full URL\n  --> content/a.md:3:1");
}

#[test]
fn a_file_named_as_the_output_is_never_replaced() {
    let t = SiteTest::minimal().file("notes.txt", "precious\n");
    let out = t.root.join("notes.txt");
    let out = out.to_str().expect("utf-8");
    t.run(&["build", "-o", out])
        .failure(1)
        .stderr_has("it is a file, not a folder");
    t.run(&["build", "-o", out, "--force"])
        .failure(1)
        .stderr_has("it is a file, not a folder");
    assert_eq!(
        std::fs::read_to_string(t.root.join("notes.txt")).expect("still there"),
        "precious\n"
    );
}

#[test]
fn inputs_past_the_limits_are_named_not_slow() {
    // 100,000 nested quotes: an error at once, not minutes of sanitizing.
    let deep = format!("{} deep\n", ">".repeat(100_000));
    let t = SiteTest::minimal().file(
        "content/deep.md",
        &format!("+++\ntitle = \"d\"\n+++\n\n{deep}"),
    );
    t.write(
        "almanac.toml",
        "title = \"T\"\nbase_url = \"https://t.example\"\n[markdown]\nraw_html = \"sanitize\"\n",
    );
    t.build()
        .failure(1)
        .stderr_has("Markdown nested more than 100 levels deep")
        .stderr_has("--> content/deep.md:5:");
    // 10,000 tags on one page.
    let tags: Vec<String> = (0..10_000).map(|i| format!("\"t{i}\"")).collect();
    let t = SiteTest::minimal().file(
        "content/tagged.md",
        &format!("+++\ntitle = \"x\"\ntags = [{}]\n+++\n", tags.join(",")),
    );
    t.build()
        .failure(1)
        .stderr_has("10000 tags on one page; at most 100")
        .stderr_has("--> content/tagged.md:3:1");
}

#[test]
fn a_huge_page_is_linked_from_the_feed_not_copied_into_it() {
    let code = "x = 1\n".repeat(1_000_000);
    let t = SiteTest::minimal().file(
        "content/log.md",
        &format!("+++\ntitle = \"Log\"\ndate = 2026-01-01\n+++\nA pasted log.\n\n```\n{code}```\n"),
    );
    t.build().success();
    let feed = t.out("atom.xml");
    assert!(feed.len() < 100_000, "feed is {} bytes", feed.len());
    assert!(feed.contains("A pasted log."), "the summary is there");
    assert!(
        t.out("log/index.html").len() > 6_000_000,
        "the page itself is whole"
    );
}

#[test]
fn deleting_the_cache_loses_nothing_and_needs_no_flag() {
    let t = SiteTest::fixture("basic");
    t.build().success();
    std::fs::remove_dir_all(t.root.join(".almanac-cache")).expect("delete the cache");
    t.build().success();
    assert!(t.out("index.html").contains("<html"));
    // Without the cache, another site's output is still somebody else's folder.
    std::fs::remove_dir_all(t.root.join(".almanac-cache")).expect("delete the cache");
    let other = SiteTest::fixture("basic");
    other.write(
        "almanac.toml",
        "title = \"Other\"\nbase_url = \"https://other.example\"\n",
    );
    let theirs = t.root.join("public");
    let theirs = theirs.to_str().expect("utf-8");
    other
        .run(&["build", "-o", theirs])
        .failure(1)
        .stderr_has("refusing to replace");
}

#[test]
fn bad_values_are_refused_where_they_are_written() {
    for (base_url, says) in [
        ("", "is empty"),
        ("https://kb.example?x=1", "has a query or fragment"),
        ("https://kb.example/#f", "has a query or fragment"),
        ("https://", "is not an http(s) URL"),
        ("https:///kb", "has no host"),
    ] {
        let t = SiteTest::minimal();
        t.write(
            "almanac.toml",
            &format!("title = \"T\"\n\nbase_url = \"{base_url}\"\n"),
        );
        t.build()
            .failure(1)
            .stderr_has(says)
            .stderr_has("--> almanac.toml:3:1");
    }
    for (date, line) in [("0000-06-01", 3), ("9999-12-31T10:00:00Z", 3)] {
        let t = SiteTest::minimal().file(
            "content/events/e.md",
            &format!("+++\ntitle = \"E\"\nstart = {date}\n+++\n"),
        );
        t.build()
            .failure(1)
            .stderr_has("`start` is not a date")
            .stderr_has(&format!("--> content/events/e.md:{line}:1"));
    }
    for tag in ["..", "", "  "] {
        let t = SiteTest::minimal().file(
            "content/x.md",
            &format!("+++\ntitle = \"x\"\ntags = [\"ok\", \"{tag}\"]\n+++\n"),
        );
        t.build()
            .failure(1)
            .stderr_has(&format!("tag `{tag}` has no letters or digits"))
            .stderr_has("--> content/x.md:3:1");
    }
}

#[test]
fn broken_links_can_be_warnings_during_a_migration() {
    let t = SiteTest::minimal().file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n[gone](nope.md) [x](#nowhere)\n",
    );
    t.build().failure(1).stderr_has("broken link `nope.md`");
    t.write(
        "almanac.toml",
        "title = \"T\"\nbase_url = \"https://t.example\"\n[links]\nbroken = \"warn\"\n",
    );
    t.build()
        .success()
        .stderr_has("warning: broken link `nope.md`")
        .stderr_has("--> content/a.md:4:1");
    assert!(t.has("a/index.html"));
}

/// A slug longer than a file system takes as a name.
const LONG_SLUG: &str = concat!(
    "+++\ntitle = \"x\"\nslug = \"",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "\"\n+++\n"
);

/// One malformed input: the file to write (relative to the site root),
/// its text, and where the error must point (`file` or `file:line`).
struct Bad(&'static str, &'static str, &'static str);

/// Every case fails the build with exit 1, names its file (and line where
/// there is one), panics nowhere, and leaves the last good output as it was.
#[test]
fn malformed_inputs_fail_cleanly_and_keep_the_previous_output() {
    const CONFIG: &str = "almanac.toml";
    const OK_CONFIG: &str =
        "title = \"Fixture KB\"\nbase_url = \"https://kb.example\"\nlanguage = \"en\"\n";
    let config = |extra: &'static str| -> &'static str {
        Box::leak(format!("{OK_CONFIG}{extra}").into_boxed_str())
    };
    let hundred_and_one_tags: &'static str = Box::leak(
        format!(
            "+++\ntitle = \"x\"\ntags = [{}]\n+++\n",
            (0..101)
                .map(|i| format!("\"t{i}\""))
                .collect::<Vec<_>>()
                .join(",")
        )
        .into_boxed_str(),
    );
    let deep: &'static str =
        Box::leak(format!("+++\ntitle = \"x\"\n+++\n{} deep\n", ">".repeat(150)).into_boxed_str());
    let cases = [
        // almanac.toml
        Bad(CONFIG, "title = \"T\"\nbase_url = \"\"\n", "almanac.toml:2"),
        Bad(
            CONFIG,
            "title = \"T\"\nbase_url = \"https://a.org/?x=1\"\n",
            "almanac.toml:2",
        ),
        Bad(
            CONFIG,
            "title = \"T\"\nbase_url = \"ftp://a.org\"\n",
            "almanac.toml:2",
        ),
        Bad(
            CONFIG,
            "title = \"T\"\nbase_url = \"https://a.org\"\ntitel = 1\n",
            "almanac.toml:3",
        ),
        Bad(
            CONFIG,
            "title = \"T\nbase_url = \"https://a.org\"\n",
            "almanac.toml:1",
        ),
        Bad(CONFIG, "base_url = \"https://a.org\"\n", "almanac.toml"),
        Bad(CONFIG, config("slugify = \"pinyin\"\n"), "almanac.toml:4"),
        Bad(
            CONFIG,
            config("[markdown]\nraw_html = \"maybe\"\n"),
            "almanac.toml:5",
        ),
        Bad(CONFIG, config("paginate_by = -1\n"), "almanac.toml:4"),
        Bad(
            CONFIG,
            config("[languages.de]\nprefix = \"a/b\"\n"),
            "almanac.toml",
        ),
        Bad(
            CONFIG,
            config("[languages.de]\nprefix = \"x\"\n[languages.fr]\nprefix = \"x\"\n"),
            "almanac.toml",
        ),
        Bad(CONFIG, config("theme = \"nowhere\"\n"), "almanac.toml"),
        Bad(
            CONFIG,
            config("[feeds]\nlimit = \"ten\"\n"),
            "almanac.toml:5",
        ),
        Bad("i18n/en.toml", "tags = [\n", "i18n/en.toml"),
        Bad("i18n/en.toml", "date_format = \"%Q\"\n", "i18n/en.toml:1"),
        // front matter
        Bad("content/x.md", "+++\ntitle = \"x\"\n", "content/x.md:1"),
        Bad("content/x.md", "---\ntitle: x\n", "content/x.md:1"),
        Bad("content/x.md", "+++\ntitle = x\n+++\n", "content/x.md:2"),
        Bad("content/x.md", "---\ntitle: [x\n---\n", "content/x.md:"),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\nauthr = 1\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "---\ntitle: x\ntags: [a]\ntitle: y\n---\n",
            "content/x.md:4",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\ndate = \"next week\"\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\ndate = 0000-01-01\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\ntags = 5\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\ntags = [\"..\"]\n+++\n",
            "content/x.md:3",
        ),
        Bad("content/x.md", hundred_and_one_tags, "content/x.md:3"),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\nslug = \"/\"\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\ndraft = \"yes\"\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\naliases = [\"https://a.org/x\"]\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\naliases = [\"/\"]\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\ntranslated_from = 5\n+++\n",
            "content/x.md:3",
        ),
        Bad(
            "content/guides/_index.md",
            "+++\nkind = \"wiki\"\n+++\n",
            "content/guides/_index.md:2",
        ),
        Bad(
            "content/guides/_index.md",
            "+++\nsort_by = \"size\"\n+++\n",
            "content/guides/_index.md:2",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\naliases = [\"/old/note/\"]\n+++\n",
            "content/",
        ),
        Bad(
            "content/guides/x.md",
            "+++\ntitle = \"x\"\nslug = \"conflict\"\n+++\n",
            "content/guides/x.md:3",
        ),
        // the body and links
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\n+++\n[a](nowhere.md)\n",
            "content/x.md:4",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\n+++\n[a](guides/conflict.md#nowhere)\n",
            "content/x.md:4",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\n+++\n[a](../../outside.md)\n",
            "content/x.md:4",
        ),
        Bad(
            "content/x.md",
            "+++\ntitle = \"x\"\n+++\n[a](/no/such/page/)\n",
            "content/x.md:4",
        ),
        Bad("content/x.md", deep, "content/x.md:4"),
        Bad("content/x.md", LONG_SLUG, "content/x.md:3"),
        // events and rules
        Bad(
            "content/events/e.md",
            "+++\ntitle = \"e\"\n+++\n",
            "content/events/e.md",
        ),
        Bad(
            "content/events/e.md",
            "+++\ntitle = \"e\"\nstart = 2026-05-02\nend = 2026-05-01\n+++\n",
            "content/events/e.md:4",
        ),
        Bad(
            "content/events/e.md",
            "+++\ntitle = \"e\"\nstart = 2026-05-02T19:00:00\n+++\n",
            "content/events/e.md:3",
        ),
        Bad(
            "content/rules/r.md",
            "+++\ntitle = \"r\"\n[[history]]\ndate = \"someday\"\n+++\n",
            "content/rules/r.md:4",
        ),
        // templates and static files
        Bad(
            "templates/page.html",
            "{% extends \"default/page.html\" %}{% block body %}{{ page.title {% endblock body %}",
            "templates/page.html",
        ),
        Bad(
            "templates/section.html",
            "{{ section.nothing.here }}",
            "section.html",
        ),
        Bad(
            "static/guides/conflict/index.html",
            "<p>mine</p>",
            "static/guides/conflict/index.html",
        ),
    ];
    assert!(cases.len() >= 45, "{} cases", cases.len());
    let t = SiteTest::fixture("basic");
    t.write(CONFIG, OK_CONFIG);
    t.build().success();
    let good = t.snapshot();
    for Bad(file, text, at) in cases {
        let path = t.root.join(file);
        let before = std::fs::read(&path).ok();
        t.write(file, text);
        let run = t.build();
        assert_eq!(
            run.code, 1,
            "{file} {text:?}: exit {}\n{}",
            run.code, run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {at}")) || run.stderr.contains(at),
            "{file} {text:?}: error not at {at}\n{}",
            run.stderr
        );
        assert!(
            t.snapshot() == good,
            "{file} {text:?}: the previous output changed"
        );
        match before {
            Some(bytes) => std::fs::write(&path, bytes).expect("restore"),
            None => std::fs::remove_file(&path).expect("remove"),
        }
    }
    // Not UTF-8.
    std::fs::write(t.root.join("content/gbk.md"), b"\xb3\xe5\xcd\xbb\n").expect("write");
    t.build().failure(1).stderr_has("--> content/gbk.md:1:1");
    assert!(t.snapshot() == good);
}

#[test]
fn a_file_that_fails_to_parse_is_reported_alone_not_with_its_broken_links() {
    let t = SiteTest::minimal()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\nSee [b](b.md) and [b again](b.md#x).\n",
        )
        .file("content/b.md", "+++\ntitle = \"broken\n+++\n")
        .file("content/c.md", "+++\ntitle = \"C\"\n+++\n[gone](gone.md)\n");
    let run = t.build();
    run.failure(1)
        .stderr_has("error: invalid front matter")
        .stderr_has("build failed: 2 errors");
    assert!(!run.stderr.contains("`b.md`"), "{}", run.stderr);
    // Root causes first: the file that failed, then the broken link.
    let parse = run.stderr.find("content/b.md").expect("b named");
    let link = run
        .stderr
        .find("broken link `gone.md`")
        .expect("c's own broken link");
    assert!(parse < link, "{}", run.stderr);
}
