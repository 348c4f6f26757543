//! A site in several languages: translations, hreflang, right-to-left, per-language lists,
//! feeds, sitemaps and search, and the problems `gloss check` reports.

use std::collections::BTreeMap;

use crate::site_test::{ENTITIES, GLOSSARY, SITE_TOML, SiteTest};

const BASE: &str = "https://example.org/explainers/";

fn three_languages() -> SiteTest {
    let t = SiteTest::new();
    t.file(
        "site.toml",
        format!(
            "{SITE_TOML}\n[languages.fr]\ntitle = \"Site de test\"\n\n[languages.ar]\ntitle = \"موقع تجريبي\"\n"
        ),
    );
    t.file("content/entities.yaml", ENTITIES);
    t.file("content/glossary.yaml", GLOSSARY);
    t.file(
        "content/entities.fr.yaml",
        "steve-witkoff:\n  name: Steve Witkoff\n  role: Émissaire américain\nvladimir-putin:\n  name: Vladimir Poutine\n  aliases: [Poutine]\n  role: Président de la Russie\nnato:\n  name: OTAN\nmoscow:\n  name: Moscou\n",
    );
    t.file(
        "content/entities.ar.yaml",
        "steve-witkoff:\n  name: ستيف ويتكوف\nvladimir-putin:\n  name: فلاديمير بوتين\n  aliases: [بوتين]\nnato:\n  name: حلف شمال الأطلسي\n  aliases: [الناتو]\nmoscow:\n  name: موسكو\n",
    );
    t.file(
        "content/glossary.fr.yaml",
        "ceasefire:\n  term: cessez-le-feu\n  definition: \"Un arrêt des combats.\"\nenvoy:\n  term: émissaire\n  definition: \"Un diplomate en mission.\"\n",
    );
    t.file(
        "content/glossary.ar.yaml",
        "ceasefire:\n  term: وقف إطلاق النار\n  definition: \"توقف القتال.\"\nenvoy:\n  term: مبعوث\n  definition: \"دبلوماسي في مهمة.\"\n",
    );
    t.article(
        "talks",
        "title: Talks in Moscow\ndate: 2025-11-25\ntags: [Diplomacy]\nkey_points:\n  - text: Witkoff met Putin.\n    evidence: met Vladimir Putin",
        "Steve Witkoff met Vladimir Putin in Moscow. NATO was not there. A ceasefire was discussed.\n",
    );
    t.file(
        "content/articles/talks.fr.md",
        "---\ntitle: Discussions à Moscou\ndate: 2025-11-25\ntags: [Diplomatie]\nkey_points:\n  - text: Witkoff a vu Poutine.\n    evidence: a rencontré Vladimir Poutine\n---\nSteve Witkoff a rencontré Vladimir Poutine à Moscou. Le chef de l'OTAN n'était pas là. Un cessez-le-feu a été évoqué.\n",
    );
    t.file(
        "content/articles/talks.ar.md",
        "---\ntitle: محادثات في موسكو\ndate: 2025-11-25\n---\nالتقى ستيف ويتكوف فلاديمير بوتين في موسكو. وقال بوتين إن الناتو لم يحضر، ووبوتين لم يعلّق.\n",
    );
    t.article(
        "strikes",
        "title: Strikes\ndate: 2025-11-24\ntags: [War]",
        "Strikes hit Kyiv. Putin said nothing.\n",
    );
    t.file(
        "content/articles/strikes.fr.md",
        "---\ntitle: Frappes\ndate: 2025-11-24\ntags: [Guerre]\n---\nDes frappes ont touché Kyiv.\n",
    );
    t
}

/// Every HTML file of the output, by path.
fn pages(t: &SiteTest) -> Vec<String> {
    walk(&t.out(""))
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// The output file an absolute URL of the site is.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not the site's"));
    format!("{path}index.html")
}

/// A page's hreflang links: language → URL.
fn hreflangs(page: &crate::site_test::Page) -> BTreeMap<String, String> {
    page.select("link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap().to_string(),
                l.value().attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_translated_page_links_every_version_both_ways() {
    let t = three_languages();
    t.build();
    let mut groups = 0;
    for path in pages(&t) {
        let page = t.html(&path);
        let html = page.one("html");
        let (lang, dir) = match path.split('/').next() {
            Some("fr") => ("fr", "ltr"),
            Some("ar") => ("ar", "rtl"),
            _ => ("en", "ltr"),
        };
        assert_eq!(html.value().attr("lang"), Some(lang), "{path}");
        assert_eq!(html.value().attr("dir"), Some(dir), "{path}");
        let links = hreflangs(&page);
        if links.is_empty() {
            continue;
        }
        groups += 1;
        // x-default, the page itself, and one link per language: each pointing back.
        let me = links
            .get(lang)
            .unwrap_or_else(|| panic!("{path}: no link to itself"));
        assert_eq!(file_of(me), path, "{path}");
        assert_eq!(
            links.get("x-default"),
            links.get("en").or(links.values().next()),
            "{path}"
        );
        for (other, url) in links.iter().filter(|(l, _)| *l != "x-default") {
            let back = hreflangs(&t.html(&file_of(url)));
            assert_eq!(back, links, "{path} and its {other} version disagree");
        }
        // The switcher names the same versions, the current one marked.
        let switcher = page.attrs(".languages a", "hreflang");
        let listed: Vec<&String> = links.keys().filter(|l| *l != "x-default").collect();
        assert_eq!(switcher.len(), listed.len(), "{path}");
        assert_eq!(
            page.attrs(".languages a[aria-current=page]", "hreflang"),
            [lang],
            "{path}"
        );
    }
    assert!(groups > 20, "only {groups} pages have translations");
    // The story in three languages, the one in two, and the French-only page in one.
    let talks = t.html("articles/talks/index.html");
    assert_eq!(
        talks.attrs("link[rel=alternate][hreflang]", "hreflang"),
        ["en", "ar", "fr", "x-default"]
    );
    let strikes = t.html("fr/articles/strikes/index.html");
    assert_eq!(
        strikes.attrs("link[rel=alternate][hreflang]", "hreflang"),
        ["en", "fr", "x-default"]
    );
    assert!(!t.exists("ar/articles/strikes/index.html"));
}

#[test]
fn each_language_has_its_own_words_names_and_lists() {
    let t = three_languages();
    t.build();
    let fr = t.html("fr/articles/talks/index.html");
    // French names auto-linked, the elided l'OTAN too, to French entity and glossary pages.
    let links: Vec<(String, String)> = fr
        .select(".article-body a.entity, .article-body a.term")
        .iter()
        .map(|a| {
            (
                crate::site_test::text(a),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "Steve Witkoff".into(),
                "../../entities/steve-witkoff/".into()
            ),
            (
                "Vladimir Poutine".into(),
                "../../entities/vladimir-putin/".into()
            ),
            ("Moscou".into(), "../../entities/moscow/".into()),
            ("OTAN".into(), "../../entities/nato/".into()),
            ("cessez-le-feu".into(), "../../glossary/#ceasefire".into()),
        ]
    );
    assert_eq!(fr.texts("#key-points-title"), ["Points clés"]);
    assert_eq!(fr.texts(".dates time"), ["25 novembre 2025"]);
    assert!(fr.texts(".site-nav a").contains(&"Glossaire".to_string()));
    // The Arabic story: names without capitals, one written onto its particle (وبوتين).
    let ar = t.html("ar/articles/talks/index.html");
    assert_eq!(
        ar.texts(".article-body a.entity"),
        ["ستيف ويتكوف", "فلاديمير بوتين", "موسكو", "الناتو"]
    );
    assert_eq!(ar.texts(".dates time"), ["25 نوفمبر 2025"]);
    // Entity pages in each language list that language's stories.
    let putin = t.html("fr/entities/vladimir-putin/index.html");
    assert_eq!(putin.texts("h1"), ["Vladimir Poutine"]);
    assert_eq!(putin.texts(".mentions > li > a"), ["Discussions à Moscou"]);
    assert_eq!(
        t.html("entities/vladimir-putin/index.html")
            .texts(".mentions > li > a"),
        ["Talks in Moscow", "Strikes"]
    );
    // Per-language topics and front pages; shared assets one folder up.
    assert!(t.exists("fr/tags/diplomatie/index.html"));
    assert!(!t.exists("fr/tags/diplomacy/index.html"));
    let front = t.html("fr/index.html");
    assert_eq!(
        front.texts(".article-list h2 a"),
        ["Discussions à Moscou", "Frappes"]
    );
    let style = front.attrs("link[rel=stylesheet]", "href");
    assert!(style[0].starts_with("../static/style."), "{style:?}");
    assert!(t.exists(style[0].trim_start_matches("../")));
    assert!(!t.exists("fr/static") && !t.exists("fr/robots.txt") && !t.exists("fr/404.html"));
    // Each language's JSON-LD says its language.
    assert!(
        t.read("fr/articles/talks/index.html")
            .contains("\"inLanguage\":\"fr\"")
    );
    // Search: one index per language, each of its language only.
    let entry = t.read("fr/pagefind/pagefind-entry.json");
    assert!(
        entry.contains("\"fr\"") && !entry.contains("\"en\""),
        "{entry}"
    );
}

#[test]
fn feeds_sitemaps_and_robots_per_language() {
    let t = three_languages();
    t.build();
    let feed = t.read("fr/atom.xml");
    assert!(feed.contains("xml:lang=\"fr\""), "{feed}");
    assert!(feed.contains("<title>Discussions à Moscou</title>"));
    assert!(!feed.contains("Talks in Moscow"));
    assert!(
        t.read("ar/news-sitemap.xml")
            .contains("<news:language>ar</news:language>")
    );
    let sitemap = t.read("fr/sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    for (lang, path) in [("en", ""), ("fr", "fr/"), ("ar", "ar/"), ("x-default", "")] {
        let link = format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{BASE}{path}articles/talks/\"/>"
        );
        assert!(sitemap.contains(&link), "no {link} in {sitemap}");
    }
    let robots = t.read("robots.txt");
    for lang in ["", "fr/", "ar/"] {
        assert!(
            robots.contains(&format!("Sitemap: {BASE}{lang}sitemap.xml\n")),
            "{robots}"
        );
    }
}

#[test]
fn a_translated_registry_entry_must_name_a_registered_id() {
    let t = three_languages();
    t.file(
        "content/entities.fr.yaml",
        "vladimir-putin:\n  name: Vladimir Poutine\nemmanuel-macron:\n  name: Emmanuel Macron\n",
    );
    let run = t.gloss(&["build"]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(
        err.contains("content/entities.fr.yaml:3:1")
            && err.contains("`emmanuel-macron` is not a registered entity"),
        "{err}"
    );
    assert!(!t.exists("index.html"));
}

#[test]
fn check_reports_translation_problems() {
    let t = three_languages();
    // A story only in French, two English files of one story, an entity without a French
    // name, and a language whose interface strings are incomplete.
    t.file(
        "content/articles/lonely.fr.md",
        "---\ntitle: Seul\ndate: 2025-11-20\n---\nTexte.\n",
    );
    t.file(
        "content/entities.fr.yaml",
        "vladimir-putin:\n  name: Vladimir Poutine\n",
    );
    t.file(
        "site.toml",
        format!("{SITE_TOML}\n[languages.fr]\n\n[languages.ar]\n\n[languages.it]\n"),
    );
    t.file("i18n/it.toml", "key_points = \"Punti chiave\"\n");
    let run = t.gloss(&["check"]);
    let err = run.stderr();
    assert!(run.ok(), "{err}");
    for expected in [
        "content/articles/lonely.fr.md:1:1",
        "translates `lonely`, which has no `en` version",
        "content/entities.fr.yaml",
        "entity(s) have no `fr` name",
        "`moscow`",
        "interface string(s) missing for `it`",
        "i18n/it.toml",
    ] {
        assert!(err.contains(expected), "no {expected:?} in:\n{err}");
    }
    t.file(
        "content/articles/talks.en.md",
        "---\ntitle: Talks again\ndate: 2025-11-25\n---\nText.\n",
    );
    let run = t.gloss(&["check"]);
    let err = run.stderr();
    assert!(!run.ok());
    assert!(
        err.contains("two files are the `en` version of the story `talks`"),
        "{err}"
    );
    // A file in a language the site does not have.
    t.file("content/articles/talks.en.md", "");
    std::fs::remove_file(t.root().join("content/articles/talks.en.md")).unwrap();
    t.file(
        "content/articles/talks.de.md",
        "---\ntitle: Gespräche\ndate: 2025-11-25\n---\nText.\n",
    );
    let err = t.gloss(&["check"]).stderr();
    assert!(err.contains("the file name says `de`"), "{err}");
}

#[test]
fn a_site_overrides_the_theme_strings_of_a_language() {
    let t = three_languages();
    t.file("i18n/fr.toml", "key_points = \"L'essentiel\"\n");
    let run = t.build();
    assert!(
        !run.stderr().contains("interface string"),
        "{}",
        run.stderr()
    );
    let fr = t.html("fr/articles/talks/index.html");
    assert_eq!(fr.texts("#key-points-title"), ["L'essentiel"]);
    // The other strings keep the theme's French.
    assert_eq!(fr.texts(".site-nav a")[2], "Glossaire");
}

#[test]
fn languages_in_site_toml_are_checked() {
    let t = SiteTest::new();
    t.file(
        "site.toml",
        format!("{SITE_TOML}\n[languages.en]\ntitle = \"x\"\n"),
    );
    let err = t.gloss(&["build"]).stderr();
    assert!(
        err.contains("`en` is the default language already"),
        "{err}"
    );
    t.file("site.toml", format!("{SITE_TOML}\n[languages.FR]\n"));
    let err = t.gloss(&["build"]).stderr();
    assert!(err.contains("is not a language tag"), "{err}");
    t.file(
        "site.toml",
        format!("{SITE_TOML}\n[languages.fr]\nbase_url = \"tags\"\n"),
    );
    let err = t.gloss(&["build"]).stderr();
    assert!(err.contains("which the site already uses"), "{err}");
}

#[test]
fn wire_copy_and_folder_articles_have_translations_too() {
    let t = three_languages();
    // Wire copy kept as received, its annotations in a sidecar, in English and French.
    t.file("content/articles/wire.md", "Drones hit Kyiv overnight.\n");
    t.file(
        "content/articles/wire.yaml",
        "title: Drones hit Kyiv\ndate: 2025-11-23\n",
    );
    t.file(
        "content/articles/wire.fr.md",
        "Des drones ont frappé Kyiv.\n",
    );
    t.file(
        "content/articles/wire.fr.yaml",
        "title: Des drones frappent Kyiv\ndate: 2025-11-23\n",
    );
    // An article kept in a folder with its translation beside it.
    t.file(
        "content/articles/folder/index.md",
        "---\ntitle: In a folder\ndate: 2025-11-22\n---\nText.\n",
    );
    t.file(
        "content/articles/folder/index.ar.md",
        "---\ntitle: في مجلد\ndate: 2025-11-22\n---\nنص.\n",
    );
    let run = t.build();
    assert!(!run.stderr().contains("sidecar"), "{}", run.stderr());
    assert_eq!(
        t.html("fr/articles/wire/index.html").texts("h1"),
        ["Des drones frappent Kyiv"]
    );
    assert_eq!(
        t.html("articles/wire/index.html").texts("h1"),
        ["Drones hit Kyiv"]
    );
    assert_eq!(
        t.html("ar/articles/folder/index.html").texts("h1"),
        ["في مجلد"]
    );
    assert_eq!(
        t.html("articles/folder/index.html")
            .attrs("link[rel=alternate][hreflang]", "hreflang"),
        ["en", "ar", "x-default"]
    );
    assert!(!t.exists("fr/articles/folder/index.html"));
}
