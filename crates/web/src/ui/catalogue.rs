//! The procedure catalogue's staff pages: an agency's catalogue with
//! search, a procedure's page with its versions and national publication,
//! the catalogue downloaded as JSON or XLSX and uploaded to import (all or
//! nothing; a bad row's error names the sheet, row and column).

use app::AppError;
use app::catalogue::{CatalogueItem, Format, ImportSummary, Publication};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::Agency;
use domain::catalogue::FormFile;
use domain::services::Procedure;
use domain::services::deadlines::{self, Budgets};
use serde::Deserialize;

use super::{Chrome, page, respond};
use crate::AppState;
use crate::download::download;
use crate::session::{UiForm, UiUser};
use crate::upload::UiUpload;

const ACTIVE: &str = "/app/catalogue";

/// One procedure of the list, as written.
struct ItemRow {
    id: i64,
    code: String,
    name: String,
    field: String,
    level: u8,
    online: &'static str,
    days: u32,
    fee: String,
    versions: usize,
    published: String,
}

impl ItemRow {
    fn of(item: CatalogueItem) -> Self {
        let p = item.procedure;
        Self {
            id: p.id,
            code: p.national_code,
            name: p.name,
            field: p.field.unwrap_or_default(),
            level: p.level.number(),
            online: p.online.label(),
            days: p.processing_days,
            fee: vn::numbers::format_count(p.fee),
            versions: item.versions,
            published: item
                .published_on
                .map(vn::dates::format_short)
                .unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct CataloguePage {
    chrome: Chrome,
    agency: Agency,
    agencies: Vec<Agency>,
    query: String,
    items: Vec<ItemRow>,
    summary: Option<ImportSummary>,
    /// A form just kept, whose SHA-256 the workbook names.
    form: Option<FormFile>,
}

/// What the list page reports after an upload.
enum Done {
    Nothing,
    Imported(ImportSummary),
    Kept(FormFile),
}

#[derive(Debug, Deserialize)]
pub struct Search {
    agency: Option<i64>,
    #[serde(default)]
    q: String,
}

/// The agencies to choose from: those in force with a catalogue, and the
/// user's own.
async fn choices(state: &AppState, own: i64) -> Result<Vec<Agency>, AppError> {
    let today = vn::dates::vietnam_date(state.app.now());
    Ok(state
        .app
        .agency_tree(today)
        .await?
        .into_iter()
        .map(|(_, agency)| agency)
        .filter(|a| a.id == own || a.code.to_string().starts_with("000.00."))
        .collect())
}

async fn list_page(
    state: &AppState,
    user: &UiUser,
    agency: i64,
    query: String,
    done: Done,
) -> Result<Response, AppError> {
    let items = state.app.catalogue(agency, &query).await?;
    let items = items.into_iter().map(ItemRow::of).collect();
    Ok(page(&CataloguePage {
        chrome: Chrome::new(user, "Danh mục thủ tục hành chính", ACTIVE),
        agency: state.app.agency(agency).await?,
        agencies: choices(state, user.signed_in.person.agency_id).await?,
        query,
        items,
        summary: match &done {
            Done::Imported(summary) => Some(summary.clone()),
            _ => None,
        },
        form: match done {
            Done::Kept(form) => Some(form),
            _ => None,
        },
    }))
}

/// `GET /app/catalogue?agency=&q=`
pub async fn list(
    State(state): State<AppState>,
    user: UiUser,
    Query(search): Query<Search>,
) -> Response {
    let agency = search.agency.unwrap_or(user.signed_in.person.agency_id);
    respond(list_page(&state, &user, agency, search.q, Done::Nothing).await)
}

/// `GET /app/catalogue/{agency}/export/{format}` (`json` or `xlsx`)
pub async fn export(
    State(state): State<AppState>,
    _user: UiUser,
    Path((agency, format)): Path<(i64, String)>,
) -> Response {
    respond(
        async {
            let format =
                Format::of_name(&format!("x.{format}")).ok_or(AppError::NotFound("định dạng"))?;
            let code = state.app.agency(agency).await?.code;
            let bytes = state.app.export_catalogue(agency, format).await?;
            let name = format!("danh-muc-thu-tuc-{code}.{}", format.extension());
            Ok(download(&name, format.media_type(), bytes.into()))
        }
        .await,
    )
}

/// `POST /app/catalogue/{agency}/import` (a catalogue file, whose
/// extension says its form) and `POST /app/catalogue/{agency}/forms` (a
/// form — mẫu đơn, tờ khai — kept in the blob store; the page shows the
/// SHA-256 a workbook row names).
pub async fn upload(
    State(state): State<AppState>,
    Path((agency, action)): Path<(i64, String)>,
    upload: UiUpload,
) -> Response {
    respond(
        async {
            let (ctx, bytes) = (upload.user.ctx(), upload.bytes.clone());
            let done = match action.as_str() {
                "import" => {
                    let format = Format::of_name(&upload.file_name).ok_or_else(|| {
                        AppError::Invalid("Chỉ nhận tệp danh mục .json hoặc .xlsx".into())
                    })?;
                    let app = &state.app;
                    Done::Imported(app.import_catalogue(&ctx, agency, format, bytes).await?)
                }
                "forms" => Done::Kept(
                    state
                        .app
                        .save_form(&ctx, agency, &upload.file_name, bytes)
                        .await?,
                ),
                _ => return Err(AppError::NotFound("trang")),
            };
            list_page(&state, &upload.user, agency, String::new(), done).await
        }
        .await,
    )
}

/// One version of a procedure, as written.
struct VersionRow {
    id: i64,
    version: u32,
    current: bool,
    period: String,
    days: u32,
    fee: String,
    published: String,
}

impl VersionRow {
    fn of((p, publication): (Procedure, Option<Publication>), shown: i64) -> Self {
        let from = vn::dates::format_short(p.effective_from);
        Self {
            id: p.id,
            version: p.version,
            current: p.id == shown,
            period: match p.effective_to {
                Some(to) => format!("{from} – {}", vn::dates::format_short(to)),
                None => format!("từ {from}"),
            },
            days: p.processing_days,
            fee: vn::numbers::format_count(p.fee),
            published: publication
                .map(|r| vn::dates::format_short(r.published_on))
                .unwrap_or_default(),
        }
    }
}

/// A required paper, as written.
struct PaperRow {
    name: String,
    copies: u32,
    kind: &'static str,
    form: Option<(String, String)>,
}

/// One stage of the internal process: its name, who holds the dossier
/// then, and its working hours.
struct StageRow {
    name: &'static str,
    holder: String,
    hours: u32,
}

/// The procedure's stage budgets as shown: its own when the catalogue
/// gives them, else the default split (and the page says so).
fn stage_rows(procedure: &Procedure) -> Vec<StageRow> {
    let budgets = procedure.budgets();
    Budgets::STAGES
        .iter()
        .map(|stage| StageRow {
            name: Budgets::stage_name(*stage),
            holder: deadlines::holder(*stage, None),
            hours: budgets.of(*stage).unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "procedure.html")]
struct ProcedurePage {
    chrome: Chrome,
    agency: Agency,
    procedure: Procedure,
    level: u8,
    local_code: String,
    fees: Vec<String>,
    fee: String,
    papers: Vec<PaperRow>,
    stages: Vec<StageRow>,
    /// Whether the stages are the procedure's own (else the default).
    own_stages: bool,
    total_hours: u32,
    versions: Vec<VersionRow>,
    published: bool,
    today: String,
}

/// `GET /app/procedures/{id}`
pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let procedure = state.app.procedure(id).await?;
            let agency = state.app.agency(procedure.agency_id).await?;
            let history = state.app.procedure_history(id).await?;
            let published = history
                .iter()
                .any(|(p, publication)| p.id == id && publication.is_some());
            let d = &procedure.details;
            Ok(page(&ProcedurePage {
                chrome: Chrome::new(&user, procedure.name.clone(), ACTIVE),
                level: procedure.level.number(),
                local_code: procedure.local_code(&agency.code),
                fees: d.fees.iter().map(ToString::to_string).collect(),
                fee: vn::numbers::format_count(procedure.fee),
                papers: d
                    .papers
                    .iter()
                    .map(|p| PaperRow {
                        name: p.name.clone(),
                        copies: p.copies,
                        kind: p.kind.label(),
                        form: p.form.as_ref().map(|f| (f.sha256.clone(), f.name.clone())),
                    })
                    .collect(),
                stages: stage_rows(&procedure),
                own_stages: d.budgets.is_some(),
                total_hours: procedure.budgets().total(),
                versions: history.into_iter().map(|v| VersionRow::of(v, id)).collect(),
                published,
                agency,
                procedure,
                today: vn::dates::vietnam_date(state.app.now()).to_string(),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct PublicationForm {
    published_on: String,
}

/// `POST /app/procedures/{id}/publication`
pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<PublicationForm>,
) -> Response {
    respond(
        async {
            let iso = time::macros::format_description!("[year]-[month]-[day]");
            let day = time::Date::parse(form.form.published_on.trim(), &iso)
                .map_err(|_| AppError::Invalid("Ngày công bố không hợp lệ".into()))?;
            state
                .app
                .record_publication(&form.user.ctx(), id, day)
                .await?;
            Ok(Redirect::to(&format!("/app/procedures/{id}")).into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct FormName {
    #[serde(default)]
    name: String,
}

/// `GET /app/forms/{sha256}?name=`: a procedure's form, downloaded under
/// its name.
pub async fn form(
    State(state): State<AppState>,
    _user: UiUser,
    Path(sha256): Path<String>,
    Query(query): Query<FormName>,
) -> Response {
    respond(
        async {
            let (record, bytes) = state.app.load_file(&sha256).await?;
            let name = if query.name.trim().is_empty() {
                format!("mau-don.{}", record.media_type.as_str())
            } else {
                query.name
            };
            Ok(download(&name, record.media_type.mime(), bytes))
        }
        .await,
    )
}
