//! Names in wire copy that the registry does not know yet, for the editor to add.
//!
//! Registered names and aliases are found first and taken out of the running, so that
//! "President Vladimir Putin" is not suggested when "Vladimir Putin" is registered. A
//! capitalised word that starts a sentence is a name only when it is also capitalised
//! elsewhere, or is followed by another capitalised word. A surname met alone ("Putin") joins
//! the full name it shortens ("Vladimir Putin") rather than being suggested on its own.

use std::collections::BTreeSet;

/// Capitalised words that start sentences rather than names.
const STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "But",
    "And",
    "In",
    "On",
    "At",
    "After",
    "Before",
    "He",
    "She",
    "It",
    "They",
    "This",
    "That",
    "When",
    "While",
    "As",
    "If",
    "His",
    "Her",
    "Their",
    "Its",
    "One",
    "Some",
    "Many",
    "Several",
    "Later",
    "Overnight",
    "Speaking",
    "Writing",
    "Among",
    "During",
    "Officials",
    "Allies",
    "Residents",
    "People",
    "Parts",
    "Tens",
    "Life",
];

/// Titles, ranks and nationality adjectives that come before names rather than being part of
/// them.
fn is_title(word: &str) -> bool {
    const TITLES: &[&str] = &[
        "President",
        "Vice",
        "Prime",
        "Minister",
        "Foreign",
        "Defence",
        "Defense",
        "Secretary",
        "Chancellor",
        "Sergeant",
        "General",
        "Colonel",
        "Captain",
        "King",
        "Queen",
        "Pope",
        "Senator",
        "Governor",
        "Mayor",
        "Envoy",
        "Special",
        "Army",
        "Chief",
        "Negotiator",
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "US",
        "U.S",
        "UK",
        "EU",
        "French",
        "British",
        "German",
        "Dutch",
        "Russian",
        "Ukrainian",
        "American",
        "European",
    ];
    TITLES.contains(&word)
        || ["ian", "ese", "ish"]
            .iter()
            .any(|s| word.len() > 4 && word.ends_with(s))
}

/// Days, months and holidays: capitalised, never names.
fn is_calendar(w: &str) -> bool {
    const DAYS: &[&str] = &[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Thanksgiving",
    ];
    DAYS.contains(&w) || (1..=12).any(|m| crate::content::Date::month_name(m) == w)
}

fn clean(w: &str) -> &str {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w)
}

fn is_cap(w: &str) -> bool {
    let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().skip(1).any(char::is_lowercase)
}

/// Unregistered names in the body, in order of first appearance: runs of capitalised words
/// (`Air Force One`, `Dan Driscoll`), and single capitalised words met mid-sentence more than
/// once that no longer name belongs to.
pub fn suggest(blocks: &[String], known: &BTreeSet<String>) -> Vec<String> {
    // Registered names and aliases are blanked out of the text first, longest first, so that
    // their words are neither suggested nor glued to a neighbour.
    let mut names: Vec<&String> = known.iter().filter(|k| !k.is_empty()).collect();
    names.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let mut found: Vec<String> = Vec::new();
    let mut singles: Vec<String> = Vec::new();
    for block in blocks.iter().filter(|b| !b.starts_with("## ")) {
        let mut text = format!(" {block} ");
        for name in &names {
            let mut from = 0;
            while let Some(i) = text[from..].find(name.as_str()).map(|i| i + from) {
                let before = text[..i].chars().next_back();
                let after = text[i + name.len()..].chars().next();
                let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                if edge(before) && edge(after) {
                    text.replace_range(i..i + name.len(), &"|".repeat(name.len()));
                }
                from = i + name.len();
            }
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut i = 0;
        let mut sentence_start = true;
        while i < words.len() {
            if !is_cap(words[i]) || words[i].contains('|') {
                sentence_start = words[i].ends_with(['.', '!', '?', ':', '"', '”']);
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < words.len()
                && is_cap(words[j])
                && !words[j].contains('|')
                && !words[j - 1].ends_with(['.', ',', ':', ';', '"', '”', ')'])
            {
                j += 1;
            }
            // "The White House" is "White House"; "Russian President Vladimir Putin" is
            // "Vladimir Putin".
            let mut lead = i;
            while lead < j
                && (STARTERS.contains(&clean(words[lead])) || is_title(clean(words[lead])))
            {
                lead += 1;
            }
            let run: Vec<&str> = words[lead..j].iter().map(|w| clean(w)).collect();
            if run.len() >= 2 {
                let name = run.join(" ");
                if !found.contains(&name) {
                    found.push(name);
                }
            } else if run.len() == 1 && !(sentence_start && lead == i) {
                singles.push(run[0].to_string());
            }
            sentence_start = words[j - 1].ends_with(['.', '!', '?', ':', '"', '”']);
            i = j;
        }
    }
    // A surname alone joins its full name; a single word met twice mid-sentence that belongs
    // to no name is suggested too.
    let belongs = |w: &str| {
        found
            .iter()
            .chain(known.iter())
            .any(|n| n.split(' ').any(|part| part == w))
    };
    let mut seen = BTreeSet::new();
    let repeated: Vec<String> = singles
        .iter()
        .filter(|w| singles.iter().filter(|s| s == w).count() > 1)
        .filter(|w| !belongs(w) && !is_title(w) && !is_calendar(w))
        .filter(|w| !STARTERS.contains(&w.as_str()))
        .filter(|w| seen.insert(w.to_string()))
        .cloned()
        .collect();
    found.extend(repeated);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_names_first_titles_and_starters_out() {
        let blocks = vec!["Speaking on Air Force One, President Donald Trump met US negotiator Dan Driscoll and Russian President Vladimir Putin. The Talks went on.".to_string()];
        let known: BTreeSet<String> = ["Donald Trump".to_string()].into();
        assert_eq!(
            suggest(&blocks, &known),
            ["Air Force One", "Dan Driscoll", "Vladimir Putin"]
        );
    }

    #[test]
    fn a_surname_joins_its_full_name() {
        let blocks = vec![
            "Ukrainian negotiator Rustem Umerov spoke.".to_string(),
            "Later, Umerov said the core was agreed, and Umerov left.".to_string(),
            "Kremlin aides said nothing. The Kremlin declined to comment, and the Kremlin waited."
                .to_string(),
        ];
        let known: BTreeSet<String> = ["Putin".to_string(), "Vladimir Putin".to_string()].into();
        assert_eq!(suggest(&blocks, &known), ["Rustem Umerov", "Kremlin"]);
    }

    #[test]
    fn aliases_count_as_registered() {
        let blocks = vec!["Zelenskyy met Trump in Washington on Friday.".to_string()];
        let known: BTreeSet<String> = ["Zelenskyy".to_string(), "Trump".to_string()].into();
        assert!(suggest(&blocks, &known).is_empty());
    }
}
