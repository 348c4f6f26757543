//! The resolved site: what `resolve` produces and `render` only reads.
//!
//! Everything here is sorted once, when it is built: articles newest first, registries by id
//! (`BTreeMap`), timelines by date. No later stage sorts again or depends on hash order.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::sync::Arc;

use crate::config::Config;
use crate::content::front_matter::{AnnotationKind, Verdict};
use crate::content::{Date, EntityKind};

/// The whole site, cross-referenced.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first; ties by slug. Shared, so that `gloss serve` keeps unchanged articles.
    pub articles: Vec<Arc<Article>>,
    pub pages: Vec<Page>,
    pub entities: Registry<Entity>,
    pub terms: Registry<Term>,
    /// Every dated event of every article, oldest first.
    pub timeline: Vec<SiteEvent>,
    /// By tag slug.
    pub tags: BTreeMap<String, Tag>,
    /// Which of the site's languages have each page: set by the build once every language is
    /// resolved; empty for a site in one language.
    pub translations: Arc<Translations>,
}

/// The pages of every language of a site, for `hreflang` links and the language switcher.
#[derive(Debug, Default)]
pub struct Translations {
    /// In the order of `Config::languages`: code, absolute base URL, name in its own words.
    pub languages: Vec<(String, crate::config::BaseUrl, String)>,
    /// A page's path inside its language (`articles/x/`) → a bit per language that has it.
    pub pages: rustc_hash::FxHashMap<String, u64>,
}

/// One version of a page in another language (or this one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Alternate {
    pub lang: String,
    pub url: String,
    /// The language's name in its own words: "Français".
    pub name: String,
    pub current: bool,
}

impl Translations {
    /// Every language's version of the page at `path` in the language `lang`, in language
    /// order, when there are at least two (one page alone has nothing to point to); the
    /// `x-default` URL with them: the default language's, or the first there is.
    pub fn of(&self, path: &str, lang: &str) -> Option<(Vec<Alternate>, String)> {
        let mask = *self.pages.get(path)?;
        if mask.count_ones() < 2 {
            return None;
        }
        let list: Vec<Alternate> = self
            .languages
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, (code, base, name))| Alternate {
                lang: code.clone(),
                url: base.join(path),
                name: name.clone(),
                current: code == lang,
            })
            .collect();
        let default = list.first()?.url.clone();
        Some((list, default))
    }
}

/// Entities or terms by id, in id order: made from a sorted list and never added to after.
/// Looked up by hash, not by comparing ids down a tree: rendering 10,000 articles looks an id up
/// about a million times.
pub type Registry<T> = indexmap::IndexMap<String, T, rustc_hash::FxBuildHasher>;

/// A Markdown text and what resolve decided about it. Render parses the source again and
/// replays the decisions: holding a parsed event tree per article cost most of a large build's
/// memory, and pulldown-cmark parses faster than those trees could be built and kept.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The file the text is in (shared, not copied) and where in it.
    pub file: Arc<crate::diagnostics::SourceFile>,
    pub range: std::ops::Range<usize>,
    /// Paragraphs and list items get `p-N` ids (article bodies).
    pub anchors: bool,
    /// Names auto-linked, in text order.
    pub links: Vec<AutoLink>,
    /// Phrases that carry an annotation, in text order. An auto-link is either inside one or
    /// apart from all of them.
    pub marks: Vec<Mark>,
    /// Every entity and term the text links to, explicitly or automatically, in order of first
    /// use.
    pub refs: Vec<Ref>,
    /// One per image of the text, in order: the original it shows, or `None` for an image
    /// that is not gloss's to process (another site's URL).
    pub images: Vec<Option<Arc<Image>>>,
}

/// An image a page shows, its original found inside `content/` by resolve.
#[derive(Debug, Clone)]
pub struct Image {
    /// The original, relative to `content/`, `/`-separated: `articles/kyiv/night.jpg`.
    pub source: String,
    /// Empty for a decorative image.
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// The point crops keep in view, as fractions of width and height.
    pub focal: (f64, f64),
    /// Where it is named, for problems with the file itself.
    pub location: crate::diagnostics::Location,
    /// A body image alone in its paragraph, shown as a figure with its caption.
    pub standalone: bool,
}

impl Default for Doc {
    fn default() -> Doc {
        Doc {
            file: crate::diagnostics::SourceFile::new("", ""),
            range: 0..0,
            anchors: false,
            links: Vec::new(),
            marks: Vec::new(),
            refs: Vec::new(),
            images: Vec::new(),
        }
    }
}

impl Doc {
    /// The Markdown text.
    pub fn source(&self) -> &str {
        &self.file.text[self.range.clone()]
    }
}

/// An auto-link: bytes `start..end` of the `run`-th run of text (consecutive text events
/// merged, counted from the start of the document) link to `doc.refs[target]` (an index, not
/// a copy of the id: an article has dozens of these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoLink {
    pub run: u32,
    pub start: u32,
    pub end: u32,
    pub target: u32,
}

/// An annotated phrase, marked and followed by a reference to note `number`: from byte `start`
/// of run `run` to byte `end` of run `end_run`. The runs between, if any, are separated by line
/// breaks only, so the mark nests inside whatever holds the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub run: u32,
    pub start: u32,
    pub end_run: u32,
    pub end: u32,
    pub number: u32,
    pub kind: AnnotationKind,
}

impl Mark {
    /// The bytes of run `run` (of length `len`) the mark covers, if any.
    pub fn span_in(&self, run: u32, len: usize) -> Option<(usize, usize)> {
        if run < self.run || run > self.end_run {
            return None;
        }
        let start = if run == self.run {
            self.start as usize
        } else {
            0
        };
        let end = if run == self.end_run {
            self.end as usize
        } else {
            len
        };
        Some((start, end))
    }
}

/// A note anchored to a phrase of an article's body.
#[derive(Debug, Clone)]
pub struct Annotation {
    /// 1, 2, 3… in the order of the anchors in the text.
    pub number: u32,
    pub kind: AnnotationKind,
    /// The phrase as the body has it.
    pub anchor: String,
    /// The id of the paragraph that holds the anchor.
    pub block: Option<String>,
    pub note: Doc,
    /// The note without markup, for backlinks and structured data.
    pub note_text: String,
    pub sources: Vec<Source>,
    pub verdict: Option<Verdict>,
    /// Fact checks: the claim reviewed (given, or the anchor's sentence).
    pub claim: Option<String>,
    /// Fact checks: who made the claim, an entity id or a name.
    pub claimant: Option<String>,
}

impl Annotation {
    /// The id of the note on the article page.
    pub fn id(&self) -> String {
        format!("note-{}", self.number)
    }
}

/// An entity or a term, by id. The id is shared, not copied: a build makes millions of these
/// (every name found in every text, and each text's list of what it links to).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ref {
    Entity(Arc<str>),
    Term(Arc<str>),
}

impl Ref {
    pub fn entity(id: &str) -> Ref {
        Ref::Entity(id.into())
    }

    pub fn term(id: &str) -> Ref {
        Ref::Term(id.into())
    }
}

#[derive(Debug)]
pub struct Article {
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    /// The latest of `date`, `updated` and every correction's date.
    pub modified: Date,
    pub dek: Option<String>,
    /// Where (and when) the story was filed, shown in the meta line.
    pub dateline: Option<String>,
    pub authors: Vec<String>,
    pub section: Option<String>,
    /// (slug, name)
    pub tags: Vec<(String, String)>,
    pub draft: bool,
    /// The lead image.
    pub image: Option<Arc<Image>>,
    pub key_points: Vec<KeyPoint>,
    pub background: Option<Doc>,
    pub timeline: Vec<Dated>,
    /// Entities the article is about (front matter `entities:`), in the order given.
    pub about: Vec<Arc<str>>,
    /// Entities mentioned in the body, in order of first mention: the ids the references
    /// hold, shared rather than copied (44 an article in a large archive).
    pub mentions: Vec<Arc<str>>,
    /// Terms used in the body, in order of first use.
    pub terms: Vec<Arc<str>>,
    pub sources: Vec<Source>,
    pub corrections: Vec<Dated>,
    pub body: Doc,
    /// In text order.
    pub annotations: Vec<Annotation>,
    /// A plain-text excerpt of the body, for feeds without a dek.
    pub summary: String,
    pub word_count: usize,
    pub links: Vec<Link>,
    /// Ids of elements in the body, for checking `#fragment` links.
    pub anchors: Anchors,
}

/// A link or image written in a text, kept for the link check.
#[derive(Debug, Clone)]
pub struct Link {
    pub dest: String,
    pub location: crate::diagnostics::Location,
}

#[derive(Debug, Clone)]
pub struct KeyPoint {
    pub text: String,
    /// The id of the paragraph that supports it.
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    pub date: Date,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub body: Doc,
    pub links: Vec<Link>,
    pub anchors: Anchors,
}

/// An entity: what its definition says, shared between builds, and what the articles say of it.
/// Derefs to [`EntityInfo`], so `entity.name` reads as a field.
#[derive(Debug, Clone)]
pub struct Entity {
    pub info: Arc<EntityInfo>,
    /// Beside the id in the registry's entry rather than behind `info`: every reference in a
    /// text looks its entity's kind up to write its link, and this saves that lookup a cache
    /// miss (perf at 10,000 articles: writing those links 3.6% -> 2.7% of the samples).
    pub kind: EntityKind,
    /// One per article that mentions it, in article order. Shared with `gloss serve`'s cache.
    pub mentions: Arc<Vec<Mention>>,
    /// Entities mentioned alongside it, most often first.
    pub related: Arc<Vec<String>>,
}

#[derive(Debug)]
pub struct EntityInfo {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub description: Option<Doc>,
    /// The description without markup, for preview cards.
    pub description_text: Option<String>,
    pub wikidata: Option<String>,
    /// A portrait, flag or map.
    pub image: Option<Arc<Image>>,
}

impl std::ops::Deref for Entity {
    type Target = EntityInfo;
    fn deref(&self) -> &EntityInfo {
        &self.info
    }
}

/// A glossary term: its definition, shared between builds, and the articles that use it.
/// Derefs to [`TermInfo`].
#[derive(Debug, Clone)]
pub struct Term {
    pub info: Arc<TermInfo>,
    pub mentions: Arc<Vec<Mention>>,
}

#[derive(Debug)]
pub struct TermInfo {
    pub id: String,
    pub term: String,
    pub aliases: Vec<String>,
    pub definition: Doc,
    /// The definition without markup, for `title` attributes and structured data.
    pub definition_text: String,
}

impl std::ops::Deref for Term {
    type Target = TermInfo;
    fn deref(&self) -> &TermInfo {
        &self.info
    }
}

/// An article that mentions an entity or a term.
///
/// 32 bytes: an archive of 50,000 articles has 2.2 million of them, kept for the whole build
/// (at 64 bytes they were a tenth of its peak memory).
#[derive(Debug, Clone)]
pub struct Mention {
    /// Index into `Site::articles`.
    article: u32,
    /// The number N of the paragraph that holds it, whose id is `p-N` (N counts from 1).
    paragraph: Option<NonZeroU32>,
    /// The sentence of the first mention; none when the article only lists the entity in its
    /// front matter. Read it with [`Site::sentence`].
    pub sentence: Sentence,
    /// Annotation notes of the article that mention it; shared by the article's mentions of
    /// each thing a note names, and none for nearly every mention.
    notes: Option<Arc<Vec<NoteMention>>>,
}

impl Mention {
    pub fn new(
        article: usize,
        sentence: Sentence,
        paragraph: Option<NonZeroU32>,
        notes: Option<Arc<Vec<NoteMention>>>,
    ) -> Mention {
        Mention {
            article: u32::try_from(article).expect("fewer than 4 billion articles"),
            paragraph,
            sentence,
            notes,
        }
    }

    /// Index into `Site::articles`.
    pub fn article(&self) -> usize {
        self.article as usize
    }

    /// Points it at the article at `article` of `Site::articles`.
    pub fn renumber(&mut self, article: usize) {
        self.article = u32::try_from(article).expect("fewer than 4 billion articles");
    }

    /// The number N of the paragraph that holds it (its id is `p-N`).
    pub fn paragraph(&self) -> Option<u32> {
        self.paragraph.map(NonZeroU32::get)
    }

    pub fn notes(&self) -> &[NoteMention] {
        self.notes.as_deref().map_or(&[], Vec::as_slice)
    }
}

/// The ids a text gives its elements, for checking `#fragment` links: `p-1` to `p-{blocks}`
/// (its paragraphs and list items, counted rather than listed: two dozen strings an article),
/// and the others by name (headings, footnotes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    pub blocks: usize,
    pub named: BTreeSet<String>,
}

impl Anchors {
    pub fn contains(&self, id: &str) -> bool {
        let block = id
            .strip_prefix("p-")
            .filter(|n| !n.starts_with('0'))
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| (1..=self.blocks).contains(&n));
        block || self.named.contains(id)
    }
}

/// Where a mention's sentence is.
///
/// Nearly always the sentence's bytes stand in the article's source as they are, and the
/// backlink points there: at 10,000 articles a copy of each of 440,000 sentences was 55 MB, an
/// eighth of a build's memory, and every new page of it had to be zeroed by the system first.
/// A sentence the source spells differently (across a line break, with markup or entities in
/// it) is copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Sentence {
    #[default]
    None,
    /// Bytes `start..start + len` of the article's source file (`Article::body.file`).
    InSource { start: u32, len: u32 },
    /// Behind one pointer, so that a `Sentence` (and a [`Mention`]) stays small.
    Own(Arc<String>),
}

impl Sentence {
    /// `sentence`, which stands as it is at byte `in_source` of the article's source file when
    /// that is known.
    pub fn new(sentence: &str, in_source: Option<usize>) -> Sentence {
        if sentence.is_empty() {
            return Sentence::None;
        }
        let located = in_source.and_then(|start| {
            Some(Sentence::InSource {
                start: u32::try_from(start).ok()?,
                len: u32::try_from(sentence.len()).ok()?,
            })
        });
        located.unwrap_or_else(|| Sentence::Own(Arc::new(sentence.to_string())))
    }
}

/// An annotation note that mentions an entity or a term.
#[derive(Debug, Clone)]
pub struct NoteMention {
    /// The note's id on the article page (`note-3`).
    pub id: String,
    pub kind: AnnotationKind,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct SiteEvent {
    pub date: Date,
    pub text: String,
    /// Index into `Site::articles`.
    pub article: usize,
}

#[derive(Debug)]
pub struct Tag {
    pub name: String,
    /// Indexes into `Site::articles`, newest first.
    pub articles: Vec<usize>,
}

impl Site {
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// The sentence of mention `m` ("" when it has none).
    pub fn sentence<'s>(&'s self, m: &'s Mention) -> &'s str {
        match &m.sentence {
            Sentence::None => "",
            Sentence::InSource { start, len } => {
                let (start, len) = (*start as usize, *len as usize);
                self.articles
                    .get(m.article())
                    .and_then(|a| a.body.file.text.get(start..start + len))
                    .unwrap_or("")
            }
            Sentence::Own(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backlink and its sentence stay as small as their comments say: there are millions.
    #[test]
    fn backlinks_stay_small() {
        assert_eq!(std::mem::size_of::<Sentence>(), 16);
        assert_eq!(std::mem::size_of::<Mention>(), 32);
        let m = Mention::new(7, Sentence::None, NonZeroU32::new(3), None);
        assert_eq!(
            (m.article(), m.paragraph(), m.notes().len()),
            (7, Some(3), 0)
        );
    }

    #[test]
    fn block_anchors_are_counted_and_the_others_named() {
        let anchors = Anchors {
            blocks: 12,
            named: ["background".to_string(), "p-40".to_string()].into(),
        };
        for id in ["p-1", "p-9", "p-12", "background", "p-40"] {
            assert!(anchors.contains(id), "{id}");
        }
        for id in ["p-0", "p-13", "p-01", "p-", "p-1x", "p--1", "P-1", "other"] {
            assert!(!anchors.contains(id), "{id}");
        }
    }
}
