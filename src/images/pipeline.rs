//! One image, from its file's bytes to every file the site serves of it: decoded (JPEG, PNG,
//! WebP, the first frame of a GIF, or SVG), turned upright by its EXIF orientation, resized to
//! the configured widths without ever upscaling, and encoded again from pixels, so that no
//! metadata of the original (GPS position, camera serial, the photographer's software) survives.
//!
//! Nothing here knows about the cache or the site: [`process`] takes bytes and settings and
//! gives back encoded files in memory.

use std::io::Cursor;

use fast_image_resize::images::Image as Pixels;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use resvg::{tiny_skia, usvg};

/// Lossy quality of WebP and JPEG files, 0-100 (Hugo's default is 75).
pub const QUALITY: u8 = 80;
/// Social cards and structured data want crops at least this wide.
pub const CROP_WIDTH: u32 = 1200;
/// The side of the square thumbnail of lists and preview cards (shown at half that, for sharp
/// pixels on high-density screens).
pub const THUMB_SIDE: u32 = 320;

/// The crops structured data and social cards use, as (name, width ratio, height ratio).
pub const CROPS: [(&str, u32, u32); 3] = [("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1)];

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("unsupported image format {0}")]
    Unsupported(String),
    #[error("image cannot be decoded: {0}")]
    Corrupt(String),
    #[error("image is {width}x{height} pixels, over the limit of {limit} megapixels")]
    TooLarge { width: u32, height: u32, limit: f64 },
    #[error("cannot read image: {0}")]
    Io(#[from] std::io::Error),
    #[error("image cannot be encoded: {0}")]
    Encode(String),
}

/// An encoded file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Webp,
    Jpeg,
    Png,
    Svg,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Svg => "image/svg+xml",
        }
    }
}

/// What a file of the output is for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", tag = "role", content = "name")]
pub enum Role {
    /// One of the responsive widths.
    Width,
    /// A crop for social cards and structured data, by ratio name (`16x9`).
    Crop(String),
    /// The square thumbnail of lists and preview cards.
    Thumb,
    /// The SVG itself, served as written.
    Original,
}

/// One encoded file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Encoded {
    pub role: Role,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// The file's name in the cache entry and, after the image's stem, in the output.
    pub name: String,
}

/// How to process.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Sorted.
    pub widths: Vec<u32>,
    pub max_pixels: u64,
    /// The point crops keep in view, as fractions of width and height.
    pub focal: (f64, f64),
}

/// What processing made: the upright size of the original, whether it has transparency, and the
/// files with their bytes.
#[derive(Debug)]
pub struct Output {
    pub width: u32,
    pub height: u32,
    pub svg: bool,
    pub files: Vec<(Encoded, Vec<u8>)>,
}

/// Processes one image file's `bytes`. `svg` says the file is named `.svg`.
pub fn process(bytes: &[u8], svg: bool, settings: &Settings) -> Result<Output, ImageError> {
    if svg {
        return process_svg(bytes, settings);
    }
    let decoded = decode(bytes, settings)?;
    encode_all(decoded, settings)
}

/// Checks that `bytes` decode, without encoding anything: the upright size.
pub fn inspect(bytes: &[u8], svg: bool, settings: &Settings) -> Result<(u32, u32), ImageError> {
    if svg {
        let tree = parse_svg(bytes)?;
        let size = tree.size();
        return Ok((
            size.width().round().max(1.0) as u32,
            size.height().round().max(1.0) as u32,
        ));
    }
    let decoded = decode(bytes, settings)?;
    Ok((decoded.width(), decoded.height()))
}

/// Decodes a raster image, upright, after checking its format and its size.
fn decode(bytes: &[u8], settings: &Settings) -> Result<DynamicImage, ImageError> {
    let format = image::guess_format(bytes).map_err(|_| {
        if looks_like_text(bytes) {
            ImageError::Corrupt("the file is not an image".into())
        } else {
            ImageError::Unsupported("(not JPEG, PNG, WebP, GIF or SVG)".into())
        }
    })?;
    match format {
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif => {}
        other => {
            return Err(ImageError::Unsupported(
                other
                    .extensions_str()
                    .first()
                    .unwrap_or(&"?")
                    .to_uppercase(),
            ));
        }
    }
    let corrupt = |e: image::ImageError| ImageError::Corrupt(e.to_string());
    // The size from the header, before a single pixel is decoded: a decompression bomb is a few
    // kilobytes that claim gigapixels.
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(corrupt)?;
    if u64::from(w) * u64::from(h) > settings.max_pixels {
        return Err(ImageError::TooLarge {
            width: w,
            height: h,
            limit: settings.max_pixels as f64 / 1e6,
        });
    }
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(corrupt)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut decoded = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    decoded.apply_orientation(orientation);
    Ok(decoded)
}

/// Every file of a decoded raster image.
fn encode_all(decoded: DynamicImage, settings: &Settings) -> Result<Output, ImageError> {
    let alpha = decoded.color().has_alpha() && {
        let rgba = decoded.to_rgba8();
        rgba.pixels().any(|p| p.0[3] != 255)
    };
    let (width, height) = (decoded.width(), decoded.height());
    let pixels = if alpha {
        Pixels::from_vec_u8(
            width,
            height,
            decoded.into_rgba8().into_raw(),
            PixelType::U8x4,
        )
    } else {
        Pixels::from_vec_u8(
            width,
            height,
            decoded.into_rgb8().into_raw(),
            PixelType::U8x3,
        )
    }
    .map_err(|e| ImageError::Corrupt(e.to_string()))?;

    let mut files = Vec::new();
    let fallback = if alpha { Format::Png } else { Format::Jpeg };
    // Largest first; each smaller width is made from the one above it, which costs a fraction
    // of going back to the full-size original and looks the same.
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|w| *w < width)
        .collect();
    if widths.len() < settings.widths.len() {
        // The original is narrower than some widths: it is the largest size, never upscaled.
        widths.push(width);
    }
    let mut from: Option<Pixels> = None;
    for &w in widths.iter().rev() {
        let h = scaled_height(width, height, w);
        let resized = match &from {
            Some(larger) => resize(larger, w, h, None)?,
            None => resize(&pixels, w, h, None)?,
        };
        for format in [Format::Webp, fallback] {
            files.push((
                Encoded {
                    role: Role::Width,
                    format,
                    width: w,
                    height: h,
                    name: format!("{w}.{}", format.extension()),
                },
                encode(&resized, format)?,
            ));
        }
        from = Some(resized);
    }
    drop(from);
    files.extend(crops_and_thumb(&pixels, settings.focal, fallback)?);
    Ok(Output {
        width,
        height,
        svg: false,
        files,
    })
}

/// The crops for structured data and social cards (each as wide as [`CROP_WIDTH`] where the
/// original allows, never upscaled) and the square thumbnail.
fn crops_and_thumb(
    pixels: &Pixels,
    focal: (f64, f64),
    fallback: Format,
) -> Result<Vec<(Encoded, Vec<u8>)>, ImageError> {
    let (width, height) = (pixels.width(), pixels.height());
    let mut files = Vec::new();
    for (name, rw, rh) in CROPS {
        let rect = crop_rect(width, height, rw, rh, focal);
        let w = CROP_WIDTH.min(rect.2.floor() as u32).max(1);
        let h = ((f64::from(w) * f64::from(rh) / f64::from(rw)).round() as u32).max(1);
        let cropped = resize(pixels, w, h, Some(rect))?;
        files.push((
            Encoded {
                role: Role::Crop(name.to_string()),
                format: fallback,
                width: w,
                height: h,
                name: format!("{name}.{}", fallback.extension()),
            },
            encode(&cropped, fallback)?,
        ));
    }
    let rect = crop_rect(width, height, 1, 1, focal);
    let side = THUMB_SIDE.min(rect.2.floor() as u32).max(1);
    let thumb = resize(pixels, side, side, Some(rect))?;
    files.push((
        Encoded {
            role: Role::Thumb,
            format: Format::Webp,
            width: side,
            height: side,
            name: "thumb.webp".to_string(),
        },
        encode(&thumb, Format::Webp)?,
    ));
    Ok(files)
}

/// The largest rectangle of ratio `rw:rh` inside `width`x`height`, centred on the focal point as
/// far as the edges allow: (left, top, width, height).
pub fn crop_rect(
    width: u32,
    height: u32,
    rw: u32,
    rh: u32,
    focal: (f64, f64),
) -> (f64, f64, f64, f64) {
    let (w, h) = (f64::from(width), f64::from(height));
    let ratio = f64::from(rw) / f64::from(rh);
    let (cw, ch) = if w / h > ratio {
        (h * ratio, h)
    } else {
        (w, w / ratio)
    };
    let left = (focal.0 * w - cw / 2.0).clamp(0.0, w - cw);
    let top = (focal.1 * h - ch / 2.0).clamp(0.0, h - ch);
    (left, top, cw, ch)
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    ((u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width)).max(1) as u32
}

fn resize(
    src: &Pixels,
    w: u32,
    h: u32,
    crop: Option<(f64, f64, f64, f64)>,
) -> Result<Pixels<'static>, ImageError> {
    let mut dst = Pixels::new(w, h, src.pixel_type());
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if let Some((left, top, cw, ch)) = crop {
        options = options.crop(left, top, cw, ch);
    }
    Resizer::new()
        .resize(src, &mut dst, &options)
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(dst)
}

fn encode(pixels: &Pixels, format: Format) -> Result<Vec<u8>, ImageError> {
    let (w, h) = (pixels.width(), pixels.height());
    let alpha = pixels.pixel_type() == PixelType::U8x4;
    let buf = pixels.buffer();
    match format {
        Format::Webp => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(buf, w, h)
            } else {
                webp::Encoder::from_rgb(buf, w, h)
            };
            encoder
                .encode_simple(false, f32::from(QUALITY))
                .map(|m| m.to_vec())
                .map_err(|e| ImageError::Encode(format!("{e:?}")))
        }
        Format::Jpeg => {
            let mut out = Vec::with_capacity(buf.len() / 8);
            let encoder = jpeg_encoder::Encoder::new(&mut out, QUALITY);
            let (w16, h16) = (
                u16::try_from(w).map_err(|_| ImageError::Encode("too wide for JPEG".into()))?,
                u16::try_from(h).map_err(|_| ImageError::Encode("too tall for JPEG".into()))?,
            );
            encoder
                .encode(buf, w16, h16, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| ImageError::Encode(e.to_string()))?;
            Ok(out)
        }
        Format::Png => {
            let mut out = Vec::new();
            let color = if alpha {
                image::ExtendedColorType::Rgba8
            } else {
                image::ExtendedColorType::Rgb8
            };
            image::ImageEncoder::write_image(
                image::codecs::png::PngEncoder::new_with_quality(
                    &mut out,
                    image::codecs::png::CompressionType::Fast,
                    image::codecs::png::FilterType::Adaptive,
                ),
                buf,
                w,
                h,
                color,
            )
            .map_err(|e| ImageError::Encode(e.to_string()))?;
            Ok(out)
        }
        Format::Svg => Err(ImageError::Encode("SVG is never encoded".into())),
    }
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    !head.is_empty() && std::str::from_utf8(head).is_ok()
}

/// The fonts SVG text is drawn with when an SVG is rasterised: the system's, loaded once.
static FONTS: std::sync::LazyLock<std::sync::Arc<usvg::fontdb::Database>> =
    std::sync::LazyLock::new(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        std::sync::Arc::new(db)
    });

/// An SVG is served as written; it is drawn to pixels only for what needs a raster (social
/// cards, structured data, thumbnails), on white, since JPEG has no transparency.
fn parse_svg(bytes: &[u8]) -> Result<usvg::Tree, ImageError> {
    let options = usvg::Options {
        fontdb: std::sync::Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    usvg::Tree::from_data(bytes, &options)
        .map_err(|e| ImageError::Corrupt(format!("invalid SVG: {e}")))
}

fn process_svg(bytes: &[u8], settings: &Settings) -> Result<Output, ImageError> {
    let tree = parse_svg(bytes)?;
    let size = tree.size();
    let (width, height) = (
        size.width().round().max(1.0) as u32,
        size.height().round().max(1.0) as u32,
    );
    // Drawn so that its shorter side allows a full-width square crop, within 4000 pixels.
    let scale = (f64::from(CROP_WIDTH) / f64::from(width.min(height)))
        .min(4000.0 / f64::from(width.max(height)))
        .max(f64::MIN_POSITIVE);
    let (rw, rh) = (
        ((f64::from(width) * scale).round() as u32).max(1),
        ((f64::from(height) * scale).round() as u32).max(1),
    );
    let mut pixmap = tiny_skia::Pixmap::new(rw, rh)
        .ok_or_else(|| ImageError::Corrupt("SVG has no size".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale as f32, scale as f32),
        &mut pixmap.as_mut(),
    );
    // Opaque after the white fill: premultiplied RGBA is plain RGBA.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let pixels = Pixels::from_vec_u8(rw, rh, rgb, PixelType::U8x3)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let mut files = vec![(
        Encoded {
            role: Role::Original,
            format: Format::Svg,
            width,
            height,
            name: "image.svg".to_string(),
        },
        bytes.to_vec(),
    )];
    files.extend(crops_and_thumb(&pixels, settings.focal, Format::Jpeg)?);
    Ok(Output {
        width,
        height,
        svg: true,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            widths: vec![480, 800, 1200, 1600],
            max_pixels: 100_000_000,
            focal: (0.5, 0.5),
        }
    }

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn never_upscales_and_keeps_the_original_width_as_largest() {
        let out = process(&jpeg(1000, 500), false, &settings()).unwrap();
        let widths: Vec<u32> = out
            .files
            .iter()
            .filter(|(e, _)| e.role == Role::Width && e.format == Format::Webp)
            .map(|(e, _)| e.width)
            .collect();
        assert_eq!(widths, [1000, 800, 480]);
        assert!(out.files.iter().all(|(e, _)| e.width <= 1000));
        let crop = out
            .files
            .iter()
            .find(|(e, _)| e.role == Role::Crop("16x9".into()))
            .unwrap();
        // 1000x500 holds a 16:9 crop 888 wide at most.
        assert_eq!((crop.0.width, crop.0.height), (888, 500));
    }

    #[test]
    fn crops_follow_the_focal_point_within_the_edges() {
        assert_eq!(
            crop_rect(400, 300, 1, 1, (0.0, 0.5)),
            (0.0, 0.0, 300.0, 300.0)
        );
        assert_eq!(
            crop_rect(400, 300, 1, 1, (1.0, 0.5)),
            (100.0, 0.0, 300.0, 300.0)
        );
        assert_eq!(
            crop_rect(400, 300, 1, 1, (0.5, 0.5)),
            (50.0, 0.0, 300.0, 300.0)
        );
    }

    #[test]
    fn refuses_images_over_the_pixel_limit_before_decoding() {
        let mut s = settings();
        s.max_pixels = 1000;
        let err = process(&jpeg(100, 100), false, &s).unwrap_err();
        assert!(
            matches!(
                err,
                ImageError::TooLarge {
                    width: 100,
                    height: 100,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn corrupt_and_unknown_files_are_errors() {
        assert!(matches!(
            process(b"hello, not an image", false, &settings()),
            Err(ImageError::Corrupt(_))
        ));
        let mut truncated = jpeg(64, 64);
        truncated.truncate(200);
        assert!(process(&truncated, false, &settings()).is_err());
        // A TIFF header: an image, but not one the web shows.
        assert!(matches!(
            process(b"II*\0\x08\0\0\0\0\0", false, &settings()),
            Err(ImageError::Unsupported(_))
        ));
    }
}
