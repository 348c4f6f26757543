//! `gloss init` and `gloss new`: starting a site and starting an article.

use std::path::{Path, PathBuf};

use crate::content::Date;
use crate::content::front_matter::slugify;

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("`{0}` is not empty; gloss init only writes into a new or empty folder")]
    NotEmpty(PathBuf),
    #[error("`{0}` already exists; gloss new never overwrites an article")]
    Exists(PathBuf),
    #[error("no site.toml in `{0}`: run gloss new in a site's root folder, or pass --root")]
    NoSite(PathBuf),
    #[error("the title has no letters or digits to make a file name from; pass --slug")]
    EmptySlug,
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the starter site into `dir`, which must be new or empty. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut written = Vec::new();
    for (path, bytes) in crate::theme::starter_files() {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&target, bytes).map_err(io(&target))?;
        written.push(target);
    }
    Ok(written)
}

/// Creates `content/articles/<slug>.md` for a new article dated `date`, as a draft.
pub fn new_article(
    root: &Path,
    title: &str,
    slug: Option<&str>,
    date: Date,
) -> Result<PathBuf, ScaffoldError> {
    if !root.join("site.toml").is_file() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    let slug = match slug {
        Some(s) => slugify(s),
        None => slugify(title),
    };
    if slug.is_empty() {
        return Err(ScaffoldError::EmptySlug);
    }
    let dir = root.join("content").join("articles");
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(format!("{slug}.yaml")).exists() {
        return Err(ScaffoldError::Exists(path));
    }
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let text = format!(
        r#"---
title: "{title}"
date: {date}
dek: ""
authors: []
section: ""
tags: []
draft: true   # set to false to publish
key_points: []
#  - text: "What the reader must know."
#    evidence: "a phrase of the body that supports it"
sources: []
---
Write the explainer here. Link people and terms with `[a name](entity:some-id)` and
`[a term](term:some-id)`, or let gloss link registered names on their first mention.
"#,
        title = yaml_escape(title.trim()),
        date = date.iso(),
    );
    // `create_new` refuses to replace a file that appeared since the check above.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.clone()),
            _ => io(&path)(e),
        })?;
    file.write_all(text.as_bytes()).map_err(io(&path))?;
    Ok(path)
}

/// Escapes a string for a double-quoted YAML scalar.
pub(crate) fn yaml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_escape_round_trips() {
        let title = r#"Why "peace" \ now?"#;
        let yaml = format!("title: \"{}\"", yaml_escape(title));
        let v: std::collections::BTreeMap<String, String> =
            crate::content::yaml::from_str(&yaml).unwrap();
        assert_eq!(v["title"], title);
    }
}
