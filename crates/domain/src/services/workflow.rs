//! The processing workflow of a dossier (issue 8, item 3): the stages it
//! goes through from an online submission to the return of its result,
//! the steps that move it, who may take each step, and the national
//! status (1–10) each stage shows.
//!
//! Submitted online → e-mail confirmed → checked and accepted at the desk
//! → given to a handler → proposed to a leader → approved (result ready)
//! → returned. A dossier received at the desk starts at reception. A
//! supplement request and an apology for lateness change neither the
//! stage nor who holds the dossier: they are steps on the clock.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use vn::workdays::WorkCalendar;

use super::deadlines::{Budgets, stage_due};
use super::{Dossier, DossierStatus, ServiceRuleError, due_after_stop, due_on, moment_after_stop};
use crate::documents::DocumentId;
use crate::people::PersonId;

/// Where a dossier is in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Submitted online, waiting for the applicant to confirm the e-mail.
    Confirming,
    /// Confirmed, waiting for the desk to check the papers.
    Checking,
    /// Received, waiting to be given to a handler.
    Reception,
    /// With the handler (chuyên viên thụ lý).
    Handling,
    /// Proposed to the leader for approval.
    Approval,
    /// Approved: the result waits at the desk to be returned.
    Release,
    /// The result was returned to the applicant.
    Returned,
    /// Refused, with the reasons.
    Refused,
    /// Withdrawn by the applicant.
    Withdrawn,
}

named!(Stage {
    Confirming => "confirming", "Chờ xác nhận thư điện tử";
    Checking => "checking", "Chờ kiểm tra, tiếp nhận";
    Reception => "reception", "Đã tiếp nhận";
    Handling => "handling", "Đang thụ lý";
    Approval => "approval", "Chờ lãnh đạo phê duyệt";
    Release => "release", "Có kết quả, chờ trả";
    Returned => "returned", "Đã trả kết quả";
    Refused => "refused", "Từ chối";
    Withdrawn => "withdrawn", "Đã rút";
});

impl Stage {
    /// The national portal's status of a dossier at this stage (when it
    /// is not waiting for a supplement).
    pub fn status(self) -> DossierStatus {
        match self {
            Self::Confirming => DossierStatus::New,
            Self::Checking => DossierStatus::Receiving,
            Self::Reception => DossierStatus::Unresolved,
            Self::Handling | Self::Approval => DossierStatus::Processing,
            Self::Release => DossierStatus::Releasing,
            Self::Returned => DossierStatus::Done,
            Self::Refused => DossierStatus::Denied,
            Self::Withdrawn => DossierStatus::Cancelled,
        }
    }

    /// Nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Returned | Self::Refused | Self::Withdrawn)
    }

    /// Received: its clock runs (it counts in the figures and has a due
    /// date that holds).
    pub fn is_received(self) -> bool {
        !matches!(self, Self::Confirming | Self::Checking)
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Taker {
    /// The applicant, through the portal.
    Applicant,
    /// A one-stop desk officer of the dossier's agency.
    Desk,
    /// The person the dossier was given to.
    Handler,
    /// A leader of the dossier's agency.
    Leader,
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Confirm,
    Receive,
    Accept,
    Assign,
    Propose,
    SendBack,
    Approve,
    AttachResult,
    Return,
    Refuse,
    Withdraw,
    RequestSupplement,
    SupplementReceived,
    Apologise,
    Extend,
}

named!(Action {
    Submit => "submit", "Nộp trực tuyến";
    Confirm => "confirm", "Xác nhận thư điện tử";
    Receive => "receive", "Tiếp nhận tại quầy";
    Accept => "accept", "Tiếp nhận hồ sơ trực tuyến";
    Assign => "assign", "Chuyển thụ lý";
    Propose => "propose", "Trình phê duyệt";
    SendBack => "send_back", "Trả lại để thụ lý tiếp";
    Approve => "approve", "Phê duyệt kết quả";
    AttachResult => "attach_result", "Gắn văn bản kết quả";
    Return => "return", "Trả kết quả";
    Refuse => "refuse", "Từ chối";
    Withdraw => "withdraw", "Rút hồ sơ";
    RequestSupplement => "request_supplement", "Yêu cầu bổ sung";
    SupplementReceived => "supplement_received", "Nhận hồ sơ bổ sung";
    Apologise => "apologise", "Xin lỗi, hẹn lại ngày trả";
    Extend => "extend", "Gia hạn thời gian giải quyết";
});

impl Action {
    /// The stage a dossier at `stage` goes to by this step, or `None` if
    /// the step cannot be taken there. Steps on the clock keep the stage.
    pub fn next(self, stage: Stage) -> Option<Stage> {
        use Stage::{
            Approval, Checking, Confirming, Handling, Reception, Refused, Release, Returned,
            Withdrawn,
        };
        let open = !stage.is_final();
        let in_work = matches!(stage, Reception | Handling | Approval);
        match self {
            Self::Submit | Self::Receive => None,
            Self::Confirm => (stage == Confirming).then_some(Checking),
            Self::Accept => (stage == Checking).then_some(Reception),
            Self::Assign => matches!(stage, Reception | Handling).then_some(Handling),
            Self::Propose => (stage == Handling).then_some(Approval),
            Self::SendBack => (stage == Approval).then_some(Handling),
            Self::Approve => (stage == Approval).then_some(Release),
            Self::AttachResult => matches!(stage, Handling | Approval | Release).then_some(stage),
            Self::Return => (stage == Release).then_some(Returned),
            Self::Refuse => (stage == Checking || in_work).then_some(Refused),
            Self::Withdraw => (open && stage != Release).then_some(Withdrawn),
            Self::RequestSupplement | Self::SupplementReceived | Self::Apologise | Self::Extend => {
                in_work.then_some(stage)
            }
        }
    }

    /// Who may take it.
    pub fn takers(self) -> &'static [Taker] {
        match self {
            Self::Submit | Self::Confirm => &[Taker::Applicant],
            Self::Withdraw => &[Taker::Applicant, Taker::Desk],
            Self::Receive | Self::Accept | Self::Return | Self::SupplementReceived => {
                &[Taker::Desk]
            }
            Self::Assign | Self::Refuse => &[Taker::Desk, Taker::Leader],
            Self::Propose => &[Taker::Handler],
            Self::RequestSupplement | Self::AttachResult => {
                &[Taker::Desk, Taker::Handler, Taker::Leader]
            }
            Self::SendBack | Self::Approve | Self::Apologise | Self::Extend => &[Taker::Leader],
        }
    }

    /// The step needs a note saying why (a refusal's reasons, what to
    /// supplement, why it is late).
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            Self::Refuse
                | Self::Withdraw
                | Self::RequestSupplement
                | Self::Apologise
                | Self::Extend
                | Self::SendBack
        )
    }

    /// The applicant sees the step's note on the tracking page: what it
    /// says is addressed to them. Internal notes (a proposal, an approval
    /// remark) stay inside.
    pub fn note_is_public(self) -> bool {
        matches!(
            self,
            Self::Refuse
                | Self::Withdraw
                | Self::RequestSupplement
                | Self::Apologise
                | Self::Extend
        )
    }
}

/// A step a dossier took: its history, on the dossier's page and (with
/// the internal notes left out) on the tracking page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub at: OffsetDateTime,
    pub action: Action,
    /// The officer who took it; `None` for the applicant.
    pub actor_id: Option<PersonId>,
    /// Who took it, as shown: the officer's name, or "Người nộp hồ sơ".
    pub actor_label: String,
    /// The stage it left the dossier at.
    pub stage: Stage,
    pub note: String,
    /// When that stage is due (`Dossier::stage_due_at` after the step).
    pub due_at: Option<OffsetDateTime>,
    /// The letter generated with the step (an apology's, Mẫu số 04), by
    /// the SHA-256 of its blob.
    pub letter: Option<String>,
}

/// What an officer or the applicant asks of a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    pub action: Action,
    pub note: String,
    /// For `Assign`: who handles it.
    pub handler_id: Option<PersonId>,
    /// For `Apologise` and `Extend`: the new date promised.
    pub promised_on: Option<Date>,
    /// For `AttachResult`: the issued document that is the result.
    pub result_document_id: Option<DocumentId>,
}

/// The circumstances of a step: when, on which calendar, by whom.
#[derive(Debug, Clone, Copy)]
pub struct StepContext<'a> {
    pub now: OffsetDateTime,
    pub today: Date,
    pub calendar: &'a WorkCalendar,
    /// The procedure's processing time, for a due date counted at
    /// acceptance.
    pub processing_days: u32,
    /// The procedure's stage budgets (`Procedure::budgets`), for each
    /// stage's due moment.
    pub budgets: Budgets,
    pub actor: Option<PersonId>,
}

impl Dossier {
    /// The stage `action` would leave it at, if it is in turn: by the
    /// workflow, and while it waits for a supplement only the supplement,
    /// a refusal or a withdrawal.
    pub fn next_by(&self, action: Action) -> Option<Stage> {
        let waiting = self.stopped_on.is_some();
        let in_turn = if waiting {
            matches!(
                action,
                Action::SupplementReceived | Action::Refuse | Action::Withdraw
            )
        } else {
            action != Action::SupplementReceived
        };
        action.next(self.stage).filter(|_| in_turn)
    }

    /// The steps `takers` may take on it now, in the workflow's order.
    pub fn offered(&self, takers: &[Taker]) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| a.takers().iter().any(|t| takers.contains(t)))
            .filter(|a| self.next_by(*a).is_some())
            .collect()
    }

    /// Takes `input` on this dossier, or says why it cannot be taken
    /// (and changes nothing). Who may take it is checked by the caller.
    pub fn take(
        &mut self,
        input: &StepInput,
        ctx: &StepContext<'_>,
    ) -> Result<(), ServiceRuleError> {
        let action = input.action;
        let out_of_turn = || ServiceRuleError::OutOfTurn {
            action: action.label(),
            stage: if self.stopped_on.is_some() {
                DossierStatus::Waiting.label()
            } else {
                self.stage.label()
            },
        };
        let next = self.next_by(action).ok_or_else(out_of_turn)?;
        if action.needs_note() && input.note.trim().is_empty() {
            return Err(ServiceRuleError::NoteNeeded(action.label()));
        }
        match action {
            Action::Accept => {
                self.received_at = ctx.now;
                self.received_by = ctx.actor;
                self.due_on = due_on(ctx.calendar, ctx.now, ctx.processing_days);
            }
            Action::Assign => {
                self.handler_id = Some(input.handler_id.ok_or(ServiceRuleError::HandlerOutside)?);
            }
            Action::Return => self.returned_at = Some(ctx.now),
            Action::AttachResult => {
                self.result_document_id = Some(
                    input
                        .result_document_id
                        .ok_or(ServiceRuleError::NoResultDocument)?,
                );
            }
            Action::RequestSupplement => {
                self.status = DossierStatus::Waiting;
                self.stopped_on = Some(ctx.today);
                return Ok(());
            }
            Action::SupplementReceived => {
                if let Some(stopped) = self.stopped_on.take() {
                    self.due_on = due_after_stop(ctx.calendar, self.due_on, stopped, ctx.today);
                    self.stage_due_at = self
                        .stage_due_at
                        .map(|due| moment_after_stop(ctx.calendar, due, stopped, ctx.today));
                }
            }
            Action::Apologise => {
                if !self.overdue_on(ctx.today) {
                    return Err(ServiceRuleError::NotLate);
                }
                match input.promised_on {
                    Some(day) if day > ctx.today => self.promised_on = Some(day),
                    _ => return Err(ServiceRuleError::PromiseInThePast),
                }
            }
            Action::Extend => self.extend(input.promised_on, ctx.today)?,
            Action::Refuse | Action::Withdraw => self.stopped_on = None,
            _ => {}
        }
        if next != self.stage {
            // Each stage entered gets its own budget from now; a handler
            // given the dossier in place of another keeps the stage's.
            self.stage_due_at = stage_due(ctx.calendar, ctx.now, &ctx.budgets, next);
        }
        self.move_to(next);
        Ok(())
    }

    /// A leader's extension (gia hạn) to `promised`: only before the due
    /// date has passed (after it, lateness takes an apology), and to a day
    /// after both today and the date the applicant was last given. The
    /// due date itself stays: the report still judges the return by it.
    fn extend(&mut self, promised: Option<Date>, today: Date) -> Result<(), ServiceRuleError> {
        if self.overdue_on(today) {
            return Err(ServiceRuleError::ExtendAfterDue(vn::dates::format_short(
                self.due_on,
            )));
        }
        match promised {
            Some(day) if day > self.appointment() && day > today => {
                self.promised_on = Some(day);
                Ok(())
            }
            _ => Err(ServiceRuleError::ExtensionNotLater(
                vn::dates::format_short(self.appointment()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_shows_its_national_status() {
        let codes: Vec<u8> = Stage::ALL.iter().map(|s| s.status().code()).collect();
        assert_eq!(codes, [1, 2, 3, 4, 4, 9, 10, 8, 7]);
        assert!(Stage::Returned.is_final() && Stage::Refused.is_final());
        assert!(!Stage::Release.is_final());
        assert!(!Stage::Checking.is_received() && Stage::Reception.is_received());
    }

    #[test]
    fn the_workflow_goes_one_way_and_refuses_steps_out_of_turn() {
        use Stage::*;
        let walk = [
            (Action::Confirm, Confirming, Some(Checking)),
            (Action::Accept, Checking, Some(Reception)),
            (Action::Assign, Reception, Some(Handling)),
            (Action::Assign, Handling, Some(Handling)),
            (Action::Propose, Handling, Some(Approval)),
            (Action::SendBack, Approval, Some(Handling)),
            (Action::Approve, Approval, Some(Release)),
            (Action::Return, Release, Some(Returned)),
            (Action::Refuse, Checking, Some(Refused)),
            (Action::Refuse, Approval, Some(Refused)),
            (Action::Withdraw, Confirming, Some(Withdrawn)),
            (Action::RequestSupplement, Handling, Some(Handling)),
            (Action::Apologise, Approval, Some(Approval)),
            (Action::Apologise, Release, None),
            (Action::Extend, Handling, Some(Handling)),
            (Action::Extend, Release, None),
            // Out of turn.
            (Action::Accept, Reception, None),
            (Action::Approve, Handling, None),
            (Action::Propose, Reception, None),
            (Action::Return, Approval, None),
            (Action::Refuse, Release, None),
            (Action::Refuse, Confirming, None),
            (Action::Withdraw, Release, None),
            (Action::Withdraw, Returned, None),
            (Action::RequestSupplement, Checking, None),
            (Action::Apologise, Returned, None),
            (Action::Assign, Refused, None),
            (Action::Receive, Reception, None),
        ];
        for (action, from, to) in walk {
            assert_eq!(action.next(from), to, "{action:?} from {from:?}");
        }
    }

    fn received_monday() -> Dossier {
        use super::super::{Applicant, ApplicantKind, Channel};
        Dossier {
            id: 1,
            code: "000.00.11.H59-210405-0001".into(),
            agency_id: 1,
            procedure_id: 1,
            channel: Channel::Desk,
            status: DossierStatus::Unresolved,
            stage: Stage::Reception,
            applicant: Applicant {
                name: "Trần Thị Mai".into(),
                kind: ApplicantKind::Citizen,
                phone: Some("0912345678".into()),
                email: None,
                address: None,
            },
            received_at: time::macros::datetime!(2021-04-05 08:00 +7),
            received_by: None,
            due_on: time::macros::date!(2021 - 04 - 12),
            promised_on: None,
            stage_due_at: None,
            handler_id: None,
            result_document_id: None,
            returned_at: None,
            stopped_on: None,
            papers: Vec::new(),
            files: Vec::new(),
        }
    }

    #[test]
    fn an_extension_comes_before_the_due_date_and_only_goes_later() {
        use time::macros::{date, datetime};
        let calendar = WorkCalendar::default();
        let on = |now: OffsetDateTime| StepContext {
            now,
            today: vn::dates::vietnam_date(now),
            calendar: &calendar,
            processing_days: 5,
            budgets: Budgets::default_for(5),
            actor: Some(7),
        };
        let extend = |day| StepInput {
            action: Action::Extend,
            note: "Chờ xác minh".into(),
            handler_id: Some(7),
            promised_on: day,
            result_document_id: None,
        };
        let friday = on(datetime!(2021-04-09 10:00 +7));
        let mut dossier = received_monday();
        for day in [
            None,
            Some(date!(2021 - 04 - 12)),
            Some(date!(2021 - 04 - 08)),
        ] {
            assert_eq!(
                dossier.take(&extend(day), &friday),
                Err(ServiceRuleError::ExtensionNotLater("12/4/2021".into()))
            );
        }
        assert_eq!(dossier, received_monday());
        dossier
            .take(&extend(Some(date!(2021 - 04 - 15))), &friday)
            .unwrap();
        assert_eq!(
            (dossier.due_on, dossier.appointment(), dossier.stage),
            (
                date!(2021 - 04 - 12),
                date!(2021 - 04 - 15),
                Stage::Reception
            )
        );
        let tuesday = on(datetime!(2021-04-13 09:00 +7));
        assert_eq!(
            dossier.take(&extend(Some(date!(2021 - 04 - 20))), &tuesday),
            Err(ServiceRuleError::ExtendAfterDue("12/4/2021".into()))
        );
        // Given out: the handler's three days start from the step.
        dossier
            .take(
                &StepInput {
                    action: Action::Assign,
                    ..extend(None)
                },
                &friday,
            )
            .unwrap();
        assert_eq!(dossier.stage_due_at, Some(datetime!(2021-04-14 10:00 +7)));
    }

    #[test]
    fn steps_have_their_takers_and_public_notes() {
        assert_eq!(Action::Propose.takers(), &[Taker::Handler]);
        assert_eq!(Action::Approve.takers(), &[Taker::Leader]);
        assert_eq!(Action::Extend.takers(), &[Taker::Leader]);
        assert!(Action::Extend.needs_note() && Action::Extend.note_is_public());
        assert!(Action::Withdraw.takers().contains(&Taker::Applicant));
        assert!(Action::Refuse.needs_note() && Action::Refuse.note_is_public());
        assert!(Action::SendBack.needs_note() && !Action::SendBack.note_is_public());
        assert!(!Action::Approve.needs_note());
    }
}
