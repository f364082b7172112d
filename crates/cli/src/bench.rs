//! `egov bench`: throughput of the running stack on this machine, reported
//! as a ratio to the machine's own limit measured in the same run.
//!
//! The limit is `/healthz` (HTTP, routing, one trivial query) served by the
//! same process over loopback; the measured path is an authenticated API
//! read that does what a real client does: token lookup, the person and
//! their roles, the agency tree.

use std::sync::Arc;
use std::time::Duration;

use app::auth::Login;
use domain::auth::SessionKind;

use crate::bench_kit::{Load, Shot, cores, fresh_app, measure, millis, serve_on_loopback};

#[derive(Debug, clap::Subcommand)]
pub enum BenchTarget {
    /// Số trang mỗi giây khi xuất báo cáo 20 trang ra PDF và DOCX.
    Render {
        /// Số giây đo cho mỗi định dạng.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Thư mục phông chữ (lặp lại được); mặc định là thư mục của Debian.
        #[arg(long = "font-dir")]
        font_dirs: Vec<std::path::PathBuf>,
    },
    /// Sổ văn bản cỡ cả tỉnh: nạp N văn bản, đo tốc độ vào sổ, tìm kiếm, trang sổ.
    Documents(crate::bench_documents::DocumentsArgs),
    /// CA: chứng thư cấp mỗi giây, trả lời OCSP mỗi giây, bên cạnh tốc độ ký thô của cùng loại khóa.
    Pki(crate::bench_pki::PkiArgs),
    /// Dịch vụ công: hồ sơ nộp trực tuyến mỗi giây (kèm tệp 100 KB) bên cạnh tốc độ ghi tệp thô; rồi nạp N hồ sơ, đo thời gian truy vấn thống kê báo cáo bên cạnh count(*) của cùng bảng.
    Services(crate::bench_services::ServicesArgs),
    /// Chữ ký PDF: chữ ký mỗi giây bên cạnh openssl speed và pyHanko, thời gian kiểm tra, bộ nhớ khi ký tệp lớn.
    Pdf(crate::bench_pdf::PdfArgs),
    /// Cổng thông tin: yêu cầu mỗi giây và p99 của trang bài viết (đã lưu đệm) và trang tìm kiếm (không lưu đệm), bên cạnh /healthz.
    Portal(crate::bench_portal::PortalArgs),
}

/// Without a target, `egov bench` measures the HTTP stack.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    target: Option<BenchTarget>,
    /// Thời gian đo mỗi phép thử (giây).
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Số kết nối đồng thời.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Cơ sở dữ liệu để đo (mặc định: một tệp SQLite tạm). Dữ liệu mẫu sẽ được nạp vào đó.
    #[arg(long)]
    database_url: Option<String>,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    match &args.target {
        Some(BenchTarget::Render { seconds, font_dirs }) => {
            return crate::render::bench(
                Duration::from_secs(*seconds),
                &crate::render::fonts(font_dirs)?,
            );
        }
        Some(BenchTarget::Documents(documents)) => {
            return crate::bench_documents::run(documents).await;
        }
        Some(BenchTarget::Pki(pki)) => return crate::bench_pki::run(pki).await,
        Some(BenchTarget::Pdf(pdf)) => return crate::bench_pdf::run(pdf).await,
        Some(BenchTarget::Services(services)) => return crate::bench_services::run(services).await,
        Some(BenchTarget::Portal(portal)) => return crate::bench_portal::run(portal).await,
        None => {}
    }
    let fresh = fresh_app(args.database_url.clone(), |_| {}).await?;
    let (app, demo) = (&fresh.app, &fresh.demo);
    let session = app
        .login(Login {
            email: &demo.admin_email,
            password: &demo.admin_password,
            totp_code: None,
            kind: SessionKind::Api,
            source: None,
        })
        .await?;
    let address = serve_on_loopback(app).await?;

    println!(
        "egov bench: {} kết nối, {} giây mỗi phép thử, CSDL {:?}, {} lõi CPU",
        args.connections,
        args.seconds,
        app.store.backend(),
        cores()
    );
    let signed_in = |path: &str| -> anyhow::Result<Arc<Load>> {
        Ok(Arc::new(Load::one(Shot::get(path).bearer(&session.token)?)))
    };
    let (healthz, agencies, me) = (
        signed_in("/healthz")?,
        signed_in("/api/v1/agencies")?,
        signed_in("/api/v1/auth/me")?,
    );
    let (connections, seconds) = (args.connections, Duration::from_secs(args.seconds));
    // Warm up caches and connections before measuring.
    measure(address, &healthz, connections, Duration::from_secs(1)).await?;
    let mut limit = measure(address, &healthz, connections, seconds).await?;
    let mut read = measure(address, &agencies, connections, seconds).await?;
    let mut me = measure(address, &me, connections, seconds).await?;
    for (name, m) in [
        ("GET /healthz (giới hạn của máy)", &mut limit),
        ("GET /api/v1/agencies", &mut read),
        ("GET /api/v1/auth/me", &mut me),
    ] {
        let (p50, p99) = (m.percentile(500), m.percentile(990));
        println!(
            "{name:<34} {:>9.0} yêu cầu/giây   p50 {:>7.2} ms   p99 {:>7.2} ms",
            m.per_second(),
            millis(p50),
            millis(p99)
        );
    }
    println!(
        "Tỷ lệ GET /api/v1/agencies / GET /healthz: {:.3}",
        read.per_second() / limit.per_second()
    );
    println!(
        "Tỷ lệ GET /api/v1/auth/me / GET /healthz: {:.3}",
        me.per_second() / limit.per_second()
    );
    Ok(())
}
