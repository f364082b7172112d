//! Use cases of the agency tree.
//!
//! Invariant: the tree is read as of a date; changes never delete an
//! agency, they end it (`effective_to`) and name a successor.

use domain::agencies::{Agency, AgencyDraft, AgencyId, subtree_ids, tree_on};
use domain::authz::Permission;
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

fn json(agency: &Agency) -> serde_json::Value {
    serde_json::to_value(agency).unwrap_or_default()
}

impl App {
    /// Every agency at every date.
    pub async fn all_agencies(&self) -> Result<Vec<Agency>, AppError> {
        Ok(self.store.read().await?.all_agencies().await?)
    }

    /// The tree as it stood on `day`: (depth, agency), parents first,
    /// siblings by code.
    pub async fn agency_tree(&self, day: Date) -> Result<Vec<(usize, Agency)>, AppError> {
        let all = self.all_agencies().await?;
        Ok(tree_on(&all, day, |a, b| {
            a.code.cmp(&b.code).then_with(|| a.name.cmp(&b.name))
        })
        .into_iter()
        .map(|(depth, agency)| (depth, agency.clone()))
        .collect())
    }

    pub async fn agency(&self, id: AgencyId) -> Result<Agency, AppError> {
        self.store
            .read()
            .await?
            .agency(id)
            .await?
            .ok_or(AppError::NotFound("cơ quan"))
    }

    pub async fn agency_by_code(
        &self,
        code: &domain::agencies::AgencyCode,
    ) -> Result<Agency, AppError> {
        self.store
            .read()
            .await?
            .agency_by_code(code)
            .await?
            .ok_or(AppError::NotFound("cơ quan"))
    }

    /// The agency and its ancestors, nearest first: the scope that
    /// authorisation checks against.
    pub async fn lineage(&self, id: AgencyId) -> Result<Vec<AgencyId>, AppError> {
        let all = self.all_agencies().await?;
        let mut out = Vec::new();
        let mut current = Some(id);
        while let Some(id) = current {
            // A cycle cannot be stored (drafts are checked), but a hand edit
            // could make one; stop rather than loop.
            if out.contains(&id) {
                break;
            }
            let agency = all
                .iter()
                .find(|a| a.id == id)
                .ok_or(AppError::NotFound("cơ quan"))?;
            out.push(id);
            current = agency.parent_id;
        }
        Ok(out)
    }

    /// The ids of an agency and everything below it.
    pub async fn subtree(&self, id: AgencyId) -> Result<Vec<AgencyId>, AppError> {
        Ok(subtree_ids(&self.all_agencies().await?, id))
    }

    async fn check_draft(
        &self,
        ctx: &Ctx,
        id: Option<AgencyId>,
        draft: &AgencyDraft,
    ) -> Result<(), AppError> {
        let parent = match draft.parent_id {
            Some(parent_id) => Some(self.agency(parent_id).await?),
            None => None,
        };
        // A new root agency (a province) is created by the system only.
        let scope = match draft.parent_id {
            Some(parent_id) => self.lineage(parent_id).await?,
            None => Vec::new(),
        };
        ctx.require(Permission::ManageAgencies, &scope)?;
        let below = match id {
            Some(id) => self.subtree(id).await?,
            None => Vec::new(),
        };
        if let Some(successor) = draft.successor_id {
            self.agency(successor).await?;
        }
        draft
            .check(id, parent.as_ref(), &below)
            .map_err(AppError::invalid)
    }

    pub async fn create_agency(&self, ctx: &Ctx, draft: AgencyDraft) -> Result<Agency, AppError> {
        self.check_draft(ctx, None, &draft).await?;
        let mut tx = self.store.write().await?;
        let agency = tx.insert_agency(&draft).await?;
        let change = Change {
            action: "agency.create",
            object_type: "agency",
            object_id: agency.id.to_string(),
            before: None,
            after: Some(json(&agency)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(agency)
    }

    pub async fn update_agency(
        &self,
        ctx: &Ctx,
        id: AgencyId,
        draft: AgencyDraft,
    ) -> Result<Agency, AppError> {
        let before = self.agency(id).await?;
        ctx.require(Permission::ManageAgencies, &self.lineage(id).await?)?;
        self.check_draft(ctx, Some(id), &draft).await?;
        let mut tx = self.store.write().await?;
        let agency = tx.update_agency(id, &draft).await?;
        let change = Change {
            action: "agency.update",
            object_type: "agency",
            object_id: id.to_string(),
            before: Some(json(&before)),
            after: Some(json(&agency)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(agency)
    }
}
