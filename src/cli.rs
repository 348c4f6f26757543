//! The command line, declared with clap; doc comments become `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// gloss: a static site generator for annotated news explainers.
#[derive(Debug, Parser)]
#[command(name = "gloss", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// How to print diagnostics: for people, or one JSON object per line on stdout.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A snippet of the file with the problem underlined, on stderr.
    Human,
    /// `{"severity", "code", "message", "file", "line", "column", "end_line", "end_column",
    /// "label", "help"}`, one object per line on stdout.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    ///
    /// The previous output is replaced only when the whole build succeeds.
    Build(BuildArgs),
    /// Check every file and reference without writing anything.
    Check(SiteArgs),
    /// Preview the site: build it into memory, serve it, rebuild what an edit touches and
    /// reload open pages.
    ///
    /// Binds 127.0.0.1 unless --bind says otherwise; public/ is not touched.
    Serve(ServeArgs),
    /// Start a new site in DIR from the built-in theme.
    Init {
        /// The folder to create; it must be new or empty.
        dir: PathBuf,
    },
    /// Turn an agency wire story (plain text) into a draft article with key points, evidence,
    /// dateline and source filled in.
    Import(ImportArgs),
    /// Start a new article: content/articles/<slug>.md, dated today, as a draft.
    New {
        /// The article's title; the file name is made from it.
        title: String,
        /// Use this slug for the file name instead of one made from the title.
        #[arg(long)]
        slug: Option<String>,
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's root folder, where site.toml is.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Use this base URL instead of site.toml's (for preview deployments).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Fail on warnings too (unused entries, missing key points, http: links).
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Print how long each phase took (load, resolve, links, render, write).
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site's root folder, where site.toml is.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. Anything but loopback makes drafts readable on the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the desktop's browser.
    #[arg(long)]
    pub open: bool,
    /// Include articles and pages marked `draft: true` (shown with a "Draft" badge).
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The wire story: UTF-8 plain text, any line endings.
    pub file: PathBuf,
    /// The article's slug [default: from the slug line or the headline].
    #[arg(long)]
    pub slug: Option<String>,
    /// The title, when the story has no headline line.
    #[arg(long)]
    pub title: Option<String>,
    /// The story's date (YYYY-MM-DD), when the dateline has none or lacks the year [default: today].
    #[arg(long)]
    pub date: Option<String>,
    /// Keep the text verbatim in <slug>.md and write the annotations to <slug>.yaml beside it.
    #[arg(long)]
    pub sidecar: bool,
    /// Also print YAML stubs for names that are not in content/entities.yaml yet.
    #[arg(long)]
    pub suggest_entities: bool,
    /// The site's root folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}
