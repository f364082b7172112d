//! Notices to applicants (issue 8, item 5): what a dossier's applicant is
//! told by e-mail at its receipt, a supplement request, a refusal, an
//! apology, an extension and when its result is ready, the e-mail
//! confirming an online submission, and the ones confirming a new portal
//! account and resetting its password.
//!
//! Each is queued in the mail outbox (`crate::mail::outbox`) in the same
//! transaction as the step it tells of, so none is lost and none is sent
//! for a step that did not happen, and delivered from there.

use domain::mail::outbox::{About, MailKind, NewMail, letter};
use domain::services::accounts::Account;
use domain::services::{Action, Dossier, Procedure, Step};

use crate::App;

/// The notice that tells `dossier`'s applicant of `step`, if they gave an
/// e-mail and the step is theirs to know.
pub(super) fn of_step(
    app: &App,
    dossier: &Dossier,
    procedure: &Procedure,
    step: &Step,
) -> Option<NewMail> {
    let recipient = dossier.applicant.email.clone()?;
    let kind = MailKind::of_step(step.action)?;
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
    Some(dossier_mail(
        app,
        (dossier, procedure),
        (kind, recipient),
        (subject, &what),
    ))
}

/// The e-mail that asks the applicant of an online submission to confirm
/// it by opening the link with `token`.
pub(super) fn confirmation(
    app: &App,
    dossier: &Dossier,
    procedure: &Procedure,
    token: &str,
) -> Option<NewMail> {
    let link = format!(
        "{}/dich-vu-cong/xac-nhan?t={token}",
        app.config.services.public_url.trim_end_matches('/')
    );
    Some(dossier_mail(
        app,
        (dossier, procedure),
        (
            MailKind::DossierConfirmation,
            dossier.applicant.email.clone()?,
        ),
        (
            "Xác nhận nộp hồ sơ trực tuyến",
            &format!(
                "Để hoàn tất việc nộp hồ sơ, xin mở đường dẫn sau trong 24 giờ:\n{link}\n\nNếu Ông/Bà không nộp hồ sơ này, xin bỏ qua thư."
            ),
        ),
    ))
}

/// The e-mail that asks the holder of a new portal account to confirm
/// their address by opening the link with `token`.
pub(super) fn account_confirmation(app: &App, account: &Account, token: &str) -> NewMail {
    let portal = app.config.services.public_url.trim_end_matches('/');
    account_mail(
        account,
        MailKind::AccountConfirmation,
        "Xác nhận đăng ký tài khoản Cổng dịch vụ công",
        &format!(
            "Ông/Bà đã đăng ký tài khoản Cổng dịch vụ công với địa chỉ thư này. Để kích hoạt tài khoản, xin mở đường dẫn sau trong 24 giờ:\n{portal}/dich-vu-cong/xac-nhan-tai-khoan?t={token}\n\nNếu Ông/Bà không đăng ký, xin bỏ qua thư; tài khoản sẽ không được kích hoạt."
        ),
    )
}

/// The mail carrying a password-reset link; like the confirmation, it
/// says what to do if the holder did not ask.
pub(super) fn password_reset(app: &App, account: &Account, token: &str) -> NewMail {
    let portal = app.config.services.public_url.trim_end_matches('/');
    account_mail(
        account,
        MailKind::PasswordReset,
        "Đặt lại mật khẩu tài khoản Cổng dịch vụ công",
        &format!(
            "Có yêu cầu đặt lại mật khẩu tài khoản Cổng dịch vụ công của địa chỉ thư này. Để đặt mật khẩu mới, xin mở đường dẫn sau trong 1 giờ (đường dẫn chỉ dùng được một lần):\n{portal}/dich-vu-cong/dat-lai-mat-khau?t={token}\n\nNếu Ông/Bà không yêu cầu, xin bỏ qua thư; mật khẩu hiện tại vẫn giữ nguyên."
        ),
    )
}

fn account_mail(account: &Account, kind: MailKind, subject: &str, text: &str) -> NewMail {
    NewMail {
        kind,
        recipient: account.email.clone(),
        subject: subject.to_owned(),
        body: letter(&account.full_name, text, kind.sender()),
        about: Some(About::Account(account.id)),
        dedup_key: None,
    }
}

/// A mail about a dossier: its code in the subject, the letter naming
/// the dossier and procedure and ending with the tracking link.
fn dossier_mail(
    app: &App,
    (dossier, procedure): (&Dossier, &Procedure),
    (kind, recipient): (MailKind, String),
    (subject, what): (&str, &str),
) -> NewMail {
    let tracking = format!(
        "{}/dich-vu-cong/tra-cuu?ma={}",
        app.config.services.public_url.trim_end_matches('/'),
        dossier.code
    );
    let text = format!(
        "Mã hồ sơ: {code}\nThủ tục: {procedure}\n\n{what}\n\nTra cứu tình trạng hồ sơ: {tracking}",
        code = dossier.code,
        procedure = procedure.name,
    );
    NewMail {
        kind,
        recipient,
        subject: format!("[{}] {subject}", dossier.code),
        body: letter(&dossier.applicant.name, &text, kind.sender()),
        about: Some(About::Dossier(dossier.id)),
        dedup_key: None,
    }
}
