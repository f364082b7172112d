//! DOCX (WordprocessingML): owns reading the zip archive within bounds and
//! turning the XML of the text-bearing parts into lines.
//!
//! Parts read, in order: `word/document.xml` (required), the footnotes and
//! endnotes, then headers and footers. Each is inflated through a reader
//! capped at [`Limits::max_zip_entry_bytes`], whatever size the archive's
//! directory declares (a zip bomb lies there), and only one part is held at
//! a time. The XML is read as events (no tree, no recursion); a DOCTYPE is
//! refused outright, since only a DTD can define the entities of an
//! expansion bomb, and element depth is capped.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;
use zip::result::ZipError;

use crate::text::Writer;
use crate::{ExtractError, Limits};

const DOCUMENT: &str = "word/document.xml";

/// Deeper than any real document (tables in tables in text boxes reach a
/// few dozen levels), shallow enough to refuse a pathological file early.
const MAX_DEPTH: usize = 256;

/// Headers and footers read at most: a document has at most three of each
/// per section, and a file with hundreds is not worth the time.
const MAX_EXTRA_PARTS: usize = 32;

/// Whether the bytes are a zip archive with a Word main document.
pub(crate) fn has_document(bytes: &[u8]) -> bool {
    ZipArchive::new(Cursor::new(bytes)).is_ok_and(|zip| zip.index_for_name(DOCUMENT).is_some())
}

pub(crate) fn extract(bytes: &[u8], limits: &Limits, out: &mut Writer) -> Result<(), ExtractError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| malformed(&e))?;
    if zip.index_for_name(DOCUMENT).is_none() {
        return Err(ExtractError::DocxNoDocument);
    }
    let mut extra: Vec<String> = zip
        .file_names()
        .filter(|name| is_header_or_footer(name))
        .map(str::to_owned)
        .collect();
    extra.sort();
    extra.truncate(MAX_EXTRA_PARTS);
    let parts = [DOCUMENT, "word/footnotes.xml", "word/endnotes.xml"]
        .into_iter()
        .map(str::to_owned)
        .chain(extra);
    for part in parts {
        if out.is_full() {
            break;
        }
        let Some(xml) = read_part(&mut zip, &part, limits.max_zip_entry_bytes)? else {
            continue;
        };
        out.newline();
        read_xml(&part, &xml, out)?;
    }
    Ok(())
}

#[allow(clippy::case_sensitive_file_extension_comparisons)]
fn is_header_or_footer(name: &str) -> bool {
    let Some(file) = name.strip_prefix("word/") else {
        return false;
    };
    (file.starts_with("header") || file.starts_with("footer"))
        // Part names are case-sensitive in OPC; Word writes lowercase.
        && file.ends_with(".xml")
        && !file.contains('/')
}

fn malformed(e: &ZipError) -> ExtractError {
    ExtractError::DocxMalformed(e.to_string())
}

/// The part as UTF-8, `None` if the archive has no such entry.
fn read_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    part: &str,
    max: usize,
) -> Result<Option<String>, ExtractError> {
    let entry = match zip.by_name(part) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ExtractError::DocxMalformed(format!("{part}: {e}"))),
    };
    let too_large = || ExtractError::DocxPartTooLarge {
        part: part.to_owned(),
        max,
    };
    // The declared size is only a hint for refusing early and for the
    // allocation; the `take` below is the real bound.
    let declared = usize::try_from(entry.size()).unwrap_or(usize::MAX);
    if declared > max {
        return Err(too_large());
    }
    let mut buf = Vec::with_capacity(declared);
    let cap = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    entry
        .take(cap)
        .read_to_end(&mut buf)
        .map_err(|e| ExtractError::DocxMalformed(format!("{part}: {e}")))?;
    if buf.len() > max {
        return Err(too_large());
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| ExtractError::DocxMalformed(format!("{part}: không phải UTF-8")))
}

/// Where the reader is inside the WordprocessingML (and DrawingML, whose
/// text boxes and shapes hold text too: `a:p`, `a:r`, `a:t`).
#[derive(Default)]
struct State {
    depth: usize,
    /// Inside `w:r`: only there is `w:tab` a tab character (inside
    /// `w:pPr/w:tabs` it is a tab stop) and `w:br` a break.
    runs: usize,
    /// Inside `w:t` (not `w:delText`, deleted text, nor `w:instrText`, a
    /// field's code).
    in_text: bool,
    /// The depth of an `mc:Fallback` being skipped: Word writes a text box
    /// twice, as DrawingML in `mc:Choice` and as VML in `mc:Fallback`, and
    /// the text should be found once.
    skip_from: Option<usize>,
}

fn read_xml(part: &str, xml: &str, out: &mut Writer) -> Result<(), ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut st = State::default();
    let bad = |e: &dyn std::fmt::Display| ExtractError::DocxMalformed(format!("{part}: {e}"));
    loop {
        if out.is_full() {
            return Ok(());
        }
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::DocType(_) => {
                return Err(ExtractError::DocxDoctype {
                    part: part.to_owned(),
                });
            }
            Event::Start(e) => {
                st.depth += 1;
                if st.depth > MAX_DEPTH {
                    return Err(ExtractError::DocxTooDeep {
                        part: part.to_owned(),
                        max: MAX_DEPTH,
                    });
                }
                if st.skip_from.is_none() && e.local_name().as_ref() == "Fallback" {
                    st.skip_from = Some(st.depth);
                }
                if st.skip_from.is_none() {
                    element(&e, &mut st, out, true);
                }
            }
            Event::Empty(e) if st.skip_from.is_none() => element(&e, &mut st, out, false),
            Event::End(_) if st.skip_from.is_some() => {
                if st.skip_from == Some(st.depth) {
                    st.skip_from = None;
                }
                st.depth = st.depth.saturating_sub(1);
            }
            Event::End(e) => {
                st.depth = st.depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    "t" => st.in_text = false,
                    "r" => st.runs = st.runs.saturating_sub(1),
                    "p" => out.newline(),
                    _ => {}
                }
            }
            Event::Text(t) if st.in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if st.in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if st.in_text => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| bad(&e))? {
                    out.push(c);
                } else {
                    // Without a DTD only the five predefined entities exist.
                    match r.as_ref() {
                        "amp" => out.push('&'),
                        "lt" => out.push('<'),
                        "gt" => out.push('>'),
                        "quot" => out.push('"'),
                        "apos" => out.push('\''),
                        _ => {}
                    }
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// A start or empty element. `open` is false for `<x/>`, which has no end
/// event to undo what a start sets.
fn element(e: &BytesStart<'_>, st: &mut State, out: &mut Writer, open: bool) {
    match e.local_name().as_ref() {
        "t" if open => st.in_text = true,
        "r" if open => st.runs += 1,
        // A paragraph can start inside another one's run (a text box), so
        // its start also ends the line.
        "p" => out.newline(),
        "tab" | "ptab" if st.runs > 0 => out.tab(),
        "br" | "cr" if st.runs > 0 => out.newline(),
        "noBreakHyphen" if st.runs > 0 => out.push('-'),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(body: &str) -> Result<String, ExtractError> {
        let doc = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let mut out = Writer::new(1000);
        read_xml("word/document.xml", &doc, &mut out)?;
        Ok(out.finish())
    }

    #[test]
    fn runs_paragraphs_tabs_and_breaks() {
        let got = xml(concat!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>"#,
            r#"<w:r><w:t>Kế hoạch</w:t></w:r><w:r><w:t xml:space="preserve"> số </w:t></w:r>"#,
            r#"<w:r><w:t>12</w:t><w:tab/><w:t>KH-UBND</w:t><w:br/><w:t>dòng hai</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>Đ</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>ường</w:t></w:r></w:p>"#,
        ))
        .unwrap();
        assert_eq!(got, "Kế hoạch số 12\tKH-UBND\ndòng hai\nĐường");
    }

    #[test]
    fn deleted_text_and_field_codes_are_not_text() {
        let got = xml(concat!(
            r#"<w:p><w:r><w:delText>cũ</w:delText></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"#,
            r#"<w:r><w:t>mới</w:t></w:r></w:p>"#,
        ))
        .unwrap();
        assert_eq!(got, "mới");
    }

    #[test]
    fn a_text_box_is_read_once_not_from_its_vml_fallback() {
        let got = xml(concat!(
            r#"<w:p><w:r><w:t>Trước</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="mc">"#,
            r#"<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>"#,
            r#"<w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"#,
            r#"<mc:Fallback><w:pict><v:textbox><w:txbxContent>"#,
            r#"<w:p><w:r><w:t>Hộp chữ</w:t><w:br/></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>"#,
            r#"</mc:AlternateContent></w:r><w:r><w:t>Sau</w:t></w:r></w:p>"#,
        ))
        .unwrap();
        assert_eq!(got, "Trước\nHộp chữ\nSau");
    }

    #[test]
    fn entities_and_character_references() {
        let got =
            xml(r"<w:p><w:r><w:t>A &amp; B &lt;C&gt; &#7879;&#x1EC7;</w:t></w:r></w:p>").unwrap();
        assert_eq!(got, "A & B <C> ệệ");
    }

    #[test]
    fn a_doctype_is_refused() {
        let doc = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><w:document><w:t>&a;</w:t></w:document>"#;
        let mut out = Writer::new(100);
        let got = read_xml("word/document.xml", doc, &mut out);
        assert!(
            matches!(got, Err(ExtractError::DocxDoctype { .. })),
            "{got:?}"
        );
    }

    #[test]
    fn depth_is_capped() {
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        let mut out = Writer::new(100);
        let got = read_xml("word/document.xml", &deep, &mut out);
        assert!(
            matches!(got, Err(ExtractError::DocxTooDeep { max: MAX_DEPTH, .. })),
            "{got:?}"
        );
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(read_xml("word/document.xml", &ok, &mut Writer::new(100)).is_ok());
    }

    #[test]
    fn headers_and_footers_are_recognised() {
        assert!(is_header_or_footer("word/header1.xml"));
        assert!(is_header_or_footer("word/footer12.xml"));
        assert!(!is_header_or_footer("word/_rels/header1.xml.rels"));
        assert!(!is_header_or_footer("word/document.xml"));
        assert!(!is_header_or_footer("header1.xml"));
    }
}
