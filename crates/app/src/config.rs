//! Configuration: defaults, then `egov.toml`, then `EGOV_*` variables, then
//! command-line flags (applied by the caller).
//!
//! Invariant: an unknown key in the file or an unknown `EGOV_*` variable is
//! an error, not silently ignored, so that a typo never runs production on
//! defaults. Secrets (database URL, storage keys) never appear in `Debug`.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A value that must not be logged.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("«ẩn»")
    }
}

/// All settings of one egov process.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `postgres://...` or `sqlite://...`; unset means `<data_dir>/egov.db`.
    pub database_url: Option<Secret>,
    pub listen: SocketAddr,
    /// Holds the SQLite database and the local blob store.
    pub data_dir: PathBuf,
    pub auth: AuthConfig,
    pub files: FilesConfig,
    pub log: LogConfig,
    pub pki: PkiConfig,
    pub services: ServicesConfig,
    pub mail: MailConfig,
}

/// Official e-mail: where egov writes the mail server's account directory
/// (a Dovecot passwd-file and Postfix's address and alias tables, see
/// `scripts/mail-server.sh`) and how the server is told to re-read it;
/// and how egov's own e-mail leaves it (`app::mail::transport`): an SMTP
/// server when `smtp_url` is set, else the pickup folder of
/// `services.notice_pickup_dir`, else mails wait in the outbox.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// The folder of the directory files; unset, provisioning waits.
    pub directory: Option<PathBuf>,
    /// Run after each write, words split on spaces, e.g. `postfix reload`
    /// (Postfix reads `texthash:` tables only when it starts; Dovecot
    /// re-reads its passwd-file by itself).
    pub reload_command: Option<String>,
    /// The key Dovecot sends (`X-API-Key`) when it asks egov, its
    /// authentication policy server, about a sign-in; empty, the policy
    /// endpoint is off. Set it with `EGOV_MAIL_POLICY_KEY`.
    pub policy_key: Secret,
    /// `smtp://host:port` (plain), `smtp+starttls://host:587` or
    /// `smtps://host:465`, with an optional `user:password@`. A secret:
    /// it may carry the password. Set it with `EGOV_SMTP_URL`.
    pub smtp_url: Option<Secret>,
    /// The sender's address; unset, `no-reply@` the host of
    /// `services.public_url`.
    pub from: Option<String>,
}

/// Public services: the portal's address in notices to applicants, where
/// those notices go, the payment gateway, and the national portal the
/// dossiers are synchronised to.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ServicesConfig {
    /// The portal's address as applicants reach it, for the links in
    /// notices (the e-mail confirmation, tracking).
    pub public_url: String,
    /// A pickup folder: each notice to an applicant is written there as
    /// an RFC 5322 message (`.eml`) for a mail server's pickup service to
    /// send. Unset: notices wait in the database.
    pub notice_pickup_dir: Option<PathBuf>,
    pub payment: PaymentConfig,
    /// Where `DongBoHoSoMC` and `CapNhatTienDoHoSoMC` records are POSTed
    /// (the portal's, or the province's integration platform's, `http://`
    /// endpoint); unset, records wait in the outbox.
    pub portal_sync_url: Option<String>,
    /// The portal's session token, sent as `session` in each body (as
    /// opencps-v2 does). Set it with `EGOV_PORTAL_SYNC_TOKEN`.
    pub portal_sync_token: Secret,
}

/// The payment gateway fees are paid through online.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentConfig {
    /// The gateway's payment page; empty: no online payment (fees are
    /// paid at the desk).
    pub gateway_url: String,
    /// egov's merchant code at the gateway.
    pub merchant: String,
    /// The key both sides sign their messages with. Set it with
    /// `EGOV_PAYMENT_SECRET` rather than in the file.
    pub secret: Secret,
    /// Serve egov's own test gateway at `/cong-thanh-toan-thu`, which
    /// behaves as a real one (signed redirect, server-to-server
    /// notification) but moves no money: for the demo and the tests only.
    pub test_gateway: bool,
}

impl PaymentConfig {
    /// egov's own test gateway (demo and tests).
    pub fn test() -> Self {
        Self {
            gateway_url: "/cong-thanh-toan-thu".into(),
            merchant: "EGOVTRAVINH".into(),
            secret: Secret::new("cổng thanh toán thử nghiệm của egov"),
            test_gateway: true,
        }
    }
}

impl Default for ServicesConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            notice_pickup_dir: None,
            payment: PaymentConfig::default(),
            portal_sync_url: None,
            portal_sync_token: Secret::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// Failed sign-ins in a row that lock an account.
    pub max_failures: u32,
    /// Minutes a lock lasts unless an administrator lifts it.
    pub lock_minutes: u32,
    /// Hours a browser session lasts.
    pub session_hours: u32,
    /// Days an API token lasts.
    pub api_token_days: u32,
    /// Set the cookie's `Secure` flag (on when egov is served over HTTPS,
    /// including behind a TLS-terminating proxy).
    pub secure_cookies: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct FilesConfig {
    /// Largest upload accepted, in MiB (the province's mail rule: 30).
    pub max_upload_mib: u32,
    /// Where blobs live: `local` (under the data folder) or `s3`.
    pub backend: BlobBackend,
    pub s3: S3Config,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum BlobBackend {
    #[default]
    Local,
    S3,
}

/// An S3-compatible bucket (AWS, MinIO, Ceph, a government cloud).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// Plain HTTP, for a bucket on the same private network.
    pub allow_http: bool,
}

/// The certificate authority.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PkiConfig {
    /// Where relying parties reach egov's `/pki/...` endpoints; written
    /// into every certificate (CRL distribution point, OCSP, CA issuers).
    pub public_url: String,
    /// Where CA keys live: `software` (sealed under `passphrase`) or
    /// `pkcs11` (on the token `pkcs11` names).
    pub keys: KeyStore,
    /// Seals software CA keys; at least 12 characters. Set it with
    /// `EGOV_PKI_PASSPHRASE` rather than in the file.
    pub passphrase: Secret,
    pub pkcs11: Pkcs11Config,
    /// The CA keys' type: `rsa2048`, `rsa3072`, `rsa4096`, `p256`, `p384`.
    pub key_type: String,
    /// `sha256` or `sha384` (ECDSA keys use their own size).
    pub digest: String,
    pub root_name: String,
    pub ca_name: String,
    pub organization: String,
    pub province: String,
    /// Hours a CRL is valid; it is re-signed on every revocation anyway.
    pub crl_hours: u32,
    /// Hours a pre-signed OCSP answer is valid.
    pub ocsp_hours: u32,
    /// Days before expiry that holders are reminded to renew.
    pub reminder_days: u32,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum KeyStore {
    #[default]
    Software,
    Pkcs11,
}

/// A PKCS #11 token: the vendor's module, the token's label, the user PIN.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Pkcs11Config {
    pub module: PathBuf,
    pub token: String,
    /// Set it with `EGOV_PKI_PIN` rather than in the file.
    pub pin: Secret,
}

impl Default for PkiConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            keys: KeyStore::Software,
            passphrase: Secret::default(),
            pkcs11: Pkcs11Config::default(),
            key_type: "rsa3072".into(),
            digest: "sha256".into(),
            root_name: "Trà Vinh Public Service Root CA".into(),
            ca_name: "Trà Vinh Public Service CA".into(),
            organization: "Sở Thông tin và Truyền thông tỉnh Trà Vinh".into(),
            province: "Trà Vinh".into(),
            crl_hours: 24,
            ocsp_hours: 12,
            reminder_days: 30,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
    /// A `tracing` filter, e.g. `info` or `egov=debug,sqlx=warn`.
    pub filter: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("egov-data"),
            auth: AuthConfig::default(),
            files: FilesConfig::default(),
            log: LogConfig::default(),
            pki: PkiConfig::default(),
            services: ServicesConfig::default(),
            mail: MailConfig::default(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            max_failures: 12,
            lock_minutes: 30,
            session_hours: 12,
            api_token_days: 30,
            secure_cookies: false,
        }
    }
}

impl Default for FilesConfig {
    fn default() -> Self {
        Self {
            max_upload_mib: 30,
            backend: BlobBackend::Local,
            s3: S3Config::default(),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "info".into(),
        }
    }
}

/// Why configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("không đọc được tệp cấu hình {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("tệp cấu hình {path} không hợp lệ: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("biến môi trường {name} không được hỗ trợ")]
    UnknownVariable { name: String },
    #[error("biến môi trường {name} không hợp lệ: {message}")]
    BadVariable { name: String, message: String },
}

impl Config {
    /// Reads `file` if given (it must exist) or `./egov.toml` if present,
    /// then applies the `EGOV_*` variables in `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let default_file = Path::new("egov.toml");
        let path = file.or_else(|| default_file.exists().then_some(default_file));
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?
            }
            None => Self::default(),
        };
        for (name, value) in env {
            config.apply_variable(&name, value)?;
        }
        Ok(config)
    }

    fn apply_variable(&mut self, name: &str, value: String) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::BadVariable {
            name: name.to_owned(),
            message,
        };
        match name {
            "EGOV_DATABASE_URL" => {
                self.database_url = Some(Secret(value)).filter(|s| !s.0.is_empty());
            }
            "EGOV_LISTEN" => self.listen = value.parse().map_err(|e| bad(format!("{e}")))?,
            "EGOV_DATA_DIR" => self.data_dir = PathBuf::from(value),
            "EGOV_LOG" => self.log.filter = value,
            "EGOV_LOG_FORMAT" => {
                self.log.format = match value.as_str() {
                    "text" => LogFormat::Text,
                    "json" => LogFormat::Json,
                    _ => return Err(bad("phải là text hoặc json".into())),
                }
            }
            "EGOV_SECURE_COOKIES" => {
                self.auth.secure_cookies = matches!(value.as_str(), "1" | "true" | "yes");
            }
            "EGOV_S3_SECRET_ACCESS_KEY" => self.files.s3.secret_access_key = Secret(value),
            "EGOV_PKI_PASSPHRASE" => self.pki.passphrase = Secret(value),
            "EGOV_PKI_PIN" => self.pki.pkcs11.pin = Secret(value),
            "EGOV_PKI_PUBLIC_URL" => self.pki.public_url = value,
            "EGOV_SERVICES_PUBLIC_URL" => self.services.public_url = value,
            "EGOV_PAYMENT_SECRET" => self.services.payment.secret = Secret(value),
            "EGOV_NOTICE_PICKUP_DIR" => {
                self.services.notice_pickup_dir =
                    Some(PathBuf::from(value)).filter(|p| !p.as_os_str().is_empty());
            }
            "EGOV_PORTAL_SYNC_URL" => {
                self.services.portal_sync_url = Some(value).filter(|v| !v.is_empty());
            }
            "EGOV_PORTAL_SYNC_TOKEN" => self.services.portal_sync_token = Secret(value),
            "EGOV_MAIL_DIRECTORY" => self.mail.directory = Some(PathBuf::from(value)),
            "EGOV_MAIL_RELOAD_COMMAND" => self.mail.reload_command = Some(value),
            "EGOV_MAIL_POLICY_KEY" => self.mail.policy_key = Secret(value),
            "EGOV_SMTP_URL" => self.mail.smtp_url = Some(Secret(value)).filter(|s| !s.0.is_empty()),
            "EGOV_MAIL_FROM" => self.mail.from = Some(value).filter(|v| !v.is_empty()),
            // Read by the test kit and the config-file lookup, not here.
            "EGOV_TEST_DATABASE_URL" | "EGOV_CONFIG" => {}
            other if other.starts_with("EGOV_") => {
                return Err(ConfigError::UnknownVariable {
                    name: other.to_owned(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        self.database_url.as_ref().map_or_else(
            || store::Store::sqlite_url(&self.data_dir),
            |s| s.expose().to_owned(),
        )
    }

    /// The database named without credentials, for logs.
    pub fn database_label(&self) -> String {
        let url = self.database_url();
        match url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                format!("{scheme}://{}", host.split('?').next().unwrap_or(host))
            }
            None => "?".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn mail_settings_come_from_the_file_or_the_environment() {
        let config = Config::load(
            None,
            vars(&[
                (
                    "EGOV_SMTP_URL",
                    "smtp+starttls://thu:bi-mat@mail.travinh.gov.vn:587",
                ),
                ("EGOV_MAIL_FROM", "no-reply@travinh.gov.vn"),
            ]),
        )
        .unwrap();
        let url = config.mail.smtp_url.as_ref().unwrap();
        assert_eq!(
            url.expose(),
            "smtp+starttls://thu:bi-mat@mail.travinh.gov.vn:587"
        );
        assert!(
            !format!("{config:?}").contains("bi-mat"),
            "the password stays hidden"
        );
        assert_eq!(config.mail.from.as_deref(), Some("no-reply@travinh.gov.vn"));
        let unset = Config::load(None, vars(&[("EGOV_SMTP_URL", "")])).unwrap();
        assert_eq!(unset.mail, MailConfig::default());
    }

    #[test]
    fn layers_and_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("egov.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\n[auth]\nlock_minutes = 5\n",
        )
        .unwrap();
        let config = Config::load(
            Some(&file),
            vars(&[("EGOV_DATA_DIR", "/srv/egov"), ("PATH", "/bin")]),
        )
        .unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.auth.lock_minutes, 5);
        assert_eq!(config.auth.max_failures, 12);
        assert_eq!(config.data_dir, PathBuf::from("/srv/egov"));
        assert_eq!(config.database_url(), "sqlite:///srv/egov/egov.db");
        assert_eq!(config.services.portal_sync_url, None);

        std::fs::write(
            &file,
            "[services]\nportal_sync_url = \"http://lgsp.travinh.gov.vn/dvcqg\"\n",
        )
        .unwrap();
        let config = Config::load(
            Some(&file),
            vars(&[("EGOV_PORTAL_SYNC_TOKEN", "phien-dvcqg-2021")]),
        )
        .unwrap();
        assert_eq!(
            config.services.portal_sync_url.as_deref(),
            Some("http://lgsp.travinh.gov.vn/dvcqg")
        );
        assert_eq!(
            config.services.portal_sync_token.expose(),
            "phien-dvcqg-2021"
        );
        assert!(!format!("{config:?}").contains("phien-dvcqg-2021"));

        std::fs::write(&file, "listne = \"0.0.0.0:9000\"\n").unwrap();
        assert!(matches!(
            Config::load(Some(&file), vars(&[])),
            Err(ConfigError::Parse { .. })
        ));
        assert!(matches!(
            Config::load(None, vars(&[("EGOV_LISTN", "x")])),
            Err(ConfigError::UnknownVariable { .. })
        ));
    }

    #[test]
    fn secrets_stay_out_of_logs() {
        let config = Config::load(
            None,
            vars(&[(
                "EGOV_DATABASE_URL",
                "postgres://egov:hunter2@db.local:5432/egov?sslmode=require",
            )]),
        )
        .unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        assert_eq!(config.database_label(), "postgres://db.local:5432/egov");
    }
}
