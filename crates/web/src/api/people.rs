//! `/api/v1/people`: staff and their roles.

use app::people::NewPerson;
use axum::extract::State;
use axum::http::StatusCode;
use domain::people::{PersonDraft, RoleGrant};

use super::dto::{PersonDto, PersonInput, RoleGrantDto};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ReadErrors, WriteErrors};
use crate::session::ApiUser;

fn draft(input: &PersonInput) -> PersonDraft {
    PersonDraft {
        full_name: input.full_name.clone(),
        position: input.position.clone(),
        agency_id: input.agency_id,
        email: input.email.clone(),
        phone: input.phone.clone(),
    }
}

/// Thêm cán bộ (quản trị của cơ quan).
#[utoipa::path(
    post, path = "/api/v1/people", tag = "people", security(("bearer" = [])),
    request_body = PersonInput,
    responses(
        (status = 201, body = PersonDto),
        WriteErrors
    )
)]
pub async fn create_person(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<(StatusCode, ApiJson<PersonDto>), ApiError> {
    let new = NewPerson {
        draft: draft(&input),
        roles: input.roles.iter().map(|r| r.0).collect(),
        password: input.password,
    };
    let person = state.app.create_person(&user.ctx(), new).await?;
    Ok((StatusCode::CREATED, ApiJson(person.into())))
}

/// Một cán bộ.
#[utoipa::path(
    get, path = "/api/v1/people/{id}", tag = "people", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cán bộ")),
    responses(
        (status = 200, body = PersonDto),
        ReadErrors
    )
)]
pub async fn get_person(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<PersonDto>, ApiError> {
    Ok(ApiJson(state.app.person(&user.ctx(), id).await?.into()))
}

/// Sửa thông tin cán bộ (vai trò và mật khẩu có thao tác riêng).
#[utoipa::path(
    put, path = "/api/v1/people/{id}", tag = "people", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cán bộ")),
    request_body = PersonInput,
    responses(
        (status = 200, body = PersonDto),
        WriteErrors
    )
)]
pub async fn update_person(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<ApiJson<PersonDto>, ApiError> {
    Ok(ApiJson(
        state
            .app
            .update_person(&user.ctx(), id, draft(&input))
            .await?
            .into(),
    ))
}

/// Mở khóa tài khoản bị khóa do đăng nhập sai.
#[utoipa::path(
    post, path = "/api/v1/people/{id}/unlock", tag = "people", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cán bộ")),
    responses(
        (status = 204, description = "Đã mở khóa"),
        ReadErrors
    )
)]
pub async fn unlock_person(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.unlock(&user.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Giao vai trò cho cán bộ tại một cơ quan.
#[utoipa::path(
    post, path = "/api/v1/people/{id}/roles", tag = "people", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cán bộ")),
    request_body = RoleGrantDto,
    responses(
        (status = 204, description = "Đã giao"),
        WriteErrors
    )
)]
pub async fn grant_role(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(grant): ApiJson<RoleGrantDto>,
) -> Result<StatusCode, ApiError> {
    change_role(&state, &user, id, grant, true).await
}

/// Thu hồi vai trò.
#[utoipa::path(
    delete, path = "/api/v1/people/{id}/roles", tag = "people", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cán bộ")),
    request_body = RoleGrantDto,
    responses(
        (status = 204, description = "Đã thu hồi"),
        WriteErrors
    )
)]
pub async fn revoke_role(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(grant): ApiJson<RoleGrantDto>,
) -> Result<StatusCode, ApiError> {
    change_role(&state, &user, id, grant, false).await
}

/// Grants or revokes, the one difference between the two role endpoints.
async fn change_role(
    state: &AppState,
    user: &ApiUser,
    id: i64,
    grant: RoleGrantDto,
    granted: bool,
) -> Result<StatusCode, ApiError> {
    let grant = RoleGrant {
        agency_id: grant.agency_id,
        role: grant.role.0,
    };
    state
        .app
        .change_role(&user.ctx(), id, grant, granted)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
