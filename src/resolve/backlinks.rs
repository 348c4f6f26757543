//! Backlinks: for every entity and term, the articles that mention it, newest first, each with
//! the sentence of its first mention.
//!
//! They are the most numerous thing a build keeps (2.2 million at 50,000 articles), made by
//! turning every article's list of first mentions inside out. A build does that as each
//! article is resolved ([`Gatherer`]): kept until the last article, the first mentions and the
//! lists made from them were alive together at the build's peak memory. `gloss serve` keeps
//! the first mentions instead ([`gather`]), so that an edit works out again only the backlinks
//! it changes.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::site::{Article, Entity, Mention, NoteMention, Ref, Registry, Sentence, Term};

/// The first mention of an entity or term in an article, for its backlink.
#[derive(Clone)]
pub(super) struct FirstMention {
    pub target: Ref,
    pub sentence: Sentence,
    pub paragraph: Option<NonZeroU32>,
    /// Annotation notes that mention it too, shared with its backlink.
    pub notes: Option<Arc<Vec<NoteMention>>>,
}

pub(super) fn mention(article: usize, first: &FirstMention) -> Mention {
    Mention::new(
        article,
        first.sentence.clone(),
        first.paragraph,
        first.notes.clone(),
    )
}

/// An article lists the entity in its front matter without mentioning it in the text.
pub(super) fn mention_about(article: usize) -> Mention {
    Mention::new(article, Sentence::None, None, None)
}

/// Every entity's and term's backlinks, in article order (newest first), from every article's
/// first mentions, gathered by slot rather than looked up in the maps for each of the site's
/// mentions. `gloss serve` keeps the first mentions, to work out again only what an edit
/// changes; a build gathers with a [`Gatherer`] instead.
pub(super) fn gather(
    articles: &[Arc<Article>],
    firsts: Vec<Arc<Vec<FirstMention>>>,
    entities: &mut Registry<Entity>,
    terms: &mut Registry<Term>,
) {
    let entity_slot = slots(entities.keys());
    let term_slot = slots(terms.keys());
    // Looking the slots up reads every target's id: done on all threads. What is left to do in
    // order is appending to the lists.
    let entity_count = entities.len();
    // Per article: the slot of each first mention, and of each entity it is only about.
    let slots: Vec<(Vec<Option<usize>>, Vec<usize>)> = firsts
        .par_iter()
        .zip(articles)
        .map(|(firsts, article)| {
            let named = firsts
                .iter()
                .map(|first| match &first.target {
                    Ref::Entity(id) => entity_slot.get(&**id).copied(),
                    Ref::Term(id) => term_slot.get(&**id).map(|&i| entity_count + i),
                })
                .collect();
            let about = article
                .about
                .iter()
                .filter(|id| !article.mentions.contains(id))
                .filter_map(|id| entity_slot.get(&**id).copied())
                .collect();
            (named, about)
        })
        .collect();
    // Lists made to size: grown by doubling, they held 16 MB of spare room at 10,000 articles
    // (massif, when an entry was 64 bytes: 44 MB for 28 MB of entries).
    let mut sizes = vec![0usize; entity_count + terms.len()];
    for (named, about) in &slots {
        for &slot in named.iter().flatten().chain(about) {
            sizes[slot] += 1;
        }
    }
    // Made on all threads: each new list faults in fresh pages (14 MB at 10,000 articles).
    let mut lists: Vec<Vec<Mention>> = sizes.into_par_iter().map(Vec::with_capacity).collect();
    // Filled on all threads, each one a range of slots: appending 440,000 entries on one
    // thread (and faulting in the lists' fresh pages) left the others idle for 50-70 ms at
    // 10,000 articles. Every range reads all the articles' slots, which is cheap next to the
    // appending; the entries are copies (a sentence is mostly a place in the source).
    let per_range = lists
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    lists
        .par_chunks_mut(per_range)
        .enumerate()
        .for_each(|(piece, lists)| {
            let range = piece * per_range..piece * per_range + lists.len();
            for (index, (list, (named, about))) in firsts.iter().zip(&slots).enumerate() {
                for (first, &slot) in list.iter().zip(named) {
                    if let Some(slot) = slot.filter(|&s| range.contains(&s)) {
                        lists[slot - range.start].push(mention(index, first));
                    }
                }
                for &slot in about.iter().filter(|&&s| range.contains(&s)) {
                    lists[slot - range.start].push(mention_about(index));
                }
            }
        });
    drop((entity_slot, term_slot));
    // What is left, made on the other threads, is freed on one of them: handing 20,000 small
    // allocations back one by one cost this thread 30 ms at 10,000 articles while the others
    // waited.
    rayon::spawn(move || drop((firsts, slots)));
    hand_out(lists, entities, terms);
}

/// Gives each entity, then each term, its list, in registry order.
fn hand_out(lists: Vec<Vec<Mention>>, entities: &mut Registry<Entity>, terms: &mut Registry<Term>) {
    let mut lists = lists.into_iter();
    for (entity, list) in entities.values_mut().zip(lists.by_ref()) {
        entity.mentions = Arc::new(list);
    }
    for (term, list) in terms.values_mut().zip(lists) {
        term.mentions = Arc::new(list);
    }
}

/// Each id's place in its registry.
fn slots<'r>(ids: impl Iterator<Item = &'r String>) -> FxHashMap<&'r str, usize> {
    ids.enumerate().map(|(i, id)| (id.as_str(), i)).collect()
}

/// Gathers backlinks while the articles are resolved, in any order and on any thread: each
/// article's first mentions go into their lists at once, numbered by the article's place in
/// the input, and [`Gatherer::finish`] renumbers them by its place in the site.
pub(super) struct Gatherer<'r> {
    entity_slot: FxHashMap<&'r str, usize>,
    term_slot: FxHashMap<&'r str, usize>,
    /// One list per entity, then one per term, in registry order.
    lists: Vec<Mutex<Vec<Mention>>>,
}

impl<'r> Gatherer<'r> {
    pub fn new(entities: &'r Registry<Entity>, terms: &'r Registry<Term>) -> Gatherer<'r> {
        Gatherer::for_ids(entities.keys(), terms.keys())
    }

    /// A gatherer for the entities and terms with these ids, in this order.
    fn for_ids(
        entities: impl Iterator<Item = &'r String>,
        terms: impl Iterator<Item = &'r String>,
    ) -> Gatherer<'r> {
        let entity_slot = slots(entities);
        let term_slot = slots(terms);
        let lists = (0..entity_slot.len() + term_slot.len())
            .map(|_| Mutex::new(Vec::new()))
            .collect();
        Gatherer {
            entity_slot,
            term_slot,
            lists,
        }
    }

    /// Adds the backlinks of the article at place `input` of the input: one per first
    /// mention (moved in), and one for each entity it is only about.
    pub fn add(&self, input: usize, article: &Article, firsts: Vec<FirstMention>) {
        self.add_ids(input, &article.about, &article.mentions, firsts);
    }

    /// [`Self::add`] for an article about the entities `about` that mentions `mentioned`.
    fn add_ids(
        &self,
        input: usize,
        about: &[Arc<str>],
        mentioned: &[Arc<str>],
        firsts: Vec<FirstMention>,
    ) {
        let push = |slot: usize, mention: Mention| {
            // A poisoned list only means another thread panicked, which fails the build.
            if let Ok(mut list) = self.lists[slot].lock() {
                list.push(mention);
            }
        };
        for first in firsts {
            let slot = match &first.target {
                Ref::Entity(id) => self.entity_slot.get(&**id).copied(),
                Ref::Term(id) => self
                    .term_slot
                    .get(&**id)
                    .map(|&i| self.entity_slot.len() + i),
            };
            if let Some(slot) = slot {
                push(
                    slot,
                    Mention::new(input, first.sentence, first.paragraph, first.notes),
                );
            }
        }
        for id in about.iter().filter(|id| !mentioned.contains(id)) {
            if let Some(&slot) = self.entity_slot.get(&**id) {
                push(slot, mention_about(input));
            }
        }
    }

    /// Hands each entity and term its backlinks, in site order: `place[i]` is the place in
    /// the site of the article at place `i` of the input.
    pub fn finish(
        self,
        place: &[usize],
        entities: &mut Registry<Entity>,
        terms: &mut Registry<Term>,
    ) {
        hand_out(self.lists_by_place(place), entities, terms);
    }

    /// Every entity's, then every term's list, renumbered by `place` and in site order.
    fn lists_by_place(self, place: &[usize]) -> Vec<Vec<Mention>> {
        self.lists
            .into_par_iter()
            .map(|list| {
                let mut list = list.into_inner().unwrap_or_else(|e| e.into_inner());
                for m in &mut list {
                    m.renumber(place[m.article()]);
                }
                // An article gives a list one entry at most: the order is the same every build.
                list.sort_unstable_by_key(Mention::article);
                // Grown by doubling, and kept for the whole build.
                list.shrink_to_fit();
                list
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(target: Ref, at: u32) -> FirstMention {
        FirstMention {
            target,
            sentence: Sentence::InSource { start: at, len: 5 },
            paragraph: NonZeroU32::new(at),
            notes: None,
        }
    }

    /// Articles added in any order, from any thread, come out in site order: each list holds
    /// one entry per article that mentions its entity or term (or is only about the entity),
    /// numbered by the article's place in the site, newest first.
    #[test]
    fn gathered_backlinks_come_out_in_site_order() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (entities, terms) = (ids(&["a", "b", "c"]), ids(&["t"]));
        let arcs = |v: &[&str]| v.iter().map(|&s| Arc::<str>::from(s)).collect::<Vec<_>>();
        let gatherer = Gatherer::for_ids(entities.iter(), terms.iter());
        // Input 0 mentions a and t and is about c too; input 1 mentions b then a; input 2
        // mentions a and is about a (already a mention: no second entry); an unknown id is
        // left out.
        let inputs = [
            (
                arcs(&["c"]),
                arcs(&["a"]),
                vec![first(Ref::entity("a"), 10), first(Ref::term("t"), 11)],
            ),
            (
                arcs(&[]),
                arcs(&["b", "a"]),
                vec![first(Ref::entity("b"), 20), first(Ref::entity("a"), 21)],
            ),
            (
                arcs(&["a"]),
                arcs(&["a", "zz"]),
                vec![first(Ref::entity("a"), 30), first(Ref::entity("zz"), 31)],
            ),
        ];
        let inputs: Vec<_> = inputs.into_iter().enumerate().collect();
        inputs
            .into_par_iter()
            .rev()
            .for_each(|(input, (about, mentioned, firsts))| {
                gatherer.add_ids(input, &about, &mentioned, firsts);
            });
        // Input 0 is the oldest, input 1 the newest.
        let lists = gatherer.lists_by_place(&[2, 0, 1]);
        let seen: Vec<Vec<(usize, Option<u32>, Sentence)>> = lists
            .iter()
            .map(|l| {
                l.iter()
                    .map(|m| (m.article(), m.paragraph(), m.sentence.clone()))
                    .collect()
            })
            .collect();
        let at = |n: u32| Sentence::InSource { start: n, len: 5 };
        assert_eq!(
            seen,
            vec![
                vec![
                    (0, Some(21), at(21)),
                    (1, Some(30), at(30)),
                    (2, Some(10), at(10))
                ],
                vec![(0, Some(20), at(20))],
                vec![(2, None, Sentence::None)],
                vec![(2, Some(11), at(11))],
            ]
        );
    }
}
