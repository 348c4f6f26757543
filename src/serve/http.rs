//! The preview server's HTTP side: the built files from memory, as a static host would serve
//! them (content types, directory index, 404 page, HEAD, ETag and Last-Modified validators),
//! plus the live-reload script and its event stream, which exist only here: the script is added
//! to HTML responses as they are sent, never to the built files.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::{ErrorReport, File, LiveEvent, Served, State};
use crate::render::escape::escape_html;

const LIVE_JS: &str = include_str!("live.js");
const EVENTS: &str = "/__gloss/events";

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route("/__gloss/live.js", get(live_js))
        .fallback(file)
        .with_state(state)
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// The event stream a page listens to: `hello` with the build generation first (a page built
/// before a rebuild it missed reloads at once), then `reload`, `css` and `errors` as builds
/// happen.
async fn events(
    Extract(state): Extract<Arc<State>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.events.subscribe();
    let served = state.current();
    let mut first = vec![Ok(Event::default()
        .event("hello")
        .data(served.generation.to_string()))];
    if let Some(report) = &served.errors {
        first.push(Ok(errors_event(report)));
    }
    let later = stream::unfold(rx, move |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(event) => return Some((Ok(to_event(&event)), rx)),
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream::iter(first).chain(later)).keep_alive(KeepAlive::default())
}

fn to_event(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload { changed } => Event::default()
            .event("reload")
            .data(serde_json::json!({ "changed": **changed }).to_string()),
        LiveEvent::Css => Event::default().event("css").data("{}"),
        LiveEvent::Errors(report) => errors_event(report),
    }
}

fn errors_event(report: &ErrorReport) -> Event {
    Event::default()
        .event("errors")
        .data(serde_json::to_string(report).unwrap_or_else(|_| "{}".into()))
}

/// A file of the site, the way a static host serves it.
async fn file(
    Extract(state): Extract<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    let Some(path) = safe_path(uri.path()) else {
        return (
            StatusCode::BAD_REQUEST,
            "refused: the path tries to leave the site\n",
        )
            .into_response();
    };
    let served = state.current();
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(file) = served.files.get(&key) {
        return respond(&served, &key, file, StatusCode::OK, &method, &headers);
    }
    if served.files.contains_key(&format!("{path}/index.html")) {
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        return (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, format!("/{path}/{query}"))],
        )
            .into_response();
    }
    match served.files.get("404.html") {
        Some(page) => respond(
            &served,
            "404.html",
            page,
            StatusCode::NOT_FOUND,
            &method,
            &headers,
        ),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn respond(
    served: &Served,
    path: &str,
    file: &File,
    status: StatusCode,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let html = path.ends_with(".html");
    // An HTML page carries the error overlay while a build is failing: a page of its own.
    let etag = match (&served.errors, html) {
        (Some(_), true) => format!(
            "{}-e{}\"",
            file.etag.trim_end_matches('"'),
            served.generation
        ),
        _ => file.etag.clone(),
    };
    let modified = jiff::Timestamp::try_from(file.modified)
        .ok()
        .and_then(|t| {
            jiff::fmt::rfc2822::DateTimePrinter::new()
                .timestamp_to_rfc9110_string(&t)
                .ok()
        })
        .unwrap_or_default();
    let mut response_headers = HeaderMap::new();
    response_headers.insert(header::CONTENT_TYPE, content_type(path));
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&modified) {
        response_headers.insert(header::LAST_MODIFIED, v);
    }
    if status == StatusCode::OK && not_modified(headers, &etag, file.modified) {
        return (StatusCode::NOT_MODIFIED, response_headers).into_response();
    }
    let body = if html {
        with_live_reload(&file.bytes, served)
    } else {
        file.bytes.clone()
    };
    if let Ok(v) = HeaderValue::from_str(&body.len().to_string()) {
        response_headers.insert(header::CONTENT_LENGTH, v);
    }
    if method == Method::HEAD {
        return (status, response_headers).into_response();
    }
    (status, response_headers, body).into_response()
}

/// `If-None-Match` wins over `If-Modified-Since`, as RFC 9110 says.
fn not_modified(headers: &HeaderMap, etag: &str, modified: std::time::SystemTime) -> bool {
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag);
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| jiff::fmt::rfc2822::parse(v).ok())
        .map(|z| z.timestamp());
    let modified = jiff::Timestamp::try_from(modified)
        .ok()
        .map(|t| t.as_second());
    matches!((since, modified), (Some(since), Some(m)) if m <= since.as_second())
}

/// The page with the live-reload script, and the error overlay while a build is failing,
/// before `</body>`.
fn with_live_reload(bytes: &[u8], served: &Served) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(report) = &served.errors {
        extra.push_str(&overlay(report));
    }
    extra.push_str(&format!(
        "<script src=\"/__gloss/live.js\" data-generation=\"{}\"></script>\n",
        served.generation
    ));
    let at = bytes
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(bytes.len());
    let mut out = Vec::with_capacity(bytes.len() + extra.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&bytes[at..]);
    out
}

/// The diagnostics of a failed build over the page, in plain markup with inline styles so that
/// any theme shows it alike. Open pages reload to get it when errors arrive on the stream.
fn overlay(report: &ErrorReport) -> String {
    let mut html = String::from(
        "<div id=\"gloss-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgb(20 20 24/.94);color:#f4f4f0;font:14px/1.5 ui-monospace,'DejaVu Sans Mono',monospace;padding:2rem\">\
         <h2 style=\"margin:0 0 .5rem;color:#ff8a80;font-size:1.2rem\">The last build failed</h2>\
         <p style=\"margin:0 0 1rem\">The page below is the last good build. Fix these and save; this page updates by itself.</p><ol style=\"padding-left:1.5rem\">",
    );
    for e in &report.errors {
        html.push_str(&format!(
            "<li style=\"margin-bottom:1rem\"><p style=\"margin:0\"><strong class=\"gloss-error-location\">{}</strong> {}</p><pre style=\"white-space:pre-wrap;margin:.25rem 0 0\">{}</pre></li>",
            escape_html(e.location.as_deref().unwrap_or("")),
            escape_html(&e.message),
            escape_html(&e.text)
        ));
    }
    html.push_str("</ol></div>\n");
    html
}

fn content_type(path: &str) -> HeaderValue {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    HeaderValue::from_static(match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    })
}

/// The site path a request names, percent-decoded: `articles/x/` for `/articles/x/`. `None`
/// for anything that could name a file outside the site: `..` or `.` segments (plain or
/// encoded), backslashes, NUL bytes, or bytes that are not UTF-8. Files are served from memory,
/// so no path reaches the disk at all; refusing such paths outright is for the requester's sake.
pub fn safe_path(raw: &str) -> Option<String> {
    let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/articles/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/a/%2e/b",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/%ff",
            "/%2",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
        assert_eq!(safe_path("/"), Some(String::new()));
        assert_eq!(safe_path("/articles/x/"), Some("articles/x/".into()));
        assert_eq!(safe_path("//articles//x"), Some("articles/x".into()));
        assert_eq!(
            safe_path("/entities/caf%C3%A9/"),
            Some("entities/café/".into())
        );
        // Decoded once: `%252e` is the text `%2e`, a harmless (missing) name.
        assert_eq!(safe_path("/%252e%252e/x"), Some("%2e%2e/x".into()));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let served = Served::default();
        let page = with_live_reload(b"<p>a</p></body></html>", &served);
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<p>a</p><script src=\"/__gloss/live.js\""));
        assert!(page.ends_with("</script>\n</body></html>"));
    }
}
