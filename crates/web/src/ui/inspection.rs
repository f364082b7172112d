//! One inspection's page (issue 10): its decision and team, period,
//! subjects with their findings, sanctions and follow-ups (overdue ones
//! marked), its closing report, and the forms of whatever its status
//! allows next. Every form posts to one address with its `action`; a
//! refusal shows the page again with the message.

use std::collections::HashMap;

use app::AppError;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::inspections::Field;
use domain::inspections::record::{Closing, Inspection, Member, Status, TeamDecision};
use domain::inspections::subjects::{
    Finding, FollowUp, Sanction, SanctionKind, Subject, SubjectKind,
};
use domain::people::PersonId;
use serde::Deserialize;
use time::Date;

use super::inspections::{NAV, form_date, parsed, shown};
use super::mail::agency_names;
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

struct FollowUpLine {
    id: i64,
    action: String,
    due: String,
    done: String,
    overdue: bool,
}

struct SubjectLine {
    id: i64,
    name: String,
    kind: &'static str,
    id_number: String,
    address: String,
    field: &'static str,
    finding: String,
    violator: bool,
    concluded: bool,
    sanctions: Vec<String>,
    follow_ups: Vec<FollowUpLine>,
}

#[derive(Template)]
#[template(path = "inspection.html")]
struct RecordPage {
    chrome: Chrome,
    i: Inspection,
    agency: String,
    kind: &'static str,
    status: &'static str,
    fields: Vec<(&'static str, &'static str)>,
    period: String,
    decision: String,
    closing: String,
    team: Vec<(String, bool)>,
    subjects: Vec<SubjectLine>,
    /// The people a team is chosen from.
    people: Vec<(PersonId, String)>,
    subject_kinds: Vec<(&'static str, &'static str)>,
    sanction_kinds: Vec<(&'static str, &'static str)>,
    manager: bool,
    error: String,
}

fn finding_text(finding: Option<&Finding>) -> String {
    match finding {
        None => "Chưa kết luận".into(),
        Some(Finding::Clean) => "Không phát hiện vi phạm".into(),
        Some(Finding::Violation { what, legal_basis }) => {
            format!("Vi phạm: {what} (căn cứ: {legal_basis})")
        }
    }
}

fn sanction_text(s: &Sanction) -> String {
    let amount = s
        .fine_vnd
        .map(|n| {
            format!(
                " {} đồng",
                vn::numbers::format_count(u64::try_from(n).unwrap_or_default())
            )
        })
        .unwrap_or_default();
    let measure = if s.measure.is_empty() {
        String::new()
    } else {
        format!(" — {}", s.measure)
    };
    format!(
        "{}{amount}{measure} (QĐ số {})",
        s.kind.label(),
        s.decision_number
    )
}

async fn record_page(
    state: &AppState,
    user: &UiUser,
    id: i64,
    error: String,
) -> Result<Response, AppError> {
    let ctx = user.ctx();
    let i = state.app.inspection(&ctx, id).await?;
    let today = state.app.today();
    let lineage = state.app.lineage(i.agency_id).await?;
    let manager = user
        .signed_in
        .actor
        .may(domain::authz::Permission::ManageInspections, &lineage);
    let people: Vec<(PersonId, String)> = state
        .app
        .people_of(&ctx, i.agency_id, true)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} — {}", p.full_name, p.position)))
        .collect();
    let names: HashMap<PersonId, String> = people.iter().cloned().collect();
    let mut team = Vec::new();
    for m in &i.team {
        let name = match names.get(&m.person_id) {
            Some(n) => n.clone(),
            None => super::mail::person_name(state, Some(m.person_id)).await?,
        };
        team.push((name, m.head));
    }
    let subjects = i
        .subjects
        .iter()
        .map(|s| SubjectLine {
            id: s.id,
            name: s.name.clone(),
            kind: s.kind.label(),
            id_number: s.id_number.clone().unwrap_or_default(),
            address: s.address.clone(),
            field: s.field.label(),
            finding: finding_text(s.finding.as_ref()),
            violator: matches!(s.finding, Some(Finding::Violation { .. })),
            concluded: s.finding.is_some(),
            sanctions: i
                .sanctions
                .iter()
                .filter(|x| x.subject_id == s.id)
                .map(sanction_text)
                .collect(),
            follow_ups: i
                .follow_ups
                .iter()
                .filter(|f| f.subject_id == s.id)
                .map(|f| FollowUpLine {
                    id: f.id,
                    action: f.action.clone(),
                    due: shown(f.due_on),
                    done: f.done_on.map(shown).unwrap_or_default(),
                    overdue: f.overdue(today),
                })
                .collect(),
        })
        .collect();
    Ok(page(&RecordPage {
        chrome: Chrome::new(user, i.title.clone(), NAV),
        agency: agency_names(state)
            .await?
            .get(&i.agency_id)
            .cloned()
            .unwrap_or_default(),
        kind: i.kind.label(),
        status: i.status.label(),
        fields: i.fields.iter().map(|f| (f.as_str(), f.label())).collect(),
        period: i
            .period
            .map(|(f, t)| format!("{} – {}", shown(f), shown(t)))
            .unwrap_or_default(),
        decision: i
            .decision
            .as_ref()
            .map(|d| format!("Số {} ngày {}, {} ký", d.number, shown(d.date), d.signer))
            .unwrap_or_default(),
        closing: i
            .closing
            .as_ref()
            .map(|c| format!("Số {} ngày {}: {}", c.number, shown(c.date), c.summary))
            .unwrap_or_default(),
        team,
        subjects,
        people,
        subject_kinds: SubjectKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        sanction_kinds: SanctionKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        manager,
        error,
        i,
    }))
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(record_page(&state, &user, id, String::new()).await)
}

/// Every field of the page's forms; each action reads its own.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    action: String,
    number: String,
    date: String,
    signer: String,
    from: String,
    to: String,
    head: Option<PersonId>,
    kind: String,
    name: String,
    id_number: String,
    address: String,
    field: String,
    subject: Option<i64>,
    outcome: String,
    what: String,
    legal_basis: String,
    fine: String,
    measure: String,
    due_on: String,
    follow_up: Option<i64>,
    done_on: String,
    summary: String,
}

fn subject_of(form: &ActionForm) -> Result<i64, AppError> {
    form.subject
        .ok_or_else(|| AppError::Invalid("Cần chọn đối tượng".into()))
}

/// What the decision form gives: the decision, the team, the period.
type Decided = (TeamDecision, Vec<Member>, (Date, Date));

fn decision_of(form: ActionForm, members: Vec<PersonId>) -> Result<Decided, AppError> {
    let head = form
        .head
        .ok_or_else(|| AppError::Invalid("Cần chọn trưởng đoàn".into()))?;
    let mut team = vec![Member {
        person_id: head,
        head: true,
    }];
    team.extend(members.into_iter().map(|person_id| Member {
        person_id,
        head: false,
    }));
    let period = (
        form_date(&form.from, "Ngày bắt đầu")?,
        form_date(&form.to, "Ngày kết thúc")?,
    );
    let decision = TeamDecision {
        number: form.number,
        date: form_date(&form.date, "Ngày quyết định")?,
        signer: form.signer,
    };
    Ok((decision, team, period))
}

/// The sanction the sanction form gives.
fn sanction_of(form: ActionForm) -> Result<Sanction, AppError> {
    let kind: SanctionKind = parsed(&form.kind, "Hình thức xử lý")?;
    let fine_vnd = if kind == SanctionKind::Fine {
        Some(parsed(&form.fine.replace(['.', ' '], ""), "Số tiền phạt")?)
    } else {
        None
    };
    Ok(Sanction {
        id: 0,
        subject_id: subject_of(&form)?,
        kind,
        fine_vnd,
        measure: form.measure,
        decision_number: form.number,
    })
}

async fn act_on(
    state: &AppState,
    user: &UiUser,
    id: i64,
    (form, members): (ActionForm, Vec<PersonId>),
) -> Result<(), AppError> {
    let app = &state.app;
    let ctx = user.ctx();
    match form.action.as_str() {
        "decide" => {
            let (decision, team, period) = decision_of(form, members)?;
            app.decide_inspection(&ctx, id, decision, team, period)
                .await
                .map(drop)
        }
        "start" => app.start_inspection(&ctx, id).await,
        "subject" => {
            let subject = Subject {
                id: 0,
                kind: parsed(&form.kind, "Loại đối tượng")?,
                name: form.name,
                id_number: Some(form.id_number),
                address: form.address,
                field: parsed::<Field>(&form.field, "Lĩnh vực")?,
                finding: None,
            };
            app.add_inspection_subjects(&ctx, id, vec![subject])
                .await
                .map(drop)
        }
        "finding" => {
            let finding = match form.outcome.as_str() {
                "clean" => Finding::Clean,
                "violation" => Finding::Violation {
                    what: form.what.clone(),
                    legal_basis: form.legal_basis.clone(),
                },
                _ => return Err(AppError::Invalid("Cần chọn kết luận".into())),
            };
            app.record_inspection_findings(&ctx, id, vec![(subject_of(&form)?, finding)])
                .await
        }
        "sanction" => app
            .add_inspection_sanction(&ctx, id, sanction_of(form)?)
            .await
            .map(drop),
        "follow_up" => {
            let follow_up = FollowUp {
                id: 0,
                subject_id: subject_of(&form)?,
                action: form.what,
                due_on: form_date(&form.due_on, "Hạn khắc phục")?,
                done_on: None,
            };
            app.add_inspection_follow_up(&ctx, id, follow_up)
                .await
                .map(drop)
        }
        "follow_up_done" => {
            let follow_up = form
                .follow_up
                .ok_or_else(|| AppError::Invalid("Cần chọn yêu cầu khắc phục".into()))?;
            let done_on = form_date(&form.done_on, "Ngày hoàn thành")?;
            app.complete_inspection_follow_up(&ctx, id, follow_up, done_on)
                .await
        }
        "close" => {
            let closing = Closing {
                number: form.number,
                date: form_date(&form.date, "Ngày báo cáo")?,
                summary: form.summary,
            };
            app.close_inspection(&ctx, id, closing).await
        }
        _ => Err(AppError::Invalid("Thao tác không hợp lệ".into())),
    }
}

pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<ActionForm>,
) -> Response {
    let members: Result<Vec<PersonId>, AppError> = form
        .all("member")
        .iter()
        .map(|m| parsed(m, "Thành viên đoàn"))
        .collect();
    let UiForm { user, form, .. } = form;
    let result = match members {
        Ok(members) => act_on(&state, &user, id, (form, members)).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Redirect::to(&format!("{NAV}/{id}")).into_response(),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            respond(record_page(&state, &user, id, m).await)
        }
        Err(err) => respond(Err(err)),
    }
}

/// Which forms the page offers.
impl RecordPage {
    fn status_is(&self, status: &str) -> bool {
        self.i.status.as_str() == status
    }

    /// Subjects may be added from the decision until closing.
    fn open(&self) -> bool {
        self.i.status != Status::Closed && self.i.status != Status::Planned
    }
}
