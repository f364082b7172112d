//! The official mailboxes on the staff pages (issue 9): the list of boxes
//! one may see, with filters and pages; one's own boxes («Hộp thư của
//! tôi»); a box's page with its aliases and history, the operator's
//! actions (suspend, reinstate, close, quota, aliases, a new password
//! shown once) and the holder's own password; and the report's figures
//! by agency over a period. The requests are `super::mail_requests`.

use std::collections::HashMap;

use app::AppError;
use app::mail::browse::MailboxFilter;
use app::mail::registry::BoxAction;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::mail::figures::MailFigures;
use domain::mail::mailboxes::{Mailbox, MailboxStatus};
use serde::Deserialize;
use time::Date;

use super::{Chrome, PeriodQuery, error_page, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

/// The navigation entry of every mail page.
pub const NAV: &str = "/app/mail";
/// Boxes a page of the list shows.
const PAGE_ROWS: u64 = 50;

/// A box as a list's row shows it.
pub struct BoxLine {
    pub id: i64,
    pub address: String,
    pub holder: String,
    pub agency: String,
    pub status: &'static str,
    pub quota: String,
    pub created: String,
}

/// Agency names by id, for the lists.
pub async fn agency_names(state: &AppState) -> Result<HashMap<AgencyId, String>, AppError> {
    Ok(state
        .app
        .all_agencies()
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

pub fn box_lines(boxes: Vec<Mailbox>, names: &HashMap<AgencyId, String>) -> Vec<BoxLine> {
    boxes
        .into_iter()
        .map(|b| BoxLine {
            id: b.id,
            agency: names.get(&b.agency_id).cloned().unwrap_or_default(),
            status: b.status.label(),
            quota: quota(b.quota_mib),
            created: vn::dates::format_short(vn::dates::vietnam_date(b.requested_at)),
            holder: b.display_name,
            address: b.address,
        })
        .collect()
}

/// A person's name by id (empty for none), for the pages.
pub async fn person_name(state: &AppState, id: Option<i64>) -> Result<String, AppError> {
    Ok(match id {
        Some(id) => state
            .app
            .store
            .read()
            .await?
            .person(id)
            .await?
            .map(|p| p.full_name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

fn quota(mib: u32) -> String {
    format!("{} MB", vn::numbers::format_count(u64::from(mib)))
}

fn count(n: u64) -> String {
    vn::numbers::format_count(n)
}

/// What the signed-in officer may do in the mail area, for the links.
pub struct MailRights {
    pub operator: bool,
    pub requester: bool,
}

impl MailRights {
    pub fn of(user: &UiUser) -> Self {
        let actor = &user.signed_in.actor;
        let has = |p| !actor.roots_of(p).is_empty();
        Self {
            operator: has(Permission::OperateMail),
            requester: has(Permission::RequestMailboxes),
        }
    }
}

#[derive(Template)]
#[template(path = "mail_boxes.html")]
struct BoxesPage {
    chrome: Chrome,
    rights: MailRights,
    lines: Vec<BoxLine>,
    /// The filters, for the form; none on «Hộp thư của tôi».
    filters: Option<Filters>,
}

struct Filters {
    agencies: Vec<(i64, String)>,
    agency: Option<i64>,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    q: String,
    total: String,
    page: u64,
    pages: u64,
    /// The query without the page, for the pager.
    query: String,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    agency: Option<i64>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    /// From 1.
    #[serde(default)]
    page: Option<u64>,
}

/// The agencies an officer may pick in the filters: the subtrees where
/// they see people, or all for an operator.
async fn visible_agencies(
    state: &AppState,
    user: &UiUser,
    operator: bool,
) -> Result<Vec<(i64, String)>, AppError> {
    let all = state.app.all_agencies().await?;
    if operator {
        return Ok(all.into_iter().map(|a| (a.id, a.name)).collect());
    }
    let mut out: Vec<(i64, String)> = Vec::new();
    for root in user.signed_in.actor.roots_of(Permission::ViewPeople) {
        for id in state.app.subtree(root).await? {
            if let Some(a) = all.iter().find(|a| a.id == id)
                && !out.iter().any(|(seen, _)| *seen == id)
            {
                out.push((id, a.name.clone()));
            }
        }
    }
    Ok(out)
}

pub async fn list(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(
        async {
            let rights = MailRights::of(&user);
            let status = query
                .status
                .trim()
                .parse::<MailboxStatus>()
                .ok()
                .filter(|_| !query.status.trim().is_empty());
            let filter = MailboxFilter {
                agencies: query.agency.map(|a| vec![a]),
                statuses: status.into_iter().collect(),
                text: Some(query.q.trim().to_owned()).filter(|t| !t.is_empty()),
                ..MailboxFilter::default()
            };
            let page_no = query.page.unwrap_or(1).clamp(1, u64::MAX / PAGE_ROWS);
            let (boxes, total) = state
                .app
                .mailbox_list(&user.ctx(), filter, ((page_no - 1) * PAGE_ROWS, PAGE_ROWS))
                .await?;
            let names = agency_names(&state).await?;
            let filters = Filters {
                agencies: visible_agencies(&state, &user, rights.operator).await?,
                agency: query.agency,
                statuses: MailboxStatus::ALL
                    .iter()
                    .map(|s| (s.as_str(), s.label()))
                    .collect(),
                status: status.map_or("", MailboxStatus::as_str).to_owned(),
                total: count(total),
                page: page_no,
                pages: total.div_ceil(PAGE_ROWS).max(1),
                query: serde_urlencoded::to_string([
                    (
                        "agency",
                        query.agency.map(|a| a.to_string()).unwrap_or_default(),
                    ),
                    ("status", query.status.clone()),
                    ("q", query.q.clone()),
                ])
                .unwrap_or_default(),
                q: query.q.clone(),
            };
            Ok(page(&BoxesPage {
                chrome: Chrome::new(&user, "Thư điện tử công vụ", NAV),
                rights,
                lines: box_lines(boxes, &names),
                filters: Some(filters),
            }))
        }
        .await,
    )
}

/// «Hộp thư của tôi»: every signed-in person's own boxes.
pub async fn mine(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let boxes = state.app.my_mailboxes(&user.ctx()).await?;
            let names = agency_names(&state).await?;
            Ok(page(&BoxesPage {
                chrome: Chrome::new(&user, "Hộp thư của tôi", NAV),
                rights: MailRights::of(&user),
                lines: box_lines(boxes, &names),
                filters: None,
            }))
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "mail_box.html")]
struct BoxPage {
    chrome: Chrome,
    b: Mailbox,
    kind: &'static str,
    status: &'static str,
    agency: String,
    quota: String,
    created: String,
    /// (moment, what, by whom, note).
    history: Vec<(String, String, String, String)>,
    operator: bool,
    own: bool,
    /// A password just reset, shown this once.
    new_password: Option<String>,
    message: Option<String>,
    error: Option<String>,
}

/// What a history entry's action is called.
fn event_label(action: &str) -> String {
    match action {
        "requested" => "Đề nghị cấp",
        "approved" => "Được duyệt",
        "refused" => "Bị từ chối",
        "activated" => "Đã tạo trên máy chủ thư",
        "suspended" => "Tạm khóa",
        "reinstated" => "Mở khóa",
        "closed" => "Đóng hộp thư",
        "quota" => "Đổi dung lượng",
        "alias_added" => "Thêm bí danh",
        "alias_removed" => "Bỏ bí danh",
        "password" => "Đặt mật khẩu",
        other => other,
    }
    .to_owned()
}

async fn box_page(
    state: &AppState,
    user: &UiUser,
    id: i64,
    (new_password, message, error): (Option<String>, Option<String>, Option<String>),
) -> Result<Response, AppError> {
    let ctx = user.ctx();
    let (b, events) = state.app.mailbox_page(&ctx, id).await?;
    let mut history = Vec::with_capacity(events.len());
    for e in events {
        let by = match e.person_id {
            Some(_) => person_name(state, e.person_id).await?,
            None => "Hệ thống".into(),
        };
        history.push((
            vn::dates::format_moment(e.at),
            event_label(&e.action),
            by,
            e.note,
        ));
    }
    Ok(page(&BoxPage {
        chrome: Chrome::new(user, format!("Hộp thư {}", b.address), NAV),
        kind: b.kind.label(),
        status: b.status.label(),
        agency: state.app.agency(b.agency_id).await?.name,
        quota: quota(b.quota_mib),
        created: vn::dates::format_moment(b.requested_at),
        history,
        operator: ctx.require_anywhere(Permission::OperateMail).is_ok(),
        own: b.person_id == Some(user.signed_in.person.id),
        new_password,
        message,
        error,
        b,
    }))
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(box_page(&state, &user, id, (None, None, None)).await)
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    quota: String,
    #[serde(default)]
    alias: String,
}

/// An operator's change to a box.
pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<ActionForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let action = match form.action.as_str() {
        "suspend" => Ok(BoxAction::Suspend(form.reason)),
        "reinstate" => Ok(BoxAction::Reinstate),
        "close" => Ok(BoxAction::Close(form.reason)),
        "quota" => form
            .quota
            .trim()
            .parse()
            .map(BoxAction::SetQuota)
            .map_err(|_| AppError::Invalid("Dung lượng phải là số MB".into())),
        "alias_add" => Ok(BoxAction::AddAlias(form.alias)),
        "alias_remove" => Ok(BoxAction::RemoveAlias(form.alias)),
        _ => Err(AppError::Invalid("Thao tác không hợp lệ".into())),
    };
    let result = match action {
        Ok(action) => state.app.change_mailbox(&user.ctx(), id, action).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/app/mail/boxes/{id}")).into_response(),
        Err(err) => again_with_error(&state, &user, id, &err).await,
    }
}

/// The box's page again with a rule's refusal on it; other errors as an
/// error page.
async fn again_with_error(state: &AppState, user: &UiUser, id: i64, err: &AppError) -> Response {
    if !matches!(err, AppError::Invalid(_) | AppError::Conflict(_)) {
        return error_page(err);
    }
    let mut response =
        respond(box_page(state, user, id, (None, None, Some(err.to_string()))).await);
    *response.status_mut() = crate::error::status_of(err);
    response
}

/// An operator gives the box a new random password, shown once.
pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<super::people::Empty>,
) -> Response {
    let UiForm { user, .. } = form;
    match state.app.reset_mailbox_password(&user.ctx(), id).await {
        Ok(password) => respond(box_page(&state, &user, id, (Some(password), None, None)).await),
        Err(err) => again_with_error(&state, &user, id, &err).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    new: String,
    confirm: String,
}

/// The holder sets their box's password.
pub async fn set_password(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<PasswordForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = if form.new == form.confirm {
        state
            .app
            .set_mailbox_password(&user.ctx(), id, &form.new)
            .await
    } else {
        Err(AppError::Invalid("Mật khẩu nhập lại không khớp".into()))
    };
    match result {
        Ok(_) => respond(
            box_page(
                &state,
                &user,
                id,
                (None, Some("Đã đặt mật khẩu hộp thư.".into()), None),
            )
            .await,
        ),
        Err(err) => again_with_error(&state, &user, id, &err).await,
    }
}

struct FiguresRow {
    agency: String,
    requested: String,
    created: String,
    active: String,
}

impl FiguresRow {
    fn of(agency: String, f: &MailFigures) -> Self {
        Self {
            agency,
            requested: count(f.requested),
            created: count(f.created),
            active: count(f.active),
        }
    }
}

#[derive(Template)]
#[template(path = "mail_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    from: Date,
    to: Date,
    rows: Vec<FiguresRow>,
    total: FiguresRow,
}

/// Boxes requested and created in a period and active at its end, by
/// agency, this month unless asked.
pub async fn figures(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    respond(
        async {
            let (from, to) = query.period(vn::dates::vietnam_date(state.app.now()));
            let figures = state.app.mail_figures_for(&user.ctx(), (from, to)).await?;
            let names = agency_names(&state).await?;
            let mut rows: Vec<FiguresRow> = figures
                .iter()
                .map(|(id, f)| FiguresRow::of(names.get(id).cloned().unwrap_or_default(), f))
                .collect();
            rows.sort_by(|a, b| vn::collate::compare(&a.agency, &b.agency));
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Số liệu thư điện tử công vụ", NAV),
                from,
                to,
                rows,
                total: FiguresRow::of("Tổng cộng".into(), &MailFigures::total(&figures)),
            }))
        }
        .await,
    )
}
