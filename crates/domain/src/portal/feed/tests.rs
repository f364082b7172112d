//! The Atom feed's and the sitemap's structure, read back with quick-xml.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use time::macros::datetime;

use super::*;

pub(crate) fn sample_feed() -> Feed {
    Feed {
        id: "tag:travinh.gov.vn,2021:tin-tuc".into(),
        title: "Cổng thông tin <Trà Vinh> & \"tin\" 'mới'".into(),
        subtitle: Some("Tin tức – sự kiện".into()),
        self_url: "https://travinh.gov.vn/tin-tuc/atom.xml?lang=vi&page=1".into(),
        site_url: "https://travinh.gov.vn/".into(),
        updated: datetime!(2021-04-05 08:00 +7),
        language: "vi".into(),
        entries: vec![
            FeedEntry {
                id: "tag:travinh.gov.vn,2021:bai-viet-1".into(),
                title: "Tết Chôl Chnăm Thmây: ពិធីបុណ្យចូលឆ្នាំថ្មី".into(),
                url: "https://travinh.gov.vn/km/bai-viet/1".into(),
                published: datetime!(2021-04-04 07:30 +7),
                updated: datetime!(2021-04-05 07:59:59.9 +7),
                summary: "ខេត្តត្រាវិញ < ២០២១ & \u{0}\u{1b}ok".into(),
                author: "Sở Văn hóa".into(),
                categories: vec!["Văn hóa".into(), "ខ្មែរ".into(), String::new()],
                language: "km".into(),
            },
            FeedEntry {
                id: "https://travinh.gov.vn/bai-viet/2".into(),
                title: "Họp báo".into(),
                url: "https://travinh.gov.vn/bai-viet/2".into(),
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

/// An element read back: its path from the root joined by `/`, its
/// attributes and its text.
type Element = (String, Vec<(String, String)>, String);

/// Every element of `xml`, in document order.
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    // The element whose text is being read: text between elements
    // (indentation) belongs to none.
    let mut open: Option<usize> = None;
    loop {
        match reader.read_event().unwrap() {
            event @ (Event::Start(_) | Event::Empty(_)) => {
                let empty = matches!(event, Event::Empty(_));
                let (Event::Start(e) | Event::Empty(e)) = event else {
                    unreachable!()
                };
                let name = e.name().as_ref().to_owned();
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let key = a.key.as_ref().to_owned();
                        let value = a.normalized_value(XmlVersion::Implicit1_0).unwrap();
                        (key, value.into_owned())
                    })
                    .collect();
                path.push(name);
                out.push((path.join("/"), attributes, String::new()));
                open = Some(out.len() - 1);
                if empty {
                    path.pop();
                    open = None;
                }
            }
            Event::Text(t) => {
                if let Some(i) = open {
                    out[i].2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                out[open.unwrap()].2.push_str(c);
            }
            Event::End(_) => {
                path.pop();
                open = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn texts<'a>(found: &'a [Element], path: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|(p, _, _)| p == path)
        .map(|(_, _, t)| t.as_str())
        .collect()
}

fn attribute<'a>(attributes: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn atom_carries_every_field_escaped() {
    let feed = sample_feed();
    let xml = atom(&feed);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">"));
    assert!(
        xml.contains("&lt;Trà Vinh&gt; &amp; &quot;tin&quot; &apos;mới&apos;"),
        "{xml}"
    );
    assert!(!xml.contains('\u{0}') && !xml.contains('\u{1b}'));
    let found = elements(&xml);
    assert_eq!(texts(&found, "feed/title"), [feed.title.as_str()]);
    assert_eq!(texts(&found, "feed/id"), [feed.id.as_str()]);
    assert_eq!(texts(&found, "feed/updated"), ["2021-04-05T01:00:00Z"]);
    let links: Vec<_> = found.iter().filter(|(p, _, _)| p == "feed/link").collect();
    assert_eq!(attribute(&links[0].1, "rel"), Some("self"));
    assert_eq!(attribute(&links[0].1, "href"), Some(feed.self_url.as_str()));
    assert_eq!(
        attribute(&links[1].1, "href"),
        Some("https://travinh.gov.vn/")
    );

    let entries: Vec<_> = found.iter().filter(|(p, _, _)| p == "feed/entry").collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(attribute(&entries[0].1, "xml:lang"), Some("km"));
    assert_eq!(attribute(&entries[1].1, "xml:lang"), Some("vi"));
    assert_eq!(
        texts(&found, "feed/entry/title"),
        ["Tết Chôl Chnăm Thmây: ពិធីបុណ្យចូលឆ្នាំថ្មី", "Họp báo"]
    );
    assert_eq!(
        texts(&found, "feed/entry/summary"),
        ["ខេត្តត្រាវិញ < ២០២១ & ok"]
    );
    assert_eq!(
        texts(&found, "feed/entry/published"),
        ["2021-04-04T00:30:00Z", "2021-04-01T00:00:00Z"]
    );
    assert_eq!(
        texts(&found, "feed/entry/updated")[0],
        "2021-04-05T00:59:59Z"
    );
    assert_eq!(texts(&found, "feed/entry/author/name"), ["Sở Văn hóa"]);
    let terms: Vec<_> = found
        .iter()
        .filter(|(p, _, _)| p == "feed/entry/category")
        .map(|(_, a, _)| attribute(a, "term").unwrap())
        .collect();
    assert_eq!(terms, ["Văn hóa", "ខ្មែរ"]);
    // The second entry has no author: the feed's stands for it.
    assert_eq!(texts(&found, "feed/author/name"), [feed.title.as_str()]);
}

#[test]
fn sitemap_lists_urls_within_the_limits() {
    let urls = vec![
        SitemapUrl {
            loc: "https://travinh.gov.vn/bai-viet/1?a=1&b='2'".into(),
            lastmod: Some(datetime!(2021-04-05 08:00 +7)),
        },
        SitemapUrl {
            loc: "http://travinh.gov.vn/km/ទំព័រ".into(),
            lastmod: None,
        },
    ];
    let xml = sitemap(&urls).unwrap();
    assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let found = elements(&xml);
    assert_eq!(
        texts(&found, "urlset/url/loc"),
        [
            "https://travinh.gov.vn/bai-viet/1?a=1&b='2'",
            "http://travinh.gov.vn/km/ទំព័រ"
        ]
    );
    assert_eq!(
        texts(&found, "urlset/url/lastmod"),
        ["2021-04-05T01:00:00Z"]
    );

    let many = vec![urls[1].clone(); MAX_SITEMAP_URLS];
    assert_eq!(
        sitemap(&many).map(|x| x.matches("<url>").count()),
        Ok(MAX_SITEMAP_URLS)
    );
    let too_many = vec![urls[1].clone(); MAX_SITEMAP_URLS + 1];
    let error = sitemap(&too_many).unwrap_err();
    assert_eq!(error, FeedError::TooManyUrls(MAX_SITEMAP_URLS + 1));
    assert!(error.to_string().contains("50000"), "{error}");
    for relative in ["/bai-viet/1", "https://", "javascript:alert(1)", ""] {
        let bad = [SitemapUrl {
            loc: relative.into(),
            lastmod: None,
        }];
        assert!(
            matches!(sitemap(&bad), Err(FeedError::NotAbsolute(_))),
            "{relative}"
        );
    }
}
