//! The contents of an edXML package and of a status message, as Rust
//! types with English names.
//!
//! Field names follow QCVN 102:2016's elements (`organ_id` is `OrganId`,
//! `bussiness` keeps only its element spelling: in Rust it is
//! [`Business`]). Coded values (priority, business type, status) are enums
//! so a caller cannot send a code the standard does not define; free text
//! stays `String`. Optional elements are `Option` or an empty `Vec`: the
//! writer leaves them out and the reader gives them back the same way.

use time::{Date, PrimitiveDateTime};

/// A sender or recipient agency (`From`, `To`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Organization {
    /// Agency code per Decision 20/2020/QĐ-TTg, e.g. `000.00.00.H59`.
    pub organ_id: String,
    /// The agency in charge (cơ quan chủ quản).
    pub organization_in_charge: Option<String>,
    pub organ_name: String,
    pub organ_add: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub fax: Option<String>,
    pub website: Option<String>,
}

/// The kind of document (`DocumentType`). The number tables differ between
/// sources (DOMAIN.md §3), so the codes are kept as numbers and the name as
/// text; mapping them to egov's document types is the caller's business.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentType {
    /// `Type`: 1 is a legal normative document, others administrative.
    pub type_code: u32,
    /// `TypeDetail`.
    pub type_detail: u32,
    /// `TypeName`, e.g. "Công văn".
    pub type_name: String,
}

/// Who signed (`SignerInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignerInfo {
    /// Authority line, e.g. "KT. CHỦ TỊCH"; absent in some senders' files.
    pub competence: Option<String>,
    pub position: Option<String>,
    pub full_name: String,
}

/// Urgency (`Priority`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Priority {
    /// 0: thường.
    #[default]
    Normal,
    /// 1: khẩn.
    Urgent,
    /// 2: thượng khẩn.
    VeryUrgent,
    /// 3: hỏa tốc.
    Immediate,
    /// 4: hỏa tốc hẹn giờ.
    ImmediateTimed,
}

impl Priority {
    pub const ALL: [Priority; 5] = [
        Priority::Normal,
        Priority::Urgent,
        Priority::VeryUrgent,
        Priority::Immediate,
        Priority::ImmediateTimed,
    ];

    /// The code written in `Priority`.
    pub fn code(self) -> u8 {
        match self {
            Priority::Normal => 0,
            Priority::Urgent => 1,
            Priority::VeryUrgent => 2,
            Priority::Immediate => 3,
            Priority::ImmediateTimed => 4,
        }
    }

    pub fn from_code(code: u8) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// `OtherInfo`: handling details of the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OtherInfo {
    pub priority: Priority,
    /// Scope of promulgation, e.g. "Liên thông văn bản quốc gia".
    pub sphere_of_promulgation: String,
    /// Initials of the typist (ký hiệu người đánh máy).
    pub typer_notation: String,
    /// Number of copies issued.
    pub promulgation_amount: u32,
    /// Number of pages.
    pub page_amount: u32,
    /// Whether this is a steering (chỉ đạo) document.
    pub direction: bool,
    pub appendixes: Vec<String>,
}

/// A reference to an earlier document this one answers (`ResponseFor`); also
/// the head of a status message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseFor {
    /// The agency that issued the earlier document.
    pub organ_id: String,
    /// Its number and symbol, e.g. `7816/VPCP-TTĐT`.
    pub code: String,
    pub promulgation_date: Date,
    /// Its `DocumentId`.
    pub document_id: String,
}

/// `MessageHeader`: what the document is, who sends it and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageHeader {
    pub from: Organization,
    /// At least one recipient.
    pub to: Vec<Organization>,
    /// `{sender OrganId},{yyyy/MM/dd},{number}/{notation}`; see
    /// [`crate::DocumentId`]. Kept as text because real packages carry
    /// identifiers that do not parse (the SDK sample has 30 February).
    pub document_id: String,
    /// `Code/CodeNumber`: the number, e.g. `7816` (text: some are not numeric).
    pub code_number: String,
    /// `Code/CodeNotation`: the symbol, e.g. `VPCP-TTĐT`.
    pub code_notation: String,
    /// `PromulgationInfo/Place`.
    pub place: String,
    /// `PromulgationInfo/PromulgationDate`.
    pub promulgation_date: Date,
    pub document_type: DocumentType,
    /// Summary (trích yếu).
    pub subject: String,
    pub content: Option<String>,
    pub signer: SignerInfo,
    pub due_date: Option<Date>,
    pub other: OtherInfo,
    /// `SteeringType`; its table differs between sources, so it stays a number.
    pub steering_type: Option<u8>,
    /// `ToPlaces/Place`: the "Nơi nhận" lines.
    pub to_places: Vec<String>,
    /// Documents this one answers. The standard allows several and the
    /// public SDKs write a list, so nothing read is dropped.
    pub response_for: Vec<ResponseFor>,
}

/// One hop of the package through the exchange (`TraceHeader`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceHeader {
    /// The system the package passed; some exchanges leave it out.
    pub organ_id: Option<String>,
    pub timestamp: PrimitiveDateTime,
}

/// What the package does to the document (`BussinessDocType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BusinessDocType {
    /// 0: a new document.
    #[default]
    New,
    /// 1: revokes a document sent before.
    Revoke,
    /// 2: updates a document sent before.
    Update,
    /// 3: replaces a document sent before.
    Replace,
}

impl BusinessDocType {
    pub const ALL: [BusinessDocType; 4] = [
        BusinessDocType::New,
        BusinessDocType::Revoke,
        BusinessDocType::Update,
        BusinessDocType::Replace,
    ];

    pub fn code(self) -> u8 {
        match self {
            BusinessDocType::New => 0,
            BusinessDocType::Revoke => 1,
            BusinessDocType::Update => 2,
            BusinessDocType::Replace => 3,
        }
    }

    pub fn from_code(code: u8) -> Option<BusinessDocType> {
        BusinessDocType::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// The clerk responsible (`StaffInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StaffInfo {
    pub department: Option<String>,
    pub staff: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

/// For a replacing package: which document is replaced and where it went
/// (`ReplacementInfoList/ReplacementInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplacementInfo {
    pub document_id: String,
    /// `OrganIdList/OrganId`.
    pub organ_ids: Vec<String>,
}

/// `Bussiness` (QCVN spelling in XML): the package's business purpose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Business {
    /// The document this business concerns; absent in some senders' files.
    pub document_id: Option<String>,
    /// `BussinessDocType`.
    pub doc_type: BusinessDocType,
    /// `BussinessDocReason`, e.g. "Văn bản điện tử mới".
    pub reason: String,
    /// `Paper`: whether a paper original follows.
    pub paper: bool,
    pub staff_info: Option<StaffInfo>,
    pub replacements: Vec<ReplacementInfo>,
}

/// A file carried by the package. `bytes` is the file itself: zipping and
/// base64 are the format's business, done by [`crate::write`] and undone by
/// [`crate::read`].
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// `ContentId`, e.g. `cid:1`; links the manifest entry to the content.
    pub content_id: String,
    /// `AttachmentName`: the file name, also the name of the zip entry.
    pub name: String,
    pub description: String,
    /// `ContentType`, written and read as given.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    // Not the bytes: a test failure or a log line must not print megabytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("content_id", &self.content_id)
            .field("name", &self.name)
            .field("description", &self.description)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("<{} byte>", self.bytes.len()))
            .finish()
    }
}

/// A whole edXML package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub header: MessageHeader,
    /// `TraceHeaderList/TraceHeader`, in order.
    pub traces: Vec<TraceHeader>,
    /// `TraceHeaderList/Bussiness`.
    pub business: Option<Business>,
    pub attachments: Vec<Attachment>,
}

/// Where the receiving agency is with a document (`StatusCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusCode {
    /// 01: đã đến.
    Arrived,
    /// 02: từ chối tiếp nhận.
    Rejected,
    /// 03: đã tiếp nhận.
    Accepted,
    /// 04: đã đến, đang chờ phân công.
    AwaitingAssignment,
    /// 05: đã phân công, đang xử lý.
    Processing,
    /// 06: đã xử lý xong.
    Done,
    /// 13: thu hồi văn bản.
    Revoked,
    /// 15: đồng ý thu hồi/cập nhật văn bản.
    RevokeOrUpdateAgreed,
    /// 16: từ chối thu hồi/cập nhật văn bản.
    RevokeOrUpdateRefused,
}

impl StatusCode {
    pub const ALL: [StatusCode; 9] = [
        StatusCode::Arrived,
        StatusCode::Rejected,
        StatusCode::Accepted,
        StatusCode::AwaitingAssignment,
        StatusCode::Processing,
        StatusCode::Done,
        StatusCode::Revoked,
        StatusCode::RevokeOrUpdateAgreed,
        StatusCode::RevokeOrUpdateRefused,
    ];

    pub fn code(self) -> u8 {
        match self {
            StatusCode::Arrived => 1,
            StatusCode::Rejected => 2,
            StatusCode::Accepted => 3,
            StatusCode::AwaitingAssignment => 4,
            StatusCode::Processing => 5,
            StatusCode::Done => 6,
            StatusCode::Revoked => 13,
            StatusCode::RevokeOrUpdateAgreed => 15,
            StatusCode::RevokeOrUpdateRefused => 16,
        }
    }

    pub fn from_code(code: u8) -> Option<StatusCode> {
        StatusCode::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What the status says, in Vietnamese.
    pub fn label(self) -> &'static str {
        match self {
            StatusCode::Arrived => "Đã đến",
            StatusCode::Rejected => "Từ chối tiếp nhận",
            StatusCode::Accepted => "Đã tiếp nhận",
            StatusCode::AwaitingAssignment => "Đang chờ phân công xử lý",
            StatusCode::Processing => "Đã phân công, đang xử lý",
            StatusCode::Done => "Đã xử lý xong",
            StatusCode::Revoked => "Thu hồi văn bản",
            StatusCode::RevokeOrUpdateAgreed => "Đồng ý thu hồi, cập nhật",
            StatusCode::RevokeOrUpdateRefused => "Từ chối thu hồi, cập nhật",
        }
    }
}

/// A status message: the receiving agency tells the sender what became of
/// a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The document the status is about.
    pub response_for: ResponseFor,
    /// The agency reporting.
    pub from: Organization,
    pub code: StatusCode,
    pub description: String,
    pub timestamp: PrimitiveDateTime,
    pub staff_info: Option<StaffInfo>,
}
