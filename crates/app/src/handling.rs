//! Use cases of handling incoming documents (giao xử lý): a leader assigns
//! a document to a lead handler with co-handlers and a deadline, handlers
//! write opinions, the lead completes; overdue lists, the report's counts,
//! the handling sheet, and the reminder job with its in-app notices; the
//! handlers are told of an assignment, and the lead of a near or passed
//! deadline, by e-mail too (through the mail outbox).
//!
//! Invariant: a change re-reads the assignment inside its write transaction
//! and checks its state there (write transactions run one at a time), so
//! two people cannot complete or replace the same assignment at once.
//! Deadlines are counted on the default working calendar (Monday–Friday,
//! the Labour Code's holidays) until agencies keep calendars of their own.

use domain::agencies::{Agency, AgencyId};
use domain::authz::Permission;
use domain::documents::{Direction, Document, DocumentId};
use domain::handling::{
    Assignment, AssignmentId, AssignmentState, Due, HandlingAction, HandlingRuleError, Notice,
    NoticeId, Opinion, Timeliness, TimelinessCounts, opinion_text, reminder_text,
};
use domain::people::{Person, PersonId};
use time::Date;
use vn::workdays::WorkCalendar;

use crate::audit::{Change, record};
use crate::mail::outbox;
use crate::{App, AppError, Ctx};

/// An assignment as a leader gives it.
#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub lead_id: PersonId,
    pub co_handlers: Vec<PersonId>,
    /// Ý kiến chỉ đạo.
    pub instruction: String,
    pub due: Due,
}

/// An assignment with what its readers see: names, opinions, standing.
#[derive(Debug, Clone)]
pub struct AssignmentView {
    pub assignment: Assignment,
    pub lead: Person,
    pub co_handlers: Vec<Person>,
    pub opinions: Vec<Opinion>,
    /// `None` once withdrawn.
    pub timeliness: Option<Timeliness>,
}

/// One line of a list of assignments: the assignment and its document.
#[derive(Debug, Clone)]
pub struct AssignmentLine {
    pub assignment: Assignment,
    pub document: Document,
    pub timeliness: Option<Timeliness>,
}

/// What the handling sheet (phiếu xử lý văn bản đến) prints.
#[derive(Debug, Clone)]
pub struct HandlingSheet {
    pub agency: Agency,
    /// The agency above it, for the header's first line.
    pub parent: Option<Agency>,
    pub document: Document,
    /// The current assignment (the latest not withdrawn), if any.
    pub current: Option<AssignmentView>,
    pub today: Date,
}

/// The working calendar deadlines are counted on.
pub fn calendar() -> WorkCalendar {
    WorkCalendar::default()
}

fn action_name(action: HandlingAction) -> &'static str {
    match action {
        HandlingAction::Opinion => "assignment.opinion",
        HandlingAction::Complete => "assignment.complete",
        HandlingAction::Withdraw => "assignment.withdraw",
    }
}

impl App {
    /// Today in Vietnam, from the app's clock.
    pub fn today(&self) -> Date {
        vn::dates::vietnam_date(self.now())
    }

    async fn stored_assignment(&self, id: AssignmentId) -> Result<Assignment, AppError> {
        self.store
            .read()
            .await?
            .assignment(id)
            .await?
            .ok_or(AppError::NotFound("việc giao xử lý"))
    }

    /// Whether the actor may act for the agency's leaders on its documents.
    async fn leads_agency(&self, ctx: &Ctx, agency: AgencyId) -> Result<bool, AppError> {
        Ok(ctx
            .require(Permission::AssignHandling, &self.lineage(agency).await?)
            .is_ok())
    }

    /// A person who may handle a document of `agency`: active, and working
    /// in it or below it.
    async fn handler(
        &self,
        id: PersonId,
        agency: AgencyId,
        below: &[AgencyId],
    ) -> Result<Person, AppError> {
        let person = self
            .store
            .read()
            .await?
            .person(id)
            .await?
            .ok_or(AppError::NotFound("cán bộ"))?;
        if !below.contains(&person.agency_id) {
            return Err(AppError::Invalid(format!(
                "{} không thuộc cơ quan có văn bản (mã {agency})",
                person.full_name
            )));
        }
        if person.status != domain::people::PersonStatus::Active {
            return Err(AppError::Invalid(format!(
                "{} không còn hoạt động",
                person.full_name
            )));
        }
        Ok(person)
    }

    /// A leader assigns an incoming document. An open assignment of the
    /// same document is withdrawn in the same transaction: the new one
    /// replaces it (see `domain::handling`).
    pub async fn assign(
        &self,
        ctx: &Ctx,
        document_id: DocumentId,
        new: NewAssignment,
    ) -> Result<Assignment, AppError> {
        let document = self.document(ctx, document_id).await?;
        ctx.require(
            Permission::AssignHandling,
            &self.lineage(document.agency_id).await?,
        )?;
        if document.direction != Direction::Incoming {
            return Err(AppError::invalid(HandlingRuleError::NotIncoming));
        }
        let below = self.subtree(document.agency_id).await?;
        let lead = self
            .handler(new.lead_id, document.agency_id, &below)
            .await?;
        let mut co_handlers: Vec<PersonId> = new
            .co_handlers
            .into_iter()
            .filter(|p| *p != new.lead_id)
            .collect();
        co_handlers.sort_unstable();
        co_handlers.dedup();
        let mut helpers = Vec::with_capacity(co_handlers.len());
        for person in &co_handlers {
            helpers.push(self.handler(*person, document.agency_id, &below).await?);
        }
        let today = self.today();
        let deadline = new
            .due
            .deadline(&calendar(), today)
            .map_err(AppError::invalid)?;
        let assignment = Assignment {
            id: 0,
            document_id,
            agency_id: document.agency_id,
            lead_id: new.lead_id,
            co_handlers,
            assigned_by: ctx.actor.as_ref().map(|a| a.person_id),
            assigned_by_label: ctx.actor_label.clone(),
            instruction: vn::text::squash_spaces(&vn::text::nfc(&new.instruction)),
            assigned_on: today,
            deadline,
            state: AssignmentState::Assigned,
            completed_on: None,
        };
        let mut tx = self.store.write().await?;
        for mut open in tx.assignments_of_document(document_id).await? {
            if !open.state.is_open() {
                continue;
            }
            let before = serde_json::to_value(&open).unwrap_or_default();
            open.state = open
                .state
                .after(HandlingAction::Withdraw)
                .map_err(AppError::invalid)?;
            tx.update_assignment_state(&open, self.now()).await?;
            let change = Change {
                action: action_name(HandlingAction::Withdraw),
                object_type: "assignment",
                object_id: open.id.to_string(),
                before: Some(before),
                after: Some(serde_json::to_value(&open).unwrap_or_default()),
            };
            record(&mut tx, self, ctx, change).await?;
        }
        let assignment = tx.insert_assignment(&assignment, self.now()).await?;
        let change = Change {
            action: "assignment.assign",
            object_type: "assignment",
            object_id: assignment.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&assignment).unwrap_or_default()),
        };
        record(&mut tx, self, ctx, change).await?;
        // Each handler is told by e-mail, with the assignment.
        let handlers = std::iter::once((&lead, true)).chain(helpers.iter().map(|p| (p, false)));
        for (person, is_lead) in handlers {
            let mail = outbox::assignment(person, &document, &assignment, is_lead);
            outbox::enqueue(&tx, &mail, self.now()).await?;
        }
        tx.commit().await?;
        self.send_mail_now().await;
        Ok(assignment)
    }

    /// The assignment, for someone who may write on it: a handler of it or
    /// a leader of the document's agency.
    async fn assignment_for_handler(
        &self,
        ctx: &Ctx,
        id: AssignmentId,
    ) -> Result<Assignment, AppError> {
        let assignment = self.stored_assignment(id).await?;
        let is_handler = ctx
            .actor
            .as_ref()
            .is_some_and(|a| assignment.is_handler(a.person_id));
        if !is_handler && !self.leads_agency(ctx, assignment.agency_id).await? {
            return Err(AppError::Forbidden);
        }
        Ok(assignment)
    }

    /// Moves an assignment by `action` with its audit entry (and the
    /// opinion, if any) in one transaction.
    async fn act_on_assignment(
        &self,
        ctx: &Ctx,
        id: AssignmentId,
        action: HandlingAction,
        text: Option<String>,
    ) -> Result<Assignment, AppError> {
        let mut tx = self.store.write().await?;
        let mut assignment = tx
            .assignment(id)
            .await?
            .ok_or(AppError::NotFound("việc giao xử lý"))?;
        let before = serde_json::to_value(&assignment).unwrap_or_default();
        assignment.state = assignment.state.after(action).map_err(AppError::invalid)?;
        if action == HandlingAction::Complete {
            assignment.completed_on = Some(self.today());
        }
        tx.update_assignment_state(&assignment, self.now()).await?;
        if let Some(text) = &text {
            tx.insert_opinion(&Opinion {
                assignment_id: id,
                author_id: ctx.actor.as_ref().map(|a| a.person_id),
                author_label: ctx.actor_label.clone(),
                text: text.clone(),
                at: self.now(),
            })
            .await?;
        }
        let change = Change {
            action: action_name(action),
            object_type: "assignment",
            object_id: id.to_string(),
            before: Some(before),
            after: Some(serde_json::json!({ "assignment": assignment, "opinion": text })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(assignment)
    }

    /// A handler (or a leader) writes an opinion; the assignment is then
    /// in progress.
    pub async fn add_opinion(
        &self,
        ctx: &Ctx,
        id: AssignmentId,
        text: &str,
    ) -> Result<Assignment, AppError> {
        self.assignment_for_handler(ctx, id).await?;
        let text = opinion_text(text).map_err(AppError::invalid)?;
        self.act_on_assignment(ctx, id, HandlingAction::Opinion, Some(text))
            .await
    }

    /// The lead (or a leader) completes an assignment today, with an
    /// optional note of the result kept as an opinion. Co-handlers do not:
    /// the lead answers for the result.
    pub async fn complete_assignment(
        &self,
        ctx: &Ctx,
        id: AssignmentId,
        note: &str,
    ) -> Result<Assignment, AppError> {
        let assignment = self.assignment_for_handler(ctx, id).await?;
        let is_lead = ctx
            .actor
            .as_ref()
            .is_some_and(|a| a.person_id == assignment.lead_id);
        if !is_lead && !self.leads_agency(ctx, assignment.agency_id).await? {
            return Err(AppError::Forbidden);
        }
        let note = opinion_text(note).ok();
        self.act_on_assignment(ctx, id, HandlingAction::Complete, note)
            .await
    }

    async fn view_of(
        &self,
        assignment: Assignment,
        opinions: &[Opinion],
        today: Date,
    ) -> Result<AssignmentView, AppError> {
        let tx = self.store.read().await?;
        let lead = tx
            .person(assignment.lead_id)
            .await?
            .ok_or(AppError::NotFound("cán bộ"))?;
        let mut co_handlers = Vec::new();
        for id in &assignment.co_handlers {
            if let Some(person) = tx.person(*id).await? {
                co_handlers.push(person);
            }
        }
        Ok(AssignmentView {
            timeliness: assignment.timeliness(&calendar(), today),
            opinions: opinions
                .iter()
                .filter(|o| o.assignment_id == assignment.id)
                .cloned()
                .collect(),
            lead,
            co_handlers,
            assignment,
        })
    }

    /// Every assignment of a document (withdrawn ones too), oldest first,
    /// for whoever may see the document.
    pub async fn assignments_of(
        &self,
        ctx: &Ctx,
        document_id: DocumentId,
    ) -> Result<Vec<AssignmentView>, AppError> {
        self.document(ctx, document_id).await?;
        let (assignments, opinions) = {
            let tx = self.store.read().await?;
            let assignments = tx.assignments_of_document(document_id).await?;
            let ids: Vec<AssignmentId> = assignments.iter().map(|a| a.id).collect();
            (assignments, tx.opinions(&ids).await?)
        };
        let today = self.today();
        let mut views = Vec::with_capacity(assignments.len());
        for assignment in assignments {
            views.push(self.view_of(assignment, &opinions, today).await?);
        }
        Ok(views)
    }

    async fn lines(&self, assignments: Vec<Assignment>) -> Result<Vec<AssignmentLine>, AppError> {
        let tx = self.store.read().await?;
        let today = self.today();
        let mut lines = Vec::with_capacity(assignments.len());
        for assignment in assignments {
            let document = tx
                .document(assignment.document_id)
                .await?
                .ok_or(AppError::NotFound("văn bản"))?;
            lines.push(AssignmentLine {
                timeliness: assignment.timeliness(&calendar(), today),
                assignment,
                document,
            });
        }
        Ok(lines)
    }

    /// The open assignments the signed-in person leads or co-handles,
    /// nearest deadline first.
    pub async fn my_assignments(&self, ctx: &Ctx) -> Result<Vec<AssignmentLine>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(Vec::new());
        };
        let open = self
            .store
            .read()
            .await?
            .open_assignments_of(actor.person_id)
            .await?;
        self.lines(open).await
    }

    /// Open assignments past their deadline in the agencies where the
    /// actor leads (the system: everywhere), most overdue first.
    pub async fn overdue_assignments(&self, ctx: &Ctx) -> Result<Vec<AssignmentLine>, AppError> {
        let agencies = match &ctx.actor {
            Some(actor) => {
                self.agencies_where(actor, Permission::AssignHandling)
                    .await?
            }
            None => self.all_agencies().await?.iter().map(|a| a.id).collect(),
        };
        if agencies.is_empty() {
            return Err(AppError::Forbidden);
        }
        let overdue = self
            .store
            .read()
            .await?
            .overdue_assignments(&agencies, self.today())
            .await?;
        self.lines(overdue).await
    }

    /// For the monthly report: the assignments of `agencies` whose
    /// deadline falls from `from` to `to`, by how they stand on `today`
    /// (done on time, done late, overdue, still in time).
    pub async fn timeliness_counts(
        &self,
        ctx: &Ctx,
        agencies: &[AgencyId],
        (from, to): (Date, Date),
        today: Date,
    ) -> Result<TimelinessCounts, AppError> {
        if from > to {
            return Err(AppError::Invalid(
                "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc".into(),
            ));
        }
        for agency in agencies {
            ctx.require(Permission::ViewRegisters, &self.lineage(*agency).await?)?;
        }
        Ok(self
            .store
            .read()
            .await?
            .timeliness_counts(agencies, (from, to), today)
            .await?)
    }

    /// The reminder job: one in-app notice to the lead of every open
    /// assignment due within `REMIND_WITHIN` working days or overdue,
    /// at most one per assignment and day however often it runs. Returns
    /// how many notices it made.
    pub async fn send_reminders(&self, today: Date) -> Result<usize, AppError> {
        let ctx = Ctx::system("job:reminders");
        let calendar = calendar();
        let horizon = Assignment::reminder_horizon(&calendar, today);
        let mut tx = self.store.write().await?;
        let mut made = 0;
        for assignment in tx.open_assignments_due_by(horizon).await? {
            if !assignment.needs_reminder(&calendar, today)
                || tx.notice_exists(assignment.id, today).await?
            {
                continue;
            }
            let symbol = tx
                .document(assignment.document_id)
                .await?
                .map(|d| d.symbol)
                .unwrap_or_default();
            let text = reminder_text(&assignment, &symbol, &calendar, today);
            // The e-mail beside it goes once per assignment and stage
            // (due soon, overdue), not every day.
            if let (Some(lead), Some(stage)) = (
                tx.person(assignment.lead_id).await?,
                assignment.timeliness(&calendar, today),
            ) {
                let mail = outbox::deadline_reminder(&lead, &assignment, (stage.as_str(), &text));
                outbox::enqueue(&tx, &mail, self.now()).await?;
            }
            let notice = tx
                .insert_notice(&Notice {
                    id: 0,
                    person_id: assignment.lead_id,
                    assignment_id: assignment.id,
                    day: today,
                    text,
                    created_at: self.now(),
                    read_at: None,
                })
                .await?;
            let change = Change {
                action: "notice.remind",
                object_type: "notice",
                object_id: notice.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&notice).unwrap_or_default()),
            };
            record(&mut tx, self, &ctx, change).await?;
            made += 1;
        }
        tx.commit().await?;
        self.send_mail_now().await;
        Ok(made)
    }

    /// The signed-in person's notices (newest first, at most 100).
    pub async fn my_notices(&self, ctx: &Ctx, unread_only: bool) -> Result<Vec<Notice>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(Vec::new());
        };
        Ok(self
            .store
            .read()
            .await?
            .notices_of(actor.person_id, unread_only, 100)
            .await?)
    }

    /// Marks one of the signed-in person's notices read.
    pub async fn mark_notice_read(&self, ctx: &Ctx, id: NoticeId) -> Result<(), AppError> {
        let Some(actor) = &ctx.actor else {
            return Err(AppError::Forbidden);
        };
        let mut tx = self.store.write().await?;
        if !tx.mark_notice_read(id, actor.person_id, self.now()).await? {
            return Err(AppError::NotFound("thông báo"));
        }
        let change = Change {
            action: "notice.read",
            object_type: "notice",
            object_id: id.to_string(),
            before: None,
            after: None,
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the handling sheet of a document prints.
    pub async fn handling_sheet(
        &self,
        ctx: &Ctx,
        document_id: DocumentId,
    ) -> Result<HandlingSheet, AppError> {
        let mut views = self.assignments_of(ctx, document_id).await?;
        let document = self.document(ctx, document_id).await?;
        let agency = self.agency(document.agency_id).await?;
        let parent = match agency.parent_id {
            Some(id) => Some(self.agency(id).await?),
            None => None,
        };
        views.retain(|v| v.assignment.state != AssignmentState::Withdrawn);
        Ok(HandlingSheet {
            agency,
            parent,
            document,
            current: views.pop(),
            today: self.today(),
        })
    }

    /// The people a leader may give a document of `agency` to: its staff
    /// and its units', sorted the Vietnamese way.
    pub async fn possible_handlers(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
    ) -> Result<Vec<Person>, AppError> {
        let mut people = self.people_of(ctx, agency, true).await?;
        people.retain(|p| p.status == domain::people::PersonStatus::Active);
        Ok(people)
    }
}
