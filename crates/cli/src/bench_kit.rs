//! What the benches share: a fresh app with the demo province in a
//! temporary folder, the real server on loopback, the load generator that
//! drives it over keep-alive HTTP/1.1 connections, and latencies.
//!
//! The load generator runs in the same process and on the same cores as
//! the server, so what it measures is a ratio to another path measured the
//! same way in the same run, never an absolute capacity.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use app::App;
use app::clock::SystemClock;
use app::config::{Config, Secret};
use app::demo::DemoSummary;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue};
use hyper_util::rt::TokioIo;
use indicatif::{ProgressBar, ProgressStyle};
use pki::KeySpec;

/// The app on a fresh database with the demo province loaded. The
/// temporary folder (blobs, and the SQLite file unless another database
/// was given) lives as long as this.
pub struct Fresh {
    pub app: App,
    pub demo: DemoSummary,
    _data: tempfile::TempDir,
}

/// Opens the app on `database_url`, or on a SQLite file in a temporary
/// folder, with the defaults (and `./egov.toml`, not the environment:
/// a bench must not write into the database a shell happens to point at),
/// after `configure` has had its say; then loads the demo province.
pub async fn fresh_app(
    database_url: Option<String>,
    configure: impl FnOnce(&mut Config),
) -> anyhow::Result<Fresh> {
    let data = tempfile::tempdir().context("không tạo được thư mục tạm")?;
    let mut config = Config::load(None, std::iter::empty())?;
    config.data_dir = data.path().to_owned();
    config.database_url = database_url.map(Secret::new);
    configure(&mut config);
    let app = App::open(config, Arc::new(SystemClock)).await?;
    let demo = app.load_demo(|_, _| {}).await?;
    Ok(Fresh {
        app,
        demo,
        _data: data,
    })
}

/// Serves `app` with the real router on a free loopback port.
pub async fn serve_on_loopback(app: &App) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let address = listener.local_addr()?;
    tokio::spawn(web::serve(app.clone(), listener, std::future::pending()));
    Ok(address)
}

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The latency below which `per_mille` thousandths of `latencies` fell.
pub fn percentile(latencies: &mut [Duration], per_mille: usize) -> Duration {
    latencies.sort_unstable();
    let index = latencies.len().saturating_sub(1) * per_mille / 1000;
    latencies.get(index).copied().unwrap_or_default()
}

pub fn bar(len: u64, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, còn {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// A small deterministic generator: the same data every run.
pub struct Noise(pub u64);

impl Noise {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let len = u64::try_from(items.len()).unwrap_or(1).max(1);
        let i = usize::try_from(self.next() % len).unwrap_or(0);
        &items[i]
    }
}

/// What one phase measured: how many operations in how long, and each
/// one's latency.
pub struct Measured {
    pub count: u64,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
}

impl Measured {
    #[allow(clippy::cast_precision_loss)] // Counts stay far below 2^52.
    pub fn per_second(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64()
    }

    pub fn percentile(&mut self, per_mille: usize) -> Duration {
        percentile(&mut self.latencies, per_mille)
    }
}

/// One request the load generator sends again and again.
#[derive(Clone)]
pub struct Shot {
    method: hyper::Method,
    path: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

impl Shot {
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: hyper::Method::GET,
            path: path.into(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    pub fn post(
        path: impl Into<String>,
        content_type: &'static str,
        body: impl Into<Bytes>,
    ) -> Self {
        Self {
            method: hyper::Method::POST,
            path: path.into(),
            headers: vec![(
                hyper::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            )],
            body: body.into(),
        }
    }

    pub fn bearer(mut self, token: &str) -> anyhow::Result<Self> {
        self.headers.push((
            hyper::header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}"))?,
        ));
        Ok(self)
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    fn request(&self) -> anyhow::Result<hyper::Request<Full<Bytes>>> {
        let mut request = hyper::Request::builder()
            .method(self.method.clone())
            .uri(&self.path)
            .header(hyper::header::HOST, "bench");
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        Ok(request.body(Full::new(self.body.clone()))?)
    }
}

/// What a phase sends and how it judges the answers.
pub struct Load {
    /// Sent in turn, each connection starting at its own place, so that
    /// concurrent requests ask different things.
    pub shots: Vec<Shot>,
    /// Whether a 2xx answer's body is what was asked for.
    pub judge: fn(&[u8]) -> bool,
}

impl Load {
    /// The same request every time, any successful answer accepted.
    pub fn one(shot: Shot) -> Self {
        Self {
            shots: vec![shot],
            judge: |_| true,
        }
    }
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(address: SocketAddr) -> anyhow::Result<Sender> {
    let stream = tokio::net::TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// Sends `shot` and reads the whole answer, which must be a 2xx that
/// `judge` accepts.
async fn send(sender: &mut Sender, shot: &Shot, judge: fn(&[u8]) -> bool) -> anyhow::Result<Bytes> {
    let response = sender.send_request(shot.request()?).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    if !status.is_success() {
        bail!("{} {} trả về {status}", shot.method, shot.path);
    }
    if !judge(&body) {
        bail!("{} {}: câu trả lời không đúng", shot.method, shot.path);
    }
    Ok(body)
}

/// One answer to `shot`, on a connection of its own: a sample to look at
/// closely.
pub async fn fetch(
    address: SocketAddr,
    shot: &Shot,
    judge: fn(&[u8]) -> bool,
) -> anyhow::Result<Bytes> {
    send(&mut connect(address).await?, shot, judge).await
}

async fn one_connection(
    address: SocketAddr,
    load: Arc<Load>,
    start: usize,
    until: Instant,
) -> anyhow::Result<(u64, Vec<Duration>)> {
    let mut sender = connect(address).await?;
    let mut done = 0;
    let mut latencies = Vec::new();
    let mut next = start;
    while Instant::now() < until {
        let Some(shot) = load.shots.get(next % load.shots.len().max(1)) else {
            bail!("không có yêu cầu nào để gửi");
        };
        next += 1;
        let started = Instant::now();
        send(&mut sender, shot, load.judge).await?;
        latencies.push(started.elapsed());
        done += 1;
    }
    Ok((done, latencies))
}

/// Sends `load` to `address` on `connections` connections for `duration`.
pub async fn measure(
    address: SocketAddr,
    load: &Arc<Load>,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let until = started + duration;
    let spread = load.shots.len() / connections.max(1);
    let workers: Vec<_> = (0..connections)
        .map(|c| tokio::spawn(one_connection(address, load.clone(), c * spread, until)))
        .collect();
    let mut measured = Measured {
        count: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for worker in workers {
        let (count, latencies) = worker.await??;
        measured.count += count;
        measured.latencies.extend(latencies);
    }
    measured.elapsed = started.elapsed();
    Ok(measured)
}

/// `openssl speed`'s signatures per second for `spec` on one core.
pub async fn openssl_speed(spec: KeySpec, seconds: u64) -> anyhow::Result<f64> {
    let algorithm = match spec {
        KeySpec::Rsa2048 => "rsa2048",
        KeySpec::Rsa3072 => "rsa3072",
        KeySpec::Rsa4096 => "rsa4096",
        KeySpec::EcP256 => "ecdsap256",
        KeySpec::EcP384 => "ecdsap384",
    };
    eprintln!("Đo ký thô: openssl speed {algorithm} ({seconds} giây ký, {seconds} giây kiểm)…");
    let seconds = seconds.to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("openssl")
            .args(["speed", "-seconds", &seconds, "-elapsed", algorithm])
            .output()
    })
    .await?
    .context("không chạy được openssl (cần cho phép đo ký thô)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "openssl speed {algorithm} thất bại: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    sign_rate(&text, spec).with_context(|| format!("không đọc được kết quả openssl speed:\n{text}"))
}

/// The `sign/s` column of `openssl speed`'s table for `spec`. The column is
/// found by its heading, counted from the right, because OpenSSL 3.2 and
/// later add encryption columns after it for RSA, and the row's label has
/// numbers of its own ("rsa 2048 bits").
fn sign_rate(text: &str, spec: KeySpec) -> Option<f64> {
    let label = match spec {
        KeySpec::EcP256 => vec!["(nistp256)".to_owned()],
        KeySpec::EcP384 => vec!["(nistp384)".to_owned()],
        _ => vec!["rsa".to_owned(), spec.bits().to_string(), "bits".to_owned()],
    };
    let mut heading: Option<Vec<&str>> = None;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.contains(&"sign/s") {
            heading = Some(words);
        } else if words.windows(label.len()).any(|w| w == label.as_slice()) {
            let heading = heading.as_ref()?;
            let from_right = heading.len() - heading.iter().position(|w| *w == "sign/s")?;
            return words
                .get(words.len().checked_sub(from_right)?)?
                .parse()
                .ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_column_is_read_from_openssl_speed() {
        let openssl_3_0 = "\
version: 3.0.19
                  sign    verify    sign/s verify/s
rsa 2048 bits 0.000245s 0.000016s   4083.0  60943.0
";
        assert_eq!(sign_rate(openssl_3_0, KeySpec::Rsa2048), Some(4083.0));
        assert_eq!(sign_rate(openssl_3_0, KeySpec::Rsa3072), None);
        let openssl_3_5 = "\
                   sign    verify    encrypt   decrypt   sign/s verify/s  encr./s  decr./s
rsa   2048 bits 0.000610s 0.000018s 0.000018s 0.000616s   1639.3  56330.3  54712.7   1623.4
";
        assert_eq!(sign_rate(openssl_3_5, KeySpec::Rsa2048), Some(1639.3));
        let ecdsa = "\
                              sign    verify    sign/s verify/s
 256 bits ecdsa (nistp256)   0.0000s   0.0001s  49993.0  16695.0
 384 bits ecdsa (nistp384)   0.0007s   0.0006s   1401.2   1735.9
";
        assert_eq!(sign_rate(ecdsa, KeySpec::EcP256), Some(49993.0));
        assert_eq!(sign_rate(ecdsa, KeySpec::EcP384), Some(1401.2));
        assert_eq!(sign_rate("", KeySpec::EcP256), None);
    }
}
