//! The certificate authority (issue 6): setting it up, keeping its keys
//! open, issuing and revoking, CRLs, OCSP answers and timestamps,
//! certificate requests, renewal reminders and the report's figures.
//!
//! Invariant: an issuance or revocation commits together with its audit
//! entry, its certificate record, the re-signed CRL and the pre-signed OCSP
//! answer, so that what relying parties see never lags the records. CA
//! keys are opened once per process from the configured provider and never
//! leave it.

mod figures;
mod issue;
mod requests;
mod responders;
mod signatures;
mod upkeep;
mod views;

use std::sync::Arc;

use domain::pki::{AuthorityRecord, CertificateRecord, Holder, Profile, TokenKind};
use pki::ocsp::{IssuerHashes, Responder};
use pki::software::SoftwareKeys;
use pki::tsa::Tsa;
use pki::{Authority, AuthorityUrls, CaKey, Certificate, Digest, KeyProvider, KeyRef, KeySpec};
use time::{Duration, OffsetDateTime};
use tokio::sync::RwLock;

use crate::audit::{Change, record};
use crate::config::{KeyStore, PkiConfig};
use crate::{App, AppError, Ctx};

pub use issue::IssueInput;
pub use requests::NewRequest;
pub(crate) use signatures::pdf_error;
pub use upkeep::Upkeep;

/// The authorities' names, in URLs (`/pki/crl/issuing.crl`) and in the
/// records.
pub const ROOT: &str = "root";
pub const ISSUING: &str = "issuing";
pub const OCSP: &str = "ocsp";
pub const TSA: &str = "tsa";

/// The TSA's policy: an arc under the province's private enterprise
/// number would be registered with IANA; until then a fixed OID under
/// egov's own arc of the test range.
const TSA_POLICY: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1.1");

/// The CA with its keys open.
pub(crate) struct Ca {
    pub root: Authority,
    pub issuing: Authority,
    pub responder: Responder,
    pub tsa: Tsa,
    /// How a `CertID` names the issuing CA.
    pub issuing_hashes: IssuerHashes,
}

/// Per-process state of the CA: opened on first use, reset by `init`.
#[derive(Default)]
pub struct PkiState {
    ca: RwLock<Option<Arc<Ca>>>,
}

impl std::fmt::Debug for PkiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PkiState").finish_non_exhaustive()
    }
}

impl From<pki::Error> for AppError {
    fn from(error: pki::Error) -> Self {
        match error {
            pki::Error::Malformed(_)
            | pki::Error::BadSignature
            | pki::Error::WeakKey(_)
            | pki::Error::Unsupported(_)
            | pki::Error::Subject(_) => Self::Invalid(error.to_string()),
            pki::Error::WrongPassphrase
            | pki::Error::WrongProvider(_)
            | pki::Error::Token(_)
            | pki::Error::Crypto(_) => Self::Internal(error.to_string()),
        }
    }
}

fn der_error(error: der::Error) -> AppError {
    AppError::Internal(format!("mã hóa DER: {error}"))
}

pub(crate) fn digest_of(config: &PkiConfig, spec: KeySpec) -> Result<Digest, AppError> {
    let digest: Digest = config.digest.parse()?;
    // ECDSA keys sign with their own digest whatever the setting says.
    Ok(if spec.is_rsa() {
        digest
    } else {
        spec.natural_digest()
    })
}

impl App {
    /// The provider the configuration names, ready to make or open keys.
    pub(crate) fn key_provider(&self) -> Result<Box<dyn KeyProvider>, AppError> {
        let config = &self.config.pki;
        match config.keys {
            KeyStore::Software => {
                if config.passphrase.expose().is_empty() {
                    return Err(AppError::Unavailable(
                        "Chưa đặt mật khẩu khóa CA: đặt biến môi trường EGOV_PKI_PASSPHRASE".into(),
                    ));
                }
                Ok(Box::new(SoftwareKeys::new(config.passphrase.expose())?))
            }
            KeyStore::Pkcs11 => Ok(Box::new(pki::pkcs11::Pkcs11Keys::new(
                &config.pkcs11.module,
                &config.pkcs11.token,
                config.pkcs11.pin.expose(),
            )?)),
        }
    }

    /// The token kind of keys this CA keeps itself.
    fn own_token(&self) -> TokenKind {
        match self.config.pki.keys {
            KeyStore::Software => TokenKind::Software,
            KeyStore::Pkcs11 => TokenKind::Hsm,
        }
    }

    /// The CA with its keys open, opening them on first use.
    pub(crate) async fn ca(&self) -> Result<Arc<Ca>, AppError> {
        if let Some(ca) = self.pki.ca.read().await.as_ref() {
            return Ok(ca.clone());
        }
        let mut slot = self.pki.ca.write().await;
        if let Some(ca) = slot.as_ref() {
            return Ok(ca.clone());
        }
        let records = self.store.read().await?.authorities().await?;
        if records.is_empty() {
            return Err(AppError::Unavailable(
                "CA chưa được khởi tạo: chạy «egov pki init»".into(),
            ));
        }
        let provider = self.key_provider()?;
        let urls = self.config.pki.public_url.clone();
        let ca = tokio::task::spawn_blocking(move || open_ca(provider.as_ref(), &records, &urls))
            .await
            .map_err(|e| AppError::Internal(format!("mở khóa CA: {e}")))??;
        let ca = Arc::new(ca);
        *slot = Some(ca.clone());
        Ok(ca)
    }

    /// The CA's authorities as recorded (certificates, not keys), the root
    /// first, then the issuing CA, the OCSP responder and the TSA.
    pub async fn authorities(&self) -> Result<Vec<AuthorityRecord>, AppError> {
        let mut authorities = self.store.read().await?.authorities().await?;
        authorities.sort_by_key(|a| Profile::ALL.iter().position(|p| *p == a.profile));
        Ok(authorities)
    }

    /// Sets up the CA: a root, an issuing CA under it, and the OCSP
    /// responder's and TSA's certificates from the issuing CA, with keys of
    /// the configured type in the configured provider; then the first CRLs.
    /// Refused if a CA exists.
    pub async fn pki_init(&self, ctx: &Ctx) -> Result<Vec<AuthorityRecord>, AppError> {
        ctx.require_anywhere(domain::authz::Permission::OperateCa)?;
        if !self.authorities().await?.is_empty() {
            return Err(AppError::Conflict("CA đã được khởi tạo".into()));
        }
        let provider = self.key_provider()?;
        let config = self.config.pki.clone();
        let now = domain::to_stored_precision(self.now());
        let token = self.own_token();
        let made = tokio::task::spawn_blocking(move || create_ca(provider.as_ref(), &config, now))
            .await
            .map_err(|e| AppError::Internal(format!("khởi tạo CA: {e}")))??;
        let mut tx = self.store.write().await?;
        for (authority, certificate) in &made {
            tx.insert_authority(authority).await?;
            let record = service_record(authority, certificate, token)?;
            tx.insert_certificate(&record, None, None).await?;
        }
        let change = Change {
            action: "pki.init",
            object_type: "pki_authority",
            object_id: ROOT.into(),
            before: None,
            after: Some(serde_json::json!(
                made.iter().map(|(a, _)| &a.name).collect::<Vec<_>>()
            )),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        *self.pki.ca.write().await = None;
        for name in [ROOT, ISSUING] {
            self.refresh_crl(name).await?;
        }
        self.authorities().await
    }

    /// An authority's certificate, DER, for `/pki/ca/<name>.crt`.
    pub async fn authority_certificate(&self, name: &str) -> Result<Vec<u8>, AppError> {
        self.store
            .read()
            .await?
            .authority(name)
            .await?
            .map(|a| a.certificate)
            .ok_or(AppError::NotFound("CA"))
    }
}

/// The record of one of the CA's own certificates.
fn service_record(
    authority: &AuthorityRecord,
    certificate: &Certificate,
    token: TokenKind,
) -> Result<CertificateRecord, AppError> {
    let tbs = &certificate.tbs_certificate;
    Ok(CertificateRecord {
        serial: pki::Serial::of(&tbs.serial_number)?.to_string(),
        authority: authority
            .parent
            .clone()
            .unwrap_or_else(|| authority.name.clone()),
        profile: authority.profile,
        holder: Holder::Service,
        token,
        subject: pki::name::common_name(&tbs.subject).unwrap_or_default(),
        not_before: pki::cert::offset_time(&tbs.validity.not_before),
        not_after: pki::cert::offset_time(&tbs.validity.not_after),
        issued_at: authority.created_at,
        replaces: None,
        revocation: None,
        key_ref: Some(authority.key_ref.clone()),
        der: authority.certificate.clone(),
    })
}

/// Makes the keys and certificates of a new CA (blocking: key generation).
fn create_ca(
    provider: &dyn KeyProvider,
    config: &PkiConfig,
    now: OffsetDateTime,
) -> Result<Vec<(AuthorityRecord, Certificate)>, AppError> {
    use der::Encode;
    let spec: KeySpec = config.key_type.parse()?;
    let digest = digest_of(config, spec)?;
    let subject = |common_name: &str| pki::SubjectName {
        common_name: common_name.to_owned(),
        organization: Some(config.organization.clone()),
        province: Some(config.province.clone()),
        country: "VN".into(),
        ..pki::SubjectName::default()
    };
    let template = |name: pki::SubjectName,
                    key: &dyn CaKey,
                    profile: Profile|
     -> Result<pki::Template, AppError> {
        Ok(pki::Template {
            serial: pki::Serial::random()?,
            subject: name.to_name()?,
            public_key: key.public_key().clone(),
            profile,
            // A little in the past, so that a relying party whose clock is
            // behind still accepts the certificate.
            not_before: now - Duration::hours(1),
            not_after: now + Duration::days(i64::from(profile.default_days())),
            email: None,
            dns_names: Vec::new(),
        })
    };
    let (root_ref, root_key) = provider.generate("egov root CA", spec)?;
    let root_cert = pki::cert::self_signed(
        root_key.as_ref(),
        digest,
        &template(subject(&config.root_name), root_key.as_ref(), Profile::Root)?,
    )?;
    let root = Authority {
        certificate: root_cert,
        key: root_key,
        digest,
        urls: Some(AuthorityUrls::under(&config.public_url, ROOT)),
    };
    let (issuing_ref, issuing_key) = provider.generate("egov issuing CA", spec)?;
    let issuing_cert = root.issue(&template(
        subject(&config.ca_name),
        issuing_key.as_ref(),
        Profile::IssuingCa,
    )?)?;
    let issuing = Authority {
        certificate: issuing_cert.clone(),
        key: issuing_key,
        digest,
        urls: Some(AuthorityUrls::under(&config.public_url, ISSUING)),
    };
    let mut made = Vec::new();
    let mut push = |name: &str,
                    profile,
                    parent: Option<&str>,
                    key: &KeyRef,
                    certificate: Certificate|
     -> Result<(), AppError> {
        made.push((
            AuthorityRecord {
                name: name.into(),
                profile,
                parent: parent.map(str::to_owned),
                key_ref: key.to_string(),
                digest: digest.name().into(),
                certificate: certificate.to_der().map_err(der_error)?,
                crl_number: 0,
                crl: None,
                crl_next_update: None,
                created_at: now,
            },
            certificate,
        ));
        Ok(())
    };
    push(
        ROOT,
        Profile::Root,
        None,
        &root_ref,
        root.certificate.clone(),
    )?;
    push(
        ISSUING,
        Profile::IssuingCa,
        Some(ROOT),
        &issuing_ref,
        issuing_cert,
    )?;
    for (name, profile, label) in [
        (OCSP, Profile::Ocsp, format!("OCSP — {}", config.ca_name)),
        (
            TSA,
            Profile::Timestamping,
            format!("TSA — {}", config.ca_name),
        ),
    ] {
        let (key_ref, key) = provider.generate(&label, spec)?;
        let certificate = issuing.issue(&template(subject(&label), key.as_ref(), profile)?)?;
        push(name, profile, Some(ISSUING), &key_ref, certificate)?;
    }
    Ok(made)
}

/// Opens the recorded authorities' keys (blocking: Argon2 or the token).
fn open_ca(
    provider: &dyn KeyProvider,
    records: &[AuthorityRecord],
    public_url: &str,
) -> Result<Ca, AppError> {
    use der::Decode;
    let open = |name: &str| -> Result<(Certificate, Box<dyn CaKey>, Digest), AppError> {
        let record = records
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| AppError::Internal(format!("thiếu CA «{name}» trong cơ sở dữ liệu")))?;
        let certificate = Certificate::from_der(&record.certificate).map_err(der_error)?;
        let key = provider.open(&KeyRef::parse(&record.key_ref)?)?;
        if key.public_key() != &certificate.tbs_certificate.subject_public_key_info {
            return Err(AppError::Internal(format!(
                "khóa của CA «{name}» không khớp chứng thư"
            )));
        }
        Ok((certificate, key, record.digest.parse()?))
    };
    let authority = |name: &str| -> Result<Authority, AppError> {
        let (certificate, key, digest) = open(name)?;
        Ok(Authority {
            certificate,
            key,
            digest,
            urls: Some(AuthorityUrls::under(public_url, name)),
        })
    };
    let root = authority(ROOT)?;
    let issuing = authority(ISSUING)?;
    let (certificate, key, digest) = open(OCSP)?;
    let responder = Responder {
        certificate,
        key,
        digest,
    };
    let (certificate, key, digest) = open(TSA)?;
    let tsa = Tsa {
        certificate,
        key,
        digest,
        policy: TSA_POLICY,
    };
    let issuing_hashes = IssuerHashes::of(&issuing.certificate)?;
    Ok(Ca {
        root,
        issuing,
        responder,
        tsa,
        issuing_hashes,
    })
}
