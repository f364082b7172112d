//! What the portal publishes for machines: an Atom 1.0 feed (RFC 4287) of
//! its latest articles and a sitemap (sitemaps.org 0.9) of its pages.
//!
//! Pure writers: the caller gathers the articles and URLs. Every piece of
//! text goes through one escaping path ([`Xml`]): NFC, `& < > " '`
//! escaped, and the characters XML 1.0 cannot carry dropped, so no title
//! an editor types can break a reader's parser. Moments are written in UTC
//! as RFC 3339.

use time::OffsetDateTime;

/// The most URLs one sitemap may list (sitemaps.org).
pub const MAX_SITEMAP_URLS: usize = 50_000;
/// The largest sitemap file, uncompressed (sitemaps.org: 50 MiB).
pub const MAX_SITEMAP_BYTES: usize = 50 * 1024 * 1024;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// A feed of one site's articles in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// A permanent IRI: a `tag:` URI or the feed's https URL.
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// Where the feed itself is served (`rel="self"`).
    pub self_url: String,
    /// The site's home page (`rel="alternate"`).
    pub site_url: String,
    pub updated: OffsetDateTime,
    /// `vi` or `km`.
    pub language: String,
    pub entries: Vec<FeedEntry>,
}

/// One article in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// A permanent IRI, unchanged when the article is edited.
    pub id: String,
    pub title: String,
    /// The article's page.
    pub url: String,
    pub published: OffsetDateTime,
    pub updated: OffsetDateTime,
    /// Plain text.
    pub summary: String,
    /// Empty when the article names none: the feed's author (the site)
    /// stands for it.
    pub author: String,
    pub categories: Vec<String>,
    pub language: String,
}

/// One page in a sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapUrl {
    /// Absolute http(s) URL.
    pub loc: String,
    pub lastmod: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("Sơ đồ trang có {0} địa chỉ, quá giới hạn {MAX_SITEMAP_URLS} địa chỉ mỗi tệp.")]
    TooManyUrls(usize),
    #[error("Sơ đồ trang dài {0} byte, quá giới hạn 50 MiB mỗi tệp.")]
    TooLarge(usize),
    #[error("Địa chỉ «{0}» trong sơ đồ trang không phải địa chỉ http(s) đầy đủ.")]
    NotAbsolute(String),
}

/// The Atom document of `feed`.
pub fn atom(feed: &Feed) -> String {
    let mut xml = Xml::new();
    xml.open("feed", &[("xmlns", ATOM_NS), ("xml:lang", &feed.language)]);
    xml.leaf("id", &[], &feed.id);
    xml.leaf("title", &[("type", "text")], &feed.title);
    if let Some(subtitle) = feed.subtitle.as_deref().filter(|s| !s.is_empty()) {
        xml.leaf("subtitle", &[("type", "text")], subtitle);
    }
    xml.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &feed.self_url),
        ],
    );
    xml.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("type", "text/html"),
            ("href", &feed.site_url),
        ],
    );
    xml.leaf("updated", &[], &rfc3339(feed.updated));
    // RFC 4287 §4.1.1: a feed names an author unless every entry does;
    // the site itself is the author of what it publishes unsigned.
    xml.open("author", &[]);
    xml.leaf("name", &[], &feed.title);
    xml.leaf("uri", &[], &feed.site_url);
    xml.close("author");
    for entry in &feed.entries {
        xml.open("entry", &[("xml:lang", &entry.language)]);
        xml.leaf("id", &[], &entry.id);
        xml.leaf("title", &[("type", "text")], &entry.title);
        xml.empty(
            "link",
            &[
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", &entry.url),
            ],
        );
        xml.leaf("published", &[], &rfc3339(entry.published));
        xml.leaf("updated", &[], &rfc3339(entry.updated));
        if !entry.author.is_empty() {
            xml.open("author", &[]);
            xml.leaf("name", &[], &entry.author);
            xml.close("author");
        }
        for category in entry.categories.iter().filter(|c| !c.is_empty()) {
            xml.empty("category", &[("term", category)]);
        }
        if !entry.summary.is_empty() {
            xml.leaf("summary", &[("type", "text")], &entry.summary);
        }
        xml.close("entry");
    }
    xml.close("feed");
    xml.finish()
}

/// The sitemap of `urls`; refused whole beyond one file's limits or when
/// a URL is not absolute (search engines ignore such a file).
pub fn sitemap(urls: &[SitemapUrl]) -> Result<String, FeedError> {
    if urls.len() > MAX_SITEMAP_URLS {
        return Err(FeedError::TooManyUrls(urls.len()));
    }
    let mut xml = Xml::new();
    xml.open("urlset", &[("xmlns", SITEMAP_NS)]);
    for url in urls {
        if !is_absolute_http(&url.loc) {
            return Err(FeedError::NotAbsolute(url.loc.clone()));
        }
        xml.open("url", &[]);
        xml.leaf("loc", &[], &url.loc);
        if let Some(lastmod) = url.lastmod {
            xml.leaf("lastmod", &[], &rfc3339(lastmod));
        }
        xml.close("url");
    }
    xml.close("urlset");
    let text = xml.finish();
    if text.len() > MAX_SITEMAP_BYTES {
        return Err(FeedError::TooLarge(text.len()));
    }
    Ok(text)
}

fn is_absolute_http(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") && url.len() > 8)
        || (lower.starts_with("http://") && url.len() > 7)
}

/// `at` in UTC as RFC 3339 (`2021-04-05T01:00:00Z`), whole seconds. Written
/// by hand because it cannot fail for the years egov stores (0–9999).
fn rfc3339(at: OffsetDateTime) -> String {
    let utc = crate::to_stored_precision(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// A small indenting XML writer; the only place markup is produced here.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn new() -> Self {
        Self {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.out.push_str(&"  ".repeat(self.depth));
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.text(value);
            self.out.push('"');
        }
    }

    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start(name, attributes);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start(name, attributes);
        self.out.push_str("/>\n");
    }

    fn leaf(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start(name, attributes);
        self.out.push('>');
        self.text(text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.out.push_str(&"  ".repeat(self.depth));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `text` escaped (quotes too: the same path serves attributes), in
    /// NFC, without the characters XML 1.0 forbids.
    fn text(&mut self, text: &str) {
        let allowed: String = vn::text::nfc(text)
            .chars()
            .filter(|&c| is_xml_char(c))
            .collect();
        self.out
            .push_str(&quick_xml::escape::escape(allowed.as_str()));
    }

    fn finish(self) -> String {
        self.out
    }
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests;
