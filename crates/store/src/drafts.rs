//! Drafts of outgoing documents: the draft row, its files per version and
//! its steps.

use domain::agencies::AgencyId;
use domain::drafts::{Draft, DraftFile, DraftId, DraftSignature, DraftState, DraftStep};
use domain::people::PersonId;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;

use crate::entities::{draft, draft_file, draft_step};
use crate::error::corrupt;
use crate::{StoreError, Tx};

fn ids(text: &str, what: &str) -> Result<Vec<AgencyId>, StoreError> {
    serde_json::from_str(text).map_err(corrupt(what))
}

fn lines(text: &str, what: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(corrupt(what))
}

fn to_domain(row: draft::Model) -> Result<Draft, StoreError> {
    Ok(Draft {
        id: row.id,
        agency_id: row.agency_id,
        drafting_unit_id: row.drafting_unit_id,
        author_id: row.author_id,
        doc_type: row.doc_type,
        summary: row.summary,
        signer: row.signer,
        urgency: row.urgency.parse().map_err(corrupt("drafts.urgency"))?,
        confidentiality: row
            .confidentiality
            .parse()
            .map_err(corrupt("drafts.confidentiality"))?,
        field: row.field,
        recipients: ids(&row.recipients, "drafts.recipients")?,
        other_recipients: lines(&row.other_recipients, "drafts.other_recipients")?,
        state: row.state.parse().map_err(corrupt("drafts.state"))?,
        version: u32::try_from(row.version).map_err(corrupt("drafts.version"))?,
        document_id: row.document_id,
        signed: match (
            row.signed_sha256,
            row.signed_size,
            row.signed_by,
            row.signed_at,
        ) {
            (Some(sha256), Some(size), Some(signer_id), Some(at)) => Some(DraftSignature {
                sha256,
                size: u64::try_from(size).map_err(corrupt("drafts.signed_size"))?,
                signer_id,
                at,
            }),
            _ => None,
        },
    })
}

fn to_row(d: &Draft, now: OffsetDateTime) -> Result<draft::ActiveModel, StoreError> {
    let now = domain::to_stored_precision(now);
    Ok(draft::ActiveModel {
        agency_id: Set(d.agency_id),
        drafting_unit_id: Set(d.drafting_unit_id),
        author_id: Set(d.author_id),
        doc_type: Set(d.doc_type.clone()),
        summary: Set(d.summary.clone()),
        signer: Set(d.signer.clone()),
        urgency: Set(d.urgency.as_str().to_owned()),
        confidentiality: Set(d.confidentiality.as_str().to_owned()),
        field: Set(d.field.clone()),
        recipients: Set(serde_json::to_string(&d.recipients).map_err(corrupt("recipients"))?),
        other_recipients: Set(
            serde_json::to_string(&d.other_recipients).map_err(corrupt("other recipients"))?
        ),
        state: Set(d.state.as_str().to_owned()),
        version: Set(i32::try_from(d.version).map_err(corrupt("draft version"))?),
        document_id: Set(d.document_id),
        signed_sha256: Set(d.signed.as_ref().map(|s| s.sha256.clone())),
        signed_size: Set(d
            .signed
            .as_ref()
            .map(|s| i64::try_from(s.size))
            .transpose()
            .map_err(corrupt("signed size"))?),
        signed_by: Set(d.signed.as_ref().map(|s| s.signer_id)),
        signed_at: Set(d.signed.as_ref().map(|s| s.at)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

fn file_to_domain(row: draft_file::Model) -> Result<DraftFile, StoreError> {
    Ok(DraftFile {
        id: row.id,
        draft_id: row.draft_id,
        version: u32::try_from(row.version).map_err(corrupt("draft_files.version"))?,
        position: u32::try_from(row.position).map_err(corrupt("draft_files.position"))?,
        name: row.name,
        description: row.description,
        content_type: row.content_type,
        sha256: row.sha256,
        size: u64::try_from(row.size).map_err(corrupt("draft_files.size"))?,
    })
}

fn step_to_domain(row: draft_step::Model) -> Result<DraftStep, StoreError> {
    Ok(DraftStep {
        draft_id: row.draft_id,
        action: row.action.parse().map_err(corrupt("draft_steps.action"))?,
        actor_id: row.actor_id,
        actor_label: row.actor_label,
        comment: row.comment,
        version: u32::try_from(row.version).map_err(corrupt("draft_steps.version"))?,
        at: row.at,
    })
}

impl Tx {
    /// Records a new draft; `draft.id` is ignored.
    pub async fn insert_draft(&self, d: &Draft, now: OffsetDateTime) -> Result<Draft, StoreError> {
        to_domain(to_row(d, now)?.insert(self.conn()).await?)
    }

    /// Writes a draft's changed fields back (its creation time stays).
    pub async fn update_draft(&self, d: &Draft, now: OffsetDateTime) -> Result<(), StoreError> {
        let mut row = to_row(d, now)?;
        row.id = Set(d.id);
        row.created_at = sea_orm::ActiveValue::NotSet;
        row.update(self.conn()).await?;
        Ok(())
    }

    pub async fn draft(&self, id: DraftId) -> Result<Option<Draft>, StoreError> {
        draft::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .map(to_domain)
            .transpose()
    }

    /// Drafts in `state` whose issuing agency (or, with `by_unit`, whose
    /// drafting unit, the agency when there is none) is one of `agencies`;
    /// oldest first, as a queue is worked.
    pub async fn drafts_waiting(
        &self,
        state: DraftState,
        agencies: &[AgencyId],
        by_unit: bool,
    ) -> Result<Vec<Draft>, StoreError> {
        let owner = if by_unit {
            Expr::expr(Func::coalesce([
                Expr::col(draft::Column::DraftingUnitId),
                Expr::col(draft::Column::AgencyId),
            ]))
        } else {
            Expr::col(draft::Column::AgencyId)
        };
        draft::Entity::find()
            .filter(draft::Column::State.eq(state.as_str()))
            .filter(owner.is_in(agencies.iter().copied()))
            .order_by_asc(draft::Column::UpdatedAt)
            .order_by_asc(draft::Column::Id)
            .all(self.conn())
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// A person's own drafts not yet issued, newest first.
    pub async fn drafts_of(&self, author: PersonId) -> Result<Vec<Draft>, StoreError> {
        draft::Entity::find()
            .filter(draft::Column::AuthorId.eq(author))
            .filter(draft::Column::State.ne(DraftState::Issued.as_str()))
            .order_by_desc(draft::Column::UpdatedAt)
            .all(self.conn())
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Records a file of a draft's version (its blob already recorded).
    pub async fn insert_draft_file(&self, f: &DraftFile) -> Result<DraftFile, StoreError> {
        let row = draft_file::ActiveModel {
            draft_id: Set(f.draft_id),
            version: Set(i32::try_from(f.version).map_err(corrupt("draft file version"))?),
            position: Set(i32::try_from(f.position).map_err(corrupt("draft file position"))?),
            name: Set(f.name.clone()),
            description: Set(f.description.clone()),
            content_type: Set(f.content_type.clone()),
            sha256: Set(f.sha256.clone()),
            size: Set(i64::try_from(f.size).map_err(corrupt("draft file size"))?),
            ..Default::default()
        };
        file_to_domain(row.insert(self.conn()).await?)
    }

    /// The files of one version of a draft, in order.
    pub async fn draft_files(
        &self,
        id: DraftId,
        version: u32,
    ) -> Result<Vec<DraftFile>, StoreError> {
        draft_file::Entity::find()
            .filter(draft_file::Column::DraftId.eq(id))
            .filter(draft_file::Column::Version.eq(i64::from(version)))
            .order_by_asc(draft_file::Column::Position)
            .all(self.conn())
            .await?
            .into_iter()
            .map(file_to_domain)
            .collect()
    }

    pub async fn insert_draft_step(&self, s: &DraftStep) -> Result<(), StoreError> {
        draft_step::ActiveModel {
            draft_id: Set(s.draft_id),
            action: Set(s.action.as_str().to_owned()),
            actor_id: Set(s.actor_id),
            actor_label: Set(s.actor_label.clone()),
            comment: Set(s.comment.clone()),
            version: Set(i32::try_from(s.version).map_err(corrupt("draft step version"))?),
            at: Set(domain::to_stored_precision(s.at)),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        Ok(())
    }

    /// A draft's history, oldest first.
    pub async fn draft_steps(&self, id: DraftId) -> Result<Vec<DraftStep>, StoreError> {
        draft_step::Entity::find()
            .filter(draft_step::Column::DraftId.eq(id))
            .order_by_asc(draft_step::Column::Id)
            .all(self.conn())
            .await?
            .into_iter()
            .map(step_to_domain)
            .collect()
    }
}
