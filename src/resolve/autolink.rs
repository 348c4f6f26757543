//! Finding registered names in running text.
//!
//! One aho-corasick automaton holds every entity name and alias and every glossary term and
//! alias; it is built once per build and shared by all articles. Matches must sit on word
//! boundaries ("Putinism" does not mention Putin, "NATO's" mentions NATO), and where names
//! overlap the longest wins ("Vladimir Putin" over "Putin").

use aho_corasick::{AhoCorasick, MatchKind};

use crate::site::Ref;

/// All the names gloss links, and what each stands for.
#[derive(Debug)]
pub struct Linker {
    automaton: Option<AhoCorasick>,
    targets: Vec<Ref>,
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
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .expect("a few thousand literal names always fit in an automaton"),
            )
        };
        Linker { automaton, targets }
    }

    /// Every name in `text`, left to right, without overlaps, longest first where names
    /// overlap, on word boundaries only.
    pub fn find<'a>(&'a self, text: &str) -> Vec<Found<'a>> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut candidates: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(text)
            .filter(|m| on_word_boundaries(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        // Leftmost first, then longest; pattern order breaks ties so the result is stable.
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut found = Vec::new();
        let mut last_end = 0;
        for (start, end, pattern) in candidates {
            if start >= last_end {
                found.push(Found {
                    start,
                    end,
                    target: &self.targets[pattern],
                });
                last_end = end;
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
    fn empty_linker_finds_nothing() {
        assert!(Linker::new(&[]).find("anything").is_empty());
    }
}
