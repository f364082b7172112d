//! The demo main portal's published documents of April 2021, as the seed
//! counts them by category: each an outgoing document of the provincial
//! People's Committee, registered here through the clerk's numbering and
//! recording (with a one-page PDF, unsigned: the committee's signing is
//! not the department's demo), then published a day after it is issued.
//! The ten consultation documents are open for a month from publication;
//! a few have comments.
//!
//! All of it goes in one write transaction with one audit entry for the
//! publications (each document keeps the clerk's own entry).

use domain::documents::{Confidentiality, Urgency};
use domain::portal::Site;
use domain::portal::publications::{Comment, Consultation, DocumentCategory, Publication};
use time::{Date, Duration};

use super::documents::sample_pdf;
use super::portal_documents_texts::{COMMENTS, DOCUMENTS};
use crate::audit::{Change, record};
use crate::document_files::NewFile;
use crate::documents::NewOutgoing;
use crate::{App, AppError, Ctx};

/// The provincial People's Committee and its office (a công văn's
/// drafting unit).
const COMMITTEE: &str = "000.00.00.H59";
const OFFICE: &str = "000.00.01.H59";
const SIGNER: &str = "Lê Văn Hẳn";
/// Days a consultation stays open.
const CONSULTATION_DAYS: i64 = 30;

/// The day document `i` of `n` is issued: spread over April 1 to 28, so
/// that its publication, a day later, stays in April.
fn issued_on(i: usize, n: usize) -> Result<Date, AppError> {
    let day = u8::try_from(1 + i * 28 / n.max(1)).unwrap_or(1);
    Date::from_calendar_date(2021, time::Month::April, day)
        .map_err(|e| AppError::Internal(e.to_string()))
}

impl App {
    pub(super) async fn load_demo_publications(
        &self,
        ctx: &Ctx,
        main: &Site,
    ) -> Result<(), AppError> {
        let committee = self
            .agency_by_code(&COMMITTEE.parse().map_err(AppError::invalid)?)
            .await?;
        let office = self
            .agency_by_code(&OFFICE.parse().map_err(AppError::invalid)?)
            .await?;
        let all: Vec<(DocumentCategory, &str, &str)> = DOCUMENTS
            .iter()
            .flat_map(|(c, docs)| docs.iter().map(move |(t, s)| (*c, *t, *s)))
            .collect();
        let mut checked = Vec::with_capacity(all.len());
        let mut files = Vec::with_capacity(all.len());
        for (_, doc_type, summary) in &all {
            let new = NewOutgoing {
                agency_id: committee.id,
                doc_type: (*doc_type).to_owned(),
                summary: (*summary).to_owned(),
                drafting_unit_id: (*doc_type == "Công văn").then_some(office.id),
                signer: Some(SIGNER.to_owned()),
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
            };
            let check = self.check_outgoing(&new).await?;
            checked.push((new, check));
            files.push(NewFile {
                name: format!("{}.pdf", vn::text::ascii_alnum(doc_type)),
                description: String::new(),
                content_type: None,
                bytes: sample_pdf(&[doc_type, summary, "Ban dien tu mau (egov demo)"]).into(),
            });
        }
        let staged = self.stage_files(files).await?;
        let mut tx = self.store.write().await?;
        let mut publications = Vec::with_capacity(all.len());
        let n = all.len();
        for (i, ((new, check), file)) in checked.into_iter().zip(staged).enumerate() {
            let day = issued_on(i, n)?;
            let document = self
                .record_outgoing(&mut tx, ctx, (new, check), day, vec![file])
                .await?;
            let published = day + Duration::days(1);
            let category = all[i].0;
            let consultation = if category == DocumentCategory::PublicConsultation {
                Some(
                    Consultation::new(published, published + Duration::days(CONSULTATION_DAYS))
                        .map_err(AppError::invalid)?,
                )
            } else {
                None
            };
            publications.push(Publication {
                id: 0,
                site_id: main.id,
                document_id: document.id,
                category,
                published_at: vn::dates::vietnam_day_start(published) + Duration::hours(9),
                published_by: None,
                withdrawn_at: None,
                consultation,
            });
        }
        let ids = tx.insert_publications(&publications).await?;
        insert_comments(&tx, &ids, &publications).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "portal.demo.publications",
                object_type: "portal_site",
                object_id: main.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "documents": ids.len() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The demo's comments, on the consultations in the order published, a
/// few hours after each publication.
async fn insert_comments(
    tx: &store::Tx,
    ids: &[i64],
    publications: &[Publication],
) -> Result<(), AppError> {
    let consultations: Vec<(i64, &Publication)> = ids
        .iter()
        .copied()
        .zip(publications)
        .filter(|(_, p)| p.consultation.is_some())
        .collect();
    for (k, (index, name, organisation, body)) in COMMENTS.iter().enumerate() {
        let (id, p) = consultations
            .get(*index)
            .ok_or_else(|| AppError::Internal("demo comment of no consultation".into()))?;
        let hours = i64::try_from(k).unwrap_or(0) + 1;
        tx.insert_comment(&Comment {
            id: 0,
            publication_id: *id,
            name: (*name).to_owned(),
            contact: None,
            organisation: (!organisation.is_empty()).then(|| (*organisation).to_owned()),
            body: (*body).to_owned(),
            received_at: p.published_at + Duration::hours(hours),
        })
        .await?;
    }
    Ok(())
}
