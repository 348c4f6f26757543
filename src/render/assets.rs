//! The theme's stylesheets and scripts under content-hashed names, so hosts can cache them for
//! a year, and `.gz`/`.br` siblings for hosts that serve precompressed files.

use std::collections::BTreeMap;
use std::io::Write;

use rayon::prelude::*;

use super::OutputFile;

/// `style.css` → `style.3f9a0c1b.css`: eight hex digits of a hash of the content.
pub fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", fnv1a(bytes));
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..8]),
        None => format!("{name}.{}", &hash[..8]),
    }
}

/// FNV-1a, 64 bits: stable across platforms and compiler versions (unlike std's hasher), which
/// is all cache-busting needs.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The theme files pages link to, by name (`style.css`), mapped to their fingerprinted output
/// path (`static/style.3f9a0c1b.css`).
pub fn asset_paths(
    static_files: &BTreeMap<String, Vec<u8>>,
    fingerprint: bool,
) -> BTreeMap<String, String> {
    static_files
        .iter()
        .filter(|(name, _)| {
            [".css", ".js", ".svg"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .map(|(name, bytes)| {
            let file = if fingerprint {
                fingerprinted(name, bytes)
            } else {
                name.clone()
            };
            (name.clone(), format!("static/{file}"))
        })
        .collect()
}

const COMPRESSIBLE: &[&str] = &[".html", ".css", ".js", ".xml", ".txt", ".json", ".svg"];

/// A `.gz` and a `.br` for every text file. gzip headers carry no time, so output stays
/// byte-identical between builds.
pub fn precompress(files: &[OutputFile]) -> Vec<OutputFile> {
    files
        .par_iter()
        .filter(|f| COMPRESSIBLE.iter().any(|ext| f.path.ends_with(ext)))
        .flat_map_iter(|f| {
            let mut gz = flate2::GzBuilder::new()
                .mtime(0)
                .write(Vec::new(), flate2::Compression::best());
            gz.write_all(&f.bytes)
                .expect("writing to a Vec cannot fail");
            let gz = gz.finish().expect("writing to a Vec cannot fail");
            let mut br = Vec::new();
            {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 11,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut f.bytes.as_slice(), &mut br, &params)
                    .expect("compressing from and to memory cannot fail");
            }
            [
                OutputFile::new(format!("{}.gz", f.path), gz),
                OutputFile::new(format!("{}.br", f.path), br),
            ]
        })
        .collect()
}

/// Minifies an HTML page, the CSS and JS inside it included. Closing tags and the `<html>` and
/// `<head>` tags stay, so the output remains what the Nu Html Checker calls valid.
#[cfg(feature = "minify")]
pub fn minify_html(bytes: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(bytes, &cfg)
}

#[cfg(not(feature = "minify"))]
pub fn minify_html(bytes: &[u8]) -> Vec<u8> {
    // Config loading refuses `minify = true` in such a build, so this is never reached with
    // minification asked for; pass the page through unchanged.
    bytes.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn fingerprints_follow_the_content() {
        let a = fingerprinted("style.css", b"body{}");
        assert!(
            a.starts_with("style.") && a.ends_with(".css") && a.len() == "style..css".len() + 8,
            "{a}"
        );
        assert_eq!(a, fingerprinted("style.css", b"body{}"));
        assert_ne!(a, fingerprinted("style.css", b"body{ }"));
    }

    #[test]
    fn precompressed_files_round_trip() {
        let files = [
            OutputFile::new("index.html", "<p>hello hello hello</p>"),
            OutputFile::new("a.png", "x"),
        ];
        let out = precompress(&files);
        assert_eq!(
            out.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            ["index.html.gz", "index.html.br"]
        );
        let mut text = String::new();
        flate2::read::GzDecoder::new(out[0].bytes.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "<p>hello hello hello</p>");
        let mut text = Vec::new();
        brotli::BrotliDecompress(&mut out[1].bytes.as_slice(), &mut text).unwrap();
        assert_eq!(text, b"<p>hello hello hello</p>");
        assert_eq!(precompress(&files)[0].bytes, out[0].bytes, "deterministic");
    }
}
