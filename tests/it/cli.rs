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
    assert_eq!(
        std::fs::read_to_string(t.root.join(".gitignore")).unwrap(),
        "public/\n"
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
