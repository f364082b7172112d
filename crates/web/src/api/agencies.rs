//! `/api/v1/agencies`: the agency tree.

use app::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use domain::agencies::{AgencyCode, AgencyDraft};

use super::dto::{
    AgencyDto, AgencyInput, AgencyNode, AgencyTree, AsOfQuery, PeopleQuery, PersonDto,
};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors, WriteErrors};
use crate::session::ApiUser;

fn draft(input: AgencyInput) -> Result<AgencyDraft, ApiError> {
    let code: AgencyCode = input.code.parse().map_err(AppError::invalid)?;
    Ok(AgencyDraft {
        code,
        name: input.name,
        short_name: input.short_name,
        kind: input.kind.0,
        parent_id: input.parent_id,
        effective_from: input.effective_from,
        effective_to: input.effective_to,
        successor_id: input.successor_id,
    })
}

/// Cây cơ quan, đơn vị tại một ngày.
#[utoipa::path(
    get, path = "/api/v1/agencies", tag = "agencies", security(("bearer" = [])),
    params(AsOfQuery),
    responses(
        (status = 200, body = AgencyTree),
        ReadErrors
    )
)]
pub async fn list_agencies(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(query): ApiQuery<AsOfQuery>,
) -> Result<ApiJson<AgencyTree>, ApiError> {
    let as_of = query
        .as_of
        .unwrap_or_else(|| vn::dates::vietnam_date(state.app.now()));
    let items = state
        .app
        .agency_tree(as_of)
        .await?
        .into_iter()
        .map(|(depth, agency)| AgencyNode {
            depth: u32::try_from(depth).unwrap_or(u32::MAX),
            agency: agency.into(),
        })
        .collect();
    Ok(ApiJson(AgencyTree { as_of, items }))
}

/// Một cơ quan.
#[utoipa::path(
    get, path = "/api/v1/agencies/{id}", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan")),
    responses(
        (status = 200, body = AgencyDto),
        ReadErrors
    )
)]
pub async fn get_agency(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<AgencyDto>, ApiError> {
    Ok(ApiJson(state.app.agency(id).await?.into()))
}

/// Tạo cơ quan, đơn vị (quản trị cơ quan cấp trên).
#[utoipa::path(
    post, path = "/api/v1/agencies", tag = "agencies", security(("bearer" = [])),
    request_body = AgencyInput,
    responses(
        (status = 201, body = AgencyDto),
        WriteErrors
    )
)]
pub async fn create_agency(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<AgencyInput>,
) -> Result<(StatusCode, ApiJson<AgencyDto>), ApiError> {
    let agency = state.app.create_agency(&user.ctx(), draft(input)?).await?;
    Ok((StatusCode::CREATED, ApiJson(agency.into())))
}

/// Sửa cơ quan, đơn vị.
#[utoipa::path(
    put, path = "/api/v1/agencies/{id}", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan")),
    request_body = AgencyInput,
    responses(
        (status = 200, body = AgencyDto),
        WriteErrors
    )
)]
pub async fn update_agency(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AgencyInput>,
) -> Result<ApiJson<AgencyDto>, ApiError> {
    Ok(ApiJson(
        state
            .app
            .update_agency(&user.ctx(), id, draft(input)?)
            .await?
            .into(),
    ))
}

/// Cán bộ của một cơ quan.
#[utoipa::path(
    get, path = "/api/v1/agencies/{id}/people", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan"), PeopleQuery),
    responses(
        (status = 200, body = Vec<PersonDto>),
        ReadErrors
    )
)]
pub async fn agency_people(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PeopleQuery>,
) -> Result<ApiJson<Vec<PersonDto>>, ApiError> {
    let people = state.app.people_of(&user.ctx(), id, query.subunits).await?;
    Ok(ApiJson(people.into_iter().map(Into::into).collect()))
}

/// The fields (lĩnh vực) documents are filed under.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldsDto {
    /// In order; empty: the list of the agency above applies.
    pub fields: Vec<String>,
}

/// Danh mục lĩnh vực văn bản của cơ quan (của chính cơ quan hoặc của cơ quan cấp trên gần nhất).
#[utoipa::path(
    get, path = "/api/v1/agencies/{id}/fields", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan")),
    responses((status = 200, body = FieldsDto), ReadErrors)
)]
pub async fn get_fields(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<FieldsDto>, ApiError> {
    state.app.agency(id).await?;
    Ok(ApiJson(FieldsDto {
        fields: state.app.fields_of(id).await?,
    }))
}

/// Đặt danh mục lĩnh vực văn bản của cơ quan (quản trị).
#[utoipa::path(
    put, path = "/api/v1/agencies/{id}/fields", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan")),
    request_body = FieldsDto,
    responses((status = 200, body = FieldsDto), WriteErrors)
)]
pub async fn put_fields(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<FieldsDto>,
) -> Result<ApiJson<FieldsDto>, ApiError> {
    state.app.agency(id).await?;
    let fields = state.app.set_fields(&user.ctx(), id, input.fields).await?;
    Ok(ApiJson(FieldsDto { fields }))
}
