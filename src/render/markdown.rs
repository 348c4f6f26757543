//! [`Doc`] → HTML: pulldown-cmark's writer for the Markdown, gloss's own markup for entity and
//! term references and anchored paragraphs, and syntect classes for code.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;

use super::escape::{escape_attr, escape_html};
use crate::site::{Block, Doc, Node, Ref, Site};

/// Class names of highlighted code carry this prefix, so they cannot clash with the theme's.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Renders `doc` for a page whose links to the site root start with `root` (`../../` on an
/// article page), so the HTML works under any base URL and sub-path.
pub fn to_html(doc: &Doc, site: &Site, root: &str) -> String {
    let mut events: Vec<Event> = Vec::with_capacity(doc.nodes.len());
    let mut code: Option<(String, String)> = None; // (language, text)
    for node in &doc.nodes {
        match node {
            Node::Md(Event::Start(Tag::CodeBlock(kind))) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Node::Md(Event::Text(text)) if code.is_some() => {
                if let Some((_, buf)) = &mut code {
                    buf.push_str(text);
                }
            }
            Node::Md(Event::End(TagEnd::CodeBlock)) => {
                if let Some((lang, text)) = code.take() {
                    events.push(Event::Html(highlight(&lang, &text).into()));
                }
            }
            Node::Md(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })) => {
                events.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: rebase(dest_url, root),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Node::Md(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })) => {
                events.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: rebase(dest_url, root),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Node::Md(event) => events.push(borrowed(event)),
            Node::AnchoredStart { block, id } => {
                let tag = match block {
                    Block::Paragraph => "p",
                    Block::Item => "li",
                };
                events.push(Event::Html(format!("<{tag} id=\"{id}\">").into()));
            }
            Node::RefStart(target) => {
                events.push(Event::InlineHtml(ref_open(target, site, root).into()))
            }
            Node::RefEnd => events.push(Event::InlineHtml("</a>".into())),
        }
    }
    let mut html = String::with_capacity(events.len() * 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// A view of a stored event that borrows its text instead of copying it.
fn borrowed<'a>(event: &'a Event<'static>) -> Event<'a> {
    fn b<'a>(s: &'a CowStr<'static>) -> CowStr<'a> {
        CowStr::Borrowed(s.as_ref())
    }
    match event {
        Event::Text(s) => Event::Text(b(s)),
        Event::Code(s) => Event::Code(b(s)),
        Event::Html(s) => Event::Html(b(s)),
        Event::InlineHtml(s) => Event::InlineHtml(b(s)),
        Event::FootnoteReference(s) => Event::FootnoteReference(b(s)),
        other => other.clone(),
    }
}

/// Adds every entity and term `doc` links to into `refs`.
pub fn collect_refs<'a>(doc: &'a Doc, refs: &mut std::collections::BTreeSet<&'a Ref>) {
    for node in &doc.nodes {
        if let Node::RefStart(r) = node {
            refs.insert(r);
        }
    }
}

/// The opening `<a>` of an entity or term reference. A term carries its definition in `title`
/// so that it reads without JavaScript.
pub fn ref_open(target: &Ref, site: &Site, root: &str) -> String {
    match target {
        Ref::Entity(id) => {
            let kind = site.entities.get(id).map_or("other", |e| e.kind.as_str());
            format!(
                "<a class=\"entity entity-{kind}\" href=\"{root}entities/{id}/\" data-entity=\"{id}\">",
                id = escape_attr(id)
            )
        }
        Ref::Term(id) => {
            let title = site
                .terms
                .get(id)
                .map_or("", |t| t.definition_text.as_str());
            format!(
                "<a class=\"term\" href=\"{root}glossary/#{id}\" data-term=\"{id}\" title=\"{title}\">",
                id = escape_attr(id),
                title = escape_attr(title)
            )
        }
    }
}

/// Links written relative to the site root (`/articles/x/`) are made relative to the page, so
/// they land under any sub-path.
fn rebase<'a>(url: &CowStr<'a>, root: &str) -> CowStr<'a> {
    match url.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => format!("{root}{rest}").into(),
        _ => url.clone(),
    }
}

/// Highlighted code as `<pre><code>` with syntect classes; unknown languages stay plain.
fn highlight(lang: &str, code: &str) -> String {
    let syntax = (!lang.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(lang))
        .flatten();
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_attr(lang))
    };
    let Some(syntax) = syntax else {
        return format!(
            "<pre class=\"code\"><code{lang_class}>{}</code></pre>\n",
            escape_html(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in syntect::util::LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\"><code{lang_class}>{}</code></pre>\n",
                escape_html(code)
            );
        }
    }
    format!(
        "<pre class=\"code hl\"><code{lang_class}>{}</code></pre>\n",
        generator.finalize()
    )
}

/// The stylesheet for highlighted code, generated from a syntect theme.
pub fn highlight_css(theme_name: &str) -> Result<String, String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = themes.themes.get(theme_name).ok_or_else(|| {
        let names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
        format!(
            "unknown highlight_theme `{theme_name}`; available: {}",
            names.join(", ")
        )
    })?;
    let css = syntect::html::css_for_theme_with_class_style(theme, CLASS_STYLE)
        .map_err(|e| e.to_string())?;
    Ok(compact_css(&css))
}

/// Drops comments and layout whitespace from generated CSS: it is never edited by hand, and it
/// is half the theme's weight.
fn compact_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let mut compact = String::with_capacity(out.len());
    for line in out.lines().map(str::trim).filter(|l| !l.is_empty()) {
        compact.push_str(line);
        if line.ends_with('}') {
            compact.push('\n');
        }
    }
    compact
}
