//! `gloss import`: agency wire copy → an annotated draft article.
//!
//! Understands the two layouts newsrooms receive most:
//! ```text
//! AFP:      [slug line]                 Reuters:  Headline
//!           Headline                              KYIV, Nov 25 (Reuters) - First paragraph...
//!           [By Name]                             ...
//!           KEY POINTS                            Subhead
//!           - bullet                              ...
//!           CITY: First paragraph...              (Reporting by ...; Editing by ...)
//!           ...
//!           AFP / bur-xx
//! ```
//! Wire copy does not hard-wrap, so each non-blank line is a paragraph. The draft keeps every
//! paragraph and quote as sent; it gains front matter with the key points (each with an
//! evidence phrase: the opening of the body sentence that best matches the bullet), the
//! dateline's place and date, the agency as a source, and `draft: true`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content::front_matter::slugify;
use crate::content::{Date, RawEntity};
use crate::diagnostics::{Diagnostic, Location, SourceFile};

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub root: PathBuf,
    pub file: PathBuf,
    pub slug: Option<String>,
    pub title: Option<String>,
    /// The date when the dateline has none (AFP) or lacks the year (Reuters).
    pub date: Option<Date>,
    pub sidecar: bool,
}

/// A wire story, understood.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub slug_line: Option<String>,
    pub title: String,
    pub authors: Vec<String>,
    pub key_points: Vec<String>,
    pub place: Option<String>,
    pub date: Date,
    pub agency: Option<String>,
    /// Markdown blocks: paragraphs and `## ` subheads, as sent.
    pub blocks: Vec<String>,
}

/// What an import wrote and what the editor should look at.
#[derive(Debug)]
pub struct Imported {
    pub article: PathBuf,
    pub sidecar: Option<PathBuf>,
    /// Capitalised names in the text that are not in the registry yet.
    pub suggestions: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
    Input(Vec<Diagnostic>),
    #[error("`{0}` already exists; gloss import never overwrites an article")]
    Exists(PathBuf),
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const AGENCIES: &[&str] = &["AFP", "Reuters", "AP", "Bloomberg", "dpa", "ANSA", "EFE"];

/// Reads the wire file (any line endings, a BOM tolerated) as a source for diagnostics.
pub fn read_wire(path: &Path) -> Result<Arc<SourceFile>, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    crate::content::decode(path.to_path_buf(), &bytes).map_err(|d| ImportError::Input(vec![d]))
}

/// Understands a wire story. Problems that stop the import are errors; things the editor should
/// know (no key points, a title made up) are warnings.
pub fn parse(
    file: &Arc<SourceFile>,
    options: &ImportOptions,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Story, Vec<Diagnostic>> {
    // (byte offset of the line in the file, the line without its line ending)
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for raw in file.text.split_inclusive('\n') {
        lines.push((at, raw.trim_end_matches(['\n', '\r'])));
        at += raw.len();
    }
    let error = |at: usize, len: usize, message: String| {
        Diagnostic::error("gloss::import", message).at(Location::new(file, at..at + len))
    };
    let mut rest: &[(usize, &str)] = &lines;
    let skip_blank = |rest: &mut &[(usize, &str)]| {
        while rest.first().is_some_and(|(_, l)| l.trim().is_empty()) {
            *rest = &rest[1..];
        }
    };

    skip_blank(&mut rest);
    let Some(&(first_at, first)) = rest.first() else {
        return Err(vec![
            Diagnostic::error("gloss::import", "the file is empty").in_file(&file.path),
        ]);
    };
    let mut slug_line = None;
    if is_slug_line(first) && rest.len() > 1 {
        slug_line = Some(first.trim().to_string());
        rest = &rest[1..];
        skip_blank(&mut rest);
    }
    let mut title = None;
    if let Some(&(_, line)) = rest.first()
        && !is_key_points_header(line)
        && dateline(line, options.date).is_none()
    {
        title = Some(line.trim().to_string());
        rest = &rest[1..];
        skip_blank(&mut rest);
    }
    let mut authors = Vec::new();
    if let Some(&(_, line)) = rest.first()
        && let Some(name) = line.trim().strip_prefix("By ")
        && name.split_whitespace().count() <= 6
    {
        authors = name
            .split(" and ")
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        rest = &rest[1..];
        skip_blank(&mut rest);
    }

    let mut key_points: Vec<String> = Vec::new();
    if let Some(&(header_at, header)) = rest.first()
        && is_key_points_header(header)
    {
        rest = &rest[1..];
        skip_blank(&mut rest);
        while let Some(&(_, line)) = rest.first() {
            let trimmed = line.trim();
            if let Some(bullet) = bullet(trimmed) {
                key_points.push(bullet.to_string());
            } else if !trimmed.is_empty()
                && !key_points.is_empty()
                && !looks_like_body_start(trimmed, options.date)
                && line.starts_with([' ', '\t'])
            {
                // A bullet wrapped onto an indented line.
                let last = key_points.last_mut().expect("checked non-empty");
                last.push(' ');
                last.push_str(trimmed);
            } else if !trimmed.is_empty() {
                break;
            }
            rest = &rest[1..];
        }
        if key_points.is_empty() {
            return Err(vec![
                error(
                    header_at,
                    header.len(),
                    "KEY POINTS is not followed by any bullet".into(),
                )
                .help("list the points as lines starting with `-`, `*` or `•`"),
            ]);
        }
    }
    skip_blank(&mut rest);

    // The body: one paragraph per line; the dateline opens the first.
    let mut blocks = Vec::new();
    let mut place = None;
    let mut date = None;
    let mut agency = None;
    let body: Vec<(usize, &str)> = rest
        .iter()
        .copied()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let Some(&(body_at, opening)) = body.first() else {
        let (at, line) = lines.last().copied().unwrap_or((first_at, first));
        return Err(vec![
            error(
                at,
                line.len(),
                "the story has no body after this line".into(),
            )
            .help("a wire story needs its text: one paragraph per line"),
        ]);
    };
    match dateline(opening, options.date) {
        Some(d) => {
            place = Some(d.place);
            date = d.date;
            if d.agency.is_some() {
                agency = d.agency;
            }
        }
        None => warnings.push(
            Diagnostic::warning(
                "gloss::import-no-dateline",
                "the first paragraph has no dateline (`CITY:` or `CITY, Nov 25 (Reuters) -`)",
            )
            .at(Location::new(
                file,
                body_at..body_at + opening.len().min(40),
            ))
            .help("the place and date are left out; add them to the front matter by hand"),
        ),
    }
    let last = body.len() - 1;
    for (i, &(_, line)) in body.iter().enumerate() {
        let line = line.trim();
        if i == last
            && let Some(a) = credit(line)
        {
            agency = agency.or(Some(a.agency));
            if authors.is_empty() {
                authors = a.authors;
            }
            continue;
        }
        if i > 0 && is_subhead(line) {
            blocks.push(format!("## {line}"));
        } else {
            blocks.push(escape_markdown(line));
        }
    }

    let title = match (options.title.clone(), title) {
        (Some(t), _) => t,
        (None, Some(t)) => t,
        (None, None) => match key_points.first() {
            Some(kp) => {
                warnings.push(
                    Diagnostic::warning(
                        "gloss::import-no-headline",
                        "the story has no headline; the title is made from the first key point",
                    )
                    .at(Location::new(file, first_at..first_at + first.len()))
                    .help("pass --title to choose one"),
                );
                title_from(kp)
            }
            None => {
                return Err(vec![
                    error(
                        first_at,
                        first.len(),
                        "the story has no headline and no key points to make a title from".into(),
                    )
                    .help("pass --title"),
                ]);
            }
        },
    };
    if key_points.is_empty() {
        warnings.push(
            Diagnostic::warning(
                "gloss::import-no-key-points",
                "the story has no KEY POINTS block; key_points are left empty",
            )
            .in_file(&file.path)
            .help(
                "write the key points into the draft's front matter, with an evidence phrase each",
            ),
        );
    }
    Ok(Story {
        slug_line,
        title,
        authors,
        key_points,
        place,
        date: date.or(options.date).unwrap_or_else(Date::today),
        agency,
        blocks,
    })
}

fn is_slug_line(line: &str) -> bool {
    let t = line.trim();
    !t.contains(' ')
        && t.len() >= 3
        && (t.contains('-') || t.contains('/'))
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '_'))
}

fn is_key_points_header(line: &str) -> bool {
    let t = line.trim().trim_end_matches(':').to_ascii_lowercase();
    t == "key points" || t == "key facts"
}

fn bullet(line: &str) -> Option<&str> {
    ["- ", "* ", "• ", "– ", "— "]
        .iter()
        .find_map(|b| line.strip_prefix(b))
        .map(str::trim)
        .filter(|b| !b.is_empty())
}

fn looks_like_body_start(line: &str, year: Option<Date>) -> bool {
    dateline(line, year).is_some()
}

#[derive(Debug, PartialEq)]
struct Dateline {
    place: String,
    date: Option<Date>,
    agency: Option<String>,
}

/// `WASHINGTON: ...`, `KYIV, Ukraine: ...` (AFP) or `KYIV, Nov 25 (Reuters) - ...`.
fn dateline(line: &str, default: Option<Date>) -> Option<Dateline> {
    let line = line.trim();
    let caps_end = line
        .char_indices()
        .find(|&(_, c)| !(c.is_uppercase() || c == ' ' || c == '-' || c == '.' || c == '\''))
        .map_or(line.len(), |(i, _)| i);
    let place_raw = line[..caps_end].trim();
    if place_raw.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    let after = &line[caps_end..];
    // AFP: "CITY:" or "CITY, Country:" before the text.
    if let Some(text) = after.strip_prefix(':') {
        return (!text.trim().is_empty()).then(|| Dateline {
            place: title_case(place_raw),
            date: None,
            agency: None,
        });
    }
    let after = after.strip_prefix(',')?.trim_start();
    if let Some((country, text)) = after.split_once(':')
        && country.split_whitespace().count() <= 3
        && country.chars().next().is_some_and(char::is_uppercase)
        && !text.trim().is_empty()
        && !country.contains('(')
    {
        return Some(Dateline {
            place: title_case(place_raw),
            date: None,
            agency: None,
        });
    }
    // Reuters: "CITY, Nov 25 (Reuters) - text"
    let (month, rest) = after.split_once(' ')?;
    let month = MONTHS.iter().position(|m| {
        month
            .trim_end_matches('.')
            .to_ascii_lowercase()
            .starts_with(m)
    })? + 1;
    let (day, rest) = rest.trim_start().split_once(' ')?;
    let day: u8 = day.parse().ok()?;
    let rest = rest.trim_start();
    let (agency, text) = rest.strip_prefix('(')?.split_once(')')?;
    let text = text.trim_start().strip_prefix(['-', '–', '—'])?;
    if text.trim().is_empty() {
        return None;
    }
    let year = default.map_or_else(|| Date::today().year(), Date::year);
    let date = Date::parse(&format!("{year:04}-{month:02}-{day:02}")).ok();
    Some(Dateline {
        place: title_case(place_raw),
        date,
        agency: Some(agency.trim().to_string()),
    })
}

struct Credit {
    agency: String,
    authors: Vec<String>,
}

/// A closing credit: `AFP`, `(AFP)`, `© AFP 2025`, `bur-jm/st`, `(Reporting by A; Editing by B)`.
fn credit(line: &str) -> Option<Credit> {
    let t = line.trim().trim_start_matches('©').trim();
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
    let first = bare.split_whitespace().next().unwrap_or("");
    if let Some(a) = AGENCIES.iter().find(|a| first.eq_ignore_ascii_case(a))
        && bare.split_whitespace().count() <= 3
    {
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

/// A subhead: a short line without closing punctuation that is not a quote.
fn is_subhead(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=8).contains(&words)
        && !line.ends_with(['.', '!', '?', ':', ';', ',', '"', '”', '’', ')'])
        && !line.starts_with(['"', '“', '‘', '(', '-'])
        && line.chars().next().is_some_and(char::is_uppercase)
}

/// Keeps wire text literal in Markdown: a line that would start a list, heading, quote or code
/// block is escaped, and so are characters that would turn into emphasis or links.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let starts_block = line.starts_with(['#', '>', '-', '+', '*', '=', '|'])
        || line.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit())
        });
    if starts_block && line.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        let n = line.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&line[..n]);
        out.push('\\');
        out.push_str(&escape_inline(&line[n..]));
        return out;
    }
    if starts_block {
        out.push('\\');
    }
    out.push_str(&escape_inline(line));
    out
}

fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '_' | '[' | ']' | '`' | '<' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            w.split('-')
                .map(|p| {
                    let mut c = p.chars();
                    c.next()
                        .map(|f| {
                            f.to_uppercase()
                                .chain(c.flat_map(char::to_lowercase))
                                .collect::<String>()
                        })
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_from(point: &str) -> String {
    let words: Vec<&str> = point.split_whitespace().collect();
    let mut title = words.iter().take(12).copied().collect::<Vec<_>>().join(" ");
    title = title.trim_end_matches(['.', ',', ';', ':']).to_string();
    if words.len() > 12 {
        title.push('…');
    }
    title
}

const STOPWORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "from", "is",
    "are", "was", "were", "be", "been", "that", "this", "it", "its", "as", "has", "have", "had",
    "he", "she", "they", "his", "her", "their", "will", "would", "said", "says", "not", "but",
    "than", "more", "who", "which",
];

fn content_words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 1 && !STOPWORDS.contains(&w.as_str()))
        .collect()
}

/// The body sentence that best matches a key point, by shared content words; its opening words
/// are the evidence phrase.
pub fn evidence_for(point: &str, blocks: &[String]) -> Option<String> {
    let wanted = content_words(point);
    let mut best: Option<(usize, &str)> = None;
    for block in blocks.iter().filter(|b| !b.starts_with("## ")) {
        for sentence in split_sentences(block) {
            let score = content_words(sentence).intersection(&wanted).count();
            if score > 0 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, sentence));
            }
        }
    }
    let (_, sentence) = best?;
    // A phrase of plain words: stop before anything Markdown could render differently.
    let mut phrase = Vec::new();
    for word in sentence.split_whitespace() {
        // Stop before markup, and before a quotation opens: smart punctuation may turn its
        // quote mark around.
        if word.contains(['\\', '*', '_', '[', ']', '`', '<'])
            || (word.starts_with(['"', '“', '\'']) && !phrase.is_empty())
        {
            break;
        }
        phrase.push(word);
        if phrase.len() == 10 {
            break;
        }
    }
    let phrase = phrase.join(" ");
    let phrase = phrase
        .trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '”'])
        .trim_end();
    (phrase.split_whitespace().count() >= 3).then(|| phrase.to_string())
}

fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') && bytes.get(i + 1).is_none_or(|b| *b == b' ') {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Capitalised words that start sentences rather than names.
const STARTERS: &[&str] = &[
    "The", "A", "An", "But", "And", "In", "On", "At", "After", "Before", "He", "She", "It", "They",
    "This", "That", "When", "While", "As", "If",
];

/// Titles and nationality adjectives that come before names rather than being part of them.
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
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "US",
        "UK",
        "EU",
        "French",
        "British",
        "German",
        "Dutch",
    ];
    TITLES.contains(&word)
        || ["ian", "ese", "ish"]
            .iter()
            .any(|s| word.len() > 4 && word.ends_with(s))
}

/// Capitalised multi-word names (`Air Force One`, `Dan Driscoll`) not yet in the registry.
pub fn suggest_names(blocks: &[String], known: &BTreeSet<String>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for block in blocks {
        let words: Vec<&str> = block.split_whitespace().collect();
        let mut i = 0;
        while i < words.len() {
            let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            let is_cap = |w: &str| {
                let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().skip(1).any(char::is_lowercase)
            };
            if !is_cap(words[i]) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < words.len()
                && is_cap(words[j])
                && !words[j - 1].ends_with(['.', ',', ':', ';', '"', '”'])
            {
                j += 1;
            }
            // "The White House" is "White House"; "The Talks" at a sentence start is no name;
            // "Russian President Vladimir Putin" is "Vladimir Putin".
            let mut lead = i;
            while lead < j
                && (STARTERS.contains(&clean(words[lead]).as_str())
                    || is_title(&clean(words[lead])))
            {
                lead += 1;
            }
            if j - lead >= 2 {
                let name = words[lead..j]
                    .iter()
                    .map(|w| clean(w))
                    .collect::<Vec<_>>()
                    .join(" ");
                let name = name
                    .trim_end_matches("'s")
                    .trim_end_matches("’s")
                    .to_string();
                let padded = format!(" {name} ");
                let registered = known.iter().any(|k| padded.contains(&format!(" {k} ")));
                if !registered && !found.contains(&name) && name.split(' ').count() >= 2 {
                    found.push(name);
                }
            }
            i = j;
        }
    }
    found
}

/// YAML stubs for suggested names, ready to paste into entities.yaml.
pub fn entity_stubs(story: &Story, suggestions: &[String]) -> String {
    let mut out = String::new();
    if let Some(place) = &story.place {
        let _ = writeln!(out, "{}:\n  name: {place}\n  kind: place", slugify(place));
    }
    for name in suggestions {
        if story.place.as_ref() == Some(name) {
            continue;
        }
        let _ = writeln!(
            out,
            "{}:\n  name: {name}\n  kind: person   # or organisation, place, event, other",
            slugify(name)
        );
    }
    out
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", crate::scaffold::yaml_escape(s))
}

/// The front matter (or sidecar) YAML for a story.
pub fn front_matter(story: &Story, suggestions: &[String], registered_place: bool) -> String {
    let mut y = String::new();
    if !suggestions.is_empty() || (story.place.is_some() && !registered_place) {
        y.push_str("# Names in the text that are not in content/entities.yaml yet; add them so they are linked:\n");
        if let (Some(place), false) = (&story.place, registered_place) {
            let _ = writeln!(y, "#   - {place} (dateline)");
        }
        for s in suggestions {
            let _ = writeln!(y, "#   - {s}");
        }
    }
    let _ = writeln!(y, "title: {}", quoted(&story.title));
    let _ = writeln!(y, "date: {}", story.date.iso());
    let authors: Vec<String> = story.authors.iter().map(|a| quoted(a)).collect();
    let _ = writeln!(y, "authors: [{}]", authors.join(", "));
    y.push_str("draft: true   # imported from wire copy: review, then set to false\n");
    if story.key_points.is_empty() {
        y.push_str("key_points: []\n");
    } else {
        y.push_str("key_points:\n");
        for point in &story.key_points {
            let _ = writeln!(y, "  - text: {}", quoted(point));
            if let Some(e) = evidence_for(point, &story.blocks) {
                let _ = writeln!(y, "    evidence: {}", quoted(&e));
            }
        }
    }
    match &story.agency {
        Some(a) => {
            let _ = writeln!(y, "sources:\n  - {{ name: {} }}", quoted(a));
        }
        None => y.push_str("sources: []\n"),
    }
    y
}

/// Imports a wire story into `content/articles/`. Never overwrites.
pub fn import(
    options: &ImportOptions,
    suggestions_out: &mut Vec<String>,
) -> Result<(Story, Imported), ImportError> {
    let file = read_wire(&options.file)?;
    let mut warnings = Vec::new();
    let story = parse(&file, options, &mut warnings).map_err(ImportError::Input)?;

    let slug = options
        .slug
        .as_deref()
        .map(slugify)
        .or_else(|| story.slug_line.as_deref().map(slugify))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| slugify(&story.title));
    let dir = options.root.join("content").join("articles");
    let article = dir.join(format!("{slug}.md"));
    let sidecar = dir.join(format!("{slug}.yaml"));
    if article.exists() {
        return Err(ImportError::Exists(article));
    }
    if sidecar.exists() {
        return Err(ImportError::Exists(sidecar));
    }

    let known = registered_names(&options.root);
    let suggestions: Vec<String> = suggest_names(&story.blocks, &known);
    *suggestions_out = suggestions.clone();
    let registered_place = story.place.as_ref().is_none_or(|p| known.contains(p));
    let yaml = front_matter(&story, &suggestions, registered_place);
    let body = story.blocks.join("\n\n") + "\n";

    std::fs::create_dir_all(&dir).map_err(|source| ImportError::Write {
        path: dir.clone(),
        source,
    })?;
    let write_new = |path: &Path, text: &str| -> Result<(), ImportError> {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => ImportError::Exists(path.to_path_buf()),
                _ => ImportError::Write {
                    path: path.to_path_buf(),
                    source: e,
                },
            })?;
        f.write_all(text.as_bytes())
            .map_err(|source| ImportError::Write {
                path: path.to_path_buf(),
                source,
            })
    };
    if options.sidecar {
        write_new(&article, &body)?;
        write_new(&sidecar, &yaml)?;
    } else {
        write_new(&article, &format!("---\n{yaml}---\n{body}"))?;
    }
    Ok((
        story,
        Imported {
            article,
            sidecar: options.sidecar.then_some(sidecar),
            suggestions,
            warnings,
        },
    ))
}

/// Every name and alias in the site's entities.yaml (empty when there is none or it is broken:
/// the suggestions are a convenience, and `gloss build` reports a broken registry).
fn registered_names(root: &Path) -> BTreeSet<String> {
    let path = root.join("content").join("entities.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return BTreeSet::new();
    };
    let file = SourceFile::new("content/entities.yaml", text);
    let mut diags = crate::diagnostics::Diagnostics::new();
    crate::content::parse_registry::<RawEntity>(&file, &mut diags)
        .into_iter()
        .flat_map(|(_, e, _)| std::iter::once(e.name).chain(e.aliases))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let d = dateline("WASHINGTON: US President Donald Trump said", None).unwrap();
        assert_eq!(d.place, "Washington");
        assert_eq!(d.date, None);
        let d = dateline("KYIV, Ukraine: Russian drones struck", None).unwrap();
        assert_eq!(d.place, "Kyiv");
        let year = Date::parse("2025-01-01").ok();
        let d = dateline("KYIV, Nov 25 (Reuters) - Russian drones struck", year).unwrap();
        assert_eq!(
            (
                d.place.as_str(),
                d.date.map(|d| d.iso()),
                d.agency.as_deref()
            ),
            ("Kyiv", Some("2025-11-25".into()), Some("Reuters"))
        );
        let d = dateline("NEW YORK, Dec. 3 (Reuters) - Text", year).unwrap();
        assert_eq!(d.place, "New York");
        assert!(dateline("The talks went on: nothing new", None).is_none());
        assert!(dateline("US President Donald Trump said on Tuesday", None).is_none());
    }

    #[test]
    fn credits() {
        assert_eq!(credit("AFP").unwrap().agency, "AFP");
        assert_eq!(credit("bur-jm/st").unwrap().agency, "AFP");
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
    fn markdown_is_escaped_but_text_kept() {
        assert_eq!(escape_markdown("- not a list"), "\\- not a list");
        assert_eq!(escape_markdown("2025. A year"), "2025\\. A year");
        assert_eq!(escape_markdown("a *b* [c]"), "a \\*b\\* \\[c\\]");
    }

    #[test]
    fn evidence_is_the_best_matching_sentence() {
        let blocks = vec![
            "WASHINGTON: Trump said he would send Steve Witkoff to Moscow next week. The talks went on.".to_string(),
            "Macron said there was no Russian willingness for a ceasefire.".to_string(),
        ];
        assert_eq!(
            evidence_for("Witkoff goes to Moscow", &blocks).as_deref(),
            Some("WASHINGTON: Trump said he would send Steve Witkoff to Moscow")
        );
        assert_eq!(
            evidence_for("No Russian willingness, Macron says", &blocks).as_deref(),
            Some("Macron said there was no Russian willingness for a ceasefire")
        );
    }

    #[test]
    fn names_not_registered_are_suggested() {
        let blocks = vec!["Speaking on Air Force One, President Donald Trump met US negotiator Dan Driscoll and Russian President Vladimir Putin. The Talks".to_string()];
        let known: BTreeSet<String> = ["Donald Trump".to_string()].into();
        assert_eq!(
            suggest_names(&blocks, &known),
            ["Air Force One", "Dan Driscoll", "Vladimir Putin"]
        );
    }
}
