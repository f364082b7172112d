//! `egov bench pki`: the certificate authority's throughput beside the
//! machine's own signing rate for the same key type, measured in the same
//! run (issue 6).
//!
//! On a temporary CA with keys of the chosen type, it measures:
//! - certificates issued per second through `App::issue_certificate`
//!   (CSR check, record, pre-signed OCSP answer, audit entry: two CA
//!   signatures each) from CSRs built beforehand;
//! - OCSP answers per second over HTTP on loopback, with p50 and p99, for
//!   a SHA-1 request without a nonce (served from the pre-signed answers)
//!   and one with a nonce (signed on the spot), with `/healthz` as the
//!   HTTP limit;
//! - the raw signing rate of one core, by `openssl speed` and by aws-lc-rs
//!   in process through `SoftwareKey::sign` (what the CA signs with).

use std::fmt::Write as _;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use app::config::{KeyStore, Secret};
use app::pki::IssueInput;
use app::{App, Ctx};
use der::{Decode as _, Encode as _};
use domain::pki::{Holder, Profile, TokenKind};
use pki::ocsp::IssuerHashes;
use pki::software::SoftwareKey;
use pki::{CaKey as _, Certificate, Digest, KeySpec, SubjectName};

use crate::bench_kit::{
    Fresh, Load, Measured, Shot, bar, cores, fetch, fresh_app, measure, millis, openssl_speed,
    serve_on_loopback,
};

#[derive(Debug, clap::Args)]
pub struct PkiArgs {
    /// Loại khóa của CA: rsa2048, rsa3072, rsa4096, p256, p384 (mặc định: theo cấu hình, rsa3072).
    #[arg(long)]
    key: Option<KeySpec>,
    /// Số chứng thư cấp khi đo, mỗi chứng thư từ một CSR dựng sẵn.
    #[arg(long, default_value_t = 2_000)]
    count: usize,
    /// Số người vận hành cấp chứng thư đồng thời.
    #[arg(long, default_value_t = 2)]
    operators: usize,
    /// Thời gian đo mỗi phép thử OCSP và ký thô (giây).
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Số kết nối đồng thời tới máy chủ OCSP.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Cơ sở dữ liệu để đo, chưa có CA (mặc định: một tệp SQLite tạm).
    #[arg(long)]
    database_url: Option<String>,
}

const OCSP_REQUEST: &str = "application/ocsp-request";

/// The temporary CA, set up in a fresh database.
struct TempCa {
    fresh: Fresh,
    spec: KeySpec,
    digest: Digest,
    root: Vec<u8>,
    issuing: Certificate,
}

impl TempCa {
    async fn set_up(args: &PkiArgs) -> anyhow::Result<Self> {
        let passphrase = random_hex::<16>()?;
        let mut chosen = None;
        let fresh = fresh_app(args.database_url.clone(), |config| {
            if let Some(key) = args.key {
                key.name().clone_into(&mut config.pki.key_type);
            }
            // Software keys, whatever the configuration says: the bench
            // compares the CA with the CPU's signing rate, not a token's.
            // The passphrase is random and forgotten, so that nothing can
            // sign with this CA once the bench is over, even in a database
            // that outlives it.
            config.pki.keys = KeyStore::Software;
            config.pki.passphrase = Secret::new(passphrase);
            chosen = Some(config.pki.key_type.clone());
        })
        .await?;
        let spec: KeySpec = chosen.unwrap_or_default().parse()?;
        let authorities = fresh.app.pki_init(&Ctx::system("bench")).await.context(
            "không khởi tạo được CA tạm (egov bench pki cần một cơ sở dữ liệu chưa có CA)",
        )?;
        let find = |name: &str| {
            authorities
                .iter()
                .find(|a| a.name == name)
                .with_context(|| format!("CA vừa khởi tạo thiếu «{name}»"))
        };
        let issuing = find(app::pki::ISSUING)?;
        Ok(Self {
            spec,
            digest: issuing.digest.parse()?,
            root: find(app::pki::ROOT)?.certificate.clone(),
            issuing: Certificate::from_der(&issuing.certificate)?,
            fresh,
        })
    }
}

pub async fn run(args: &PkiArgs) -> anyhow::Result<()> {
    let set_up = Instant::now();
    let ca = TempCa::set_up(args).await?;
    let (app, spec) = (&ca.fresh.app, ca.spec);
    println!(
        "egov bench pki: khóa {spec} ({}), dữ liệu mẫu và CA sẵn sàng sau {:.1} giây; {} chứng thư, {} người cấp đồng thời, {} kết nối OCSP, {} giây mỗi phép thử; CSDL {:?}, {} lõi CPU",
        ca.digest.name(),
        set_up.elapsed().as_secs_f64(),
        args.count,
        args.operators,
        args.connections,
        args.seconds,
        app.store.backend(),
        cores()
    );
    let raw = Raw {
        openssl: openssl_speed(spec, args.seconds).await?,
        aws_lc: raw_signing(&ca, Duration::from_secs(args.seconds)).await?,
    };
    let person = app.person_by_email(&ca.fresh.demo.admin_email).await?;
    let csrs = build_csrs(&person.full_name, &person.email, args.count).await?;
    let (mut issued, serials) = issue(app, person.id, csrs, args.operators).await?;
    let [mut limit, mut stored, mut signed] = ocsp(&ca, args, &serials).await?;

    let mut table = Table::default();
    table.raw(
        &format!("Ký thô aws-lc-rs, SoftwareKey::sign ({spec})"),
        raw.aws_lc,
    );
    table.raw(&format!("Ký thô openssl speed ({spec})"), raw.openssl);
    table.row("Cấp chứng thư", &mut issued, Some(raw), None);
    let http = limit.per_second();
    table.row(
        "OCSP ký sẵn, SHA-1 không nonce",
        &mut stored,
        None,
        Some(http),
    );
    table.row("OCSP có nonce, ký ngay", &mut signed, Some(raw), Some(http));
    table.row("GET /healthz (giới hạn HTTP)", &mut limit, None, None);
    print!("{}", table.text);
    println!(
        "Ký thô: một lõi. Mỗi chứng thư cần 2 chữ ký của CA (chứng thư và trả lời OCSP ký sẵn) và 1 lần kiểm chữ ký CSR (khóa P-256 của người được cấp); mỗi trả lời có nonce cần 1 chữ ký. Máy chủ và bộ tạo tải dùng chung {} lõi.",
        cores()
    );
    Ok(())
}

/// OCSP over HTTP on loopback: `/healthz`, then an answer for each serial
/// from the pre-signed ones, then one signed on the spot for each with a
/// nonce of its own.
async fn ocsp(ca: &TempCa, args: &PkiArgs, serials: &[String]) -> anyhow::Result<[Measured; 3]> {
    let address = serve_on_loopback(&ca.fresh.app).await?;
    let hashes = IssuerHashes::of(&ca.issuing)?;
    let mut presigned = Vec::with_capacity(serials.len());
    let mut with_nonce = Vec::with_capacity(serials.len());
    for serial in serials {
        let id = hashes.sha1_cert_id(&serial.parse()?)?;
        let ids = std::slice::from_ref(&id);
        let nonce = random_bytes::<16>()?;
        for (shots, nonce) in [(&mut presigned, None), (&mut with_nonce, Some(&nonce[..]))] {
            shots.push(Shot::post(
                "/pki/ocsp",
                OCSP_REQUEST,
                pki::ocsp::request(ids, nonce)?,
            ));
        }
    }
    let presigned = Arc::new(Load {
        shots: presigned,
        judge: pki::ocsp::is_successful,
    });
    let with_nonce = Arc::new(Load {
        shots: with_nonce,
        judge: pki::ocsp::is_successful,
    });
    let healthz = Arc::new(Load::one(Shot::get("/healthz")));

    let chain = Chain::write(&ca.root, &ca.issuing.to_der()?)?;
    let sample = check_sample(address, &chain, &presigned, "không nonce").await?;
    check_sample(address, &chain, &with_nonce, "có nonce").await?;
    eprintln!("Làm nóng máy chủ (1 giây)…");
    measure(address, &healthz, args.connections, Duration::from_secs(1)).await?;
    // Signed on the spot, an answer made over a second later would differ
    // (in producedAt, and in the signature for ECDSA): the same bytes mean
    // the phase below measures the pre-signed path it is named after.
    if let Some(first) = presigned.shots.first()
        && fetch(address, first, presigned.judge).await? != sample
    {
        bail!("trả lời OCSP không nonce không lấy từ bản ký sẵn");
    }
    eprintln!("Đo GET /healthz, OCSP ký sẵn, OCSP có nonce…");
    let seconds = Duration::from_secs(args.seconds);
    Ok([
        measure(address, &healthz, args.connections, seconds).await?,
        measure(address, &presigned, args.connections, seconds).await?,
        measure(address, &with_nonce, args.connections, seconds).await?,
    ])
}

fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("không lấy được số ngẫu nhiên: {e}"))?;
    Ok(bytes)
}

fn random_hex<const N: usize>() -> anyhow::Result<String> {
    Ok(random_bytes::<N>()?
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        }))
}

/// Signatures per second on one core with a fresh key of the CA's type
/// through the CA's own signing code, over the issuing CA's
/// to-be-signed certificate (a message of the size the CA signs).
async fn raw_signing(ca: &TempCa, duration: Duration) -> anyhow::Result<f64> {
    eprintln!(
        "Đo ký thô: aws-lc-rs, SoftwareKey::sign ({} giây)…",
        duration.as_secs()
    );
    let (spec, digest) = (ca.spec, ca.digest);
    let message = ca.issuing.tbs_certificate.to_der()?;
    tokio::task::spawn_blocking(move || {
        let key = SoftwareKey::generate(spec)?;
        let started = Instant::now();
        let mut signed = 0u32;
        while started.elapsed() < duration {
            key.sign(digest, &message)?;
            signed += 1;
        }
        Ok(f64::from(signed) / started.elapsed().as_secs_f64())
    })
    .await?
}

/// `count` CSRs for the holder, each with a fresh P-256 key (what the
/// demo's holders have), built before the clock starts.
async fn build_csrs(name: &str, email: &str, count: usize) -> anyhow::Result<Vec<Vec<u8>>> {
    let subject = SubjectName {
        common_name: name.to_owned(),
        email: Some(email.to_owned()),
        country: "VN".into(),
        ..SubjectName::default()
    };
    let progress = bar(u64::try_from(count)?, "Dựng CSR");
    let built = tokio::task::spawn_blocking(move || {
        (0..count)
            .map(|_| {
                let key = SoftwareKey::generate(KeySpec::EcP256)?;
                let csr = pki::csr::build(&key, Digest::Sha256, &subject)?;
                progress.inc(1);
                Ok(csr)
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })
    .await??;
    Ok(built)
}

/// Issues a certificate from each CSR, `operators` at a time; returns what
/// was measured and the serials issued.
async fn issue(
    app: &App,
    person: i64,
    csrs: Vec<Vec<u8>>,
    operators: usize,
) -> anyhow::Result<(Measured, Vec<String>)> {
    let progress = bar(u64::try_from(csrs.len())?, "Cấp chứng thư");
    let csrs = Arc::new(csrs);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..operators.max(1))
        .map(|_| {
            let (app, csrs, next, progress) =
                (app.clone(), csrs.clone(), next.clone(), progress.clone());
            tokio::spawn(async move {
                let ctx = Ctx::system("bench");
                let mut done = Vec::new();
                while let Some(csr) = csrs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let input = IssueInput {
                        holder: Holder::Person(person),
                        profile: Profile::Personal,
                        token: TokenKind::Usb,
                        csr: Some(csr.clone()),
                        dns_names: Vec::new(),
                        replaces: None,
                        request: None,
                    };
                    let began = Instant::now();
                    let record = app.issue_certificate(&ctx, input).await?;
                    done.push((record.serial, began.elapsed()));
                    progress.inc(1);
                }
                anyhow::Ok(done)
            })
        })
        .collect();
    let mut measured = Measured {
        count: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    let mut serials = Vec::new();
    for worker in workers {
        for (serial, latency) in worker.await?? {
            serials.push(serial);
            measured.latencies.push(latency);
            measured.count += 1;
        }
    }
    measured.elapsed = started.elapsed();
    progress.finish();
    Ok((measured, serials))
}

/// The CA's root and issuing certificates as PEM files, for OpenSSL.
struct Chain {
    dir: tempfile::TempDir,
    root: String,
    issuing: String,
}

impl Chain {
    fn write(root: &[u8], issuing: &[u8]) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let pem = |name: &str, der: &[u8]| -> anyhow::Result<String> {
            let path = dir.path().join(name);
            std::fs::write(&path, pki::pem::encode("CERTIFICATE", der)?)?;
            Ok(path.display().to_string())
        };
        Ok(Self {
            root: pem("root.pem", root)?,
            issuing: pem("issuing.pem", issuing)?,
            dir,
        })
    }
}

/// Asks the first request of `load` over HTTP and has OpenSSL check the
/// answer against it: signature through the chain, nonce, status good.
/// Returns the answer.
async fn check_sample(
    address: std::net::SocketAddr,
    chain: &Chain,
    load: &Load,
    kind: &str,
) -> anyhow::Result<bytes::Bytes> {
    let shot = load.shots.first().context("không có yêu cầu OCSP nào")?;
    let answer = fetch(address, shot, load.judge).await?;
    let request = chain.dir.path().join("request.der");
    let response = chain.dir.path().join("response.der");
    std::fs::write(&request, shot.body())?;
    std::fs::write(&response, &answer)?;
    let args = [
        "ocsp".to_owned(),
        "-reqin".to_owned(),
        request.display().to_string(),
        "-respin".to_owned(),
        response.display().to_string(),
        "-CAfile".to_owned(),
        chain.root.clone(),
        "-verify_other".to_owned(),
        chain.issuing.clone(),
        "-resp_text".to_owned(),
    ];
    let output = tokio::task::spawn_blocking(move || Command::new("openssl").args(args).output())
        .await?
        .context("không chạy được openssl")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success()
        || !text.contains("Response verify OK")
        || !text.contains("Cert Status: good")
        || text.contains("WARNING")
    {
        bail!("OpenSSL không chấp nhận trả lời OCSP {kind}:\n{text}");
    }
    eprintln!("OpenSSL kiểm một trả lời OCSP {kind}: chữ ký đúng, chứng thư còn hiệu lực.");
    Ok(answer)
}

/// The raw signing rates a CA rate is divided by.
#[derive(Clone, Copy)]
struct Raw {
    aws_lc: f64,
    openssl: f64,
}

/// The final table, as text for stdout.
struct Table {
    text: String,
}

impl Default for Table {
    fn default() -> Self {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "\n{:<44} {:>10} {:>9} {:>9} {:>11} {:>10} {:>10}",
            "Phép đo", "mỗi giây", "p50 ms", "p99 ms", "÷ aws-lc-rs", "÷ openssl", "÷ /healthz"
        );
        Self { text }
    }
}

impl Table {
    fn raw(&mut self, name: &str, rate: f64) {
        let _ = writeln!(self.text, "{name:<44} {rate:>10.0}");
    }

    fn row(&mut self, name: &str, m: &mut Measured, raw: Option<Raw>, http: Option<f64>) {
        let rate = m.per_second();
        let ratio = |limit: Option<f64>| {
            limit.map_or_else(|| "—".to_owned(), |l| format!("{:.3}", rate / l))
        };
        let _ = writeln!(
            self.text,
            "{name:<44} {rate:>10.0} {:>9.2} {:>9.2} {:>11} {:>10} {:>10}",
            millis(m.percentile(500)),
            millis(m.percentile(990)),
            ratio(raw.map(|r| r.aws_lc)),
            ratio(raw.map(|r| r.openssl)),
            ratio(http),
        );
    }
}
