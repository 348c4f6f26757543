//! Which paragraph proves each key point, and the words of it that say so.
//!
//! Each (key point, paragraph) pair is scored by the content words they share after stemming
//! (Snowball's English stemmer: "strikes" and "struck" apart, "strike" and "strikes" together),
//! each word weighted by how rare it is in the story, names and numbers weighted up, stopwords
//! out. Key points are then assigned to paragraphs as a whole (Kuhn-Munkres on the score
//! matrix), one paragraph each, so that two points do not both land on the paragraph that
//! happens to share most words with both; a point shares a paragraph only when nothing else
//! comes close to its best. The evidence phrase is the shortest run of words, within one
//! sentence of that paragraph, that holds the shared words (4 to 12 of them), never the
//! dateline.

use std::collections::{BTreeMap, BTreeSet};

use rust_stemmers::{Algorithm, Stemmer};

/// A point's best paragraph scoring under this is reported as weak: the editor should check.
pub const WEAK: f64 = 2.0;

/// Below this share of its best score, a point's one-to-one paragraph is not "close", and the
/// point goes to its best paragraph even when another point has it.
const CLOSE: f64 = 0.6;

const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "during", "each", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into",
    "is", "it", "its", "just", "may", "me", "might", "more", "most", "must", "my", "no", "nor",
    "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out", "over",
    "own", "said", "same", "say", "says", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "told", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
];

/// A word of a text: where it is, and what it counts as.
#[derive(Debug, Clone)]
struct Token {
    /// Byte range in the text.
    start: usize,
    end: usize,
    /// The stem; `None` for stopwords and single letters.
    stem: Option<String>,
    /// A name or a number: weighted up.
    strong: bool,
}

fn tokens(text: &str, stemmer: &Stemmer) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut sentence_start = true;
    while let Some(&(start, c)) = chars.peek() {
        if !c.is_alphanumeric() {
            if matches!(c, '.' | '!' | '?' | ':') {
                sentence_start = true;
            }
            chars.next();
            continue;
        }
        // A word, or a number with its thousands separators and decimal point: 600,000.
        let mut end = start;
        let mut word = String::new();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                word.push(c);
                end = i + c.len_utf8();
                chars.next();
            } else if matches!(c, ',' | '.')
                && word.chars().last().is_some_and(|l| l.is_ascii_digit())
                && text[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit())
            {
                if c == '.' {
                    word.push('.');
                }
                chars.next();
            } else {
                break;
            }
        }
        let number = word.chars().next().is_some_and(|c| c.is_ascii_digit());
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let lower = word.to_lowercase();
        let stem = if number {
            Some(lower)
        } else if lower.chars().count() < 2 || STOPWORDS.contains(&lower.as_str()) {
            None
        } else {
            Some(stemmer.stem(&lower).into_owned())
        };
        let all_caps = word.chars().count() > 1 && word.chars().all(|c| !c.is_lowercase());
        out.push(Token {
            start,
            end,
            strong: number || all_caps || (capital && !sentence_start),
            stem,
        });
        sentence_start = false;
    }
    out
}

/// Where a key point's evidence is, and how sure the match is.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index into the paragraphs given.
    pub paragraph: usize,
    pub score: f64,
    /// The phrase, as written in the paragraph; `None` when no run of words would do.
    pub evidence: Option<String>,
}

impl Match {
    pub fn weak(&self) -> bool {
        self.score < WEAK
    }
}

/// For each key point, its paragraph and evidence among `paragraphs` (plain text, the
/// dateline already left out). `None` for a point that shares no word with any paragraph.
pub fn assign(points: &[String], paragraphs: &[&str]) -> Vec<Option<Match>> {
    let stemmer = Stemmer::create(Algorithm::English);
    let para_tokens: Vec<Vec<Token>> = paragraphs.iter().map(|p| tokens(p, &stemmer)).collect();
    let point_tokens: Vec<Vec<Token>> = points.iter().map(|p| tokens(p, &stemmer)).collect();
    // Rare words weigh more: inverse paragraph frequency.
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for toks in &para_tokens {
        let stems: BTreeSet<&str> = toks.iter().filter_map(|t| t.stem.as_deref()).collect();
        for s in stems {
            *df.entry(s).or_default() += 1;
        }
    }
    let n = paragraphs.len() as f64;
    let idf = |s: &str| ((n + 1.0) / (df.get(s).copied().unwrap_or(0) as f64 + 0.5)).ln();
    // Each point's words and their weights.
    let wanted: Vec<BTreeMap<&str, f64>> = point_tokens
        .iter()
        .map(|toks| {
            let mut words = BTreeMap::new();
            for t in toks {
                if let Some(s) = t.stem.as_deref() {
                    let w = idf(s) * if t.strong { 2.0 } else { 1.0 };
                    let entry = words.entry(s).or_insert(0.0);
                    if w > *entry {
                        *entry = w;
                    }
                }
            }
            words
        })
        .collect();
    let para_stems: Vec<BTreeSet<&str>> = para_tokens
        .iter()
        .map(|toks| toks.iter().filter_map(|t| t.stem.as_deref()).collect())
        .collect();
    let scores: Vec<Vec<f64>> = wanted
        .iter()
        .map(|words| {
            para_stems
                .iter()
                .map(|stems| {
                    words
                        .iter()
                        .filter(|(s, _)| stems.contains(*s))
                        .map(|(_, w)| w)
                        .sum()
                })
                .collect()
        })
        .collect();
    let chosen = one_to_one(&scores);
    points
        .iter()
        .enumerate()
        .map(|(k, _)| {
            let row = &scores[k];
            let best = (0..row.len()).max_by(|&a, &b| row[a].total_cmp(&row[b]).then(b.cmp(&a)))?;
            if row[best] <= 0.0 {
                return None;
            }
            let paragraph = match chosen.get(k).copied().flatten() {
                Some(p) if row[p] >= CLOSE * row[best] => p,
                _ => best,
            };
            Some(Match {
                paragraph,
                score: (row[paragraph] * 10.0).round() / 10.0,
                evidence: span(paragraphs[paragraph], &para_tokens[paragraph], &wanted[k]),
            })
        })
        .collect()
}

/// The one-to-one assignment of rows (points) to columns (paragraphs) with the highest total
/// score; `None` for rows left over when there are more points than paragraphs.
fn one_to_one(scores: &[Vec<f64>]) -> Vec<Option<usize>> {
    let rows = scores.len();
    let cols = scores.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return vec![None; rows];
    }
    // Kuhn-Munkres wants integer weights and no more rows than columns: scores in hundredths,
    // and extra points matched against zero-score dummy columns.
    let width = cols.max(rows);
    let weights: Vec<i64> = (0..rows)
        .flat_map(|r| {
            (0..width).map(move |c| scores[r].get(c).map_or(0, |s| (s * 100.0).round() as i64))
        })
        .collect();
    let matrix =
        pathfinding::matrix::Matrix::from_vec(rows, width, weights).expect("rows × width weights");
    let (_, assignment) = pathfinding::kuhn_munkres::kuhn_munkres(&matrix);
    assignment
        .into_iter()
        .map(|c| (c < cols).then_some(c))
        .collect()
}

/// The shortest run of words in one sentence of `text` that holds the most of the wanted
/// weight, widened to at least four words and cut to at most twelve.
fn span(text: &str, toks: &[Token], wanted: &BTreeMap<&str, f64>) -> Option<String> {
    const MIN: usize = 4;
    const MAX: usize = 12;
    let weight = |t: &Token| {
        t.stem
            .as_deref()
            .and_then(|s| wanted.get(s))
            .copied()
            .unwrap_or(0.0)
    };
    // Sentences as token ranges: a sentence ends after a token followed by . ! or ?.
    let mut sentences: Vec<std::ops::Range<usize>> = Vec::new();
    let mut begin = 0;
    for (i, t) in toks.iter().enumerate() {
        let next_start = toks.get(i + 1).map_or(text.len(), |n| n.start);
        let gap = &text[t.end..next_start];
        if gap.contains(['.', '!', '?']) || i + 1 == toks.len() {
            sentences.push(begin..i + 1);
            begin = i + 1;
        }
    }
    let mut best: Option<(f64, usize, std::ops::Range<usize>)> = None;
    for sentence in sentences {
        let words = &toks[sentence.clone()];
        // Each start, the shortest window from it that reaches the most weight it can
        // within MAX words.
        for a in 0..words.len() {
            let mut total = 0.0;
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            let mut best_here: Option<(f64, usize)> = None;
            for (b, word) in words.iter().enumerate().take(a + MAX).skip(a) {
                if let Some(s) = word.stem.as_deref()
                    && seen.insert(s)
                {
                    total += weight(word);
                }
                if best_here.is_none_or(|(w, _)| total > w + 1e-9) {
                    best_here = Some((total, b));
                }
            }
            let Some((w, b)) = best_here else { continue };
            if w <= 0.0 || weight(&words[a]) <= 0.0 {
                continue;
            }
            let len = b - a + 1;
            let better = best.as_ref().is_none_or(|(bw, blen, _)| {
                w > *bw + 1e-9 || ((w - *bw).abs() <= 1e-9 && len < *blen)
            });
            if better {
                best = Some((w, len, sentence.start + a..sentence.start + b + 1));
            }
        }
    }
    let (_, _, mut range) = best?;
    // Widen a short run to MIN words, forwards first, within its sentence's text.
    while range.len() < MIN {
        let next = range.end;
        let prev = range.start.checked_sub(1);
        let same_sentence = |i: usize, j: usize| {
            let (lo, hi) = (i.min(j), i.max(j));
            !text[toks[lo].end..toks[hi].start].contains(['.', '!', '?'])
        };
        // Backwards first when the word before is part of a name ("Steve Witkoff").
        let back = prev.filter(|&p| same_sentence(p, range.start));
        if let Some(p) = back.filter(|&p| toks[p].strong) {
            range.start = p;
        } else if next < toks.len() && same_sentence(range.end - 1, next) {
            range.end += 1;
        } else if let Some(p) = back {
            range.start = p;
        } else {
            break;
        }
    }
    let (from, to) = balance_quotes(text, toks, range.start, range.end);
    let phrase = &text[from..to];
    // Markup would not match the rendered text: give up rather than write a phrase that fails.
    if phrase.contains(['\\', '*', '_', '[', ']', '`', '<']) {
        return None;
    }
    Some(phrase.to_string())
}

/// The bytes of tokens `start..end` of `text`, widened so that a quotation is not cut in
/// half: the quote mark beside the phrase (after a closing comma or full stop too), or the
/// words back to where the quotation opens. Left as they are when nothing near balances.
fn balance_quotes(text: &str, toks: &[Token], start: usize, end: usize) -> (usize, usize) {
    let is_quote = |c: char| matches!(c, '"' | '“' | '”' | '«' | '»');
    let balanced =
        |from: usize, to: usize| text[from..to].chars().filter(|&c| is_quote(c)).count() % 2 == 0;
    let (from, to) = (toks[start].start, toks[end - 1].end);
    if balanced(from, to) {
        return (from, to);
    }
    if let Some(c) = text[..from].chars().next_back().filter(|&c| is_quote(c)) {
        return (from - c.len_utf8(), to);
    }
    let mut after = text[to..].chars();
    match (after.next(), after.next()) {
        (Some(q), _) if is_quote(q) => return (from, to + q.len_utf8()),
        (Some(p), Some(q)) if matches!(p, ',' | '.' | '!' | '?') && is_quote(q) => {
            return (from, to + p.len_utf8() + q.len_utf8());
        }
        _ => {}
    }
    // Back to the opening quote, a word at a time, within the sentence.
    let mut first = start;
    while first > 0 && start - first < 4 {
        if text[toks[first - 1].end..toks[first].start].contains(['.', '!', '?']) {
            break;
        }
        first -= 1;
        let from = toks[first].start;
        if let Some(c) = text[..from].chars().next_back().filter(|&c| is_quote(c))
            && balanced(from - c.len_utf8(), to)
        {
            return (from - c.len_utf8(), to);
        }
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn numbers_keep_their_separators_out() {
        let stemmer = Stemmer::create(Algorithm::English);
        let stems: Vec<String> = tokens("from 600,000 to 800,000 troops, 18 wounded.", &stemmer)
            .into_iter()
            .filter_map(|t| t.stem)
            .collect();
        assert_eq!(stems, ["600000", "800000", "troop", "18", "wound"]);
    }

    #[test]
    fn each_point_gets_its_own_paragraph_when_one_would_fit_both() {
        let paragraphs = [
            "Macron said there was no Russian willingness for a ceasefire, as Russian strikes went on.",
            "Russian drones struck Kyiv overnight, killing seven.",
            "Missile attacks on Zaporizhzhia wounded 18 people.",
        ];
        let points = strings(&[
            "Macron sees no Russian willingness for a ceasefire",
            "Russian strikes on Kyiv kill seven",
            "Missiles wound 18 in Zaporizhzhia",
        ]);
        let got: Vec<usize> = assign(&points, &paragraphs)
            .into_iter()
            .map(|m| m.unwrap().paragraph)
            .collect();
        assert_eq!(got, [0, 1, 2]);
    }

    #[test]
    fn two_points_share_a_paragraph_when_nothing_else_comes_close() {
        let paragraphs = [
            "Drones hit Kyiv overnight, killing seven people and setting buildings on fire.",
            "Air defences were busy.",
        ];
        let points = strings(&[
            "Drones hit Kyiv overnight",
            "Seven killed, buildings on fire",
        ]);
        let got: Vec<usize> = assign(&points, &paragraphs)
            .into_iter()
            .map(|m| m.unwrap().paragraph)
            .collect();
        assert_eq!(got, [0, 0]);
    }

    #[test]
    fn the_evidence_is_the_short_run_that_holds_the_match() {
        let paragraphs = [
            "Donald Trump announced on Tuesday that he would send his envoy Steve Witkoff to Moscow next week to meet Vladimir Putin, as Washington pushed for a deal.",
        ];
        let m = assign(&strings(&["Witkoff to go to Moscow"]), &paragraphs)[0]
            .clone()
            .unwrap();
        assert_eq!(m.evidence.as_deref(), Some("Steve Witkoff to Moscow"));
        let m = assign(&strings(&["Trump sends Witkoff"]), &paragraphs)[0]
            .clone()
            .unwrap();
        assert_eq!(
            m.evidence.as_deref(),
            Some("Trump announced on Tuesday that he would send his envoy Steve Witkoff")
        );
    }
}
