//! The `egov` binary: one process that serves everything, plus the
//! operator's commands (migrate, demo, admin, audit, bench, calendar,
//! remind, services).
//!
//! Invariant: commands parse arguments, load configuration, and call `app`;
//! they hold no business rules. Configuration comes from defaults, then
//! `egov.toml`, then `EGOV_*` variables, then these flags.

mod admin;
mod bench;
mod bench_documents;
mod bench_intake;
mod bench_kit;
mod bench_pdf;
mod bench_pki;
mod bench_portal;
mod bench_services;
mod calendar;
mod catalogue;
mod edxml;
mod mail;
mod pdf;
mod pdf_http;
mod pdf_sign;
mod pki;
mod render;
mod serve;
mod services;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use app::App;
use app::clock::SystemClock;
use app::config::{Config, LogFormat};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "egov", version, about = "Nền tảng chính quyền điện tử egov")]
struct Cli {
    /// Tệp cấu hình (mặc định: ./egov.toml nếu có).
    #[arg(long, global = true, env = "EGOV_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Địa chỉ lắng nghe, ví dụ 127.0.0.1:8080.
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Thư mục dữ liệu (cơ sở dữ liệu SQLite và kho tệp).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Chạy máy chủ (áp dụng migration khi khởi động).
    Serve(ServeArgs),
    /// Áp dụng các migration chưa chạy rồi thoát.
    Migrate {
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Tạo dữ liệu mẫu tỉnh Trà Vinh (tháng 4/2021) rồi chạy máy chủ.
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
        /// Chỉ nạp dữ liệu mẫu, không chạy máy chủ.
        #[arg(long)]
        no_serve: bool,
    },
    /// Công việc quản trị.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Nhật ký kiểm tra.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Đo hiệu năng trên máy này.
    Bench(bench::BenchArgs),
    /// Lịch âm, ngày lễ, ngày làm việc.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Gửi, nhận văn bản dạng gói edXML (QCVN 102:2016).
    #[command(subcommand)]
    Edxml(edxml::EdxmlCommand),
    /// In tài liệu OpenAPI của API.
    Openapi,
    /// Thư điện tử công vụ: tên miền, cấp hộp thư lên máy chủ thư, đối chiếu, gửi thư chờ.
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Chữ ký số trên tệp PDF: kiểm tra.
    #[command(subcommand)]
    Pdf(pdf::PdfCommand),
    /// Tổ chức cấp chứng thư số: khởi tạo, cấp, thu hồi, CRL.
    #[command(subcommand)]
    Pki(pki::PkiCommand),
    /// Nhắc hạn xử lý văn bản một lần (máy chủ tự chạy mỗi giờ).
    Remind,
    /// Xuất văn bản hành chính (DOCX, PDF).
    #[command(subcommand)]
    Render(render::RenderCommand),
    /// Dịch vụ công: đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia.
    #[command(subcommand)]
    Services(services::ServicesCommand),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Kiểm tra tính toàn vẹn của chuỗi nhật ký; thoát với mã khác 0 nếu có mục bị sửa hoặc xóa.
    Verify,
}

fn load_config(
    cli_file: Option<&std::path::Path>,
    serve: Option<&ServeArgs>,
    data_dir: Option<&PathBuf>,
) -> anyhow::Result<Config> {
    let mut config = Config::load(cli_file, std::env::vars())?;
    if let Some(args) = serve {
        if let Some(listen) = args.listen {
            config.listen = listen;
        }
        if let Some(dir) = &args.data_dir {
            config.data_dir.clone_from(dir);
        }
    }
    if let Some(dir) = data_dir {
        config.data_dir.clone_from(dir);
    }
    Ok(config)
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log.filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn open(config: Config) -> anyhow::Result<App> {
    tracing::info!(database = %config.database_label(), data_dir = %config.data_dir.display(), "opening");
    App::open(config, Arc::new(SystemClock))
        .await
        .context("không mở được cơ sở dữ liệu")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let file = cli.config.as_deref();
    match cli.command {
        Command::Calendar(command) => calendar::run(&command),
        Command::Render(command) => render::run(&command),
        Command::Openapi => {
            println!("{}", web::openapi_json());
            Ok(())
        }
        Command::Serve(args) => {
            let config = load_config(file, Some(&args), None)?;
            init_logging(&config);
            serve::serve(open(config).await?).await
        }
        Command::Migrate { data_dir } => {
            let config = load_config(file, None, data_dir.as_ref())?;
            init_logging(&config);
            let app = open(config).await?;
            println!("Cơ sở dữ liệu đã ở phiên bản mới nhất.");
            app.store.close().await?;
            Ok(())
        }
        Command::Demo { serve, no_serve } => {
            let mut config = load_config(file, Some(&serve), None)?;
            if config.pki.passphrase.expose().is_empty() {
                config.pki.passphrase = app::config::Secret::new(app::demo::DEMO_PASSPHRASE);
                println!(
                    "CA mẫu: khóa được niêm phong bằng mật khẩu công khai «{}»; chỉ dùng để trình diễn.",
                    app::demo::DEMO_PASSPHRASE
                );
            }
            if config.services.payment.gateway_url.is_empty() {
                config.services.payment = app::config::PaymentConfig::test();
                println!(
                    "Thanh toán trực tuyến: cổng thanh toán thử nghiệm tại /cong-thanh-toan-thu (không chuyển tiền thật)."
                );
            }
            init_logging(&config);
            let app = open(config).await?;
            serve::load_demo(&app).await?;
            if no_serve {
                Ok(())
            } else {
                serve::serve(app).await
            }
        }
        Command::Admin(command) => {
            let config = load_config(file, None, None)?;
            init_logging(&config);
            admin::run(&open(config).await?, command).await
        }
        Command::Audit(AuditCommand::Verify) => {
            let config = load_config(file, None, None)?;
            init_logging(&config);
            admin::verify_audit(&open(config).await?).await
        }
        Command::Pdf(command) => {
            if pdf::run(&command)? {
                Ok(())
            } else {
                std::process::exit(1)
            }
        }
        Command::Pki(command) => {
            let config = load_config(file, None, None)?;
            init_logging(&config);
            pki::run(&open(config).await?, command).await
        }
        Command::Edxml(command) => {
            let config = load_config(file, None, None)?;
            init_logging(&config);
            edxml::run(&open(config).await?, command).await
        }
        Command::Remind => {
            let config = load_config(file, None, None)?;
            init_logging(&config);
            serve::remind(&open(config).await?).await
        }
        Command::Services(command) => {
            let config = load_config(file, None, None)?;
            init_logging(&config);
            services::run(&open(config).await?, command).await
        }
        Command::Mail(command) => {
            let config = load_config(file, None, None)?;
            init_logging(&config);
            mail::run(&open(config).await?, command).await
        }
        Command::Bench(args) => bench::run(args).await,
    }
}
