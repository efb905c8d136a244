//! Search: the index's files, and the theme's own script run in Node
//! against them (the shared tokenizer vectors, and recall on known answers).

use std::process::Command;

use crate::support::SiteTest;

fn node(args: &[&str]) -> std::process::Output {
    Command::new("node")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node is needed for the search tests (install Node.js 18 or later)")
}

#[test]
fn the_browser_tokenizer_passes_the_shared_vectors() {
    let out = node(&["--test", "tests/search/"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn queries_in_either_script_find_every_expected_page() {
    let t = SiteTest::fixture("search");
    t.build().success();
    let public = t.root.join("public");
    let out = node(&[
        "tests/search/recall.js",
        public.to_str().expect("utf-8 path"),
    ]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("= 100.0 %"), "{report}");
}

#[test]
fn the_index_holds_content_not_chrome() {
    let t = SiteTest::fixture("search");
    t.build().success();
    let meta: serde_json::Value = serde_json::from_str(&t.out("search/meta.json")).expect("json");
    assert_eq!(meta["pages"], 5);
    let shards = meta["shards"].as_u64().expect("shards");
    let mut tokens = String::new();
    for n in 0..shards {
        tokens.push_str(&t.out(&format!("search/s/{n}.json")));
    }
    // Menu words and the site title are chrome; the fixture's text never says them.
    for chrome in ["\"search\"", "\"fixture\"", "\"tags\""] {
        assert!(!tokens.contains(chrome), "{chrome} is indexed");
    }
    // Traditional pairs the site's text needs are shipped; others are not.
    let fold = meta["fold"].as_str().expect("fold");
    assert!(fold.contains("網网") && fold.contains("講讲"), "{fold}");
    assert!(
        !fold.contains("龍龙"),
        "龙 is not in the site's text: {fold}"
    );
    let page: serde_json::Value = serde_json::from_str(&t.out("search/p/0.json")).expect("json");
    assert_eq!(
        page["u"], "/rules/group/",
        "pages are numbered oldest first"
    );
    let anchors: Vec<&str> = page["p"]
        .as_array()
        .expect("parts")
        .iter()
        .filter_map(|p| p[0].as_str())
        .collect();
    assert_eq!(anchors, ["", "rule-1", "rule-2", "rule-3"]);
}
