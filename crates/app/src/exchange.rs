//! Documents between agencies in edXML (QCVN 102:2016/BTTTT): an issued
//! document sent as a package, a package received into the incoming
//! register, and the status messages that answer a package.
//!
//! Invariant: a package is read and checked in full before anything is
//! stored, then registered in one transaction with its files. The lookup of
//! its DocumentId happens inside that write transaction (write transactions
//! run one at a time), so a package arriving twice — even at the same
//! moment — is registered once.

use domain::agencies::{Agency, AgencyCode, AgencyId};
use domain::authz::Permission;
use domain::documents::{
    Confidentiality, Direction, Document, DocumentId, ExchangeStatus, Series, Urgency, doc_type,
    register_symbol,
};
use edxml::{
    Attachment, DocumentType, Limits, MessageHeader, Organization, OtherInfo, Package, Priority,
    ResponseFor, SignerInfo, Status, StatusCode, TraceHeader,
};
use time::PrimitiveDateTime;

use crate::audit::{Change, record};
use crate::document_files::NewFile;
use crate::{App, AppError, Ctx};

/// What receiving a package did.
#[derive(Debug, Clone)]
pub enum Received {
    /// Entered the register under a new arrival number.
    Registered(Document),
    /// Its DocumentId was already in the register: nothing changed.
    AlreadyReceived(Document),
}

/// The package's Priority for a document's urgency, and back. "Hỏa tốc
/// hẹn giờ" has no urgency of its own in Decree 30's register: it is hỏa tốc.
fn priority(urgency: Urgency) -> Priority {
    match urgency {
        Urgency::Normal => Priority::Normal,
        Urgency::Urgent => Priority::Urgent,
        Urgency::VeryUrgent => Priority::VeryUrgent,
        Urgency::Flash => Priority::Immediate,
    }
}

fn urgency(priority: Priority) -> Urgency {
    match priority {
        Priority::Normal => Urgency::Normal,
        Priority::Urgent => Urgency::Urgent,
        Priority::VeryUrgent => Urgency::VeryUrgent,
        Priority::Immediate | Priority::ImmediateTimed => Urgency::Flash,
    }
}

fn organization(agency: &Agency) -> Organization {
    organization_named(&agency.code, &agency.name)
}

/// An organisation known only by its code and name (one outside egov is
/// named by its code: its name is the receiver's to know).
fn organization_named(code: &AgencyCode, name: &str) -> Organization {
    Organization {
        organ_id: code.to_string(),
        organization_in_charge: None,
        organ_name: name.to_owned(),
        organ_add: None,
        email: None,
        telephone: None,
        fax: None,
        website: None,
    }
}

/// The place written on a document (Decree 30: the province's name): the
/// top of the agency's tree, "Ủy ban nhân dân tỉnh Trà Vinh" → "Trà Vinh".
pub(crate) fn place_of(root: &Agency) -> String {
    ["tỉnh ", "thành phố "]
        .iter()
        .find_map(|prefix| {
            root.name
                .split_once(prefix)
                .map(|(_, rest)| rest.to_owned())
        })
        .unwrap_or_else(|| root.name.clone())
}

/// The edXML DocumentId an issued document travels under:
/// `{issuer's code},{yyyy/MM/dd},{number}/{notation}`.
pub(crate) fn exchange_id_of(issuer: &Agency, document: &Document) -> Result<String, AppError> {
    let (number, notation) = document.symbol_parts();
    Ok(edxml::DocumentId::new(
        issuer.code.to_string(),
        document.issued_on,
        number.to_owned(),
        notation.to_owned(),
    )
    .map_err(AppError::invalid)?
    .to_string())
}

/// Now, in Vietnam time, to the second: how edXML writes timestamps.
fn timestamp(app: &App) -> PrimitiveDateTime {
    let local = vn::dates::to_vietnam(app.now());
    let local = local.replace_nanosecond(0).unwrap_or(local);
    PrimitiveDateTime::new(local.date(), local.time())
}

/// What a package says beyond the document itself.
struct Sent<'a> {
    exchange_id: &'a str,
    issuer: &'a Agency,
    to: Vec<Organization>,
    place: String,
    attachments: Vec<Attachment>,
    timestamp: PrimitiveDateTime,
}

/// The package of an outgoing document.
fn package_of(document: &Document, sent: Sent<'_>) -> Package {
    let (number, notation) = document.symbol_parts();
    let appendixes = sent
        .attachments
        .iter()
        .skip(1)
        .map(|a| a.name.clone())
        .collect();
    Package {
        header: MessageHeader {
            from: organization(sent.issuer),
            to: sent.to,
            document_id: sent.exchange_id.to_owned(),
            code_number: number.to_owned(),
            code_notation: notation.to_owned(),
            place: sent.place,
            promulgation_date: document.issued_on,
            document_type: DocumentType {
                // The number tables differ between sources (DOMAIN.md
                // §3); the name is what a receiver relies on.
                type_code: 1,
                type_detail: 0,
                type_name: document.doc_type.clone(),
            },
            subject: document.summary.clone(),
            content: None,
            signer: SignerInfo {
                competence: None,
                position: None,
                full_name: document.signer.clone().unwrap_or_default(),
            },
            due_date: None,
            other: OtherInfo {
                priority: priority(document.urgency),
                sphere_of_promulgation: String::new(),
                typer_notation: String::new(),
                promulgation_amount: 1,
                page_amount: 0,
                direction: false,
                appendixes,
            },
            steering_type: None,
            to_places: Vec::new(),
            response_for: Vec::new(),
        },
        traces: vec![TraceHeader {
            organ_id: Some(sent.issuer.code.to_string()),
            timestamp: sent.timestamp,
        }],
        business: None,
        attachments: sent.attachments,
    }
}

impl App {
    /// Sends an issued outgoing document: its package for the agencies
    /// `to`, with every file. The document keeps the DocumentId it was
    /// sent under. Confidential documents never travel this way.
    pub async fn export_edxml(
        &self,
        ctx: &Ctx,
        id: DocumentId,
        to: &[AgencyCode],
    ) -> Result<Vec<u8>, AppError> {
        let document = self.document(ctx, id).await?;
        let lineage = self.lineage(document.agency_id).await?;
        ctx.require(Permission::RegisterDocuments, &lineage)?;
        if document.direction != Direction::Outgoing {
            return Err(AppError::Invalid(
                "Chỉ gửi được văn bản đi do cơ quan ban hành".into(),
            ));
        }
        if document.confidentiality != Confidentiality::Normal {
            return Err(AppError::Invalid(
                "Văn bản mật không được gửi qua trục liên thông văn bản".into(),
            ));
        }
        if to.is_empty() {
            return Err(AppError::Invalid("Cần ít nhất một nơi nhận".into()));
        }
        let issuer = self.agency(document.agency_id).await?;
        let root_id = lineage.last().copied().unwrap_or(issuer.id);
        let place = place_of(&self.agency(root_id).await?);
        let mut recipients = Vec::with_capacity(to.len());
        for code in to {
            recipients.push(match self.agency_by_code(code).await {
                Ok(agency) => organization(&agency),
                Err(AppError::NotFound(_)) => organization_named(code, &code.to_string()),
                Err(err) => return Err(err),
            });
        }
        let exchange_id = exchange_id_of(&issuer, &document)?;
        let files = self.store.read().await?.document_files(id).await?;
        let mut attachments = Vec::with_capacity(files.len());
        for (i, file) in files.iter().enumerate() {
            attachments.push(Attachment {
                content_id: format!("cid:{}", i + 1),
                name: file.name.clone(),
                description: file.description.clone(),
                content_type: file.content_type.clone(),
                bytes: self.blobs.get(&file.sha256).await?.to_vec(),
            });
        }
        let sent = Sent {
            exchange_id: &exchange_id,
            issuer: &issuer,
            to: recipients,
            place,
            attachments,
            timestamp: timestamp(self),
        };
        let package = package_of(&document, sent);
        let bytes = edxml::write(&package).map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        tx.set_exchange_id(id, &exchange_id).await?;
        let change = Change {
            action: "document.send",
            object_type: "document",
            object_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "exchange_id": exchange_id,
                "to": to.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "bytes": bytes.len(),
            })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(bytes)
    }

    /// Receives a package into `agency`'s incoming register, with its
    /// files; a package already received is recognised, not registered
    /// again. A package that fails any check stores nothing.
    pub async fn import_edxml(
        &self,
        ctx: &Ctx,
        agency_id: AgencyId,
        bytes: &[u8],
    ) -> Result<Received, AppError> {
        ctx.require(
            Permission::RegisterDocuments,
            &self.lineage(agency_id).await?,
        )?;
        let agency = self.agency(agency_id).await?;
        let limits = Limits {
            max_attachment_bytes: u64::from(self.config.files.max_upload_mib) * 1024 * 1024,
            ..Limits::DEFAULT
        };
        let package = edxml::read(bytes, &limits).map_err(AppError::invalid)?;
        let header = package.header;
        let ours = agency.code.to_string();
        if !header.to.iter().any(|o| o.organ_id == ours) {
            return Err(AppError::Invalid(format!(
                "Gói edXML không gửi cho {} (mã {ours})",
                agency.name
            )));
        }
        let kind = doc_type(&header.document_type.type_name).map_err(AppError::invalid)?;
        let symbol = register_symbol(&if header.code_notation.is_empty() {
            header.code_number.clone()
        } else {
            format!("{}/{}", header.code_number, header.code_notation)
        });
        let summary = vn::text::squash_spaces(&header.subject);
        if summary.is_empty() || symbol.is_empty() {
            return Err(AppError::Invalid(
                "Gói edXML thiếu số, ký hiệu hoặc trích yếu".into(),
            ));
        }
        let files = package
            .attachments
            .into_iter()
            .map(|a| NewFile {
                name: a.name,
                description: a.description,
                content_type: Some(a.content_type),
                bytes: a.bytes.into(),
            })
            .collect();
        let files = self.stage_files(files).await?;
        let today = vn::dates::vietnam_date(self.now());
        let series = Series::of(
            agency.id,
            Direction::Incoming,
            Confidentiality::Normal,
            today,
        );
        let tx = self.store.write().await?;
        if let Some(known) = tx
            .document_by_exchange_id(agency.id, &header.document_id)
            .await?
        {
            return Ok(Received::AlreadyReceived(known));
        }
        let number = tx.next_number(series).await?;
        let document = Document {
            id: 0,
            agency_id: agency.id,
            direction: Direction::Incoming,
            number,
            year: series.year,
            symbol,
            doc_type: kind.name.to_owned(),
            summary,
            issued_on: header.promulgation_date,
            registered_on: today,
            issuer: header.from.organ_name,
            signer: Some(header.signer.full_name).filter(|s| !s.is_empty()),
            urgency: urgency(header.other.priority),
            confidentiality: Confidentiality::Normal,
            field: None,
            exchange_id: Some(header.document_id),
        };
        let mut tx = tx;
        let document = self
            .record_document(&mut tx, ctx, &document, series, "document.receive", files)
            .await?;
        tx.commit().await?;
        Ok(Received::Registered(document))
    }

    /// The status message (đã đến, đã tiếp nhận, đang xử lý, hoàn thành…)
    /// that `agency` sends back about a document it received by edXML.
    pub async fn edxml_status(
        &self,
        ctx: &Ctx,
        id: DocumentId,
        code: u8,
        description: &str,
    ) -> Result<Vec<u8>, AppError> {
        let code = StatusCode::from_code(code).ok_or_else(|| {
            AppError::Invalid(format!("Mã trạng thái {code} không có trong QCVN 102:2016"))
        })?;
        let document = self.document(ctx, id).await?;
        let exchange_id = document
            .exchange_id
            .as_deref()
            .filter(|_| document.direction == Direction::Incoming)
            .ok_or_else(|| {
                AppError::Invalid("Văn bản này không nhận qua trục liên thông".into())
            })?;
        let sent = edxml::DocumentId::parse(exchange_id).map_err(AppError::invalid)?;
        let agency = self.agency(document.agency_id).await?;
        let status = Status {
            response_for: ResponseFor {
                organ_id: sent.organ_id.clone(),
                code: document.symbol.clone(),
                promulgation_date: document.issued_on,
                document_id: exchange_id.to_owned(),
            },
            from: organization(&agency),
            code,
            description: description.to_owned(),
            timestamp: timestamp(self),
            staff_info: None,
        };
        edxml::write_status(&status).map_err(AppError::invalid)
    }

    /// Records a status message that an agency sent back about one of
    /// `agency`'s outgoing documents (found by the DocumentId it was sent
    /// under). The same message twice is recorded once; `false` then.
    pub async fn receive_edxml_status(
        &self,
        ctx: &Ctx,
        agency_id: AgencyId,
        bytes: &[u8],
    ) -> Result<(Document, bool), AppError> {
        ctx.require(
            Permission::RegisterDocuments,
            &self.lineage(agency_id).await?,
        )?;
        let status = edxml::read_status(bytes, &Limits::DEFAULT).map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        let document = tx
            .document_by_exchange_id(agency_id, &status.response_for.document_id)
            .await?
            .filter(|d| d.direction == Direction::Outgoing)
            .ok_or(AppError::NotFound(
                "văn bản đã gửi mà thông điệp trạng thái nói đến",
            ))?;
        let received = ExchangeStatus {
            document_id: document.id,
            from_organ_id: status.from.organ_id,
            from_name: status.from.organ_name,
            code: status.code.code(),
            description: status.description,
            stated_at: status.timestamp,
        };
        let new = tx.insert_exchange_status(&received).await?;
        if new {
            let change = Change {
                action: "document.status",
                object_type: "document",
                object_id: document.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "status": received })),
            };
            record(&mut tx, self, ctx, change).await?;
            tx.commit().await?;
        }
        Ok((document, new))
    }

    /// What the recipients said became of a document, with each status's
    /// meaning in words.
    pub async fn document_statuses(
        &self,
        ctx: &Ctx,
        id: DocumentId,
    ) -> Result<Vec<(ExchangeStatus, &'static str)>, AppError> {
        self.document(ctx, id).await?;
        let statuses = self.store.read().await?.exchange_statuses(id).await?;
        Ok(statuses
            .into_iter()
            .map(|s| {
                let label =
                    StatusCode::from_code(s.code).map_or("Trạng thái khác", StatusCode::label);
                (s, label)
            })
            .collect())
    }
}
