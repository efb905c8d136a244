//! Time and memory grow linearly with the input: each shape of hostile or
//! unlucky content (deep nesting repeated, one name repeated, one huge block,
//! many tags) goes through PARSE, LINK and RENDER at a size and at eight times
//! that size. Linear work grows about 8x; the quadratic cases this guards
//! against (sanitizing nested quotes, tags per page, a page copied into the
//! feed) grew 64x and more.
//!
//! Its own test binary so the counting allocator sees only this work.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use almanac::fuzzing::{FILE_SEPARATOR, site};

/// The system allocator, counting the bytes live now and at the peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes to the system allocator unchanged; the counters
// only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            let now = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One build of `input` in memory: the fastest of `runs` times, and the
/// peak of bytes allocated above what was live before it.
fn measure(input: &[u8], runs: usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut peak = 0;
    for _ in 0..runs {
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let started = Instant::now();
        site(input);
        best = best.min(started.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed) - before);
    }
    (best, peak)
}

/// A site: `almanac.toml`'s text, then (path, text) for each Markdown file.
fn site_bytes(config: &str, files: &[(String, String)]) -> Vec<u8> {
    let mut out = String::from(config);
    for (path, text) in files {
        out.push_str(FILE_SEPARATOR);
        out.push_str(path);
        out.push('\n');
        out.push_str(text);
    }
    out.into_bytes()
}

/// A single page of `kind`'s folder whose body is `body`.
fn one_page(config_extra: &str, folder: &str, body: &str) -> Vec<u8> {
    let config = format!(
        "title = \"Scaling\"\nbase_url = \"https://s.example\"\n[search]\nenabled = true\n{config_extra}"
    );
    let page = format!("+++\ntitle = \"Shape\"\ndate = 2026-01-01\n+++\n\n{body}");
    site_bytes(&config, &[(format!("{folder}/shape.md"), page)])
}

/// The shapes: a name and the site at size `k`.
type Shape = (&'static str, fn(usize) -> Vec<u8>);

const SANITIZE: &str = "[markdown]\nraw_html = \"sanitize\"\n";

fn shapes() -> Vec<Shape> {
    vec![
        ("quotes nested 99 deep, repeated (sanitize)", |k| {
            let block = format!("{} deep\n\n", ">".repeat(99));
            one_page(SANITIZE, "guides", &block.repeat(k))
        }),
        ("<div> nested 99 deep, repeated (sanitize)", |k| {
            let block = format!("{}x{}\n\n", "<div>".repeat(99), "</div>".repeat(99));
            one_page(SANITIZE, "guides", &block.repeat(k))
        }),
        ("lists nested 30 deep, repeated", |k| {
            let block: String = (0..30)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect();
            one_page("", "guides", &format!("{block}\n").repeat(k))
        }),
        ("unclosed emphasis, links and code in one paragraph", |k| {
            one_page("", "guides", &"*a _b [c `d **e ".repeat(k * 20))
        }),
        ("one heading name repeated", |k| {
            one_page("", "guides", &"## Same name\n\nText.\n\n".repeat(k * 20))
        }),
        ("links to one anchor", |k| {
            let links = "[back](#target) ".repeat(k * 20);
            one_page("", "guides", &format!("## Target\n\n{links}\n"))
        }),
        ("one long highlighted code block", |k| {
            let code = "let x = vec![1, 2, 3]; // note\n".repeat(k * 5);
            one_page("", "guides", &format!("```rust\n{code}```\n"))
        }),
        ("one long table", |k| {
            let rows = "| 一 | two | `3` |\n".repeat(k * 10);
            one_page(
                "",
                "guides",
                &format!("| a | b | c |\n|---|---|---|\n{rows}"),
            )
        }),
        ("footnotes", |k| {
            let body: String = (0..k * 20)
                .map(|i| format!("Claim[^n{i}].\n\n[^n{i}]: Source {i}.\n\n"))
                .collect();
            one_page("", "guides", &body)
        }),
        ("one long Chinese paragraph", |k| {
            one_page(
                "",
                "guides",
                &"社区规则第一条请尊重每一位成员。".repeat(k * 20),
            )
        }),
        ("FAQ questions", |k| {
            one_page("", "faq", &"## 活动收费吗？\n\n不收费。\n\n".repeat(k * 10))
        }),
        ("numbered rules", |k| {
            one_page("", "rules", &"1. Be kind to each other.\n".repeat(k * 20))
        }),
        ("pages of 100 tags each", |k| {
            let config = "title = \"Scaling\"\nbase_url = \"https://s.example\"\n";
            let files: Vec<(String, String)> = (0..k / 4 + 1)
                .map(|p| {
                    let tags: Vec<String> =
                        (0..100).map(|t| format!("\"t{}\"", p * 7 + t)).collect();
                    let text = format!(
                        "+++\ntitle = \"Page {p}\"\ndate = 2026-01-01\ntags = [{}]\n+++\nText.\n",
                        tags.join(",")
                    );
                    (format!("guides/p{p}.md"), text)
                })
                .collect();
            site_bytes(config, &files)
        }),
        ("front matter with many extra keys", |k| {
            let config = "title = \"Scaling\"\nbase_url = \"https://s.example\"\n";
            let extra: String = (0..k * 20)
                .map(|i| format!("key{i} = \"value {i}\"\n"))
                .collect();
            let text = format!("+++\ntitle = \"Extra\"\n[extra]\n{extra}+++\nText.\n");
            site_bytes(config, &[("guides/extra.md".into(), text)])
        }),
    ]
}

/// First size tried for each shape, and the growth allowed for eight
/// times the input: linear is 8, n log n about 10, quadratic 64.
const K: usize = 40;
const GROWTH: usize = 8;
const LIMIT: f64 = 24.0;

#[test]
fn time_and_memory_grow_linearly_with_nesting_and_repetition() {
    // The built-in theme is compiled on first use; keep that out of the figures.
    site(&one_page("", "guides", "warm up"));
    let (empty_time, _) = measure(&one_page("", "guides", ""), 5);
    eprintln!("an empty page: {empty_time:?}");
    let mut failures = Vec::new();
    for (name, make) in shapes() {
        // Grow the smaller size until the shape costs at least three empty
        // pages, so the fixed cost of a site cannot hide quadratic work and
        // no ratio divides by noise: then linear stays under 8x and
        // quadratic goes over 30x.
        let mut k = K;
        let (mut small, (mut t1, mut m1)) = (make(k), (Duration::ZERO, 0));
        while k <= K * 64 {
            small = make(k);
            (t1, m1) = measure(&small, 3);
            if t1 >= empty_time * 3 {
                break;
            }
            k *= 2;
        }
        let large = make(k * GROWTH);
        let (t8, m8) = measure(&large, 2);
        let time_ratio = t8.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        let memory_ratio = m8 as f64 / m1.max(1) as f64;
        eprintln!(
            "{name}: {} -> {} bytes in; time {t1:?} -> {t8:?} (x{time_ratio:.1}); peak memory {m1} -> {m8} (x{memory_ratio:.1})",
            small.len(),
            large.len()
        );
        if time_ratio > LIMIT || memory_ratio > LIMIT {
            failures.push(format!(
                "{name}: x{GROWTH} input took x{time_ratio:.1} time and x{memory_ratio:.1} memory"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "superlinear growth:\n{}",
        failures.join("\n")
    );
}
