//! The load stage: `content/` → [`Loaded`], every file read and parsed, every problem recorded.
//!
//! ```text
//! content/articles/<slug>.md     Markdown, YAML front matter or a sidecar <slug>.yaml
//! content/pages/<slug>.md        plain pages
//! content/entities.yaml          people, organisations, places, events
//! content/glossary.yaml          terms
//! content/articles/<slug>.fr.md  the French translation of <slug>.md (any configured language)
//! content/entities.fr.yaml       French names, roles, descriptions of registered entities
//! content/glossary.fr.yaml       French terms and definitions
//! ```
//! Nothing here knows about other articles: cross-references are the resolve stage's job.
//! Files are read in parallel, but the result is ordered by path so builds are deterministic.

mod date;
pub mod front_matter;
pub mod translations;
pub mod yaml;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use date::Date;
pub use front_matter::{EntityKind, RawEntity, RawFrontMatter, RawPageFrontMatter, RawTerm};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceFile};
use front_matter::{Entries, RawEntityRef};

/// Everything read from `content/`, not yet cross-referenced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sorted by file path. Shared, so that `gloss serve` keeps unchanged articles between
    /// builds.
    pub articles: Vec<Arc<RawArticle>>,
    pub pages: Vec<RawPage>,
    /// Registry entries first (file order), then inline ones from articles (article order).
    pub entities: Vec<EntityDef>,
    pub terms: Vec<TermDef>,
    /// `entities.<lang>.yaml` and `glossary.<lang>.yaml`, in language order. Inline
    /// definitions are left in their articles until the site is cut by language.
    pub translations: translations::Registries,
}

/// Where an article's YAML annotations live: its own front matter or a sidecar file.
#[derive(Debug, Clone)]
pub struct Meta {
    pub file: Arc<SourceFile>,
    /// Byte range of the YAML inside `file`.
    pub range: std::ops::Range<usize>,
}

impl Meta {
    pub fn yaml(&self) -> &str {
        &self.file.text[self.range.clone()]
    }

    /// The location of the next `needle` at or after the cursor `from` (relative to the YAML),
    /// moving the cursor past it, so that repeated values are found in order.
    pub fn locate_next(&self, needle: &str, from: &mut usize) -> Location {
        let location = self.locate(needle, *from);
        *from = location
            .span
            .end
            .saturating_sub(self.range.start)
            .max(*from);
        location
    }

    /// The location of `needle` in this YAML at or after `from` (relative to the YAML), or of
    /// the whole block when it cannot be found.
    pub fn locate(&self, needle: &str, from: usize) -> Location {
        match front_matter::locate(self.yaml(), needle, from) {
            Some(r) => Location::new(
                &self.file,
                self.range.start + r.start..self.range.start + r.end,
            ),
            None => Location::new(&self.file, self.range.start..self.range.start),
        }
    }
}

#[derive(Debug)]
pub struct RawArticle {
    pub file: Arc<SourceFile>,
    pub meta: Meta,
    /// The language its file name gives (`<slug>.fr.md`), as written; `None` for the default.
    pub lang: Option<String>,
    pub slug: String,
    pub front: RawFrontMatter,
    pub body_start: usize,
}

impl RawArticle {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }
}

#[derive(Debug, Clone)]
pub struct RawPage {
    pub file: Arc<SourceFile>,
    /// As for articles: `<slug>.fr.md` is the French version of the page.
    pub lang: Option<String>,
    pub slug: String,
    pub front: RawPageFrontMatter,
    pub body_start: usize,
}

impl RawPage {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }
}

/// An entity as defined in one place (the registry or an article's `entities:`).
#[derive(Debug, Clone)]
pub struct EntityDef {
    pub id: String,
    pub entity: RawEntity,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct TermDef {
    pub id: String,
    pub term: RawTerm,
    pub location: Location,
}

/// What earlier loads read, so that `gloss serve` parses again only the files that changed
/// (by modification time and size).
#[derive(Debug, Default)]
pub struct LoadCache {
    articles: HashMap<PathBuf, CachedArticle>,
    /// The last walk of `content/` and what it reported.
    files: Option<(Arc<Files>, Vec<Diagnostic>)>,
    /// The watcher named every file that changed, and all of them were known articles: the
    /// next load may skip walking `content/` and looking at the other files' time stamps.
    trusted: bool,
    entities: Option<CachedRegistry<RawEntity>>,
    terms: Option<CachedRegistry<RawTerm>>,
}

impl LoadCache {
    /// After [`LoadCache::forget`]ting what the watcher saw: when those paths are all articles
    /// or sidecars the last walk found and that still exist (an edit, not a new or removed
    /// file), the next load trusts the watcher for the rest.
    pub fn trust_watcher(&mut self, touched: &[&Path]) {
        self.trusted = !touched.is_empty()
            && self.files.as_ref().is_some_and(|(files, _)| {
                touched.iter().all(|p| {
                    p.is_file()
                        && (files
                            .articles
                            .binary_search_by(|a| a.as_path().cmp(p))
                            .is_ok()
                            || files.sidecars.contains(*p))
                })
            });
    }

    /// Makes the next load read `path` again (a watcher saw it change: two saves within the
    /// file system's clock tick can leave time and size alike).
    pub fn forget(&mut self, path: &Path) {
        self.articles.remove(path);
        self.articles.remove(&path.with_extension("md"));
        if self.entities.as_ref().is_some_and(|c| c.path == path) {
            self.entities = None;
        }
        if self.terms.as_ref().is_some_and(|c| c.path == path) {
            self.terms = None;
        }
    }
}

/// When a file was modified and how long it is: a change to either means reading it again.
type Stamp = Option<(std::time::SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// An article file as one load found it: as the cache had it, or read again.
enum Found<'c> {
    Kept(&'c CachedArticle),
    Read(CachedArticle),
}

#[derive(Debug, Clone)]
struct CachedArticle {
    /// The Markdown file's and the sidecar's.
    stamps: (Stamp, Stamp),
    article: Option<Arc<RawArticle>>,
    diags: Vec<Diagnostic>,
}

#[derive(Debug)]
struct CachedRegistry<T> {
    path: PathBuf,
    stamp: Stamp,
    entries: Vec<(String, T, Location)>,
    diags: Vec<Diagnostic>,
}

/// Reads every file under `content/`. Problems go to `diags`; what could be read is returned.
pub fn load(config: &Config, diags: &mut Diagnostics) -> Loaded {
    load_inner(config, diags, None)
}

/// [`load`], reusing what `cache` holds of files that have not changed since, and updating it.
pub fn load_cached(config: &Config, diags: &mut Diagnostics, cache: &mut LoadCache) -> Loaded {
    load_inner(config, diags, Some(cache))
}

fn load_inner(
    config: &Config,
    diags: &mut Diagnostics,
    mut cache: Option<&mut LoadCache>,
) -> Loaded {
    let content = config.root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("gloss::no-content", "the site has no content/ folder")
                .in_file("content")
                .help("create content/articles/ with one Markdown file per article"),
        );
        return Loaded::default();
    }
    let trusted = cache.as_deref().is_some_and(|c| c.trusted);
    let files = match cache.as_deref_mut() {
        Some(LoadCache {
            files: Some((files, found)),
            trusted: true,
            ..
        }) => {
            diags.extend(found.iter().cloned());
            Arc::clone(files)
        }
        _ => {
            let mut found = Diagnostics::new();
            let files = Arc::new(discover(&config.root, &content, &mut found));
            let found = found.into_vec();
            diags.extend(found.iter().cloned());
            if let Some(cache) = cache.as_deref_mut() {
                cache.files = Some((Arc::clone(&files), found));
            }
            files
        }
    };
    if let Some(cache) = cache.as_deref_mut() {
        cache.trusted = false;
    }

    // Unchanged articles are looked up, not copied: the cache's map is updated in place.
    let (previous, entity_slot, term_slot) = match cache.as_deref_mut() {
        Some(c) => (Some(&c.articles), Some(&mut c.entities), Some(&mut c.terms)),
        None => (None, None, None),
    };
    let load_articles = || -> Vec<Found> {
        // Small pieces: rayon otherwise splits the list in four, and the thread that also
        // parsed the registries finds nothing left to take while the other reads its quarter
        // alone (130 ms of one idle core at 10,000 articles).
        files
            .articles
            .par_iter()
            .with_max_len(16)
            .map(|path| {
                if trusted && let Some(hit) = previous.and_then(|p| p.get(path)) {
                    return Found::Kept(hit);
                }
                let sidecar = path.with_extension("yaml");
                let stamps = match previous {
                    Some(_) => (
                        stamp(path),
                        files
                            .sidecars
                            .contains(&sidecar)
                            .then(|| stamp(&sidecar))
                            .flatten(),
                    ),
                    None => (None, None),
                };
                if let Some(hit) = previous
                    .and_then(|p| p.get(path))
                    .filter(|c| c.stamps == stamps && stamps.0.is_some())
                {
                    return Found::Kept(hit);
                }
                let mut local = Vec::new();
                let article = load_article(&config.root, path, &files.sidecars, &mut local);
                Found::Read(CachedArticle {
                    stamps,
                    article: article.map(Arc::new),
                    diags: local,
                })
            })
            .collect()
    };
    // The registries are two long YAML parses (5,000 entities take 50 ms): made on one thread
    // while the others read articles, rather than alone afterwards.
    let (mut entity_diags, mut term_diags) = (Diagnostics::new(), Diagnostics::new());
    let load_registries = || {
        let entities = files
            .entities
            .as_ref()
            .map(|path| load_registry_cached(&config.root, path, &mut entity_diags, entity_slot));
        let terms = files
            .glossary
            .as_ref()
            .map(|path| load_registry_cached(&config.root, path, &mut term_diags, term_slot));
        (entities, terms)
    };
    let (found, (entities, terms)) = rayon::join(load_articles, load_registries);
    let mut loaded = Loaded::default();
    loaded.articles.reserve(found.len());
    let mut read = Vec::with_capacity(found.len());
    for (path, found) in files.articles.iter().zip(found) {
        let entry = match &found {
            Found::Kept(entry) => entry,
            Found::Read(entry) => entry,
        };
        diags.extend(entry.diags.iter().cloned());
        if let Some(article) = &entry.article
            && (config.drafts || !article.front.draft)
        {
            loaded.articles.push(Arc::clone(article));
        }
        if let Found::Read(entry) = found {
            read.push((path.clone(), entry));
        }
    }
    if let Some(cache) = cache {
        cache.articles.extend(read);
        if cache.articles.len() != files.articles.len() {
            let present: BTreeSet<&PathBuf> = files.articles.iter().collect();
            cache.articles.retain(|path, _| present.contains(path));
        }
    }
    for sidecar in &files.sidecars {
        if !files.articles.contains(&sidecar.with_extension("md")) {
            diags.push(
                Diagnostic::warning(
                    "gloss::orphan-sidecar",
                    "sidecar file has no article beside it",
                )
                .in_file(rel(&config.root, sidecar))
                .help("name it after an article: content/articles/<slug>.yaml beside <slug>.md"),
            );
        }
    }
    for path in &files.pages {
        if let Some(page) = load_page(&config.root, path, diags)
            && (config.drafts || !page.front.draft)
        {
            loaded.pages.push(page);
        }
    }
    diags.extend(entity_diags.into_vec());
    loaded.entities = entities
        .unwrap_or_default()
        .into_iter()
        .map(|(id, entity, location)| EntityDef {
            id,
            entity,
            location,
        })
        .collect();
    diags.extend(term_diags.into_vec());
    loaded.terms = terms
        .unwrap_or_default()
        .into_iter()
        .map(|(id, term, location)| TermDef { id, term, location })
        .collect();
    loaded.translations = translations::load_registries(config, &files.translations, diags);
    translations::check_file_languages(config, &mut loaded, diags);
    // A site in several languages collects them per language, when it is cut.
    if !config.multilingual() {
        collect_inline_definitions(&mut loaded);
    }
    loaded
}

/// The files of `content/`, by role. Sorted, so everything downstream is deterministic.
#[derive(Debug, Default, Clone)]
struct Files {
    articles: Vec<PathBuf>,
    sidecars: BTreeSet<PathBuf>,
    pages: Vec<PathBuf>,
    entities: Option<PathBuf>,
    glossary: Option<PathBuf>,
    /// `entities.<lang>.yaml` and `glossary.<lang>.yaml`.
    translations: Vec<PathBuf>,
}

fn discover(root: &Path, content: &Path, diags: &mut Diagnostics) -> Files {
    let mut files = Files::default();
    let walker = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .follow_links(true);
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| "content".into());
                diags.push(
                    Diagnostic::error("gloss::io", format!("cannot read: {e}")).in_file(path),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(inner) = path.strip_prefix(content) else {
            continue;
        };
        let parts: Vec<&str> = match inner.iter().map(|p| p.to_str()).collect::<Option<_>>() {
            Some(parts) => parts,
            None => {
                diags.push(
                    Diagnostic::error("gloss::file-name", "file name is not valid UTF-8")
                        .in_file(rel(root, path))
                        .help("rename the file using UTF-8 characters"),
                );
                continue;
            }
        };
        if parts.iter().any(|p| p.starts_with('.')) {
            continue; // editor swap files, .DS_Store and the like
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match (parts.as_slice(), ext) {
            (["entities.yaml" | "entities.yml"], _) => files.entities = Some(path.to_path_buf()),
            (["glossary.yaml" | "glossary.yml"], _) => files.glossary = Some(path.to_path_buf()),
            ([name], "yaml" | "yml") if translations::registry_language(name).is_some() => {
                files.translations.push(path.to_path_buf())
            }
            (["articles", _], "md") | (["articles", _, "index.md"], _) => {
                files.articles.push(path.to_path_buf())
            }
            (["articles", _, name], "md") if translations::split_stem(name.trim_end_matches(".md")) .0 == "index" => {
                files.articles.push(path.to_path_buf())
            }
            (["articles", _], "yaml") | (["articles", _, "index.yaml"], _) => {
                files.sidecars.insert(path.to_path_buf());
            }
            (["articles", _, name], "yaml") if translations::split_stem(name.trim_end_matches(".yaml")).0 == "index" => {
                files.sidecars.insert(path.to_path_buf());
            }
            (["pages", _], "md") => files.pages.push(path.to_path_buf()),
            (_, "md" | "yaml" | "yml") => diags.push(
                Diagnostic::warning("gloss::stray-file", "file is not part of the site")
                    .in_file(rel(root, path))
                    .help("articles go in content/articles/, pages in content/pages/, registries are content/entities.yaml and content/glossary.yaml"),
            ),
            _ => {}
        }
    }
    files
}

/// A path relative to the site root, for messages.
pub fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads a file as text. Invalid UTF-8 becomes a diagnostic pointing at the first bad byte.
fn read_source(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let shown = rel(root, path);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error("gloss::io", format!("cannot read file: {e}")).in_file(&shown)
    })?;
    decode(shown, &bytes)
}

/// A file's bytes as text, without a UTF-8 byte order mark. Invalid UTF-8 becomes a diagnostic
/// pointing at the first bad byte; `shown` is the path to name in it.
pub fn decode(shown: PathBuf, bytes: &[u8]) -> Result<Arc<SourceFile>, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(shown, text)),
        Err(e) => {
            let at = e.valid_up_to();
            let file = SourceFile::new(&shown, String::from_utf8_lossy(bytes).into_owned());
            // Lossy decoding only changes bytes from `at` on, so the offset still holds.
            Err(Diagnostic::error(
                "gloss::invalid-utf8",
                format!("file is not valid UTF-8 (byte {at})"),
            )
            .at(Location::new(&file, at..at + 1))
            .label("this byte")
            .help("save the file as UTF-8"))
        }
    }
}

/// Deserializes the YAML at `range` of `file`, turning parser errors into diagnostics that point
/// into the file.
fn parse_yaml<T: serde::de::DeserializeOwned>(
    file: &Arc<SourceFile>,
    range: std::ops::Range<usize>,
) -> Result<T, Diagnostic> {
    let text = &file.text[range.clone()];
    // An empty document is an empty mapping, so that required keys are reported as missing.
    let parsed = if text.trim().is_empty() {
        yaml::from_str::<T>("{}")
    } else {
        yaml::from_str::<T>(text)
    };
    parsed.map_err(|e| {
        let at = range.start + e.offset.unwrap_or(0);
        let d = yaml_diagnostic(&e.message, text, at - range.start);
        // serde reports values it rejected (a bad date) at the start of their mapping; point at
        // the value itself when it can be found.
        let value = (d.code == "gloss::invalid-date")
            .then(|| d.message.split('`').nth(1))
            .flatten()
            .and_then(|v| front_matter::locate(text, v, at - range.start));
        let span = value.map_or(at..at, |r| range.start + r.start..range.start + r.end);
        d.at(Location::new(file, span))
    })
}

fn yaml_diagnostic(message: &str, text: &str, at: usize) -> Diagnostic {
    let d = crate::diagnostics::from_serde_message(message);
    if d.code == "gloss::yaml" && text[at..].starts_with('\t') {
        return d.help("YAML indentation must use spaces, not tabs");
    }
    d
}

fn load_article(
    root: &Path,
    path: &Path,
    sidecars: &BTreeSet<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Option<RawArticle> {
    let file = read_source(root, path).map_err(|d| diags.push(d)).ok()?;
    let sidecar_path = path.with_extension("yaml");
    let sidecar = if sidecars.contains(&sidecar_path) {
        Some(
            read_source(root, &sidecar_path)
                .map_err(|d| diags.push(d))
                .ok()?,
        )
    } else {
        None
    };
    let (stem, lang) = article_stem(path);
    let mut article = parse_article(file, sidecar, stem, diags)?;
    article.lang = lang.map(str::to_string);
    Some(article)
}

/// The default slug of the article at `path`: its file name without extension, or its folder's
/// name for `articles/<slug>/index.md` (an article kept with its images); and the language its
/// name gives, `fr` for `<slug>.fr.md` and `<slug>/index.fr.md`.
fn article_stem(path: &Path) -> (&str, Option<&str>) {
    let (stem, lang) = translations::split_stem(
        path.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default(),
    );
    if stem == "index"
        && let Some(folder) = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
    {
        return (folder, lang);
    }
    (stem, lang)
}

/// Parses an article already read into memory: its Markdown file and, for wire copy, the
/// sidecar YAML beside it. `stem` is the file name without extension, the default slug.
pub fn parse_article(
    file: Arc<SourceFile>,
    sidecar: Option<Arc<SourceFile>>,
    stem: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<RawArticle> {
    let split = match front_matter::split(&file.text) {
        Ok(split) => split,
        Err(message) => {
            diags.push(
                Diagnostic::error("gloss::front-matter", message)
                    .at(Location::new(&file, 0..3))
                    .label("opened here")
                    .help("close the front matter with a line of `---` before the body"),
            );
            return None;
        }
    };
    let sidecar_shown = file.path.with_extension("yaml");
    let meta = match (split.yaml, sidecar) {
        (Some(range), None) => Meta {
            file: Arc::clone(&file),
            range,
        },
        (None, Some(sidecar)) => {
            let range = 0..sidecar.text.len();
            Meta {
                file: sidecar,
                range,
            }
        }
        (Some(_), Some(_)) => {
            diags.push(
                Diagnostic::error(
                    "gloss::front-matter-and-sidecar",
                    "article has both front matter and a sidecar file",
                )
                .at(Location::new(&file, 0..3))
                .label("front matter here")
                .help(format!(
                    "keep the annotations in one place: move them to {} or delete it",
                    sidecar_shown.display()
                )),
            );
            return None;
        }
        (None, None) => {
            diags.push(
                Diagnostic::error("gloss::no-front-matter", "article has no front matter")
                    .at(Location::new(&file, 0..0))
                    .help(format!(
                        "start the file with a `---` block holding `title:` and `date:`, or put them in a sidecar {}",
                        sidecar_shown.display()
                    )),
            );
            return None;
        }
    };
    let front: RawFrontMatter = parse_yaml(&meta.file, meta.range.clone())
        .map_err(|d| diags.push(d))
        .ok()?;
    let slug = match &front.slug {
        Some(slug) => {
            if let Err(message) = check_id(slug) {
                diags.push(
                    Diagnostic::error(
                        "gloss::invalid-slug",
                        format!("invalid slug `{slug}`: {message}"),
                    )
                    .at(meta.locate(slug, 0)),
                );
                return None;
            }
            slug.clone()
        }
        None => {
            if let Err(message) = check_id(stem) {
                diags.push(
                    Diagnostic::error(
                        "gloss::invalid-slug",
                        format!("file name `{stem}` cannot be a URL: {message}"),
                    )
                    .at(Location::new(&file, 0..0))
                    .help("rename the file, or set `slug:` in the front matter"),
                );
                return None;
            }
            stem.to_string()
        }
    };
    Some(RawArticle {
        body_start: split.body_start,
        file,
        meta,
        lang: None,
        slug,
        front,
    })
}

fn load_page(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<RawPage> {
    let file = read_source(root, path).map_err(|d| diags.push(d)).ok()?;
    let split = match front_matter::split(&file.text) {
        Ok(Split {
            yaml: Some(range),
            body_start,
        }) => (range, body_start),
        Ok(_) => {
            diags.push(
                Diagnostic::error("gloss::no-front-matter", "page has no front matter")
                    .at(Location::new(&file, 0..0))
                    .help("start the file with a `---` block holding `title:`"),
            );
            return None;
        }
        Err(message) => {
            diags.push(
                Diagnostic::error("gloss::front-matter", message).at(Location::new(&file, 0..3)),
            );
            return None;
        }
    };
    let front: RawPageFrontMatter = parse_yaml(&file, split.0.clone())
        .map_err(|d| diags.push(d))
        .ok()?;
    let (stem, lang) = translations::split_stem(
        path.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default(),
    );
    let lang = lang.map(str::to_string);
    let slug = front.slug.clone().unwrap_or_else(|| stem.to_string());
    if let Err(message) = check_id(&slug) {
        diags.push(
            Diagnostic::error(
                "gloss::invalid-slug",
                format!("invalid slug `{slug}`: {message}"),
            )
            .at(Location::new(&file, split.0.start..split.0.start)),
        );
        return None;
    }
    Some(RawPage {
        file,
        lang,
        slug,
        front,
        body_start: split.1,
    })
}

use front_matter::Split;

/// Reads a registry file (`entities.yaml`, `glossary.yaml`): a mapping of id → entry.
fn load_registry<T: serde::de::DeserializeOwned>(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, T, Location)> {
    match read_source(root, path) {
        Ok(file) => parse_registry(&file, diags),
        Err(d) => {
            diags.push(d);
            Vec::new()
        }
    }
}

/// [`load_registry`], through `slot` when serving: an unchanged registry is not parsed again.
fn load_registry_cached<T: serde::de::DeserializeOwned + Clone>(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
    slot: Option<&mut Option<CachedRegistry<T>>>,
) -> Vec<(String, T, Location)> {
    let Some(slot) = slot else {
        return load_registry(root, path, diags);
    };
    let now = stamp(path);
    if let Some(hit) = slot
        .as_ref()
        .filter(|c| c.path == path && c.stamp == now && now.is_some())
    {
        diags.extend(hit.diags.iter().cloned());
        return hit.entries.clone();
    }
    let mut local = Diagnostics::new();
    let entries = load_registry(root, path, &mut local);
    let local = local.into_vec();
    diags.extend(local.iter().cloned());
    *slot = Some(CachedRegistry {
        path: path.to_path_buf(),
        stamp: now,
        entries: entries.clone(),
        diags: local,
    });
    entries
}

/// Parses a registry already read into memory, in file order, each entry with the location of
/// its id.
pub fn parse_registry<T: serde::de::DeserializeOwned>(
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Vec<(String, T, Location)> {
    let entries: Entries<T> = match parse_yaml(file, 0..file.text.len()) {
        Ok(entries) => entries,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut from = 0;
    for (id, value) in entries.0 {
        let span = front_matter::locate_key(&file.text, &id, from)
            .or_else(|| front_matter::locate(&file.text, &id, from))
            .unwrap_or(from..from);
        from = span.end;
        let location = Location::new(file, span);
        if let Err(message) = check_id(&id) {
            diags.push(
                Diagnostic::error("gloss::invalid-id", format!("invalid id `{id}`: {message}"))
                    .at(location)
                    .help("ids are used in URLs: use lowercase letters, digits and `-`"),
            );
            continue;
        }
        out.push((id, value, location));
    }
    out
}

/// Moves entities and terms defined inside articles into the registries' lists, pointing at
/// where each was defined.
pub fn collect_inline_definitions(loaded: &mut Loaded) {
    for article in &loaded.articles {
        let mut from = 0;
        for item in &article.front.entities {
            if let RawEntityRef::Inline(inline) = item {
                let location = article.meta.locate_next(&inline.id, &mut from);
                let (id, entity) = inline.clone().into_entity();
                loaded.entities.push(EntityDef {
                    id,
                    entity,
                    location,
                });
            }
        }
        let mut from = 0;
        for (id, term) in &article.front.glossary.0 {
            let location = article.meta.locate_next(id, &mut from);
            loaded.terms.push(TermDef {
                id: id.clone(),
                term: term.clone(),
                location,
            });
        }
    }
}

/// Slugs and ids become URL path segments: keep them to letters, digits, `-` and `_`.
pub fn check_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("it is empty");
    }
    if id.starts_with(['-', '_']) {
        return Err("it must start with a letter or digit");
    }
    if !id
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err("use only letters, digits, `-` and `_`");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_path_safe() {
        assert!(check_id("steve-witkoff").is_ok());
        assert!(check_id("київ").is_ok());
        assert!(check_id("../etc").is_err());
        assert!(check_id("a/b").is_err());
        assert!(check_id("").is_err());
        assert!(check_id("-x").is_err());
    }

    #[test]
    fn a_tab_in_yaml_says_so() {
        let d = yaml_diagnostic(
            "found character that cannot start any token",
            "a:
	b: 1",
            3,
        );
        assert_eq!(
            d.help.as_deref(),
            Some("YAML indentation must use spaces, not tabs")
        );
    }
}
