//! `gloss serve`: incremental rebuilds (which pages an edit re-renders), and the real server over
//! HTTP: pages, reload events, the error overlay, HEAD, validators, traversal, and load.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gloss::serve::{Session, SessionOptions};

use crate::site_test::SiteTest;

fn article(t: &SiteTest, slug: &str, tags: &str, body: &str) {
    t.article(
        slug,
        &format!(
            "title: {slug}\ndate: 2025-11-2{}\ntags: [{tags}]\n",
            slug.len() % 9
        ),
        body,
    );
}

/// Three articles: `a` and `b` mention Putin, `c` mentions only NATO.
fn three_articles() -> SiteTest {
    let t = SiteTest::with_registries();
    article(&t, "a", "Ukraine", "Putin spoke with Witkoff.\n");
    article(&t, "b", "Ukraine", "Putin met Witkoff in Moscow.\n");
    article(&t, "c", "Europe", "NATO met on Tuesday, about a truce.\n");
    t.file("content/pages/about.md", "---\ntitle: About\n---\nHello.\n");
    for i in 0..20 {
        article(&t, &format!("filler-{i}"), "Weather", "Moscow is cold.\n");
    }
    t
}

fn session(t: &SiteTest) -> Session {
    Session::new(SessionOptions {
        root: t.root().to_path_buf(),
        base_url: "http://127.0.0.1:1111/".into(),
        drafts: false,
    })
}

fn paths(outcome: &gloss::serve::Outcome) -> BTreeSet<String> {
    outcome.files.iter().map(|f| f.path.clone()).collect()
}

#[test]
fn an_article_edit_rerenders_that_article_and_what_lists_it_only() {
    let t = three_articles();
    let mut s = session(&t);
    let first = s.rebuild().unwrap();
    assert!(first.selection.all);
    let all_pages = first.pages;
    assert!(all_pages > 15, "{all_pages} pages");

    // Nothing changed: nothing rendered.
    let idle = s.rebuild().unwrap();
    assert!(idle.selection.is_empty(), "{:?}", idle.selection);
    assert_eq!((idle.pages, idle.files.len()), (0, 0));

    // Edit the body of `c` (NATO, Europe): its page, NATO's page (which quotes it) and the
    // feeds that carry its text; lists of titles stay; not `a`, `b` or Putin's page.
    let body = "NATO met on Tuesday, about a truce. Then it met again.\n";
    article(&t, "c", "Europe", body);
    s.touched([t.root().join("content/articles/c.md").as_path()]);
    let edit = s.rebuild().unwrap();
    assert!(!edit.selection.all);
    let expected = [
        "articles/c/index.html",
        "entities/nato/index.html",
        "tags/europe/atom.xml",
        "atom.xml",
    ];
    assert_eq!(paths(&edit), BTreeSet::from(expected.map(String::from)));
    assert_eq!(edit.pages, 2);

    // A new title: the pages that list it too, still not the others.
    t.article(
        "c",
        "title: NATO meets\ndate: 2025-11-21\ntags: [Europe]",
        body,
    );
    s.touched([t.root().join("content/articles/c.md").as_path()]);
    let edit = s.rebuild().unwrap();
    let got = paths(&edit);
    for expected in [
        "articles/c/index.html",
        "entities/nato/index.html",
        "tags/europe/index.html",
        "index.html",
        "glossary/index.html",
        "timeline/index.html",
        "sitemap.xml",
    ] {
        assert!(
            got.contains(expected),
            "{expected} not re-rendered: {got:?}"
        );
    }
    for untouched in [
        "articles/a/index.html",
        "articles/b/index.html",
        "entities/vladimir-putin/index.html",
        "tags/ukraine/index.html",
        "about/index.html",
        "404.html",
    ] {
        assert!(!got.contains(untouched), "{untouched} re-rendered");
    }
    assert!(
        edit.pages * 3 < all_pages,
        "{} of {all_pages} pages re-rendered",
        edit.pages
    );

    // A new mention moves the article onto another entity's page, and off it again.
    article(&t, "c", "Europe", "NATO met Putin.\n");
    s.touched([t.root().join("content/articles/c.md").as_path()]);
    let got = paths(&s.rebuild().unwrap());
    assert!(got.contains("entities/vladimir-putin/index.html"));
    assert!(!got.contains("articles/a/index.html"));
    article(&t, "c", "Europe", "NATO met.\n");
    s.touched([t.root().join("content/articles/c.md").as_path()]);
    assert!(paths(&s.rebuild().unwrap()).contains("entities/vladimir-putin/index.html"));
}

#[test]
fn removing_an_article_or_a_tag_removes_their_pages() {
    let t = three_articles();
    let mut s = session(&t);
    s.rebuild().unwrap();
    std::fs::remove_file(t.root().join("content/articles/c.md")).unwrap();
    let outcome = s.rebuild().unwrap();
    let removed: BTreeSet<&str> = outcome.removed.iter().map(String::as_str).collect();
    assert_eq!(
        removed,
        BTreeSet::from([
            "articles/c/index.html",
            "tags/europe/index.html",
            "tags/europe/atom.xml"
        ])
    );
    assert!(paths(&outcome).contains("entities/nato/index.html"));
}

#[test]
fn registry_and_template_edits_rebuild_everything_and_css_swaps_alone() {
    let t = three_articles();
    let mut s = session(&t);
    s.rebuild().unwrap();

    t.file(
        "content/entities.yaml",
        format!(
            "{}kyiv:\n  name: Kyiv\n  kind: place\n",
            crate::site_test::ENTITIES
        ),
    );
    let outcome = s.rebuild().unwrap();
    assert!(outcome.selection.all, "a new name can link in any article");
    assert!(paths(&outcome).contains("entities/kyiv/index.html"));

    t.file("static/style.css", "body { color: red }\n");
    let outcome = s.rebuild().unwrap();
    assert!(outcome.css_only);
    assert_eq!(outcome.pages, 0);
    assert!(paths(&outcome).iter().all(|p| p.starts_with("static/")));
    assert!(paths(&outcome).contains("static/style.css"));

    t.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{% endblock content %}",
    );
    assert!(s.rebuild().unwrap().selection.all);
}

#[test]
fn a_failed_rebuild_reports_and_the_next_good_one_carries_on() {
    let t = three_articles();
    let mut s = session(&t);
    s.rebuild().unwrap();
    t.article("a", "title: [broken\ndate: 2025-11-25", "Putin.\n");
    s.touched([t.root().join("content/articles/a.md").as_path()]);
    let errors = s.rebuild().unwrap_err();
    assert!(
        errors.iter().any(|d| d.to_string().contains("a.md")
            || d.location
                .as_ref()
                .is_some_and(|l| l.file.path.ends_with("a.md"))),
        "{errors:?}"
    );
    article(&t, "a", "Ukraine", "Putin spoke again.\n");
    s.touched([t.root().join("content/articles/a.md").as_path()]);
    let outcome = s.rebuild().unwrap();
    assert!(paths(&outcome).contains("articles/a/index.html"));
    assert!(!paths(&outcome).contains("articles/b/index.html"));
}

#[test]
fn links_into_an_edited_article_are_checked_again() {
    let t = three_articles();
    article(
        &t,
        "a",
        "Ukraine",
        "Putin spoke with Witkoff.\n\nThen he left.\n",
    );
    article(&t, "d", "Talks", "See [what followed](/articles/a/#p-2).\n");
    article(&t, "e", "Talks", "An [old page](http://example.org/).\n");
    let mut s = session(&t);
    let insecure = |o: &gloss::serve::Outcome| {
        o.warnings
            .iter()
            .filter(|d| d.code == "gloss::insecure-link")
            .count()
    };
    let first = s.rebuild().unwrap();
    assert_eq!(insecure(&first), 1);
    let touch = |s: &mut Session, slug: &str| {
        s.touched([t
            .root()
            .join(format!("content/articles/{slug}.md"))
            .as_path()]);
    };

    // An unrelated edit: the warning of an article not checked again is still reported.
    article(&t, "c", "Europe", "NATO met on Wednesday.\n");
    touch(&mut s, "c");
    assert_eq!(insecure(&s.rebuild().unwrap()), 1);

    // `a` loses the paragraph `d` links to: `d` did not change, yet its link is now broken.
    article(&t, "a", "Ukraine", "Putin spoke with Witkoff.\n");
    touch(&mut s, "a");
    let errors = s.rebuild().unwrap_err();
    let broken: Vec<_> = errors
        .iter()
        .filter(|d| d.code == "gloss::broken-link")
        .collect();
    assert_eq!(broken.len(), 1, "{errors:?}");
    let at = broken[0].location.as_ref().unwrap();
    assert!(at.file.path.ends_with("d.md"), "{at:?}");
    assert!(broken[0].message.contains("#p-2"), "{}", broken[0].message);

    // Back again: good, and the same for an edit that breaks the link from its own side.
    article(
        &t,
        "a",
        "Ukraine",
        "Putin spoke with Witkoff.\n\nThen he left.\n",
    );
    touch(&mut s, "a");
    assert_eq!(insecure(&s.rebuild().unwrap()), 1);
    article(&t, "d", "Talks", "See [what followed](/articles/a/#p-3).\n");
    touch(&mut s, "d");
    let errors = s.rebuild().unwrap_err();
    assert!(
        errors.iter().any(|d| d.code == "gloss::broken-link"),
        "{errors:?}"
    );
}

/// Applies a rebuild to the files served, as the server does.
fn apply(served: &mut std::collections::BTreeMap<String, Vec<u8>>, outcome: gloss::serve::Outcome) {
    if outcome.selection.all {
        served.clear();
    }
    for path in outcome.removed {
        served.remove(&path);
    }
    for file in outcome.files {
        served.insert(file.path, file.bytes);
    }
}

#[test]
fn incremental_rebuilds_serve_what_a_full_build_would() {
    incremental_matches_full(&three_articles());
}

/// The same edits on topic pages of three articles each: edits move articles between pages,
/// add a page and remove one.
#[test]
fn incremental_rebuilds_match_full_builds_across_pages() {
    let t = three_articles();
    t.file(
        "site.toml",
        format!("{}paginate_by = 3\n", crate::site_test::SITE_TOML),
    );
    incremental_matches_full(&t);
}

#[test]
fn incremental_rebuilds_match_full_builds_when_lists_are_cut() {
    // A glossary cut by letter, a timeline by year and an entity index by pages: letter, year
    // and index pages come and go as edits add and remove what they list.
    let t = three_articles();
    t.file(
        "site.toml",
        format!(
            "{}[paginate_by_kind]\nglossary = 1\ntimeline = 1\nentity_index = 2\n",
            crate::site_test::SITE_TOML
        ),
    );
    incremental_matches_full(&t);
}

fn incremental_matches_full(t: &SiteTest) {
    let mut s = session(t);
    let mut served = std::collections::BTreeMap::new();
    apply(&mut served, s.rebuild().unwrap());
    type Edit = Box<dyn Fn(&SiteTest)>;
    let edits: Vec<Edit> = vec![
        // The body only.
        Box::new(|t| article(t, "a", "Ukraine", "Putin spoke with Witkoff twice.\n")),
        // A new tag, a new mention, a term.
        Box::new(|t| article(t, "b", "Ukraine, Talks", "Putin met NATO about a truce.\n")),
        // A title and a date: lists and feeds change.
        Box::new(|t| {
            t.article("c", "title: Renamed\ndate: 2025-12-01\ntags: [Europe]\ntimeline:\n  - { date: 2025-11-30, text: Talks. }", "NATO met.\n");
        }),
        // Removed, then added back.
        Box::new(|t| std::fs::remove_file(t.root().join("content/articles/a.md")).unwrap()),
        Box::new(|t| article(t, "a", "Weather", "Witkoff in Moscow.\n")),
        Box::new(|t| {
            t.file("content/pages/about.md", "---\ntitle: About us\n---\nHi.\n");
        }),
        // Into a long topic and out again: with three a page, a page is added and removed.
        Box::new(|t| article(t, "b", "Weather", "Putin met NATO about a truce.\n")),
        Box::new(|t| article(t, "b", "Ukraine", "Putin met NATO about a truce.\n")),
    ];
    for (i, edit) in edits.iter().enumerate() {
        edit(t);
        for slug in ["a", "b", "c"] {
            s.touched([t
                .root()
                .join(format!("content/articles/{slug}.md"))
                .as_path()]);
        }
        s.touched([t.root().join("content/pages/about.md").as_path()]);
        apply(&mut served, s.rebuild().unwrap());
        let mut full = std::collections::BTreeMap::new();
        apply(&mut full, session(t).rebuild().unwrap());
        let differ: Vec<&String> = full
            .keys()
            .chain(served.keys())
            .filter(|p| full.get(*p) != served.get(*p))
            .collect();
        assert!(
            differ.is_empty(),
            "edit {i}: served files differ from a full build: {differ:?}"
        );
    }
}

/// `gloss serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(t: &SiteTest) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["serve", "--port", "0", "--color", "never", "--root"])
            .arg(t.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{line:?}");
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (lower-case names) and body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request on `stream` (the raw target, unnormalised) and reads the response.
fn exchange(stream: &mut TcpStream, method: &str, target: &str, extra: &str) -> Response {
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![
        0;
        if method == "HEAD" || status == 304 {
            0
        } else {
            length
        }
    ];
    reader.read_exact(&mut body).unwrap();
    Response {
        status,
        headers,
        body,
    }
}

fn get(addr: &str, target: &str) -> Response {
    request(addr, "GET", target, "")
}

fn request(addr: &str, method: &str, target: &str, extra: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    exchange(&mut stream, method, target, extra)
}

/// The event stream, as (event, data) pairs on a channel.
fn events(addr: &str) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /__gloss/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        let mut event = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { return };
            // Chunked framing lines and blank lines are skipped; SSE fields are kept.
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && tx.send((event.clone(), data.to_string())).is_err()
            {
                return;
            }
        }
    });
    rx
}

fn next_event(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((event, data)) if event == name => return data,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no `{name}` event within 15 s");
}

#[test]
fn serves_reloads_and_shows_errors_over_http() {
    let t = three_articles();
    let server = Server::start(&t);
    let addr = &server.addr;

    let page = get(addr, "/articles/a/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text().contains("spoke with"));
    // The reload script is added while serving, never to built files.
    assert!(page.text().contains("/__gloss/live.js"));
    t.build();
    assert!(!t.read("articles/a/index.html").contains("__gloss"));

    let stream = events(addr);
    assert_eq!(next_event(&stream, "hello"), "1");

    // Edit: the page changes and a reload event names it.
    article(&t, "a", "Ukraine", "Putin spoke at length with Witkoff.\n");
    let reload = next_event(&stream, "reload");
    assert!(reload.contains("articles/a/index.html"), "{reload}");
    assert!(!reload.contains("articles/b/index.html"), "{reload}");
    assert!(get(addr, "/articles/a/").text().contains("spoke at length"));

    // Break the YAML: the error is pushed and shown over the last good page.
    t.article("a", "title: [broken\ndate: 2025-11-25", "Putin.\n");
    let errors = next_event(&stream, "errors");
    assert!(errors.contains("content/articles/a.md:"), "{errors}");
    let page = get(addr, "/articles/a/").text();
    assert!(
        page.contains("spoke at length"),
        "the last good page stays served"
    );
    let at = page
        .find("gloss-error-location\">")
        .expect("the overlay names the place");
    let place: String = page[at + 22..].chars().take_while(|c| *c != '<').collect();
    let parts: Vec<&str> = place.split(':').collect();
    assert_eq!(parts[0], "content/articles/a.md", "{place}");
    assert!(
        parts.len() == 3 && parts[1..].iter().all(|n| n.parse::<u32>().is_ok()),
        "file:line:column, got {place}"
    );

    // Fix it: the overlay goes, the page is back.
    article(&t, "a", "Ukraine", "Putin spoke again.\n");
    next_event(&stream, "reload");
    let page = get(addr, "/articles/a/").text();
    assert!(page.contains("spoke again") && !page.contains("gloss-errors"));
}

/// The number of records in the served search index, once there is one.
fn indexed(addr: &str, at_least: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = get(addr, "/pagefind/pagefind-entry.json");
        if r.status == 200 {
            let entry: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            let n = entry["languages"]["en"]["page_count"].as_u64().unwrap_or(0);
            if n >= at_least {
                return n;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no search index with {at_least} records"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_search_index_follows_edits_in_the_background() {
    let t = three_articles();
    let server = Server::start(&t);
    let before = indexed(&server.addr, 1);
    article(&t, "d", "Ukraine", "A new explainer about Moscow.\n");
    assert_eq!(indexed(&server.addr, before + 1), before + 1);
}

/// The background index after an edit: only the pages whose bytes changed are parsed again,
/// and the index is the one a first run on the edited site makes, byte for byte.
#[test]
fn the_background_index_parses_again_only_what_changed() {
    use std::collections::HashMap;
    let t = three_articles();
    let mut s = session(&t);
    let mut served: HashMap<String, Vec<u8>> = HashMap::new();
    let apply = |outcome: gloss::serve::Outcome, served: &mut HashMap<String, Vec<u8>>| {
        for f in outcome.files {
            served.insert(f.path, f.bytes);
        }
        for path in outcome.removed {
            served.remove(&path);
        }
    };
    apply(s.rebuild().unwrap(), &mut served);
    let mut known = gloss::render::search::Known::default();
    let index = |s: &Session, served: &HashMap<String, Vec<u8>>, known: &mut _| {
        let (sites, theme) = s.searchable().unwrap();
        let rendered = |path: &str| served.get(path).map(Vec::as_slice);
        let mut files =
            gloss::render::search_index(&sites[0].0, &theme, &sites[0].1, &rendered, known)
                .unwrap();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect::<Vec<_>>()
    };
    index(&s, &served, &mut known);
    let pages = known.len();
    assert!(pages > 3, "{pages}");
    assert_eq!(known.parsed(), pages);

    article(
        &t,
        "b",
        "Ukraine",
        "Putin met Witkoff in Moscow, and spoke of a ceasefire.\n",
    );
    s.touched([t.root().join("content/articles/b.md").as_path()]);
    apply(s.rebuild().unwrap(), &mut served);
    let again = index(&s, &served, &mut known);
    // Article b and the pages of the entities it names (their mention lists) changed.
    assert!(
        known.parsed() >= 1 && known.parsed() < pages,
        "{}",
        known.parsed()
    );
    assert_eq!(known.len(), pages);

    let fresh = index(&s, &HashMap::new(), &mut Default::default());
    assert_eq!(again, fresh);
    let search = |files: &[(String, Vec<u8>)]| {
        files
            .iter()
            .filter(|(p, _)| p.contains("/fragment/"))
            .count()
    };
    let terms = s.searchable().unwrap().0[0].0.terms.len();
    assert_eq!(
        search(&again),
        pages + terms,
        "a fragment per page and per term"
    );
}

#[test]
fn behaves_like_a_static_host() {
    let t = three_articles();
    let server = Server::start(&t);
    let addr = &server.addr;

    let css = get(addr, "/static/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        get(addr, "/atom.xml").header("content-type"),
        Some("application/atom+xml")
    );
    // Directory index, and a redirect to add the slash.
    assert_eq!(get(addr, "/").status, 200);
    let redirect = get(addr, "/articles/a?x=1");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/articles/a/?x=1"));
    // The site's 404 page, with its status.
    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
    // HEAD: the headers of GET, no body.
    let head = request(addr, "HEAD", "/articles/a/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length").unwrap(),
        get(addr, "/articles/a/").body.len().to_string()
    );
    // Validators.
    let etag = css.header("etag").unwrap().to_string();
    let again = request(
        addr,
        "GET",
        "/static/style.css",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let modified = css.header("last-modified").unwrap().to_string();
    let since = request(
        addr,
        "GET",
        "/static/style.css",
        &format!("If-Modified-Since: {modified}\r\n"),
    );
    assert_eq!(since.status, 304);
    let stale = request(
        addr,
        "GET",
        "/static/style.css",
        "If-None-Match: \"other\"\r\n",
    );
    assert_eq!(stale.status, 200);
    // Only GET and HEAD.
    assert_eq!(
        request(addr, "POST", "/", "Content-Length: 0\r\n").status,
        405
    );

    // Traversal, plain and encoded, with slashes and backslashes: all refused.
    for target in [
        "/../site.toml",
        "/articles/../../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/static/%2e%2e/%2e%2e/site.toml",
        "/..%5csite.toml",
        "/static\\..\\..\\site.toml",
        "/%00",
        "/%c0%ae%c0%ae/site.toml",
    ] {
        let r = get(addr, target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.text().contains("base_url"), "{target} leaked site.toml");
    }
}

#[test]
fn ten_thousand_requests_from_64_connections_without_an_error() {
    let t = three_articles();
    let server = Server::start(&t);
    let targets = [
        "/",
        "/articles/a/",
        "/entities/vladimir-putin/",
        "/static/style.css",
        "/atom.xml",
        "/glossary/",
    ];
    let started = Instant::now();
    let handles: Vec<_> = (0..64)
        .map(|i| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&addr).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                let mut bad = 0;
                // 10,000 requests in all, kept alive on each connection.
                let n = 10_000 / 64 + usize::from(i < 10_000 % 64);
                for k in 0..n {
                    let r = exchange(&mut stream, "GET", targets[k % targets.len()], "");
                    if r.status != 200 || r.body.is_empty() {
                        bad += 1;
                    }
                }
                (n, bad)
            })
        })
        .collect();
    let (mut total, mut bad) = (0, 0);
    for h in handles {
        let (n, b) = h.join().unwrap();
        total += n;
        bad += b;
    }
    assert_eq!(total, 10_000);
    assert_eq!(bad, 0, "{bad} failed requests");
    eprintln!("10,000 requests in {:?}", started.elapsed());
}

/// A small JPEG of one colour.
fn jpeg(w: u32, h: u32, shade: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(w, h, image::Rgb([shade, 60, 60]))
        .write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    out
}

#[test]
fn an_image_edit_relinks_its_pages_and_a_missing_image_is_reported_then_settled() {
    let t = three_articles();
    t.file(
        "content/articles/a.md",
        "---\ntitle: a\ndate: 2025-11-21\ntags: [Ukraine]\nimage: { src: /images/a.jpg, alt: \"A\" }\n---\nPutin spoke with Witkoff.\n",
    );
    t.file("content/images/a.jpg", jpeg(600, 400, 200));
    let mut s = session(&t);
    let first = s.rebuild().unwrap();
    let page = |o: &gloss::serve::Outcome| {
        o.files
            .iter()
            .find(|f| f.path == "articles/a/index.html")
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
    };
    let before = page(&first).unwrap();
    let served_image = |o: &gloss::serve::Outcome| {
        o.files
            .iter()
            .filter(|f| f.path.starts_with("img/") && f.path.ends_with("-480.webp"))
            .count()
    };
    assert_eq!(served_image(&first), 1, "the image is served from memory");

    // Nothing changed: nothing rendered, nothing decoded.
    assert!(s.rebuild().unwrap().files.is_empty());

    // The picture is replaced: the article links the new files.
    t.file("content/images/a.jpg", jpeg(640, 400, 30));
    s.touched([t.root().join("content/images/a.jpg").as_path()]);
    let changed = s.rebuild().unwrap();
    let after = page(&changed).expect("the article is rendered again");
    assert_ne!(before, after);
    assert!(after.contains("width=\"640\""), "the new picture's size");

    // Removed: an error at the reference; put back: the build carries on.
    std::fs::remove_file(t.root().join("content/images/a.jpg")).unwrap();
    s.touched([t.root().join("content/images/a.jpg").as_path()]);
    let errors = s.rebuild().unwrap_err();
    assert!(
        errors.iter().any(|d| d.code == "gloss::image-missing"),
        "{errors:?}"
    );
    t.file("content/images/a.jpg", jpeg(600, 400, 200));
    s.touched([t.root().join("content/images/a.jpg").as_path()]);
    let settled = s.rebuild().unwrap();
    assert_eq!(
        page(&settled).unwrap(),
        before,
        "the same picture, the same page"
    );
}

#[test]
fn a_site_in_several_languages_is_served_whole_and_drops_a_removed_translation() {
    let t = SiteTest::with_registries();
    t.file(
        "site.toml",
        format!("{}\n[languages.fr]\n", crate::site_test::SITE_TOML),
    );
    article(&t, "a", "Ukraine", "Putin spoke with Witkoff.\n");
    t.file(
        "content/articles/a.fr.md",
        "---\ntitle: a en français\ndate: 2025-11-21\n---\nPoutine a parlé.\n",
    );
    let mut s = session(&t);
    let first = s.rebuild().unwrap();
    let made = paths(&first);
    assert!(made.contains("fr/articles/a/index.html"), "{made:?}");
    let english = first
        .files
        .iter()
        .find(|f| f.path == "articles/a/index.html")
        .unwrap();
    let html = String::from_utf8_lossy(&english.bytes);
    assert!(
        html.contains("hreflang=\"fr\" href=\"http://127.0.0.1:1111/fr/articles/a/\""),
        "{html}"
    );
    // The background search index covers every language, each in its own folder.
    let (sites, theme) = s.searchable().unwrap();
    let prefixes: Vec<&str> = sites
        .iter()
        .map(|(s, _)| s.config.prefix.as_str())
        .collect();
    assert_eq!(prefixes, ["", "fr/"]);
    let fr = gloss::render::search_index(
        &sites[1].0,
        &theme,
        &sites[1].1,
        &|_| None,
        &mut Default::default(),
    )
    .unwrap();
    assert!(fr.iter().any(|f| f.path == "pagefind/pagefind-entry.json"
        && String::from_utf8_lossy(&f.bytes).contains("\"fr\"")));
    std::fs::remove_file(t.root().join("content/articles/a.fr.md")).unwrap();
    s.touched([t.root().join("content/articles/a.fr.md").as_path()]);
    let second = s.rebuild().unwrap();
    assert!(
        second
            .removed
            .contains(&"fr/articles/a/index.html".to_string())
    );
    let english = second
        .files
        .iter()
        .find(|f| f.path == "articles/a/index.html")
        .unwrap();
    assert!(!String::from_utf8_lossy(&english.bytes).contains("hreflang"));
    // The site back to one language: the French folder goes.
    t.file("site.toml", crate::site_test::SITE_TOML);
    s.touched([t.root().join("site.toml").as_path()]);
    let third = s.rebuild().unwrap();
    assert!(third.selection.all);
    assert!(
        third.removed.iter().any(|p| p == "fr/index.html"),
        "{:?}",
        third.removed
    );
    assert!(third.files.iter().all(|f| !f.path.starts_with("fr/")));
}
