//! The render stage: `&Site` → every output file, in memory. No I/O happens here: `write` is
//! the only writer, and `check` can render without writing.
//!
//! Links between pages are relative (`../../entities/x/`), so a built site works under any
//! host and sub-path; URLs that must be absolute (canonical, feeds, structured data) come
//! from `base_url`. The 404 page is served at any depth, so its links use the base path.

pub mod archive;
mod assets;
mod context;
pub mod entity_index;
pub mod escape;
mod feeds;
mod fragments;
pub mod glossary;
pub mod images;
pub mod markdown;
pub mod paginate;
pub mod search;
pub mod seo;
mod templates;
pub mod timeline;

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

use crate::content::Date;
use crate::diagnostics::Diagnostic;
use crate::images::Catalogue;
use crate::site::{Article, Entity, Site};
use crate::theme::Theme;
pub use templates::Templates;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated: `articles/x/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: contents.into(),
        }
    }
}

/// Where rendered files go. `build` streams them into the write stage's staging folder as they
/// are made, so a large site is never held in memory whole; `check` only counts them.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), SinkError>;

    /// Puts the file at `from` (a processed image in the cache) at `path`. By default it is
    /// read and put; the write stage links it instead of copying its bytes.
    fn link(&self, path: String, from: &std::path::Path) -> Result<(), SinkError> {
        let bytes = std::fs::read(from).map_err(|e| SinkError(Box::new(e)))?;
        self.put(OutputFile::new(path, bytes))
    }
}

/// A sink that could not take a file (a disk error, an unsafe path).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SinkError(pub Box<dyn std::error::Error + Send + Sync>);

/// Counts files and drops them: `gloss check` renders everything and writes nothing.
#[derive(Default)]
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), SinkError> {
        Ok(())
    }

    fn link(&self, _: String, _: &std::path::Path) -> Result<(), SinkError> {
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Template problems, each once.
    #[error("templates failed")]
    Templates(Vec<Diagnostic>),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

/// What a render produced.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub files: usize,
    pub pages: usize,
    pub bytes: usize,
    /// Where indexing for search spent its time, when the build made an index.
    pub search: Option<search::Timings>,
}

impl Stats {
    /// Adds another language's render to this one.
    pub fn add(&mut self, other: Stats) {
        self.files += other.files;
        self.pages += other.pages;
        self.bytes += other.bytes;
        self.search = match (self.search.take(), other.search) {
            (Some(a), Some(b)) => Some(search::Timings {
                parse: a.parse + b.parse,
                build: a.build + b.build,
                pages: a.pages + b.pages,
                skipped: a.skipped.into_iter().chain(b.skipped).collect(),
            }),
            (a, b) => a.or(b),
        };
    }
}

/// A stable hash of a file's content (FNV-1a), for cache validators.
pub fn content_hash(bytes: &[u8]) -> u64 {
    assets::fnv1a(bytes)
}

/// Which files to render: all of them, or those a change touched (`gloss serve`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub all: bool,
    /// Article pages, by slug.
    pub articles: BTreeSet<String>,
    /// Entity pages, by id.
    pub entities: BTreeSet<String>,
    /// Tag pages and their feeds, by slug.
    pub tags: BTreeSet<String>,
    /// Pages and files that list articles.
    pub lists: Lists,
    /// Tag feeds, by tag slug.
    pub tag_feeds: BTreeSet<String>,
    /// Plain pages.
    pub pages: bool,
    /// The theme's static files.
    pub statics: bool,
}

/// The pages and files that list articles, each of which an edit may or may not change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lists {
    pub front: bool,
    /// The entity index, with mention counts.
    pub entities: bool,
    pub glossary: bool,
    pub timeline: bool,
    pub tags: bool,
    pub corrections: bool,
    /// The site's Atom feed.
    pub feed: bool,
    /// The sitemap and the news sitemap.
    pub sitemaps: bool,
}

impl Lists {
    pub fn all() -> Lists {
        Lists {
            front: true,
            entities: true,
            glossary: true,
            timeline: true,
            tags: true,
            corrections: true,
            feed: true,
            sitemaps: true,
        }
    }
}

/// The articles (indexes into `Site::articles`) whose full text the feeds carry.
pub fn feed_articles(site: &Site) -> BTreeSet<usize> {
    feeds::feed_articles(site)
}

impl Selection {
    pub fn all() -> Selection {
        Selection {
            all: true,
            ..Selection::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Selection::default()
    }

    fn job(&self, site: &Site, job: &Job) -> bool {
        self.all
            || match *job {
                Job::Index => self.lists.front,
                Job::Entities(_) => self.lists.entities,
                Job::Glossary | Job::GlossaryLetter(_) | Job::Term(..) => self.lists.glossary,
                Job::Timeline(..) => self.lists.timeline,
                Job::Tags => self.lists.tags,
                Job::Corrections => self.lists.corrections,
                // The archive lists titles and dates, as the front page does.
                Job::ArchiveIndex | Job::Archive(..) => self.lists.front,
                Job::Article(i) => self.articles.contains(&site.articles[i].slug),
                Job::Entity(id, _) => self.entities.contains(id),
                Job::Tag(slug, _) => self.tags.contains(slug),
                Job::Page(_) => self.pages,
                Job::NotFound | Job::Search => false,
            }
    }
}

/// Renders every page of the site into `sink`. Template problems come back as diagnostics; a
/// render that fails has still given some files to the sink, which must then be thrown away.
pub fn render(
    site: &Site,
    theme: &Theme,
    images: &Catalogue,
    sink: &dyn Sink,
) -> Result<Stats, RenderError> {
    render_selected(site, theme, images, sink, &Selection::all())
}

/// The parsed templates, the theme's static files (highlighting included) and the paths pages
/// link them by.
#[allow(clippy::type_complexity)]
fn prepare(
    site: &Site,
    theme: &Theme,
) -> Result<
    (
        Templates,
        std::collections::BTreeMap<String, Vec<u8>>,
        std::collections::BTreeMap<String, String>,
    ),
    RenderError,
> {
    let templates = Templates::new(theme).map_err(|d| RenderError::Templates(vec![d]))?;
    let mut static_files = theme.static_files.clone();
    if !static_files.contains_key("highlight.css") {
        let css = markdown::highlight_css(&site.config.highlight_theme).map_err(|m| {
            RenderError::Templates(vec![
                Diagnostic::error("gloss::config", m).in_file("site.toml"),
            ])
        })?;
        static_files.insert("highlight.css".to_string(), css.into_bytes());
    }
    let asset_paths = assets::asset_paths(&static_files, !site.config.preview);
    Ok((templates, static_files, asset_paths))
}

/// The search index alone (`pagefind/`), from the article and entity pages and the glossary:
/// `gloss serve` builds it in the background after edits. A page's HTML comes from `rendered`
/// (the files being served, by output path) or is rendered again; a page whose bytes are the
/// ones `known` saw last time is not parsed again, and `known` ends holding this run's pages.
pub fn search_index<'a>(
    site: &Site,
    theme: &Theme,
    images: &Catalogue,
    rendered: &(dyn Fn(&str) -> Option<&'a [u8]> + Sync),
    known: &mut search::Known,
) -> Result<Vec<OutputFile>, RenderError> {
    let (templates, _, asset_paths) = prepare(site, theme)?;
    let strings = crate::i18n::strings(theme, &site.config.language);
    let pieces = fragments::Fragments::new(site, images, &strings);
    let t = strings.to_value();
    let r = Renderer {
        site,
        templates: &templates,
        assets: &asset_paths,
        pieces: &pieces,
        strings: &strings,
        t: &t,
        common: std::sync::OnceLock::new(),
        periods: std::sync::OnceLock::new(),
        timeline_years: std::sync::OnceLock::new(),
        entity_order: std::sync::OnceLock::new(),
    };
    let jobs: Vec<(Job, String)> = site
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                Job::Article(i),
                ["articles/", &a.slug, "/index.html"].concat(),
            )
        })
        .chain(site.entities.keys().map(|id| {
            (
                Job::Entity(id.as_str(), 1),
                ["entities/", id, "/index.html"].concat(),
            )
        }))
        .collect();
    let indexer = search::Indexer::start(&site.config.language);
    let language = &site.config.language;
    let last = std::mem::take(known).for_language(language);
    *known = search::Known::default().for_language(language);
    for jobs in jobs.chunks(64) {
        let parsed: Vec<Result<Option<(String, search::Seen)>, Diagnostic>> = jobs
            .par_iter()
            .map(|(job, path)| {
                let url = search_url(path);
                let rendered_again;
                let bytes = match rendered(path) {
                    Some(bytes) => bytes,
                    None => {
                        rendered_again = r.render(job)?;
                        rendered_again.bytes.as_slice()
                    }
                };
                let digest = blake3::hash(bytes);
                if let Some(seen) = last.reuse(&url, digest) {
                    return Ok(Some((url, seen)));
                }
                let parsed = search_record(site, url.clone(), bytes).and_then(|r| indexer.parse(r));
                Ok(parsed.map(|parsed| (url, search::Seen::new(digest, parsed))))
            })
            .collect();
        for page in parsed {
            if let Some((url, seen)) = page.map_err(|d| RenderError::Templates(vec![d]))? {
                indexer.add(seen.parsed.clone());
                known.insert(url, seen);
            }
        }
    }
    index_terms(site, &strings, &indexer);
    indexer.finish().map(|(files, _)| files).map_err(|m| {
        RenderError::Templates(vec![Diagnostic::error(
            "gloss::search",
            format!("the search index failed: {m}"),
        )])
    })
}

/// [`render`], for the files `selection` names only.
pub fn render_selected(
    site: &Site,
    theme: &Theme,
    images: &Catalogue,
    sink: &dyn Sink,
    selection: &Selection,
) -> Result<Stats, RenderError> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let (templates, static_files, asset_paths) = prepare(site, theme)?;
    // The files every language shares (theme assets, robots.txt, the 404 page) are the
    // default language's to write.
    let shared = site.config.prefix.is_empty();
    let strings = crate::i18n::strings(theme, &site.config.language);
    let pieces = fragments::Fragments::new(site, images, &strings);
    let t = strings.to_value();
    let r = Renderer {
        site,
        templates: &templates,
        assets: &asset_paths,
        pieces: &pieces,
        strings: &strings,
        t: &t,
        common: std::sync::OnceLock::new(),
        periods: std::sync::OnceLock::new(),
        timeline_years: std::sync::OnceLock::new(),
        entity_order: std::sync::OnceLock::new(),
    };

    let (files, pages, bytes) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let emit = |mut file: OutputFile| -> Result<(), SinkError> {
        if site.config.minify && file.path.ends_with(".html") {
            file.bytes = assets::minify_html(&file.bytes);
        }
        files.fetch_add(1, Relaxed);
        bytes.fetch_add(file.bytes.len(), Relaxed);
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Relaxed);
        }
        if site.config.precompress {
            for compressed in assets::precompress(std::slice::from_ref(&file)) {
                files.fetch_add(1, Relaxed);
                sink.put(compressed)?;
            }
        }
        sink.put(file)
    };

    // The pages that list the whole archive first: each is one long job (the glossary of a
    // 10,000-article site takes 0.1 s), and left for last they would keep one thread busy
    // while the others had nothing left to do.
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend(glossary::jobs(site));
    jobs.extend(timeline::jobs(site));
    let per = site.config.paginate.tags;
    jobs.extend(site.tags.iter().flat_map(|(slug, tag)| {
        (1..=paginate::count(tag.articles.len(), per)).map(move |n| Job::Tag(slug.as_str(), n))
    }));
    jobs.extend(entity_index::jobs(site));
    jobs.push(Job::Tags);
    jobs.push(Job::Corrections);
    jobs.push(Job::Index);
    jobs.extend(archive::jobs(site, r.periods()));
    jobs.extend((0..site.articles.len()).map(Job::Article));
    let per = site.config.paginate.entities;
    jobs.extend(site.entities.iter().flat_map(|(id, e)| {
        (1..=paginate::count(e.mentions.len(), per)).map(move |n| Job::Entity(id.as_str(), n))
    }));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    if shared {
        jobs.push(Job::NotFound);
    }
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.retain(|job| selection.job(site, job));

    // The search index takes articles and entity pages as they are rendered, in job order (a
    // chunk at a time, each rendered in parallel), so that it comes out the same every build.
    let indexer = (site.config.search && selection.all && !site.config.preview)
        .then(|| search::Indexer::start(&site.config.language));
    let chunk = if indexer.is_some() {
        64
    } else {
        jobs.len().max(1)
    };
    // Feeds, sitemaps and static files need no page: they are made alongside the pages, so
    // that no thread is left making them alone at the end.
    let others = || -> Result<(), SinkError> {
        let feeds_wanted = selection.all || selection.lists.feed || !selection.tag_feeds.is_empty();
        let sitemaps = selection.all || selection.lists.sitemaps;
        if !(feeds_wanted || sitemaps || selection.statics) {
            return Ok(());
        }
        // Feeds carry only the newest articles: render just those bodies, once each.
        let in_feeds: BTreeSet<usize> = if feeds_wanted {
            feeds::feed_articles(site)
        } else {
            BTreeSet::new()
        };
        let bodies: std::collections::BTreeMap<usize, String> = in_feeds
            .into_par_iter()
            .map(|i| {
                (
                    i,
                    markdown::to_html_with(&site.articles[i].body, site, &pieces),
                )
            })
            .collect();
        if selection.all || selection.lists.feed {
            emit(feeds::atom(site, &bodies))?;
        }
        if sitemaps {
            emit(feeds::news_sitemap(site))?;
            for file in feeds::sitemaps(site, &sitemap_entries(site)) {
                emit(file)?;
            }
        }
        if selection.all || !selection.tag_feeds.is_empty() {
            for feed in feeds::tag_feeds(site, &bodies) {
                let slug = feed.path.split('/').nth(1).unwrap_or_default();
                if selection.all || selection.tag_feeds.contains(slug) {
                    emit(feed)?;
                }
            }
        }
        if selection.all && shared {
            emit(feeds::robots(site))?;
        }
        if selection.all {
            // Processed images, from the cache; counted, never precompressed.
            for (path, from) in images.files() {
                files.fetch_add(1, Relaxed);
                sink.link(path, &from)?;
            }
        }
        if (selection.all || selection.statics) && shared {
            // Plain names too, for links written by hand in content or custom templates.
            for (name, bytes) in &static_files {
                let plain = format!("static/{name}");
                if let Some(path) = asset_paths.get(name).filter(|p| **p != plain) {
                    emit(OutputFile::new(path.clone(), bytes.clone()))?;
                }
                emit(OutputFile::new(plain, bytes.clone()))?;
            }
        }
        Ok(())
    };
    // With search, the pages the index takes come first: once they are in, the index is built
    // on its own thread while the other pages render, rather than after the last of them with
    // a core idle (0.66 s at 10,000 articles). The long list pages still lead that second run.
    let (jobs, later): (Vec<Job>, Vec<Job>) = if indexer.is_some() {
        jobs.into_iter().partition(indexed)
    } else {
        (jobs, Vec::new())
    };
    let make_pages = || -> Result<(Vec<RenderError>, Option<search::Timings>), RenderError> {
        let mut indexer = indexer;
        let mut failures: Vec<RenderError> = Vec::new();
        let mut search_timings = None;
        for jobs in jobs.chunks(chunk) {
            // Small pieces: rayon otherwise hands out runs of hundreds of pages that cannot be
            // split once started, and one thread was left rendering alone for the last 0.1-0.25 s.
            let results: Vec<Result<Option<search::Parsed>, RenderError>> = jobs
                .par_iter()
                .with_max_len(4)
                .map(|job| {
                    let file = r.render(job).map_err(|d| RenderError::Templates(vec![d]))?;
                    let parsed = match &indexer {
                        Some(indexer) if indexed(job) => {
                            match search_record(site, search_url(&file.path), &file.bytes) {
                                Some(record) => indexer.parse(record),
                                None => {
                                    indexer.skip(
                                        &format!("/{}", file.path.trim_end_matches("index.html")),
                                        "its template marks no element `data-pagefind-body`; it is not in the index",
                                    );
                                    None
                                }
                            }
                        }
                        _ => None,
                    };
                    emit(file)?;
                    Ok(parsed)
                })
                .collect();
            for result in results {
                match (result, &indexer) {
                    (Ok(Some(parsed)), Some(indexer)) => indexer.add(parsed),
                    (Ok(_), _) => {}
                    (Err(e), _) => failures.push(e),
                }
            }
        }
        if let Some(indexer) = indexer.as_mut() {
            index_terms(site, &strings, indexer);
            indexer.close();
        }
        let rendered: Vec<Result<(), RenderError>> = later
            .par_iter()
            .with_max_len(4)
            .map(|job| {
                let file = r.render(job).map_err(|d| RenderError::Templates(vec![d]))?;
                emit(file)?;
                Ok(())
            })
            .collect();
        failures.extend(rendered.into_iter().filter_map(Result::err));
        if let Some(indexer) = indexer {
            match indexer.finish() {
                Ok((files, timings)) => {
                    search_timings = Some(timings);
                    for file in files {
                        emit(file)?;
                    }
                }
                Err(message) => failures.push(RenderError::Templates(vec![
                    Diagnostic::error(
                        "gloss::search",
                        format!("the search index failed: {message}"),
                    )
                    .in_file("site.toml")
                    .help("set `search = false` in site.toml to build without search"),
                ])),
            }
        }
        Ok((failures, search_timings))
    };
    let (made, others) = rayon::join(make_pages, others);
    let (failures, search) = made?;
    let mut errors: Vec<Diagnostic> = Vec::new();
    for failure in failures {
        match failure {
            RenderError::Sink(e) => return Err(RenderError::Sink(e)),
            RenderError::Templates(list) => {
                for d in list {
                    // One broken template fails every page that uses it; report it once.
                    if !errors.iter().any(|e| e.to_string() == d.to_string()) {
                        errors.push(d);
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(RenderError::Templates(errors));
    }

    others?;
    Ok(Stats {
        files: files.into_inner(),
        pages: pages.into_inner(),
        bytes: bytes.into_inner(),
        search,
    })
}

/// From an article or entity page (`articles/x/`) back to the site root.
const ARTICLE_ROOT: &str = "../../";

enum Job<'a> {
    Index,
    Article(usize),
    /// An entity page: its id and the page's number, from 1.
    Entity(&'a str, usize),
    /// A page of the index of entities, from 1.
    Entities(usize),
    /// `/glossary/`.
    Glossary,
    /// A letter's page of a glossary cut by letter: the letter as in its path.
    GlossaryLetter(String),
    /// A term's page of the articles that use it: its id and the page's number, from 1.
    Term(&'a str, usize),
    /// `/timeline/`, or a year's page of a timeline cut by year, from 1.
    Timeline(Option<i16>, usize),
    Tags,
    Corrections,
    /// `/archive/`.
    ArchiveIndex,
    /// A year's or a month's page of the archive.
    Archive(archive::Period, usize),
    /// A topic page: the tag's slug and the page's number, from 1.
    Tag(&'a str, usize),
    Page(usize),
    NotFound,
    Search,
}

/// Whether the search index takes the page `job` makes: articles and entity pages (an entity's
/// later pages repeat its name: only the first is indexed).
fn indexed(job: &Job) -> bool {
    matches!(job, Job::Article(_) | Job::Entity(_, 1))
}

/// A rendered article or entity page, as the search index wants it.
fn search_record(site: &Site, url: String, bytes: &[u8]) -> Option<search::Record> {
    let html = std::str::from_utf8(bytes).ok()?;
    let html = search::indexable(html, &site.config.language)?;
    Some(search::Record { url, html })
}

/// The URL the index gives the page written at `path` (`articles/x/index.html` -> `/articles/x/`).
fn search_url(path: &str) -> String {
    format!("/{}", path.trim_end_matches("index.html"))
}

/// Gives the index one record per glossary term, parsed in parallel, added in term order.
fn index_terms(site: &Site, strings: &crate::i18n::Strings, indexer: &search::Indexer) {
    let terms: Vec<search::Parsed> = term_records(site, strings)
        .into_par_iter()
        .filter_map(|record| indexer.parse(record))
        .collect();
    for parsed in terms {
        indexer.add(parsed);
    }
}

/// One search record per glossary term, landing on its entry in the glossary.
fn term_records(site: &Site, strings: &crate::i18n::Strings) -> Vec<search::Record> {
    use escape::{escape_attr, escape_html};
    site.terms
        .values()
        .map(|t| {
            let aliases = if t.aliases.is_empty() {
                String::new()
            } else {
                format!(
                    "<p data-pagefind-weight=\"8\">{}</p>",
                    escape_html(&t.aliases.join(", "))
                )
            };
            let html = format!(
                "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head><body>\
                 <article data-pagefind-body><span data-pagefind-filter=\"type[data-value]\" data-value=\"term\"></span>\
                 <span data-pagefind-meta=\"kind[data-value]\" data-value=\"{kind}\"></span>\
                 <h1 data-pagefind-weight=\"10\">{term}</h1>{aliases}<p>{definition}</p></article></body></html>",
                lang = escape_attr(&site.config.language),
                kind = escape_attr(strings.get("glossary")),
                term = escape_html(&t.term),
                definition = escape_html(&t.definition_text),
            );
            search::Record {
                url: ["/", &glossary::term_path(site, t)].concat(),
                html,
            }
        })
        .collect()
}

struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    /// Theme file name → fingerprinted output path.
    assets: &'a std::collections::BTreeMap<String, String>,
    pieces: &'a fragments::Fragments<'a>,
    /// The interface's words in the site's language, and as templates see them (`t`).
    strings: &'a crate::i18n::Strings,
    t: &'a tera::Value,
    /// The common context of pages two folders down (articles and entities), made once.
    common: std::sync::OnceLock<Common>,
    /// The archive's years and months, made when first needed.
    periods: std::sync::OnceLock<std::collections::BTreeMap<archive::Period, Vec<usize>>>,
    /// The timeline's events by year, and the entity index's order: made once, not per page.
    timeline_years: std::sync::OnceLock<std::collections::BTreeMap<i16, Vec<usize>>>,
    entity_order: std::sync::OnceLock<Vec<&'a Entity>>,
}

/// What every page's context holds that depends only on the way back to the root.
struct Common {
    site: tera::Value,
    assets: tera::Value,
    feed_url: tera::Value,
    footer_pages: tera::Value,
}

/// The relative path from a page at `path` (`articles/x/`) to the site root.
fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl Renderer<'_> {
    /// What an entity page shows of the entity itself.
    fn entity_ctx<'e>(&'e self, entity: &'e Entity) -> context::EntityCtx<'e> {
        let site = self.site;
        context::EntityCtx {
            id: &entity.id,
            name: &entity.name,
            kind: entity.kind.as_str(),
            kind_label: self.strings.kind(entity.kind, false),
            role: entity.role.as_deref(),
            aliases: &entity.aliases,
            description_html: entity
                .description
                .as_ref()
                .map(|d| markdown::to_html_with(d, site, self.pieces)),
            wikidata: entity.wikidata.as_deref(),
            wikidata_url: entity.wikidata.as_deref().map(seo::wikidata_url),
            image_html: entity.image.as_deref().and_then(|image| {
                let p = self.pieces.images().get(image)?;
                Some(images::figure(
                    image,
                    p,
                    fragments::ROOT,
                    images::ENTITY_SIZES,
                    images::Loading::Lead,
                    "entity-image",
                    None,
                ))
            }),
        }
    }

    fn periods(&self) -> &std::collections::BTreeMap<archive::Period, Vec<usize>> {
        self.periods.get_or_init(|| archive::periods(self.site))
    }

    fn render(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        match *job {
            Job::Index => {
                let mut ctx = self.context(
                    "",
                    "index",
                    &site.config.title,
                    Some(&site.config.description),
                );
                let list: Vec<context::Summary> = site
                    .articles
                    .iter()
                    .take(site.config.front_page_limit)
                    .map(|a| self.article_summary(a, ""))
                    .collect();
                ctx.insert("articles", &list);
                self.page("", "index.html", &ctx)
            }
            Job::Article(i) => {
                let article = &site.articles[i];
                let path = ["articles/", &article.slug, "/"].concat();
                let mut ctx =
                    self.context(&path, "article", &article.title, article.dek.as_deref());
                let body = markdown::to_html_with(&article.body, site, self.pieces);
                // The people list joins entries made once per build (see `fragments`).
                let mut fields = tera::Value::from_serializable(&self.article(article, &body))
                    .into_map()
                    .unwrap_or_default();
                fields.insert("people".into(), self.people(article));
                ctx.insert_value("article", tera::Value::from(fields));
                let docs = std::iter::once(&article.body)
                    .chain(&article.background)
                    .chain(article.annotations.iter().map(|n| &n.note));
                ctx.insert(
                    "preview_data",
                    &self.preview_data(docs, ARTICLE_ROOT, Some(article)),
                );
                ctx.insert(
                    "json_ld",
                    &escape::script_safe(&seo::article_json(site, article, self.pieces)),
                );
                ctx.insert(
                    "claims_json_ld",
                    &seo::claim_reviews_json(site, article).map(|v| escape::script_json(&v)),
                );
                self.page(&path, "article.html", &ctx)
            }
            Job::Entity(id, number) => {
                let entity = &site.entities[id];
                let base = ["entities/", id, "/"].concat();
                let path = paginate::path(&base, number);
                // Links in the description and the mention list are made for ROOT, which is
                // where entity pages are; later pages are two folders further down.
                let up = if number > 1 { "../../" } else { "" };
                debug_assert_eq!(root_for(&path), [up, fragments::ROOT].concat());
                let description = entity.role.clone().unwrap_or_else(|| {
                    self.strings
                        .fill("entity_description", &[("name", &entity.name)])
                });
                let per = site.config.paginate.entities;
                let total = paginate::count(entity.mentions.len(), per);
                let pager = paginate::Pager::new(&base, number, total, &root_for(&path));
                let mut ctx = self.context(
                    &path,
                    "entity",
                    &pager.title(&entity.name, self.strings),
                    Some(&description),
                );
                if total > 1 {
                    ctx.insert("pager", &pager);
                }
                ctx.insert("mention_count", &entity.mentions.len());
                let mut shown_entity = self.entity_ctx(entity);
                if number > 1 {
                    shown_entity.description_html = None;
                    shown_entity.image_html = None;
                }
                ctx.insert("entity", &shown_entity);
                let shown = &entity.mentions[paginate::range(number, per, entity.mentions.len())];
                let mentions: Vec<context::MentionCtx> = shown
                    .iter()
                    .map(|m| self.pieces.mention_from(m, up))
                    .collect();
                ctx.insert("mentions", &mentions);
                // What the entity is, its picture and the entities around it: on its first
                // page; later pages list older mentions only.
                if number == 1 {
                    let related: Vec<tera::Value> = entity
                        .related
                        .iter()
                        .filter_map(|id| self.pieces.entity_link(id))
                        .collect();
                    ctx.insert_value("related", tera::Value::from(related));
                    ctx.insert(
                        "json_ld",
                        &escape::script_safe(&seo::entity_page_json(
                            site,
                            entity,
                            shown,
                            self.pieces,
                        )),
                    );
                } else {
                    ctx.insert_value("related", tera::Value::from(Vec::<tera::Value>::new()));
                }
                self.page(&path, "entity.html", &ctx)
            }
            Job::Entities(number) => self.entity_index(number),
            Job::Glossary => self.glossary_page(None),
            Job::GlossaryLetter(ref anchor) => self.glossary_page(Some(anchor)),
            Job::Term(id, number) => self.term_page(id, number),
            Job::Timeline(year, number) => self.timeline_page(year, number),
            Job::Tags => {
                let path = "tags/";
                let root = root_for(path);
                let mut ctx = self.context(path, "tags", self.strings.get("topics"), None);
                let tags: Vec<Value> = site
                    .tags
                    .iter()
                    .map(|(slug, t)| json!({"name": t.name, "url": format!("{root}tags/{slug}/"), "count": t.articles.len()}))
                    .collect();
                ctx.insert("tags", &tags);
                self.page(path, "tags.html", &ctx)
            }
            Job::ArchiveIndex => self.archive_index(self.periods()),
            Job::Archive(period, number) => self.archive_page(self.periods(), period, number),
            Job::Corrections => {
                let path = "corrections/";
                let root = root_for(path);
                let mut ctx = self.context(
                    path,
                    "corrections",
                    self.strings.get("corrections"),
                    Some(self.strings.get("corrections_description")),
                );
                let mut list: Vec<(Date, usize, &str)> = site
                    .articles
                    .iter()
                    .enumerate()
                    .flat_map(|(i, a)| {
                        a.corrections
                            .iter()
                            .map(move |c| (c.date, i, c.text.as_str()))
                    })
                    .collect();
                // Newest first; same-day corrections keep article order.
                list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let list: Vec<Value> = list
                    .into_iter()
                    .map(|(date, i, text)| {
                        let a = &site.articles[i];
                        json!({
                            "date_iso": date.iso(),
                            "date_long": self.strings.date(date),
                            "text": text,
                            "title": a.title,
                            "url": format!("{root}articles/{}/#corrections-title", a.slug),
                        })
                    })
                    .collect();
                ctx.insert("corrections", &list);
                self.page(path, "corrections.html", &ctx)
            }
            Job::Tag(slug, number) => {
                let tag = &site.tags[slug];
                let base = ["tags/", slug, "/"].concat();
                let path = paginate::path(&base, number);
                let root = root_for(&path);
                let per = site.config.paginate.tags;
                let total = paginate::count(tag.articles.len(), per);
                let pager = paginate::Pager::new(&base, number, total, &root);
                let mut ctx =
                    self.context(&path, "tag", &pager.title(&tag.name, self.strings), None);
                if total > 1 {
                    ctx.insert("pager", &pager);
                }
                ctx.insert(
                    "tag",
                    &json!({
                        "name": tag.name,
                        "slug": slug,
                        "feed_url": site.config.base_url.join(&format!("tags/{slug}/atom.xml")),
                    }),
                );
                let list: Vec<context::Summary> = tag.articles
                    [paginate::range(number, per, tag.articles.len())]
                .iter()
                .map(|&i| self.article_summary(&site.articles[i], &root))
                .collect();
                ctx.insert("articles", &list);
                ctx.insert("count", &tag.articles.len());
                self.page(&path, "tag.html", &ctx)
            }
            Job::Page(i) => {
                let page = &site.pages[i];
                let path = format!("{}/", page.slug);
                let root = root_for(&path);
                let mut ctx = self.context(&path, "page", &page.title, page.description.as_deref());
                ctx.insert(
                    "body_html",
                    &markdown::to_html(&page.body, site, self.pieces.images(), &root),
                );
                ctx.insert(
                    "preview_data",
                    &self.preview_data(std::iter::once(&page.body), &root, None),
                );
                self.page(&path, "page.html", &ctx)
            }
            Job::Search => {
                let path = "search/";
                let ctx = self.context(
                    path,
                    "search",
                    self.strings.get("search"),
                    Some(self.strings.get("search_description")),
                );
                self.page(path, "search.html", &ctx)
            }
            Job::NotFound => {
                // Served for missing URLs at any depth, so links start from the base path.
                let mut ctx = self.context_with_root(
                    "404.html",
                    site.config.base_url.path(),
                    "404",
                    self.strings.get("not_found"),
                    None,
                );
                ctx.insert("page", &json!({"title": self.strings.get("not_found"), "description": null, "canonical": null, "kind": "404"}));
                let html = self.templates.render("404.html", &ctx)?;
                Ok(OutputFile::new("404.html", html))
            }
        }
    }

    fn page(&self, path: &str, template: &str, ctx: &Context) -> Result<OutputFile, Diagnostic> {
        let html = self.templates.render(template, ctx)?;
        Ok(OutputFile::new(format!("{path}index.html"), html))
    }

    fn context(&self, path: &str, kind: &str, title: &str, description: Option<&str>) -> Context {
        self.context_with_root(path, &root_for(path), kind, title, description)
    }

    /// What every template gets: the site, the page, and the way back to the root.
    fn context_with_root(
        &self,
        path: &str,
        root: &str,
        kind: &str,
        title: &str,
        description: Option<&str>,
    ) -> Context {
        let made;
        let common = if root == ARTICLE_ROOT {
            self.common.get_or_init(|| self.common(ARTICLE_ROOT))
        } else {
            made = self.common(root);
            &made
        };
        let config = &self.site.config;
        let mut ctx = Context::new();
        ctx.insert_value("site", common.site.clone());
        ctx.insert_value("t", self.t.clone());
        ctx.insert("root", root);
        match self.site.translations.of(path, &config.language) {
            Some((alternates, x_default)) => {
                ctx.insert("alternates", &alternates);
                ctx.insert("x_default", &x_default);
            }
            None => {
                ctx.insert("alternates", &Value::Null);
                ctx.insert("x_default", &Value::Null);
            }
        }
        ctx.insert(
            "page",
            &context::PageCtx {
                title,
                description: description.filter(|d| !d.is_empty()),
                canonical: Some(config.base_url.join(path)),
                kind,
                path,
            },
        );
        ctx.insert_value("assets", common.assets.clone());
        ctx.insert_value("feed_url", common.feed_url.clone());
        ctx.insert_value("footer_pages", common.footer_pages.clone());
        ctx.insert("json_ld", &Value::Null);
        ctx.insert("preview_data", &Value::Null);
        ctx.insert("pager", &Value::Null);
        ctx
    }

    /// The context every page at `root` shares. Pages two folders down, nearly all of them,
    /// clone it from `self.common` instead (cheap: Tera's strings and lists are shared).
    fn common(&self, root: &str) -> Common {
        let site = self.site;
        let config = &site.config;
        // Theme files are shared by every language: from `fr/` they are one folder up.
        let up = "../".repeat(config.prefix.matches('/').count());
        let asset = |name: &str| match self.assets.get(name) {
            Some(path) => format!("{root}{up}{path}"),
            None => format!("{root}{up}static/{name}"),
        };
        let footer: Vec<context::Link> = site
            .pages
            .iter()
            .map(|p| context::Link {
                title: &p.title,
                url: format!("{root}{}/", p.slug),
            })
            .collect();
        Common {
            site: tera::Value::from_serializable(&context::SiteCtx {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                dir: crate::config::text_direction(&config.language),
                base_url: config.base_url.as_str(),
                publisher: &config.publisher,
                search: config.search,
            }),
            assets: tera::Value::from_serializable(&context::Assets {
                style: asset("style.css"),
                highlight: asset("highlight.css"),
                script: asset("gloss.js"),
                search: asset("search.js"),
                icon: asset("favicon.svg"),
            }),
            feed_url: tera::Value::from(config.base_url.join("atom.xml")),
            footer_pages: tera::Value::from_serializable(&footer),
        }
    }

    /// What the preview cards show for every entity and term the page links to, as JSON for
    /// the page's script: the cards never fetch anything.
    ///
    /// On an article page (`shown`), a card whose every field the page's own lists show is
    /// left out: the script reads an entity's name and role from "In this story" and its kind
    /// from the link's class, a term's name from "Terms in this story" and its definition from
    /// the link's `title`. That was about two thirds of the data, repeated on the page.
    fn preview_data<'d>(
        &self,
        docs: impl Iterator<Item = &'d crate::site::Doc>,
        root: &str,
        shown: Option<&Article>,
    ) -> Option<String> {
        let site = self.site;
        let mut refs = std::collections::BTreeSet::new();
        for doc in docs {
            refs.extend(&doc.refs);
        }
        if refs.is_empty() {
            return None;
        }
        if let Some(article) = shown {
            refs.retain(|r| match r {
                crate::site::Ref::Entity(id) => {
                    !((article.mentions.iter().any(|m| **m == **id)
                        || article.about.iter().any(|m| **m == **id))
                        && self.pieces.entity_listed(id))
                }
                crate::site::Ref::Term(id) => {
                    !(article.terms.iter().any(|t| **t == **id) && site.terms.contains_key(&**id))
                }
            });
        }
        if root == fragments::ROOT {
            return Some(self.preview_data_from_pieces(refs));
        }
        let mut entities = std::collections::BTreeMap::new();
        let mut terms = std::collections::BTreeMap::new();
        for r in refs {
            match r {
                crate::site::Ref::Entity(id) => {
                    if let Some(e) = site.entity(id) {
                        entities.insert(
                            &**id,
                            fragments::entity_preview(e, self.pieces.images(), root),
                        );
                    }
                }
                crate::site::Ref::Term(id) => {
                    if let Some(t) = site.terms.get(&**id) {
                        terms.insert(&**id, fragments::term_preview(t));
                    }
                }
            }
        }
        #[derive(serde::Serialize)]
        struct Data<'a> {
            entities: std::collections::BTreeMap<&'a str, context::Preview<'a>>,
            terms: std::collections::BTreeMap<&'a str, context::Preview<'a>>,
            kinds: [&'a str; 6],
        }
        let json = serde_json::to_string(&Data {
            entities,
            terms,
            kinds: self.preview_kinds(),
        })
        .expect("plain data always serializes");
        Some(escape::script_safe(&json))
    }

    /// The kind labels the preview entries' first fields index, in the page's language.
    fn preview_kinds(&self) -> [&str; 6] {
        let [a, b, c, d, e] = context::PREVIEW_KINDS.map(|k| self.strings.kind(k, false));
        [a, b, c, d, e, self.strings.get("glossary")]
    }

    /// [`Self::preview_data`] for an article or entity page, joined from the entries made once
    /// per build; the same bytes, since references come sorted as serde_json sorts the maps.
    fn preview_data_from_pieces(
        &self,
        refs: std::collections::BTreeSet<&crate::site::Ref>,
    ) -> String {
        let mut json = String::with_capacity(64 + 256 * refs.len());
        json.push_str("{\"entities\":{");
        let mut first = true;
        let mut terms_open = false;
        for r in refs {
            let entry = match r {
                crate::site::Ref::Entity(id) => self.pieces.entity_preview(id),
                crate::site::Ref::Term(id) => {
                    if !terms_open {
                        json.push_str("},\"terms\":{");
                        terms_open = true;
                        first = true;
                    }
                    self.pieces.term_preview(id)
                }
            };
            if let Some(entry) = entry {
                if !first {
                    json.push(',');
                }
                json.push_str(entry);
                first = false;
            }
        }
        if !terms_open {
            json.push_str("},\"terms\":{");
        }
        json.push_str("},\"kinds\":");
        let kinds = serde_json::to_string(&self.preview_kinds()).expect("strings serialize");
        json.push_str(&escape::script_safe(&kinds));
        json.push('}');
        json
    }

    fn article_summary<'s>(&self, a: &'s Article, root: &str) -> context::Summary<'s> {
        context::Summary {
            thumb: a
                .image
                .as_deref()
                .and_then(|i| self.pieces.images().get(i))
                .and_then(|p| images::thumb(p, root)),
            title: &a.title,
            url: [root, "articles/", &a.slug, "/"].concat(),
            dek: a.dek.as_deref(),
            section: a.section.as_deref(),
            draft: a.draft,
            date_iso: a.date.iso(),
            date_long: self.strings.date(a.date),
            key_points: a
                .key_points
                .iter()
                .map(|k| context::Text { text: &k.text })
                .collect(),
        }
    }

    /// The people and places an article names, for its "in this story" list.
    fn people(&self, a: &Article) -> tera::Value {
        let links: Vec<tera::Value> = a
            .mentions
            .iter()
            .chain(a.about.iter().filter(|id| !a.mentions.contains(id)))
            .filter_map(|id| self.pieces.entity_link(id))
            .collect();
        tera::Value::from(links)
    }

    fn article<'s>(&'s self, a: &'s Article, body_html: &'s str) -> context::ArticleCtx<'s> {
        let site = self.site;
        let root = ARTICLE_ROOT;

        let lead = a
            .image
            .as_deref()
            .and_then(|i| Some((i, self.pieces.images().get(i)?)));
        context::ArticleCtx {
            image: lead.map(|(image, p)| context::LeadImage {
                html: images::figure(
                    image,
                    p,
                    root,
                    images::LEAD_SIZES,
                    images::Loading::Lead,
                    "lead-image",
                    None,
                ),
                social: images::social(image, p, &site.config.base_url),
            }),
            slug: &a.slug,
            title: &a.title,
            dek: a.dek.as_deref(),
            dateline: a.dateline.as_deref(),
            draft: a.draft,
            section: a.section.as_deref(),
            authors: &a.authors,
            date_iso: a.date.iso(),
            date_long: self.strings.date(a.date),
            updated_iso: a.updated.map(|d| d.iso()),
            updated_long: a.updated.map(|d| self.strings.date(d)),
            published: a.date.rfc3339(),
            modified: a.modified.rfc3339(),
            tags: a
                .tags
                .iter()
                .map(|(slug, name)| context::TagLink {
                    name,
                    url: [root, "tags/", slug, "/"].concat(),
                })
                .collect(),
            key_points: a
                .key_points
                .iter()
                .map(|k| context::KeyPoint {
                    text: &k.text,
                    target: k.target.as_deref(),
                    href: k.target.as_ref().map(|t| ["#", t].concat()),
                })
                .collect(),
            background_html: a
                .background
                .as_ref()
                .map(|d| markdown::to_html_with(d, site, self.pieces)),
            body_html,
            timeline: a
                .timeline
                .iter()
                .map(|e| context::Dated::new(e.date, &e.text, self.strings))
                .collect(),
            terms: a
                .terms
                .iter()
                .filter_map(|id| site.terms.get(&**id))
                .map(|t| context::TermRef {
                    id: &t.id,
                    term: &t.term,
                    definition: &t.definition_text,
                    url: [root, &glossary::term_path(site, t)].concat(),
                })
                .collect(),
            sources: a
                .sources
                .iter()
                .map(|s| context::Source {
                    name: &s.name,
                    url: s.url.as_deref(),
                })
                .collect(),
            corrections: a
                .corrections
                .iter()
                .map(|c| context::Dated::new(c.date, &c.text, self.strings))
                .collect(),
            notes: a
                .annotations
                .iter()
                .map(|n| context::Note {
                    number: n.number,
                    id: n.id(),
                    kind: n.kind.as_str(),
                    kind_label: self.strings.note_kind(n.kind),
                    anchor: &n.anchor,
                    verdict: n.verdict.map(|v| v.as_str()),
                    verdict_label: n.verdict.map(|v| self.strings.verdict(v)),
                    html: markdown::to_html_with(&n.note, site, self.pieces),
                    sources: n
                        .sources
                        .iter()
                        .map(|s| context::Source {
                            name: &s.name,
                            url: s.url.as_deref(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The paths of the pages a language's translations can point to: every first page of a list,
/// every article (drafts too when they are built), entity and plain page, the search page.
pub fn page_paths(site: &Site) -> Vec<String> {
    let mut out: Vec<String> = sitemap_entries(site).into_iter().map(|(p, _)| p).collect();
    out.extend(
        site.articles
            .iter()
            .filter(|a| a.draft)
            .map(|a| format!("articles/{}/", a.slug)),
    );
    if site.config.search {
        out.push("search/".into());
    }
    out
}

/// Every page for the sitemap, with a `lastmod` where the content gives one.
fn sitemap_entries(site: &Site) -> Vec<(String, Option<String>)> {
    let newest = site
        .articles
        .iter()
        .map(|a| a.modified)
        .max()
        .map(|d| d.iso());
    let mut out = vec![(String::new(), newest.clone())];
    for a in site.articles.iter().filter(|a| !a.draft) {
        out.push((format!("articles/{}/", a.slug), Some(a.modified.iso())));
    }
    for e in site.entities.values() {
        let lastmod = e
            .mentions
            .iter()
            .map(|m| site.articles[m.article()].modified)
            .max()
            .map(|d| d.iso());
        out.push((format!("entities/{}/", e.id), lastmod));
    }
    out.push(("entities/".into(), newest.clone()));
    out.push(("glossary/".into(), newest.clone()));
    if glossary::split(site) {
        for (_, anchor, _) in glossary::letters(site) {
            out.push((["glossary/", &anchor, "/"].concat(), newest.clone()));
        }
    }
    for t in site.terms.values().filter(|t| glossary::has_page(t)) {
        let lastmod = t
            .mentions
            .first()
            .map(|m| site.articles[m.article()].modified.iso());
        out.push((glossary::term_page(&t.id), lastmod));
    }
    out.push(("timeline/".into(), newest.clone()));
    out.extend(
        timeline::year_pages(site)
            .into_iter()
            .map(|p| (p, newest.clone())),
    );
    out.push(("tags/".into(), newest.clone()));
    out.push(("corrections/".into(), newest.clone()));
    out.push(("archive/".into(), newest));
    for (period, articles) in archive::periods(site) {
        let lastmod = articles
            .iter()
            .map(|&i| site.articles[i].modified)
            .max()
            .map(|d| d.iso());
        out.push((period.path(), lastmod));
    }
    for (slug, tag) in &site.tags {
        let lastmod = tag
            .articles
            .iter()
            .map(|&i| site.articles[i].modified)
            .max()
            .map(|d| d.iso());
        out.push((format!("tags/{slug}/"), lastmod));
    }
    for p in &site.pages {
        out.push((format!("{}/", p.slug), None));
    }
    out
}
