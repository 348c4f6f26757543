//! Themes: the built-in one, embedded in the binary, and the site's overrides.
//!
//! A file of the site's `themes/<name>/` (when `theme` is set), then of its own `templates/` and
//! `static/`, replaces the built-in file of the same name, file by file. Built-in files are
//! compiled in, so `gloss init` and `gloss build` work from any folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostic;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of `themes/default/`, by path inside it. A test checks the list is complete.
pub const BUILTIN: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/index.html",
    "templates/article.html",
    "templates/entity.html",
    "templates/entities.html",
    "templates/glossary.html",
    "templates/timeline.html",
    "templates/tag.html",
    "templates/tags.html",
    "templates/page.html",
    "templates/404.html",
    "templates/corrections.html",
    "templates/search.html",
    "templates/archive.html",
    "templates/term.html",
    "i18n/en.toml",
    "i18n/fr.toml",
    "i18n/es.toml",
    "i18n/de.toml",
    "i18n/ar.toml",
    "i18n/uk.toml",
    "i18n/ru.toml",
    "static/style.css",
    "static/gloss.js",
    "static/search.js",
    "static/favicon.svg",
    "starter/site.toml",
    "starter/content/entities.yaml",
    "starter/content/glossary.yaml",
    "starter/content/articles/welcome.md",
];

/// A template's text and the path to show in messages.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSource {
    pub text: String,
    pub path: PathBuf,
}

/// The theme a build uses, overrides applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Theme {
    /// By template name (`article.html`).
    pub templates: BTreeMap<String, TemplateSource>,
    /// By output path under `static/` (`style.css`).
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The interface strings' files by language, the built-in first, then the theme's and the
    /// site's (`i18n/<lang>.toml`).
    pub i18n: crate::i18n::Layers,
}

impl Theme {
    /// The built-in theme, without any site's overrides.
    pub fn builtin() -> Theme {
        let mut theme = Theme::default();
        for (path, bytes) in BUILTIN {
            if let Some(name) = path.strip_prefix("templates/") {
                theme.templates.insert(
                    name.to_string(),
                    TemplateSource {
                        text: String::from_utf8_lossy(bytes).into_owned(),
                        path: PathBuf::from("themes/default").join(path),
                    },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                let bytes = if name.ends_with(".js") {
                    slim_script(bytes)
                } else {
                    bytes.to_vec()
                };
                theme.static_files.insert(name.to_string(), bytes);
            } else if let Some(name) = path.strip_prefix("i18n/") {
                theme
                    .i18n
                    .entry(name.trim_end_matches(".toml").to_string())
                    .or_default()
                    .push((
                        PathBuf::from("themes/default").join(path),
                        String::from_utf8_lossy(bytes).into_owned(),
                    ));
            }
        }
        theme
    }

    /// The built-in theme with the site's theme and its own files laid over it.
    pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::builtin();
        let mut errors = Vec::new();
        let mut layers = Vec::new();
        if let Some(name) = &config.theme {
            layers.push(config.root.join("themes").join(name));
        }
        layers.push(config.root.clone());
        for layer in layers {
            theme.overlay(&config.root, &layer, &mut errors);
        }
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    fn overlay(&mut self, root: &Path, layer: &Path, errors: &mut Vec<Diagnostic>) {
        for (dir, is_template) in [("templates", true), ("static", false), ("i18n", false)] {
            let base = layer.join(dir);
            if !base.is_dir() {
                continue;
            }
            // Symlinks are not followed: a theme must not pull files from outside the site.
            for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        errors.push(
                            Diagnostic::error("gloss::io", format!("cannot read: {e}"))
                                .in_file(crate::content::rel(root, &base)),
                        );
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                let shown = crate::content::rel(root, entry.path());
                let Some(name) = entry
                    .path()
                    .strip_prefix(&base)
                    .ok()
                    .and_then(|p| p.to_str())
                    .map(|p| p.replace('\\', "/"))
                else {
                    errors.push(
                        Diagnostic::error("gloss::file-name", "file name is not valid UTF-8")
                            .in_file(shown),
                    );
                    continue;
                };
                if name.split('/').any(|part| part.starts_with('.')) {
                    continue;
                }
                let bytes = match std::fs::read(entry.path()) {
                    Ok(b) => b,
                    Err(e) => {
                        errors.push(
                            Diagnostic::error("gloss::io", format!("cannot read file: {e}"))
                                .in_file(shown),
                        );
                        continue;
                    }
                };
                if is_template {
                    match String::from_utf8(bytes) {
                        Ok(text) => {
                            self.templates
                                .insert(name, TemplateSource { text, path: shown });
                        }
                        Err(_) => errors.push(
                            Diagnostic::error("gloss::invalid-utf8", "template is not valid UTF-8")
                                .in_file(shown),
                        ),
                    }
                } else if dir == "i18n" {
                    let Some(lang) = name.strip_suffix(".toml").filter(|l| !l.contains('/')) else {
                        continue;
                    };
                    match String::from_utf8(bytes) {
                        Ok(text) => self
                            .i18n
                            .entry(lang.to_string())
                            .or_default()
                            .push((shown, text)),
                        Err(_) => errors.push(
                            Diagnostic::error(
                                "gloss::invalid-utf8",
                                "strings file is not valid UTF-8",
                            )
                            .in_file(shown),
                        ),
                    }
                } else {
                    self.static_files.insert(name, bytes);
                }
            }
        }
    }
}

/// The starter site `gloss init` writes: (path inside the new site, contents).
pub fn starter_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUILTIN
        .iter()
        .filter_map(|(path, bytes)| path.strip_prefix("starter/").map(|p| (p, *bytes)))
}

/// The built-in scripts as readers get them: without their comment lines and indentation,
/// about a fifth of their bytes, which readers download on every first visit and the theme's
/// 30 KB budget counts. Only those two are dropped, so every statement stays on its own line
/// and the script means what its source says; a script with a template literal or a string
/// continued across lines, where a line's start may be text, is kept whole.
fn slim_script(source: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(source) else {
        return source.to_vec();
    };
    if text.contains('`') || text.lines().any(|l| l.ends_with('\\')) {
        return source.to_vec();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim_start) {
        if !line.is_empty() && !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_lose_only_comment_lines_and_indentation() {
        let source = "// why\n(function () {\n  var a = 1; // kept\n\n  // gone\n  f(a);\n})();\n";
        assert_eq!(
            String::from_utf8(slim_script(source.as_bytes())).unwrap(),
            "(function () {\nvar a = 1; // kept\nf(a);\n})();\n"
        );
        // Where a line's start may be inside a string, the script is left alone.
        for whole in ["var s = `\n  // text`;\n", "var s = \"a\\\n  // text\";\n"] {
            assert_eq!(slim_script(whole.as_bytes()), whole.as_bytes());
        }
        let served = &Theme::builtin().static_files["gloss.js"];
        let source = BUILTIN
            .iter()
            .find(|(path, _)| *path == "static/gloss.js")
            .map(|(_, bytes)| *bytes)
            .unwrap();
        assert!(served.len() < source.len() * 4 / 5, "{}", served.len());
        let code = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .map(String::from)
                .collect()
        };
        assert_eq!(
            code(std::str::from_utf8(served).unwrap()),
            code(std::str::from_utf8(source).unwrap())
        );
    }

    /// The reader-experience budget: the theme's CSS and JS, highlighting included, stay under
    /// 30 KB uncompressed.
    #[test]
    fn theme_assets_fit_the_budget() {
        let theme = Theme::builtin();
        let own: usize = theme
            .static_files
            .iter()
            .filter(|(name, _)| name.ends_with(".css") || name.ends_with(".js"))
            .map(|(_, bytes)| bytes.len())
            .sum();
        let highlight = crate::render::markdown::highlight_css("base16-ocean.light")
            .unwrap()
            .len();
        assert!(
            own + highlight <= 30 * 1024,
            "theme CSS+JS is {} bytes",
            own + highlight
        );
    }

    #[test]
    fn every_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let mut embedded: Vec<String> = BUILTIN.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        let mut on_disk = on_disk;
        on_disk.sort();
        assert_eq!(embedded, on_disk, "update BUILTIN in src/theme.rs");
    }
}
