//! Property tests: no input makes gloss panic. Front matter and body are built from fragments
//! that hit the parser's edges (unclosed blocks, tabs, bad dates, CRLF, BOM, links of every
//! kind, names next to punctuation), mixed with arbitrary text. The same entry point,
//! `gloss::fuzz::article`, is the cargo-fuzz target in fuzz/.

use proptest::prelude::*;

const FRONT: &[&str] = &[
    "title: A",
    "title: \"<script>\"",
    "date: 2025-11-25",
    "date: 2025-02-30",
    "date: [1]",
    "updated: 2025-11-26",
    "key_points:",
    "  - text: x",
    "    evidence: Putin",
    "    evidence: \"\"",
    "    evidence: met",
    "entities: [nato, natto]",
    "entities:",
    "  - { id: new-one, name: Putin, kind: person }",
    "  - { id: nato, name: Other, kind: place }",
    "glossary:",
    "  t: { term: NATO, definition: \"[x](term:t)\" }",
    "\t- x",
    "tags: [",
    "tags: [a, \"\", '!!']",
    "background: |",
    "  [x](entity:nato) and [y](entity:nope)",
    "slug: a/b",
    "slug: ok",
    "timeline:",
    "  - { date: 2025-01-01, text: t }",
    "corrections:",
    "  - { date: x, text: y }",
    "autolink: all",
    "autolink: none",
    "sources: [{ name: AFP, url: \"http://x\" }]",
    "draft: true",
    "annotations:",
    "  - { anchor: Putin, kind: context, note: \"[n](entity:nato) Witkoff\" }",
    "  - { anchor: Putin met, occurrence: 2, kind: quote, note: x }",
    "  - { anchor: \"met\", occurrence: 0, kind: fact-check, verdict: false, note: y }",
    "  - { anchor: \"Vladimir\", kind: source, verdict: true, claimant: nato, note: z }",
    "  - { anchor: \"é\", kind: background, note: \"\" }",
    "&anchor a: *anchor",
    "? complex",
    "---",
    "...",
];
const BODY: &[&str] = &[
    "Putin",
    "Vladimir Putin",
    "NATO's",
    "Putinism",
    "Witkoff",
    "truce",
    "Ceasefire",
    "[x](entity:nato)",
    "[y](term:ceasefire)",
    "[z](entity:)",
    "[w](term:nope)",
    "`Putin`",
    "```rust\nfn x() {}\n",
    "```",
    "## Putin ",
    "# ",
    "<a href=\"x\">",
    "</a>",
    "<div>",
    "**",
    "_",
    "\r\n",
    "\n\n",
    "\n",
    "| a | b |\n|---|---|\n| Putin | c |\n",
    "[^1]",
    "[^1]: note Putin",
    "![img](/x.png)",
    "[l](/articles/fuzz/#p-1)",
    "[m](#nope)",
    "[n](../../../x)",
    "[o](http://example.com)",
    "é",
    "\u{feff}",
    "…",
    "“",
    "\"",
    "'",
    " - item",
    "1. item",
    "> quote",
    "    indented",
    "\t",
    "{#id}",
    "~~x~~",
    "<!--",
    "-->",
    "\u{0}",
    "Київ",
    "e\u{301}",
    "met",
    "\n",
    "\n\n",
    "*Putin met*",
    "- ",
    "# ",
];

fn pieces(set: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(set).prop_map(str::to_string), 1 => "\\PC{0,8}"],
        0..max,
    )
}

fn article() -> impl Strategy<Value = String> {
    (
        pieces(FRONT, 14),
        pieces(BODY, 40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(front, body, crlf, close)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("---{nl}{}{nl}", front.join(nl));
            if close {
                text.push_str(&format!("---{nl}"));
            }
            text.push_str(&body.join(" "));
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn structured_articles_never_panic(text in article()) {
        gloss::fuzz::article(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*") {
        gloss::fuzz::article(&text);
    }
}

#[test]
fn the_fuzz_entry_point_sees_the_input() {
    // A valid article gives no diagnostics; a broken one gives some.
    let good = "---\ntitle: A\ndate: 2025-11-25\nkey_points:\n  - text: x\n    evidence: met\n---\nPutin met Witkoff about a truce with NATO.\n";
    assert_eq!(gloss::fuzz::article(good), 0);
    assert!(gloss::fuzz::article("---\ntitle: A\n") > 0);
}

/// Inputs that once broke an invariant; kept so they never do again.
#[test]
fn regressions() {
    for text in [
        "---\n---\n",
        "---\r\n",
        "\u{feff}---\ntitle: é\ndate: 2025-11-25\n---\n[x](entity:)",
        "---\ntitle: A\ndate: 2025-11-25\nkey_points:\n  - text: x\n    evidence: \"é\"\n---\né",
    ] {
        gloss::fuzz::article(text);
    }
}
