//! almanac: a static site generator for community knowledge bases.
//!
//! The build is a pipeline of five stages, each a module with one entry
//! point (see [`pipeline`]):
//!
//! 1. [`load`]: the site folder → [`load::SourceSet`] (files, not parsed)
//! 2. [`parse`]: each source → [`parse::Document`] (front matter, kind, HTML)
//! 3. [`link`]: documents → [`link::Site`] (URLs, sections, tags, checked links, routes)
//! 4. [`render`]: the site's routes + theme → [`output::Output`]s
//! 5. [`write`]: outputs → the output folder, all or nothing
//!
//! [`session`] runs these stages again after a change, redoing only what
//! the change touches; [`serve`] is the dev server built on it.
//!
//! Vocabulary: a *source* is a Markdown file; a *document* is a parsed
//! source; a *page* is a document with a URL; a *section* is a folder; a
//! *term* is a tag; an *output* is one file of the built site.

#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]
// The stages are private; read these docs with `cargo doc --document-private-items`.
#![allow(rustdoc::private_intra_doc_links)]

// The binary needs `cli`; the tests drive `pipeline` and `serve`. The
// stages are the crate's own.
pub mod cli;
pub(crate) mod config;
pub mod diagnostic;
pub(crate) mod external;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod init;
pub(crate) mod link;
pub(crate) mod load;
pub mod output;
pub(crate) mod packed;
pub(crate) mod parse;
pub mod pipeline;
pub(crate) mod render;
pub(crate) mod search;
pub mod serve;
pub(crate) mod session;
pub(crate) mod slug;
pub(crate) mod translate;
pub(crate) mod write;
