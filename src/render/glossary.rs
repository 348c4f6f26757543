//! The glossary's pages. A small glossary is one page, `/glossary/`, A to Z. Past
//! `paginate_by_kind.glossary` terms it is cut by first letter: `/glossary/` becomes an index of
//! the terms' names and each letter gets `/glossary/a/` (letters are stable URLs, where numbered
//! pages would move a term whenever one is added before it). Each term shows the newest
//! [`USED_IN_SHOWN`] articles that use it; a term used more often links to its own page,
//! `/glossary/terms/<id>/`, listing them all, paginated like a topic.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Job, OutputFile, Renderer, context, escape, markdown, paginate, root_for, seo};
use crate::diagnostics::Diagnostic;
use crate::site::{Site, Term};

/// How many articles a glossary entry names before pointing to the term's own page.
pub const USED_IN_SHOWN: usize = 5;

/// Whether the glossary is cut into letter pages.
pub fn split(site: &Site) -> bool {
    site.terms.len() > site.config.paginate.glossary
}

/// A term's letter as shown ("A", "É", "#" for a term that starts with no letter) and as a
/// path segment and anchor ("a", "é", "other").
pub fn letter(term: &str) -> (String, String) {
    match term.chars().next().filter(|c| c.is_alphabetic()) {
        Some(c) => (c.to_uppercase().collect(), c.to_lowercase().collect()),
        None => ("#".into(), "other".into()),
    }
}

/// Where term `id`'s definition is, from the site root: `glossary/#id`, or
/// `glossary/<letter>/#id` once the glossary is cut by letter.
pub fn term_path(site: &Site, term: &Term) -> String {
    if split(site) {
        ["glossary/", &letter(&term.term).1, "/#", &term.id].concat()
    } else {
        ["glossary/#", &term.id].concat()
    }
}

/// [`term_path`] by id, for references that may name no term.
pub fn term_path_by_id(site: &Site, id: &str) -> String {
    match site.terms.get(id) {
        Some(t) => term_path(site, t),
        None => ["glossary/#", id].concat(),
    }
}

/// The path of term `id`'s own page.
pub fn term_page(id: &str) -> String {
    ["glossary/terms/", id, "/"].concat()
}

/// Whether a term has its own page: when the glossary cannot name all its articles.
pub fn has_page(term: &Term) -> bool {
    term.mentions.len() > USED_IN_SHOWN
}

/// The letters that have terms, each with its terms A to Z.
pub fn letters(site: &Site) -> Vec<(String, String, Vec<&Term>)> {
    let mut terms: Vec<&Term> = site.terms.values().collect();
    terms.sort_by_cached_key(|t| (t.term.to_lowercase(), t.id.clone()));
    let mut out: Vec<(String, String, Vec<&Term>)> = Vec::new();
    for t in terms {
        let (shown, anchor) = letter(&t.term);
        match out.last_mut() {
            Some((_, a, list)) if *a == anchor => list.push(t),
            _ => out.push((shown, anchor, vec![t])),
        }
    }
    out
}

/// The glossary's pages beyond `/glossary/`: letter pages when cut, and term pages.
pub(super) fn jobs<'a>(site: &'a Site) -> Vec<Job<'a>> {
    let mut jobs = vec![Job::Glossary];
    if split(site) {
        jobs.extend(
            letters(site)
                .into_iter()
                .map(|(_, anchor, _)| Job::GlossaryLetter(anchor)),
        );
    }
    let per = site.config.paginate.tags;
    for t in site.terms.values().filter(|t| has_page(t)) {
        for n in 1..=paginate::count(t.mentions.len(), per) {
            jobs.push(Job::Term(t.id.as_str(), n));
        }
    }
    jobs
}

/// Every file the glossary makes, for removing those an edit made go away.
pub fn paths(site: &Site) -> Vec<String> {
    jobs(site)
        .iter()
        .filter_map(|job| match job {
            Job::Glossary => Some("glossary/index.html".to_string()),
            Job::GlossaryLetter(anchor) => Some(["glossary/", anchor, "/index.html"].concat()),
            Job::Term(id, n) => Some(paginate::path(&term_page(id), *n) + "index.html"),
            _ => None,
        })
        .collect()
}

#[derive(Serialize)]
struct LetterLink<'a> {
    letter: &'a str,
    anchor: &'a str,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct TermEntry<'a> {
    id: &'a str,
    term: &'a str,
    aliases: &'a [String],
    /// The definition, on the page that shows it; the term's page in a split index.
    definition_html: Option<String>,
    url: String,
    articles: Vec<Value>,
    /// How many articles use the term, and its page when the entry cannot name them all.
    count: usize,
    more_url: Option<String>,
}

impl Renderer<'_> {
    /// One term as a glossary page shows it, with the newest articles that use it.
    fn term_entry<'t>(&self, t: &'t Term, root: &str, full: bool) -> TermEntry<'t> {
        let site = self.site;
        TermEntry {
            id: &t.id,
            term: &t.term,
            aliases: &t.aliases,
            definition_html: full
                .then(|| markdown::to_html(&t.definition, site, self.pieces.images(), root)),
            url: [root, &term_path(site, t)].concat(),
            articles: t
                .mentions
                .iter()
                .take(if full { USED_IN_SHOWN } else { 0 })
                .map(|m| {
                    let a = &site.articles[m.article()];
                    json!({"title": a.title, "url": format!("{root}articles/{}/", a.slug)})
                })
                .collect(),
            count: t.mentions.len(),
            more_url: has_page(t).then(|| [root, &term_page(&t.id)].concat()),
        }
    }

    /// `/glossary/` (the whole glossary, or when cut the index of its letters) or a letter's
    /// page.
    pub(super) fn glossary_page(&self, only: Option<&str>) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let split = split(site);
        let all = letters(site);
        let path = match only {
            Some(anchor) => ["glossary/", anchor, "/"].concat(),
            None => "glossary/".to_string(),
        };
        let root = root_for(&path);
        let shown = all
            .iter()
            .filter(|(_, anchor, _)| only.is_none_or(|o| o == anchor));
        let title = match shown.clone().next() {
            Some((letter, _, _)) if only.is_some() => {
                format!("{}: {letter}", self.strings.get("glossary"))
            }
            _ => self.strings.get("glossary").to_string(),
        };
        let mut ctx = self.context(
            &path,
            "glossary",
            &title,
            Some(self.strings.get("glossary_description")),
        );
        ctx.insert("heading", &title);
        let nav: Vec<LetterLink> = all
            .iter()
            .map(|(letter, anchor, _)| LetterLink {
                letter,
                anchor,
                url: if split {
                    [&root, "glossary/", anchor, "/"].concat()
                } else {
                    ["#letter-", anchor].concat()
                },
                current: only == Some(anchor.as_str()),
            })
            .collect();
        ctx.insert("nav", &nav);
        // A split index names every term, each under its own id so that `glossary/#id` links
        // still land on it, and links to its definition.
        let full = !split || only.is_some();
        let letters: Vec<Value> = shown
            .clone()
            .map(|(letter, anchor, terms)| {
                let terms: Vec<TermEntry> = terms
                    .iter()
                    .map(|t| self.term_entry(t, &root, full))
                    .collect();
                json!({"letter": letter, "anchor": anchor, "terms": terms})
            })
            .collect();
        ctx.insert("letters", &letters);
        ctx.insert("split_index", &(split && only.is_none()));
        if full {
            let definitions = shown
                .clone()
                .flat_map(|(_, _, terms)| terms.iter().map(|t| &t.definition));
            ctx.insert("preview_data", &self.preview_data(definitions, &root, None));
            let terms: Vec<&Term> = shown
                .flat_map(|(_, _, terms)| terms.iter().copied())
                .collect();
            ctx.insert(
                "json_ld",
                &escape::script_json(&seo::glossary_json(site, &terms)),
            );
        }
        self.page(&path, "glossary.html", &ctx)
    }

    /// Page `number` of the articles that use term `id`.
    pub(super) fn term_page(&self, id: &str, number: usize) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let term = &site.terms[id];
        let base = term_page(id);
        let path = paginate::path(&base, number);
        let root = root_for(&path);
        let per = site.config.paginate.tags;
        let total = paginate::count(term.mentions.len(), per);
        let pager = paginate::Pager::new(&base, number, total, &root);
        let mut ctx = self.context(
            &path,
            "term",
            &pager.title(&term.term, self.strings),
            Some(&term.definition_text),
        );
        if total > 1 {
            ctx.insert("pager", &pager);
        }
        let mut entry = self.term_entry(term, &root, true);
        entry.articles.clear();
        if number > 1 {
            entry.definition_html = None;
        } else {
            ctx.insert(
                "preview_data",
                &self.preview_data(std::iter::once(&term.definition), &root, None),
            );
        }
        ctx.insert("term", &entry);
        let list: Vec<context::Summary> = term.mentions
            [paginate::range(number, per, term.mentions.len())]
        .iter()
        .map(|m| self.article_summary(&site.articles[m.article()], &root))
        .collect();
        ctx.insert("articles", &list);
        ctx.insert("count", &term.mentions.len());
        self.page(&path, "term.html", &ctx)
    }
}
