//! Use cases of the document registers: issuing outgoing documents with
//! their number and symbol, registering incoming ones, reading a register.
//!
//! Invariant: a number is taken in the same write transaction that records
//! the document and its audit entry, so numbers are unique and gapless even
//! with many clerks and several servers on one database.

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::documents::{
    Confidentiality, Direction, Document, DocumentRuleError, Series, Urgency, doc_type,
    outgoing_symbol,
};
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

    /// One document, for a reader of its agency's registers.
    pub async fn document(&self, ctx: &Ctx, id: i64) -> Result<Document, AppError> {
        let document = self
            .store
            .read()
            .await?
            .document(id)
            .await?
            .ok_or(AppError::NotFound("văn bản"))?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(document.agency_id).await?,
        )?;
        Ok(document)
    }

    /// A page of an agency's register between two days, newest first.
    pub async fn register_page(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        direction: Direction,
        (from, to): (Date, Date),
        (offset, limit): (u64, u64),
    ) -> Result<Vec<Document>, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(agency).await?)?;
        // Databases count rows in signed 64-bit integers (found by
        // schemathesis: an offset past i64::MAX crashed the query).
        if offset > i64::MAX as u64 {
            return Err(AppError::Invalid("Vị trí bắt đầu (offset) quá lớn".into()));
        }
        Ok(self
            .store
            .read()
            .await?
            .register_page(agency, direction, from, to, offset, limit.min(500))
            .await?)
    }
}
