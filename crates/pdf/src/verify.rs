//! Validation: a report per signature of the file, naming each problem
//! in Vietnamese. For each signature field with a value: the kind of
//! signature, the signed bytes ([`crate::ranges`]), the CMS over them
//! ([`crate::cms`]), the certificate path to the trust anchors at the
//! claimed signing moment `/M` ([`crate::chain`]), and, when later
//! revisions follow, what they changed ([`crate::changes`]). Revocation
//! and timestamps come with the B-T and B-LT slices.

use std::collections::HashSet;
use std::fmt;

use der::Decode;
use lopdf::{Dictionary, Object};
use pki::Digest;
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::changes::changes;
use crate::fields::fields;
use crate::load::load;
use crate::syntax::parse_date;
use crate::{Error, Limits, chain, cms, ranges};

/// The `/SubFilter`s read: PAdES's, and the PKCS #7 detached signatures
/// many signers still write (same structure, fewer required attributes).
const PADES: &[u8] = b"ETSI.CAdES.detached";
const PKCS7_DETACHED: &[u8] = b"adbe.pkcs7.detached";

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
        }
    }
}

/// The verdict on one signature.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    /// The field's qualified name.
    pub field: String,
    /// The signer's certificate's common name, if the CMS names one.
    pub signer: Option<String>,
    /// The claimed signing moment (`/M`).
    pub signed_at: Option<OffsetDateTime>,
    pub digest: Option<Digest>,
    pub byte_range: Option<[usize; 4]>,
    /// Whether the signature covers the file to its last byte (it is the
    /// last revision); if not, later revisions were compared with it.
    pub covers_whole_file: bool,
    pub problems: Vec<Problem>,
}

impl SignatureReport {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether the signed bytes or, through later updates, what a reader
    /// shows were changed.
    pub fn is_modified(&self) -> bool {
        self.problems
            .iter()
            .any(|p| matches!(p, Problem::DigestMismatch | Problem::Modified(_)))
    }
}

/// Validates every signature in `bytes` against the trust anchors `trust`
/// (DER certificates), with the default [`Limits`].
pub fn verify(bytes: &[u8], trust: &[Vec<u8>]) -> Result<Vec<SignatureReport>, Error> {
    verify_with(bytes, trust, &Limits::default())
}

/// [`verify`] with `limits`. Reports come in signing order; a file
/// without signatures gives none.
pub fn verify_with(
    bytes: &[u8],
    trust: &[Vec<u8>],
    limits: &Limits,
) -> Result<Vec<SignatureReport>, Error> {
    let anchors = trust
        .iter()
        .map(|der| {
            Certificate::from_der(der)
                .map_err(|e| Error::Certificate(format!("chứng thư tin cậy không đọc được: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let doc = load(bytes, limits)?;
    let mut seen = HashSet::new();
    let signatures: Vec<_> = fields(&doc, limits)?
        .into_iter()
        .filter(|field| field.is_signature)
        .filter_map(|field| {
            let (id, value) = field.value?;
            // Two fields naming one signature dictionary: one report.
            (id.is_none_or(|id| seen.insert(id))).then_some((field.name, value))
        })
        .collect();
    if signatures.len() > limits.max_signatures {
        return Err(Error::TooManySignatures {
            count: signatures.len(),
            max: limits.max_signatures,
        });
    }
    let mut reports: Vec<SignatureReport> = signatures
        .into_iter()
        .map(|(field, value)| {
            let mut report = SignatureReport {
                field,
                signer: None,
                signed_at: None,
                digest: None,
                byte_range: None,
                covers_whole_file: false,
                problems: Vec::new(),
            };
            check(bytes, &doc, &value, &anchors, limits, &mut report);
            report
        })
        .collect();
    reports.sort_by_key(|r| r.byte_range.map_or(usize::MAX, |[_, _, b, c]| b + c));
    Ok(reports)
}

fn check(
    bytes: &[u8],
    doc: &lopdf::Document,
    value: &Dictionary,
    anchors: &[Certificate],
    limits: &Limits,
    report: &mut SignatureReport,
) {
    let problems = &mut report.problems;
    match value.get(b"SubFilter") {
        Ok(Object::Name(name)) if name == PADES || name == PKCS7_DETACHED => {}
        Ok(Object::Name(name)) => {
            problems.push(Problem::Unsupported(format!(
                "kiểu chữ ký /{}",
                String::from_utf8_lossy(name)
            )));
            return;
        }
        _ => {
            problems.push(Problem::Unsupported("chữ ký không có /SubFilter".into()));
            return;
        }
    }
    report.signed_at = value
        .get(b"M")
        .ok()
        .and_then(|m| m.as_str().ok())
        .and_then(parse_date);
    if report.signed_at.is_none() {
        problems.push(Problem::NoSigningTime);
    }
    let ranges = match ranges::check(bytes, value, limits) {
        Ok(ranges) => ranges,
        Err(problem) => {
            problems.push(problem);
            return;
        }
    };
    report.byte_range = Some(ranges.range);
    let pades = matches!(value.get(b"SubFilter"), Ok(Object::Name(name)) if name == PADES);
    if let Some(signed) = cms::check(&ranges.contents, ranges.signed(bytes), pades, problems) {
        report.signer = Some(chain::display_name(&signed.signer));
        report.digest = Some(signed.digest);
        chain::check(
            &signed.signer,
            &signed.certificates,
            anchors,
            report.signed_at,
            problems,
        );
    }
    report.covers_whole_file = ranges.revision_end() == bytes.len();
    if !report.covers_whole_file {
        match load(&bytes[..ranges.revision_end()], limits) {
            Ok(signed) => {
                let changed = changes(&signed, doc);
                if !changed.is_empty() {
                    problems.push(Problem::Modified(changed));
                }
            }
            Err(e) => problems.push(Problem::Revision(e.to_string())),
        }
    }
}
