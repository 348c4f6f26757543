//! `gloss serve`: build the site into memory, serve it, watch the sources, rebuild what an edit
//! touched and tell open pages to reload.
//!
//! Three parts, each in its own thread or task: the watcher (notify) feeds paths into a channel;
//! the rebuild loop waits for a quiet moment, runs an incremental [`Session`] rebuild and swaps
//! the files in; the HTTP server (axum) serves the current files and streams reload events to
//! pages over Server-Sent Events. A failed rebuild leaves the last good files served and sends
//! its diagnostics to the pages, which show them over the page.

mod http;
mod session;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// What the background indexer needs of a good build.
type Snapshot = session::Searchable;

pub use session::{Outcome, Session, SessionOptions};

use crate::diagnostics::Diagnostic;

/// What `gloss serve` takes.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// Told about every build, for the terminal.
pub trait Reporter: Send + 'static {
    /// The server listens at `url`.
    fn listening(&mut self, url: &str);
    fn built(&mut self, outcome: &Outcome, total_files: usize);
    fn failed(&mut self, diagnostics: &[Diagnostic]);
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch the site: {0}")]
    Watch(#[from] notify::Error),
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// A served file.
#[derive(Debug)]
pub struct File {
    pub bytes: Vec<u8>,
    /// Of the bytes; quoted, as the ETag header wants it.
    pub etag: String,
    /// When a build last changed it.
    pub modified: SystemTime,
}

impl File {
    fn new(bytes: Vec<u8>, modified: SystemTime) -> File {
        let etag = format!("\"{:016x}\"", crate::render::content_hash(&bytes));
        File {
            bytes,
            etag,
            modified,
        }
    }
}

/// What the server serves, swapped whole by each build.
#[derive(Debug, Default)]
pub struct Served {
    pub files: HashMap<String, Arc<File>>,
    /// The last build's errors, each drawn for people: shown over every page until a build
    /// succeeds.
    pub errors: Option<Arc<ErrorReport>>,
    /// Counts builds, good and bad.
    pub generation: u64,
}

#[derive(Debug, serde::Serialize)]
pub struct ErrorReport {
    /// The build that failed: a page served with these errors already shows them.
    pub generation: u64,
    pub errors: Vec<ReportedDiagnostic>,
}

#[derive(Debug, serde::Serialize)]
pub struct ReportedDiagnostic {
    pub code: &'static str,
    pub message: String,
    /// `file:line:column`, when the problem has a place.
    pub location: Option<String>,
    /// The diagnostic as the terminal shows it, snippet included, without colour.
    pub text: String,
}

impl ErrorReport {
    fn new(diagnostics: &[Diagnostic], generation: u64) -> ErrorReport {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .map(|d| {
                let json = crate::diagnostics::to_json(d);
                let location = match (json["file"].as_str(), json["line"].as_u64()) {
                    (Some(file), Some(line)) => Some(format!(
                        "{file}:{line}:{}",
                        json["column"].as_u64().unwrap_or(1)
                    )),
                    (Some(file), None) => Some(file.to_string()),
                    _ => None,
                };
                ReportedDiagnostic {
                    code: d.code,
                    message: d.message.clone(),
                    location,
                    text: crate::diagnostics::render_human(d, false),
                }
            })
            .collect();
        ErrorReport { generation, errors }
    }
}

/// What pages are told over the event stream.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// Pages changed: reload.
    Reload { changed: Arc<Vec<String>> },
    /// Only stylesheets changed: swap them.
    Css,
    /// The build failed: show these.
    Errors(Arc<ErrorReport>),
}

/// Shared between the rebuild loop and the server.
pub struct State {
    pub served: RwLock<Arc<Served>>,
    pub events: tokio::sync::broadcast::Sender<LiveEvent>,
}

impl State {
    pub fn current(&self) -> Arc<Served> {
        Arc::clone(&self.served.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Runs `gloss serve` until the process is stopped.
pub fn serve(options: ServeOptions, mut reporter: impl Reporter) -> Result<(), ServeError> {
    // Absolute, so that the watcher's paths and the loader's compare equal.
    let mut options = options;
    options.root = std::path::absolute(&options.root).map_err(ServeError::Runtime)?;
    let addr = SocketAddr::new(options.bind, options.port);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;
    let host = match local.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", local.port());

    let (events, _) = tokio::sync::broadcast::channel(64);
    let state = Arc::new(State {
        served: RwLock::new(Arc::new(Served::default())),
        events,
    });
    let mut session = Session::new(SessionOptions {
        root: options.root.clone(),
        base_url: url.clone(),
        drafts: options.drafts,
    });
    apply(&state, session.rebuild(), &mut reporter);
    let indexer = start_indexer(Arc::clone(&state));
    if let Some(snapshot) = session.searchable() {
        let _ = indexer.send((state.current().generation, snapshot));
    }
    // The socket is bound, so connections wait in its backlog until the server accepts them.
    reporter.listening(&url);

    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let mut watcher = Watch::start(&options.root, tx)?;
    {
        let state = Arc::clone(&state);
        std::thread::Builder::new()
            .name("gloss-rebuild".into())
            .spawn(move || {
                rebuild_loop(
                    &rx,
                    &mut watcher,
                    &mut session,
                    &state,
                    &mut reporter,
                    &indexer,
                )
            })
            .map_err(ServeError::Runtime)?;
    }
    if options.open {
        open_browser(&url);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(ServeError::Runtime)?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?;
        axum::serve(listener, http::router(state))
            .await
            .map_err(ServeError::Runtime)
    })
}

/// Folders whose files the site is made of; `site.toml` is watched through the root.
const SOURCES: &[&str] = &["content", "templates", "themes", "static"];

/// Watches the site's sources. Editors that save by writing a new file and renaming it over the
/// old one (vim, many IDEs) show up as create and rename events in the folder, which are
/// watched, not the files.
struct Watch {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    /// The source folders being watched; one made later (a first template) joins them.
    watched: Vec<&'static str>,
}

impl Watch {
    fn start(root: &Path, tx: std::sync::mpsc::Sender<PathBuf>) -> Result<Watch, notify::Error> {
        use notify::{RecursiveMode, Watcher};
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event {
                    if matches!(event.kind, notify::EventKind::Access(_)) {
                        return;
                    }
                    for path in event.paths {
                        let _ = tx.send(path);
                    }
                }
            })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut watch = Watch {
            watcher,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        watch.add_new_folders();
        Ok(watch)
    }

    /// Starts watching source folders that exist now but did not before. True if any did.
    fn add_new_folders(&mut self) -> bool {
        use notify::{RecursiveMode, Watcher};
        let mut added = false;
        for dir in SOURCES {
            let path = self.root.join(dir);
            if !self.watched.contains(dir)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(dir);
                added = true;
            }
        }
        added
    }
}

/// Whether a changed path can change the site.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.iter().map(|p| p.to_string_lossy());
    match parts.next().as_deref() {
        Some("site.toml") => true,
        Some(dir) if SOURCES.contains(&dir) => !rel.iter().any(|p| {
            let p = p.to_string_lossy();
            p.starts_with('.') || p.ends_with('~') || p.ends_with(".swp")
        }),
        _ => false,
    }
}

/// How long the sources must be quiet before a rebuild: an editor's save is several events.
const SETTLE: Duration = Duration::from_millis(15);

fn rebuild_loop(
    rx: &std::sync::mpsc::Receiver<PathBuf>,
    watch: &mut Watch,
    session: &mut Session,
    state: &State,
    reporter: &mut impl Reporter,
    indexer: &std::sync::mpsc::Sender<(u64, Snapshot)>,
) {
    let root = session.root().to_path_buf();
    while let Ok(first) = rx.recv() {
        let mut paths = vec![first];
        while let Ok(path) = rx.recv_timeout(SETTLE) {
            paths.push(path);
        }
        paths.retain(|p| relevant(&root, p));
        // Files written into a new folder before it was watched are found by the rebuild.
        let new_folder = watch.add_new_folders();
        if !paths.is_empty() || new_folder {
            session.touched(paths.iter().map(PathBuf::as_path));
            let result = session.rebuild();
            let good = result.is_ok();
            apply(state, result, reporter);
            if good && let Some(snapshot) = session.searchable() {
                let _ = indexer.send((state.current().generation, snapshot));
            }
        }
    }
}

/// Swaps a build's files in and tells pages.
fn apply(state: &State, result: Result<Outcome, Vec<Diagnostic>>, reporter: &mut impl Reporter) {
    let current = state.current();
    match result {
        Ok(mut outcome) => {
            let now = SystemTime::now();
            let mut files = current.files.clone();
            let mut changed = Vec::new();
            if outcome.selection.all {
                let now: std::collections::HashSet<&str> =
                    outcome.files.iter().map(|f| f.path.as_str()).collect();
                files.retain(|path, _| now.contains(path.as_str()));
            }
            for path in &outcome.removed {
                if files.remove(path).is_some() {
                    changed.push(path.clone());
                }
            }
            for file in std::mem::take(&mut outcome.files) {
                let file_now = File::new(file.bytes, now);
                if files
                    .get(&file.path)
                    .is_some_and(|f| f.etag == file_now.etag)
                {
                    continue;
                }
                changed.push(file.path.clone());
                files.insert(file.path, Arc::new(file_now));
            }
            let had_errors = current.errors.is_some();
            let total = files.len();
            *state.served.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Served {
                files,
                errors: None,
                generation: current.generation + 1,
            });
            reporter.built(&outcome, total);
            if outcome.css_only && !had_errors {
                let _ = state.events.send(LiveEvent::Css);
            } else if !changed.is_empty() || had_errors {
                let _ = state.events.send(LiveEvent::Reload {
                    changed: Arc::new(changed),
                });
            }
        }
        Err(diagnostics) => {
            let report = Arc::new(ErrorReport::new(&diagnostics, current.generation + 1));
            *state.served.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Served {
                files: current.files.clone(),
                errors: Some(Arc::clone(&report)),
                generation: current.generation + 1,
            });
            reporter.failed(&diagnostics);
            let _ = state.events.send(LiveEvent::Errors(report));
        }
    }
}

/// Builds the search index on its own thread after good builds, so that page reloads never wait
/// for it; when several builds queue up, only the newest is indexed. Pagefind cannot update an
/// index in place, so each run makes the whole index, but from the pages being served, and
/// parses again only those whose bytes changed since the last run (`search::Known`).
fn start_indexer(state: Arc<State>) -> std::sync::mpsc::Sender<(u64, Snapshot)> {
    let (tx, rx) = std::sync::mpsc::channel::<(u64, Snapshot)>();
    let _ = std::thread::Builder::new()
        .name("gloss-search".into())
        .spawn(move || {
            // Per language folder ("" for the default language).
            let mut known: HashMap<String, crate::render::search::Known> = HashMap::new();
            while let Ok(mut snapshot) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    snapshot = newer;
                }
                let (generation, (sites, theme)) = &snapshot;
                let current = state.current();
                if current.generation != *generation {
                    // The files served are another build's: the snapshot of the next good
                    // build follows, and a failed build keeps its index as it is.
                    continue;
                }
                known.retain(|prefix, _| sites.iter().any(|(s, _)| s.config.prefix == *prefix));
                // One index per language, in its folder (`fr/pagefind/`).
                let made: Result<Vec<Vec<crate::render::OutputFile>>, _> = sites
                    .iter()
                    .map(|(site, images)| {
                        let prefix = &site.config.prefix;
                        let rendered = |path: &str| {
                            current
                                .files
                                .get(&[prefix.as_str(), path].concat())
                                .map(|f| f.bytes.as_slice())
                        };
                        let known = known.entry(prefix.clone()).or_default();
                        crate::render::search_index(site, theme, images, &rendered, known).map(
                            |files| {
                                files
                                    .into_iter()
                                    .map(|mut f| {
                                        f.path.insert_str(0, prefix);
                                        f
                                    })
                                    .collect()
                            },
                        )
                    })
                    .collect();
                let Ok(made) = made else {
                    continue; // the build itself reports template problems
                };
                let files = made.into_iter().flatten();
                let bundles: Vec<String> = sites
                    .iter()
                    .map(|(site, _)| format!("{}pagefind/", site.config.prefix))
                    .collect();
                let mut served = current.files.clone();
                served.retain(|path, _| !bundles.iter().any(|b| path.starts_with(b.as_str())));
                let now = SystemTime::now();
                for file in files {
                    served.insert(file.path, Arc::new(File::new(file.bytes, now)));
                }
                let mut slot = state.served.write().unwrap_or_else(|e| e.into_inner());
                // Only if no build swapped files in meanwhile; the next index run follows it.
                if slot.generation == current.generation {
                    *slot = Arc::new(Served {
                        files: served,
                        errors: current.errors.clone(),
                        generation: current.generation,
                    });
                }
            }
        });
    tx
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser ({opener}); open {url} yourself");
    }
}
