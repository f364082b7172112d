//! Staff lists: the list of people (or of its own and its units' boxes)
//! an agency uploads to ask for many mailboxes at once, as CSV (UTF-8,
//! with or without a byte-order mark, comma or semicolon) or XLSX (its
//! first sheet), read into the boxes a bulk request asks for.
//!
//! Columns are found by their Vietnamese headers, case and diacritics
//! aside («HO VA TEN» is «Họ và tên»), on a header row among the first
//! ten (a title may stand above it); other columns («STT») are ignored.
//! The list is outside input: its size, rows and columns are bounded and
//! an XLSX is inflated under a bound before calamine reads it. A list
//! with any wrong row is refused whole, each wrong row named by its
//! number in the file, so that the clerk corrects them all at once.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::addresses::{AddressError, person_local_part};
use super::mailboxes::MailboxKind;
use crate::agencies::{Agency, AgencyId};
use crate::files::{MediaType, cell_text, check_zip_inflation, sniff};

/// Most rows (boxes) one list may ask for.
pub const MAX_ROWS: usize = 5_000;
/// Largest file taken.
pub const MAX_BYTES: usize = 5 << 20;
/// What an XLSX's parts may inflate to in all.
const MAX_INFLATED: u64 = 64 << 20;
/// Columns read from a row; more are ignored.
const MAX_COLUMNS: usize = 50;
/// Rows searched for the header.
const HEADER_ROWS: usize = 10;
const MAX_NAME_CHARS: usize = 100;
const MAX_TEXT_CHARS: usize = 200;

/// The columns of a staff list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    FullName,
    Position,
    Unit,
    Kind,
    Email,
    Phone,
}

impl Column {
    pub const ALL: [Self; 6] = [
        Self::FullName,
        Self::Position,
        Self::Unit,
        Self::Kind,
        Self::Email,
        Self::Phone,
    ];

    /// The header as the template writes it.
    pub fn header(self) -> &'static str {
        match self {
            Self::FullName => "Họ và tên",
            Self::Position => "Chức vụ",
            Self::Unit => "Đơn vị",
            Self::Kind => "Loại",
            Self::Email => "Thư điện tử hiện có",
            Self::Phone => "Điện thoại",
        }
    }
}

/// One box a list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffEntry {
    /// The row in the file as a spreadsheet or an editor numbers it (the
    /// header's row counts).
    pub row: usize,
    pub kind: MailboxKind,
    /// The agency or unit the box belongs to, or its holder works in.
    pub agency_id: AgencyId,
    /// NFC, single spaces; empty for an agency's or unit's box without one.
    pub full_name: String,
    pub position: String,
    /// The address the person uses today, if given.
    pub existing_email: String,
    pub phone: String,
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub problem: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dòng {}: {}", self.row, self.problem)
    }
}

/// Why a list is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffListError {
    #[error("Tệp trống.")]
    Empty,
    #[error("Tệp lớn hơn {} MB.", MAX_BYTES >> 20)]
    TooLarge,
    #[error("Tệp «{0}» không phải CSV (UTF-8) hay XLSX.")]
    NotCsvOrXlsx(String),
    #[error("Không đọc được tệp: {0}.")]
    Unreadable(String),
    #[error("Không tìm thấy dòng tiêu đề có cột «{0}» trong {HEADER_ROWS} dòng đầu.")]
    MissingHeader(&'static str),
    #[error("Danh sách không có dòng nào dưới dòng tiêu đề.")]
    NoRows,
    #[error("Danh sách có hơn {} dòng; hãy chia thành nhiều tệp.", vn::numbers::format_count(MAX_ROWS as u64))]
    TooManyRows,
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<RowError>),
}

impl StaffListError {
    /// Its message, one line a wrong row.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::Rows(rows) => rows.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        }
    }
}

/// A row of cells with its number in the file.
pub(crate) type Line = (usize, Vec<String>);

/// Reads `bytes` (named `file_name` by the client, for the messages) as
/// the staff list of `agency`, whose units (direct or not) are `units`.
/// Its type comes from its bytes: an OOXML package is read as XLSX,
/// UTF-8 text as CSV.
pub fn read(
    bytes: &[u8],
    file_name: &str,
    agency: &Agency,
    units: &[Agency],
) -> Result<Vec<StaffEntry>, StaffListError> {
    if bytes.is_empty() {
        return Err(StaffListError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(StaffListError::TooLarge);
    }
    let lines = match sniff(bytes) {
        Some(MediaType::OfficeOpenXml) => xlsx_lines(bytes)?,
        Some(MediaType::Text) => csv_lines(bytes)?,
        _ => return Err(StaffListError::NotCsvOrXlsx(file_name.to_owned())),
    };
    if lines.iter().all(|(_, cells)| is_blank(cells)) {
        return Err(StaffListError::Empty);
    }
    let (header_at, columns) = header(&lines)?;
    let rows: Vec<&Line> = lines[header_at + 1..]
        .iter()
        .filter(|(_, cells)| !is_blank(cells))
        .collect();
    if rows.is_empty() {
        return Err(StaffListError::NoRows);
    }
    if rows.len() > MAX_ROWS {
        return Err(StaffListError::TooManyRows);
    }
    let places: Vec<&Agency> = std::iter::once(agency).chain(units).collect();
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    let mut entries = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (row, cells) in rows {
        let cell = |c: Column| {
            columns[c as usize]
                .and_then(|i| cells.get(i))
                .map(|v| vn::text::squash_spaces(&vn::text::nfc(v)))
                .unwrap_or_default()
        };
        match entry(*row, &cell, agency, &places) {
            Err(problems) => errors.push(RowError {
                row: *row,
                problem: problems.join("; "),
            }),
            Ok(entry) => {
                if let Some(first) = seen.insert(same_box_key(&entry), *row) {
                    errors.push(RowError {
                        row: *row,
                        problem: format!("trùng với dòng {first}"),
                    });
                }
                entries.push(entry);
            }
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        errors.sort_by_key(|e| e.row);
        Err(StaffListError::Rows(errors))
    }
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// A header or a loose value as compared: folded, single spaces, without
/// the marks a template puts after a header («Họ và tên (*)»).
fn key(text: &str) -> String {
    let folded = vn::text::squash_spaces(&vn::text::fold(text));
    folded
        .trim_end_matches(['*', ':', '(', ')', ' '])
        .to_owned()
}

/// The header row (its index in `lines`) and each column's position.
fn header(lines: &[Line]) -> Result<(usize, [Option<usize>; 6]), StaffListError> {
    let name = key(Column::FullName.header());
    let at = lines
        .iter()
        .take(HEADER_ROWS)
        .position(|(_, cells)| cells.iter().any(|c| key(c) == name))
        .ok_or(StaffListError::MissingHeader(Column::FullName.header()))?;
    let cells = &lines[at].1;
    let columns = Column::ALL.map(|c| {
        let wanted = key(c.header());
        cells.iter().position(|h| key(h) == wanted)
    });
    Ok((at, columns))
}

/// The CSV's records, the delimiter the header line's (`;` when it has
/// more semicolons than commas, as Excel writes CSV in Vietnamese).
/// Also read by `grassroots::import`, whose logs come as CSV too.
pub(crate) fn csv_lines(bytes: &[u8]) -> Result<Vec<Line>, StaffListError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes
        .split(|b| *b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or_default();
    let count = |d: u8| first.split(|b| *b == d).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut lines = Vec::new();
    let mut filled = 0;
    let (mut line, mut counted) = (1, 0);
    for record in reader.records() {
        let record = record.map_err(|e| StaffListError::Unreadable(e.to_string()))?;
        // The line its first byte is on: csv's own line count (and its
        // position, which is before them) passes over blank lines, which
        // a text editor numbers.
        let from = record
            .position()
            .map_or(counted, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .clamp(counted, bytes.len());
        let start = from
            + bytes[from..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        line += line_breaks(bytes, (counted, start));
        counted = start;
        let cells: Vec<String> = record.iter().take(MAX_COLUMNS).map(str::to_owned).collect();
        if !is_blank(&cells) {
            filled += 1;
        }
        lines.push((line, cells));
        if filled > MAX_ROWS + HEADER_ROWS {
            // Enough to know the list is too long, whatever follows.
            break;
        }
    }
    Ok(lines)
}

/// The line breaks in `bytes[from..to]` as an editor counts them: `\n`,
/// `\r\n` and a lone `\r` (which csv also ends a record with).
fn line_breaks(bytes: &[u8], (from, to): (usize, usize)) -> usize {
    (from..to)
        .filter(|&i| match bytes[i] {
            b'\n' => true,
            b'\r' => bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count()
}

/// The first sheet's rows, numbered as the spreadsheet shows them.
fn xlsx_lines(bytes: &[u8]) -> Result<Vec<Line>, StaffListError> {
    check_zip_inflation(bytes, MAX_INFLATED).map_err(StaffListError::Unreadable)?;
    let mut book =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| StaffListError::Unreadable(e.to_string()))?;
    let Some(range) = book.worksheet_range_at(0) else {
        return Err(StaffListError::Empty);
    };
    let range = range.map_err(|e| StaffListError::Unreadable(e.to_string()))?;
    let (top, _) = range.start().unwrap_or_default();
    Ok(range
        .rows()
        .zip(usize::try_from(top).unwrap_or(usize::MAX)..)
        .map(|(cells, index)| {
            (
                index.saturating_add(1),
                cells
                    .iter()
                    .take(MAX_COLUMNS)
                    .map(|c| cell_text(Some(c)).trim().to_owned())
                    .collect(),
            )
        })
        .collect())
}

/// One row read, or every problem it has.
fn entry(
    row: usize,
    cell: &dyn Fn(Column) -> String,
    agency: &Agency,
    places: &[&Agency],
) -> Result<StaffEntry, Vec<String>> {
    let mut problems = Vec::new();
    let kind = match key(&cell(Column::Kind)).as_str() {
        "" | "ca nhan" => Some(MailboxKind::Person),
        "co quan" => Some(MailboxKind::Agency),
        "don vi" => Some(MailboxKind::Unit),
        _ => {
            problems.push(format!(
                "loại «{}» không hợp lệ (ghi «cá nhân», «cơ quan» hoặc «đơn vị»)",
                cell(Column::Kind)
            ));
            None
        }
    };
    let unit = cell(Column::Unit);
    let place = if unit.is_empty() {
        Some(agency)
    } else {
        match find_place(&unit, places) {
            Ok(place) => Some(place),
            Err(problem) => {
                problems.push(problem);
                None
            }
        }
    };
    match (kind, place) {
        (Some(MailboxKind::Agency), Some(place)) if place.id != agency.id => problems.push(
            "hộp thư loại «cơ quan» là của chính cơ quan: để trống cột «Đơn vị» hoặc ghi loại «đơn vị»"
                .into(),
        ),
        (Some(MailboxKind::Unit), Some(place)) if place.id == agency.id => {
            problems.push("hộp thư loại «đơn vị» cần ghi tên đơn vị ở cột «Đơn vị»".into());
        }
        _ => {}
    }
    let full_name = cell(Column::FullName);
    if full_name.chars().count() > MAX_NAME_CHARS {
        problems.push(format!("họ và tên dài quá {MAX_NAME_CHARS} ký tự"));
    } else if kind == Some(MailboxKind::Person) {
        if full_name.is_empty() {
            problems.push("chưa ghi họ và tên".into());
        } else if let Err(e) = person_local_part(&full_name, None, |_| false) {
            problems.push(match e {
                AddressError::NoLetters(_) => {
                    format!("họ và tên «{full_name}» không có chữ cái La-tinh để tạo địa chỉ thư")
                }
                other => other.to_string(),
            });
        }
    }
    for column in [Column::Position, Column::Email, Column::Phone] {
        if cell(column).chars().count() > MAX_TEXT_CHARS {
            problems.push(format!(
                "cột «{}» dài quá {MAX_TEXT_CHARS} ký tự",
                column.header()
            ));
        }
    }
    let email = cell(Column::Email);
    if !email.is_empty() && !looks_like_address(&email) {
        problems.push(format!("thư điện tử hiện có «{email}» không hợp lệ"));
    }
    let phone = cell(Column::Phone);
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " .+-()".contains(c))
    {
        problems.push(format!(
            "điện thoại «{phone}» chỉ được có chữ số và « .+-()»"
        ));
    }
    match (kind, place) {
        (Some(kind), Some(place)) if problems.is_empty() => Ok(StaffEntry {
            row,
            kind,
            agency_id: place.id,
            full_name,
            position: cell(Column::Position),
            existing_email: email,
            phone,
        }),
        _ => Err(problems),
    }
}

/// The agency or unit a row's «Đơn vị» names: by its name, else by its
/// abbreviation, which must then be one unit's alone.
fn find_place<'a>(unit: &str, places: &[&'a Agency]) -> Result<&'a Agency, String> {
    let wanted = key(unit);
    let by = |pick: fn(&Agency) -> &str| -> Vec<&'a Agency> {
        places
            .iter()
            .copied()
            .filter(|a| key(pick(a)) == wanted)
            .collect()
    };
    let by_name = by(|a| &a.name);
    let found = if by_name.is_empty() {
        by(|a| &a.short_name)
    } else {
        by_name
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "đơn vị «{unit}» không có trong {}",
            places.first().map_or("", |a| a.name.as_str())
        )),
        _ => Err(format!(
            "«{unit}» là tên viết tắt của nhiều đơn vị; hãy ghi tên đầy đủ"
        )),
    }
}

/// One `@` between two non-empty sides, no space: enough to tell an
/// address from a slip of the column; nothing is sent to it.
fn looks_like_address(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    }) && !text.chars().any(char::is_whitespace)
}

/// Two rows ask for the same box when they are the same agency's or
/// unit's box, or the same person: the same name, unit, position, phone
/// and address (two namesakes in one unit are told apart by a phone or
/// an address).
fn same_box_key(e: &StaffEntry) -> Vec<String> {
    let mut key_of = vec![e.kind.as_str().to_owned(), e.agency_id.to_string()];
    if e.kind == MailboxKind::Person {
        key_of.extend([&e.full_name, &e.position, &e.phone, &e.existing_email].map(|t| key(t)));
    }
    key_of
}

/// The template offered for download: the headers and two example rows,
/// UTF-8 with a byte-order mark so that Excel shows the Vietnamese right.
pub fn template_csv() -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let rows: [[&str; 6]; 3] = [
        Column::ALL.map(Column::header),
        [
            "Nguyễn Văn An",
            "Chuyên viên",
            "",
            "cá nhân",
            "nguyenvanan@gmail.com",
            "0294 3862 123",
        ],
        ["", "", "", "cơ quan", "", ""],
    ];
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains([',', '"']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    (*c).to_owned()
                }
            })
            .collect();
        out.extend_from_slice(line.join(",").as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::agencies::AgencyKind;

    fn agency(id: AgencyId, name: &str, short: &str, kind: AgencyKind) -> Agency {
        Agency {
            id,
            code: "000.00.31.H60".parse().unwrap(),
            name: name.into(),
            short_name: short.into(),
            kind,
            parent_id: (id != 1).then_some(1),
            effective_from: date!(2008 - 01 - 01),
            effective_to: None,
            successor_id: None,
        }
    }

    fn sttt() -> (Agency, Vec<Agency>) {
        (
            agency(
                1,
                "Sở Thông tin và Truyền thông",
                "STTTT",
                AgencyKind::Department,
            ),
            vec![
                agency(2, "Văn phòng Sở", "VP", AgencyKind::Unit),
                agency(3, "Phòng Bưu chính, Viễn thông", "BCVT", AgencyKind::Unit),
                agency(4, "Trung tâm Công nghệ thông tin", "TT", AgencyKind::Unit),
                agency(5, "Trung tâm Dịch vụ", "TT", AgencyKind::Unit),
            ],
        )
    }

    fn read_text(text: &str) -> Result<Vec<StaffEntry>, StaffListError> {
        let (a, units) = sttt();
        read(text.as_bytes(), "ds.csv", &a, &units)
    }

    #[test]
    fn a_csv_with_semicolons_a_bom_and_a_title() {
        let text = "\u{feff}DANH SÁCH CÁN BỘ;;;\n\
                    STT;HỌ VÀ TÊN (*);Chuc vu;Đơn vị;Loại;Điện thoại\n\
                    1;  Nguyễn   Ngọc Thành ;Giám đốc;;;0294 3862 123\n\
                    \n\
                    2;Thạch Sa Rinh;Chuyên viên;vp;Cá nhân;\n\
                    3;;;Văn phòng Sở;đơn vị;\n\
                    4;;;;cơ quan;\n";
        let got = read_text(text).unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].row, 3);
        assert_eq!(got[0].full_name, "Nguyễn Ngọc Thành");
        assert_eq!(got[0].agency_id, 1);
        assert_eq!(got[0].position, "Giám đốc");
        assert_eq!(got[0].phone, "0294 3862 123");
        assert_eq!((got[1].row, got[1].agency_id), (5, 2));
        assert_eq!((got[2].kind, got[2].agency_id), (MailboxKind::Unit, 2));
        assert_eq!((got[3].kind, got[3].agency_id), (MailboxKind::Agency, 1));
        // Lines ended by a lone carriage return (old Mac files) are lines
        // too: the fuzzer's first find gave two rows one number.
        let rows: Vec<usize> = read_text("Họ và tên\rAn\r\rBình\r\nChâu\n")
            .unwrap()
            .iter()
            .map(|e| e.row)
            .collect();
        assert_eq!(rows, [2, 4, 5]);
    }

    #[test]
    fn every_wrong_row_is_named() {
        let long = "Nguyễn ".repeat(20) + "An";
        let text = format!(
            "Họ và tên,Đơn vị,Loại,Thư điện tử hiện có\n\
             ,,,\n\
             Trần Văn Bình,,,\n\
             阮文,,,\n\
             {long},,,\n\
             Lê Thị Hoa,Phòng Không Có,,\n\
             Trần Văn Bình,,,\n\
             Võ Văn Tuấn,,nhân viên,\n\
             Hồ Thị Lan,TT,,\n\
             Phạm Minh,,,pham.minh\n\
             Đỗ An,,cơ quan,\n\
             ,,đơn vị,\n"
        );
        let lines = read_text(&text).unwrap_err().lines();
        assert_eq!(
            lines,
            [
                "Dòng 4: họ và tên «阮文» không có chữ cái La-tinh để tạo địa chỉ thư",
                "Dòng 5: họ và tên dài quá 100 ký tự",
                "Dòng 6: đơn vị «Phòng Không Có» không có trong Sở Thông tin và Truyền thông",
                "Dòng 7: trùng với dòng 3",
                "Dòng 8: loại «nhân viên» không hợp lệ (ghi «cá nhân», «cơ quan» hoặc «đơn vị»)",
                "Dòng 9: «TT» là tên viết tắt của nhiều đơn vị; hãy ghi tên đầy đủ",
                "Dòng 10: thư điện tử hiện có «pham.minh» không hợp lệ",
                "Dòng 12: hộp thư loại «đơn vị» cần ghi tên đơn vị ở cột «Đơn vị»",
            ]
        );
        let empty_name = read_text("Họ và tên;Chức vụ\n;Chuyên viên\n").unwrap_err();
        assert_eq!(empty_name.lines(), ["Dòng 2: chưa ghi họ và tên"]);
    }

    #[test]
    fn whole_file_refusals() {
        let (a, units) = sttt();
        assert_eq!(read(b"", "a.csv", &a, &units), Err(StaffListError::Empty));
        assert_eq!(read_text(" \n;;\n"), Err(StaffListError::Empty));
        assert_eq!(
            read(b"%PDF-1.7\n\xff", "a.pdf", &a, &units),
            Err(StaffListError::NotCsvOrXlsx("a.pdf".into()))
        );
        assert_eq!(
            read(b"\xd0\xcf\x11\xe0 old xls", "a.xls", &a, &units),
            Err(StaffListError::NotCsvOrXlsx("a.xls".into()))
        );
        assert_eq!(
            read_text("Tên,Chức vụ\nAn,CV\n"),
            Err(StaffListError::MissingHeader("Họ và tên"))
        );
        assert_eq!(read_text("Họ và tên\n\n"), Err(StaffListError::NoRows));
        let many: String = std::iter::once("Họ và tên,Điện thoại\n".to_owned())
            .chain((0..=MAX_ROWS).map(|i| format!("Nguyễn Văn An,{i}\n")))
            .collect();
        assert_eq!(read_text(&many), Err(StaffListError::TooManyRows));
        let exactly: String = std::iter::once("Họ và tên,Điện thoại\n".to_owned())
            .chain((1..=MAX_ROWS).map(|i| format!("Nguyễn Văn An,{i}\n")))
            .collect();
        assert_eq!(read_text(&exactly).unwrap().len(), MAX_ROWS);
    }

    #[test]
    fn an_xlsx_and_the_template() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(1, 1, "Họ và tên").unwrap();
        sheet.write_string(1, 2, "Điện thoại").unwrap();
        sheet.write_string(2, 1, "Huỳnh Thị Ngọc Lan").unwrap();
        sheet.write_number(2, 2, 912_345_678).unwrap();
        sheet.write_string(4, 1, "Kim Sơn").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let (a, units) = sttt();
        let got = read(&bytes, "ds.xlsx", &a, &units).unwrap();
        assert_eq!(
            got.iter()
                .map(|e| (e.row, e.full_name.as_str(), e.phone.as_str()))
                .collect::<Vec<_>>(),
            [(3, "Huỳnh Thị Ngọc Lan", "912345678"), (5, "Kim Sơn", "")]
        );
        let template = read(&template_csv(), "mau.csv", &a, &units).unwrap();
        assert_eq!(template.len(), 2);
        assert_eq!(template[1].kind, MailboxKind::Agency);
    }
}
