//! `gloss-photos`: the images benchmark's input, and photo-like test pictures.
//!
//! ```text
//! gloss-photos site N OUT_DIR [WIDTH HEIGHT]   N articles with a lead photo each, as a gloss
//!                                              site (OUT_DIR/gloss) and a Hugo site whose
//!                                              template makes the same widths and formats
//!                                              (OUT_DIR/hugo); 4000x3000 by default
//! gloss-photos one WIDTH HEIGHT SEED OUT.jpg   one picture
//! ```
//! Pictures are gradients, soft shapes and grain, not flat colour, so that encoders do the work
//! they do on photographs. The same arguments always give the same bytes.

use std::path::Path;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// A photo-like RGB picture: a sky-to-ground gradient, blurred discs of light, and grain.
fn picture(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let top = [
        rng.unit() * 80.0,
        rng.unit() * 90.0 + 20.0,
        rng.unit() * 120.0 + 80.0,
    ];
    let bottom = [
        rng.unit() * 120.0 + 60.0,
        rng.unit() * 90.0 + 40.0,
        rng.unit() * 60.0,
    ];
    let discs: Vec<(f32, f32, f32, [f32; 3])> = (0..24)
        .map(|_| {
            (
                rng.unit() * width as f32,
                rng.unit() * height as f32,
                (0.02 + rng.unit() * 0.12) * width as f32,
                [rng.unit() * 255.0, rng.unit() * 255.0, rng.unit() * 255.0],
            )
        })
        .collect();
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        let t = y as f32 / height as f32;
        // A horizon with buildings: blocks of darker ground whose height varies along x.
        for x in 0..width {
            let mut c = [
                top[0] + (bottom[0] - top[0]) * t,
                top[1] + (bottom[1] - top[1]) * t,
                top[2] + (bottom[2] - top[2]) * t,
            ];
            let block = ((x / (width / 40).max(1)) as u64).wrapping_mul(0x2545_f491) % 97;
            let skyline = 0.55 + block as f32 / 97.0 * 0.25;
            if t > skyline {
                for v in &mut c {
                    *v *= 0.35;
                }
            }
            for (dx, dy, r, col) in &discs {
                let d2 = (x as f32 - dx).powi(2) + (y as f32 - dy).powi(2);
                let w = (-d2 / (r * r)).exp() * 0.6;
                if w > 0.004 {
                    for i in 0..3 {
                        c[i] += (col[i] - c[i]) * w;
                    }
                }
            }
            let grain = (rng.unit() - 0.5) * 28.0;
            for v in c {
                out.push((v + grain).clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

fn jpeg(path: &Path, width: u32, height: u32, seed: u64) {
    let pixels = picture(width, height, seed);
    let mut bytes = Vec::new();
    jpeg_encoder::Encoder::new(&mut bytes, 90)
        .encode(
            &pixels,
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("a picture of this size encodes");
    write(path, &bytes);
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("cannot create the output folder");
    }
    std::fs::write(path, bytes).expect("cannot write the output");
}

fn site(n: usize, out: &Path, width: u32, height: u32) {
    let g = out.join("gloss");
    let h = out.join("hugo");
    // The sites' own files. Hugo makes, for each photo, the widths gloss makes in WebP and JPEG
    // at gloss's quality and filter.
    let files: [(&Path, &str, &[u8]); 7] = [
        (&g, "site.toml", b"title = \"Photos\"\nbase_url = \"https://example.org/\"\nsearch = false\ncache_dir = \".gloss-cache\"\n"),
        (&g, "content/entities.yaml", b"{}\n"),
        (&g, "content/glossary.yaml", b"{}\n"),
        (&h, "hugo.toml", b"baseURL = \"https://example.org/\"\ntitle = \"Photos\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n[imaging]\nquality = 80\nresampleFilter = \"Lanczos\"\n"),
        (&h, "layouts/_default/baseof.html", b"<!DOCTYPE html><html><body>{{ block \"main\" . }}{{ end }}</body></html>\n"),
        (&h, "layouts/_default/list.html", b"{{ define \"main\" }}{{ end }}\n"),
        (&h, "layouts/_default/single.html", b"{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ with .Resources.GetMatch \"photo.jpg\" }}<picture>{{ range slice 480 800 1200 1600 }}{{ $w := printf \"%dx webp\" . }}{{ $j := printf \"%dx jpg\" . }}<source srcset=\"{{ (($.Resources.GetMatch \"photo.jpg\").Resize $w).RelPermalink }}\"><img src=\"{{ (($.Resources.GetMatch \"photo.jpg\").Resize $j).RelPermalink }}\" alt=\"\">{{ end }}</picture>{{ end }}{{ .Content }}{{ end }}\n"),
    ];
    for (dir, path, bytes) in files {
        write(&dir.join(path), bytes);
    }
    for i in 0..n {
        let slug = format!("photo-{i:04}");
        let md = format!(
            "---\ntitle: \"Photo {i}\"\ndate: 2025-01-{:02}\nimage: {{ src: photo.jpg, alt: \"Test picture {i}\", caption: \"Picture {i}\", credit: \"Gloss bench\" }}\nkey_points:\n  - text: \"A picture.\"\n    evidence: \"picture number\"\n---\nThis is picture number {i}.\n",
            i % 28 + 1
        );
        write(
            &g.join(format!("content/articles/{slug}/index.md")),
            md.as_bytes(),
        );
        jpeg(
            &g.join(format!("content/articles/{slug}/photo.jpg")),
            width,
            height,
            i as u64,
        );
        let hugo_md = format!(
            "---\ntitle: \"Photo {i}\"\ndate: 2025-01-{:02}\n---\nThis is picture number {i}.\n",
            i % 28 + 1
        );
        write(
            &h.join(format!("content/posts/{slug}/index.md")),
            hugo_md.as_bytes(),
        );
        std::fs::copy(
            g.join(format!("content/articles/{slug}/photo.jpg")),
            h.join(format!("content/posts/{slug}/photo.jpg")),
        )
        .expect("cannot copy a photo");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num = |i: usize| args.get(i).and_then(|a| a.parse::<u64>().ok());
    match args.get(1).map(String::as_str) {
        Some("site") => {
            let (Some(n), Some(out)) = (num(2), args.get(3)) else {
                eprintln!("usage: gloss-photos site N OUT_DIR [WIDTH HEIGHT]");
                std::process::exit(2);
            };
            let (w, h) = (num(4).unwrap_or(4000) as u32, num(5).unwrap_or(3000) as u32);
            site(n as usize, Path::new(out), w, h);
        }
        Some("one") => {
            let (Some(w), Some(h), Some(seed), Some(out)) = (num(2), num(3), num(4), args.get(5))
            else {
                eprintln!("usage: gloss-photos one WIDTH HEIGHT SEED OUT.jpg");
                std::process::exit(2);
            };
            jpeg(Path::new(out), w as u32, h as u32, seed);
        }
        _ => {
            eprintln!(
                "usage: gloss-photos site N OUT_DIR [WIDTH HEIGHT] | one WIDTH HEIGHT SEED OUT.jpg"
            );
            std::process::exit(2);
        }
    }
}
