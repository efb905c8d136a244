//! Entry points for fuzzing: the targets under `fuzz/` call these, and
//! the tests run every seed of `fuzz/corpus/` through them on stable, so
//! the targets cannot rot. Each takes any bytes and must not panic.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use crate::config::{RawHtml, SiteConfig, UnknownKeys};
use crate::diagnostic::Diagnostics;
use crate::load::{SourceFile, SourcePath};
use crate::parse::markdown::{self, MarkdownOptions};
use crate::parse::{Kind, ParseCache, front_matter};
use crate::render::Theme;

/// Front matter, as TOML or YAML, in every `unknown_keys` mode.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let source = SourceFile {
        path: SourcePath::new("fuzz.md"),
        text: Arc::from(text.as_ref()),
    };
    let Ok(split) = front_matter::split(&source.text) else {
        return;
    };
    for mode in [UnknownKeys::Error, UnknownKeys::Warn, UnknownKeys::Extra] {
        let _ = front_matter::parse(&source, &split, mode, &mut Vec::new());
    }
}

/// Markdown rendering: the first byte picks the kind, the raw HTML mode
/// and highlighting; the rest is the body.
pub fn markdown(data: &[u8]) {
    let (&choice, body) = data.split_first().unwrap_or((&0, &[]));
    let kinds = [
        Kind::Page,
        Kind::Playbook,
        Kind::Rules,
        Kind::Faq,
        Kind::Event,
    ];
    let modes = [RawHtml::Allow, RawHtml::Escape, RawHtml::Sanitize];
    let opts = MarkdownOptions {
        raw_html: modes[usize::from(choice / 5) % 3],
        highlight: choice & 0x80 != 0,
        kind: kinds[usize::from(choice) % 5],
        take_title: choice & 0x40 != 0,
        first_link: 0,
        nested: choice & 0x20 != 0,
        rule_link: "Link to rule {n}".into(),
        search: choice & 0x10 != 0,
    };
    let text = String::from_utf8_lossy(body);
    let rendered = markdown::render(&text, &opts);
    let _ = rendered.html.unpack();
    if let Some(parts) = &rendered.search {
        let _ = crate::search::extract::fields(parts).count();
    }
}

/// The search tokens a build keeps in `.almanac-cache/`: read whatever
/// the file holds (a damaged one must be refused, not panic on).
pub fn search_tokens(data: &[u8]) {
    crate::search::cache::fuzz(data);
}

/// Separates the files of a fuzzed site: `almanac.toml`, then each
/// Markdown file as its path on one line and its text.
pub const FILE_SEPARATOR: &str = "\n%%%\n";

/// A small site through PARSE, LINK and RENDER, in memory: the input is
/// `almanac.toml`, then files (see [`FILE_SEPARATOR`]).
pub fn site(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut pieces = text.split(FILE_SEPARATOR);
    let config_text = pieces.next().unwrap_or("");
    let root = Path::new("/nonexistent-almanac-fuzz-site");
    let Ok(config) = crate::config::parse(root, config_text, None) else {
        return;
    };
    if config.theme.is_some() {
        return;
    }
    let config = Arc::new(config);
    let sources: Vec<SourceFile> = pieces
        .filter_map(|piece| {
            let (path, body) = piece.split_once('\n').unwrap_or((piece, ""));
            let rel: String = path
                .trim()
                .trim_start_matches('/')
                .split('/')
                .filter(|p| !p.is_empty() && *p != "." && *p != "..")
                .collect::<Vec<_>>()
                .join("/");
            if rel.is_empty() {
                return None;
            }
            let rel = if rel.ends_with(".md") {
                rel
            } else {
                rel + ".md"
            };
            Some(SourceFile {
                path: crate::load::source_path(&config, 0, "content", &rel),
                text: Arc::from(body),
            })
        })
        .collect();
    let mut diags = Diagnostics::default();
    let docs = crate::parse::documents(sources, &config, &mut ParseCache::default(), &mut diags);
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+08:00")
        .unwrap_or_else(|_| chrono::Local::now().fixed_offset());
    let sites = crate::link::sites(docs, config.clone(), now, Default::default(), &mut diags);
    if diags.finish().is_err() {
        return;
    }
    let mut theme = theme(&config);
    let _ = crate::render::all(&sites, &mut theme, &crate::write::Discard);
}

/// The built-in theme, compiled once: its templates do not depend on the site.
fn theme(config: &SiteConfig) -> std::sync::MutexGuard<'static, Theme> {
    static THEME: OnceLock<Mutex<Theme>> = OnceLock::new();
    let theme = THEME.get_or_init(|| {
        let theme = Theme::load(config).unwrap_or_else(|e| panic!("built-in theme: {e}"));
        Mutex::new(theme)
    });
    theme.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every seed of a target's corpus, as the fuzzer would run it once.
    fn run_corpus(target: &str, f: fn(&[u8])) -> usize {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus")
            .join(target);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            // A running fuzzer may replace files while this reads them.
            let Ok(data) = entry.and_then(|e| std::fs::read(e.path())) else {
                continue;
            };
            f(&data);
            n += 1;
        }
        n
    }

    #[test]
    fn seed_corpora_run_through_every_target() {
        assert!(run_corpus("front_matter", front_matter) >= 5);
        assert!(run_corpus("markdown", markdown) >= 5);
        assert!(run_corpus("site", site) >= 3);
        assert!(run_corpus("search_tokens", search_tokens) >= 2);
    }

    /// The processor time this thread has used: unlike the time on the
    /// clock, it leaves out what the tests running beside it (and anything
    /// else the machine runs) take.
    #[cfg(unix)]
    fn now() -> std::time::Duration {
        use rustix::time::{ClockId, clock_gettime};
        let t = clock_gettime(ClockId::ThreadCPUTime);
        std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    }

    #[cfg(not(unix))]
    fn now() -> std::time::Duration {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }

    /// Best of three runs: caches and frequency vary even so.
    fn time(input: &[u8], f: fn(&[u8])) -> std::time::Duration {
        (0..3)
            .map(|_| {
                let t = now();
                f(input);
                now().saturating_sub(t)
            })
            .min()
            .unwrap_or_default()
    }

    /// Four times the input may cost about four times the time, not
    /// sixteen: what fuzzing does not look for (it stops at crashes).
    #[test]
    fn cost_stays_linear_in_nesting_and_repetition() {
        let sanitize = 5u8; // kind page, raw HTML sanitized
        type Shape = (&'static str, fn(usize) -> String);
        let shapes: [Shape; 6] = [
            ("nested quotes", |n| format!("{} x\n", ">".repeat(n))),
            ("nested divs", |n| "<div>".repeat(n) + &"</div>".repeat(n)),
            ("nested lists", |n| {
                (0..n)
                    .map(|i| format!("{}- x\n", "  ".repeat(i % 200)))
                    .collect()
            }),
            ("open brackets", |n| "[".repeat(n) + "x"),
            ("emphasis runs", |n| "*a **b ".repeat(n)),
            ("table rows", |n| {
                "| a | b |\n|---|---|\n".to_string() + &"| [x](y) | *z* |\n".repeat(n)
            }),
        ];
        for (what, make) in shapes {
            let small = [&[sanitize][..], make(5_000).as_bytes()].concat();
            let big = [&[sanitize][..], make(20_000).as_bytes()].concat();
            let (a, b) = (time(&small, markdown), time(&big, markdown));
            let ratio = b.as_secs_f64() / a.as_secs_f64().max(1e-4);
            assert!(
                ratio < 10.0,
                "{what}: 4x the input took {ratio:.1}x the time ({a:?} → {b:?})"
            );
        }
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for data in [
            &b""[..],
            b"+++",
            b"---\n---",
            b"+++\ntitle = 1\n+++\n",
            b"\xff\xfe\x00",
            b"> > > > > - - - - 1. 1. 1. [x](",
        ] {
            front_matter(data);
            markdown(data);
            site(data);
        }
    }
}
