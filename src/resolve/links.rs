//! The link check: every link written in an article or page that points inside the site must
//! land on a page gloss writes, and a `#fragment` on an element that exists. Plain `http:` links
//! are flagged, since readers' browsers warn about them.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::site::{Link, Site};

/// What is at a site path, for fragment checks.
enum Anchors<'a> {
    /// The ids are known: a `#fragment` must be one of them.
    Known(&'a BTreeSet<String>),
    Owned(BTreeSet<String>),
    /// A generated page whose ids are the theme's business: any fragment is accepted.
    Any,
}

impl Anchors<'_> {
    fn contains(&self, id: &str) -> bool {
        match self {
            Anchors::Known(ids) => ids.contains(id),
            Anchors::Owned(ids) => ids.contains(id),
            Anchors::Any => true,
        }
    }
}

/// Checks the links of every article and page. `files` are the other paths the output holds
/// (`static/style.css`, `atom.xml`).
pub fn check(site: &Site, files: &BTreeSet<String>, diags: &mut Diagnostics) {
    let mut pages: BTreeMap<String, Anchors> = BTreeMap::new();
    for a in &site.articles {
        pages.insert(format!("articles/{}/", a.slug), Anchors::Known(&a.anchors));
    }
    for p in &site.pages {
        pages.insert(format!("{}/", p.slug), Anchors::Known(&p.anchors));
    }
    for id in site.entities.keys() {
        pages.insert(format!("entities/{id}/"), Anchors::Any);
    }
    for slug in site.tags.keys() {
        pages.insert(format!("tags/{slug}/"), Anchors::Any);
    }
    pages.insert(
        "glossary/".into(),
        Anchors::Owned(site.terms.keys().cloned().collect()),
    );
    for path in ["", "entities/", "timeline/", "tags/", "corrections/"] {
        pages.insert(path.into(), Anchors::Any);
    }

    let sources = site
        .articles
        .iter()
        .map(|a| (format!("articles/{}/", a.slug), &a.links))
        .chain(
            site.pages
                .iter()
                .map(|p| (format!("{}/", p.slug), &p.links)),
        );
    for (from, links) in sources {
        for link in links {
            if let Some(d) = check_one(&from, link, &pages, files) {
                diags.push(d);
            }
        }
    }
}

fn check_one(
    from: &str,
    link: &Link,
    pages: &BTreeMap<String, Anchors>,
    files: &BTreeSet<String>,
) -> Option<Diagnostic> {
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
    } else if files.contains(&target) {
        return None;
    } else {
        format!("{target}/")
    };
    let Some(anchors) = pages.get(&page_path) else {
        let known = pages.keys().map(String::as_str);
        let help = match did_you_mean(&page_path, known) {
            Some(s) => format!("did you mean `/{s}`?"),
            None => "articles are at /articles/<slug>/, entities at /entities/<id>/".to_string(),
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
