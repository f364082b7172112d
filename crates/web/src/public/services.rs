//! The public-service portal at `/dich-vu-cong` (issue 8, items 2, 5, 8):
//! a citizen finds a procedure (diacritics ignored), reads it, submits a
//! dossier online with its files, confirms it from the e-mailed link, and
//! tracks it by its code and their phone or e-mail (and downloads, the
//! same way, the apology letter of a late dossier). A citizen signed in
//! to their portal account (`accounts`) submits as its holder, without
//! the confirmation e-mail.
//!
//! A guest has no session and so no CSRF token: a forged submission
//! could only create a dossier that nobody confirms, and the confirmation
//! itself is a POST from the page the e-mailed link opens (mail scanners
//! that fetch links do not confirm). A signed-in holder's form carries
//! the session's token, because their dossier needs no confirmation.

use app::AppError;
use app::services::{AccountSignedIn, OnlineSubmission, UploadedFile};
use askama::Template;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use domain::services::online::{DOSSIER_FILES, MAX_FILES};
use domain::services::{Applicant, ApplicantKind, Dossier, Level, Procedure};
use serde::Deserialize;

use super::accounts::Citizen;
use crate::AppState;
use crate::session::Source;
use crate::ui::{page, respond};
use crate::upload::{FormParts, Limits};

/// Rows of (paper, file) the online form offers.
const FILE_ROWS: usize = 5;

#[derive(Debug, Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    linh_vuc: String,
    /// An agency's id; empty for all (the form sends the empty option).
    #[serde(default)]
    co_quan: String,
}

struct ProcedureLine {
    id: i64,
    code: String,
    name: String,
    agency: String,
    level: String,
    online: bool,
}

#[derive(Template)]
#[template(path = "services_search.html")]
struct SearchPage {
    q: String,
    field: String,
    fields: Vec<String>,
    /// (id, name, chosen)
    agencies: Vec<(i64, String, bool)>,
    lines: Vec<ProcedureLine>,
}

pub async fn search(State(state): State<AppState>, Query(query): Query<SearchQuery>) -> Response {
    respond(
        async {
            let app = &state.app;
            let all = app.find_procedures("", None, None).await?;
            let mut fields: Vec<String> = all.iter().filter_map(|p| p.field.clone()).collect();
            vn::collate::sort(&mut fields);
            fields.dedup();
            let agency: Option<i64> = query.co_quan.trim().parse().ok();
            let agencies_all = app.all_agencies().await?;
            let name_of = |id: i64| {
                agencies_all
                    .iter()
                    .find(|a| a.id == id)
                    .map_or_else(String::new, |a| a.name.clone())
            };
            let mut agencies: Vec<(i64, String, bool)> = all
                .iter()
                .map(|p| {
                    (
                        p.agency_id,
                        name_of(p.agency_id),
                        agency == Some(p.agency_id),
                    )
                })
                .collect();
            agencies.sort();
            agencies.dedup();
            let field = query.linh_vuc.trim().to_owned();
            let found = app
                .find_procedures(
                    &query.q,
                    agency,
                    Some(field.as_str()).filter(|f| !f.is_empty()),
                )
                .await?;
            let lines = found
                .into_iter()
                .map(|p| ProcedureLine {
                    id: p.id,
                    code: p.national_code,
                    agency: name_of(p.agency_id),
                    level: p.level.label().to_owned(),
                    online: p.level >= Level::Online,
                    name: p.name,
                })
                .collect();
            Ok(page(&SearchPage {
                q: query.q.trim().to_owned(),
                field,
                fields,
                agencies,
                lines,
            }))
        }
        .await,
    )
}

/// What the applicant typed, kept when the form comes back with an error.
#[derive(Debug, Default)]
struct Typed {
    name: String,
    business: bool,
    phone: String,
    email: String,
    address: String,
    papers: Vec<String>,
}

impl Typed {
    fn of(form: &FormParts) -> Self {
        Self {
            name: form.field("ho_ten").to_owned(),
            business: form.field("loai") == "business",
            phone: form.field("dien_thoai").to_owned(),
            email: form.field("email").to_owned(),
            address: form.field("dia_chi").to_owned(),
            papers: (0..FILE_ROWS)
                .map(|i| form.field(&format!("giay_to_{i}")).to_owned())
                .collect(),
        }
    }

    /// The applicant a guest typed.
    fn applicant(&self) -> Applicant {
        Applicant {
            name: self.name.clone(),
            kind: if self.business {
                ApplicantKind::Business
            } else {
                ApplicantKind::Citizen
            },
            phone: Some(self.phone.clone()),
            email: Some(self.email.clone()),
            address: Some(self.address.clone()),
        }
    }

    fn fresh() -> Self {
        let mut papers = vec!["Tờ khai, đơn đề nghị".to_owned()];
        papers.resize(FILE_ROWS, "Giấy tờ kèm theo".to_owned());
        Self {
            papers,
            ..Self::default()
        }
    }

    /// The applicant's fields as the signed-in account has them: they
    /// are shown locked, and the account's are what is recorded.
    fn holder(self, citizen: Option<&AccountSignedIn>) -> Self {
        let Some(account) = citizen.map(|c| &c.account) else {
            return self;
        };
        Self {
            name: account.full_name.clone(),
            business: account.kind == ApplicantKind::Business,
            phone: account.phone.clone(),
            email: account.email.clone(),
            address: account.address.clone().unwrap_or_default(),
            ..self
        }
    }
}

#[derive(Template)]
#[template(path = "services_procedure.html")]
struct ProcedurePage {
    id: i64,
    code: String,
    local_code: String,
    name: String,
    agency: String,
    field: String,
    level: String,
    online_mode: String,
    days: u32,
    fee: String,
    online: bool,
    typed: Typed,
    error: String,
    max_mb: u64,
    max_files: usize,
    /// The form is the signed-in account holder's: applicant fields
    /// locked, the session's CSRF token echoed.
    signed_in: bool,
    csrf: String,
}

async fn procedure_page(
    state: &AppState,
    procedure: Procedure,
    (typed, citizen): (Typed, Option<&AccountSignedIn>),
    error: String,
) -> Result<Response, AppError> {
    let agency = state.app.agency(procedure.agency_id).await?;
    let invalid = !error.is_empty();
    let mut response = page(&ProcedurePage {
        id: procedure.id,
        local_code: procedure.local_code(&agency.code),
        code: procedure.national_code,
        name: procedure.name,
        agency: agency.name,
        field: procedure.field.unwrap_or_default(),
        level: procedure.level.label().to_owned(),
        online_mode: procedure.online.label().to_owned(),
        days: procedure.processing_days,
        fee: if procedure.fee == 0 {
            "Không thu phí".to_owned()
        } else {
            format!(
                "{} đồng",
                vn::numbers::format_int(i64::try_from(procedure.fee).unwrap_or(i64::MAX))
            )
        },
        online: procedure.level >= Level::Online,
        typed: typed.holder(citizen),
        error,
        max_mb: DOSSIER_FILES.max_bytes / (1024 * 1024),
        max_files: MAX_FILES,
        signed_in: citizen.is_some(),
        csrf: citizen
            .map(|c| c.session.csrf_token.clone())
            .unwrap_or_default(),
    });
    if invalid {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

pub async fn procedure(
    State(state): State<AppState>,
    Citizen(citizen): Citizen,
    Path(id): Path<i64>,
) -> Response {
    respond(
        async {
            let procedure = state.app.procedure(id).await?;
            procedure_page(
                &state,
                procedure,
                (Typed::fresh(), citizen.as_ref()),
                String::new(),
            )
            .await
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "services_submitted.html")]
struct SubmittedPage {
    code: String,
    email: String,
    /// Submitted from an account: already with the desk, no e-mail to
    /// open.
    confirmed: bool,
}

pub async fn submit(
    State(state): State<AppState>,
    Source(source): Source,
    Citizen(citizen): Citizen,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let limit = usize::try_from(DOSSIER_FILES.max_bytes).unwrap_or(usize::MAX);
    let limits = Limits {
        file: limit,
        total: limit.saturating_mul(MAX_FILES),
    };
    let csrf = citizen.as_ref().map(|c| c.session.csrf_token.as_str());
    let form = match FormParts::read(request, &state, limits, csrf).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    respond(
        async {
            let procedure = state.app.procedure(id).await?;
            let typed = Typed::of(&form);
            let files = form
                .files
                .into_iter()
                .map(|file| {
                    let row = file.field.strip_prefix("tep_").unwrap_or_default();
                    UploadedFile {
                        paper: typed
                            .papers
                            .get(row.parse::<usize>().unwrap_or(usize::MAX))
                            .cloned()
                            .unwrap_or_default(),
                        name: file.file_name,
                        bytes: file.bytes,
                    }
                })
                .collect();
            let submitted = match &citizen {
                Some(signed_in) => state
                    .app
                    .submit_signed_in(signed_in, procedure.id, files, source)
                    .await
                    .map(|dossier| (dossier, true)),
                None => state
                    .app
                    .submit_online(OnlineSubmission {
                        procedure_id: procedure.id,
                        applicant: typed.applicant(),
                        files,
                    })
                    .await
                    .map(|submitted| (submitted.dossier, false)),
            };
            match submitted {
                Ok((dossier, confirmed)) => Ok(page(&SubmittedPage {
                    code: dossier.code,
                    email: dossier.applicant.email.unwrap_or_default(),
                    confirmed,
                })),
                Err(AppError::Invalid(message)) => {
                    procedure_page(&state, procedure, (typed, citizen.as_ref()), message).await
                }
                Err(other) => Err(other),
            }
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    t: String,
}

#[derive(Template)]
#[template(path = "services_confirm.html")]
struct ConfirmPage {
    token: String,
}

/// The page the e-mailed link opens: a button that confirms.
pub async fn confirm_page(Query(query): Query<TokenQuery>) -> Response {
    page(&ConfirmPage { token: query.t })
}

pub async fn confirm(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<TokenQuery>,
) -> Response {
    respond(
        async {
            let dossier = state.app.confirm_online(&form.t).await?;
            let contact = dossier.applicant.email.clone().unwrap_or_default();
            Ok(
                axum::response::Redirect::to(&tracking_link(&dossier.code, &contact))
                    .into_response(),
            )
        }
        .await,
    )
}

fn tracking_link(code: &str, contact: &str) -> String {
    let query =
        serde_urlencoded::to_string([("ma", code), ("lien_he", contact)]).unwrap_or_default();
    format!("/dich-vu-cong/tra-cuu?{query}")
}

/// The result's file, for the applicant.
pub async fn result(State(state): State<AppState>, Query(query): Query<TrackQuery>) -> Response {
    respond(
        state
            .app
            .result_file(&query.ma, &query.lien_he)
            .await
            .map(|(file, bytes)| crate::download(&file.name, &file.content_type, bytes)),
    )
}

/// The apology and new return date (Mẫu số 04), for the applicant: the
/// same code and phone or e-mail as the tracking page.
pub async fn apology(State(state): State<AppState>, Query(query): Query<TrackQuery>) -> Response {
    respond(
        state
            .app
            .apology_letter_for_applicant(&query.ma, &query.lien_he)
            .await
            .map(|pdf| {
                crate::download(
                    &format!("phieu-xin-loi-{}.pdf", query.ma.trim()),
                    "application/pdf",
                    pdf,
                )
            }),
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct TrackQuery {
    #[serde(default)]
    ma: String,
    #[serde(default)]
    lien_he: String,
}

struct StepLine {
    at: String,
    action: &'static str,
    stage: &'static str,
    note: String,
}

struct Tracked {
    code: String,
    procedure: String,
    applicant: String,
    channel: &'static str,
    status: &'static str,
    received: String,
    appointment: String,
    returned: String,
    fee: Option<super::payments::FeeLine>,
    /// The result may be downloaded here (level 4, ready, attached).
    result_online: bool,
    /// An apology letter was made: the applicant may download it.
    has_letter: bool,
    steps: Vec<StepLine>,
}

#[derive(Template)]
#[template(path = "services_tracking.html")]
struct TrackingPage {
    code: String,
    contact: String,
    /// `ma=…&lien_he=…`, encoded, for the links that need both.
    link_query: String,
    error: String,
    tracked: Option<Tracked>,
}

pub async fn track(State(state): State<AppState>, Query(query): Query<TrackQuery>) -> Response {
    let asked = !query.ma.trim().is_empty();
    let result = if asked {
        Some(tracking(&state, &query).await)
    } else {
        None
    };
    let (tracked, error, status) = match result {
        None => (None, String::new(), axum::http::StatusCode::OK),
        Some(Ok(t)) => (Some(t), String::new(), axum::http::StatusCode::OK),
        Some(Err(e)) => (None, e.to_string(), crate::error::status_of(&e)),
    };
    let mut response = page(&TrackingPage {
        link_query: serde_urlencoded::to_string([
            ("ma", query.ma.trim()),
            ("lien_he", query.lien_he.trim()),
        ])
        .unwrap_or_default(),
        code: query.ma.trim().to_owned(),
        contact: query.lien_he.trim().to_owned(),
        error,
        tracked,
    });
    *response.status_mut() = status;
    response
}

async fn tracking(state: &AppState, query: &TrackQuery) -> Result<Tracked, AppError> {
    let t = state.app.track(&query.ma, &query.lien_he).await?;
    let procedure = state.app.procedure(t.dossier.procedure_id).await?;
    let fee = state.app.fee_of(&t.dossier, &procedure).await?;
    let ready = matches!(
        t.dossier.stage,
        domain::services::Stage::Release | domain::services::Stage::Returned
    );
    Ok(Tracked {
        fee: super::payments::FeeLine::of(&fee),
        result_online: ready
            && procedure.level == Level::Complete
            && t.dossier.result_document_id.is_some(),
        ..tracked(&t.dossier, t.procedure, t.steps)
    })
}

fn tracked(dossier: &Dossier, procedure: String, steps: Vec<domain::services::Step>) -> Tracked {
    Tracked {
        fee: None,
        result_online: false,
        has_letter: steps.iter().any(|s| s.letter.is_some()),
        code: dossier.code.clone(),
        procedure,
        applicant: dossier.applicant.name.clone(),
        channel: dossier.channel.label(),
        status: dossier.status.label(),
        received: vn::dates::format_moment(dossier.received_at),
        appointment: if dossier.stage.is_received() {
            vn::dates::format_short(dossier.appointment())
        } else {
            String::new()
        },
        returned: dossier
            .returned_at
            .map(vn::dates::format_moment)
            .unwrap_or_default(),
        steps: steps
            .into_iter()
            .map(|s| StepLine {
                at: vn::dates::format_moment(s.at),
                action: s.action.label(),
                stage: s.stage.label(),
                note: s.note,
            })
            .collect(),
    }
}
