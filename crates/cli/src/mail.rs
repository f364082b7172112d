//! `egov mail`: the official e-mail's operator commands — for now,
//! sending the mail outbox once (the server does it every minute). Each
//! command is a variant of [`MailCommand`] with its own function.

use anyhow::{Context as _, bail};
use app::App;

#[derive(Debug, clap::Subcommand)]
pub enum MailCommand {
    /// Gửi ngay các thư đến hạn trong hộp thư đi (máy chủ tự gửi mỗi phút).
    Deliver,
}

pub async fn run(app: &App, command: MailCommand) -> anyhow::Result<()> {
    match command {
        MailCommand::Deliver => deliver(app).await,
    }
}

async fn deliver(app: &App) -> anyhow::Result<()> {
    if !app.sends_mail() {
        bail!(
            "chưa cấu hình máy chủ thư (EGOV_SMTP_URL) hoặc thư mục gửi thư (EGOV_NOTICE_PICKUP_DIR): thư vẫn chờ trong hộp thư đi"
        );
    }
    let run = app.deliver_mail().await.context("không gửi được thư")?;
    println!(
        "Đã gửi {} thư, {} thư gửi không thành công (sẽ gửi lại); còn {} thư chờ gửi.",
        run.sent, run.failed, run.waiting
    );
    Ok(())
}
