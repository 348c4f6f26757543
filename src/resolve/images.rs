//! Image references, checked: the original must be a file inside `content/` of a format the web
//! shows, with alt text, and a focal point inside the picture. Each problem is reported where
//! the reference is written. Whether the file decodes is the image stage's business
//! (`crate::images`), which reports at the same place.

use std::path::Path;
use std::sync::Arc;

use crate::content::front_matter::RawImage;
use crate::diagnostics::{Diagnostic, Location, SourceFile, did_you_mean};
use crate::site::Image;

use super::markdown::{BodyImage, is_remote};

/// The extensions gloss processes (case-insensitive).
const EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "webp", "gif", "svg"];

/// An image named in front matter or a registry: `raw`, written in `file` at or after byte
/// `from`.
pub fn from_yaml(
    raw: &RawImage,
    file: &Arc<SourceFile>,
    from: usize,
    content: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<Image>> {
    let at = |needle: &str| {
        let span =
            crate::content::front_matter::locate(&file.text, needle, from).unwrap_or(from..from);
        Location::new(file, span)
    };
    let location = at(raw.src.trim());
    let mut ok = true;
    if is_remote(&raw.src) {
        diags.push(
            Diagnostic::error(
                "gloss::image-url",
                format!("image `{}` is not a file of the site", raw.src.trim()),
            )
            .at(location.clone())
            .help("download the image into content/ and name the file here, so that gloss can resize it and credit it"),
        );
        return None;
    }
    let source = match source_path(&raw.src, file, content) {
        Ok(source) => Some(source),
        Err(d) => {
            diags.push(d.at(location.clone()));
            None
        }
    };
    let alt = match &raw.alt {
        Some(alt) => alt.trim().to_string(),
        None => {
            ok = false;
            diags.push(
                Diagnostic::error("gloss::image-no-alt", "image has no alt text")
                    .at(location.clone())
                    .label("this image")
                    .help("add `alt:` describing the image for readers who cannot see it, or `alt: \"\"` if it is decorative"),
            );
            String::new()
        }
    };
    let focal = match raw.focal_point {
        None => (0.5, 0.5),
        Some([x, y]) if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) => (x, y),
        Some([x, y]) => {
            ok = false;
            diags.push(
                Diagnostic::error(
                    "gloss::image-focal-point",
                    format!("focal_point [{x}, {y}] is outside the image"),
                )
                .at(at("focal_point"))
                .help("give fractions of the width and height from the top left, each from 0 to 1: [0.5, 0.3]"),
            );
            (0.5, 0.5)
        }
    };
    let source = source.filter(|_| ok)?;
    Some(Arc::new(Image {
        source,
        alt,
        caption: non_empty(raw.caption.as_deref()),
        credit: non_empty(raw.credit.as_deref()),
        focal,
        location,
        standalone: false,
    }))
}

/// The images of a Markdown text, each found or reported: one entry per image, `None` for
/// images on other sites.
pub fn from_body(
    images: &[BodyImage],
    content: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<Arc<Image>>> {
    images
        .iter()
        .map(|image| {
            if is_remote(&image.dest) {
                return None;
            }
            let file = &image.location.file;
            let source = match source_path(&image.dest, file, content) {
                Ok(source) => source,
                Err(d) => {
                    diags.push(d.at(image.location.clone()));
                    return None;
                }
            };
            let alt = image.alt.trim();
            if alt.is_empty() {
                diags.push(
                    Diagnostic::error("gloss::image-no-alt", "image has no alt text")
                        .at(image.location.clone())
                        .label("this image")
                        .help("describe the image between the brackets, for readers who cannot see it: ![Smoke over Kyiv at dawn](…)"),
                );
                return None;
            }
            // `"Caption | Credit"`: the credit follows the last ` | `.
            let (caption, credit) = match image.title.rsplit_once(" | ") {
                Some((caption, credit)) => (caption, Some(credit)),
                None => (image.title.as_str(), None),
            };
            Some(Arc::new(Image {
                source,
                alt: alt.to_string(),
                caption: non_empty(Some(caption)),
                credit: non_empty(credit),
                focal: (0.5, 0.5),
                location: image.location.clone(),
                standalone: image.standalone,
            }))
        })
        .collect()
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The original that `src`, written in `file`, names: a path relative to `content/`. `src` is
/// relative to the file's folder, or `/`-rooted from `content/`. The error carries no location
/// yet.
fn source_path(src: &str, file: &SourceFile, content: &Path) -> Result<String, Diagnostic> {
    let src = src.trim();
    let decoded = percent_decode(src);
    if decoded.is_empty() {
        return Err(
            Diagnostic::error("gloss::image-missing", "image has no file name")
                .help("name the image file: `src: photo.jpg`"),
        );
    }
    // The folder of the file that names the image, inside content/.
    let shown = file.path.to_string_lossy().replace('\\', "/");
    let mut parts: Vec<&str> = match (decoded.starts_with('/'), shown.strip_prefix("content/")) {
        (false, Some(inner)) => {
            let mut parts: Vec<&str> = inner.split('/').collect();
            parts.pop();
            parts
        }
        _ => Vec::new(),
    };
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(Diagnostic::error(
                        "gloss::image-outside-content",
                        format!("image `{src}` is outside content/"),
                    )
                    .help("keep images inside content/, beside the article or under a folder such as content/images/"));
                }
            }
            part => parts.push(part),
        }
    }
    let source = parts.join("/");
    let ext = source
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let path = content.join(&source);
    if !path.is_file() {
        let folder = path.parent().unwrap_or(content);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let siblings: Vec<String> = std::fs::read_dir(folder)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        let mut siblings: Vec<&str> = siblings.iter().map(String::as_str).collect();
        siblings.sort_unstable();
        let mut d = Diagnostic::error(
            "gloss::image-missing",
            format!("image file `content/{source}` does not exist"),
        );
        d = match did_you_mean(name, siblings) {
            Some(similar) => d.help(format!("did you mean `{similar}`?")),
            None => d.help("check the file name; a path is relative to the file that names it, or starts with / for content/"),
        };
        return Err(d);
    }
    // A link inside content/ may still lead out of it.
    if let (Ok(real), Ok(root)) = (path.canonicalize(), content.canonicalize())
        && !real.starts_with(&root)
    {
        return Err(Diagnostic::error(
            "gloss::image-outside-content",
            format!("image `{src}` leads outside content/"),
        )
        .help("copy the image into content/ instead of linking to it"));
    }
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(Diagnostic::error(
            "gloss::image-unsupported",
            format!("`content/{source}`: unsupported image format `.{ext}`"),
        )
        .help("use JPEG, PNG, WebP, GIF or SVG"));
    }
    Ok(source)
}

/// `%20` and the like, as Markdown URLs write them; anything not a valid escape stays.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str, from: &str) -> Result<String, String> {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("articles/kyiv")).unwrap();
        std::fs::create_dir_all(content.join("images")).unwrap();
        std::fs::write(content.join("articles/kyiv/night.jpg"), b"x").unwrap();
        std::fs::write(content.join("images/map.svg"), b"x").unwrap();
        std::fs::write(content.join("images/scan.tiff"), b"x").unwrap();
        let file = SourceFile::new(from, "");
        source_path(src, &file, &content).map_err(|d| format!("{d} {:?}", d.help))
    }

    #[test]
    fn paths_are_relative_to_the_file_or_rooted_at_content() {
        assert_eq!(
            check("night.jpg", "content/articles/kyiv/index.md").unwrap(),
            "articles/kyiv/night.jpg"
        );
        assert_eq!(
            check("../../images/map.svg", "content/articles/kyiv/index.md").unwrap(),
            "images/map.svg"
        );
        assert_eq!(
            check("/images/map.svg", "content/articles/a.md").unwrap(),
            "images/map.svg"
        );
        assert_eq!(
            check("images/map.svg", "content/entities.yaml").unwrap(),
            "images/map.svg"
        );
    }

    #[test]
    fn escaping_missing_and_unsupported_files_are_errors() {
        assert!(
            check("../../../etc/passwd", "content/articles/a.md")
                .unwrap_err()
                .contains("outside content/")
        );
        let missing = check("/images/mpa.svg", "content/articles/a.md").unwrap_err();
        assert!(
            missing.contains("does not exist") && missing.contains("map.svg"),
            "{missing}"
        );
        assert!(
            check("/images/scan.tiff", "content/articles/a.md")
                .unwrap_err()
                .contains("unsupported")
        );
    }

    #[test]
    fn remote_images_are_recognised() {
        assert!(is_remote("https://example.org/a.jpg"));
        assert!(is_remote("//cdn.example.org/a.jpg"));
        assert!(is_remote("data:image/png;base64,xx"));
        assert!(!is_remote("a.jpg"));
        assert!(!is_remote("/images/a:b.jpg"));
    }
}
