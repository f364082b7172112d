//! Notices to applicants (issue 8, item 5): what a dossier's applicant is
//! told by e-mail at its receipt, a supplement request, a refusal, an
//! apology, an extension and when its result is ready, and the e-mail
//! confirming an online submission.
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
        let pending = self
            .store
            .read()
            .await?
            .undelivered_applicant_notices(100)
            .await?;
        if pending.is_empty() {
            return Ok(());
        }
        tokio::fs::create_dir_all(dir).await.map_err(|e| io(&e))?;
        let host = host_of(&self.config.services.public_url);
        for notice in pending {
            let message = message(&notice, &host);
            let path = dir.join(format!("notice-{}.eml", notice.id));
            let partial = dir.join(format!(".notice-{}.eml.part", notice.id));
            tokio::fs::write(&partial, message)
                .await
                .map_err(|e| io(&e))?;
            tokio::fs::rename(&partial, &path)
                .await
                .map_err(|e| io(&e))?;
            let tx = self.store.write().await?;
            tx.mark_applicant_notice_delivered(notice.id, domain::to_stored_precision(self.now()))
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }
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

/// The notice as an RFC 5322 message: a MIME text part in UTF-8, base64
/// encoded, with the subject encoded as RFC 2047 asks for non-ASCII text.
fn message(notice: &store::services::ApplicantNotice, host: &str) -> String {
    let date = notice
        .created_at
        .to_offset(vn::dates::VIETNAM_OFFSET)
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default();
    let body = STANDARD.encode(notice.notice.body.as_bytes());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(76)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    format!(
        "From: =?UTF-8?B?{sender}?= <no-reply@{host}>\r\nTo: {to}\r\nSubject: =?UTF-8?B?{subject}?=\r\nDate: {date}\r\nMessage-ID: <notice-{id}@{host}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n",
        sender = STANDARD.encode("Cổng dịch vụ công".as_bytes()),
        to = notice.notice.recipient,
        subject = STANDARD.encode(notice.notice.subject.as_bytes()),
        id = notice.id,
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
