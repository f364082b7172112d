//! The reception calendar and visits: leaders schedule the periodic
//! days and record them held or cancelled; the day's leader's visits and
//! the officers' regular visits are recorded with their case.

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::people::PersonId;
use domain::reception::days::{DayId, DayOutcome, DayStatus, ReceptionDay};
use domain::reception::parties::{Keepers, Party, Reader, shown_to};
use domain::reception::visits::{Visit, VisitDraft, VisitId};
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// A reception day as the leaders set it.
#[derive(Debug, Clone)]
pub struct NewDay {
    pub agency_id: AgencyId,
    pub on: Date,
    pub leader_id: PersonId,
    pub place: String,
}

/// A visit as recorded: on a periodic day or regular, and the earlier
/// visit whose case it continues.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub draft: VisitDraft,
    pub day_id: Option<DayId>,
    pub same_case_as: Option<VisitId>,
}

/// A visit's visitors as `reader` may see them.
pub fn visit_shown(visit: Visit, reader: Reader) -> Visit {
    let keepers = Keepers {
        recorded_by: visit.recorded_by,
        handler: None,
        decided_by: None,
        confidential: false,
    };
    Visit {
        visitors: shown_to(&visit.visitors, &keepers, reader),
        ..visit
    }
}

/// What the audit trail keeps of a visit: no personal data.
fn audited(visit: &Visit) -> serde_json::Value {
    let visit = Visit {
        visitors: visit.visitors.iter().map(Party::redacted).collect(),
        ..visit.clone()
    };
    serde_json::to_value(visit).unwrap_or_default()
}

impl App {
    /// Schedules a periodic reception day; one per agency and date.
    pub async fn schedule_reception_day(
        &self,
        ctx: &Ctx,
        new: NewDay,
    ) -> Result<ReceptionDay, AppError> {
        ctx.require(
            Permission::AssignPetitions,
            &self.lineage(new.agency_id).await?,
        )?;
        self.reception_person(
            new.leader_id,
            new.agency_id,
            Some(Permission::AssignPetitions),
        )
        .await?;
        let mut day = ReceptionDay {
            id: 0,
            agency_id: new.agency_id,
            on: new.on,
            leader_id: new.leader_id,
            place: domain::reception::required(&new.place, "địa điểm tiếp")
                .map_err(AppError::invalid)?,
            status: DayStatus::Scheduled,
            scheduled_by: ctx.actor.as_ref().map(|a| a.person_id),
            note: String::new(),
        };
        let mut tx = self.store.write().await?;
        if !tx
            .reception_days(&[new.agency_id], (new.on, new.on))
            .await?
            .is_empty()
        {
            return Err(AppError::Conflict(format!(
                "Đã có lịch tiếp công dân ngày {}",
                vn::dates::format_short(new.on)
            )));
        }
        day.id = tx.insert_reception_day(&day).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "reception.day.schedule",
                object_type: "reception_day",
                object_id: day.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&day).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(day)
    }

    /// Records day `id` as held or cancelled.
    pub async fn record_reception_day(
        &self,
        ctx: &Ctx,
        id: DayId,
        outcome: &DayOutcome,
    ) -> Result<ReceptionDay, AppError> {
        let day = self.reception_day(ctx, id).await?;
        ctx.require(
            Permission::AssignPetitions,
            &self.lineage(day.agency_id).await?,
        )?;
        let today = self.today();
        let mut tx = self.store.write().await?;
        let current = tx
            .reception_day(id)
            .await?
            .ok_or(AppError::NotFound("buổi tiếp công dân"))?;
        let next = current.record(outcome, today).map_err(AppError::invalid)?;
        tx.update_reception_day(&next).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "reception.day.record",
                object_type: "reception_day",
                object_id: id.to_string(),
                before: Some(serde_json::to_value(&current).unwrap_or_default()),
                after: Some(serde_json::to_value(&next).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    pub async fn reception_day(&self, ctx: &Ctx, id: DayId) -> Result<ReceptionDay, AppError> {
        let day = self
            .store
            .read()
            .await?
            .reception_day(id)
            .await?
            .ok_or(AppError::NotFound("buổi tiếp công dân"))?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(day.agency_id).await?,
        )?;
        Ok(day)
    }

    /// The days of `agency` and those below it, `from` to `to`.
    pub async fn reception_days(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        period: (Date, Date),
    ) -> Result<Vec<ReceptionDay>, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(agency).await?)?;
        let tree = self.subtree(agency).await?;
        Ok(self
            .store
            .read()
            .await?
            .reception_days(&tree, period)
            .await?)
    }

    /// Records a visit. A periodic one (on `day_id`) by a leader or an
    /// officer who receives citizens; a regular one by such an officer,
    /// who is the one who received them.
    pub async fn record_visit(&self, ctx: &Ctx, new: NewVisit) -> Result<Visit, AppError> {
        let agency = new.draft.agency_id;
        let allowed: &[Permission] = if new.day_id.is_some() {
            &[Permission::AssignPetitions, Permission::ReceiveCitizens]
        } else {
            &[Permission::ReceiveCitizens]
        };
        self.require_one_of(ctx, allowed, agency).await?;
        let read = self.store.read().await?;
        let day = match new.day_id {
            Some(id) => Some(read.reception_day(id).await?.ok_or_else(|| {
                AppError::Invalid(format!("Không có buổi tiếp công dân định kỳ số {id}"))
            })?),
            None => None,
        };
        let earlier = match new.same_case_as {
            Some(id) => Some(read.visit(id).await?.ok_or_else(|| {
                AppError::Invalid(format!("Không có lượt tiếp số {id} để nối vụ việc"))
            })?),
            None => None,
        };
        drop(read);
        let by = ctx
            .actor
            .as_ref()
            .map_or(new.draft.officer_id, |a| a.person_id);
        let draft = VisitDraft {
            officer_id: by,
            ..new.draft
        };
        let mut visit = draft
            .visit(by, day.as_ref(), earlier.as_ref())
            .map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        visit.id = tx.insert_visit(&visit).await?;
        if visit.case_id == 0 {
            visit.case_id = visit.id;
        }
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "reception.visit.record",
                object_type: "reception_visit",
                object_id: visit.id.to_string(),
                before: None,
                after: Some(audited(&visit)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// Visit `id`, its visitors as `ctx` may see them.
    pub async fn visit(&self, ctx: &Ctx, id: VisitId) -> Result<Visit, AppError> {
        let visit = self
            .store
            .read()
            .await?
            .visit(id)
            .await?
            .ok_or(AppError::NotFound("lượt tiếp công dân"))?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(visit.agency_id).await?,
        )?;
        let reader = self.reception_reader(ctx, visit.agency_id).await?;
        Ok(visit_shown(visit, reader))
    }

    /// The visits of `agency` and those below it on the days `from` to
    /// `to`, their visitors as `ctx` may see them.
    pub async fn visits(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        (from, to): (Date, Date),
    ) -> Result<Vec<Visit>, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(agency).await?)?;
        let tree = self.subtree(agency).await?;
        let moments = crate::period::moments((from, to))?;
        let visits = self.store.read().await?.visits(&tree, moments).await?;
        let mut readers = self.reception_readers(ctx);
        let mut out = Vec::with_capacity(visits.len());
        for visit in visits {
            let reader = readers.of(visit.agency_id).await?;
            out.push(visit_shown(visit, reader));
        }
        Ok(out)
    }
}
