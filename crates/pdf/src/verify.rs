//! Validation (ETSI EN 319 102-1, simplified): a report per signature
//! field of the file, naming each problem in Vietnamese. For a signature:
//! the signed bytes ([`crate::ranges`]), the CMS over them
//! ([`crate::cms`]), its signature timestamp if any ([`crate::token`]),
//! whose time, when the token is good, is the proof of existence at which
//! the signer's certificate path is judged ([`crate::chain`]), the
//! revocation of every certificate on both paths
//! ([`crate::revocation`]), and what later revisions changed
//! ([`crate::changes`], and [`crate::mdp`] for a certification
//! signature). A document timestamp gets the same, as a token over its
//! byte range.

use std::collections::HashSet;

use der::{Decode, Encode};
use lopdf::{Dictionary, Document, Object, ObjectId};
use x509_cert::Certificate;

use crate::changes::changes;
use crate::cms::{Expect, Signed};
use crate::evidence::Evidence;
use crate::fields::fields;
use crate::load::load;
use crate::revocation::Sources;
use crate::syntax::parse_date;
use crate::timestamp::ID_AA_SIGNATURE_TIME_STAMP_TOKEN;
use crate::{Error, Limits, chain, cms, dss, mdp, ranges, revocation, token};

pub(crate) use crate::report::{Kind, Problem, SignatureReport, TimestampReport};

/// The `/SubFilter`s read: PAdES's, the PKCS #7 detached signatures many
/// signers still write (same structure, fewer required attributes), and
/// document timestamps.
const PADES: &[u8] = b"ETSI.CAdES.detached";
const PKCS7_DETACHED: &[u8] = b"adbe.pkcs7.detached";
const RFC3161: &[u8] = b"ETSI.RFC3161";

/// How to validate.
#[derive(Clone, Copy)]
pub struct Validation<'a> {
    /// The trust anchors, DER.
    pub trust: &'a [Vec<u8>],
    pub limits: &'a Limits,
    /// Where revocation evidence the file lacks comes from; `None`: only
    /// what the file carries.
    pub fetcher: Option<&'a dyn Evidence>,
    /// Whether revocation is checked. Off only to judge a signature's
    /// structure and path alone (as pyHanko's `--no-revocation-check`).
    pub revocation: bool,
}

/// Validates every signature in `bytes` against the trust anchors `trust`
/// (DER certificates), with the default [`Limits`], revocation evidence
/// from the file only.
pub fn verify(bytes: &[u8], trust: &[Vec<u8>]) -> Result<Vec<SignatureReport>, Error> {
    verify_with(bytes, trust, &Limits::default())
}

/// [`verify`] with `limits`.
pub fn verify_with(
    bytes: &[u8],
    trust: &[Vec<u8>],
    limits: &Limits,
) -> Result<Vec<SignatureReport>, Error> {
    validate(
        bytes,
        &Validation {
            trust,
            limits,
            fetcher: None,
            revocation: true,
        },
    )
}

/// Validates every signature and document timestamp in `bytes` as
/// `validation` says. Reports come in signing order; a file without
/// signatures gives none.
pub fn validate(bytes: &[u8], validation: &Validation<'_>) -> Result<Vec<SignatureReport>, Error> {
    let limits = validation.limits;
    let anchors = validation
        .trust
        .iter()
        .map(|der| {
            Certificate::from_der(der)
                .map_err(|e| Error::Certificate(format!("chứng thư tin cậy không đọc được: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let doc = load(bytes, limits)?;
    let signatures = signature_values(&doc, limits)?;
    let stored = dss::read(&doc, limits)?;
    let mut sources = Sources::default();
    stored.ocsps.iter().for_each(|der| sources.add_ocsp(der));
    stored.crls.iter().for_each(|der| sources.add_crl(der));
    let context = Context {
        bytes,
        doc: &doc,
        anchors,
        pool: stored
            .certs
            .iter()
            .filter_map(|der| Certificate::from_der(der).ok())
            .collect(),
        sources,
        validation,
        certification: mdp::certification(&doc),
    };
    let mut reports: Vec<SignatureReport> = signatures
        .into_iter()
        .map(|signature| {
            let mut report = SignatureReport::new(signature.field.clone());
            context.check(&signature, &mut report);
            report
        })
        .collect();
    reports.sort_by_key(|r| r.byte_range.map_or(usize::MAX, |[_, _, b, c]| b + c));
    Ok(reports)
}

/// A signature field's value.
#[derive(Debug, Clone)]
pub(crate) struct SignatureValue {
    pub field: String,
    /// The signature dictionary's object, when indirect.
    pub id: Option<ObjectId>,
    pub value: Dictionary,
}

/// The signature dictionaries of `doc`'s signature fields, each once, at
/// most [`Limits::max_signatures`].
pub(crate) fn signature_values(
    doc: &Document,
    limits: &Limits,
) -> Result<Vec<SignatureValue>, Error> {
    let mut seen = HashSet::new();
    let signatures: Vec<_> = fields(doc, limits)?
        .into_iter()
        .filter(|field| field.is_signature)
        .filter_map(|field| {
            let (id, value) = field.value?;
            // Two fields naming one signature dictionary: one report.
            (id.is_none_or(|id| seen.insert(id))).then_some(SignatureValue {
                field: field.name,
                id,
                value,
            })
        })
        .collect();
    if signatures.len() > limits.max_signatures {
        return Err(Error::TooManySignatures {
            count: signatures.len(),
            max: limits.max_signatures,
        });
    }
    Ok(signatures)
}

/// The DER signature-time-stamp token of a signature's CMS, if any.
pub(crate) fn timestamp_token(signed: &Signed) -> Option<Vec<u8>> {
    signed
        .info
        .unsigned_attrs
        .iter()
        .flat_map(|set| set.iter())
        .find(|a| a.oid == ID_AA_SIGNATURE_TIME_STAMP_TOKEN)?
        .values
        .get(0)?
        .to_der()
        .ok()
}

/// What every signature of one file is judged with.
struct Context<'a> {
    bytes: &'a [u8],
    doc: &'a Document,
    anchors: Vec<Certificate>,
    /// The certificates of the DSS.
    pool: Vec<Certificate>,
    /// The revocation evidence of the DSS.
    sources: Sources,
    validation: &'a Validation<'a>,
    /// The certification signature's dictionary and `/P`, if any.
    certification: Option<(ObjectId, u8)>,
}

impl Context<'_> {
    fn check(&self, signature: &SignatureValue, report: &mut SignatureReport) {
        let value = &signature.value;
        let sub_filter = match value.get(b"SubFilter") {
            Ok(Object::Name(name)) => name.as_slice(),
            _ => {
                report
                    .problems
                    .push(Problem::Unsupported("chữ ký không có /SubFilter".into()));
                return;
            }
        };
        if ![PADES, PKCS7_DETACHED, RFC3161].contains(&sub_filter) {
            report.problems.push(Problem::Unsupported(format!(
                "kiểu chữ ký /{}",
                String::from_utf8_lossy(sub_filter)
            )));
            return;
        }
        if let Some((id, permissions)) = self.certification
            && signature.id == Some(id)
        {
            report.kind = Kind::Certification { permissions };
        }
        if sub_filter != RFC3161 {
            report.signed_at = value
                .get(b"M")
                .ok()
                .and_then(|m| m.as_str().ok())
                .and_then(parse_date);
            if report.signed_at.is_none() {
                report.problems.push(Problem::NoSigningTime);
            }
        }
        let ranges = match ranges::check(self.bytes, value, self.validation.limits) {
            Ok(ranges) => ranges,
            Err(problem) => {
                report.problems.push(problem);
                return;
            }
        };
        report.byte_range = Some(ranges.range);
        if sub_filter == RFC3161 {
            report.kind = Kind::DocumentTimestamp;
            self.document_timestamp(&ranges, report);
        } else {
            self.signature(&ranges, sub_filter == PADES, report);
        }
        self.later_changes(&ranges, report);
    }

    fn signature(&self, ranges: &ranges::Ranges, pades: bool, report: &mut SignatureReport) {
        let pieces = ranges.signed(self.bytes);
        let problems = &mut report.problems;
        let Some(signed) = cms::check(
            &ranges.contents,
            Expect::Detached { pieces, pades },
            problems,
        ) else {
            return;
        };
        report.signer = Some(chain::display_name(&signed.signer));
        report.digest = Some(signed.digest);
        let pool = self.with_pool(&signed);
        // What the CMS and its token carry, besides the DSS.
        let mut sources = Sources::default();
        sources.add_cms(&signed);
        let mut proof = report.signed_at;
        if let Some(token) = timestamp_token(&signed) {
            let mut found = Vec::new();
            let stamp = token::check(
                &token,
                &[signed.info.signature.as_bytes()],
                &pool,
                &self.anchors,
                &mut found,
            );
            if let Some(stamp) = stamp {
                sources.add_cms(&stamp.signed);
                self.revocation(&stamp.path, &sources, Some(stamp.time), &mut found);
                report.timestamp = Some(TimestampReport {
                    authority: Some(stamp.authority()),
                    time: stamp.time,
                });
                if found.is_empty() {
                    proof = Some(stamp.time);
                }
            }
            problems.extend(found.into_iter().map(|p| Problem::Timestamp(Box::new(p))));
        }
        let path = chain::check(&signed.signer, &pool, &self.anchors, proof, problems);
        self.revocation(&path, &sources, proof, problems);
    }

    fn document_timestamp(&self, ranges: &ranges::Ranges, report: &mut SignatureReport) {
        let pieces = ranges.signed(self.bytes);
        let Some(stamp) = token::check(
            &ranges.contents,
            &pieces,
            &self.pool,
            &self.anchors,
            &mut report.problems,
        ) else {
            return;
        };
        report.signer = Some(stamp.authority());
        report.signed_at = Some(stamp.time);
        report.digest = Some(stamp.signed.digest);
        report.timestamp = Some(TimestampReport {
            authority: Some(stamp.authority()),
            time: stamp.time,
        });
        let mut sources = Sources::default();
        sources.add_cms(&stamp.signed);
        self.revocation(
            &stamp.path,
            &sources,
            Some(stamp.time),
            &mut report.problems,
        );
    }

    fn with_pool(&self, signed: &Signed) -> Vec<Certificate> {
        let mut pool = signed.certificates.clone();
        pool.extend_from_slice(&self.pool);
        pool
    }

    /// Checks the revocation of `path` with the DSS's evidence and the
    /// signature's own `sources`.
    fn revocation(
        &self,
        path: &chain::Path,
        sources: &Sources,
        proof: Option<time::OffsetDateTime>,
        problems: &mut Vec<Problem>,
    ) {
        if self.validation.revocation && path.anchored {
            revocation::check(
                path,
                &[&self.sources, sources],
                self.validation.fetcher,
                proof,
                problems,
            );
        }
    }

    /// What the revisions after this signature's changed.
    fn later_changes(&self, ranges: &ranges::Ranges, report: &mut SignatureReport) {
        report.covers_whole_file = ranges.revision_end() == self.bytes.len();
        if report.covers_whole_file {
            return;
        }
        match load(&self.bytes[..ranges.revision_end()], self.validation.limits) {
            Ok(signed) => {
                let found = changes(&signed, self.doc);
                if !found.changed.is_empty() {
                    report.problems.push(Problem::Modified(found.changed));
                }
                if let Kind::Certification { permissions } = report.kind {
                    let forbidden = mdp::forbidden(permissions, &found.added);
                    if !forbidden.is_empty() {
                        report.problems.push(Problem::NotPermitted {
                            permissions,
                            changes: forbidden,
                        });
                    }
                }
            }
            Err(e) => report.problems.push(Problem::Revision(e.to_string())),
        }
    }
}
