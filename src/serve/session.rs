//! Incremental rebuilds for `gloss serve`: the pipeline of `gloss build`, with what did not
//! change kept from the build before.
//!
//! - load re-reads only files whose modification time or size changed ([`LoadCache`]);
//! - resolve re-resolves only articles that were read again, unless the registries or the
//!   auto-link mode changed ([`resolve::Cache`]);
//! - render renders only the pages a change touches ([`Selection`]): an edited article's page,
//!   the entity pages of everything it mentions (before and after the edit), its tags' pages
//!   and feeds, and the pages that list articles. A template or site.toml change renders all.
//!
//! Nothing here writes to disk: files go to memory for the server.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use crate::build::link_files;
use crate::config::{self, Config, Overrides};
use crate::content::{self, LoadCache};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{self, OutputFile, Selection, Sink, SinkError};
use crate::resolve;
use crate::site::{Article, Site};
use crate::theme::Theme;

/// What the server asks of a build.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    pub root: std::path::PathBuf,
    /// The local address pages are served at.
    pub base_url: String,
    pub drafts: bool,
}

/// The last good build, to compare the next one with.
struct Last {
    config: Config,
    theme: Theme,
    site: Arc<Site>,
    /// The processed images the pages link, from the shared image cache.
    images: Arc<crate::images::Catalogue>,
    resolve_generation: u64,
    /// Every file of the site, by path.
    paths: BTreeSet<String>,
    /// Each article's link problems, by slug, with the article they were found in.
    links: LinkProblems,
}

type LinkProblems = FxHashMap<String, (Arc<Article>, Arc<Vec<Diagnostic>>)>;

pub struct Session {
    options: SessionOptions,
    load_cache: LoadCache,
    resolve_cache: resolve::Cache,
    last: Option<Last>,
    /// A multilingual site's last files, by path, as content hashes: what the next whole
    /// build changed (a stylesheet alone is swapped, not reloaded).
    language_files: BTreeMap<String, u64>,
    /// A multilingual site's other languages, for the background search index.
    language_sites: Vec<(Arc<Site>, Arc<crate::images::Catalogue>)>,
}

/// What the background search indexer needs of a good build: each language's site with its
/// processed images (the default language first), and the theme.
pub type Searchable = (Vec<(Arc<Site>, Arc<crate::images::Catalogue>)>, Theme);

/// What a successful rebuild changed.
#[derive(Debug)]
pub struct Outcome {
    /// What was rendered.
    pub selection: Selection,
    /// Pages (HTML files) rendered.
    pub pages: usize,
    /// Files rendered, pages included.
    pub files: Vec<OutputFile>,
    /// Paths of files that no longer exist.
    pub removed: Vec<String>,
    /// Only stylesheets changed: pages can swap them without reloading.
    pub css_only: bool,
    /// Warnings of the whole site.
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Where the time went: (phase, time).
    pub phases: Vec<(&'static str, Duration)>,
}

impl Session {
    pub fn new(options: SessionOptions) -> Session {
        Session {
            options,
            load_cache: LoadCache::default(),
            resolve_cache: resolve::Cache::default(),
            last: None,
            language_files: BTreeMap::new(),
            language_sites: Vec::new(),
        }
    }

    /// The site's root folder.
    pub fn root(&self) -> &std::path::Path {
        &self.options.root
    }

    /// The last good build's sites (one per language) and theme, for the search index (when
    /// the site wants one).
    pub fn searchable(&self) -> Option<Searchable> {
        let last = self.last.as_ref().filter(|l| l.config.search)?;
        let mut sites = vec![(Arc::clone(&last.site), Arc::clone(&last.images))];
        sites.extend(self.language_sites.iter().cloned());
        Some((sites, last.theme.clone()))
    }

    /// Makes the next rebuild read these files again, whatever their time stamps say.
    pub fn touched<'p>(&mut self, paths: impl IntoIterator<Item = &'p std::path::Path>) {
        let paths: Vec<&std::path::Path> = paths.into_iter().collect();
        for path in &paths {
            self.load_cache.forget(path);
        }
        // An image added, replaced or removed can settle or raise a problem in any text that
        // names it (a missing file): resolve everything again. Unchanged images still come
        // from the image cache.
        let is_text = |p: &std::path::Path| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("md" | "yaml" | "yml" | "toml" | "html" | "css" | "js")
            )
        };
        if paths.iter().any(|p| p.extension().is_some() && !is_text(p)) {
            self.resolve_cache = resolve::Cache::default();
        }
        self.load_cache.trust_watcher(&paths);
    }

    /// Builds what changed since the last good build. On errors, returns every diagnostic and
    /// keeps the last good build as the base for the next one.
    pub fn rebuild(&mut self) -> Result<Outcome, Vec<Diagnostic>> {
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        let overrides = Overrides {
            base_url: Some(self.options.base_url.clone()),
            drafts: self.options.drafts,
            preview: true,
        };
        let Some(config) = config::load(&self.options.root, &overrides, &mut diags) else {
            return Err(diags.into_vec());
        };
        if config.multilingual() {
            return self.rebuild_languages(config, diags, started);
        }
        self.language_sites.clear();
        let theme = Theme::load(&config);
        let mut phases = Vec::new();
        let mut t = Instant::now();
        let mut lap = |name: &'static str, phases: &mut Vec<(&'static str, Duration)>| {
            phases.push((name, t.elapsed()));
            t = Instant::now();
        };
        let loaded = content::load_cached(&config, &mut diags, &mut self.load_cache);
        lap("load", &mut phases);
        let (site, _) =
            resolve::resolve_cached(config.clone(), &loaded, &mut self.resolve_cache, &mut diags);
        lap("resolve", &mut phases);
        let generation = self.resolve_cache.generation();
        let theme = match theme {
            Ok(theme) => theme,
            Err(errors) => {
                diags.extend(errors);
                return Err(diags.into_vec());
            }
        };
        // Taken from the last build and given back with this one: a failed build leaves the
        // next one to check every link again.
        let known = self
            .last
            .as_mut()
            .map(|l| std::mem::take(&mut l.links))
            .unwrap_or_default();
        let links = check_links(
            self.last.as_ref(),
            known,
            &site,
            &theme,
            generation,
            &mut diags,
        );
        if diags.has_errors() {
            return Err(diags.into_vec());
        }
        lap("links", &mut phases);
        let (images, _) = crate::images::process(&site, crate::images::Mode::Build, &mut diags);
        if diags.has_errors() {
            return Err(diags.into_vec());
        }
        lap("images", &mut phases);

        // A site that was in several languages until this change: its other languages' files
        // must go, and only a whole build lists what is left.
        let was_multilingual = !self.language_files.is_empty();
        let (selection, css_only) = match &self.last {
            _ if was_multilingual => (Selection::all(), false),
            // An image that changed has new file names: every page that shows it links anew.
            Some(last) if last.images.files() != images.files() => (Selection::all(), false),
            Some(last) => affected(last, &config, &theme, &site, generation),
            None => (Selection::all(), false),
        };
        lap("select", &mut phases);
        let sink = Memory::default();
        let stats = if selection.is_empty() {
            render::Stats::default()
        } else {
            match render::render_selected(&site, &theme, &images, &sink, &selection) {
                Ok(stats) => stats,
                Err(render::RenderError::Templates(errors)) => {
                    diags.extend(errors);
                    return Err(diags.into_vec());
                }
                Err(render::RenderError::Sink(e)) => {
                    return Err(vec![Diagnostic::error("gloss::io", e.to_string())]);
                }
            }
        };
        let files = sink.into_files();
        lap("render", &mut phases);

        let mut removed = Vec::new();
        let mut paths = self
            .last
            .as_ref()
            .map(|l| l.paths.clone())
            .unwrap_or_default();
        if selection.all {
            let now: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
            removed = paths.difference(&now).cloned().collect();
            paths = now;
        } else if let Some(last) = &self.last {
            removed = gone(&last.site, &site);
            for path in &removed {
                paths.remove(path);
            }
            paths.extend(files.iter().map(|f| f.path.clone()));
        }
        self.language_files.clear();
        self.last = Some(Last {
            config,
            theme,
            site: Arc::new(site),
            images: Arc::new(images),
            resolve_generation: generation,
            paths,
            links,
        });
        Ok(Outcome {
            selection,
            pages: stats.pages,
            files,
            removed,
            css_only,
            warnings: diags.into_vec(),
            elapsed: started.elapsed(),
            phases,
        })
    }
}

impl Session {
    /// A site in several languages is built whole at each change: each language is a site of
    /// its own, and the hreflang links between them change with any of them.
    fn rebuild_languages(
        &mut self,
        config: Config,
        diags: Diagnostics,
        started: Instant,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let options = crate::build::BuildOptions {
            root: self.options.root.clone(),
            drafts: self.options.drafts,
            ..Default::default()
        };
        let sink = Memory::default();
        let rendered = crate::build::generate_from(config.clone(), &options, &sink, diags)
            .map_err(|e| match e {
                crate::build::Error::Content(list) => list,
                other => vec![Diagnostic::error("gloss::io", other.to_string())],
            })?;
        let files = sink.into_files();
        let now: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let removed: Vec<String> = self
            .last
            .as_ref()
            .map(|l| l.paths.difference(&now).cloned().collect())
            .unwrap_or_default();
        let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        let hashes: BTreeMap<String, u64> = files
            .iter()
            .map(|f| (f.path.clone(), render::content_hash(&f.bytes)))
            .collect();
        let mut changed = hashes
            .iter()
            .filter(|&(path, hash)| self.language_files.get(path) != Some(hash))
            .map(|(path, _)| path.as_str())
            .peekable();
        let css_only = !self.language_files.is_empty()
            && removed.is_empty()
            && changed.peek().is_some()
            && changed.all(|path| path.ends_with(".css"));
        self.language_files = hashes;
        // The default language's site stands for the whole; the others are kept for the
        // background search index. The next change builds everything again anyway.
        let theme = Theme::load(&config)?;
        let mut sites = rendered.sites.into_iter().zip(rendered.images);
        let first = sites.next();
        self.language_sites = sites
            .map(|(site, images)| (Arc::new(site), Arc::new(images)))
            .collect();
        if let Some((site, images)) = first {
            self.last = Some(Last {
                config,
                theme,
                site: Arc::new(site),
                images: Arc::new(images),
                resolve_generation: u64::MAX,
                paths: now,
                links: LinkProblems::default(),
            });
        }
        self.resolve_cache = resolve::Cache::default();
        Ok(Outcome {
            selection: Selection::all(),
            pages,
            files,
            removed,
            css_only,
            warnings: rendered.diagnostics,
            elapsed: started.elapsed(),
            phases: vec![("build", started.elapsed())],
        })
    }
}

/// Checks the links of the site, reusing the last good build's findings (`known`, updated in
/// place) for articles that did not change, when the pages links can land on are the same
/// ones (same articles, entities, terms, tags, pages and static files). An article whose
/// anchors changed gets the links that name it checked again.
fn check_links(
    last: Option<&Last>,
    mut known: LinkProblems,
    site: &Site,
    theme: &Theme,
    generation: u64,
    diags: &mut Diagnostics,
) -> LinkProblems {
    let files = link_files(site, theme);
    let targets = resolve::links::Targets::new(site, &files);
    let pages = |s: &Site| -> Vec<(String, crate::site::Anchors)> {
        s.pages
            .iter()
            .map(|p| (p.slug.clone(), p.anchors.clone()))
            .collect()
    };
    // Articles with other anchors than before: a link to one of them has its slug in it.
    let mut moved: Vec<&str> = Vec::new();
    let same_targets = last.is_some_and(|last| {
        last.resolve_generation == generation
            && known.len() == site.articles.len()
            && site.articles.iter().all(|a| match known.get(&a.slug) {
                Some((old, _)) => {
                    if !Arc::ptr_eq(old, a) && old.anchors != a.anchors {
                        moved.push(&a.slug);
                    }
                    true
                }
                None => false,
            })
            && last.site.tags.keys().eq(site.tags.keys())
            && last.theme.static_files.keys().eq(theme.static_files.keys())
            && pages(&last.site) == pages(site)
    });
    if !same_targets {
        known.clear();
    }
    let names_moved = |a: &Article| {
        a.links
            .iter()
            .any(|l| moved.iter().any(|m| l.dest.contains(m)))
    };
    for a in &site.articles {
        match known.get_mut(&a.slug) {
            Some((old, problems)) if Arc::ptr_eq(old, a) && !names_moved(a) => {
                diags.extend(problems.iter().cloned());
            }
            Some(entry) => {
                let problems = Arc::new(targets.article(a));
                diags.extend(problems.iter().cloned());
                *entry = (Arc::clone(a), problems);
            }
            None => {
                let problems = Arc::new(targets.article(a));
                diags.extend(problems.iter().cloned());
                known.insert(a.slug.clone(), (Arc::clone(a), problems));
            }
        }
    }
    for p in &site.pages {
        diags.extend(targets.page(p));
    }
    known
}

/// What a change touched, comparing the last good build with this one; and whether only
/// stylesheets changed.
fn affected(
    last: &Last,
    config: &Config,
    theme: &Theme,
    site: &Site,
    generation: u64,
) -> (Selection, bool) {
    if last.config != *config
        || last.theme.templates != theme.templates
        || last.resolve_generation != generation
    {
        return (Selection::all(), false);
    }
    let mut selection = Selection {
        statics: last.theme.static_files != theme.static_files,
        ..Selection::default()
    };

    let in_feeds = |s: &Site| -> BTreeSet<String> {
        render::feed_articles(s)
            .into_iter()
            .map(|i| s.articles[i].slug.clone())
            .collect()
    };
    let (fed_before, fed_after) = (in_feeds(&last.site), in_feeds(site));
    for (slug, old, new) in changed_articles(&last.site.articles, &site.articles) {
        if new.is_some() {
            selection.articles.insert(slug.to_string());
        }
        // Entity pages quote the sentence of each mention: any edit may change them.
        for a in old.into_iter().chain(new) {
            selection
                .entities
                .extend(a.mentions.iter().chain(&a.about).map(|id| id.to_string()));
        }
        let lists = &mut selection.lists;
        match (old, new) {
            (Some(old), Some(new)) => {
                let listed = listing(old) == listing(new);
                if !listed {
                    lists.front = true;
                    lists.sitemaps = true;
                    lists.corrections = true;
                    selection
                        .tags
                        .extend(old.tags.iter().chain(&new.tags).map(|(t, _)| t.clone()));
                }
                lists.tags |= old.tags != new.tags;
                lists.glossary |= !listed || old.terms != new.terms;
                lists.timeline |= !listed || old.timeline != new.timeline;
                lists.entities |= entity_set(old) != entity_set(new);
                lists.corrections |= old.corrections != new.corrections;
            }
            _ => {
                // Added or removed: every list that could hold it.
                let a = old.or(new).map(Arc::as_ref);
                *lists = render::Lists {
                    feed: lists.feed,
                    ..render::Lists::all()
                };
                if let Some(a) = a {
                    selection.tags.extend(a.tags.iter().map(|(t, _)| t.clone()));
                }
            }
        }
        if fed_before.contains(slug) || fed_after.contains(slug) {
            selection.lists.feed = true;
            for a in old.into_iter().chain(new) {
                selection
                    .tag_feeds
                    .extend(a.tags.iter().map(|(t, _)| t.clone()));
            }
        }
    }
    // "Often mentioned with" can change for entities the edited articles do not mention.
    for (id, entity) in &site.entities {
        if last.site.entities.get(id).map(|e| &e.related) != Some(&entity.related) {
            selection.entities.insert(id.clone());
        }
    }
    selection
        .entities
        .retain(|id| site.entities.contains_key(id));
    selection.tags.retain(|slug| site.tags.contains_key(slug));

    // Plain pages are in every page's navigation: a new title or slug changes all pages.
    let page_names = |s: &Site| -> Vec<(String, String)> {
        s.pages
            .iter()
            .map(|p| (p.slug.clone(), p.title.clone()))
            .collect()
    };
    if page_names(&last.site) != page_names(site) {
        return (Selection::all(), false);
    }
    let page_bodies = |s: &Site| -> Vec<String> {
        s.pages
            .iter()
            .map(|p| p.body.source().to_string())
            .collect()
    };
    selection.pages = page_bodies(&last.site) != page_bodies(site);
    let css_only = selection.statics
        && Selection {
            statics: false,
            ..selection.clone()
        }
        .is_empty()
        && theme
            .static_files
            .iter()
            .filter(|(name, bytes)| last.theme.static_files.get(*name) != Some(*bytes))
            .all(|(name, _)| name.ends_with(".css"));
    (selection, css_only)
}

/// An article's slug, and the article before and after (`None`: not in that build).
type Change<'a> = (&'a str, Option<&'a Arc<Article>>, Option<&'a Arc<Article>>);

/// The articles that differ between two builds, as (slug, before, after): `None` for an
/// article only one build has. After a typical edit the two lists hold the same slugs in the
/// same order, and a walk side by side finds the few that changed without a map of the site.
fn changed_articles<'a>(before: &'a [Arc<Article>], after: &'a [Arc<Article>]) -> Vec<Change<'a>> {
    let aligned = before.len() == after.len()
        && before
            .iter()
            .zip(after)
            .all(|(a, b)| Arc::ptr_eq(a, b) || a.slug == b.slug);
    if aligned {
        return before
            .iter()
            .zip(after)
            .filter(|(a, b)| !Arc::ptr_eq(a, b))
            .map(|(a, b)| (a.slug.as_str(), Some(a), Some(b)))
            .collect();
    }
    let by_slug = |list: &'a [Arc<Article>]| -> BTreeMap<&'a str, &'a Arc<Article>> {
        list.iter().map(|a| (a.slug.as_str(), a)).collect()
    };
    let (before, after) = (by_slug(before), by_slug(after));
    let slugs: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    slugs
        .into_iter()
        .map(|slug| (slug, before.get(slug).copied(), after.get(slug).copied()))
        .filter(|(_, old, new)| !matches!((old, new), (Some(a), Some(b)) if Arc::ptr_eq(a, b)))
        .collect()
}

/// What lists of articles show of one: an edit that leaves it alike leaves them alike.
fn listing(a: &Article) -> impl PartialEq + '_ {
    (
        (&a.title, a.date, a.updated, a.modified, &a.dek, &a.section),
        (a.draft, &a.tags, &a.authors),
        a.key_points.iter().map(|k| &k.text).collect::<Vec<_>>(),
    )
}

/// The entities an article counts towards.
fn entity_set(a: &Article) -> BTreeSet<&str> {
    a.mentions.iter().chain(&a.about).map(|id| &**id).collect()
}

/// Files of the last build that this one no longer has: pages of removed articles, tags and
/// plain pages.
fn gone(before: &Site, after: &Site) -> Vec<String> {
    let mut out = Vec::new();
    let slugs: BTreeSet<&str> = after.articles.iter().map(|a| a.slug.as_str()).collect();
    for a in &before.articles {
        if !slugs.contains(a.slug.as_str()) {
            out.push(format!("articles/{}/index.html", a.slug));
        }
    }
    let per = after.config.paginate.tags;
    for (slug, tag) in &before.tags {
        let base = format!("tags/{slug}/");
        let was = crate::render::paginate::count(tag.articles.len(), before.config.paginate.tags);
        let now = match after.tags.get(slug) {
            Some(tag) => crate::render::paginate::count(tag.articles.len(), per),
            None => {
                out.push(format!("tags/{slug}/atom.xml"));
                0
            }
        };
        // Pages past the new last one (all of them when the tag is gone).
        for n in now + 1..=was {
            out.push(format!(
                "{}index.html",
                crate::render::paginate::path(&base, n)
            ));
        }
    }
    // Entity pages past the new last page of their mentions.
    for (id, entity) in &before.entities {
        let count = |site: &Site, e: &crate::site::Entity| {
            crate::render::paginate::count(e.mentions.len(), site.config.paginate.entities)
        };
        let was = count(before, entity);
        let now = after.entities.get(id).map_or(0, |e| count(after, e));
        let base = format!("entities/{id}/");
        for n in now.max(1) + 1..=was {
            out.push(format!(
                "{}index.html",
                crate::render::paginate::path(&base, n)
            ));
        }
    }
    // Lists whose pages come and go with what they hold.
    use crate::render::{archive, entity_index, glossary, timeline};
    for paths in [
        archive::paths,
        glossary::paths,
        timeline::paths,
        entity_index::paths,
    ] {
        let now: BTreeSet<String> = paths(after).into_iter().collect();
        out.extend(paths(before).into_iter().filter(|p| !now.contains(p)));
    }
    let pages: BTreeSet<&str> = after.pages.iter().map(|p| p.slug.as_str()).collect();
    for p in &before.pages {
        if !pages.contains(p.slug.as_str()) {
            out.push(format!("{}/index.html", p.slug));
        }
    }
    out
}

/// Keeps rendered files in memory.
#[derive(Default)]
struct Memory(Mutex<Vec<OutputFile>>);

impl Memory {
    fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn put(&self, file: OutputFile) -> Result<(), SinkError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}
