//! HTTP for the dev server: files from memory, live reload, error overlay.

use std::io::Cursor;
use std::time::Duration;

use tiny_http::{Header, Request, Response, StatusCode};

use super::{Files, Shared};
use crate::output::Content;

/// How long a live-reload request waits for a change before answering anyway.
const POLL: Duration = Duration::from_secs(25);

/// Accepts requests until the server is unblocked; one thread per request,
/// since live-reload requests wait.
pub(super) fn accept(server: &tiny_http::Server, shared: &std::sync::Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = shared.clone();
        std::thread::spawn(move || respond(request, &shared));
    }
}

fn respond(request: Request, shared: &Shared) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    let response = if !host.as_deref().is_none_or(allowed_host) {
        // A page elsewhere that made its name point here (DNS rebinding)
        // must not read the site or its sources.
        reply(
            403,
            "text/plain; charset=utf-8",
            b"403 Forbidden: this Host is not served here; open the address almanac printed"
                .to_vec(),
        )
    } else if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        reply(
            405,
            "text/plain; charset=utf-8",
            b"405 Method Not Allowed".to_vec(),
        )
        .with_header(header("Allow", "GET, HEAD"))
    } else if path == "/__almanac/livereload" {
        livereload(shared, query)
    } else {
        file(shared, path)
    };
    let _ = request.respond(response);
}

/// Whether a request's `Host` names this machine: an IP address (which no
/// other site can make a browser send), or `localhost`.
fn allowed_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // [::1]:1111
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::IpAddr>().is_ok()
}

type Reply = Response<Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names are valid")
}

/// Scripts and styles of the site itself (and the inline reload script),
/// images from anywhere a page links them; no framing, no plugins.
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; font-src 'self' data: https:; img-src 'self' data: https:; media-src 'self' https:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Content-Security-Policy", CSP))
}

fn livereload(shared: &Shared, query: &str) -> Reply {
    let seen: u64 = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("gen="))
        .and_then(|g| g.parse().ok())
        .unwrap_or(0);
    let state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
    let (state, _) = shared
        .changed
        .wait_timeout_while(state, POLL, |s| s.generation == seen)
        .unwrap_or_else(|p| p.into_inner());
    let body = format!("{{\"generation\":{}}}", state.generation);
    reply(200, "application/json", body.into_bytes())
}

/// The output path a request path names, or `None` for one that tries to leave the site.
fn resolve(files: &Files, path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let rel = decoded.trim_start_matches('/');
    if rel
        .split('/')
        .any(|seg| seg == ".." || seg == "." || seg.contains('\\'))
    {
        return None;
    }
    if rel.is_empty() || rel.ends_with('/') {
        return Some(format!("{rel}index.html"));
    }
    if files.contains_key(rel) {
        return Some(rel.to_string());
    }
    Some(format!("{rel}/index.html"))
}

/// The `404.html` nearest above a missing path (`en/404.html` for
/// `/en/x/`, a language's own), as hosts that look up the path serve it.
fn nearest_404<'f>(files: &'f crate::session::Files, path: &str) -> Option<(String, &'f Content)> {
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_start_matches('/');
    let mut dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    loop {
        let rel = if dir.is_empty() {
            "404.html".to_string()
        } else {
            format!("{dir}/404.html")
        };
        if let Some(c) = files.get(&rel) {
            return Some((rel, c));
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

fn file(shared: &Shared, path: &str) -> Reply {
    let (files, generation, error) = shared.snapshot();
    let found = resolve(&files, path).and_then(|rel| files.get(&rel).map(|c| (rel, c)));
    let (status, rel, content) = match found {
        Some((rel, content)) => (200, rel, content),
        None => match nearest_404(&files, path) {
            Some((rel, c)) => (404, rel, c),
            None if error.is_some() => (
                500,
                "error.html".to_string(),
                &Content::Embedded(b"<!doctype html><title>Build error</title><body></body>"),
            ),
            None => return reply(404, "text/plain; charset=utf-8", b"404 Not Found".to_vec()),
        },
    };
    let bytes = match content.read() {
        Ok(b) => b.into_owned(),
        Err(e) => {
            return reply(
                500,
                "text/plain; charset=utf-8",
                format!("cannot read {rel}: {e}").into_bytes(),
            );
        }
    };
    let mime = mime_guess::from_path(&rel).first_or_octet_stream();
    if mime.subtype() == "html" {
        let html = inject(
            &String::from_utf8_lossy(&bytes),
            generation,
            error.as_deref(),
        );
        return reply(status, "text/html; charset=utf-8", html.into_bytes());
    }
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT | mime_guess::mime::APPLICATION if rel.ends_with(".ics") => {
            "text/calendar; charset=utf-8".to_string()
        }
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if rel.ends_with(".xml") || rel.ends_with(".js") || rel.ends_with(".json") => {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    };
    reply(status, &content_type, bytes)
}

/// Adds the live-reload script, and the error overlay when the last rebuild failed.
fn inject(html: &str, generation: u64, error: Option<&str>) -> String {
    let mut extra = format!(
        "<script>(function(){{var g={generation};function p(){{fetch('/__almanac/livereload?gen='+g).then(function(r){{return r.json()}})\
.then(function(d){{if(d.generation!==g){{location.reload()}}else{{p()}}}}).catch(function(){{setTimeout(p,1000)}})}}p()}})();</script>"
    );
    if let Some(e) = error {
        let escaped = crate::parse::markdown::escape_html(e);
        // In the page's own language: the words of its `<html lang>`.
        let lang = html
            .find("<html lang=\"")
            .map(|i| &html[i + 12..])
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("en");
        let word =
            |k: &str| crate::parse::markdown::escape_html(crate::render::labels::builtin(lang, k));
        let (title, close) = (word("build_failed"), word("dismiss"));
        extra.push_str(&format!(
            "<div id=\"almanac-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,20,24,.94);color:#fde2e2;padding:2rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace\">\
<button type=\"button\" style=\"float:right;font:14px system-ui,sans-serif;padding:.4rem .8rem\" \
onclick=\"this.parentNode.remove()\">{close}</button>\
<h2 style=\"margin:0 0 1rem;color:#ff8a80;font:600 18px system-ui,sans-serif\">{title}</h2>\
<pre style=\"white-space:pre-wrap\">{escaped}</pre></div>\
<script>document.addEventListener('keydown',function(e){{if(e.key==='Escape'){{var o=document.getElementById('almanac-error');if(o)o.remove()}}}});</script>"
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_the_site_only() {
        let mut files = Files::new();
        files.insert("a/index.html".into(), Content::Embedded(b""));
        files.insert("style.css".into(), Content::Embedded(b""));
        assert_eq!(resolve(&files, "/").as_deref(), Some("index.html"));
        assert_eq!(resolve(&files, "/a/").as_deref(), Some("a/index.html"));
        assert_eq!(resolve(&files, "/a").as_deref(), Some("a/index.html"));
        assert_eq!(resolve(&files, "/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            resolve(&files, "/%E5%86%B2/").as_deref(),
            Some("冲/index.html")
        );
        assert_eq!(resolve(&files, "/../etc/passwd"), None);
        assert_eq!(resolve(&files, "/a/%2e%2e/%2e%2e/x"), None);
    }

    #[test]
    fn injects_before_body_end() {
        let html = inject(
            "<html><body><p>x</p></body></html>",
            7,
            Some("error: <broken>"),
        );
        assert!(html.contains("var g=7;"));
        assert!(html.contains("error: &lt;broken&gt;"));
        assert!(html.ends_with("</script></body></html>"));
        assert!(
            html.contains("The last rebuild failed"),
            "English without a lang"
        );
    }
}
