//! Diagnostics: every problem found in a site's input, with the file, the byte span and a hint.
//!
//! Stages never stop at the first bad file: they push a [`Diagnostic`] into a [`Diagnostics`]
//! and carry on, so one build reports everything at once. Spans are byte offsets into the
//! original file; line and column (1-based, columns counted in characters) are computed only
//! when a diagnostic is printed. This module owns the source texts, so a diagnostic can show a
//! snippet without touching the disk again.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file whose text diagnostics can point into.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, as shown to the user.
    pub path: PathBuf,
    /// The text gloss parsed (a UTF-8 byte order mark already removed).
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text: text.into(),
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// Byte offset of a 1-based line and column (in characters); clamps to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        offset_of(&self.text, line, column)
    }
}

/// Byte offset of a 1-based line and column (in characters) in `text`; clamps to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    rest[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(start + line_end, |(i, _)| start + i)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Where a diagnostic points: a span of bytes in a source file.
#[derive(Debug, Clone)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
}

impl Location {
    pub fn new(file: &Arc<SourceFile>, span: Range<usize>) -> Location {
        Location {
            file: Arc::clone(file),
            span,
        }
    }

    /// The location of a whole file, for problems that have no better place (a missing field).
    pub fn file(file: &Arc<SourceFile>) -> Location {
        Location::new(file, 0..0)
    }
}

/// One problem in the input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, machine-readable name such as `gloss::unknown-entity`.
    pub code: &'static str,
    pub message: String,
    /// Where it is; `None` for problems of the site as a whole.
    pub location: Option<Location>,
    /// A file without a text to show (a file that is not UTF-8, a directory).
    pub path: Option<PathBuf>,
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            path: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The file the diagnostic names, if any.
    pub fn file_path(&self) -> Option<&Path> {
        self.location
            .as_ref()
            .map(|l| l.file.path.as_path())
            .or(self.path.as_deref())
    }

    /// 1-based line and column, when the diagnostic points into a text.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.location
            .as_ref()
            .map(|l| l.file.line_col(l.span.start))
    }

    fn sort_key(&self) -> (Option<PathBuf>, (usize, usize), Severity, String) {
        (
            self.file_path().map(Path::to_path_buf),
            self.line_col().unwrap_or((0, 0)),
            self.severity,
            self.message.clone(),
        )
    }
}

/// `path:line:col: error[code]: message`, the one-line form used in logs and tests.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = self.file_path() {
            write!(f, "{}", path.display())?;
            if let Some((line, col)) = self.line_col() {
                write!(f, ":{line}:{col}")?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// The diagnostics of one build. Passed by `&mut` through the stages, never global, because
/// `gloss serve` runs many builds in one process.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

/// Names for a message: the first `shown` of `items` in backticks, then how many more there are
/// (`` `a`, `b`, and 3 more ``).
pub fn short_list<S: AsRef<str>>(items: &[S], shown: usize) -> String {
    let mut list: Vec<String> = items
        .iter()
        .take(shown)
        .map(|i| format!("`{}`", i.as_ref()))
        .collect();
    if items.len() > shown {
        list.push(format!("and {} more", items.len() - shown));
    }
    list.join(", ")
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.list.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every diagnostic, sorted by file, line and column so output is stable.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.list.iter().collect();
        sorted.sort_by_cached_key(|d| d.sort_key());
        sorted
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        let mut list = self.list;
        list.sort_by_cached_key(|d| d.sort_key());
        list
    }
}

/// A diagnostic in the form miette renders: a snippet with the span underlined.
#[derive(Debug)]
pub struct Report<'a>(pub &'a Diagnostic);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.0.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.0.help.as_ref()?;
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0
            .location
            .as_ref()
            .map(|l| l as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let location = self.0.location.as_ref()?;
        let span = location.span.start..location.span.end.max(location.span.start);
        let label = miette::LabeledSpan::new_with_span(self.0.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

/// miette reads snippets straight from the stored text and names the file in its header.
impl miette::SourceCode for Location {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self
            .file
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.file.path.display().to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// Turns a serde error message (from YAML or TOML) into a diagnostic with a stable code and a
/// hint: unknown keys get "did you mean", unknown values the list of valid ones.
pub fn from_serde_message(message: &str) -> Diagnostic {
    // serde_yaml prefixes the path of nested values: "moscow.kind: unknown variant ...".
    let (path, rest) = match message.find(": ") {
        Some(i) if !message[..i].contains(' ') => (Some(&message[..i]), &message[i + 2..]),
        _ => (None, message),
    };
    let within = path.map(|p| format!(" in `{p}`")).unwrap_or_default();
    let expected: Vec<&str> = rest
        .split("expected")
        .nth(1)
        .map(|e| e.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let quoted = rest.split('`').nth(1).unwrap_or("");
    let list = || {
        expected
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if rest.starts_with("unknown field") {
        let d = Diagnostic::error(
            "gloss::unknown-key",
            format!("unknown key `{quoted}`{within}"),
        )
        .label("not a known key");
        return match did_you_mean(quoted, expected.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if !expected.is_empty() => d.help(format!("expected one of {}", list())),
            None => d,
        };
    }
    if rest.starts_with("unknown variant") {
        let d = Diagnostic::error(
            "gloss::invalid-value",
            format!("`{quoted}` is not a valid value{within}"),
        );
        return match did_you_mean(quoted, expected.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`? expected one of {}", list())),
            None => d.help(format!("expected one of {}", list())),
        };
    }
    if rest.starts_with("missing field") {
        return Diagnostic::error(
            "gloss::missing-key",
            format!("missing required key `{quoted}`{within}"),
        )
        .help(format!("add `{quoted}`"));
    }
    if let Some(i) = rest.find("invalid date") {
        return Diagnostic::error("gloss::invalid-date", rest[i..].to_string())
            .help("write dates as YYYY-MM-DD, e.g. 2025-11-25");
    }
    if rest.starts_with("invalid type") {
        return Diagnostic::error("gloss::invalid-type", format!("{rest}{within}"));
    }
    Diagnostic::error("gloss::yaml", message.to_string())
}

/// Edit-distance suggestion: the known name closest to `unknown`, if it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (levenshtein(unknown, k), k))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// One diagnostic as a JSON object, for editors and CI annotations (`--format json`).
pub fn to_json(d: &Diagnostic) -> serde_json::Value {
    let (start, end) = match &d.location {
        Some(l) => (
            Some(l.file.line_col(l.span.start)),
            Some(l.file.line_col(l.span.end.max(l.span.start))),
        ),
        None => (None, None),
    };
    serde_json::json!({
        "severity": d.severity.to_string(),
        "code": d.code,
        "message": d.message,
        "file": d.file_path().map(|p| p.to_string_lossy().replace('\\', "/")),
        "line": start.map(|s| s.0),
        "column": start.map(|s| s.1),
        "end_line": end.map(|e| e.0),
        "end_column": end.map(|e| e.1),
        "label": d.label,
        "help": d.help,
    })
}

/// A diagnostic as miette draws it: header, snippet with the span underlined, help. `color`
/// off gives plain text for logs, screen readers and tests.
pub fn render_human(diagnostic: &Diagnostic, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if let Some(path) = diagnostic.file_path()
        && diagnostic.location.is_none()
    {
        out.push_str(&format!("{}: ", path.display()));
    }
    if handler
        .render_report(&mut out, &Report(diagnostic))
        .is_err()
    {
        out = format!("{diagnostic}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("a.md", "first\nзé x\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(6), (2, 1));
        // "зé " is 5 bytes and 3 characters, so `x` is column 4.
        assert_eq!(file.line_col(11), (2, 4));
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let file = SourceFile::new("a.md", "first\nзé x\nlast");
        for offset in [0, 6, 11, 13] {
            let (line, col) = file.line_col(offset);
            assert_eq!(file.offset_of(line, col), offset);
        }
        assert_eq!(file.offset_of(99, 1), file.text.len());
    }

    #[test]
    fn suggestions_are_close_matches_only() {
        let known = ["steve-witkoff", "vladimir-putin", "nato"];
        assert_eq!(did_you_mean("steve-witkof", known), Some("steve-witkoff"));
        assert_eq!(did_you_mean("nat0", known), Some("nato"));
        assert_eq!(did_you_mean("emmanuel-macron", known), None);
    }

    #[test]
    fn serde_messages_become_coded_hints() {
        let d = from_serde_message(
            "moscow: unknown field `rol`, expected one of `name`, `kind`, `role`",
        );
        assert_eq!(d.code, "gloss::unknown-key");
        assert_eq!(d.message, "unknown key `rol` in `moscow`");
        assert_eq!(d.help.as_deref(), Some("did you mean `role`?"));
        let d = from_serde_message(
            "moscow.kind: unknown variant `city`, expected one of `person`, `place`",
        );
        assert_eq!(d.code, "gloss::invalid-value");
        assert_eq!(d.help.as_deref(), Some("expected one of `person`, `place`"));
        let d = from_serde_message("draft: invalid type: string \"maybe\", expected a boolean");
        assert_eq!(d.code, "gloss::invalid-type");
        assert_eq!(
            from_serde_message("missing field `title`").message,
            "missing required key `title`"
        );
    }

    #[test]
    fn display_names_file_line_and_code() {
        let file = SourceFile::new("content/a.md", "x\nbad\n");
        let d =
            Diagnostic::error("gloss::test", "something is wrong").at(Location::new(&file, 2..5));
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: error[gloss::test]: something is wrong"
        );
    }
}
