//! The image cache: `<cache_dir>/images/v<N>/`, one folder per processed image named by a hash
//! of the original's bytes and the processing settings, holding the encoded files and a
//! `meta.json` that lists them. A build whose images have not changed reads those lists and
//! links the files into the output: it decodes nothing.
//!
//! The cache is safe to delete at any time; a build without it makes the same bytes. A folder
//! appears whole or not at all (written under a temporary name, then renamed), so a build that
//! was stopped half-way leaves nothing that a later one could take for finished. `sources.tsv`
//! remembers each original's time stamp, size and content hash, so that unchanged originals are
//! not read and hashed again; when either differs the file is hashed anew.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::pipeline::{Encoded, Output};

/// Bumped whenever processing changes what it makes: older folders are then pruned whole.
pub const VERSION: &str = "v1";

/// What `meta.json` holds: the original's upright size and the files made of it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub width: u32,
    pub height: u32,
    pub svg: bool,
    pub files: Vec<Encoded>,
}

pub struct Cache {
    dir: PathBuf,
    /// Source path (relative to the site root) → (modified, in ns since 1970; size; hash).
    stamps: BTreeMap<String, (u128, u64, String)>,
}

impl Cache {
    /// Opens the cache in `root` (`<cache_dir>/images/`), creating nothing yet.
    pub fn open(root: &Path) -> Cache {
        let dir = root.join("images").join(VERSION);
        let stamps = std::fs::read_to_string(dir.join("sources.tsv"))
            .map(|text| {
                text.lines()
                    .filter_map(|line| {
                        let mut parts = line.split('\t');
                        let path = parts.next()?.to_string();
                        let modified = parts.next()?.parse().ok()?;
                        let size = parts.next()?.parse().ok()?;
                        let hash = parts.next()?.to_string();
                        Some((path, (modified, size, hash)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Cache { dir, stamps }
    }

    /// The content hash of `path` as an earlier build recorded it, when the file's time stamp
    /// and size are still those it had then.
    pub fn known_hash(&self, shown: &str, stamp: Option<(u128, u64)>) -> Option<&str> {
        let (modified, size) = stamp?;
        self.stamps
            .get(shown)
            .filter(|(m, s, _)| *m == modified && *s == size)
            .map(|(_, _, hash)| hash.as_str())
    }

    /// The folder of the entry `key`.
    pub fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    /// The entry's list of files, when a complete entry exists.
    pub fn read(&self, key: &str) -> Option<Meta> {
        let text = std::fs::read(self.entry(key).join("meta.json")).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Stores a processed image as entry `key`, whole or not at all.
    pub fn write(&self, key: &str, output: &Output) -> std::io::Result<Meta> {
        let meta = Meta {
            width: output.width,
            height: output.height,
            svg: output.svg,
            files: output.files.iter().map(|(e, _)| e.clone()).collect(),
        };
        let tmp = self.dir.join(format!(
            ".{key}.tmp-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)?;
        for (encoded, bytes) in &output.files {
            std::fs::write(tmp.join(&encoded.name), bytes)?;
        }
        let json = serde_json::to_vec(&meta).expect("plain data always serializes");
        std::fs::write(tmp.join("meta.json"), json)?;
        if std::fs::rename(&tmp, self.entry(key)).is_err() {
            // Another build (or thread, for two originals with the same bytes) got there first
            // with the same content.
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Ok(meta)
    }

    /// Records the stamps of this build's originals and removes every entry it did not use,
    /// and the folders of other cache versions. Failures only cost a later build time.
    pub fn finish(&self, stamps: BTreeMap<String, (u128, u64, String)>, used: &[String]) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let mut tsv = String::new();
        for (path, (modified, size, hash)) in &stamps {
            tsv.push_str(&format!("{path}\t{modified}\t{size}\t{hash}\n"));
        }
        if stamps != self.stamps {
            let tmp = self
                .dir
                .join(format!(".sources.tsv.{}", std::process::id()));
            if std::fs::write(&tmp, tsv).is_ok() {
                let _ = std::fs::rename(&tmp, self.dir.join("sources.tsv"));
            }
        }
        let used: std::collections::BTreeSet<&str> = used.iter().map(String::as_str).collect();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let is_entry = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_entry && !name.starts_with('.') && !used.contains(name.as_ref()) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        if let Some(parent) = self.dir.parent()
            && let Ok(entries) = std::fs::read_dir(parent)
        {
            for entry in entries.flatten() {
                if entry.file_name() != VERSION && entry.file_type().is_ok_and(|t| t.is_dir()) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        // Backup and sync tools skip folders marked this way (https://bford.info/cachedir/).
        if let Some(root) = self.dir.parent().and_then(Path::parent) {
            let tag = root.join("CACHEDIR.TAG");
            if !tag.exists() {
                let _ = std::fs::write(
                    tag,
                    "Signature: 8a477f597d28d172789f06886806bc55\n# gloss's cache of processed images: safe to delete.\n",
                );
            }
        }
    }
}

/// A file's modification time and size, the cheap test of whether it changed.
pub fn stamp(path: &Path) -> Option<(u128, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((modified.as_nanos(), meta.len()))
}
