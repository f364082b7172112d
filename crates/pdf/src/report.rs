//! What validation reports: per signature field, its kind, signer,
//! times, timestamp and problems (in Vietnamese), and the three-way
//! verdict the problems give: valid, invalid, or indeterminate when only
//! revocation information is missing.

use std::fmt;

use pki::Digest;
use time::OffsetDateTime;

use crate::syntax::date;

/// What is wrong with one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The `/SubFilter` (or another feature) is not one this crate reads.
    Unsupported(String),
    ByteRange(String),
    Cms(String),
    MissingAttribute(&'static str),
    /// The signed bytes' hash is not the message-digest the signer signed.
    DigestMismatch,
    BadSignature,
    SignerCertificateMissing,
    SigningCertificateMismatch,
    NoSigningTime,
    /// Certificates by display name.
    NotValidAt(String),
    NotCa(String),
    KeyUsage(String),
    Untrusted(String),
    /// The signed revision could not be read to compare.
    Revision(String),
    /// Later updates changed these, in words.
    Modified(Vec<String>),
    /// A certification signature's `/DocMDP` `P` forbids these later
    /// changes.
    NotPermitted {
        permissions: u8,
        changes: Vec<String>,
    },
    /// A problem with the signature's timestamp (or, for a document
    /// timestamp, with the token itself).
    Timestamp(Box<Problem>),
    /// The token's imprint is not the hash of what it should stamp.
    ImprintMismatch,
    /// The TSA's certificate lacks the timeStamping extended key usage.
    NotTimestamping(String),
    /// Revoked before the proof-of-existence time, or for a reason that
    /// always invalidates (a compromised key).
    Revoked {
        name: String,
        at: OffsetDateTime,
        reason: String,
    },
    /// The responder does not know the certificate.
    RevocationUnknown(String),
    /// No OCSP response or CRL covers the certificate: indeterminate.
    NoRevocationInfo(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unsupported(what) => write!(f, "không hỗ trợ: {what}"),
            Self::ByteRange(why) => write!(f, "phạm vi ký (/ByteRange) không hợp lệ: {why}"),
            Self::Cms(why) => write!(f, "dữ liệu chữ ký (CMS) hỏng: {why}"),
            Self::MissingAttribute(name) => write!(f, "chữ ký thiếu thuộc tính {name}"),
            Self::DigestMismatch => {
                f.write_str("nội dung đã bị sửa sau khi ký: giá trị băm không khớp")
            }
            Self::BadSignature => f.write_str("chữ ký không khớp khóa của chứng thư người ký"),
            Self::SignerCertificateMissing => {
                f.write_str("chữ ký không kèm chứng thư của người ký")
            }
            Self::SigningCertificateMismatch => {
                f.write_str("thuộc tính signing-certificate không chỉ đúng chứng thư người ký")
            }
            Self::NoSigningTime => f.write_str("chữ ký không ghi thời điểm ký (/M)"),
            Self::NotValidAt(name) => {
                write!(
                    f,
                    "chứng thư «{name}» không còn hoặc chưa có hiệu lực lúc ký"
                )
            }
            Self::NotCa(name) => write!(f, "chứng thư «{name}» không được phép cấp chứng thư"),
            Self::KeyUsage(name) => write!(f, "chứng thư «{name}» không được dùng để ký"),
            Self::Untrusted(why) => write!(f, "chứng thư không tin cậy: {why}"),
            Self::Revision(why) => write!(f, "không đọc được phiên bản đã ký: {why}"),
            Self::Modified(what) => {
                write!(f, "tài liệu đã bị sửa sau khi ký: {}", what.join("; "))
            }
            Self::NotPermitted {
                permissions,
                changes,
            } => write!(
                f,
                "chữ ký chứng nhận (DocMDP P={permissions}) không cho phép thay đổi sau: {}",
                changes.join("; ")
            ),
            Self::Timestamp(problem) => write!(f, "dấu thời gian: {problem}"),
            Self::ImprintMismatch => {
                f.write_str("dấu thời gian không phải cho dữ liệu này (giá trị băm không khớp)")
            }
            Self::NotTimestamping(name) => {
                write!(f, "chứng thư «{name}» không được dùng để cấp dấu thời gian")
            }
            Self::Revoked { name, at, reason } => write!(
                f,
                "chứng thư «{name}» đã bị thu hồi lúc {} (lý do: {reason})",
                date(*at)
            ),
            Self::RevocationUnknown(name) => write!(
                f,
                "dịch vụ OCSP không biết chứng thư «{name}»; chưa xác định được"
            ),
            Self::NoRevocationInfo(name) => write!(
                f,
                "không có thông tin thu hồi (OCSP, CRL) cho chứng thư «{name}»; chưa xác định được"
            ),
        }
    }
}

impl Problem {
    /// Whether the problem leaves the verdict open rather than failing it
    /// (ETSI EN 319 102-1's INDETERMINATE): what is missing might be
    /// supplied later, unlike what is wrong.
    pub fn is_indeterminate(&self) -> bool {
        match self {
            Self::RevocationUnknown(_) | Self::NoRevocationInfo(_) => true,
            Self::Timestamp(problem) => problem.is_indeterminate(),
            _ => false,
        }
    }
}

/// The three-way verdict of ETSI EN 319 102-1 §5.1.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid,
    /// Nothing is wrong, but something needed is missing (revocation
    /// information).
    Indeterminate,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Valid => "HỢP LỆ",
            Self::Invalid => "KHÔNG HỢP LỆ",
            Self::Indeterminate => "CHƯA XÁC ĐỊNH",
        })
    }
}

/// What a signature field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An approval signature.
    Signature,
    /// A certification signature (`/Perms /DocMDP`) allowing the changes
    /// of `/P` (1 none, 2 form filling and signing, 3 also annotations).
    Certification { permissions: u8 },
    /// A document timestamp (`/Type /DocTimeStamp`, PAdES B-LTA).
    DocumentTimestamp,
}

/// A signature's (or document timestamp's) timestamp, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampReport {
    /// The TSA's certificate's common name.
    pub authority: Option<String>,
    /// The token's genTime.
    pub time: OffsetDateTime,
}

/// The verdict on one signature.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    /// The field's qualified name.
    pub field: String,
    pub kind: Kind,
    /// The signer's (or, for a document timestamp, the TSA's)
    /// certificate's common name, if the CMS names one.
    pub signer: Option<String>,
    /// The claimed signing moment (`/M`; a document timestamp's genTime).
    pub signed_at: Option<OffsetDateTime>,
    /// The signature timestamp, if the signature has one that could be
    /// read; when it has no problem its time is the proof of existence
    /// at which the signer's certificate was judged.
    pub timestamp: Option<TimestampReport>,
    pub digest: Option<Digest>,
    pub byte_range: Option<[usize; 4]>,
    /// Whether the signature covers the file to its last byte (it is the
    /// last revision); if not, later revisions were compared with it.
    pub covers_whole_file: bool,
    pub problems: Vec<Problem>,
}

impl SignatureReport {
    pub(crate) fn new(field: String) -> Self {
        Self {
            field,
            kind: Kind::Signature,
            signer: None,
            signed_at: None,
            timestamp: None,
            digest: None,
            byte_range: None,
            covers_whole_file: false,
            problems: Vec::new(),
        }
    }

    pub fn verdict(&self) -> Verdict {
        if self.problems.iter().any(|p| !p.is_indeterminate()) {
            Verdict::Invalid
        } else if self.problems.is_empty() {
            Verdict::Valid
        } else {
            Verdict::Indeterminate
        }
    }

    pub fn is_valid(&self) -> bool {
        self.verdict() == Verdict::Valid
    }

    /// Whether the signed bytes or, through later updates, what a reader
    /// shows were changed.
    pub fn is_modified(&self) -> bool {
        self.problems.iter().any(|p| {
            matches!(
                p,
                Problem::DigestMismatch | Problem::Modified(_) | Problem::NotPermitted { .. }
            )
        })
    }
}
