//! Finding registered names in running text.
//!
//! Every entity name and alias and every glossary term and alias, gathered once per build and
//! shared by all articles. Matches must sit on word boundaries ("Putinism" does not mention
//! Putin, "NATO's" mentions NATO), and where names overlap the longest wins ("Vladimir Putin"
//! over "Putin").
//!
//! Because a match must start where a word starts, names are looked up by their first word in
//! a hash map: one lookup per word of text, and none for the words a bitmap of the first words'
//! signatures rules out. (With 51,000 names, at 50,000 articles, this took
//! 4.8 s of CPU where an aho-corasick automaton took 6.3 s; at 11,000 names they are even.) A
//! registry with a name that does not start with a letter or digit is searched with the
//! automaton instead.

use aho_corasick::{AhoCorasick, Input, MatchKind};
use rustc_hash::FxHashMap;

use crate::site::Ref;

/// All the names gloss links, and what each stands for.
#[derive(Debug)]
pub struct Linker {
    /// Names by their first word, longest first: (the whole name, its pattern index).
    by_first_word: Option<FirstWords>,
    automaton: Option<AhoCorasick>,
    targets: Vec<Ref>,
    /// Every name, for the rare case where the longest name at a position is not a whole word
    /// but a shorter one is ("New York" in "New York Timesx").
    by_name: FxHashMap<String, usize>,
    /// Time spent in `find`, summed over threads (nanoseconds), for `--timings`.
    spent: std::sync::atomic::AtomicU64,
}

/// Names by their first word, laid out for few cache misses, with a bitmap of the words'
/// signatures in front. At 50,000 articles the 51,000 names no longer fit in cache; a hash map
/// from strings to vectors of strings cost five misses a match (table, key, vector, name),
/// this costs three (slot, run of names, bytes).
#[derive(Debug)]
struct FirstWords {
    /// Bit `signature(w)` is set for every first word `w`. Most words of running text start no
    /// name: their signature's bit (8 KB of bits, in cache) says so without hashing the word.
    signatures: Box<[u64]>,
    /// Open addressing with linear probing, at most half full: by the hash of a first word, its
    /// run of `names`. A hash of 0 marks an empty slot.
    slots: Box<[Slot]>,
    /// `64 - log2(slots.len())`: a hash's first slot is its top bits.
    shift: u32,
    /// One run per first word hash, longest name first; for equal lengths the earlier
    /// pattern first, as in the automaton.
    names: Box<[Name]>,
    /// Every name's bytes, end to end, each run's together.
    bytes: Box<[u8]>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    start: u32,
    count: u32,
}

#[derive(Debug, Clone, Copy)]
struct Name {
    start: u32,
    len: u32,
    pattern: u32,
}

impl FirstWords {
    const BITS: usize = 1 << 16;

    /// The first two bytes and the length of a word, mixed into 16 bits. Equal words have equal
    /// signatures, so a clear bit rules a word out.
    fn signature(word: &str) -> usize {
        let b = word.as_bytes();
        let first = usize::from(b.first().copied().unwrap_or(0));
        let second = usize::from(b.get(1).copied().unwrap_or(0));
        ((first << 8 | second) ^ (b.len().wrapping_mul(0x9e5)) << 3) % Self::BITS
    }

    /// Never 0, which marks an empty slot.
    fn hash(word: &str) -> u64 {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(word.as_bytes());
        h.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15).max(1)
    }

    /// `None` when the names' bytes would not fit 32-bit offsets (the automaton serves).
    fn new(patterns: &[String]) -> Option<FirstWords> {
        // Grouped by the hash of the first word, not the word: two words with one hash share
        // a run, which stays correct, since a name only matches where the text spells it out.
        let mut runs: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        let mut signatures = vec![0u64; Self::BITS / 64].into_boxed_slice();
        for (i, p) in patterns.iter().enumerate() {
            let first = p.split(|c: char| !is_word_char(c)).next().unwrap_or(p);
            runs.entry(Self::hash(first)).or_default().push(i);
            let s = Self::signature(first);
            signatures[s / 64] |= 1 << (s % 64);
        }
        let mut runs: Vec<(u64, Vec<usize>)> = runs.into_iter().collect();
        runs.sort_unstable_by_key(|r| r.0);
        let slot_count = (runs.len() * 2).next_power_of_two().max(16);
        let shift = 64 - slot_count.trailing_zeros();
        let mut slots = vec![Slot::default(); slot_count].into_boxed_slice();
        let mut names = Vec::with_capacity(patterns.len());
        let mut bytes = Vec::new();
        for (hash, mut run) in runs {
            run.sort_by(|&a, &b| patterns[b].len().cmp(&patterns[a].len()).then(a.cmp(&b)));
            let start = u32::try_from(names.len()).ok()?;
            for &p in &run {
                names.push(Name {
                    start: u32::try_from(bytes.len()).ok()?,
                    len: u32::try_from(patterns[p].len()).ok()?,
                    pattern: u32::try_from(p).ok()?,
                });
                bytes.extend_from_slice(patterns[p].as_bytes());
            }
            let mut i = (hash >> shift) as usize;
            while slots[i].hash != 0 {
                i = (i + 1) & (slot_count - 1);
            }
            slots[i] = Slot {
                hash,
                start,
                count: u32::try_from(run.len()).ok()?,
            };
        }
        // The last name's end, too, must fit 32 bits.
        u32::try_from(bytes.len()).ok()?;
        Some(FirstWords {
            signatures,
            slots,
            shift,
            names: names.into_boxed_slice(),
            bytes: bytes.into_boxed_slice(),
        })
    }

    /// The names that may begin with `word`, longest first.
    fn get(&self, word: &str) -> &[Name] {
        let s = Self::signature(word);
        if self.signatures[s / 64] & (1 << (s % 64)) == 0 {
            return &[];
        }
        let hash = Self::hash(word);
        let mut i = (hash >> self.shift) as usize;
        loop {
            let slot = self.slots[i];
            if slot.hash == hash {
                return &self.names[slot.start as usize..(slot.start + slot.count) as usize];
            }
            if slot.hash == 0 {
                return &[];
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    fn bytes(&self, name: &Name) -> &[u8] {
        &self.bytes[name.start as usize..(name.start + name.len) as usize]
    }
}

/// A name found in a text: byte range and what it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a> {
    pub start: usize,
    pub end: usize,
    pub target: &'a Ref,
}

impl Linker {
    /// `names` pairs each name with its target. Entity names match case-sensitively; a glossary
    /// term also matches with its first letter capitalised, as at the start of a sentence.
    pub fn new(names: &[(String, Ref)]) -> Linker {
        let mut patterns: Vec<String> = Vec::new();
        let mut targets = Vec::new();
        for (name, target) in names {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            patterns.push(name.to_string());
            targets.push(target.clone());
            if matches!(target, Ref::Term(_)) {
                let capitalised = capitalise(name);
                if capitalised != name {
                    patterns.push(capitalised);
                    targets.push(target.clone());
                }
            }
        }
        let words_only = patterns
            .iter()
            .all(|p| p.chars().next().is_some_and(is_word_char));
        let by_first_word = if words_only {
            FirstWords::new(&patterns)
        } else {
            None
        };
        let automaton = if patterns.is_empty() || by_first_word.is_some() {
            None
        } else {
            // Let aho-corasick choose: a full DFA for 10,000 names took seconds and hundreds of
            // megabytes to build; its contiguous NFA searches nearly as fast.
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .expect("literal names always fit in an automaton"),
            )
        };
        let mut by_name = FxHashMap::default();
        for (i, p) in patterns.into_iter().enumerate() {
            by_name.entry(p).or_insert(i);
        }
        Linker {
            by_first_word,
            automaton,
            targets,
            by_name,
            spent: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Every name in `text`, left to right, without overlaps, longest first where names
    /// overlap, on word boundaries only.
    pub fn find<'a>(&'a self, text: &str) -> Vec<Found<'a>> {
        let started = std::time::Instant::now();
        let found = match (&self.by_first_word, &self.automaton) {
            (Some(index), _) => self.search_words(index, text),
            (None, Some(automaton)) => self.search(automaton, text),
            (None, None) => Vec::new(),
        };
        let spent = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.spent
            .fetch_add(spent, std::sync::atomic::Ordering::Relaxed);
        found
    }

    /// CPU time spent finding names so far, summed over threads.
    pub fn time_spent(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.spent.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// How many names and aliases the automaton holds.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Word by word: at each word start, the longest name beginning with that word that the
    /// text spells out and that ends on a word boundary.
    fn search_words<'a>(&'a self, index: &FirstWords, text: &str) -> Vec<Found<'a>> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let (word, len) = char_at(text, i);
            if !word {
                i += len;
                continue;
            }
            // `i` starts a word: the text before it was skipped up to a non-word character.
            // In Arabic a name may come after a one-letter particle written onto it (بكييف,
            // "in Kyiv"): the name is looked up after each.
            let end = word_end(text, i + len);
            let hit = proclitic_starts(text, i, end).find_map(|at| {
                let name = index.get(&text[at..end]).iter().find(|name| {
                    text.as_bytes()[at..].starts_with(index.bytes(name))
                        && on_word_boundaries(text, at, at + name.len as usize)
                })?;
                Some((at, name))
            });
            match hit {
                Some((at, name)) => {
                    found.push(Found {
                        start: at,
                        end: at + name.len as usize,
                        target: &self.targets[name.pattern as usize],
                    });
                    // A name ends on a word boundary: what follows is not a word character.
                    i = at + name.len as usize;
                }
                None => i = end,
            }
        }
        found
    }

    fn search<'a>(&'a self, automaton: &AhoCorasick, text: &str) -> Vec<Found<'a>> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let Some(m) = automaton.find(Input::new(text).span(at..text.len())) else {
                break;
            };
            let (start, end) = (m.start(), m.end());
            if on_word_boundaries(text, start, end) {
                found.push(Found {
                    start,
                    end,
                    target: &self.targets[m.pattern().as_usize()],
                });
                at = end;
                continue;
            }
            // The longest name here is not a whole word; a shorter one may be. Names end at word
            // boundaries, so only those need looking up.
            let shorter = text[start..end]
                .char_indices()
                .map(|(i, _)| start + i)
                .filter(|&e| e > start && on_word_boundaries(text, start, e))
                .filter_map(|e| self.by_name.get(&text[start..e]).map(|&p| (e, p)))
                .next_back();
            match shorter {
                Some((e, p)) => {
                    found.push(Found {
                        start,
                        end: e,
                        target: &self.targets[p],
                    });
                    at = e;
                }
                None => at = start + text[start..].chars().next().map_or(1, char::len_utf8),
            }
        }
        found
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Which ASCII bytes are word characters: a table, since every byte of every article is
/// looked up here.
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'_';
        b += 1;
    }
    table
};

/// Whether the character at byte `i` of `text` is a word character, and its length; ASCII
/// without decoding, since names are looked up word by word in every article's text.
fn char_at(text: &str, i: usize) -> (bool, usize) {
    match text.as_bytes()[i] {
        b if b.is_ascii() => (ASCII_WORD[usize::from(b)], 1),
        _ => text[i..]
            .chars()
            .next()
            .map_or((false, 1), |c| (is_word_char(c), c.len_utf8())),
    }
}

/// Where the word that goes on at byte `i` of `text` ends.
fn word_end(text: &str, mut i: usize) -> usize {
    while i < text.len() {
        match char_at(text, i) {
            (true, len) => i += len,
            (false, _) => break,
        }
    }
    i
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The Arabic particles written onto the next word: and (و), so (ف), in/with (ب), for (ل),
/// like (ك).
fn is_proclitic(c: char) -> bool {
    matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك')
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// Where a name may start in the word at `start..end`: its start, then after each of up to
/// two Arabic particles written onto it (وبكييف), as long as an Arabic letter follows.
fn proclitic_starts(text: &str, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
    let mut at = start;
    let mut steps = 0;
    std::iter::once(start).chain(std::iter::from_fn(move || {
        if steps == 2 || at >= end {
            return None;
        }
        let mut chars = text[at..end].chars();
        let c = chars.next().filter(|c| is_proclitic(*c))?;
        chars.next().filter(|n| is_arabic(*n))?;
        at += c.len_utf8();
        steps += 1;
        Some(at)
    }))
}

fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let starts_word = match before {
        Some(c) if is_word_char(c) => {
            // Only one or two Arabic particles, at the start of their word, may be joined on.
            let word = text[..start]
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_word_char(*c))
                .last()
                .map_or(start, |(i, _)| i);
            text[start..].chars().next().is_some_and(is_arabic)
                && proclitic_starts(text, word, text.len()).any(|at| at == start)
        }
        _ => true,
    };
    starts_word && !after.is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> Linker {
        let e = |id: &str| Ref::entity(id);
        let t = |id: &str| Ref::term(id);
        Linker::new(&[
            ("Vladimir Putin".into(), e("putin")),
            ("Putin".into(), e("putin")),
            ("NATO".into(), e("nato")),
            ("Kyiv".into(), e("kyiv")),
            ("ceasefire".into(), t("ceasefire")),
            ("truce".into(), t("ceasefire")),
        ])
    }

    /// Runs the linker and shows each match as `[text=>target]`.
    fn check(text: &str, expected: &str) {
        let linker = linker();
        let mut out = String::new();
        let mut last = 0;
        for f in linker.find(text) {
            out.push_str(&text[last..f.start]);
            let id = match f.target {
                Ref::Entity(id) | Ref::Term(id) => id,
            };
            out.push_str(&format!("[{}=>{}]", &text[f.start..f.end], id));
            last = f.end;
        }
        out.push_str(&text[last..]);
        assert_eq!(out, expected);
    }

    #[test]
    fn french_elision_and_arabic_particles_and_cyrillic_words() {
        let linker = Linker::new(&[
            ("OTAN".to_string(), Ref::entity("nato")),
            ("Ukraine".to_string(), Ref::entity("ukraine")),
            ("كييف".to_string(), Ref::entity("kyiv")),
            ("بوتين".to_string(), Ref::entity("putin")),
            ("Путин".to_string(), Ref::entity("putin")),
        ]);
        let names = |text: &str| -> Vec<String> {
            linker
                .find(text)
                .iter()
                .map(|f| text[f.start..f.end].to_string())
                .collect()
        };
        assert_eq!(names("l'OTAN et d’Ukraine"), ["OTAN", "Ukraine"]);
        assert_eq!(
            names("قصف على كييف وبكييف، وقال بوتين"),
            ["كييف", "كييف", "بوتين"]
        );
        // A word that merely ends like a name is not the name.
        assert_eq!(names("مكييف"), Vec::<String>::new());
        assert_eq!(names("Путин сказал, путинизм и Путина"), ["Путин"]);
    }

    #[test]
    fn longest_name_wins() {
        check(
            "Vladimir Putin met Putin.",
            "[Vladimir Putin=>putin] met [Putin=>putin].",
        );
    }

    #[test]
    fn whole_words_only() {
        check("Putinism and Kyivan NATOs", "Putinism and Kyivan NATOs");
        check("pre-Putin era", "pre-[Putin=>putin] era");
    }

    #[test]
    fn possessives_match() {
        check(
            "NATO's members and NATO’s",
            "[NATO=>nato]'s members and [NATO=>nato]’s",
        );
    }

    #[test]
    fn names_are_case_sensitive_terms_take_a_capital() {
        check("nato, kyiv", "nato, kyiv");
        check(
            "Ceasefire now; a truce",
            "[Ceasefire=>ceasefire] now; a [truce=>ceasefire]",
        );
        check("CEASEFIRE", "CEASEFIRE");
    }

    #[test]
    fn unicode_boundaries() {
        check("«Kyiv»", "«[Kyiv=>kyiv]»");
        check("Kyivé", "Kyivé");
    }

    #[test]
    fn a_shorter_name_wins_when_the_longer_is_not_a_word() {
        let e = |id: &str| Ref::entity(id);
        let linker = Linker::new(&[
            ("New York".into(), e("ny")),
            ("New York Times".into(), e("nyt")),
        ]);
        let found: Vec<_> = linker
            .find("the New York Timesx and the New York Times")
            .into_iter()
            .map(|f| (f.start, f.end))
            .collect();
        assert_eq!(found, [(4, 12), (28, 42)]);
    }

    #[test]
    fn names_starting_with_punctuation_use_the_automaton() {
        let e = |id: &str| Ref::entity(id);
        let linker = Linker::new(&[("#MeToo".into(), e("metoo")), ("Putin".into(), e("putin"))]);
        let found: Vec<_> = linker
            .find("Putin and #MeToo.")
            .into_iter()
            .map(|f| (f.start, f.end))
            .collect();
        assert_eq!(found, [(0, 5), (10, 16)]);
    }

    #[test]
    fn empty_linker_finds_nothing() {
        assert!(Linker::new(&[]).find("anything").is_empty());
    }

    /// What `find` must return, the slow way: at each word start, every name tried, the
    /// longest that the text spells out on word boundaries wins (the earlier one of equal
    /// length); the search goes on after it, or after the word.
    fn find_by_trying_every_name(names: &[(String, Ref)], text: &str) -> Vec<(usize, usize, Ref)> {
        // Its `by_name`: every pattern (names, and terms capitalised) with its first index.
        let linker = Linker::new(names);
        let mut found = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let (word, len) = char_at(text, i);
            if !word {
                i += len;
                continue;
            }
            let end = word_end(text, i + len);
            let best = linker
                .by_name
                .iter()
                .filter(|(p, _)| {
                    text[i..].starts_with(p.as_str()) && on_word_boundaries(text, i, i + p.len())
                })
                .max_by(|a, b| a.0.len().cmp(&b.0.len()).then(b.1.cmp(a.1)));
            match best {
                Some((p, &pattern)) => {
                    found.push((i, i + p.len(), linker.targets[pattern].clone()));
                    i += p.len();
                }
                None => i = end,
            }
        }
        found
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(500))]
        /// Names from a small alphabet, so that they share first words, nest and collide.
        #[test]
        fn finds_what_trying_every_name_finds(
            names in proptest::collection::vec(("[abA]{1,2}( [ab]{1,2}){0,2}", 0usize..4, proptest::bool::ANY), 0..12),
            text in "([abAB]{1,2}[ ,.']){0,40}",
        ) {
            let names: Vec<(String, Ref)> = names
                .into_iter()
                .map(|(name, id, term)| {
                    let id = format!("x{id}");
                    (name, if term { Ref::term(&id) } else { Ref::entity(&id) })
                })
                .collect();
            let linker = Linker::new(&names);
            let got: Vec<(usize, usize, Ref)> = linker
                .find(&text)
                .into_iter()
                .map(|f| (f.start, f.end, f.target.clone()))
                .collect();
            proptest::prop_assert_eq!(got, find_by_trying_every_name(&names, &text));
        }
    }
}
