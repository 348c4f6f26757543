//! The search index: Pagefind's Rust API, fed with the pages render has just made, writing the
//! standard `pagefind/` folder so that Pagefind's own JavaScript API and UI work on the site.
//!
//! Pagefind indexes only what a page marks `data-pagefind-body` (the article, the entity), and
//! reads filters (`type`, `section`, `tag`), the `date` sort and weights from attributes the
//! theme sets. The index runs on its own thread while pages are still being rendered; pages
//! reach it in job order, so the index is the same from one build to the next.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::OutputFile;

/// A page (or a part of one) for the index: its root-relative URL and its HTML.
pub struct Record {
    pub url: String,
    pub html: String,
}

pub struct Indexer {
    tx: Option<SyncSender<Record>>,
    worker: Option<JoinHandle<Result<Vec<OutputFile>, String>>>,
}

impl Indexer {
    pub fn start(language: &str) -> Indexer {
        // A few pages in flight: render waits rather than holding the whole site in memory.
        let (tx, rx) = sync_channel::<Record>(32);
        let language = language.to_string();
        let worker = std::thread::Builder::new()
            .name("gloss-search".into())
            .spawn(move || index(&rx, language))
            .ok();
        Indexer {
            tx: Some(tx),
            worker,
        }
    }

    pub fn add(&self, record: Record) {
        if let Some(tx) = &self.tx {
            // A failed indexer reports itself in `finish`.
            let _ = tx.send(record);
        }
    }

    /// The files of `pagefind/`, once every record is in.
    pub fn finish(mut self) -> Result<Vec<OutputFile>, String> {
        drop(self.tx.take());
        match self.worker.take() {
            Some(worker) => worker
                .join()
                .map_err(|_| "the search indexer panicked".to_string())?,
            None => Err("could not start the search indexer".to_string()),
        }
    }
}

fn index(rx: &Receiver<Record>, language: String) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(language)
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        // Records keep arriving until render is done; this thread has nothing else to do.
        while let Ok(record) = rx.recv() {
            index
                .add_html_file(None, Some(record.url.clone()), record.html)
                .await
                .map_err(|e| format!("indexing {}: {e}", record.url))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        let mut out: Vec<OutputFile> = files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                OutputFile::new(format!("pagefind/{name}"), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    })
}

/// The part of a rendered page Pagefind needs: the element marked `data-pagefind-body` (the
/// theme puts it on one `<article>`), in a bare document with the page's language. Pagefind
/// would skip the rest anyway; parsing less is faster.
pub fn indexable(html: &str, language: &str) -> Option<String> {
    let marker = html.find("data-pagefind-body")?;
    let start = html[..marker].rfind('<')?;
    let end = html.rfind("</article>")? + "</article>".len();
    (start < end).then(|| {
        format!(
            "<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"></head><body>{}</body></html>",
            &html[start..end]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_marked_article_is_kept() {
        let page = "<html><body><nav>Menu</nav><main><article class=\"x\" data-pagefind-body><h1>T</h1></article></main><footer>F</footer></body></html>";
        let doc = indexable(page, "en").unwrap();
        assert!(doc.contains("<article class=\"x\" data-pagefind-body><h1>T</h1></article>"));
        assert!(!doc.contains("Menu") && !doc.contains("F</footer>"));
        assert_eq!(indexable("<html><article>x</article></html>", "en"), None);
    }
}
