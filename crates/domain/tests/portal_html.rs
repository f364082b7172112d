//! The portal's article sanitiser against a table of known XSS payloads
//! (tests/fixtures/xss_payloads.txt, one per line, shared with the web
//! tests) and against the content editors really write.
// Helpers outside #[test] functions unwrap too: a failing test is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use domain::portal::html::{sanitize, sanitize_text};

const PAYLOADS: &str = include_str!("fixtures/xss_payloads.txt");

/// The tags and attributes the sanitiser promises (`rel` is its own).
const ALLOWED: &[(&str, &[&str])] = &[
    ("p", &["lang"]),
    ("span", &["lang"]),
    ("a", &["href", "rel"]),
    ("img", &["src", "alt", "width", "height"]),
    ("th", &["colspan", "rowspan"]),
    ("td", &["colspan", "rowspan"]),
    ("br", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("strong", &[]),
    ("b", &[]),
    ("em", &[]),
    ("i", &[]),
    ("u", &[]),
    ("s", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("blockquote", &[]),
    ("ul", &[]),
    ("ol", &[]),
    ("li", &[]),
    ("figure", &[]),
    ("figcaption", &[]),
    ("table", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tr", &[]),
    ("hr", &[]),
];

/// Every start tag of `html` as written by the sanitiser's serialiser:
/// `<name attr="value" …>`, quotes inside values escaped as `&quot;`.
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with('/') {
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_owned();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() || rest.starts_with('>') || rest.starts_with("/>") {
                break;
            }
            let key_end = rest
                .find(|c: char| c == '=' || c.is_whitespace() || c == '>')
                .unwrap_or(rest.len());
            let key = rest[..key_end].to_owned();
            rest = &rest[key_end..];
            let mut value = String::new();
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let close = quoted.find('"').expect("closing quote");
                value = quoted[..close]
                    .replace("&quot;", "\"")
                    .replace("&nbsp;", "\u{a0}")
                    .replace("&amp;", "&");
                rest = &quoted[close + 1..];
            }
            attributes.push((key, value));
        }
        tags.push((name, attributes));
    }
    tags
}

/// The scheme a browser would see in `url`: tabs and newlines anywhere
/// removed, leading spaces and controls trimmed, lowercased.
fn browser_scheme(url: &str) -> String {
    let read: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let read = read.trim_start_matches(|c: char| c <= ' ').to_lowercase();
    read.split(':').next().unwrap_or_default().to_owned()
}

/// Everything the portal promises about a sanitised body.
fn assert_safe(input: &str, output: &str) {
    let lower = output.to_lowercase();
    for tag in [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<math",
        "<meta",
        "<link",
        "<base",
        "<form",
        "<style",
        "<frame",
        "<template",
        "<input",
        "<textarea",
        "<select",
    ] {
        assert!(!lower.contains(tag), "{tag} in {output:?} from {input:?}");
    }
    for (tag, attributes) in start_tags(output) {
        let allowed = ALLOWED
            .iter()
            .find(|(name, _)| *name == tag)
            .unwrap_or_else(|| panic!("tag <{tag}> in {output:?} from {input:?}"));
        for (key, value) in &attributes {
            assert!(
                allowed.1.contains(&key.as_str()),
                "{key}= on <{tag}> in {output:?} from {input:?}"
            );
            assert!(!key.to_lowercase().starts_with("on") && key != "style");
            if key == "href" || key == "src" {
                let scheme = browser_scheme(value);
                for bad in ["javascript", "vbscript", "data"] {
                    assert_ne!(scheme, bad, "{key}={value:?} in {output:?} from {input:?}");
                }
                assert!(!value.starts_with("//"), "{value}");
            }
        }
        if tag == "a" && attributes.iter().any(|(k, _)| k == "href") {
            assert!(
                attributes.contains(&("rel".into(), "noopener noreferrer".into())),
                "{output}"
            );
        }
    }
    // No `<` but those opening the tags above (none inside values).
    assert_eq!(
        output.matches('<').count(),
        start_tags(output).len() + output.matches("</").count(),
        "{output}"
    );
    assert_eq!(sanitize(output), output, "not idempotent for {input:?}");
}

#[test]
fn fixture_is_a_long_plain_list() {
    let payloads: Vec<&str> = PAYLOADS.lines().collect();
    assert!(payloads.len() >= 60, "{}", payloads.len());
    assert!(payloads.iter().all(|p| !p.trim().is_empty()));
}

#[test]
fn known_xss_payloads_come_out_harmless() {
    for payload in PAYLOADS.lines() {
        let output = sanitize(payload);
        assert_safe(payload, &output);
        // Also inside ordinary content, and cut short at every third byte
        // (broken tags an editor's paste can leave).
        let wrapped = format!("<p>Tin <b>mới</b> {payload} hết</p>");
        assert_safe(&wrapped, &sanitize(&wrapped));
        for cut in (1..payload.len())
            .step_by(3)
            .filter(|&i| payload.is_char_boundary(i))
        {
            assert_safe(&payload[..cut], &sanitize(&payload[..cut]));
        }
    }
}

#[test]
fn null_bytes_and_controls_do_not_hide_a_script() {
    for payload in [
        "<scr\u{0}ipt>alert(1)</scr\u{0}ipt>",
        "<a href=\"java\u{0}script:alert(1)\">x</a>",
        "<img src=x \u{0}onerror=alert(1)>",
        "<a href=\"\u{1}\u{2}javascript:alert(1)\">x</a>",
        "<a href=\"javascript\u{FEFF}:alert(1)\">x</a>",
        "<img alt=\"<script>alert(1)</script>\" src=\"/a.jpg\">",
        "<a href=\"/x?<iframe>\">x</a>",
    ] {
        assert_safe(payload, &sanitize(payload));
    }
}

#[test]
fn what_editors_write_survives() {
    let body = concat!(
        "<h2>Lễ hội Ok Om Bok năm 2021</h2>",
        "<p>Ngày 19/11, tại Ao Bà Om, <strong>Ủy ban nhân dân tỉnh</strong> tổ chức ",
        "<em>lễ cúng trăng</em>. Xem <a href=\"https://travinh.gov.vn/van-hoa\">chuyên mục</a>, ",
        "<a href=\"/tin-tuc/2\">tin trước</a> hoặc <a href=\"mailto:vanhoa@travinh.gov.vn\">hỏi</a>.</p>",
        "<p lang=\"km\">ពិធីបុណ្យអុំទូក <span lang=\"km\">ខេត្តត្រាវិញ</span></p>",
        "<figure><img src=\"https://travinh.gov.vn/anh/dua-ghe.jpg\" alt=\"Đua ghe ngo\" width=\"640\" height=\"480\">",
        "<figcaption>Đua ghe ngo</figcaption></figure>",
        "<table><thead><tr><th colspan=\"2\">Kết quả</th></tr></thead>",
        "<tbody><tr><td>Đội</td><td rowspan=\"1\">Hạng</td></tr></tbody></table>",
        "<ul><li>H<sub>2</sub>O</li><li>m<sup>2</sup></li></ul><hr><blockquote>Trích</blockquote>",
    );
    let out = sanitize(body);
    for kept in [
        "<h2>Lễ hội Ok Om Bok năm 2021</h2>",
        "<strong>Ủy ban nhân dân tỉnh</strong>",
        "<a href=\"https://travinh.gov.vn/van-hoa\" rel=\"noopener noreferrer\">chuyên mục</a>",
        "<a href=\"/tin-tuc/2\" rel=\"noopener noreferrer\">tin trước</a>",
        "<a href=\"mailto:vanhoa@travinh.gov.vn\" rel=\"noopener noreferrer\">hỏi</a>",
        "<p lang=\"km\">ពិធីបុណ្យអុំទូក <span lang=\"km\">ខេត្តត្រាវិញ</span></p>",
        "<img src=\"https://travinh.gov.vn/anh/dua-ghe.jpg\" alt=\"Đua ghe ngo\" width=\"640\" height=\"480\">",
        "<figcaption>Đua ghe ngo</figcaption></figure>",
        "<th colspan=\"2\">Kết quả</th>",
        "<td rowspan=\"1\">Hạng</td>",
        "<li>H<sub>2</sub>O</li><li>m<sup>2</sup></li></ul><hr><blockquote>Trích</blockquote>",
    ] {
        assert!(out.contains(kept), "{kept}\nnot in\n{out}");
    }
    assert_safe(body, &out);
}

#[test]
fn plain_text_fields_keep_their_words() {
    assert_eq!(
        sanitize_text(" Thông báo\u{0} số 12/TB-UBND\n\n về  <Tết> ខ្មែរ "),
        "Thông báo số 12/TB-UBND về <Tết> ខ្មែរ"
    );
}

#[test]
fn fuzz_findings_stay_fixed() {
    // Found by the portal_html fuzz target: an element with a control
    // character in its name left a heading nested in a heading.
    let found = "<a\u{10}\u{FFFD}=\"java&#x090)\" onclick=x><h2>Lễ hộ\0<i\0\0\0\0\0\0 onclick=x><h2><h2>Lễ hội</h2>\0gày <strong>4/x4</strong> <a h</a";
    assert_safe(found, &sanitize(found));
}
