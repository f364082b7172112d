//! The catalogue as the clerks' XLSX workbook: three sheets — «Thủ tục»
//! (one row a procedure; agencies and legal basis one a line in their
//! cell; the internal process's hours in four optional columns, «Giờ
//! tiếp nhận» to «Giờ trả kết quả», all empty for the default split, and
//! a workbook made without those columns reads as before), «Phí, lệ phí» and «Thành phần hồ sơ» (one row a fee or a paper,
//! tied to its procedure by the national code, in order). Written by
//! rust_xlsxwriter, read by calamine.
//!
//! The workbook is outside input: its size is bounded, and before calamine
//! sees it every part is inflated once through a counting reader, so the
//! parts together cannot inflate past `Limits::max_inflated` (a zip bomb
//! is refused whatever its directory declares).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use crate::files::cell_text;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{
    Budgets, Catalogue, CatalogueError, Column, Details, Entry, Fee, FormFile, Limits, Place,
    Problem, RequiredPaper, Row, check_unique, copies, entry_of, optional, paper_kind, sha256,
    whole,
};

pub const PROCEDURES: &str = "Thủ tục";
pub const FEES: &str = "Phí, lệ phí";
pub const PAPERS: &str = "Thành phần hồ sơ";

const CODE: &str = "Mã thủ tục";
const FEE_HEADERS: [&str; 3] = [CODE, "Tên khoản phí, lệ phí", "Số tiền (đồng)"];
const PAPER_HEADERS: [&str; 6] = [
    CODE,
    "Tên giấy tờ",
    "Số bản",
    "Bản chính/bản sao",
    "Tên tệp mẫu đơn",
    "SHA-256 tệp mẫu đơn",
];

/// The workbook of a catalogue.
pub fn write(catalogue: &Catalogue) -> Result<Vec<u8>, CatalogueError> {
    write_book(catalogue).map_err(|e| CatalogueError::NotXlsx(e.to_string()))
}

fn write_book(catalogue: &Catalogue) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let headers: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
    let sheet = new_sheet(&mut book, PROCEDURES, &headers, &bold)?;
    for (n, e) in catalogue.entries.iter().enumerate() {
        let row = row_number(n);
        for (col, column) in (0_u16..).zip(Column::ALL) {
            let text = match column {
                Column::NationalCode => e.national_code.clone(),
                Column::Name => e.name.clone(),
                Column::Field => e.field.clone().unwrap_or_default(),
                Column::Agencies => e.details.agencies.join("\n"),
                Column::Level => e.level.number().to_string(),
                Column::Online => e.online.label().to_owned(),
                Column::ProcessingDays => e.processing_days.to_string(),
                Column::Fee => vn::numbers::format_count(e.fee),
                Column::Result => e.details.result.clone().unwrap_or_default(),
                Column::LegalBasis => e.details.legal_basis.join("\n"),
                Column::EffectiveFrom => vn::dates::format_short(e.effective_from),
                Column::EffectiveTo => e
                    .effective_to
                    .map(vn::dates::format_short)
                    .unwrap_or_default(),
                Column::ReceptionHours
                | Column::HandlingHours
                | Column::ApprovalHours
                | Column::ReleaseHours => {
                    let at = Column::BUDGETS.iter().position(|c| *c == column);
                    e.details
                        .budgets
                        .zip(at)
                        .and_then(|(b, at)| b.of(Budgets::STAGES[at]))
                        .map(|hours| hours.to_string())
                        .unwrap_or_default()
                }
            };
            if !text.is_empty() {
                sheet.write_string_with_format(row, col, text, &wrap)?;
            }
        }
    }
    let sheet = new_sheet(&mut book, FEES, &FEE_HEADERS, &bold)?;
    let fees = catalogue
        .entries
        .iter()
        .flat_map(|e| e.details.fees.iter().map(move |f| (e, f)));
    for (n, (e, fee)) in fees.enumerate() {
        let row = row_number(n);
        sheet.write_string(row, 0, &e.national_code)?;
        sheet.write_string(row, 1, &fee.name)?;
        sheet.write_string(row, 2, vn::numbers::format_count(fee.amount))?;
    }
    let sheet = new_sheet(&mut book, PAPERS, &PAPER_HEADERS, &bold)?;
    let papers = catalogue
        .entries
        .iter()
        .flat_map(|e| e.details.papers.iter().map(move |p| (e, p)));
    for (n, (e, paper)) in papers.enumerate() {
        let row = row_number(n);
        sheet.write_string(row, 0, &e.national_code)?;
        sheet.write_string(row, 1, &paper.name)?;
        sheet.write_string(row, 2, paper.copies.to_string())?;
        sheet.write_string(row, 3, paper.kind.label())?;
        if let Some(form) = &paper.form {
            sheet.write_string(row, 4, &form.name)?;
            sheet.write_string(row, 5, &form.sha256)?;
        }
    }
    book.save_to_buffer()
}

/// The sheet row (from 0, under the header) of the `n`th record.
fn row_number(n: usize) -> u32 {
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

fn new_sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    headers: &[&str],
    bold: &Format,
) -> Result<&'a mut Worksheet, XlsxError> {
    let sheet = book.add_worksheet().set_name(name)?;
    for (col, header) in (0_u16..).zip(headers) {
        sheet.write_string_with_format(0, col, *header, bold)?;
        sheet.set_column_width(col, if col == 1 { 60 } else { 22 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

/// Inflates every part once, counting, before calamine reads anything.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), CatalogueError> {
    crate::files::check_zip_inflation(bytes, limits.max_inflated).map_err(CatalogueError::NotXlsx)
}

/// A sheet's rows under its header, with each header's column.
struct Table {
    name: &'static str,
    range: Range<Data>,
    columns: BTreeMap<&'static str, usize>,
}

impl Table {
    /// Opens sheet `name`, refusing it without one of `headers`; the
    /// `optional` headers may be missing (their cells then read empty).
    fn open(
        book: &mut Xlsx<Cursor<&[u8]>>,
        name: &'static str,
        headers: &[&'static str],
        optional: &[&'static str],
    ) -> Result<Self, CatalogueError> {
        let range = book
            .worksheet_range(name)
            .map_err(|_| CatalogueError::MissingSheet(name))?;
        let first: Vec<String> = range
            .rows()
            .next()
            .map(|row| {
                row.iter()
                    .map(|c| cell_text(Some(c)).trim().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let start = range.start().map_or(0, |(_, col)| col as usize);
        let mut columns = BTreeMap::new();
        for header in headers {
            let at = first
                .iter()
                .position(|h| vn::text::nfc(h) == *header)
                .ok_or(CatalogueError::MissingColumn {
                    sheet: name,
                    header,
                })?;
            columns.insert(*header, start + at);
        }
        for header in optional {
            if let Some(at) = first.iter().position(|h| vn::text::nfc(h) == *header) {
                columns.insert(*header, start + at);
            }
        }
        Ok(Self {
            name,
            range,
            columns,
        })
    }

    /// The data rows: (Excel's row number, the cells as text by header),
    /// blank rows left out.
    fn rows(&self) -> impl Iterator<Item = (u32, BTreeMap<&'static str, String>)> + '_ {
        let top = self.range.start().map_or(0, |(row, _)| row);
        let left = self.range.start().map_or(0, |(_, col)| col as usize);
        (top..)
            .zip(self.range.rows())
            .skip(1)
            .filter_map(move |(row, cells)| {
                let values: BTreeMap<&'static str, String> = self
                    .columns
                    .iter()
                    .map(|(header, col)| (*header, cell_text(cells.get(col - left))))
                    .collect();
                values
                    .values()
                    .any(|v| !v.trim().is_empty())
                    .then_some((row + 1, values))
            })
    }

    fn place(&self, row: u32, header: &'static str) -> Place {
        let col = self.columns.get(header).copied().unwrap_or(0);
        Place::Sheet {
            sheet: self.name,
            row,
            column: letter(col),
            header,
        }
    }

    fn bad(&self, row: u32, header: &'static str, problem: Problem) -> CatalogueError {
        CatalogueError::Bad {
            place: self.place(row, header),
            problem,
        }
    }
}

/// A column's letters, from 0: A … Z, AA ….
fn letter(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + u8::try_from(col % 26).unwrap_or(0)));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Reads the workbook under `limits`. The agency code is not in the
/// workbook; the caller names the agency.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Catalogue, CatalogueError> {
    if bytes.len() > limits.max_bytes {
        return Err(CatalogueError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    check_zip(bytes, limits)?;
    let mut book =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| CatalogueError::NotXlsx(e.to_string()))?;
    let headers = |optional: bool| -> Vec<&'static str> {
        Column::ALL
            .iter()
            .filter(|c| c.optional() == optional)
            .map(|c| c.header())
            .collect()
    };
    let procedures = Table::open(&mut book, PROCEDURES, &headers(false), &headers(true))?;
    let fees = Table::open(&mut book, FEES, &FEE_HEADERS, &[])?;
    let papers = Table::open(&mut book, PAPERS, &PAPER_HEADERS, &[])?;
    let mut details: BTreeMap<String, Details> = BTreeMap::new();
    let mut rows_of: BTreeMap<String, (&Table, u32)> = BTreeMap::new();
    for (row, values) in fees.rows() {
        let text = |i: usize| values[FEE_HEADERS[i]].trim().to_owned();
        let name = optional(&text(1), limits.max_chars)
            .and_then(|n| n.ok_or_else(|| "bỏ trống".to_owned()))
            .map_err(|p| fees.bad(row, FEE_HEADERS[1], p))?;
        let amount = whole(&text(2)).map_err(|p| fees.bad(row, FEE_HEADERS[2], p))?;
        let code = text(0);
        rows_of.entry(code.clone()).or_insert((&fees, row));
        let entry = details.entry(code).or_default();
        entry.fees.push(Fee { name, amount });
        if entry.fees.len() > limits.max_items {
            return Err(fees.bad(row, CODE, format!("nhiều hơn {} khoản", limits.max_items)));
        }
    }
    for (row, values) in papers.rows() {
        let text = |i: usize| values[PAPER_HEADERS[i]].trim().to_owned();
        let table = &papers;
        let bad = |i: usize| move |p| table.bad(row, PAPER_HEADERS[i], p);
        let form = match (text(4).is_empty(), text(5).is_empty()) {
            (true, true) => None,
            _ => Some(FormFile {
                name: optional(&text(4), limits.max_chars)
                    .and_then(|n| n.ok_or_else(|| "bỏ trống".to_owned()))
                    .map_err(bad(4))?,
                sha256: sha256(&text(5)).map_err(bad(5))?,
            }),
        };
        let paper = RequiredPaper {
            name: optional(&text(1), limits.max_chars)
                .and_then(|n| n.ok_or_else(|| "bỏ trống".to_owned()))
                .map_err(bad(1))?,
            copies: copies(&text(2)).map_err(bad(2))?,
            kind: paper_kind(&text(3)).map_err(bad(3))?,
            form,
        };
        let code = text(0);
        rows_of.entry(code.clone()).or_insert((&papers, row));
        let entry = details.entry(code).or_default();
        entry.papers.push(paper);
        if entry.papers.len() > limits.max_items {
            return Err(papers.bad(row, CODE, format!("nhiều hơn {} giấy tờ", limits.max_items)));
        }
    }
    let mut seen = BTreeSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (row, values) in procedures.rows() {
        if entries.len() == limits.max_procedures {
            return Err(CatalogueError::TooManyProcedures(limits.max_procedures));
        }
        let cell = |column: Column| values.get(column.header()).cloned().unwrap_or_default();
        let place = |column: Column| procedures.place(row, column.header());
        let code = cell(Column::NationalCode).trim().to_owned();
        let own = details.remove(&code).unwrap_or_default();
        let entry = entry_of(
            &Row {
                cell: &cell,
                place: &place,
            },
            own,
            limits,
        )?;
        check_unique(&mut seen, &entry.national_code, || {
            place(Column::NationalCode)
        })?;
        entries.push(entry);
    }
    if let Some((code, _)) = details.into_iter().next() {
        let (table, row) = rows_of[&code];
        return Err(table.bad(
            row,
            CODE,
            format!("mã thủ tục «{code}» không có trên trang «{PROCEDURES}»"),
        ));
    }
    Ok(Catalogue {
        agency: String::new(),
        entries,
    })
}
