//! Annotations: notes anchored to phrases of the body.

use crate::site_test::{SiteTest, text};

const FRONT: &str = r#"title: Annotated
date: 2025-11-25
key_points: [{ text: "A point.", evidence: "Witkoff flew" }]
annotations:
  - anchor: "the plan"
    occurrence: 2
    kind: background
    note: "The second mention, about [NATO](entity:nato)."
    sources: [{ name: AFP, url: "https://www.afp.com/" }]
  - anchor: "Steve Witkoff flew to Moscow"
    kind: context
    note: "He went with Jared Kushner."
  - anchor: "no one saw it coming"
    kind: fact-check
    verdict: misleading
    claimant: vladimir-putin
    note: "Reports of the plan circulated a week before, says the [envoy](term:envoy) desk."
"#;

const BODY: &str = "Steve Witkoff flew to Moscow with the plan.\n\n\
    Later the plan changed, and Putin said no one\nsaw it coming.\n";

fn annotated() -> SiteTest {
    let t = SiteTest::with_registries();
    t.article("a", FRONT, BODY);
    let run = t.build();
    assert!(run.ok(), "{}", run.stderr());
    t
}

#[test]
fn anchors_are_marked_at_the_chosen_occurrence_and_numbered_in_text_order() {
    let t = annotated();
    let page = t.html("articles/a/index.html");
    let marks = page.select(".article-body mark.annotated");
    let found: Vec<(String, String, String)> = marks
        .iter()
        .map(|m| {
            let paragraph = m
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find(|e| e.value().name() == "p")
                .and_then(|p| p.value().attr("id"))
                .unwrap_or_default()
                .to_string();
            (
                m.value().attr("id").unwrap().to_string(),
                paragraph,
                text(m),
            )
        })
        .collect();
    // YAML order is 2nd `the plan` (p-2), then p-1, then p-2 again: numbers follow the text.
    assert_eq!(
        found,
        [
            (
                "anchor-1".into(),
                "p-1".into(),
                "Steve Witkoff flew to Moscow".into()
            ),
            ("anchor-2".into(), "p-2".into(), "the plan".into()),
            // The phrase runs across the line break of the source.
            (
                "anchor-3".into(),
                "p-2".into(),
                "no one saw it coming".into()
            ),
        ]
    );
    assert_eq!(
        page.attrs(".article-body .note-ref a", "href"),
        ["#note-1", "#note-2", "#note-3"]
    );
    // Each marker follows its mark and names the note's kind for screen readers.
    assert_eq!(
        page.texts(".article-body .note-ref a"),
        ["Context note 1", "Background note 2", "Fact check note 3"]
    );
}

#[test]
fn names_inside_an_anchor_stay_linked_and_notes_link_names_too() {
    let t = annotated();
    let page = t.html("articles/a/index.html");
    // Auto-links nest inside the mark.
    assert_eq!(
        page.attrs("mark#anchor-1 a.entity", "data-entity"),
        ["steve-witkoff", "moscow"]
    );
    // The note's explicit link and its auto-linked names.
    assert_eq!(
        page.attrs("#note-2 .note-body a.entity", "data-entity"),
        ["nato"]
    );
    assert_eq!(
        page.attrs("#note-3 .note-body a.term", "data-term"),
        ["envoy"]
    );
    // Names that appear only in notes are in the story's lists, from which their preview
    // cards are read (the data island leaves out what the lists show).
    assert!(
        page.attrs(".in-this-story li > a", "href")
            .contains(&"../../entities/nato/".to_string())
    );
    assert_eq!(page.texts(".terms-used dt a"), ["envoy"]);
    let data = page.one("#gloss-data");
    assert!(!text(&data).contains("\"nato\""), "{}", text(&data));
}

#[test]
fn notes_are_a_numbered_list_without_javascript() {
    let t = annotated();
    let page = t.html("articles/a/index.html");
    let items = page.select("section.notes ol.note-list > li");
    assert_eq!(items.len(), 3);
    assert_eq!(
        page.attrs("section.notes li", "id"),
        ["note-1", "note-2", "note-3"]
    );
    assert_eq!(
        page.texts("section.notes .note-label"),
        ["Context", "Background", "Fact check"]
    );
    assert_eq!(page.texts("#note-2 .note-sources"), ["Source: AFP"]);
    assert_eq!(
        page.attrs("#note-2 .note-sources a", "href"),
        ["https://www.afp.com/"]
    );
    // Back links return to the marker, which exists.
    for href in page.attrs("section.notes .note-back a", "href") {
        assert!(page.has_id(href.trim_start_matches('#')), "{href}");
    }
    assert_eq!(page.texts("#note-3 .verdict"), ["Misleading"]);
    assert_eq!(
        page.attrs("#note-3 .verdict", "class"),
        ["verdict verdict-misleading"]
    );
}

#[test]
fn a_fact_check_with_a_verdict_becomes_a_claim_review() {
    let t = annotated();
    let page = t.html("articles/a/index.html");
    let reviews: Vec<serde_json::Value> = page
        .select("script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| serde_json::from_str(&s.inner_html()).unwrap())
        .filter(|v: &serde_json::Value| v.is_array())
        .collect();
    assert_eq!(reviews.len(), 1);
    let review = &reviews[0][0];
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(
        review["url"],
        "https://example.org/explainers/articles/a/#note-3"
    );
    // No `claim:` given: the sentence of the anchor.
    assert_eq!(
        review["claimReviewed"],
        "Later the plan changed, and Putin said no one saw it coming."
    );
    assert_eq!(review["reviewRating"]["alternateName"], "Misleading");
    assert_eq!(review["itemReviewed"]["author"]["name"], "Vladimir Putin");
    assert_eq!(review["itemReviewed"]["author"]["@type"], "Person");
}

#[test]
fn notes_appear_in_the_backlinks_of_what_they_mention() {
    let t = annotated();
    // NATO is mentioned only in note 2.
    let nato = t.html("entities/nato/index.html");
    assert_eq!(nato.texts(".mentions > li > a"), ["Annotated"]);
    assert_eq!(
        nato.attrs(".note-mention a", "href"),
        ["../../articles/a/#note-2"]
    );
    assert!(nato.texts(".note-mention")[0].starts_with("Background note: The second mention"));
    // Putin is mentioned in the text; the backlink keeps his sentence and adds no note.
    let putin = t.html("entities/vladimir-putin/index.html");
    assert!(putin.select(".note-mention").is_empty());
    // The envoy term is used only in note 3: the glossary lists the article.
    let glossary = t.html("glossary/index.html");
    let used = glossary.texts(".used-in");
    assert!(used.iter().any(|u| u.contains("Annotated")), "{used:?}");
}

#[test]
fn a_name_straddling_an_anchor_edge_is_linked_at_its_next_mention() {
    let t = SiteTest::with_registries();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25\nannotations:\n  - { anchor: \"Vladimir\", kind: context, note: \"First name.\" }\n",
        "Vladimir Putin spoke. Later Putin left.\n",
    );
    let run = t.build();
    assert!(run.ok(), "{}", run.stderr());
    let page = t.html("articles/a/index.html");
    assert_eq!(page.texts("mark#anchor-1"), ["Vladimir"]);
    assert_eq!(page.texts(".article-body a.entity"), ["Putin"]);
    assert!(page.select("mark a").is_empty());
}

#[test]
fn articles_without_annotations_have_no_notes_section() {
    let t = SiteTest::with_registries();
    t.article("a", "title: A\ndate: 2025-11-25\n", "Putin spoke.\n");
    assert!(t.build().ok());
    let page = t.html("articles/a/index.html");
    assert!(page.select("section.notes, mark, .note-ref").is_empty());
    assert!(page.select("article.has-notes").is_empty());
}
