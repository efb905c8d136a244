//! Integration tests: fixture sites built with the real `almanac` binary.
//!
//! - `build`: pages, URLs, anchors, highlighting, links, tags, feeds, sitemap, themes
//! - `errors`: every error case with its message, location and exit code
//! - `incremental`: rebuilds in a session equal clean builds
//! - `kinds`: playbooks, rules, FAQs, events and calendars
//! - `languages`: several languages, hreflang, switcher, stale translations
//! - `cli`: `init`, `new`, `check`, usage errors
//! - `example`: the example site builds cleanly
//! - `search`: the search index, and the theme's script run in Node against it
//! - `serve`: the dev server over loopback
//!
//! Fixtures live in `tests/fixtures/<name>/`; each has a README saying what it covers.

mod build;
mod cli;
mod errors;
mod example;
mod incremental;
mod kinds;
mod languages;
mod search;
mod serve;
mod support;
