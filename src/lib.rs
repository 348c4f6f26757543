//! gloss: a static site generator for annotated news explainers.
//!
//! Data flows one way, each stage consuming the previous one's output:
//! ```text
//! site.toml, content/, themes/
//!    -> config::load       site.toml -> Config
//!    -> content::load      files -> Loaded (raw articles, pages, registries)
//!    -> content::translations::for_language   one Loaded per language (multilingual sites)
//!    -> resolve::resolve   references, auto-links, backlinks, timeline -> Site (immutable)
//!    -> render::render     Site -> Vec<OutputFile> (Markdown, templates; no I/O)
//!    -> write::Staging     files streamed into a staging folder, then swapped into public/
//! ```
//! Every stage records problems in a [`diagnostics::Diagnostics`] and carries on, so a build
//! reports all of them; nothing is rendered from input with errors. [`build::build`] runs the
//! whole pipeline; [`scaffold`] holds `gloss init` and `gloss new`.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fuzz;
pub mod i18n;
pub mod images;
pub mod import;
pub mod languages;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod theme;
pub mod write;

pub use build::{BuildOptions, BuildReport, Error, build, generate};
