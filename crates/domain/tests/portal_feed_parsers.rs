//! The portal's Atom feed and sitemap read by the parsers the world uses:
//! Python's feedparser (what many feed readers are built on) must read the
//! feed without complaint (`bozo == 0`) and get back every title, link and
//! language; the standard library's XML parser must find the sitemap's
//! namespace and a `<loc>` in every `<url>`. feedparser is installed by
//! scripts/setup.sh --test in target/feedparser.
// Helpers outside #[test] functions unwrap too: a failing test is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use domain::portal::feed::{Feed, FeedEntry, SitemapUrl, atom, sitemap};
use time::macros::datetime;

/// Prints, as JSON, what feedparser and ElementTree read from the two files.
const READ: &str = r#"
import json, sys, feedparser, xml.etree.ElementTree as ET
feed = feedparser.parse(sys.argv[1])
ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
root = ET.parse(sys.argv[2]).getroot()
urls = root.findall(ns + "url")
print(json.dumps({
    "bozo": int(feed.bozo),
    "bozo_exception": str(feed.get("bozo_exception", "")),
    "version": feed.version,
    "title": feed.feed.title,
    "language": feed.feed.get("language"),
    "author": feed.feed.get("author"),
    "links": [[l.rel, l.href] for l in feed.feed.links],
    "entries": [{
        "id": e.id, "title": e.title, "link": e.link, "language": e.title_detail.get("language"),
        "summary": e.get("summary"), "author": e.get("author"),
        "tags": [t.term for t in e.get("tags", [])],
        "published": e.published, "updated": e.updated,
    } for e in feed.entries],
    "sitemap_root": root.tag,
    "sitemap_urls": len(urls),
    "sitemap_locs": [u.findtext(ns + "loc") for u in urls],
    "sitemap_lastmods": [u.findtext(ns + "lastmod") for u in urls],
}, ensure_ascii=False))
"#;

fn python() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/feedparser/bin/python");
    assert!(
        path.exists(),
        "feedparser is not installed at {}: install the test tools with scripts/setup.sh --test",
        path.display()
    );
    path
}

fn feed() -> Feed {
    Feed {
        id: "tag:travinh.gov.vn,2021:km".into(),
        title: "ព័ត៌មាន ខេត្តត្រាវិញ <Trà Vinh> & \"Khmer\"".into(),
        subtitle: Some("Tin tức bằng tiếng Khmer".into()),
        self_url: "https://travinh.gov.vn/km/atom.xml?a=1&b=2".into(),
        site_url: "https://travinh.gov.vn/km/".into(),
        updated: datetime!(2021-04-05 08:00 +7),
        language: "km".into(),
        entries: vec![
            FeedEntry {
                id: "tag:travinh.gov.vn,2021:bai-viet-7".into(),
                title: "ពិធីបុណ្យចូលឆ្នាំថ្មី ២០២១".into(),
                url: "https://travinh.gov.vn/km/bai-viet/7?x=1&y=2".into(),
                published: datetime!(2021-04-04 07:30 +7),
                updated: datetime!(2021-04-05 07:00 +7),
                summary: "ខេត្តត្រាវិញ បានរៀបចំ < & >".into(),
                author: "Sở Văn hóa, Thể thao và Du lịch".into(),
                categories: vec!["Văn hóa".into(), "ខ្មែរ".into()],
                language: "km".into(),
            },
            FeedEntry {
                id: "https://travinh.gov.vn/bai-viet/8".into(),
                title: "Lễ hội \"Chôl Chnăm Thmây\" & <tết>".into(),
                url: "https://travinh.gov.vn/bai-viet/8".into(),
                published: datetime!(2021-04-01 00:00 UTC),
                updated: datetime!(2021-04-01 00:00 UTC),
                summary: String::new(),
                author: String::new(),
                categories: vec![],
                language: "vi".into(),
            },
        ],
    }
}

#[test]
fn feedparser_and_elementtree_read_what_egov_writes() {
    let feed = feed();
    let urls = [
        SitemapUrl {
            loc: "https://travinh.gov.vn/".into(),
            lastmod: Some(datetime!(2021-04-05 08:00 +7)),
        },
        SitemapUrl {
            loc: "https://travinh.gov.vn/km/bai-viet/7?x=1&y=2".into(),
            lastmod: None,
        },
        SitemapUrl {
            loc: "https://travinh.gov.vn/tin-tuc/lễ-hội".into(),
            lastmod: Some(datetime!(2021-04-01 00:00 UTC)),
        },
    ];
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("portal_feed_parsers");
    std::fs::create_dir_all(&dir).unwrap();
    let (atom_path, sitemap_path) = (dir.join("atom.xml"), dir.join("sitemap.xml"));
    std::fs::write(&atom_path, atom(&feed)).unwrap();
    std::fs::write(&sitemap_path, sitemap(&urls).unwrap()).unwrap();

    let out = Command::new(python())
        .arg("-c")
        .arg(READ)
        .arg(&atom_path)
        .arg(&sitemap_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(read["bozo"], 0, "{}", read["bozo_exception"]);
    assert_eq!(read["version"], "atom10");
    assert_eq!(read["title"], feed.title.as_str());
    assert_eq!(read["language"], "km");
    assert_eq!(
        read["links"],
        serde_json::json!([["self", feed.self_url], ["alternate", feed.site_url]])
    );
    let entries = read["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for (got, sent) in entries.iter().zip(&feed.entries) {
        assert_eq!(got["id"], sent.id.as_str());
        assert_eq!(got["title"], sent.title.as_str());
        assert_eq!(got["link"], sent.url.as_str());
        assert_eq!(got["language"], sent.language.as_str());
    }
    assert_eq!(entries[0]["summary"], "ខេត្តត្រាវិញ បានរៀបចំ < & >");
    assert_eq!(entries[0]["author"], "Sở Văn hóa, Thể thao và Du lịch");
    assert_eq!(entries[0]["tags"], serde_json::json!(["Văn hóa", "ខ្មែរ"]));
    assert_eq!(entries[0]["published"], "2021-04-04T00:30:00Z");
    assert_eq!(entries[0]["updated"], "2021-04-05T00:00:00Z");
    // The second entry names no author: the feed's (the site) stands.
    assert_eq!(entries[1]["author"], serde_json::Value::Null);
    assert_eq!(read["author"], feed.title.as_str());

    assert_eq!(
        read["sitemap_root"],
        "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    );
    assert_eq!(read["sitemap_urls"], 3);
    let locs: Vec<&str> = urls.iter().map(|u| u.loc.as_str()).collect();
    assert_eq!(read["sitemap_locs"], serde_json::json!(locs));
    assert_eq!(
        read["sitemap_lastmods"],
        serde_json::json!(["2021-04-05T01:00:00Z", null, "2021-04-01T00:00:00Z"])
    );
}
