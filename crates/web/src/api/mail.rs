//! `/api/v1/mail/...`: official mailboxes for staff — the boxes one may
//! see (filtered, paged) and one box, and the report's mail figures by
//! agency over a period.

use app::mail::browse::MailboxFilter;
use axum::extract::State;
use domain::mail::mailboxes::Mailbox;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use super::dto::{MailboxKindName, MailboxStatusName, page_of};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors};
use crate::session::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxDto {
    pub id: i64,
    /// Địa chỉ, chữ thường.
    pub address: String,
    pub kind: MailboxKindName,
    /// Cơ quan, đơn vị của hộp thư (hoặc nơi người dùng công tác).
    pub agency_id: i64,
    /// Cán bộ dùng hộp thư, nếu có tài khoản egov.
    pub person_id: Option<i64>,
    pub display_name: String,
    /// Dung lượng (MB).
    pub quota_mib: u32,
    pub status: MailboxStatusName,
    /// Các bí danh.
    pub aliases: Vec<String>,
    /// Đề nghị đã tạo hộp thư.
    pub request_id: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub activated_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
}

impl From<Mailbox> for MailboxDto {
    fn from(b: Mailbox) -> Self {
        Self {
            id: b.id,
            address: b.address,
            kind: MailboxKindName(b.kind),
            agency_id: b.agency_id,
            person_id: b.person_id,
            display_name: b.display_name,
            quota_mib: b.quota_mib,
            status: MailboxStatusName(b.status),
            aliases: b.aliases,
            request_id: b.request_id,
            requested_at: b.requested_at,
            activated_at: b.activated_at,
            closed_at: b.closed_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailboxQuery {
    /// Chỉ hộp thư của cơ quan, đơn vị này.
    pub agency_id: Option<i64>,
    /// Chỉ hộp thư ở trạng thái này.
    pub status: Option<MailboxStatusName>,
    /// Một phần địa chỉ hoặc tên.
    pub q: Option<String>,
    /// Bỏ qua bao nhiêu hộp thư đầu (phân trang).
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: i64,
    /// Số hộp thư mỗi trang, từ 1 đến 500 (mặc định 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxPageDto {
    /// Tổng số hộp thư theo bộ lọc.
    pub total: u64,
    pub items: Vec<MailboxDto>,
}

/// Các hộp thư tôi được xem (quản trị thư điện tử: cả tỉnh; cán bộ: cơ quan mình và các đơn vị trực thuộc), cũ nhất trước.
#[utoipa::path(
    get, path = "/api/v1/mail/mailboxes", tag = "mail", security(("bearer" = [])),
    params(MailboxQuery),
    responses((status = 200, body = MailboxPageDto), ReadErrors)
)]
pub async fn list_mailboxes(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<MailboxQuery>,
) -> Result<ApiJson<MailboxPageDto>, ApiError> {
    let page = page_of(query.offset, query.limit)?;
    let filter = MailboxFilter {
        agencies: query.agency_id.map(|a| vec![a]),
        statuses: query.status.map(|s| s.0).into_iter().collect(),
        text: query
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
        ..MailboxFilter::default()
    };
    let (boxes, total) = state.app.mailbox_list(&user.ctx(), filter, page).await?;
    Ok(ApiJson(MailboxPageDto {
        total,
        items: boxes.into_iter().map(Into::into).collect(),
    }))
}

/// Một hộp thư (người dùng hộp thư, cán bộ của cơ quan, quản trị thư điện tử).
#[utoipa::path(
    get, path = "/api/v1/mail/mailboxes/{id}", tag = "mail", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã hộp thư")),
    responses((status = 200, body = MailboxDto), ReadErrors)
)]
pub async fn get_mailbox(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<MailboxDto>, ApiError> {
    let (mailbox, _) = state.app.mailbox_page(&user.ctx(), id).await?;
    Ok(ApiJson(mailbox.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// Ngày đầu kỳ.
    pub from: Date,
    /// Ngày cuối kỳ (tính cả ngày này).
    pub to: Date,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MailFiguresRowDto {
    pub agency_id: i64,
    /// Hộp thư được đề nghị trong kỳ.
    pub requested: u64,
    /// Hộp thư được tạo trên máy chủ thư trong kỳ.
    pub created: u64,
    /// Hộp thư đang hoạt động cuối kỳ (kể cả tạm khóa).
    pub active: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MailFiguresDto {
    pub by_agency: Vec<MailFiguresRowDto>,
    pub requested: u64,
    pub created: u64,
    pub active: u64,
}

/// Số liệu thư điện tử công vụ cho báo cáo: đề nghị và tạo mới trong kỳ, đang hoạt động cuối kỳ, theo cơ quan.
#[utoipa::path(
    get, path = "/api/v1/mail/figures", tag = "mail", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, body = MailFiguresDto), ReadErrors)
)]
pub async fn figures(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<PeriodQuery>,
) -> Result<ApiJson<MailFiguresDto>, ApiError> {
    if query.to < query.from {
        return Err(ApiError::bad_request(
            "Ngày cuối kỳ (to) phải từ ngày đầu kỳ (from) trở đi",
        ));
    }
    let rows = state
        .app
        .mail_figures_for(&user.ctx(), (query.from, query.to))
        .await?;
    let total = domain::mail::figures::MailFigures::total(&rows);
    Ok(ApiJson(MailFiguresDto {
        by_agency: rows
            .iter()
            .map(|(agency_id, f)| MailFiguresRowDto {
                agency_id: *agency_id,
                requested: f.requested,
                created: f.created,
                active: f.active,
            })
            .collect(),
        requested: total.requested,
        created: total.created,
        active: total.active,
    }))
}
