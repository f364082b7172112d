//! What an editor's article body may keep: an allow-list HTML sanitiser
//! (ammonia, which parses as a browser does, so broken and nested tricks
//! are judged on the tree a browser would build), and the plain-text
//! cleaning of titles, summaries and comments.
//!
//! Invariants: the output of [`sanitize`] holds only the tags and
//! attributes listed here, every URL in it is http(s), mailto or relative
//! (images: https or relative), it is NFC, and sanitising it again changes
//! nothing.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

/// Tags an article body may use. Everything else is dropped (its text
/// kept), except [`DROPPED_WITH_CONTENT`].
const TAGS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "span",
];

/// Tags whose content is no text a reader should see: dropped whole.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "svg", "math", "noscript", "template",
    "textarea", "select", "title", "xmp", "noembed", "noframes", "head",
];

/// Attributes each tag may carry. No `style`, `class`, `id` or `on…`.
const ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("img", &["src", "alt", "width", "height"]),
    ("th", &["colspan", "rowspan"]),
    ("td", &["colspan", "rowspan"]),
    // So that a Khmer passage can be marked `lang="km"`.
    ("span", &["lang"]),
    ("p", &["lang"]),
];

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(
            ATTRIBUTES
                .iter()
                .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect::<HashSet<_>>()))
                .collect::<HashMap<_, _>>(),
        )
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(keep_attribute);
    builder
});

/// How many times a body is cleaned at most to reach a fixed point.
const MAX_PASSES: usize = 4;

/// The article body `html` with only what [`TAGS`] and [`ATTRIBUTES`]
/// allow, in NFC.
pub fn sanitize(html: &str) -> String {
    // Dropping a tag can leave a tree no parser builds from text (a heading
    // inside a heading, once an unknown element between them is gone);
    // its text then reads back differently. Cleaning again until nothing
    // changes stores the body as a browser will build it, and makes
    // `sanitize` idempotent (the fuzz target found the heading case).
    let mut out = clean_once(html);
    for _ in 1..MAX_PASSES {
        let again = clean_once(&out);
        if again == out {
            break;
        }
        out = again;
    }
    out
}

fn clean_once(html: &str) -> String {
    vn::text::nfc(&CLEANER.clean(html).to_string())
}

/// A title, summary or comment as plain text: control and bidi-override
/// characters removed, runs of spaces squashed to one, NFC. Markup is not
/// interpreted here: the web layer escapes it like any other text.
pub fn sanitize_text(s: &str) -> String {
    let kept: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|&c| !c.is_control() && !is_invisible_override(c))
        .collect();
    vn::text::nfc(&vn::text::squash_spaces(&kept))
}

/// Bidi embeddings, overrides and isolates (they can make text read
/// backwards, e.g. a file name's extension) and the byte-order mark.
/// Zero-width joiners stay: Khmer and emoji need them.
fn is_invisible_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The checks ammonia's allow-lists cannot express, on decoded values:
/// images only from https or this site, no scheme-relative URLs (they
/// would take whatever scheme the page has), numbers where numbers go.
///
/// No `<` or `>` is left in a value either (the serialiser writes them
/// raw inside quotes): URLs get them percent-encoded, alt text their
/// full-width forms. So every `<` in the output opens a real tag, and a
/// plain search for `<script` in a page means what it says.
fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let keep = match (element, attribute) {
        (_, "href") => !is_scheme_relative(value),
        ("img", "src") => is_https_or_relative(value),
        (_, "width" | "height") => is_number(value, 5),
        (_, "colspan" | "rowspan") => is_number(value, 3),
        (_, "lang") => is_language_tag(value),
        _ => true,
    };
    if !keep {
        return None;
    }
    if !value.contains(['<', '>']) {
        return Some(Cow::Borrowed(value));
    }
    let (lt, gt) = match attribute {
        "href" | "src" => ("%3C", "%3E"),
        _ => ("\u{FF1C}", "\u{FF1E}"),
    };
    Some(Cow::Owned(value.replace('<', lt).replace('>', gt)))
}

/// A URL as a browser reads it: tabs and newlines anywhere are dropped,
/// leading spaces and control characters too.
fn as_browser_reads(url: &str) -> String {
    url.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_owned()
}

/// `//host/…` (and the backslash forms browsers treat alike).
fn is_scheme_relative(url: &str) -> bool {
    let url = as_browser_reads(url);
    let mut start = url.chars().take(2);
    matches!(
        (start.next(), start.next()),
        (Some('/' | '\\'), Some('/' | '\\'))
    )
}

/// `https:…` or a path on this site; ammonia has already refused the
/// other schemes, this refuses plain http for images (mixed content).
fn is_https_or_relative(url: &str) -> bool {
    if is_scheme_relative(url) {
        return false;
    }
    let url = as_browser_reads(url);
    match url.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &url[..colon];
            // A colon after a path, query or fragment starts is no scheme.
            scheme.contains(['/', '?', '#']) || scheme.eq_ignore_ascii_case("https")
        }
    }
}

fn is_number(value: &str, max_digits: usize) -> bool {
    !value.is_empty() && value.len() <= max_digits && value.bytes().all(|b| b.is_ascii_digit())
}

/// A BCP 47 tag's shape (`km`, `vi`, `km-KH`), nothing that could carry
/// anything else.
fn is_language_tag(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 35
        && value.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_markup_survives() {
        let body = "<h2>Tin tức</h2><p>Ngày <strong>5/4</strong> tại <a href=\"https://travinh.gov.vn/a?b=1&amp;c=2\">Trà Vinh</a>.</p>";
        assert_eq!(
            sanitize(body),
            "<h2>Tin tức</h2><p>Ngày <strong>5/4</strong> tại <a href=\"https://travinh.gov.vn/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">Trà Vinh</a>.</p>"
        );
        assert_eq!(
            sanitize("<p lang=\"km\"><span lang=\"km\">សួស្តី</span></p>"),
            "<p lang=\"km\"><span lang=\"km\">សួស្តី</span></p>"
        );
        assert_eq!(
            sanitize("<td colspan=\"2\" rowspan=\"x\" style=\"color:red\">1</td>"),
            "1",
            "a cell outside a table is no cell"
        );
    }

    #[test]
    fn urls_are_checked_on_what_the_browser_reads() {
        for (href, kept) in [
            ("https://a.vn/", true),
            ("http://a.vn/", true),
            ("mailto:ubnd@travinh.gov.vn", true),
            ("/tin-tuc/1", true),
            ("tin-tuc/1#muc-2", true),
            ("//evil.example/", false),
            (" \t/\\evil.example/", false),
            ("javascript:alert(1)", false),
            ("JaVa\tScRiPt:alert(1)", false),
            ("data:text/html,<script>", false),
            ("vbscript:msgbox(1)", false),
            ("ftp://a.vn/", false),
        ] {
            let out = sanitize(&format!("<a href=\"{href}\">x</a>"));
            assert_eq!(out.contains("href="), kept, "{href}: {out}");
        }
        for (src, kept) in [
            ("https://a.vn/anh.jpg", true),
            ("/tep/anh.jpg", true),
            ("anh.jpg?w=1:2", true),
            ("http://a.vn/anh.jpg", false),
            ("//a.vn/anh.jpg", false),
            ("data:image/png;base64,AAAA", false),
        ] {
            let out = sanitize(&format!("<img src=\"{src}\" alt=\"Ảnh\">"));
            assert_eq!(out.contains("src="), kept, "{src}: {out}");
            assert!(out.contains("alt=\"Ảnh\""), "{out}");
        }
    }

    #[test]
    fn angle_brackets_never_stay_in_attributes() {
        assert_eq!(
            sanitize("<img alt=\"a <script> b\" src=\"/x?q=<svg>\">"),
            "<img alt=\"a \u{FF1C}script\u{FF1E} b\" src=\"/x?q=%3Csvg%3E\">"
        );
    }

    #[test]
    fn a_heading_left_inside_a_heading_is_read_back_as_a_browser_would() {
        // An unknown element between two headings keeps the second inside
        // the first; once it is dropped, the text form would parse apart.
        let body = "<h2>A<x><h2>B</h2>C</h2>";
        let once = sanitize(body);
        assert_eq!(sanitize(&once), once);
        assert!(!once.contains("<h2>A<h2>"), "{once}");
    }

    #[test]
    fn output_is_nfc() {
        // "Việt" typed with combining marks.
        let decomposed = "<p>Vie\u{0323}\u{0302}t</p>";
        assert_eq!(sanitize(decomposed), "<p>Việt</p>");
    }

    #[test]
    fn plain_text_is_cleaned_not_interpreted() {
        assert_eq!(
            sanitize_text("  Thông\u{0}báo\t\n<b>mới</b>\u{202E}gpj.exe  "),
            "Thôngbáo <b>mới</b>gpj.exe"
        );
        assert_eq!(sanitize_text("Tra\u{0300} Vinh  \r\n ខេត្ត"), "Trà Vinh ខេត្ត");
        assert_eq!(sanitize_text("\u{7}\u{1b}[31m"), "[31m");
    }
}
