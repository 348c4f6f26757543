//! The search index: Pagefind's Rust API, fed with the pages render has just made, writing the
//! standard `pagefind/` folder so that Pagefind's own JavaScript API and UI work on the site.
//!
//! Pagefind indexes only what a page marks `data-pagefind-body` (the article, the entity), and
//! reads filters (`type`, `section`, `tag`), the `date` sort and weights from attributes the
//! theme sets. Pages are parsed for the index on the render threads, as they are made (a patch
//! of ours to Pagefind, vendor/pagefind/PATCHES.md, lets a page be parsed without the index's
//! lock); the index runs on its own thread and takes them in job order, so the index is the
//! same from one build to the next.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::OutputFile;

/// A page (or a part of one) for the index: its root-relative URL and its HTML.
pub struct Record {
    pub url: String,
    pub html: String,
}

/// A page parsed for the index, or why it could not be.
pub type Parsed = Result<api::Page, String>;

/// The index's files and how long building them took, or why it failed.
type Built = Result<(Vec<OutputFile>, Duration), String>;

/// Pages parsed for an index, by URL, with a digest of the page they came from: `gloss serve`
/// parses again only the pages whose bytes changed since its last index run.
#[derive(Default)]
pub struct Known {
    pages: std::collections::HashMap<String, Seen>,
    /// How many pages the last run parsed rather than reused.
    parsed: usize,
    /// The language the pages were parsed as (each index forces its language).
    language: String,
}

/// A page parsed for the index, the digest of the page's bytes, and whether it was parsed in
/// this run (rather than reused).
pub struct Seen {
    digest: blake3::Hash,
    pub parsed: Parsed,
    fresh: bool,
}

impl Seen {
    /// `parsed`, made from a page whose bytes have `digest` (`blake3::hash`).
    pub fn new(digest: blake3::Hash, parsed: Parsed) -> Seen {
        Seen {
            digest,
            parsed,
            fresh: true,
        }
    }
}

impl Known {
    /// What was known of an index of `language`'s pages; nothing if it was another language.
    pub fn for_language(self, language: &str) -> Known {
        if self.language == language {
            Known { parsed: 0, ..self }
        } else {
            Known {
                language: language.to_string(),
                ..Known::default()
            }
        }
    }

    /// The page at `url` as parsed last time, if its bytes had this `digest` then too.
    pub fn reuse(&self, url: &str, digest: blake3::Hash) -> Option<Seen> {
        let seen = self.pages.get(url)?;
        (seen.digest == digest).then(|| Seen {
            digest,
            parsed: seen.parsed.clone(),
            fresh: false,
        })
    }

    pub fn insert(&mut self, url: String, seen: Seen) {
        self.parsed += usize::from(seen.fresh);
        self.pages.insert(url, seen);
    }

    /// How many pages the run that filled this parsed (the others it reused).
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// How pages reach Pagefind: parsed on the render threads through our patch
/// (vendor/pagefind), or, with the `reference-pagefind` feature, whole, through the published
/// API, for tests/pagefind-reference.sh to build gloss against the published crate.
#[cfg(not(feature = "reference-pagefind"))]
mod api {
    use pagefind::api::PagefindIndex;
    pub use pagefind::api::{PageParser as Parser, ParsedPage as Page};

    pub fn parser(index: &PagefindIndex) -> Parser {
        index.page_parser()
    }

    pub fn parse(parser: &Parser, url: String, html: String) -> Result<Page, String> {
        parser.parse(url, html).map_err(|e| e.to_string())
    }

    pub async fn add(index: &mut PagefindIndex, page: Page) -> Result<(), String> {
        index
            .add_parsed_page(page)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

#[cfg(feature = "reference-pagefind")]
mod api {
    use pagefind::api::PagefindIndex;

    pub struct Parser;

    #[derive(Clone)]
    pub struct Page {
        url: String,
        html: String,
    }

    pub fn parser(_: &PagefindIndex) -> Parser {
        Parser
    }

    pub fn parse(_: &Parser, url: String, html: String) -> Result<Page, String> {
        Ok(Page { url, html })
    }

    pub async fn add(index: &mut PagefindIndex, page: Page) -> Result<(), String> {
        index
            .add_html_file(None, Some(page.url), page.html)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

pub struct Indexer {
    tx: Option<SyncSender<Parsed>>,
    parser: Option<api::Parser>,
    worker: Option<JoinHandle<Built>>,
    /// Nanoseconds spent parsing, summed over the threads that parse.
    parsing: AtomicU64,
    parsed: AtomicUsize,
    /// Pages left out or without text: (URL, why).
    skipped: Mutex<Vec<(String, String)>>,
}

/// Where indexing spends its time (`gloss build --timings`), and what it could not index.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Parsing pages for the index, CPU time summed over the render threads.
    pub parse: Duration,
    /// Building the index from the parsed pages and compressing its files, after the last
    /// indexed page.
    pub build: Duration,
    pub pages: usize,
    /// Pages missing from the index or without text in it: (URL, why), by URL.
    pub skipped: Vec<(String, String)>,
}

impl Indexer {
    pub fn start(language: &str) -> Indexer {
        // A few pages in flight: render waits rather than holding the whole site in memory.
        let (tx, rx) = sync_channel::<Parsed>(32);
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(language.to_string())
            .build();
        let index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string());
        let parser = index.as_ref().ok().map(api::parser);
        let worker = std::thread::Builder::new()
            .name("gloss-search".into())
            .spawn(move || collect(&rx, index?))
            .ok();
        Indexer {
            tx: Some(tx),
            parser,
            worker,
            parsing: AtomicU64::new(0),
            parsed: AtomicUsize::new(0),
            skipped: Mutex::default(),
        }
    }

    /// Parses `record` for the index, on the calling thread: render threads call this in
    /// parallel, then [`Self::add`] in job order. A page Pagefind cannot parse is left out and
    /// reported by [`Self::finish`]; one without text is indexed (its filters and metadata
    /// still count) and reported too.
    pub fn parse(&self, record: Record) -> Option<Parsed> {
        let parser = self.parser.as_ref()?;
        if !has_text(&record.html) {
            self.skip(
                &record.url,
                "it has no text to index: searches cannot find it",
            );
        }
        let start = Instant::now();
        let parsed = api::parse(parser, record.url.clone(), record.html);
        let took = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.parsing.fetch_add(took, Relaxed);
        self.parsed.fetch_add(1, Relaxed);
        match parsed {
            Ok(page) => Some(Ok(page)),
            Err(e) => {
                self.skip(
                    &record.url,
                    &format!("Pagefind could not read it ({e}); it is not in the index"),
                );
                None
            }
        }
    }

    /// Records that the page at `url` is missing from the index or cannot be found, and why.
    pub fn skip(&self, url: &str, reason: &str) {
        if let Ok(mut skipped) = self.skipped.lock() {
            skipped.push((url.to_string(), reason.to_string()));
        }
    }

    /// Hands a parsed page to the index; the order of calls is the index's order.
    pub fn add(&self, parsed: Parsed) {
        if let Some(tx) = &self.tx {
            // A failed indexer reports itself in `finish`.
            let _ = tx.send(parsed);
        }
    }

    /// Says that every record is in: the index is built on its own thread from now on, while
    /// the caller goes on with other work; [`Self::finish`] waits for it.
    pub fn close(&mut self) {
        drop(self.tx.take());
    }

    /// The files of `pagefind/`, once every record is in, and where the time went.
    pub fn finish(mut self) -> Result<(Vec<OutputFile>, Timings), String> {
        drop(self.tx.take());
        let (files, build) = match self.worker.take() {
            Some(worker) => worker
                .join()
                .map_err(|_| "the search indexer panicked".to_string())??,
            None => return Err("could not start the search indexer".to_string()),
        };
        let mut skipped =
            std::mem::take(&mut *self.skipped.lock().unwrap_or_else(|e| e.into_inner()));
        skipped.sort();
        let timings = Timings {
            parse: Duration::from_nanos(self.parsing.load(Relaxed)),
            build,
            pages: self.parsed.load(Relaxed),
            skipped,
        };
        Ok((files, timings))
    }
}

/// Adds pages as they come; once the last is in, builds the index. Returns its files and how
/// long that build took.
fn collect(rx: &Receiver<Parsed>, mut index: PagefindIndex) -> Built {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        // Pages keep arriving until render is done; this thread has nothing else to do.
        while let Ok(parsed) = rx.recv() {
            api::add(&mut index, parsed?).await?;
        }
        let start = Instant::now();
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        let mut out: Vec<OutputFile> = files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                OutputFile::new(format!("pagefind/{name}"), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((out, start.elapsed()))
    })
}

/// Whether `html` has any text outside its tags (entities count as text).
fn has_text(html: &str) -> bool {
    let body = html.find("<body").map_or(html, |i| &html[i..]);
    let mut in_tag = false;
    body.chars().any(|c| match c {
        '<' => {
            in_tag = true;
            false
        }
        '>' => {
            in_tag = false;
            false
        }
        c => !in_tag && !c.is_whitespace(),
    })
}

/// The part of a rendered page Pagefind needs: the element marked `data-pagefind-body` (the
/// theme puts it on one `<article>`), [slimmed](slim), in a bare document with the page's
/// language. Slimming skips an entity page's list of mentions (ignored by the index) with a
/// scan for its end tag, so that Pagefind's reader reads about a third of the markup.
pub fn indexable(html: &str, language: &str) -> Option<String> {
    let marker = html.find("data-pagefind-body")?;
    let start = html[..marker].rfind('<')?;
    let end = html.rfind("</article>")? + "</article>".len();
    (start < end).then(|| {
        format!(
            "<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"></head><body>{}</body></html>",
            slim(&html[start..end])
        )
    })
}

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// What Pagefind reads of `html`, and nothing else: elements marked `data-pagefind-ignore` go
/// (unless filters, metadata or sort keys inside them still count), comments go, and tags keep
/// only the attributes Pagefind looks at (`id` for anchors, `lang`, `src` and `alt` of images,
/// `data-pagefind-*` and the attributes those name). Text is untouched. Entity pages shrink
/// most: their list of mentions is ignored by the index.
pub fn slim(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            out.push_str(rest);
            return out;
        };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix("</") {
            out.push_str("</");
            out.push_str(name.trim_end_matches('>').trim());
            out.push('>');
            continue;
        }
        let (name, attrs) = parse_tag(tag);
        if name.is_empty() {
            out.push_str(tag);
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let ignore = attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("data-pagefind-ignore"))
            .map(|(_, v)| *v);
        if let Some(how) = ignore
            && !VOID.contains(&lower.as_str())
        {
            let inner_end = closing(rest, &lower);
            let inner = &rest[..inner_end];
            if how.trim() == "all" || !inner.contains("data-pagefind-") {
                rest = rest[inner_end..]
                    .find('>')
                    .map_or("", |gt| &rest[inner_end + gt + 1..]);
                continue;
            }
        }
        out.push('<');
        out.push_str(name);
        let named: Vec<&str> = attrs
            .iter()
            .filter(|(n, _)| n.starts_with("data-pagefind-"))
            .flat_map(|(n, v)| {
                if *n == "data-pagefind-index-attrs" {
                    v.split(',').map(str::trim).collect::<Vec<_>>()
                } else {
                    v.split('[')
                        .skip(1)
                        .filter_map(|s| s.split(']').next())
                        .map(str::trim)
                        .collect()
                }
            })
            .collect();
        for (n, v) in &attrs {
            let keep = matches!(*n, "id" | "lang" | "src" | "alt")
                || n.starts_with("data-pagefind-")
                || named.contains(n);
            if keep {
                out.push(' ');
                out.push_str(n);
                out.push_str("=\"");
                out.push_str(&v.replace('"', "&quot;"));
                out.push('"');
            }
        }
        out.push('>');
        if matches!(lower.as_str(), "script" | "style" | "textarea" | "title") {
            let end = closing(rest, &lower);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Where the tag starting `s` ends (its `>`), quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// A start tag's name and attributes (values still escaped as written).
fn parse_tag(tag: &str) -> (&str, Vec<(&str, &str)>) {
    let body = tag[1..tag.len() - 1].trim_end_matches('/');
    let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
    let name = &body[..name_end];
    let mut attrs = Vec::new();
    let mut s = body[name_end..].trim_start();
    while !s.is_empty() {
        let n_end = s
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(s.len());
        let n = &s[..n_end];
        s = s[n_end..].trim_start();
        let mut value = "";
        if let Some(v) = s.strip_prefix('=') {
            let v = v.trim_start();
            let (val, after) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = v[1..].find(q).map_or(v.len(), |i| i + 1);
                    (&v[1..close], v.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let e = v.find(char::is_whitespace).unwrap_or(v.len());
                    (&v[..e], &v[e..])
                }
            };
            value = val;
            s = after.trim_start();
        }
        if !n.is_empty() {
            attrs.push((n, value));
        } else {
            break;
        }
    }
    (name, attrs)
}

/// Where, in `s` (just after a `<name ...>` start tag), its matching `</name` begins; the end
/// of `s` if it never closes.
fn closing(s: &str, name: &str) -> usize {
    let mut depth = 1;
    let mut at = 0;
    while let Some(lt) = s[at..].find('<') {
        let i = at + lt;
        // Bytes, not characters: the name is ASCII, the text after `<` may not be.
        let t = &s.as_bytes()[i + 1..];
        let (end_tag, t) = match t.strip_prefix(b"/") {
            Some(t) => (true, t),
            None => (false, t),
        };
        let matches = t.len() >= name.len()
            && t[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && t.get(name.len())
                .is_none_or(|&c| c == b'>' || c == b'/' || c.is_ascii_whitespace());
        if matches {
            if end_tag {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            } else {
                depth += 1;
            }
        }
        at = i + 1;
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_marked_article_is_kept() {
        let page = "<html><body><nav>Menu</nav><main><article class=\"x\" data-pagefind-body><h1>T</h1></article></main><footer>F</footer></body></html>";
        let doc = indexable(page, "en").unwrap();
        assert!(doc.contains("<article data-pagefind-body=\"\"><h1>T</h1></article>"));
        assert!(!doc.contains("Menu") && !doc.contains("F</footer>"));
        assert_eq!(indexable("<html><article>x</article></html>", "en"), None);
    }

    #[test]
    fn slimming_is_safe_on_any_text() {
        let html = "<section data-pagefind-ignore><p>NATO’s <b>role</b></p><p>’</p></section><p>Kyiv’s <i>war</i> <</p>";
        assert_eq!(slim(html), "<p>Kyiv’s <i>war</i> <</p>");
        for cut in (0..html.len()).filter(|&i| html.is_char_boundary(i)) {
            slim(&html[..cut]); // must not panic on truncated markup
        }
    }

    #[test]
    fn slimming_keeps_what_pagefind_reads() {
        let html = concat!(
            r#"<article class="a" data-pagefind-body><span hidden data-pagefind-filter="tag[data-value]" data-value="Talks"></span>"#,
            r#"<h2 id="why" class="h">Why <a class="entity" href="../x/" data-entity="x">Putin</a> met</h2><!-- note -->"#,
            r#"<aside class="k" data-pagefind-ignore><ul><li><aside>nested</aside>Key point</li></ul></aside>"#,
            r#"<section data-pagefind-ignore><span data-pagefind-meta="kind">Person</span>Skipped</section>"#,
            r#"<section data-pagefind-ignore="all"><span data-pagefind-meta="x">Gone</span></section>"#,
            r#"<p id="p-1">Text &amp; more<img src="a.png" alt="A map" width="3"><br></p>"#,
            r#"<script type="application/json">{"a":"<b>"}</script></article>"#,
        );
        let slim = slim(html);
        assert_eq!(
            slim,
            concat!(
                r#"<article data-pagefind-body=""><span data-pagefind-filter="tag[data-value]" data-value="Talks"></span>"#,
                r#"<h2 id="why">Why <a>Putin</a> met</h2>"#,
                r#"<section data-pagefind-ignore=""><span data-pagefind-meta="kind">Person</span>Skipped</section>"#,
                r#"<p id="p-1">Text &amp; more<img src="a.png" alt="A map"><br></p>"#,
                r#"<script>{"a":"<b>"}</script></article>"#,
            )
        );
    }
}
