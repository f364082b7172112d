//! The demo registers: the information department's documents of April
//! 2021, dated as they were (not today), through the same numbering and
//! recording as the clerk's.
//!
//! Each outgoing document carries a one-page PDF standing for it; those
//! the data does not mark `unsigned` are really signed, by their signer's
//! personal certificate and the agency's organisation certificate from the
//! demo CA (so the demo CA and its certificates must be loaded first), and
//! the report counts them from their verdicts like any other.
//!
//! Invariant: loading twice adds nothing the second time (a register that
//! already has documents in a year is left alone).

use std::collections::HashMap;
use std::fmt::Write as _;

use domain::agencies::AgencyCode;
use domain::documents::{Confidentiality, Direction, Urgency};
use domain::pki::Holder;
use domain::search::DocumentFilter;
use serde::Deserialize;
use time::Date;

use crate::document_files::{NewFile, StagedFile};
use crate::documents::{NewIncoming, NewOutgoing};
use crate::{App, AppError, Ctx};

const DATA: &str = include_str!("documents_2021.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDocuments {
    fields: Vec<DemoFields>,
    incoming: Vec<DemoIncoming>,
    outgoing: Vec<DemoOutgoing>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFields {
    agency: AgencyCode,
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoIncoming {
    register: AgencyCode,
    arrived: Date,
    symbol: String,
    doc_type: String,
    issued_on: Date,
    issuer: String,
    signer: Option<String>,
    summary: String,
    urgency: Option<Urgency>,
    field: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOutgoing {
    register: AgencyCode,
    issued_on: Date,
    doc_type: String,
    drafting_unit: Option<AgencyCode>,
    summary: String,
    signer: Option<String>,
    urgency: Option<Urgency>,
    field: Option<String>,
    /// Issued on paper only, without digital signatures.
    #[serde(default)]
    unsigned: bool,
}

/// A one-page PDF with `lines` of text, written by hand (classic
/// cross-reference table): the demo has no fonts to embed, so the text is
/// folded to ASCII for a standard font. Tests sign it too.
pub fn sample_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 72 770 Td 16 TL");
    for line in lines {
        let ascii: String = vn::text::fold(line)
            .chars()
            .filter(|c| c.is_ascii() && !matches!(c, '(' | ')' | '\\'))
            .collect();
        let _ = write!(text, " ({ascii}) '");
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

impl App {
    /// The file of a demo outgoing document: its PDF, signed by its signer
    /// (a person of the issuing agency) and the agency unless `unsigned`.
    async fn demo_outgoing_file(
        &self,
        agency: i64,
        d: &DemoOutgoing,
    ) -> Result<StagedFile, AppError> {
        let mut bytes: bytes::Bytes =
            sample_pdf(&[&d.doc_type, &d.summary, "Ban dien tu mau (egov demo)"]).into();
        if !d.unsigned {
            let people = self.store.read().await?.people_in(&[agency]).await?;
            let signer = people
                .iter()
                .find(|p| Some(&p.full_name) == d.signer.as_ref())
                .ok_or_else(|| {
                    AppError::Internal(format!("demo signer {:?} not found", d.signer))
                })?;
            for holder in [Holder::Person(signer.id), Holder::Agency(agency)] {
                let certificate = self.certificate_on_token(holder).await?;
                bytes = self
                    // B-B: a timestamp would be today's, not the 2021
                    // document's, and outlive the demo certificates.
                    .sign_on_server(
                        &certificate,
                        bytes,
                        "Ký số văn bản mẫu",
                        pdf::Level::BB,
                        None,
                    )
                    .await?;
            }
        }
        let file = NewFile {
            name: format!("{}.pdf", vn::text::ascii_alnum(&d.doc_type)),
            description: String::new(),
            content_type: None,
            bytes,
        };
        let mut staged = self.stage_files(vec![file]).await?;
        staged
            .pop()
            .ok_or_else(|| AppError::Internal("no file staged".into()))
    }

    /// Whether a register (agency, direction, year) had documents before
    /// this load; asked once per register.
    async fn already_loaded(
        &self,
        loaded: &mut HashMap<(i64, Direction, i32), bool>,
        key: (i64, Direction, i32),
    ) -> Result<bool, AppError> {
        if let Some(known) = loaded.get(&key) {
            return Ok(*known);
        }
        let (agency, direction, year) = key;
        let filter = DocumentFilter {
            agency_id: Some(agency),
            direction: Some(direction),
            from: Date::from_ordinal_date(year, 1).ok(),
            to: Date::from_calendar_date(year, time::Month::December, 31).ok(),
            ..DocumentFilter::default()
        };
        let found = self
            .search_documents(&Ctx::system("job:demo"), &filter, (0, 1))
            .await?;
        loaded.insert(key, found.total > 0);
        Ok(found.total > 0)
    }

    /// Loads the demo documents; returns how many were added.
    pub async fn load_demo_documents(
        &self,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize, AppError> {
        let data: DemoDocuments =
            toml::from_str(DATA).map_err(|e| AppError::Internal(format!("demo documents: {e}")))?;
        let ctx = Ctx::system("job:demo");
        let total = data.incoming.len() + data.outgoing.len();
        let mut done = 0;
        let mut added = 0;
        for list in data.fields {
            let agency = self.agency_by_code(&list.agency).await?.id;
            // An agency that has its list keeps it.
            if self
                .store
                .read()
                .await?
                .document_fields(agency)
                .await?
                .is_empty()
            {
                self.set_fields(&ctx, agency, list.names).await?;
            }
        }
        let mut incoming = data.incoming;
        incoming.sort_by_key(|d| d.arrived);
        let mut outgoing = data.outgoing;
        outgoing.sort_by_key(|d| d.issued_on);
        // Whether each register was already loaded, decided before the
        // first document goes into it.
        let mut loaded: HashMap<(i64, Direction, i32), bool> = HashMap::new();
        for d in incoming {
            let agency = self.agency_by_code(&d.register).await?.id;
            let key = (agency, Direction::Incoming, d.arrived.year());
            if !self.already_loaded(&mut loaded, key).await? {
                let new = NewIncoming {
                    agency_id: agency,
                    symbol: d.symbol,
                    doc_type: d.doc_type,
                    summary: d.summary,
                    issued_on: d.issued_on,
                    issuer: d.issuer,
                    signer: d.signer,
                    urgency: d.urgency.unwrap_or(Urgency::Normal),
                    confidentiality: Confidentiality::Normal,
                    field: d.field,
                };
                let mut tx = self.store.write().await?;
                self.record_incoming(&mut tx, &ctx, new, d.arrived).await?;
                tx.commit().await?;
                added += 1;
            }
            done += 1;
            progress(done, total);
        }
        for d in outgoing {
            let agency = self.agency_by_code(&d.register).await?.id;
            let key = (agency, Direction::Outgoing, d.issued_on.year());
            if !self.already_loaded(&mut loaded, key).await? {
                let unit = match &d.drafting_unit {
                    Some(code) => Some(self.agency_by_code(code).await?.id),
                    None => None,
                };
                let new = NewOutgoing {
                    agency_id: agency,
                    doc_type: d.doc_type.clone(),
                    summary: d.summary.clone(),
                    drafting_unit_id: unit,
                    signer: d.signer.clone(),
                    urgency: d.urgency.unwrap_or(Urgency::Normal),
                    confidentiality: Confidentiality::Normal,
                    field: d.field.clone(),
                };
                let checked = self.check_outgoing(&new).await?;
                let file = self.demo_outgoing_file(agency, &d).await?;
                let mut tx = self.store.write().await?;
                self.record_outgoing(&mut tx, &ctx, (new, checked), d.issued_on, vec![file])
                    .await?;
                tx.commit().await?;
                added += 1;
            }
            done += 1;
            progress(done, total);
        }
        Ok(added)
    }
}
