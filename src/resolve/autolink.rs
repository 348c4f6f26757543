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

/// Names by their first word, and a bitmap of the words' signatures in front of it.
#[derive(Debug)]
struct FirstWords {
    names: FxHashMap<String, Vec<(String, usize)>>,
    /// Bit `signature(w)` is set for every first word `w`. Most words of running text start no
    /// name: their signature's bit (8 KB of bits, in cache) says so without hashing the word.
    signatures: Box<[u64]>,
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

    fn new(names: FxHashMap<String, Vec<(String, usize)>>) -> FirstWords {
        let mut signatures = vec![0u64; Self::BITS / 64].into_boxed_slice();
        for word in names.keys() {
            let s = Self::signature(word);
            signatures[s / 64] |= 1 << (s % 64);
        }
        FirstWords { names, signatures }
    }

    /// The names whose first word is `word`, longest first.
    fn get(&self, word: &str) -> Option<&Vec<(String, usize)>> {
        let s = Self::signature(word);
        if self.signatures[s / 64] & (1 << (s % 64)) == 0 {
            return None;
        }
        self.names.get(word)
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
        let by_first_word = words_only.then(|| {
            let mut map: FxHashMap<String, Vec<(String, usize)>> = FxHashMap::default();
            for (i, p) in patterns.iter().enumerate() {
                let first = p.split(|c: char| !is_word_char(c)).next().unwrap_or(p);
                map.entry(first.to_string())
                    .or_default()
                    .push((p.clone(), i));
            }
            for names in map.values_mut() {
                // Longest first; for equal lengths the earlier pattern wins, as in the automaton.
                names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
            }
            FirstWords::new(map)
        });
        let automaton = if patterns.is_empty() || words_only {
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
            let mut end = i + len;
            while end < text.len() {
                match char_at(text, end) {
                    (true, len) => end += len,
                    (false, _) => break,
                }
            }
            let hit = index.get(&text[i..end]).and_then(|names| {
                names.iter().find(|(name, _)| {
                    text[i..].starts_with(name.as_str())
                        && on_word_boundaries(text, i, i + name.len())
                })
            });
            match hit {
                Some((name, pattern)) => {
                    found.push(Found {
                        start: i,
                        end: i + name.len(),
                        target: &self.targets[*pattern],
                    });
                    // A name ends on a word boundary: what follows is not a word character.
                    i += name.len();
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

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> Linker {
        let e = |id: &str| Ref::Entity(id.to_string());
        let t = |id: &str| Ref::Term(id.to_string());
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
        let e = |id: &str| Ref::Entity(id.to_string());
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
        let e = |id: &str| Ref::Entity(id.to_string());
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
}
