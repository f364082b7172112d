//! Citizen accounts on the portal (issue 8, item 2): registering, the
//! confirmation link's page, signing in and out, "my dossiers", the
//! forgotten-password form and the reset link's page, the account page
//! (phone, address, password), and the [`Citizen`] extractor the
//! procedure page and the online form use to prefill and submit as the
//! signed-in holder.
//!
//! The portal's session cookie has its own name, so the staff's cookie
//! never reaches these lookups nor this one the staff's; both are
//! HttpOnly and SameSite=Lax, Secure when configured or when the portal's
//! address is https. Forms before a session (register, sign in) carry a
//! double-submit token, as the staff sign-in does — a forged sign-in could
//! otherwise put a citizen in someone else's account; forms after it carry
//! the session's token.

use app::AppError;
use app::services::AccountSignedIn;
use askama::Template;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::services::ApplicantKind;
use domain::services::accounts::Registration;
use serde::Deserialize;

use crate::AppState;
use crate::session::{Source, cookie, csrf_refused, same_secret, set_cookie};
use crate::ui::{error_page, page, respond};

/// The portal session's cookie; the staff's is `egov_session`.
pub const PORTAL_SESSION_COOKIE: &str = "egov_portal_session";
/// The double-submit token of the portal's forms before a session.
pub const PORTAL_CSRF_COOKIE: &str = "egov_portal_csrf";

const MY_DOSSIERS: &str = "/dich-vu-cong/ho-so-cua-toi";
const MY_ACCOUNT: &str = "/dich-vu-cong/tai-khoan";

/// The signed-in account holder, if the request carries a live portal
/// session.
#[derive(Debug, Clone)]
pub struct Citizen(pub Option<AccountSignedIn>);

impl FromRequestParts<AppState> for Citizen {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, PORTAL_SESSION_COOKIE) else {
            return Ok(Self(None));
        };
        match state.app.account_signed_in(&token).await {
            Ok(signed_in) => Ok(Self(Some(signed_in))),
            Err(AppError::Unauthenticated) => Ok(Self(None)),
            Err(err) => Err(error_page(&err)),
        }
    }
}

/// Secure cookies when the operator says so, as the staff's, or when the
/// portal is served over https.
fn secure(state: &AppState) -> bool {
    state.app.config.auth.secure_cookies
        || state.app.config.services.public_url.starts_with("https://")
}

fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for value in cookies {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// A page with a fresh double-submit token: `render` gets the token.
fn with_form_token(
    state: &AppState,
    status: StatusCode,
    render: impl FnOnce(String) -> Response,
) -> Response {
    let token = match app::auth::random_token() {
        Ok(token) => token,
        Err(err) => return error_page(&err),
    };
    let cookie = set_cookie(PORTAL_CSRF_COOKIE, &token, 3600, secure(state));
    let mut response = with_cookies(render(token), &[cookie]);
    *response.status_mut() = status;
    response
}

/// Whether a form before a session echoes the token of its cookie.
fn form_token_ok(headers: &HeaderMap, echoed: &str) -> bool {
    let expected = cookie(headers, PORTAL_CSRF_COOKIE).unwrap_or_default();
    !expected.is_empty() && same_secret(echoed, &expected)
}

/// Only the portal's own pages: never send anyone on to another site.
fn safe_next(next: &str) -> String {
    if next.starts_with("/dich-vu-cong") && !next.starts_with("//") {
        next.to_owned()
    } else {
        MY_DOSSIERS.to_owned()
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    loai: String,
    #[serde(default)]
    ho_ten: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    dien_thoai: String,
    #[serde(default)]
    cccd: String,
    #[serde(default)]
    dia_chi: String,
    #[serde(default)]
    mat_khau: String,
    #[serde(default)]
    nhap_lai: String,
}

#[derive(Template)]
#[template(path = "services_register.html")]
struct RegisterPage<'a> {
    csrf: String,
    typed: &'a RegisterForm,
    error: String,
}

#[derive(Template)]
#[template(path = "services_message.html")]
struct MessagePage {
    title: &'static str,
    message: String,
    link: &'static str,
    link_text: &'static str,
}

pub async fn register_page(State(state): State<AppState>) -> Response {
    let typed = RegisterForm::default();
    with_form_token(&state, StatusCode::OK, |csrf| {
        page(&RegisterPage {
            csrf,
            typed: &typed,
            error: String::new(),
        })
    })
}

pub async fn register(
    State(state): State<AppState>,
    Source(source): Source,
    headers: HeaderMap,
    axum::Form(form): axum::Form<RegisterForm>,
) -> Response {
    if !form_token_ok(&headers, &form.csrf) {
        return csrf_refused();
    }
    let again = |error: String| {
        with_form_token(&state, StatusCode::UNPROCESSABLE_ENTITY, |csrf| {
            page(&RegisterPage {
                csrf,
                typed: &form,
                error,
            })
        })
    };
    if form.mat_khau != form.nhap_lai {
        return again("Mật khẩu nhập lại không khớp".into());
    }
    let registration = Registration {
        kind: if form.loai == "business" {
            ApplicantKind::Business
        } else {
            ApplicantKind::Citizen
        },
        full_name: form.ho_ten.clone(),
        email: form.email.clone(),
        phone: form.dien_thoai.clone(),
        citizen_id: form.cccd.clone(),
        address: form.dia_chi.clone(),
    };
    match state
        .app
        .register_account(registration, &form.mat_khau, source)
        .await
    {
        Ok(account) => page(&MessagePage {
            title: "Đã đăng ký tài khoản",
            message: format!(
                "Chúng tôi đã gửi thư đến {}. Xin mở đường dẫn trong thư trong 24 giờ để kích hoạt tài khoản; sau đó Ông/Bà có thể đăng nhập.",
                account.email
            ),
            link: "/dich-vu-cong",
            link_text: "Về trang Dịch vụ công",
        }),
        Err(AppError::Invalid(message) | AppError::Conflict(message)) => again(message),
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    t: String,
}

#[derive(Template)]
#[template(path = "services_account_confirm.html")]
struct ConfirmPage {
    token: String,
}

/// The page the e-mailed link opens: a button confirms (a GET would let
/// mail scanners that fetch links activate the account).
pub async fn confirm_page(Query(query): Query<TokenForm>) -> Response {
    page(&ConfirmPage { token: query.t })
}

pub async fn confirm(
    State(state): State<AppState>,
    Source(source): Source,
    axum::Form(form): axum::Form<TokenForm>,
) -> Response {
    respond(
        state
            .app
            .confirm_account(&form.t, source)
            .await
            .map(|account| {
                page(&MessagePage {
                    title: "Tài khoản đã được kích hoạt",
                    message: format!(
                        "Tài khoản {} đã được kích hoạt. Ông/Bà có thể đăng nhập để nộp hồ sơ trực tuyến không cần xác nhận thư.",
                        account.email
                    ),
                    link: "/dich-vu-cong/dang-nhap",
                    link_text: "Đăng nhập",
                })
            }),
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    mat_khau: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "services_login.html")]
struct LoginPage {
    csrf: String,
    email: String,
    next: String,
    error: String,
}

fn login_page(state: &AppState, email: String, next: String, error: String) -> Response {
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    with_form_token(state, status, |csrf| {
        page(&LoginPage {
            csrf,
            email,
            next,
            error,
        })
    })
}

pub async fn login_form(State(state): State<AppState>, Query(query): Query<LoginForm>) -> Response {
    login_page(&state, String::new(), safe_next(&query.next), String::new())
}

pub async fn login(
    State(state): State<AppState>,
    Source(source): Source,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    if !form_token_ok(&headers, &form.csrf) {
        return csrf_refused();
    }
    let next = safe_next(&form.next);
    match state
        .app
        .account_login(&form.email, &form.mat_khau, source)
        .await
    {
        Ok(new) => {
            let max_age = (new.session.expires_at - new.session.created_at).whole_seconds();
            let secure = secure(&state);
            with_cookies(
                Redirect::to(&next).into_response(),
                &[
                    set_cookie(PORTAL_SESSION_COOKIE, &new.token, max_age, secure),
                    set_cookie(PORTAL_CSRF_COOKIE, "", 0, secure),
                ],
            )
        }
        Err(err @ (AppError::BadCredentials | AppError::Locked | AppError::Invalid(_))) => {
            login_page(&state, form.email, next, err.to_string())
        }
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    Source(source): Source,
    Citizen(citizen): Citizen,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let Some(signed_in) = citizen else {
        return Redirect::to("/dich-vu-cong").into_response();
    };
    if !same_secret(&form.csrf, &signed_in.session.csrf_token) {
        return csrf_refused();
    }
    if let Err(err) = state.app.account_logout(&signed_in, source).await {
        return error_page(&err);
    }
    with_cookies(
        Redirect::to("/dich-vu-cong").into_response(),
        &[set_cookie(PORTAL_SESSION_COOKIE, "", 0, secure(&state))],
    )
}

struct DossierLine {
    code: String,
    procedure: String,
    received: String,
    due: String,
    stage: &'static str,
    /// The tracking page's query, `ma=…&lien_he=…`, encoded.
    link_query: String,
}

#[derive(Template)]
#[template(path = "services_my_dossiers.html")]
struct MyDossiersPage {
    name: String,
    email: String,
    csrf: String,
    lines: Vec<DossierLine>,
}

/// To the sign-in form, coming back to `next` after it.
fn to_login(next: &str) -> Response {
    let next = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    Redirect::to(&format!("/dich-vu-cong/dang-nhap?{next}")).into_response()
}

pub async fn my_dossiers(State(state): State<AppState>, Citizen(citizen): Citizen) -> Response {
    let Some(signed_in) = citizen else {
        return to_login(MY_DOSSIERS);
    };
    respond(
        async {
            let email = signed_in.account.email.clone();
            let lines = state
                .app
                .account_dossiers(&signed_in)
                .await?
                .into_iter()
                .map(|(dossier, procedure)| DossierLine {
                    link_query: serde_urlencoded::to_string([
                        ("ma", dossier.code.as_str()),
                        ("lien_he", email.as_str()),
                    ])
                    .unwrap_or_default(),
                    received: vn::dates::format_moment(dossier.received_at),
                    due: if dossier.stage.is_received() {
                        vn::dates::format_short(dossier.appointment())
                    } else {
                        String::new()
                    },
                    stage: dossier.stage.label(),
                    code: dossier.code,
                    procedure,
                })
                .collect();
            Ok(page(&MyDossiersPage {
                name: signed_in.account.full_name.clone(),
                csrf: signed_in.session.csrf_token.clone(),
                email,
                lines,
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "services_forgot.html")]
struct ForgotPage {
    csrf: String,
    email: String,
    error: String,
}

pub async fn forgot_page(State(state): State<AppState>) -> Response {
    with_form_token(&state, StatusCode::OK, |csrf| {
        page(&ForgotPage {
            csrf,
            email: String::new(),
            error: String::new(),
        })
    })
}

/// The same answer whether or not an account has the address, and
/// whether or not a mail went out: the form must not tell who holds an
/// account.
pub async fn forgot(
    State(state): State<AppState>,
    Source(source): Source,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ForgotForm>,
) -> Response {
    if !form_token_ok(&headers, &form.csrf) {
        return csrf_refused();
    }
    if form.email.trim().is_empty() {
        return with_form_token(&state, StatusCode::UNPROCESSABLE_ENTITY, |csrf| {
            page(&ForgotPage {
                csrf,
                email: String::new(),
                error: "Xin nhập địa chỉ thư điện tử của tài khoản".into(),
            })
        });
    }
    if let Err(err) = state.app.request_password_reset(&form.email, source).await {
        return error_page(&err);
    }
    page(&MessagePage {
        title: "Đã nhận yêu cầu đặt lại mật khẩu",
        message: format!(
            "Nếu {} là địa chỉ của một tài khoản đang hoạt động, chúng tôi đã gửi đến đó một đường dẫn để đặt mật khẩu mới, có hiệu lực 1 giờ. Mỗi 5 phút chỉ gửi một thư; nếu chưa thấy thư, xin xem cả hộp thư rác.",
            form.email.trim()
        ),
        link: "/dich-vu-cong/dang-nhap",
        link_text: "Về trang đăng nhập",
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    t: String,
    #[serde(default)]
    mat_khau: String,
    #[serde(default)]
    nhap_lai: String,
}

#[derive(Template)]
#[template(path = "services_reset.html")]
struct ResetPage {
    token: String,
    email: String,
    error: String,
}

/// The page the e-mailed reset link opens: the form if the link still
/// works, else why not. Opening it uses nothing up (mail scanners fetch
/// links); only the form's post does.
pub async fn reset_page(State(state): State<AppState>, Query(query): Query<TokenForm>) -> Response {
    respond(
        state
            .app
            .password_reset_account(&query.t)
            .await
            .map(|account| {
                page(&ResetPage {
                    token: query.t,
                    email: account.email,
                    error: String::new(),
                })
            }),
    )
}

/// The link is its own proof: it carries the secret a forged post would
/// need, so the form needs no other token. A success ends every portal
/// session, this browser's included.
pub async fn reset(
    State(state): State<AppState>,
    Source(source): Source,
    axum::Form(form): axum::Form<ResetForm>,
) -> Response {
    match state
        .app
        .reset_password(&form.t, &form.mat_khau, &form.nhap_lai, source)
        .await
    {
        Ok(account) => with_cookies(
            page(&MessagePage {
                title: "Đã đặt lại mật khẩu",
                message: format!(
                    "Mật khẩu mới của tài khoản {} đã được lưu; mọi phiên đăng nhập trước đó đã kết thúc. Xin đăng nhập bằng mật khẩu mới.",
                    account.email
                ),
                link: "/dich-vu-cong/dang-nhap",
                link_text: "Đăng nhập",
            }),
            &[set_cookie(PORTAL_SESSION_COOKIE, "", 0, secure(&state))],
        ),
        Err(AppError::Invalid(error)) => {
            let email = state
                .app
                .password_reset_account(&form.t)
                .await
                .map(|a| a.email)
                .unwrap_or_default();
            let mut response = page(&ResetPage {
                token: form.t,
                email,
                error,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            response
        }
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ContactsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    dien_thoai: String,
    #[serde(default)]
    dia_chi: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    hien_tai: String,
    #[serde(default)]
    mat_khau: String,
    #[serde(default)]
    nhap_lai: String,
}

#[derive(Template)]
#[template(path = "services_account.html")]
struct AccountPage {
    csrf: String,
    kind: &'static str,
    name: String,
    email: String,
    citizen_id: String,
    phone: String,
    address: String,
    /// What was just saved, if anything.
    notice: String,
    contacts_error: String,
    password_error: String,
}

impl AccountPage {
    fn of(signed_in: &AccountSignedIn) -> Self {
        let account = &signed_in.account;
        Self {
            csrf: signed_in.session.csrf_token.clone(),
            kind: account.kind.label(),
            name: account.full_name.clone(),
            email: account.email.clone(),
            citizen_id: account.citizen_id.clone().unwrap_or_default(),
            phone: account.phone.clone(),
            address: account.address.clone().unwrap_or_default(),
            notice: String::new(),
            contacts_error: String::new(),
            password_error: String::new(),
        }
    }

    fn refused(self) -> Response {
        let mut response = page(&self);
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        response
    }
}

pub async fn account_page(Citizen(citizen): Citizen) -> Response {
    match citizen {
        Some(signed_in) => page(&AccountPage::of(&signed_in)),
        None => to_login(MY_ACCOUNT),
    }
}

pub async fn update_contacts(
    State(state): State<AppState>,
    Source(source): Source,
    Citizen(citizen): Citizen,
    axum::Form(form): axum::Form<ContactsForm>,
) -> Response {
    let Some(signed_in) = citizen else {
        return to_login(MY_ACCOUNT);
    };
    if !same_secret(&form.csrf, &signed_in.session.csrf_token) {
        return csrf_refused();
    }
    match state
        .app
        .update_account_contacts(&signed_in, &form.dien_thoai, &form.dia_chi, source)
        .await
    {
        Ok(account) => page(&AccountPage {
            notice: "Đã lưu số điện thoại và địa chỉ. Hồ sơ nộp từ nay sẽ mang thông tin mới; hồ sơ đã nộp giữ thông tin lúc nộp.".into(),
            ..AccountPage::of(&AccountSignedIn {
                account,
                session: signed_in.session.clone(),
            })
        }),
        Err(AppError::Invalid(error)) => AccountPage {
            phone: form.dien_thoai,
            address: form.dia_chi,
            contacts_error: error,
            ..AccountPage::of(&signed_in)
        }
        .refused(),
        Err(err) => error_page(&err),
    }
}

pub async fn change_password(
    State(state): State<AppState>,
    Source(source): Source,
    Citizen(citizen): Citizen,
    axum::Form(form): axum::Form<PasswordForm>,
) -> Response {
    let Some(signed_in) = citizen else {
        return to_login(MY_ACCOUNT);
    };
    if !same_secret(&form.csrf, &signed_in.session.csrf_token) {
        return csrf_refused();
    }
    let passwords = (
        form.hien_tai.as_str(),
        form.mat_khau.as_str(),
        form.nhap_lai.as_str(),
    );
    match state
        .app
        .change_account_password(&signed_in, passwords, source)
        .await
    {
        Ok(()) => page(&AccountPage {
            notice: "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.".into(),
            ..AccountPage::of(&signed_in)
        }),
        Err(err @ (AppError::Invalid(_) | AppError::Locked)) => AccountPage {
            password_error: err.to_string(),
            ..AccountPage::of(&signed_in)
        }
        .refused(),
        Err(err) => error_page(&err),
    }
}
