//! `egov services`: the public services' operator commands — the
//! procedure catalogue's import and export (`catalogue`), and sending the
//! national portal's outbox once (the server does it every minute).

use anyhow::{Context as _, bail};
use app::App;

#[derive(Debug, clap::Subcommand)]
pub enum ServicesCommand {
    /// Danh mục thủ tục hành chính của cơ quan: nhập, xuất.
    #[command(subcommand)]
    Catalogue(crate::catalogue::CatalogueCommand),
    /// Gửi ngay các bản ghi đồng bộ hồ sơ đang chờ lên Cổng Dịch vụ công quốc gia.
    Sync,
}

pub async fn run(app: &App, command: ServicesCommand) -> anyhow::Result<()> {
    match command {
        ServicesCommand::Catalogue(command) => crate::catalogue::run(app, command).await,
        ServicesCommand::Sync => sync(app).await,
    }
}

async fn sync(app: &App) -> anyhow::Result<()> {
    let Some(client) = web::client::PortalClient::from_config(&app.config.services) else {
        bail!(
            "chưa cấu hình địa chỉ Cổng Dịch vụ công quốc gia ([services] portal_sync_url hoặc EGOV_PORTAL_SYNC_URL)"
        );
    };
    let run = app
        .deliver_portal_sync(&client)
        .await
        .context("không gửi được bản ghi đồng bộ")?;
    let counts = app.store.read().await?.outbox_counts().await?;
    println!(
        "Đã gửi {} bản ghi, {} lần gửi không thành công; còn {} bản ghi chờ gửi, tổng cộng đã gửi {}.",
        run.delivered, run.failed, counts.pending, counts.delivered
    );
    Ok(())
}
