//! Images: lead images, figures, entity pictures; the files made from them (widths, formats,
//! crops, metadata) read back from the output; the cache across builds.

use std::io::Cursor;

use crate::site_test::{SiteTest, resolve_href, text};

/// A JPEG of `w`x`h` whose top-left quarter is red and the rest blue, so that orientation can be
/// read back from the pixels.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        if x < w / 2 && y < h / 2 {
            image::Rgb([230, 20, 20])
        } else {
            image::Rgb([20, 20, 230])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

fn png_with_alpha(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([200, 100, 0, (x % 256) as u8]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// `jpeg` with an EXIF block inserted after its start marker: orientation 6 (the camera was
/// turned: show the picture rotated 90 degrees clockwise) and a GPS position.
fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let mut tiff: Vec<u8> = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08");
    // IFD0: two entries.
    tiff.extend_from_slice(&2u16.to_be_bytes());
    // Orientation (0x0112), SHORT, 1, value 6.
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    // GPS IFD pointer (0x8825), LONG, 1, offset 38.
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    // GPS IFD at 38: GPSLatitudeRef "N".
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&[0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    let mut app1 = vec![0xff, 0xe1];
    let len = (2 + 6 + tiff.len()) as u16;
    app1.extend_from_slice(&len.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let plain = jpeg(w, h);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn exif_fields(bytes: &[u8]) -> Option<Vec<exif::Tag>> {
    let data = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    Some(data.fields().map(|f| f.tag).collect())
}

/// A site with one article whose front matter gets `extra` lines.
fn site_with(extra: &str, body: &str) -> SiteTest {
    let t = SiteTest::with_registries();
    t.file(
        "content/articles/a/index.md",
        format!(
            "---\ntitle: \"With a picture\"\ndate: 2025-11-25\n{extra}\nkey_points:\n  - text: \"A point.\"\n    evidence: \"The text\"\n---\nThe text of the story.\n\n{body}\n"
        ),
    );
    t
}

/// `(url, width)` pairs of a `srcset`.
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(", ")
        .map(|item| {
            let (url, w) = item.rsplit_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

#[test]
fn lead_image_has_responsive_sources_of_the_stated_widths() {
    let t = site_with(
        "image: { src: photo.jpg, alt: \"Smoke over the city\", caption: \"The morning after.\", credit: \"AFP / Jane Doe\" }",
        "",
    );
    t.file("content/articles/a/photo.jpg", jpeg(2000, 1500));
    t.build();
    let page = t.html("articles/a/index.html");
    let figure = page.one("figure.lead-image");
    let img = page.one("figure.lead-image picture img");
    assert_eq!(img.value().attr("alt"), Some("Smoke over the city"));
    assert_eq!(img.value().attr("fetchpriority"), Some("high"));
    assert_eq!(
        img.value().attr("loading"),
        None,
        "the lead image is not lazy"
    );
    // The intrinsic size, so the browser keeps the space before the file arrives.
    assert_eq!(img.value().attr("width"), Some("1600"));
    assert_eq!(img.value().attr("height"), Some("1200"));
    assert!(img.value().attr("sizes").is_some());
    let caption = text(&page.one("figure.lead-image figcaption"));
    assert!(caption.contains("The morning after."), "{caption}");
    assert!(caption.contains("AFP / Jane Doe"), "{caption}");
    assert!(text(&figure).contains("Credit"));

    let webp = page.one("figure.lead-image source[type=\"image/webp\"]");
    for (set, ext) in [
        (webp.value().attr("srcset").unwrap(), "webp"),
        (img.value().attr("srcset").unwrap(), "jpg"),
    ] {
        let entries = srcset(set);
        let widths: Vec<u32> = entries.iter().map(|(_, w)| *w).collect();
        assert_eq!(widths, [480, 800, 1200, 1600]);
        for (url, w) in entries {
            assert!(url.ends_with(ext), "{url}");
            let (path, _) = resolve_href("articles/a/index.html", &url);
            let (fw, fh) = image::image_dimensions(t.out(&path)).unwrap();
            assert_eq!(fw, w, "{path} is {fw} wide, srcset says {w}");
            assert_eq!(fh, w * 3 / 4, "{path} keeps the ratio");
        }
    }
    let (src, _) = resolve_href("articles/a/index.html", img.value().attr("src").unwrap());
    assert!(t.exists(&src), "{src}");
}

#[test]
fn images_are_never_upscaled() {
    let t = site_with("image: { src: small.jpg, alt: \"A small picture\" }", "");
    t.file("content/articles/a/small.jpg", jpeg(700, 350));
    t.build();
    let page = t.html("articles/a/index.html");
    let img = page.one("figure.lead-image img");
    let widths: Vec<u32> = srcset(img.value().attr("srcset").unwrap())
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    assert_eq!(widths, [480, 700]);
    for entry in std::fs::read_dir(t.out("img")).unwrap() {
        for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let (w, h) = image::image_dimensions(&path).unwrap();
            assert!(w <= 700 && h <= 350, "{} is {w}x{h}", path.display());
        }
    }
}

#[test]
fn orientation_is_applied_and_metadata_stripped() {
    let original = jpeg_with_exif(300, 200);
    let tags = exif_fields(&original).expect("the test picture carries EXIF");
    assert!(tags.contains(&exif::Tag::Orientation) && tags.contains(&exif::Tag::GPSLatitudeRef));

    let t = site_with("image: { src: turned.jpg, alt: \"A turned picture\" }", "");
    t.file("content/articles/a/turned.jpg", &original);
    t.build();
    let page = t.html("articles/a/index.html");
    let img = page.one("figure.lead-image img");
    // 300x200 turned a quarter: 200 wide, 300 tall.
    assert_eq!(img.value().attr("width"), Some("200"));
    assert_eq!(img.value().attr("height"), Some("300"));
    let mut checked = 0;
    for entry in std::fs::read_dir(t.out("img")).unwrap() {
        for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(
                exif_fields(&bytes),
                None,
                "{} keeps metadata",
                path.display()
            );
            assert!(
                !bytes.windows(4).any(|w| w == b"Exif" || w == b"EXIF"),
                "{} has an EXIF block",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} files");
    // Red was top-left; turned clockwise, it is top-right.
    let (src, _) = resolve_href("articles/a/index.html", img.value().attr("src").unwrap());
    let out = image::open(t.out(&src)).unwrap().to_rgb8();
    assert_eq!(out.dimensions(), (200, 300));
    let top_right = out.get_pixel(190, 10);
    let top_left = out.get_pixel(10, 10);
    assert!(top_right[0] > 150 && top_right[2] < 100, "{top_right:?}");
    assert!(top_left[2] > 150 && top_left[0] < 100, "{top_left:?}");
}

#[test]
fn social_cards_and_structured_data_use_absolute_crops() {
    let t = site_with(
        "image: { src: photo.jpg, alt: \"Smoke\", caption: \"The morning after.\", credit: \"AFP / Jane Doe\", focal_point: [0.2, 0.5] }",
        "",
    );
    t.file("content/articles/a/photo.jpg", jpeg(2400, 1600));
    t.build();
    let page = t.html("articles/a/index.html");
    let meta = |p: &str| {
        page.attrs(
            &format!("meta[property=\"{p}\"], meta[name=\"{p}\"]"),
            "content",
        )
        .pop()
        .unwrap_or_else(|| panic!("no {p}"))
    };
    let og = meta("og:image");
    let base = "https://example.org/explainers/";
    assert!(og.starts_with(base), "{og}");
    assert!(t.exists(&og[base.len()..]), "{og} is not in the output");
    assert_eq!(meta("og:image:width"), "1200");
    assert_eq!(meta("og:image:height"), "675");
    assert_eq!(meta("og:image:alt"), "Smoke");
    assert_eq!(meta("twitter:card"), "summary_large_image");
    assert_eq!(meta("robots"), "max-image-preview:large");

    let ld: serde_json::Value =
        serde_json::from_str(&text(&page.one("script[type=\"application/ld+json\"]"))).unwrap();
    let images = ld["image"].as_array().expect("NewsArticle image");
    let sizes: Vec<(u64, u64)> = images
        .iter()
        .map(|i| (i["width"].as_u64().unwrap(), i["height"].as_u64().unwrap()))
        .collect();
    assert_eq!(sizes, [(1200, 675), (1200, 900), (1200, 1200)]);
    for i in images {
        assert_eq!(i["@type"], "ImageObject");
        assert_eq!(i["creditText"], "AFP / Jane Doe");
        assert_eq!(i["copyrightNotice"], "AFP / Jane Doe");
        assert_eq!(i["caption"], "The morning after.");
        let url = i["contentUrl"].as_str().unwrap();
        let (w, h) = image::image_dimensions(t.out(&url[base.len()..])).unwrap();
        assert_eq!(
            (u64::from(w), u64::from(h)),
            (i["width"].as_u64().unwrap(), i["height"].as_u64().unwrap())
        );
    }
    // The focal point at the left fifth: the square crop starts at the left edge, so its
    // top-left is the red quarter of the picture.
    let square = images[2]["contentUrl"].as_str().unwrap();
    let pixels = image::open(t.out(&square[base.len()..])).unwrap().to_rgb8();
    let p = pixels.get_pixel(20, 20);
    assert!(p[0] > 150 && p[2] < 100, "{p:?}");
}

#[test]
fn body_images_become_figures_and_inline_images_stay_inline() {
    let t = site_with(
        "",
        "![A chart of the cap](chart.png \"The cap rises | Gloss graphic\")\n\nA line with ![an icon](chart.png) inside it.\n",
    );
    t.file("content/articles/a/chart.png", png_with_alpha(900, 600));
    t.build();
    let page = t.html("articles/a/index.html");
    let figure = page.one(".article-body figure.figure");
    assert!(figure.value().attr("id").unwrap().starts_with("p-"));
    assert_eq!(
        text(&page.one(".article-body figure .caption")),
        "The cap rises"
    );
    assert!(text(&page.one(".article-body figure .credit")).contains("Gloss graphic"));
    let img = page.one(".article-body figure img");
    assert_eq!(img.value().attr("alt"), Some("A chart of the cap"));
    assert_eq!(img.value().attr("loading"), Some("lazy"));
    assert_eq!(img.value().attr("decoding"), Some("async"));
    // Transparency: the fallback is PNG, not JPEG.
    assert!(img.value().attr("src").unwrap().ends_with(".png"));
    // The inline image sits in its paragraph, without a figure.
    let inline = page.one(".article-body p picture img");
    assert_eq!(inline.value().attr("alt"), Some("an icon"));
    assert_eq!(page.select(".article-body p figure").len(), 0);
    // The alt text is not read as the story's text: the paragraph ids still count from 1.
    assert!(page.has_id("p-1") && page.has_id("p-3"));
}

#[test]
fn svg_is_served_as_written_and_rasterised_for_cards() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 200\" width=\"400\" height=\"200\"><rect width=\"400\" height=\"200\" fill=\"#c00\"/></svg>";
    let t = site_with("image: { src: /images/map.svg, alt: \"A map\" }", "");
    t.file("content/images/map.svg", svg);
    t.build();
    let page = t.html("articles/a/index.html");
    let img = page.one("figure.lead-image img");
    assert_eq!(page.select("figure.lead-image picture").len(), 0);
    let (src, _) = resolve_href("articles/a/index.html", img.value().attr("src").unwrap());
    assert!(src.ends_with(".svg"));
    assert_eq!(t.read(&src), svg, "served as written");
    assert_eq!(img.value().attr("width"), Some("400"));
    let og = page
        .attrs("meta[property=\"og:image\"]", "content")
        .pop()
        .unwrap();
    assert!(og.ends_with(".jpg"), "{og}");
    let path = &og["https://example.org/explainers/".len()..];
    let raster = image::open(t.out(path)).unwrap().to_rgb8();
    assert_eq!(raster.width(), 1200);
    let p = raster.get_pixel(600, 300);
    assert!(p[0] > 180 && p[1] < 40, "{p:?}");
}

#[test]
fn gif_and_webp_originals_are_read() {
    let t = site_with("", "![A gif](a.gif)\n\n![A webp](b.webp)\n");
    let mut gif = Vec::new();
    image::RgbaImage::from_pixel(64, 32, image::Rgba([0, 200, 0, 255]))
        .write_to(&mut Cursor::new(&mut gif), image::ImageFormat::Gif)
        .unwrap();
    t.file("content/articles/a/a.gif", gif);
    let mut webp = Vec::new();
    image::RgbImage::from_pixel(50, 40, image::Rgb([0, 0, 200]))
        .write_to(&mut Cursor::new(&mut webp), image::ImageFormat::WebP)
        .unwrap();
    t.file("content/articles/a/b.webp", webp);
    t.build();
    let page = t.html("articles/a/index.html");
    let widths = page.attrs("figure.figure img", "width");
    assert_eq!(widths, ["64", "50"]);
}

#[test]
fn entities_show_their_picture_on_their_page_and_in_previews() {
    let t = SiteTest::new();
    t.file(
        "content/entities.yaml",
        "kyiv:\n  name: Kyiv\n  kind: place\n  image: { src: images/kyiv.jpg, alt: \"Kyiv from the river\", credit: \"Gloss\" }\nlviv:\n  name: Lviv\n  kind: place\n  image: { src: images/kyiv.jpg, alt: \"The same picture\", focal_point: [0.0, 0.0] }\n",
    );
    t.file("content/images/kyiv.jpg", jpeg(1600, 400));
    t.article(
        "a",
        "title: \"About Kyiv\"\ndate: 2025-11-25",
        "Kyiv was struck overnight.\n",
    );
    t.build();
    let page = t.html("entities/kyiv/index.html");
    let img = page.one("figure.entity-image img");
    assert_eq!(img.value().attr("alt"), Some("Kyiv from the river"));
    let article = t.read("articles/a/index.html");
    let data = article.split("id=\"gloss-data\">").nth(1).unwrap();
    let data: serde_json::Value =
        serde_json::from_str(data.split("</script>").next().unwrap()).unwrap();
    let thumb = data["entities"]["kyiv"][3]
        .as_str()
        .expect("a thumbnail in the preview");
    let (path, _) = resolve_href("articles/a/index.html", thumb);
    assert_eq!(image::image_dimensions(t.out(&path)).unwrap(), (320, 320));
    // The entity index shows the portraits too: one picture, two focal points, two crops. The
    // picture's top-left quarter is red: Lviv's square crop is at the left edge, Kyiv's in the
    // middle, so near their top right one is red and the other blue.
    let index = t.html("entities/index.html");
    let portraits = index.attrs("img.portrait", "src");
    assert_eq!(portraits.len(), 2);
    assert_ne!(portraits[0], portraits[1]);
    let colour = |src: &str| {
        let (path, _) = resolve_href("entities/index.html", src);
        *image::open(t.out(&path))
            .unwrap()
            .to_rgb8()
            .get_pixel(300, 50)
    };
    // Entities are listed by name: Kyiv, then Lviv.
    assert!(
        colour(&portraits[1])[0] > 150,
        "Lviv's crop keeps the top left"
    );
    assert!(
        colour(&portraits[0])[2] > 150,
        "Kyiv's crop is in the middle"
    );
}

#[test]
fn lists_show_thumbnails_of_lead_images() {
    let t = site_with("tags: [War]\nimage: { src: photo.jpg, alt: \"Smoke\" }", "");
    t.file("content/articles/a/photo.jpg", jpeg(1000, 800));
    t.build();
    for page in ["index.html", "tags/war/index.html"] {
        let page = t.html(page);
        let thumb = page.one(".article-card img.thumb");
        assert_eq!(
            thumb.value().attr("alt"),
            Some(""),
            "decorative beside its title"
        );
        assert_eq!(thumb.value().attr("loading"), Some("lazy"));
        let (path, _) = resolve_href(&page.path, thumb.value().attr("src").unwrap());
        assert!(t.exists(&path), "{path}");
    }
}

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

#[test]
fn the_cache_spares_work_and_never_changes_the_output() {
    let t = site_with(
        "image: { src: photo.jpg, alt: \"Smoke\" }",
        "![A chart](chart.png)\n",
    );
    t.file("content/articles/a/photo.jpg", jpeg(1300, 900));
    t.file("content/articles/a/chart.png", png_with_alpha(500, 300));
    let first = t.build_with(&["--timings"]);
    assert!(
        first.stderr().contains("2 images, 2 processed"),
        "{}",
        first.stderr()
    );
    let cold = tree(&t.out(""));
    assert!(t.root().join(".gloss-cache/CACHEDIR.TAG").exists());

    let warm = t.build_with(&["--timings"]);
    assert!(
        warm.stderr().contains("2 images, 0 processed"),
        "{}",
        warm.stderr()
    );
    assert_eq!(tree(&t.out("")), cold, "a warm build makes the same bytes");

    std::fs::remove_dir_all(t.root().join(".gloss-cache")).unwrap();
    t.build();
    assert_eq!(
        tree(&t.out("")),
        cold,
        "a build without the cache makes the same bytes"
    );

    // A changed picture gets new URLs; the entry of the old one is pruned.
    let entries = || {
        std::fs::read_dir(t.root().join(".gloss-cache/images/v1"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count()
    };
    assert_eq!(entries(), 2);
    let before = t
        .html("articles/a/index.html")
        .attrs("figure.lead-image img", "src");
    t.file("content/articles/a/photo.jpg", jpeg(1200, 900));
    let changed = t.build_with(&["--timings"]);
    assert!(
        changed.stderr().contains("2 images, 1 processed"),
        "{}",
        changed.stderr()
    );
    let after = t
        .html("articles/a/index.html")
        .attrs("figure.lead-image img", "src");
    assert_ne!(before, after);
    assert_eq!(entries(), 2, "the old picture's entry is pruned");
}

#[test]
fn a_broken_image_fails_the_build_and_keeps_the_last_output() {
    let t = site_with("image: { src: photo.jpg, alt: \"Smoke\" }", "");
    t.file("content/articles/a/photo.jpg", jpeg(600, 400));
    t.build();
    let before = tree(&t.out(""));
    t.file("content/articles/a/photo.jpg", b"not a picture at all");
    let run = t.gloss(&["build"]);
    assert_eq!(run.code(), Some(1));
    let err = run.stderr();
    assert!(err.contains("content/articles/a/index.md:4:"), "{err}");
    assert!(
        err.contains("image-corrupt") && err.contains("content/articles/a/photo.jpg"),
        "{err}"
    );
    assert_eq!(tree(&t.out("")), before);
}

#[test]
fn check_reads_images_but_writes_no_cache() {
    let t = site_with("image: { src: photo.jpg, alt: \"Smoke\" }", "");
    t.file("content/articles/a/photo.jpg", jpeg(600, 400));
    let run = t.gloss(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!t.root().join(".gloss-cache").exists());
    t.file("content/articles/a/photo.jpg", b"\x89PNG\r\n\x1a\nbroken");
    let run = t.gloss(&["check"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    assert!(!t.root().join(".gloss-cache").exists());
}

#[test]
fn the_cache_cannot_live_in_the_output_or_the_content() {
    for dir in ["public/cache", "content/cache"] {
        let t = site_with("", "");
        t.file(
            "site.toml",
            format!("{}cache_dir = \"{dir}\"\n", crate::site_test::SITE_TOML),
        );
        let run = t.gloss(&["build"]);
        assert_eq!(run.code(), Some(2), "{dir}: {}", run.stderr());
        assert!(run.stderr().contains("cache_dir"), "{}", run.stderr());
    }
}
