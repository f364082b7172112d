//! Helpers of the render tests: render the samples once, run the poppler
//! tools, read `pdftotext -bbox` output and the XML parts of a DOCX.

#![allow(dead_code)]

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use render::{Document, Fonts};

pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::system().unwrap())
}

/// Writes `bytes` to a file in a fresh folder that lives as long as the test.
pub fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn pdf_file(dir: &tempfile::TempDir, doc: &Document) -> PathBuf {
    let pdf = render::pdf::render(doc, fonts()).unwrap();
    write_temp(dir, "doc.pdf", &pdf.bytes)
}

/// Runs a tool and returns its standard output; a missing tool fails the
/// test, naming the Debian package, because CI installs them (setup.sh --test).
pub fn run(tool: &str, args: &[&str], package: &str) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}): install the Debian package {package}")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn poppler(tool: &str, args: &[&str]) -> String {
    run(tool, args, "poppler-utils")
}

pub fn pdftotext(path: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"])
}

/// One word of `pdftotext -bbox`: page (1-based), box in points from the top-left.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub text: String,
}

pub fn words(path: &Path) -> (Vec<Word>, f64, f64) {
    let html = poppler(
        "pdftotext",
        &["-bbox", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
    );
    let mut words = Vec::new();
    let (mut page, mut width, mut height) = (0, 0.0, 0.0);
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
            width = attr(line, "width");
            height = attr(line, "height");
        } else if line.starts_with("<word ") {
            let text = line.split_once('>').unwrap().1.trim_end_matches("</word>");
            words.push(Word {
                page,
                x_min: attr(line, "xMin"),
                y_min: attr(line, "yMin"),
                x_max: attr(line, "xMax"),
                y_max: attr(line, "yMax"),
                text: text
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\""),
            });
        }
    }
    (words, width, height)
}

fn attr(line: &str, name: &str) -> f64 {
    let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let rest = &line[start..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

pub const MM: f64 = 72.0 / 25.4;

/// One part of a DOCX (a zip), as text.
pub fn docx_part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The value of `attr` in the first element `tag` of `xml`.
pub fn xml_attr<'a>(xml: &'a str, tag: &str, attr: &str) -> &'a str {
    let at = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no <{tag}>"));
    let el = &xml[at..at + xml[at..].find('>').unwrap()];
    let start = el
        .find(&format!(" {attr}=\""))
        .unwrap_or_else(|| panic!("no {attr} in {el}"))
        + attr.len()
        + 3;
    &el[start..start + el[start..].find('"').unwrap()]
}

/// The integer value of `attr` in the first element `tag` of `xml`.
pub fn xml_value(xml: &str, tag: &str, attr: &str) -> i64 {
    xml_attr(xml, tag, attr).parse().unwrap()
}

/// Twips (twentieths of a point, DOCX's unit) to millimetres.
pub fn twips_to_mm(twips: i64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let t = twips as f64;
    t * 25.4 / 1440.0
}
