//! Use cases of the document registers: issuing outgoing documents with
//! their number and symbol, registering incoming ones, reading a register.
//!
//! Invariant: a number is taken in the same write transaction that records
//! the document and its audit entry, so numbers are unique and gapless even
//! with many clerks and several servers on one database.

use domain::agencies::{AgencyId, subtree_ids};
use domain::authz::Permission;
use domain::documents::{
    Confidentiality, Direction, Document, DocumentRuleError, Series, Urgency, doc_type,
    outgoing_symbol,
};
use domain::search::{DocumentFilter, Found, Visibility, index_text};
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// An outgoing document to issue (ban hành).
#[derive(Debug, Clone)]
pub struct NewOutgoing {
    pub agency_id: AgencyId,
    /// The type's name, e.g. "Quyết định", "Công văn".
    pub doc_type: String,
    pub summary: String,
    /// The unit that drafted it: required for a công văn's symbol.
    pub drafting_unit_id: Option<AgencyId>,
    pub signer: Option<String>,
    pub urgency: Urgency,
    pub confidentiality: Confidentiality,
    pub field: Option<String>,
}

/// An incoming document to register (vào sổ văn bản đến).
#[derive(Debug, Clone)]
pub struct NewIncoming {
    pub agency_id: AgencyId,
    /// The sender's number and symbol: "437/QĐ-UBND".
    pub symbol: String,
    pub doc_type: String,
    pub summary: String,
    pub issued_on: Date,
    /// The sending body: "Ủy ban nhân dân tỉnh Trà Vinh".
    pub issuer: String,
    pub signer: Option<String>,
    pub urgency: Urgency,
    pub confidentiality: Confidentiality,
    pub field: Option<String>,
}

fn json(document: &Document) -> serde_json::Value {
    serde_json::to_value(document).unwrap_or_default()
}

/// The words a document is found by (its attachments' text joins them
/// once attachments are kept).
fn index_words(d: &Document) -> String {
    let field = d.field.as_deref().unwrap_or_default();
    let signer = d.signer.as_deref().unwrap_or_default();
    index_text([
        d.symbol.as_str(),
        &d.doc_type,
        &d.summary,
        &d.issuer,
        signer,
        field,
    ])
}

fn summary_of(text: &str) -> Result<String, AppError> {
    let summary = vn::text::squash_spaces(&vn::text::nfc(text));
    if summary.is_empty() {
        return Err(AppError::invalid(DocumentRuleError::EmptySummary));
    }
    Ok(summary)
}

impl App {
    /// Issues an outgoing document: takes its number and builds its symbol.
    pub async fn issue_outgoing(&self, ctx: &Ctx, new: NewOutgoing) -> Result<Document, AppError> {
        ctx.require(
            Permission::RegisterDocuments,
            &self.lineage(new.agency_id).await?,
        )?;
        let kind = doc_type(&new.doc_type).map_err(AppError::invalid)?;
        let summary = summary_of(&new.summary)?;
        let issuer = self.agency(new.agency_id).await?;
        let drafting_unit = match new.drafting_unit_id {
            Some(id) if self.subtree(new.agency_id).await?.contains(&id) => {
                Some(self.agency(id).await?)
            }
            Some(_) => {
                return Err(AppError::Invalid(
                    "Đơn vị soạn thảo phải thuộc cơ quan ban hành".into(),
                ));
            }
            None => None,
        };
        let today = vn::dates::vietnam_date(self.now());
        let series = Series::of(issuer.id, Direction::Outgoing, new.confidentiality, today);
        let tx = self.store.write().await?;
        let number = tx.next_number(series).await?;
        let symbol = outgoing_symbol(number, kind, &issuer, drafting_unit.as_ref())
            .map_err(AppError::invalid)?;
        let document = Document {
            id: 0,
            agency_id: issuer.id,
            direction: Direction::Outgoing,
            number,
            year: series.year,
            symbol: symbol.to_string(),
            doc_type: kind.name.to_owned(),
            summary,
            issued_on: today,
            registered_on: today,
            issuer: issuer.name.clone(),
            signer: new.signer,
            urgency: new.urgency,
            confidentiality: new.confidentiality,
            field: new.field,
        };
        self.save_document(tx, ctx, &document, series, "document.issue")
            .await
    }

    /// Registers an incoming document under the next arrival number.
    pub async fn register_incoming(
        &self,
        ctx: &Ctx,
        new: NewIncoming,
    ) -> Result<Document, AppError> {
        ctx.require(
            Permission::RegisterDocuments,
            &self.lineage(new.agency_id).await?,
        )?;
        let kind = doc_type(&new.doc_type).map_err(AppError::invalid)?;
        let summary = summary_of(&new.summary)?;
        let symbol = vn::text::nfc(new.symbol.trim());
        if symbol.is_empty() {
            return Err(AppError::invalid(DocumentRuleError::EmptySymbol));
        }
        let today = vn::dates::vietnam_date(self.now());
        let series = Series::of(
            new.agency_id,
            Direction::Incoming,
            new.confidentiality,
            today,
        );
        let tx = self.store.write().await?;
        let number = tx.next_number(series).await?;
        let document = Document {
            id: 0,
            agency_id: new.agency_id,
            direction: Direction::Incoming,
            number,
            year: series.year,
            symbol,
            doc_type: kind.name.to_owned(),
            summary,
            issued_on: new.issued_on,
            registered_on: today,
            issuer: vn::text::squash_spaces(&vn::text::nfc(&new.issuer)),
            signer: new.signer,
            urgency: new.urgency,
            confidentiality: new.confidentiality,
            field: new.field,
        };
        self.save_document(tx, ctx, &document, series, "document.receive")
            .await
    }

    /// Records a numbered document with its audit entry and commits.
    async fn save_document(
        &self,
        mut tx: store::Tx,
        ctx: &Ctx,
        document: &Document,
        series: Series,
        action: &str,
    ) -> Result<Document, AppError> {
        let document = tx.insert_document(document, series, self.now()).await?;
        tx.set_document_words(document.id, &index_words(&document))
            .await?;
        let change = Change {
            action,
            object_type: "document",
            object_id: document.id.to_string(),
            before: None,
            after: Some(json(&document)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(document)
    }

    /// One document, for a reader who may see it.
    pub async fn document(&self, ctx: &Ctx, id: i64) -> Result<Document, AppError> {
        let document = self
            .store
            .read()
            .await?
            .document(id)
            .await?
            .ok_or(AppError::NotFound("văn bản"))?;
        let lineage = self.lineage(document.agency_id).await?;
        ctx.require(Permission::ViewRegisters, &lineage)?;
        if document.confidentiality != Confidentiality::Normal {
            ctx.require(Permission::ViewConfidential, &lineage)?;
        }
        Ok(document)
    }

    /// Which documents the actor may find: the registers of the agencies
    /// where they hold a role and all below, confidential ones only where
    /// they lead or keep the register.
    pub async fn visibility(&self, ctx: &Ctx) -> Result<Visibility, AppError> {
        let all = self.all_agencies().await?;
        let below = |roots: Vec<AgencyId>| {
            let mut ids: Vec<AgencyId> = roots
                .into_iter()
                .flat_map(|root| subtree_ids(&all, root))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        Ok(match &ctx.actor {
            None => {
                let ids: Vec<AgencyId> = all.iter().map(|a| a.id).collect();
                Visibility {
                    agencies: ids.clone(),
                    confidential: ids,
                }
            }
            Some(actor) => Visibility {
                agencies: below(actor.roots_of(Permission::ViewRegisters)),
                confidential: below(actor.roots_of(Permission::ViewConfidential)),
            },
        })
    }

    /// Searches the registers the actor may see: words (diacritics do not
    /// matter) and filters, one page at a time (at most 500).
    pub async fn search_documents(
        &self,
        ctx: &Ctx,
        filter: &DocumentFilter,
        (offset, limit): (u64, u64),
    ) -> Result<Found<Document>, AppError> {
        // Databases count rows in signed 64-bit integers (found by
        // schemathesis: an offset past i64::MAX crashed the query).
        if offset > i64::MAX as u64 {
            return Err(AppError::Invalid("Vị trí bắt đầu (offset) quá lớn".into()));
        }
        let visible = self.visibility(ctx).await?;
        Ok(self
            .store
            .read()
            .await?
            .find_documents(filter, &visible, offset, limit.min(500))
            .await?)
    }

    /// A page of an agency's register between two days, newest first.
    pub async fn register_page(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        direction: Direction,
        (from, to): (Date, Date),
        page: (u64, u64),
    ) -> Result<Found<Document>, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(agency).await?)?;
        let filter = DocumentFilter {
            agency_id: Some(agency),
            direction: Some(direction),
            from: Some(from),
            to: Some(to),
            ..DocumentFilter::default()
        };
        self.search_documents(ctx, &filter, page).await
    }
}
