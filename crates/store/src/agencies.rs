//! Queries of the agency tree.

use domain::agencies::{Agency, AgencyCode, AgencyDraft, AgencyId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

use crate::entities::agency;
use crate::error::corrupt;
use crate::{StoreError, Tx};

fn to_domain(row: agency::Model) -> Result<Agency, StoreError> {
    Ok(Agency {
        id: row.id,
        code: row.code.parse().map_err(corrupt("agencies.code"))?,
        name: row.name,
        short_name: row.short_name,
        kind: row.kind.parse().map_err(corrupt("agencies.kind"))?,
        parent_id: row.parent_id,
        effective_from: row.effective_from,
        effective_to: row.effective_to,
        successor_id: row.successor_id,
    })
}

fn fill(model: &mut agency::ActiveModel, draft: &AgencyDraft) {
    model.code = Set(draft.code.as_str().to_owned());
    model.name = Set(draft.name.trim().to_owned());
    model.short_name = Set(draft.short_name.trim().to_owned());
    model.kind = Set(draft.kind.as_str().to_owned());
    model.parent_id = Set(draft.parent_id);
    model.effective_from = Set(draft.effective_from);
    model.effective_to = Set(draft.effective_to);
    model.successor_id = Set(draft.successor_id);
}

impl Tx {
    /// Every agency, at every date, ordered by id.
    pub async fn all_agencies(&self) -> Result<Vec<Agency>, StoreError> {
        agency::Entity::find()
            .order_by_asc(agency::Column::Id)
            .all(self.conn())
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    pub async fn agency(&self, id: AgencyId) -> Result<Option<Agency>, StoreError> {
        agency::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .map(to_domain)
            .transpose()
    }

    pub async fn agency_by_code(&self, code: &AgencyCode) -> Result<Option<Agency>, StoreError> {
        agency::Entity::find()
            .filter(agency::Column::Code.eq(code.as_str()))
            .one(self.conn())
            .await?
            .map(to_domain)
            .transpose()
    }

    pub async fn count_agencies(&self) -> Result<u64, StoreError> {
        Ok(agency::Entity::find().count(self.conn()).await?)
    }

    pub async fn insert_agency(&self, draft: &AgencyDraft) -> Result<Agency, StoreError> {
        let mut model = agency::ActiveModel {
            ..Default::default()
        };
        fill(&mut model, draft);
        to_domain(model.insert(self.conn()).await?)
    }

    pub async fn update_agency(
        &self,
        id: AgencyId,
        draft: &AgencyDraft,
    ) -> Result<Agency, StoreError> {
        let mut model = agency::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id),
            ..Default::default()
        };
        fill(&mut model, draft);
        match model.update(self.conn()).await {
            Ok(row) => to_domain(row),
            Err(sea_orm::DbErr::RecordNotUpdated) => Err(StoreError::NotFound),
            Err(err) => Err(err.into()),
        }
    }
}
