//! `almanac check --external`: links to other sites, checked concurrently
//! with a timeout, results kept a day in `.almanac-cache/links.json`.
//!
//! Without a network every request fails the same way; that is said once
//! ("no network") instead of as a broken link per URL.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location};
use crate::link::Sites;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Requests in flight at once.
const WORKERS: usize = 16;
/// How long a good answer is trusted.
const FRESH: u64 = 24 * 60 * 60;

/// What `--external` found.
#[derive(Debug, Default)]
pub(crate) struct External {
    /// Links checked (from the cache or over the network).
    pub(crate) checked: usize,
    /// Broken links, as warnings at the file and line that writes them.
    pub(crate) broken: Vec<Diagnostic>,
    /// Set when no request reached any server: nothing could be checked.
    pub(crate) offline: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Answer {
    ok: bool,
    status: String,
    at: u64,
}

/// Outcome of one request: an HTTP answer, or no connection at all.
enum Outcome {
    Status(u16),
    Unreachable(String),
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Every `http(s)://` link of every page, with the first file that writes it.
fn links(sites: &Sites) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for site in &sites.langs {
        for page in &site.pages {
            let html = page.doc.body.html.unpack();
            let mut rest: &str = &html;
            while let Some(i) = rest.find("href=\"http") {
                let after = &rest[i + 6..];
                let end = after.find('"').unwrap_or(after.len());
                let url = after[..end].replace("&amp;", "&");
                if url.starts_with("http://") || url.starts_with("https://") {
                    out.entry(url)
                        .or_insert_with(|| page.doc.source.display_path());
                }
                rest = &after[end..];
            }
        }
    }
    out
}

fn request(agent: &ureq::Agent, url: &str) -> Outcome {
    let head = agent.head(url).call();
    let result = match head {
        // Some servers refuse HEAD: ask again with GET.
        Ok(r) if matches!(r.status().as_u16(), 403 | 405 | 501) => agent.get(url).call(),
        Err(ureq::Error::StatusCode(403 | 405 | 501)) => agent.get(url).call(),
        other => other,
    };
    match result {
        Ok(r) => Outcome::Status(r.status().as_u16()),
        Err(ureq::Error::StatusCode(code)) => Outcome::Status(code),
        Err(e) => Outcome::Unreachable(e.to_string()),
    }
}

/// Checks the outside links of `sites`; `root` holds the cache.
pub(crate) fn check(sites: &Sites, root: &std::path::Path) -> External {
    let cache_path = root.join(".almanac-cache").join("links.json");
    let mut cache: HashMap<String, Answer> = std::fs::read_to_string(&cache_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let links = links(sites);
    let stamp = now();
    let todo: Vec<&String> = links
        .keys()
        .filter(|u| {
            cache
                .get(*u)
                .is_none_or(|a| !a.ok || stamp.saturating_sub(a.at) > FRESH)
        })
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(true)
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let answers: Mutex<Vec<(String, Outcome)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..WORKERS.min(todo.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = todo.get(i) else { break };
                    let outcome = request(&agent, url);
                    answers
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(((*url).clone(), outcome));
                }
            });
        }
    });
    let answers = answers.into_inner().unwrap_or_else(|p| p.into_inner());
    let reached = answers.iter().any(|(_, o)| matches!(o, Outcome::Status(_)));
    let offline = !answers.is_empty() && !reached;
    if !offline {
        for (url, outcome) in answers {
            let (ok, status) = match outcome {
                Outcome::Status(code) => ((200..400).contains(&code), format!("HTTP {code}")),
                Outcome::Unreachable(why) => (false, why),
            };
            cache.insert(
                url,
                Answer {
                    ok,
                    status,
                    at: stamp,
                },
            );
        }
        if let Some(dir) = cache_path.parent()
            && std::fs::create_dir_all(dir).is_ok()
            && let Ok(text) = serde_json::to_string(&cache)
        {
            let _ = std::fs::write(&cache_path, text);
        }
    }
    let mut broken = Vec::new();
    if !offline {
        for (url, file) in &links {
            let Some(a) = cache.get(url).filter(|a| !a.ok) else {
                continue;
            };
            let line = std::fs::read_to_string(root.join(file))
                .ok()
                .and_then(|t| t.lines().position(|l| l.contains(url.as_str())))
                .map_or(1, |i| i + 1);
            broken.push(
                Diagnostic::warning(format!("outside link {url} is broken: {}", a.status))
                    .at(Location {
                        path: file.clone(),
                        line,
                        col: 1,
                    })
                    .help("update or remove the link; a site that moved often redirects from its new address")
                    .code("external-broken"),
            );
        }
    }
    External {
        checked: links.len(),
        broken,
        offline,
    }
}
