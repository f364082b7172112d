//! `egov serve` and `egov demo`: the server process and the demo loader.

use std::time::Duration;

use anyhow::Context as _;
use app::App;
use indicatif::{ProgressBar, ProgressStyle};

/// Serves until Ctrl-C or SIGTERM, finishing requests in flight.
pub async fn serve(app: App) -> anyhow::Result<()> {
    let listen = app.config.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("không mở được cổng {listen}"))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "egov is serving");
    println!("egov đang chạy tại http://{address}/ (Ctrl-C để dừng)");
    tokio::spawn(sweep_sessions(app.clone()));
    web::serve(app, listener, shutdown_signal())
        .await
        .context("máy chủ dừng do lỗi")?;
    tracing::info!("egov stopped");
    Ok(())
}

/// Removes ended sessions once an hour, so the table stays small.
async fn sweep_sessions(app: App) {
    let mut tick = tokio::time::interval(Duration::from_hours(1));
    loop {
        tick.tick().await;
        let result = async {
            let tx = app.store.write().await?;
            let removed = tx.delete_expired_sessions(app.now()).await?;
            tx.commit().await?;
            Ok::<u64, app::AppError>(removed)
        }
        .await;
        match result {
            Ok(removed) if removed > 0 => tracing::info!(removed, "expired sessions removed"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "session sweep failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Loads the demo province with a progress bar, then prints how to sign in.
pub async fn load_demo(app: &App) -> anyhow::Result<()> {
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("Nạp dữ liệu mẫu");
    let summary = app
        .load_demo(|done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await
        .context("không nạp được dữ liệu mẫu")?;
    bar.set_message("Nạp sổ văn bản mẫu");
    let documents = app
        .load_demo_documents(|done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await
        .context("không nạp được sổ văn bản mẫu")?;
    bar.finish();
    println!(
        "Dữ liệu mẫu: thêm {} cơ quan, {} cán bộ, {documents} văn bản (dữ liệu đã có được giữ nguyên).",
        summary.agencies_created, summary.people_created
    );
    println!("Quản trị viên mẫu:");
    println!("  Thư điện tử: {}", summary.admin_email);
    println!("  Mật khẩu:    {}", summary.admin_password);
    println!("Đăng nhập tại http://{}/app/login", app.config.listen);
    Ok(())
}
