//! Issuing and revoking holders' certificates, and what follows from each
//! at once: the record, the audit entry, the re-signed CRL and the
//! pre-signed OCSP answer.

use der::Encode;
use domain::authz::Permission;
use domain::pki::{
    CertificateRecord, Holder, Profile, RequestId, Revocation, RevocationReason, SerialHex,
    TokenKind,
};
use pki::ocsp::CertId;
use pki::ocsp::{Status, Window};
use pki::{Serial, SubjectName};
use store::Tx;
use time::{Duration, OffsetDateTime};

use super::{Ca, ISSUING, der_error};
use crate::audit::{self, Change};
use crate::{App, AppError, Ctx};

/// What the operator issues.
#[derive(Debug, Clone)]
pub struct IssueInput {
    pub holder: Holder,
    pub profile: Profile,
    pub token: TokenKind,
    /// The PKCS #10 request made on the holder's token, PEM or DER; `None`
    /// makes the key on the CA's own PKCS #11 token (an HSM holding keys
    /// for holders who sign remotely).
    pub csr: Option<Vec<u8>>,
    /// For a TLS server certificate: its host names.
    pub dns_names: Vec<String>,
    /// The certificate this one renews or replaces.
    pub replaces: Option<SerialHex>,
    pub request: Option<RequestId>,
}

impl App {
    /// The subject a holder's certificate names, from the records: a
    /// person with their agency, or an agency with its code.
    pub(crate) async fn holder_subject(
        &self,
        holder: Holder,
    ) -> Result<(SubjectName, Option<i64>), AppError> {
        let tx = self.store.read().await?;
        let province = self.config.pki.province.clone();
        match holder {
            Holder::Person(id) => {
                let person = tx.person(id).await?.ok_or(AppError::NotFound("người"))?;
                let agency = self.agency(person.agency_id).await?;
                Ok((
                    SubjectName {
                        common_name: person.full_name,
                        organization: Some(agency.name),
                        province: Some(province),
                        country: "VN".into(),
                        email: Some(person.email),
                        ..SubjectName::default()
                    },
                    Some(person.agency_id),
                ))
            }
            Holder::Agency(id) => {
                let agency = self.agency(id).await?;
                let parent = match agency.parent_id {
                    Some(parent) => Some(self.agency(parent).await?.name),
                    None => None,
                };
                Ok((
                    SubjectName {
                        common_name: agency.name,
                        organization: parent,
                        province: Some(province),
                        country: "VN".into(),
                        identity: Some(format!("MĐĐT:{}", agency.code)),
                        ..SubjectName::default()
                    },
                    Some(id),
                ))
            }
            Holder::Service => Ok((
                SubjectName {
                    common_name: String::new(),
                    organization: Some(self.config.pki.organization.clone()),
                    province: Some(province),
                    country: "VN".into(),
                    ..SubjectName::default()
                },
                None,
            )),
        }
    }

    /// Makes a holder's key on the CA's PKCS #11 token and a CSR for it;
    /// returns the CSR and the key's URI. Only a CA whose keys are on a
    /// token can do this.
    async fn key_on_token(&self, subject: &SubjectName) -> Result<(Vec<u8>, String), AppError> {
        if self.config.pki.keys != crate::config::KeyStore::Pkcs11 {
            return Err(AppError::Invalid(
                "CA không dùng HSM nên không sinh khóa thay được: cần tệp CSR tạo trên thiết bị của người được cấp".into(),
            ));
        }
        let provider = self.key_provider()?;
        let spec: pki::KeySpec = self.config.pki.key_type.parse()?;
        let digest = super::digest_of(&self.config.pki, spec)?;
        let subject = subject.clone();
        tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, String), AppError> {
            let (key_ref, key) = provider.generate(&subject.common_name, spec)?;
            let csr = pki::csr::build(key.as_ref(), digest, &subject)?;
            Ok((csr, key_ref.to_string()))
        })
        .await
        .map_err(|e| AppError::Internal(format!("sinh khóa trên HSM: {e}")))?
    }

    /// Issues a certificate from a checked CSR (the CA operator's work).
    /// A CSR with a bad signature, a weak key or someone else's name is
    /// refused and nothing is issued.
    pub async fn issue_certificate(
        &self,
        ctx: &Ctx,
        input: IssueInput,
    ) -> Result<CertificateRecord, AppError> {
        ctx.require_anywhere(Permission::OperateCa)?;
        let mut tx = self.store.write().await?;
        let record = self.issue_in(&mut tx, ctx, input, None).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Issues inside `tx`, for callers that commit more with it.
    /// `held_key` names the key of the CSR when the CA's key store holds
    /// it (the demo's holders); with no CSR the key is made on the token.
    pub(crate) async fn issue_in(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        input: IssueInput,
        held_key: Option<String>,
    ) -> Result<CertificateRecord, AppError> {
        let (mut subject, agency) = self.holder_subject(input.holder).await?;
        let (csr, key_ref) = match &input.csr {
            Some(csr) => (csr.clone(), held_key),
            None => {
                let (csr, key_ref) = self.key_on_token(&subject).await?;
                (csr, Some(key_ref))
            }
        };
        let csr = pki::csr::check(&csr)?;
        match (input.holder, input.profile) {
            (Holder::Person(_), Profile::Personal) | (Holder::Agency(_), Profile::Organization) => {
                csr.require_subject(&subject)?;
            }
            (Holder::Service, Profile::TlsServer) => {
                let host = input.dns_names.first().ok_or_else(|| {
                    AppError::Invalid("Chứng thư máy chủ TLS cần ít nhất một tên miền".into())
                })?;
                subject.common_name.clone_from(host);
            }
            (holder, profile) => {
                return Err(AppError::Invalid(format!(
                    "Mẫu chứng thư «{}» không cấp cho {}",
                    profile.label(),
                    match holder {
                        Holder::Person(_) => "cá nhân",
                        Holder::Agency(_) => "tổ chức",
                        Holder::Service => "dịch vụ của CA",
                    }
                )));
            }
        }
        if let Some(old) = &input.replaces {
            let previous = tx
                .certificate(old)
                .await?
                .ok_or(AppError::NotFound("chứng thư được thay"))?;
            if previous.holder != input.holder {
                return Err(AppError::Invalid(
                    "Chứng thư được thay thuộc người khác".into(),
                ));
            }
        }
        let ca = self.ca().await?;
        let now = domain::to_stored_precision(self.now());
        let template = pki::Template {
            serial: Serial::random()?,
            subject: subject.to_name()?,
            public_key: csr.public_key.clone(),
            profile: input.profile,
            not_before: now - Duration::hours(1),
            not_after: now + Duration::days(i64::from(input.profile.default_days())),
            email: subject.email.clone(),
            dns_names: input.dns_names.clone(),
        };
        let certificate = ca.issuing.issue(&template)?;
        let record = CertificateRecord {
            serial: template.serial.to_string(),
            authority: ISSUING.into(),
            profile: input.profile,
            holder: input.holder,
            token: input.token,
            subject: subject.common_name.clone(),
            not_before: template.not_before,
            not_after: template.not_after,
            issued_at: now,
            replaces: input.replaces.clone(),
            revocation: None,
            key_ref,
            der: certificate.to_der().map_err(der_error)?,
        };
        tx.insert_certificate(&record, agency, input.request)
            .await?;
        self.presign_ocsp(tx, &ca, &record, now).await?;
        let change = Change {
            action: "pki.issue",
            object_type: "certificate",
            object_id: record.serial.clone(),
            before: None,
            after: Some(serde_json::json!(record)),
        };
        audit::record(tx, self, ctx, change).await?;
        Ok(record)
    }

    /// Revokes a certificate (the CA operator's work), re-signs its CA's
    /// CRL and its OCSP answer in the same transaction.
    pub async fn revoke_certificate(
        &self,
        ctx: &Ctx,
        serial: &str,
        reason: RevocationReason,
    ) -> Result<CertificateRecord, AppError> {
        ctx.require_anywhere(Permission::OperateCa)?;
        let mut tx = self.store.write().await?;
        let record = self.revoke_in(&mut tx, ctx, serial, reason).await?;
        tx.commit().await?;
        Ok(record)
    }

    pub(crate) async fn revoke_in(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        serial: &str,
        reason: RevocationReason,
    ) -> Result<CertificateRecord, AppError> {
        let serial: Serial = serial.parse()?;
        let serial = serial.to_string();
        let before = tx
            .certificate(&serial)
            .await?
            .ok_or(AppError::NotFound("chứng thư"))?;
        if before.profile.is_ca() {
            return Err(AppError::Invalid(
                "Không thu hồi chứng thư của CA bằng thao tác này".into(),
            ));
        }
        let now = domain::to_stored_precision(self.now());
        let revocation = Revocation { at: now, reason };
        if !tx.revoke_certificate(&serial, revocation).await? {
            return Err(AppError::Conflict(format!(
                "Chứng thư {serial} đã bị thu hồi trước đó"
            )));
        }
        let record = CertificateRecord {
            revocation: Some(revocation),
            ..before.clone()
        };
        let ca = self.ca().await?;
        self.sign_crl(tx, &ca, &record.authority, now).await?;
        self.presign_ocsp(tx, &ca, &record, now).await?;
        let change = Change {
            action: "pki.revoke",
            object_type: "certificate",
            object_id: serial,
            before: Some(serde_json::json!({ "revocation": null })),
            after: Some(serde_json::json!({ "revocation": revocation })),
        };
        audit::record(tx, self, ctx, change).await?;
        Ok(record)
    }

    /// A certificate by its serial (any case, colons allowed).
    pub async fn certificate(&self, serial: &str) -> Result<CertificateRecord, AppError> {
        let serial: Serial = serial.parse()?;
        self.store
            .read()
            .await?
            .certificate(&serial.to_string())
            .await?
            .ok_or(AppError::NotFound("chứng thư"))
    }

    /// Signs the next CRL of `authority` and keeps it.
    pub(crate) async fn sign_crl(
        &self,
        tx: &mut Tx,
        ca: &Ca,
        authority: &str,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        let signer = match authority {
            super::ROOT => &ca.root,
            ISSUING => &ca.issuing,
            _ => return Err(AppError::NotFound("CA")),
        };
        let current = tx
            .authority(authority)
            .await?
            .ok_or(AppError::NotFound("CA"))?;
        let revoked = tx
            .revoked_by(authority)
            .await?
            .into_iter()
            .filter_map(|c| {
                let serial = c.serial.parse().ok()?;
                let revocation = c.revocation?;
                Some(pki::crl::Revoked {
                    serial,
                    at: revocation.at,
                    reason: revocation.reason,
                })
            })
            .collect::<Vec<_>>();
        let number = current.crl_number + 1;
        let next_update = now + Duration::hours(i64::from(self.config.pki.crl_hours));
        let crl = pki::crl::build(
            signer,
            u64::try_from(number).unwrap_or(0),
            now,
            next_update,
            &revoked,
        )?;
        tx.set_crl(
            authority,
            number,
            &crl.to_der().map_err(der_error)?,
            next_update,
        )
        .await?;
        Ok(())
    }

    /// Re-signs an authority's CRL now, in its own transaction.
    pub async fn refresh_crl(&self, authority: &str) -> Result<(), AppError> {
        let ca = self.ca().await?;
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        self.sign_crl(&mut tx, &ca, authority, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The current CRL of `authority`, DER; re-signed first if it has
    /// lapsed or is in the last quarter of its life.
    pub async fn crl(&self, authority: &str) -> Result<Vec<u8>, AppError> {
        let current = self
            .store
            .read()
            .await?
            .authority(authority)
            .await?
            .ok_or(AppError::NotFound("CA"))?;
        let now = self.now();
        let margin = Duration::hours(i64::from(self.config.pki.crl_hours)) / 4;
        let fresh = current
            .crl_next_update
            .is_some_and(|next| next - margin > now);
        match current.crl {
            Some(crl) if fresh => Ok(crl),
            _ => {
                self.refresh_crl(authority).await?;
                let current = self.store.read().await?.authority(authority).await?;
                current.and_then(|a| a.crl).ok_or(AppError::NotFound("CRL"))
            }
        }
    }

    /// Signs the no-nonce OCSP answer for a certificate of the issuing CA
    /// and keeps it, so the responder can serve it with one read. It names
    /// the certificate with SHA-1 hashes, as OpenSSL and browsers ask.
    pub(crate) async fn presign_ocsp(
        &self,
        tx: &mut Tx,
        ca: &Ca,
        record: &CertificateRecord,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        if record.authority != ISSUING {
            return Ok(());
        }
        let serial: Serial = record.serial.parse()?;
        let id = cert_id(ca, &serial)?;
        let window = self.ocsp_window(now);
        let answer = ca
            .responder
            .respond(&[(id, status_of(record))], None, window)?;
        tx.put_ocsp_answer(&record.serial, &answer, window.next_update)
            .await?;
        Ok(())
    }

    pub(crate) fn ocsp_window(&self, now: OffsetDateTime) -> Window {
        Window {
            produced_at: now,
            this_update: now,
            next_update: now + Duration::hours(i64::from(self.config.pki.ocsp_hours)),
        }
    }
}

/// The OCSP status a record stands for.
pub(crate) fn status_of(record: &CertificateRecord) -> Status {
    match record.revocation {
        Some(r) => Status::Revoked {
            at: r.at,
            reason: r.reason,
        },
        None => Status::Good,
    }
}

/// The SHA-1 `CertID` of a certificate of the issuing CA.
pub(crate) fn cert_id(ca: &Ca, serial: &Serial) -> Result<CertId, AppError> {
    ca.issuing_hashes
        .sha1_cert_id(serial)
        .map_err(AppError::from)
}
