//! The link check: every link written in an article or page that points inside the site must
//! land on a page gloss writes, and a `#fragment` on an element that exists. Plain `http:` links
//! are flagged, since readers' browsers warn about them.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::site::{Article, Link, Page, Site, Term};

/// What is at a site path, for fragment checks.
enum Anchors<'a> {
    /// The ids are known: a `#fragment` must be one of them.
    Known(&'a crate::site::Anchors),
    /// The glossary: one entry per term, with the term's id.
    Terms(&'a crate::site::Registry<Term>),
    /// A generated page whose ids are the theme's business: any fragment is accepted.
    Any,
}

impl Anchors<'_> {
    fn contains(&self, id: &str) -> bool {
        match self {
            Anchors::Known(ids) => ids.contains(id),
            Anchors::Terms(terms) => terms.contains_key(id),
            Anchors::Any => true,
        }
    }
}

/// Lists pages with fixed paths that any fragment may target.
const LISTS: [&str; 6] = [
    "",
    "entities/",
    "timeline/",
    "tags/",
    "corrections/",
    "archive/",
];

/// Every page of a site a link may land on. Looks paths up in the site itself, so that
/// `gloss serve` can check one edited article without listing the whole site first.
pub struct Targets<'a> {
    site: &'a Site,
    /// Other paths the output holds (`static/style.css`, `atom.xml`).
    files: &'a BTreeSet<String>,
    articles: FxHashMap<&'a str, &'a crate::site::Anchors>,
    pages: FxHashMap<&'a str, &'a crate::site::Anchors>,
}

impl<'a> Targets<'a> {
    pub fn new(site: &'a Site, files: &'a BTreeSet<String>) -> Targets<'a> {
        Targets {
            site,
            files,
            articles: site
                .articles
                .iter()
                .map(|a| (a.slug.as_str(), &a.anchors))
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| (p.slug.as_str(), &p.anchors))
                .collect(),
        }
    }

    /// Problems with the links written in an article.
    pub fn article(&self, article: &Article) -> Vec<Diagnostic> {
        let from = format!("articles/{}/", article.slug);
        self.links(&from, &article.links)
    }

    /// Problems with the links written in a plain page.
    pub fn page(&self, page: &Page) -> Vec<Diagnostic> {
        let from = format!("{}/", page.slug);
        self.links(&from, &page.links)
    }

    fn links(&self, from: &str, links: &[Link]) -> Vec<Diagnostic> {
        links
            .iter()
            .filter_map(|link| self.check_one(from, link))
            .collect()
    }

    /// The page at `path` (`articles/x/`), if the site has one.
    fn anchors(&self, path: &str) -> Option<Anchors<'a>> {
        if LISTS.contains(&path) {
            return Some(Anchors::Any);
        }
        if path == "glossary/" {
            return Some(Anchors::Terms(&self.site.terms));
        }
        // Pages of lists cut by letter, year, date or number: whether one exists depends on
        // settings applied when rendering, so any is taken.
        if ["glossary/", "timeline/", "archive/", "entities/page/"]
            .iter()
            .any(|list| path.starts_with(list))
        {
            return Some(Anchors::Any);
        }
        let path = path.strip_suffix('/')?;
        let nested = |prefix: &str| {
            path.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .filter(|rest| !rest.is_empty() && !rest.contains('/'))
        };
        if let Some(slug) = nested("articles") {
            return self.articles.get(slug).map(|ids| Anchors::Known(ids));
        }
        if let Some(id) = nested("entities") {
            return self.site.entities.contains_key(id).then_some(Anchors::Any);
        }
        if let Some(slug) = nested("tags") {
            return self.site.tags.contains_key(slug).then_some(Anchors::Any);
        }
        self.pages.get(path).map(|ids| Anchors::Known(ids))
    }

    /// Every page path, for suggestions.
    fn all_paths(&self) -> Vec<String> {
        let site = self.site;
        let mut paths: Vec<String> = LISTS.iter().map(|p| p.to_string()).collect();
        paths.push("glossary/".into());
        paths.extend(
            site.articles
                .iter()
                .map(|a| format!("articles/{}/", a.slug)),
        );
        paths.extend(site.pages.iter().map(|p| format!("{}/", p.slug)));
        paths.extend(site.entities.keys().map(|id| format!("entities/{id}/")));
        paths.extend(site.tags.keys().map(|slug| format!("tags/{slug}/")));
        paths.sort();
        paths
    }

    fn check_one(&self, from: &str, link: &Link) -> Option<Diagnostic> {
        let dest = link.dest.trim();
        if dest.starts_with("http://") {
            return Some(
                Diagnostic::warning(
                    "gloss::insecure-link",
                    format!("link to `{dest}` uses http:"),
                )
                .at(link.location.clone())
                .help("use https:// if the site supports it"),
            );
        }
        if dest.starts_with("//") || has_scheme(dest) {
            return None; // https:, mailto:, tel: and other sites are not ours to check
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let target = if path.is_empty() {
            Some(from.to_string())
        } else {
            join(from, path)
        };
        let broken = |message: String, help: String| {
            Some(
                Diagnostic::error("gloss::broken-link", message)
                    .at(link.location.clone())
                    .label("does not land")
                    .help(help),
            )
        };
        let Some(target) = target else {
            return broken(
                format!("link `{dest}` leaves the site"),
                "link to a page of this site, such as /articles/<slug>/".into(),
            );
        };
        let page_path = if target.is_empty() || target.ends_with('/') {
            target.clone()
        } else if let Some(dir) = target.strip_suffix("index.html") {
            dir.to_string()
        } else if self.files.contains(&target) {
            return None;
        } else {
            format!("{target}/")
        };
        let Some(anchors) = self.anchors(&page_path) else {
            let paths = self.all_paths();
            let help = match did_you_mean(&page_path, paths.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `/{s}`?"),
                None => {
                    "articles are at /articles/<slug>/, entities at /entities/<id>/".to_string()
                }
            };
            return broken(
                format!("link `{dest}` points to a page that does not exist"),
                help,
            );
        };
        match fragment {
            Some(id) if !id.is_empty() && !anchors.contains(id) => broken(
                format!("link `{dest}`: `#{id}` is not on that page"),
                "use a heading's id (its text in lowercase, words joined by -) or a paragraph id such as #p-3".into(),
            ),
            _ => None,
        }
    }
}

/// Checks the links of every article and page. `files` are the other paths the output holds
/// (`static/style.css`, `atom.xml`).
pub fn check(site: &Site, files: &BTreeSet<String>, diags: &mut Diagnostics) {
    let targets = Targets::new(site, files);
    for a in &site.articles {
        diags.extend(targets.article(a));
    }
    for p in &site.pages {
        diags.extend(targets.page(p));
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Resolves `path` against the page at `from` (`articles/x/`); `/`-rooted paths start at the
/// site root. `None` when the path climbs out of the site.
fn join(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        from.split('/').filter(|p| !p.is_empty()).collect()
    };
    let trailing = path.ends_with('/');
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_and_rooted_paths() {
        assert_eq!(
            join("articles/a/", "/articles/b/").as_deref(),
            Some("articles/b/")
        );
        assert_eq!(join("articles/a/", "../b/").as_deref(), Some("articles/b/"));
        assert_eq!(
            join("articles/a/", "../../glossary/").as_deref(),
            Some("glossary/")
        );
        assert_eq!(join("articles/a/", "/").as_deref(), Some(""));
        assert_eq!(join("articles/a/", "../../../x"), None);
    }

    #[test]
    fn schemes_are_external() {
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b.c"));
        assert!(!has_scheme("/articles/x/"));
        assert!(!has_scheme("../a:b/"));
    }
}
