//! The resolve stage: [`Loaded`] → [`Site`].
//!
//! Checks every reference (explicit links, front-matter ids, key-point evidence), auto-links
//! registered names, gathers backlinks with the sentence of each mention, merges timelines and
//! tags, and sorts everything once. The `Site` it returns is never changed afterwards.

pub mod annotations;
pub mod autolink;
mod backlinks;
mod images;
pub mod links;
pub mod markdown;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::num::NonZeroU32;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::content::front_matter::{RawEntityRef, locate, slugify};
use crate::content::{Loaded, RawArticle, RawEntity, RawTerm};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceFile, did_you_mean};
use crate::site::{
    Annotation, Article, Dated, Doc, Entity, EntityInfo, KeyPoint, Mention, NoteMention, Page, Ref,
    Registry, Sentence, Site, SiteEvent, Source, Tag, Term, TermInfo,
};
use autolink::Linker;
use backlinks::{FirstMention, mention, mention_about};
use markdown::Settings;

/// The ids that exist, for checking references.
#[derive(Debug, Default)]
pub struct Known {
    pub entities: BTreeSet<String>,
    pub terms: BTreeSet<String>,
    /// The site's `content/` folder, where image files are looked up.
    pub content: std::path::PathBuf,
}

impl Known {
    pub fn contains(&self, r: &Ref) -> bool {
        match r {
            Ref::Entity(id) => self.entities.contains(&**id),
            Ref::Term(id) => self.terms.contains(&**id),
        }
    }
}

/// Paths that articles' and pages' URLs must not take.
const RESERVED: &[&str] = &[
    "articles",
    "entities",
    "glossary",
    "timeline",
    "tags",
    "static",
    "pagefind",
    "search",
    "corrections",
];

/// Figures for `gloss build --timings`.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Time spent finding registered names, summed over threads.
    pub autolink: std::time::Duration,
    /// Names and aliases searched for.
    pub names: usize,
}

/// Cross-references the loaded content. Problems go to `diags`; the returned site is complete
/// but for the broken parts, so that one build reports every problem at once.
pub fn resolve(config: Config, loaded: Loaded, diags: &mut Diagnostics) -> Site {
    resolve_with_stats(config, loaded, diags).0
}

/// [`resolve`], with the figures `--timings` reports.
pub fn resolve_with_stats(
    config: Config,
    mut loaded: Loaded,
    diags: &mut Diagnostics,
) -> (Site, Stats) {
    // Each loaded article is let go as soon as it is resolved: front matter and all, they are
    // a third of a large build's peak memory.
    let articles = std::mem::take(&mut loaded.articles);
    resolve_inner(config, &loaded, Raw::Owned(articles), None, diags)
}

/// The loaded articles: shared with `gloss serve`'s load cache, or the build's own.
enum Raw<'a> {
    Shared(&'a [Arc<RawArticle>]),
    Owned(Vec<Arc<RawArticle>>),
}

/// What earlier resolves worked out, for `gloss serve`: what the registries give and every
/// article resolved against the same registries and settings. An article whose loaded form is
/// the same (shared) one as last time is not resolved again.
#[derive(Default)]
pub struct Cache {
    /// How many times it was emptied.
    generation: u64,
    /// What the registries and the auto-link mode gave; a change empties the cache.
    registries: Option<Arc<Registries>>,
    articles: HashMap<std::path::PathBuf, CachedArticle>,
    /// Each entity's related entities, as last worked out.
    related: HashMap<String, Arc<Vec<String>>>,
    /// The articles in site order and every entity's and term's backlinks, as last worked
    /// out: when the order stays, only the backlinks of what changed articles mention are
    /// worked out again.
    order: Vec<Arc<Article>>,
    backlinks: HashMap<Ref, Arc<Vec<Mention>>>,
    /// Each article's entities as registry indexes, for counting related entities, by the
    /// address of the article (every one of them is kept alive by `order`).
    entity_ids: FxHashMap<usize, Arc<Vec<u32>>>,
}

/// Everything that follows from the registries (and articles' inline definitions) alone.
struct Registries {
    /// The definitions it was built from.
    entity_defs: Vec<crate::content::EntityDef>,
    term_defs: Vec<crate::content::TermDef>,
    autolink: crate::config::AutolinkMode,
    known: Known,
    linker: Linker,
    locations: BTreeMap<Ref, Location>,
    /// Without backlinks and related entities.
    entities: Registry<Entity>,
    terms: Registry<Term>,
    diags: Vec<Diagnostic>,
}

impl Registries {
    /// Whether `loaded` defines the same entities and terms at the same places.
    fn built_from(&self, loaded: &Loaded) -> bool {
        let same_place =
            |a: &Location, b: &Location| Arc::ptr_eq(&a.file, &b.file) && a.span == b.span;
        self.entity_defs.len() == loaded.entities.len()
            && self.term_defs.len() == loaded.terms.len()
            && self.entity_defs.iter().zip(&loaded.entities).all(|(a, b)| {
                a.id == b.id && a.entity == b.entity && same_place(&a.location, &b.location)
            })
            && self.term_defs.iter().zip(&loaded.terms).all(|(a, b)| {
                a.id == b.id && a.term == b.term && same_place(&a.location, &b.location)
            })
    }
}

fn build_registries(
    loaded: &Loaded,
    autolink: crate::config::AutolinkMode,
    content: &std::path::Path,
) -> Registries {
    let mut diags = Diagnostics::new();
    let entity_defs = dedupe(
        loaded
            .entities
            .iter()
            .map(|d| (d.id.clone(), d.entity.clone(), d.location.clone())),
        "entity",
        &mut diags,
    );
    let term_defs = dedupe(
        loaded
            .terms
            .iter()
            .map(|d| (d.id.clone(), d.term.clone(), d.location.clone())),
        "term",
        &mut diags,
    );
    let known = Known {
        entities: entity_defs.keys().cloned().collect(),
        terms: term_defs.keys().cloned().collect(),
        content: content.to_path_buf(),
    };
    let linker = build_linker(&entity_defs, &term_defs, &mut diags);
    let locations: BTreeMap<Ref, Location> = entity_defs
        .iter()
        .map(|(id, (_, l))| (Ref::entity(id), l.clone()))
        .chain(
            term_defs
                .iter()
                .map(|(id, (_, l))| (Ref::term(id), l.clone())),
        )
        .collect();
    let entities: Registry<Entity> = entity_defs
        .into_iter()
        .map(|(id, (raw, location))| {
            let entity = build_entity(&id, raw, &location, &known, &mut diags);
            (id, entity)
        })
        .collect();
    let terms: Registry<Term> = term_defs
        .into_iter()
        .map(|(id, (raw, location))| {
            let term = build_term(&id, raw, &location, &known, &mut diags);
            (id, term)
        })
        .collect();
    Registries {
        entity_defs: loaded.entities.clone(),
        term_defs: loaded.terms.clone(),
        autolink,
        known,
        linker,
        locations,
        entities,
        terms,
        diags: diags.into_vec(),
    }
}

#[derive(Clone)]
struct CachedArticle {
    /// The loaded form it was resolved from; kept only by `gloss serve`'s cache.
    raw: Option<Arc<RawArticle>>,
    article: Arc<Article>,
    firsts: Arc<Vec<FirstMention>>,
    diags: Arc<Vec<Diagnostic>>,
}

impl Cache {
    /// Changes whenever the registries or the auto-link mode change, that is whenever every
    /// article had to be resolved again.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

/// [`resolve_with_stats`], reusing and updating `cache`.
pub fn resolve_cached(
    config: Config,
    loaded: &Loaded,
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> (Site, Stats) {
    resolve_inner(
        config,
        loaded,
        Raw::Shared(&loaded.articles),
        Some(cache),
        diags,
    )
}

fn resolve_inner(
    config: Config,
    loaded: &Loaded,
    raw: Raw,
    mut cache: Option<&mut Cache>,
    diags: &mut Diagnostics,
) -> (Site, Stats) {
    // The registries alone give the ids that exist, the entity and term pages' contents and
    // the auto-linker; `gloss serve` keeps all of it while they stay the same.
    let cached = cache
        .as_deref()
        .and_then(|c| c.registries.as_ref())
        .filter(|r| r.autolink == config.autolink && r.built_from(loaded));
    let registries = match cached {
        Some(registries) => Arc::clone(registries),
        None => {
            let registries = Arc::new(build_registries(
                loaded,
                config.autolink,
                &config.root.join("content"),
            ));
            if let Some(cache) = cache.as_deref_mut() {
                *cache = Cache {
                    generation: cache.generation + 1,
                    registries: Some(Arc::clone(&registries)),
                    ..Cache::default()
                };
            }
            registries
        }
    };
    diags.extend(registries.diags.iter().cloned());
    let known = &registries.known;
    let linker = &registries.linker;

    let raw_articles: &[Arc<RawArticle>] = match &raw {
        Raw::Shared(articles) => articles,
        Raw::Owned(articles) => articles,
    };
    check_duplicate_slugs(raw_articles, diags);

    // Articles whose loaded form is the one resolved last time keep their resolution; the
    // cache's map is updated in place, so an edit costs a lookup per article, not a new map.
    let previous = cache.as_deref().map(|c| &c.articles);
    let keep_raw = cache.is_some();
    // A build gathers backlinks as it resolves (see `backlinks`); `gloss serve` keeps each
    // article's first mentions for its next edit.
    let gatherer = cache
        .is_none()
        .then(|| backlinks::Gatherer::new(&registries.entities, &registries.terms));
    let no_firsts = Arc::new(Vec::new());
    let resolve_one = |input: usize, raw: &Arc<RawArticle>| -> (CachedArticle, bool) {
        let hit = previous
            .and_then(|p| p.get(&raw.file.path))
            .filter(|c| c.raw.as_ref().is_some_and(|r| Arc::ptr_eq(r, raw)));
        match hit {
            Some(hit) => (hit.clone(), true),
            None => {
                let (article, firsts, diags) = resolve_article(raw, &config, known, linker);
                let firsts = match &gatherer {
                    Some(gatherer) => {
                        gatherer.add(input, &article, firsts);
                        Arc::clone(&no_firsts)
                    }
                    None => Arc::new(firsts),
                };
                let entry = CachedArticle {
                    raw: keep_raw.then(|| Arc::clone(raw)),
                    article: Arc::new(article),
                    firsts,
                    diags: Arc::new(diags),
                };
                (entry, false)
            }
        }
    };
    let raw_count = raw_articles.len();
    let resolved: Vec<(CachedArticle, bool)> = match raw {
        // Small pieces, so that no thread is left with a long run of articles at the end.
        Raw::Shared(articles) => articles
            .par_iter()
            .enumerate()
            .with_max_len(8)
            .map(|(input, raw)| resolve_one(input, raw))
            .collect(),
        // A build's own articles are let go one by one, as soon as each is resolved.
        Raw::Owned(articles) => articles
            .into_par_iter()
            .enumerate()
            .with_max_len(8)
            .map(|(input, raw)| resolve_one(input, &raw))
            .collect(),
    };
    // Entities whose related lists may have changed: those of every article resolved anew, as
    // it was and as it is, and of every article that is gone. `None`: all of them.
    let mut dirty: Option<BTreeSet<String>> = cache.as_ref().map(|_| BTreeSet::new());
    // Likewise the entities and terms whose backlinks may have changed.
    let mut dirty_refs: Option<BTreeSet<Ref>> = cache.as_ref().map(|_| BTreeSet::new());
    let mut mark_dirty = |a: &Article, firsts: &[FirstMention]| {
        if let Some(set) = dirty.as_mut() {
            set.extend(a.mentions.iter().chain(&a.about).map(|id| id.to_string()));
        }
        if let Some(set) = dirty_refs.as_mut() {
            set.extend(firsts.iter().map(|f| f.target.clone()));
            set.extend(a.about.iter().map(|id| Ref::entity(id)));
        }
    };
    let resolved: Vec<(Arc<Article>, Arc<Vec<FirstMention>>)> = resolved
        .into_iter()
        .map(|(entry, hit)| {
            diags.extend(entry.diags.iter().cloned());
            let pair = (Arc::clone(&entry.article), Arc::clone(&entry.firsts));
            if !hit {
                mark_dirty(&entry.article, &entry.firsts);
                if let Some(cache) = cache.as_deref_mut()
                    && let Some(path) = entry.raw.as_ref().map(|r| r.file.path.clone())
                    && let Some(old) = cache.articles.insert(path, entry)
                {
                    mark_dirty(&old.article, &old.firsts);
                }
            }
            pair
        })
        .collect();
    if let Some(cache) = cache.as_deref_mut()
        && cache.articles.len() != raw_count
    {
        let present: std::collections::HashSet<&std::path::Path> = loaded
            .articles
            .iter()
            .map(|a| a.file.path.as_path())
            .collect();
        cache.articles.retain(|path, gone| {
            let keep = present.contains(path.as_path());
            if !keep {
                mark_dirty(&gone.article, &gone.firsts);
            }
            keep
        });
    }
    // Newest first; `place[i]` is where the article at place `i` of the input ends up.
    let mut resolved: Vec<(usize, _)> = resolved.into_iter().enumerate().collect();
    resolved
        .sort_by(|(_, (a, _)), (_, (b, _))| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    let mut place = vec![0; resolved.len()];
    for (index, (input, _)) in resolved.iter().enumerate() {
        place[*input] = index;
    }

    let locations = &registries.locations;
    let mut entities = registries.entities.clone();
    let mut terms = registries.terms.clone();

    // Backlinks, in article order (newest first). First mentions are moved, not copied.
    let (articles, firsts): (Vec<Arc<Article>>, Vec<Arc<Vec<FirstMention>>>) =
        resolved.into_iter().map(|(_, pair)| pair).unzip();
    // With the same articles in the same order, an article's index is what it was: the
    // backlinks of what no changed article mentions carry over whole.
    let patch = match (cache.as_deref(), &dirty_refs) {
        (Some(cache), Some(refs))
            if !cache.backlinks.is_empty()
                && cache.order.len() == articles.len()
                && cache
                    .order
                    .iter()
                    .zip(&articles)
                    .all(|(a, b)| a.slug == b.slug) =>
        {
            let changed: Vec<usize> = (0..articles.len())
                .filter(|&i| !Arc::ptr_eq(&cache.order[i], &articles[i]))
                .collect();
            Some((changed, refs))
        }
        _ => None,
    };
    match (patch, cache.as_deref()) {
        (Some((changed, refs)), Some(cache)) => {
            let lists = |r: &Ref| -> Arc<Vec<Mention>> {
                let old = cache.backlinks.get(r).cloned().unwrap_or_default();
                if !refs.contains(r) {
                    return old;
                }
                let mut list: Vec<Mention> = old
                    .iter()
                    .filter(|m| changed.binary_search(&m.article()).is_err())
                    .cloned()
                    .collect();
                for &i in &changed {
                    if let Some(first) = firsts[i].iter().find(|f| f.target == *r) {
                        list.push(mention(i, first));
                    } else if let Ref::Entity(id) = r
                        && articles[i].about.iter().any(|a| **a == **id)
                        && !articles[i].mentions.iter().any(|m| **m == **id)
                    {
                        list.push(mention_about(i));
                    }
                }
                list.sort_by_key(Mention::article);
                Arc::new(list)
            };
            for (id, entity) in entities.iter_mut() {
                entity.mentions = lists(&Ref::entity(id));
            }
            for (id, term) in terms.iter_mut() {
                term.mentions = lists(&Ref::term(id));
            }
        }
        _ => match gatherer {
            Some(gatherer) => gatherer.finish(&place, &mut entities, &mut terms),
            None => backlinks::gather(&articles, firsts, &mut entities, &mut terms),
        },
    }
    if let Some(cache) = cache.as_deref_mut() {
        cache.order = articles.clone();
        cache.backlinks = entities
            .iter()
            .map(|(id, e)| (Ref::entity(id), Arc::clone(&e.mentions)))
            .chain(
                terms
                    .iter()
                    .map(|(id, t)| (Ref::term(id), Arc::clone(&t.mentions))),
            )
            .collect();
    }
    let known_ids = cache.as_deref().map(|c| &c.entity_ids);
    let ids = match (cache.as_deref(), &dirty) {
        (Some(cache), Some(dirty)) if !cache.related.is_empty() => {
            let ids = relate(&articles, &mut entities, Some(dirty), known_ids);
            for entity in entities.values_mut() {
                if !dirty.contains(&entity.id)
                    && let Some(list) = cache.related.get(&entity.id)
                {
                    entity.related = Arc::clone(list);
                }
            }
            ids
        }
        _ => relate(&articles, &mut entities, None, known_ids),
    };
    if let Some(cache) = cache.as_deref_mut() {
        let key = |a: &Arc<Article>| Arc::as_ptr(a) as usize;
        let mut kept = FxHashMap::default();
        for (a, computed) in articles.iter().zip(ids) {
            let ids = computed.or_else(|| cache.entity_ids.get(&key(a)).cloned());
            if let Some(ids) = ids {
                kept.insert(key(a), ids);
            }
        }
        cache.entity_ids = kept;
    }
    if let Some(cache) = cache {
        match &dirty {
            Some(dirty) if !cache.related.is_empty() => {
                for id in dirty {
                    if let Some(e) = entities.get(id) {
                        cache.related.insert(id.clone(), Arc::clone(&e.related));
                    }
                }
            }
            _ => {
                cache.related = entities
                    .values()
                    .map(|e| (e.id.clone(), Arc::clone(&e.related)))
                    .collect();
            }
        }
    }
    warn_unused(&entities, &terms, locations, diags);

    let mut timeline: Vec<SiteEvent> = articles
        .iter()
        .enumerate()
        .flat_map(|(index, a)| {
            a.timeline.iter().map(move |e| SiteEvent {
                date: e.date,
                text: e.text.clone(),
                article: index,
            })
        })
        .collect();
    timeline.sort_by_key(|e| e.date); // stable: same-day events keep article order

    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (index, article) in articles.iter().enumerate() {
        for (slug, name) in &article.tags {
            // Looked up before inserting: most tags exist already, and their slugs need no copy.
            match tags.get_mut(slug) {
                Some(tag) => tag.articles.push(index),
                None => {
                    let tag = Tag {
                        name: name.clone(),
                        articles: vec![index],
                    };
                    tags.insert(slug.clone(), tag);
                }
            }
        }
    }

    let pages = resolve_pages(&loaded.pages, known, diags);

    let stats = Stats {
        autolink: linker.time_spent(),
        names: linker.len(),
    };
    let site = Site {
        config,
        articles,
        pages,
        entities,
        terms,
        timeline,
        tags,
        translations: Default::default(),
    };
    (site, stats)
}

/// The article's first mention of `target`; one without a sentence (a reference outside the
/// body's paragraphs) when the body has none, added to the article's entities or terms.
fn first_of<'f>(
    firsts: &'f mut Vec<FirstMention>,
    mentions: &mut Vec<Arc<str>>,
    terms: &mut Vec<Arc<str>>,
    target: &Ref,
) -> &'f mut FirstMention {
    let at = match firsts.iter().position(|f| f.target == *target) {
        Some(at) => at,
        None => {
            match target {
                Ref::Entity(id) => mentions.push(Arc::clone(id)),
                Ref::Term(id) => terms.push(Arc::clone(id)),
            }
            firsts.push(FirstMention {
                target: target.clone(),
                sentence: Sentence::None,
                paragraph: None,
                notes: None,
            });
            firsts.len() - 1
        }
    };
    &mut firsts[at]
}

/// Registry entries nobody mentions are probably misspelt names or leftovers.
fn warn_unused(
    entities: &Registry<Entity>,
    terms: &Registry<Term>,
    locations: &BTreeMap<Ref, Location>,
    diags: &mut Diagnostics,
) {
    let unused_entities = entities
        .values()
        .filter(|e| e.mentions.is_empty())
        .map(|e| {
            (
                Ref::entity(&e.id),
                "gloss::unmentioned-entity",
                format!("no article mentions entity `{}`", e.id),
                &e.name,
            )
        });
    let unused_terms = terms.values().filter(|t| t.mentions.is_empty()).map(|t| {
        (
            Ref::term(&t.id),
            "gloss::unused-term",
            format!("no article uses the term `{}`", t.id),
            &t.term,
        )
    });
    for (target, code, message, name) in unused_entities.chain(unused_terms) {
        let mut d = Diagnostic::warning(code, message).help(format!(
            "check the spelling of `{name}` and its aliases, or remove the entry"
        ));
        if let Some(l) = locations.get(&target) {
            d = d.at(l.clone());
        }
        diags.push(d);
    }
}

/// Registry entries by id. An id defined twice is an error unless both definitions agree (an
/// article may repeat a registry entry inline).
fn dedupe<T: PartialEq>(
    defs: impl Iterator<Item = (String, T, Location)>,
    what: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, (T, Location)> {
    let mut out: BTreeMap<String, (T, Location)> = BTreeMap::new();
    for (id, value, location) in defs {
        match out.get(&id) {
            Some((existing, _)) if *existing == value => {}
            Some((_, first)) => {
                let (line, col) = first.file.line_col(first.span.start);
                diags.push(
                    Diagnostic::error(
                        "gloss::duplicate-id",
                        format!("{what} `{id}` is defined twice"),
                    )
                    .at(location)
                    .label("defined again here")
                    .help(format!(
                        "first defined at {}:{line}:{col}; remove one or give it another id",
                        first.file.path.display()
                    )),
                );
            }
            None => {
                out.insert(id, (value, location));
            }
        }
    }
    out
}

fn build_linker(
    entities: &BTreeMap<String, (RawEntity, Location)>,
    terms: &BTreeMap<String, (RawTerm, Location)>,
    diags: &mut Diagnostics,
) -> Linker {
    let mut owner: HashMap<String, Ref> = HashMap::new();
    let mut names = Vec::new();
    let entity_names = entities.iter().flat_map(|(id, (e, loc))| {
        std::iter::once(&e.name)
            .chain(&e.aliases)
            .map(move |n| (n, Ref::entity(id), loc))
    });
    let term_names = terms.iter().flat_map(|(id, (t, loc))| {
        std::iter::once(&t.term)
            .chain(&t.aliases)
            .map(move |n| (n, Ref::term(id), loc))
    });
    for (name, target, location) in entity_names.chain(term_names) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        match owner.get(name) {
            Some(existing) if *existing == target => {}
            Some(existing) => {
                let id = |r: &Ref| match r {
                    Ref::Entity(id) => format!("entity `{id}`"),
                    Ref::Term(id) => format!("term `{id}`"),
                };
                diags.push(
                    Diagnostic::error(
                        "gloss::ambiguous-name",
                        format!(
                            "the name `{name}` belongs to both {} and {}",
                            id(existing),
                            id(&target)
                        ),
                    )
                    .at(location.clone())
                    .help("a name or alias must point at one entry; remove it from one of them"),
                );
            }
            None => {
                owner.insert(name.to_string(), target.clone());
                names.push((name.to_string(), target));
            }
        }
    }
    Linker::new(&names)
}

fn check_duplicate_slugs(articles: &[Arc<RawArticle>], diags: &mut Diagnostics) {
    let mut seen: FxHashMap<&str, &RawArticle> = FxHashMap::default();
    seen.reserve(articles.len());
    for article in articles {
        if let Some(first) = seen.get(article.slug.as_str()) {
            // Point at `slug:` when the front matter sets it, else at the file named alike.
            let location = match &article.front.slug {
                Some(_) => article.meta.locate("slug", 0),
                None => Location::new(&article.file, 0..0),
            };
            diags.push(
                Diagnostic::error(
                    "gloss::duplicate-slug",
                    format!("two articles have the slug `{}`", article.slug),
                )
                .at(location)
                .help(format!(
                    "{} has it too; rename one file or set `slug:` in its front matter",
                    first.file.path.display()
                )),
            );
        } else {
            seen.insert(&article.slug, article);
        }
    }
}

fn resolve_article(
    raw: &RawArticle,
    config: &Config,
    known: &Known,
    linker: &Linker,
) -> (Article, Vec<FirstMention>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let front = &raw.front;
    let meta = &raw.meta;
    let placed = if front.annotations.is_empty() {
        Vec::new()
    } else {
        let runs = markdown::text_runs(raw.body());
        annotations::place(&front.annotations, &runs, meta, &mut diags)
    };
    let marks: Vec<_> = placed.iter().map(|p| p.mark.clone()).collect();
    let settings = Settings {
        linker: Some(linker),
        mode: front.autolink.unwrap_or(config.autolink),
        anchors: true,
        marks: &marks,
    };
    let mut body = markdown::resolve(
        raw.body(),
        raw.body_start,
        &raw.file,
        known,
        &settings,
        &mut diags,
    );
    body.doc.images = images::from_body(&body.images, &known.content, &mut diags);
    let image = front.image.as_ref().and_then(|image| {
        images::from_yaml(
            image,
            &meta.file,
            meta.range.start,
            &known.content,
            &mut diags,
        )
    });

    if front.key_points.is_empty() {
        diags.push(
            Diagnostic::warning("gloss::no-key-points", "article has no key points")
                .at(Location::new(
                    &meta.file,
                    meta.range.start..meta.range.start,
                ))
                .help("add `key_points:` so readers get the sidebar summary"),
        );
    }
    let mut key_points = Vec::new();
    // Where each evidence stands in the front matter is looked for only when a diagnostic
    // needs it: the search (each after the one before, so that a repeated phrase is found in
    // its own place) is put off until then, and most articles never need it.
    let mut from = 0;
    let mut unlocated: Vec<&str> = Vec::new();
    let locate_pending = |from: &mut usize, unlocated: &mut Vec<&str>| {
        for evidence in unlocated.drain(..) {
            meta.locate_next(evidence, from);
        }
    };
    let evidence_index = markdown::EvidenceIndex::new(&body.blocks);
    for point in &front.key_points {
        let target = match &point.evidence {
            Some(evidence) => {
                let target = evidence_index.find(evidence);
                if target.is_some() {
                    unlocated.push(evidence);
                } else {
                    locate_pending(&mut from, &mut unlocated);
                    let location = meta.locate_next(evidence, &mut from);
                    diags.push(
                        Diagnostic::error(
                            "gloss::evidence-not-found",
                            format!("key point evidence `{evidence}` is not in the article's text"),
                        )
                        .at(location)
                        .label("not found in the body")
                        .help("quote a phrase exactly as it appears in one paragraph of the body"),
                    );
                }
                target.map(str::to_string)
            }
            None => {
                locate_pending(&mut from, &mut unlocated);
                let location = meta.locate(&point.text, from);
                diags.push(
                    Diagnostic::warning("gloss::no-evidence", "key point has no evidence")
                        .at(location)
                        .help("add `evidence:` with a phrase of the body so readers can check the point"),
                );
                None
            }
        };
        key_points.push(KeyPoint {
            text: point.text.clone(),
            target,
        });
    }

    let mut about = Vec::new();
    let mut from = 0;
    for item in &front.entities {
        let id = match item {
            RawEntityRef::Id(id) => id,
            RawEntityRef::Inline(inline) => &inline.id,
        };
        let location = meta.locate_next(id, &mut from);
        if !known.entities.contains(id) {
            let mut d =
                Diagnostic::error("gloss::unknown-entity", format!("unknown entity `{id}`"))
                    .at(location)
                    .label("no entity with this id");
            if let Some(s) = did_you_mean(id, known.entities.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            } else {
                d = d.help(format!("add `{id}` to content/entities.yaml, or define it here with `{{id, name, kind}}`"));
            }
            diags.push(d);
        } else if !about.iter().any(|a: &Arc<str>| **a == **id) {
            about.push(Arc::from(id.as_str()));
        }
    }

    let background = front.background.as_deref().map(|md| {
        let start = locate(meta.yaml(), "background", 0).map_or(0, |r| r.start) + meta.range.start;
        resolve_fragment(md, &meta.file, start, known, None, &mut diags).0
    });

    let annotations: Vec<Annotation> = placed
        .iter()
        .map(|p| {
            let a = &front.annotations[p.index];
            let at = p.location.span.start;
            let (note, note_text) =
                resolve_fragment(&a.note, &meta.file, at, known, Some(linker), &mut diags);
            let block = p.block.map(|b| format!("p-{b}"));
            let claim = match (&a.claim, a.kind) {
                (Some(claim), _) => Some(claim.trim().to_string()),
                (None, crate::content::front_matter::AnnotationKind::FactCheck) => block
                    .as_ref()
                    .and_then(|id| body.blocks.iter().find(|b| b.id == *id))
                    .and_then(|b| b.text.find(&p.text).map(|at| (b, at)))
                    .map(|(b, at)| markdown::sentence_around(&b.text, at).to_string()),
                (None, _) => None,
            };
            Annotation {
                number: p.mark.number,
                kind: a.kind,
                anchor: p.text.clone(),
                block,
                note,
                note_text,
                sources: a
                    .sources
                    .iter()
                    .map(|s| Source {
                        name: s.name.clone(),
                        url: s.url.clone(),
                    })
                    .collect(),
                verdict: a.verdict,
                claim,
                claimant: a.claimant.clone(),
            }
        })
        .collect();

    let mut tags = Vec::new();
    for tag in &front.tags {
        let slug = slugify(tag);
        if slug.is_empty() {
            diags.push(
                Diagnostic::error(
                    "gloss::invalid-tag",
                    format!("tag `{tag}` has no letters or digits"),
                )
                .at(meta.locate(tag, 0)),
            );
        } else if !tags.iter().any(|(s, _)| *s == slug) {
            tags.push((slug, tag.trim().to_string()));
        }
    }

    // The first mention of each reference, with its sentence, in order.
    let mut firsts: Vec<FirstMention> = Vec::new();
    let mut mentions = Vec::new();
    let mut terms = Vec::new();
    for m in &body.mentions {
        if firsts.iter().any(|f| f.target == m.target) {
            continue;
        }
        let (sentence, paragraph) = match m.block {
            // Block b has the id `p-{b + 1}` (markdown::Walker::open_block).
            Some(b) => {
                let sentence = markdown::sentence_around(&body.blocks[b].text, m.offset);
                let at = body.source_of(b, sentence, raw.body());
                (
                    Sentence::new(sentence, at.map(|at| raw.body_start + at)),
                    u32::try_from(b + 1).ok().and_then(NonZeroU32::new),
                )
            }
            None => (Sentence::new(m.context.trim(), None), None),
        };
        match &m.target {
            Ref::Entity(id) => mentions.push(Arc::clone(id)),
            Ref::Term(id) => terms.push(Arc::clone(id)),
        }
        firsts.push(FirstMention {
            target: m.target.clone(),
            sentence,
            paragraph,
            notes: None,
        });
    }

    // References in the background box count as mentions too, after those in the body.
    if let Some(doc) = &background {
        for target in &doc.refs {
            first_of(&mut firsts, &mut mentions, &mut terms, target);
        }
    }

    // Notes that mention an entity or a term join its backlink from this article.
    for a in &annotations {
        for target in &a.note.refs {
            let note = NoteMention {
                id: a.id(),
                kind: a.kind,
                text: truncate_words(&a.note_text, 300),
            };
            let notes = &mut first_of(&mut firsts, &mut mentions, &mut terms, target).notes;
            Arc::make_mut(notes.get_or_insert_default()).push(note);
        }
    }

    let corrections: Vec<Dated> = front
        .corrections
        .iter()
        .map(|c| Dated {
            date: c.date,
            text: c.text.clone(),
        })
        .collect();
    let modified = corrections
        .iter()
        .map(|c| c.date)
        .chain(front.updated)
        .fold(front.date, Ord::max);
    let summary = body
        .blocks
        .iter()
        .find(|b| b.leaf && !b.text.trim().is_empty())
        .map(|b| truncate_words(b.text.trim(), 300))
        .unwrap_or_default();

    // Kept until the build ends: trimmed to their length (see `markdown::resolve`).
    mentions.shrink_to_fit();
    terms.shrink_to_fit();
    firsts.shrink_to_fit();
    let article = Article {
        slug: raw.slug.clone(),
        title: front.title.trim().to_string(),
        date: front.date,
        updated: front.updated,
        modified,
        dek: front.dek.as_ref().map(|d| d.trim().to_string()),
        dateline: front
            .dateline
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        authors: front.authors.clone(),
        section: front.section.clone(),
        tags,
        draft: front.draft,
        image,
        key_points,
        background,
        timeline: front
            .timeline
            .iter()
            .map(|e| Dated {
                date: e.date,
                text: e.text.clone(),
            })
            .collect(),
        about,
        mentions,
        terms,
        sources: front
            .sources
            .iter()
            .map(|s| Source {
                name: s.name.clone(),
                url: s.url.clone(),
            })
            .collect(),
        corrections,
        body: body.doc,
        annotations,
        summary,
        word_count: body.word_count,
        links: body.links,
        anchors: body.anchors,
    };
    (article, firsts, diags)
}

/// Resolves a Markdown snippet that lives inside a YAML file (a background box, a description).
/// Positions inside a YAML block scalar do not map one to one onto the file, so problems are
/// placed by finding the offending text in the file, at or after `from`.
fn resolve_fragment(
    md: &str,
    file: &Arc<SourceFile>,
    from: usize,
    known: &Known,
    linker: Option<&Linker>,
    diags: &mut Vec<Diagnostic>,
) -> (Doc, String) {
    let scratch = SourceFile::new(file.path.clone(), md);
    let settings = Settings {
        linker,
        mode: crate::config::AutolinkMode::First,
        anchors: false,
        marks: &[],
    };
    let mut local = Vec::new();
    let mut resolved = markdown::resolve(md, 0, &scratch, known, &settings, &mut local);
    resolved.doc.images = images::from_body(&resolved.images, &known.content, &mut local);
    for mut d in local {
        if let Some(location) = &d.location {
            let snippet = &md[location.span.clone()];
            let span = locate(&file.text, snippet, from).unwrap_or(from..from);
            d.location = Some(Location::new(file, span));
        }
        diags.push(d);
    }
    (resolved.doc, one_line(&resolved.plain))
}

fn build_entity(
    id: &str,
    raw: RawEntity,
    location: &Location,
    known: &Known,
    diags: &mut Diagnostics,
) -> Entity {
    let mut local = Vec::new();
    let (description, description_text) = match raw.description.as_deref() {
        Some(md) => {
            let (doc, text) = resolve_fragment(
                md,
                &location.file,
                location.span.start,
                known,
                None,
                &mut local,
            );
            (Some(doc), Some(text))
        }
        None => (None, None),
    };
    let image = raw.image.as_ref().and_then(|image| {
        images::from_yaml(
            image,
            &location.file,
            location.span.start,
            &known.content,
            &mut local,
        )
    });
    diags.extend(local);
    Entity {
        info: Arc::new(EntityInfo {
            image,
            id: id.to_string(),
            name: raw.name.trim().to_string(),
            aliases: raw.aliases,
            role: raw.role,
            description,
            description_text,
            wikidata: raw
                .wikidata
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty()),
        }),
        kind: raw.kind,
        mentions: Arc::default(),
        related: Arc::default(),
    }
}

fn build_term(
    id: &str,
    raw: RawTerm,
    location: &Location,
    known: &Known,
    diags: &mut Diagnostics,
) -> Term {
    let mut local = Vec::new();
    let (definition, definition_text) = resolve_fragment(
        &raw.definition,
        &location.file,
        location.span.start,
        known,
        None,
        &mut local,
    );
    diags.extend(local);
    Term {
        info: Arc::new(TermInfo {
            id: id.to_string(),
            term: raw.term.trim().to_string(),
            aliases: raw.aliases,
            definition_text,
            definition,
        }),
        mentions: Arc::default(),
    }
}

/// Text on one line, white space collapsed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate_words(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind(' ').unwrap_or(end);
    format!("{}…", text[..cut].trim_end_matches([',', ';', ':']))
}

/// Related entities: those mentioned in the same articles, most shared articles first.
///
/// For each entity, walks the articles that mention it and counts the other entities in them in
/// one dense array reused across entities: at 10,000 articles that is millions of increments, and
/// a dense array keeps them in cache where per-entity hash maps did not.
/// Returns the entity index lists it worked out, by article, for the cache (`known_ids`, the
/// lists of earlier runs); none without one, so that a build frees them at once.
/// How many related entities an entity page lists.
const RELATED: usize = 12;

fn relate(
    articles: &[Arc<Article>],
    entities: &mut Registry<Entity>,
    only: Option<&BTreeSet<String>>,
    known_ids: Option<&FxHashMap<usize, Arc<Vec<u32>>>>,
) -> Vec<Option<Arc<Vec<u32>>>> {
    let index: FxHashMap<&str, u32> = entities
        .keys()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i as u32))
        .collect();
    let names: Vec<&str> = entities.keys().map(String::as_str).collect();
    let wanted: Vec<usize> = match only {
        Some(only) => only
            .iter()
            .filter_map(|id| index.get(id.as_str()).map(|&i| i as usize))
            .collect(),
        None => (0..names.len()).collect(),
    };
    // Only the articles that mention a wanted entity matter: after one edit, a few hundred of
    // the archive.
    let all: Vec<&Entity> = entities.values().collect();
    let mut needed = vec![only.is_none(); articles.len()];
    if only.is_some() {
        for &e in &wanted {
            for m in all[e].mentions.iter() {
                needed[m.article()] = true;
            }
        }
    }
    let empty: Arc<Vec<u32>> = Arc::default();
    let mut computed: Vec<Option<Arc<Vec<u32>>>> = vec![None; articles.len()];
    // 440,000 id lookups at 10,000 articles: on all threads.
    let in_article: Vec<Arc<Vec<u32>>> = articles
        .par_iter()
        .zip(&needed)
        .zip(computed.par_iter_mut())
        .map(|((a, &needed), computed)| {
            if !needed {
                return Arc::clone(&empty);
            }
            if let Some(ids) = known_ids.and_then(|k| k.get(&(Arc::as_ptr(a) as usize))) {
                return Arc::clone(ids);
            }
            let mut ids: Vec<u32> = a
                .mentions
                .iter()
                .chain(&a.about)
                .filter_map(|id| index.get(&**id).copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let ids = Arc::new(ids);
            if known_ids.is_some() {
                *computed = Some(Arc::clone(&ids));
            }
            ids
        })
        .collect();
    // The lists end to end: counting reads one list per mention (2.2 million at 50,000
    // articles), and reading them from one array costs a cache miss each, where following
    // each Arc to its vector cost two or three.
    let mut starts: Vec<usize> = Vec::with_capacity(in_article.len() + 1);
    let mut ids: Vec<u32> = Vec::with_capacity(in_article.iter().map(|l| l.len()).sum());
    starts.push(0);
    for list in &in_article {
        ids.extend_from_slice(list);
        starts.push(ids.len());
    }
    drop(in_article);
    let related: Vec<(usize, Vec<String>)> = wanted
        .into_par_iter()
        .map_init(
            || (vec![0u32; names.len()], Vec::new(), Vec::new()),
            |(counts, touched, keys), a| {
                for article in all[a].mentions.iter().map(Mention::article) {
                    for &b in &ids[starts[article]..starts[article + 1]] {
                        if b as usize != a {
                            if counts[b as usize] == 0 {
                                touched.push(b);
                            }
                            counts[b as usize] += 1;
                        }
                    }
                }
                // Most shared first; ties by id (indexes follow id order): one number per
                // entity sorts that way, the count inverted in its high half and the index in
                // its low half. An entity shares articles with thousands of others: pick the top
                // twelve, then sort just those. Comparing numbers, not looking counts up, took
                // a third off relate's instructions.
                keys.clear();
                keys.extend(touched.iter().map(|&b| {
                    let missing = u32::MAX - std::mem::take(&mut counts[b as usize]);
                    (u64::from(missing) << 32) | u64::from(b)
                }));
                touched.clear();
                if keys.len() > RELATED {
                    keys.select_nth_unstable(RELATED);
                    keys.truncate(RELATED);
                }
                keys.sort_unstable();
                let top = keys
                    .iter()
                    .map(|&key| names[(key & u64::from(u32::MAX)) as usize].to_string())
                    .collect();
                (a, top)
            },
        )
        .collect();
    let mut related = related.into_iter().peekable();
    for (i, entity) in entities.values_mut().enumerate() {
        if let Some((_, list)) = related.next_if(|(a, _)| *a == i) {
            entity.related = Arc::new(list);
        }
    }
    computed
}

fn resolve_pages(
    pages: &[crate::content::RawPage],
    known: &Known,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut out: Vec<Page> = Vec::new();
    for raw in pages {
        if RESERVED.contains(&raw.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    "gloss::reserved-slug",
                    format!("a page cannot be called `{}`", raw.slug),
                )
                .at(Location::new(&raw.file, 0..0))
                .help(format!(
                    "that URL belongs to gloss; set another `slug:` (reserved: {})",
                    RESERVED.join(", ")
                )),
            );
            continue;
        }
        if out.iter().any(|p| p.slug == raw.slug) {
            diags.push(
                Diagnostic::error(
                    "gloss::duplicate-slug",
                    format!("two pages have the slug `{}`", raw.slug),
                )
                .at(Location::new(&raw.file, 0..0)),
            );
            continue;
        }
        let mut local = Vec::new();
        let settings = Settings {
            linker: None,
            mode: crate::config::AutolinkMode::None,
            anchors: false,
            marks: &[],
        };
        let mut body = markdown::resolve(
            raw.body(),
            raw.body_start,
            &raw.file,
            known,
            &settings,
            &mut local,
        );
        body.doc.images = images::from_body(&body.images, &known.content, &mut local);
        diags.extend(local);
        out.push(Page {
            slug: raw.slug.clone(),
            title: raw.front.title.trim().to_string(),
            description: raw.front.description.clone(),
            body: body.doc,
            links: body.links,
            anchors: body.anchors,
        });
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}
