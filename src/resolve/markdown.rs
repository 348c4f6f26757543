//! One pass over a Markdown text that turns it into a [`Doc`]: explicit `entity:`/`term:` links
//! checked and marked, registered names auto-linked, headings and paragraphs given ids, and the
//! plain text of every paragraph kept so that key-point evidence and backlink sentences can be
//! found in it.

use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::Known;
use super::autolink::Linker;
use crate::config::AutolinkMode;
use crate::content::front_matter::slugify;
use crate::diagnostics::{Diagnostic, Location, SourceFile, did_you_mean};
use crate::site::{AutoLink, Doc, Link, Mark, Ref};

/// The Markdown extensions gloss turns on everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What to do with a text besides parsing it.
pub struct Settings<'a> {
    /// `None`: no auto-linking (pages, definitions), explicit links only.
    pub linker: Option<&'a Linker>,
    pub mode: AutolinkMode,
    /// Give paragraphs and list items ids and keep their text.
    pub anchors: bool,
    /// Annotated phrases: a name that straddles one's edge is not linked, so that the mark and
    /// the link nest.
    pub marks: &'a [Mark],
}

/// The text of a paragraph or list item that has an id.
#[derive(Debug)]
pub struct BlockText {
    pub id: String,
    pub text: String,
    /// Where the block stands in the parsed source.
    pub source: Range<usize>,
    /// True when no other anchored block sits inside it.
    pub leaf: bool,
}

/// A reference found in the text, explicit or auto-linked.
#[derive(Debug)]
pub struct MentionAt {
    pub target: Ref,
    /// Index into `Resolved::blocks`, when the mention sits in an anchored block.
    pub block: Option<usize>,
    /// Byte offset of the mention in that block's text.
    pub offset: usize,
    /// The surrounding text when there is no block (a table cell, say).
    pub context: String,
}

#[derive(Debug, Default)]
pub struct Resolved {
    pub doc: Doc,
    pub blocks: Vec<BlockText>,
    pub mentions: Vec<MentionAt>,
    pub word_count: usize,
    /// Every ordinary link, and every image on another site, for the link check.
    pub links: Vec<Link>,
    /// Every image of the text, in order, as written: `resolve::images` finds their files.
    pub images: Vec<BodyImage>,
    /// Every id the text gives an element: headings, anchored blocks, footnotes.
    pub anchors: crate::site::Anchors,
    /// The whole text without markup, blocks separated by spaces; empty for a text with
    /// anchors, which keeps its text block by block instead (an article body: the copy went
    /// unused, 10,000 times).
    pub plain: String,
    /// Where each run of text inside an anchored block starts: in the innermost block's text
    /// and in the source. In document order.
    runs: Vec<RunStart>,
}

/// An image as the Markdown writes it: `![alt](src "caption | credit")`.
#[derive(Debug, Clone)]
pub struct BodyImage {
    pub dest: String,
    pub title: String,
    pub alt: String,
    /// Where it is written.
    pub location: Location,
    /// Alone in its paragraph: a figure.
    pub standalone: bool,
}

/// Whether a link or image destination points at another site (or is a `data:` URL): not a
/// file of the site.
pub fn is_remote(dest: &str) -> bool {
    let dest = dest.trim();
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

#[derive(Debug)]
struct RunStart {
    block: usize,
    in_block: usize,
    in_source: usize,
}

impl Resolved {
    /// Where `text`, a slice of block `block`'s text, stands byte for byte in the source, if it
    /// does anywhere in the block. Most runs are the source's own bytes (a paragraph with
    /// auto-linked names is one run), so the run's start gives the place, checked; failing
    /// that, each place where its first byte occurs in the block's source.
    pub fn source_of(&self, block: usize, text: &str, src: &str) -> Option<usize> {
        let b = self.blocks.get(block)?;
        let offset = (text.as_ptr() as usize).checked_sub(b.text.as_ptr() as usize)?;
        let needle = text.as_bytes();
        let first = *needle.first()?;
        let stands_at = |at: usize| src.as_bytes().get(at..)?.starts_with(needle).then_some(at);
        let guess = self
            .runs
            .iter()
            .rev()
            .find(|r| r.block == block && r.in_block <= offset)
            .and_then(|r| stands_at(r.in_source + (offset - r.in_block)));
        guess.or_else(|| {
            let area = src.as_bytes().get(b.source.clone())?;
            memchr::memchr_iter(first, area).find_map(|i| stands_at(b.source.start + i))
        })
    }
}

enum LinkKind {
    /// An `entity:`/`term:` link that became a reference.
    Gloss,
    /// An `entity:`/`term:` link to an unknown id: its text stays, the link goes.
    Dropped,
    Plain,
}

/// Resolves the Markdown `src`, which starts at byte `base` of `file` (for diagnostics).
pub fn resolve(
    src: &str,
    base: usize,
    file: &Arc<SourceFile>,
    known: &Known,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(src, options()).into_offset_iter().collect();
    // Text linked explicitly anywhere counts as the first mention, even if the link comes later.
    let explicit: FxHashSet<Ref> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Link { dest_url, .. }) => parse_ref(dest_url),
            _ => None,
        })
        .collect();

    let mut w = Walker {
        settings,
        explicit,
        out: Resolved::default(),
        linked: FxHashSet::default(),
        block_stack: Vec::new(),
        link_stack: Vec::new(),
        code_depth: 0,
        image_depth: 0,
        image: None,
        html_link_depth: 0,
        heading: None,
        heading_ids: HeadingIds::default(),
        run: 0,
    };

    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        if let Event::Text(first) = event {
            // Smart punctuation splits text into several events; names can span them. Render
            // merges them the same way, so runs are counted alike.
            // Borrowed when the run is one event, as most are.
            let mut text: Cow<str> = Cow::Borrowed(first);
            while let Some((Event::Text(more), _)) = events.get(i + 1) {
                text.to_mut().push_str(more);
                i += 1;
            }
            if let Some(image) = &mut w.image {
                image.alt.push_str(&text);
            }
            if let Some(&block) = w.block_stack.last() {
                w.out.runs.push(RunStart {
                    block,
                    in_block: w.out.blocks[block].text.len(),
                    in_source: range.start,
                });
            }
            w.text(&text);
            w.run += 1;
            i += 1;
            continue;
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if is_gloss_link(dest_url) => {
                match parse_ref(dest_url).filter(|r| known.contains(r)) {
                    Some(target) => {
                        w.mention_in("", 0, &target);
                        w.linked.insert(target.clone());
                        w.note_ref(&target);
                        w.link_stack.push(LinkKind::Gloss);
                    }
                    None => {
                        let span = base + range.start..base + range.end;
                        diags.push(unknown_ref(dest_url, known, Location::new(file, span)));
                        w.link_stack.push(LinkKind::Dropped);
                    }
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let location = Location::new(file, base + range.start..base + range.end);
                if is_remote(dest_url) {
                    w.out.links.push(Link {
                        dest: dest_url.to_string(),
                        location: location.clone(),
                    });
                }
                if w.image_depth == 0 {
                    let after_paragraph =
                        i > 0 && matches!(events[i - 1].0, Event::Start(Tag::Paragraph));
                    w.image = Some(BodyImage {
                        dest: dest_url.to_string(),
                        title: title.to_string(),
                        alt: String::new(),
                        location,
                        standalone: after_paragraph,
                    });
                }
                w.image_depth += 1;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let span = base + range.start..base + range.end;
                w.out.links.push(Link {
                    dest: dest_url.to_string(),
                    location: Location::new(file, span),
                });
                w.link_stack.push(LinkKind::Plain);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                w.out.anchors.named.insert(label.to_string());
            }
            Event::End(TagEnd::Link) => {
                w.link_stack.pop();
            }
            Event::Start(Tag::Paragraph | Tag::Item) if settings.anchors => {
                w.open_block(range.clone());
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) if settings.anchors => {
                w.block_stack.pop();
            }
            Event::End(TagEnd::Paragraph) => w.out.plain.push(' '),
            Event::Start(Tag::Heading { id, .. }) => {
                w.heading = Some((id.as_ref().map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => w.close_heading(),
            Event::Start(Tag::CodeBlock(_)) => w.code_depth += 1,
            Event::End(TagEnd::CodeBlock) => w.code_depth -= 1,
            Event::End(TagEnd::Image) => {
                w.image_depth -= 1;
                if w.image_depth == 0
                    && let Some(mut image) = w.image.take()
                {
                    image.standalone &=
                        matches!(events.get(i + 1), Some((Event::End(TagEnd::Paragraph), _)));
                    w.out.images.push(image);
                }
            }
            Event::Code(code) => {
                if let Some(image) = &mut w.image {
                    image.alt.push_str(code);
                }
                w.append_text(code)
            }
            Event::SoftBreak | Event::HardBreak => w.append_text(" "),
            Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                if lower.starts_with("<a ") || lower.starts_with("<a>") {
                    w.html_link_depth += 1;
                } else if lower.starts_with("</a") {
                    w.html_link_depth = w.html_link_depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    w.out.doc.file = Arc::clone(file);
    w.out.doc.range = base..base + src.len();
    w.out.doc.anchors = settings.anchors;
    w.out.doc.marks = settings.marks.to_vec();
    // The document lives until the build ends, 50,000 of them in a large archive; its lists
    // grew by doubling and are trimmed to their length (about 1 KB an article).
    w.out.doc.links.shrink_to_fit();
    w.out.doc.refs.shrink_to_fit();
    w.out.links.shrink_to_fit();
    w.out
}

/// A run of text (consecutive text events merged), counted as [`resolve`] and render count
/// them.
#[derive(Debug)]
pub struct Run {
    pub text: String,
    /// Plain text that may carry a mark: not code, not inside a link or an image.
    pub markable: bool,
    /// The number `N` of the anchored block (`p-N`) it sits in.
    pub block: Option<usize>,
    /// Only line breaks separate it from the run before: a phrase may continue across.
    pub continues: bool,
}

/// The runs of text of `src`, for placing annotation anchors before the text is resolved.
pub fn text_runs(src: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut blocks = 0;
    let mut block_stack: Vec<usize> = Vec::new();
    let (mut code, mut links, mut images, mut html_links) = (0usize, 0usize, 0usize, 0usize);
    // Whether only line breaks came since the last run.
    let mut continues = false;
    let mut parser = Parser::new_ext(src, options()).peekable();
    while let Some(event) = parser.next() {
        if matches!(event, Event::SoftBreak | Event::HardBreak) {
            continue;
        }
        let after_break = std::mem::replace(&mut continues, false);
        match event {
            Event::Text(first) => {
                let mut text = first.to_string();
                while let Some(Event::Text(more)) = parser.next_if(|e| matches!(e, Event::Text(_)))
                {
                    text.push_str(&more);
                }
                runs.push(Run {
                    text,
                    markable: code == 0 && links == 0 && images == 0 && html_links == 0,
                    block: block_stack.last().copied(),
                    continues: after_break,
                });
                continues = true;
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                blocks += 1;
                block_stack.push(blocks);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                block_stack.pop();
            }
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code -= 1,
            Event::Start(Tag::Link { .. }) => links += 1,
            Event::End(TagEnd::Link) => links -= 1,
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images -= 1,
            Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                if lower.starts_with("<a ") || lower.starts_with("<a>") {
                    html_links += 1;
                } else if lower.starts_with("</a") {
                    html_links = html_links.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    runs
}

/// Heading ids: the heading's text as a slug, made unique within the document. Resolve and
/// render both call this in document order, so they give the same ids.
#[derive(Debug, Default)]
pub struct HeadingIds(FxHashSet<String>);

impl HeadingIds {
    pub fn next(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        // Paragraph anchors are `p-N`; keep heading ids out of that space.
        if base
            .strip_prefix("p-")
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            base.push_str("-h");
        }
        let mut id = base.clone();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

struct Walker<'s, 'l> {
    settings: &'s Settings<'l>,
    explicit: FxHashSet<Ref>,
    out: Resolved,
    linked: FxHashSet<Ref>,
    /// Indexes into `out.blocks` of the anchored blocks we are inside.
    block_stack: Vec<usize>,
    link_stack: Vec<LinkKind>,
    code_depth: usize,
    image_depth: usize,
    /// The image being read, its alt text so far.
    image: Option<BodyImage>,
    html_link_depth: usize,
    /// (an explicit `{#id}`, the heading's text so far)
    heading: Option<(Option<String>, String)>,
    heading_ids: HeadingIds,
    /// How many runs of text came before the current one.
    run: u32,
}

impl Walker<'_, '_> {
    fn open_block(&mut self, source: Range<usize>) {
        if let Some(&parent) = self.block_stack.last() {
            self.out.blocks[parent].leaf = false;
        }
        // Concatenated, not `format!`ted: every paragraph of every article has one.
        let id = ["p-", itoa::Buffer::new().format(self.out.blocks.len() + 1)].concat();
        self.out.anchors.blocks += 1;
        self.out.blocks.push(BlockText {
            id,
            text: String::new(),
            source,
            leaf: true,
        });
        self.block_stack.push(self.out.blocks.len() - 1);
    }

    fn append_text(&mut self, text: &str) {
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
        }
        for &b in &self.block_stack {
            self.out.blocks[b].text.push_str(text);
        }
        if !self.settings.anchors {
            self.out.plain.push_str(text);
        }
    }

    fn close_heading(&mut self) {
        let Some((explicit, text)) = self.heading.take() else {
            return;
        };
        let id = match explicit {
            Some(id) => id,
            None => self.heading_ids.next(&text),
        };
        self.out.anchors.named.insert(id);
        if !self.settings.anchors {
            self.out.plain.push(' ');
        }
    }

    /// Adds `target` to the document's references if it is new; its index there.
    fn note_ref(&mut self, target: &Ref) -> u32 {
        let refs = &mut self.out.doc.refs;
        let at = match refs.iter().position(|r| r == target) {
            Some(at) => at,
            None => {
                refs.push(target.clone());
                refs.len() - 1
            }
        };
        at as u32
    }

    fn may_autolink(&self) -> bool {
        self.code_depth == 0
            && self.image_depth == 0
            && self.link_stack.is_empty()
            && self.html_link_depth == 0
            && self.heading.is_none()
    }

    fn text(&mut self, text: &str) {
        self.out.word_count += count_words(text);
        let found = match self.settings.linker {
            Some(linker) if self.may_autolink() => linker.find(text),
            _ => Vec::new(),
        };
        for f in found {
            let target = f.target.clone();
            self.mention_in(text, f.start, &target);
            let straddles = self.settings.marks.iter().any(|m| {
                m.span_in(self.run, text.len())
                    .is_some_and(|(s, e)| f.start < e && s < f.end && !(s <= f.start && f.end <= e))
            });
            if straddles {
                continue;
            }
            let link = match self.settings.mode {
                AutolinkMode::All => true,
                AutolinkMode::First => {
                    !self.explicit.contains(&target) && !self.linked.contains(&target)
                }
                AutolinkMode::None => false,
            };
            if link {
                let index = self.note_ref(&target);
                self.out.doc.links.push(AutoLink {
                    run: self.run,
                    start: f.start as u32,
                    end: f.end as u32,
                    target: index,
                });
                self.linked.insert(target);
            }
        }
        self.append_text(text);
    }

    /// Records a mention at byte `at` of `text`, a run of text the block texts receive only
    /// after all its mentions are recorded (an explicit link passes an empty run). Outside an
    /// anchored block, the run itself is the mention's context.
    fn mention_in(&mut self, text: &str, at: usize, target: &Ref) {
        let block = self.block_stack.last().copied();
        let offset = block.map_or(0, |b| self.out.blocks[b].text.len() + at);
        let context = if block.is_none() {
            text.to_string()
        } else {
            String::new()
        };
        self.out.mentions.push(MentionAt {
            target: target.clone(),
            block,
            offset,
            context,
        });
    }
}

fn is_gloss_link(dest: &str) -> bool {
    dest.starts_with("entity:") || dest.starts_with("term:")
}

fn parse_ref(dest: &str) -> Option<Ref> {
    if let Some(id) = dest.strip_prefix("entity:") {
        Some(Ref::entity(id.trim()))
    } else {
        dest.strip_prefix("term:").map(|id| Ref::term(id.trim()))
    }
}

fn unknown_ref(dest: &str, known: &Known, location: Location) -> Diagnostic {
    let (kind, id, code, ids): (&str, &str, &'static str, Vec<&str>) = match dest.split_once(':') {
        Some(("entity", id)) => (
            "entity",
            id.trim(),
            "gloss::unknown-entity",
            known.entities.iter().map(String::as_str).collect(),
        ),
        Some((_, id)) => (
            "term",
            id.trim(),
            "gloss::unknown-term",
            known.terms.iter().map(String::as_str).collect(),
        ),
        None => ("entity", dest, "gloss::unknown-entity", Vec::new()),
    };
    let registry = if kind == "entity" {
        "content/entities.yaml"
    } else {
        "content/glossary.yaml"
    };
    let mut d = Diagnostic::error(code, format!("unknown {kind} `{id}`"))
        .at(location)
        .label(format!("no {kind} with this id"));
    d = match did_you_mean(id, ids) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(format!("add `{id}` to {registry}, or fix the id")),
    };
    d
}

/// Lowercase, straight quotes and dashes, single spaces: how evidence phrases are compared
/// with the text, so that smart punctuation and line wrapping do not break a match.
pub fn normalize(s: &str) -> String {
    // Every block of every article goes through here. Most are ASCII with single white space
    // characters between words (a space, or a line break where the paragraph was wrapped), where
    // normalizing is lowercasing and making each a space: done in bulk, not a byte at a time.
    let bytes = s.as_bytes();
    let ws = |b: &u8| is_ascii_white_space(*b);
    let single_spaced = bytes.is_ascii()
        && !bytes.first().is_some_and(ws)
        && !bytes.last().is_some_and(ws)
        && !adjacent_white_space(bytes);
    if single_spaced {
        let lower: Vec<u8> = bytes
            .iter()
            .map(|b| if ws(b) { b' ' } else { b.to_ascii_lowercase() })
            .collect();
        // ASCII in, ASCII out.
        return String::from_utf8(lower).unwrap_or_default();
    }
    normalize_each(s)
}

/// Whether two white space bytes stand side by side. Every pair is looked at, without stopping
/// at the first: a loop without branches runs on whole vectors, where `windows(2).any` took
/// a byte at a time (a block has no such pair more often than not, so it read them all anyway).
fn adjacent_white_space(bytes: &[u8]) -> bool {
    let next = bytes.get(1..).unwrap_or_default();
    bytes.iter().zip(next).fold(false, |found, (a, b)| {
        found | (is_ascii_white_space(*a) & is_ascii_white_space(*b))
    })
}

/// [`normalize`] for any text: ASCII bytes are copied a byte at a time, without decoding or
/// Unicode tables.
fn normalize_each(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            if is_ascii_white_space(b) {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            out.push(b.to_ascii_lowercase());
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        let c = fold_typography(c);
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(b' ');
        }
        space = false;
        let mut buf = [0; 4];
        match c {
            '…' => out.extend_from_slice(b"..."),
            c => {
                for lower in c.to_lowercase() {
                    out.extend_from_slice(lower.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
    }
    // Only whole characters were copied: always UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// How many words `text` has, as `split_whitespace` counts them: byte by byte for ASCII text,
/// without decoding characters (it ran over every text of every article).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = is_ascii_white_space(b);
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
    }
    words
}

/// The ASCII bytes `char::is_whitespace` accepts (`u8::is_ascii_whitespace` leaves out the
/// vertical tab).
fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Curly quotes, primes and dashes as their ASCII forms, a no-break space as a space.
pub fn fold_typography(c: char) -> char {
    match c {
        '‘' | '’' | '‛' | '′' => '\'',
        '“' | '”' | '„' | '″' => '"',
        '–' | '—' | '‐' | '‑' => '-',
        '\u{a0}' => ' ',
        c => c,
    }
}

/// Finds key-point evidence in an article's blocks. A block's text is normalized when a search
/// first reaches it, and once however many key points there are: evidence usually sits early,
/// so most blocks never are.
pub struct EvidenceIndex<'a> {
    blocks: &'a [BlockText],
    normalized: Vec<std::cell::OnceCell<String>>,
}

impl<'a> EvidenceIndex<'a> {
    pub fn new(blocks: &'a [BlockText]) -> EvidenceIndex<'a> {
        EvidenceIndex {
            blocks,
            normalized: blocks.iter().map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    /// The id of the first block that holds `phrase`: the innermost block where possible.
    pub fn find(&self, phrase: &str) -> Option<&'a str> {
        let needle = normalize(phrase);
        if needle.is_empty() {
            return None;
        }
        let needle = memchr::memmem::Finder::new(needle.as_bytes());
        let holds = |&i: &usize| {
            let text = self.normalized[i].get_or_init(|| normalize(&self.blocks[i].text));
            needle.find(text.as_bytes()).is_some()
        };
        let all = 0..self.blocks.len();
        all.clone()
            .filter(|&i| self.blocks[i].leaf)
            .find(holds)
            .or_else(|| all.clone().find(holds))
            .map(|i| self.blocks[i].id.as_str())
    }
}

/// The sentence of `text` around byte `offset`. Runs for the first mention of every name in
/// every article: it jumps from one `.`, `!` or `?` to the next (memchr) rather than looking at
/// every character.
pub fn sentence_around(text: &str, offset: usize) -> &str {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let bytes = text.as_bytes();
    // Sentence starts only grow with the punctuation before them: the first at or before the
    // offset, searching backwards, is the nearest.
    let start = memchr::memrchr3_iter(b'.', b'!', b'?', &bytes[..offset])
        .filter_map(|j| sentence_after(text, j))
        .find(|&i| i <= offset)
        .unwrap_or(0);
    // The punctuation that ends this sentence may sit before the offset, when the offset is in
    // the quotes and spaces after it.
    let mut from = offset;
    while from > 0 && is_between_sentences(bytes[from - 1]) {
        from -= 1;
    }
    if from > 0 && matches!(bytes[from - 1], b'.' | b'!' | b'?') {
        from -= 1;
    }
    let end = memchr::memchr3_iter(b'.', b'!', b'?', &bytes[from..])
        .filter_map(|j| sentence_after(text, from + j))
        .find(|&i| i > offset)
        .unwrap_or(text.len());
    text[start..end].trim()
}

/// Bytes that may stand between a sentence's last punctuation and the next sentence: white
/// space and closing quotes, and any byte of a non-ASCII character (curly quotes, no-break
/// spaces; taking in others only widens the search).
fn is_between_sentences(b: u8) -> bool {
    !b.is_ascii() || is_ascii_white_space(b) || matches!(b, b'"' | b'\'' | b')')
}

/// Where the sentence after the `.`, `!` or `?` at byte `j` starts, if one does: past closing
/// quotes and at least one white space.
fn sentence_after(text: &str, j: usize) -> Option<usize> {
    // `j` holds an ASCII byte, so `j + 1` is a character boundary.
    let rest = &text[j + 1..];
    let mut chars = rest.char_indices().peekable();
    while chars
        .next_if(|&(_, c)| matches!(c, '"' | '\'' | '”' | '’' | ')'))
        .is_some()
    {}
    let mut spaces = 0;
    while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {
        spaces += 1;
    }
    let at = j + 1 + chars.peek().map_or(rest.len(), |&(k, _)| k);
    (spaces > 0 && at < text.len() && starts_sentence(text, at)).then_some(at)
}

/// Whether a sentence starts at byte `i`: a capital, digit or opening quote, after white space
/// that follows `.`, `!` or `?` (and closing quotes), unless the period ends an initial ("U.S.").
fn starts_sentence(text: &str, i: usize) -> bool {
    let Some(c) = text[i..].chars().next() else {
        return false;
    };
    if !(c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'')) {
        return false;
    }
    let mut before = text[..i].chars().rev().peekable();
    let mut spaces = 0;
    while before.next_if(|c| c.is_whitespace()).is_some() {
        spaces += 1;
    }
    if spaces == 0 {
        return false;
    }
    while before
        .next_if(|c| matches!(c, '"' | '\'' | '”' | '’' | ')'))
        .is_some()
    {}
    match before.next() {
        Some('!' | '?') => true,
        Some('.') => {
            let prev = before.next();
            let before_prev = before.next();
            let initial = prev.is_some_and(char::is_uppercase)
                && before_prev.is_none_or(|b| !b.is_alphanumeric());
            !initial
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_terminal_punctuation() {
        let text =
            "Trump spoke on Tuesday. He said Witkoff would go to Moscow. The U.S. envoy agreed!";
        assert_eq!(
            sentence_around(text, 30),
            "He said Witkoff would go to Moscow."
        );
        assert_eq!(sentence_around(text, 0), "Trump spoke on Tuesday.");
        let at = text.find("envoy").unwrap();
        assert_eq!(sentence_around(text, at), "The U.S. envoy agreed!");
    }

    #[test]
    fn sentences_end_after_closing_quotes() {
        let text = "Macron said there was “clearly no Russian willingness.” Talks go on.";
        assert_eq!(
            sentence_around(text, 5),
            "Macron said there was “clearly no Russian willingness.”"
        );
    }

    #[test]
    fn an_offset_between_sentences_belongs_to_the_one_before() {
        let text = "He left.\u{201d}  Then she spoke.";
        let space = text.find("  ").unwrap() + 1;
        assert_eq!(sentence_around(text, space), "He left.\u{201d}");
        assert_eq!(sentence_by_position(text, space), "He left.\u{201d}");
    }

    /// The sentence search as it was: every position tried in turn. Slow and plainly right.
    fn sentence_by_position(text: &str, offset: usize) -> String {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = |i: usize| text.is_char_boundary(i) && starts_sentence(text, i);
        let mut start = offset;
        while start > 0 && !starts(start) {
            start -= 1;
        }
        let mut end = offset + 1;
        while end < text.len() && !starts(end) {
            end += 1;
        }
        text[start..end.min(text.len())].trim().to_string()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000, failure_persistence: None, ..Default::default()
        })]

        /// Words are counted as `split_whitespace` counts them.
        #[test]
        fn words_counted_as_split_whitespace_does(text in "[a \t\n\x0b\x0c\r\u{a0}\u{2003}é.-]{0,40}") {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }

        /// Jumping between punctuation finds the sentences trying every position finds.
        #[test]
        fn sentence_jumps_land_where_every_position_does(
            text in "([a-zUÉ0-9.!?\"'”’“) \u{a0}\n]|U\\.S\\.|\\. [A-Z]){0,40}",
            at in 0.0..=1.0f64,
        ) {
            let at = (at * text.len() as f64) as usize;
            proptest::prop_assert_eq!(
                sentence_around(&text, at),
                sentence_by_position(&text, at)
            );
        }

        /// The bulk path for plain ASCII text gives what the character-by-character one does.
        #[test]
        fn normalize_in_bulk_as_one_by_one(s in "[ a-zA-Z.,'\t\n\x0b\x0c\r-]{0,40}") {
            proptest::prop_assert_eq!(normalize(&s), normalize_each(&s));
        }
    }

    #[test]
    fn normalize_collapses_every_kind_of_white_space() {
        assert_eq!(
            normalize("  Two\t\x0bspaces \r\n and CAPS "),
            "two spaces and caps"
        );
        assert_eq!(normalize("x\u{a0}y \u{2003} Émile"), "x y émile");
        assert_eq!(normalize(" \n "), "");
    }

    #[test]
    fn sentences_start_after_any_white_space() {
        let text = "One ends here.\x0bTwo starts.\u{a0}Three too.";
        assert_eq!(sentence_around(text, 16), "Two starts.");
        let at = text.find("Three").unwrap();
        assert_eq!(sentence_around(text, at + 2), "Three too.");
    }

    #[test]
    fn normalize_folds_typography() {
        assert_eq!(
            normalize("  Trump’s  “plan”\n– now…"),
            "trump's \"plan\" - now..."
        );
    }

    #[test]
    fn sentences_are_found_in_the_source_where_they_stand_as_they_are() {
        let src = "First one. Second *one* here.\n\n- Item one. Item two\n  wraps.\n\nThe &amp; sign. Last.\n";
        let file = SourceFile::new("a.md", src);
        let settings = Settings {
            linker: None,
            mode: AutolinkMode::First,
            anchors: true,
            marks: &[],
        };
        let r = resolve(src, 0, &file, &Known::default(), &settings, &mut Vec::new());
        let at = |block: usize, sentence: &str| {
            let text = &r.blocks[block].text;
            let start = text.find(sentence).expect("the sentence is in the block");
            r.source_of(block, &text[start..start + sentence.len()], src)
        };
        assert_eq!(at(0, "First one."), Some(0));
        assert_eq!(at(0, "here."), Some(src.find("here.").unwrap()));
        // Emphasis, a wrapped line and an entity: the block's text is not the source's bytes.
        assert_eq!(at(0, "Second one here."), None);
        assert_eq!(at(1, "Item one."), Some(src.find("Item one.").unwrap()));
        assert_eq!(at(1, "Item two wraps."), None);
        assert_eq!(at(2, "The & sign."), None);
        assert_eq!(at(2, "Last."), Some(src.find("Last.").unwrap()));
    }

    #[test]
    fn evidence_prefers_the_innermost_block() {
        let blocks = vec![
            BlockText {
                id: "p-1".into(),
                text: "outer item with a phrase inside".into(),
                source: 0..0,
                leaf: false,
            },
            BlockText {
                id: "p-2".into(),
                text: "a phrase inside".into(),
                source: 0..0,
                leaf: true,
            },
        ];
        assert_eq!(EvidenceIndex::new(&blocks).find("A  phrase"), Some("p-2"));
        assert_eq!(EvidenceIndex::new(&blocks).find("outer item"), Some("p-1"));
        assert_eq!(EvidenceIndex::new(&blocks).find("missing"), None);
    }
}
