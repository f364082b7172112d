//! Handling of incoming documents: assignments with their co-handlers,
//! opinions, and the in-app notices of the reminder job.

use std::collections::BTreeMap;

use domain::agencies::AgencyId;
use domain::documents::DocumentId;
use domain::handling::{
    Assignment, AssignmentId, AssignmentState, Notice, NoticeId, Opinion, TimelinessCounts,
};
use domain::people::PersonId;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::{Date, OffsetDateTime};

use crate::entities::{assignment, assignment_co_handler, assignment_opinion, notice};
use crate::error::corrupt;
use crate::{StoreError, Tx};

/// The stored names of the open states.
fn open_states() -> [&'static str; 2] {
    [
        AssignmentState::Assigned.as_str(),
        AssignmentState::InProgress.as_str(),
    ]
}

fn to_domain(row: assignment::Model, co_handlers: Vec<PersonId>) -> Result<Assignment, StoreError> {
    Ok(Assignment {
        id: row.id,
        document_id: row.document_id,
        agency_id: row.agency_id,
        lead_id: row.lead_id,
        co_handlers,
        assigned_by: row.assigned_by,
        assigned_by_label: row.assigned_by_label,
        instruction: row.instruction,
        assigned_on: row.assigned_on,
        deadline: row.deadline,
        state: row.state.parse().map_err(corrupt("assignments.state"))?,
        completed_on: row.completed_on,
    })
}

fn notice_to_domain(row: notice::Model) -> Notice {
    Notice {
        id: row.id,
        person_id: row.person_id,
        assignment_id: row.assignment_id,
        day: row.day,
        text: row.text,
        created_at: row.created_at,
        read_at: row.read_at,
    }
}

impl Tx {
    /// Reads the co-handlers of `rows` in one query and builds the
    /// assignments, in the order of `rows`.
    async fn with_co_handlers(
        &self,
        rows: Vec<assignment::Model>,
    ) -> Result<Vec<Assignment>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut co: BTreeMap<AssignmentId, Vec<PersonId>> = BTreeMap::new();
        for link in assignment_co_handler::Entity::find()
            .filter(assignment_co_handler::Column::AssignmentId.is_in(rows.iter().map(|r| r.id)))
            .order_by_asc(assignment_co_handler::Column::PersonId)
            .all(self.conn())
            .await?
        {
            co.entry(link.assignment_id)
                .or_default()
                .push(link.person_id);
        }
        rows.into_iter()
            .map(|row| {
                let people = co.remove(&row.id).unwrap_or_default();
                to_domain(row, people)
            })
            .collect()
    }

    /// Records a new assignment and its co-handlers; `a.id` is ignored.
    pub async fn insert_assignment(
        &self,
        a: &Assignment,
        now: OffsetDateTime,
    ) -> Result<Assignment, StoreError> {
        let now = domain::to_stored_precision(now);
        let row = assignment::ActiveModel {
            document_id: Set(a.document_id),
            agency_id: Set(a.agency_id),
            lead_id: Set(a.lead_id),
            assigned_by: Set(a.assigned_by),
            assigned_by_label: Set(a.assigned_by_label.clone()),
            instruction: Set(a.instruction.clone()),
            assigned_on: Set(a.assigned_on),
            deadline: Set(a.deadline),
            state: Set(a.state.as_str().to_owned()),
            completed_on: Set(a.completed_on),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        for person in &a.co_handlers {
            assignment_co_handler::ActiveModel {
                assignment_id: Set(row.id),
                person_id: Set(*person),
            }
            .insert(self.conn())
            .await?;
        }
        to_domain(row, a.co_handlers.clone())
    }

    /// Writes an assignment's state and completion day back (the people
    /// and the deadline never change: a new assignment replaces it).
    pub async fn update_assignment_state(
        &self,
        a: &Assignment,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        assignment::ActiveModel {
            id: Set(a.id),
            state: Set(a.state.as_str().to_owned()),
            completed_on: Set(a.completed_on),
            updated_at: Set(domain::to_stored_precision(now)),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    pub async fn assignment(&self, id: AssignmentId) -> Result<Option<Assignment>, StoreError> {
        let Some(row) = assignment::Entity::find_by_id(id).one(self.conn()).await? else {
            return Ok(None);
        };
        Ok(self.with_co_handlers(vec![row]).await?.pop())
    }

    /// Every assignment of a document, withdrawn ones included, oldest first.
    pub async fn assignments_of_document(
        &self,
        document: DocumentId,
    ) -> Result<Vec<Assignment>, StoreError> {
        let rows = assignment::Entity::find()
            .filter(assignment::Column::DocumentId.eq(document))
            .order_by_asc(assignment::Column::Id)
            .all(self.conn())
            .await?;
        self.with_co_handlers(rows).await
    }

    /// Whether `person` leads or co-handles an assignment of the document
    /// that was not withdrawn (handlers see the documents given to them).
    pub async fn handles_document(
        &self,
        document: DocumentId,
        person: PersonId,
    ) -> Result<bool, StoreError> {
        let found = assignment::Entity::find()
            .filter(assignment::Column::DocumentId.eq(document))
            .filter(assignment::Column::State.ne(AssignmentState::Withdrawn.as_str()))
            .filter(handled_by(person))
            .count(self.conn())
            .await?;
        Ok(found > 0)
    }

    /// The open assignments `person` leads or co-handles, nearest deadline
    /// first.
    pub async fn open_assignments_of(
        &self,
        person: PersonId,
    ) -> Result<Vec<Assignment>, StoreError> {
        let rows = assignment::Entity::find()
            .filter(assignment::Column::State.is_in(open_states()))
            .filter(handled_by(person))
            .order_by_asc(assignment::Column::Deadline)
            .order_by_asc(assignment::Column::Id)
            .all(self.conn())
            .await?;
        self.with_co_handlers(rows).await
    }

    /// Open assignments of `agencies` whose deadline is before `day`,
    /// most overdue first.
    pub async fn overdue_assignments(
        &self,
        agencies: &[AgencyId],
        day: Date,
    ) -> Result<Vec<Assignment>, StoreError> {
        let rows = assignment::Entity::find()
            .filter(assignment::Column::State.is_in(open_states()))
            .filter(assignment::Column::AgencyId.is_in(agencies.iter().copied()))
            .filter(assignment::Column::Deadline.lt(day))
            .order_by_asc(assignment::Column::Deadline)
            .order_by_asc(assignment::Column::Id)
            .all(self.conn())
            .await?;
        self.with_co_handlers(rows).await
    }

    /// Open assignments of every agency whose deadline is on or before
    /// `day` (the reminder job's selection).
    pub async fn open_assignments_due_by(&self, day: Date) -> Result<Vec<Assignment>, StoreError> {
        let rows = assignment::Entity::find()
            .filter(assignment::Column::State.is_in(open_states()))
            .filter(assignment::Column::Deadline.lte(day))
            .order_by_asc(assignment::Column::Id)
            .all(self.conn())
            .await?;
        self.with_co_handlers(rows).await
    }

    /// The assignments of `agencies` whose deadline falls between `from`
    /// and `to` (inclusive), withdrawn ones aside, counted by how they
    /// stand on `today`.
    pub async fn timeliness_counts(
        &self,
        agencies: &[AgencyId],
        (from, to): (Date, Date),
        today: Date,
    ) -> Result<TimelinessCounts, StoreError> {
        let base = || {
            assignment::Entity::find()
                .filter(assignment::Column::AgencyId.is_in(agencies.iter().copied()))
                .filter(assignment::Column::Deadline.gte(from))
                .filter(assignment::Column::Deadline.lte(to))
        };
        let done = || base().filter(assignment::Column::State.eq(AssignmentState::Done.as_str()));
        let open = || base().filter(assignment::Column::State.is_in(open_states()));
        let completed = Expr::col(assignment::Column::CompletedOn);
        let deadline = || Expr::col(assignment::Column::Deadline);
        Ok(TimelinessCounts {
            on_time: done()
                .filter(completed.clone().lte(deadline()))
                .count(self.conn())
                .await?,
            late: done()
                .filter(completed.gt(deadline()))
                .count(self.conn())
                .await?,
            overdue: open()
                .filter(assignment::Column::Deadline.lt(today))
                .count(self.conn())
                .await?,
            pending: open()
                .filter(assignment::Column::Deadline.gte(today))
                .count(self.conn())
                .await?,
        })
    }

    pub async fn insert_opinion(&self, o: &Opinion) -> Result<(), StoreError> {
        assignment_opinion::ActiveModel {
            assignment_id: Set(o.assignment_id),
            author_id: Set(o.author_id),
            author_label: Set(o.author_label.clone()),
            text: Set(o.text.clone()),
            at: Set(domain::to_stored_precision(o.at)),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        Ok(())
    }

    /// The opinions on the assignments `ids`, oldest first.
    pub async fn opinions(&self, ids: &[AssignmentId]) -> Result<Vec<Opinion>, StoreError> {
        Ok(assignment_opinion::Entity::find()
            .filter(assignment_opinion::Column::AssignmentId.is_in(ids.iter().copied()))
            .order_by_asc(assignment_opinion::Column::Id)
            .all(self.conn())
            .await?
            .into_iter()
            .map(|row| Opinion {
                assignment_id: row.assignment_id,
                author_id: row.author_id,
                author_label: row.author_label,
                text: row.text,
                at: row.at,
            })
            .collect())
    }

    /// Whether a notice about `assignment` was already made for `day`.
    pub async fn notice_exists(
        &self,
        assignment: AssignmentId,
        day: Date,
    ) -> Result<bool, StoreError> {
        let found = notice::Entity::find()
            .filter(notice::Column::AssignmentId.eq(assignment))
            .filter(notice::Column::Day.eq(day))
            .count(self.conn())
            .await?;
        Ok(found > 0)
    }

    /// Records a notice; `n.id` is ignored.
    pub async fn insert_notice(&self, n: &Notice) -> Result<Notice, StoreError> {
        let row = notice::ActiveModel {
            person_id: Set(n.person_id),
            assignment_id: Set(n.assignment_id),
            day: Set(n.day),
            text: Set(n.text.clone()),
            created_at: Set(domain::to_stored_precision(n.created_at)),
            read_at: Set(n.read_at.map(domain::to_stored_precision)),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        Ok(notice_to_domain(row))
    }

    /// A person's notices, unread first, then newest first; at most `limit`.
    pub async fn notices_of(
        &self,
        person: PersonId,
        unread_only: bool,
        limit: u64,
    ) -> Result<Vec<Notice>, StoreError> {
        let mut query = notice::Entity::find().filter(notice::Column::PersonId.eq(person));
        if unread_only {
            query = query.filter(notice::Column::ReadAt.is_null());
        }
        Ok(query
            .order_by_desc(notice::Column::Day)
            .order_by_desc(notice::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?
            .into_iter()
            .map(notice_to_domain)
            .collect())
    }

    /// Marks `person`'s notice read; false when it is not theirs or gone.
    pub async fn mark_notice_read(
        &self,
        id: NoticeId,
        person: PersonId,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let result = notice::Entity::update_many()
            .col_expr(
                notice::Column::ReadAt,
                Expr::value(domain::to_stored_precision(now)),
            )
            .filter(notice::Column::Id.eq(id))
            .filter(notice::Column::PersonId.eq(person))
            .filter(notice::Column::ReadAt.is_null())
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected > 0)
    }
}

/// Assignments that `person` leads or co-handles.
fn handled_by(person: PersonId) -> Condition {
    Condition::any()
        .add(assignment::Column::LeadId.eq(person))
        .add(
            assignment::Column::Id.in_subquery(
                Query::select()
                    .column(assignment_co_handler::Column::AssignmentId)
                    .from(assignment_co_handler::Entity)
                    .and_where(Expr::col(assignment_co_handler::Column::PersonId).eq(person))
                    .take(),
            ),
        )
}
