//! The portal's public pages through the router: the demo's home, sites,
//! categories and articles in Vietnamese and Khmer, search without
//! diacritics, script injection kept off every page and feed, feeds and
//! sitemap read by feedparser and ElementTree, the page cache and its
//! invalidation, and view counting behind the cache.

use std::path::{Path, PathBuf};
use std::process::Command;

use app::Ctx;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::portal::articles::{Article, ArticleDraft};
use domain::portal::{Language, Site};
use testkit::TestApp;

use crate::ui::text;

const EDITOR: &str = "trangvtt.stttt@travinh.gov.vn";
const REVIEWER: &str = "thanhnn.stttt@travinh.gov.vn";

struct Portal {
    test: TestApp,
    editor: Ctx,
    reviewer: Ctx,
    main: Site,
}

async fn portal() -> Portal {
    let (test, _) = TestApp::with_demo().await;
    Portal {
        editor: test.ctx_of(EDITOR).await,
        reviewer: test.ctx_of(REVIEWER).await,
        main: test.app.site_by_slug("tra-vinh").await.unwrap(),
        test,
    }
}

impl Portal {
    async fn get(&self, path: &str) -> axum::response::Response {
        crate::ui::public_get(&self.test, path).await
    }

    /// The page at `path`, which must answer 200.
    async fn html(&self, path: &str) -> String {
        crate::ui::public_html(&self.test, path).await
    }

    /// An article by the demo editor, published by the demo reviewer.
    async fn publish(&self, title: &str, summary: &str, body: &str) -> Article {
        let app = &self.test.app;
        let draft = ArticleDraft {
            language: Language::Vi,
            title: title.into(),
            summary: summary.into(),
            body_html: body.into(),
            byline: "Thu Trang".into(),
            category_ids: Vec::new(),
            tags: vec!["Bầu cử".into()],
            translation_of: None,
        };
        let a = app
            .create_article(&self.editor, self.main.id, draft)
            .await
            .unwrap();
        app.submit_article(&self.editor, a.id).await.unwrap();
        app.publish_article(&self.reviewer, a.id, None)
            .await
            .unwrap()
    }

    /// The first visible article of the main site in `language`.
    async fn first_in(&self, language: Language) -> Article {
        let found = self
            .test
            .app
            .public_articles(self.main.id, None, Some(language), 1)
            .await
            .unwrap();
        found.items.into_iter().next().unwrap()
    }
}

#[tokio::test]
async fn the_demo_portal_reads_in_vietnamese_and_khmer() {
    let p = portal().await;
    let home = p.html("/").await;
    assert!(
        home.contains("Cổng Thông tin điện tử tỉnh Trà Vinh"),
        "{home}"
    );
    assert!(home.contains("href=\"/dich-vu-cong\""));
    assert!(home.contains("href=\"/giay-phep\""));
    assert!(home.contains("class=\"skip\" href=\"#main\""));
    assert_eq!(home.matches("<h1").count(), 1);
    let vi = p.first_in(Language::Vi).await;
    assert!(home.contains(&format!("/site/tra-vinh/bai-viet/{}", vi.id)));

    let site = p.html("/site/tra-vinh").await;
    assert!(site.contains("Tin tức – Sự kiện"), "the menu");
    let category = p.html("/site/tra-vinh/chuyen-muc/tin-tieng-khmer").await;
    assert!(category.contains("<h1>Tin tiếng Khmer</h1>"));
    let km = p.first_in(Language::Km).await;
    assert!(category.contains(&km.title));

    let page = p.html(&format!("/site/tra-vinh/bai-viet/{}", km.id)).await;
    assert!(page.starts_with("<!doctype html>\n<html lang=\"km\">"));
    assert!(page.contains(&km.title), "Khmer text intact");
    assert!(page.contains("og:locale\" content=\"km_KH\""));
    assert!(page.contains("/static/egov.css"));
    let css = p.get("/static/egov.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    let css = text(css).await;
    assert!(css.contains("KhmerOS") && css.contains(":lang(km)"));

    let page = p
        .html(&format!("/site/tra-vinh/bai-viet/{}-bau-cu", vi.id))
        .await;
    assert!(page.starts_with("<!doctype html>\n<html lang=\"vi\">"));
    assert!(page.contains(&vi.title) && page.contains(&vi.body_html));
    assert!(page.contains("property=\"og:type\" content=\"article\""));
    assert!(page.contains("property=\"og:url\" content=\"http"));
    assert!(page.contains("article:published_time"));
    assert!(page.contains("type=\"application/atom+xml\""));
    assert_eq!(page.matches("<h1").count(), 1);

    for path in [
        "/site/khong-co",
        "/site/tra-vinh/chuyen-muc/khong-co",
        "/site/tra-vinh/bai-viet/999999",
        "/site/tra-vinh/bai-viet/abc",
        "/site/khong-co/atom.xml",
    ] {
        let response = p.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(text(response).await.contains("Không"), "{path}");
    }
}

#[tokio::test]
async fn search_ignores_diacritics_and_reads_khmer() {
    let p = portal().await;
    let a = p
        .publish(
            "Chuẩn bị bầu cử đại biểu Quốc hội",
            "Tóm tắt",
            "<p>Công tác chuẩn bị bầu cử.</p>",
        )
        .await;
    for q in ["bầu cử", "bau cu"] {
        let query = serde_urlencoded::to_string([("q", q)]).unwrap();
        let page = p.html(&format!("/tim-kiem?{query}")).await;
        assert!(page.contains(&format!("/bai-viet/{}", a.id)), "{q}");
    }
    let km = p.first_in(Language::Km).await;
    let word = km.title.split_whitespace().next().unwrap().to_owned();
    let query = serde_urlencoded::to_string([("q", word.as_str()), ("site", "tra-vinh")]).unwrap();
    let page = p.html(&format!("/tim-kiem?{query}")).await;
    assert!(page.contains(&km.title), "{word}");
    let none = p.html("/tim-kiem?q=zzqqxxy").await;
    assert!(none.contains("0 tin bài"));
}

/// Attribute names and values of every tag in `html` (quotes respected,
/// so text inside an attribute value is not taken for an attribute).
fn attributes(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes: Vec<char> = html.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != '<' || !bytes.get(i + 1).is_some_and(char::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i += 1;
        while i < bytes.len() && !bytes[i].is_whitespace() && bytes[i] != '>' {
            i += 1;
        }
        loop {
            while i < bytes.len() && (bytes[i].is_whitespace() || bytes[i] == '/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == '>' {
                break;
            }
            let start = i;
            while i < bytes.len() && !"=> \t\n/".contains(bytes[i]) {
                i += 1;
            }
            let name: String = bytes[start..i].iter().collect();
            let mut value = String::new();
            if bytes.get(i) == Some(&'=') {
                i += 1;
                if let Some(&q) = bytes.get(i).filter(|c| **c == '"' || **c == '\'') {
                    i += 1;
                    while i < bytes.len() && bytes[i] != q {
                        value.push(bytes[i]);
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < bytes.len() && !bytes[i].is_whitespace() && bytes[i] != '>' {
                        value.push(bytes[i]);
                        i += 1;
                    }
                }
            }
            out.push((name.to_lowercase(), value));
        }
    }
    out
}

pub(crate) fn assert_clean(what: &str, document: &str) {
    assert!(
        !document.to_lowercase().contains("<script"),
        "{what}: a script tag"
    );
    for (name, value) in attributes(document) {
        assert!(!name.starts_with("on"), "{what}: attribute {name}={value}");
        let value = value.trim().to_lowercase();
        assert!(!value.starts_with("javascript:"), "{what}: {name}={value}");
    }
}

#[tokio::test]
async fn no_payload_reaches_a_page_or_a_feed() {
    let p = portal().await;
    let payloads = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/tests/fixtures/xss_payloads.txt"),
    )
    .unwrap();
    let payloads: Vec<&str> = payloads.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(payloads.len() > 90);
    // Payloads packed into titles of at most 300 characters; each group is
    // also the summary and the body of its article.
    let mut groups: Vec<String> = vec![String::new()];
    for payload in &payloads {
        let last = groups.last_mut().unwrap();
        if !last.is_empty() && last.chars().count() + payload.chars().count() > 290 {
            groups.push(String::new());
        }
        let last = groups.last_mut().unwrap();
        last.push_str(payload);
        last.push(' ');
    }
    let mut ids = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let title = format!("Bài {i} {group}");
        let title: String = title.chars().take(300).collect();
        let body = format!("<p>Nội dung {i}</p>{group}");
        ids.push(p.publish(&title, group, &body).await.id);
    }
    let mut documents = vec![
        ("home", p.html("/").await),
        ("site", p.html("/site/tra-vinh").await),
        ("atom", p.html("/site/tra-vinh/atom.xml").await),
        ("search", p.html("/tim-kiem?q=B%C3%A0i").await),
    ];
    for id in ids {
        let page = p.html(&format!("/site/tra-vinh/bai-viet/{id}")).await;
        documents.push(("article", page));
    }
    assert!(documents[1].1.contains("Bài 0 "));
    for (what, document) in &documents {
        assert_clean(what, document);
    }
}

fn python() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/feedparser/bin/python");
    assert!(
        path.exists(),
        "feedparser is not installed at {}: install the test tools with scripts/setup.sh --test",
        path.display()
    );
    path
}

const READ: &str = r#"
import json, sys, feedparser, xml.etree.ElementTree as ET
feed = feedparser.parse(sys.argv[1])
ET.parse(sys.argv[1])
ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
root = ET.parse(sys.argv[2]).getroot()
print(json.dumps({
    "bozo": int(feed.bozo),
    "entries": len(feed.entries),
    "titles": [e.title for e in feed.entries],
    "locs": [u.findtext(ns + "loc") for u in root.findall(ns + "url")],
    "lastmods": [u.findtext(ns + "lastmod") for u in root.findall(ns + "url")],
}, ensure_ascii=False))
"#;

#[tokio::test]
async fn the_feeds_and_the_sitemap_parse() {
    let p = portal().await;
    let feed = p
        .get("/site/tra-vinh/chuyen-muc/tin-tieng-khmer/atom.xml")
        .await;
    assert_eq!(feed.status(), StatusCode::OK);
    assert_eq!(
        feed.headers()[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let feed = text(feed).await;
    let sitemap = p.html("/sitemap.xml").await;
    let robots = p.html("/robots.txt").await;
    assert!(robots.contains("Sitemap: http") && robots.contains("/sitemap.xml"));
    let dir = tempfile::tempdir().unwrap();
    let (feed_path, map_path) = (dir.path().join("f.xml"), dir.path().join("s.xml"));
    std::fs::write(&feed_path, &feed).unwrap();
    std::fs::write(&map_path, &sitemap).unwrap();
    let out = Command::new(python())
        .args(["-c", READ])
        .arg(&feed_path)
        .arg(&map_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["bozo"], 0, "{read}");
    let km = p.first_in(Language::Km).await;
    assert!(read["entries"].as_u64().unwrap() > 0);
    assert_eq!(read["titles"][0], km.title.as_str());
    let locs: Vec<&str> = read["locs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(locs.iter().any(|l| l.ends_with("/site/tra-vinh")));
    assert!(
        locs.iter()
            .any(|l| l.ends_with("/site/tra-vinh/chuyen-muc/tin-tieng-khmer"))
    );
    assert!(
        locs.iter()
            .any(|l| l.ends_with(&format!("/bai-viet/{}", km.id)))
    );
    assert!(
        read["lastmods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| !m.is_null())
    );
}

#[tokio::test]
async fn pages_are_cached_until_a_publish_and_views_are_counted() {
    let p = portal().await;
    let km = p.first_in(Language::Km).await;
    let path = format!("/site/tra-vinh/bai-viet/{}", km.id);
    let first = p.get(&path).await;
    let etag = first.headers()[header::ETAG].clone();
    let second = p.get(&path).await;
    assert_eq!(second.headers()[header::ETAG], etag);
    let revalidated = p
        .test
        .send(
            Request::get(&path)
                .header(header::IF_NONE_MATCH, etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    let views = p.test.app.article_views(km.id).await.unwrap();
    assert_eq!(views, vec![(time::macros::date!(2021 - 04 - 05), 3)]);

    let before = p.html("/").await;
    let fresh = p
        .publish("Tin mới nhất hôm nay", "Tóm tắt", "<p>Nội dung</p>")
        .await;
    assert_eq!(p.html("/").await, before, "served from the cache");
    web::content_changed(&p.test.public_cache);
    assert!(p.html("/").await.contains(&fresh.title));
}
