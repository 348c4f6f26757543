//! atom.xml, sitemap.xml and robots.txt, written directly: their formats are fixed, so there
//! is nothing for a template to vary.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::OutputFile;
use super::escape::{escape_xml, push_xml};
use crate::site::Site;

/// The site's Atom feed: every published article, newest first, with full content.
pub fn atom(site: &Site, bodies: &BTreeMap<usize, String>) -> OutputFile {
    let all: Vec<usize> = (0..site.articles.len()).collect();
    let xml = atom_feed(site, bodies, &all, &site.config.title, "atom.xml", "");
    OutputFile::new("atom.xml", xml)
}

/// One feed per tag, at `tags/<slug>/atom.xml`.
pub fn tag_feeds(site: &Site, bodies: &BTreeMap<usize, String>) -> Vec<OutputFile> {
    site.tags
        .iter()
        .map(|(slug, tag)| {
            let path = format!("tags/{slug}/atom.xml");
            let title = format!("{}: {}", site.config.title, tag.name);
            let xml = atom_feed(
                site,
                bodies,
                &tag.articles,
                &title,
                &path,
                &format!("tags/{slug}/"),
            );
            OutputFile::new(path, xml)
        })
        .collect()
}

/// An Atom 1.0 feed of `articles` (indexes into the site's, newest first). Entry ids are the
/// articles' URLs, which never change; relative links in the content resolve against each
/// entry's URL through `xml:base`.
fn atom_feed(
    site: &Site,
    bodies: &BTreeMap<usize, String>,
    articles: &[usize],
    title: &str,
    self_path: &str,
    page: &str,
) -> String {
    let base = &site.config.base_url;
    let entries = entries(site, articles);
    let updated = entries
        .iter()
        .map(|&i| site.articles[i].modified)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    // Made to size and escaped in place: a feed carries its articles' whole HTML (800 KB at 50
    // entries of the benchmark corpus); grown by doubling, with a copy of each body escaped,
    // the feeds raised a 1,000-article build's peak memory by a tenth.
    let room: usize = entries.iter().map(|i| bodies[i].len() * 9 / 8 + 1024).sum();
    let mut x = String::with_capacity(room + 1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_xml(&site.config.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", escape_xml(title));
    if !site.config.description.is_empty() {
        let _ = writeln!(
            x,
            "  <subtitle>{}</subtitle>",
            escape_xml(&site.config.description)
        );
    }
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape_xml(&base.join(self_path))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_xml(&base.join(page))
    );
    let _ = writeln!(x, "  <id>{}</id>", escape_xml(&base.join(self_path)));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        escape_xml(&site.config.publisher)
    );
    let _ = writeln!(x, "  <generator>gloss</generator>");
    for i in entries {
        let article = &site.articles[i];
        let url = base.join(&format!("articles/{}/", article.slug));
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", escape_xml(&article.title));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape_xml(&url)
        );
        let _ = writeln!(x, "    <id>{}</id>", escape_xml(&url));
        let _ = writeln!(x, "    <published>{}</published>", article.date.rfc3339());
        let _ = writeln!(x, "    <updated>{}</updated>", article.modified.rfc3339());
        for author in &article.authors {
            let _ = writeln!(
                x,
                "    <author><name>{}</name></author>",
                escape_xml(author)
            );
        }
        for (slug, name) in &article.tags {
            let _ = writeln!(
                x,
                "    <category term=\"{}\" label=\"{}\"/>",
                escape_xml(slug),
                escape_xml(name)
            );
        }
        let summary = article.dek.as_deref().unwrap_or(&article.summary);
        let _ = writeln!(x, "    <summary>{}</summary>", escape_xml(summary));
        let _ = write!(
            x,
            "    <content type=\"html\" xml:base=\"{}\">",
            escape_xml(&url)
        );
        push_xml(&mut x, &bodies[&i]);
        x.push_str("</content>\n");
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The articles a feed of `articles` carries: the newest `feed_limit` published ones (articles
/// come newest first).
fn entries(site: &Site, articles: &[usize]) -> Vec<usize> {
    articles
        .iter()
        .copied()
        .filter(|&i| !site.articles[i].draft)
        .take(site.config.feed_limit)
        .collect()
}

/// Every article some feed carries, so that only their bodies are rendered for the feeds.
pub fn feed_articles(site: &Site) -> BTreeSet<usize> {
    let all: Vec<usize> = (0..site.articles.len()).collect();
    let mut out: BTreeSet<usize> = entries(site, &all).into_iter().collect();
    for tag in site.tags.values() {
        out.extend(entries(site, &tag.articles));
    }
    out
}

/// Google News takes at most this many URLs from one news sitemap.
const NEWS_LIMIT: usize = 1000;

/// A Google News sitemap: articles published within two days of the newest one (Google's
/// window, counted from the content rather than the clock, so that a build is reproducible),
/// newest first, at most [`NEWS_LIMIT`].
pub fn news_sitemap(site: &Site) -> OutputFile {
    let published: Vec<_> = site.articles.iter().filter(|a| !a.draft).collect();
    let newest = published.iter().map(|a| a.date).max();
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
    // Articles are newest first.
    for a in published
        .iter()
        .filter(|a| newest.is_some_and(|n| a.date.days_until(n) <= 2))
        .take(NEWS_LIMIT)
    {
        let _ = writeln!(
            x,
            "  <url>\n    <loc>{}</loc>\n    <news:news>",
            escape_xml(&site.config.base_url.join(&format!("articles/{}/", a.slug)))
        );
        let _ = writeln!(
            x,
            "      <news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication>",
            escape_xml(&site.config.publisher),
            escape_xml(&site.config.language)
        );
        let _ = writeln!(
            x,
            "      <news:publication_date>{}</news:publication_date>",
            a.date.rfc3339()
        );
        let _ = writeln!(
            x,
            "      <news:title>{}</news:title>\n    </news:news>\n  </url>",
            escape_xml(&a.title)
        );
    }
    x.push_str("</urlset>\n");
    OutputFile::new("news-sitemap.xml", x)
}

/// Every page, absolute URLs, `lastmod` where a date is known: `sitemap.xml`, or, past
/// `sitemap_limit` URLs (the protocol allows 50,000 a file), a sitemap index at `sitemap.xml`
/// pointing at `sitemap1.xml`, `sitemap2.xml`… of at most that many each, each listed with the
/// latest `lastmod` it holds.
pub fn sitemaps(site: &Site, paths: &[(String, Option<String>)]) -> Vec<OutputFile> {
    let limit = site.config.sitemap_limit;
    if paths.len() <= limit {
        return vec![urlset(site, "sitemap.xml", paths)];
    }
    let mut files = Vec::new();
    let mut index = String::new();
    index.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (i, part) in paths.chunks(limit).enumerate() {
        let name = format!("sitemap{}.xml", i + 1);
        let _ = write!(
            index,
            "  <sitemap><loc>{}</loc>",
            escape_xml(&site.config.base_url.join(&name))
        );
        // ISO dates compare as text.
        if let Some(lastmod) = part.iter().filter_map(|(_, l)| l.as_deref()).max() {
            let _ = write!(index, "<lastmod>{lastmod}</lastmod>");
        }
        index.push_str("</sitemap>\n");
        files.push(urlset(site, &name, part));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, OutputFile::new("sitemap.xml", index));
    files
}

fn urlset(site: &Site, name: &str, paths: &[(String, Option<String>)]) -> OutputFile {
    // About 100 bytes a URL; made to size, like the feeds.
    let mut x = String::with_capacity(256 + paths.len() * 112);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if site.config.multilingual() {
        x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    } else {
        x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    }
    for (path, lastmod) in paths {
        let _ = write!(
            x,
            "  <url><loc>{}</loc>",
            escape_xml(&site.config.base_url.join(path))
        );
        if let Some(lastmod) = lastmod {
            let _ = write!(x, "<lastmod>{lastmod}</lastmod>");
        }
        // Every version of the page, itself included, as search engines ask.
        if let Some((alternates, x_default)) = site.translations.of(path, &site.config.language) {
            for a in alternates
                .iter()
                .map(|a| (a.lang.as_str(), a.url.as_str()))
                .chain([("x-default", x_default.as_str())])
            {
                let _ = write!(
                    x,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape_xml(a.0),
                    escape_xml(a.1)
                );
            }
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    OutputFile::new(name, x)
}

pub fn robots(site: &Site) -> OutputFile {
    // Every language's sitemaps: each language has its own pair.
    let mut text = String::from("User-agent: *\nAllow: /\n\n");
    for lang in site.config.languages.iter() {
        let _ = writeln!(text, "Sitemap: {}", lang.base_url.join("sitemap.xml"));
        let _ = writeln!(text, "Sitemap: {}", lang.base_url.join("news-sitemap.xml"));
    }
    OutputFile::new("robots.txt", text)
}
