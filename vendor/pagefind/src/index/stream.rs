//! gloss patch 8: the index built as pages come.
//!
//! Upstream holds every parsed page (its words and their positions, its text) until the
//! last is in, then turns each page into packed word lists and merges them on one thread:
//! most of the memory of an archive-sized index, and a serial tail after the last page.
//! Here a page is packed on the thread that parsed it ([`pack_page`]: the per-page half of
//! upstream's `build_indexes`, unchanged), its fragment compressed there too, and a
//! [`Builder`] merges it at once into compact per-word position lists, in the order pages are
//! added. [`Builder::finish`] then does what upstream does after its merge, over the same
//! values in the same order: the same files, byte for byte.

use hashbrown::HashMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::{
    fossick::{FossickedData, FossickedWord, MetaFossickedWord},
    index::index_metadata::MetaFilter,
    utils::full_hash,
    SearchOptions,
};
use anyhow::{bail, Result};

use super::index_filter::{FilterIndex, PackedValue};
use super::index_metadata::{MetaIndex, MetaPage, MetaSort};
use super::index_words::{PackedPage, PackedVariant, PackedWord, WordIndex};
use super::{
    chunk_by_size, chunk_meta_from, meta_positions_to_packed, parse_float_sort, parse_int_sort,
    positions_to_packed_page, PagefindIndexes, SortType,
};

/// A page's fragment: its JSON, or that JSON gzipped as the fragment file holds it.
#[derive(Clone)]
pub enum Fragment {
    Json(String),
    Gzipped(Vec<u8>),
}

/// One page, packed for the index and not yet numbered.
pub struct PackedPageData {
    pub url: String,
    pub language: String,
    pub has_custom_body: bool,
    pub force_inclusion: bool,
    /// Whether the page has any word to index (upstream leaves out pages without).
    pub has_words: bool,
    /// The page's words, each with its locations and its variants' (kept compact: `gloss
    /// serve` holds a site's packed pages between index runs).
    words: Vec<PageWord>,
    /// The page's metadata fields in their order, which its meta positions' field ids count.
    meta_fields: Vec<String>,
    /// (filter, value), in upstream's order.
    filters: Vec<(String, String)>,
    sort: BTreeMap<String, String>,
    word_count: usize,
    /// The hash of the fragment's JSON, without the language.
    hash: String,
    fragment: Fragment,
}

/// One word of a page: its locations on the page, and its variants' (other diacritics), each
/// as `[count, locations.., meta count, meta locations..]` (the word's own empty when only
/// variants occur).
struct PageWord {
    word: Box<str>,
    entry: Box<[i32]>,
    variants: Box<[(Box<str>, Box<[i32]>)]>,
}

impl PageWord {
    /// A word as upstream packs it for one page: at most one page entry, one per variant.
    fn new(word: PackedWord) -> Self {
        let entry = |p: &PackedPage| {
            let mut list = Vec::with_capacity(p.locs.len() + p.meta_locs.len() + 2);
            list.push(p.locs.len() as i32);
            list.extend_from_slice(&p.locs);
            list.push(p.meta_locs.len() as i32);
            list.extend_from_slice(&p.meta_locs);
            list.into_boxed_slice()
        };
        debug_assert!(word.pages.len() <= 1);
        PageWord {
            word: word.word.into_boxed_str(),
            entry: word.pages.first().map(entry).unwrap_or_default(),
            variants: word
                .additional_variants
                .into_iter()
                .map(|v| {
                    debug_assert_eq!(v.pages.len(), 1);
                    (v.form.into_boxed_str(), entry(&v.pages[0]))
                })
                .collect(),
        }
    }
}

/// Packs `page` as upstream's `build_indexes` does each page, without its page number (0),
/// and hashes its fragment; `gzip` compresses the fragment with it.
pub fn pack_page(page: FossickedData, gzip: Option<fn(&[&[u8]]) -> Vec<u8>>) -> PackedPageData {
    const PAGE: usize = 0;
    let mut local_word_map: HashMap<String, PackedWord> = HashMap::new();
    let has_words = !page.word_data.is_empty();

    for (word, positions) in page.word_data {
        // Group positions by original_word for this page
        let mut normalized_positions: Vec<FossickedWord> = Vec::new();
        let mut variant_positions: BTreeMap<String, Vec<FossickedWord>> = BTreeMap::new();

        for fossicked in positions {
            if fossicked.original_word.is_none() {
                // No diacritics - original matches normalized form
                normalized_positions.push(fossicked);
            } else {
                // Original form differs (has diacritics) - stored instead in additional_variants
                variant_positions
                    .entry(fossicked.original_word.clone().unwrap())
                    .or_default()
                    .push(fossicked);
            }
        }

        let packed_word = local_word_map
            .entry(word.clone())
            .or_insert_with(|| PackedWord {
                word: word.clone(),
                pages: Vec::new(),
                additional_variants: Vec::new(),
            });

        if !normalized_positions.is_empty() {
            packed_word
                .pages
                .push(positions_to_packed_page(normalized_positions, PAGE));
        }

        for (variant_form, variant_pos) in variant_positions {
            let variant_page = positions_to_packed_page(variant_pos, PAGE);
            if let Some(existing_variant) = packed_word
                .additional_variants
                .iter_mut()
                .find(|v| v.form == variant_form)
            {
                existing_variant.pages.push(variant_page);
            } else {
                packed_word.additional_variants.push(PackedVariant {
                    form: variant_form,
                    pages: vec![variant_page],
                });
            }
        }
    }

    // Meta positions keep the page's own field ids; the builder maps them to the index's.
    for (word, meta_positions) in page.meta_word_data {
        let mut normalized_meta_positions: Vec<MetaFossickedWord> = Vec::new();
        let mut variant_meta_positions: BTreeMap<String, Vec<MetaFossickedWord>> = BTreeMap::new();

        for meta_fossicked in meta_positions {
            if let Some(original) = meta_fossicked.original_word.clone() {
                variant_meta_positions
                    .entry(original)
                    .or_default()
                    .push(meta_fossicked);
            } else {
                normalized_meta_positions.push(meta_fossicked);
            }
        }

        let packed_word = local_word_map
            .entry(word.clone())
            .or_insert_with(|| PackedWord {
                word: word.clone(),
                pages: Vec::new(),
                additional_variants: Vec::new(),
            });

        if !normalized_meta_positions.is_empty() {
            let meta_locs = meta_positions_to_packed(normalized_meta_positions);
            if let Some(existing_page) = packed_word.pages.first_mut() {
                existing_page.meta_locs = meta_locs;
            } else {
                packed_word.pages.push(PackedPage {
                    page_number: PAGE,
                    locs: vec![],
                    meta_locs,
                });
            }
        }

        // Handle diacritic variants in meta
        for (variant_form, variant_pos) in variant_meta_positions {
            let meta_locs = meta_positions_to_packed(variant_pos);

            if let Some(existing_variant) = packed_word
                .additional_variants
                .iter_mut()
                .find(|v| v.form == variant_form)
            {
                if let Some(existing_page) = existing_variant.pages.first_mut() {
                    existing_page.meta_locs = meta_locs;
                } else {
                    existing_variant.pages.push(PackedPage {
                        page_number: PAGE,
                        locs: vec![],
                        meta_locs,
                    });
                }
            } else {
                packed_word.additional_variants.push(PackedVariant {
                    form: variant_form,
                    pages: vec![PackedPage {
                        page_number: PAGE,
                        locs: vec![],
                        meta_locs,
                    }],
                });
            }
        }
    }

    let filters = page
        .fragment
        .data
        .filters
        .iter()
        .flat_map(|(filter, values)| values.iter().map(move |v| (filter.clone(), v.clone())))
        .collect();
    let encoded_data = serde_json::to_string(&page.fragment.data).unwrap();
    let hash = full_hash(encoded_data.as_bytes());
    let fragment = match gzip {
        Some(gzip) => Fragment::Gzipped(gzip(&[b"pagefind_dcd", encoded_data.as_bytes()])),
        None => Fragment::Json(encoded_data),
    };

    PackedPageData {
        url: page.url,
        language: page.language,
        has_custom_body: page.has_custom_body,
        force_inclusion: page.force_inclusion,
        has_words,
        words: local_word_map.into_values().map(PageWord::new).collect(),
        meta_fields: page.fragment.data.meta.keys().cloned().collect(),
        filters,
        sort: page.sort,
        word_count: page.fragment.data.word_count,
        hash,
        fragment,
    }
}

/// A word's pages so far, as one list of numbers: for each page, its number, the count of
/// its locations and the locations, the count of its meta locations and those (a tenth of
/// the memory of a `PackedPage` each).
#[derive(Default)]
struct Positions {
    list: Vec<i32>,
    /// What upstream's `chunk_index` counts for these pages.
    size: usize,
}

impl Positions {
    /// Adds a page's entry (`[count, locations.., meta count, meta locations..]`).
    fn push(&mut self, page_number: usize, entry: &[i32]) {
        self.list.push(page_number as i32);
        self.list.extend_from_slice(entry);
        self.size += entry.len() - 1;
    }

    /// The pages back as upstream packs them: page numbers as deltas, meta field ids as the
    /// index numbers them.
    fn unpack(&self, fields: &[Vec<u16>]) -> Vec<PackedPage> {
        let mut pages = Vec::new();
        let mut at = 0;
        let mut last_page = 0;
        while at < self.list.len() {
            let page_number = self.list[at] as usize;
            let n = self.list[at + 1] as usize;
            let locs = self.list[at + 2..at + 2 + n].to_vec();
            at += 2 + n;
            let m = self.list[at] as usize;
            let meta_locs = self.list[at + 1..at + 1 + m]
                .iter()
                .map(|&v| {
                    if v < 0 {
                        -(fields[page_number][(-v - 1) as usize] as i32) - 1
                    } else {
                        v
                    }
                })
                .collect();
            at += 1 + m;
            pages.push(PackedPage {
                page_number: page_number - last_page,
                locs,
                meta_locs,
            });
            last_page = page_number;
        }
        pages
    }
}

#[derive(Default)]
struct WordPositions {
    pages: Positions,
    variants: Vec<(String, Positions)>,
}

impl WordPositions {
    fn size(&self) -> usize {
        self.pages.size
            + self.variants.iter().map(|(_, v)| v.size).sum::<usize>()
            + self.variants.len()
    }
}

struct Fragmented {
    full_hash: String,
    word_count: usize,
    page_number: usize,
    fragment: Fragment,
}

/// One language's index, taking pages in order.
pub struct Builder {
    language: String,
    words: HashMap<String, WordPositions>,
    filter_map: HashMap<String, HashMap<String, Vec<usize>>>,
    fragment_hashes: HashMap<String, Fragmented>,
    duplicates: Vec<(usize, (String, Fragmented))>,
    sorts: Vec<BTreeMap<String, String>>,
    /// Each page's metadata fields, as ids in `field_names`.
    page_fields: Vec<Vec<u16>>,
    field_names: Vec<String>,
    field_ids: HashMap<String, u16>,
}

impl Builder {
    pub fn new(language: String) -> Self {
        Self {
            language,
            words: HashMap::new(),
            filter_map: HashMap::new(),
            fragment_hashes: HashMap::new(),
            duplicates: Vec::new(),
            sorts: Vec::new(),
            page_fields: Vec::new(),
            field_names: Vec::new(),
            field_ids: HashMap::new(),
        }
    }

    pub fn page_count(&self) -> usize {
        self.sorts.len()
    }

    /// Adds the next page: what upstream's merge loop does with it. By reference, so that a
    /// page parsed once can go into the indexes of later builds (`gloss serve`).
    pub fn add(&mut self, page: &PackedPageData) {
        let page_number = self.sorts.len();
        for word in &page.words {
            let entry = self.words.entry_ref(&*word.word).or_default();
            if !word.entry.is_empty() {
                entry.pages.push(page_number, &word.entry);
            }
            for (form, list) in word.variants.iter() {
                let positions = match entry.variants.iter().position(|v| *v.0 == **form) {
                    Some(i) => &mut entry.variants[i].1,
                    None => {
                        entry
                            .variants
                            .push((form.to_string(), Positions::default()));
                        &mut entry.variants.last_mut().unwrap().1
                    }
                };
                positions.push(page_number, list);
            }
        }

        for (filter, value) in &page.filters {
            self.filter_map
                .entry_ref(filter.as_str())
                .or_default()
                .entry_ref(value.as_str())
                .or_default()
                .push(page_number);
        }

        let fields = page
            .meta_fields
            .iter()
            .map(|name| match self.field_ids.get(name) {
                Some(&id) => id,
                None => {
                    let id = self.field_names.len() as u16;
                    self.field_ids.insert(name.clone(), id);
                    self.field_names.push(name.clone());
                    id
                }
            })
            .collect();
        self.page_fields.push(fields);
        self.sorts.push(page.sort.clone());

        // Fragment hashing, as upstream (sequential: collisions depend on the order).
        let language = &self.language;
        let encoded_page = Fragmented {
            full_hash: format!("{language}_{}", page.hash),
            word_count: page.word_count,
            page_number,
            fragment: page.fragment.clone(),
        };
        let mut short_hash = &encoded_page.full_hash[0..=(language.len() + 7)];
        while let Some(collision) = self.fragment_hashes.get(short_hash) {
            if collision.full_hash == encoded_page.full_hash {
                // Identical pages under one hash (upstream then loops; pages have URLs, so
                // two pages never are).
                self.duplicates.push((
                    collision.word_count,
                    (
                        collision.full_hash.clone(),
                        Fragmented {
                            full_hash: collision.full_hash.clone(),
                            word_count: collision.word_count,
                            page_number: collision.page_number,
                            fragment: collision.fragment.clone(),
                        },
                    ),
                ));
                break;
            } else {
                let new_length = short_hash.len();
                short_hash = &encoded_page.full_hash[0..=new_length];
            }
        }
        self.fragment_hashes
            .insert(short_hash.to_string(), encoded_page);
    }

    /// The index's files, as upstream's `build_indexes` makes them after its merge loop.
    pub fn finish(self, options: &SearchOptions) -> Result<PagefindIndexes> {
        let Builder {
            language,
            words,
            filter_map,
            fragment_hashes,
            duplicates,
            sorts: page_sorts,
            page_fields,
            field_names,
            field_ids: _,
        } = self;
        let mut meta = MetaIndex {
            version: options.version.into(),
            pages: Vec::new(),
            index_chunks: Vec::new(),
            filters: Vec::new(),
            sorts: Vec::new(),
            meta_fields: Vec::new(),
        };

        // Get all possible sort keys
        let mut sorts: Vec<_> = page_sorts.iter().flat_map(|s| s.keys().cloned()).collect();
        sorts.sort_unstable();
        sorts.dedup();

        // Determine the best sorting parser that fits all available values for each given key
        let mut sort_types: BTreeMap<String, SortType> = BTreeMap::new();
        for sort in sorts.iter() {
            let mut sort_values = page_sorts.iter().flat_map(|s| s.get(sort));
            sort_types.insert(
                sort.clone(),
                if sort_values.all(|v| parse_int_sort(v).is_some() || parse_float_sort(v).is_some())
                {
                    SortType::Number
                } else {
                    SortType::String
                },
            );
        }

        for (sort_key, sort_type) in sort_types {
            let mut page_values: Vec<_> = page_sorts
                .iter()
                .enumerate()
                .flat_map(|(page_number, s)| s.get(&sort_key).map(|v| (v, page_number)))
                .collect();
            options.logger.v_info(format!(
                "Prebuilding sort order for {sort_key}, processed as type: {sort_type:#?}"
            ));
            match sort_type {
                SortType::String => page_values.sort_by_key(|p| p.0),
                SortType::Number => page_values.sort_by(|p1, p2| {
                    let p1 = parse_int_sort(p1.0)
                        .map(|i| i as f32)
                        .unwrap_or_else(|| parse_float_sort(p1.0).unwrap_or_default());
                    let p2 = parse_int_sort(p2.0)
                        .map(|i| i as f32)
                        .unwrap_or_else(|| parse_float_sort(p2.0).unwrap_or_default());

                    p1.total_cmp(&p2)
                }),
            }
            meta.sorts.push(MetaSort {
                sort: sort_key,
                pages: page_values.into_iter().map(|p| p.1).collect(),
            });
        }

        // The index's metadata fields, in order, and each page's fields as positions in it.
        let meta_fields_set: BTreeSet<&String> = field_names.iter().collect();
        meta.meta_fields = meta_fields_set.into_iter().cloned().collect();
        let global: Vec<u16> = field_names
            .iter()
            .map(|name| meta.meta_fields.iter().position(|f| f == name).unwrap() as u16)
            .collect();
        let page_fields: Vec<Vec<u16>> = page_fields
            .into_iter()
            .map(|ids| ids.into_iter().map(|id| global[id as usize]).collect())
            .collect();

        let mut fragments = duplicates;
        fragments.extend(
            fragment_hashes
                .into_iter()
                .map(|(hash, frag)| (frag.word_count, (hash, frag))),
        );
        fragments.sort_by_cached_key(|(_, (_, fragment))| fragment.page_number);

        let page_count = fragments.len();
        let mut final_fragments = Vec::new();
        let mut gzipped_fragments = Vec::new();

        if let Some(max_fragments) = options
            .max_fragments
            .filter(|&m| m > 0 && (m as usize) < fragments.len())
        {
            let group_size = (fragments.len() as f32 / max_fragments as f32).ceil() as usize;
            options.logger.info(format!(
                "Bundling {} fragments into groups of {}, resulting in {} files",
                fragments.len(),
                group_size,
                fragments.chunks(group_size).len()
            ));
            let mut group_hashes: BTreeSet<String> = BTreeSet::new();
            for chunk in fragments.chunks(group_size) {
                let mut group_map = BTreeMap::new();
                for (_, (hash, frag)) in chunk {
                    let Fragment::Json(json) = &frag.fragment else {
                        bail!("fragments to group must be kept as JSON");
                    };
                    let val: serde_json::Value = serde_json::from_str(json).unwrap();
                    group_map.insert(hash.clone(), val);
                }
                let group_json = serde_json::to_string(&group_map).unwrap();
                let prefix = format!("{language}_group_");
                let group_hash = format!("{prefix}{}", full_hash(group_json.as_bytes()));

                // If we hit a collision, extend one hash until we stop colliding
                let mut hash_length = 7;
                let mut short_group_hash = &group_hash[..prefix.len() + hash_length];
                while group_hashes.contains(short_group_hash) && hash_length < 40 {
                    hash_length += 1;
                    short_group_hash = &group_hash[..prefix.len() + hash_length];
                }
                group_hashes.insert(short_group_hash.to_string());

                final_fragments.push((short_group_hash.to_string(), group_json));

                for (word_count, (hash, _)) in chunk {
                    meta.pages.push(MetaPage {
                        hash: hash.clone(),
                        word_count: *word_count as u32,
                        group_hash: short_group_hash.to_string(),
                    });
                }
            }
        } else {
            for (word_count, (hash, frag)) in fragments {
                match frag.fragment {
                    Fragment::Json(json) => final_fragments.push((hash.clone(), json)),
                    Fragment::Gzipped(bytes) => gzipped_fragments.push((hash.clone(), bytes)),
                }
                meta.pages.push(MetaPage {
                    hash,
                    word_count: word_count as u32,
                    group_hash: "".into(),
                });
            }
        }

        // Encode filter indexes in parallel
        let mut filter_map_vec: Vec<_> = filter_map.into_iter().collect();
        filter_map_vec.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        let encoded_filters: Vec<(String, Vec<u8>, String)> = filter_map_vec
            .into_par_iter()
            .map(|(filter, values)| {
                let mut sorted_values: Vec<_> = values.into_iter().collect();
                sorted_values.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
                let mut filter_index: Vec<u8> = Vec::new();
                let _ = minicbor::encode::<FilterIndex, &mut Vec<u8>>(
                    FilterIndex {
                        filter: filter.clone(),
                        values: sorted_values
                            .into_iter()
                            .map(|(value, pages)| PackedValue { value, pages })
                            .collect(),
                    },
                    filter_index.as_mut(),
                );
                let hash = format!("{}_{}", language, full_hash(&filter_index));
                (filter, filter_index, hash)
            })
            .collect();

        // Handle hash collisions sequentially (required for correctness)
        let mut filter_indexes = HashMap::new();
        for (filter, filter_index, hash) in encoded_filters {
            let mut short_hash = &hash[0..=(language.len() + 7)];
            while filter_indexes.contains_key(short_hash) {
                let new_length = short_hash.len() + 1;
                short_hash = &hash[0..=new_length];

                if short_hash.len() == hash.len() {
                    break;
                }
            }
            filter_indexes.insert(short_hash.to_string(), filter_index);
            meta.filters.push(MetaFilter {
                filter,
                hash: short_hash.to_string(),
            })
        }

        if TryInto::<u32>::try_into(meta.pages.len()).is_err() {
            options.logger.error(format!(
                "Language {} has too many documents to index, must be < {}",
                language,
                u32::MAX
            ));
            bail!(
                "Language {language} has too many documents to index, must be < {}",
                u32::MAX
            );
        }

        let word_count = words.len();
        let mut sorted_words: Vec<(String, WordPositions)> = words.into_iter().collect();
        sorted_words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let chunks = chunk_by_size(sorted_words, |w| w.1.size(), options.index_chunk_size);
        meta.index_chunks = chunk_meta_from(chunks.iter().map(|chunk| {
            (
                chunk.first().map_or("", |w| w.0.as_str()),
                chunk.last().map_or("", |w| w.0.as_str()),
            )
        }));

        // Each chunk unpacked and encoded on its own (delta page numbers, CBOR).
        let encoded_chunks: Vec<(usize, Vec<u8>, String)> = chunks
            .into_par_iter()
            .enumerate()
            .map(|(i, chunk)| {
                let words: Vec<PackedWord> = chunk
                    .into_iter()
                    .map(|(word, positions)| PackedWord {
                        word,
                        pages: positions.pages.unpack(&page_fields),
                        additional_variants: positions
                            .variants
                            .iter()
                            .map(|(form, p)| PackedVariant {
                                form: form.clone(),
                                pages: p.unpack(&page_fields),
                            })
                            .collect(),
                    })
                    .collect();
                let mut word_index: Vec<u8> = Vec::new();
                let _ = minicbor::encode::<WordIndex, &mut Vec<u8>>(
                    WordIndex { words },
                    word_index.as_mut(),
                );
                let hash = format!("{}_{}", language, full_hash(&word_index));
                (i, word_index, hash)
            })
            .collect();

        // Handle hash collisions sequentially (required for correctness)
        let mut word_indexes: HashMap<String, Vec<u8>> = HashMap::new();
        for (i, word_index, hash) in encoded_chunks {
            let mut short_hash = &hash[0..=(language.len() + 7)];
            while word_indexes.contains_key(short_hash) {
                let new_length = short_hash.len() + 1;
                short_hash = &hash[0..=new_length];

                if short_hash.len() == hash.len() {
                    break;
                }
            }
            word_indexes.insert(short_hash.to_string(), word_index);
            meta.index_chunks[i].hash = short_hash.into();
        }

        let mut meta_index: Vec<u8> = Vec::new();
        let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_index.as_mut());

        let meta_hash = format!(
            "{}_{}",
            language,
            &full_hash(&meta_index)[0..=(language.len() + 7)]
        );

        Ok(PagefindIndexes {
            word_indexes,
            filter_indexes,
            sorts,
            meta_index: (meta_hash, meta_index),
            fragments: final_fragments,
            gzipped_fragments,
            language,
            word_count,
            page_count,
        })
    }
}
