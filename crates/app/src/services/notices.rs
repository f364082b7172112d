//! Notices to applicants (issue 8, item 5): what a dossier's applicant is
//! told by e-mail at its receipt, a supplement request, a refusal, an
//! apology, an extension and when its result is ready, the e-mail
//! confirming an online submission, and the one confirming a new portal
//! account.
//!
//! A notice is written in the same transaction as the step it tells of,
//! so none is lost and none is sent for a step that did not happen. It is
//! then delivered outside the transaction: into the configured pickup
//! folder as an RFC 5322 message, where the province's mail server takes
//! it (the official e-mail issue adds delivery by SMTP). Delivery writes
//! each message under its notice's number, so delivering twice rewrites
//! the same file rather than sending twice.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use domain::services::{Action, Dossier, Procedure, Step};
use store::services::NewApplicantNotice;

use crate::App;

/// The notice that tells `dossier`'s applicant of `step`, if they gave an
/// e-mail and the step is theirs to know.
pub(super) fn of_step(
    app: &App,
    dossier: &Dossier,
    procedure: &Procedure,
    step: &Step,
) -> Option<NewApplicantNotice> {
    let recipient = dossier.applicant.email.clone()?;
    let due = vn::dates::format_short(dossier.appointment());
    let (subject, what) = match step.action {
        Action::Receive | Action::Accept => (
            "Hồ sơ đã được tiếp nhận",
            format!("Hồ sơ của Ông/Bà đã được tiếp nhận. Ngày hẹn trả kết quả: {due}."),
        ),
        Action::RequestSupplement => (
            "Yêu cầu bổ sung hồ sơ",
            format!(
                "Hồ sơ của Ông/Bà cần bổ sung: {}\nThời gian giải quyết tạm dừng cho đến khi nhận đủ hồ sơ bổ sung.",
                step.note
            ),
        ),
        Action::Refuse => (
            "Hồ sơ bị từ chối",
            format!(
                "Hồ sơ của Ông/Bà không được giải quyết. Lý do: {}",
                step.note
            ),
        ),
        Action::Apologise => (
            "Thư xin lỗi và hẹn lại ngày trả kết quả",
            format!(
                "Cơ quan xin lỗi Ông/Bà vì hồ sơ chưa được giải quyết đúng hạn. Lý do: {}\nNgày hẹn trả kết quả mới: {due}.\nPhiếu xin lỗi và hẹn lại ngày trả kết quả có tại trang tra cứu hồ sơ.",
                step.note
            ),
        ),
        Action::Extend => (
            "Gia hạn thời gian giải quyết hồ sơ",
            format!(
                "Thời gian giải quyết hồ sơ của Ông/Bà được gia hạn. Lý do: {}\nNgày hẹn trả kết quả mới: {due}.",
                step.note
            ),
        ),
        Action::Approve => (
            "Hồ sơ đã có kết quả",
            "Hồ sơ của Ông/Bà đã có kết quả. Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký."
                .to_owned(),
        ),
        _ => return None,
    };
    Some(NewApplicantNotice {
        dossier_id: dossier.id,
        kind: step.action,
        recipient,
        subject: format!("[{}] {subject}", dossier.code),
        body: letter(app, dossier, procedure, &what),
    })
}

/// The e-mail that asks the applicant of an online submission to confirm
/// it by opening the link with `token`.
pub(super) fn confirmation(
    app: &App,
    dossier: &Dossier,
    procedure: &Procedure,
    token: &str,
) -> Option<NewApplicantNotice> {
    let link = format!(
        "{}/dich-vu-cong/xac-nhan?t={token}",
        app.config.services.public_url.trim_end_matches('/')
    );
    Some(NewApplicantNotice {
        dossier_id: dossier.id,
        kind: Action::Submit,
        recipient: dossier.applicant.email.clone()?,
        subject: format!("[{}] Xác nhận nộp hồ sơ trực tuyến", dossier.code),
        body: letter(
            app,
            dossier,
            procedure,
            &format!(
                "Để hoàn tất việc nộp hồ sơ, xin mở đường dẫn sau trong 24 giờ:\n{link}\n\nNếu Ông/Bà không nộp hồ sơ này, xin bỏ qua thư."
            ),
        ),
    })
}

/// The subject and body of the e-mail that asks the holder of a new
/// portal account to confirm their address by opening the link with
/// `token`.
pub(super) fn account_confirmation(
    app: &App,
    account: &domain::services::accounts::Account,
    token: &str,
) -> (String, String) {
    let portal = app.config.services.public_url.trim_end_matches('/');
    (
        "Xác nhận đăng ký tài khoản Cổng dịch vụ công".to_owned(),
        format!(
            "Kính gửi Ông/Bà {name},\n\nÔng/Bà đã đăng ký tài khoản Cổng dịch vụ công với địa chỉ thư này. Để kích hoạt tài khoản, xin mở đường dẫn sau trong 24 giờ:\n{portal}/dich-vu-cong/xac-nhan-tai-khoan?t={token}\n\nNếu Ông/Bà không đăng ký, xin bỏ qua thư; tài khoản sẽ không được kích hoạt.\n\nThư này được gửi tự động từ Cổng dịch vụ công, xin không trả lời.\n",
            name = account.full_name,
        ),
    )
}

/// The mail carrying a password-reset link; like the confirmation, it
/// says what to do if the holder did not ask.
pub(super) fn password_reset(
    app: &App,
    account: &domain::services::accounts::Account,
    token: &str,
) -> (String, String) {
    let portal = app.config.services.public_url.trim_end_matches('/');
    (
        "Đặt lại mật khẩu tài khoản Cổng dịch vụ công".to_owned(),
        format!(
            "Kính gửi Ông/Bà {name},\n\nCó yêu cầu đặt lại mật khẩu tài khoản Cổng dịch vụ công của địa chỉ thư này. Để đặt mật khẩu mới, xin mở đường dẫn sau trong 1 giờ (đường dẫn chỉ dùng được một lần):\n{portal}/dich-vu-cong/dat-lai-mat-khau?t={token}\n\nNếu Ông/Bà không yêu cầu, xin bỏ qua thư; mật khẩu hiện tại vẫn giữ nguyên.\n\nThư này được gửi tự động từ Cổng dịch vụ công, xin không trả lời.\n",
            name = account.full_name,
        ),
    )
}

fn letter(app: &App, dossier: &Dossier, procedure: &Procedure, what: &str) -> String {
    let tracking = format!(
        "{}/dich-vu-cong/tra-cuu?ma={}",
        app.config.services.public_url.trim_end_matches('/'),
        dossier.code
    );
    format!(
        "Kính gửi Ông/Bà {name},\n\nMã hồ sơ: {code}\nThủ tục: {procedure}\n\n{what}\n\nTra cứu tình trạng hồ sơ: {tracking}\n\nThư này được gửi tự động từ Cổng dịch vụ công, xin không trả lời.\n",
        name = dossier.applicant.name,
        code = dossier.code,
        procedure = procedure.name,
    )
}

impl App {
    /// Delivers the notices waiting into the pickup folder, if one is
    /// set. A failure is logged and the notice waits for the next try:
    /// the step it tells of has already happened.
    pub async fn deliver_notices(&self) {
        let Some(dir) = self.config.services.notice_pickup_dir.clone() else {
            return;
        };
        if let Err(error) = self.deliver_to(&dir).await {
            tracing::warn!(%error, dir = %dir.display(), "notices not delivered");
        }
    }

    async fn deliver_to(&self, dir: &Path) -> Result<(), crate::AppError> {
        let (notices, mail) = {
            let read = self.store.read().await?;
            (
                read.undelivered_applicant_notices(100).await?,
                read.undelivered_citizen_mail(100).await?,
            )
        };
        if notices.is_empty() && mail.is_empty() {
            return Ok(());
        }
        tokio::fs::create_dir_all(dir).await.map_err(|e| io(&e))?;
        let host = host_of(&self.config.services.public_url);
        for notice in notices {
            let n = &notice.notice;
            let name = format!("notice-{}", notice.id);
            let message = message(
                &name,
                (n.recipient.as_str(), n.subject.as_str(), n.body.as_str()),
                notice.created_at,
                &host,
            );
            write_message(dir, &name, message).await?;
            let tx = self.store.write().await?;
            tx.mark_applicant_notice_delivered(notice.id, domain::to_stored_precision(self.now()))
                .await?;
            tx.commit().await?;
        }
        for mail in mail {
            let name = format!("account-{}", mail.id);
            let message = message(
                &name,
                (
                    mail.recipient.as_str(),
                    mail.subject.as_str(),
                    mail.body.as_str(),
                ),
                mail.created_at,
                &host,
            );
            write_message(dir, &name, message).await?;
            let tx = self.store.write().await?;
            tx.mark_citizen_mail_delivered(mail.id, domain::to_stored_precision(self.now()))
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Writes a message as `{name}.eml`, whole or not at all: the mail server
/// never picks up half a file.
async fn write_message(dir: &Path, name: &str, message: String) -> Result<(), crate::AppError> {
    let path = dir.join(format!("{name}.eml"));
    let partial = dir.join(format!(".{name}.eml.part"));
    tokio::fs::write(&partial, message)
        .await
        .map_err(|e| io(&e))?;
    tokio::fs::rename(&partial, &path).await.map_err(|e| io(&e))
}

fn io(error: &std::io::Error) -> crate::AppError {
    crate::AppError::Internal(format!("thư mục gửi thư: {error}"))
}

/// The host part of the portal's address, for the sender and message ids.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() {
        "localhost".into()
    } else {
        host.to_owned()
    }
}

/// A message named `name` (its file and Message-ID) as RFC 5322: a MIME
/// text part in UTF-8, base64 encoded, with the subject encoded as RFC
/// 2047 asks for non-ASCII text.
fn message(
    name: &str,
    (recipient, subject, body): (&str, &str, &str),
    created_at: time::OffsetDateTime,
    host: &str,
) -> String {
    let date = created_at
        .to_offset(vn::dates::VIETNAM_OFFSET)
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default();
    let body = STANDARD.encode(body.as_bytes());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(76)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    format!(
        "From: =?UTF-8?B?{sender}?= <no-reply@{host}>\r\nTo: {recipient}\r\nSubject: =?UTF-8?B?{subject}?=\r\nDate: {date}\r\nMessage-ID: <{name}@{host}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n",
        sender = STANDARD.encode("Cổng dịch vụ công".as_bytes()),
        subject = STANDARD.encode(subject.as_bytes()),
        body = lines.join("\r\n"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sender_host_comes_from_the_portal_address() {
        assert_eq!(
            super::host_of("https://dichvucong.travinh.gov.vn/"),
            "dichvucong.travinh.gov.vn"
        );
        assert_eq!(super::host_of("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(super::host_of(""), "localhost");
    }
}
