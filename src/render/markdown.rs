//! [`Doc`] → HTML: pulldown-cmark's writer for the Markdown, gloss's own markup for entity and
//! term references and anchored paragraphs, and syntect classes for code.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;

use super::escape::{escape_attr, escape_html, push_attr};
use super::fragments::{self, Fragments};
use super::images::{self, Loading};
use crate::images::Catalogue;
use crate::resolve::markdown::{HeadingIds, options};
use crate::site::{Doc, Mark, Ref, Site};

/// Class names of highlighted code carry this prefix, so they cannot clash with the theme's.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Renders `doc` for a page whose links to the site root start with `root` (`../../` on an
/// article page), so the HTML works under any base URL and sub-path.
///
/// The source is parsed again and resolve's decisions replayed: paragraph and heading ids come
/// from the same counters in the same order, auto-links from the recorded text runs.
pub fn to_html(doc: &Doc, site: &Site, images: &Catalogue, root: &str) -> String {
    write_html(doc, site, images, root, None)
}

/// [`to_html`] for a page at `fragments::ROOT` (articles, entity pages), with the opening
/// tags of references taken from `pieces`, made once per build: an article links 40-odd names,
/// and 10,000 articles link the same 5,000 entities.
pub fn to_html_with(doc: &Doc, site: &Site, pieces: &Fragments) -> String {
    write_html(doc, site, pieces.images(), fragments::ROOT, Some(pieces))
}

fn write_html<'e>(
    doc: &'e Doc,
    site: &Site,
    catalogue: &Catalogue,
    root: &str,
    pieces: Option<&'e Fragments<'_>>,
) -> String {
    // The opening tag of a reference, borrowed from the pieces when they have it.
    let open = |target: &Ref| -> CowStr<'e> {
        match pieces.and_then(|p| p.ref_open(target)) {
            Some(tag) => CowStr::Borrowed(tag),
            None => ref_open(target, site, root).into(),
        }
    };
    let source = doc.source();
    let mut parser = Parser::new_ext(source, options()).peekable();
    let mut events: Vec<Event> = Vec::with_capacity(source.len() / 24);
    let mut links = doc.links.iter().peekable();
    let mut run: u32 = 0;
    let mut blocks = 0usize;
    let mut heading_ids = HeadingIds::default();
    // (index of the heading's start event, its text so far), for headings without an id.
    let mut heading: Option<(usize, String)> = None;
    let mut code: Option<(String, String)> = None; // (language, text)
    // Per open link: Some(true) an entity/term link, Some(false) one to an unknown id (its
    // text stays, the link goes), None an ordinary link.
    let mut open_links: Vec<Option<bool>> = Vec::new();
    // Images in text order, as resolve listed them; the next one's index.
    let mut image_index = 0usize;
    // A paragraph that is one image, written as a figure: its closing tag is `</figure>`.
    let mut in_figure = false;
    while let Some(event) = parser.next() {
        match event {
            Event::Text(first) => {
                let mut text = first;
                while let Some(Event::Text(_)) = parser.peek() {
                    let Some(Event::Text(more)) = parser.next() else {
                        break;
                    };
                    text = CowStr::from(format!("{text}{more}"));
                }
                if let Some((_, h)) = &mut heading {
                    h.push_str(&text);
                }
                if let Some((_, buf)) = &mut code {
                    buf.push_str(&text);
                } else {
                    // Markup to insert at byte offsets of the run: closings before openings at
                    // one offset, a mark outside the auto-links it holds.
                    let mut cuts: Vec<(usize, u8, CowStr<'e>)> = Vec::new();
                    while let Some(link) = links.next_if(|l| l.run == run) {
                        let Some(target) = doc.refs.get(link.target as usize) else {
                            continue; // cannot happen: resolve noted every target
                        };
                        cuts.push((link.start as usize, 3, open(target)));
                        cuts.push((link.end as usize, 0, CowStr::Borrowed("</a>")));
                    }
                    for mark in &doc.marks {
                        if mark.run == run {
                            cuts.push((mark.start as usize, 2, mark_open(mark).into()));
                        }
                        if mark.end_run == run {
                            cuts.push((mark.end as usize, 1, mark_close(mark).into()));
                        }
                    }
                    if cuts.is_empty() {
                        events.push(Event::Text(text));
                    } else {
                        cuts.sort_by_key(|(at, rank, _)| (*at, *rank));
                        let mut last = 0;
                        for (at, _, html) in cuts {
                            if at < last || at > text.len() || !text.is_char_boundary(at) {
                                continue; // cannot happen for the source resolve saw; stay safe
                            }
                            if at > last {
                                events.push(Event::Text(piece(&text, last..at)));
                            }
                            events.push(Event::InlineHtml(html));
                            last = at;
                        }
                        if last < text.len() {
                            events.push(Event::Text(piece(&text, last..text.len())));
                        }
                    }
                }
                run += 1;
            }
            Event::Code(c) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(&c);
                }
                events.push(Event::Code(c));
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, h)) = &mut heading {
                    h.push(' ');
                }
                events.push(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    events.push(Event::Html(highlight(&lang, &text).into()));
                }
            }
            Event::Start(Tag::Paragraph) => {
                let figure = matches!(parser.peek(), Some(Event::Start(Tag::Image { .. })))
                    && processed(doc, catalogue, image_index).is_some_and(|(i, _)| i.standalone);
                if doc.anchors {
                    blocks += 1;
                }
                if figure {
                    in_figure = true;
                    // Opened with the figure's markup at the image's end.
                } else if doc.anchors {
                    events.push(Event::Html(block_open("p", blocks).into()));
                } else {
                    events.push(Event::Start(Tag::Paragraph));
                }
            }
            Event::End(TagEnd::Paragraph) if in_figure => in_figure = false,
            Event::Start(Tag::Item) if doc.anchors => {
                blocks += 1;
                events.push(Event::Html(block_open("li", blocks).into()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                if id.is_none() {
                    heading = Some((events.len(), String::new()));
                }
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, text)) = heading.take() {
                    let id = heading_ids.next(&text);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[at] {
                        *slot = Some(CowStr::from(id));
                    }
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match gloss_ref(&dest_url, site) {
                Some(target) => {
                    open_links.push(Some(true));
                    events.push(Event::InlineHtml(open(&target)));
                }
                None if dest_url.starts_with("entity:") || dest_url.starts_with("term:") => {
                    open_links.push(Some(false));
                }
                None => {
                    open_links.push(None);
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: rebase(&dest_url, root),
                        title,
                        id,
                    }));
                }
            },
            Event::End(TagEnd::Link) => match open_links.pop() {
                Some(Some(true)) => events.push(Event::InlineHtml("</a>".into())),
                Some(Some(false)) => {}
                _ => events.push(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let index = image_index;
                image_index += 1;
                let Some((image, p)) = processed(doc, catalogue, index) else {
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: rebase(&dest_url, root),
                        title,
                        id,
                    }));
                    continue;
                };
                // The alt text is the image's: skip it, counting its runs of text as resolve did.
                let mut depth = 1;
                let mut in_text = false;
                for inner in parser.by_ref() {
                    match inner {
                        Event::Start(Tag::Image { .. }) => depth += 1,
                        Event::End(TagEnd::Image) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    let text = matches!(inner, Event::Text(_));
                    if text && !in_text {
                        run += 1;
                    }
                    in_text = text;
                }
                let html = if in_figure {
                    let id = doc
                        .anchors
                        .then(|| ["p-", itoa::Buffer::new().format(blocks)].concat());
                    images::figure(
                        image,
                        p,
                        root,
                        images::BODY_SIZES,
                        Loading::Lazy,
                        "figure",
                        id.as_deref(),
                    )
                } else {
                    images::picture(image, p, root, images::BODY_SIZES, Loading::Lazy)
                };
                events.push(Event::Html(html.into()));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Image `index` of `doc` and its processed form, when gloss processed it.
fn processed<'a>(
    doc: &'a Doc,
    catalogue: &'a Catalogue,
    index: usize,
) -> Option<(&'a crate::site::Image, &'a crate::images::Processed)> {
    let image = doc.images.get(index)?.as_deref()?;
    Some((image, catalogue.get(image)?))
}

/// `<p id="p-N">`: concatenated, not `format!`ted, since every paragraph of every article has
/// one.
fn block_open(tag: &str, n: usize) -> String {
    ["<", tag, " id=\"p-", itoa::Buffer::new().format(n), "\">"].concat()
}

/// `text[range]`, without a copy when `text` borrows from the source.
fn piece<'a>(text: &CowStr<'a>, range: std::ops::Range<usize>) -> CowStr<'a> {
    match text {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[range]),
        other => CowStr::from(other[range].to_string()),
    }
}

/// The start of an annotated phrase.
fn mark_open(mark: &Mark) -> String {
    format!(
        "<mark class=\"annotated kind-{}\" id=\"anchor-{}\">",
        mark.kind.as_str(),
        mark.number
    )
}

/// The end of an annotated phrase and the reference to its note: a link to the numbered list
/// at the end of the article, which the theme's script turns into a sidenote toggle.
fn mark_close(mark: &Mark) -> String {
    format!(
        "</mark><sup class=\"note-ref kind-{kind}\"><a href=\"#note-{n}\" id=\"note-ref-{n}\" data-note=\"{n}\"><span class=\"visually-hidden\">{label} note </span>{n}</a></sup>",
        kind = mark.kind.as_str(),
        label = mark.kind.label(),
        n = mark.number
    )
}

/// The entity or term an `entity:`/`term:` link names, if it exists.
fn gloss_ref(dest: &str, site: &Site) -> Option<Ref> {
    if let Some(id) = dest.strip_prefix("entity:") {
        let id = id.trim();
        site.entities.contains_key(id).then(|| Ref::entity(id))
    } else if let Some(id) = dest.strip_prefix("term:") {
        let id = id.trim();
        site.terms.contains_key(id).then(|| Ref::term(id))
    } else {
        None
    }
}

/// The opening `<a>` of an entity or term reference. A term carries its definition in `title`
/// so that it reads without JavaScript.
pub fn ref_open(target: &Ref, site: &Site, root: &str) -> String {
    // Pushed piece by piece rather than formatted: an article has dozens of these.
    let mut out = String::with_capacity(160);
    match target {
        Ref::Entity(id) => {
            let kind = site
                .entities
                .get(&**id)
                .map_or("other", |e| e.kind.as_str());
            out.push_str("<a class=\"entity entity-");
            out.push_str(kind);
            out.push_str("\" href=\"");
            out.push_str(root);
            out.push_str("entities/");
            push_attr(&mut out, id);
            out.push_str("/\" data-entity=\"");
            push_attr(&mut out, id);
            out.push_str("\">");
        }
        Ref::Term(id) => {
            let title = site
                .terms
                .get(&**id)
                .map_or("", |t| t.definition_text.as_str());
            out.push_str("<a class=\"term\" href=\"");
            out.push_str(root);
            push_attr(&mut out, &super::glossary::term_path_by_id(site, id));
            out.push_str("\" data-term=\"");
            push_attr(&mut out, id);
            out.push_str("\" title=\"");
            push_attr(&mut out, title);
            out.push_str("\">");
        }
    }
    out
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
