//! Pieces that many pages repeat, made once per build instead of once per page: an entity's
//! JSON-LD (in every article that mentions it), preview card (in every article that links to
//! it) and list entry (in every "people and places" and "related" list), and an article's entry
//! in the JSON-LD and the mention list of every entity page that lists it. At 10,000 articles
//! that is 5,000 entities made once instead of 400,000 times, and 10,000 articles instead of
//! 440,000 mentions.
//!
//! Each piece is made on first use, so `gloss serve`, which renders a few pages after an edit,
//! makes only what those pages need.

use std::sync::OnceLock;

use serde_json::value::RawValue;

use super::{context, escape, markdown, seo};
use crate::site::{Entity, Mention, Ref, Site, Term};

/// The pieces of one build, filled in as pages ask for them (from any thread).
pub struct Fragments<'s> {
    site: &'s Site,
    /// The build's processed images.
    images: &'s crate::images::Catalogue,
    /// The interface's words, for kinds and dates.
    strings: &'s crate::i18n::Strings,
    /// In the order of `site.entities`, whose index of an id gives the slot.
    entities: Vec<OnceLock<EntityPieces>>,
    /// In the order of `site.terms`.
    terms: Vec<OnceLock<TermPieces>>,
    /// In the order of `site.articles`.
    articles: Vec<OnceLock<ArticlePieces>>,
    /// The notes of a mention that has none.
    no_notes: tera::Value,
}

/// An article as entity pages list it.
struct ArticlePieces {
    /// Its entry in an entity page's `subjectOf`.
    json_ld: Box<RawValue>,
    /// What a mention of it shows. Tera values, which a page's context shares instead of
    /// copying (a title is a reference count, a date is short enough to sit inline).
    title: tera::Value,
    date_iso: tera::Value,
    date_long: tera::Value,
    /// From `ROOT`.
    url: String,
    /// The lead image's thumbnail, from `ROOT`.
    thumb: Option<String>,
}

struct EntityPieces {
    json_ld: Box<RawValue>,
    preview: String,
    /// Whether an article's "in this story" list shows all its card shows (see
    /// [`Fragments::entity_listed`]).
    listed: bool,
    link: tera::Value,
    /// The `<a>` that opens a reference to it in a text.
    open: String,
}

struct TermPieces {
    preview: String,
    open: String,
}

/// Links in the pieces are relative: they are made for pages two folders down (`articles/x/`,
/// `entities/x/`), where nearly all of them go.
pub const ROOT: &str = super::ARTICLE_ROOT;

impl<'s> Fragments<'s> {
    pub fn new(
        site: &'s Site,
        images: &'s crate::images::Catalogue,
        strings: &'s crate::i18n::Strings,
    ) -> Fragments<'s> {
        Fragments {
            site,
            images,
            strings,
            entities: site.entities.keys().map(|_| OnceLock::new()).collect(),
            terms: site.terms.keys().map(|_| OnceLock::new()).collect(),
            articles: site.articles.iter().map(|_| OnceLock::new()).collect(),
            no_notes: tera::Value::from(Vec::<tera::Value>::new()),
        }
    }

    pub fn images(&self) -> &'s crate::images::Catalogue {
        self.images
    }

    /// The pieces of entity `id`, if there is one.
    fn entity(&self, id: &str) -> Option<&EntityPieces> {
        let (slot, _, entity) = self.site.entities.get_full(id)?;
        Some(self.entities[slot].get_or_init(|| {
            let json_ld = serde_json::value::to_raw_value(&seo::entity_ref(self.site, entity))
                .expect("plain data always serializes");
            let card = entity_preview(entity, self.images, ROOT);
            let listed = card.img.is_none() && card.text.as_deref() == entity.role.as_deref();
            let preview = preview_entry(&entity.id, &card);
            let link = tera::Value::from_serializable(&entity_link(entity, self.images, ROOT));
            let open = markdown::ref_open(&Ref::entity(&entity.id), self.site, ROOT);
            EntityPieces {
                json_ld,
                preview,
                listed,
                link,
                open,
            }
        }))
    }

    /// A reference to entity `id` for an article's structured data (not yet made safe for a
    /// `<script>`).
    pub fn entity_json_ld(&self, id: &str) -> Option<&RawValue> {
        self.entity(id).map(|p| &*p.json_ld)
    }

    /// `"id":{…}`: entity `id`'s entry in a page's preview data, safe inside a `<script>`.
    pub fn entity_preview(&self, id: &str) -> Option<&str> {
        self.entity(id).map(|p| p.preview.as_str())
    }

    /// Whether entity `id`'s preview card shows nothing an article's "in this story" list does
    /// not: its name and role, and no picture. The page script reads such a card from the
    /// list, so article pages leave it out of their data.
    pub fn entity_listed(&self, id: &str) -> bool {
        self.entity(id).is_some_and(|p| p.listed)
    }

    /// Entity `id` as lists of people and places on an article or entity page show it.
    pub fn entity_link(&self, id: &str) -> Option<tera::Value> {
        self.entity(id).map(|p| p.link.clone())
    }

    /// `"id":{…}`: term `id`'s entry in a page's preview data, safe inside a `<script>`.
    pub fn term_preview(&self, id: &str) -> Option<&str> {
        self.term(id).map(|p| p.preview.as_str())
    }

    fn term(&self, id: &str) -> Option<&TermPieces> {
        let (slot, _, term) = self.site.terms.get_full(id)?;
        Some(self.terms[slot].get_or_init(|| TermPieces {
            preview: preview_entry(&term.id, &term_preview(term)),
            open: markdown::ref_open(&Ref::term(&term.id), self.site, ROOT),
        }))
    }

    /// The `<a>` that opens a reference to `target` in a text on a page at `ROOT`, if the
    /// entity or term exists.
    pub fn ref_open(&self, target: &Ref) -> Option<&str> {
        match target {
            Ref::Entity(id) => self.entity(id).map(|p| p.open.as_str()),
            Ref::Term(id) => self.term(id).map(|p| p.open.as_str()),
        }
    }

    fn article(&self, index: usize) -> &ArticlePieces {
        self.articles[index].get_or_init(|| {
            let article = &self.site.articles[index];
            let thumb = article
                .image
                .as_deref()
                .and_then(|i| self.images.get(i))
                .and_then(|p| super::images::thumb(p, ROOT));
            ArticlePieces {
                thumb,
                json_ld: serde_json::value::to_raw_value(&seo::article_ref(self.site, article))
                    .expect("plain data always serializes"),
                title: tera::Value::from(article.title.as_str()),
                date_iso: tera::Value::from(article.date.iso()),
                date_long: tera::Value::from(self.strings.date(article.date)),
                url: [ROOT, "articles/", &article.slug, "/"].concat(),
            }
        })
    }

    /// Article `index` as an entity page's JSON-LD lists it (not yet made safe for a
    /// `<script>`).
    pub fn article_json_ld(&self, index: usize) -> &RawValue {
        &self.article(index).json_ld
    }

    /// Mention `m` as an entity page's list shows it, with links from `ROOT`.
    pub fn mention<'m>(&'m self, m: &'m Mention) -> context::MentionCtx<'m> {
        self.mention_from(m, "")
    }

    /// [`Self::mention`] for a page `up` further from the root than `ROOT` (`../../` for an
    /// entity page's second page, `entities/x/page/2/`).
    pub fn mention_from<'m>(&'m self, m: &'m Mention, up: &str) -> context::MentionCtx<'m> {
        let a = self.article(m.article());
        // Built on a copy of the article's link, not `format!`ted whole: 400,000 of these at
        // 10,000 articles.
        let mut url = String::with_capacity(up.len() + a.url.len() + 14);
        url.push_str(up);
        url.push_str(&a.url);
        if let Some(n) = m.paragraph() {
            url.push_str("#p-");
            url.push_str(itoa::Buffer::new().format(n));
        }
        let thumb = match (up, &a.thumb) {
            (_, None) => None,
            ("", Some(thumb)) => Some(std::borrow::Cow::Borrowed(thumb.as_str())),
            (up, Some(_)) => self.site.articles[m.article()]
                .image
                .as_deref()
                .and_then(|i| self.images.get(i))
                .and_then(|p| super::images::thumb(p, &[up, ROOT].concat()))
                .map(std::borrow::Cow::Owned),
        };
        context::MentionCtx {
            thumb,
            title: &a.title,
            url,
            date_iso: &a.date_iso,
            date_long: &a.date_long,
            sentence: self.site.sentence(m),
            notes: if m.notes().is_empty() {
                context::NoteList::Shared(&self.no_notes)
            } else {
                context::NoteList::Own(
                    m.notes()
                        .iter()
                        .map(|n| context::NoteMentionCtx {
                            url: [up, &a.url, "#", &n.id].concat(),
                            kind_label: self.strings.note_kind(n.kind),
                            text: &n.text,
                        })
                        .collect(),
                )
            },
        }
    }
}

/// What an entity's preview card shows, its picture from `root`.
pub fn entity_preview<'e>(
    e: &'e Entity,
    images: &crate::images::Catalogue,
    root: &str,
) -> context::Preview<'e> {
    context::Preview {
        img: entity_thumb(e, images, root),
        kind: context::preview_kind(e.kind),
        name: &e.name,
        text: e.role.clone().or_else(|| e.description_text.clone()),
    }
}

/// The URL of an entity's square thumbnail, from `root`, when it has a picture.
fn entity_thumb(e: &Entity, images: &crate::images::Catalogue, root: &str) -> Option<String> {
    let image = e.image.as_deref()?;
    super::images::thumb_url(images.get(image)?, root)
}

/// What a term's preview card shows.
pub fn term_preview(t: &Term) -> context::Preview<'_> {
    context::Preview {
        img: None,
        kind: context::TERM_KIND,
        name: &t.term,
        text: Some(t.definition_text.clone()),
    }
}

/// What templates get for an entity in a list, with links from `root`.
pub fn entity_link<'e>(
    e: &'e Entity,
    images: &crate::images::Catalogue,
    root: &str,
) -> context::EntityLink<'e> {
    context::EntityLink {
        thumb: entity_thumb(e, images, root),
        id: &e.id,
        name: &e.name,
        kind: e.kind.as_str(),
        role: e.role.as_deref(),
        url: format!("{root}entities/{}/", e.id),
        count: e.mentions.len(),
    }
}

/// `"id":{…}`, the bytes serde_json writes for a map entry, made safe for a `<script>` (which
/// only replaces characters, so pieces made safe one by one join into safe JSON).
fn preview_entry(id: &str, preview: &context::Preview) -> String {
    let entry = format!(
        "{}:{}",
        serde_json::to_string(id).expect("a string always serializes"),
        serde_json::to_string(preview).expect("plain data always serializes")
    );
    escape::script_safe(&entry)
}
