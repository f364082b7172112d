//! `egov serve`, `egov demo` and `egov remind`: the server process with its
//! background jobs (reminders and CA upkeep, the national portal's sync,
//! the mail outbox's delivery, the portal's page views, the session sweep), the demo loader, and the reminder job run by hand.

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
    // The reminder job stops when the server does: the shutdown signal is
    // passed on to it through a watch channel.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let reminders = tokio::spawn(remind_every_hour(app.clone(), stopped.clone()));
    let portal = tokio::spawn(sync_portal_every_minute(app.clone(), stopped.clone()));
    let provision = tokio::spawn(provision_mail_every_minute(app.clone(), stopped.clone()));
    let mail = tokio::spawn(deliver_mail_every_minute(app.clone(), stopped.clone()));
    let views = tokio::spawn(flush_views_often(app.clone(), stopped));
    let shutdown = async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    };
    let served = web::serve(app.clone(), listener, shutdown).await;
    // The job may be in the middle of a run: let it finish its transaction.
    let _ = reminders.await;
    let _ = portal.await;
    let _ = provision.await;
    let _ = mail.await;
    let _ = views.await;
    // The readings of the requests that finished after the job's last run.
    if let Err(err) = app.flush_article_views().await {
        tracing::warn!(error = %err, "portal views not written at shutdown");
    }
    served.context("máy chủ dừng do lỗi")?;
    tracing::info!("egov stopped");
    Ok(())
}

/// Writes the portal's page views counted in memory every ten seconds.
async fn flush_views_often(app: App, stop: tokio::sync::watch::Receiver<bool>) {
    every(Duration::from_secs(10), stop, || async {
        if let Err(err) = app.flush_article_views().await {
            tracing::warn!(error = %err, "portal views not written; kept for the next run");
        }
    })
    .await;
}

/// Runs the reminder jobs (handling deadlines, licence expiries) and the
/// CA upkeep once at start and then every hour, until `stop`
/// turns true (or its sender is gone).
async fn remind_every_hour(app: App, stop: tokio::sync::watch::Receiver<bool>) {
    every(Duration::from_hours(1), stop, || async {
        match app.send_reminders(app.today()).await {
            Ok(made) if made > 0 => tracing::info!(made, "reminders sent"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "reminder job failed"),
        }
        match app.send_licence_reminders().await {
            Ok(made) if made > 0 => tracing::info!(made, "licence reminders queued"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "licence reminder job failed"),
        }
        match app.pki_upkeep().await {
            Ok(done) if done != app::pki::Upkeep::default() => tracing::info!(?done, "CA upkeep"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "CA upkeep failed"),
        }
    })
    .await;
    tracing::info!("reminder job stopped");
}

/// Runs `job` every `period` (the first run at once) until `stop` turns
/// true; a run in progress finishes first.
async fn every<F, Fut>(period: Duration, mut stop: tokio::sync::watch::Receiver<bool>, mut job: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(period);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
        job().await;
    }
}

/// Sends the national portal's outbox every minute, when a portal is set
/// up, until `stop` turns true.
async fn sync_portal_every_minute(app: App, stop: tokio::sync::watch::Receiver<bool>) {
    let Some(client) = web::client::PortalClient::from_config(&app.config.services) else {
        tracing::info!("no national portal configured: dossier sync records wait in the outbox");
        return;
    };
    every(Duration::from_mins(1), stop, || async {
        match app.deliver_portal_sync(&client).await {
            Ok(run) if run != app::portal_sync::SyncRun::default() => {
                tracing::info!(
                    delivered = run.delivered,
                    failed = run.failed,
                    "portal sync"
                );
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "portal sync failed"),
        }
    })
    .await;
    tracing::info!("portal sync job stopped");
}

/// Provisions approved mailboxes and changes to the mail server every
/// minute, when its directory folder is set, until `stop` turns true.
async fn provision_mail_every_minute(app: App, stop: tokio::sync::watch::Receiver<bool>) {
    if app.config.mail.directory.is_none() {
        tracing::info!("no mail directory configured: approved mailboxes wait for provisioning");
        return;
    }
    let ctx = app::Ctx::system("job:mail");
    every(Duration::from_mins(1), stop, || async {
        match app.provision_mailboxes(&ctx, None, |_, _| {}).await {
            Ok(done) if done.applied > 0 => {
                tracing::info!(
                    applied = done.applied,
                    created = done.created,
                    "mailboxes provisioned"
                );
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "mailbox provisioning failed"),
        }
    })
    .await;
    tracing::info!("mail provisioning job stopped");
}

/// Sends the mail outbox every minute — what an event's own delivery
/// could not send, and the retries as they come due — until `stop` turns
/// true. With no transport configured, mails wait (said once).
async fn deliver_mail_every_minute(app: App, stop: tokio::sync::watch::Receiver<bool>) {
    if !app.sends_mail() {
        tracing::info!("no SMTP server or pickup folder configured: e-mails wait in the outbox");
        return;
    }
    every(Duration::from_mins(1), stop, || async {
        match app.deliver_mail().await {
            Ok(run) if run.sent > 0 || run.failed > 0 => {
                tracing::info!(
                    sent = run.sent,
                    failed = run.failed,
                    waiting = run.waiting,
                    "mail"
                );
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "mail delivery failed"),
        }
    })
    .await;
    tracing::info!("mail job stopped");
}

/// `egov remind`: runs the reminder job once, for today.
pub async fn remind(app: &App) -> anyhow::Result<()> {
    let made = app
        .send_reminders(app.today())
        .await
        .context("không gửi được thông báo nhắc hạn")?;
    println!("Đã tạo {made} thông báo nhắc hạn xử lý.");
    let done = app
        .pki_upkeep()
        .await
        .context("không chạy được việc định kỳ của CA")?;
    println!(
        "CA: {} lời nhắc gia hạn chứng thư, {} CRL và {} trả lời OCSP được ký lại.",
        done.reminders, done.crls, done.ocsp_answers
    );
    Ok(())
}

/// Removes ended sessions once an hour, so the table stays small.
async fn sweep_sessions(app: App) {
    let mut tick = tokio::time::interval(Duration::from_hours(1));
    loop {
        tick.tick().await;
        let result = async {
            let tx = app.store.write().await?;
            let removed = tx.delete_expired_sessions(app.now()).await?
                + tx.delete_expired_account_sessions(app.now()).await?;
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

/// What a loader reports, shown on `bar`.
fn progress_of(bar: &ProgressBar) -> impl FnMut(usize, usize) + '_ {
    |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
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
        .load_demo(progress_of(&bar))
        .await
        .context("không nạp được dữ liệu mẫu")?;
    bar.set_message("Cấp chứng thư số mẫu");
    let certificates = app
        .load_demo_certificates(progress_of(&bar))
        .await
        .context("không cấp được chứng thư số mẫu")?;
    bar.set_message("Nạp sổ văn bản mẫu");
    let documents = app
        .load_demo_documents(progress_of(&bar))
        .await
        .context("không nạp được sổ văn bản mẫu")?;
    bar.set_message("Nạp hồ sơ một cửa mẫu");
    let dossiers = app
        .load_demo_dossiers(progress_of(&bar))
        .await
        .context("không nạp được hồ sơ một cửa mẫu")?;
    bar.finish();
    println!(
        "Dữ liệu mẫu: thêm {} cơ quan, {} cán bộ, {documents} văn bản, {certificates} chứng thư số, {dossiers} hồ sơ một cửa (dữ liệu đã có được giữ nguyên).",
        summary.agencies_created, summary.people_created
    );
    println!("Quản trị viên mẫu:");
    println!("  Thư điện tử: {}", summary.admin_email);
    println!("  Mật khẩu:    {}", summary.admin_password);
    println!("Đăng nhập tại http://{}/app/login", app.config.listen);
    Ok(())
}
