//! `egov pdf sign`: a holder signs a PDF with their own certificate, the
//! key in a PKCS #8 file or on their token (PKCS #11), without a server.
//! The signed file is written beside the output and renamed into place,
//! so a failure never leaves a half-written or clobbered file. B-B and
//! B-T sign in pieces ([`pdf::sign_file`]: memory does not grow with the
//! file); B-LT and B-LTA read the file into memory, as adding validation
//! data and a document timestamp to the signed file needs it whole.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use der::Decode as _;
use pki::{CaKey, Certificate};

use crate::pdf::certificates_in;
use crate::pdf_http::HttpServices;

#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// Chứng thư của người ký (PEM), theo sau là các chứng thư CA trung gian và CA gốc (cần cho mức b-lt, b-lta).
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
    /// Mức chữ ký PAdES: b-b; b-t thêm dấu thời gian; b-lt thêm chứng thư, OCSP, CRL để kiểm tra lâu dài; b-lta thêm dấu thời gian tài liệu.
    #[arg(long, value_enum, default_value = "b-b")]
    level: Level,
    /// Địa chỉ dịch vụ cấp dấu thời gian (RFC 3161) cho mức b-t trở lên, ví dụ http://pki.travinh.gov.vn/pki/tsa.
    #[arg(long)]
    tsa: Option<String>,
    /// Lý do ký, ghi vào chữ ký.
    #[arg(long)]
    reason: Option<String>,
    /// Nơi ký, ghi vào chữ ký.
    #[arg(long)]
    location: Option<String>,
    /// Chữ ký hiện trên trang: TRANG,X,Y,RỘNG,CAO theo điểm PDF (1/72 inch), gốc ở góc dưới bên trái trang.
    #[arg(long, value_parser = parse_visible, requires = "image")]
    visible: Option<Visible>,
    /// Ảnh chữ ký (PNG nền trong suốt, mực xanh) cho chữ ký hiện trên trang.
    #[arg(long, requires = "visible")]
    image: Option<PathBuf>,
    /// Chức vụ người ký, in dưới tên trong chữ ký hiện trên trang.
    #[arg(long, default_value = "", requires = "visible")]
    position: String,
    /// Thư mục phông chữ cho chữ ký hiện trên trang (lặp lại được); mặc định là thư mục của Debian.
    #[arg(long = "font-dir", requires = "visible")]
    font_dirs: Vec<PathBuf>,
    /// Tệp PDF cần ký.
    input: PathBuf,
    /// Tệp PDF đã ký (có thể trùng tệp vào).
    output: PathBuf,
}

/// The PAdES baseline levels (ETSI EN 319 142-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    #[value(name = "b-b")]
    Bb,
    #[value(name = "b-t")]
    Bt,
    #[value(name = "b-lt")]
    Blt,
    #[value(name = "b-lta")]
    Blta,
}

impl Level {
    /// As the option writes it: `b-lt`.
    fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map_or_else(String::new, |v| v.get_name().to_owned())
    }
}

impl From<Level> for pdf::Level {
    fn from(level: Level) -> Self {
        match level {
            Level::Bb => Self::BB,
            Level::Bt => Self::BT,
            Level::Blt => Self::BLT,
            Level::Blta => Self::BLTA,
        }
    }
}

/// Signs `args.input` into `args.output`.
pub fn run(args: &SignArgs) -> anyhow::Result<()> {
    if args.level != Level::Bb && args.tsa.is_none() {
        bail!(
            "mức {} cần dấu thời gian: cho địa chỉ TSA bằng --tsa URL",
            args.level.name()
        );
    }
    let text = std::fs::read_to_string(&args.cert)
        .with_context(|| format!("không đọc được {}", args.cert.display()))?;
    let mut certificates = certificates_in(&text)
        .with_context(|| format!("{} không chứa chứng thư PEM hợp lệ", args.cert.display()))?;
    let certificate = certificates.remove(0);
    let parsed = Certificate::from_der(&certificate)
        .with_context(|| format!("{}: chứng thư không đọc được", args.cert.display()))?;
    let public = &parsed.tbs_certificate.subject_public_key_info;
    let reaches_root = certificates.last().is_some_and(|der| {
        Certificate::from_der(der)
            .is_ok_and(|c| c.tbs_certificate.subject == c.tbs_certificate.issuer)
    });
    if matches!(args.level, Level::Blt | Level::Blta) && !reaches_root {
        bail!(
            "mức {} cần cả chuỗi chứng thư đến CA gốc trong {} (chứng thư người ký, CA trung gian, CA gốc) để kèm tình trạng thu hồi của từng chứng thư",
            args.level.name(),
            args.cert.display()
        );
    }
    let key = open_key(args, public)?;
    if key.public_key() != public {
        bail!(
            "khóa bí mật không ứng với chứng thư {}",
            args.cert.display()
        );
    }
    let mut options = pdf::SignOptions::new(time::OffsetDateTime::now_utc());
    options.reason.clone_from(&args.reason);
    options.location.clone_from(&args.location);
    if let Some(visible) = args.visible {
        options.page = visible.page;
        options.appearance = Some(appearance(args, &parsed, visible, options.at)?);
    }
    let signer = pdf::Signer {
        key: key.as_ref(),
        digest: key.spec().natural_digest(),
        certificate,
        chain: certificates,
    };
    options.timestamp = args.level != Level::Bb;
    let services = HttpServices {
        tsa: args.tsa.clone(),
    };
    let read_error = || format!("không đọc được {}", args.input.display());
    let sign_error = || format!("không ký được {}", args.input.display());
    let written = if matches!(args.level, Level::Bb | Level::Bt) {
        let mut input = std::fs::File::open(&args.input).with_context(read_error)?;
        let timestamper: Option<&dyn pdf::Timestamper> =
            (args.level == Level::Bt).then_some(&services as &dyn pdf::Timestamper);
        write_atomically(&args.output, |file| {
            let mut output = std::io::BufWriter::new(file);
            let written = pdf::sign_file(&mut input, &mut output, &signer, &options, timestamper)
                .with_context(sign_error)?;
            output.flush()?;
            Ok(written)
        })?
    } else {
        let original = std::fs::read(&args.input).with_context(read_error)?;
        let output = pdf::sign_at(
            &original,
            &signer,
            &options,
            args.level.into(),
            Some(&services),
            Some(&services),
        )
        .with_context(sign_error)?;
        write_atomically(&args.output, |file| {
            file.write_all(&output)?;
            Ok(output.len() as u64)
        })?
    };
    println!(
        "Đã ký {} → {} ({written} byte).",
        args.input.display(),
        args.output.display(),
    );
    Ok(())
}

/// Where a visible signature goes: a page (from 1) and a rectangle in PDF
/// points from the page's bottom-left corner.
#[derive(Debug, Clone, Copy)]
pub struct Visible {
    page: usize,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

fn parse_visible(text: &str) -> Result<Visible, String> {
    let bad = || format!("«{text}»: cần TRANG,X,Y,RỘNG,CAO, ví dụ 1,320,120,200,90");
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [page, numbers @ ..] = parts.as_slice() else {
        return Err(bad());
    };
    let page: usize = page.parse().map_err(|_| bad())?;
    let numbers = numbers
        .iter()
        .map(|n| n.parse::<f64>().ok().filter(|n| n.is_finite()))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(bad)?;
    let [x, y, width, height] = numbers.as_slice() else {
        return Err(bad());
    };
    if page == 0 || *width <= 0.0 || *height <= 0.0 || *x < 0.0 || *y < 0.0 {
        return Err(format!(
            "«{text}»: trang đếm từ 1, tọa độ không âm, rộng và cao lớn hơn 0"
        ));
    }
    Ok(Visible {
        page,
        x: *x,
        y: *y,
        width: *width,
        height: *height,
    })
}

/// The signer's appearance (Decree 30: the blue signature image, name,
/// position, time), made by `render` and fitted into the rectangle.
fn appearance(
    args: &SignArgs,
    certificate: &Certificate,
    visible: Visible,
    at: time::OffsetDateTime,
) -> anyhow::Result<pdf::Appearance> {
    let image = args
        .image
        .as_deref()
        .context("cần --image cho chữ ký hiện trên trang")?;
    let png =
        std::fs::read(image).with_context(|| format!("không đọc được {}", image.display()))?;
    let name = pki::name::common_name(&certificate.tbs_certificate.subject)
        .context("chứng thư không có tên người ký (CN)")?;
    let fonts = crate::render::fonts(&args.font_dirs)?;
    let look = ::render::pdf::appearance::signer(&fonts, &png, &name, &args.position, at)
        .with_context(|| format!("không dựng được hình chữ ký từ {}", image.display()))?;
    Ok(pdf::Appearance {
        rect: [
            visible.x,
            visible.y,
            visible.x + visible.width,
            visible.y + visible.height,
        ],
        form: look.pdf,
    })
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

/// Lets `write` fill a temporary file beside `path`, then renames it over
/// `path`: the output is the old file or the whole new one, never half.
/// Gives what `write` returns.
fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("không tạo được tệp tạm trong {}", dir.display()))?;
    let value = write(file.as_file_mut())?;
    file.as_file()
        .sync_all()
        .with_context(|| format!("không ghi được {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("không ghi được {}", path.display()))?;
    Ok(value)
}
