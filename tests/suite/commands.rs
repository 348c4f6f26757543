//! init, new, check and --help.

use crate::site_test::SiteTest;

#[test]
fn init_writes_a_site_that_builds() {
    let t = SiteTest::new();
    let run = t.gloss(&["init", "newsite"]);
    assert!(run.ok(), "{}", run.stderr());
    let root = t.root().join("newsite");
    let build = t.gloss(&["build", "--root", root.to_str().unwrap()]);
    assert!(build.ok(), "{}", build.stderr());
    let page = std::fs::read_to_string(root.join("public/articles/welcome/index.html")).unwrap();
    assert!(page.contains("class=\"key-points\""));
    assert!(page.contains("data-entity=\"city-council\""));
    assert!(page.contains("data-term=\"budget-deficit\""));
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let t = SiteTest::new();
    let run = t.gloss(&["init", "."]);
    assert_eq!(run.code(), Some(2));
    assert!(run.stderr().contains("not empty"), "{}", run.stderr());
}

#[test]
fn new_creates_a_dated_draft_and_never_overwrites() {
    let t = SiteTest::new();
    let run = t.gloss(&["new", "Why the \"deal\" matters"]);
    assert!(run.ok(), "{}", run.stderr());
    let path = t.root().join("content/articles/why-the-deal-matters.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("title: \"Why the \\\"deal\\\" matters\""),
        "{text}"
    );
    assert!(text.contains("draft: true"));
    // It builds as a draft.
    t.build_with(&["--drafts"]);
    assert_eq!(
        t.html("articles/why-the-deal-matters/index.html")
            .texts("h1 .badge"),
        ["Draft"]
    );

    std::fs::write(&path, "edited").unwrap();
    let again = t.gloss(&["new", "Why the deal matters"]);
    assert_eq!(again.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
}

#[test]
fn check_writes_nothing() {
    let t = SiteTest::with_registries();
    t.article("a", "title: A\ndate: 2025-11-25", "Putin.\n");
    let run = t.gloss(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!t.exists(""));
    t.article("b", "title: B\ndate: 2025-11-25", "[x](entity:nope)\n");
    let run = t.gloss(&["check"]);
    assert_eq!(run.code(), Some(1));
    assert!(!t.exists(""));
}

#[test]
fn help_explains_every_flag() {
    let t = SiteTest::new();
    let help = t.gloss(&["build", "--help"]).stdout();
    for flag in ["--root", "--output-dir", "--base-url", "--drafts"] {
        assert!(help.contains(flag), "build --help lacks {flag}:\n{help}");
    }
    let top = t.gloss(&["--help"]).stdout();
    for cmd in ["build", "check", "init", "new"] {
        assert!(top.contains(cmd), "--help lacks {cmd}");
    }
}

#[test]
fn deny_warnings_fails_the_build_and_writes_nothing() {
    let t = SiteTest::with_registries();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25",
        "Putin. See [the old site](http://example.com/).\n",
    );
    let run = t.gloss(&["build"]);
    assert!(run.ok(), "warnings alone do not fail: {}", run.stderr());
    assert!(
        run.stderr().contains("gloss::insecure-link"),
        "{}",
        run.stderr()
    );
    std::fs::remove_dir_all(t.out("")).unwrap();
    let run = t.gloss(&["build", "--deny-warnings"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    assert!(!t.exists(""), "nothing written");
    assert!(run.stderr().contains("--deny-warnings"), "{}", run.stderr());
}

#[test]
fn json_format_gives_one_object_per_diagnostic() {
    let t = SiteTest::with_registries();
    t.article(
        "a",
        "title: A\ndate: 2025-11-25",
        "[x](entity:nope) and [y](/articles/missing/)\n",
    );
    let run = t.gloss(&["check", "--format", "json"]);
    assert_eq!(run.code(), Some(1));
    let diags: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 2, "{diags:?}");
    assert_eq!(errors[0]["code"], "gloss::unknown-entity");
    assert_eq!(errors[0]["file"], "content/articles/a.md");
    assert_eq!(
        (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
        (Some(5), Some(1))
    );
    assert_eq!(errors[0]["end_column"].as_u64(), Some(17));
    assert_eq!(errors[1]["code"], "gloss::broken-link");
    assert_eq!(errors[1]["column"].as_u64(), Some(22));
}

#[test]
fn links_between_articles_are_checked() {
    let t = SiteTest::new();
    t.article("a", "title: A\ndate: 2025-11-25", "## Why it matters\n\nSee [B](/articles/b/#p-1), [here](#why-it-matters), [notes](../b/).\n");
    t.article("b", "title: B\ndate: 2025-11-25", "First paragraph.\n");
    let run = t.gloss(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    t.build();
    // Root-relative links are rewritten under the page, so they land under any sub-path.
    let page = t.html("articles/a/index.html");
    assert_eq!(
        page.attrs(".article-body p a", "href"),
        ["../../articles/b/#p-1", "#why-it-matters", "../b/"]
    );
}
