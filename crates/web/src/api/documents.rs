//! `/api/v1/documents` and the registers of an agency.

use app::documents::{NewIncoming, NewOutgoing};
use axum::extract::State;
use axum::http::StatusCode;
use domain::documents::{Confidentiality, Document, Urgency, register_symbol};
use domain::search::{DocumentFilter, Found, Terms};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use super::dto::{ConfidentialityName, DirectionName, SortName, UrgencyName, page_of};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors, WriteErrors};
use crate::session::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    pub agency_id: i64,
    pub direction: DirectionName,
    /// Số trong sổ (văn bản đến: số đến).
    pub number: u32,
    pub year: i32,
    /// Số, ký hiệu: "437/QĐ-UBND".
    pub symbol: String,
    pub doc_type: String,
    /// Trích yếu nội dung.
    pub summary: String,
    pub issued_on: Date,
    pub registered_on: Date,
    pub issuer: String,
    pub signer: Option<String>,
    pub urgency: UrgencyName,
    pub confidentiality: ConfidentialityName,
    pub field: Option<String>,
}

impl From<Document> for DocumentDto {
    fn from(d: Document) -> Self {
        Self {
            id: d.id,
            agency_id: d.agency_id,
            direction: DirectionName(d.direction),
            number: d.number,
            year: d.year,
            symbol: d.symbol,
            doc_type: d.doc_type,
            summary: d.summary,
            issued_on: d.issued_on,
            registered_on: d.registered_on,
            issuer: d.issuer,
            signer: d.signer,
            urgency: UrgencyName(d.urgency),
            confidentiality: ConfidentialityName(d.confidentiality),
            field: d.field,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutgoingInput {
    pub agency_id: i64,
    /// Tên loại văn bản: "Quyết định", "Công văn"...
    #[schema(example = "Quyết định")]
    pub doc_type: String,
    pub summary: String,
    /// Đơn vị soạn thảo (bắt buộc với công văn).
    pub drafting_unit_id: Option<i64>,
    pub signer: Option<String>,
    pub urgency: Option<UrgencyName>,
    pub confidentiality: Option<ConfidentialityName>,
    pub field: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomingInput {
    pub agency_id: i64,
    /// Số, ký hiệu của văn bản đến: "26/CT-TTg".
    pub symbol: String,
    #[schema(example = "Chỉ thị")]
    pub doc_type: String,
    pub summary: String,
    pub issued_on: Date,
    /// Cơ quan ban hành.
    pub issuer: String,
    pub signer: Option<String>,
    pub urgency: Option<UrgencyName>,
    pub confidentiality: Option<ConfidentialityName>,
    pub field: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// `outgoing` (văn bản đi) hoặc `incoming` (văn bản đến).
    pub direction: DirectionName,
    /// Từ ngày vào sổ (mặc định 1/1 năm nay).
    pub from: Option<Date>,
    /// Đến ngày vào sổ (mặc định hôm nay).
    pub to: Option<Date>,
    /// Bỏ qua bao nhiêu văn bản đầu (phân trang).
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: i64,
    /// Số văn bản mỗi trang, từ 1 đến 500 (mặc định 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Ban hành văn bản đi: cấp số và ký hiệu (văn thư).
#[utoipa::path(
    post, path = "/api/v1/documents/outgoing", tag = "documents", security(("bearer" = [])),
    request_body = OutgoingInput,
    responses((status = 201, body = DocumentDto), WriteErrors)
)]
pub async fn issue_outgoing(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<OutgoingInput>,
) -> Result<(StatusCode, ApiJson<DocumentDto>), ApiError> {
    let new = NewOutgoing {
        agency_id: input.agency_id,
        doc_type: input.doc_type,
        summary: input.summary,
        drafting_unit_id: input.drafting_unit_id,
        signer: input.signer,
        urgency: input.urgency.map_or(Urgency::Normal, |u| u.0),
        confidentiality: input
            .confidentiality
            .map_or(Confidentiality::Normal, |c| c.0),
        field: input.field,
    };
    let document = state.app.issue_outgoing(&user.ctx(), new).await?;
    Ok((StatusCode::CREATED, ApiJson(document.into())))
}

/// Vào sổ văn bản đến: cấp số đến (văn thư).
#[utoipa::path(
    post, path = "/api/v1/documents/incoming", tag = "documents", security(("bearer" = [])),
    request_body = IncomingInput,
    responses((status = 201, body = DocumentDto), WriteErrors)
)]
pub async fn register_incoming(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<IncomingInput>,
) -> Result<(StatusCode, ApiJson<DocumentDto>), ApiError> {
    let new = NewIncoming {
        agency_id: input.agency_id,
        symbol: input.symbol,
        doc_type: input.doc_type,
        summary: input.summary,
        issued_on: input.issued_on,
        issuer: input.issuer,
        signer: input.signer,
        urgency: input.urgency.map_or(Urgency::Normal, |u| u.0),
        confidentiality: input
            .confidentiality
            .map_or(Confidentiality::Normal, |c| c.0),
        field: input.field,
    };
    let document = state.app.register_incoming(&user.ctx(), new).await?;
    Ok((StatusCode::CREATED, ApiJson(document.into())))
}

/// Một văn bản.
#[utoipa::path(
    get, path = "/api/v1/documents/{id}", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản")),
    responses((status = 200, body = DocumentDto), ReadErrors)
)]
pub async fn get_document(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<DocumentDto>, ApiError> {
    Ok(ApiJson(state.app.document(&user.ctx(), id).await?.into()))
}

/// Sổ văn bản đi hoặc đến của một cơ quan.
#[utoipa::path(
    get, path = "/api/v1/agencies/{id}/register", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan"), RegisterQuery),
    responses((status = 200, body = DocumentPage), ReadErrors)
)]
pub async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<RegisterQuery>,
) -> Result<ApiJson<DocumentPage>, ApiError> {
    let today = vn::dates::vietnam_date(state.app.now());
    let from = query
        .from
        .unwrap_or_else(|| today.replace_ordinal(1).unwrap_or(today));
    let to = query.to.unwrap_or(today);
    let found = state
        .app
        .register_page(
            &user.ctx(),
            id,
            query.direction.0,
            (from, to),
            page_of(query.offset, query.limit)?,
        )
        .await?;
    Ok(ApiJson(found.into()))
}

/// One page of documents and how many match in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentPage {
    pub items: Vec<DocumentDto>,
    /// Tổng số văn bản khớp (mọi trang).
    pub total: u64,
}

impl From<Found<Document>> for DocumentPage {
    fn from(found: Found<Document>) -> Self {
        Self {
            items: found.items.into_iter().map(Into::into).collect(),
            total: found.total,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Từ khóa, có dấu hay không dấu đều được ("bau cu" tìm thấy "bầu cử");
    /// đặt trong ngoặc kép để tìm cả cụm.
    pub q: Option<String>,
    pub direction: Option<DirectionName>,
    /// Chỉ văn bản của cơ quan này.
    pub agency_id: Option<i64>,
    /// Tên loại văn bản: "Quyết định".
    pub doc_type: Option<String>,
    /// Lĩnh vực.
    pub field: Option<String>,
    /// Từ ngày vào sổ.
    pub from: Option<Date>,
    /// Đến ngày vào sổ.
    pub to: Option<Date>,
    pub urgency: Option<UrgencyName>,
    /// Đúng số, ký hiệu này: "437/QĐ-UBND".
    pub symbol: Option<String>,
    /// Các văn bản có dẫn chiếu số, ký hiệu này.
    pub cites: Option<String>,
    /// `newest` (mặc định) hoặc `oldest`.
    #[param(inline)]
    pub sort: Option<SortName>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: i64,
    /// Số văn bản mỗi trang, từ 1 đến 500 (mặc định 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Tìm văn bản trong các sổ mà người dùng được xem.
#[utoipa::path(
    get, path = "/api/v1/documents", tag = "documents", security(("bearer" = [])),
    params(SearchQuery),
    responses((status = 200, body = DocumentPage), ReadErrors)
)]
pub async fn search(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<ApiJson<DocumentPage>, ApiError> {
    let filter = DocumentFilter {
        terms: Terms::parse(query.q.as_deref().unwrap_or_default()),
        direction: query.direction.map(|d| d.0),
        agency_id: query.agency_id,
        doc_type: query.doc_type.filter(|t| !t.trim().is_empty()),
        field: query.field.filter(|f| !f.trim().is_empty()),
        from: query.from,
        to: query.to,
        urgency: query.urgency.map(|u| u.0),
        symbol: query.symbol.as_deref().map(register_symbol),
        cites: query.cites.as_deref().map(register_symbol),
        sort: query.sort.map(|s| s.0).unwrap_or_default(),
    };
    let found = state
        .app
        .search_documents(&user.ctx(), &filter, page_of(query.offset, query.limit)?)
        .await?;
    Ok(ApiJson(found.into()))
}
