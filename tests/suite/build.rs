//! The pipeline end to end.

use crate::site_test::{SiteTest, resolve_href, text};

const WITKOFF: &str = "title: \"Witkoff goes to Moscow\"
date: 2025-11-25
dek: \"The envoy travels.\"
section: World
tags: [Ukraine, Diplomacy]
key_points:
  - text: \"Witkoff will meet Putin.\"
    evidence: \"meet Vladimir Putin\"
  - text: \"A truce is not in sight.\"
    evidence: \"no truce\"
timeline:
  - { date: 2022-02-24, text: \"The invasion.\" }
sources:
  - { name: AFP, url: \"https://example.com/afp\" }";

const WITKOFF_BODY: &str = "Steve Witkoff is going to Moscow to meet Vladimir Putin.

There is no truce yet, and Witkoff knows it.
";

fn sample() -> SiteTest {
    let t = SiteTest::with_registries();
    t.article("witkoff-moscow", WITKOFF, WITKOFF_BODY);
    t
}

#[test]
fn key_points_link_to_their_paragraphs() {
    let t = sample();
    t.build();
    let page = t.html("articles/witkoff-moscow/index.html");
    let links = page.select("aside.key-points li a");
    assert_eq!(links.len(), 2);
    for (link, phrase) in links.iter().zip(["meet Vladimir Putin", "no truce"]) {
        let href = link.value().attr("href").unwrap();
        let id = href.strip_prefix('#').expect("in-page link");
        let target = page.one(&format!("[id=\"{id}\"]"));
        assert_eq!(target.value().name(), "p");
        assert!(
            text(&target).contains(phrase),
            "{} should hold {phrase}",
            text(&target)
        );
    }
}

#[test]
fn article_page_has_the_explainer_parts() {
    let t = sample();
    t.build();
    let page = t.html("articles/witkoff-moscow/index.html");
    assert_eq!(page.texts("h1"), ["Witkoff goes to Moscow"]);
    assert_eq!(page.texts(".dek"), ["The envoy travels."]);
    assert_eq!(page.attrs("time", "datetime")[0], "2025-11-25");
    assert_eq!(
        page.texts(".article-timeline li"),
        ["24 February 2022 The invasion."]
    );
    assert_eq!(
        page.attrs(".sources a", "href"),
        ["https://example.com/afp"]
    );
    let people = page.texts(".in-this-story li a");
    assert_eq!(people, ["Steve Witkoff", "Moscow", "Vladimir Putin"]);
    assert_eq!(
        page.attrs(".tags a", "href"),
        ["../../tags/ukraine/", "../../tags/diplomacy/"]
    );
    // The term carries its definition, so it reads without JavaScript.
    let term = page.one(".article-body a.term");
    assert_eq!(
        term.value().attr("title"),
        Some("An agreed halt to fighting.")
    );
    assert_eq!(term.value().attr("href"), Some("../../glossary/#ceasefire"));
}

#[test]
fn every_internal_link_lands() {
    let t = sample();
    t.file(
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee [the glossary](/glossary/).\n",
    );
    t.build();
    let mut pages = Vec::new();
    for entry in walkdir(&t.out("")) {
        if entry.ends_with(".html") {
            pages.push(entry);
        }
    }
    assert!(pages.len() > 10, "{pages:?}");
    for path in &pages {
        let page = t.html(path);
        for href in page
            .attrs("a[href]", "href")
            .into_iter()
            .chain(page.attrs("link[href]", "href"))
        {
            if href.starts_with("http")
                || href.starts_with("mailto:")
                || href.starts_with('#') && path == "404.html"
            {
                continue;
            }
            if path == "404.html" {
                assert!(
                    href.starts_with("/explainers/"),
                    "404 links use the base path: {href}"
                );
                continue;
            }
            let (target, fragment) = resolve_href(path, &href);
            assert!(
                t.exists(&target),
                "{path}: link {href} -> {target} is missing"
            );
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                assert!(
                    t.html(&target).has_id(&id),
                    "{path}: link {href}: no #{id} in {target}"
                );
            }
        }
    }
}

fn walkdir(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn sub_path_base_url_is_honoured() {
    let t = sample();
    t.build_with(&["--base-url", "https://news.example.com/sub/path"]);
    let page = t.html("articles/witkoff-moscow/index.html");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://news.example.com/sub/path/articles/witkoff-moscow/"]
    );
    let css = &page.attrs("link[rel=stylesheet]", "href")[0];
    assert!(
        css.starts_with("../../static/style.") && css.ends_with(".css"),
        "{css}"
    );
    let feed = t.read("atom.xml");
    assert!(
        feed.contains("<id>https://news.example.com/sub/path/articles/witkoff-moscow/</id>"),
        "{feed}"
    );
    let sitemap = t.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://news.example.com/sub/path/</loc>"),
        "{sitemap}"
    );
    let four = t.html("404.html");
    let css = &four.attrs("link[rel=stylesheet]", "href")[0];
    assert!(
        css.starts_with("/sub/path/static/style.") && css.ends_with(".css"),
        "{css}"
    );
    assert!(
        t.read("robots.txt")
            .contains("Sitemap: https://news.example.com/sub/path/sitemap.xml")
    );
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let t = sample();
    t.article(
        "secret",
        "title: Secret\ndate: 2025-11-26\ndraft: true",
        "Not yet.\n",
    );
    t.build();
    assert!(!t.exists("articles/secret/index.html"));
    assert!(!t.read("index.html").contains("Secret"));
    assert!(!t.read("atom.xml").contains("Secret"));

    t.build_with(&["--drafts"]);
    assert!(t.exists("articles/secret/index.html"));
    let page = t.html("articles/secret/index.html");
    assert_eq!(page.texts("h1 .badge"), ["Draft"]);
}

#[test]
fn sidecar_annotates_untouched_wire_copy() {
    let t = SiteTest::with_registries();
    let wire = "MOSCOW (AFP) - Steve Witkoff will meet Vladimir Putin next week.\n";
    t.file("content/articles/wire.md", wire);
    t.file(
        "content/articles/wire.yaml",
        "title: Wire story\ndate: 2025-11-25\nkey_points:\n  - text: A meeting.\n    evidence: will meet\n",
    );
    t.build();
    let page = t.html("articles/wire/index.html");
    assert_eq!(page.texts("h1"), ["Wire story"]);
    assert_eq!(page.attrs("aside.key-points a", "href"), ["#p-1"]);
    assert_eq!(
        page.texts(".article-body a.entity"),
        ["Steve Witkoff", "Vladimir Putin"]
    );
    assert_eq!(
        std::fs::read_to_string(t.root().join("content/articles/wire.md")).unwrap(),
        wire
    );
}

#[test]
fn bom_and_crlf_files_build() {
    let t = SiteTest::with_registries();
    let text = "\u{feff}---\r\ntitle: \"Windows\"\r\ndate: 2025-11-25\r\nkey_points:\r\n  - text: A point.\r\n    evidence: meet Putin\r\n---\r\nWitkoff will\r\nmeet Putin.\r\n";
    t.file("content/articles/crlf.md", text);
    t.build();
    let page = t.html("articles/crlf/index.html");
    assert_eq!(page.texts("h1"), ["Windows"]);
    assert_eq!(page.attrs("aside.key-points a", "href"), ["#p-1"]);
}

#[test]
fn slug_from_front_matter_overrides_the_file_name() {
    let t = sample();
    t.article(
        "file-name",
        "title: Custom\ndate: 2025-11-25\nslug: custom-url",
        "Text.\n",
    );
    t.build();
    assert!(t.exists("articles/custom-url/index.html"));
    assert!(!t.exists("articles/file-name/index.html"));
}

#[test]
fn user_text_is_escaped() {
    let t = SiteTest::new();
    t.article(
        "xss",
        "title: \"<script>alert(1)</script> & </script>\"\ndate: 2025-11-25\ndek: \"<b>bold</b>\"",
        "Body.\n",
    );
    t.build();
    let html = t.read("articles/xss/index.html");
    assert!(!html.contains("<script>alert(1)"), "raw script in output");
    assert!(!html.contains("<b>bold</b>"));
    let page = t.html("articles/xss/index.html");
    assert_eq!(page.texts("h1"), ["<script>alert(1)</script> & </script>"]);
    // The JSON-LD block still parses and holds the title as text.
    let json = page
        .one("script[type=\"application/ld+json\"]")
        .inner_html();
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON-LD");
    assert_eq!(v["headline"], "<script>alert(1)</script> & </script>");
    assert_eq!(
        page.select("script").len(),
        2,
        "only JSON-LD and the theme's script"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = sample();
    let b = sample();
    a.file("content/pages/about.md", "---\ntitle: About\n---\nHi.\n");
    b.file("content/pages/about.md", "---\ntitle: About\n---\nHi.\n");
    a.build();
    b.build();
    let files_a = walkdir(&a.out(""));
    assert_eq!(files_a, walkdir(&b.out("")));
    for f in &files_a {
        assert_eq!(
            std::fs::read(a.out(f)).unwrap(),
            std::fs::read(b.out(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn sample_site_builds_twice_identically() {
    let out1 = tempfile::tempdir().unwrap();
    let out2 = tempfile::tempdir().unwrap();
    for out in [&out1, &out2] {
        crate::site_test::build_sample_site(&out.path().join("public"));
    }
    let files = walkdir(&out1.path().join("public"));
    assert!(files.iter().any(|f| f.starts_with("articles/")));
    for f in &files {
        let a = std::fs::read(out1.path().join("public").join(f)).unwrap();
        let b = std::fs::read(out2.path().join("public").join(f)).unwrap();
        assert!(a == b, "{f} differs between builds");
    }
    assert_eq!(files, walkdir(&out2.path().join("public")));
}

#[test]
fn code_blocks_are_highlighted_with_classes() {
    let t = SiteTest::new();
    t.article(
        "code",
        "title: Code\ndate: 2025-11-25",
        "```rust\nfn main() { let x = 1; }\n```\n\nInline `code` too.\n",
    );
    t.build();
    let page = t.html("articles/code/index.html");
    let pre = page.one("pre.code");
    assert!(
        !pre.select(&scraper::Selector::parse("span[class^=hl-]").unwrap())
            .collect::<Vec<_>>()
            .is_empty()
    );
    assert!(page.select("[style]").is_empty(), "no inline styles");
    assert!(t.read("static/highlight.css").contains(".hl-"));
}

#[test]
fn markdown_extensions_are_on() {
    let t = SiteTest::new();
    t.article(
        "md",
        "title: Md\ndate: 2025-11-25",
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ and \"quoted\"[^1]\n\n[^1]: A note.\n\n## Same\n\n## Same\n",
    );
    t.build();
    let page = t.html("articles/md/index.html");
    assert_eq!(page.select("table td").len(), 2);
    assert_eq!(page.texts("del"), ["gone"]);
    assert!(page.texts(".article-body p")[0].contains("“quoted”"));
    assert_eq!(page.select(".footnote-definition").len(), 1);
    assert_eq!(page.attrs(".article-body h2", "id"), ["same", "same-2"]);
}

#[test]
fn site_templates_override_the_builtin_ones() {
    let t = sample();
    t.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }}</p>{% endblock content %}");
    t.file("static/extra.txt", "hello");
    t.file("content/pages/about.md", "---\ntitle: About us\n---\nHi.\n");
    t.build();
    let page = t.html("about/index.html");
    assert_eq!(page.texts("p.custom"), ["About us"]);
    assert_eq!(t.read("static/extra.txt"), "hello");
    assert!(t.read("static/style.css").contains("gloss default theme"));
}

#[test]
fn output_dir_must_not_hold_the_site() {
    let t = sample();
    for bad in [".", "..", "content/out"] {
        let run = t.gloss(&["build", "-o", bad]);
        assert_eq!(run.code(), Some(2), "{bad}: {}", run.stderr());
        assert!(
            run.stderr().contains("output folder") || run.stderr().contains("site.toml"),
            "{}",
            run.stderr()
        );
    }
    assert!(t.root().join("content/articles/witkoff-moscow.md").exists());
}

#[test]
fn front_page_lists_newest_first() {
    let t = SiteTest::new();
    t.article("old", "title: Old\ndate: 2024-01-01", "x\n");
    t.article("new", "title: New\ndate: 2025-01-01\ndek: Fresh", "x\n");
    t.build();
    let page = t.html("index.html");
    assert_eq!(page.texts(".article-card h2"), ["New", "Old"]);
    assert_eq!(
        page.attrs(".article-card h2 a", "href"),
        ["articles/new/", "articles/old/"]
    );
}

#[test]
fn article_page_snapshot() {
    let t = sample();
    t.build();
    insta::assert_snapshot!("article_page", t.read("articles/witkoff-moscow/index.html"));
}

#[test]
fn a_named_theme_overrides_builtin_files_and_the_site_overrides_the_theme() {
    let t = sample();
    t.file(
        "site.toml",
        format!("{}theme = \"paper\"\n", crate::site_test::SITE_TOML),
    );
    t.file("themes/paper/templates/tags.html", "{% extends \"base.html\" %}{% block content %}<p class=\"paper\">paper</p>{% endblock content %}");
    t.file("themes/paper/static/style.css", "/* paper */");
    t.file("static/style.css", "/* site */");
    t.build();
    assert_eq!(t.html("tags/index.html").texts("p.paper"), ["paper"]);
    assert_eq!(t.read("static/style.css"), "/* site */");

    t.file(
        "site.toml",
        format!("{}theme = \"missing\"\n", crate::site_test::SITE_TOML),
    );
    let run = t.gloss(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("theme `missing` not found"),
        "{}",
        run.stderr()
    );
}

#[test]
fn preview_data_cannot_break_out_of_its_script() {
    let t = SiteTest::new();
    t.file(
        "content/entities.yaml",
        "evil:\n  name: \"Evil</script><b>x\"\n  kind: person\n  role: \"<!-- role\"\n",
    );
    t.file(
        "content/glossary.yaml",
        "plot:\n  term: plot\n  definition: What [they](entity:evil) made.\n",
    );
    t.article(
        "a",
        "title: A\ndate: 2025-11-25",
        "Meet [them](entity:evil) here, and their plot.\n",
    );
    t.build();
    let page = t.html("glossary/index.html");
    let (_, v) = page.preview_data();
    assert_eq!(v["entities"]["evil"][1], "Evil</script><b>x");
    assert_eq!(v["entities"]["evil"][2], "<!-- role");
    assert!(page.select("b").is_empty(), "no markup escaped the script");
}

#[test]
fn entity_pieces_made_once_read_alike_on_every_page() {
    let t = SiteTest::new();
    t.file(
        "content/entities.yaml",
        "witkoff:\n  name: Steve Witkoff\n  kind: person\n  role: US special envoy\n  wikidata: Q1\n",
    );
    t.file(
        "content/glossary.yaml",
        "truce:\n  term: truce\n  definition: A pause in fighting agreed by [Steve Witkoff](entity:witkoff).\n",
    );
    t.article(
        "a",
        "title: A\ndate: 2025-11-25",
        "Steve Witkoff spoke of a truce.\n",
    );
    t.article(
        "b",
        "title: B\ndate: 2025-11-24",
        "Later Steve Witkoff left.\n",
    );
    t.build();
    let ld = |path: &str| -> serde_json::Value {
        let json = t
            .html(path)
            .one("script[type=\"application/ld+json\"]")
            .inner_html();
        serde_json::from_str(&json).expect("JSON-LD is JSON")
    };
    let (a, b) = (ld("articles/a/index.html"), ld("articles/b/index.html"));
    assert_eq!(a["mentions"], b["mentions"]);
    assert_eq!(
        a["mentions"][0]["@id"],
        "https://example.org/explainers/entities/witkoff/"
    );
    let page = ld("entities/witkoff/index.html");
    assert_eq!(page["@context"], "https://schema.org");
    // The entity page names its articles by @id; each article's page carries that @id.
    let ids: Vec<&str> = page["subjectOf"]
        .as_array()
        .expect("subjectOf lists the articles")
        .iter()
        .map(|a| a["@id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/explainers/articles/a/",
            "https://example.org/explainers/articles/b/"
        ]
    );
    assert_eq!(a["@id"], ids[0]);
    assert_eq!(b["@id"], ids[1]);
    // Preview data holds only what the link cannot say (the card leads where the link does),
    // in its shortest form: [kind, name, text], the kind an index into the page's table of
    // kind labels.
    let (data, v) = t.html("glossary/index.html").preview_data();
    assert_eq!(
        v["entities"]["witkoff"],
        serde_json::json!([0, "Steve Witkoff", "US special envoy"])
    );
    assert_eq!(
        v["kinds"],
        serde_json::json!([
            "Person",
            "Organisation",
            "Place",
            "Event",
            "Other",
            "Glossary"
        ])
    );
    assert!(data.contains(r#""witkoff":[0,"Steve Witkoff","US special envoy"]"#));
}

#[test]
fn article_preview_data_leaves_out_what_the_page_lists() {
    let t = SiteTest::new();
    t.file(
        "content/entities.yaml",
        "witkoff:\n  name: Steve Witkoff\n  kind: person\n  role: US special envoy\n\
         nato:\n  name: NATO\n  kind: organisation\n  description: A military alliance.\n\
         kyiv:\n  name: Kyiv\n  kind: place\n  role: Capital\n",
    );
    t.file(
        "content/glossary.yaml",
        "truce:\n  term: truce\n  definition: A pause in fighting.\n\
         envoy:\n  term: envoy\n  definition: A diplomat on a mission.\n",
    );
    t.article(
        "a",
        "title: A\ndate: 2025-11-25\nbackground: Long ago in [the capital](entity:kyiv), an [envoy](term:envoy) came.",
        "Steve Witkoff spoke of a truce with NATO.\n",
    );
    t.build();
    let page = t.html("articles/a/index.html");
    let (data, v) = page.preview_data();
    // Shown whole by the page's lists (name, role; a term's definition is in its link's
    // title), the background's names included: left out.
    for id in ["witkoff", "kyiv"] {
        assert_eq!(v["entities"].get(id), None, "{data}");
    }
    for id in ["truce", "envoy"] {
        assert_eq!(v["terms"].get(id), None, "{data}");
    }
    assert_eq!(
        page.texts(".in-this-story li > a"),
        ["Steve Witkoff", "NATO", "Kyiv"],
        "the list the script reads"
    );
    assert_eq!(
        page.texts(".in-this-story .role"),
        ["US special envoy", "Capital"]
    );
    assert_eq!(page.texts(".terms-used dt a"), ["truce", "envoy"]);
    assert_eq!(
        page.attrs(".article-body a[data-term=\"truce\"]", "title"),
        ["A pause in fighting."]
    );
    // A description the list does not show: kept.
    assert_eq!(
        v["entities"]["nato"],
        serde_json::json!([1, "NATO", "A military alliance."])
    );
    assert_eq!(v["kinds"][0], "Person");
}
