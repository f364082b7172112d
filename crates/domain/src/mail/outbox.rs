//! The mail outbox: every e-mail egov sends — to applicants, portal
//! account holders, staff — is a row written in the transaction of the
//! event it tells of, then sent by a delivery job that tries again on a
//! schedule until the mail server takes it. This module holds the kinds
//! of mail, what a mail is about (so the pages and tests can list "the
//! mails about X"), the retry schedule and the frame of every letter.

use std::fmt;
use std::str::FromStr;

use time::{Duration, OffsetDateTime};

use crate::services::Action;

pub type MailId = i64;

/// What a mail tells of; its stable name is stored with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    DossierConfirmation,
    DossierReceived,
    DossierSupplement,
    DossierRefused,
    DossierApology,
    DossierExtended,
    DossierResult,
    AccountConfirmation,
    PasswordReset,
    Assignment,
    DeadlineReminder,
    CertificateExpiry,
    MailboxCreated,
    LicenceExpiry,
}

named!(MailKind {
    DossierConfirmation => "dossier_confirmation", "Xác nhận nộp hồ sơ trực tuyến";
    DossierReceived => "dossier_received", "Tiếp nhận hồ sơ";
    DossierSupplement => "dossier_supplement", "Yêu cầu bổ sung hồ sơ";
    DossierRefused => "dossier_refused", "Từ chối hồ sơ";
    DossierApology => "dossier_apology", "Xin lỗi, hẹn lại ngày trả kết quả";
    DossierExtended => "dossier_extended", "Gia hạn giải quyết hồ sơ";
    DossierResult => "dossier_result", "Hồ sơ có kết quả";
    AccountConfirmation => "account_confirmation", "Xác nhận tài khoản";
    PasswordReset => "password_reset", "Đặt lại mật khẩu";
    Assignment => "assignment", "Giao xử lý văn bản";
    DeadlineReminder => "deadline_reminder", "Nhắc hạn xử lý";
    CertificateExpiry => "certificate_expiry", "Chứng thư số sắp hết hạn";
    MailboxCreated => "mailbox_created", "Cấp hộp thư công vụ";
    LicenceExpiry => "licence_expiry", "Giấy phép sắp hết hạn";
});

impl MailKind {
    /// Who a mail of this kind comes from: the sender's display name and
    /// the system its letter says sent it.
    pub fn sender(self) -> &'static str {
        match self {
            Self::DossierConfirmation
            | Self::DossierReceived
            | Self::DossierSupplement
            | Self::DossierRefused
            | Self::DossierApology
            | Self::DossierExtended
            | Self::DossierResult
            | Self::AccountConfirmation
            | Self::PasswordReset => "Cổng dịch vụ công",
            Self::Assignment | Self::DeadlineReminder => "Hệ thống quản lý văn bản và điều hành",
            Self::CertificateExpiry => "Hệ thống chứng thực chữ ký số",
            Self::MailboxCreated => "Hệ thống thư điện tử công vụ",
            Self::LicenceExpiry => "Sở Thông tin và Truyền thông",
        }
    }

    /// The mail that tells a dossier's applicant of a step, if the step
    /// is theirs to know (`Submit`: the link confirming the submission).
    pub fn of_step(action: Action) -> Option<Self> {
        Some(match action {
            Action::Submit => Self::DossierConfirmation,
            Action::Receive | Action::Accept => Self::DossierReceived,
            Action::RequestSupplement => Self::DossierSupplement,
            Action::Refuse => Self::DossierRefused,
            Action::Apologise => Self::DossierApology,
            Action::Extend => Self::DossierExtended,
            Action::Approve => Self::DossierResult,
            _ => return None,
        })
    }
}

/// What a mail is about, stored as `{area}:{id}` so that the mails about
/// one thing are found by one equality.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum About {
    Dossier(crate::services::DossierId),
    Account(crate::services::accounts::AccountId),
    Assignment(crate::handling::AssignmentId),
    /// A certificate, by its serial (hex).
    Certificate(String),
    Mailbox(i64),
    Licence(crate::licensing::LicenceId),
}

impl fmt::Display for About {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dossier(id) => write!(f, "dossier:{id}"),
            Self::Account(id) => write!(f, "account:{id}"),
            Self::Assignment(id) => write!(f, "assignment:{id}"),
            Self::Certificate(serial) => write!(f, "certificate:{serial}"),
            Self::Mailbox(id) => write!(f, "mailbox:{id}"),
            Self::Licence(id) => write!(f, "licence:{id}"),
        }
    }
}

impl FromStr for About {
    type Err = crate::people::UnknownName;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let unknown = || crate::people::UnknownName(text.to_owned());
        let (area, id) = text.split_once(':').ok_or_else(unknown)?;
        let number = || id.parse::<i64>().map_err(|_| unknown());
        Ok(match area {
            "dossier" => Self::Dossier(number()?),
            "account" => Self::Account(number()?),
            "assignment" => Self::Assignment(number()?),
            "certificate" if !id.is_empty() => Self::Certificate(id.to_owned()),
            "mailbox" => Self::Mailbox(number()?),
            "licence" => Self::Licence(number()?),
            _ => return Err(unknown()),
        })
    }
}

/// A mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub kind: MailKind,
    /// One address, already checked when the event took it in.
    pub recipient: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    pub about: Option<About>,
    /// A mail that must go at most once (a reminder) carries a key; a
    /// second mail with the same key is not queued.
    pub dedup_key: Option<String>,
}

/// A queued mail and its delivery so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: MailId,
    pub mail: NewMail,
    pub created_at: OffsetDateTime,
    /// Failed sends so far.
    pub attempts: u32,
    /// Not sent before this moment (a failure's wait, or a delivery
    /// job's claim while it sends).
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub sent_at: Option<OffsetDateTime>,
}

/// How long to wait after the `attempts`-th failed send: 1 minute, 5
/// minutes, 30 minutes, then every 2 hours. A mail is never dropped: the
/// mail server may be down over a weekend and the mail waits for it.
pub fn retry_delay(attempts: u32) -> Duration {
    match attempts {
        0 | 1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        _ => Duration::hours(2),
    }
}

/// The longest error kept with a mail, in characters: enough for a
/// server's reply, not a whole transcript.
pub const ERROR_CHARS: usize = 500;

/// A send's error as kept with the mail.
pub fn error_text(error: &str) -> String {
    error.trim().chars().take(ERROR_CHARS).collect()
}

/// The frame of every letter egov sends, in the formal administrative
/// style: the salutation, the text, and that the mail was sent by
/// `system` without a reader at the other end.
pub fn letter(name: &str, text: &str, system: &str) -> String {
    format!(
        "Kính gửi Ông/Bà {name},\n\n{text}\n\nThư này được gửi tự động từ {system}, xin không trả lời.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_retries_slow_down_and_never_stop() {
        let delays: Vec<i64> = (1..=6).map(|n| retry_delay(n).whole_minutes()).collect();
        assert_eq!(delays, [1, 5, 30, 120, 120, 120]);
        assert_eq!(retry_delay(u32::MAX), Duration::hours(2));
    }

    #[test]
    fn mail_kinds_keep_their_stored_names() {
        for kind in MailKind::ALL {
            assert_eq!(kind.as_str().parse::<MailKind>().unwrap(), *kind);
        }
        assert_eq!(
            MailKind::of_step(Action::Accept),
            Some(MailKind::DossierReceived)
        );
        assert_eq!(MailKind::of_step(Action::Assign), None);
    }

    #[test]
    fn mail_about_reads_back_what_it_writes() {
        for about in [
            About::Dossier(12),
            About::Account(3),
            About::Assignment(5),
            About::Certificate("0A1B".into()),
            About::Mailbox(7),
        ] {
            assert_eq!(about.to_string().parse::<About>().unwrap(), about);
        }
        assert_eq!(About::Dossier(12).to_string(), "dossier:12");
        for bad in ["", "dossier", "dossier:x", "certificate:", "letter:1"] {
            assert!(bad.parse::<About>().is_err(), "{bad}");
        }
    }

    #[test]
    fn mail_errors_are_kept_short() {
        assert_eq!(error_text("  refused \n"), "refused");
        assert_eq!(error_text(&"ư".repeat(900)).chars().count(), ERROR_CHARS);
    }

    #[test]
    fn mail_letters_are_framed_formally() {
        let text = letter("Thạch Thị Sa Ren", "Nội dung.", "Cổng dịch vụ công");
        assert!(text.starts_with("Kính gửi Ông/Bà Thạch Thị Sa Ren,\n\nNội dung.\n\n"));
        assert!(
            text.ends_with("Thư này được gửi tự động từ Cổng dịch vụ công, xin không trả lời.\n")
        );
    }
}
