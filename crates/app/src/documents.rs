//! Use cases of the document registers: issuing outgoing documents with
//! their number and symbol, registering incoming ones, reading a register.
//!
//! Invariant: a number is taken in the same write transaction that records
//! the document and its audit entry, so numbers are unique and gapless even
//! with many clerks and several servers on one database.

use domain::agencies::{AgencyId, subtree_ids};
use domain::authz::Permission;
use domain::documents::{
    Citation, Confidentiality, Direction, Document, DocumentFile, DocumentId, DocumentRuleError,
    Series, Urgency, citations_in, doc_type, outgoing_symbol, register_symbol,
};
use domain::search::{DocumentFilter, Found, Visibility, index_text};
use time::Date;

use crate::audit::{Change, record};
use crate::document_files::StagedFile;
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

/// An outgoing document checked against the rules, before its number.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) kind: &'static vn::doctypes::DocType,
    pub(crate) summary: String,
    pub(crate) issuer: domain::agencies::Agency,
    pub(crate) unit: Option<domain::agencies::Agency>,
    /// The field as the agency's list spells it.
    pub(crate) field: Option<String>,
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
        let checked = self.check_outgoing(&new).await?;
        let today = vn::dates::vietnam_date(self.now());
        let mut tx = self.store.write().await?;
        let document = self
            .record_outgoing(&mut tx, ctx, (new, checked), today, Vec::new())
            .await?;
        tx.commit().await?;
        Ok(document)
    }

    /// Checks an outgoing document before its transaction.
    pub(crate) async fn check_outgoing(&self, new: &NewOutgoing) -> Result<Checked, AppError> {
        let kind = doc_type(&new.doc_type).map_err(AppError::invalid)?;
        let summary = summary_of(&new.summary)?;
        let issuer = self.agency(new.agency_id).await?;
        let unit = match new.drafting_unit_id {
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
        let field = self.check_field(new.agency_id, new.field.clone()).await?;
        Ok(Checked {
            kind,
            summary,
            issuer,
            unit,
            field,
        })
    }

    /// Numbers and records a checked outgoing document issued on `day`,
    /// in `tx`.
    pub(crate) async fn record_outgoing(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        (new, checked): (NewOutgoing, Checked),
        day: Date,
        files: Vec<StagedFile>,
    ) -> Result<Document, AppError> {
        let Checked {
            kind,
            summary,
            issuer,
            unit,
            field,
        } = checked;
        let series = Series::of(issuer.id, Direction::Outgoing, new.confidentiality, day);
        let number = tx.next_number(series).await?;
        let symbol =
            outgoing_symbol(number, kind, &issuer, unit.as_ref()).map_err(AppError::invalid)?;
        let document = Document {
            id: 0,
            agency_id: issuer.id,
            direction: Direction::Outgoing,
            number,
            year: series.year,
            symbol: symbol.to_string(),
            doc_type: kind.name.to_owned(),
            summary,
            issued_on: day,
            registered_on: day,
            issuer: issuer.name.clone(),
            signer: new.signer,
            urgency: new.urgency,
            confidentiality: new.confidentiality,
            field,
            exchange_id: None,
        };
        self.record_document(tx, ctx, &document, series, "document.issue", files)
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
        let new = NewIncoming {
            field: self.check_field(new.agency_id, new.field.clone()).await?,
            ..new
        };
        let today = vn::dates::vietnam_date(self.now());
        let mut tx = self.store.write().await?;
        let document = self.record_incoming(&mut tx, ctx, new, today).await?;
        tx.commit().await?;
        Ok(document)
    }

    /// Checks, numbers and records an incoming document that arrived on
    /// `day`, in `tx`.
    pub(crate) async fn record_incoming(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        new: NewIncoming,
        day: Date,
    ) -> Result<Document, AppError> {
        let kind = doc_type(&new.doc_type).map_err(AppError::invalid)?;
        let summary = summary_of(&new.summary)?;
        let symbol = register_symbol(&new.symbol);
        if symbol.is_empty() {
            return Err(AppError::invalid(DocumentRuleError::EmptySymbol));
        }
        let series = Series::of(new.agency_id, Direction::Incoming, new.confidentiality, day);
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
            registered_on: day,
            issuer: vn::text::squash_spaces(&vn::text::nfc(&new.issuer)),
            signer: new.signer,
            urgency: new.urgency,
            confidentiality: new.confidentiality,
            field: new.field,
            exchange_id: None,
        };
        self.record_document(tx, ctx, &document, series, "document.receive", Vec::new())
            .await
    }

    /// Records a numbered document with its files and audit entry in `tx`.
    pub(crate) async fn record_document(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        document: &Document,
        series: Series,
        action: &str,
        files: Vec<StagedFile>,
    ) -> Result<Document, AppError> {
        let document = tx.insert_document(document, series, self.now()).await?;
        let mut words = index_words(&document);
        let mut citations = citations_in([document.summary.as_str()]);
        let mut recorded = Vec::with_capacity(files.len());
        for staged in files {
            for c in staged.citations {
                if !citations.contains(&c) {
                    citations.push(c);
                }
            }
            tx.record_blob(&staged.blob).await?;
            let file = DocumentFile {
                document_id: document.id,
                ..staged.file
            };
            recorded.push(tx.insert_document_file(&file).await?);
            words.push(' ');
            words.push_str(&staged.words);
        }
        tx.set_document_words(document.id, words.trim_end()).await?;
        tx.insert_citations(document.id, 0, &citations).await?;
        let change = Change {
            action,
            object_type: "document",
            object_id: document.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "document": document, "files": recorded })),
        };
        record(tx, self, ctx, change).await?;
        Ok(document)
    }

    /// What happened to a document the actor may see, newest first: the
    /// audit trail's entries about it.
    pub async fn document_history(
        &self,
        ctx: &Ctx,
        id: DocumentId,
    ) -> Result<Vec<domain::audit::AuditEntry>, AppError> {
        self.document(ctx, id).await?;
        Ok(self
            .store
            .read()
            .await?
            .audit_of("document", &id.to_string(), 200)
            .await?)
    }

    /// The documents a document cites, each with the registered documents
    /// the reader may see that carry that number and symbol (and date).
    pub async fn document_citations(
        &self,
        ctx: &Ctx,
        id: DocumentId,
    ) -> Result<Vec<(Citation, Vec<Document>)>, AppError> {
        self.document(ctx, id).await?;
        let citations = self.store.read().await?.citations_of(id).await?;
        let mut resolved = Vec::with_capacity(citations.len());
        for citation in citations {
            let filter = DocumentFilter {
                symbol: Some(citation.symbol.clone()),
                ..DocumentFilter::default()
            };
            let found = self
                .search_documents(ctx, &filter, (0, 20))
                .await?
                .items
                .into_iter()
                .filter(|d| citation.cited_on.is_none_or(|day| d.issued_on == day))
                .collect();
            resolved.push((citation, found));
        }
        Ok(resolved)
    }

    /// The documents the reader may see whose text cites this one.
    pub async fn citing_documents(
        &self,
        ctx: &Ctx,
        id: DocumentId,
    ) -> Result<Vec<Document>, AppError> {
        let document = self.document(ctx, id).await?;
        let filter = DocumentFilter {
            cites: Some(document.symbol),
            ..DocumentFilter::default()
        };
        Ok(self.search_documents(ctx, &filter, (0, 50)).await?.items)
    }

    /// One document, for a reader who may see it: someone who may see the
    /// register (confidential ones: its leaders and clerk), or a person it
    /// was assigned to for handling (lead or co-handler), who may work in a
    /// unit below the agency or hold no right to its register.
    pub async fn document(&self, ctx: &Ctx, id: i64) -> Result<Document, AppError> {
        let tx = self.store.read().await?;
        let document = tx
            .document(id)
            .await?
            .ok_or(AppError::NotFound("văn bản"))?;
        let lineage = self.lineage(document.agency_id).await?;
        let by_register = ctx
            .require(Permission::ViewRegisters, &lineage)
            .and_then(|()| {
                if document.confidentiality == Confidentiality::Normal {
                    Ok(())
                } else {
                    ctx.require(Permission::ViewConfidential, &lineage)
                }
            });
        if by_register.is_err() {
            let handler = match &ctx.actor {
                Some(actor) => tx.handles_document(id, actor.person_id).await?,
                None => false,
            };
            if !handler {
                by_register?;
            }
        }
        Ok(document)
    }

    /// Which documents the actor may find: the registers of the agencies
    /// where they hold a role and all below, confidential ones only where
    /// they lead or keep the register.
    pub async fn visibility(&self, ctx: &Ctx) -> Result<Visibility, AppError> {
        Ok(match &ctx.actor {
            None => {
                let ids: Vec<AgencyId> = self.all_agencies().await?.iter().map(|a| a.id).collect();
                Visibility {
                    agencies: ids.clone(),
                    confidential: ids,
                }
            }
            Some(actor) => Visibility {
                agencies: self
                    .agencies_where(actor, Permission::ViewRegisters)
                    .await?,
                confidential: self
                    .agencies_where(actor, Permission::ViewConfidential)
                    .await?,
            },
        })
    }

    /// Every agency on whose data `actor` may do `permission`: the
    /// agencies of their grants and all below.
    pub async fn agencies_where(
        &self,
        actor: &domain::authz::Actor,
        permission: Permission,
    ) -> Result<Vec<AgencyId>, AppError> {
        let all = self.all_agencies().await?;
        let mut ids: Vec<AgencyId> = actor
            .roots_of(permission)
            .into_iter()
            .flat_map(|root| subtree_ids(&all, root))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
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
