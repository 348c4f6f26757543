//! `gloss import`: agency wire copy → an annotated draft article.
//!
//! `layout` reads the copy (AFP, Reuters, AP, a headline and byline, hard-wrapped or a
//! paragraph a line) into a [`Story`]; `evidence` finds the paragraph that proves each key
//! point and the words of it that say so; `names` lists names the registry lacks. This module
//! writes the draft: every paragraph and quote as sent, subheads as `##`, front matter with the
//! key points and their evidence, the dateline, the agency as a source, the byline as authors,
//! and `draft: true`. It never overwrites a file.

mod evidence;
mod layout;
mod names;

pub use evidence::{Match, WEAK};

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
    /// What the `dateline:` field holds: `Kyiv` or `Kyiv, Nov 25`.
    pub dateline: Option<String>,
    pub date: Date,
    pub agency: Option<String>,
    /// Markdown blocks: paragraphs and `## ` subheads, as sent (the first paragraph with its
    /// dateline).
    pub blocks: Vec<String>,
    /// The bytes of the first paragraph that its dateline takes (`WASHINGTON: `).
    pub dateline_len: usize,
}

impl Story {
    /// The blocks with the dateline left out of the first paragraph, as the draft's body has
    /// them when the front matter carries the dateline.
    pub fn blocks_without_dateline(&self) -> Vec<String> {
        let mut blocks = self.blocks.clone();
        if let Some(first) = blocks.first_mut() {
            first.replace_range(..self.dateline_len.min(first.len()), "");
        }
        blocks
    }

    /// Each key point's paragraph (numbered from 1 among paragraphs, as their `p-N` ids are)
    /// and evidence, in `blocks`.
    pub fn evidence(&self, blocks: &[String]) -> Vec<Option<Match>> {
        let paragraphs: Vec<&str> = blocks
            .iter()
            .filter(|b| !b.starts_with("## "))
            .map(String::as_str)
            .collect();
        evidence::assign(&self.key_points, &paragraphs)
    }
}

/// What an import wrote and what the editor should look at.
#[derive(Debug)]
pub struct Imported {
    pub article: PathBuf,
    pub sidecar: Option<PathBuf>,
    /// Capitalised names in the text that are not in the registry yet.
    pub suggestions: Vec<String>,
    /// Each key point's paragraph, score and evidence, for the editor to check.
    pub matches: Vec<Option<Match>>,
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
    let mut agency = None;
    // An agency line on top: "AFP", "© Reuters".
    if let Some(c) = layout::credit(first).filter(|_| rest.len() > 1) {
        agency = Some(c.agency);
        rest = &rest[1..];
        skip_blank(&mut rest);
    }
    let mut slug_line = None;
    if let Some(&(_, line)) = rest.first()
        && layout::is_slug_line(line)
        && rest.len() > 1
    {
        slug_line = Some(line.trim().to_string());
        rest = &rest[1..];
        skip_blank(&mut rest);
    }
    let mut title = None;
    if let Some(&(_, line)) = rest.first()
        && !layout::is_key_points_header(line)
        && layout::dateline(line, options.date).is_none()
        && layout::byline(line).is_none()
    {
        title = Some(line.trim().to_string());
        rest = &rest[1..];
        skip_blank(&mut rest);
    }
    let mut authors = Vec::new();
    if let Some(&(_, line)) = rest.first()
        && let Some(names) = layout::byline(line)
    {
        authors = names;
        rest = &rest[1..];
        skip_blank(&mut rest);
    }

    let mut key_points: Vec<String> = Vec::new();
    if let Some(&(header_at, header)) = rest.first()
        && layout::is_key_points_header(header)
    {
        rest = &rest[1..];
        skip_blank(&mut rest);
        while let Some(&(_, line)) = rest.first() {
            let trimmed = line.trim();
            if let Some(bullet) = layout::bullet(trimmed) {
                key_points.push(bullet.to_string());
            } else if !trimmed.is_empty()
                && !key_points.is_empty()
                && layout::dateline(trimmed, options.date).is_none()
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

    // The body: AP's "___" ends it (contributor lines follow); credit lines close it.
    let end = rest
        .iter()
        .position(|(_, l)| l.trim().len() >= 3 && l.trim().chars().all(|c| c == '_'))
        .unwrap_or(rest.len());
    if end < rest.len() {
        agency = agency.or(Some("AP".into()));
    }
    let mut body = layout::paragraphs(&rest[..end]);
    while let Some(c) = body.last().and_then(|(_, l)| layout::credit(l)) {
        body.pop();
        agency = agency.or(Some(c.agency));
        if authors.is_empty() {
            authors = c.authors;
        }
    }
    let Some((body_at, opening)) = body.first().cloned() else {
        let (at, line) = lines.last().copied().unwrap_or((first_at, first));
        return Err(vec![
            error(
                at,
                line.len(),
                "the story has no body after this line".into(),
            )
            .help("a wire story needs its text: paragraphs one per line or between blank lines"),
        ]);
    };
    let mut place = None;
    let mut dateline_text = None;
    let mut dateline_len = 0;
    let mut date = None;
    match layout::dateline(&opening, options.date) {
        Some(d) => {
            dateline_text = Some(d.text());
            place = Some(d.place.clone());
            date = d.when.map(|(_, date)| date);
            dateline_len = d.len;
            if d.agency.is_some() {
                agency = agency.or(d.agency);
            }
        }
        None => warnings.push(
            Diagnostic::warning(
                "gloss::import-no-dateline",
                "the first paragraph has no dateline (`CITY:`, `CITY, Nov 25 (Reuters) -` or `CITY (AP) —`)",
            )
            .at(Location::new(
                file,
                body_at..body_at + opening.len().min(40),
            ))
            .help("the place is left out; add `dateline:` to the front matter by hand"),
        ),
    }
    let last = body.len() - 1;
    let blocks: Vec<String> = body
        .iter()
        .enumerate()
        .map(|(i, (_, line))| {
            // A subhead sits between paragraphs: never first or last.
            if i > 0 && i < last && layout::is_subhead(line) {
                format!("## {line}")
            } else {
                escape_markdown(line)
            }
        })
        .collect();
    // Escaping can only add bytes after the dateline's own (capitals, spaces, a colon or a
    // dash), so its length holds in the escaped first block.
    let dateline_len = if blocks[0].get(..dateline_len) == opening.get(..dateline_len) {
        dateline_len
    } else {
        0
    };

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
        dateline: dateline_text,
        date: date.or(options.date).unwrap_or_else(Date::today),
        agency,
        blocks,
        dateline_len,
    })
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

fn title_from(point: &str) -> String {
    let words: Vec<&str> = point.split_whitespace().collect();
    let mut title = words.iter().take(12).copied().collect::<Vec<_>>().join(" ");
    title = title.trim_end_matches(['.', ',', ';', ':']).to_string();
    if words.len() > 12 {
        title.push('…');
    }
    title
}

/// Per key point, the paragraph chosen as its evidence and how well it matched, with a
/// warning where the match is weak or missing: what the editor checks first.
pub fn evidence_report(story: &Story, matches: &[Option<Match>]) -> String {
    let mut out = String::new();
    for (i, (point, m)) in story.key_points.iter().zip(matches).enumerate() {
        let n = i + 1;
        match m {
            Some(m) => {
                let _ = write!(
                    out,
                    "key point {n} -> paragraph {} (score {:.1})",
                    m.paragraph + 1,
                    m.score
                );
                match (&m.evidence, m.weak()) {
                    (None, _) => out.push_str(": warning: no evidence phrase found; write one"),
                    (Some(_), true) => {
                        let _ = write!(out, ": warning: weak match (under {WEAK:.1}); check it");
                    }
                    (Some(e), false) => {
                        let _ = write!(out, ": \"{e}\"");
                    }
                }
                out.push('\n');
            }
            None => {
                let _ = writeln!(
                    out,
                    "key point {n}: warning: no paragraph shares a word with \"{point}\"; add its evidence by hand"
                );
            }
        }
    }
    out
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
/// `matches` are the key points' evidence, in the body the draft gets.
pub fn front_matter(
    story: &Story,
    matches: &[Option<Match>],
    suggestions: &[String],
    registered_place: bool,
) -> String {
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
    if let Some(d) = &story.dateline {
        let _ = writeln!(y, "dateline: {}", quoted(d));
    }
    y.push_str("draft: true   # imported from wire copy: review, then set to false\n");
    if story.key_points.is_empty() {
        y.push_str("key_points: []\n");
    } else {
        y.push_str("key_points:\n");
        for (point, m) in story.key_points.iter().zip(matches) {
            let _ = writeln!(y, "  - text: {}", quoted(point));
            if let Some(e) = m.as_ref().and_then(|m| m.evidence.as_deref()) {
                let _ = writeln!(y, "    evidence: {}", quoted(e));
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
    let suggestions: Vec<String> = names::suggest(&story.blocks, &known)
        .into_iter()
        .filter(|n| story.place.as_ref() != Some(n))
        .collect();
    *suggestions_out = suggestions.clone();
    let registered_place = story.place.as_ref().is_none_or(|p| known.contains(p));
    // The front matter carries the dateline; a sidecar leaves the body as sent.
    let blocks = if options.sidecar {
        story.blocks.clone()
    } else {
        story.blocks_without_dateline()
    };
    // The evidence never includes the dateline, so that it holds in either body.
    let matches = story.evidence(&story.blocks_without_dateline());
    let yaml = front_matter(&story, &matches, &suggestions, registered_place);
    let body = blocks.join("\n\n") + "\n";

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
            matches,
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
    fn markdown_is_escaped_but_text_kept() {
        assert_eq!(escape_markdown("- not a list"), "\\- not a list");
        assert_eq!(escape_markdown("2025. A year"), "2025\\. A year");
        assert_eq!(escape_markdown("a *b* [c]"), "a \\*b\\* \\[c\\]");
    }
}
