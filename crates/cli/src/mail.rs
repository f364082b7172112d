//! `egov mail`: the official e-mail's operator commands — the province's
//! mail domains, provisioning the mail server's account directory from
//! the registry, reconciling the two, and sending the mail outbox once
//! (the server does it every minute). Each command is a variant of
//! [`MailCommand`] with its own function.

use anyhow::{Context as _, bail};
use app::{App, Ctx};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, clap::Subcommand)]
pub enum MailCommand {
    /// Tên miền thư điện tử của tỉnh: khai báo, xem.
    #[command(subcommand)]
    Domain(DomainCommand),
    /// Cấp lên máy chủ thư các hộp thư đã duyệt và các thay đổi đang chờ.
    Provision {
        /// Dừng sau chừng này hộp thư (cấp từng đợt); lần chạy sau làm tiếp.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Đối chiếu sổ hộp thư với danh bạ máy chủ thư; thoát với mã 1 nếu lệch.
    Reconcile {
        /// Viết lại danh bạ máy chủ thư theo sổ để hết lệch.
        #[arg(long)]
        repair: bool,
    },
    /// Gửi ngay các thư đến hạn trong hộp thư đi (máy chủ tự gửi mỗi phút).
    Deliver,
}

#[derive(Debug, clap::Subcommand)]
pub enum DomainCommand {
    /// Khai báo tên miền có hiệu lực từ một ngày (tên miền đang dùng hết hiệu lực ngày đó).
    Add {
        /// Ví dụ: travinh.gov.vn
        name: String,
        /// Ngày bắt đầu hiệu lực, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Địa chỉ cá nhân có hậu tố cơ quan (thanhnn.stttt@…).
        #[arg(long)]
        agency_suffix: bool,
    },
    /// Liệt kê các tên miền.
    List,
}

pub async fn run(app: &App, command: MailCommand) -> anyhow::Result<()> {
    let ctx = Ctx::system("cli");
    match command {
        MailCommand::Domain(DomainCommand::Add {
            name,
            from,
            agency_suffix,
        }) => {
            let from = time::Date::parse(
                &from,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .context("ngày phải có dạng YYYY-MM-DD")?;
            let domain = app
                .add_mail_domain(&ctx, &name, agency_suffix, from)
                .await?;
            println!(
                "Đã khai báo tên miền {} từ ngày {}.",
                domain.name,
                vn::dates::format_short(domain.effective_from)
            );
            Ok(())
        }
        MailCommand::Domain(DomainCommand::List) => {
            for d in app.store.read().await?.mail_domains().await? {
                println!(
                    "{}\ttừ {}\t{}\t{}",
                    d.name,
                    vn::dates::format_short(d.effective_from),
                    d.effective_to.map_or_else(
                        || "đang dùng".to_owned(),
                        |to| format!("đến {}", vn::dates::format_short(to))
                    ),
                    if d.agency_suffix {
                        "có hậu tố cơ quan"
                    } else {
                        "không hậu tố"
                    }
                );
            }
            Ok(())
        }
        MailCommand::Provision { limit } => provision(app, &ctx, limit).await,
        MailCommand::Reconcile { repair } => reconcile(app, &ctx, repair).await,
        MailCommand::Deliver => deliver(app).await,
    }
}

async fn provision(app: &App, ctx: &Ctx, limit: Option<usize>) -> anyhow::Result<()> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("Cấp hộp thư [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let done = app
        .provision_mailboxes(ctx, limit, |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await
        .context("không cấp được hộp thư")?;
    bar.finish_and_clear();
    println!(
        "Đã cập nhật {} hộp thư lên máy chủ thư ({} hộp thư mới); còn {} hộp thư chờ.",
        done.applied, done.created, done.waiting
    );
    Ok(())
}

async fn reconcile(app: &App, ctx: &Ctx, repair: bool) -> anyhow::Result<()> {
    let found = app
        .reconcile_mailboxes(ctx, repair)
        .await
        .context("không đối chiếu được")?;
    for drift in &found.drift {
        println!("{drift}");
    }
    if found.waiting > 0 {
        println!(
            "{} hộp thư đang chờ cấp (chưa tính là lệch).",
            found.waiting
        );
    }
    match (found.drift.len(), found.repaired) {
        (0, false) => {
            println!("Không có chênh lệch giữa sổ hộp thư và máy chủ thư.");
            Ok(())
        }
        (n, true) => {
            println!("Đã viết lại danh bạ máy chủ thư theo sổ ({n} chênh lệch).");
            Ok(())
        }
        (n, false) => {
            bail!("{n} chênh lệch giữa sổ hộp thư và máy chủ thư (chạy lại với --repair để sửa)")
        }
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
