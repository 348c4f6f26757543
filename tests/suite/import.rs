//! `gloss import`: wire stories in the AFP and Reuters layouts become drafts that build.

use std::path::Path;

use crate::site_test::{SiteTest, text};

fn wire(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/wire")
            .join(name),
    )
    .unwrap()
}

/// Imports `name` into a fresh site and returns the site, the command's output and the draft's
/// front matter (parsed) and body.
fn import(
    name: &str,
    extra: &[&str],
) -> (SiteTest, crate::site_test::Run, serde_json::Value, String) {
    let t = SiteTest::with_registries();
    t.file("wire.txt", wire(name));
    let mut args = vec!["import", "wire.txt", "--date", "2025-11-25"];
    args.extend_from_slice(extra);
    let run = t.gloss(&args);
    assert!(run.ok(), "import failed: {}", run.stderr());
    let created = run
        .stdout()
        .lines()
        .find_map(|l| {
            l.strip_prefix("created ")
                .map(|p| p.split(' ').next().unwrap().to_string())
        })
        .expect("names the file");
    let md = std::fs::read_to_string(t.root().join(&created)).unwrap();
    let (yaml, body) = if let Some(rest) = md.strip_prefix("---\n") {
        let (y, b) = rest.split_once("---\n").unwrap();
        (y.to_string(), b.to_string())
    } else {
        let sidecar = t.root().join(&created).with_extension("yaml");
        (std::fs::read_to_string(sidecar).unwrap(), md)
    };
    let front: serde_json::Value = gloss::content::yaml::from_str(&yaml)
        .unwrap_or_else(|e| panic!("front matter is YAML: {e:?}\n{yaml}"));
    (t, run, front, body)
}

/// Every evidence phrase is in the body, as gloss compares them, and the draft builds with its
/// key points linking into the text.
fn check_builds(t: &SiteTest, front: &serde_json::Value, body: &str, slug: &str) {
    let flat = gloss::resolve::markdown::normalize(&body.replace('\\', ""));
    for kp in front["key_points"].as_array().unwrap() {
        let evidence = kp["evidence"]
            .as_str()
            .expect("each key point has evidence");
        assert!(
            flat.contains(&gloss::resolve::markdown::normalize(evidence)),
            "evidence `{evidence}` not in body"
        );
    }
    t.build_with(&["--drafts"]);
    let page = t.html(&format!("articles/{slug}/index.html"));
    let hrefs = page.attrs("aside.key-points a", "href");
    assert_eq!(hrefs.len(), front["key_points"].as_array().unwrap().len());
    for href in hrefs {
        assert!(page.has_id(href.trim_start_matches('#')), "{href} lands");
    }
    assert_eq!(page.texts("h1 .badge"), ["Draft"]);
}

#[test]
fn afp_story_with_key_points_slug_line_and_subhead() {
    let (t, run, front, body) = import("afp-envoy.txt", &[]);
    assert_eq!(
        front["title"],
        "Trump to send envoy Witkoff to Moscow as peace push gathers pace"
    );
    assert_eq!(front["date"], "2025-11-25");
    assert_eq!(front["draft"], true);
    assert_eq!(front["authors"], serde_json::json!(["Gloss Wire Desk"]));
    assert_eq!(front["sources"][0]["name"], "AFP");
    assert_eq!(front["key_points"].as_array().unwrap().len(), 3);
    assert_eq!(
        front["key_points"][0]["evidence"],
        "WASHINGTON: US President Donald Trump said Tuesday he would send"
    );
    assert!(
        body.starts_with("WASHINGTON: US President"),
        "the dateline stays in the text"
    );
    assert!(body.contains("\n## A new draft\n"), "{body}");
    assert!(
        body.contains("\"only a few remaining points of disagreement\""),
        "quotes kept"
    );
    assert!(
        !body.contains("bur-gw/dt"),
        "the credit line becomes a source"
    );
    // The slug comes from the slug line; unregistered names are listed for the editor.
    assert!(
        t.root()
            .join("content/articles/ukraine-conflict-diplomacy-us-russia.md")
            .exists()
    );
    assert!(run.stdout().contains("Jared Kushner"), "{}", run.stdout());
    assert!(
        !run.stdout()
            .contains("names not in content/entities.yaml yet: Steve Witkoff")
    );
    check_builds(&t, &front, &body, "ukraine-conflict-diplomacy-us-russia");
    // Registered names in the imported text are linked as usual.
    let page = t.html("articles/ukraine-conflict-diplomacy-us-russia/index.html");
    assert!(
        page.texts(".article-body a.entity")
            .contains(&"Steve Witkoff".to_string())
    );
}

#[test]
fn afp_story_without_headline_crlf_and_bom() {
    let (t, run, front, body) = import("afp-no-headline-crlf.txt", &[]);
    assert_eq!(
        front["title"],
        "Macron sees no Russian willingness for a ceasefire"
    );
    assert!(
        run.stderr().contains("no headline"),
        "warns: {}",
        run.stderr()
    );
    assert!(!body.contains('\r') && !body.contains('\u{feff}'));
    assert_eq!(
        front["key_points"][1]["evidence"],
        "British Prime Minister Keir Starmer was cautious too, saying"
    );
    check_builds(
        &t,
        &front,
        &body,
        "macron-sees-no-russian-willingness-for-a-ceasefire",
    );
}

#[test]
fn reuters_story_dateline_credit_and_no_key_points() {
    let (t, run, front, body) = import("reuters-talks.txt", &["--slug", "core-of-deal"]);
    assert_eq!(
        front["title"],
        "Kyiv and Washington agree on core of deal, Ukrainian negotiator says"
    );
    assert_eq!(front["date"], "2025-11-25");
    assert_eq!(front["sources"][0]["name"], "Reuters");
    assert_eq!(front["authors"], serde_json::json!(["Gloss Wire Desk"]));
    assert_eq!(front["key_points"], serde_json::json!([]));
    assert!(run.stderr().contains("no KEY POINTS"), "{}", run.stderr());
    assert!(body.contains("## Front-line view"));
    assert!(!body.contains("(Reporting by"));
    check_builds(&t, &front, &body, "core-of-deal");
}

#[test]
fn reuters_story_as_sidecar_keeps_the_text_verbatim() {
    let (t, run, front, body) = import(
        "reuters-strikes-crlf.txt",
        &["--sidecar", "--suggest-entities"],
    );
    assert_eq!(front["title"], "Russian strikes wound 18 in Zaporizhzhia");
    assert!(
        !body.starts_with("---"),
        "no front matter in the sidecar layout"
    );
    assert!(
        t.root()
            .join("content/articles/russian-strikes-wound-18-in-zaporizhzhia.yaml")
            .exists()
    );
    // The dateline's place is suggested as an entity, with a YAML stub.
    assert!(
        run.stdout()
            .contains("zaporizhzhia:\n  name: Zaporizhzhia\n  kind: place"),
        "{}",
        run.stdout()
    );
    check_builds(
        &t,
        &front,
        &body,
        "russian-strikes-wound-18-in-zaporizhzhia",
    );
}

#[test]
fn import_never_overwrites_and_names_the_bad_line() {
    let t = SiteTest::new();
    t.file("wire.txt", wire("reuters-talks.txt"));
    assert!(t.gloss(&["import", "wire.txt", "--slug", "x"]).ok());
    let again = t.gloss(&["import", "wire.txt", "--slug", "x"]);
    assert_eq!(again.code(), Some(2));
    assert!(
        again.stderr().contains("never overwrites"),
        "{}",
        again.stderr()
    );

    t.file("bad.txt", wire("broken-key-points.txt"));
    let bad = t.gloss(&["import", "bad.txt"]);
    assert_eq!(bad.code(), Some(1));
    assert!(bad.stderr().contains("bad.txt:3:1"), "{}", bad.stderr());
    assert!(
        bad.stderr()
            .contains("KEY POINTS is not followed by any bullet"),
        "{}",
        bad.stderr()
    );
    assert!(!t.root().join("content/articles/headline-here.md").exists());
    let _ = text;
}
