//! The write stage, the only code that creates output files.
//!
//! Every file goes into a staging folder beside the output folder; only when all are written is
//! the staging folder swapped in. A build that fails part-way leaves the last good output as
//! it was, and a path that would escape the output folder is refused before anything is
//! written.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("refusing to write `{0}`: the path would leave the output folder")]
    UnsafePath(String),
    #[error("two output files have the same path `{0}`")]
    Collision(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `path` is a plain relative path with no `..`, root, drive or empty part.
pub fn check_path(path: &str) -> Result<(), WriteError> {
    let unsafe_path = || WriteError::UnsafePath(path.to_string());
    if path.is_empty() || path.contains(['\\', '\0', ':']) {
        return Err(unsafe_path());
    }
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(unsafe_path());
        }
    }
    if !Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(unsafe_path());
    }
    Ok(())
}

/// Replaces the folder `out` with exactly `files`.
pub fn replace_dir(files: &[OutputFile], out: &Path) -> Result<(), WriteError> {
    let mut seen = std::collections::HashSet::new();
    for file in files {
        check_path(&file.path)?;
        if !seen.insert(file.path.as_str()) {
            return Err(WriteError::Collision(file.path.clone()));
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let staging = parent.join(format!(".{name}.gloss-staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.gloss-old-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(io(&staging))?;

    if let Err(e) = write_all(files, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }

    if out.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        if let Err(e) = std::fs::rename(out, &old) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io(out)(e));
        }
        if let Err(e) = std::fs::rename(&staging, out) {
            // Put the previous output back so the site is never left without one.
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io(out)(e));
        }
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&staging, out).map_err(io(out))?;
    }
    Ok(())
}

fn write_all(files: &[OutputFile], dir: &Path) -> Result<(), WriteError> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(io(d))?;
    }
    files.par_iter().try_for_each(|file| {
        let path = dir.join(&file.path);
        std::fs::write(&path, &file.bytes).map_err(io(&path))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "",
            "a\\b",
            "./a",
            "c:/x",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        for good in ["index.html", "articles/a/index.html", "static/style.css"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn replaces_the_folder_and_keeps_it_on_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        replace_dir(&[OutputFile::new("a/index.html", "one")], &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );

        let bad = [
            OutputFile::new("b.html", "two"),
            OutputFile::new("../escape.html", "x"),
        ];
        assert!(replace_dir(&bad, &out).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        assert!(!tmp.path().join("escape.html").exists());

        replace_dir(&[OutputFile::new("b.html", "two")], &out).unwrap();
        assert!(!out.join("a").exists(), "stale files are gone");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }
}
