//! Tera 2 set up from a [`Theme`], with template errors turned into diagnostics that name the
//! template file, line and column.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

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
        tera.register_filter("safe", safe);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(name, t)| (name.as_str(), t.text.as_str())),
        )
        .map_err(|e| diagnostic(&e, &sources))?;
        Ok(Templates { tera, sources })
    }

    /// The page's bytes: UTF-8, since Tera writes whole strings only (and bytes values as
    /// lossy text). Not checked again: that read every page once more, 1.4% of a build.
    pub fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        // Article and entity pages run to 30-60 KB. Tera starts from the template's size and
        // doubles, copying each page five or six times over; starting big copies it never.
        let mut out = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| diagnostic(&e, &self.sources))?;
        Ok(out)
    }
}

/// Tera's `safe`, without the copy: the built-in makes a new string of what it marks, and
/// every article page marks its whole body (20 KB and more), its JSON-LD and its preview data.
/// A string is marked where it is; anything else becomes its text, as with the built-in.
fn safe(value: Value, _: Kwargs, _: &State) -> Value {
    if value.as_str().is_some() {
        value.mark_safe()
    } else {
        Value::safe_string(&value.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::TemplateSource;

    /// The value is marked in the page's copy only: used again without `safe`, it is escaped.
    #[test]
    fn safe_marks_strings_and_writes_other_values_as_text() {
        let mut theme = Theme::default();
        theme.templates.insert(
            "t.html".into(),
            TemplateSource {
                path: "templates/t.html".into(),
                text: "{{ html | safe }} {{ n | safe }} {{ html }}".into(),
            },
        );
        let templates = Templates::new(&theme).expect("the template parses");
        let mut ctx = Context::new();
        ctx.insert("html", "<p>a & b</p>");
        ctx.insert("n", &3);
        assert_eq!(
            String::from_utf8(templates.render("t.html", &ctx).expect("it renders")),
            Ok("<p>a & b</p> 3 &lt;p&gt;a &amp; b&lt;/p&gt;".to_string())
        );
    }
}
