//! The one-stop desk on the staff pages (issue 8, item 8): the lists of
//! dossiers waiting for the signed-in officer (to check, to give out, to
//! approve, to return, their own to handle; a stage past its own due
//! moment marked), the desk intake form, and a dossier's page with its
//! papers, files, history, handovers with each stage's due moment, the
//! steps the viewer may take and its slips and letters as PDF.

use app::AppError;
use app::services::{NewDossier, UploadedFile};
use askama::Template;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::authz::Permission;
use domain::services::online::{DOSSIER_FILES, MAX_FILES};
use domain::services::workflow::StepInput;
use domain::services::{Action, Applicant, ApplicantKind, Channel, Dossier, Paper, Timeliness};
use serde::Deserialize;

use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};
use crate::upload::{FormParts, Limits, read_ui_form};

/// Paper rows the intake form offers.
const PAPER_ROWS: usize = 4;

struct DossierLine {
    code: String,
    applicant: String,
    procedure: String,
    channel: &'static str,
    status: &'static str,
    due: String,
    overdue: bool,
    /// Its current stage is past its own due moment.
    stage_overdue: bool,
}

struct DossierList {
    title: &'static str,
    lines: Vec<DossierLine>,
}

#[derive(Template)]
#[template(path = "services_desk.html")]
struct DeskPage {
    chrome: Chrome,
    lists: Vec<DossierList>,
    /// Procedures the officer may receive dossiers for: (id, label).
    procedures: Vec<(i64, String)>,
    rows: Vec<usize>,
}

pub async fn desk(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let app = &state.app;
            let ctx = user.ctx();
            let now = app.now();
            let today = vn::dates::vietnam_date(now);
            let procedures = app.find_procedures("", None, None).await?;
            let name_of = |id: i64| {
                procedures
                    .iter()
                    .find(|p| p.id == id)
                    .map_or_else(String::new, |p| p.name.clone())
            };
            let lists = app
                .dossier_inboxes(&ctx)
                .await?
                .into_iter()
                .map(|(title, dossiers)| DossierList {
                    title,
                    lines: dossiers
                        .into_iter()
                        .map(|d| DossierLine {
                            procedure: name_of(d.procedure_id),
                            overdue: d.overdue_on(today),
                            stage_overdue: d.stage_overdue_at(now),
                            due: vn::dates::format_short(d.appointment()),
                            status: d.status.label(),
                            channel: d.channel.label(),
                            applicant: d.applicant.name,
                            code: d.code,
                        })
                        .collect(),
                })
                .collect();
            let desk_roots = user.signed_in.actor.roots_of(Permission::ReceiveDossiers);
            let mut desk = Vec::new();
            for root in desk_roots {
                desk.extend(app.subtree(root).await?);
            }
            let procedures = procedures
                .iter()
                .filter(|p| desk.contains(&p.agency_id))
                .map(|p| (p.id, format!("{} — {}", p.national_code, p.name)))
                .collect();
            Ok(page(&DeskPage {
                chrome: Chrome::new(&user, "Một cửa", "/app/services"),
                lists,
                procedures,
                rows: (0..PAPER_ROWS).collect(),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct FindForm {
    #[serde(default)]
    ma: String,
}

/// Opens a dossier by the code an officer typed or scanned.
pub async fn find(_user: UiUser, Query(form): Query<FindForm>) -> Response {
    respond(
        form.ma
            .parse::<domain::services::DossierCode>()
            .map(|code| Redirect::to(&dossier_path(&code.to_string())).into_response())
            .map_err(AppError::invalid),
    )
}

/// A dossier's page. Codes are letters, digits, dots and dashes: safe in
/// a path as they are.
fn dossier_path(code: &str) -> String {
    format!("/app/services/dossiers/{code}")
}

/// The desk intake form (multipart, for the scans): the procedure, the
/// applicant, the papers received and each one's scans.
pub async fn receive(State(state): State<AppState>, request: Request) -> Response {
    let limit = usize::try_from(DOSSIER_FILES.max_bytes).unwrap_or(usize::MAX);
    let limits = Limits {
        file: limit,
        total: limit.saturating_mul(MAX_FILES),
    };
    let (user, form) = match read_ui_form(request, &state, limits).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    respond(
        async {
            let new = intake_of(&form)?;
            let dossier = state.app.receive_dossier(&user.ctx(), new).await?;
            Ok(Redirect::to(&dossier_path(&dossier.code)).into_response())
        }
        .await,
    )
}

/// The dossier the desk form describes: paper rows `giay_to_N` with their
/// copies `so_ban_N` and scans `tep_N`.
fn intake_of(form: &FormParts) -> Result<NewDossier, AppError> {
    let mut papers = Vec::new();
    for row in 0..PAPER_ROWS {
        let name = form.field(&format!("giay_to_{row}"));
        if name.trim().is_empty() {
            continue;
        }
        let copies = form.field(&format!("so_ban_{row}"));
        let copies = copies.trim().parse::<u32>().map_err(|_| {
            AppError::Invalid(format!(
                "Số bản của «{}» phải là số nguyên dương",
                name.trim()
            ))
        })?;
        papers.push(Paper {
            name: name.to_owned(),
            copies,
        });
    }
    let procedure_id = form
        .field("procedure_id")
        .parse()
        .map_err(|_| AppError::Invalid("Chưa chọn thủ tục".into()))?;
    let field = |name: &str| form.field(name).to_owned();
    let applicant = Applicant {
        name: field("ho_ten"),
        kind: if form.field("loai") == "business" {
            ApplicantKind::Business
        } else {
            ApplicantKind::Citizen
        },
        phone: Some(field("dien_thoai")),
        email: Some(field("email")),
        address: Some(field("dia_chi")),
    };
    let channel = if form.field("channel") == "post" {
        Channel::Post
    } else {
        Channel::Desk
    };
    let files = form
        .files
        .iter()
        .map(|file| UploadedFile {
            // A scan's row names its paper; a row left unnamed names none,
            // and the intake says so.
            paper: file
                .field
                .strip_prefix("tep_")
                .map_or_else(String::new, |row| field(&format!("giay_to_{row}"))),
            name: file.file_name.clone(),
            bytes: file.bytes.clone(),
        })
        .collect();
    Ok(NewDossier {
        procedure_id,
        channel,
        applicant,
        papers,
        files,
    })
}

struct StepLine {
    at: String,
    action: &'static str,
    who: String,
    stage: &'static str,
    note: String,
    /// When the stage it left the dossier at is due.
    due: String,
}

/// A line of the process-control table: a handover.
struct HandoverLine {
    stage: &'static str,
    from: String,
    to: String,
    at: String,
    due: String,
    result: &'static str,
    late: bool,
}

struct FileLine {
    position: u32,
    paper: String,
    name: String,
    size: String,
}

/// The steps that have a form of their own on a dossier's page.
struct StepForms {
    assign: bool,
    apologise: bool,
    extend: bool,
}

#[derive(Template)]
#[template(path = "services_dossier.html")]
struct DossierPage {
    chrome: Chrome,
    path: String,
    procedure: String,
    applicant: Applicant,
    /// The portal account it was submitted from: (name, e-mail).
    account: Option<(String, String)>,
    channel: &'static str,
    stage: &'static str,
    status: &'static str,
    received: String,
    due: String,
    promised: String,
    standing: &'static str,
    overdue: bool,
    /// The current stage's due moment, and whether it has passed.
    stage_due: Option<(String, bool)>,
    handovers: Vec<HandoverLine>,
    /// An apology letter was made: its PDF may be downloaded.
    has_letter: bool,
    handler: String,
    papers: Vec<Paper>,
    files: Vec<FileLine>,
    steps: Vec<StepLine>,
    /// The steps the viewer may take: (name, label, needs a note).
    actions: Vec<(&'static str, &'static str, bool)>,
    forms: StepForms,
    people: Vec<(i64, String)>,
    /// The fee: amount, where it stands, and whether the desk may take it.
    fee: Option<(String, String, bool)>,
    /// The result document: (id, symbol — summary).
    result: Option<(i64, String)>,
    /// Issued documents of the agency the result may be: (id, label).
    results_offered: Vec<(i64, String)>,
}

pub async fn show(
    State(state): State<AppState>,
    user: UiUser,
    Path(code): Path<String>,
) -> Response {
    respond(
        async {
            let app = &state.app;
            let ctx = user.ctx();
            let dossier = app.dossier_by_code(&ctx, &code).await?;
            let procedure = app.procedure(dossier.procedure_id).await?;
            let steps = app.dossier_steps(&ctx, &code).await?;
            let (_, handovers) = app.dossier_handovers(&ctx, &code).await?;
            let takers = app.takers(&ctx, &dossier).await?;
            let offered = dossier.offered(&takers);
            let people = if offered.contains(&Action::Assign) {
                app.people_of(&ctx, dossier.agency_id, true)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, format!("{} — {}", p.full_name, p.position)))
                    .collect()
            } else {
                Vec::new()
            };
            let handler = match dossier.handler_id {
                Some(id) => app
                    .person(&ctx, id)
                    .await
                    .map(|p| p.full_name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let account = app
                .dossier_account_holder(&ctx, &code)
                .await?
                .map(|a| (a.full_name, a.email));
            let now = app.now();
            let fee = app.fee_of(&dossier, &procedure).await?;
            let fee = (fee.amount > 0).then(|| {
                let status = match fee.paid() {
                    Some(p) => format!(
                        "Đã nộp, biên lai số {} ({})",
                        p.receipt.clone().unwrap_or_default(),
                        p.method.label().to_lowercase()
                    ),
                    None => "Chưa nộp".to_owned(),
                };
                let desk_may = fee.due()
                    && !dossier.stage.is_final()
                    && takers.contains(&domain::services::Taker::Desk);
                (crate::public::money(fee.amount), status, desk_may)
            });
            let label = |d: &domain::documents::Document| format!("{} — {}", d.symbol, d.summary);
            let result = match dossier.result_document_id {
                Some(id) => Some((id, label(&app.document(&ctx, id).await?))),
                None => None,
            };
            let results_offered = if offered.contains(&Action::AttachResult) {
                let filter = domain::search::DocumentFilter {
                    agency_id: Some(dossier.agency_id),
                    direction: Some(domain::documents::Direction::Outgoing),
                    ..domain::search::DocumentFilter::default()
                };
                app.search_documents(&ctx, &filter, (0, 100))
                    .await?
                    .items
                    .iter()
                    .map(|d| (d.id, label(d)))
                    .collect()
            } else {
                Vec::new()
            };
            let parts = PageParts {
                account,
                result,
                results_offered,
                fee,
                procedure: procedure.name,
                steps,
                handovers,
                offered,
                people,
                handler,
                now,
            };
            Ok(page(&dossier_page(&user, dossier, parts)))
        }
        .await,
    )
}

/// What a dossier's page shows beside the dossier.
struct PageParts {
    account: Option<(String, String)>,
    result: Option<(i64, String)>,
    results_offered: Vec<(i64, String)>,
    fee: Option<(String, String, bool)>,
    procedure: String,
    steps: Vec<domain::services::Step>,
    handovers: Vec<domain::services::deadlines::Handover>,
    offered: Vec<Action>,
    people: Vec<(i64, String)>,
    handler: String,
    now: time::OffsetDateTime,
}

fn dossier_page(user: &UiUser, d: Dossier, parts: PageParts) -> DossierPage {
    let PageParts {
        account,
        result,
        results_offered,
        fee,
        procedure,
        steps,
        handovers,
        offered,
        people,
        handler,
        now,
    } = parts;
    let today = vn::dates::vietnam_date(now);
    let standing = d.returned_at.map_or("", |at| {
        Timeliness::of(vn::dates::vietnam_date(at), d.due_on).label()
    });
    DossierPage {
        chrome: Chrome::new(user, format!("Hồ sơ {}", d.code), "/app/services"),
        path: dossier_path(&d.code),
        procedure,
        account,
        channel: d.channel.label(),
        stage: d.stage.label(),
        status: d.status.label(),
        received: vn::dates::format_moment(d.received_at),
        due: vn::dates::format_short(d.due_on),
        promised: d
            .promised_on
            .map(vn::dates::format_short)
            .unwrap_or_default(),
        standing,
        overdue: d.overdue_on(today),
        stage_due: d
            .stage_due_at
            .map(|due| (vn::dates::format_moment(due), d.stage_overdue_at(now))),
        has_letter: steps.iter().any(|s| s.letter.is_some()),
        handovers: handovers
            .into_iter()
            .map(|h| HandoverLine {
                stage: h.stage.map_or("Nộp hồ sơ", |s| s.label()),
                from: h.from,
                to: h.to,
                at: vn::dates::format_moment(h.at),
                due: h.due.map(vn::dates::format_moment).unwrap_or_default(),
                result: h.timeliness.map_or("", |t| t.label()),
                late: h.timeliness == Some(Timeliness::Late),
            })
            .collect(),
        handler,
        files: d
            .files
            .iter()
            .map(|f| FileLine {
                position: f.position,
                paper: f.paper.clone(),
                name: f.name.clone(),
                size: format!(
                    "{} KB",
                    vn::numbers::format_int(
                        i64::try_from(f.size.div_ceil(1024)).unwrap_or(i64::MAX)
                    )
                ),
            })
            .collect(),
        steps: steps
            .into_iter()
            .map(|s| StepLine {
                at: vn::dates::format_moment(s.at),
                action: s.action.label(),
                who: s.actor_label,
                stage: s.stage.label(),
                note: s.note,
                due: s.due_at.map(vn::dates::format_moment).unwrap_or_default(),
            })
            .collect(),
        actions: offered
            .iter()
            .filter(|a| {
                !matches!(
                    a,
                    Action::Assign | Action::Apologise | Action::Extend | Action::AttachResult
                )
            })
            .map(|a| (a.as_str(), a.label(), a.needs_note()))
            .collect(),
        forms: StepForms {
            assign: offered.contains(&Action::Assign),
            apologise: offered.contains(&Action::Apologise) && d.overdue_on(today),
            extend: offered.contains(&Action::Extend) && !d.overdue_on(today),
        },
        people,
        fee,
        result,
        results_offered,
        applicant: d.applicant,
        papers: d.papers,
    }
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    handler_id: Option<i64>,
    #[serde(default)]
    promised_on: String,
    #[serde(default)]
    result_document_id: Option<i64>,
}

pub async fn step(
    State(state): State<AppState>,
    Path(code): Path<String>,
    form: UiForm<StepForm>,
) -> Response {
    respond(
        async {
            let f = &form.form;
            let action: Action = f
                .action
                .parse()
                .map_err(|_| AppError::Invalid("Bước xử lý không hợp lệ".into()))?;
            let promised_on = if f.promised_on.trim().is_empty() {
                None
            } else {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                Some(
                    time::Date::parse(f.promised_on.trim(), format)
                        .map_err(|_| AppError::Invalid("Ngày hẹn mới không hợp lệ".into()))?,
                )
            };
            let input = StepInput {
                action,
                note: f.note.clone(),
                handler_id: f.handler_id,
                promised_on,
                result_document_id: f.result_document_id,
            };
            let dossier = state.app.take_step(&form.user.ctx(), &code, input).await?;
            Ok(Redirect::to(&dossier_path(&dossier.code)).into_response())
        }
        .await,
    )
}

/// The desk takes the fee.
pub async fn pay(
    State(state): State<AppState>,
    Path(code): Path<String>,
    form: UiForm<NoFields>,
) -> Response {
    respond(
        async {
            state.app.pay_at_desk(&form.user.ctx(), &code).await?;
            Ok(Redirect::to(&dossier_path(&code)).into_response())
        }
        .await,
    )
}

/// A form with nothing but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// The process-control slip (Mẫu số 02), as PDF.
pub async fn control_slip(
    State(state): State<AppState>,
    user: UiUser,
    Path(code): Path<String>,
) -> Response {
    let pdf = state.app.control_slip(&user.ctx(), &code).await;
    pdf_download("phieu-kiem-soat", &code, pdf.map(Into::into))
}

/// The latest apology and new return date (Mẫu số 04), as PDF.
pub async fn apology(
    State(state): State<AppState>,
    user: UiUser,
    Path(code): Path<String>,
) -> Response {
    let pdf = state.app.apology_letter(&user.ctx(), &code).await;
    pdf_download("phieu-xin-loi", &code, pdf)
}

/// The receipt and appointment slip, as PDF.
pub async fn slip(
    State(state): State<AppState>,
    user: UiUser,
    Path(code): Path<String>,
) -> Response {
    let pdf = state.app.receipt_slip(&user.ctx(), &code).await;
    pdf_download("giay-tiep-nhan", &code, pdf.map(Into::into))
}

/// A dossier's form as a PDF download named `{name}-{code}.pdf`.
fn pdf_download(name: &str, code: &str, pdf: Result<bytes::Bytes, AppError>) -> Response {
    respond(pdf.map(|pdf| crate::download(&format!("{name}-{code}.pdf"), "application/pdf", pdf)))
}

pub async fn file(
    State(state): State<AppState>,
    user: UiUser,
    Path((code, position)): Path<(String, u32)>,
) -> Response {
    respond(
        async {
            let (file, bytes) = state.app.dossier_file(&user.ctx(), &code, position).await?;
            Ok(crate::download(&file.name, file.media_type.mime(), bytes))
        }
        .await,
    )
}
