//! Which mentions of registered names become links.

use crate::site_test::SiteTest;

/// Builds one article with `body` (and extra front matter) and returns the text of every
/// entity/term link in its body, as `text=>href-tail`.
fn links(front_extra: &str, site_extra: &str, body: &str) -> Vec<String> {
    let t = SiteTest::with_registries();
    if !site_extra.is_empty() {
        t.file(
            "site.toml",
            format!("{}{site_extra}\n", crate::site_test::SITE_TOML),
        );
    }
    t.article(
        "a",
        &format!("title: A\ndate: 2025-11-25\n{front_extra}"),
        body,
    );
    t.build();
    let page = t.html("articles/a/index.html");
    page.select(".article-body a.entity, .article-body a.term")
        .iter()
        .map(|a| {
            let id = a
                .value()
                .attr("data-entity")
                .or(a.value().attr("data-term"))
                .unwrap();
            format!("{}=>{id}", crate::site_test::text(a))
        })
        .collect()
}

#[test]
fn first_mention_only_by_default() {
    assert_eq!(
        links(
            "",
            "",
            "Putin spoke. Then Vladimir Putin spoke again, and Putin left.\n"
        ),
        ["Putin=>vladimir-putin"]
    );
}

#[test]
fn longest_name_wins() {
    assert_eq!(
        links("", "", "Vladimir Putin and Putin.\n"),
        ["Vladimir Putin=>vladimir-putin"]
    );
}

#[test]
fn all_mode_links_every_mention() {
    assert_eq!(
        links("", "autolink = \"all\"", "Putin met Witkoff; Putin left.\n"),
        [
            "Putin=>vladimir-putin",
            "Witkoff=>steve-witkoff",
            "Putin=>vladimir-putin"
        ]
    );
}

#[test]
fn none_mode_links_nothing_automatically() {
    assert_eq!(
        links(
            "",
            "autolink = \"none\"",
            "Putin met [the envoy](entity:steve-witkoff).\n"
        ),
        ["the envoy=>steve-witkoff"]
    );
}

#[test]
fn articles_override_the_site_mode() {
    assert_eq!(
        links("autolink: none", "autolink = \"all\"", "Putin and Putin.\n"),
        Vec::<String>::new()
    );
    assert_eq!(
        links("autolink: all", "", "NATO and NATO.\n"),
        ["NATO=>nato", "NATO=>nato"]
    );
}

#[test]
fn whole_words_and_possessives() {
    assert_eq!(
        links("", "", "Putinism is not a name. NATO's role is.\n"),
        ["NATO=>nato"]
    );
}

#[test]
fn names_are_case_sensitive_terms_capitalised_at_sentence_start() {
    assert_eq!(
        links("", "", "nato and moscow are lowercase. Ceasefire talks.\n"),
        ["Ceasefire=>ceasefire"]
    );
}

#[test]
fn never_inside_code_links_headings_or_html() {
    let body = "## Putin in a heading\n\n`Putin` in code and [Putin](https://example.com) in a link.\n\n```\nPutin in a block\n```\n\n<div>Putin in HTML</div>\n\nText with <a href=\"https://x.org\">Putin inline</a> html.\n\nFinally Putin.\n";
    assert_eq!(links("", "", body), ["Putin=>vladimir-putin"]);
    let t = SiteTest::with_registries();
    t.article("a", "title: A\ndate: 2025-11-25", body);
    t.build();
    let page = t.html("articles/a/index.html");
    assert_eq!(page.select("h2 a").len(), 0);
    assert_eq!(page.select("code a").len(), 0);
}

#[test]
fn explicit_link_counts_as_the_first_mention() {
    assert_eq!(
        links(
            "",
            "",
            "Putin spoke first. Later, [the Russian leader](entity:vladimir-putin) left.\n"
        ),
        ["the Russian leader=>vladimir-putin"]
    );
}

#[test]
fn aliases_and_terms_link() {
    assert_eq!(
        links("", "", "The envoy asked for a truce with Moscow.\n"),
        ["envoy=>envoy", "truce=>ceasefire", "Moscow=>moscow"]
    );
}

#[test]
fn names_split_by_emphasis_still_count_as_separate_text() {
    // Smart punctuation splits text into several events; names next to quotes still match.
    assert_eq!(
        links("", "", "He said \"Putin\" twice.\n"),
        ["Putin=>vladimir-putin"]
    );
}

#[test]
fn inline_definitions_link_like_registry_entries() {
    let t = SiteTest::with_registries();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25\nentities:\n  - { id: ivan-z, name: Ivan Zadontsev, kind: person, role: Sergeant }\nglossary:\n  cap: { term: army cap, definition: A limit. }",
        "Ivan Zadontsev talked about the army cap.\n",
    );
    t.article("b", "title: B\ndate: 2025-11-24", "Ivan Zadontsev again.\n");
    t.build();
    let page = t.html("articles/a/index.html");
    assert_eq!(
        page.attrs(".article-body a.entity", "href"),
        ["../../entities/ivan-z/"]
    );
    assert_eq!(
        page.attrs(".article-body a.term", "href"),
        ["../../glossary/#cap"]
    );
    let entity = t.html("entities/ivan-z/index.html");
    assert_eq!(entity.texts(".mentions > li > a"), ["A", "B"]);
}
