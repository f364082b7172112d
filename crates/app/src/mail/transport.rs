//! How a mail leaves egov. Every queued mail becomes one RFC 5322 message
//! built by lettre — a UTF-8 subject, a text/plain body in base64, the
//! date of the event it tells of, a Message-ID made from its outbox id so
//! that a retry is recognisable as the same mail — and a transport takes
//! those bytes: an SMTP server ([`Smtp`]), a mail server's pickup folder
//! ([`Pickup`]), or memory, for tests ([`Capture`]). Both real transports
//! send the same bytes.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use domain::mail::outbox::QueuedMail;
use lettre::address::Envelope;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::AppError;
use crate::config::Config;

/// How long an SMTP conversation may take before it counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A queued mail made into a message.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub mail: QueuedMail,
    /// The SMTP envelope: the sender and the one recipient.
    pub envelope: Envelope,
    /// The whole RFC 5322 message.
    pub bytes: Vec<u8>,
}

impl Outgoing {
    /// The message's name, unique per outbox row: its pickup file and
    /// the left part of its Message-ID.
    pub fn name(&self) -> String {
        name_of(&self.mail)
    }
}

fn name_of(mail: &QueuedMail) -> String {
    format!("mail-{}", mail.id)
}

/// A send in progress; its error says why the mail did not go, for the
/// outbox's `last_error`.
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Takes messages out of egov. Held as `Arc<dyn MailTransport>`.
pub trait MailTransport: Send + Sync {
    fn send<'a>(&'a self, message: &'a Outgoing) -> Sending<'a>;

    /// Whether a send waits on another machine (a mail server that may
    /// be slow or unreachable): an event then hands its mail to a
    /// background task rather than keep its request waiting.
    fn is_remote(&self) -> bool {
        false
    }
}

/// The message for `mail`, from `from`, its Message-ID on `host`.
pub fn message(mail: &QueuedMail, from: &Mailbox, host: &str) -> Result<Outgoing, String> {
    let to: Mailbox = mail
        .mail
        .recipient
        .parse()
        .map_err(|e| format!("địa chỉ người nhận không hợp lệ: {e}"))?;
    let from = Mailbox::new(Some(mail.mail.kind.sender().to_owned()), from.email.clone());
    let body = Body::new_with_encoding(mail.mail.body.clone(), ContentTransferEncoding::Base64)
        .map_err(|_| "nội dung thư không mã hoá được".to_owned())?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.mail.subject.clone())
        .date(SystemTime::from(mail.created_at))
        .message_id(Some(format!("<{}@{host}>", name_of(mail))))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(body),
        )
        .map_err(|e| format!("không tạo được thư: {e}"))?;
    Ok(Outgoing {
        mail: mail.clone(),
        envelope: message.envelope().clone(),
        bytes: message.formatted(),
    })
}

/// The host part of a URL, for the sender's default address and the
/// Message-IDs.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() {
        "localhost".into()
    } else {
        host.to_owned()
    }
}

/// The sender's address: configured, or `no-reply@` the portal's host.
pub fn sender(config: &Config) -> Result<Mailbox, AppError> {
    let address = config
        .mail
        .from
        .clone()
        .unwrap_or_else(|| format!("no-reply@{}", host_of(&config.services.public_url)));
    address
        .parse::<lettre::Address>()
        .map(|email| Mailbox::new(None, email))
        .map_err(|e| AppError::Internal(format!("địa chỉ gửi thư {address} không hợp lệ: {e}")))
}

/// The transport `config` names: SMTP when a server is set (it wins over
/// a pickup folder), else the pickup folder, else none — mails wait in
/// the outbox.
pub fn from_config(config: &Config) -> Result<Option<Arc<dyn MailTransport>>, AppError> {
    if let Some(url) = &config.mail.smtp_url {
        return Ok(Some(Arc::new(Smtp::from_url(url.expose())?)));
    }
    Ok(config
        .services
        .notice_pickup_dir
        .clone()
        .map(|dir| Arc::new(Pickup::new(dir)) as Arc<dyn MailTransport>))
}

/// An SMTP server, one connection per message.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Smtp {
    /// `smtp://host[:port]` (plain, port 25), `smtp+starttls://host[:port]`
    /// (STARTTLS required, port 587) or `smtps://host[:port]` (TLS from
    /// the start, port 465); `user:password@` before the host logs in.
    pub fn from_url(url: &str) -> Result<Self, AppError> {
        let bad = |e: &dyn std::fmt::Display| {
            AppError::Internal(format!("EGOV_SMTP_URL không hợp lệ: {e}"))
        };
        let lettre_url = match url.strip_prefix("smtp+starttls://") {
            Some(rest) => format!("smtp://{rest}?tls=required"),
            None => url.to_owned(),
        };
        if !(lettre_url.starts_with("smtp://") || lettre_url.starts_with("smtps://"))
            || lettre_url.contains("?tls=") != url.starts_with("smtp+starttls://")
        {
            return Err(bad(&"phải là smtp://, smtp+starttls:// hoặc smtps://"));
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url)
            .map_err(|e| bad(&e))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self { transport })
    }
}

impl MailTransport for Smtp {
    fn send<'a>(&'a self, message: &'a Outgoing) -> Sending<'a> {
        Box::pin(async move {
            self.transport
                .send_raw(&message.envelope, &message.bytes)
                .await
                .map(|_| ())
                .map_err(|e| format!("máy chủ thư (SMTP): {e}"))
        })
    }

    fn is_remote(&self) -> bool {
        true
    }
}

/// A mail server's pickup folder: each message is written there as
/// `mail-{id}.eml`, whole or not at all (written aside, then renamed), so
/// the server never takes half a file, and a second delivery of the same
/// mail rewrites its file rather than adding one.
pub struct Pickup {
    dir: PathBuf,
}

impl Pickup {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    async fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        tokio::fs::create_dir_all(dir).await?;
        let partial = dir.join(format!(".{name}.eml.part"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, dir.join(format!("{name}.eml"))).await
    }
}

impl MailTransport for Pickup {
    fn send<'a>(&'a self, message: &'a Outgoing) -> Sending<'a> {
        Box::pin(async move {
            Self::write(&self.dir, &message.name(), &message.bytes)
                .await
                .map_err(|e| format!("thư mục gửi thư {}: {e}", self.dir.display()))
        })
    }
}

/// Keeps messages in memory, for tests; told to fail, it refuses every
/// message as a mail server that is down would.
#[derive(Default)]
pub struct Capture {
    sent: Mutex<Vec<Outgoing>>,
    failure: Mutex<Option<String>>,
}

impl Capture {
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on, refuse every message with `error`; `None`: take them
    /// again.
    pub fn fail_with(&self, error: Option<&str>) {
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = error.map(str::to_owned);
    }

    /// The messages taken so far, in order.
    pub fn sent(&self) -> Vec<Outgoing> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl MailTransport for Capture {
    fn send<'a>(&'a self, message: &'a Outgoing) -> Sending<'a> {
        let failure = self
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let result = match failure {
            Some(error) => Err(error),
            None => {
                self.sent
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(message.clone());
                Ok(())
            }
        };
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sender_host_comes_from_the_portal_address() {
        assert_eq!(
            host_of("https://dichvucong.travinh.gov.vn/"),
            "dichvucong.travinh.gov.vn"
        );
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_of(""), "localhost");
    }

    #[test]
    fn smtp_urls_name_their_security() {
        for good in [
            "smtp://127.0.0.1:2525",
            "smtp+starttls://mail.travinh.gov.vn:587",
            "smtps://thu:mat-khau@mail.travinh.gov.vn",
        ] {
            assert!(Smtp::from_url(good).is_ok(), "{good}");
        }
        for bad in ["http://mail", "mail.travinh.gov.vn", "smtp://mail?tls=none"] {
            assert!(Smtp::from_url(bad).is_err(), "{bad}");
        }
    }
}
