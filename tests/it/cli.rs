//! The command line as a user runs it.

use crate::support::SiteTest;

#[test]
fn init_makes_a_site_that_builds() {
    let t = SiteTest::empty();
    t.run(&["init"]).success();
    let run = t.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(t.has("playbooks/welcome-a-newcomer/index.html"));
    assert!(t.has("events/first-meetup.ics"));
    // New sites have search, as Zola's init offers it.
    assert!(t.has("search/meta.json"));
    assert!(t.out("index.html").contains("search.js"));
    assert_eq!(
        std::fs::read_to_string(t.root.join(".gitignore")).unwrap(),
        "public/\n"
    );
    // Publishing workflows, ready to push: each installs this version of
    // almanac --locked, builds with the host's URL and publishes public/.
    let read = |rel: &str| -> serde_norway::Value {
        let text = std::fs::read_to_string(t.root.join(rel)).expect("workflow written");
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}"))
    };
    let version = env!("CARGO_PKG_VERSION");
    let github = read(".github/workflows/pages.yml");
    assert_eq!(github["env"]["ALMANAC_VERSION"].as_str(), Some(version));
    let steps: Vec<String> = github["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["uses"].as_str().unwrap_or(""),
                s["run"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        steps
            .iter()
            .any(|s| s.contains("cargo install almanac --version \"$ALMANAC_VERSION\" --locked")),
        "{steps:?}"
    );
    assert!(
        steps.iter().any(|s| s.contains("almanac build --base-url")),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s.contains("actions/upload-pages-artifact")),
        "{steps:?}"
    );
    let gitlab = read(".gitlab-ci.yml");
    assert_eq!(
        gitlab["pages"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );
    assert_eq!(
        gitlab["pages"]["variables"]["ALMANAC_VERSION"].as_str(),
        Some(version)
    );
    t.run(&["init"])
        .failure(1)
        .stderr_has("already has an almanac.toml");
}

#[test]
fn new_creates_a_page_of_the_kind() {
    let t = SiteTest::minimal();
    let run = t.run(&["new", "event", "冬季聚会"]);
    run.success();
    let text = std::fs::read_to_string(t.root.join("content/events/冬季聚会.md")).expect("created");
    assert!(text.contains("title = \"冬季聚会\""));
    assert!(text.contains("start = "));
    t.build().success();
    assert!(t.has("events/冬季聚会/index.html"));
    t.run(&["new", "event", "冬季聚会"])
        .failure(1)
        .stderr_has("already exists");
    t.run(&["new", "playbook", "Greet newcomers"]).success();
    t.run(&["new", "rules", "House rules"]).success();
    t.run(&["new", "faq", "Questions"]).success();
    t.build().success();
}

#[test]
fn check_reports_without_writing() {
    let t = SiteTest::minimal().file("content/a.md", "+++\ntitle = \"A\"\n+++\n[x](b.md)\n");
    t.run(&["check"])
        .failure(1)
        .stderr_has("broken link `b.md`");
    assert!(!t.root.join("public").exists());
    t.write("content/b.md", "+++\ntitle = \"B\"\n+++\n");
    t.run(&["check"]).success();
    assert!(!t.root.join("public").exists());
}

#[test]
fn usage_errors_exit_2_and_help_works() {
    let t = SiteTest::minimal();
    t.run(&["build", "--no-such-flag"]).failure(2);
    t.run(&["frobnicate"]).failure(2);
    t.run(&["build", "--now", "tomorrow"])
        .failure(2)
        .stderr_has("not a date");
    t.run(&["new", "essay", "x"])
        .failure(2)
        .stderr_has("unknown kind");
    for cmd in ["build", "init", "check", "new"] {
        let run = t.run(&[cmd, "--help"]);
        run.success();
        assert!(run.stdout.contains("Usage: almanac"), "{}", run.stdout);
    }
}

/// `check --format json`, parsed: (code, file, line) of each finding.
fn findings(t: &SiteTest) -> (i32, Vec<(String, String, u64)>) {
    let run = t.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout));
    let mut out: Vec<(String, String, u64)> = json
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    (run.code, out)
}

#[test]
fn check_finds_what_maintainers_fix_and_speaks_json() {
    let t = SiteTest::minimal()
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee the [FAQ](faq/a.md) and [rules](rules/r.md).\n")
        .file("content/faq/_index.md", "+++\nkind = \"faq\"\n+++\n")
        .file(
            "content/faq/a.md",
            "+++\ntitle = \"A\"\ntags = [\"x\"]\n+++\n## How do I join?\n\nAsk.\n\n## Where?\n\nHere. See [b](b.md).\n",
        )
        .file(
            "content/faq/b.md",
            "+++\ntitle = \"B\"\ntags = [\"x\"]\n+++\n## how do I join\n\nAsk a member. Back to [a](a.md).\n",
        )
        .file("content/rules/_index.md", "+++\nkind = \"rules\"\n+++\n")
        .file("content/rules/r.md", "+++\ntitle = \"R\"\ntags = [\"x\"]\n+++\n1. Be kind.\n")
        .file(
            "content/events/e.md",
            "+++\ntitle = \"E\"\ntags = [\"x\"]\nstart = 2026-05-01\n+++\nA day.\n",
        )
        .file("content/lonely.md", "+++\ntitle = \"Lonely\"\n+++\nNobody links here.\n");
    let (code, found) = findings(&t);
    assert_eq!(code, 0);
    let expect = |c: &str, f: &str, l: u64| (c.to_string(), f.to_string(), l);
    assert_eq!(
        found,
        [
            expect("event-no-end", "content/events/e.md", 4),
            expect("faq-duplicate", "content/faq/b.md", 2),
            expect("no-tags", "content/lonely.md", 2),
            expect("orphan", "content/lonely.md", 2),
            expect("rules-no-effective", "content/rules/r.md", 2),
        ]
    );
    let text = t.run(&["check"]);
    text.success()
        .stderr_has("warning: the question `how do I join` is also asked in content/faq/a.md");
    assert!(
        text.stdout.contains("No errors; 5 warnings."),
        "{}",
        text.stdout
    );
    // Errors too, and exit 1.
    t.write(
        "content/lonely.md",
        "+++\ntitle = \"Lonely\"\n+++\n[gone](nowhere.md)\n",
    );
    let (code, found) = findings(&t);
    assert_eq!(code, 1);
    assert_eq!(found, [expect("broken-link", "content/lonely.md", 4)]);
}

#[test]
fn new_uses_the_sites_archetype_for_its_kind() {
    let t = SiteTest::minimal().file(
        "archetypes/faq.md",
        "+++\ntitle = {{ title_toml }}\ndate = {{ date }}\ntags = [\"faq\"]\n+++\n\n## {{ title }}?\n\nOur answer.\n",
    );
    t.run(&["new", "faq", "Where to park \"near\" the space"])
        .success();
    let text = std::fs::read_to_string(t.root.join("content/faq/where-to-park-near-the-space.md"))
        .expect("created");
    assert!(
        text.starts_with("+++\ntitle = 'Where to park \"near\" the space'\ndate = 20"),
        "{text}"
    );
    assert!(
        text.contains("## Where to park \"near\" the space?"),
        "{text}"
    );
    t.build().success();
    // Other kinds keep the built-in archetype.
    t.run(&["new", "event", "Picnic"]).success();
    let event = std::fs::read_to_string(t.root.join("content/events/picnic.md")).expect("created");
    assert!(event.contains("start = "), "{event}");
    // A broken archetype is named.
    t.write("archetypes/rules.md", "{{ title ");
    t.run(&["new", "rules", "House rules"])
        .failure(1)
        .stderr_has("cannot use archetypes/rules.md");
}

#[test]
fn quiet_builds_and_shell_completions() {
    let t = SiteTest::minimal();
    let run = t.run(&["build", "--quiet"]);
    run.success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let run = t.run(&["build"]);
    assert!(run.stdout.starts_with("Built 0 pages"), "{}", run.stdout);
    assert!(
        !run.stderr.contains('\u{1b}'),
        "no bar or colour when not on a terminal"
    );
    for shell in ["bash", "zsh", "fish"] {
        let run = t.run(&["completions", shell]);
        run.success();
        assert!(run.stdout.contains("translated"), "{shell}: {}", run.stdout);
    }
    t.run(&["completions", "tcsh"]).failure(2);
}

#[test]
fn check_external_checks_outside_links_and_says_when_there_is_no_network() {
    // A local "outside" site: /ok answers, /gone does not.
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let port = server.server_addr().to_ip().expect("ip").port();
    let handle = std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let code = if request.url() == "/ok" { 200 } else { 404 };
            let _ = request.respond(tiny_http::Response::empty(code));
        }
    });
    drop(handle);
    let page = format!(
        "+++\ntitle = \"A\"\n+++\nSee [a](http://127.0.0.1:{port}/ok)\nand [b](http://127.0.0.1:{port}/gone).\n"
    );
    let t = SiteTest::minimal().file("content/a.md", &page);
    let run = t.run(&["check", "--external"]);
    run.success()
        .stderr_has(&format!("warning: outside link http://127.0.0.1:{port}/gone is broken: HTTP 404\n  --> content/a.md:5:1"));
    assert!(
        run.stdout.contains("Checked 2 links to other sites."),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("/ok is broken"), "{}", run.stderr);
    assert!(
        t.root.join(".almanac-cache/links.json").is_file(),
        "results kept"
    );
    // Nothing answers: said once, not as a broken link per URL.
    let t = SiteTest::minimal().file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n[x](http://127.0.0.1:9/x) [y](http://127.0.0.1:9/y)\n",
    );
    let run = t.run(&["check", "--external"]);
    run.success()
        .stderr_has("No network: the 2 links to other sites were not checked.");
    assert!(!run.stderr.contains("is broken"), "{}", run.stderr);
}
