//! Integration tests: each builds a small site of its own in a temporary folder with the real
//! `gloss` binary and asserts on the parsed output. Modules by feature:
//!
//! - `build`: the pipeline end to end, output layout, drafts, sidecars, determinism, safety
//! - `autolink`: which mentions become links
//! - `pages`: entity, glossary, timeline, tag pages and feeds
//! - `errors`: diagnostics for bad input, and that bad input writes nothing
//! - `commands`: init, new, check, --help
//!
//! `site_test.rs` holds the `SiteTest` helper; a test names only the files it needs.

// Test helpers outside #[test] functions unwrap too: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod annotations;
mod autolink;
mod bad_sites;
mod build;
mod commands;
mod errors;
mod fuzz;
mod images;
mod import;
mod languages;
mod pages;
mod search;
mod serve;
mod site_test;
