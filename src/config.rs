//! `site.toml` → [`Config`]: parsed strictly (unknown keys are errors), then validated.
//!
//! ```toml
//! title = "Explainers"
//! base_url = "https://example.org/explainers/"
//! language = "en"
//! description = "What the news means"
//! autolink = "first"      # first | all | none
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceFile};

/// How often gloss links a registered name it finds in an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AutolinkMode {
    /// The first mention of each entity or term per article.
    #[default]
    First,
    /// Every mention.
    All,
    /// None: only explicit `entity:`/`term:` links.
    None,
}

/// `site.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    autolink: AutolinkMode,
    #[serde(default)]
    theme: Option<String>,
    /// The organisation named as publisher in structured data; defaults to the title.
    #[serde(default)]
    publisher: Option<String>,
    /// A syntect theme name for code highlighting.
    #[serde(default = "default_highlight_theme")]
    highlight_theme: String,
    /// How many articles the front page lists.
    #[serde(default = "default_front_page_limit")]
    front_page_limit: usize,
    /// Also write `.gz` and `.br` siblings of text files, for hosts that serve them as they are.
    #[serde(default)]
    precompress: bool,
    /// Minify HTML (and the CSS and JS inside it); needs gloss built with `--features minify`.
    #[serde(default)]
    minify: bool,
    /// How many of the newest articles each feed carries.
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    /// Build a search index (Pagefind) and the search page.
    #[serde(default = "default_true")]
    search: bool,
    /// The widths, in pixels, raster images are resized to (never above the original's).
    #[serde(default = "default_image_widths")]
    image_widths: Vec<u32>,
    /// The largest image accepted, in megapixels: a guard against decompression bombs.
    #[serde(default = "default_image_max_megapixels")]
    image_max_megapixels: f64,
    /// Where processed images are kept between builds, relative to the site root.
    #[serde(default = "default_cache_dir")]
    cache_dir: String,
    /// URLs per sitemap file; past it, `sitemap.xml` is an index of several.
    #[serde(default = "default_sitemap_limit")]
    sitemap_limit: usize,
    /// Items per page of the lists that grow with the archive.
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    /// Per kind of list, overriding `paginate_by`.
    #[serde(default)]
    paginate_by_kind: RawPaginateByKind,
    /// Languages besides `language`: `[languages.fr]`, each with its own title and URL.
    #[serde(default)]
    languages: std::collections::BTreeMap<String, RawLanguage>,
}

/// A `[languages.<code>]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    /// Where the language lives: a sub-path of the site (`francais`) or an absolute URL.
    base_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaginateByKind {
    /// Topic pages.
    tags: Option<usize>,
    /// An entity page's list of the articles that mention it.
    entities: Option<usize>,
    /// The date archive's year and month pages.
    archive: Option<usize>,
    /// Terms on one glossary page; past it the glossary is cut by letter.
    glossary: Option<usize>,
    /// Events on one timeline page; past it the timeline is cut by year.
    timeline: Option<usize>,
    /// Entries a page of the index of people, organisations and places.
    entity_index: Option<usize>,
}

fn default_paginate_by() -> usize {
    50
}

fn default_sitemap_limit() -> usize {
    50_000
}

fn default_image_widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}

fn default_image_max_megapixels() -> f64 {
    100.0
}

fn default_cache_dir() -> String {
    ".gloss-cache".to_string()
}

fn default_true() -> bool {
    true
}

fn default_feed_limit() -> usize {
    50
}

fn default_language() -> String {
    "en".to_string()
}

fn default_highlight_theme() -> String {
    "base16-ocean.light".to_string()
}

fn default_front_page_limit() -> usize {
    20
}

/// The validated site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub description: String,
    pub autolink: AutolinkMode,
    /// `None` for the built-in theme.
    pub theme: Option<String>,
    pub publisher: String,
    pub highlight_theme: String,
    pub front_page_limit: usize,
    pub precompress: bool,
    pub feed_limit: usize,
    pub minify: bool,
    /// A search index in `pagefind/`, a search page and a search box in the header.
    pub search: bool,
    pub drafts: bool,
    /// Sorted, distinct, none zero.
    pub image_widths: Vec<u32>,
    /// In pixels.
    pub image_max_pixels: u64,
    /// The cache folder (processed images), absolute or relative to the working directory.
    pub cache_dir: PathBuf,
    /// URLs per sitemap file, at most 50,000.
    pub sitemap_limit: usize,
    /// Items per page of each kind of paginated list.
    pub paginate: Paginate,
    /// A local preview (`gloss serve`): asset names are not fingerprinted, so that a stylesheet
    /// edit changes one file, not every page; nothing is minified or precompressed.
    pub preview: bool,
    /// Every language the site is published in, the default (`language`) first, then the
    /// `[languages]` tables by code. `title`, `description`, `base_url` and `language` above are
    /// those of the language being built.
    pub languages: Arc<Vec<Language>>,
    /// The output folder of the language being built, relative to the site's: `""` for the
    /// default language, `fr/` for the others.
    pub prefix: String,
}

/// One language of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// A BCP 47 tag as written in site.toml and in file names: `fr`, `pt-br`.
    pub code: String,
    pub title: String,
    pub description: String,
    /// Where its pages are published.
    pub base_url: BaseUrl,
    /// Its folder in the output: `""` for the default language, `fr/` for the others.
    pub prefix: String,
}

impl Language {
    /// `rtl` for scripts written right to left, else `ltr`.
    pub fn dir(&self) -> &'static str {
        text_direction(&self.code)
    }
}

/// `rtl` for the languages whose script runs right to left: Arabic, Hebrew, Persian, Urdu and
/// their neighbours; `ltr` for every other.
pub fn text_direction(code: &str) -> &'static str {
    let primary = code.split(['-', '_']).next().unwrap_or(code);
    match primary.to_ascii_lowercase().as_str() {
        "ar" | "he" | "iw" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" => "rtl",
        _ => "ltr",
    }
}

impl Config {
    /// Whether the site is published in more than one language.
    pub fn multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The default language's code.
    pub fn default_language(&self) -> &str {
        &self.languages[0].code
    }

    /// This configuration, for building the language `code` (one of `languages`).
    pub fn for_language(&self, code: &str) -> Config {
        let mut config = self.clone();
        if let Some(lang) = self.languages.iter().find(|l| l.code == code) {
            config.language = lang.code.clone();
            config.title = lang.title.clone();
            config.description = lang.description.clone();
            config.base_url = lang.base_url.clone();
            config.prefix = lang.prefix.clone();
        }
        config
    }
}

/// Whether `code` is written like a language tag (`fr`, `pt-br`, `zh-hant`): what a file name's
/// last dot-separated part must look like to name a translation.
pub fn looks_like_language(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Items per page, by kind of list (`paginate_by`, `[paginate_by_kind]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginate {
    pub tags: usize,
    pub entities: usize,
    pub archive: usize,
    pub glossary: usize,
    pub timeline: usize,
    pub entity_index: usize,
}

/// An absolute site URL that always ends in `/`, possibly with a sub-path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let raw = raw.trim();
        let rest = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))
            .ok_or_else(|| format!("`{raw}` is not an absolute http(s) URL"))?;
        if rest.is_empty() || rest.starts_with('/') {
            return Err(format!("`{raw}` has no host"));
        }
        if raw.contains(['?', '#', ' ', '"', '<', '>']) {
            return Err(format!(
                "`{raw}` must not contain a query, fragment or spaces"
            ));
        }
        let mut url = raw.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        Ok(BaseUrl(url))
    }

    /// The absolute URL of a site path such as `articles/x/` (no leading slash).
    pub fn join(&self, path: &str) -> String {
        // Concatenated: every page's canonical link and structured data make one.
        [self.0.as_str(), path.trim_start_matches('/')].concat()
    }

    /// The path part, `/` or `/explainers/`.
    pub fn path(&self) -> &str {
        let after_scheme = self.0.find("://").map_or(0, |i| i + 3);
        self.0[after_scheme..]
            .find('/')
            .map_or("/", |i| &self.0[after_scheme + i..])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Overrides from the command line, applied after `site.toml` is read.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Building for `gloss serve`: see [`Config::preview`].
    pub preview: bool,
}

/// Reads and validates `<root>/site.toml`. Problems go to `diags`; `None` means the site cannot
/// be built at all.
pub fn load(root: &Path, overrides: &Overrides, diags: &mut Diagnostics) -> Option<Config> {
    let path = root.join("site.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            diags.push(
                Diagnostic::error("gloss::config", format!("cannot read site.toml: {e}"))
                    .in_file("site.toml")
                    .help("run gloss in a site's root folder, or pass --root; `gloss init DIR` starts a new site"),
            );
            return None;
        }
    };
    let file = SourceFile::new("site.toml", text.trim_start_matches('\u{feff}'));
    parse(root, &file, overrides, diags)
}

/// Parses an already-read `site.toml`.
pub fn parse(
    root: &Path,
    file: &Arc<SourceFile>,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let raw: RawConfig = match toml::from_str(&file.text) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let mut d =
                crate::diagnostics::from_serde_message(e.message().trim().trim_end_matches('.'));
            if d.code == "gloss::yaml" {
                d.code = "gloss::config";
            }
            diags.push(d.at(Location::new(file, span)));
            return None;
        }
    };
    let base_url_raw = overrides.base_url.as_deref().unwrap_or(&raw.base_url);
    let base_url = match BaseUrl::parse(base_url_raw) {
        Ok(url) => url,
        Err(message) => {
            let mut d = Diagnostic::error("gloss::config", format!("invalid base_url: {message}"));
            d = match (overrides.base_url.is_some(), file.text.find("base_url")) {
                (false, Some(at)) => d.at(Location::new(file, at..at + "base_url".len())),
                _ => d.in_file("site.toml"),
            };
            diags.push(
                d.help("write it like https://example.org/ or https://example.org/explainers/"),
            );
            return None;
        }
    };
    let languages = languages(&raw, &base_url, file, diags)?;
    let theme = raw.theme.filter(|t| t != "default");
    if let Some(name) = &theme
        && !root.join("themes").join(name).is_dir()
    {
        let at = file.text.find("theme").unwrap_or(0);
        diags.push(
            Diagnostic::error("gloss::config", format!("theme `{name}` not found"))
                .at(Location::new(file, at..at + "theme".len()))
                .help(format!(
                    "create themes/{name}/ or remove the `theme` key to use the built-in theme"
                )),
        );
        return None;
    }
    if raw.minify && !cfg!(feature = "minify") {
        let at = file.text.find("minify").unwrap_or(0);
        diags.push(
            Diagnostic::error("gloss::config", "this gloss was built without minification")
                .at(Location::new(file, at..at + "minify".len()))
                .help(
                    "install it with `cargo install --features minify`, or remove `minify = true`",
                ),
        );
        return None;
    }
    let mut image_widths = raw.image_widths;
    image_widths.sort_unstable();
    image_widths.dedup();
    image_widths.retain(|w| *w > 0);
    if image_widths.is_empty() || image_widths.iter().any(|w| *w > 10_000) {
        let at = file.text.find("image_widths").unwrap_or(0);
        diags.push(
            Diagnostic::error(
                "gloss::config",
                "image_widths needs at least one width between 1 and 10000",
            )
            .at(Location::new(file, at..at + "image_widths".len()))
            .help("the default is image_widths = [480, 800, 1200, 1600]"),
        );
        return None;
    }
    if !(raw.image_max_megapixels > 0.0 && raw.image_max_megapixels.is_finite()) {
        let at = file.text.find("image_max_megapixels").unwrap_or(0);
        diags.push(
            Diagnostic::error("gloss::config", "image_max_megapixels must be above 0")
                .at(Location::new(file, at..at + "image_max_megapixels".len())),
        );
        return None;
    }
    let cache_dir = root.join(&raw.cache_dir);
    Some(Config {
        sitemap_limit: raw.sitemap_limit.clamp(1, 50_000),
        paginate: {
            let kinds = &raw.paginate_by_kind;
            let or_default = |n: Option<usize>| n.unwrap_or(raw.paginate_by).max(1);
            Paginate {
                tags: or_default(kinds.tags),
                entities: or_default(kinds.entities),
                archive: or_default(kinds.archive),
                glossary: or_default(kinds.glossary),
                timeline: or_default(kinds.timeline),
                entity_index: or_default(kinds.entity_index),
            }
        },
        image_widths,
        image_max_pixels: (raw.image_max_megapixels * 1e6) as u64,
        cache_dir,
        root: root.to_path_buf(),
        publisher: raw.publisher.unwrap_or_else(|| raw.title.clone()),
        title: raw.title,
        base_url,
        language: raw.language,
        description: raw.description,
        autolink: raw.autolink,
        theme,
        highlight_theme: raw.highlight_theme,
        front_page_limit: raw.front_page_limit.max(1),
        precompress: raw.precompress && !overrides.preview,
        feed_limit: raw.feed_limit.max(1),
        minify: raw.minify && !overrides.preview,
        search: raw.search,
        drafts: overrides.drafts,
        preview: overrides.preview,
        languages: Arc::new(languages),
        prefix: String::new(),
    })
}

/// The site's languages, the default first, from `language` and the `[languages]` tables.
fn languages(
    raw: &RawConfig,
    base_url: &BaseUrl,
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Option<Vec<Language>> {
    let at = |needle: &str| {
        let start = file.text.find(needle).unwrap_or(0);
        Location::new(
            file,
            start..start + needle.len().min(file.text.len() - start),
        )
    };
    // The default language names no file or folder: any tag-like value is taken as written.
    let tag_like = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if raw.language.is_empty() || !raw.language.chars().all(tag_like) {
        diags.push(
            Diagnostic::error(
                "gloss::config",
                format!("`{}` is not a language tag", raw.language),
            )
            .at(at("language"))
            .help("write a lowercase BCP 47 tag such as en, fr, ar or pt-br"),
        );
        return None;
    }
    let mut out = vec![Language {
        code: raw.language.clone(),
        title: raw.title.clone(),
        description: raw.description.clone(),
        base_url: base_url.clone(),
        prefix: String::new(),
    }];
    let mut ok = true;
    for (code, lang) in &raw.languages {
        let table = format!("[languages.{code}]");
        if !looks_like_language(code) {
            diags.push(
                Diagnostic::error("gloss::config", format!("`{code}` is not a language tag"))
                    .at(at(&table))
                    .help("write a lowercase BCP 47 tag such as fr, ar or pt-br"),
            );
            ok = false;
            continue;
        }
        if *code == raw.language {
            diags.push(
                Diagnostic::error(
                    "gloss::config",
                    format!("`{code}` is the default language already"),
                )
                .at(at(&table))
                .help("the default language takes `title`, `description` and `base_url` from the top of site.toml; remove this table"),
            );
            ok = false;
            continue;
        }
        let (url, prefix) = match lang.base_url.as_deref().map(str::trim) {
            None => (base_url.join(&format!("{code}/")), format!("{code}/")),
            Some(url) if url.contains("://") => {
                // Another host or path: the pages still go to `<code>/` of the output, for the
                // host to publish there.
                let prefix = url
                    .strip_prefix(base_url.as_str())
                    .map(|p| format!("{}/", p.trim_matches('/')))
                    .filter(|p| p != "/")
                    .unwrap_or_else(|| format!("{code}/"));
                (url.to_string(), prefix)
            }
            Some(sub) => {
                let sub = sub.trim_matches('/');
                (base_url.join(&format!("{sub}/")), format!("{sub}/"))
            }
        };
        let parsed = BaseUrl::parse(&url).ok().filter(|_| {
            !prefix.starts_with('/')
                && prefix.trim_end_matches('/').split('/').all(|part| {
                    !part.is_empty()
                        && part != ".."
                        && part != "."
                        && part
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                })
        });
        let Some(parsed) = parsed else {
            diags.push(
                Diagnostic::error(
                    "gloss::config",
                    format!("invalid base_url for `{code}`: `{url}`"),
                )
                .at(at(&table))
                .help(format!(
                    "leave it out to publish at {code}/, or write a sub-path such as `francais` or an absolute URL"
                )),
            );
            ok = false;
            continue;
        };
        out.push(Language {
            code: code.clone(),
            title: lang.title.clone().unwrap_or_else(|| raw.title.clone()),
            description: lang
                .description
                .clone()
                .unwrap_or_else(|| raw.description.clone()),
            base_url: parsed,
            prefix,
        });
    }
    let mut prefixes = std::collections::BTreeSet::new();
    for lang in &out[1..] {
        let top = lang.prefix.split('/').next().unwrap_or_default();
        if !prefixes.insert(lang.prefix.clone()) || RESERVED_FOLDERS.contains(&top) {
            diags.push(
                Diagnostic::error(
                    "gloss::config",
                    format!(
                        "the `{}` language would be published in `{}`, which the site already uses",
                        lang.code, lang.prefix
                    ),
                )
                .at(at(&format!("[languages.{}]", lang.code)))
                .help("give it another base_url"),
            );
            ok = false;
        }
    }
    ok.then_some(out)
}

/// Output folders of every language's own pages: a language's folder must not be one of them.
const RESERVED_FOLDERS: &[&str] = &[
    "articles",
    "entities",
    "glossary",
    "timeline",
    "tags",
    "archive",
    "corrections",
    "search",
    "static",
    "pagefind",
    "images",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<Config, String> {
        let file = SourceFile::new("site.toml", text);
        let mut diags = Diagnostics::new();
        parse(Path::new("."), &file, &Overrides::default(), &mut diags).ok_or_else(|| {
            diags
                .sorted()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = check("title = \"T\"\nbase_url = \"https://example.org\"\n").unwrap();
        assert_eq!(config.base_url.as_str(), "https://example.org/");
        assert_eq!(config.base_url.path(), "/");
        assert_eq!(config.language, "en");
        assert_eq!(config.autolink, AutolinkMode::First);
        assert_eq!(config.publisher, "T");
    }

    #[test]
    fn sub_path_is_kept() {
        let config =
            check("title = \"T\"\nbase_url = \"https://example.org/explainers\"\n").unwrap();
        assert_eq!(config.base_url.path(), "/explainers/");
        assert_eq!(
            config.base_url.join("articles/a/"),
            "https://example.org/explainers/articles/a/"
        );
    }

    #[test]
    fn unknown_key_names_the_key_and_line() {
        let err =
            check("title = \"T\"\nbase_url = \"https://e.org\"\ntitel = \"x\"\n").unwrap_err();
        assert!(
            err.starts_with("site.toml:3:1: error[gloss::unknown-key]"),
            "{err}"
        );
        assert!(err.contains("titel"), "{err}");
    }

    #[test]
    fn bad_autolink_mode_is_an_error() {
        let err = check("title = \"T\"\nbase_url = \"https://e.org\"\nautolink = \"some\"\n")
            .unwrap_err();
        assert!(err.starts_with("site.toml:3:"), "{err}");
    }

    #[test]
    fn relative_base_url_is_rejected() {
        let err = check("title = \"T\"\nbase_url = \"/explainers/\"\n").unwrap_err();
        assert!(err.contains("invalid base_url"), "{err}");
    }
}
