//! Official documents (văn bản) in the registers of an agency: their kinds,
//! urgency and confidentiality, and the numbering rules of Decree 30/2020.
//!
//! Invariant: a number belongs to one series — one agency, one direction,
//! one calendar year, and secret documents apart (Art. 15) — and runs 1, 2,
//! 3… with no gap. The number and symbol are given when a document is
//! registered, never before, so that nothing abandoned consumes a number.

use serde::{Deserialize, Serialize};
use time::Date;
use vn::doctypes::DocType;
use vn::symbols::DocSymbol;

use crate::agencies::{Agency, AgencyId};
use crate::files::MediaType;

/// Database identity of a document.
pub type DocumentId = i64;

/// Which register a document is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Văn bản đi — issued by the agency.
    Outgoing,
    /// Văn bản đến — received by the agency.
    Incoming,
}

/// Độ khẩn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Normal,
    /// Khẩn.
    Urgent,
    /// Thượng khẩn.
    VeryUrgent,
    /// Hỏa tốc.
    Flash,
}

/// Độ mật.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    Normal,
    /// Mật.
    Confidential,
    /// Tối mật.
    Secret,
    /// Tuyệt mật.
    TopSecret,
}

named!(Direction { Outgoing => "outgoing", "Văn bản đi"; Incoming => "incoming", "Văn bản đến"; });
named!(Urgency { Normal => "normal", "Thường"; Urgent => "urgent", "Khẩn"; VeryUrgent => "very_urgent", "Thượng khẩn"; Flash => "flash", "Hỏa tốc"; });
named!(Confidentiality {
    Normal => "normal", "Thường";
    Confidential => "confidential", "Mật";
    Secret => "secret", "Tối mật";
    TopSecret => "top_secret", "Tuyệt mật";
});

/// One numbering series: numbers run from 1 within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Series {
    pub agency_id: AgencyId,
    pub direction: Direction,
    pub year: i32,
    /// Secret documents are numbered in a series of their own.
    pub secret: bool,
}

impl Series {
    /// The series a document registered on `day` falls in.
    pub fn of(
        agency_id: AgencyId,
        direction: Direction,
        confidentiality: Confidentiality,
        day: Date,
    ) -> Self {
        Self {
            agency_id,
            direction,
            year: day.year(),
            secret: confidentiality != Confidentiality::Normal,
        }
    }

    /// The series' name in storage: `outgoing`, `outgoing-secret`, ...
    pub fn name(self) -> String {
        let secret = if self.secret { "-secret" } else { "" };
        format!("{}{secret}", self.direction.as_str())
    }
}

/// Why a document cannot be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentRuleError {
    #[error("Loại văn bản «{0}» không có trong danh mục của Nghị định 30/2020/NĐ-CP")]
    UnknownType(String),
    #[error("Trích yếu nội dung không được để trống")]
    EmptySummary,
    #[error("Công văn phải ghi đơn vị soạn thảo để lập ký hiệu (ví dụ UBND-KGVX)")]
    MissingDraftingUnit,
    #[error("Số, ký hiệu văn bản đến không được để trống")]
    EmptySymbol,
}

/// The document type by its name ("Quyết định", "Công văn").
pub fn doc_type(name: &str) -> Result<&'static DocType, DocumentRuleError> {
    vn::doctypes::by_name(name)
        .ok_or_else(|| DocumentRuleError::UnknownType(name.trim().to_owned()))
}

/// The number and symbol of an outgoing document: `437/QĐ-UBND` for most
/// types, `906/UBND-KGVX` for a công văn (issuer, then drafting unit).
pub fn outgoing_symbol(
    number: u32,
    kind: &DocType,
    issuer: &Agency,
    drafting_unit: Option<&Agency>,
) -> Result<DocSymbol, DocumentRuleError> {
    match kind.abbr {
        Some(abbr) => Ok(DocSymbol::administrative(number, abbr, &issuer.short_name)),
        None => {
            let unit = drafting_unit.ok_or(DocumentRuleError::MissingDraftingUnit)?;
            Ok(DocSymbol::cong_van(
                number,
                &issuer.short_name,
                &unit.short_name,
            ))
        }
    }
}

/// A document as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    pub agency_id: AgencyId,
    pub direction: Direction,
    /// The number in the agency's register (for incoming documents, the
    /// arrival number; the sender's number is in `symbol`).
    pub number: u32,
    pub year: i32,
    /// Số, ký hiệu: "437/QĐ-UBND".
    pub symbol: String,
    /// The type's name: "Quyết định".
    pub doc_type: String,
    /// Trích yếu nội dung.
    pub summary: String,
    /// The date on the document (ngày ban hành).
    pub issued_on: Date,
    /// The day it entered the register (equal to `issued_on` when outgoing).
    pub registered_on: Date,
    /// The issuing body as written on it (the agency itself when outgoing).
    pub issuer: String,
    pub signer: Option<String>,
    pub urgency: Urgency,
    pub confidentiality: Confidentiality,
    /// Lĩnh vực, the agency's own taxonomy (report grouping).
    pub field: Option<String>,
    /// The edXML DocumentId it travels under between agencies
    /// (`000.00.00.G22,2015/09/30,7816/VPCP-TTĐT`): the sender's for an
    /// incoming document, ours once an outgoing one is sent. A package
    /// whose DocumentId is already in the register is not registered twice.
    pub exchange_id: Option<String>,
}

impl Document {
    /// The number and notation of the symbol: `("437", "QĐ-UBND")`.
    pub fn symbol_parts(&self) -> (&str, &str) {
        self.symbol.split_once('/').unwrap_or((&self.symbol, ""))
    }
}

/// The symbol as the register keeps it: the Decree 30 form when the text
/// parses as a symbol ("7/CT-TTg" → "07/CT-TTg"), so that citations find
/// it; otherwise as typed, trimmed.
pub fn register_symbol(text: &str) -> String {
    let text = vn::text::nfc(text.trim());
    DocSymbol::parse(&text).map_or(text, |symbol| symbol.to_string())
}

/// Another document named in a document's text ("Kế hoạch số 20/KH-UBND
/// ngày 09/3/2021 của Ủy ban nhân dân tỉnh").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// In the register's form (see [`register_symbol`]).
    pub symbol: String,
    pub doc_type: Option<String>,
    pub cited_on: Option<Date>,
}

/// The citations in some texts, each once, in order of first mention.
pub fn citations_in<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Citation> {
    let mut found: Vec<Citation> = Vec::new();
    for text in texts {
        for c in vn::citations::find(text) {
            let citation = Citation {
                symbol: c.symbol.to_string(),
                doc_type: c.doc_type.map(str::to_owned),
                cited_on: c.date,
            };
            if !found
                .iter()
                .any(|f| f.symbol == citation.symbol && f.cited_on == citation.cited_on)
            {
                found.push(citation);
            }
        }
    }
    found
}

/// What an agency that received a document by edXML says became of it
/// (a status message, QCVN 102:2016).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeStatus {
    pub document_id: DocumentId,
    /// The answering agency: its code and name as it wrote them.
    pub from_organ_id: String,
    pub from_name: String,
    /// 01 đã đến … 06 đã xử lý xong, 13, 15, 16.
    pub code: u8,
    pub description: String,
    /// When the answering agency says it happened (its clock, Vietnam time).
    pub stated_at: time::PrimitiveDateTime,
}

/// The ten columns of a register book (Decree 30/2020, App. IV).
pub fn register_columns(direction: Direction) -> [&'static str; 10] {
    match direction {
        Direction::Outgoing => [
            "Số, ký hiệu văn bản",
            "Ngày tháng văn bản",
            "Tên loại và trích yếu nội dung văn bản",
            "Người ký",
            "Nơi nhận văn bản",
            "Đơn vị, người nhận bản lưu",
            "Số lượng bản",
            "Ngày chuyển",
            "Ký nhận",
            "Ghi chú",
        ],
        Direction::Incoming => [
            "Ngày đến",
            "Số đến",
            "Tác giả",
            "Số, ký hiệu",
            "Ngày tháng",
            "Tên loại và trích yếu nội dung",
            "Đơn vị hoặc người nhận",
            "Ngày chuyển",
            "Ký nhận",
            "Ghi chú",
        ],
    }
}

/// A document's line in its register book. The columns the clerk fills
/// by hand on the printed book (copies, transfer date, receipt
/// signature) stay empty; `recipients` and `notes` are what egov knows.
pub fn register_row(d: &Document, recipients: &str, notes: &str) -> [String; 10] {
    let date = |day: Date| vn::dates::format_short(day);
    let title = format!("{}: {}", d.doc_type, d.summary);
    let mut notes = notes.to_owned();
    if d.urgency != Urgency::Normal {
        notes = [d.urgency.label(), notes.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("; ");
    }
    match d.direction {
        Direction::Outgoing => [
            d.symbol.clone(),
            date(d.issued_on),
            title,
            d.signer.clone().unwrap_or_default(),
            recipients.to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            notes,
        ],
        Direction::Incoming => [
            date(d.registered_on),
            format!("{:02}", d.number),
            d.issuer.clone(),
            d.symbol.clone(),
            date(d.issued_on),
            title,
            recipients.to_owned(),
            String::new(),
            String::new(),
            notes,
        ],
    }
}

/// How many documents entered some agencies' registers in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCounts {
    pub outgoing: u64,
    /// Outgoing documents whose main file carries valid digital
    /// signatures ([`SignatureVerdict::Valid`]).
    pub signed: u64,
    pub incoming: u64,
}

/// What a file is to its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// The document itself (PDF or DOCX).
    Main,
    /// Phụ lục and other attachments.
    Appendix,
}

named!(FileRole { Main => "main", "Tệp văn bản"; Appendix => "appendix", "Phụ lục, tài liệu kèm theo"; });

impl FileRole {
    /// The first file of a document is the document; the rest are appendices.
    pub fn at(position: u32) -> Self {
        if position == 0 {
            Self::Main
        } else {
            Self::Appendix
        }
    }
}

pub type DocumentFileId = i64;

/// A file of a document; the bytes are in the blob store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFile {
    pub id: DocumentFileId,
    pub document_id: DocumentId,
    /// Order among the document's files, from 0.
    pub position: u32,
    pub role: FileRole,
    /// The file name shown and offered on download (already made safe).
    pub name: String,
    pub description: String,
    /// The MIME type as received or sniffed.
    pub content_type: String,
    pub sha256: String,
    pub size: u64,
    /// The verdict on the file's digital signatures, given when it was
    /// recorded, against egov's CA.
    pub signature: SignatureVerdict,
    /// Who signed it, by their certificates' common names, in signing
    /// order (valid or not).
    pub signers: Vec<String>,
}

/// The verdict on a file's digital signatures (chữ ký số), checked once,
/// when the file becomes a document's, against egov's CA roots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureVerdict {
    /// Not a PDF, or a PDF without signatures.
    Unsigned,
    /// Every signature in the PDF is valid.
    Valid,
    /// At least one signature is not: altered after signing, untrusted,
    /// broken.
    Invalid,
    /// A signed PDF recorded before egov checked signatures.
    Unverified,
}

named!(SignatureVerdict {
    Unsigned => "unsigned", "Không có chữ ký số";
    Valid => "valid", "Chữ ký số hợp lệ";
    Invalid => "invalid", "Chữ ký số không hợp lệ";
    Unverified => "unverified", "Có chữ ký số, chưa kiểm tra";
});

/// The file types a document may carry: what agencies exchange.
pub const DOCUMENT_FILE_TYPES: &[MediaType] = &[
    MediaType::Pdf,
    MediaType::OfficeOpenXml,
    MediaType::Zip,
    MediaType::Png,
    MediaType::Jpeg,
    MediaType::Xml,
    MediaType::Text,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agencies::AgencyKind;
    use time::macros::date;

    fn agency(short: &str) -> Agency {
        Agency {
            id: 1,
            code: "000.00.00.H59".parse().unwrap(),
            name: short.into(),
            short_name: short.into(),
            kind: AgencyKind::ProvincialCommittee,
            parent_id: None,
            effective_from: date!(1992 - 05 - 01),
            effective_to: None,
            successor_id: None,
        }
    }

    #[test]
    fn symbols_of_the_seed() {
        let ubnd = agency("UBND");
        let kgvx = agency("KGVX");
        let qd = doc_type("Quyết định").unwrap();
        assert_eq!(
            outgoing_symbol(437, qd, &ubnd, None).unwrap().to_string(),
            "437/QĐ-UBND"
        );
        let kh = doc_type("kế hoạch").unwrap();
        assert_eq!(
            outgoing_symbol(20, kh, &ubnd, None).unwrap().to_string(),
            "20/KH-UBND"
        );
        let cv = doc_type("Công văn").unwrap();
        assert_eq!(
            outgoing_symbol(906, cv, &ubnd, Some(&kgvx))
                .unwrap()
                .to_string(),
            "906/UBND-KGVX"
        );
        assert_eq!(
            outgoing_symbol(7, cv, &ubnd, None),
            Err(DocumentRuleError::MissingDraftingUnit)
        );
        assert_eq!(
            outgoing_symbol(7, qd, &ubnd, None).unwrap().to_string(),
            "07/QĐ-UBND"
        );
        assert!(matches!(
            doc_type("Thư tay"),
            Err(DocumentRuleError::UnknownType(_))
        ));
    }

    #[test]
    fn series_restart_each_year_and_keep_secrets_apart() {
        let a = Series::of(
            1,
            Direction::Outgoing,
            Confidentiality::Normal,
            date!(2021 - 12 - 31),
        );
        let b = Series::of(
            1,
            Direction::Outgoing,
            Confidentiality::Normal,
            date!(2022 - 01 - 01),
        );
        assert_ne!(a, b);
        assert_eq!((a.year, b.year), (2021, 2022));
        let secret = Series::of(
            1,
            Direction::Outgoing,
            Confidentiality::Secret,
            date!(2021 - 06 - 01),
        );
        assert_eq!(secret.name(), "outgoing-secret");
        assert_eq!(a.name(), "outgoing");
        assert_eq!(
            Series::of(
                1,
                Direction::Incoming,
                Confidentiality::Normal,
                date!(2021 - 06 - 01)
            )
            .name(),
            "incoming"
        );
    }

    #[test]
    fn citations_are_found_once_in_register_form() {
        let found = citations_in([
            "Thực hiện Kế hoạch số 20/KH-UBND ngày 09/3/2021 của Ủy ban nhân dân tỉnh",
            "theo Kế hoạch số 20/KH-UBND ngày 09/3/2021 và Chỉ thị 7/CT-TTg",
        ]);
        assert_eq!(
            found
                .iter()
                .map(|c| (c.symbol.as_str(), c.cited_on))
                .collect::<Vec<_>>(),
            vec![
                ("20/KH-UBND", Some(date!(2021 - 03 - 09))),
                ("07/CT-TTg", None)
            ]
        );
        assert_eq!(register_symbol(" 7/CT-TTg "), "07/CT-TTg");
        assert_eq!(register_symbol("số đến lạ"), "số đến lạ");
    }

    #[test]
    fn names_round_trip() {
        for u in Urgency::ALL {
            assert_eq!(u.as_str().parse::<Urgency>(), Ok(*u));
        }
        for c in Confidentiality::ALL {
            assert_eq!(c.as_str().parse::<Confidentiality>(), Ok(*c));
        }
        assert_eq!(Urgency::Flash.label(), "Hỏa tốc");
    }
}
