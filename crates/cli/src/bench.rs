//! `egov bench`: throughput of the running stack on this machine, reported
//! as a ratio to the machine's own limit measured in the same run.
//!
//! The limit is `/healthz` (HTTP, routing, one trivial query) served by the
//! same process over loopback; the measured path is an authenticated API
//! read that does what a real client does: token lookup, the person and
//! their roles, the agency tree.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use app::App;
use app::auth::Login;
use app::clock::SystemClock;
use app::config::{Config, Secret};
use bytes::Bytes;
use domain::auth::SessionKind;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;

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

/// What one phase measured.
struct Measured {
    requests: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Measured {
    #[allow(clippy::cast_precision_loss)] // Request counts stay far below 2^52.
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency below which `per_mille` thousandths of requests fell.
    fn percentile(&mut self, per_mille: usize) -> Duration {
        self.latencies.sort_unstable();
        let index = self.latencies.len().saturating_sub(1) * per_mille / 1000;
        self.latencies.get(index).copied().unwrap_or_default()
    }
}

async fn one_connection(
    address: SocketAddr,
    path: &'static str,
    token: Arc<String>,
    until: Instant,
) -> anyhow::Result<(u64, Vec<Duration>)> {
    let stream = tokio::net::TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut done = 0;
    let mut latencies = Vec::new();
    while Instant::now() < until {
        let request = hyper::Request::get(path)
            .header("host", "bench")
            .header("authorization", format!("Bearer {token}"))
            .body(Empty::<Bytes>::new())?;
        let started = Instant::now();
        let response = sender.send_request(request).await?;
        let status = response.status();
        response.into_body().collect().await?;
        if !status.is_success() {
            bail!("{path} trả về {status}");
        }
        latencies.push(started.elapsed());
        done += 1;
    }
    Ok((done, latencies))
}

async fn measure(
    address: SocketAddr,
    path: &'static str,
    token: &Arc<String>,
    args: &BenchArgs,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let workers: Vec<_> = (0..args.connections)
        .map(|_| tokio::spawn(one_connection(address, path, token.clone(), until)))
        .collect();
    let mut measured = Measured {
        requests: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for worker in workers {
        let (count, latencies) = worker.await??;
        measured.requests += count;
        measured.latencies.extend(latencies);
    }
    measured.elapsed = started.elapsed();
    Ok(measured)
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
        None => {}
    }
    let data = tempfile::tempdir().context("không tạo được thư mục tạm")?;
    let mut config = Config::load(None, std::iter::empty())?;
    config.data_dir = data.path().to_owned();
    config.database_url = args.database_url.clone().map(Secret::new);
    config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let app = App::open(config, Arc::new(SystemClock)).await?;
    let demo = app.load_demo(|_, _| {}).await?;
    let session = app
        .login(Login {
            email: &demo.admin_email,
            password: &demo.admin_password,
            totp_code: None,
            kind: SessionKind::Api,
            source: None,
        })
        .await?;
    let token = Arc::new(session.token);

    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let address = listener.local_addr()?;
    tokio::spawn(web::serve(app.clone(), listener, std::future::pending()));

    println!(
        "egov bench: {} kết nối, {} giây mỗi phép thử, CSDL {:?}, {} lõi CPU",
        args.connections,
        args.seconds,
        app.store.backend(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    // Warm up caches and connections before measuring.
    let warm = BenchArgs {
        target: None,
        seconds: 1,
        connections: args.connections,
        database_url: None,
    };
    measure(address, "/healthz", &token, &warm).await?;
    let mut limit = measure(address, "/healthz", &token, &args).await?;
    let mut read = measure(address, "/api/v1/agencies", &token, &args).await?;
    let mut me = measure(address, "/api/v1/auth/me", &token, &args).await?;
    for (name, m) in [
        ("GET /healthz (giới hạn của máy)", &mut limit),
        ("GET /api/v1/agencies", &mut read),
        ("GET /api/v1/auth/me", &mut me),
    ] {
        let (p50, p99) = (m.percentile(500), m.percentile(990));
        println!(
            "{name:<34} {:>9.0} yêu cầu/giây   p50 {:>7.2} ms   p99 {:>7.2} ms",
            m.per_second(),
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
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
