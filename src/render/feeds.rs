//! atom.xml, sitemap.xml and robots.txt, written directly: their formats are fixed, so there
//! is nothing for a template to vary.

use std::fmt::Write;

use super::OutputFile;
use super::escape::escape_xml;
use crate::site::Site;

/// The Atom feed of every published article, newest first, with full content. Relative links
/// in the content resolve against each entry's URL through `xml:base`.
pub fn atom(site: &Site, bodies: &[String]) -> OutputFile {
    let base = &site.config.base_url;
    let updated = site
        .articles
        .iter()
        .map(|a| a.modified)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_xml(&site.config.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", escape_xml(&site.config.title));
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
        escape_xml(&base.join("atom.xml"))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_xml(base.as_str())
    );
    let _ = writeln!(x, "  <id>{}</id>", escape_xml(base.as_str()));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        escape_xml(&site.config.publisher)
    );
    let _ = writeln!(x, "  <generator>gloss</generator>");
    for (article, body) in site.articles.iter().zip(bodies).filter(|(a, _)| !a.draft) {
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
        let _ = writeln!(
            x,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            escape_xml(&url),
            escape_xml(body)
        );
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    OutputFile::new("atom.xml", x)
}

/// Every page, absolute URLs, `lastmod` where a date is known.
pub fn sitemap(site: &Site, paths: &[(String, Option<String>)]) -> OutputFile {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in paths {
        let _ = write!(
            x,
            "  <url><loc>{}</loc>",
            escape_xml(&site.config.base_url.join(path))
        );
        if let Some(lastmod) = lastmod {
            let _ = write!(x, "<lastmod>{lastmod}</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    OutputFile::new("sitemap.xml", x)
}

pub fn robots(site: &Site) -> OutputFile {
    OutputFile::new(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.config.base_url.join("sitemap.xml")
        ),
    )
}
