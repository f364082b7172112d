//! The register book printout (sổ đăng ký văn bản đi/đến, Decree 30/2020
//! App. IV) as a `Document`: the agency header, the book's title and year,
//! and one table of the ten columns, so both outputs lay it out as they lay
//! out any document.
//!
//! Invariant: a pure function of its data; the rows come already written
//! (`domain::documents::register_row`), nothing is computed here. The book
//! is printed on landscape A4: ten columns are cramped on an upright page.

use time::Date;

use crate::model::{AgencyHeader, Block, Document, Kind, Orientation, Signature, Signer, Table};

/// Relative widths of the ten columns on the landscape page (one unit is
/// about 8.4 mm): the title and summary column wide, the columns the clerk
/// fills by hand narrow, and the number and date columns wide enough for
/// "1234/QĐ-STTTT" and "31/12/2021" on one line of the PDF (Word's wider
/// cell margins may still wrap a long number).
const WIDTHS: [u16; 10] = [4, 3, 6, 3, 3, 3, 2, 2, 2, 2];

/// One register book: `title` is "SỔ ĐĂNG KÝ VĂN BẢN ĐI" or "… ĐẾN", dated
/// `date` at `place` (the day it is printed).
pub fn book(
    agency: AgencyHeader,
    title: &str,
    year: i32,
    place: &str,
    date: Date,
    columns: [&str; 10],
    rows: Vec<[String; 10]>,
) -> Document {
    let signer = |position: &str| Signer {
        authority: None,
        position: position.to_owned(),
        name: String::new(),
    };
    Document {
        agency,
        number: String::new(),
        place: place.to_owned(),
        date,
        kind: Kind::Named {
            name: title.to_owned(),
            summary: format!("Năm {year}"),
        },
        addressees: Vec::new(),
        body: vec![Block::Table(Table {
            header: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: rows.into_iter().map(Vec::from).collect(),
            widths: WIDTHS.to_vec(),
        })],
        signature: Signature::Two {
            left: signer("NGƯỜI LẬP SỔ"),
            right: signer("THỦ TRƯỞNG CƠ QUAN"),
        },
        recipients: Vec::new(),
        archive_unit: String::new(),
        orientation: Orientation::Landscape,
    }
}
