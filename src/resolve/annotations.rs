//! Annotation anchors: where in the body each note's phrase is. Placed before the body is
//! resolved, so that auto-links can keep clear of the marks' edges.
//!
//! A phrase is matched like key-point evidence (case, curly quotes, dashes and spacing folded),
//! on whole words, within one stretch of plain text: it may run across line breaks but not
//! into emphasis, a link or code, since the mark must nest inside what holds the text.

use std::ops::Range;

use super::markdown::{Run, fold_typography, normalize};
use crate::content::Meta;
use crate::content::front_matter::{AnnotationKind, RawAnnotation, locate_key};
use crate::diagnostics::{Diagnostic, Location};
use crate::site::Mark;

/// An annotation whose anchor was found: `index` into the front matter's list.
#[derive(Debug)]
pub struct Placed {
    pub index: usize,
    pub mark: Mark,
    /// The number `N` of the block (`p-N`) that holds the anchor.
    pub block: Option<usize>,
    /// The anchor as the body has it.
    pub text: String,
    /// Where the annotation's `anchor:` value is in its YAML file.
    pub location: Location,
}

/// Finds every annotation's anchor in `runs` (the body's text runs). Returns the placed ones in
/// text order, numbered from 1; problems go to `diags`, at the annotation's line.
pub fn place(
    annotations: &[RawAnnotation],
    runs: &[Run],
    meta: &Meta,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Placed> {
    let stretches = stretches(runs);
    let mut from = locate_key(meta.yaml(), "annotations", 0).map_or(0, |r| r.end);
    let mut placed: Vec<(Placed, Location)> = Vec::new();
    for (index, a) in annotations.iter().enumerate() {
        let location = meta.locate_next(&a.anchor, &mut from);
        let rel = location.span.start.saturating_sub(meta.range.start);
        if a.kind != AnnotationKind::FactCheck {
            let fields = [
                ("verdict", a.verdict.is_some()),
                ("claim", a.claim.is_some()),
                ("claimant", a.claimant.is_some()),
            ];
            for (field, _) in fields.iter().filter(|(_, set)| *set) {
                diags.push(
                    Diagnostic::error(
                        "gloss::not-a-fact-check",
                        format!("`{field}:` is only for fact-check notes"),
                    )
                    .at(meta.locate(&format!("{field}:"), rel))
                    .label(format!("this note is `kind: {}`", a.kind.as_str()))
                    .help("set `kind: fact-check`, or remove the field"),
                );
            }
        }
        let needle = normalize(&a.anchor);
        let found: Vec<(usize, Range<usize>)> = if needle.is_empty() {
            Vec::new()
        } else {
            stretches
                .iter()
                .enumerate()
                .flat_map(|(s, stretch)| {
                    find_words(&stretch.text, &needle)
                        .into_iter()
                        .map(move |r| (s, r))
                })
                .collect()
        };
        let chosen = match (found.len(), a.occurrence) {
            (0, _) => {
                let crosses = runs
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join("");
                let help = if !needle.is_empty() && normalize(&crosses).contains(&needle) {
                    "the phrase runs into emphasis, a link or code: anchor a part that is plain text"
                } else {
                    "quote a phrase exactly as it appears in the body"
                };
                diags.push(
                    Diagnostic::error(
                        "gloss::anchor-not-found",
                        format!(
                            "annotation anchor `{}` is not in the article's text",
                            a.anchor
                        ),
                    )
                    .at(location)
                    .label("not found in the body")
                    .help(help),
                );
                continue;
            }
            (1, None | Some(1)) => 0,
            (n, None) => {
                let mut paragraphs: Vec<String> = Vec::new();
                for (s, r) in &found {
                    if let Some(b) = stretches[*s].block_at(r.start, runs) {
                        let id = format!("p-{b}");
                        if !paragraphs.contains(&id) {
                            paragraphs.push(id);
                        }
                    }
                }
                diags.push(
                    Diagnostic::error(
                        "gloss::anchor-ambiguous",
                        format!("annotation anchor `{}` appears {n} times in the text", a.anchor),
                    )
                    .at(location)
                    .label("which one?")
                    .help(format!(
                        "add `occurrence: 1` to `occurrence: {n}` to pick one (paragraphs {}), or quote a longer phrase",
                        paragraphs.join(", ")
                    )),
                );
                continue;
            }
            (n, Some(k)) if k == 0 || k > n => {
                let times = if n == 1 { "once" } else { "times" };
                let count = if n == 1 {
                    String::new()
                } else {
                    format!("{n} ")
                };
                diags.push(
                    Diagnostic::error(
                        "gloss::anchor-occurrence",
                        format!(
                            "`occurrence: {k}`, but `{}` appears {count}{times} in the text",
                            a.anchor
                        ),
                    )
                    .at(meta.locate("occurrence", rel))
                    .help(format!("occurrences count from 1 to {n}")),
                );
                continue;
            }
            (_, Some(k)) => k - 1,
        };
        let (s, range) = &found[chosen];
        let stretch = &stretches[*s];
        let (run, start) = stretch.position(range.start, false);
        let (end_run, end) = stretch.position(range.end, true);
        placed.push((
            Placed {
                index,
                mark: Mark {
                    run: run as u32,
                    start: start as u32,
                    end_run: end_run as u32,
                    end: end as u32,
                    number: 0,
                    kind: a.kind,
                },
                block: runs[run].block,
                text: stretch.text[range.clone()].to_string(),
                location: location.clone(),
            },
            location,
        ));
    }

    placed.sort_by_key(|(p, _)| (p.mark.run, p.mark.start));
    let mut out: Vec<Placed> = Vec::with_capacity(placed.len());
    for (mut p, location) in placed {
        if let Some(prev) = out.last()
            && (prev.mark.end_run, prev.mark.end) > (p.mark.run, p.mark.start)
        {
            diags.push(
                Diagnostic::error(
                    "gloss::anchor-overlap",
                    format!(
                        "annotation anchor `{}` overlaps the anchor `{}`",
                        annotations[p.index].anchor, annotations[prev.index].anchor
                    ),
                )
                .at(location)
                .help("a phrase carries one note: anchor the notes to phrases apart"),
            );
            continue;
        }
        p.mark.number = out.len() as u32 + 1;
        out.push(p);
    }
    out
}

/// Runs separated only by line breaks, joined with a space: the text a phrase can span.
struct Stretch {
    text: String,
    /// (index into the runs, where the run starts in `text`, its length)
    pieces: Vec<(usize, usize, usize)>,
}

impl Stretch {
    /// The run and the byte in it of byte `at` of the stretch. An `end` position belongs to the
    /// run it ends, not the next.
    fn position(&self, at: usize, end: bool) -> (usize, usize) {
        let piece = self
            .pieces
            .iter()
            .rev()
            .find(|(_, start, _)| if end { *start < at } else { *start <= at })
            .unwrap_or(&self.pieces[0]);
        (piece.0, (at - piece.1).min(piece.2))
    }

    fn block_at(&self, at: usize, runs: &[Run]) -> Option<usize> {
        runs[self.position(at, false).0].block
    }
}

fn stretches(runs: &[Run]) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::new();
    let mut open = false;
    for (i, run) in runs.iter().enumerate() {
        if !run.markable {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(stretch) if open && run.continues => {
                stretch.text.push(' ');
                stretch.pieces.push((i, stretch.text.len(), run.text.len()));
                stretch.text.push_str(&run.text);
            }
            _ => out.push(Stretch {
                text: run.text.clone(),
                pieces: vec![(i, 0, run.text.len())],
            }),
        }
        open = true;
    }
    out
}

/// Where the normalized `needle` occurs in `hay` on whole words, as byte ranges of `hay`.
fn find_words(hay: &str, needle: &str) -> Vec<Range<usize>> {
    // The folded text, and for each of its bytes the range of the character it came from.
    let mut folded = String::with_capacity(hay.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(hay.len());
    let mut space = false;
    for (i, c) in hay.char_indices() {
        let end = i + c.len_utf8();
        let c = fold_typography(c);
        if c.is_whitespace() {
            if !space {
                folded.push(' ');
                origin.push((i, end));
            }
            space = true;
            continue;
        }
        space = false;
        let before = folded.len();
        if c == '…' {
            folded.push_str("...");
        } else if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else {
            folded.extend(c.to_lowercase());
        }
        origin.extend(std::iter::repeat_n((i, end), folded.len() - before));
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    folded
        .match_indices(needle)
        .map(|(s, m)| origin[s].0..origin[s + m.len() - 1].1)
        .filter(|r| !word(hay[..r.start].chars().next_back()) && !word(hay[r.end..].chars().next()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_through_typography() {
        let hay = "Trump’s  28‑point plan, and the plans of others";
        let r = find_words(hay, &normalize("Trump's 28-point plan"));
        assert_eq!(r.len(), 1);
        assert_eq!(&hay[r[0].clone()], "Trump’s  28‑point plan");
        assert_eq!(find_words(hay, "plan").len(), 1, "`plans` is another word");
        assert!(find_words(hay, "ump").is_empty());
    }
}
