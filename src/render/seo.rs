//! Structured data: schema.org JSON-LD for articles and entities.

use serde_json::{Value, json};

use crate::site::{Article, Entity, Site};

/// A `sameAs` link for a Wikidata id.
pub fn wikidata_url(id: &str) -> String {
    format!("https://www.wikidata.org/wiki/{id}")
}

/// An entity as a schema.org Person, Organization, Place, Event or Thing.
pub fn entity_json(site: &Site, entity: &Entity) -> Value {
    let mut v = json!({
        "@type": entity.kind.schema_type(),
        "name": entity.name,
        "url": site.config.base_url.join(&format!("entities/{}/", entity.id)),
    });
    if let Some(role) = &entity.role {
        v["description"] = json!(role);
    }
    if let Some(w) = &entity.wikidata {
        v["sameAs"] = json!(wikidata_url(w));
    }
    v
}

/// NewsArticle JSON-LD: `about` for the entities the article is about, `mentions` for those it
/// mentions.
pub fn article_json(site: &Site, article: &Article) -> Value {
    let url = site
        .config
        .base_url
        .join(&format!("articles/{}/", article.slug));
    let refs = |ids: &mut dyn Iterator<Item = &String>| -> Vec<Value> {
        ids.filter_map(|id| site.entity(id))
            .map(|e| entity_json(site, e))
            .collect()
    };
    let about = refs(&mut article.about.iter());
    let mentions = refs(
        &mut article
            .mentions
            .iter()
            .filter(|id| !article.about.contains(id)),
    );
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.date.rfc3339(),
        "dateModified": article.modified.rfc3339(),
        "inLanguage": site.config.language,
        "author": article.authors.iter().map(|a| json!({"@type": "Person", "name": a})).collect::<Vec<_>>(),
        "publisher": {"@type": "Organization", "name": site.config.publisher, "url": site.config.base_url.as_str()},
        "wordCount": article.word_count,
    });
    if let Some(dek) = &article.dek {
        v["description"] = json!(dek);
    }
    if let Some(section) = &article.section {
        v["articleSection"] = json!(section);
    }
    if !article.tags.is_empty() {
        v["keywords"] = json!(
            article
                .tags
                .iter()
                .map(|(_, name)| name)
                .collect::<Vec<_>>()
        );
    }
    if !about.is_empty() {
        v["about"] = json!(about);
    }
    if !mentions.is_empty() {
        v["mentions"] = json!(mentions);
    }
    v
}

/// An entity page's JSON-LD: the entity itself, with the pages that mention it.
pub fn entity_page_json(site: &Site, entity: &Entity) -> Value {
    let mut v = entity_json(site, entity);
    v["@context"] = json!("https://schema.org");
    v["subjectOf"] = json!(entity
        .mentions
        .iter()
        .map(|m| {
            let a = &site.articles[m.article];
            json!({"@type": "NewsArticle", "headline": a.title, "url": site.config.base_url.join(&format!("articles/{}/", a.slug))})
        })
        .collect::<Vec<_>>());
    v
}

/// The glossary as a schema.org DefinedTermSet of DefinedTerms.
pub fn glossary_json(site: &Site) -> Value {
    let url = site.config.base_url.join("glossary/");
    let terms: Vec<Value> = site
        .terms
        .values()
        .map(|t| {
            json!({
                "@type": "DefinedTerm",
                "@id": format!("{url}#{}", t.id),
                "name": t.term,
                "description": t.definition_text,
                "url": format!("{url}#{}", t.id),
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
