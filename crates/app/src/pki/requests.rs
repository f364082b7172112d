//! Certificate requests (đề nghị cấp, gia hạn, thay đổi, thu hồi chứng thư
//! số): a person asks for themself, a clerk for their agency; the agency's
//! head approves; the CA operator completes, which issues or revokes in the
//! same transaction as the request's last step.

use domain::authz::Permission;
use domain::pki::{
    CertificateRequest, Holder, Profile, RequestAction, RequestId, RequestKind, RequestState,
    RequestStep, RevocationReason, SerialHex, TokenKind,
};

use super::issue::IssueInput;
use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// What a requester fills in.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub kind: RequestKind,
    pub holder: Holder,
    pub token: TokenKind,
    /// The certificate to renew, change or revoke.
    pub certificate: Option<SerialHex>,
    pub reason: Option<RevocationReason>,
    /// PEM or DER, made on the token; required unless revoking.
    pub csr: Option<Vec<u8>>,
    pub note: String,
}

impl App {
    /// Files a request after checking everything that can be checked now,
    /// so that the requester, not the operator, learns of a bad CSR.
    pub async fn submit_certificate_request(
        &self,
        ctx: &Ctx,
        new: NewRequest,
    ) -> Result<CertificateRequest, AppError> {
        let actor = ctx.actor.as_ref().ok_or(AppError::Unauthenticated)?;
        let (profile, agency_id) = match new.holder {
            Holder::Person(id) if id == actor.person_id => (Profile::Personal, actor.agency_id),
            Holder::Person(_) => {
                return Err(AppError::Invalid(
                    "Chỉ tự đề nghị chứng thư cá nhân cho chính mình".into(),
                ));
            }
            Holder::Agency(id) => {
                // The organisation certificate is held by the clerk.
                ctx.require(Permission::RegisterDocuments, &self.lineage(id).await?)?;
                (Profile::Organization, id)
            }
            Holder::Service => {
                return Err(AppError::Invalid("Chứng thư dịch vụ do CA tự cấp".into()));
            }
        };
        ctx.require(
            Permission::RequestCertificates,
            &self.lineage(agency_id).await?,
        )?;
        let tx = self.store.read().await?;
        if new.kind.needs_certificate() {
            let serial = new
                .certificate
                .as_deref()
                .ok_or_else(|| AppError::Invalid("Cần chọn chứng thư".into()))?;
            let serial = serial.parse::<pki::Serial>()?.to_string();
            let current = tx
                .certificate(&serial)
                .await?
                .ok_or(AppError::NotFound("chứng thư"))?;
            if current.holder != new.holder || current.revocation.is_some() {
                return Err(AppError::Invalid(
                    "Chứng thư không thuộc người được cấp hoặc đã bị thu hồi".into(),
                ));
            }
        }
        drop(tx);
        let csr = match (new.kind.issues(), new.csr.filter(|c| !c.is_empty())) {
            (true, Some(csr)) => {
                let (subject, _) = self.holder_subject(new.holder).await?;
                pki::csr::check(&csr)?.require_subject(&subject)?;
                Some(csr)
            }
            // The operator will make the key on the CA's HSM.
            (true, None) if new.token == TokenKind::Hsm => None,
            (true, None) => {
                return Err(AppError::Invalid(
                    "Cần tệp yêu cầu chứng thư (CSR) tạo trên thiết bị; chỉ khi chọn HSM thì cán bộ CA sinh khóa thay".into(),
                ));
            }
            (false, _) => None,
        };
        let reason = match new.kind {
            RequestKind::Revocation => Some(
                new.reason
                    .ok_or_else(|| AppError::Invalid("Cần nêu lý do thu hồi".into()))?,
            ),
            _ => None,
        };
        let request = CertificateRequest {
            id: 0,
            kind: new.kind,
            state: RequestState::Submitted,
            holder: new.holder,
            agency_id,
            profile,
            token: new.token,
            certificate: new.certificate.map(|s| s.to_uppercase().replace(':', "")),
            reason,
            csr,
            note: vn::text::squash_spaces(&vn::text::nfc(&new.note)),
            requested_by: actor.person_id,
            requested_at: domain::to_stored_precision(self.now()),
            issued: None,
        };
        let mut tx = self.store.write().await?;
        let id = tx.insert_certificate_request(&request).await?;
        let request = CertificateRequest { id, ..request };
        let change = Change {
            action: "pki.request.submit",
            object_type: "certificate_request",
            object_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!(request)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(request)
    }

    /// Approves, rejects, cancels or completes a request. Completing
    /// issues (new, renewal, change — a change also revokes the old
    /// certificate as superseded) or revokes.
    pub async fn act_on_certificate_request(
        &self,
        ctx: &Ctx,
        id: RequestId,
        action: RequestAction,
        note: &str,
    ) -> Result<CertificateRequest, AppError> {
        let request = self.certificate_request(ctx, id).await?;
        let (permission, on_agency) = action.permission(request.state);
        if on_agency {
            ctx.require(permission, &self.lineage(request.agency_id).await?)?;
        } else {
            ctx.require_anywhere(permission)?;
        }
        if let Some(actor) = &ctx.actor {
            action
                .check_requester(actor.person_id == request.requested_by)
                .map_err(AppError::invalid)?;
        }
        let state = action.after(request.state).map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        let mut issued = None;
        if action == RequestAction::Complete {
            if request.kind.issues() {
                let input = IssueInput {
                    holder: request.holder,
                    profile: request.profile,
                    token: request.token,
                    csr: request.csr.clone(),
                    dns_names: Vec::new(),
                    replaces: request.certificate.clone(),
                    request: Some(id),
                };
                issued = Some(self.issue_in(&mut tx, ctx, input, None).await?.serial);
            }
            let old = request.certificate.as_deref();
            match (request.kind, old) {
                (RequestKind::Change, Some(old)) => {
                    self.revoke_in(&mut tx, ctx, old, RevocationReason::Superseded)
                        .await?;
                }
                (RequestKind::Revocation, Some(old)) => {
                    let reason = request.reason.unwrap_or(RevocationReason::Unspecified);
                    self.revoke_in(&mut tx, ctx, old, reason).await?;
                }
                _ => {}
            }
        }
        let step = RequestStep {
            action,
            by: ctx.actor.as_ref().map(|a| a.person_id),
            at: domain::to_stored_precision(self.now()),
            note: vn::text::squash_spaces(&vn::text::nfc(note)),
        };
        tx.set_request_state(id, state, issued.as_deref(), &step)
            .await?;
        let change = Change {
            action: "pki.request.act",
            object_type: "certificate_request",
            object_id: id.to_string(),
            before: Some(serde_json::json!({ "state": request.state })),
            after: Some(serde_json::json!({ "state": state, "action": action, "issued": issued })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        self.certificate_request(ctx, id).await
    }

    /// A request, if the actor may see it: its requester, the holder's
    /// agency's head, or a CA operator.
    pub async fn certificate_request(
        &self,
        ctx: &Ctx,
        id: RequestId,
    ) -> Result<CertificateRequest, AppError> {
        let request = self
            .store
            .read()
            .await?
            .certificate_request(id)
            .await?
            .ok_or(AppError::NotFound("yêu cầu"))?;
        if let Some(actor) = &ctx.actor {
            let own = actor.person_id == request.requested_by;
            let head = actor.may(
                Permission::ApproveCertificateRequests,
                &self.lineage(request.agency_id).await?,
            );
            let operator = !actor.roots_of(Permission::OperateCa).is_empty();
            if !(own || head || operator) {
                return Err(AppError::Forbidden);
            }
        }
        Ok(request)
    }

    /// The actions the actor may take on a request now, for its page.
    pub async fn certificate_request_actions(
        &self,
        ctx: &Ctx,
        request: &CertificateRequest,
    ) -> Result<Vec<RequestAction>, AppError> {
        let lineage = self.lineage(request.agency_id).await?;
        let mut allowed = Vec::new();
        for action in RequestAction::ALL.iter().copied() {
            if action.after(request.state).is_err() {
                continue;
            }
            let (permission, on_agency) = action.permission(request.state);
            let permitted = if on_agency {
                ctx.require(permission, &lineage).is_ok()
            } else {
                ctx.require_anywhere(permission).is_ok()
            };
            let by_requester = ctx
                .actor
                .as_ref()
                .is_some_and(|a| a.person_id == request.requested_by);
            if permitted && action.check_requester(by_requester).is_ok() {
                allowed.push(action);
            }
        }
        Ok(allowed)
    }

    /// A request's steps, oldest first.
    pub async fn certificate_request_steps(
        &self,
        ctx: &Ctx,
        id: RequestId,
    ) -> Result<Vec<RequestStep>, AppError> {
        self.certificate_request(ctx, id).await?;
        Ok(self.store.read().await?.request_steps(id).await?)
    }

    /// The requests waiting for the actor: to approve (as a head), to
    /// complete (as an operator), and their own, newest first.
    pub async fn certificate_requests_for(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<CertificateRequest>, AppError> {
        let actor = ctx.actor.as_ref().ok_or(AppError::Unauthenticated)?;
        let tx = self.store.read().await?;
        let mut found = Vec::new();
        if !actor.roots_of(Permission::OperateCa).is_empty() {
            found.extend(
                tx.certificate_requests(None, &[RequestState::Approved], 200)
                    .await?,
            );
        }
        let heads = actor.roots_of(Permission::ApproveCertificateRequests);
        if !heads.is_empty() {
            let mut agencies = Vec::new();
            for root in heads {
                agencies.extend(self.subtree(root).await?);
            }
            found.extend(
                tx.certificate_requests(Some(&agencies), &[RequestState::Submitted], 200)
                    .await?,
            );
        }
        found.extend(
            tx.certificate_requests(Some(&[actor.agency_id]), &[], 200)
                .await?
                .into_iter()
                .filter(|r| r.requested_by == actor.person_id),
        );
        found.sort_by_key(|r| std::cmp::Reverse(r.id));
        found.dedup_by_key(|r| r.id);
        Ok(found)
    }
}
