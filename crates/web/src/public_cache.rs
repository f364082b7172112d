//! The cache of the portal's public pages: rendered answers kept in memory
//! for a while, validators (strong `ETag`, `Last-Modified`) and
//! `Cache-Control: public, max-age=60`, so that a popular article costs one
//! rendering a minute and browsers revalidate with a 304.
//!
//! Use: [`middleware`] with a [`Policy`] as a layer of the portal's
//! public router only (never on `/app`, the API or forms), and
//! `cache.invalidate_all()` after each write that changes what the public
//! sees (a publish):
//!
//! ```ignore
//! let policy = public_cache::Policy {
//!     cache: state.public_cache.clone(),
//!     ttl: Duration::from_mins(1),
//! };
//! portal::router().layer(axum::middleware::from_fn_with_state(policy, public_cache::middleware))
//! ```
//!
//! Invariants — never cached, and passed through untouched:
//! - requests other than GET and HEAD (a HEAD is answered from a cached GET,
//!   but its own answer is never stored: it has no body);
//! - requests carrying a session cookie (staff or portal): the page may
//!   name the person;
//! - answers other than 200, answers with `Set-Cookie` (a CSRF token or a
//!   session must never be shared), answers whose `Cache-Control` the
//!   handler set itself, and answers of unknown or too large a size.
//!
//! The key is the host and the path with its query: cached pages must not
//! vary on any other request header. A rendering that began before an
//! `invalidate_all` is not stored after it (generations), so a publish is
//! never hidden by a page rendered just before it. The cache is per
//! process: with several egov processes behind a balancer, the others may
//! serve a page up to its time to live after a publish.
//!
//! Why no crate: `moka` and the like bring dozens of files of concurrency
//! machinery for a cache of a few thousand pages; a mutex around a map with
//! least-recently-used eviction by scan is enough at that size.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_LENGTH, ETAG, HOST, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    SET_COOKIE,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::session::cookie;

/// What browsers and proxies may do with a cached page.
pub const CACHE_CONTROL_VALUE: &str = "public, max-age=60";

/// A rendered page as stored: its headers (with the validators) and body.
#[derive(Debug)]
struct Page {
    headers: HeaderMap,
    body: Bytes,
    last_modified: SystemTime,
}

#[derive(Debug)]
struct Entry {
    page: Arc<Page>,
    size: usize,
    expires: Instant,
    last_used: u64,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<(String, String), Entry>,
    bytes: usize,
    /// Bumped by `invalidate_all`; a rendering stores only if unchanged.
    generation: u64,
    /// A use counter: the least recently used entry has the smallest.
    tick: u64,
}

/// The cache, shared by every request (`Arc`).
pub struct PublicCache {
    inner: Mutex<Inner>,
    max_bytes: usize,
    max_entries: usize,
}

// Megabytes of pages: show the counts.
impl std::fmt::Debug for PublicCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (entries, bytes) = self.usage();
        f.debug_struct("PublicCache")
            .field("entries", &entries)
            .field("bytes", &bytes)
            .finish_non_exhaustive()
    }
}

impl Default for PublicCache {
    /// 64 MB of pages, at most 4,096 of them.
    fn default() -> Self {
        Self::new(64 * 1024 * 1024, 4096)
    }
}

impl PublicCache {
    pub fn new(max_bytes: usize, max_entries: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            max_bytes,
            max_entries,
        }
    }

    /// Forgets every page: the next request of each renders it again.
    pub fn invalidate_all(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.bytes = 0;
        inner.generation += 1;
    }

    /// Pages held now, and their total size in bytes.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.bytes)
    }

    // A panic while holding the lock leaves the map consistent (every
    // mutation below is complete before any call that could panic).
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn get(&self, key: &(String, String), now: Instant) -> Option<Arc<Page>> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.entries.get_mut(key)?;
        if entry.expires <= now {
            let size = entry.size;
            inner.entries.remove(key);
            inner.bytes -= size;
            return None;
        }
        entry.last_used = tick;
        Some(entry.page.clone())
    }

    fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Stores `page` until `expires` unless that is past, the cache was
    /// invalidated since `generation`, or the page alone exceeds a quarter
    /// of the cache;
    /// evicts expired, then least recently used, pages to stay within the
    /// bounds.
    fn insert(&self, key: (String, String), page: Arc<Page>, expires: Instant, generation: u64) {
        let size = page.body.len() + key.0.len() + key.1.len() + header_size(&page.headers);
        let now = Instant::now();
        if size > self.max_bytes / 4 || expires <= now {
            return;
        }
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        inner.tick += 1;
        let last_used = inner.tick;
        let entry = Entry {
            page,
            size,
            expires,
            last_used,
        };
        if let Some(old) = inner.entries.insert(key, entry) {
            inner.bytes -= old.size;
        }
        inner.bytes += size;
        while inner.bytes > self.max_bytes || inner.entries.len() > self.max_entries {
            let victim = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| (e.expires > now, e.last_used))
                .map(|(k, _)| k.clone());
            let Some(victim) = victim else { break };
            if let Some(old) = inner.entries.remove(&victim) {
                inner.bytes -= old.size;
            }
        }
    }
}

fn header_size(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum()
}

/// The middleware's state: the cache and how long its pages stay.
#[derive(Debug, Clone)]
pub struct Policy {
    pub cache: Arc<PublicCache>,
    pub ttl: Duration,
}

/// The middleware, for the portal's public router only:
/// `router.layer(axum::middleware::from_fn_with_state(policy, public_cache::middleware))`.
pub async fn middleware(
    State(Policy { cache, ttl }): State<Policy>,
    request: Request,
    next: Next,
) -> Response {
    let head = request.method() == Method::HEAD;
    if !(head || request.method() == Method::GET) || has_session(request.headers()) {
        return next.run(request).await;
    }
    let key = key(&request);
    let conditions = Conditions::of(request.headers());
    if let Some(page) = cache.get(&key, Instant::now()) {
        return answer(&page, &conditions, head);
    }
    if head {
        return next.run(request).await;
    }
    let generation = cache.generation();
    let response = next.run(request).await;
    let Some(size) = cacheable(&response, cache.max_bytes / 4) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, size).await else {
        // The handler's body failed midway: what it sent is lost.
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = Arc::new(page(parts.headers, body));
    cache.insert(key, page.clone(), Instant::now() + ttl, generation);
    answer(&page, &conditions, false)
}

/// The host and the path with its query.
fn key(request: &Request) -> (String, String) {
    let host = request
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().host())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    (host, path)
}

fn has_session(headers: &HeaderMap) -> bool {
    [crate::SESSION_COOKIE, crate::PORTAL_SESSION_COOKIE]
        .iter()
        .any(|name| cookie(headers, name).is_some())
}

/// The body's size if the answer may be stored (see the module header).
fn cacheable(response: &Response, max: usize) -> Option<usize> {
    let headers = response.headers();
    if response.status() != StatusCode::OK
        || headers.contains_key(SET_COOKIE)
        || headers.contains_key(CACHE_CONTROL)
    {
        return None;
    }
    let size = usize::try_from(response.body().size_hint().exact()?).ok()?;
    (size <= max).then_some(size)
}

/// A strong validator: the SHA-256 of the body, quoted.
pub(crate) fn strong_etag(body: &[u8]) -> String {
    format!("\"{}\"", hex::encode(Sha256::digest(body)))
}

/// The stored form of a fresh answer: its validators added.
fn page(mut headers: HeaderMap, body: Bytes) -> Page {
    let etag = strong_etag(&body);
    let last_modified = SystemTime::now();
    let header = |value: &str| HeaderValue::from_str(value).ok();
    if let Some(etag) = header(&etag) {
        headers.insert(ETAG, etag);
    }
    if let Some(date) = header(&httpdate::fmt_http_date(last_modified)) {
        headers.insert(LAST_MODIFIED, date);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    Page {
        headers,
        body,
        last_modified,
    }
}

/// The request's conditional headers, kept while the page renders.
struct Conditions {
    if_none_match: Option<String>,
    if_modified_since: Option<SystemTime>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Self {
        let text = |name: HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        Self {
            if_none_match: text(IF_NONE_MATCH).map(str::to_owned),
            if_modified_since: text(IF_MODIFIED_SINCE)
                .and_then(|v| httpdate::parse_http_date(v).ok()),
        }
    }
}

/// `page` for a request with these conditions: 304 without a body when
/// the browser's copy is current (RFC 9110 §13.1: If-None-Match first, and
/// If-Modified-Since only without it), else the page (without its body for
/// HEAD).
fn answer(page: &Page, conditions: &Conditions, head: bool) -> Response {
    let current = match &conditions.if_none_match {
        Some(tags) => page
            .headers
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|etag| etag_matches(tags, etag)),
        None => conditions
            .if_modified_since
            .is_some_and(|since| not_modified_since(page.last_modified, since)),
    };
    let (status, body) = if current {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else if head {
        (StatusCode::OK, Body::empty())
    } else {
        (StatusCode::OK, Body::from(page.body.clone()))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = page.headers.clone();
    if current {
        // A 304 carries the validators and caching, not the content's
        // description (RFC 9110 §15.4.5).
        response.headers_mut().remove(CONTENT_LENGTH);
    }
    response
}

/// If-None-Match with weak comparison (RFC 9110 §13.1.2): `*` or any tag
/// equal to ours once `W/` is set aside.
pub(crate) fn etag_matches(tags: &str, etag: &str) -> bool {
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// HTTP dates have whole seconds: compare at that precision.
fn not_modified_since(last_modified: SystemTime, since: SystemTime) -> bool {
    let seconds = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    seconds(last_modified) <= seconds(since)
}

#[cfg(test)]
mod tests;
