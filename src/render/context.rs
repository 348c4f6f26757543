//! What templates see, as typed structs that borrow from the `Site`.
//!
//! Pages that exist once (glossary, timeline) build their data with `json!`; the pages that
//! exist by the thousand (articles, entities) and the part every page shares use these
//! structs, which serialize straight into Tera's values without an intermediate JSON tree.

use serde::Serialize;

use crate::content::Date;

#[derive(Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    pub base_url: &'a str,
    pub publisher: &'a str,
    pub search: bool,
}

#[derive(Serialize)]
pub struct PageCtx<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub canonical: Option<String>,
    pub kind: &'a str,
    pub path: &'a str,
}

#[derive(Serialize)]
pub struct Assets {
    pub style: String,
    pub highlight: String,
    pub script: String,
    pub search: String,
    pub icon: String,
}

#[derive(Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct TagLink<'a> {
    pub name: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct EntityLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'static str,
    pub role: Option<&'a str>,
    pub url: String,
    pub count: usize,
    /// The square thumbnail's URL, when the entity has a picture.
    pub thumb: Option<String>,
}

#[derive(Serialize)]
pub struct Dated<'a> {
    pub date_iso: String,
    pub date_long: String,
    pub text: &'a str,
}

impl<'a> Dated<'a> {
    pub fn new(date: Date, text: &'a str, strings: &crate::i18n::Strings) -> Dated<'a> {
        Dated {
            date_iso: date.iso(),
            date_long: strings.date(date),
            text,
        }
    }
}

#[derive(Serialize)]
pub struct KeyPoint<'a> {
    pub text: &'a str,
    pub target: Option<&'a str>,
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct TermRef<'a> {
    pub id: &'a str,
    pub term: &'a str,
    pub definition: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct Source<'a> {
    pub name: &'a str,
    pub url: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Text<'a> {
    pub text: &'a str,
}

#[derive(Serialize)]
pub struct ArticleCtx<'a> {
    pub slug: &'a str,
    /// The lead image: the figure's markup and what social cards show.
    pub image: Option<LeadImage>,
    pub title: &'a str,
    pub dek: Option<&'a str>,
    pub dateline: Option<&'a str>,
    pub draft: bool,
    pub section: Option<&'a str>,
    pub authors: &'a [String],
    pub date_iso: String,
    pub date_long: String,
    pub updated_iso: Option<String>,
    pub updated_long: Option<String>,
    pub published: String,
    pub modified: String,
    pub tags: Vec<TagLink<'a>>,
    pub key_points: Vec<KeyPoint<'a>>,
    pub background_html: Option<String>,
    pub body_html: &'a str,
    pub timeline: Vec<Dated<'a>>,
    // `people` is added beside these, from entries made once per build.
    pub terms: Vec<TermRef<'a>>,
    pub sources: Vec<Source<'a>>,
    pub corrections: Vec<Dated<'a>>,
    pub notes: Vec<Note<'a>>,
}

/// An annotation note, as the numbered list at the end of an article shows it.
#[derive(Serialize)]
pub struct Note<'a> {
    pub number: u32,
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'a str,
    pub anchor: &'a str,
    pub verdict: Option<&'static str>,
    pub verdict_label: Option<&'a str>,
    pub html: String,
    pub sources: Vec<Source<'a>>,
}

/// An article in a list (front page, tag page).
#[derive(Serialize)]
pub struct Summary<'a> {
    pub title: &'a str,
    pub url: String,
    pub dek: Option<&'a str>,
    pub section: Option<&'a str>,
    pub draft: bool,
    pub date_iso: String,
    pub date_long: String,
    pub key_points: Vec<Text<'a>>,
    /// The lead image as a list thumbnail (`<img>`).
    pub thumb: Option<String>,
}

#[derive(Serialize)]
pub struct EntityCtx<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'static str,
    pub kind_label: &'a str,
    pub role: Option<&'a str>,
    pub aliases: &'a [String],
    pub description_html: Option<String>,
    pub wikidata: Option<&'a str>,
    pub wikidata_url: Option<String>,
    /// The entity's picture as a figure.
    pub image_html: Option<String>,
}

#[derive(Serialize)]
pub struct MentionCtx<'a> {
    /// The article's lead image as a list thumbnail (`<img>`).
    pub thumb: Option<std::borrow::Cow<'a, str>>,
    // Values made once per article (`fragments`): Tera clones a `Value` it meets while
    // serializing instead of building a new one.
    pub title: &'a tera::Value,
    pub url: String,
    pub date_iso: &'a tera::Value,
    pub date_long: &'a tera::Value,
    pub sentence: &'a str,
    /// Annotation notes of the article that mention the entity or term.
    pub notes: NoteList<'a>,
}

/// A mention's notes: its own list, or the empty list that the mentions without notes (nearly
/// all of them) share, since Tera makes a new shared list for every list it serializes.
#[derive(Serialize)]
#[serde(untagged)]
pub enum NoteList<'a> {
    Own(Vec<NoteMentionCtx<'a>>),
    Shared(&'a tera::Value),
}

#[derive(Serialize)]
pub struct NoteMentionCtx<'a> {
    pub url: String,
    pub kind_label: &'a str,
    pub text: &'a str,
}

/// What a preview card shows, written in its shortest form, `[kind, name, text, img]`: the
/// kind an index into the page's table of kind labels ([`PREVIEW_KINDS`]), trailing empty
/// fields left out. A page carries one of these per entity and term it links.
pub struct Preview<'a> {
    /// The square thumbnail's URL (an entity's portrait, flag or map).
    pub img: Option<String>,
    pub kind: u8,
    pub name: &'a str,
    pub text: Option<String>,
}

/// The entity kinds in the order of the labels a page's data carries; the glossary's label
/// follows them.
pub const PREVIEW_KINDS: [crate::content::EntityKind; 5] = {
    use crate::content::EntityKind::*;
    [Person, Organisation, Place, Event, Other]
};

/// The index of a glossary term's kind label: after the entity kinds'.
pub const TERM_KIND: u8 = PREVIEW_KINDS.len() as u8;

/// An entity kind's index in [`PREVIEW_KINDS`].
pub fn preview_kind(kind: crate::content::EntityKind) -> u8 {
    PREVIEW_KINDS
        .iter()
        .position(|k| *k == kind)
        .map_or(TERM_KIND - 1, |i| i as u8)
}

impl Serialize for Preview<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let len = if self.img.is_some() {
            4
        } else if self.text.is_some() {
            3
        } else {
            2
        };
        let mut seq = s.serialize_seq(Some(len))?;
        seq.serialize_element(&self.kind)?;
        seq.serialize_element(self.name)?;
        if len > 2 {
            seq.serialize_element(&self.text)?;
        }
        if len > 3 {
            seq.serialize_element(&self.img)?;
        }
        seq.end()
    }
}

/// An article's lead image.
#[derive(Serialize)]
pub struct LeadImage {
    /// The `<figure>`, caption and credit included.
    pub html: String,
    pub social: Option<super::images::Social>,
}
