//! Tera 2 set up from a [`Theme`], with template errors turned into diagnostics that name the
//! template file, line and column.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::{Diagnostic, Location, SourceFile};
use crate::theme::Theme;

/// Room for a typical page, so that rendering one seldom grows its buffer.
const PAGE_CAPACITY: usize = 64 * 1024;

/// The parsed templates of one build.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, Arc<SourceFile>>,
}

impl Templates {
    pub fn new(theme: &Theme) -> Result<Templates, Diagnostic> {
        let sources: BTreeMap<String, Arc<SourceFile>> = theme
            .templates
            .iter()
            .map(|(name, t)| {
                (
                    name.clone(),
                    SourceFile::new(t.path.clone(), t.text.clone()),
                )
            })
            .collect();
        let mut tera = Tera::new();
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(name, t)| (name.as_str(), t.text.as_str())),
        )
        .map_err(|e| diagnostic(&e, &sources))?;
        Ok(Templates { tera, sources })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        // Article and entity pages run to 30-60 KB. Tera starts from the template's size and
        // doubles, copying each page five or six times over; starting big copies it never.
        let mut out = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| diagnostic(&e, &self.sources))?;
        String::from_utf8(out).map_err(|e| {
            Diagnostic::error(
                "gloss::template",
                format!("template `{name}` wrote invalid UTF-8: {e}"),
            )
        })
    }
}

fn diagnostic(error: &tera::Error, sources: &BTreeMap<String, Arc<SourceFile>>) -> Diagnostic {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let d = Diagnostic::error("gloss::template", report.message().to_string());
            match sources.get(report.filename()) {
                Some(file) => d.at(Location::new(file, report.span().range.clone())),
                None => d.in_file(format!("templates/{}", report.filename())),
            }
        }
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error("gloss::template", format!("template `{name}` not found")).help(
                "a site's templates/ may override the built-in templates, with the same names",
            )
        }
        _ => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::error("gloss::template", message)
        }
    }
}
