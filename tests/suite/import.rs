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
        "Steve Witkoff to Moscow next week to meet Russian President Vladimir Putin"
    );
    assert!(
        body.starts_with("US President Donald Trump"),
        "the dateline moves to the front matter"
    );
    assert_eq!(front["dateline"], "Washington");
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
    assert_eq!(page.texts(".meta .dateline"), ["Washington"]);
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
        "long way to go and a tough road ahead"
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
    // The sidecar carries the dateline, and the body keeps it as sent.
    assert_eq!(front["dateline"], "Zaporizhzhia, Nov 25");
    assert!(
        body.starts_with("ZAPORIZHZHIA, Nov 25 (Reuters) - "),
        "{body}"
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

/// The labelled set (tests/fixtures/wire/labels.yaml): every story imported into one site with
/// the sample's registries, every expected subhead a `##` heading and no other, every key
/// point's evidence in the expected paragraph, and, once built, every key point's link landing
/// on that paragraph. Prints the score; it must be 100%.
#[test]
fn the_labelled_wire_stories_keep_their_structure_and_evidence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let labels: serde_json::Value = gloss::content::yaml::from_str(
        &std::fs::read_to_string(root.join("tests/fixtures/wire/labels.yaml")).unwrap(),
    )
    .unwrap();
    let labels = labels.as_object().unwrap();
    assert!(labels.len() >= 12, "at least twelve labelled stories");
    let layouts: std::collections::BTreeSet<&str> = labels
        .values()
        .map(|l| l["layout"].as_str().unwrap())
        .collect();
    assert_eq!(
        layouts.into_iter().collect::<Vec<_>>(),
        ["afp", "ap", "byline", "reuters", "wrapped"]
    );
    let t = SiteTest::new();
    for registry in [
        "entities.yaml",
        "glossary.yaml",
        "images/ukraine-schematic.svg",
    ] {
        t.file(
            &format!("content/{registry}"),
            std::fs::read(root.join("content").join(registry)).unwrap(),
        );
    }
    let norm = |s: &str| gloss::resolve::markdown::normalize(&s.replace('\\', ""));
    let (mut points, mut right, mut failures) = (0, 0, Vec::new());
    let mut stories = Vec::new();
    for (name, label) in labels {
        let slug = name.trim_end_matches(".txt").to_string();
        t.file(&format!("wire/{name}"), wire(name));
        let run = t.gloss(&[
            "import",
            &format!("wire/{name}"),
            "--date",
            "2025-11-25",
            "--slug",
            &slug,
        ]);
        assert!(run.ok(), "{name}: {}", run.stderr());
        let md =
            std::fs::read_to_string(t.root().join(format!("content/articles/{slug}.md"))).unwrap();
        let (yaml, body) = md
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("---\n"))
            .unwrap();
        let front: serde_json::Value = gloss::content::yaml::from_str(yaml).unwrap();
        let blocks: Vec<&str> = body.trim().split("\n\n").collect();
        let headings: Vec<&str> = blocks
            .iter()
            .filter_map(|b| b.strip_prefix("## "))
            .collect();
        let expected: Vec<&str> = label["headings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        assert_eq!(headings, expected, "{name}: headings");
        assert!(
            front["sources"][0]["name"].is_string(),
            "{name}: the agency is a source"
        );
        assert!(
            !body.contains("bur-"),
            "{name}: no desk code left in the body"
        );
        let paragraphs: Vec<String> = blocks
            .iter()
            .filter(|b| !b.starts_with("## "))
            .map(|b| norm(b))
            .collect();
        let wanted = label["paragraphs"].as_array().unwrap();
        let kps = front["key_points"].as_array().unwrap();
        assert_eq!(kps.len(), wanted.len(), "{name}: key points");
        let mut expected_paragraphs = Vec::new();
        for (i, (kp, want)) in kps.iter().zip(wanted).enumerate() {
            points += 1;
            let want = norm(want.as_str().unwrap());
            let holders: Vec<usize> = (0..paragraphs.len())
                .filter(|&p| paragraphs[p].contains(&want))
                .collect();
            assert_eq!(
                holders.len(),
                1,
                "{name}: the label `{want}` names one paragraph"
            );
            expected_paragraphs.push(holders[0] + 1);
            let evidence = kp["evidence"].as_str().map(norm).unwrap_or_default();
            let words = evidence.split_whitespace().count();
            if !evidence.is_empty()
                && paragraphs[holders[0]].contains(&evidence)
                && (3..=14).contains(&words)
            {
                right += 1;
            } else {
                failures.push(format!(
                    "{name} key point {}: evidence `{evidence}` is not in paragraph {} (`{want}`)",
                    i + 1,
                    holders[0] + 1
                ));
            }
        }
        stories.push((slug, expected_paragraphs, run.stdout()));
    }
    println!("labelled wire set: {right}/{points} key points on the expected paragraph");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The import reports each point's paragraph, and the built draft links it there.
    t.build_with(&["--drafts"]);
    for (slug, expected, stdout) in stories {
        for (i, p) in expected.iter().enumerate() {
            assert!(
                stdout.contains(&format!("key point {} -> paragraph {p} (score", i + 1)),
                "{slug}: {stdout}"
            );
        }
        let page = t.html(&format!("articles/{slug}/index.html"));
        let hrefs = page.attrs("aside.key-points a", "href");
        let targets: Vec<String> = expected.iter().map(|p| format!("#p-{p}")).collect();
        assert_eq!(hrefs, targets, "{slug}: key points link their paragraphs");
    }
}
