//! The model as Typst source: a header of measures, the fixed preamble, then
//! one function call per element.
//!
//! Invariant: user text enters the source only through `string`, as a Typst
//! string literal, so no character a person types can open markup, code or a
//! file read; everything else in the source is written here.

use std::fmt::Write as _;

use crate::layout as l;
use crate::model::{
    Block, Document, HeadingLevel, Inline, Kind, Orientation, Signature, Signer, Table,
};
use crate::numbering::Numberer;

const PREAMBLE: &str = include_str!("preamble.typ");

/// The label on the mark inside the official's signature space.
pub(crate) const SIGNATURE_LABEL: &str = "egov-signature";

/// A Typst string literal holding `text` exactly.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn opt(text: Option<&str>) -> String {
    text.map_or_else(|| "none".to_owned(), string)
}

/// The Typst source of a document and the SVG files it refers to.
pub(crate) fn source(doc: &Document, serif: &str) -> (String, Vec<(String, Vec<u8>)>) {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "#let m = (top: {}mm, bottom: {}mm, left: {}mm, right: {}mm, body-pt: {}pt, title-pt: {}pt, \
         motto-pt: {}pt, header-pt: {}pt, small-pt: {}pt, recipients-title-pt: {}pt, recipients-pt: {}pt, \
         indent: {}cm, spacing: {}pt, sig-w: {}mm, sig-h: {}mm, fonts: ({}, {}), flipped: {})",
        l::MARGIN_TOP_MM,
        l::MARGIN_BOTTOM_MM,
        l::MARGIN_LEFT_MM,
        l::MARGIN_RIGHT_MM,
        l::BODY_PT,
        l::TITLE_PT,
        l::MOTTO_PT,
        l::HEADER_PT,
        l::SMALL_PT,
        l::RECIPIENTS_TITLE_PT,
        l::RECIPIENTS_PT,
        l::INDENT_CM,
        l::PARAGRAPH_SPACING_PT,
        l::SIGNATURE_WIDTH_MM,
        l::SIGNATURE_HEIGHT_MM,
        string(serif),
        string(l::KHMER_FAMILY),
        doc.orientation == Orientation::Landscape,
    );
    s.push_str(PREAMBLE);
    let title = match &doc.kind {
        Kind::Named { name, summary } => format!("{name} {summary}"),
        Kind::CongVan { summary } => format!("V/v {summary}"),
    };
    let _ = writeln!(s, "\n#show: decree.with({})", string(&title));
    let cv_summary = match &doc.kind {
        Kind::CongVan { summary } => Some(summary.as_str()),
        Kind::Named { .. } => None,
    };
    let _ = writeln!(
        s,
        "#header-block({}, {}, {}, {}, {})",
        opt(doc.agency.parent.as_deref()),
        string(&doc.agency.issuer),
        string(&doc.number),
        opt(cv_summary),
        string(&vn::dates::place_date_header(&doc.place, doc.date)),
    );
    if let Kind::Named { name, summary } = &doc.kind {
        let _ = writeln!(s, "#type-block({}, {})", string(name), string(summary));
    }
    if !doc.addressees.is_empty() {
        let list: Vec<String> = doc.addressees.iter().map(|a| string(a)).collect();
        let _ = writeln!(s, "#addressees(({},))", list.join(", "));
    }
    let mut files = Vec::new();
    body(&mut s, &doc.body, &mut files);
    let right = |signer: &Signer, label: &str| {
        format!(
            "signer({}, {}, {}, [#metadata(\"sig\") <{label}>])",
            opt(signer.authority.as_deref()),
            string(&signer.position),
            string(&signer.name),
        )
    };
    let left = match &doc.signature {
        Signature::Two { left, .. } => right(left, "egov-signature-left"),
        Signature::One(_) => {
            let lines: Vec<String> = doc.recipients.iter().map(|r| string(r)).collect();
            format!(
                "recipients(({}), {})",
                lines.iter().fold(String::new(), |mut acc, x| {
                    acc.push_str(x);
                    acc.push(',');
                    acc
                }),
                string(&doc.archive_unit)
            )
        }
    };
    let official = match &doc.signature {
        Signature::One(signer) | Signature::Two { right: signer, .. } => {
            right(signer, SIGNATURE_LABEL)
        }
    };
    let _ = writeln!(s, "#closing({left}, {official})");
    (s, files)
}

fn body(s: &mut String, blocks: &[Block], files: &mut Vec<(String, Vec<u8>)>) {
    let mut numbers = Numberer::default();
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                let number = numbers.next(*level);
                let depth = match level {
                    HeadingLevel::Roman => 1,
                    HeadingLevel::Arabic => 2,
                    HeadingLevel::Letter => 3,
                };
                let _ = writeln!(
                    s,
                    "#heading(level: {depth}, {})\n",
                    string(&format!("{number} {text}"))
                );
            }
            Block::Paragraph(runs) => {
                inlines(s, runs);
                s.push_str("\n\n");
            }
            Block::Khmer(text) => {
                let _ = writeln!(s, "#text(lang: \"km\", {})\n", string(text));
            }
            Block::Bullets(items) => {
                s.push_str("#list(marker: [-], indent: m.indent, body-indent: 0.5em");
                for item in items {
                    s.push_str(", [");
                    inlines(s, item);
                    s.push(']');
                }
                s.push_str(")\n\n");
            }
            Block::Table(table) => {
                self::table(s, table);
            }
            Block::Chart(chart) => {
                let name = format!("chart-{}.svg", files.len());
                let _ = writeln!(s, "#bar-chart({})\n", string(&name));
                files.push((name, chart.to_svg().into_bytes()));
            }
        }
    }
}

fn inlines(s: &mut String, runs: &[Inline]) {
    for run in runs {
        match run {
            Inline::Text { text, bold, italic } => {
                let lit = string(text);
                let _ = match (bold, italic) {
                    (false, false) => write!(s, "#{lit}"),
                    (true, false) => write!(s, "#strong({lit})"),
                    (false, true) => write!(s, "#emph({lit})"),
                    (true, true) => write!(s, "#strong(emph({lit}))"),
                };
            }
            Inline::Footnote(text) => {
                let _ = write!(s, "#footnote({})", string(text));
            }
        }
    }
}

fn table(s: &mut String, table: &Table) {
    let widths: Vec<String> = table.widths.iter().map(|w| format!("{w}fr")).collect();
    let _ = write!(
        s,
        "#table(columns: ({},), align: (x, y) => if y == 0 {{ center + horizon }} else {{ left + horizon }}, table.header(",
        widths.join(", ")
    );
    for cell in &table.header {
        let _ = write!(s, "strong({}),", string(cell));
    }
    s.push(')');
    for row in &table.rows {
        for cell in row {
            let _ = write!(s, ", {}", string(cell));
        }
    }
    s.push_str(")\n\n");
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn strings_are_literals_whatever_they_hold() {
        assert_eq!(string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string("x\ny"), r#""x\u{a}y""#);
        // Markup and code characters stay inside the literal.
        assert_eq!(string("#read(\"/x\") *b* ]"), r##""#read(\"/x\") *b* ]""##);
    }
}
