//! The certificate pages under `/app/pki`: one's certificates and requests
//! with the forms to ask for a certificate, its renewal, change or
//! revocation; a request's page with the head's and the operator's
//! buttons; a certificate's page with its PEM and, for the operator, the
//! revocation form; and the operator's desk (the CA, issuing from a CSR,
//! the month's figures).

use app::AppError;
use app::pki::{IssueInput, NewRequest};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::authz::Permission;
use domain::pki::{
    CertificateFigures, CertificateRecord, CertificateRequest, Holder, Profile, RequestAction,
    RequestKind, RevocationReason, TokenKind,
};
use serde::Deserialize;

use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};
use crate::upload::UiUpload;

struct CertificateLine {
    serial: String,
    subject: String,
    profile: &'static str,
    token: &'static str,
    until: String,
    status: &'static str,
}

fn certificate_lines(
    records: Vec<CertificateRecord>,
    now: time::OffsetDateTime,
) -> Vec<CertificateLine> {
    records
        .into_iter()
        .map(|c| CertificateLine {
            status: c.status_at(now).label(),
            profile: c.profile.label(),
            token: c.token.label(),
            until: vn::dates::format_short(vn::dates::vietnam_date(c.not_after)),
            serial: c.serial,
            subject: c.subject,
        })
        .collect()
}

struct RequestLine {
    id: i64,
    kind: &'static str,
    state: &'static str,
    holder: String,
    at: String,
}

#[derive(Template)]
#[template(path = "pki.html")]
struct PkiPage {
    chrome: Chrome,
    certificates: Vec<CertificateLine>,
    requests: Vec<RequestLine>,
    reminders: Vec<(String, String)>,
    /// Whom one may ask for: oneself, and the agencies whose clerk one is.
    holders: Vec<(String, String)>,
    own_serials: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    tokens: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    operator: bool,
    authorities: Vec<(String, &'static str, String)>,
    figures: Option<(String, CertificateFigures)>,
}

async fn holder_name(state: &AppState, holder: Holder) -> Result<String, AppError> {
    Ok(match holder {
        Holder::Person(id) => state
            .app
            .store
            .read()
            .await?
            .person(id)
            .await?
            .map(|p| p.full_name)
            .unwrap_or_default(),
        Holder::Agency(id) => state.app.agency(id).await?.name,
        Holder::Service => "Dịch vụ của CA".into(),
    })
}

async fn request_lines(
    state: &AppState,
    requests: Vec<CertificateRequest>,
) -> Result<Vec<RequestLine>, AppError> {
    let mut lines = Vec::with_capacity(requests.len());
    for r in requests {
        lines.push(RequestLine {
            id: r.id,
            kind: r.kind.label(),
            state: r.state.label(),
            holder: holder_name(state, r.holder).await?,
            at: vn::dates::format_timestamp(r.requested_at),
        });
    }
    Ok(lines)
}

pub async fn show(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let me = &user.signed_in.person;
            let now = state.app.now();
            let certificates = state.app.certificates_for(&ctx, 0, 200).await?;
            let own_serials = certificates
                .iter()
                .filter(|c| {
                    c.revocation.is_none()
                        && c.status_at(now) == domain::pki::CertificateStatus::Valid
                })
                .map(|c| {
                    (
                        c.serial.clone(),
                        format!("{} — {} ({})", c.serial, c.subject, c.profile.label()),
                    )
                })
                .collect();
            let mut holders = vec![(
                format!("person:{}", me.id),
                format!("{} (cá nhân)", me.full_name),
            )];
            for root in ctx
                .actor
                .as_ref()
                .map(|a| a.roots_of(Permission::RegisterDocuments))
                .unwrap_or_default()
            {
                holders.push((
                    format!("agency:{root}"),
                    format!("{} (tổ chức)", state.app.agency(root).await?.name),
                ));
            }
            let operator = ctx.require_anywhere(Permission::OperateCa).is_ok();
            let (authorities, figures) = if operator {
                let authorities = state
                    .app
                    .authorities()
                    .await?
                    .into_iter()
                    .map(|a| {
                        (
                            a.name.clone(),
                            a.profile.label(),
                            format!("/pki/ca/{}.crt", a.name),
                        )
                    })
                    .collect();
                let today = vn::dates::vietnam_date(now);
                let first = today.replace_day(1).unwrap_or(today);
                let label = format!(
                    "Từ {} đến {}",
                    vn::dates::format_short(first),
                    vn::dates::format_short(today)
                );
                (
                    authorities,
                    Some((
                        label,
                        state.app.certificate_figures(&ctx, (first, today)).await?,
                    )),
                )
            } else {
                (Vec::new(), None)
            };
            Ok(page(&PkiPage {
                chrome: Chrome::new(&user, "Chứng thư số", "/app/pki"),
                certificates: certificate_lines(certificates, now),
                requests: request_lines(&state, state.app.certificate_requests_for(&ctx).await?)
                    .await?,
                reminders: state.app.my_certificate_reminders(&ctx).await?,
                holders,
                own_serials,
                kinds: [RequestKind::New, RequestKind::Renewal, RequestKind::Change]
                    .iter()
                    .map(|k| (k.as_str(), k.label()))
                    .collect(),
                tokens: TokenKind::ALL
                    .iter()
                    .map(|t| (t.as_str(), t.label()))
                    .collect(),
                reasons: RevocationReason::ALL
                    .iter()
                    .map(|r| (r.as_str(), r.label()))
                    .collect(),
                operator,
                authorities,
                figures,
            }))
        }
        .await,
    )
}

fn parse_holder(text: &str) -> Result<Holder, AppError> {
    let bad = || AppError::Invalid("Người được cấp không hợp lệ".into());
    let (kind, id) = text.split_once(':').ok_or_else(bad)?;
    Holder::from_parts(kind, Some(id.parse().map_err(|_| bad())?)).ok_or_else(bad)
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A request that issues (new, renewal, change), with its CSR file.
pub async fn submit(State(state): State<AppState>, upload: UiUpload) -> Response {
    respond(
        async {
            let new = NewRequest {
                kind: upload.field("kind").parse().map_err(AppError::invalid)?,
                holder: parse_holder(upload.field("holder"))?,
                token: upload.field("token").parse().map_err(AppError::invalid)?,
                certificate: optional(upload.field("certificate")),
                reason: None,
                csr: Some(upload.bytes.to_vec()),
                note: upload.field("note").to_owned(),
            };
            let request = state
                .app
                .submit_certificate_request(&upload.user.ctx(), new)
                .await?;
            Ok(Redirect::to(&format!("/app/pki/requests/{}", request.id)).into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct RevocationForm {
    certificate: String,
    reason: String,
    #[serde(default)]
    note: String,
}

/// A request to revoke one's (or one's agency's) certificate.
pub async fn submit_revocation(
    State(state): State<AppState>,
    form: UiForm<RevocationForm>,
) -> Response {
    respond(
        async {
            let ctx = form.user.ctx();
            let f = &form.form;
            let certificate = state.app.certificate(&f.certificate).await?;
            let new = NewRequest {
                kind: RequestKind::Revocation,
                holder: certificate.holder,
                token: certificate.token,
                certificate: Some(certificate.serial),
                reason: Some(f.reason.parse().map_err(AppError::invalid)?),
                csr: None,
                note: f.note.clone(),
            };
            let request = state.app.submit_certificate_request(&ctx, new).await?;
            Ok(Redirect::to(&format!("/app/pki/requests/{}", request.id)).into_response())
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "pki_request.html")]
struct RequestPage {
    chrome: Chrome,
    r: CertificateRequest,
    kind: &'static str,
    state: &'static str,
    holder: String,
    token: &'static str,
    reason: &'static str,
    steps: Vec<(String, &'static str, String, String)>,
    actions: Vec<(&'static str, &'static str)>,
}

pub async fn request(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let r = state.app.certificate_request(&ctx, id).await?;
            let actions = state.app.certificate_request_actions(&ctx, &r).await?;
            let mut steps = Vec::new();
            for s in state.app.certificate_request_steps(&ctx, id).await? {
                let by = match s.by {
                    Some(person) => holder_name(&state, Holder::Person(person)).await?,
                    None => "Hệ thống".into(),
                };
                steps.push((
                    vn::dates::format_timestamp(s.at),
                    s.action.label(),
                    by,
                    s.note,
                ));
            }
            Ok(page(&RequestPage {
                chrome: Chrome::new(&user, format!("Yêu cầu chứng thư số {id}"), "/app/pki"),
                kind: r.kind.label(),
                state: r.state.label(),
                holder: holder_name(&state, r.holder).await?,
                token: r.token.label(),
                reason: r.reason.map_or("", RevocationReason::label),
                steps,
                actions: actions.iter().map(|a| (a.as_str(), a.label())).collect(),
                r,
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    note: String,
}

pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<ActionForm>,
) -> Response {
    respond(
        async {
            let action: RequestAction = form.form.action.parse().map_err(AppError::invalid)?;
            state
                .app
                .act_on_certificate_request(&form.user.ctx(), id, action, &form.form.note)
                .await?;
            Ok(Redirect::to(&format!("/app/pki/requests/{id}")).into_response())
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "pki_certificate.html")]
struct CertificatePage {
    chrome: Chrome,
    c: CertificateRecord,
    profile: &'static str,
    token: &'static str,
    status: &'static str,
    holder: String,
    from: String,
    until: String,
    revoked: String,
    pem: String,
    operator: bool,
    reasons: Vec<(&'static str, &'static str)>,
}

pub async fn certificate(
    State(state): State<AppState>,
    user: UiUser,
    Path(serial): Path<String>,
) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let c = state.app.certificate(&serial).await?;
            let now = state.app.now();
            Ok(page(&CertificatePage {
                chrome: Chrome::new(&user, format!("Chứng thư số {}", c.serial), "/app/pki"),
                profile: c.profile.label(),
                token: c.token.label(),
                status: c.status_at(now).label(),
                holder: holder_name(&state, c.holder).await?,
                from: vn::dates::format_timestamp(c.not_before),
                until: vn::dates::format_timestamp(c.not_after),
                revoked: c.revocation.map_or_else(String::new, |r| {
                    format!(
                        "{} — {}",
                        vn::dates::format_timestamp(r.at),
                        r.reason.label()
                    )
                }),
                pem: pki::pem::encode("CERTIFICATE", &c.der).unwrap_or_default(),
                operator: ctx.require_anywhere(Permission::OperateCa).is_ok() && !c.profile.is_ca(),
                reasons: RevocationReason::ALL
                    .iter()
                    .map(|r| (r.as_str(), r.label()))
                    .collect(),
                c,
            }))
        }
        .await,
    )
}

pub async fn certificate_pem(
    State(state): State<AppState>,
    _user: UiUser,
    Path(serial): Path<String>,
) -> Response {
    respond(
        async {
            let c = state.app.certificate(&serial).await?;
            let pem = pki::pem::encode("CERTIFICATE", &c.der)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(crate::download(
                &format!("{}.pem", c.serial),
                "application/x-pem-file",
                pem.into_bytes().into(),
            ))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    reason: String,
    /// The checkbox that says the operator means it.
    #[serde(default)]
    confirm: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(serial): Path<String>,
    form: UiForm<RevokeForm>,
) -> Response {
    respond(
        async {
            if form.form.confirm != "yes" {
                return Err(AppError::Invalid("Hãy đánh dấu xác nhận thu hồi".into()));
            }
            let reason = form.form.reason.parse().map_err(AppError::invalid)?;
            let c = state
                .app
                .revoke_certificate(&form.user.ctx(), &serial, reason)
                .await?;
            Ok(Redirect::to(&format!("/app/pki/certificates/{}", c.serial)).into_response())
        }
        .await,
    )
}

/// The operator issues from a CSR file, for a person (by e-mail) or an
/// agency (by code).
pub async fn issue(State(state): State<AppState>, upload: UiUpload) -> Response {
    respond(
        async {
            let profile: Profile = upload.field("profile").parse().map_err(AppError::invalid)?;
            let holder_text = upload.field("holder").trim();
            let holder = match profile {
                Profile::Personal => {
                    Holder::Person(state.app.person_by_email(holder_text).await?.id)
                }
                Profile::Organization => {
                    let code = holder_text.parse().map_err(AppError::invalid)?;
                    Holder::Agency(state.app.agency_by_code(&code).await?.id)
                }
                _ => {
                    return Err(AppError::Invalid(
                        "Chỉ cấp mẫu cá nhân hoặc tổ chức ở đây".into(),
                    ));
                }
            };
            let input = IssueInput {
                holder,
                profile,
                token: upload.field("token").parse().map_err(AppError::invalid)?,
                csr: Some(upload.bytes.to_vec()),
                dns_names: Vec::new(),
                replaces: None,
                request: None,
            };
            let c = state
                .app
                .issue_certificate(&upload.user.ctx(), input)
                .await?;
            Ok(Redirect::to(&format!("/app/pki/certificates/{}", c.serial)).into_response())
        }
        .await,
    )
}
