//! A site in several languages, as files: which language a file is in, the translated
//! registries, and the cut of everything loaded into one [`Loaded`] per language.
//!
//! ```text
//! content/articles/<slug>.fr.md     the French version of the story <slug>
//! content/articles/<slug>/index.fr.md
//! content/pages/<slug>.fr.md
//! content/entities.fr.yaml          <id>: { name, aliases, role, description }
//! content/glossary.fr.yaml          <id>: { term, aliases, definition }
//! ```
//! Ids are the same in every language, so a translated entry only gives the words.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::{EntityDef, Loaded, RawArticle, TermDef, collect_inline_definitions, read_source};
use crate::config::{Config, looks_like_language};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// An entity's words in another language; what is left out stays as the main registry has it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntityText {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub aliases: Option<Vec<String>>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A term's words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTermText {
    #[serde(default)]
    pub term: Option<String>,
    #[serde(default)]
    pub aliases: Option<Vec<String>>,
    #[serde(default)]
    pub definition: Option<String>,
}

/// One translated registry file.
#[derive(Debug, Clone)]
pub struct Registry<T> {
    pub lang: String,
    /// As shown in messages: `content/entities.fr.yaml`.
    pub shown: PathBuf,
    pub entries: Vec<(String, T, Location)>,
}

/// Every translated registry of the site.
#[derive(Debug, Clone, Default)]
pub struct Registries {
    pub entities: Vec<Registry<RawEntityText>>,
    pub terms: Vec<Registry<RawTermText>>,
}

/// `("x", Some("fr"))` for the file stem `x.fr`; `(stem, None)` when its last part does not look
/// like a language tag.
pub fn split_stem(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((base, lang)) if !base.is_empty() && looks_like_language(lang) => (base, Some(lang)),
        _ => (stem, None),
    }
}

/// The registry and language a top-level file of `content/` is: `entities.fr.yaml` →
/// `("entities", "fr")`.
pub fn registry_language(name: &str) -> Option<(&str, &str)> {
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))?;
    match split_stem(stem) {
        (kind @ ("entities" | "glossary"), Some(lang)) => Some((kind, lang)),
        _ => None,
    }
}

/// Reads the translated registries; one in a language site.toml does not list is an error.
pub(super) fn load_registries(
    config: &Config,
    paths: &[PathBuf],
    diags: &mut Diagnostics,
) -> Registries {
    let mut out = Registries::default();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some((kind, lang)) = registry_language(name) else {
            continue;
        };
        let shown = super::rel(&config.root, path);
        if !known_language(config, lang, &shown, diags) {
            continue;
        }
        let file = match read_source(&config.root, path) {
            Ok(file) => file,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if kind == "entities" {
            out.entities.push(Registry {
                lang: lang.to_string(),
                shown,
                entries: super::parse_registry(&file, diags),
            });
        } else {
            out.terms.push(Registry {
                lang: lang.to_string(),
                shown,
                entries: super::parse_registry(&file, diags),
            });
        }
    }
    out
}

/// Whether `lang`, from the name of the file `shown`, is one of the site's languages; an error
/// naming the file when it is not.
fn known_language(config: &Config, lang: &str, shown: &Path, diags: &mut Diagnostics) -> bool {
    if config.languages.iter().any(|l| l.code == lang) {
        return true;
    }
    let listed: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    diags.push(
        Diagnostic::error(
            "gloss::unknown-language",
            format!("the file name says `{lang}`, which is not one of the site's languages"),
        )
        .in_file(shown)
        .help(format!(
            "the site is in {}; add a `[languages.{lang}]` table to site.toml, or rename the file",
            listed.join(", ")
        )),
    );
    false
}

/// Drops, with an error, articles and pages whose file name gives a language the site does not
/// have.
pub(super) fn check_file_languages(config: &Config, loaded: &mut Loaded, diags: &mut Diagnostics) {
    loaded.articles.retain(|a| match &a.lang {
        Some(lang) => known_language(config, lang, &a.file.path, diags),
        None => true,
    });
    loaded.pages.retain(|p| match &p.lang {
        Some(lang) => known_language(config, lang, &p.file.path, diags),
        None => true,
    });
}

/// Whether a file in `lang` (as its name gives it) belongs to the language `code`.
fn is_in(lang: Option<&str>, code: &str, default: &str) -> bool {
    lang.unwrap_or(default) == code
}

/// What the site holds in the language `config.language`: its articles and pages, the
/// registries in its words, and the inline definitions of its articles.
pub fn for_language(loaded: &Loaded, config: &Config, diags: &mut Diagnostics) -> Loaded {
    let code = config.language.as_str();
    let default = config.default_language();
    let mut out = Loaded::default();
    let mut seen: BTreeMap<&str, &RawArticle> = BTreeMap::new();
    for article in &loaded.articles {
        if !is_in(article.lang.as_deref(), code, default) {
            continue;
        }
        if let Some(first) = seen.get(article.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    "gloss::duplicate-translation",
                    format!(
                        "two files are the `{code}` version of the story `{}`",
                        article.slug
                    ),
                )
                .at(Location::new(&article.file, 0..0))
                .help(format!(
                    "{} is too; a story has one file per language (`{}.md` for {default}, `{}.<lang>.md` for the others)",
                    first.file.path.display(),
                    article.slug,
                    article.slug
                )),
            );
            continue;
        }
        seen.insert(&article.slug, article);
        out.articles.push(Arc::clone(article));
    }
    let mut pages = BTreeSet::new();
    for page in &loaded.pages {
        if is_in(page.lang.as_deref(), code, default) && pages.insert(page.slug.clone()) {
            out.pages.push(page.clone());
        }
    }
    if code == default {
        out.entities = loaded.entities.clone();
        out.terms = loaded.terms.clone();
        translation_warnings(loaded, config, diags);
    } else {
        out.entities = translate_entities(loaded, config, diags);
        out.terms = translate_terms(loaded, config, diags);
    }
    collect_inline_definitions(&mut out);
    out
}

/// Every registered entity in the words of `config.language`; ids the main registry lacks are
/// errors at their line, and entities without a name in the language one warning.
fn translate_entities(loaded: &Loaded, config: &Config, diags: &mut Diagnostics) -> Vec<EntityDef> {
    let code = config.language.as_str();
    let known: BTreeSet<&str> = loaded.entities.iter().map(|e| e.id.as_str()).collect();
    let (texts, shown) = texts_in(
        &loaded.translations.entities,
        code,
        &known,
        "entity",
        "entities",
        diags,
    );
    let mut unnamed = Vec::new();
    let out = loaded
        .entities
        .iter()
        .map(|def| {
            let mut def = def.clone();
            match texts.get(def.id.as_str()) {
                Some(text) => {
                    if let Some(name) = &text.name {
                        def.entity.name = name.clone();
                    } else {
                        unnamed.push(def.id.clone());
                    }
                    if let Some(aliases) = &text.aliases {
                        def.entity.aliases = aliases.clone();
                    }
                    if text.role.is_some() {
                        def.entity.role = text.role.clone();
                    }
                    if text.description.is_some() {
                        def.entity.description = text.description.clone();
                    }
                }
                None => unnamed.push(def.id.clone()),
            }
            def
        })
        .collect();
    missing_warning(config, "entity", "name", &unnamed, &shown, diags);
    out
}

/// [`translate_entities`] for glossary terms.
fn translate_terms(loaded: &Loaded, config: &Config, diags: &mut Diagnostics) -> Vec<TermDef> {
    let code = config.language.as_str();
    let known: BTreeSet<&str> = loaded.terms.iter().map(|t| t.id.as_str()).collect();
    let (texts, shown) = texts_in(
        &loaded.translations.terms,
        code,
        &known,
        "term",
        "glossary",
        diags,
    );
    let mut missing = Vec::new();
    let out = loaded
        .terms
        .iter()
        .map(|def| {
            let mut def = def.clone();
            match texts.get(def.id.as_str()) {
                Some(text) => {
                    if let Some(term) = &text.term {
                        def.term.term = term.clone();
                    }
                    if let Some(aliases) = &text.aliases {
                        def.term.aliases = aliases.clone();
                    }
                    if let Some(definition) = &text.definition {
                        def.term.definition = definition.clone();
                    }
                    if text.term.is_none() || text.definition.is_none() {
                        missing.push(def.id.clone());
                    }
                }
                None => missing.push(def.id.clone()),
            }
            def
        })
        .collect();
    missing_warning(
        config,
        "term",
        "term or definition",
        &missing,
        &shown,
        diags,
    );
    out
}

/// The words that `code`'s files of one registry give, by id, and the file to name in
/// warnings; an id the main registry (`known`) lacks is an error at its line.
fn texts_in<'l, T>(
    registries: &'l [Registry<T>],
    code: &str,
    known: &BTreeSet<&str>,
    what: &str,
    registry: &str,
    diags: &mut Diagnostics,
) -> (BTreeMap<&'l str, &'l T>, PathBuf) {
    let main = format!("content/{registry}.yaml");
    let mut texts = BTreeMap::new();
    let mut shown = None;
    for file in registries.iter().filter(|r| r.lang == code) {
        shown.get_or_insert_with(|| file.shown.clone());
        for (id, text, location) in &file.entries {
            if known.contains(id.as_str()) {
                texts.insert(id.as_str(), text);
            } else {
                diags.push(unknown_id(id, what, &main, location));
            }
        }
    }
    let shown = shown.unwrap_or_else(|| PathBuf::from(format!("content/{registry}.{code}.yaml")));
    (texts, shown)
}

fn unknown_id(id: &str, what: &str, main: &str, location: &Location) -> Diagnostic {
    Diagnostic::error(
        "gloss::unknown-translation",
        format!("`{id}` is not a registered {what}: a translation gives the words of an {what} {main} defines"),
    )
    .at(location.clone())
    .help(format!("add `{id}` to {main} first, or correct the id"))
}

/// One warning per language and registry, listing the first few ids.
fn missing_warning(
    config: &Config,
    what: &str,
    field: &str,
    ids: &[String],
    shown: &Path,
    diags: &mut Diagnostics,
) {
    if ids.is_empty() {
        return;
    }
    let code = &config.language;
    diags.push(
        Diagnostic::warning(
            "gloss::missing-translation",
            format!(
                "{} {what}(s) have no `{code}` {field}; `{code}` pages show the default language's: {}",
                ids.len(),
                crate::diagnostics::short_list(ids, 5)
            ),
        )
        .in_file(shown)
        .help(format!("give each id its `{code}` words in {}", shown.display())),
    );
}

/// Warnings about translations as a whole, given once (with the default language): a story
/// translated but absent from the default language.
fn translation_warnings(loaded: &Loaded, config: &Config, diags: &mut Diagnostics) {
    if !config.multilingual() {
        return;
    }
    let default = config.default_language();
    let originals: BTreeSet<&str> = loaded
        .articles
        .iter()
        .filter(|a| is_in(a.lang.as_deref(), default, default))
        .map(|a| a.slug.as_str())
        .collect();
    for article in &loaded.articles {
        if let Some(lang) = article.lang.as_deref().filter(|l| *l != default)
            && !originals.contains(article.slug.as_str())
        {
            diags.push(
                Diagnostic::warning(
                    "gloss::translation-of-unknown-story",
                    format!(
                        "this `{lang}` story translates `{}`, which has no `{default}` version",
                        article.slug
                    ),
                )
                .at(Location::new(&article.file, 0..0))
                .help(format!(
                    "it is published in `{lang}` only; name the file after an existing story, or add content/articles/{}.md",
                    article.slug
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_languages() {
        assert_eq!(split_stem("x.fr"), ("x", Some("fr")));
        assert_eq!(split_stem("index.pt-br"), ("index", Some("pt-br")));
        assert_eq!(split_stem("x"), ("x", None));
        assert_eq!(split_stem("my.article"), ("my.article", None));
        assert_eq!(split_stem(".fr"), (".fr", None));
        assert_eq!(
            registry_language("entities.ar.yaml"),
            Some(("entities", "ar"))
        );
        assert_eq!(
            registry_language("glossary.fr.yml"),
            Some(("glossary", "fr"))
        );
        assert_eq!(registry_language("entities.yaml"), None);
        assert_eq!(registry_language("other.fr.yaml"), None);
    }
}
