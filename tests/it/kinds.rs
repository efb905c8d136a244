//! Knowledge-base kinds: playbooks, rules with history, FAQs, events and calendars.

use icalendar::{
    Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike,
};

use crate::support::{SiteTest, main_of, xml};

/// The JSON-LD of a page, as written.
fn json_ld_source(html: &str) -> &str {
    let open = r#"<script type="application/ld+json">"#;
    let start = html.find(open).expect("json-ld") + open.len();
    let end = start + html[start..].find("</script>").expect("end");
    &html[start..end]
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    serde_json::from_str(json_ld_source(html)).expect("valid JSON")
}

fn built() -> SiteTest {
    let t = SiteTest::fixture("kinds");
    t.build().success();
    t
}

#[test]
fn playbook_header_steps_and_tasks() {
    let t = built();
    let page = t.page("playbooks/setup/index.html");
    let terms = page.texts("dl div dt");
    let values = page.texts("dl div dd");
    let facts: Vec<(&str, &str)> = terms
        .iter()
        .map(String::as_str)
        .zip(values.iter().map(String::as_str))
        .collect();
    assert!(facts.contains(&("Duration", "2 hours")), "{facts:?}");
    assert!(facts.contains(&("Roles", "host · greeter")), "{facts:?}");
    assert_eq!(
        page.attrs("a[href*='house-rules']", "href"),
        ["/rules/house-rules/#rule-2"],
        "prerequisite links resolve"
    );
    assert_eq!(
        page.texts("ol.steps > li.step"),
        ["Open the room.", "Set out chairs.", "Greet people."]
    );
    assert_eq!(
        page.attrs("ol.steps > li", "id"),
        ["step-1", "step-2", "step-3"]
    );
    assert_eq!(
        page.attrs("[data-check]", "data-check"),
        ["1", "2", "3", "4", "5"]
    );
    assert_eq!(page.count("input.check[type=checkbox]"), 2);
    assert_eq!(
        page.count("input.check[checked]"),
        1,
        "a done task starts ticked"
    );
    assert_eq!(
        page.attrs("[data-checklist='/playbooks/setup/'][hidden]", "data-total"),
        ["5"],
        "progress bar stays hidden without JavaScript"
    );
    assert!(t.out("style.css").contains("@media print"));
}

#[test]
fn broken_prerequisite_link_is_an_error() {
    let t = SiteTest::fixture("kinds");
    t.write(
        "content/playbooks/setup.md",
        "+++\ntitle = \"S\"\nprerequisites = [\"Read [this](../rules/nope.md)\"]\n+++\n1. Step\n",
    );
    t.build()
        .failure(1)
        .stderr_has("broken link `../rules/nope.md`")
        .stderr_has("--> content/playbooks/setup.md:3:1");
}

#[test]
fn rules_get_stable_numbered_anchors() {
    let t = built();
    let page = t.page("rules/house-rules/index.html");
    assert_eq!(page.attrs("li.rule", "id"), ["rule-1", "rule-2", "rule-3"]);
    assert_eq!(
        page.attrs("li.rule a.rule-num", "href"),
        ["#rule-1", "#rule-2", "#rule-3"]
    );
    assert_eq!(page.texts("li#rule-1 a.rule-num"), ["1"]);
    assert_eq!(
        page.attrs("ol.rules", "start"),
        ["1", "3"],
        "numbering continues across lists"
    );
    assert!(
        !page.source().contains("rule-4"),
        "nested items are not rules"
    );
    let headings = t.page("rules/heading-rules/index.html");
    assert_eq!(headings.attrs("h2.rule", "id"), ["rule-1", "rule-2"]);
    assert!(headings.text("h2#rule-1").starts_with("1 Respect"));
    assert_eq!(
        headings.count("span#respect + h2#rule-1"),
        1,
        "the heading's own anchor still leads to it"
    );
}

#[test]
fn rules_show_version_and_history_newest_first() {
    let t = built();
    let page = t.page("rules/house-rules/index.html");
    assert_eq!(
        page.texts(".version"),
        ["Version 2.0", "v2.0", "v1.0"],
        "the current version, then each history entry's"
    );
    assert!(
        page.texts("span")
            .contains(&"In force since 2026-03-01".to_string()),
        "{:?}",
        page.texts("span")
    );
    let html = page.source();
    let newer = html.find("Added rule 3").expect("newer entry");
    let older = html.find("First version").expect("older entry");
    assert!(newer < older, "newest first");
}

#[test]
fn rule_changes_feed() {
    let t = built();
    let feed = t.out("rules/changes.xml");
    let doc = xml(&feed);
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.descendants()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
        })
        .collect();
    assert_eq!(
        titles,
        [
            "House rules v2.0: Added rule 3",
            "House rules v1.0: First version"
        ]
    );
}

#[test]
fn rules_history_from_git_shows_what_changed() {
    let t = SiteTest::fixture("kinds");
    t.write("almanac.toml", "title = \"Kinds\"\nbase_url = \"https://kinds.example\"\n[rules]\nhistory_from_git = true\n");
    // Without a repository the option is harmless.
    t.build().success();
    t.git(&["init", "-q"]);
    t.git(&["add", "."]);
    t.git(&["commit", "-q", "-m", "Adopt house rules"]);
    let rules = "+++\ntitle = \"House rules\"\n+++\n1. Be kind to everyone.\n2. No spam.\n3. Clean up after yourself.\n4. Leave by ten.\n";
    t.write("content/rules/house-rules.md", rules);
    t.git(&["commit", "-q", "-am", "Reword rule 1, add rule 4"]);
    t.write(
        "content/rules/house-rules.md",
        &rules.replace("+++\n1.", "+++\nFor every space we use.\n\n1."),
    );
    t.git(&["commit", "-q", "-am", "Add an intro line"]);
    t.build().success();
    let page = t.out("rules/house-rules/index.html");
    assert!(
        !page.contains("Add an intro line"),
        "a revision that changes no rule is left out"
    );
    assert!(
        page.contains("Adopt house rules"),
        "the adoption shows when the page declares no history"
    );
    let html = t.out("rules/house-rules/index.html");
    let history = &html[html.find("<section class=\"history\"").expect("history")..];
    assert!(history.contains("Reword rule 1, add rule 4"), "{history}");
    assert!(
        history.contains(
            r#"<li class="change-reworded"><span class="change-kind">reworded</span> #1:"#
        ),
        "{history}"
    );
    assert!(
        history.contains(
            r#"<span class="inline-diff">Be <del>kind.</del><ins>kind to everyone.</ins></span>"#
        ),
        "{history}"
    );
    assert!(
        history.contains(r#"<span class="inline-diff">Clean up after yourself.<del> nested items are not rules</del></span>"#),
        "nested items are part of their rule's text: {history}"
    );
    assert_eq!(
        history.matches("change-added").count(),
        1,
        "the first revision lists no changes: {history}"
    );
    assert!(
        history.contains(r#"<span class="change-kind">added</span> #4:"#),
        "{history}"
    );
    let feed = t.out("rules/changes.xml");
    assert!(
        xml(&feed)
            .descendants()
            .any(|n| n.text() == Some("House rules: Reword rule 1, add rule 4")),
        "{feed}"
    );
}

#[test]
fn faq_questions_anchors_and_json_ld() {
    let t = built();
    let page = t.page("faq/general/index.html");
    assert_eq!(
        page.attrs("a[href^='#']", "href")
            .into_iter()
            .filter(|h| h != "#main" && h != "#top")
            .collect::<Vec<_>>()[..2],
        ["#how-do-i-join", "#活动收费吗"],
        "the question list links each question"
    );
    assert_eq!(page.attrs("h2", "id")[..2], ["how-do-i-join", "活动收费吗"]);
    let value = json_ld(page.source());
    assert_eq!(
        value,
        serde_json::json!({
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "name": "General FAQ",
            "mainEntity": [
                { "@type": "Question", "name": "How do I join?",
                  "acceptedAnswer": { "@type": "Answer", "text": "Say hello in the main group." } },
                { "@type": "Question", "name": "活动收费吗？",
                  "acceptedAnswer": { "@type": "Answer", "text": "不收费。材料费分摊。" } },
            ],
        })
    );
}

#[test]
fn an_answer_that_writes_markup_cannot_end_the_json_ld_early() {
    let t = SiteTest::fixture("kinds");
    t.write(
        "content/faq/embed.md",
        "+++\ntitle = \"Embeds\"\nkind = \"faq\"\n+++\n\n## Can I paste a widget?\n\nNot `</script><!--` nor `</p>`.\n",
    );
    t.build().success();
    let html = t.out("faq/embed/index.html");
    let value = json_ld(&html);
    assert_eq!(
        value["mainEntity"][0]["acceptedAnswer"]["text"],
        "Not </script><!-- nor </p>."
    );
    let script = json_ld_source(&html);
    assert!(
        script.contains(r"Not \u003c/script>\u003c!-- nor \u003c/p>."),
        "{script}"
    );
}

#[test]
fn events_upcoming_before_past_by_year() {
    let t = built();
    let html = t.out("events/index.html");
    let main = main_of(&html);
    let pos = |s: &str| main.find(s).unwrap_or_else(|| panic!("{s} missing"));
    let order = [
        pos(r#"<h2 id="upcoming-heading">Upcoming events</h2>"#),
        pos("Online workshop"),
        pos("New year gathering"),
        pos(r#"<h2 id="past-heading">Past events</h2>"#),
        pos(r#"<h3 id="year-2026">2026</h3>"#),
        pos("March meetup"),
        pos(r#"<h3 id="year-2025">2025</h3>"#),
        pos("Old picnic"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{main}");
    // The year folder is its own archive page.
    assert!(t.out("events/2025/index.html").contains("Old picnic"));
    // The home page shows what is next.
    let home = t.out("index.html");
    let upcoming = &home[home.find("upcoming-heading").expect("upcoming")
        ..home.find("recent-heading").expect("recent")];
    assert!(
        upcoming.contains("Online workshop") && upcoming.contains("New year gathering"),
        "{upcoming}"
    );
    assert!(
        !upcoming.contains("Old picnic") && !upcoming.contains("March meetup"),
        "{upcoming}"
    );
}

#[test]
fn now_moves_events_from_upcoming_to_past() {
    let t = SiteTest::fixture("kinds");
    t.run(&["build", "--now", "2027-06-01"]).success();
    let main = main_of(&t.out("events/index.html")).to_string();
    let past = main.find(r#"<h2 id="past-heading">"#).expect("past");
    assert!(
        main.find("New year gathering").expect("event") > past,
        "{main}"
    );
    assert!(main.contains(r#"<h3 id="year-2027">2027</h3>"#));
}

fn calendar(t: &SiteTest, path: &str) -> Calendar {
    let text = t.out(path);
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "lines end in CRLF"
    );
    let unfolded = icalendar::parser::unfold(&text);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("parses");
    Calendar::from(parsed)
}

fn only_event(cal: &Calendar) -> &icalendar::Event {
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(CalendarComponent::as_event)
        .collect();
    assert_eq!(events.len(), 1);
    events[0]
}

fn utc(s: &str) -> DatePerhapsTime {
    let dt = chrono::DateTime::parse_from_rfc3339(s)
        .expect("date")
        .to_utc();
    DatePerhapsTime::DateTime(CalendarDateTime::Utc(dt))
}

#[test]
fn ics_converts_offsets_to_utc() {
    let t = built();
    let cal = calendar(&t, "events/past-meetup.ics");
    let ev = only_event(&cal);
    assert_eq!(
        ev.get_start(),
        Some(utc("2026-03-14T11:00:00Z")),
        "19:00 at +08:00 is 11:00 UTC"
    );
    assert_eq!(ev.get_end(), Some(utc("2026-03-14T13:00:00Z")));
    assert_eq!(ev.get_summary(), Some("March meetup"));
    assert_eq!(ev.get_uid(), Some("events/past-meetup@kinds.example"));
    assert_eq!(ev.get_location(), Some("Room 2, Riverside Hall"));
    assert!(
        ev.get_description()
            .unwrap_or("")
            .contains("need folding in the calendar file")
    );
    let online = calendar(&t, "events/online-utc.ics");
    assert_eq!(
        only_event(&online).get_start(),
        Some(utc("2026-12-01T12:00:00Z"))
    );
}

#[test]
fn ics_all_day_events_are_dates_with_exclusive_end() {
    let t = built();
    let text = t.out("events/all-day.ics");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//almanac//almanac "));
    assert!(text.contains("DTSTART;VALUE=DATE:20270110\r\n"));
    assert!(
        text.contains("DTEND;VALUE=DATE:20270112\r\n"),
        "two days: the end is the day after the last"
    );
    assert!(
        text.contains("LOCATION:The hall\\; bring tea\\, cups\r\n"),
        "text is escaped"
    );
    let cal = calendar(&t, "events/all-day.ics");
    let day =
        |d: &str| DatePerhapsTime::Date(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    assert_eq!(only_event(&cal).get_start(), Some(day("2027-01-10")));
    assert_eq!(
        only_event(&cal).get_location(),
        Some("The hall; bring tea, cups")
    );
}

#[test]
fn site_calendar_has_every_event() {
    let t = built();
    let cal = calendar(&t, "events.ics");
    let mut uids: Vec<&str> = cal
        .components
        .iter()
        .filter_map(CalendarComponent::as_event)
        .filter_map(|e| e.get_uid())
        .collect();
    uids.sort();
    assert_eq!(
        uids,
        [
            "events/2025/old@kinds.example",
            "events/all-day@kinds.example",
            "events/online-utc@kinds.example",
            "events/past-meetup@kinds.example"
        ]
    );
    let html = t.out("events/past-meetup/index.html");
    assert!(html.contains(
        r#"<a class="button" href="/events/past-meetup.ics" download>Add to calendar</a>"#
    ));
}

#[test]
fn event_json_ld() {
    let t = built();
    let html = t.out("events/online-utc/index.html");
    let v = json_ld(&html);
    assert_eq!(v["@type"], "Event");
    assert_eq!(v["startDate"], "2026-12-01T12:00:00+00:00");
    assert_eq!(v["endDate"], "2026-12-01T13:30:00+00:00");
    assert_eq!(
        v["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(
        v["location"],
        serde_json::json!({"@type": "VirtualLocation", "url": "https://meet.example/room"})
    );
    let html = t.out("events/past-meetup/index.html");
    let v = json_ld(&html);
    assert_eq!(v["startDate"], "2026-03-14T19:00:00+08:00");
    assert_eq!(v["location"]["@type"], "Place");
    assert_eq!(
        v["organizer"][1],
        serde_json::json!({"@type": "Organization", "name": "Events group"})
    );
}

#[test]
fn year_archives_without_year_folders() {
    let t = built();
    // 2025 has its own folder; 2026 and 2027 get generated archive pages.
    let y2026 = t.out("events/2026/index.html");
    let main = main_of(&y2026);
    assert!(main.contains("<h1>events · 2026</h1>"), "{main}");
    assert!(
        main.contains("March meetup") && main.contains("Online workshop"),
        "{main}"
    );
    assert!(
        !main.contains("Old picnic") && !main.contains("New year gathering"),
        "{main}"
    );
    assert!(
        t.out("events/2027/index.html")
            .contains("New year gathering")
    );
    let events = t.out("events/index.html");
    assert!(
        events.contains(
            r#"<a class="tag" href="/events/2026/">2026 <span class="count">2</span></a>"#
        )
    );
    assert!(
        t.out("sitemap.xml")
            .contains("<loc>https://kinds.example/events/2027/</loc>")
    );
}

#[test]
fn events_show_when_not_reading_time() {
    let t = built();
    let event = t.page("events/online-utc/index.html");
    assert!(
        !event.source().contains("min read"),
        "an event is attended, not read"
    );
    assert_eq!(
        event.count(".event-facts .time-range time"),
        2,
        "start and end keep together"
    );
    assert!(t.out("playbooks/setup/index.html").contains("min read"));
}

#[test]
fn lists_show_the_date_they_sort_by() {
    let t = crate::support::SiteTest::minimal()
        .file("content/events/_index.md", "+++\nkind = \"event\"\n+++\n")
        // Published in the opposite order to when they happen.
        .file(
            "content/events/a.md",
            "+++\ntitle = \"Early\"\ndate = 2026-03-01\nstart = 2026-04-01\n+++\n",
        )
        .file(
            "content/events/b.md",
            "+++\ntitle = \"Late\"\ndate = 2026-01-01\nstart = 2026-06-01\n+++\n",
        )
        .file(
            "content/events/c.md",
            "+++\ntitle = \"Coming\"\ndate = 2026-11-01\nstart = 2026-12-24\nend = 2026-12-24\n+++\n",
        )
        .file(
            "content/notes/n.md",
            "+++\ntitle = \"Note\"\ndate = 2025-01-01\nupdated = 2026-10-01\n+++\n",
        )
        .file("content/notes/m.md", "+++\ntitle = \"Older note\"\ndate = 2026-02-01\n+++\n");
    t.build().success();
    // Previous/next follow when events happen, not when they were posted.
    let late = t.page("events/b/index.html");
    let neighbours = late.attrs("a[rel=prev], a[rel=next]", "href");
    assert_eq!(
        neighbours,
        ["/events/c/", "/events/a/"],
        "between the events before and after it"
    );
    // Recently updated: by `updated`, then `date`, showing that date; the
    // upcoming event is in the upcoming list only.
    let home = t.page("index.html");
    let recent: Vec<String> = home.texts("section[aria-labelledby=recent-heading] .page-link");
    assert_eq!(recent, ["Note", "Early", "Older note", "Late"]);
    let dates = home.texts("section[aria-labelledby=recent-heading] time");
    assert_eq!(
        dates,
        ["2026-10-01", "2026-03-01", "2026-02-01", "2026-01-01"]
    );
    // A section sorts by the date it shows.
    let notes = t.page("notes/index.html");
    assert_eq!(notes.texts(".page-list .page-link"), ["Note", "Older note"]);
}

#[test]
fn git_history_reads_as_history() {
    let t = crate::support::SiteTest::minimal()
        .file("content/rules/_index.md", "+++\nkind = \"rules\"\n+++\n")
        .file(
            "content/rules/r.md",
            "+++\ntitle = \"R\"\neffective = 2026-01-01\nupdated = 2025-12-01\n+++\n1. Be kind.\n2. No spam.\n",
        );
    t.append("almanac.toml", "[rules]\nhistory_from_git = true\n");
    t.git(&["init", "-q"]);
    t.git(&["add", "."]);
    t.git(&["commit", "-q", "-m", "Start"]);
    t.replace("content/rules/r.md", "Be kind.", "Be kind to everyone.");
    t.git(&["commit", "-q", "-am", "content/rules/r.md: reword rule 1"]);
    t.replace(
        "content/rules/r.md",
        "No spam.",
        "No spam, in channels or DMs.",
    );
    t.git(&[
        "commit",
        "-q",
        "-am",
        "rules: tweak",
        "-m",
        "History: Rule 2 now covers direct messages",
    ]);
    t.build().success();
    let page = t.page("rules/r/index.html");
    let summaries = page.texts(".history-list > li > .summary");
    assert!(
        summaries.contains(&"reword rule 1".to_string()),
        "a path prefix is dropped: {summaries:?}"
    );
    assert!(
        summaries.contains(&"Rule 2 now covers direct messages".to_string()),
        "a History: trailer is what readers see: {summaries:?}"
    );
    assert_eq!(
        page.count("ol.history-list"),
        0,
        "no numbers beside rule numbers"
    );
    // "Updated" is the latest revision, found in git, though front matter says earlier.
    assert_eq!(
        page.attrs(".page-header time", "datetime"),
        ["2026-01-05T10:00:00+08:00"]
    );
}

/// Text that looks like markup: entities, quotes, tags, the ends of a
/// script, a comment and a CDATA section; and a control character, once
/// TOML reads its `\u0007`.
const MARKUP: &str = r#"A&B <i>"q"</i> 'x' </script><!-- ]]> --> \u0007 中文"#;

#[test]
fn text_that_looks_like_markup_stays_text_in_every_output() {
    let t = SiteTest::fixture("kinds");
    t.append("almanac.toml", "\n[search]\nenabled = true\n");
    // The same text in every field a reader sees: titles, tags, a
    // description, a question, an event's place and organizers, a
    // rule's history, a heading and the body.
    // In TOML basic strings, where \u0007 is the control character.
    let field = MARKUP.replace('"', "\\\"");
    // Markdown that writes the same as text, not as raw HTML.
    let body = "## A&B \\<i>\"q\"\\</i> \\</script>\\<!-- ]]>\n\nA&B \\<i>\"q\"\\</i> 'x' \\</script>\\<!-- ]]> -->\n";
    t.write(
        "content/faq/markup.md",
        &format!("+++\ntitle = \"{field}\"\ndescription = \"{field}\"\ntags = [\"{field}\"]\nkind = \"faq\"\n+++\n\n{body}"),
    );
    t.write(
        "content/events/markup.md",
        &format!("+++\ntitle = \"{field}\"\nstart = 2026-12-01T19:00:00+08:00\nlocation = \"{field}\"\norganizers = [\"{field}\"]\ntags = [\"{field}\"]\n+++\n\n{body}"),
    );
    t.write(
        "content/rules/markup.md",
        &format!("+++\ntitle = \"{field}\"\neffective = 2026-03-01\n\n[[history]]\ndate = 2026-03-01\nsummary = \"{field}\"\n+++\n\n1. {body}"),
    );
    t.build().success();
    let shown = "A&B <i>\"q\"</i> 'x' </script><!-- ]]> -->";
    let mut checked = std::collections::BTreeMap::<String, usize>::new();
    for (rel, bytes) in t.snapshot() {
        let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let ext = rel.rsplit('.').next().unwrap_or("").to_string();
        match ext.as_str() {
            "html" => {
                // Escaped wherever it is, text or attribute (a <title>
                // would show it as text even unescaped: RCDATA).
                assert!(!text.contains(r#"<i>"q"</i>"#), "{rel}: markup let through");
                if text.contains("application/ld+json") {
                    json_ld(&text);
                }
            }
            "xml" => {
                xml(&text);
            }
            "json" => {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{rel}: invalid JSON: {e}"));
            }
            "ics" => {
                text.parse::<Calendar>()
                    .unwrap_or_else(|e| panic!("{rel}: invalid iCalendar: {e}"));
                // RFC 5545: no control character but tab in a value.
                let control = text
                    .lines()
                    .flat_map(|line| line.trim_end_matches('\r').chars());
                let control: Vec<char> = control.filter(|&c| c.is_control() && c != '\t').collect();
                assert!(control.is_empty(), "{rel}: {control:?}");
            }
            _ => continue,
        }
        *checked.entry(ext).or_default() += 1;
    }
    assert!(checked.len() >= 4, "{checked:?}");
    for page in [
        "faq/markup/index.html",
        "events/markup/index.html",
        "rules/markup/index.html",
    ] {
        let page = t.page(page);
        assert!(
            page.text("title").starts_with(shown),
            "{}",
            page.text("title")
        );
        assert!(page.text("h1").starts_with(shown), "{}", page.text("h1"));
    }
    let faq = t.page("faq/markup/index.html");
    assert!(
        faq.attrs("meta[name=description]", "content")[0].starts_with(shown),
        "{:?}",
        faq.attrs("meta[name=description]", "content")
    );
    let question = "A&B <i>\"q\"</i> </script><!-- ]]>";
    let headings = faq.texts("main h2");
    assert!(
        headings.iter().any(|h| h.starts_with(question)),
        "{headings:?}"
    );
}
