//! Helpers of the render tests: render the samples once, run the poppler
//! tools, read `pdftotext -bbox` output.

#![allow(dead_code)]

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
