//! Petitions' use cases: receiving one (refusing a duplicate), its steps
//! (classify, assign, extend, answer, close), its page and the lists.
//!
//! Deadlines are counted on the working calendar of `handling` (the
//! agency's, until agencies keep calendars of their own).

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::handling::Timeliness;
use domain::reception::parties::{Party, Reader, shown_to};
use domain::reception::petitions::{
    Petition, PetitionDraft, PetitionId, PetitionKind, PetitionStatus, Step,
};
use store::reception::petitions::PetitionFilter;
use time::Date;

use crate::audit::{Change, record};
use crate::handling::calendar;
use crate::{App, AppError, Ctx};

/// A petition as one reader sees it, with its standing today.
#[derive(Debug, Clone)]
pub struct PetitionView {
    pub petition: Petition,
    /// Whether the petitioners are shown (else they read «(đã ẩn)»).
    pub sees_parties: bool,
    pub timeliness: Timeliness,
    /// Whether the reader may take the leaders' steps, and answer.
    pub decides: bool,
    pub answers: bool,
}

/// What a list of petitions asks for.
#[derive(Debug, Clone, Default)]
pub struct PetitionQuery {
    pub kind: Option<PetitionKind>,
    pub status: Option<PetitionStatus>,
    pub overdue: bool,
}

/// How many petitions a list shows.
pub const LIST_LIMIT: u64 = 500;

/// The petition with its petitioners as `reader` may see them.
fn shown(petition: Petition, reader: Reader) -> (Petition, bool) {
    let keepers = petition.keepers();
    let sees = keepers.may_see(reader);
    let petitioners = shown_to(&petition.petitioners, &keepers, reader);
    (
        Petition {
            petitioners,
            ..petition
        },
        sees,
    )
}

/// What the audit trail keeps of a petition: never the petitioners.
fn audited(petition: &Petition) -> serde_json::Value {
    serde_json::to_value(Petition {
        petitioners: petition.petitioners.iter().map(Party::redacted).collect(),
        ..petition.clone()
    })
    .unwrap_or_default()
}

impl App {
    /// Receives a petition: by an officer who receives citizens or a
    /// leader. The same petitioner's petition of the same kind and
    /// content on the same day is refused as a duplicate.
    pub async fn receive_petition(
        &self,
        ctx: &Ctx,
        draft: PetitionDraft,
    ) -> Result<Petition, AppError> {
        self.require_one_of(
            ctx,
            &[Permission::ReceiveCitizens, Permission::AssignPetitions],
            draft.agency_id,
        )
        .await?;
        let visit = match draft.visit_id {
            Some(id) => Some(self.store.read().await?.visit(id).await?.ok_or_else(|| {
                AppError::Invalid(format!("Không có lượt tiếp số {id} đã nhận đơn"))
            })?),
            None => None,
        };
        // A petition is recorded by a person: the visibility rule names
        // them.
        let recorder = ctx
            .actor
            .as_ref()
            .map(|a| a.person_id)
            .ok_or(AppError::Unauthenticated)?;
        let mut petition = draft
            .petition(recorder, visit.as_ref(), (&calendar(), self.today()))
            .map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        let same_day = tx
            .petitions_received_on(petition.agency_id, petition.kind, petition.received_on)
            .await?;
        if let Some(first) = same_day.iter().find(|p| petition.duplicates(p)) {
            return Err(AppError::Conflict(format!(
                "Đơn trùng với đơn số {} đã nhận cùng ngày (cùng người, loại đơn và nội dung)",
                first.id
            )));
        }
        petition.id = tx.insert_petition(&petition).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "reception.petition.receive",
                object_type: "petition",
                object_id: petition.id.to_string(),
                before: None,
                after: Some(audited(&petition)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(petition)
    }

    /// Takes `step` on petition `id`, dated `on`: the leaders' steps by
    /// a holder of `AssignPetitions`; the answer by the handler or such a
    /// leader. An assigned handler must be an active person of the
    /// agency's tree.
    pub async fn petition_step(
        &self,
        ctx: &Ctx,
        id: PetitionId,
        on: Date,
        step: Step,
    ) -> Result<PetitionView, AppError> {
        let stored = self.stored_petition(id).await?;
        let lineage = self.lineage(stored.agency_id).await?;
        let by = ctx.actor.as_ref().map(|a| a.person_id);
        let own_answer = matches!(step, Step::Answer(_)) && by.is_some() && by == stored.handler_id;
        if !own_answer {
            ctx.require(Permission::AssignPetitions, &lineage)?;
        }
        if let Step::Assign(handler) = step {
            self.reception_person(handler, stored.agency_id, None)
                .await?;
        }
        let today = self.today();
        let mut tx = self.store.write().await?;
        let current = tx.petition(id).await?.ok_or(AppError::NotFound("đơn"))?;
        let next = current
            .take(
                &step,
                (on, by.unwrap_or(current.recorded_by)),
                (&calendar(), today),
            )
            .map_err(AppError::invalid)?;
        tx.update_petition(&next).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "reception.petition.step",
                object_type: "petition",
                object_id: id.to_string(),
                before: Some(audited(&current)),
                after: Some(audited(&next)),
            },
        )
        .await?;
        tx.commit().await?;
        let reader = self.reception_reader(ctx, next.agency_id).await?;
        Ok(self.petition_view(next, reader))
    }

    /// Petition `id` as `ctx` may see it.
    pub async fn petition(&self, ctx: &Ctx, id: PetitionId) -> Result<PetitionView, AppError> {
        let petition = self.stored_petition(id).await?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(petition.agency_id).await?,
        )?;
        let reader = self.reception_reader(ctx, petition.agency_id).await?;
        Ok(self.petition_view(petition, reader))
    }

    /// The petitions of `agency` and those below it that `query` asks
    /// for, newest first, as `ctx` may see them.
    pub async fn petitions(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        query: &PetitionQuery,
    ) -> Result<Vec<PetitionView>, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(agency).await?)?;
        let filter = PetitionFilter {
            agencies: self.subtree(agency).await?,
            kind: query.kind,
            statuses: query.status.into_iter().collect(),
            overdue_on: query.overdue.then(|| self.today()),
        };
        let found = self
            .store
            .read()
            .await?
            .petitions(&filter, LIST_LIMIT)
            .await?;
        let mut readers = self.reception_readers(ctx);
        let mut out = Vec::with_capacity(found.len());
        for petition in found {
            let reader = readers.of(petition.agency_id).await?;
            out.push(self.petition_view(petition, reader));
        }
        Ok(out)
    }

    async fn stored_petition(&self, id: PetitionId) -> Result<Petition, AppError> {
        self.store
            .read()
            .await?
            .petition(id)
            .await?
            .ok_or(AppError::NotFound("đơn"))
    }

    fn petition_view(&self, petition: Petition, reader: Reader) -> PetitionView {
        let decides = matches!(
            reader,
            Reader::System | Reader::Person { decides: true, .. }
        );
        let answers = decides
            || matches!(reader, Reader::Person { id, .. } if Some(id) == petition.handler_id);
        let timeliness = petition.timeliness(&calendar(), self.today());
        let (petition, sees_parties) = shown(petition, reader);
        PetitionView {
            petition,
            sees_parties,
            timeliness,
            decides,
            answers,
        }
    }
}
