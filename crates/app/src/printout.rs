//! Printouts of the registers: the register book (Decree 30/2020 App. IV) as
//! PDF or DOCX, through `render`.
//!
//! Invariant: the caller has authorised the reader and built the rows
//! (`domain::documents::register_row`); rendering is CPU-bound for up to
//! seconds, so `register_book` is synchronous and callers run it off the
//! async threads. A book has at most `MAX_ROWS` lines: beyond that the
//! reader filters or takes the CSV.

use std::sync::OnceLock;

use domain::agencies::AgencyId;
use domain::documents::{Direction, register_columns};
use render::{AgencyHeader, Fonts};
use time::Date;

use crate::exchange::place_of;
use crate::{App, AppError};

/// The most lines a printed book holds (about 250 A4 pages).
pub const MAX_ROWS: u64 = 5_000;

/// The output format of a printout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

/// What heads a printed book: the parent agency, the agency, the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookHeading {
    pub parent: Option<String>,
    pub issuer: String,
    /// The province's name (the top of the agency's tree).
    pub place: String,
}

/// The error for a book longer than `MAX_ROWS`.
pub fn too_large(total: u64) -> AppError {
    AppError::Invalid(format!(
        "Sổ quá lớn để in ({} văn bản, tối đa {}); hãy lọc theo loại văn bản, độ khẩn hoặc từ khóa, hoặc tải sổ dạng CSV",
        vn::numbers::format_count(total),
        vn::numbers::format_count(MAX_ROWS),
    ))
}

impl App {
    /// The heading of an agency's printed register book.
    pub async fn book_heading(&self, agency_id: AgencyId) -> Result<BookHeading, AppError> {
        let lineage = self.lineage(agency_id).await?;
        let agency = self.agency(agency_id).await?;
        let parent = match lineage.get(1) {
            Some(id) => Some(self.agency(*id).await?.name.to_uppercase()),
            None => None,
        };
        let root = match lineage.last() {
            Some(id) if *id != agency_id => self.agency(*id).await?,
            _ => agency.clone(),
        };
        Ok(BookHeading {
            parent,
            issuer: agency.name.to_uppercase(),
            place: place_of(&root),
        })
    }
}

/// Renders a register book of `year`, printed on `today`. CPU-bound: run it
/// off the async threads. The fonts are read once, on the first printout.
pub fn register_book(
    heading: &BookHeading,
    direction: Direction,
    year: i32,
    today: Date,
    rows: Vec<[String; 10]>,
    format: Format,
) -> Result<Vec<u8>, AppError> {
    if rows.len() as u64 > MAX_ROWS {
        return Err(too_large(rows.len() as u64));
    }
    let title = match direction {
        Direction::Outgoing => "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
        Direction::Incoming => "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    };
    let doc = render::register::book(
        AgencyHeader {
            parent: heading.parent.clone(),
            issuer: heading.issuer.clone(),
        },
        title,
        year,
        &heading.place,
        today,
        register_columns(direction),
        rows,
    );
    let fonts = fonts()?;
    let failed = |e: render::Error| AppError::Internal(e.to_string());
    match format {
        Format::Pdf => Ok(render::pdf::render(&doc, fonts).map_err(failed)?.bytes),
        Format::Docx => render::docx::render(&doc, fonts).map_err(failed),
    }
}

pub(crate) fn fonts() -> Result<&'static Fonts, AppError> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| Fonts::system().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Internal(e.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_above_the_limit_is_refused_before_rendering() {
        let heading = BookHeading {
            parent: None,
            issuer: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG".into(),
            place: "Trà Vinh".into(),
        };
        let rows: Vec<[String; 10]> = (0..=MAX_ROWS).map(|_| Default::default()).collect();
        let today = time::macros::date!(2021 - 12 - 31);
        let err = register_book(
            &heading,
            Direction::Outgoing,
            2021,
            today,
            rows,
            Format::Pdf,
        )
        .unwrap_err();
        assert!(matches!(&err, AppError::Invalid(m) if m.starts_with("Sổ quá lớn để in")));
    }
}
