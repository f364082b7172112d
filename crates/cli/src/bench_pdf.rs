//! `egov bench pdf`: PDF signatures (issue 7) beside the machine's own
//! limits, measured in the same run:
//! - PAdES B-B signatures per second on a one-page official document, for
//!   RSA-2048 and ECDSA P-256, beside `openssl speed` for the same key
//!   type (the raw signing rate of one core) and beside pyHanko signing
//!   the same file with the same key and certificate in one Python
//!   process;
//! - validation time of files carrying 1, 5 and 10 signatures;
//! - peak memory signing a large PDF (200 MiB by default), in a child
//!   process so that nothing else counts.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use der::Encode as _;
use pki::software::SoftwareKey;
use pki::{CaKey, KeySpec, Profile, SubjectName};

use crate::bench_kit::openssl_speed;

/// pyHanko's side of the comparison, run with the venv's Python.
const PYHANKO_SCRIPT: &str = include_str!("../../../scripts/bench-pyhanko.py");

#[derive(Debug, clap::Args)]
pub struct PdfArgs {
    /// Thời gian đo mỗi phép thử (giây).
    #[arg(long, default_value_t = 3)]
    seconds: u64,
    /// Cỡ tệp PDF lớn để đo bộ nhớ đỉnh khi ký (MiB); 0 để bỏ qua.
    #[arg(long, default_value_t = 200)]
    big_mib: u64,
    /// Python có pyHanko (scripts/setup.sh --test cài vào target/pyhanko).
    #[arg(long, default_value = "target/pyhanko/bin/python")]
    pyhanko_python: PathBuf,
    /// Thư mục phông chữ cho văn bản mẫu (lặp lại được); mặc định là thư mục của Debian.
    #[arg(long = "font-dir")]
    font_dirs: Vec<PathBuf>,
    /// Nội bộ: ký tệp lớn trong thư mục này và in bộ nhớ đỉnh.
    #[arg(long, hide = true)]
    sign_big: Option<PathBuf>,
}

/// A signer's key and certificate under a fresh root, also written as PEM
/// files for pyHanko.
struct Material {
    spec: KeySpec,
    key: SoftwareKey,
    certificate: Vec<u8>,
    root: Vec<u8>,
    dir: PathBuf,
}

impl Material {
    /// The signer's key is made by OpenSSL (as a holder's would be) and
    /// read back, so egov and pyHanko sign with the very same key.
    fn make(spec: KeySpec, dir: &Path) -> anyhow::Result<Self> {
        let dir = dir.join(spec.name());
        std::fs::create_dir_all(&dir)?;
        let pkeyopt = match spec {
            KeySpec::EcP256 => "ec_paramgen_curve:P-256".to_owned(),
            KeySpec::EcP384 => "ec_paramgen_curve:P-384".to_owned(),
            _ => format!("rsa_keygen_bits:{}", spec.bits()),
        };
        let algorithm = if spec.is_rsa() { "RSA" } else { "EC" };
        let key_pem = dir.join("key.pem");
        let out = Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                algorithm,
                "-pkeyopt",
                &pkeyopt,
                "-out",
            ])
            .arg(&key_pem)
            .output()
            .context("không chạy được openssl")?;
        if !out.status.success() {
            bail!("openssl genpkey: {}", String::from_utf8_lossy(&out.stderr));
        }
        let key = SoftwareKey::from_pkcs8(&pki::pem::der_of(
            &std::fs::read(&key_pem)?,
            &["PRIVATE KEY"],
        )?)?;
        let root_key = SoftwareKey::generate(spec)?;
        let digest = spec.natural_digest();
        let now = time::OffsetDateTime::now_utc();
        let template = |name: &str, public: &spki::SubjectPublicKeyInfoOwned, profile| {
            Ok::<_, anyhow::Error>(pki::Template {
                serial: pki::Serial::random()?,
                subject: SubjectName {
                    common_name: name.to_owned(),
                    country: "VN".into(),
                    ..Default::default()
                }
                .to_name()?,
                public_key: public.clone(),
                profile,
                not_before: now - time::Duration::hours(1),
                not_after: now + time::Duration::days(30),
                email: None,
                dns_names: Vec::new(),
            })
        };
        let root = pki::cert::self_signed(
            &root_key,
            digest,
            &template("Bench Root CA", root_key.public_key(), Profile::Root)?,
        )?;
        let authority = pki::Authority {
            certificate: root,
            key: Box::new(root_key),
            digest,
            urls: None,
        };
        let certificate = authority
            .issue(&template(
                "Nguyễn Văn Đo",
                key.public_key(),
                Profile::Personal,
            )?)?
            .to_der()?;
        let root = authority.certificate.to_der()?;
        std::fs::write(
            dir.join("cert.pem"),
            pki::pem::encode("CERTIFICATE", &certificate)?,
        )?;
        std::fs::write(
            dir.join("root.pem"),
            pki::pem::encode("CERTIFICATE", &root)?,
        )?;
        Ok(Self {
            spec,
            key,
            certificate,
            root,
            dir,
        })
    }

    fn signer(&self) -> pdf::Signer<'_> {
        pdf::Signer {
            key: &self.key,
            digest: self.spec.natural_digest(),
            certificate: self.certificate.clone(),
            chain: Vec::new(),
        }
    }

    fn sign(&self, original: &[u8], limits: &pdf::Limits) -> anyhow::Result<Vec<u8>> {
        let mut options = pdf::SignOptions::new(time::OffsetDateTime::now_utc());
        options.limits = limits.clone();
        Ok(pdf::sign(original, &self.signer(), &options)?)
    }
}

/// One key type's signing rates.
struct Rates {
    spec: KeySpec,
    egov: f64,
    openssl: f64,
    pyhanko: Option<f64>,
}

pub async fn run(args: &PdfArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.sign_big {
        return sign_big(dir);
    }
    let dir = tempfile::tempdir().context("không tạo được thư mục tạm")?;
    let seconds = Duration::from_secs(args.seconds);
    let fonts = crate::render::fonts(&args.font_dirs)?;
    let document = render::pdf::render(&one_page_document(), &fonts)?;
    if document.pages != 1 {
        bail!("văn bản mẫu có {} trang thay vì một", document.pages);
    }
    let page = document.bytes;
    let page_path = dir.path().join("page.pdf");
    std::fs::write(&page_path, &page)?;
    println!(
        "egov bench pdf: văn bản một trang theo Nghị định 30 ({} KB), PAdES B-B, {} giây mỗi phép thử, {} lõi CPU",
        page.len() / 1024,
        args.seconds,
        crate::bench_kit::cores()
    );
    let mut rates = Vec::new();
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let material = Material::make(spec, dir.path())?;
        eprintln!("Đo ký PDF bằng egov ({spec})…");
        let egov = rate(seconds, || {
            material.sign(&page, &pdf::Limits::default()).map(drop)
        })?;
        let pyhanko = pyhanko_rate(args, &material, &page_path)?;
        rates.push(Rates {
            spec,
            egov,
            openssl: openssl_speed(spec, args.seconds).await?,
            pyhanko,
        });
    }
    let material = Material::make(KeySpec::EcP256, dir.path())?;
    let validation = validation_times(&material, &page, seconds)?;
    let big = if args.big_mib > 0 {
        Some(big_file(args.big_mib, &material)?)
    } else {
        None
    };
    print!("{}", table(&rates, &validation, big.as_ref()));
    Ok(())
}

/// The sample document cut to its first blocks, so that it fills one page
/// as a short official letter does.
fn one_page_document() -> render::Document {
    let mut document = render::sample::document();
    document.body.truncate(3);
    document
}

/// How many times per second `job` runs, over `duration`.
fn rate(duration: Duration, mut job: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut count = 0u32;
    while started.elapsed() < duration {
        job()?;
        count += 1;
    }
    Ok(f64::from(count) / started.elapsed().as_secs_f64())
}

/// pyHanko signing the same file with the same key, or `None` (said on
/// stderr) when its venv is not there.
fn pyhanko_rate(args: &PdfArgs, material: &Material, page: &Path) -> anyhow::Result<Option<f64>> {
    if !args.pyhanko_python.exists() {
        eprintln!(
            "Không có pyHanko ở {} (scripts/setup.sh --test cài nó); bỏ qua phép so sánh.",
            args.pyhanko_python.display()
        );
        return Ok(None);
    }
    eprintln!("Đo ký PDF bằng pyHanko ({})…", material.spec);
    let script = material.dir.join("bench-pyhanko.py");
    std::fs::write(&script, PYHANKO_SCRIPT)?;
    // The script runs in the material's folder: the path must not be relative.
    let python = std::path::absolute(&args.pyhanko_python)?;
    let out = Command::new(python)
        .arg(&script)
        .args(["key.pem", "cert.pem", "root.pem"])
        .arg(page)
        .arg(args.seconds.to_string())
        .current_dir(&material.dir)
        .output()
        .context("không chạy được Python của pyHanko")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("pyHanko thất bại: {}", String::from_utf8_lossy(&out.stderr));
    }
    let rate = text
        .split_whitespace()
        .next()
        .and_then(|r| r.parse().ok())
        .with_context(|| format!("không đọc được kết quả của pyHanko: {text}"))?;
    Ok(Some(rate))
}

/// Milliseconds to validate a file with 1, 5 and 10 signatures, each
/// checked valid against the root first.
fn validation_times(
    material: &Material,
    page: &[u8],
    duration: Duration,
) -> anyhow::Result<Vec<(usize, f64)>> {
    let mut file = page.to_vec();
    let mut times = Vec::new();
    for count in 1..=10 {
        file = material.sign(&file, &pdf::Limits::default())?;
        if ![1, 5, 10].contains(&count) {
            continue;
        }
        eprintln!("Đo kiểm tra tệp có {count} chữ ký…");
        let reports = judge(&file, &material.root, &pdf::Limits::default())?;
        if reports.len() != count || !reports.iter().all(pdf::SignatureReport::is_valid) {
            bail!("tệp {count} chữ ký không được đánh giá là hợp lệ");
        }
        let per_second = rate(duration, || {
            judge(&file, &material.root, &pdf::Limits::default())?;
            Ok(())
        })?;
        times.push((count, 1e3 / per_second));
    }
    Ok(times)
}

/// The verdict on B-B signatures under `root`: everything but revocation,
/// which B-B files do not carry and the bench's CA does not publish.
fn judge(
    file: &[u8],
    root: &[u8],
    limits: &pdf::Limits,
) -> Result<Vec<pdf::SignatureReport>, pdf::Error> {
    let trust = [root.to_vec()];
    pdf::validate(
        file,
        &pdf::Validation {
            trust: &trust,
            limits,
            fetcher: None,
            revocation: false,
        },
    )
}

/// What signing the large file cost.
struct Big {
    mib: u64,
    peak_kib: u64,
    seconds: f64,
}

/// Writes a PDF of about `mib` MiB (one page showing one large image),
/// signs it in a child process that reports its peak resident memory, and
/// checks the signed file.
fn big_file(mib: u64, material: &Material) -> anyhow::Result<Big> {
    let dir = &material.dir;
    eprintln!("Tạo tệp PDF {mib} MiB và ký trong một tiến trình riêng…");
    write_big_pdf(&dir.join("big.pdf"), mib)?;
    let out = Command::new(std::env::current_exe()?)
        .args(["bench", "pdf", "--sign-big"])
        .arg(dir)
        .env_remove("EGOV_TEST_DATABASE_URL")
        .output()
        .context("không chạy được tiến trình ký tệp lớn")?;
    if !out.status.success() {
        bail!(
            "ký tệp {mib} MiB thất bại: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace();
    let (Some(peak_kib), Some(seconds)) = (
        words.next().and_then(|w| w.parse().ok()),
        words.next().and_then(|w| w.parse().ok()),
    ) else {
        bail!("không đọc được kết quả ký tệp lớn: {text}");
    };
    Ok(Big {
        mib,
        peak_kib,
        seconds,
    })
}

/// Room for the large file in the bounds the signer holds it to.
fn big_limits(size: usize) -> pdf::Limits {
    pdf::Limits {
        max_input_bytes: size + (1 << 20),
        max_stream_bytes: size,
        ..pdf::Limits::default()
    }
}

/// The child's side: sign `dir/big.pdf` with the P-256 material there
/// into `dir/big-signed.pdf`, in pieces ([`pdf::sign_file`]), print peak
/// memory (kB, from /proc, read before the check) and seconds, and check
/// the result (in memory).
fn sign_big(dir: &Path) -> anyhow::Result<()> {
    let read_pem = |file: &str, label: &str| -> anyhow::Result<Vec<u8>> {
        Ok(pki::pem::der_of(&std::fs::read(dir.join(file))?, &[label])?)
    };
    let material = Material {
        spec: KeySpec::EcP256,
        key: SoftwareKey::from_pkcs8(&read_pem("key.pem", "PRIVATE KEY")?)?,
        certificate: read_pem("cert.pem", "CERTIFICATE")?,
        root: read_pem("root.pem", "CERTIFICATE")?,
        dir: dir.to_owned(),
    };
    let started = Instant::now();
    let mut input = std::fs::File::open(dir.join("big.pdf"))?;
    let limits = big_limits(usize::try_from(input.metadata()?.len())?);
    let mut output = std::io::BufWriter::new(std::fs::File::create(dir.join("big-signed.pdf"))?);
    let mut options = pdf::SignOptions::new(time::OffsetDateTime::now_utc());
    options.limits = limits.clone();
    pdf::sign_file(&mut input, &mut output, &material.signer(), &options, None)?;
    output
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_kib()?;
    let signed = std::fs::read(dir.join("big-signed.pdf"))?;
    let reports = judge(&signed, &material.root, &limits)?;
    if !reports.iter().all(pdf::SignatureReport::is_valid) {
        bail!("tệp lớn sau khi ký không hợp lệ");
    }
    println!("{peak} {seconds:.3}");
    Ok(())
}

/// This process's peak resident set (`VmHWM`), in KiB.
fn peak_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .context("không đọc được VmHWM trong /proc/self/status")
}

/// A file being written, and how many bytes so far (the offsets the
/// cross-reference table needs).
struct Counted {
    out: std::io::BufWriter<std::fs::File>,
    at: u64,
}

impl Counted {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.at += bytes.len() as u64;
        self.out.write_all(bytes)
    }
}

/// A one-page PDF showing a `mib`-MiB RGB image (pseudo-random pixels, so
/// that nothing shrinks it), written piece by piece.
fn write_big_pdf(path: &Path, mib: u64) -> anyhow::Result<()> {
    const WIDTH: u64 = 4096;
    let height = (mib << 20) / (WIDTH * 3);
    let length = WIDTH * height * 3;
    let mut file = Counted {
        out: std::io::BufWriter::new(std::fs::File::create(path)?),
        at: 0,
    };
    let mut offsets = Vec::new();
    file.put(b"%PDF-1.7\n")?;
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".to_owned(),
        "<< /Length 30 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream".to_owned(),
    ];
    for (n, body) in objects.iter().enumerate() {
        offsets.push(file.at);
        file.put(format!("{} 0 obj\n{body}\nendobj\n", n + 1).as_bytes())?;
    }
    offsets.push(file.at);
    file.put(
        format!("5 0 obj\n<< /Type /XObject /Subtype /Image /Width {WIDTH} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length {length} >>\nstream\n").as_bytes(),
    )?;
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut chunk = vec![0u8; 1 << 16];
    let mut left = length;
    while left > 0 {
        for word in chunk.chunks_exact_mut(8) {
            // xorshift64: cheap bytes no compressor can shrink.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let n = usize::try_from(left.min(chunk.len() as u64))?;
        file.put(&chunk[..n])?;
        left -= n as u64;
    }
    file.put(b"\nendstream\nendobj\n")?;
    let xref = file.at;
    let mut tail = "xref\n0 6\n0000000000 65535 f\r\n".to_owned();
    for offset in offsets {
        let _ = write!(tail, "{offset:010} 00000 n\r\n");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    );
    file.put(tail.as_bytes())?;
    file.out.flush()?;
    Ok(())
}

fn table(rates: &[Rates], validation: &[(usize, f64)], big: Option<&Big>) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\n{:<40} {:>10} {:>14} {:>14}",
        "Ký PDF một trang (B-B)", "mỗi giây", "÷ openssl", "egov ÷ pyHanko"
    );
    for r in rates {
        let pyhanko = r
            .pyhanko
            .map_or_else(|| "—".to_owned(), |p| format!("{:.1}", r.egov / p));
        let _ = writeln!(
            text,
            "{:<40} {:>10.0} {:>14.3} {:>14}",
            format!("egov, {}", r.spec),
            r.egov,
            r.egov / r.openssl,
            pyhanko
        );
        if let Some(p) = r.pyhanko {
            let _ = writeln!(
                text,
                "{:<40} {:>10.1} {:>14.3}",
                format!("pyHanko, {}", r.spec),
                p,
                p / r.openssl
            );
        }
        let _ = writeln!(
            text,
            "{:<40} {:>10.0}",
            format!("openssl speed, {} (ký thô)", r.spec),
            r.openssl
        );
    }
    let _ = writeln!(
        text,
        "\nKiểm tra chữ ký (ECDSA P-256, văn bản một trang; B-B, không kiểm tra thu hồi):"
    );
    for &(count, ms) in validation {
        let _ = writeln!(
            text,
            "  {count:>2} chữ ký: {ms:>8.2} ms mỗi tệp, {:>6.2} ms mỗi chữ ký",
            ms / f64::from(u32::try_from(count).unwrap_or(u32::MAX))
        );
    }
    if let Some(big) = big {
        #[allow(clippy::cast_precision_loss)] // Sizes stay far below 2^52.
        let ratio = big.peak_kib as f64 / (big.mib * 1024) as f64;
        let _ = writeln!(
            text,
            "\nKý tệp {} MiB: bộ nhớ đỉnh {} MiB ({ratio:.2} × cỡ tệp), {:.1} giây (đọc, ký, ghi)",
            big.mib,
            big.peak_kib / 1024,
            big.seconds
        );
    }
    let _ = writeln!(
        text,
        "÷ openssl: chữ ký PDF mỗi giây chia cho chữ ký thô mỗi giây của openssl speed trên một lõi, cùng loại khóa."
    );
    text
}
