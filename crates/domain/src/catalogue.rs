//! The procedure catalogue (issue 8): what a procedure's record carries
//! beyond what the desk needs — implementing agencies, fees and charges,
//! required papers with their forms, the result, the legal basis — its
//! versions, the interchange form an agency's catalogue is exported and
//! imported in (JSON, schema [`SCHEMA`], here; the clerks' XLSX workbook
//! in [`sheet`]), both read under [`Limits`] with errors naming the row and
//! column, and the monthly report's figures.
//!
//! Versions: a procedure's record is one row per version. A dossier points
//! at the row (the version) it was received under, and that row is never
//! rewritten — only its last day in force is set when a later version
//! replaces it — so the dossier always shows the procedure as it was. The
//! current version of a national code in an agency is its highest
//! `version`. Why not a current row plus a history table: the dossier would
//! then have to point into the history, or the current row would change
//! under it; one row per version keeps the one foreign key exact.
//!
//! The JSON interchange form, `egov.catalogue/1`:
//!
//! ```json
//! { "schema": "egov.catalogue/1", "agency": "000.00.11.H59",
//!   "procedures": [ {
//!     "national_code": "1.004432", "name": "…", "field": "Báo chí",
//!     "agencies": ["Sở Thông tin và Truyền thông"],
//!     "level": 3, "online": "partial", "processing_days": 15,
//!     "fee": 50000,
//!     "fees": [ { "name": "Lệ phí cấp giấy phép", "amount": 50000 } ],
//!     "papers": [ { "name": "Tờ khai", "copies": 1, "kind": "original",
//!                   "form": { "name": "to-khai.docx", "sha256": "…64 hex…" } } ],
//!     "result": "Giấy phép", "legal_basis": ["Luật Báo chí 2016"],
//!     "effective_from": "2021-01-01", "effective_to": null,
//!     "budgets": { "reception": 4, "handling": 100, "approval": 12,
//!                  "release": 4 } } ] }
//! ```
//!
//! `budgets` (added within version 1; a file without it reads as before)
//! is the procedure's published internal process (quy trình nội bộ), the
//! working hours at the desk, with the handler, with the leader and to
//! release: all four whole numbers, each at least 1, together exactly
//! `processing_days` × 8, and no other key inside it; null or absent
//! means the default split (`Budgets::default_for`). Export writes null
//! for a procedure without.
//!
//! `field`, `result`, `effective_to`, `fee` and `form` may be null or
//! absent; `fee`, the total in đồng, is the sum of `fees` when they are
//! listed, and stands alone for a procedure whose fees are not itemised;
//! lists may be empty; `level` is 1–4; `online` is `full`, `partial` or
//! `none`; amounts are whole đồng; `kind` is `original`, `copy` or
//! `original_or_copy`; dates are ISO `YYYY-MM-DD`. Export writes this
//! form with each object's keys in alphabetical order and the procedures
//! in national-code order, so export → import → export gives the same
//! bytes (for the same agency code).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use time::Date;

use crate::agencies::AgencyId;
use crate::services::deadlines::Budgets;
use crate::services::{Level, OnlineMode, Procedure, ServiceRuleError};

pub mod sheet;

/// The JSON form's name and version.
pub const SCHEMA: &str = "egov.catalogue/1";

/// A procedure's catalogue facts beyond the desk's (kept as one JSON
/// column, read and written only as a whole).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    /// Cơ quan thực hiện: names.
    pub agencies: Vec<String>,
    /// Phí, lệ phí; their sum is the procedure's `fee`.
    pub fees: Vec<Fee>,
    /// Thành phần hồ sơ.
    pub papers: Vec<RequiredPaper>,
    /// Kết quả: "Giấy phép".
    pub result: Option<String>,
    /// Căn cứ pháp lý, one act a line.
    pub legal_basis: Vec<String>,
    /// Quy trình nội bộ: the working hours of each stage, when the
    /// province published them; `None` takes `Budgets::default_for` the
    /// processing days. Left out of the stored JSON when `None`, so rows
    /// written before it existed read the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budgets: Option<Budgets>,
}

/// One fee or charge, in đồng.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub name: String,
    pub amount: u64,
}

impl fmt::Display for Fee {
    /// "Lệ phí cấp giấy phép: 50.000 đồng".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} đồng",
            self.name,
            vn::numbers::format_count(self.amount)
        )
    }
}

/// Whether a paper is handed in as the original or a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    Original,
    Copy,
    OriginalOrCopy,
}

named!(PaperKind {
    Original => "original", "Bản chính";
    Copy => "copy", "Bản sao";
    OriginalOrCopy => "original_or_copy", "Bản chính hoặc bản sao";
});

/// A form to fill in (mẫu đơn, tờ khai), kept in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFile {
    pub name: String,
    /// Lowercase hex SHA-256 of the contents.
    pub sha256: String,
}

/// One paper the applicant must hand in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredPaper {
    pub name: String,
    pub copies: u32,
    pub kind: PaperKind,
    pub form: Option<FormFile>,
}

impl Details {
    /// The sum of the fees, or `None` if it overflows.
    pub fn fee_total(&self) -> Option<u64> {
        self.fees
            .iter()
            .try_fold(0_u64, |sum, fee| sum.checked_add(fee.amount))
    }
}

/// One procedure as the interchange forms carry it: a [`Procedure`] with
/// no id, agency or version (all 0) — the importer names the agency, and
/// versions are each catalogue's own.
pub type Entry = Procedure;

impl Procedure {
    /// This procedure as the interchange forms carry it.
    pub fn entry(&self) -> Entry {
        Self {
            id: 0,
            agency_id: 0,
            version: 0,
            ..self.clone()
        }
    }

    /// This entry as `agency_id`'s procedure, version `version`.
    pub fn placed(&self, agency_id: AgencyId, version: u32) -> Self {
        Self {
            id: 0,
            agency_id,
            version,
            ..self.clone()
        }
    }
}

/// An agency's catalogue as exported or imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// The agency code written in the file (informative on import: the
    /// importer chooses the agency).
    pub agency: String,
    pub entries: Vec<Entry>,
}

/// Bounds on an imported file (outside input).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The file itself.
    pub max_bytes: usize,
    /// What an XLSX's parts inflate to, in all.
    pub max_inflated: u64,
    pub max_procedures: usize,
    /// Papers, fees, agencies or legal-basis lines of one procedure.
    pub max_items: usize,
    /// Characters of one value.
    pub max_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 4 << 20,
            max_inflated: 32 << 20,
            max_procedures: 5_000,
            max_items: 100,
            max_chars: 4_000,
        }
    }
}

/// Where a bad value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The JSON form: the procedure's position (from 1) and the field.
    Json { procedure: usize, field: String },
    /// The workbook: the sheet, the row as Excel numbers it, the column's
    /// letter and header.
    Sheet {
        sheet: &'static str,
        row: u32,
        column: String,
        header: &'static str,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json { procedure, field } => {
                write!(f, "Thủ tục thứ {procedure}, trường «{field}»")
            }
            Self::Sheet {
                sheet,
                row,
                column,
                header,
            } => write!(f, "Trang «{sheet}», dòng {row}, cột {column} «{header}»"),
        }
    }
}

/// Why a file is not an importable catalogue. Nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("Tệp quá lớn: {size} byte, tối đa {limit} byte")]
    TooLarge { size: usize, limit: usize },
    #[error("Tệp không phải bảng tính Excel (XLSX) đọc được: {0}")]
    NotXlsx(String),
    #[error("Tệp không phải danh mục thủ tục dạng JSON ({SCHEMA}): {0}")]
    NotJson(String),
    #[error("Bảng tính thiếu trang «{0}»")]
    MissingSheet(&'static str),
    #[error("Trang «{sheet}» thiếu cột «{header}» ở dòng 1")]
    MissingColumn {
        sheet: &'static str,
        header: &'static str,
    },
    #[error("Danh mục có hơn {0} thủ tục")]
    TooManyProcedures(usize),
    #[error("{place}: {problem}")]
    Bad { place: Place, problem: String },
}

/// A value's problem, before its place is known.
type Problem = String;

/// The columns of a procedure, with the JSON key and the workbook header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    NationalCode,
    Name,
    Field,
    Agencies,
    Level,
    Online,
    ProcessingDays,
    Fee,
    Result,
    LegalBasis,
    EffectiveFrom,
    EffectiveTo,
    /// The internal process's hours (optional, all four or none).
    ReceptionHours,
    HandlingHours,
    ApprovalHours,
    ReleaseHours,
}

impl Column {
    /// The stage budgets' columns, in `Budgets::STAGES` order.
    pub const BUDGETS: [Self; 4] = [
        Self::ReceptionHours,
        Self::HandlingHours,
        Self::ApprovalHours,
        Self::ReleaseHours,
    ];

    pub const ALL: [Self; 16] = [
        Self::NationalCode,
        Self::Name,
        Self::Field,
        Self::Agencies,
        Self::Level,
        Self::Online,
        Self::ProcessingDays,
        Self::Fee,
        Self::Result,
        Self::LegalBasis,
        Self::EffectiveFrom,
        Self::EffectiveTo,
        Self::ReceptionHours,
        Self::HandlingHours,
        Self::ApprovalHours,
        Self::ReleaseHours,
    ];

    /// Whether a file may leave the column out (a workbook made before
    /// it existed): the stage budgets, whose absence means the default.
    pub fn optional(self) -> bool {
        Self::BUDGETS.contains(&self)
    }

    /// The key inside the JSON form's `budgets` object, for a budget's
    /// column.
    fn budget_key(self) -> Option<&'static str> {
        match self {
            Self::ReceptionHours => Some("reception"),
            Self::HandlingHours => Some("handling"),
            Self::ApprovalHours => Some("approval"),
            Self::ReleaseHours => Some("release"),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::NationalCode => "national_code",
            Self::Name => "name",
            Self::Field => "field",
            Self::Agencies => "agencies",
            Self::Level => "level",
            Self::Online => "online",
            Self::ProcessingDays => "processing_days",
            Self::Fee => "fee",
            Self::Result => "result",
            Self::LegalBasis => "legal_basis",
            Self::EffectiveFrom => "effective_from",
            Self::EffectiveTo => "effective_to",
            Self::ReceptionHours => "budgets.reception",
            Self::HandlingHours => "budgets.handling",
            Self::ApprovalHours => "budgets.approval",
            Self::ReleaseHours => "budgets.release",
        }
    }

    pub fn header(self) -> &'static str {
        match self {
            Self::NationalCode => "Mã thủ tục",
            Self::Name => "Tên thủ tục",
            Self::Field => "Lĩnh vực",
            Self::Agencies => "Cơ quan thực hiện",
            Self::Level => "Mức độ",
            Self::Online => "Trực tuyến",
            Self::ProcessingDays => "Thời hạn giải quyết (ngày làm việc)",
            Self::Fee => "Tổng phí, lệ phí (đồng)",
            Self::Result => "Kết quả",
            Self::LegalBasis => "Căn cứ pháp lý",
            Self::EffectiveFrom => "Ngày có hiệu lực",
            Self::EffectiveTo => "Ngày hết hiệu lực",
            Self::ReceptionHours => "Giờ tiếp nhận",
            Self::HandlingHours => "Giờ thụ lý",
            Self::ApprovalHours => "Giờ phê duyệt",
            Self::ReleaseHours => "Giờ trả kết quả",
        }
    }
}

/// Reads one procedure's values, whatever the form: `cell(column)` gives
/// a value as text (empty when absent), `place(column)` where it is.
pub(crate) struct Row<'a> {
    pub cell: &'a dyn Fn(Column) -> String,
    pub place: &'a dyn Fn(Column) -> Place,
}

impl Row<'_> {
    fn get<T>(
        &self,
        column: Column,
        read: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Result<T, CatalogueError> {
        read((self.cell)(column).trim()).map_err(|problem| CatalogueError::Bad {
            place: (self.place)(column),
            problem,
        })
    }
}

/// A value trimmed, `None` when empty, refused above `limit` characters.
/// Control characters (other than the line breaks of a list) are
/// refused: a workbook cannot carry them.
pub(crate) fn optional(text: &str, limit: usize) -> Result<Option<String>, Problem> {
    let text = vn::text::nfc(text.trim());
    if text.chars().count() > limit {
        return Err(format!("dài quá {limit} ký tự"));
    }
    if text.chars().any(char::is_control) {
        return Err("có ký tự điều khiển".into());
    }
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// The non-empty lines of a value, each trimmed.
pub(crate) fn lines(text: &str, limits: &Limits) -> Result<Vec<String>, Problem> {
    let lines = text
        .lines()
        .map(|line| optional(line, limits.max_chars))
        .filter_map(Result::transpose)
        .collect::<Result<Vec<_>, _>>()?;
    if lines.len() > limits.max_items {
        return Err(format!("nhiều hơn {} dòng", limits.max_items));
    }
    Ok(lines)
}

/// A whole number written with or without thousands dots ("50.000",
/// "50.000 đồng"); "1.5" is not one.
pub(crate) fn whole(text: &str) -> Result<u64, Problem> {
    let number = text.trim().trim_end_matches("đồng").trim();
    let mut groups = number.split('.');
    let first = groups.next().unwrap_or_default();
    let grouped = groups.all(|g| g.len() == 3);
    let digits: String = number.chars().filter(|c| *c != '.').collect();
    let all_digits = !first.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if !grouped || !all_digits {
        return Err(format!("«{text}» không phải số nguyên không âm"));
    }
    digits
        .parse()
        .map_err(|_| format!("«{text}» là số quá lớn"))
}

fn level(text: &str) -> Result<Level, Problem> {
    let number = text.trim_start_matches("Mức độ").trim();
    Level::ALL
        .iter()
        .copied()
        .find(|l| l.number().to_string() == number)
        .ok_or_else(|| format!("mức độ phải là 1, 2, 3 hoặc 4 (gặp «{text}»)"))
}

fn online(text: &str) -> Result<OnlineMode, Problem> {
    OnlineMode::ALL
        .iter()
        .copied()
        .find(|m| m.as_str() == text || vn::text::fold(m.label()) == vn::text::fold(text))
        .ok_or_else(|| {
            format!("«{text}» không phải «Toàn trình», «Một phần» hoặc «Không trực tuyến»")
        })
}

/// A date as `YYYY-MM-DD` or `D/M/YYYY`, in the years 1900 to 9999 (so
/// the workbook's four-digit years carry it; the fuzzer found year 221
/// read from JSON and lost in the workbook).
pub(crate) fn date(text: &str) -> Result<Date, Problem> {
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(text, &iso)
        .ok()
        .or_else(|| vn::dates::parse_short(text).ok())
        .ok_or_else(|| format!("«{text}» không phải ngày (dd/mm/yyyy)"))?;
    if (1900..=9999).contains(&day.year()) {
        Ok(day)
    } else {
        Err(format!("«{text}»: năm phải từ 1900 đến 9999"))
    }
}

fn required<T>(
    read: impl FnOnce(&str) -> Result<T, Problem>,
) -> impl FnOnce(&str) -> Result<T, Problem> {
    |text: &str| {
        if text.is_empty() {
            Err("bỏ trống".to_owned())
        } else {
            read(text)
        }
    }
}

/// Reads a procedure's own columns (its fees and papers come apart) and
/// checks its rules, naming the column that breaks one.
pub(crate) fn entry_of(
    row: &Row<'_>,
    details: Details,
    limits: &Limits,
) -> Result<Entry, CatalogueError> {
    let text = |column| row.get(column, |t| optional(t, limits.max_chars));
    let days = row.get(Column::ProcessingDays, required(whole))?;
    // Without a total, the sum of the fees; with one, `check` holds it to
    // the sum when fees are listed (an overflowing sum never matches).
    let fee = row.get(Column::Fee, |t| {
        if t.is_empty() {
            Ok(None)
        } else {
            whole(t).map(Some)
        }
    })?;
    let budgets = budgets_of(row)?;
    let entry = Entry {
        id: 0,
        agency_id: 0,
        national_code: row.get(Column::NationalCode, |t| Ok(t.to_owned()))?,
        name: text(Column::Name)?.unwrap_or_default(),
        field: text(Column::Field)?,
        level: row.get(Column::Level, required(level))?,
        online: row.get(Column::Online, required(online))?,
        processing_days: u32::try_from(days).map_err(|_| CatalogueError::Bad {
            place: (row.place)(Column::ProcessingDays),
            problem: format!("{days} ngày là quá lớn"),
        })?,
        fee: fee.or(details.fee_total()).unwrap_or(u64::MAX),
        effective_from: row.get(Column::EffectiveFrom, required(date))?,
        effective_to: row.get(Column::EffectiveTo, |t| {
            if t.is_empty() {
                Ok(None)
            } else {
                date(t).map(Some)
            }
        })?,
        version: 0,
        details: Details {
            agencies: row.get(Column::Agencies, |t| lines(t, limits))?,
            result: text(Column::Result)?,
            legal_basis: row.get(Column::LegalBasis, |t| lines(t, limits))?,
            budgets,
            ..details
        },
    };
    let Err(rule) = entry.check() else {
        return Ok(entry);
    };
    let column = match rule {
        ServiceRuleError::NoName => Column::Name,
        ServiceRuleError::NoProcessingTime => Column::ProcessingDays,
        ServiceRuleError::EndsBeforeItStarts => Column::EffectiveTo,
        ServiceRuleError::FeeNotSum => Column::Fee,
        ServiceRuleError::StageWithoutTime(name) => Budgets::STAGES
            .iter()
            .zip(Column::BUDGETS)
            .find(|(stage, _)| Budgets::stage_name(**stage) == name)
            .map_or(Column::HandlingHours, |(_, column)| column),
        // Handling is the stage that takes "the rest" by default: the
        // one a clerk adjusts to make the sum.
        ServiceRuleError::BudgetsNotSum { .. } => Column::HandlingHours,
        _ => Column::NationalCode,
    };
    Err(CatalogueError::Bad {
        place: (row.place)(column),
        problem: rule.to_string(),
    })
}

/// The stage budgets' four cells: all empty is `None` (the default
/// split), all whole numbers of hours is the procedure's own; one empty
/// among the others is refused rather than guessed.
fn budgets_of(row: &Row<'_>) -> Result<Option<Budgets>, CatalogueError> {
    let given = Column::BUDGETS
        .iter()
        .filter(|c| !(row.cell)(**c).trim().is_empty())
        .count();
    if given == 0 {
        return Ok(None);
    }
    let hours = |column: Column| {
        row.get(column, |t| {
            if t.is_empty() {
                return Err("bỏ trống: ghi số giờ của cả bốn bước, hoặc để trống cả bốn để dùng cách chia mặc định".to_owned());
            }
            let n = whole(t)?;
            u32::try_from(n).map_err(|_| format!("{n} giờ là quá lớn"))
        })
    };
    Ok(Some(Budgets {
        reception: hours(Column::ReceptionHours)?,
        handling: hours(Column::HandlingHours)?,
        approval: hours(Column::ApprovalHours)?,
        release: hours(Column::ReleaseHours)?,
    }))
}

/// Refuses a second entry of the same national code.
pub(crate) fn check_unique(
    seen: &mut BTreeSet<String>,
    code: &str,
    place: impl FnOnce() -> Place,
) -> Result<(), CatalogueError> {
    if seen.insert(code.to_owned()) {
        Ok(())
    } else {
        Err(CatalogueError::Bad {
            place: place(),
            problem: format!("mã thủ tục {code} đã có ở dòng trước"),
        })
    }
}

/// A form's SHA-256 as 64 lowercase hex digits.
pub(crate) fn sha256(text: &str) -> Result<String, Problem> {
    let lower = text.to_ascii_lowercase();
    if lower.len() == 64 && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(lower)
    } else {
        Err(format!("«{text}» không phải mã SHA-256 (64 chữ số hex)"))
    }
}

/// A paper's number of copies: at least one.
pub(crate) fn copies(text: &str) -> Result<u32, Problem> {
    let n = whole(text)?;
    u32::try_from(n)
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("số bản phải từ 1 trở lên (gặp «{text}»)"))
}

pub(crate) fn paper_kind(text: &str) -> Result<PaperKind, Problem> {
    PaperKind::ALL
        .iter()
        .copied()
        .find(|k| k.as_str() == text || vn::text::fold(k.label()) == vn::text::fold(text))
        .ok_or_else(|| {
            format!("«{text}» không phải «Bản chính», «Bản sao» hoặc «Bản chính hoặc bản sao»")
        })
}

/// The JSON form of a catalogue.
pub fn write_json(catalogue: &Catalogue) -> Vec<u8> {
    let procedures: Vec<Value> = catalogue.entries.iter().map(entry_json).collect();
    let mut out = serde_json::to_vec_pretty(&json!({
        "schema": SCHEMA,
        "agency": catalogue.agency,
        "procedures": procedures,
    }))
    .unwrap_or_default();
    out.push(b'\n');
    out
}

fn entry_json(e: &Entry) -> Value {
    let mut map = Map::new();
    let d = &e.details;
    let papers: Vec<Value> = d
        .papers
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "copies": p.copies,
                "kind": p.kind.as_str(),
                "form": p.form.as_ref().map(|f| json!({"name": f.name, "sha256": f.sha256})),
            })
        })
        .collect();
    for (key, value) in [
        ("national_code", json!(e.national_code)),
        ("name", json!(e.name)),
        ("field", json!(e.field)),
        ("agencies", json!(d.agencies)),
        ("level", json!(e.level.number())),
        ("online", json!(e.online.as_str())),
        ("processing_days", json!(e.processing_days)),
        ("fee", json!(e.fee)),
        ("fees", json!(d.fees)),
        ("papers", Value::Array(papers)),
        ("result", json!(d.result)),
        ("legal_basis", json!(d.legal_basis)),
        ("effective_from", json!(e.effective_from.to_string())),
        ("effective_to", json!(e.effective_to.map(|d| d.to_string()))),
        ("budgets", json!(d.budgets)),
    ] {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

/// A JSON scalar as text: strings as they are, numbers written out, null
/// and absent as empty; lists of strings one a line.
fn json_text(value: Option<&Value>) -> Result<String, Problem> {
    match value {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) if !s.contains('\n') => Ok(s.clone()),
                _ => Err("danh sách chỉ gồm chuỗi một dòng".to_owned()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|lines| lines.join("\n")),
        Some(other) => Err(format!("giá trị {other} không đúng kiểu")),
    }
}

/// Reads the JSON form under `limits`.
pub fn read_json(bytes: &[u8], limits: &Limits) -> Result<Catalogue, CatalogueError> {
    if bytes.len() > limits.max_bytes {
        return Err(CatalogueError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let root: Value =
        serde_json::from_slice(bytes).map_err(|e| CatalogueError::NotJson(e.to_string()))?;
    let not = |what: &str| CatalogueError::NotJson(what.to_owned());
    let root = root
        .as_object()
        .ok_or_else(|| not("không phải một đối tượng"))?;
    if root.get("schema").and_then(Value::as_str) != Some(SCHEMA) {
        return Err(not("thiếu \"schema\": \"egov.catalogue/1\""));
    }
    let agency = root
        .get("agency")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let procedures = root
        .get("procedures")
        .and_then(Value::as_array)
        .ok_or_else(|| not("thiếu danh sách \"procedures\""))?;
    if procedures.len() > limits.max_procedures {
        return Err(CatalogueError::TooManyProcedures(limits.max_procedures));
    }
    let mut seen = BTreeSet::new();
    let mut entries = Vec::with_capacity(procedures.len());
    for (index, value) in procedures.iter().enumerate() {
        let entry = json_entry(index + 1, value, limits)?;
        check_unique(&mut seen, &entry.national_code, || Place::Json {
            procedure: index + 1,
            field: "national_code".into(),
        })?;
        entries.push(entry);
    }
    Ok(Catalogue { agency, entries })
}

/// A procedure object's values in `Column::ALL` order, as text (the
/// budgets' from inside its `budgets` object), or the field that is not
/// text and why.
fn json_cells(object: &Map<String, Value>) -> Result<Vec<String>, (String, Problem)> {
    let empty = Map::new();
    let budgets = match object.get("budgets") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(budgets)) => budgets,
        Some(_) => {
            return Err((
                "budgets".into(),
                "phải là một đối tượng (reception, handling, approval, release) hoặc null".into(),
            ));
        }
    };
    // A misspelt stage would otherwise leave its hours unread and, with
    // all four missing, the default split taken silently.
    let stages: Vec<&str> = Column::BUDGETS
        .iter()
        .filter_map(|c| c.budget_key())
        .collect();
    if let Some(unknown) = budgets.keys().find(|k| !stages.contains(&k.as_str())) {
        return Err((
            format!("budgets.{unknown}"),
            "không phải một bước (reception, handling, approval, release)".into(),
        ));
    }
    Column::ALL
        .iter()
        .map(|c| {
            match c.budget_key() {
                Some(key) => json_text(budgets.get(key)),
                None => json_text(object.get(c.key())),
            }
            .map_err(|problem| (c.key().to_owned(), problem))
        })
        .collect()
}

fn json_entry(position: usize, value: &Value, limits: &Limits) -> Result<Entry, CatalogueError> {
    let place = |field: String| Place::Json {
        procedure: position,
        field,
    };
    let bad = |field: String, problem: Problem| CatalogueError::Bad {
        place: place(field),
        problem,
    };
    let empty = Map::new();
    let object = value.as_object().unwrap_or(&empty);
    if !value.is_object() {
        return Err(bad(String::new(), "không phải một đối tượng".into()));
    }
    let list = |key: &str| -> Result<&[Value], CatalogueError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) if items.len() <= limits.max_items => Ok(items),
            Some(Value::Array(_)) => {
                Err(bad(key.into(), format!("nhiều hơn {}", limits.max_items)))
            }
            Some(_) => Err(bad(key.into(), "phải là một danh sách".into())),
        }
    };
    let fees = list("fees")?
        .iter()
        .enumerate()
        .map(|(i, fee)| {
            let field = |name: &str| format!("fees[{}].{name}", i + 1);
            let get = |name: &str| json_text(fee.get(name)).map_err(|p| bad(field(name), p));
            Ok(Fee {
                name: optional(&get("name")?, limits.max_chars)
                    .and_then(|n| n.ok_or_else(|| "bỏ trống".to_owned()))
                    .map_err(|p| bad(field("name"), p))?,
                amount: whole(&get("amount")?).map_err(|p| bad(field("amount"), p))?,
            })
        })
        .collect::<Result<Vec<_>, CatalogueError>>()?;
    let papers = list("papers")?
        .iter()
        .enumerate()
        .map(|(i, paper)| {
            let field = |name: &str| format!("papers[{}].{name}", i + 1);
            let get = |name: &str| json_text(paper.get(name)).map_err(|p| bad(field(name), p));
            let form = paper.get("form").filter(|f| !f.is_null());
            let form_get = |name: &str| {
                json_text(form.and_then(|f| f.get(name)))
                    .map_err(|p| bad(field(&format!("form.{name}")), p))
            };
            Ok(RequiredPaper {
                name: optional(&get("name")?, limits.max_chars)
                    .and_then(|n| n.ok_or_else(|| "bỏ trống".to_owned()))
                    .map_err(|p| bad(field("name"), p))?,
                copies: copies(&get("copies")?).map_err(|p| bad(field("copies"), p))?,
                kind: paper_kind(&get("kind")?).map_err(|p| bad(field("kind"), p))?,
                form: match form {
                    None => None,
                    Some(_) => Some(FormFile {
                        name: optional(&form_get("name")?, limits.max_chars)
                            .and_then(|n| n.ok_or_else(|| "bỏ trống".to_owned()))
                            .map_err(|p| bad(field("form.name"), p))?,
                        sha256: sha256(&form_get("sha256")?)
                            .map_err(|p| bad(field("form.sha256"), p))?,
                    }),
                },
            })
        })
        .collect::<Result<Vec<_>, CatalogueError>>()?;
    let texts = json_cells(object).map_err(|(field, problem)| bad(field, problem))?;
    let cell = |column: Column| {
        let at = Column::ALL.iter().position(|c| *c == column).unwrap_or(0);
        texts[at].clone()
    };
    let place_of = |column: Column| place(column.key().into());
    entry_of(
        &Row {
            cell: &cell,
            place: &place_of,
        },
        Details {
            fees,
            papers,
            ..Details::default()
        },
        limits,
    )
}

/// What changes when `entry` is imported over `current`, the latest
/// version of its national code in the agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No version yet: version 1.
    New,
    /// Identical: nothing.
    Unchanged,
    /// A new version `version`; the current one's last day in force
    /// becomes `close_current` if that is a change.
    Versioned {
        version: u32,
        close_current: Option<Date>,
    },
}

/// Why an entry cannot become a new version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Thủ tục {code} đã thay đổi nhưng ngày có hiệu lực {from} không sau ngày có hiệu lực {current} của phiên bản hiện hành"
)]
pub struct VersionError {
    pub code: String,
    pub from: String,
    pub current: String,
}

/// Decides what an import of `entry` does, given the current version.
pub fn outcome(current: Option<&Procedure>, entry: &Entry) -> Result<Outcome, VersionError> {
    let Some(current) = current else {
        return Ok(Outcome::New);
    };
    if current.entry() == *entry {
        return Ok(Outcome::Unchanged);
    }
    let Some(day_before) = entry
        .effective_from
        .previous_day()
        .filter(|d| *d >= current.effective_from)
    else {
        return Err(VersionError {
            code: entry.national_code.clone(),
            from: vn::dates::format_short(entry.effective_from),
            current: vn::dates::format_short(current.effective_from),
        });
    };
    let close = current
        .effective_to
        .map_or(day_before, |to| to.min(day_before));
    Ok(Outcome::Versioned {
        version: current.version + 1,
        close_current: Some(close).filter(|c| Some(*c) != current.effective_to),
    })
}

/// Online services by level, over the catalogue in force on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelFigures {
    pub day: Date,
    /// Procedures in force.
    pub total: u64,
    /// In force at level 1, 2, 3, 4.
    pub by_level: [u64; 4],
    /// In force, fully and partly online (Decree 42/2022).
    pub full: u64,
    pub partial: u64,
}

impl LevelFigures {
    /// Counts the procedures (every version of each) in force on `day`.
    pub fn of(procedures: &[Procedure], day: Date) -> Self {
        let mut figures = Self {
            day,
            total: 0,
            by_level: [0; 4],
            full: 0,
            partial: 0,
        };
        for p in procedures.iter().filter(|p| p.in_force(day)) {
            figures.total += 1;
            figures.by_level[usize::from(p.level.number() - 1)] += 1;
            match p.online {
                OnlineMode::Full => figures.full += 1,
                OnlineMode::Partial => figures.partial += 1,
                OnlineMode::None => {}
            }
        }
        figures
    }

    /// The share of the catalogue in force at `level`, "79,62%"; `None`
    /// for an empty catalogue.
    pub fn share(&self, level: Level) -> Option<String> {
        vn::numbers::percent_of(self.by_level[usize::from(level.number() - 1)], self.total)
    }

    /// In force as online public services: levels 3 and 4.
    pub fn online(&self) -> u64 {
        self.by_level[2] + self.by_level[3]
    }
}

/// Procedures published on the National Public Service Portal by `day`:
/// each (agency, national code) counts once, whichever of its versions
/// was published, from `(agency, code, published_on)` records.
pub fn published_by(publications: &[(AgencyId, String, Date)], day: Date) -> u64 {
    let published: BTreeSet<(AgencyId, &str)> = publications
        .iter()
        .filter(|(_, _, on)| *on <= day)
        .map(|(agency, code, _)| (*agency, code.as_str()))
        .collect();
    published.len() as u64
}

#[cfg(test)]
mod tests;
