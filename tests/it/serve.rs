//! The dev server over loopback: pages from memory, live reload, the error
//! overlay, and nothing served from outside the site.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use almanac::pipeline::BuildOptions;
use almanac::serve::DevServer;

use crate::support::SiteTest;

/// A bare HTTP/1.0 GET: status code and body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let (status, _, body) = request(addr, "GET", path, "localhost");
    (status, body)
}

/// One HTTP/1.0 request: status, headers (lower-cased names) and body.
fn request(addr: SocketAddr, method: &str, path: &str, host: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let head = text
        .split_once("\r\n\r\n")
        .map_or("", |(h, _)| h)
        .to_ascii_lowercase();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, head, body)
}

#[test]
fn refuses_other_hosts_and_methods_and_sends_safety_headers() {
    let t = SiteTest::fixture("basic");
    let server = start(&t);
    let addr = server.addr();
    for host in [
        "localhost",
        "127.0.0.1",
        &addr.to_string(),
        "[::1]:1111",
        "LOCALHOST:1111",
    ] {
        assert_eq!(request(addr, "GET", "/", host).0, 200, "{host}");
    }
    // DNS rebinding: a name the attacker controls, pointed at 127.0.0.1.
    for host in [
        "evil.example",
        "evil.example:1111",
        "127.0.0.1.evil.example",
    ] {
        let (status, _, body) = request(addr, "GET", "/", host);
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains("<html"), "nothing of the site is sent");
    }
    let (status, head, _) = request(addr, "POST", "/", "localhost");
    assert_eq!(status, 405);
    assert!(head.contains("allow: get, head"), "{head}");
    assert_eq!(request(addr, "DELETE", "/style.css", "localhost").0, 405);
    let (status, head, body) = request(addr, "HEAD", "/", "localhost");
    assert_eq!(status, 200);
    assert!(body.is_empty(), "HEAD has no body");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert!(
        head.contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
    server.shutdown();
}

#[test]
fn answers_requests_written_with_bare_lf_line_endings() {
    let t = SiteTest::fixture("basic");
    let server = start(&t);
    let addr = server.addr();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    // Two requests on one keep-alive connection, the way `nc` without `-C`
    // sends them; the second one closes.
    write!(
        stream,
        "GET / HTTP/1.1\nHost: localhost\n\nGET /style.css HTTP/1.1\nHost: localhost\nConnection: close\n\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("the server answers and closes instead of waiting for CRLF");
    let text = String::from_utf8_lossy(&raw);
    assert_eq!(text.matches("HTTP/1.1 200").count(), 2, "{text}");
    assert!(text.contains("<html"), "the page came back");
    server.shutdown();
}

fn start(t: &SiteTest) -> DevServer {
    let opts = BuildOptions {
        root: t.root.clone(),
        ..Default::default()
    };
    DevServer::start(opts, "127.0.0.1:0").expect("server starts")
}

#[test]
fn serves_pages_with_live_reload_and_404s() {
    let t = SiteTest::fixture("basic");
    let server = start(&t);
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    let (status, body) = get(addr, "/guides/conflict/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>冲突处理指南</h1>"));
    assert!(
        body.contains("fetch('/__almanac/livereload?gen='+g)"),
        "reload script injected"
    );
    assert!(
        !body.contains("https://kb.example/"),
        "links point at the dev server, not the production URL"
    );
    let (status, body) = get(addr, "/%E5%86%B2%E7%AA%81/nothing");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    assert_eq!(get(addr, "/style.css").0, 200);
    assert!(
        !t.root.join("public").exists(),
        "serve writes nothing to disk"
    );
    server.shutdown();
}

#[test]
fn never_serves_outside_the_site() {
    let t = SiteTest::fixture("basic").file("secret.txt", "top secret");
    let server = start(&t);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/img/../../secret.txt",
        "/almanac.toml",
    ] {
        let (status, body) = get(server.addr(), path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("top secret") && !body.contains("base_url"),
            "{path}"
        );
    }
    server.shutdown();
}

#[test]
fn rebuild_serves_new_html_and_bumps_generation() {
    let t = SiteTest::fixture("basic");
    let server = start(&t);
    let before = server.generation();
    t.write(
        "content/guides/untitled.md",
        "+++\ntitle = \"Freshly edited\"\n+++\nNew words.\n",
    );
    server.rebuild_now().expect("rebuild");
    assert_eq!(server.generation(), before + 1);
    let (_, body) = get(server.addr(), "/guides/untitled/");
    assert!(body.contains("<h1>Freshly edited</h1>"));
    assert!(body.contains(&format!("var g={};", before + 1)));
    // A long-poll with an old generation answers at once with the new one.
    let (status, body) = get(
        server.addr(),
        &format!("/__almanac/livereload?gen={before}"),
    );
    assert_eq!(
        (status, body),
        (200, format!("{{\"generation\":{}}}", before + 1))
    );
    server.shutdown();
}

#[test]
fn failed_rebuild_shows_the_error_over_the_last_good_site() {
    let t = SiteTest::fixture("basic");
    let server = start(&t);
    t.write(
        "content/guides/untitled.md",
        "+++\ntitle = \"Broken\"\n+++\n\n[bad](missing.md)\n",
    );
    let err = server.rebuild_now().expect_err("rebuild fails");
    assert!(err.contains("broken link `missing.md`"), "{err}");
    let (status, body) = get(server.addr(), "/guides/untitled/");
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1>Title From Heading</h1>"),
        "the last good page stays"
    );
    assert!(body.contains("id=\"almanac-error\""));
    assert!(
        body.contains("--&gt; content/guides/untitled.md:5:1"),
        "overlay names file and line"
    );
    t.write(
        "content/guides/untitled.md",
        "+++\ntitle = \"Fixed\"\n+++\n",
    );
    server.rebuild_now().expect("fixed");
    let (_, body) = get(server.addr(), "/guides/untitled/");
    assert!(body.contains("<h1>Fixed</h1>") && !body.contains("almanac-error"));
    server.shutdown();
}

#[test]
fn a_broken_site_serves_its_error_from_the_start() {
    let t = SiteTest::minimal().file("content/a.md", "+++\ntitle = \"A\"\n+++\n[x](nope.md)\n");
    let server = start(&t);
    assert!(server.error().is_some());
    let (status, body) = get(server.addr(), "/");
    assert_eq!(status, 500);
    assert!(body.contains("broken link `nope.md`"), "{body}");
    server.shutdown();
}

#[test]
fn the_cli_watches_files_and_rebuilds() {
    let t = SiteTest::fixture("basic");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&t.root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let wait_for = |needle: &str| {
        while Instant::now() < deadline {
            if TcpStream::connect(addr).is_ok() && get(addr, "/guides/untitled/").1.contains(needle)
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    let up = wait_for("Title From Heading");
    t.write(
        "content/guides/untitled.md",
        "+++\ntitle = \"Seen by the watcher\"\n+++\n",
    );
    let seen = up && wait_for("Seen by the watcher");
    let _ = child.kill();
    let _ = child.wait();
    assert!(up, "server came up");
    assert!(seen, "an edit on disk is served without a restart");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let t = SiteTest::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let opts = BuildOptions {
        root: t.root.clone(),
        ..Default::default()
    };
    let err = DevServer::start(opts, &addr.to_string())
        .err()
        .expect("port in use")
        .to_string();
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn a_missing_page_gets_the_404_of_its_language() {
    let t = SiteTest::fixture("languages");
    let server = start(&t);
    let addr = server.addr();
    let (status, body) = get(addr, "/zh-hant/faq/nothing/");
    assert_eq!(status, 404);
    assert!(body.contains("頁面不存在"), "{body}");
    let (status, body) = get(addr, "/en/nothing");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    let (status, body) = get(addr, "/nothing/at/all/");
    assert_eq!(status, 404);
    assert!(body.contains("页面不存在"));
    assert_eq!(get(addr, "/en/faq/join/").0, 200);
    server.shutdown();
}

#[test]
fn without_port_serve_moves_to_a_free_port_when_1111_is_taken() {
    use std::io::{BufRead, BufReader};
    let t = SiteTest::fixture("basic");
    // Taken by us, or by something else already: either way not free.
    let _held = std::net::TcpListener::bind("127.0.0.1:1111");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["serve", "--root"])
        .arg(&t.root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    // All of stderr, so a failure shows what serve said.
    let said = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let url = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split(" at http://")
                .nth(1)
                .map(|r| r.split(' ').next().unwrap_or("").to_string())
        });
    let got = url.as_ref().map(|u| get(u.parse().expect("address"), "/"));
    let _ = child.kill();
    let _ = child.wait();
    let said = said.join().expect("stderr read").join("\n");
    let url = url.unwrap_or_else(|| panic!("it says where it serves; stderr:\n{said}"));
    assert!(!url.ends_with(":1111"), "{url}");
    assert_eq!(got.map(|g| g.0), Some(200), "{said}");
    assert!(
        said.lines()
            .any(|l| l.starts_with("Port 1111 is in use") && l.contains("serving on port")),
        "it says why: {said}"
    );
}

#[test]
fn the_error_overlay_speaks_the_pages_language_and_closes_with_esc() {
    let t = SiteTest::fixture("languages");
    let server = start(&t);
    t.write("content/faq/join.md", "+++\ntitle = \"broken\n+++\n");
    server.rebuild_now().expect_err("rebuild fails");
    let (_, zh) = get(server.addr(), "/rules/group-rules/");
    assert!(zh.contains("上次重新构建失败"), "{zh}");
    let (_, tw) = get(server.addr(), "/zh-hant/rules/group-rules/");
    assert!(tw.contains("上次重新建置失敗"));
    let (_, en) = get(server.addr(), "/en/rules/group-rules/");
    assert!(en.contains("The last rebuild failed") && en.contains("Close (Esc)"));
    assert!(en.contains("e.key==='Escape'"), "Esc dismisses it");
    // The file that failed, not the links to it that it breaks.
    assert!(en.contains("content/faq/join.md:2"), "{en}");
    assert!(!en.contains("broken link"), "{en}");
    server.shutdown();
}
