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
    // Pages share fragment files, meta.bundle to a file, in page order.
    let bundle = meta["bundle"].as_u64().expect("bundle") as usize;
    let pages = meta["pages"].as_u64().expect("pages") as usize;
    assert!(bundle > 1 && pages > bundle, "{bundle} {pages}");
    let mut fragments = Vec::new();
    for n in 0..pages.div_ceil(bundle) {
        let file: serde_json::Value =
            serde_json::from_str(&t.out(&format!("search/p/{n}.json"))).expect("json");
        let file = file.as_array().expect("a file of fragments").clone();
        assert_eq!(file.len(), bundle.min(pages - n * bundle), "file {n}");
        fragments.extend(file);
    }
    assert!(!t.has(&format!("search/p/{}.json", pages.div_ceil(bundle))));
    let page = &fragments[0];
    assert_eq!(
        page["u"], "/rules/group/",
        "pages are numbered oldest first"
    );
    let urls: std::collections::HashSet<&str> =
        fragments.iter().filter_map(|f| f["u"].as_str()).collect();
    assert_eq!(urls.len(), pages, "every page once");
    let anchors: Vec<&str> = page["p"]
        .as_array()
        .expect("parts")
        .iter()
        .filter_map(|p| p[0].as_str())
        .collect();
    assert_eq!(anchors, ["", "rule-1", "rule-2", "rule-3"]);
}

/// Every token's postings across the shards, decoded to `(page number,
/// where)` pairs.
fn postings(t: &SiteTest) -> std::collections::BTreeMap<String, Vec<(u64, u64)>> {
    let meta: serde_json::Value = serde_json::from_str(&t.out("search/meta.json")).expect("json");
    let mut all = std::collections::BTreeMap::new();
    for n in 0..meta["shards"].as_u64().expect("shards") {
        let shard: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&t.out(&format!("search/s/{n}.json"))).expect("json");
        for (token, codes) in shard {
            // Base 32, lowest digit first, a base-64 character a digit,
            // plus 32 when more follow.
            const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let (mut page, mut n, mut shift) = (0, 0, 0);
            let mut list = Vec::new();
            for c in codes.as_str().expect("a string").chars() {
                let d = DIGITS.find(c).expect("a digit") as u64;
                n |= (d & 31) << shift;
                if d & 32 != 0 {
                    shift += 5;
                    continue;
                }
                page += n / 8;
                list.push((page, n % 8));
                (n, shift) = (0, 0);
            }
            all.insert(token, list);
        }
    }
    all
}

#[test]
fn a_character_is_found_on_every_page_and_in_every_place_it_stands() {
    // 1 title, 2 heading, 4 text. 规 is in the title of one page and the
    // text of both; 好 stands alone; 则 is only ever the end of a bigram.
    let t = SiteTest::minimal()
        .file(
            "almanac.toml",
            "title = \"T\"\nbase_url = \"https://t.example\"\n[search]\nenabled = true\n",
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"群规\"\ndate = 2024-01-01\n+++\n规则 好\n",
        )
        .file(
            "content/b.md",
            "+++\ntitle = \"B\"\ndate = 2024-02-01\n+++\n## 规\n\n细则规则\n",
        );
    t.build().success();
    let all = postings(&t);
    let get = |token: &str| all.get(token).cloned().unwrap_or_default();
    // Pages by number, oldest first: a is 0, b is 1.
    assert_eq!(get("规"), [(0, 1 | 4), (1, 2 | 4)]);
    assert_eq!(get("群"), [(0, 1)]);
    assert_eq!(get("则"), [(0, 4), (1, 4)]);
    assert_eq!(get("好"), [(0, 4)]);
    assert_eq!(get("细"), [(1, 4)]);
    assert_eq!(get("规则"), [(0, 4), (1, 4)]);
    assert_eq!(get("群规"), [(0, 1)]);
    assert_eq!(get("则规"), [(1, 4)]);
}

#[test]
fn without_javascript_the_box_leads_to_every_page_by_section() {
    let t = SiteTest::fixture("search");
    t.build().success();
    let home = t.page("index.html");
    assert_eq!(home.attrs("form.site-search", "action"), ["/search/"]);
    assert_eq!(home.count("form.site-search input[type=search][name=q]"), 1);
    let all = t.page("search/index.html");
    let mut links = all.attrs(".all-pages li a", "href");
    links.sort();
    assert_eq!(
        links,
        [
            "/faq/join/",
            "/guides/english/",
            "/guides/loops/",
            "/guides/network/",
            "/rules/group/"
        ]
    );
    assert_eq!(
        all.count(".all-pages h2"),
        3,
        "one heading per section with pages"
    );
}

/// Headless Chromium, installed from the system's packages when missing.
/// Once per test binary: the browser tests run at the same time, and a
/// second `apt-get` would fail on the first one's lock.
fn chromium() -> std::path::PathBuf {
    static FOUND: std::sync::Mutex<Option<std::path::PathBuf>> = std::sync::Mutex::new(None);
    let mut found = FOUND.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = found.as_ref() {
        return path.clone();
    }
    let which = || {
        ["chromium", "chromium-browser"]
            .into_iter()
            .find_map(|name| {
                Command::new("which")
                    .arg(name)
                    .output()
                    .ok()
                    .filter(|out| out.status.success())
                    .map(|out| {
                        std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
                    })
            })
    };
    let path = which().or_else(|| {
        let install = || {
            Command::new("apt-get")
                .args(["-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q"])
                .args(["chromium", "fonts-wqy-microhei"])
                .status()
                .is_ok_and(|s| s.success())
        };
        // A fresh machine may have no package lists yet.
        let installed = install()
            || (Command::new("apt-get")
                .args(["-o", "DPkg::Lock::Timeout=300", "update", "-q"])
                .status()
                .is_ok_and(|s| s.success())
                && install());
        installed.then(which).flatten()
    });
    let path = path.expect("the browser test needs Chromium: apt-get install chromium");
    *found = Some(path.clone());
    path
}

/// The DOM of `url` after its scripts ran, from headless Chromium. A
/// headless browser now and then stalls for minutes before it settles
/// (more often on a busy machine), so each try is stopped after 30 s and
/// tried again, up to four times (a normal load takes about a second).
fn dump_dom(url: &str, budget_ms: u32) -> String {
    dump_dom_at(url, budget_ms, (1280, 900))
}

/// [`dump_dom`] in a window of `size` (width, height) CSS pixels.
pub(crate) fn dump_dom_at(url: &str, budget_ms: u32, size: (u32, u32)) -> String {
    let browser = chromium();
    for _ in 0..4 {
        let profile = tempfile::tempdir().expect("profile");
        let mut child = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--dump-dom",
            ])
            .arg(format!("--virtual-time-budget={budget_ms}"))
            .arg(format!("--window-size={},{}", size.0, size.1))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromium runs");
        // Read while it runs: a DOM bigger than the pipe would otherwise
        // stop the browser mid-write, waiting for a reader.
        let mut stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut dom = Vec::new();
            let _ = std::io::Read::read_to_end(&mut stdout, &mut dom);
            dom
        });
        let started = std::time::Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => {
                    let dom = reader.join().expect("reader");
                    return String::from_utf8_lossy(&dom).into_owned();
                }
                Ok(None) if started.elapsed() < std::time::Duration::from_secs(30) => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
            }
        }
    }
    panic!("headless Chromium did not finish loading {url} in four tries");
}

/// Serves `dir` on loopback until the process ends: a static host, as
/// the built site will have (the dev server's reload poll would keep a
/// headless browser from ever going idle).
pub(crate) fn static_host(dir: std::path::PathBuf) -> std::net::SocketAddr {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let addr = server.server_addr().to_ip().expect("ip");
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split('?').next().unwrap_or("/").to_string();
            let path = percent_encoding::percent_decode_str(&path)
                .decode_utf8_lossy()
                .into_owned();
            let mut file = dir.join(path.trim_start_matches('/'));
            if file.is_dir() {
                file = file.join("index.html");
            }
            let response = match std::fs::read(&file) {
                Ok(bytes) => {
                    let mime = mime_guess::from_path(&file)
                        .first_or_octet_stream()
                        .to_string();
                    let header =
                        tiny_http::Header::from_bytes("Content-Type", mime).expect("header");
                    tiny_http::Response::from_data(bytes).with_header(header)
                }
                Err(_) => tiny_http::Response::from_data(Vec::new()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    addr
}

#[test]
fn a_traditional_query_finds_simplified_pages_in_a_browser() {
    let t = SiteTest::example();
    t.build().success();
    let addr = static_host(t.root.join("public"));
    // 群規 (Traditional) typed into the box, as the form sends it.
    let url = format!("http://{addr}/?q=%E7%BE%A4%E8%A6%8F");
    let dom = dump_dom(&url, 5000);
    let page = crate::support::Page::parse(dom.to_string());
    let hrefs = page.attrs(".search-results a[role=option]", "href");
    assert!(
        hrefs
            .first()
            .is_some_and(|h| h.starts_with("/rules/group-rules/")),
        "the group rules page (written 群规) comes first: {hrefs:?}"
    );
    let marks = page.texts(".search-results mark");
    assert!(marks.iter().any(|m| m == "群规"), "{marks:?}");
    assert!(
        page.text(".search-status")
            .contains(&hrefs.len().to_string()),
        "the result count is announced"
    );
}

/// A query in the address on a phone: the menu holding the box opens, so
/// the results are on screen rather than inside a closed menu.
#[test]
fn a_query_in_the_address_opens_the_phone_menu() {
    let t = SiteTest::example();
    t.build().success();
    let addr = static_host(t.root.join("public"));
    let dom = dump_dom_at(
        &format!("http://{addr}/?q=%E8%BF%8E%E6%96%B0"),
        5000,
        (390, 844),
    );
    let page = crate::support::Page::parse(dom.to_string());
    assert_eq!(
        page.attrs("details.site-menu[open]", "class").len(),
        1,
        "menu opened"
    );
    assert!(
        !page
            .attrs(".search-results a[role=option]", "href")
            .is_empty(),
        "results shown"
    );
}

/// The theme's FAQ copy-link control, as a browser runs it (here over plain
/// http, where the clipboard API is missing): outside the heading, so the
/// heading's accessible name is the question alone.
#[test]
fn faq_copy_link_sits_after_the_question_not_inside_it() {
    let t = SiteTest::example();
    t.build().success();
    let addr = static_host(t.root.join("public"));
    let dom = dump_dom(&format!("http://{addr}/faq/events/"), 3000);
    let page = crate::support::Page::parse(dom);
    let questions = page.count(".content h2[id]");
    assert!(questions > 1, "{}", page.source());
    assert_eq!(
        page.count("h2 + button.copy-link[aria-describedby]"),
        questions
    );
    assert_eq!(page.count("h2 button"), 0, "nothing inside a heading");
}

/// The home page as a reader on a phone sees it: measured in headless
/// Chromium at 390×844 by a script added to a copy of the page.
#[test]
fn on_a_phone_the_header_is_one_row_with_a_menu_that_needs_no_script() {
    let t = SiteTest::example();
    t.build().success();
    let home = t.out("index.html");
    let probe = r#"<script>
addEventListener("load", function () {
  var b = document.body, header = document.querySelector(".site-header");
  var summary = document.querySelector(".site-menu > summary");
  b.dataset.headerHeight = Math.round(header.getBoundingClientRect().height);
  b.dataset.summaryHeight = Math.round(summary.getBoundingClientRect().height);
  b.dataset.navShownClosed = document.querySelector(".site-nav a").checkVisibility();
  document.querySelector(".site-menu").open = true;
  var links = Array.from(document.querySelectorAll(".site-nav a, .lang-switch a"));
  b.dataset.smallestTap = Math.round(Math.min.apply(null, links.map(function (a) { return a.getBoundingClientRect().height; })));
  var last = links[links.length - 1].getBoundingClientRect();
  b.dataset.menuBottom = Math.round(last.bottom);
  document.querySelector(".site-menu").open = false;
  b.dataset.firstCardTop = Math.round(document.querySelector(".card-grid a").getBoundingClientRect().top);
});
</script>"#;
    let probed = home.replace("</body>", &format!("{probe}</body>"));
    std::fs::write(t.root.join("public/probe.html"), probed).expect("probe");
    let addr = static_host(t.root.join("public"));
    let dom = dump_dom_at(&format!("http://{addr}/probe.html"), 3000, (390, 844));
    let attr = |name: &str| -> f64 {
        let key = format!("data-{name}=\"");
        let at = dom.find(&key).unwrap_or_else(|| panic!("no {name}: {dom}")) + key.len();
        dom[at..]
            .split('"')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let header = attr("header-height");
    assert!(header <= 64.0, "header is {header}px: one row");
    assert!(
        attr("summary-height") >= 44.0,
        "the menu button is a 44px target"
    );
    assert!(
        dom.contains("data-nav-shown-closed=\"false\""),
        "closed menu hides the links"
    );
    assert!(
        attr("smallest-tap") >= 44.0,
        "every menu link is a 44px target"
    );
    assert!(
        attr("menu-bottom") <= 844.0,
        "the opened menu fits the first screen"
    );
}

/// axe-core in headless Chromium over every kind of page of the example
/// site, light and dark, and a playbook ticked by clicking its steps' text
/// (tests/browser/run.sh installs its npm packages on first use).
#[test]
fn the_example_site_has_no_accessibility_violations() {
    let t = SiteTest::example();
    t.build().success();
    let browser = chromium();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/run.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(t.root.join("public"))
        .env("CHROMIUM", &browser)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("0 problems"), "{stdout}");
}

const NOW: &str = "2026-11-22T12:00:00+08:00";

/// `build -v`'s count of pages tokenized for search.
fn tokenized(t: &SiteTest) -> String {
    let run = t.run(&["build", "-v", "--now", NOW]);
    run.success();
    let line = run
        .stdout
        .lines()
        .chain(run.stderr.lines())
        .find(|l| l.contains("pages tokenized for search"))
        .unwrap_or_else(|| {
            panic!(
                "no count of pages tokenized in {}{}",
                run.stdout, run.stderr
            )
        });
    line.trim()
        .split(" pages tokenized")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_rebuild_tokenizes_only_the_pages_that_changed_and_makes_the_same_index() {
    let t = SiteTest::fixture("search");
    assert_eq!(tokenized(&t), "5 of 5");
    assert!(t.root.join(".almanac-cache/public.search").is_file());
    assert_eq!(tokenized(&t), "0 of 5");
    // One page edited, one deleted, and one added that is older than the
    // rest, so every other page's number moves.
    t.replace("content/guides/loops.md", "示範", "演示");
    std::fs::remove_file(t.root.join("content/guides/network.md")).expect("delete");
    t.write(
        "content/guides/history.md",
        "+++\ntitle = \"社群的歷史\"\ndate = 2020-01-01\ntags = [\"教學\"]\n+++\n我們從一個讀書會開始。\n",
    );
    assert_eq!(tokenized(&t), "2 of 5");
    let rebuilt = t.snapshot();
    assert!(rebuilt.iter().any(|(f, _)| f.starts_with("search/s/")));
    // The same site built from nothing.
    std::fs::remove_dir_all(t.root.join("public")).expect("remove output");
    std::fs::remove_dir_all(t.root.join(".almanac-cache")).expect("remove cache");
    assert_eq!(tokenized(&t), "5 of 5");
    let fresh = t.snapshot();
    assert_eq!(
        rebuilt.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        fresh.iter().map(|(f, _)| f).collect::<Vec<_>>()
    );
    for ((file, a), (_, b)) in rebuilt.iter().zip(&fresh) {
        assert!(a == b, "{file} differs from a build from nothing");
    }
}

#[test]
fn a_damaged_token_cache_is_made_again_from_the_text() {
    let t = SiteTest::fixture("search");
    assert_eq!(tokenized(&t), "5 of 5");
    let before = t.snapshot();
    let cache = t.root.join(".almanac-cache/public.search");
    let mut bytes = std::fs::read(&cache).expect("cache");
    let cut = bytes.len() - 3;
    bytes.truncate(cut);
    std::fs::write(&cache, &bytes).expect("write");
    assert_eq!(tokenized(&t), "5 of 5");
    assert_eq!(t.snapshot(), before);
    // Saved whole again.
    assert_eq!(tokenized(&t), "0 of 5");
    std::fs::write(&cache, "almanac search tokens 999\n").expect("write");
    assert_eq!(tokenized(&t), "5 of 5");
    assert_eq!(t.snapshot(), before);
    // Search turned off: the tokens go too.
    t.replace("almanac.toml", "enabled = true", "enabled = false");
    t.build().success();
    assert!(!cache.exists());
}

#[test]
fn a_folder_page_beside_its_folder_is_neither_tokenized_nor_counted_as_a_page() {
    let t = SiteTest::fixture("search");
    // `guides.md` beside `guides/`, which has no `_index.md`: the folder's
    // own page, not one of the five pages the index holds.
    t.write(
        "content/guides.md",
        "+++\ntitle = \"指南\"\n+++\n這裡列出所有的教學。\n",
    );
    assert_eq!(tokenized(&t), "5 of 5");
    let cache = std::fs::read(t.root.join(".almanac-cache/public.search")).expect("cache");
    let holds = |file: &str| cache.windows(file.len()).any(|w| w == file.as_bytes());
    assert!(holds("content/guides/network.md"));
    assert!(
        !holds("content/guides.md"),
        "the folder's page was tokenized"
    );
    assert_eq!(tokenized(&t), "0 of 5");
}

#[test]
fn a_build_that_fails_after_tokenizing_keeps_the_tokens() {
    let t = SiteTest::fixture("search");
    // Fails as the pages render, after every page was tokenized.
    t.write("templates/page.html", "<p>\n{{ page.title + 1 }}\n</p>\n");
    let cache = t.root.join(".almanac-cache/public.search");
    t.run(&["build", "--now", NOW])
        .failure(1)
        .stderr_has("templates/page.html:2:");
    assert!(cache.is_file(), "no tokens kept by the failed build");
    assert!(!t.root.join("public").exists());
    std::fs::remove_file(t.root.join("templates/page.html")).expect("remove");
    assert_eq!(tokenized(&t), "0 of 5");
}

#[test]
fn a_tag_two_pages_write_differently_is_indexed_by_the_name_link_gives_it() {
    let t = SiteTest::fixture("search");
    // LINK names a tag as the first page (by path) writes it: `Events`,
    // on network.md too, which writes `events`.
    t.replace(
        "content/guides/english.md",
        "tags = [\"events\"]",
        "tags = [\"Events\"]",
    );
    t.replace(
        "content/guides/network.md",
        "tags = [\"硬件\"]",
        "tags = [\"硬件\", \"events\"]",
    );
    assert_eq!(tokenized(&t), "5 of 5");
    let first = postings(&t);
    assert_eq!(first["\u{1}t:Events"].len(), 2, "{first:?}");
    assert!(!first.contains_key("\u{1}t:events"));
    assert_eq!(tokenized(&t), "0 of 5");
    assert_eq!(postings(&t), first);
}
