//! Entity, glossary, timeline and tag pages, and the feeds.

use crate::site_test::{SiteTest, text};

fn two_articles() -> SiteTest {
    let t = SiteTest::with_registries();
    t.article(
        "first",
        "title: First\ndate: 2025-11-20\ntags: [Ukraine]\ntimeline:\n  - { date: 2022-02-24, text: Invasion. }\n  - { date: 2025-11-20, text: First step. }",
        "Witkoff arrived. He met Vladimir Putin in Moscow on Monday.\n\nA truce was discussed.\n",
    );
    t.article(
        "second",
        "title: Second\ndate: 2025-11-25\ntags: [Ukraine, Diplomacy]\nentities: [nato]\ntimeline:\n  - { date: 2025-11-25, text: Second step. }",
        "Talks went on. Putin said little about the U.S. envoy Steve Witkoff today.\n",
    );
    t
}

#[test]
fn entity_page_lists_every_article_with_the_sentence() {
    let t = two_articles();
    t.build();
    let page = t.html("entities/vladimir-putin/index.html");
    assert_eq!(page.texts("h1"), ["Vladimir Putin"]);
    assert_eq!(page.texts(".dek"), ["President of Russia"]);
    assert_eq!(page.texts(".mentions > li > a"), ["Second", "First"]);
    assert_eq!(
        page.texts(".mentions blockquote"),
        [
            "Putin said little about the U.S. envoy Steve Witkoff today.",
            "He met Vladimir Putin in Moscow on Monday."
        ]
    );
    // Each mention links to the paragraph that holds it.
    assert_eq!(
        page.attrs(".mentions > li > a", "href"),
        ["../../articles/second/#p-1", "../../articles/first/#p-1"]
    );
    assert_eq!(
        page.attrs(".description + p a, p.meta a", "href"),
        ["https://www.wikidata.org/wiki/Q7747"]
    );
    let related = page.texts("section:last-of-type .entity-list a");
    assert!(
        related.contains(&"Steve Witkoff".to_string()),
        "{related:?}"
    );
    let json = page
        .one("script[type=\"application/ld+json\"]")
        .inner_html();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["@type"], "Person");
    assert_eq!(v["sameAs"], "https://www.wikidata.org/wiki/Q7747");
}

#[test]
fn every_entity_gets_a_page_and_front_matter_entities_count() {
    let t = two_articles();
    t.build();
    assert!(t.exists("entities/moscow/index.html"));
    let nato = t.html("entities/nato/index.html");
    assert_eq!(nato.texts(".mentions > li > a"), ["Second"]);
    let index = t.html("entities/index.html");
    assert_eq!(index.texts("h2"), ["People", "Organisations", "Places"]);
}

#[test]
fn glossary_lists_terms_a_to_z_with_articles() {
    let t = two_articles();
    t.build();
    let page = t.html("glossary/index.html");
    assert_eq!(page.attrs("dl.glossary dt", "id"), ["ceasefire", "envoy"]);
    assert_eq!(page.texts("section h2"), ["C", "E"]);
    assert_eq!(page.texts("#ceasefire + dd .used-in a"), ["First"]);
    assert_eq!(
        page.texts("dl.glossary dd em"),
        ["special"],
        "definitions are Markdown"
    );
}

#[test]
fn timeline_merges_articles_by_date_and_groups_by_year() {
    let t = two_articles();
    t.build();
    let page = t.html("timeline/index.html");
    assert_eq!(page.texts("section h2"), ["2022", "2025"]);
    assert_eq!(
        page.attrs(".timeline time", "datetime"),
        ["2022-02-24", "2025-11-20", "2025-11-25"]
    );
    assert_eq!(page.texts(".timeline a.from"), ["First", "First", "Second"]);
}

#[test]
fn one_page_per_tag() {
    let t = two_articles();
    t.build();
    assert_eq!(
        t.html("tags/ukraine/index.html").texts(".article-card h2"),
        ["Second", "First"]
    );
    assert_eq!(
        t.html("tags/diplomacy/index.html")
            .texts(".article-card h2"),
        ["Second"]
    );
    assert_eq!(
        t.html("tags/index.html").texts(".tag-cloud a"),
        ["Diplomacy", "Ukraine"]
    );
}

#[test]
fn atom_feed_and_sitemap_are_well_formed() {
    let t = two_articles();
    t.article(
        "draft",
        "title: Draft\ndate: 2025-11-26\ndraft: true",
        "x\n",
    );
    t.build();
    let atom = t.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 2);
    let titles: Vec<_> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .unwrap()
                .text()
                .unwrap()
        })
        .collect();
    assert_eq!(titles, ["Second", "First"]);
    let updated = doc
        .root_element()
        .children()
        .find(|c| c.has_tag_name("updated"))
        .unwrap();
    assert_eq!(updated.text(), Some("2025-11-25T00:00:00Z"));

    let sitemap = t.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap())
        .collect();
    assert!(locs.contains(&"https://example.org/explainers/articles/first/"));
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.org/explainers/"))
    );
    assert!(!locs.iter().any(|l| l.contains("draft")));
}

/// The `<loc>`s of an XML sitemap or sitemap index.
fn locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect()
}

#[test]
fn past_its_limit_the_sitemap_becomes_an_index_of_files_within_it() {
    let t = SiteTest::new();
    t.file(
        "site.toml",
        format!("{}sitemap_limit = 10\n", crate::site_test::SITE_TOML),
    );
    for i in 0..25 {
        t.article(
            &format!("a{i:02}"),
            &format!(
                "title: A{i}\ndate: 2025-10-{:02}\ntags: [T{}]",
                i + 1,
                i % 3
            ),
            "Text.\n",
        );
    }
    t.build();
    let base = "https://example.org/explainers/";
    let index = t.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let parts = locs(&index);
    let mut all = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        assert_eq!(part, &format!("{base}sitemap{}.xml", i + 1));
        let urls = locs(&t.read(&part[base.len()..]));
        assert!(
            !urls.is_empty() && urls.len() <= 10,
            "{part}: {} URLs",
            urls.len()
        );
        all.extend(urls);
    }
    // 25 articles, 3 tags, the front page and five lists: 34 URLs in four files, none twice.
    assert_eq!(parts.len(), 4);
    let unique: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len());
    assert!(all.contains(&format!("{base}articles/a07/")));
    // Each file is listed with the latest lastmod it holds.
    let first = doc
        .descendants()
        .find(|n| n.has_tag_name("sitemap"))
        .unwrap();
    let lastmod = first
        .children()
        .find(|c| c.has_tag_name("lastmod"))
        .unwrap();
    assert_eq!(lastmod.text(), Some("2025-10-25"));
    // robots.txt names the index.
    assert!(
        t.read("robots.txt")
            .contains(&format!("Sitemap: {base}sitemap.xml"))
    );
}

#[test]
fn the_news_sitemap_keeps_the_last_two_days() {
    let t = SiteTest::new();
    for (slug, date) in [
        ("new", "2025-11-25"),
        ("day-before", "2025-11-23"),
        ("old", "2025-11-20"),
    ] {
        t.article(slug, &format!("title: {slug}\ndate: {date}"), "Text.\n");
    }
    t.build();
    let urls = locs(&t.read("news-sitemap.xml"));
    let base = "https://example.org/explainers/articles/";
    assert_eq!(urls, [format!("{base}new/"), format!("{base}day-before/")]);
}

#[test]
fn article_json_ld_refers_to_entities_by_the_id_of_their_page() {
    let t = two_articles();
    t.build();
    let ld = |path: &str| -> serde_json::Value {
        let json = t
            .html(path)
            .one("script[type=\"application/ld+json\"]")
            .inner_html();
        serde_json::from_str(&json).unwrap()
    };
    let v = ld("articles/second/index.html");
    assert_eq!(v["@type"], "NewsArticle");
    // Each reference is an @id alone, the URL of the entity's page, which carries the whole
    // object under the same @id.
    let base = "https://example.org/explainers/";
    let resolve = |r: &serde_json::Value| -> serde_json::Value {
        assert_eq!(r.as_object().unwrap().len(), 1, "a bare reference: {r}");
        let id = r["@id"].as_str().unwrap();
        let page = ld(&format!("{}index.html", &id[base.len()..]));
        assert_eq!(page["@id"], id, "the entity page carries the @id");
        page
    };
    let nato = resolve(&v["about"][0]);
    assert_eq!(nato["name"], "NATO");
    assert_eq!(nato["sameAs"], "https://www.wikidata.org/wiki/Q7184");
    let mentioned: Vec<serde_json::Value> = v["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(resolve)
        .collect();
    let names: Vec<&str> = mentioned
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Vladimir Putin", "Steve Witkoff"]);
    assert_eq!(mentioned[0]["@type"], "Person");
    assert_eq!(
        mentioned[0]["sameAs"],
        "https://www.wikidata.org/wiki/Q7747"
    );
}

#[test]
fn corrections_show_and_bump_the_modified_date() {
    let t = SiteTest::new();
    t.article(
        "c",
        "title: C\ndate: 2025-11-25\ncorrections:\n  - { date: 2025-11-27, text: Fixed a name. }",
        "x\n",
    );
    t.build();
    let page = t.html("articles/c/index.html");
    assert_eq!(
        page.texts(".corrections li"),
        ["27 November 2025: Fixed a name."]
    );
    assert_eq!(
        page.attrs("meta[property=\"article:modified_time\"]", "content"),
        ["2025-11-27T00:00:00Z"]
    );
}

#[test]
fn publishing_extras() {
    let t = two_articles();
    t.file(
        "site.toml",
        format!("{}precompress = true\n", crate::site_test::SITE_TOML),
    );
    t.article(
        "c",
        "title: Old one\ndate: 2025-11-01\ncorrections:\n  - { date: 2025-11-30, text: Fixed a date. }\n  - { date: 2025-11-02, text: Fixed a name. }",
        "x\n",
    );
    t.build();
    // Per-tag feeds, linked from the tag page.
    let feed = t.read("tags/diplomacy/atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("entry"))
            .count(),
        1
    );
    assert_eq!(
        t.html("tags/diplomacy/index.html")
            .attrs("link[rel=alternate][type=\"application/atom+xml\"]", "href"),
        [
            "https://example.org/explainers/atom.xml",
            "https://example.org/explainers/tags/diplomacy/atom.xml"
        ]
    );
    // Google News sitemap: only articles within two days of the newest (2025-11-25).
    let news = t.read("news-sitemap.xml");
    let doc = roxmltree::Document::parse(&news).unwrap();
    let titles: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "title")
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(titles, ["Second"]);
    assert!(t.read("robots.txt").contains("news-sitemap.xml"));
    // Corrections page, newest first.
    let page = t.html("corrections/index.html");
    assert_eq!(
        page.attrs(".corrections-list time", "datetime"),
        ["2025-11-30", "2025-11-02"]
    );
    // Glossary as a DefinedTermSet.
    let json = t
        .html("glossary/index.html")
        .one("script[type=\"application/ld+json\"]")
        .inner_html();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["@type"], "DefinedTermSet");
    assert_eq!(v["hasDefinedTerm"][0]["name"], "ceasefire");
    // Fingerprinted assets, and precompressed siblings.
    let css = t.html("index.html").attrs("link[rel=stylesheet]", "href")[0].clone();
    assert!(t.exists(&css), "{css}");
    assert!(
        t.exists("index.html.gz") && t.exists("index.html.br") && t.exists(&format!("{css}.br"))
    );
    assert!(!t.exists("static/favicon.svg.gz.gz"));
    // Twitter card on articles.
    let a = t.html("articles/second/index.html");
    assert_eq!(
        a.attrs("meta[name=\"twitter:card\"]", "content"),
        ["summary"]
    );
}

#[test]
fn minify_needs_the_feature_or_shrinks_pages() {
    let t = two_articles();
    t.build();
    let plain = t.read("articles/second/index.html");
    t.file(
        "site.toml",
        format!("{}minify = true\n", crate::site_test::SITE_TOML),
    );
    let run = t.gloss(&["build"]);
    if cfg!(feature = "minify") {
        assert!(run.ok(), "{}", run.stderr());
        let small = t.read("articles/second/index.html");
        assert!(
            small.len() < plain.len(),
            "{} >= {}",
            small.len(),
            plain.len()
        );
        let page = t.html("articles/second/index.html");
        assert_eq!(page.texts("h1"), ["Second"]);
        let json = page
            .one("script[type=\"application/ld+json\"]")
            .inner_html();
        let v: serde_json::Value =
            serde_json::from_str(&json).expect("JSON-LD survives minification");
        assert_eq!(v["headline"], "Second");
    } else {
        assert_eq!(run.code(), Some(1));
        assert!(
            run.stderr().contains("built without minification"),
            "{}",
            run.stderr()
        );
        assert_eq!(
            t.read("articles/second/index.html"),
            plain,
            "nothing written"
        );
    }
}

#[test]
fn related_entities_are_the_twelve_most_shared_ties_by_id() {
    let t = SiteTest::new();
    let mut registry = String::from("hub:\n  name: Hub\n  kind: organisation\n");
    let ids: Vec<String> = (0..15)
        .map(|i| format!("e{i:02}"))
        .chain(["tie-b".to_string(), "tie-a".to_string()])
        .collect();
    for id in &ids {
        registry.push_str(&format!("{id}:\n  name: N{id}\n  kind: person\n"));
    }
    t.file("content/entities.yaml", registry);
    // Article j names the hub and e00..=e{j}: e00 shares 15 articles with it, e14 one. The two
    // ties share the last five, as e10 does.
    for j in 0..15 {
        let mut body = String::from("The [hub](entity:hub) met");
        for i in 0..=j {
            body.push_str(&format!(" [x](entity:e{i:02})"));
        }
        if j >= 10 {
            body.push_str(" [y](entity:tie-b) [z](entity:tie-a)");
        }
        body.push_str(".\n");
        t.article(
            &format!("a{j:02}"),
            &format!("title: A{j}\ndate: 2025-11-{:02}", j + 1),
            &body,
        );
    }
    t.build();
    let page = t.html("entities/hub/index.html");
    let related = page.texts("section:last-of-type .entity-list a");
    let expected: Vec<String> = (0..=10)
        .map(|i| format!("Ne{i:02}"))
        .chain(["Ntie-a".to_string()])
        .collect();
    assert_eq!(related, expected);
}

#[test]
fn a_tag_with_120_articles_is_three_pages_of_50() {
    let t = SiteTest::new();
    t.file(
        "site.toml",
        format!("{}paginate_by = 50\n", crate::site_test::SITE_TOML),
    );
    for i in 0..120 {
        // Ten a day over twelve days: ties on the date are ordered by slug.
        t.article(
            &format!("s{i:03}"),
            &format!(
                "title: Story {i}\ndate: 2025-10-{:02}\ntags: [War]",
                i / 10 + 1
            ),
            "Text.\n",
        );
    }
    t.build();
    let pages = [
        "tags/war/index.html",
        "tags/war/page/2/index.html",
        "tags/war/page/3/index.html",
    ];
    assert!(!t.exists("tags/war/page/4/index.html"));
    assert!(
        !t.exists("tags/war/page/1/index.html"),
        "page 1 is the tag's own URL"
    );
    let mut seen: Vec<String> = Vec::new();
    for (n, path) in pages.iter().enumerate() {
        let page = t.html(path);
        let titles = page.texts(".article-card h2");
        assert_eq!(titles.len(), if n < 2 { 50 } else { 20 }, "{path}");
        seen.extend(titles);
        let title = page.texts("title").join("");
        if n == 0 {
            assert!(title.starts_with("War ·"), "{title}");
        } else {
            assert!(
                title.starts_with(&format!("War, page {} of 3", n + 1)),
                "{title}"
            );
        }
        // rel links and the navigation agree, relative to the page.
        let link = |rel: &str| page.attrs(&format!("link[rel=\"{rel}\"]"), "href").pop();
        let nav = |rel: &str| {
            page.attrs(&format!("nav.pagination a[rel=\"{rel}\"]"), "href")
                .pop()
        };
        let target =
            |href: Option<String>| href.map(|h| crate::site_test::resolve_href(path, &h).0);
        let prev = (n > 0).then(|| pages[n - 1].to_string());
        let next = pages.get(n + 1).map(|p| p.to_string());
        assert_eq!(target(link("prev")), prev, "{path} rel=prev");
        assert_eq!(target(link("next")), next, "{path} rel=next");
        assert_eq!(target(nav("prev")), prev, "{path} nav prev");
        assert_eq!(target(nav("next")), next, "{path} nav next");
        let current = page.texts("nav.pagination a[aria-current=\"page\"]");
        assert_eq!(current, [format!("Page {}", n + 1)]);
    }
    // Every article once, newest first.
    let mut expected: Vec<(u32, String)> = (0..120).map(|i| (i / 10, format!("s{i:03}"))).collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let expected: Vec<String> = expected
        .into_iter()
        .map(|(_, slug)| format!("Story {}", slug[1..].parse::<u32>().unwrap()))
        .collect();
    assert_eq!(seen, expected);
    // A short tag has one page and no navigation.
    assert!(
        t.html("tags/war/page/3/index.html")
            .select("nav.pagination")
            .len()
            == 1
    );
}

#[test]
fn the_archive_reaches_every_article_by_year_and_month() {
    let t = SiteTest::new();
    t.file(
        "site.toml",
        format!(
            "{}paginate_by = 50\n[paginate_by_kind]\narchive = 2\n",
            crate::site_test::SITE_TOML
        ),
    );
    let dates = [
        "2024-12-30",
        "2025-01-05",
        "2025-01-20",
        "2025-01-21",
        "2025-03-02",
    ];
    for (i, date) in dates.iter().enumerate() {
        t.article(
            &format!("s{i}"),
            &format!("title: Story {i}\ndate: {date}"),
            "Text.\n",
        );
    }
    t.build();
    // The footer of every page leads to the archive.
    let front = t.html("index.html");
    assert_eq!(front.attrs("footer a[href=\"archive/\"]", "href").len(), 1);
    let index = t.html("archive/index.html");
    assert_eq!(
        index.texts(".periods > li > a"),
        ["2025", "2024"],
        "years, newest first"
    );
    assert_eq!(
        index.texts(".periods li li a"),
        ["March 2025", "January 2025", "December 2024"]
    );
    assert_eq!(index.texts(".periods li li .count")[1], "(3)");
    // January 2025 has three stories: two pages of two.
    let jan = t.html("archive/2025/01/index.html");
    assert_eq!(jan.texts(".article-card h2"), ["Story 3", "Story 2"]);
    assert!(jan.texts("title").join("").starts_with("January 2025"));
    let page2 = t.html("archive/2025/01/page/2/index.html");
    assert_eq!(page2.texts(".article-card h2"), ["Story 1"]);
    assert!(
        page2
            .texts("title")
            .join("")
            .starts_with("January 2025, page 2 of 2")
    );
    // The year page leads to its months and lists its stories by pages too.
    let year = t.html("archive/2025/index.html");
    assert_eq!(year.texts(".periods a"), ["March 2025", "January 2025"]);
    assert_eq!(year.texts(".article-card h2"), ["Story 4", "Story 3"]);
    assert!(t.exists("archive/2025/page/2/index.html"));
    assert!(!t.exists("archive/2025/page/3/index.html"));
    // Every article is on exactly one month page.
    let mut seen = Vec::new();
    for path in [
        "archive/2024/12/index.html",
        "archive/2025/01/index.html",
        "archive/2025/01/page/2/index.html",
        "archive/2025/03/index.html",
    ] {
        seen.extend(t.html(path).texts(".article-card h2"));
    }
    seen.sort();
    assert_eq!(
        seen,
        ["Story 0", "Story 1", "Story 2", "Story 3", "Story 4"]
    );
    // The sitemap names the archive's periods.
    let sitemap = t.read("sitemap.xml");
    assert!(sitemap.contains("https://example.org/explainers/archive/2025/01/"));
}

#[test]
fn an_entity_page_lists_its_mentions_newest_first_by_pages() {
    let t = SiteTest::with_registries();
    t.file(
        "site.toml",
        format!(
            "{}[paginate_by_kind]\nentities = 3\n",
            crate::site_test::SITE_TOML
        ),
    );
    for i in 0..7 {
        t.article(
            &format!("m{i}"),
            &format!("title: Mention {i}\ndate: 2025-11-{:02}", i + 1),
            "Putin spoke.\n",
        );
    }
    t.build();
    let first = t.html("entities/vladimir-putin/index.html");
    assert!(text(&first.one("#mentions-title")).contains("(7; page 1 of 3)"));
    assert_eq!(
        first.texts(".mentions > li > a"),
        ["Mention 6", "Mention 5", "Mention 4"]
    );
    // Structured data lists the page's own mentions.
    let ld: serde_json::Value = serde_json::from_str(
        &first
            .one("script[type=\"application/ld+json\"]")
            .inner_html(),
    )
    .unwrap();
    assert_eq!(ld["subjectOf"].as_array().unwrap().len(), 3);
    let mut seen = Vec::new();
    for (n, path) in [
        "entities/vladimir-putin/index.html",
        "entities/vladimir-putin/page/2/index.html",
        "entities/vladimir-putin/page/3/index.html",
    ]
    .iter()
    .enumerate()
    {
        let page = t.html(path);
        if n > 0 {
            assert!(
                page.texts("title")
                    .join("")
                    .starts_with(&format!("Vladimir Putin, page {}", n + 1))
            );
            // Later pages list older mentions only: no description or related list again.
            assert!(page.select(".description").is_empty());
        }
        // Every link lands on a page that exists, from one folder deeper or not.
        for href in page.attrs(".mentions a, nav.pagination a, .site-nav a", "href") {
            let (target, _) = crate::site_test::resolve_href(path, &href);
            assert!(t.exists(&target), "{path}: {href} -> {target}");
        }
        seen.extend(page.texts(".mentions > li > a"));
    }
    assert_eq!(
        seen,
        (0..7)
            .rev()
            .map(|i| format!("Mention {i}"))
            .collect::<Vec<_>>()
    );
}

/// A site whose glossary, timeline and entity index outgrow a page of three: seven terms over
/// four letters, eight entities, eight events over two years, and one term ("ceasefire") used
/// in more articles than a glossary entry names.
fn long_lists() -> SiteTest {
    let t = SiteTest::new();
    t.file(
        "site.toml",
        format!(
            "{}[paginate_by_kind]\nglossary = 3\ntimeline = 3\nentity_index = 3\ntags = 4\n",
            crate::site_test::SITE_TOML
        ),
    );
    let mut glossary = String::new();
    for term in [
        "ceasefire",
        "coalition",
        "corridor",
        "envoy",
        "embargo",
        "sanctions",
        "300 days",
    ] {
        let id = term.replace(' ', "-");
        glossary.push_str(&format!(
            "{id}:\n  term: {term}\n  definition: \"The {term}.\"\n"
        ));
    }
    t.file("content/glossary.yaml", glossary);
    let mut entities = String::new();
    for (id, name, kind) in [
        ("ann", "Ann Able", "person"),
        ("bob", "Bob Baker", "person"),
        ("cy", "Cy Cole", "person"),
        ("dee", "Dee Dale", "person"),
        ("un", "United Nations", "organisation"),
        ("eu", "European Union", "organisation"),
        ("kyiv", "Kyiv", "place"),
        ("oslo", "Oslo", "place"),
    ] {
        entities.push_str(&format!("{id}:\n  name: {name}\n  kind: {kind}\n"));
    }
    t.file("content/entities.yaml", entities);
    for i in 0..8 {
        t.article(
            &format!("a{i}"),
            &format!(
                "title: Story {i}\ndate: 2025-11-{:02}\ntimeline:\n  - {{ date: {}-0{}-01, text: Event {i}. }}",
                i + 1,
                if i < 3 { 2024 } else { 2025 },
                i + 1
            ),
            "A ceasefire was near, said Ann Able. An envoy went to Oslo.\n",
        );
    }
    t
}

#[test]
fn a_long_glossary_is_cut_by_letter_and_every_term_is_reachable() {
    let t = long_lists();
    t.build();
    let index = t.html("glossary/index.html");
    assert_eq!(index.texts("nav.letters a"), ["#", "C", "E", "S"]);
    // The index names every term under its own id, linking to its letter's page.
    let hrefs = index.attrs(".term-index a", "href");
    assert_eq!(hrefs.len(), 7);
    for (id, href) in index.attrs(".term-index li", "id").iter().zip(&hrefs) {
        let (page, fragment) = crate::site_test::resolve_href("glossary/index.html", href);
        assert_eq!(fragment.as_deref(), Some(id.as_str()));
        let letter = t.html(&page);
        assert!(letter.has_id(id), "{page} has no #{id}");
        assert_eq!(
            letter.attrs("dt", "id").iter().filter(|d| *d == id).count(),
            1
        );
    }
    let c = t.html("glossary/c/index.html");
    assert_eq!(
        c.attrs("dl.glossary dt", "id"),
        ["ceasefire", "coalition", "corridor"]
    );
    assert!(c.texts("title").join("").starts_with("Glossary: C"));
    assert_eq!(
        c.attrs("nav.letters a[aria-current]", "href"),
        ["../../glossary/c/"]
    );
    assert_eq!(
        t.html("glossary/other/index.html").attrs("dt", "id"),
        ["300-days"]
    );
    // Articles link each term straight to its definition.
    let article = t.html("articles/a0/index.html");
    let term_links = article.attrs("a.term", "href");
    assert!(
        term_links.contains(&"../../glossary/c/#ceasefire".to_string()),
        "{term_links:?}"
    );
    assert!(
        term_links.contains(&"../../glossary/e/#envoy".to_string()),
        "{term_links:?}"
    );
    // "ceasefire" is used in eight articles: its entry names the newest five and links to its
    // own page, which lists all eight by pages of four (`tags`).
    assert_eq!(
        c.texts("#ceasefire + dd .used-in a"),
        [
            "Story 7",
            "Story 6",
            "Story 5",
            "Story 4",
            "Story 3",
            "all 8 explainers"
        ]
    );
    assert_eq!(
        c.attrs("#coalition + dd .used-in a", "href"),
        Vec::<String>::new(),
        "an unused term names no article"
    );
    let term = t.html("glossary/terms/ceasefire/index.html");
    assert_eq!(term.texts("h1"), ["ceasefire"]);
    assert_eq!(
        term.texts(".article-card h3"),
        ["Story 7", "Story 6", "Story 5", "Story 4"]
    );
    let page2 = t.html("glossary/terms/ceasefire/page/2/index.html");
    assert_eq!(
        page2.texts(".article-card h3"),
        ["Story 3", "Story 2", "Story 1", "Story 0"]
    );
    assert!(!t.exists("glossary/terms/coalition/index.html"));
    // Structured data: each letter page's terms, with their URLs.
    let ld: serde_json::Value =
        serde_json::from_str(&c.one("script[type=\"application/ld+json\"]").inner_html()).unwrap();
    assert_eq!(ld["hasDefinedTerm"].as_array().unwrap().len(), 3);
    assert_eq!(
        ld["hasDefinedTerm"][0]["url"],
        "https://example.org/explainers/glossary/c/#ceasefire"
    );
    let sitemap = t.read("sitemap.xml");
    for loc in ["glossary/c/", "glossary/terms/ceasefire/", "timeline/2024/"] {
        assert!(
            sitemap.contains(&format!("https://example.org/explainers/{loc}<")),
            "{loc}"
        );
    }
}

#[test]
fn a_long_timeline_is_cut_by_year_and_pages() {
    let t = long_lists();
    t.build();
    let index = t.html("timeline/index.html");
    assert_eq!(index.texts("h2 a"), ["2024", "2025"]);
    assert_eq!(index.texts("h2 .count"), ["(3 events)", "(5 events)"]);
    assert!(index.select(".timeline li").is_empty());
    let mut seen = Vec::new();
    for path in [
        "timeline/2024/index.html",
        "timeline/2025/index.html",
        "timeline/2025/page/2/index.html",
    ] {
        let page = t.html(path);
        seen.extend(page.texts(".timeline li span"));
        for href in page.attrs(".timeline a, nav.pagination a", "href") {
            let (target, _) = crate::site_test::resolve_href(path, &href);
            assert!(t.exists(&target), "{path}: {href} -> {target}");
        }
    }
    assert!(!t.exists("timeline/2024/page/2/index.html"));
    assert_eq!(
        seen,
        (0..8).map(|i| format!("Event {i}.")).collect::<Vec<_>>(),
        "every event once, oldest first"
    );
    let page2 = t.html("timeline/2025/page/2/index.html");
    assert_eq!(
        page2.texts("nav.pagination a[rel=\"prev\"]"),
        ["Previous page"]
    );
}

#[test]
fn a_long_entity_index_pages_and_names_where_each_kind_starts() {
    let t = long_lists();
    t.build();
    let paths = [
        "entities/index.html",
        "entities/page/2/index.html",
        "entities/page/3/index.html",
    ];
    assert!(!t.exists("entities/page/4/index.html"));
    let mut seen = Vec::new();
    for path in paths {
        let page = t.html(path);
        seen.extend(page.texts(".entity-list a"));
        // The navigation between kinds lands on the heading of each kind.
        for href in page.attrs("nav.letters a", "href") {
            let (target, fragment) = crate::site_test::resolve_href(path, &href);
            let fragment = fragment.expect("a kind's anchor");
            assert!(t.html(&target).has_id(&fragment), "{path}: {href}");
        }
    }
    assert_eq!(
        seen,
        [
            "Ann Able",
            "Bob Baker",
            "Cy Cole",
            "Dee Dale",
            "European Union",
            "United Nations",
            "Kyiv",
            "Oslo"
        ]
    );
    let two = t.html("entities/page/2/index.html");
    assert_eq!(two.texts("h2"), ["People", "Organisations"]);
    assert!(
        two.texts("title")
            .join("")
            .starts_with("People, organisations and places, page 2 of 3")
    );
}
