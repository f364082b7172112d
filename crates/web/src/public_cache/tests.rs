//! The public cache through a tiny router that counts its renderings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::Request as HttpRequest;
use axum::routing::get;
use tower::ServiceExt;

use super::*;

/// The portal as far as the cache sees it; every handler counts.
fn site(cache: &Arc<PublicCache>, ttl: Duration, calls: &Arc<AtomicUsize>) -> Router {
    let count = |calls: &Arc<AtomicUsize>| {
        let calls = calls.clone();
        move || {
            calls.fetch_add(1, Ordering::SeqCst);
        }
    };
    let (page, cookie, missing, big, form) = (
        count(calls),
        count(calls),
        count(calls),
        count(calls),
        count(calls),
    );
    Router::new()
        .route(
            "/tin-tuc",
            get(move || async move {
                page();
                "<h1>Tin tức Trà Vinh</h1>"
            }),
        )
        .route(
            "/dang-nhap",
            get(move || async move {
                cookie();
                ([(SET_COOKIE, "egov_portal_csrf=x")], "<form></form>")
            }),
        )
        .route(
            "/khong-co",
            get(move || async move {
                missing();
                (StatusCode::NOT_FOUND, "không có")
            }),
        )
        .route(
            "/lon",
            get(move || async move {
                big();
                "x".repeat(2000)
            }),
        )
        .route(
            "/gop-y",
            axum::routing::post(move || async move {
                form();
                "cảm ơn"
            }),
        )
        .layer(axum::middleware::from_fn_with_state(
            Policy {
                cache: cache.clone(),
                ttl,
            },
            middleware,
        ))
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

async fn send(site: &Router, method: &str, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = HttpRequest::builder().method(method).uri(uri);
    if !headers.iter().any(|(name, _)| *name == "host") {
        request = request.header(HOST, "travinh.gov.vn");
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = site
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: axum::body::to_bytes(body, usize::MAX).await.unwrap(),
    }
}

fn fixture(ttl: Duration) -> (Arc<PublicCache>, Arc<AtomicUsize>, Router) {
    let cache = Arc::new(PublicCache::default());
    let calls = Arc::new(AtomicUsize::new(0));
    let router = site(&cache, ttl, &calls);
    (cache, calls, router)
}

fn calls(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::SeqCst)
}

const MINUTE: Duration = Duration::from_mins(1);

#[tokio::test]
async fn the_second_request_is_served_from_the_cache_with_validators() {
    let (_, counter, site) = fixture(MINUTE);
    let first = send(&site, "GET", "/tin-tuc", &[]).await;
    let second = send(&site, "GET", "/tin-tuc", &[]).await;
    assert_eq!(calls(&counter), 1);
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body, first.body);
    assert_eq!(&second.body[..], "<h1>Tin tức Trà Vinh</h1>".as_bytes());
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(&first.body)));
    assert_eq!(second.headers[ETAG], etag.as_str());
    assert_eq!(second.headers[CACHE_CONTROL], "public, max-age=60");
    assert!(second.headers.contains_key(LAST_MODIFIED));
    assert_eq!(
        second.headers[CONTENT_LENGTH],
        first.body.len().to_string().as_str()
    );
    assert!(
        second.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );

    // Another query or another host is another page.
    send(&site, "GET", "/tin-tuc?trang=2", &[]).await;
    send(&site, "GET", "/tin-tuc", &[("host", "TRAVINH.GOV.VN")]).await;
    assert_eq!(calls(&counter), 2, "the host is compared without case");
    send(
        &site,
        "GET",
        "/tin-tuc",
        &[("host", "dichvucong.travinh.gov.vn")],
    )
    .await;
    assert_eq!(calls(&counter), 3);
}

#[tokio::test]
async fn a_current_copy_gets_304_without_a_body() {
    let (_, counter, site) = fixture(MINUTE);
    let first = send(&site, "GET", "/tin-tuc", &[]).await;
    let etag = first.headers[ETAG].to_str().unwrap().to_owned();
    let modified = first.headers[LAST_MODIFIED].to_str().unwrap().to_owned();

    for conditions in [
        vec![("if-none-match", etag.as_str())],
        vec![("if-none-match", &*format!("\"other\", W/{etag}"))],
        vec![("if-none-match", "*")],
        vec![("if-modified-since", modified.as_str())],
    ] {
        let answer = send(&site, "GET", "/tin-tuc", &conditions).await;
        assert_eq!(answer.status, StatusCode::NOT_MODIFIED, "{conditions:?}");
        assert!(answer.body.is_empty());
        assert_eq!(answer.headers[ETAG], etag.as_str());
        assert_eq!(answer.headers[CACHE_CONTROL], "public, max-age=60");
    }
    for conditions in [
        vec![("if-none-match", "\"an older version\"")],
        vec![("if-modified-since", "Mon, 05 Apr 2021 01:00:00 GMT")],
        // If-None-Match decides when both are sent.
        vec![
            ("if-none-match", "\"an older version\""),
            ("if-modified-since", modified.as_str()),
        ],
    ] {
        let answer = send(&site, "GET", "/tin-tuc", &conditions).await;
        assert_eq!(answer.status, StatusCode::OK, "{conditions:?}");
        assert_eq!(answer.body, first.body);
    }
    assert_eq!(calls(&counter), 1);
}

#[tokio::test]
async fn invalidate_all_makes_the_next_request_render_again() {
    let (cache, counter, site) = fixture(MINUTE);
    send(&site, "GET", "/tin-tuc", &[]).await;
    send(&site, "GET", "/lon", &[]).await;
    assert_eq!(cache.usage().0, 2);
    cache.invalidate_all();
    assert_eq!(cache.usage(), (0, 0));
    send(&site, "GET", "/tin-tuc", &[]).await;
    send(&site, "GET", "/tin-tuc", &[]).await;
    assert_eq!(calls(&counter), 3);

    // A rendering begun before a publish is not stored after it.
    let generation = cache.generation();
    let stale = Arc::new(page(HeaderMap::new(), Bytes::from_static(b"before")));
    cache.invalidate_all();
    let key = ("travinh.gov.vn".to_owned(), "/cu".to_owned());
    cache.insert(key.clone(), stale, Instant::now() + MINUTE, generation);
    assert!(cache.get(&key, Instant::now()).is_none());
}

#[tokio::test]
async fn pages_expire_after_their_time_to_live() {
    let (cache, counter, site) = fixture(Duration::ZERO);
    send(&site, "GET", "/tin-tuc", &[]).await;
    send(&site, "GET", "/tin-tuc", &[]).await;
    assert_eq!(calls(&counter), 2);
    assert_eq!(cache.usage().0, 0, "a page expired at once is not kept");

    let cache = PublicCache::default();
    let now = Instant::now();
    let key = ("travinh.gov.vn".to_owned(), "/".to_owned());
    let home = Arc::new(page(HeaderMap::new(), Bytes::from_static(b"home")));
    cache.insert(key.clone(), home, now + MINUTE, cache.generation());
    assert!(cache.get(&key, now + Duration::from_secs(59)).is_some());
    assert!(cache.get(&key, now + MINUTE).is_none());
    assert_eq!(cache.usage(), (0, 0));
}

#[tokio::test]
async fn the_least_recently_used_pages_go_first_within_the_bounds() {
    // Room for four pages of about 2,100 bytes.
    let cache = Arc::new(PublicCache::new(9_000, 100));
    let counter = Arc::new(AtomicUsize::new(0));
    let site = site(&cache, MINUTE, &counter);
    for n in 1..=4 {
        send(&site, "GET", &format!("/lon?{n}"), &[]).await;
    }
    assert_eq!(cache.usage().0, 4);
    send(&site, "GET", "/lon?1", &[]).await;
    send(&site, "GET", "/lon?5", &[]).await;
    let (entries, bytes) = cache.usage();
    assert_eq!(entries, 4);
    assert!(bytes <= 9_000, "{bytes}");
    assert_eq!(calls(&counter), 5);
    send(&site, "GET", "/lon?1", &[]).await;
    assert_eq!(calls(&counter), 5, "page 1 was used recently: kept");
    send(&site, "GET", "/lon?2", &[]).await;
    assert_eq!(
        calls(&counter),
        6,
        "page 2 was the least recently used: evicted"
    );

    // The bound on the number of pages.
    let cache = Arc::new(PublicCache::new(1 << 20, 3));
    let site = super::tests::site(&cache, MINUTE, &counter);
    for n in 1..=5 {
        send(&site, "GET", &format!("/lon?{n}"), &[]).await;
    }
    assert_eq!(cache.usage().0, 3);

    // A page larger than a quarter of the cache is served, not stored.
    let cache = Arc::new(PublicCache::new(4_000, 100));
    let site = super::tests::site(&cache, MINUTE, &counter);
    let answer = send(&site, "GET", "/lon", &[]).await;
    assert_eq!(answer.body.len(), 2000);
    assert_eq!(cache.usage(), (0, 0));
}

#[tokio::test]
async fn cookies_errors_and_forms_are_never_cached() {
    let (cache, counter, site) = fixture(MINUTE);
    for _ in 0..2 {
        let answer = send(&site, "GET", "/dang-nhap", &[]).await;
        assert_eq!(answer.headers[SET_COOKIE], "egov_portal_csrf=x");
        assert!(!answer.headers.contains_key(ETAG));
        assert!(!answer.headers.contains_key(CACHE_CONTROL));
        assert_eq!(
            send(&site, "GET", "/khong-co", &[]).await.status,
            StatusCode::NOT_FOUND
        );
        send(&site, "POST", "/gop-y", &[]).await;
    }
    assert_eq!(calls(&counter), 6);
    assert_eq!(cache.usage(), (0, 0));

    // Someone signed in neither reads nor fills the cache.
    for session in ["egov_portal_session=abc", "a=1; egov_session=def"] {
        send(&site, "GET", "/tin-tuc", &[("cookie", session)]).await;
    }
    assert_eq!(calls(&counter), 8);
    assert_eq!(cache.usage(), (0, 0));
    send(&site, "GET", "/tin-tuc", &[]).await;
    let answer = send(&site, "GET", "/tin-tuc", &[("cookie", "egov_session=x")]).await;
    assert_eq!(calls(&counter), 10);
    assert!(!answer.headers.contains_key(ETAG));
}

#[tokio::test]
async fn head_is_answered_from_a_cached_get_without_a_body() {
    let (cache, counter, site) = fixture(MINUTE);
    let answer = send(&site, "HEAD", "/tin-tuc", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.is_empty());
    assert_eq!(cache.usage().0, 0, "a HEAD has no body to store");
    let page = send(&site, "GET", "/tin-tuc", &[]).await;
    let answer = send(&site, "HEAD", "/tin-tuc", &[]).await;
    assert_eq!(calls(&counter), 2);
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.is_empty());
    assert_eq!(answer.headers[ETAG], page.headers[ETAG]);
    assert_eq!(
        answer.headers[CONTENT_LENGTH],
        page.body.len().to_string().as_str()
    );
    let etag = page.headers[ETAG].to_str().unwrap();
    let answer = send(&site, "HEAD", "/tin-tuc", &[("if-none-match", etag)]).await;
    assert_eq!(answer.status, StatusCode::NOT_MODIFIED);
}
