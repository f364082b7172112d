//! The document registers of an agency: the outgoing and incoming books,
//! and the clerk's forms to issue and to register documents.

use app::AppError;
use app::documents::{NewIncoming, NewOutgoing};
use app::printout::{self, Format, MAX_ROWS};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::authz::Permission;
use domain::documents::{
    Confidentiality, Direction, Document, Urgency, register_columns, register_row,
};
use domain::search::{DocumentFilter, Sort, Terms};
use serde::Deserialize;
use time::Date;

use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

struct Row {
    id: i64,
    symbol: String,
    number: String,
    issued_on: String,
    registered_on: String,
    doc_type: String,
    summary: String,
    issuer: String,
    signer: String,
    urgency: &'static str,
}

impl From<Document> for Row {
    fn from(d: Document) -> Self {
        Self {
            id: d.id,
            number: vn::numbers::format_count(u64::from(d.number)),
            issued_on: vn::dates::format_short(d.issued_on),
            registered_on: vn::dates::format_short(d.registered_on),
            urgency: d.urgency.label(),
            signer: d.signer.unwrap_or_default(),
            symbol: d.symbol,
            doc_type: d.doc_type,
            summary: d.summary,
            issuer: d.issuer,
        }
    }
}

#[derive(Template)]
#[template(path = "documents.html")]
struct RegisterPage {
    chrome: Chrome,
    agency_id: i64,
    agency_name: String,
    outgoing: bool,
    year: i32,
    rows: Vec<Row>,
    q: String,
    doc_type: String,
    urgency: String,
    /// The query string of the filters, for the pager and the CSV link.
    filters: String,
    total: String,
    page: u64,
    pages: u64,
    can_register: bool,
    doc_types: Vec<&'static str>,
    units: Vec<(i64, String)>,
    urgencies: Vec<(&'static str, &'static str)>,
    confidentialities: Vec<(&'static str, &'static str)>,
    /// The agency's fields (lĩnh vực), for the forms.
    fields: Vec<String>,
    today: String,
}

#[derive(Debug, Deserialize)]
pub struct RegisterQuery {
    agency_id: Option<i64>,
    direction: Option<String>,
    year: Option<i32>,
    /// Words to look for (diacritics optional).
    q: Option<String>,
    /// Only this type ("Quyết định"); empty for all.
    doc_type: Option<String>,
    /// Only this urgency (`flash`…); empty for all.
    urgency: Option<String>,
    /// From 1.
    page: Option<u64>,
}

impl RegisterQuery {
    /// The query without the page: what the pager and the CSV link keep.
    fn filters(&self, agency_id: i64, direction: Direction, year: i32) -> String {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        serde_urlencoded::to_string([
            ("agency_id", agency_id.to_string()),
            ("direction", direction.as_str().to_owned()),
            ("year", year.to_string()),
            ("q", text(&self.q)),
            ("doc_type", text(&self.doc_type)),
            ("urgency", text(&self.urgency)),
        ])
        .unwrap_or_default()
    }
}

/// One agency's register book of one year, as a query asks for it: the
/// reader's own agency and the outgoing book of this year unless said.
struct Book {
    agency_id: i64,
    direction: Direction,
    year: i32,
    filter: DocumentFilter,
}

impl Book {
    async fn of(state: &AppState, user: &UiUser, query: &RegisterQuery) -> Result<Self, AppError> {
        let agency_id = query.agency_id.unwrap_or(user.signed_in.person.agency_id);
        user.ctx().require(
            Permission::ViewRegisters,
            &state.app.lineage(agency_id).await?,
        )?;
        let direction = if query.direction.as_deref() == Some("incoming") {
            Direction::Incoming
        } else {
            Direction::Outgoing
        };
        let year = query
            .year
            .unwrap_or_else(|| vn::dates::vietnam_date(state.app.now()).year());
        let bounds =
            |month, day| Date::from_calendar_date(year, month, day).map_err(AppError::invalid);
        let urgency = chosen(query.urgency.as_ref())
            .map(str::parse::<Urgency>)
            .transpose()
            .map_err(AppError::invalid)?;
        let filter = DocumentFilter {
            terms: Terms::parse(query.q.as_deref().unwrap_or_default()),
            doc_type: chosen(query.doc_type.as_ref()).map(str::to_owned),
            urgency,
            agency_id: Some(agency_id),
            direction: Some(direction),
            from: Some(bounds(time::Month::January, 1)?),
            to: Some(bounds(time::Month::December, 31)?),
            ..DocumentFilter::default()
        };
        Ok(Self {
            agency_id,
            direction,
            year,
            filter,
        })
    }

    /// The book's lines (Decree 30 App. IV) in register order, read 500 at
    /// a time. With a `limit`, a longer book is refused before it is read.
    async fn rows(
        &self,
        state: &AppState,
        user: &UiUser,
        limit: Option<u64>,
    ) -> Result<Vec<[String; 10]>, AppError> {
        let ctx = user.ctx();
        let filter = DocumentFilter {
            sort: Sort::Oldest,
            ..self.filter.clone()
        };
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            let page = state
                .app
                .search_documents(&ctx, &filter, (offset, 500))
                .await?;
            if limit.is_some_and(|limit| page.total > limit) {
                return Err(printout::too_large(page.total));
            }
            rows.extend(page.items.iter().map(|d| register_row(d, "", "")));
            offset += page.items.len() as u64;
            if page.items.is_empty() || offset >= page.total {
                break;
            }
        }
        Ok(rows)
    }

    /// "so-van-ban-di-2021.pdf" and the like.
    fn file_name(&self, extension: &str) -> String {
        let direction = if self.direction == Direction::Outgoing {
            "di"
        } else {
            "den"
        };
        format!("so-van-ban-{direction}-{}.{extension}", self.year)
    }
}

/// A filter's value, unless empty ("Tất cả").
fn chosen(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Rows per page of a register.
const PAGE_ROWS: u64 = 50;

pub async fn register(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<RegisterQuery>,
) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let book = Book::of(&state, &user, &query).await?;
            let (agency_id, direction, year, filter) =
                (book.agency_id, book.direction, book.year, book.filter);
            let agency = state.app.agency(agency_id).await?;
            let outgoing = direction == Direction::Outgoing;
            let today = vn::dates::vietnam_date(state.app.now());
            let q = query.q.clone().unwrap_or_default();
            let page_no = query.page.unwrap_or(1).clamp(1, u64::MAX / PAGE_ROWS);
            let found = state
                .app
                .search_documents(&ctx, &filter, ((page_no - 1) * PAGE_ROWS, PAGE_ROWS))
                .await?;
            let all = state.app.all_agencies().await?;
            let subtree = state.app.subtree(agency_id).await?;
            let units = all
                .iter()
                .filter(|a| {
                    a.id != agency_id && subtree.contains(&a.id) && a.is_effective_on(today)
                })
                .map(|a| (a.id, a.name.clone()))
                .collect();
            let can_register = ctx
                .require(
                    Permission::RegisterDocuments,
                    &state.app.lineage(agency_id).await?,
                )
                .is_ok();
            Ok(page(&RegisterPage {
                chrome: Chrome::new(
                    &user,
                    if outgoing {
                        "Sổ văn bản đi"
                    } else {
                        "Sổ văn bản đến"
                    },
                    "/app/documents",
                ),
                agency_id,
                agency_name: agency.name,
                outgoing,
                year,
                rows: found.items.into_iter().map(Row::from).collect(),
                total: vn::numbers::format_int(i64::try_from(found.total).unwrap_or(i64::MAX)),
                pages: found.total.div_ceil(PAGE_ROWS).max(1),
                page: page_no,
                filters: query.filters(agency_id, direction, year),
                doc_type: query.doc_type.clone().unwrap_or_default(),
                urgency: query.urgency.clone().unwrap_or_default(),
                q,
                can_register,
                doc_types: vn::doctypes::ADMINISTRATIVE
                    .iter()
                    .map(|t| t.name)
                    .collect(),
                units,
                urgencies: Urgency::ALL
                    .iter()
                    .map(|u| (u.as_str(), u.label()))
                    .collect(),
                confidentialities: Confidentiality::ALL
                    .iter()
                    .map(|c| (c.as_str(), c.label()))
                    .collect(),
                fields: state.app.fields_of(agency_id).await?,
                today: today.to_string(),
            }))
        }
        .await,
    )
}

/// The register book of a year as CSV (UTF-8 with a byte-order mark, so
/// that Excel shows the Vietnamese right), the ten columns of Decree 30
/// App. IV, in register order.
pub async fn register_csv(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<RegisterQuery>,
) -> Response {
    respond(
        async {
            let book = Book::of(&state, &user, &query).await?;
            let rows = book.rows(&state, &user, None).await?;
            let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            let failed = |e: csv::Error| AppError::Internal(e.to_string());
            out.write_record(register_columns(book.direction))
                .map_err(failed)?;
            for row in &rows {
                out.write_record(row).map_err(failed)?;
            }
            let bytes = out
                .into_inner()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(crate::download(
                &book.file_name("csv"),
                "text/csv; charset=utf-8",
                bytes.into(),
            ))
        }
        .await,
    )
}

/// The register book printed as PDF (Decree 30 App. IV), at most
/// `app::printout::MAX_ROWS` lines.
pub async fn register_pdf(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<RegisterQuery>,
) -> Response {
    respond(print_book(&state, &user, &query, Format::Pdf).await)
}

/// The register book as DOCX, for the clerk to edit before printing.
pub async fn register_docx(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<RegisterQuery>,
) -> Response {
    respond(print_book(&state, &user, &query, Format::Docx).await)
}

/// The book as `Book::rows` reads it, rendered off the async threads.
async fn print_book(
    state: &AppState,
    user: &UiUser,
    query: &RegisterQuery,
    format: Format,
) -> Result<Response, AppError> {
    let book = Book::of(state, user, query).await?;
    let rows = book.rows(state, user, Some(MAX_ROWS)).await?;
    let heading = state.app.book_heading(book.agency_id).await?;
    let today = vn::dates::vietnam_date(state.app.now());
    let (direction, year) = (book.direction, book.year);
    // Typesetting hundreds of pages takes seconds of CPU: not on the async threads.
    let bytes = tokio::task::spawn_blocking(move || {
        printout::register_book(&heading, direction, year, today, rows, format)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let (extension, content_type) = match format {
        Format::Pdf => ("pdf", "application/pdf"),
        Format::Docx => (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    };
    Ok(crate::download(
        &book.file_name(extension),
        content_type,
        bytes.into(),
    ))
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

#[derive(Debug, Deserialize)]
pub struct OutgoingForm {
    agency_id: i64,
    doc_type: String,
    summary: String,
    #[serde(default)]
    drafting_unit_id: String,
    #[serde(default)]
    signer: String,
    urgency: String,
    confidentiality: String,
    #[serde(default)]
    field: String,
}

pub async fn issue(State(state): State<AppState>, form: UiForm<OutgoingForm>) -> Response {
    let UiForm { user, form, .. } = form;
    respond(
        async {
            let new = NewOutgoing {
                agency_id: form.agency_id,
                doc_type: form.doc_type,
                summary: form.summary,
                drafting_unit_id: optional(&form.drafting_unit_id).and_then(|id| id.parse().ok()),
                signer: optional(&form.signer),
                urgency: form.urgency.parse().map_err(AppError::invalid)?,
                confidentiality: form.confidentiality.parse().map_err(AppError::invalid)?,
                field: optional(&form.field),
            };
            state.app.issue_outgoing(&user.ctx(), new).await?;
            Ok(Redirect::to(&format!(
                "/app/documents?agency_id={}&direction=outgoing",
                form.agency_id
            ))
            .into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct IncomingForm {
    agency_id: i64,
    symbol: String,
    doc_type: String,
    summary: String,
    issued_on: String,
    issuer: String,
    #[serde(default)]
    signer: String,
    urgency: String,
    confidentiality: String,
    #[serde(default)]
    field: String,
}

pub async fn receive(State(state): State<AppState>, form: UiForm<IncomingForm>) -> Response {
    let UiForm { user, form, .. } = form;
    respond(
        async {
            let issued_on = Date::parse(
                form.issued_on.trim(),
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| {
                AppError::Invalid(format!("Ngày ban hành «{}» không hợp lệ", form.issued_on))
            })?;
            let new = NewIncoming {
                agency_id: form.agency_id,
                symbol: form.symbol,
                doc_type: form.doc_type,
                summary: form.summary,
                issued_on,
                issuer: form.issuer,
                signer: optional(&form.signer),
                urgency: form.urgency.parse().map_err(AppError::invalid)?,
                confidentiality: form.confidentiality.parse().map_err(AppError::invalid)?,
                field: optional(&form.field),
            };
            state.app.register_incoming(&user.ctx(), new).await?;
            Ok(Redirect::to(&format!(
                "/app/documents?agency_id={}&direction=incoming",
                form.agency_id
            ))
            .into_response())
        }
        .await,
    )
}
