//! The write stage, the only code that creates output files.
//!
//! Every file goes into a staging folder beside the output folder; only when all are written is
//! the staging folder swapped in. A build that fails part-way leaves the last good output as
//! it was, and a path that would escape the output folder is refused before anything is
//! written.

use std::path::{Component, Path, PathBuf};

use std::sync::Mutex;

use rustc_hash::FxHashSet;

use crate::render::{self, OutputFile};

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

/// A staging folder beside the output folder. Files are written into it as they are rendered
/// (from several threads); `commit` swaps it in for the output folder. Dropped without a
/// commit, it removes itself and the output folder stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    paths: Mutex<FxHashSet<String>>,
    dirs: Mutex<FxHashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, WriteError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let dir = parent.join(format!(".{name}.gloss-staging-{}", std::process::id()));
        let old = parent.join(format!(".{name}.gloss-old-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            old,
            paths: Mutex::default(),
            dirs: Mutex::default(),
            committed: false,
        })
    }

    /// Writes one file into the staging folder, refusing unsafe paths and duplicates.
    pub fn put(&self, file: &OutputFile) -> Result<(), WriteError> {
        let path = self.claim(&file.path)?;
        std::fs::write(&path, &file.bytes).map_err(io(&path))
    }

    /// Puts the file at `from` into the staging folder at `path`: a hard link where the file
    /// system allows one (a processed image in the cache: no bytes are copied, which keeps a
    /// rebuild with hundreds of photographs to milliseconds), a copy otherwise.
    pub fn link(&self, path: &str, from: &Path) -> Result<(), WriteError> {
        let dest = self.claim(path)?;
        if std::fs::hard_link(from, &dest).is_err() {
            std::fs::copy(from, &dest).map_err(io(from))?;
        }
        Ok(())
    }

    /// Checks `path` and reserves it; its place in the staging folder, with the folders above
    /// it made.
    fn claim(&self, path: &str) -> Result<PathBuf, WriteError> {
        check_path(path)?;
        if !lock(&self.paths).insert(path.to_string()) {
            return Err(WriteError::Collision(path.to_string()));
        }
        let path = self.dir.join(path);
        if let Some(parent) = path.parent()
            && !lock(&self.dirs).contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
            lock(&self.dirs).insert(parent.to_path_buf());
        }
        Ok(path)
    }

    /// Puts the staged site in place of the output folder.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let (out, dir, old) = (&self.out, &self.dir, &self.old);
        if out.exists() {
            if old.exists() {
                std::fs::remove_dir_all(old).map_err(io(old))?;
            }
            std::fs::rename(out, old).map_err(io(out))?;
            if let Err(e) = std::fs::rename(dir, out) {
                // Put the previous output back so the site is never left without one.
                let _ = std::fs::rename(old, out);
                return Err(io(out)(e));
            }
            self.committed = true;
            // The previous output, one file per page: removed on every core (a
            // 10,000-article site is 22,000 files, and one thread took 0.6 s to unlink them).
            remove_dir_all::remove_dir_all(old).map_err(io(old))?;
        } else {
            std::fs::rename(dir, out).map_err(io(out))?;
            self.committed = true;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl render::Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), render::SinkError> {
        Staging::put(self, &file).map_err(|e| render::SinkError(Box::new(e)))
    }

    fn link(&self, path: String, from: &Path) -> Result<(), render::SinkError> {
        Staging::link(self, &path, from).map_err(|e| render::SinkError(Box::new(e)))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves only a set of names; it is still usable.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replaces the folder `out` with exactly `files`.
    pub fn replace_dir(files: &[OutputFile], out: &Path) -> Result<(), WriteError> {
        let staging = Staging::new(out)?;
        for file in files {
            staging.put(file)?;
        }
        staging.commit()
    }

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
