//! The document figures of the monthly report (issue 13 assembles them):
//! people using the system, documents issued, signed and received in a
//! period, and the issued documents grouped by field with their citations.
//!
//! Invariant: every figure is a query over records, for the agency asked
//! and everything below it, as of the period asked.

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::documents::{Citation, Direction, Document, DocumentCounts};
use domain::people::PersonStatus;
use domain::search::{DocumentFilter, Sort};
use time::Date;

use crate::{App, AppError, Ctx};

/// The figures of the "Hệ thống quản lý văn bản và điều hành" line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFigures {
    /// People in the agencies with an active account (tổng số người dùng).
    pub users: u64,
    pub counts: DocumentCounts,
    /// Signed as a share of issued, written as the report writes it
    /// ("79,62%"); `None` when nothing was issued.
    pub signed_percent: Option<String>,
}

/// Issued documents of one field, each with the documents it cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldGroup {
    /// The agency's lĩnh vực; "" for documents filed under none.
    pub field: String,
    pub documents: Vec<(Document, Vec<Citation>)>,
}

impl App {
    /// The figures for `root` and every agency below it, registered
    /// between two days (inclusive).
    pub async fn document_figures(
        &self,
        ctx: &Ctx,
        root: AgencyId,
        period: (Date, Date),
    ) -> Result<DocumentFigures, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(root).await?)?;
        let agencies = self.subtree(root).await?;
        let tx = self.store.read().await?;
        let counts = tx.document_counts(&agencies, period).await?;
        let users = tx
            .people_in(&agencies)
            .await?
            .iter()
            .filter(|p| p.status == PersonStatus::Active)
            .count() as u64;
        Ok(DocumentFigures {
            users,
            signed_percent: vn::numbers::percent_of(counts.signed, counts.outgoing),
            counts,
        })
    }

    /// The documents `agency` itself issued in the period, by field (in
    /// the order fields first appear), oldest first within each.
    pub async fn issued_by_field(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        (from, to): (Date, Date),
    ) -> Result<Vec<FieldGroup>, AppError> {
        let filter = DocumentFilter {
            agency_id: Some(agency),
            direction: Some(Direction::Outgoing),
            from: Some(from),
            to: Some(to),
            sort: Sort::Oldest,
            ..DocumentFilter::default()
        };
        let mut groups: Vec<FieldGroup> = Vec::new();
        let mut offset = 0;
        loop {
            let page = self.search_documents(ctx, &filter, (offset, 500)).await?;
            let read = page.items.len() as u64;
            let tx = self.store.read().await?;
            for document in page.items {
                let citations = tx.citations_of(document.id).await?;
                let field = document.field.clone().unwrap_or_default();
                match groups.iter_mut().find(|g| g.field == field) {
                    Some(group) => group.documents.push((document, citations)),
                    None => groups.push(FieldGroup {
                        field,
                        documents: vec![(document, citations)],
                    }),
                }
            }
            offset += read;
            if read == 0 || offset >= page.total {
                return Ok(groups);
            }
        }
    }
}
