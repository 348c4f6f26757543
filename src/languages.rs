//! Building a site in several languages: each language is resolved and rendered as a site of
//! its own (see `content::translations` for the cut and `Config::for_language`); this module
//! holds what joins them: which language has which page (hreflang links and the switcher), the
//! sink that puts a language's files in its folder, and the problems their shared registries
//! raise, reported once.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::render;
use crate::site::Site;
use crate::theme::Theme;

/// The problems every language's resolve found, once each: the registries are shared, so the
/// same problem is found in each language; an entity or term is unused only if no language
/// uses it.
pub fn merge_diagnostics(found: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    let languages = found.len();
    let unused =
        |d: &Diagnostic| matches!(d.code, "gloss::unmentioned-entity" | "gloss::unused-term");
    let mut seen = std::collections::BTreeSet::new();
    let mut unused_count: std::collections::BTreeMap<String, (usize, Option<Diagnostic>)> =
        Default::default();
    let mut out = Vec::new();
    for list in found {
        for d in list {
            if unused(&d) {
                let entry = unused_count.entry(d.message.clone()).or_default();
                entry.0 += 1;
                entry.1.get_or_insert(d);
            } else if seen.insert(d.to_string()) {
                out.push(d);
            }
        }
    }
    out.extend(
        unused_count
            .into_values()
            .filter(|(n, _)| *n == languages)
            .filter_map(|(_, d)| d),
    );
    out
}

/// Which languages have each page, from every language's resolved site.
pub fn translations(sites: &[Site], theme: &Theme) -> crate::site::Translations {
    let mut out = crate::site::Translations::default();
    for (i, site) in sites.iter().enumerate().take(64) {
        let code = &site.config.language;
        let name = crate::i18n::strings(theme, code)
            .get("language_name")
            .to_string();
        out.languages
            .push((code.clone(), site.config.base_url.clone(), name));
        for path in render::page_paths(site) {
            *out.pages.entry(path).or_default() |= 1 << i;
        }
    }
    out
}

/// A sink that puts every file in a language's folder (`fr/`).
pub struct Prefixed<'a> {
    pub prefix: &'a str,
    pub inner: &'a dyn render::Sink,
}

impl render::Sink for Prefixed<'_> {
    fn put(&self, mut file: render::OutputFile) -> Result<(), render::SinkError> {
        if !self.prefix.is_empty() {
            file.path.insert_str(0, self.prefix);
        }
        self.inner.put(file)
    }

    fn link(&self, path: String, from: &Path) -> Result<(), render::SinkError> {
        self.inner.link([self.prefix, &path].concat(), from)
    }
}
