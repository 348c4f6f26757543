//! The whole path from an article's text to HTML, in memory, for fuzzing and property tests.
//!
//! Whatever the input, gloss must not panic: a bad article becomes diagnostics. `article`
//! parses front matter and body, resolves references against a small fixed registry (so
//! auto-linking runs), renders the Markdown, and formats every diagnostic, since computing
//! line and column from a span is code that could panic too.

use std::path::Path;

use crate::config::{self, Overrides};
use crate::content::{self, EntityDef, Loaded, TermDef};
use crate::diagnostics::{self, Diagnostics, SourceFile};
use crate::{render, resolve};

const SITE: &str = "title = \"Fuzz\"\nbase_url = \"https://example.org/sub/\"\n";
const ENTITIES: &str = "steve-witkoff:\n  name: Steve Witkoff\n  kind: person\n  aliases: [Witkoff]\nvladimir-putin:\n  name: Vladimir Putin\n  kind: person\n  aliases: [Putin]\nnato:\n  name: NATO\n  kind: organisation\n";
const GLOSSARY: &str =
    "ceasefire:\n  term: ceasefire\n  aliases: [truce]\n  definition: An agreed *halt*.\n";

/// Runs an article's text through load, resolve and render. Returns how many diagnostics it
/// gave, so callers can tell the input was looked at.
pub fn article(text: &str) -> usize {
    let mut diags = Diagnostics::new();
    let site_toml = SourceFile::new("site.toml", SITE);
    let config = config::parse(
        Path::new("."),
        &site_toml,
        &Overrides::default(),
        &mut diags,
    )
    .expect("the fuzz site.toml is valid");
    let entities = content::parse_registry(
        &SourceFile::new("content/entities.yaml", ENTITIES),
        &mut diags,
    );
    let terms = content::parse_registry(
        &SourceFile::new("content/glossary.yaml", GLOSSARY),
        &mut diags,
    );

    let file = SourceFile::new("content/articles/fuzz.md", text);
    let mut local = Vec::new();
    let article = content::parse_article(file, None, "fuzz", &mut local);
    diags.extend(local);
    let mut loaded = Loaded {
        articles: article.into_iter().map(std::sync::Arc::new).collect(),
        translations: Default::default(),
        pages: Vec::new(),
        entities: entities
            .into_iter()
            .map(|(id, entity, location)| EntityDef {
                id,
                entity,
                location,
            })
            .collect(),
        terms: terms
            .into_iter()
            .map(|(id, term, location)| TermDef { id, term, location })
            .collect(),
    };
    content::collect_inline_definitions(&mut loaded);
    let site = resolve::resolve(config, loaded, &mut diags);
    resolve::links::check(&site, &Default::default(), &mut diags);
    for a in &site.articles {
        let _ = render::markdown::to_html(
            &a.body,
            &site,
            &crate::images::Catalogue::default(),
            "../../",
        );
        if let Some(bg) = &a.background {
            let _ = render::markdown::to_html(
                bg,
                &site,
                &crate::images::Catalogue::default(),
                "../../",
            );
        }
        for note in &a.annotations {
            let _ = render::markdown::to_html(
                &note.note,
                &site,
                &crate::images::Catalogue::default(),
                "../../",
            );
        }
        let _ = render::seo::claim_reviews_json(&site, a);
    }
    for d in diags.sorted() {
        let _ = diagnostics::render_human(d, false);
        let _ = diagnostics::to_json(d);
    }
    diags.sorted().len()
}
