//! The image stage, between resolve and render: every image the site shows (lead images,
//! figures, entity portraits) processed once into the files the pages link, in parallel, and
//! kept in the cache folder so that a later build with the same originals decodes nothing.
//!
//! ```text
//! &Site -> images::process -> Catalogue   (what render links; the files stay in the cache)
//! ```
//! Resolve has already checked that each original exists inside `content/` and has its alt text;
//! problems with the file itself (corrupt, unsupported, too large) are found here and reported
//! at the first place that names it. Render turns the catalogue into `<picture>` markup and
//! hands the files to the sink, which links them into the output from the cache.

mod cache;
pub mod pipeline;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::site::{Image, Site};
pub use pipeline::{Encoded, Format, Role};

/// Every processed image of a build, by source path (relative to `content/`) and focal point:
/// one original shown with two focal points (a map whose crops centre on two cities) has two
/// sets of crops.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// By source, then by focal point (nearly always one).
    images: BTreeMap<String, Vec<(FocalKey, Processed)>>,
}

/// A focal point as a map key: the fractions in ten-thousandths.
type FocalKey = (u32, u32);

fn focal_key(image: &Image) -> FocalKey {
    let at = |f: f64| (f.clamp(0.0, 1.0) * 10_000.0).round() as u32;
    (at(image.focal.0), at(image.focal.1))
}

/// One original and the files made from it.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The upright size of the original (for SVG, its declared size).
    pub width: u32,
    pub height: u32,
    pub svg: bool,
    /// The original's file name without extension, made URL-safe: output files are named after
    /// it, so that a saved image keeps a recognisable name.
    stem: String,
    /// The cache entry's name, also the output folder's: a new original gets new URLs, so the
    /// files can be cached by browsers for ever.
    key: String,
    dir: PathBuf,
    pub files: Vec<Encoded>,
}

impl Processed {
    /// The output path of one of its files: `img/<key>/<stem>-800.webp`.
    pub fn path(&self, file: &Encoded) -> String {
        ["img/", &self.key, "/", &self.stem, "-", &file.name].concat()
    }

    /// Where that file is in the cache.
    pub fn cached(&self, file: &Encoded) -> PathBuf {
        self.dir.join(&file.name)
    }

    /// The responsive widths in `format`, narrowest first.
    pub fn widths(&self, format: Format) -> impl Iterator<Item = &Encoded> {
        let mut list: Vec<&Encoded> = self
            .files
            .iter()
            .filter(move |f| f.role == Role::Width && f.format == format)
            .collect();
        list.sort_by_key(|f| f.width);
        list.into_iter()
    }

    /// The fallback format of the responsive widths (JPEG, or PNG for images with
    /// transparency); `None` for SVG.
    pub fn fallback(&self) -> Option<Format> {
        self.files
            .iter()
            .find(|f| f.role == Role::Width && f.format != Format::Webp)
            .map(|f| f.format)
    }

    pub fn crop(&self, name: &str) -> Option<&Encoded> {
        self.files
            .iter()
            .find(|f| matches!(&f.role, Role::Crop(n) if n == name))
    }

    pub fn thumb(&self) -> Option<&Encoded> {
        self.files.iter().find(|f| f.role == Role::Thumb)
    }

    pub fn original(&self) -> Option<&Encoded> {
        self.files.iter().find(|f| f.role == Role::Original)
    }
}

impl Catalogue {
    /// The processed form of `image`.
    pub fn get(&self, image: &Image) -> Option<&Processed> {
        let focal = focal_key(image);
        self.images
            .get(&image.source)?
            .iter()
            .find_map(|(f, p)| (*f == focal).then_some(p))
    }

    /// Every output file with the cache file it comes from, in path order.
    pub fn files(&self) -> Vec<(String, PathBuf)> {
        let mut files: Vec<(String, PathBuf)> = self
            .images
            .values()
            .flatten()
            .flat_map(|(_, p)| p.files.iter().map(move |f| (p.path(f), p.cached(f))))
            .collect();
        files.sort();
        files.dedup_by(|a, b| a.0 == b.0);
        files
    }
}

/// Whether the stage makes files or only looks for problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Make every file, through the cache.
    Build,
    /// `gloss check`: decode what the cache does not hold, encode nothing, write nothing.
    Check,
}

/// What a build's image stage did, for `--timings`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub images: usize,
    /// Originals decoded and encoded this time (the others came from the cache).
    pub processed: usize,
}

/// Every image `site` shows, once per original and focal point, in the order a reader meets
/// them: articles, then entities, then pages. The first use is where problems with the file are
/// reported.
fn uses<'s>(site: &'s Site) -> Vec<(&'s str, &'s Image)> {
    let mut uses: BTreeMap<(&'s str, FocalKey), &'s Image> = BTreeMap::new();
    let mut add = |image: &'s Image| {
        uses.entry((image.source.as_str(), focal_key(image)))
            .or_insert(image);
    };
    for article in &site.articles {
        if let Some(image) = &article.image {
            add(image);
        }
        for image in article.body.images.iter().flatten() {
            add(image);
        }
        if let Some(bg) = &article.background {
            bg.images.iter().flatten().for_each(|i| add(i));
        }
        for note in &article.annotations {
            note.note.images.iter().flatten().for_each(|i| add(i));
        }
    }
    for entity in site.entities.values() {
        if let Some(image) = &entity.image {
            add(image);
        }
        if let Some(d) = &entity.description {
            d.images.iter().flatten().for_each(|i| add(i));
        }
    }
    for page in &site.pages {
        page.body.images.iter().flatten().for_each(|i| add(i));
    }
    uses.into_iter()
        .map(|((source, _), image)| (source, image))
        .collect()
}

/// Processes every image of `site`, from the cache where it can. Problems with an image file
/// become errors at the place that first names it.
pub fn process(site: &Site, mode: Mode, diags: &mut Diagnostics) -> (Catalogue, Stats) {
    let (mut catalogues, stats) = process_all(&[site], mode, diags);
    (catalogues.pop().unwrap_or_default(), stats)
}

/// [`process`] for the sites of every language at once: each image is processed once, the
/// cache keeps what any language uses, and each site gets the catalogue of its own images.
pub fn process_all(
    sites: &[&Site],
    mode: Mode,
    diags: &mut Diagnostics,
) -> (Vec<Catalogue>, Stats) {
    let per_site: Vec<Vec<(&str, &Image)>> = sites.iter().map(|site| uses(site)).collect();
    let mut all: BTreeMap<(&str, FocalKey), &Image> = BTreeMap::new();
    for (source, image) in per_site.iter().flatten() {
        all.entry((source, focal_key(image))).or_insert(image);
    }
    let Some(first) = sites.first().filter(|_| !all.is_empty()) else {
        return (
            sites.iter().map(|_| Catalogue::default()).collect(),
            Stats::default(),
        );
    };
    let config = &first.config;
    let cache = cache::Cache::open(&config.cache_dir);
    let content = config.root.join("content");
    let uses: Vec<(&str, &Image)> = all.into_iter().map(|((s, _), i)| (s, i)).collect();
    let results: Vec<(&str, &Image, Outcome)> = uses
        .par_iter()
        // One image is a long job: hand them out one at a time.
        .with_max_len(1)
        .map(|(source, image)| {
            let result = one(&cache, &content, source, image, config, mode);
            (*source, *image, result)
        })
        .collect();
    let mut done: BTreeMap<(&str, FocalKey), Processed> = BTreeMap::new();
    let mut stats = Stats {
        images: results.len(),
        processed: 0,
    };
    let mut stamps = BTreeMap::new();
    let mut used = Vec::new();
    for (source, image, result) in results {
        match result {
            Ok(made) => {
                if let Some((stamp, hash)) = made.stamped {
                    stamps.insert(source.to_string(), (stamp.0, stamp.1, hash));
                }
                stats.processed += usize::from(made.processed);
                used.push(made.image.key.clone());
                done.insert((source, focal_key(image)), made.image);
            }
            Err((d, stamped)) => {
                if let Some((stamp, hash)) = stamped {
                    stamps.insert(source.to_string(), (stamp.0, stamp.1, hash));
                }
                diags.push(d);
            }
        }
    }
    if mode == Mode::Build {
        cache.finish(stamps, &used);
    }
    let catalogues = per_site
        .iter()
        .map(|uses| {
            let mut catalogue = Catalogue::default();
            for (source, image) in uses {
                if let Some(p) = done.get(&(*source, focal_key(image))) {
                    catalogue
                        .images
                        .entry(source.to_string())
                        .or_default()
                        .push((focal_key(image), p.clone()));
                }
            }
            catalogue
        })
        .collect();
    (catalogues, stats)
}

/// A file's time stamp and size, with its content hash.
type Stamped = ((u128, u64), String);

/// One image's result: processed (or found in the cache), or a problem with its file.
type Outcome = Result<Done, (Diagnostic, Option<Stamped>)>;

struct Done {
    image: Processed,
    processed: bool,
    stamped: Option<Stamped>,
}

fn one(
    cache: &cache::Cache,
    content: &std::path::Path,
    source: &str,
    image: &Image,
    config: &crate::config::Config,
    mode: Mode,
) -> Outcome {
    let path = content.join(source);
    let fail = |e: pipeline::ImageError, stamped: Option<Stamped>| {
        (diagnostic(&e, source, &image.location), stamped)
    };
    let stamp = cache::stamp(&path);
    let svg = source.to_ascii_lowercase().ends_with(".svg");
    let settings = pipeline::Settings {
        widths: config.image_widths.clone(),
        max_pixels: config.image_max_pixels,
        focal: image.focal,
    };
    let mut bytes = None;
    let hash = match cache.known_hash(source, stamp) {
        Some(hash) => hash.to_string(),
        None => {
            let read = std::fs::read(&path).map_err(|e| fail(e.into(), None))?;
            let hash = blake3::hash(&read).to_hex().to_string();
            bytes = Some(read);
            hash
        }
    };
    let stamped = stamp.map(|s| (s, hash.clone()));
    // The entry is named by the original's bytes and everything that changes what is made of
    // them; 16 bytes of hash keep URLs short and collisions out of reach.
    let params = format!(
        "{}|{hash}|{:?}|{}|{:.4},{:.4}|{}",
        cache::VERSION,
        settings.widths,
        pipeline::QUALITY,
        settings.focal.0,
        settings.focal.1,
        svg
    );
    let key = blake3::hash(params.as_bytes()).to_hex()[..32].to_string();
    let stem = stem_of(source);
    let made = |meta: cache::Meta, processed: bool, stamped: Option<Stamped>| Done {
        image: Processed {
            width: meta.width,
            height: meta.height,
            svg: meta.svg,
            stem: stem.clone(),
            key: key.clone(),
            dir: cache.entry(&key),
            files: meta.files,
        },
        processed,
        stamped,
    };
    // A cached entry is still checked against the pixel limit, which may have been lowered.
    if let Some(meta) = cache.read(&key)
        && (meta.svg || u64::from(meta.width) * u64::from(meta.height) <= config.image_max_pixels)
    {
        return Ok(made(meta, false, stamped));
    }
    let bytes = match bytes {
        Some(bytes) => bytes,
        None => std::fs::read(&path).map_err(|e| fail(e.into(), None))?,
    };
    if mode == Mode::Check {
        let (width, height) =
            pipeline::inspect(&bytes, svg, &settings).map_err(|e| fail(e, stamped.clone()))?;
        let meta = cache::Meta {
            width,
            height,
            svg,
            files: Vec::new(),
        };
        return Ok(made(meta, false, stamped));
    }
    let output = pipeline::process(&bytes, svg, &settings).map_err(|e| fail(e, stamped.clone()))?;
    drop(bytes);
    let meta = cache.write(&key, &output).map_err(|e| {
        let d = Diagnostic::error(
            "gloss::image-cache",
            format!("cannot write the image cache: {e}"),
        )
        .at(image.location.clone())
        .help("check that the cache folder (`cache_dir` in site.toml) is writable");
        (d, None)
    })?;
    Ok(made(meta, true, stamped))
}

/// The diagnostic for a problem with the file `source` that `location` names.
fn diagnostic(e: &pipeline::ImageError, source: &str, location: &Location) -> Diagnostic {
    use pipeline::ImageError;
    let shown = format!("content/{source}");
    let (code, help) = match e {
        ImageError::Unsupported(_) => (
            "gloss::image-unsupported",
            "convert it to JPEG, PNG, WebP, GIF or SVG",
        ),
        ImageError::Corrupt(_) => (
            "gloss::image-corrupt",
            "the file is damaged or is not an image: export it again",
        ),
        ImageError::TooLarge { .. } => (
            "gloss::image-too-large",
            "resize the original, or raise `image_max_megapixels` in site.toml",
        ),
        ImageError::Io(_) => ("gloss::image-io", "check that the file is readable"),
        ImageError::Encode(_) => ("gloss::image-corrupt", "export the image again"),
    };
    Diagnostic::error(code, format!("`{shown}`: {e}"))
        .at(location.clone())
        .help(help)
}

/// `content/articles/Kyiv Night.JPG` → `kyiv-night`.
fn stem_of(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let slug = crate::content::front_matter::slugify(stem);
    let ascii: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if ascii.is_empty() {
        "image".to_string()
    } else {
        ascii
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_url_safe() {
        assert_eq!(stem_of("articles/x/Kyiv Night.JPG"), "kyiv-night");
        assert_eq!(stem_of("Київ.png"), "image");
        assert_eq!(stem_of("a/b/c.tar.svg"), "c-tar");
    }
}
