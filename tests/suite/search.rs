//! The search index and page that `gloss build` makes (Pagefind), and `search = false`.

use crate::site_test::{SITE_TOML, SiteTest};

fn site(extra_toml: &str) -> SiteTest {
    let t = SiteTest::with_registries();
    t.file("site.toml", format!("{SITE_TOML}{extra_toml}"));
    t.article(
        "a",
        "title: Envoy goes to Moscow\ndate: 2025-11-25\nsection: World\ntags: [Ukraine]",
        "Witkoff flew to Moscow to meet Putin about a truce.\n",
    );
    t.build();
    t
}

#[test]
fn the_build_writes_a_pagefind_index_and_a_search_page() {
    let t = site("");
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(t.exists(file), "{file}");
    }
    let entry: serde_json::Value =
        serde_json::from_str(&t.read("pagefind/pagefind-entry.json")).unwrap();
    // Every article and entity page, plus one record per glossary term.
    let pages = entry["languages"]["en"]["page_count"].as_u64().unwrap();
    assert_eq!(pages, 1 + 4 + 2, "1 article, 4 entities, 2 terms");

    let search = t.html("search/index.html");
    search.one("form.search-form[role=search] input#search-input[name=q]");
    assert_eq!(
        search.attrs(".search-types input[type=radio]", "value"),
        ["", "article", "person", "organisation", "place", "term"]
    );
    search.one("#search-status[role=status][aria-live=polite]");
    // Without JavaScript: links to the indexes (scraper parses <noscript> as text).
    let raw = t.read("search/index.html");
    let noscript = &raw[raw.find("<noscript>").unwrap()..raw.find("</noscript>").unwrap()];
    for href in [
        "href=\"../entities/\"",
        "href=\"../glossary/\"",
        "href=\"../\"",
    ] {
        assert!(noscript.contains(href), "{href} in {noscript}");
    }
    // Every page has the header box, which works without JavaScript as a link to the page.
    let article = t.html("articles/a/index.html");
    assert_eq!(
        article.attrs("header form.site-search", "action"),
        ["../../search/"]
    );
}

#[test]
fn pages_mark_what_the_index_reads() {
    let t = site("");
    let article = t.html("articles/a/index.html");
    article.one("article.explainer[data-pagefind-body]");
    let filters: Vec<String> = article
        .select("[data-pagefind-filter]")
        .iter()
        .map(|e| {
            format!(
                "{}={}",
                e.value().attr("data-pagefind-filter").unwrap(),
                e.value().attr("data-value").unwrap()
            )
        })
        .collect();
    assert_eq!(
        filters,
        [
            "type[data-value]=article",
            "section[data-value]=World",
            "tag[data-value]=Ukraine"
        ]
    );
    // The sidebar repeats the body: not indexed twice.
    assert!(
        !article
            .select(".key-points[data-pagefind-ignore], .in-this-story[data-pagefind-ignore]")
            .is_empty()
    );
    let entity = t.html("entities/steve-witkoff/index.html");
    entity.one("article.entity-page[data-pagefind-body] h1[data-pagefind-weight=\"10\"]");
    entity.one("[data-pagefind-filter=\"type[data-value]\"][data-value=person]");
    entity.one("section[aria-labelledby=mentions-title][data-pagefind-ignore]");
}

#[test]
fn search_false_builds_no_index_page_or_box() {
    let t = site("search = false\n");
    assert!(!t.exists("pagefind"));
    assert!(!t.exists("search/index.html"));
    let article = t.html("articles/a/index.html");
    assert!(article.select("form.site-search").is_empty());
}

#[test]
fn a_page_search_cannot_index_is_a_warning_naming_it() {
    let t = site("");
    // A custom article template that forgets the marker, and an entity template whose marked
    // element is empty.
    t.file(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<article><h1>{{ article.title }}</h1>{{ article.body_html | safe }}</article>{% endblock content %}",
    );
    t.file(
        "templates/entity.html",
        "{% extends \"base.html\" %}{% block content %}<article data-pagefind-body></article>{% endblock content %}",
    );
    let run = t.build();
    // As one line: the terminal report wraps long messages.
    let err = run
        .stderr()
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        err.contains("content/articles/a.md: gloss::search-skipped ⚠ search: the page /articles/a/ is not searchable: its template marks no element"),
        "{err}"
    );
    assert!(
        err.contains(
            "search: the page /entities/vladimir-putin/ is not searchable: it has no text to index"
        ),
        "{err}"
    );
    // Everything else is still indexed, and the build still succeeds.
    assert!(t.exists("pagefind/pagefind-entry.json"));
    // With warnings denied, nothing is written.
    std::fs::remove_dir_all(t.out("")).unwrap();
    let denied = t.gloss(&["build", "--deny-warnings"]);
    assert!(!denied.ok());
    assert!(!t.exists("index.html"));
}

/// Every page the sample site gives the index (articles and entity pages in each language) is
/// read by the vendored Pagefind's plain reader (patch 9), not by its HTML parser: the same
/// result at a fraction of the cost. Markup the plain reader leaves to the parser (a `<svg>` or
/// `<script>` in an article, an unclosed element) would make the index silently slower.
#[test]
#[cfg(not(feature = "reference-pagefind"))]
fn the_sample_sites_pages_are_read_without_an_html_parser() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    crate::site_test::build_sample_site(&public);
    let index = pagefind::api::PagefindIndex::new(None).unwrap();
    let parser = index.page_parser();
    let mut read = Vec::new();
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_name() != "index.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let Some(doc) = gloss::render::search::indexable(&html, "en") else {
            continue;
        };
        let page = entry
            .path()
            .strip_prefix(&public)
            .unwrap()
            .display()
            .to_string();
        assert!(parser.reads_without_html_parser(&doc), "{page}:\n{doc}");
        read.push(page);
    }
    for kind in ["articles/", "entities/", "fr/articles/", "ar/entities/"] {
        assert!(
            read.iter().any(|page| page.starts_with(kind)),
            "no {kind} page was given to the index: {read:?}"
        );
    }
}
