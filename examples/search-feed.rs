//! How long Pagefind takes to index a built site's article and entity pages, fed whole or
//! [slimmed](gloss::render::search::slim) as `gloss build` feeds them, in one process and
//! alternating, so that a noisy machine slows both alike.
//!
//!     cargo run --release --example search-feed -- public/ [PAGES]
//!
//! Build the site with `search = false` first if only the feed is of interest.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "public".into());
    let limit: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1200);
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path().to_string_lossy().replace('\\', "/");
        let wanted = path.contains("/articles/") || path.contains("/entities/");
        if wanted
            && path.ends_with("/index.html")
            && let Ok(html) = std::fs::read_to_string(entry.path())
        {
            pages.push((path, html));
        }
    }
    pages.sort();
    pages.truncate(limit);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!("| round | fed | bytes | add pages (ms) | build and compress (ms) |");
    println!("|---:|---|---:|---:|---:|");
    for round in 1..=3 {
        for slim in [false, true] {
            let docs: Vec<(String, String)> = pages
                .iter()
                .filter_map(|(path, html)| {
                    let marker = html.find("data-pagefind-body")?;
                    let start = html[..marker].rfind('<')?;
                    let end = html.rfind("</article>")? + "</article>".len();
                    let body = match slim {
                        true => gloss::render::search::slim(&html[start..end]),
                        false => html[start..end].to_string(),
                    };
                    let doc =
                        format!("<!DOCTYPE html><html lang=\"en\"><body>{body}</body></html>");
                    Some((path.clone(), doc))
                })
                .collect();
            let bytes: usize = docs.iter().map(|(_, d)| d.len()).sum();
            runtime.block_on(async {
                let options = pagefind::options::PagefindServiceConfig::builder()
                    .keep_index_url(true)
                    .force_language("en".into())
                    .build();
                let mut index = pagefind::api::PagefindIndex::new(Some(options)).expect("options");
                let t = Instant::now();
                for (url, doc) in docs {
                    index
                        .add_html_file(None, Some(url), doc)
                        .await
                        .expect("indexed");
                }
                let added = t.elapsed();
                let t = Instant::now();
                index.get_files().await.expect("index files");
                let fed = if slim { "slimmed" } else { "whole" };
                println!(
                    "| {round} | {fed} | {bytes} | {:.0} | {:.0} |",
                    added.as_secs_f64() * 1e3,
                    t.elapsed().as_secs_f64() * 1e3
                );
            });
        }
    }
}
