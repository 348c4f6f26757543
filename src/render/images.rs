//! Images as pages show them: `<picture>` with WebP and JPEG (or PNG) `srcset`s sized to the
//! theme's columns, `width` and `height` on every `<img>` so nothing moves as images arrive,
//! figures with caption and credit, list thumbnails, and what social networks and search
//! engines read (`og:image`, schema.org `ImageObject`s in three crops).

use serde::Serialize;

use super::escape::push_attr;
use crate::images::{Encoded, Format, Processed};
use crate::site::Image;

/// `sizes` for the lead image, which spans the page's main column and sidebar
/// (`main { max-width: 72rem }` less its padding).
pub const LEAD_SIZES: &str = "(min-width: 72rem) 70rem, calc(100vw - 2rem)";
/// `sizes` for figures in the text column (`--measure: 42rem`).
pub const BODY_SIZES: &str = "(min-width: 44rem) 42rem, calc(100vw - 2rem)";
/// `sizes` for an entity's picture on its page.
pub const ENTITY_SIZES: &str = "(min-width: 40rem) 16rem, calc(100vw - 2rem)";

/// How an image loads: the lead image is wanted at once; every other waits until the reader
/// scrolls near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    Lead,
    Lazy,
}

/// `<picture>` (or, for SVG, `<img>`) for `image`, with URLs from `root`.
pub fn picture(image: &Image, p: &Processed, root: &str, sizes: &str, loading: Loading) -> String {
    let mut out = String::with_capacity(1024);
    if let Some(svg) = p.original() {
        img_open(&mut out, root, p, svg, p.width, p.height);
        finish_img(&mut out, &image.alt, loading);
        return out;
    }
    let Some(fallback) = p.fallback() else {
        return out;
    };
    let webp: Vec<&Encoded> = p.widths(Format::Webp).collect();
    let plain: Vec<&Encoded> = p.widths(fallback).collect();
    let Some(largest) = plain.last() else {
        return out;
    };
    // The `src` of browsers that read no `srcset`: a middling width.
    let src = plain.iter().find(|e| e.width >= 800).unwrap_or(largest);
    out.push_str("<picture><source type=\"image/webp\" srcset=\"");
    push_srcset(&mut out, root, p, &webp);
    out.push_str("\" sizes=\"");
    out.push_str(sizes);
    out.push_str("\">");
    img_open(&mut out, root, p, src, largest.width, largest.height);
    out.push_str(" srcset=\"");
    push_srcset(&mut out, root, p, &plain);
    out.push_str("\" sizes=\"");
    out.push_str(sizes);
    out.push('"');
    finish_img(&mut out, &image.alt, loading);
    out.push_str("</picture>");
    out
}

/// `<figure>` with the picture and, when there is one, a caption and credit. `id` keeps the
/// paragraph number a figure in an article's text takes.
pub fn figure(
    image: &Image,
    p: &Processed,
    root: &str,
    sizes: &str,
    loading: Loading,
    class: &str,
    id: Option<&str>,
) -> String {
    let mut out = String::with_capacity(1200);
    out.push_str("<figure class=\"");
    out.push_str(class);
    out.push('"');
    if let Some(id) = id {
        out.push_str(" id=\"");
        out.push_str(id);
        out.push('"');
    }
    out.push('>');
    out.push_str(&picture(image, p, root, sizes, loading));
    out.push_str(&figcaption(image));
    out.push_str("</figure>");
    out
}

/// `<figcaption>` with the caption and the credit, or nothing when the image has neither.
pub fn figcaption(image: &Image) -> String {
    if image.caption.is_none() && image.credit.is_none() {
        return String::new();
    }
    let mut out = String::from("<figcaption>");
    if let Some(caption) = &image.caption {
        out.push_str("<span class=\"caption\">");
        push_attr(&mut out, caption);
        out.push_str("</span>");
    }
    if let Some(credit) = &image.credit {
        if image.caption.is_some() {
            out.push(' ');
        }
        out.push_str("<span class=\"credit\"><span class=\"visually-hidden\">Credit: </span>");
        push_attr(&mut out, credit);
        out.push_str("</span>");
    }
    out.push_str("</figcaption>");
    out
}

/// A small square picture beside a title in a list: decorative (`alt=""`), since the title
/// beside it says what the story is.
pub fn thumb(p: &Processed, root: &str) -> Option<String> {
    let t = p.thumb()?;
    let mut out = String::with_capacity(160);
    out.push_str("<img class=\"thumb\" src=\"");
    out.push_str(root);
    push_attr(&mut out, &p.path(t));
    out.push_str("\" width=\"");
    out.push_str(itoa::Buffer::new().format(t.width / 2));
    out.push_str("\" height=\"");
    out.push_str(itoa::Buffer::new().format(t.height / 2));
    out.push_str("\" alt=\"\" loading=\"lazy\" decoding=\"async\">");
    Some(out)
}

/// The thumbnail's URL from `root`, for preview cards.
pub fn thumb_url(p: &Processed, root: &str) -> Option<String> {
    p.thumb().map(|t| [root, &p.path(t)].concat())
}

fn img_open(out: &mut String, root: &str, p: &Processed, src: &Encoded, w: u32, h: u32) {
    out.push_str("<img src=\"");
    out.push_str(root);
    push_attr(out, &p.path(src));
    out.push_str("\" width=\"");
    out.push_str(itoa::Buffer::new().format(w));
    out.push_str("\" height=\"");
    out.push_str(itoa::Buffer::new().format(h));
    out.push('"');
}

fn finish_img(out: &mut String, alt: &str, loading: Loading) {
    out.push_str(" alt=\"");
    push_attr(out, alt);
    out.push('"');
    match loading {
        Loading::Lead => out.push_str(" fetchpriority=\"high\">"),
        Loading::Lazy => out.push_str(" loading=\"lazy\" decoding=\"async\">"),
    }
}

fn push_srcset(out: &mut String, root: &str, p: &Processed, list: &[&Encoded]) {
    for (i, e) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(root);
        push_attr(out, &p.path(e));
        out.push(' ');
        out.push_str(itoa::Buffer::new().format(e.width));
        out.push('w');
    }
}

/// What `og:image` and the Twitter card show: the 16:9 crop, as an absolute URL.
#[derive(Debug, Serialize)]
pub struct Social {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
    pub alt: String,
}

pub fn social(image: &Image, p: &Processed, base: &crate::config::BaseUrl) -> Option<Social> {
    let crop = p.crop("16x9")?;
    Some(Social {
        url: base.join(&p.path(crop)),
        width: crop.width,
        height: crop.height,
        mime: crop.format.mime(),
        alt: image.alt.clone(),
    })
}

/// A schema.org `ImageObject`, with Google's image licence fields.
#[derive(Debug, Serialize)]
pub struct ImageObjectLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
    #[serde(rename = "contentUrl")]
    content_url: String,
    #[serde(rename = "copyrightNotice", skip_serializing_if = "Option::is_none")]
    copyright_notice: Option<&'a str>,
    #[serde(rename = "creditText", skip_serializing_if = "Option::is_none")]
    credit_text: Option<&'a str>,
    height: u32,
    url: String,
    width: u32,
}

/// The image in 16:9, 4:3 and 1:1, for search engines that pick the crop their layout needs.
pub fn image_objects<'a>(
    image: &'a Image,
    p: &Processed,
    base: &crate::config::BaseUrl,
) -> Vec<ImageObjectLd<'a>> {
    crate::images::pipeline::CROPS
        .iter()
        .filter_map(|(name, _, _)| p.crop(name))
        .map(|crop| {
            let url = base.join(&p.path(crop));
            ImageObjectLd {
                kind: "ImageObject",
                caption: image.caption.as_deref(),
                content_url: url.clone(),
                copyright_notice: image.credit.as_deref(),
                credit_text: image.credit.as_deref(),
                height: crop.height,
                url,
                width: crop.width,
            }
        })
        .collect()
}
