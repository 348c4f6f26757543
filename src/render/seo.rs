//! Structured data: schema.org JSON-LD for articles and entities.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::fragments::Fragments;
use crate::site::{Article, Entity, Site};

/// A `sameAs` link for a Wikidata id.
pub fn wikidata_url(id: &str) -> String {
    format!("https://www.wikidata.org/wiki/{id}")
}

// The structs below serialize their fields in the order written, which is alphabetical: the
// order serde_json gives an object's keys, so the output stays what `json!` made before.

/// An entity as a schema.org Person, Organization, Place, Event or Thing; on its own page, with
/// `@context` and the articles about it.
#[derive(Serialize)]
pub struct EntityLd<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    /// The entity page's URL: articles refer to the entity by it.
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// The entity's picture, on its own page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<super::images::ImageObjectLd<'a>>,
    name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<String>,
    #[serde(rename = "subjectOf", skip_serializing_if = "Option::is_none")]
    subject_of: Option<Vec<&'a RawValue>>,
    url: String,
}

pub fn entity_ld<'a>(site: &Site, entity: &'a Entity) -> EntityLd<'a> {
    let url = entity_url(site, entity);
    EntityLd {
        context: None,
        id: url.clone(),
        kind: entity.kind.schema_type(),
        description: entity.role.as_deref(),
        image: Vec::new(),
        name: &entity.name,
        same_as: entity.wikidata.as_deref().map(wikidata_url),
        subject_of: None,
        url,
    }
}

/// The absolute URL of an entity's page, also its `@id` in structured data.
fn entity_url(site: &Site, entity: &Entity) -> String {
    site.config
        .base_url
        .join(&["entities/", &entity.id, "/"].concat())
}

/// A reference to an entity described on its own page: `{"@id": "<its page>"}`. An article
/// names dozens of entities; the whole object for each was most of its structured data.
#[derive(Serialize)]
pub struct EntityRef {
    #[serde(rename = "@id")]
    id: String,
}

pub fn entity_ref(site: &Site, entity: &Entity) -> EntityRef {
    EntityRef {
        id: entity_url(site, entity),
    }
}

/// An entity as a schema.org Person, Organization, Place, Event or Thing.
pub fn entity_json(site: &Site, entity: &Entity) -> Value {
    serde_json::to_value(entity_ld(site, entity)).expect("plain data always serializes")
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    /// Its page's URL: entity pages refer to it by this.
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<&'a RawValue>,
    #[serde(rename = "articleSection", skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    author: Vec<Named<'a>>,
    #[serde(rename = "dateModified")]
    modified: String,
    #[serde(rename = "datePublished")]
    published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    /// The lead image in three crops.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<super::images::ImageObjectLd<'a>>,
    #[serde(rename = "inLanguage")]
    language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<&'a RawValue>,
    publisher: Named<'a>,
    url: &'a str,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

/// NewsArticle JSON-LD: `about` for the entities the article is about, `mentions` for those it
/// mentions, each by the `@id` of its page, which carries the full object. Not yet made safe for a `<script>`.
pub fn article_json(site: &Site, article: &Article, pieces: &Fragments) -> String {
    let url = site
        .config
        .base_url
        .join(&format!("articles/{}/", article.slug));
    let refs = |ids: &mut dyn Iterator<Item = &std::sync::Arc<str>>| -> Vec<&RawValue> {
        ids.filter_map(|id| pieces.entity_json_ld(id)).collect()
    };
    let ld = ArticleLd {
        context: "https://schema.org",
        id: &url,
        kind: "NewsArticle",
        about: refs(&mut article.about.iter()),
        section: article.section.as_deref(),
        author: article
            .authors
            .iter()
            .map(|name| Named {
                kind: "Person",
                name,
                url: None,
            })
            .collect(),
        modified: article.modified.rfc3339(),
        published: article.date.rfc3339(),
        description: article.dek.as_deref(),
        headline: &article.title,
        image: article
            .image
            .as_deref()
            .and_then(|i| Some((i, pieces.images().get(i)?)))
            .map(|(i, p)| super::images::image_objects(i, p, &site.config.base_url))
            .unwrap_or_default(),
        language: &site.config.language,
        keywords: article.tags.iter().map(|(_, name)| name.as_str()).collect(),
        main_entity: &url,
        mentions: refs(
            &mut article
                .mentions
                .iter()
                .filter(|id| !article.about.contains(id)),
        ),
        publisher: Named {
            kind: "Organization",
            name: &site.config.publisher,
            url: Some(site.config.base_url.as_str()),
        },
        url: &url,
        word_count: article.word_count,
    };
    serde_json::to_string(&ld).expect("plain data always serializes")
}

/// An article as an entity page's `subjectOf` lists it: by the `@id` of its page, which
/// carries the whole NewsArticle (the visible list already shows each headline).
#[derive(Serialize)]
pub struct ArticleRef {
    #[serde(rename = "@id")]
    id: String,
}

pub fn article_ref(site: &Site, article: &Article) -> ArticleRef {
    ArticleRef {
        id: site
            .config
            .base_url
            .join(&format!("articles/{}/", article.slug)),
    }
}

/// An entity page's JSON-LD: the entity itself, with the pages that mention it. Not yet made
/// safe for a `<script>`.
pub fn entity_page_json(
    site: &Site,
    entity: &Entity,
    mentions: &[crate::site::Mention],
    pieces: &Fragments,
) -> String {
    let ld = EntityLd {
        context: Some("https://schema.org"),
        subject_of: Some(
            mentions
                .iter()
                .map(|m| pieces.article_json_ld(m.article()))
                .collect(),
        ),
        image: entity
            .image
            .as_deref()
            .and_then(|i| Some((i, pieces.images().get(i)?)))
            .map(|(i, p)| super::images::image_objects(i, p, &site.config.base_url))
            .unwrap_or_default(),
        ..entity_ld(site, entity)
    };
    serde_json::to_string(&ld).expect("plain data always serializes")
}

/// The glossary as a schema.org DefinedTermSet, with `terms` (those a page shows) as its
/// DefinedTerms.
pub fn glossary_json(site: &Site, terms: &[&crate::site::Term]) -> Value {
    let url = site.config.base_url.join("glossary/");
    let terms: Vec<Value> = terms
        .iter()
        .map(|t| {
            let term_url = site
                .config
                .base_url
                .join(&super::glossary::term_path(site, t));
            json!({
                "@type": "DefinedTerm",
                "@id": term_url,
                "name": t.term,
                "description": t.definition_text,
                "url": term_url,
                "inDefinedTermSet": url,
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "@id": url,
        "name": format!("{}: glossary", site.config.title),
        "url": url,
        "hasDefinedTerm": terms,
    })
}

/// One ClaimReview per fact-check note with a verdict, for search engines' fact-check
/// features. `None` when the article has none.
pub fn claim_reviews_json(site: &Site, article: &Article) -> Option<Value> {
    // Most articles have none: their page's URL is not worth making.
    if !article.annotations.iter().any(|n| n.verdict.is_some()) {
        return None;
    }
    let url = site
        .config
        .base_url
        .join(&format!("articles/{}/", article.slug));
    let reviews: Vec<Value> = article
        .annotations
        .iter()
        .filter_map(|n| Some((n, n.verdict?)))
        .map(|(n, verdict)| {
            let mut rating = json!({
                "@type": "Rating",
                "alternateName": verdict.label(),
            });
            if let Some(score) = verdict.score() {
                rating["ratingValue"] = json!(score);
                rating["bestRating"] = json!(5);
                rating["worstRating"] = json!(1);
            }
            let mut claim = json!({
                "@type": "Claim",
                "appearance": {"@type": "NewsArticle", "url": url},
            });
            if let Some(claimant) = &n.claimant {
                claim["author"] = match site.entity(claimant) {
                    Some(e) => entity_json(site, e),
                    None => json!({"@type": "Person", "name": claimant}),
                };
            }
            json!({
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": format!("{url}#{}", n.id()),
                "datePublished": article.date.iso(),
                "claimReviewed": n.claim.as_deref().unwrap_or(&n.anchor),
                "itemReviewed": claim,
                "author": {"@type": "Organization", "name": site.config.publisher, "url": site.config.base_url.as_str()},
                "reviewRating": rating,
                "reviewBody": n.note_text,
            })
        })
        .collect();
    (!reviews.is_empty()).then(|| json!(reviews))
}
