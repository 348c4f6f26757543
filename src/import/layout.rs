//! Reading wire copy: which line is the headline, the byline, the key points, the dateline, a
//! subhead, a paragraph or the agency's credit. The layouts newsrooms receive:
//! ```text
//! AFP:      [slug line]           Reuters:  Headline                      AP:  Headline
//!           Headline                        SUMMARY / * bullet                 By NAME Associated Press
//!           [By Name]                       KYIV, Nov 25 (Reuters) - ...       KYIV, Ukraine (AP) — ...
//!           KEY POINTS / - bullet           Subhead                            ___
//!           CITY: First paragraph...        (Reporting by ...; Editing by ...) AP writer ... contributed.
//!           "Quoted subhead"
//!           bur-xx/yy  or  -- AFP  or  © AFP
//! ```
//! plus a headline, a byline and a body with no dateline at all. Paragraphs are one per line,
//! or, in hard-wrapped copy, separated by blank lines with their lines joined.

use crate::content::Date;

pub const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
pub const AGENCIES: &[(&str, &str)] = &[
    ("AFP", "AFP"),
    ("Agence France-Presse", "AFP"),
    ("Reuters", "Reuters"),
    ("AP", "AP"),
    ("Associated Press", "AP"),
    ("The Associated Press", "AP"),
    ("Bloomberg", "Bloomberg"),
    ("dpa", "dpa"),
    ("ANSA", "ANSA"),
    ("EFE", "EFE"),
];

pub fn is_slug_line(line: &str) -> bool {
    let t = line.trim();
    !t.contains(' ')
        && t.len() >= 3
        && (t.contains('-') || t.contains('/'))
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '_'))
}

pub fn is_key_points_header(line: &str) -> bool {
    let t = line.trim().trim_end_matches(':').to_ascii_lowercase();
    matches!(
        t.as_str(),
        "key points" | "key facts" | "summary" | "highlights"
    )
}

pub fn bullet(line: &str) -> Option<&str> {
    ["- ", "* ", "• ", "– ", "— "]
        .iter()
        .find_map(|b| line.strip_prefix(b))
        .map(str::trim)
        .filter(|b| !b.is_empty())
}

/// The agency a name stands for, in its usual short form.
fn agency(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_end_matches(['.', ',']);
    AGENCIES
        .iter()
        .find(|(long, _)| long.eq_ignore_ascii_case(name))
        .map(|(_, short)| *short)
}

/// A byline, `By Jane Roe and JOHN DOE Associated Press`: the names, title-cased when sent in
/// capitals, without the agency.
pub fn byline(line: &str) -> Option<Vec<String>> {
    let names = line.trim().strip_prefix("By ")?.trim();
    if names.split_whitespace().count() > 10 || names.ends_with('.') && names.len() > 40 {
        return None;
    }
    let mut names = names.trim_end_matches(',').to_string();
    for (long, _) in AGENCIES {
        if let Some(rest) = names.strip_suffix(long) {
            names = rest
                .trim_end()
                .trim_end_matches([',', '-', '—'])
                .trim()
                .to_string();
        }
    }
    let list: Vec<String> = names
        .split([',', '&'])
        .flat_map(|n| n.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            if n.chars().any(char::is_lowercase) {
                n.to_string()
            } else {
                title_case(n)
            }
        })
        .collect();
    (!list.is_empty()).then_some(list)
}

#[derive(Debug, PartialEq)]
pub struct Dateline {
    pub place: String,
    /// The date as the dateline gives it (`Nov 25`), and as a date in the given year.
    pub when: Option<(String, Date)>,
    pub agency: Option<String>,
    /// The bytes of the paragraph the dateline takes, separator included.
    pub len: usize,
}

impl Dateline {
    /// What the `dateline:` field holds: `Kyiv`, or `Kyiv, Nov 25`.
    pub fn text(&self) -> String {
        match &self.when {
            Some((written, _)) => format!("{}, {written}", self.place),
            None => self.place.clone(),
        }
    }
}

/// `WASHINGTON: ...`, `KYIV, Ukraine: ...` (AFP), `KYIV, Nov 25 (Reuters) - ...` or
/// `KYIV, Ukraine (AP) — ...`.
pub fn dateline(line: &str, default: Option<Date>) -> Option<Dateline> {
    let lead = line.len() - line.trim_start().len();
    let line = line.trim();
    let caps_end = line
        .char_indices()
        .find(|&(_, c)| !(c.is_uppercase() || c == ' ' || c == '-' || c == '.' || c == '\''))
        .map_or(line.len(), |(i, _)| i);
    let place_raw = line[..caps_end].trim();
    if place_raw.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    let place = title_case(place_raw);
    let after = &line[caps_end..];
    let taken = |text: &str| lead + line.len() - text.trim_start().len();
    // AFP: "CITY:" before the text.
    if let Some(text) = after.strip_prefix(':') {
        return (!text.trim().is_empty()).then(|| Dateline {
            place,
            when: None,
            agency: None,
            len: taken(text),
        });
    }
    // AP: "CITY (AP) — text".
    if let Some(d) = agency_dash(after.trim_start(), &place, &taken) {
        return Some(d);
    }
    let after = after.strip_prefix(',')?.trim_start();
    // AP with a country or state: "KYIV, Ukraine (AP) — text".
    if let Some(open) = after.find(" (")
        && after[..open].split_whitespace().count() <= 3
        && after[..open].chars().next().is_some_and(char::is_uppercase)
        && let Some(d) = agency_dash(&after[open + 1..], &place, &taken)
        && MONTHS
            .iter()
            .all(|m| !after[..open].to_ascii_lowercase().starts_with(m))
    {
        return Some(d);
    }
    // AFP with a country: "KYIV, Ukraine: text".
    if let Some((country, text)) = after.split_once(':')
        && country.split_whitespace().count() <= 3
        && country.chars().next().is_some_and(char::is_uppercase)
        && !text.trim().is_empty()
        && !country.contains('(')
    {
        return Some(Dateline {
            place,
            when: None,
            agency: None,
            len: taken(text),
        });
    }
    // Reuters: "CITY, Nov 25 (Reuters) - text"
    let (month_word, rest) = after.split_once(' ')?;
    let month = MONTHS.iter().position(|m| {
        month_word
            .trim_end_matches('.')
            .to_ascii_lowercase()
            .starts_with(m)
    })? + 1;
    let (day_word, rest) = rest.trim_start().split_once(' ')?;
    let day: u8 = day_word.parse().ok()?;
    let rest = rest.trim_start();
    let (agency_name, text) = rest.strip_prefix('(')?.split_once(')')?;
    let text = text.trim_start().strip_prefix(['-', '–', '—'])?;
    if text.trim().is_empty() {
        return None;
    }
    let year = default.map_or_else(|| Date::today().year(), Date::year);
    let date = Date::parse(&format!("{year:04}-{month:02}-{day:02}")).ok();
    Some(Dateline {
        place,
        when: date.map(|d| (format!("{month_word} {day_word}"), d)),
        agency: Some(
            self::agency(agency_name)
                .map_or_else(|| agency_name.trim().to_string(), str::to_string),
        ),
        len: taken(text),
    })
}

/// `(AP) — text` after a place.
fn agency_dash(s: &str, place: &str, taken: &dyn Fn(&str) -> usize) -> Option<Dateline> {
    let (name, text) = s.strip_prefix('(')?.split_once(')')?;
    let short = agency(name)?;
    let text = text.trim_start().strip_prefix(['-', '–', '—'])?;
    (!text.trim().is_empty()).then(|| Dateline {
        place: place.to_string(),
        when: None,
        agency: Some(short.to_string()),
        len: taken(text),
    })
}

pub struct Credit {
    pub agency: String,
    pub authors: Vec<String>,
}

/// A credit line, closing or opening the copy: `AFP`, `(AFP)`, `-- AFP`, `© AFP 2025`,
/// `bur-jm/st`, `(Reporting by A; Editing by B)`.
pub fn credit(line: &str) -> Option<Credit> {
    let t = line.trim().trim_start_matches(['-', '–', '—', '©']).trim();
    let bare = t.trim_start_matches('(').trim_end_matches(')').trim();
    if let Some(rest) = bare
        .strip_prefix("Reporting by ")
        .or_else(|| bare.strip_prefix("Writing by "))
    {
        let names = rest.split(';').next().unwrap_or("");
        let authors = names
            .split([',', '&'])
            .flat_map(|n| n.split(" and "))
            .map(|n| n.split(" in ").next().unwrap_or(n).trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        return Some(Credit {
            agency: "Reuters".into(),
            authors,
        });
    }
    // "AFP", "AFP 2025", "Associated Press".
    let without_year = bare.trim_end_matches(|c: char| c.is_ascii_digit()).trim();
    if let Some(a) = agency(without_year) {
        return Some(Credit {
            agency: a.to_string(),
            authors: Vec::new(),
        });
    }
    // AFP desk codes: "bur-jm/st", "jm/sst".
    let code = !t.contains(' ')
        && t.contains('/')
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || matches!(c, '/' | '-'));
    code.then(|| Credit {
        agency: "AFP".into(),
        authors: Vec::new(),
    })
}

/// A subhead: a short line (one to ten words) between paragraphs, without a final full stop,
/// in any case, quoted or not; never a sentence, a quote paragraph or a list item.
pub fn is_subhead(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let inner = line.trim_end_matches(['"', '”', '’', '\'', '»']);
    (1..=10).contains(&words)
        && !inner.ends_with(['.', '!', '?', ':', ';', ','])
        && !line.ends_with(')')
        && !line.starts_with(['(', '-', '*', '•', '–', '—', '['])
        && !line.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
        // A sentence inside: "Talks. Then more" is not a heading.
        && !inner.contains(". ")
        && line.chars().any(char::is_alphabetic)
}

pub fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            w.split('-')
                .map(|part| {
                    let mut cs = part.chars();
                    match cs.next() {
                        Some(f) => f
                            .to_uppercase()
                            .chain(cs.flat_map(char::to_lowercase))
                            .collect(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<String>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The body's paragraphs from its lines (byte offset, text; blank lines included): one per
/// line, or, when the copy is hard-wrapped (a paragraph of several lines between blank lines),
/// each run of lines joined with spaces.
pub fn paragraphs(lines: &[(usize, &str)]) -> Vec<(usize, String)> {
    let groups: Vec<Vec<(usize, &str)>> = lines
        .split(|(_, l)| l.trim().is_empty())
        .filter(|g| !g.is_empty())
        .map(<[_]>::to_vec)
        .collect();
    // Hard-wrapped copy breaks long lines mid-sentence; copy with a paragraph a line may still
    // put a subhead straight above its paragraph, or two paragraphs without a blank line.
    let broken = |l: &str| {
        let l = l.trim();
        l.len() >= 40 && !l.ends_with(['.', '!', '?', '"', '”', '’', ':', ')'])
    };
    let wrapped = groups
        .iter()
        .any(|g| g[..g.len() - 1].iter().any(|(_, l)| broken(l)));
    if wrapped {
        groups
            .into_iter()
            .map(|g| {
                let text = g
                    .iter()
                    .map(|(_, l)| l.trim())
                    .collect::<Vec<_>>()
                    .join(" ");
                (g[0].0, text)
            })
            .collect()
    } else {
        groups
            .into_iter()
            .flatten()
            .map(|(at, l)| (at, l.trim().to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let d = dateline("WASHINGTON: US President Donald Trump said", None).unwrap();
        assert_eq!(
            (d.place.as_str(), d.when.is_none(), d.len),
            ("Washington", true, 12)
        );
        let d = dateline("KYIV, Ukraine: Russian drones struck", None).unwrap();
        assert_eq!(d.place, "Kyiv");
        let year = Date::parse("2025-01-01").ok();
        let d = dateline("KYIV, Nov 25 (Reuters) - Russian drones struck", year).unwrap();
        assert_eq!(
            (d.text(), d.when.map(|w| w.1.iso()), d.agency.as_deref()),
            (
                "Kyiv, Nov 25".into(),
                Some("2025-11-25".into()),
                Some("Reuters")
            )
        );
        let d = dateline("NEW YORK, Dec. 3 (Reuters) - Text", year).unwrap();
        assert_eq!(d.place, "New York");
        let d = dateline("WASHINGTON (AP) — President Donald Trump", None).unwrap();
        assert_eq!(
            (d.place.as_str(), d.agency.as_deref(), d.len),
            ("Washington", Some("AP"), "WASHINGTON (AP) — ".len())
        );
        let d = dateline("KRAMATORSK, Ukraine (AP) — Soldiers", None).unwrap();
        assert_eq!(
            (d.place.as_str(), d.agency.as_deref()),
            ("Kramatorsk", Some("AP"))
        );
        assert!(dateline("The talks went on: nothing new", None).is_none());
        assert!(dateline("US President Donald Trump said on Tuesday", None).is_none());
    }

    #[test]
    fn credits() {
        for line in ["AFP", "-- AFP", "© AFP 2025", "(AFP)", "bur-jm/st"] {
            assert_eq!(
                credit(line).map(|c| c.agency).as_deref(),
                Some("AFP"),
                "{line}"
            );
        }
        assert_eq!(credit("(AP)").unwrap().agency, "AP");
        assert_eq!(credit("-- Reuters").unwrap().agency, "Reuters");
        let c = credit("(Reporting by Jane Roe in Kyiv and John Doe; Editing by Sam Poe)").unwrap();
        assert_eq!(
            (c.agency.as_str(), c.authors),
            (
                "Reuters",
                vec!["Jane Roe".to_string(), "John Doe".to_string()]
            )
        );
        assert!(credit("The talks continue.").is_none());
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline("By JANE ROE and JOHN DOE Associated Press").unwrap(),
            ["Jane Roe", "John Doe"]
        );
        assert_eq!(byline("By Ana Lima").unwrap(), ["Ana Lima"]);
        assert!(byline("Byzantine politics").is_none());
    }

    #[test]
    fn subheads() {
        for yes in [
            "A new draft",
            "“Only a few remaining points”",
            "\"significantly better\"",
            "Strikes go on",
            "Power cuts",
        ] {
            assert!(is_subhead(yes), "{yes}");
        }
        for no in [
            "The talks went on.",
            "\"We are ready,\" he said.",
            "“We are ready.”",
            "- a list item",
            "1. a numbered item",
            "(Reporting by Jane Roe)",
            "Talks. Then more",
        ] {
            assert!(!is_subhead(no), "{no}");
        }
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let lines = [
            (0, "A first paragraph whose line is broken before"),
            (47, "its end."),
            (56, ""),
            (57, "Second."),
        ];
        assert_eq!(
            paragraphs(&lines),
            [
                (
                    0,
                    "A first paragraph whose line is broken before its end.".to_string()
                ),
                (57, "Second.".to_string())
            ]
        );
        let one_per_line = [(0, "First."), (7, "Second."), (15, ""), (16, "Third.")];
        assert_eq!(paragraphs(&one_per_line).len(), 3);
        let subhead_above = [
            (0, "A new draft"),
            (
                12,
                "The original 28-point plan has been replaced by a revised version.",
            ),
        ];
        assert_eq!(paragraphs(&subhead_above).len(), 2);
    }
}
