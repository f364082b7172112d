//! `egov pdf sign`: a holder signs a PDF with their own certificate, the
//! key in a PKCS #8 file or on their token (PKCS #11), without a server.
//! The signed file is written beside the output and renamed into place,
//! so a failure never leaves a half-written or clobbered file.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use der::Decode as _;
use pki::{CaKey, Certificate};

use crate::pdf::certificates_in;

#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// Chứng thư của người ký (PEM), theo sau là các chứng thư CA trung gian nếu có.
    #[arg(long)]
    cert: PathBuf,
    /// Khóa bí mật PKCS #8 không mã hóa (PEM «PRIVATE KEY» hoặc DER).
    #[arg(
        long,
        required_unless_present = "pkcs11_module",
        conflicts_with = "pkcs11_module"
    )]
    key: Option<PathBuf>,
    /// Thư viện PKCS #11 của thiết bị ký (token USB, HSM), ví dụ /usr/lib/softhsm/libsofthsm2.so.
    #[arg(long)]
    pkcs11_module: Option<PathBuf>,
    /// Nhãn của thiết bị; bỏ trống khi chỉ cắm một thiết bị.
    #[arg(long, requires = "pkcs11_module")]
    token: Option<String>,
    /// Đọc mã PIN của thiết bị từ dòng đầu của đầu vào chuẩn.
    #[arg(long, requires = "pkcs11_module")]
    pin_stdin: bool,
    /// Lý do ký, ghi vào chữ ký.
    #[arg(long)]
    reason: Option<String>,
    /// Nơi ký, ghi vào chữ ký.
    #[arg(long)]
    location: Option<String>,
    /// Tệp PDF cần ký.
    input: PathBuf,
    /// Tệp PDF đã ký (có thể trùng tệp vào).
    output: PathBuf,
}

/// Signs `args.input` into `args.output`.
pub fn run(args: &SignArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.cert)
        .with_context(|| format!("không đọc được {}", args.cert.display()))?;
    let mut certificates = certificates_in(&text)
        .with_context(|| format!("{} không chứa chứng thư PEM hợp lệ", args.cert.display()))?;
    let certificate = certificates.remove(0);
    let parsed = Certificate::from_der(&certificate)
        .with_context(|| format!("{}: chứng thư không đọc được", args.cert.display()))?;
    let public = &parsed.tbs_certificate.subject_public_key_info;
    let key = open_key(args, public)?;
    if key.public_key() != public {
        bail!(
            "khóa bí mật không ứng với chứng thư {}",
            args.cert.display()
        );
    }
    let original = std::fs::read(&args.input)
        .with_context(|| format!("không đọc được {}", args.input.display()))?;
    let mut options = pdf::SignOptions::new(time::OffsetDateTime::now_utc());
    options.reason.clone_from(&args.reason);
    options.location.clone_from(&args.location);
    let signer = pdf::Signer {
        key: key.as_ref(),
        digest: key.spec().natural_digest(),
        certificate,
        chain: certificates,
    };
    let output = pdf::sign(&original, &signer, &options)
        .with_context(|| format!("không ký được {}", args.input.display()))?;
    write_atomically(&args.output, &output)?;
    println!(
        "Đã ký {} → {} ({} byte).",
        args.input.display(),
        args.output.display(),
        output.len()
    );
    Ok(())
}

/// The key from the PKCS #8 file, or the token's key for `public`.
fn open_key(
    args: &SignArgs,
    public: &spki::SubjectPublicKeyInfoOwned,
) -> anyhow::Result<Box<dyn CaKey>> {
    if let Some(path) = &args.key {
        let bytes =
            std::fs::read(path).with_context(|| format!("không đọc được {}", path.display()))?;
        let der = if bytes.starts_with(b"-----BEGIN") {
            if bytes.windows(9).any(|w| w == b"ENCRYPTED") {
                bail!(
                    "{}: khóa đang được mã hóa; hãy giải mã (openssl pkcs8 -topk8 -nocrypt) hoặc dùng thiết bị ký",
                    path.display()
                );
            }
            pki::pem::der_of(&bytes, &["PRIVATE KEY"]).with_context(|| {
                format!(
                    "{}: cần khóa PKCS #8 («BEGIN PRIVATE KEY»); chuyển bằng openssl pkcs8 -topk8 -nocrypt",
                    path.display()
                )
            })?
        } else {
            bytes
        };
        let key = pki::software::SoftwareKey::from_pkcs8(&der)
            .with_context(|| format!("{}: khóa không đọc được", path.display()))?;
        return Ok(Box::new(key));
    }
    let module = args
        .pkcs11_module
        .as_deref()
        .context("cần --key hoặc --pkcs11-module")?;
    let label = match &args.token {
        Some(label) => label.clone(),
        None => only_token(module)?,
    };
    let pin = read_pin(args.pin_stdin, &label)?;
    let keys = pki::pkcs11::Pkcs11Keys::new(module, &label, &pin)?;
    Ok(keys.find(public)?)
}

fn only_token(module: &Path) -> anyhow::Result<String> {
    let mut labels = pki::pkcs11::token_labels(module)?;
    match labels.len() {
        1 => Ok(labels.remove(0)),
        0 => bail!("không có thiết bị ký nào được cắm vào"),
        _ => bail!(
            "có {} thiết bị ({}); hãy chọn bằng --token",
            labels.len(),
            labels.join(", ")
        ),
    }
}

fn read_pin(from_stdin: bool, label: &str) -> anyhow::Result<String> {
    if !from_stdin {
        bail!("cần mã PIN của thiết bị «{label}»: dùng --pin-stdin và đưa PIN vào đầu vào chuẩn");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("không đọc được mã PIN từ đầu vào chuẩn")?;
    let pin = line.trim_end_matches(['\r', '\n']).to_owned();
    if pin.is_empty() {
        bail!("mã PIN trống");
    }
    Ok(pin)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: the output is the old file or the whole new one, never half.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("không tạo được tệp tạm trong {}", dir.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("không ghi được {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("không ghi được {}", path.display()))?;
    Ok(())
}
