//! Front matter as written: the raw serde types and the split of a Markdown file into its
//! YAML block and its body.
//!
//! These types keep values close to what the editor typed; `resolve` turns them into the
//! `Article` that later stages use. Every struct denies unknown keys, so a misspelt key is an
//! error at its line rather than a silently missing sidebar.

use std::ops::Range;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::Date;
use crate::config::AutolinkMode;

/// An article's annotations, from its front matter or its sidecar file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: String,
    pub date: Date,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub dek: Option<String>,
    /// Where (and when) the story was filed, as wire copy opens: `Kyiv`, `Kyiv, Nov 25`.
    #[serde(default)]
    pub dateline: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    /// Overrides the site's `autolink` for this article.
    #[serde(default)]
    pub autolink: Option<AutolinkMode>,
    #[serde(default)]
    pub key_points: Vec<RawKeyPoint>,
    #[serde(default)]
    pub background: Option<String>,
    #[serde(default)]
    pub timeline: Vec<RawTimelineEntry>,
    #[serde(default)]
    pub entities: Vec<RawEntityRef>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub corrections: Vec<RawCorrection>,
    /// Terms defined by this article; they join the site's glossary.
    #[serde(default)]
    pub glossary: Entries<RawTerm>,
    /// Notes anchored to phrases of the body.
    #[serde(default)]
    pub annotations: Vec<RawAnnotation>,
    /// The lead image, shown above the article and in social cards.
    #[serde(default)]
    pub image: Option<RawImage>,
}

/// An image as front matter or a registry names it:
/// `{ src: kyiv.jpg, alt: "…", caption: "…", credit: "AFP / Name", focal_point: [0.5, 0.3] }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    /// Relative to the Markdown file (or registry), or `/`-rooted from `content/`.
    pub src: String,
    /// Required; `""` marks a decorative image. Optional here so that its absence is a
    /// diagnostic that says how to fix it rather than serde's "missing field".
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
    /// Where the subject is, as fractions of width and height from the top left: crops keep it.
    #[serde(default)]
    pub focal_point: Option<[f64; 2]>,
}

/// A note anchored to a phrase of the body, shown beside it as a sidenote.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotation {
    /// Text of the body, matched like key-point evidence (typography and spacing folded).
    pub anchor: String,
    /// Which occurrence of `anchor`, counted from 1, when it appears more than once.
    #[serde(default)]
    pub occurrence: Option<usize>,
    pub kind: AnnotationKind,
    /// Markdown; may use `entity:` and `term:` links.
    pub note: String,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    /// Fact-check notes only: the rating of the claim.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// Fact-check notes only: the claim as a sentence (default: the anchor's sentence).
    #[serde(default)]
    pub claim: Option<String>,
    /// Fact-check notes only: who made the claim, an entity id or a name.
    #[serde(default)]
    pub claimant: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationKind {
    Background,
    Context,
    FactCheck,
    Source,
    Quote,
}

impl AnnotationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Background => "background",
            AnnotationKind::Context => "context",
            AnnotationKind::FactCheck => "fact-check",
            AnnotationKind::Source => "source",
            AnnotationKind::Quote => "quote",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnnotationKind::Background => "Background",
            AnnotationKind::Context => "Context",
            AnnotationKind::FactCheck => "Fact check",
            AnnotationKind::Source => "Source",
            AnnotationKind::Quote => "Quote",
        }
    }
}

/// A fact-check rating, from true to false, or unproven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    True,
    MostlyTrue,
    Misleading,
    MostlyFalse,
    False,
    Unproven,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::True => "true",
            Verdict::MostlyTrue => "mostly-true",
            Verdict::Misleading => "misleading",
            Verdict::MostlyFalse => "mostly-false",
            Verdict::False => "false",
            Verdict::Unproven => "unproven",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::True => "True",
            Verdict::MostlyTrue => "Mostly true",
            Verdict::Misleading => "Misleading",
            Verdict::MostlyFalse => "Mostly false",
            Verdict::False => "False",
            Verdict::Unproven => "Unproven",
        }
    }

    /// The rating on a 1 (false) to 5 (true) scale, for structured data; misleading and
    /// unproven are not on the scale and are given by name only.
    pub fn score(self) -> Option<u8> {
        match self {
            Verdict::True => Some(5),
            Verdict::MostlyTrue => Some(4),
            Verdict::MostlyFalse => Some(2),
            Verdict::False => Some(1),
            Verdict::Misleading | Verdict::Unproven => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyPoint {
    pub text: String,
    /// A phrase of the body; the sidebar item links to the paragraph that holds it.
    #[serde(default)]
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimelineEntry {
    pub date: Date,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    pub date: Date,
    pub text: String,
}

/// An item of `entities:`: an id from the registry, or a whole entity defined in place.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawEntityRef {
    Id(String),
    Inline(Box<RawInlineEntity>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInlineEntity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
    #[serde(default)]
    pub image: Option<RawImage>,
}

impl RawInlineEntity {
    pub fn into_entity(self) -> (String, RawEntity) {
        let entity = RawEntity {
            name: self.name,
            kind: self.kind,
            aliases: self.aliases,
            role: self.role,
            description: self.description,
            wikidata: self.wikidata,
            image: self.image,
        };
        (self.id, entity)
    }
}

/// An entry of `entities.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    pub name: String,
    pub kind: EntityKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub role: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
    /// A portrait, flag or map: `{ src, alt, credit }`.
    #[serde(default)]
    pub image: Option<RawImage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    #[serde(alias = "organization")]
    Organisation,
    Place,
    Event,
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
            EntityKind::Event => "event",
            EntityKind::Other => "other",
        }
    }

    /// The schema.org type used in structured data.
    pub fn schema_type(self) -> &'static str {
        match self {
            EntityKind::Person => "Person",
            EntityKind::Organisation => "Organization",
            EntityKind::Place => "Place",
            EntityKind::Event => "Event",
            EntityKind::Other => "Thing",
        }
    }
}

/// An entry of `glossary.yaml` or of an article's `glossary:`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub term: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Short Markdown.
    pub definition: String,
}

/// A plain page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPageFrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

/// A YAML mapping kept in file order, duplicates included, so that a registry can report a
/// duplicate id instead of silently keeping the last one.
#[derive(Debug, Clone)]
pub struct Entries<T>(pub Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of ids to entries")
            }
            fn visit_unit<E>(self) -> Result<Entries<T>, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, T>()? {
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

/// Where the parts of a Markdown file are, as byte ranges of its text.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences; `None` when the file has no front matter.
    pub yaml: Option<Range<usize>>,
    pub body_start: usize,
}

/// Splits a Markdown file into front matter and body. The front matter is a block that starts
/// on the first line with `---` and ends at the next line that is `---` (or `...`).
pub fn split(text: &str) -> Result<Split, &'static str> {
    let Some(first_end) = line_end(text, 0) else {
        return Ok(Split {
            yaml: None,
            body_start: 0,
        });
    };
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            body_start: 0,
        });
    }
    let yaml_start = next_line(text, first_end);
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = line_end(text, pos).unwrap_or(text.len());
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: Some(yaml_start..pos),
                body_start: next_line(text, end),
            });
        }
        pos = next_line(text, end);
    }
    Err("front matter is not closed")
}

/// The byte index of the `\n` (or end of text) ending the line that starts at `start`.
fn line_end(text: &str, start: usize) -> Option<usize> {
    if start >= text.len() {
        return None;
    }
    Some(text[start..].find('\n').map_or(text.len(), |i| start + i))
}

fn next_line(text: &str, line_end: usize) -> usize {
    (line_end + 1).min(text.len())
}

/// Finds `needle` in `text` at or after `from`, for pointing a diagnostic at a value that serde
/// did not give a position for. Returns the byte range.
pub fn locate(text: &str, needle: &str, from: usize) -> Option<Range<usize>> {
    if needle.is_empty() || from > text.len() {
        return None;
    }
    text.get(from..)?
        .find(needle)
        .map(|i| from + i..from + i + needle.len())
}

/// Finds a top-level mapping key (`id:` at the start of a line) in a YAML text.
pub fn locate_key(text: &str, key: &str, from: usize) -> Option<Range<usize>> {
    let mut pos = from;
    while let Some(r) = locate(text, key, pos) {
        let at_line_start = r.start == 0 || text.as_bytes()[r.start - 1] == b'\n';
        let rest = &text[r.end..];
        let quoted_or_colon = rest.starts_with(':');
        if at_line_start && quoted_or_colon {
            return Some(r);
        }
        pos = r.end;
    }
    None
}

/// Groups tags case-insensitively under one URL-safe name.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\ntitle: x\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.unwrap()], "title: x\n");
        assert_eq!(&text[s.body_start..], "Body\n");
    }

    #[test]
    fn splits_crlf_files() {
        let text = "---\r\ntitle: x\r\n---\r\nBody\r\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.unwrap()], "title: x\r\n");
        assert_eq!(&text[s.body_start..], "Body\r\n");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("Just text\n---\n").unwrap();
        assert_eq!(
            s,
            Split {
                yaml: None,
                body_start: 0
            }
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\nBody\n").is_err());
    }

    #[test]
    fn slugify_makes_url_names() {
        assert_eq!(slugify("Trump's 28-point plan"), "trumps-28-point-plan");
        assert_eq!(slugify("  Ukraine / Russia "), "ukraine-russia");
        assert_eq!(slugify("Київ"), "київ");
    }

    #[test]
    fn locate_key_only_matches_line_starts() {
        let text = "nato-x:\n  name: nato\nnato:\n";
        assert_eq!(locate_key(text, "nato", 0), Some(21..25));
    }
}
