//! The whole pipeline, as the commands run it: `build` writes, `check` stops short of writing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, Overrides};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::render;
use crate::site::Site;
use crate::theme::Theme;
use crate::write::{self, WriteError};
use crate::{content, images, languages, resolve};

/// What `gloss build` and `gloss check` take.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Treat warnings as errors: nothing is written when there are any.
    pub deny_warnings: bool,
    /// `gloss check`: images are decoded to find problems, but not encoded, and the image
    /// cache is read, never written.
    pub check_only: bool,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Warnings; a report only exists when there were no errors.
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has problems; every one of them is listed.
    #[error("the site has {} error(s)", count_errors(.0))]
    Content(Vec<Diagnostic>),
    /// The output could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Output(render::SinkError),
    #[error("{0}")]
    Usage(String),
}

fn count_errors(list: &[Diagnostic]) -> usize {
    list.iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

/// A rendered site: the files went to a sink; this is what is left to report.
pub struct Rendered {
    /// One per language, the default first.
    pub sites: Vec<Site>,
    /// Each site's processed images, in the same order.
    pub images: Vec<images::Catalogue>,
    pub stats: render::Stats,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
}

/// Where a build spends its time (`gloss build --timings`).
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub phases: Vec<(&'static str, Duration, String)>,
}

impl Timings {
    fn record(&mut self, phase: &'static str, since: Instant, what: String) -> Instant {
        let now = Instant::now();
        self.phases.push((phase, now - since, what));
        now
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Auto-linking happens inside resolve, indexing inside render (on several threads):
        // shown, not added up.
        let total: Duration = self
            .phases
            .iter()
            .filter(|p| !matches!(p.0, "auto-link" | "indexing" | "index"))
            .map(|p| p.1)
            .sum();
        for (phase, took, what) in &self.phases {
            let share = 100.0 * took.as_secs_f64() / total.as_secs_f64().max(1e-9);
            writeln!(
                f,
                "{phase:>10} {:>9.1} ms {share:>5.1}%  {what}",
                took.as_secs_f64() * 1e3
            )?;
        }
        write!(f, "{:>10} {:>9.1} ms", "total", total.as_secs_f64() * 1e3)
    }
}

/// Frees `value` on another thread: a large site's loaded and resolved forms are millions of
/// small allocations, and freeing them is work nobody waits for. When the process ends first,
/// the system takes the memory back at once.
fn drop_in_background<T: Send + 'static>(value: T) {
    // Without a thread to spare, `spawn` drops the closure, and `value` with it, right here.
    let _ = std::thread::Builder::new()
        .name("gloss-free".into())
        .spawn(move || drop(value));
}

/// Load, resolve and render into `sink`. Writes nothing itself.
pub fn generate(options: &BuildOptions, sink: &dyn render::Sink) -> Result<Rendered, Error> {
    let mut diags = Diagnostics::new();
    let overrides = Overrides {
        base_url: options.base_url.clone(),
        drafts: options.drafts,
        preview: false,
    };
    let Some(config) = config::load(&options.root, &overrides, &mut diags) else {
        return Err(Error::Content(diags.into_vec()));
    };
    generate_from(config, options, sink, diags)
}

/// [`generate`] for a configuration already read: every language of the site, the default
/// first, each into its own folder of `sink`.
pub fn generate_from(
    config: config::Config,
    options: &BuildOptions,
    sink: &dyn render::Sink,
    mut diags: Diagnostics,
) -> Result<Rendered, Error> {
    let mut timings = Timings::default();
    let mut t = Instant::now();
    let theme = Theme::load(&config);
    let loaded = content::load(&config, &mut diags);
    t = timings.record(
        "load",
        t,
        format!(
            "{} articles, {} entities, {} terms",
            loaded.articles.len(),
            loaded.entities.len(),
            loaded.terms.len()
        ),
    );
    let mut sites = Vec::with_capacity(config.languages.len());
    let (mut autolink, mut names) = (Duration::ZERO, 0);
    if config.multilingual() {
        let mut found = Vec::new();
        for lang in config.languages.iter() {
            let config = config.for_language(&lang.code);
            let mut local = Diagnostics::new();
            let part = content::translations::for_language(&loaded, &config, &mut local);
            let (site, stats) = resolve::resolve_with_stats(config, part, &mut local);
            autolink += stats.autolink;
            names += stats.names;
            sites.push(site);
            found.push(local.into_vec());
        }
        diags.extend(languages::merge_diagnostics(found));
        drop_in_background(loaded);
    } else {
        let (site, stats) = resolve::resolve_with_stats(config.clone(), loaded, &mut diags);
        autolink = stats.autolink;
        names = stats.names;
        sites.push(site);
    }
    let mentions: usize = sites
        .iter()
        .flat_map(|site| {
            site.entities
                .values()
                .map(|e| e.mentions.len())
                .chain(site.terms.values().map(|e| e.mentions.len()))
        })
        .sum();
    t = timings.record("resolve", t, format!("{mentions} backlinks"));
    timings.phases.push((
        "auto-link",
        autolink,
        format!("part of resolve, CPU summed over threads; {names} names"),
    ));
    let theme = match theme {
        Ok(theme) => theme,
        Err(errors) => {
            diags.extend(errors);
            return Err(Error::Content(diags.into_vec()));
        }
    };
    crate::i18n::check(&theme, &config, &mut diags);
    for site in &sites {
        check_links(site, &theme, &mut diags);
    }
    t = timings.record(
        "links",
        t,
        format!(
            "{} links checked",
            sites
                .iter()
                .flat_map(|s| &s.articles)
                .map(|a| a.links.len())
                .sum::<usize>()
        ),
    );
    if diags.has_errors() {
        return Err(Error::Content(diags.into_vec()));
    }
    // Images only once the text is sound: a build that fails on a typo should not first
    // spend a minute decoding photographs.
    let mode = if options.check_only {
        images::Mode::Check
    } else {
        images::Mode::Build
    };
    let site_refs: Vec<&Site> = sites.iter().collect();
    let (catalogues, image_stats) = images::process_all(&site_refs, mode, &mut diags);
    t = timings.record(
        "images",
        t,
        format!(
            "{} images, {} processed, the rest from the cache",
            image_stats.images, image_stats.processed
        ),
    );
    if diags.has_errors() || (options.deny_warnings && !diags.is_empty()) {
        return Err(Error::Content(diags.into_vec()));
    }
    if config.multilingual() {
        let translations = std::sync::Arc::new(languages::translations(&sites, &theme));
        for site in &mut sites {
            site.translations = std::sync::Arc::clone(&translations);
        }
    }
    let mut stats = render::Stats::default();
    for (site, images) in sites.iter().zip(&catalogues) {
        let prefixed = languages::Prefixed {
            prefix: &site.config.prefix,
            inner: sink,
        };
        let made = match render::render(site, &theme, images, &prefixed) {
            Ok(made) => made,
            Err(render::RenderError::Templates(errors)) => {
                diags.extend(errors);
                return Err(Error::Content(diags.into_vec()));
            }
            Err(render::RenderError::Sink(e)) => return Err(Error::Output(e)),
        };
        stats.add(made);
    }
    let what = format!(
        "{} files, {:.1} MB, written as rendered",
        stats.files,
        stats.bytes as f64 / 1e6
    );
    timings.record("render", t, what);
    if let Some(search) = &stats.search {
        // Pages a reader's search will not find, each named (a custom template without
        // `data-pagefind-body`, a page without text, markup Pagefind could not read).
        for (url, why) in &search.skipped {
            // The article's own file where the page is an article's.
            let file = url
                .strip_prefix("/articles/")
                .map(|slug| slug.trim_end_matches('/'))
                .and_then(|slug| {
                    sites
                        .iter()
                        .flat_map(|s| &s.articles)
                        .find(|a| a.slug == slug)
                })
                .map_or_else(
                    || std::path::PathBuf::from("site.toml"),
                    |a| a.body.file.path.clone(),
                );
            diags.push(
                Diagnostic::warning(
                    "gloss::search-skipped",
                    format!("search: the page {url} is not searchable: {why}"),
                )
                .in_file(file)
                .help("the theme's templates mark each page's main element with data-pagefind-body; or set `search = false`"),
            );
        }
        if options.deny_warnings && !search.skipped.is_empty() {
            return Err(Error::Content(diags.into_vec()));
        }
        timings.phases.push((
            "indexing",
            search.parse,
            format!(
                "part of render, CPU summed over threads; {} pages parsed for search",
                search.pages
            ),
        ));
        timings.phases.push((
            "index",
            search.build,
            "part of render: Pagefind's index built and compressed after the last indexed page, while the other pages render".into(),
        ));
    }
    Ok(Rendered {
        sites,
        images: catalogues,
        stats,
        diagnostics: diags.into_vec(),
        timings,
    })
}

/// Checks every internal link and `#fragment` of the site against the pages and files a build
/// of it has.
pub(crate) fn check_links(site: &Site, theme: &Theme, diags: &mut Diagnostics) {
    resolve::links::check(site, &link_files(site, theme), diags);
}

/// The files besides pages that links may point at.
pub(crate) fn link_files(site: &Site, theme: &Theme) -> std::collections::BTreeSet<String> {
    let mut static_paths: std::collections::BTreeSet<String> = theme
        .static_files
        .keys()
        .map(|name| format!("static/{name}"))
        .collect();
    static_paths.extend(
        [
            "atom.xml",
            "sitemap.xml",
            "news-sitemap.xml",
            "robots.txt",
            "404.html",
            "static/highlight.css",
        ]
        .map(String::from),
    );
    static_paths.extend(site.tags.keys().map(|slug| format!("tags/{slug}/atom.xml")));
    static_paths
}

/// `gloss build`: the site into the output folder, or nothing at all.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    check_output_dir(&options.root, &output_dir)?;
    // Files are written into a staging folder as they are rendered; it replaces the output
    // folder only if the whole build succeeds, and removes itself otherwise.
    let staging = write::Staging::new(&output_dir)?;
    // On one of rayon's threads, so that the parts that run in order (gathering backlinks,
    // relating entities) allocate from memory the parallel parts have freed on that thread.
    // From the main thread they faulted in fresh pages: 80 ms at 10,000 articles, with the
    // other core idle.
    let Rendered {
        sites,
        images,
        stats,
        diagnostics,
        mut timings,
    } = rayon::scope(|_| generate(options, &staging))?;
    drop_in_background((sites, images));
    let t = Instant::now();
    staging.commit()?;
    timings.record("swap", t, format!("into {}", output_dir.display()));
    Ok(BuildReport {
        output_dir,
        pages: stats.pages,
        files: stats.files,
        elapsed: started.elapsed(),
        diagnostics,
        timings,
    })
}

/// The output folder is replaced whole, so it must never be the site itself or hold it.
fn check_output_dir(root: &Path, out: &Path) -> Result<(), Error> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| normalize(&p))
            .map_err(|e| Error::Usage(format!("cannot resolve `{}`: {e}", p.display())))
    };
    let root_abs = abs(root)?;
    let out_abs = abs(out)?;
    let root_real = std::fs::canonicalize(&root_abs).unwrap_or(root_abs.clone());
    let out_real = std::fs::canonicalize(&out_abs).unwrap_or(out_abs.clone());
    for (r, o) in [(&root_abs, &out_abs), (&root_real, &out_real)] {
        if r.starts_with(o) {
            return Err(Error::Usage(format!(
                "the output folder `{}` contains the site; it would be replaced whole. Choose another --output-dir",
                out.display()
            )));
        }
        if o.starts_with(r.join("content"))
            || o.starts_with(r.join("templates"))
            || o.starts_with(r.join("themes"))
            || o.starts_with(r.join("static"))
        {
            return Err(Error::Usage(format!(
                "the output folder `{}` is inside the site's sources. Choose another --output-dir",
                out.display()
            )));
        }
    }
    // The cache folder is read while the output is staged and swapped: inside the output it
    // would be deleted by every build.
    let overrides = Overrides::default();
    let mut ignored = Diagnostics::new();
    if let Some(config) = config::load(root, &overrides, &mut ignored) {
        let cache = normalize(&std::path::absolute(&config.cache_dir).unwrap_or(config.cache_dir));
        if cache.starts_with(&out_abs) || cache.starts_with(root_abs.join("content")) {
            return Err(Error::Usage(format!(
                "the cache folder `{}` is inside the output folder or content/; set `cache_dir` in site.toml to a folder of its own",
                cache.display()
            )));
        }
    }
    if out_abs.join("site.toml").exists() {
        return Err(Error::Usage(format!(
            "`{}` holds a site.toml; gloss will not replace a site's folder. Choose another --output-dir",
            out.display()
        )));
    }
    Ok(())
}

/// Removes `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}
