//! Bad input: a clear diagnostic at file:line:column, exit code 1, and nothing written.

use crate::site_test::SiteTest;

/// Builds a site that must fail and returns its stderr, after checking that public/ was not
/// written.
fn fails(t: &SiteTest) -> String {
    let run = t.gloss(&["build"]);
    assert_eq!(
        run.code(),
        Some(1),
        "expected content errors:\n{}",
        run.stderr()
    );
    assert!(
        !t.exists(""),
        "public/ must not be written by a failed build"
    );
    run.stderr()
}

#[test]
fn unknown_entity_in_an_explicit_link() {
    let t = SiteTest::with_registries();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25",
        "Fine line.\n\nHe met [the envoy](entity:steve-witkof).\n",
    );
    let err = fails(&t);
    assert!(err.contains("gloss::unknown-entity"), "{err}");
    assert!(err.contains("unknown entity `steve-witkof`"), "{err}");
    assert!(err.contains("content/articles/a.md:7:8"), "{err}");
    assert!(err.contains("did you mean `steve-witkoff`?"), "{err}");
}

#[test]
fn unknown_term_in_an_explicit_link() {
    let t = SiteTest::with_registries();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25",
        "A [truce](term:cease-fire).\n",
    );
    let err = fails(&t);
    assert!(err.contains("unknown term `cease-fire`"), "{err}");
    assert!(err.contains("content/articles/a.md:5:3"), "{err}");
}

#[test]
fn unknown_front_matter_key_names_key_and_line() {
    let t = SiteTest::new();
    t.article("a", "title: A\ndate: 2025-11-25\nkey_point: []", "x\n");
    let err = fails(&t);
    assert!(err.contains("unknown key `key_point`"), "{err}");
    assert!(err.contains("content/articles/a.md:4:1"), "{err}");
    assert!(err.contains("did you mean `key_points`?"), "{err}");
}

#[test]
fn missing_evidence_names_the_key_point() {
    let t = SiteTest::new();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25\nkey_points:\n  - text: Point.\n    evidence: \"a phrase edited away\"",
        "The body says something else.\n",
    );
    let err = fails(&t);
    assert!(err.contains("gloss::evidence-not-found"), "{err}");
    assert!(err.contains("content/articles/a.md:6:16"), "{err}");
}

#[test]
fn a_bad_date_points_at_the_value() {
    let t = SiteTest::new();
    t.article("a", "title: A\ndate: 25/11/2025", "x\n");
    let err = fails(&t);
    assert!(err.contains("gloss::invalid-date"), "{err}");
    assert!(err.contains("content/articles/a.md:3:"), "{err}");
}

#[test]
fn yaml_syntax_error_points_into_the_md_file() {
    let t = SiteTest::new();
    t.article("a", "title: A\ndate: 2025-11-25\ntags: [unclosed", "x\n");
    let err = fails(&t);
    assert!(err.contains("gloss::yaml"), "{err}");
    assert!(err.contains("content/articles/a.md:"), "{err}");
}

#[test]
fn unknown_entity_in_front_matter() {
    let t = SiteTest::with_registries();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25\nentities: [nato, natto]",
        "x\n",
    );
    let err = fails(&t);
    assert!(err.contains("unknown entity `natto`"), "{err}");
    assert!(err.contains("content/articles/a.md:4:18"), "{err}");
}

#[test]
fn every_error_is_reported_at_once() {
    let t = SiteTest::with_registries();
    t.article("a", "title: A\ndate: 2025-11-25", "[x](entity:nope)\n");
    t.article("b", "title: B\ndate: bad", "x\n");
    t.article("c", "title: C\ndate: 2025-11-25\nwat: 1", "x\n");
    let err = fails(&t);
    for needle in ["a.md", "b.md", "c.md", "3 error(s)"] {
        assert!(err.contains(needle), "missing {needle}:\n{err}");
    }
    // Sorted by file.
    assert!(err.find("a.md").unwrap() < err.find("b.md").unwrap());
    assert!(err.find("b.md").unwrap() < err.find("c.md").unwrap());
}

#[test]
fn front_matter_and_sidecar_together_is_an_error() {
    let t = SiteTest::new();
    t.article("a", "title: A\ndate: 2025-11-25", "x\n");
    t.file("content/articles/a.yaml", "title: A\ndate: 2025-11-25\n");
    let err = fails(&t);
    assert!(err.contains("both front matter and a sidecar"), "{err}");
}

#[test]
fn article_without_annotations_is_an_error() {
    let t = SiteTest::new();
    t.file("content/articles/a.md", "Just text.\n");
    let err = fails(&t);
    assert!(err.contains("article has no front matter"), "{err}");
}

#[test]
fn duplicate_ids_and_slugs() {
    let t = SiteTest::new();
    t.file(
        "content/entities.yaml",
        "nato:\n  name: NATO\n  kind: organisation\nnato:\n  name: Other\n  kind: other\n",
    );
    t.article("a", "title: A\ndate: 2025-11-25", "x\n");
    t.article("b", "title: B\ndate: 2025-11-25\nslug: a", "x\n");
    let err = fails(&t);
    assert!(err.contains("entity `nato` is defined twice"), "{err}");
    assert!(err.contains("content/entities.yaml:4:1"), "{err}");
    assert!(err.contains("two articles have the slug `a`"), "{err}");
}

#[test]
fn invalid_utf8_names_the_byte() {
    let t = SiteTest::new();
    t.file(
        "content/articles/a.md",
        b"---\ntitle: A\ndate: 2025-11-25\n---\nbad \xff byte\n".as_slice(),
    );
    let err = fails(&t);
    assert!(err.contains("not valid UTF-8 (byte 38)"), "{err}");
    assert!(err.contains("content/articles/a.md:5:5"), "{err}");
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let t = SiteTest::new();
    t.article("a", "title: Good\ndate: 2025-11-25", "x\n");
    t.build();
    let before = t.read("articles/a/index.html");
    t.article("a", "title: Good\ndate: 2025-13-45", "changed\n");
    let run = t.gloss(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert_eq!(t.read("articles/a/index.html"), before);
}

#[test]
fn template_errors_name_the_template_line() {
    let t = SiteTest::new();
    t.article("a", "title: A\ndate: 2025-11-25", "x\n");
    t.file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nope }}\n{% endblock content %}\n");
    t.file("content/pages/p.md", "---\ntitle: P\n---\nx\n");
    let err = fails(&t);
    assert!(err.contains("gloss::template"), "{err}");
    assert!(err.contains("templates/page.html:3:"), "{err}");
}

#[test]
fn bad_site_toml_names_the_line() {
    let t = SiteTest::new();
    t.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\nautolink = \"sometimes\"\n",
    );
    let err = fails(&t);
    assert!(err.contains("site.toml:3:"), "{err}");
}

#[test]
fn warnings_do_not_fail_the_build() {
    let t = SiteTest::new();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25\nkey_points:\n  - text: No evidence here.",
        "x\n",
    );
    let run = t.build();
    assert!(
        run.stderr().contains("key point has no evidence"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_build_failing_while_rendering_keeps_the_previous_output() {
    // Pages are written into a staging folder as they render; a template error part-way must
    // leave the old site in place and no staging folder behind.
    let t = SiteTest::new();
    t.article("a", "title: Good\ndate: 2025-11-25", "x\n");
    t.build();
    let before = t.read("articles/a/index.html");
    t.file("templates/entity.html", "{{ nope.nope }}");
    t.file("content/entities.yaml", "e:\n  name: E\n  kind: person\n");
    let run = t.gloss(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    assert_eq!(t.read("articles/a/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(t.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gloss-staging") || n.contains("gloss-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
