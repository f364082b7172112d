//! `egov pki ...`: the CA operator's commands — set the CA up, issue from a
//! CSR, revoke, write a CRL — each through `app`, with its audit entry.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use app::pki::IssueInput;
use app::{App, Ctx};
use domain::agencies::AgencyCode;
use domain::pki::{Holder, Profile, RevocationReason, TokenKind};

#[derive(Debug, clap::Subcommand)]
pub enum PkiCommand {
    /// Khởi tạo CA: CA gốc, CA cấp dưới, chứng thư OCSP và TSA (theo cấu hình [pki]).
    Init,
    /// Cấp chứng thư từ tệp yêu cầu (CSR) tạo trên thiết bị của người được cấp.
    Issue(IssueArgs),
    /// Thu hồi một chứng thư; CRL và trả lời OCSP được ký lại ngay.
    Revoke {
        /// Số hiệu chứng thư (hệ mười sáu).
        #[arg(long)]
        serial: String,
        /// Lý do theo RFC 5280, ví dụ keyCompromise, superseded, cessationOfOperation.
        #[arg(long)]
        reason: String,
    },
    /// Ghi CRL hiện hành của một CA (DER).
    Crl {
        /// Tên CA: root hoặc issuing.
        #[arg(long, default_value = "issuing")]
        ca: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Ghi chứng thư của một CA (PEM): root, issuing, ocsp, tsa.
    Cert {
        #[arg(long, default_value = "root")]
        ca: String,
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct IssueArgs {
    /// Tệp CSR (PEM hoặc DER). Bỏ trống với --token hsm: khóa được sinh trên HSM của CA.
    #[arg(long)]
    csr: Option<PathBuf>,
    /// personal, organization hoặc tls-server.
    #[arg(long)]
    profile: String,
    /// usb, sim, hsm hoặc software.
    #[arg(long, default_value = "usb")]
    token: String,
    /// Thư điện tử của cá nhân được cấp (mẫu personal).
    #[arg(long)]
    person: Option<String>,
    /// Mã định danh của cơ quan được cấp (mẫu organization), ví dụ 000.00.11.H59.
    #[arg(long)]
    agency: Option<String>,
    /// Tên miền của máy chủ (mẫu tls-server; lặp lại được).
    #[arg(long)]
    dns: Vec<String>,
    /// Tệp chứng thư được ghi ra (PEM).
    #[arg(short, long)]
    output: PathBuf,
}

pub async fn run(app: &App, command: PkiCommand) -> anyhow::Result<()> {
    let ctx = Ctx::system("cli");
    match command {
        PkiCommand::Init => {
            for authority in app.pki_init(&ctx).await? {
                println!(
                    "Đã tạo {} ({}): {}",
                    authority.name,
                    authority.profile.label(),
                    subject_of(&authority.certificate)
                );
            }
            Ok(())
        }
        PkiCommand::Issue(args) => issue(app, &ctx, args).await,
        PkiCommand::Revoke { serial, reason } => {
            let reason = RevocationReason::parse_loose(&reason).ok_or_else(|| {
                anyhow::anyhow!(
                    "lý do «{reason}» không có; chọn: {}",
                    RevocationReason::ALL
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let record = app.revoke_certificate(&ctx, &serial, reason).await?;
            println!(
                "Đã thu hồi chứng thư {} ({}), lý do: {}.",
                record.serial,
                record.subject,
                reason.label()
            );
            Ok(())
        }
        PkiCommand::Crl { ca, output } => {
            let crl = app.crl(&ca).await?;
            write_atomically(&output, &crl)?;
            println!(
                "Đã ghi CRL của {ca} vào {} ({} byte).",
                output.display(),
                crl.len()
            );
            Ok(())
        }
        PkiCommand::Cert { ca, output } => {
            let der = app.authority_certificate(&ca).await?;
            write_atomically(&output, pki::pem::encode("CERTIFICATE", &der)?.as_bytes())?;
            println!("Đã ghi chứng thư của {ca} vào {}.", output.display());
            Ok(())
        }
    }
}

async fn issue(app: &App, ctx: &Ctx, args: IssueArgs) -> anyhow::Result<()> {
    let IssueArgs {
        csr,
        profile,
        token,
        person,
        agency,
        dns,
        output,
    } = args;
    let profile: Profile = profile.parse().map_err(|_| {
        anyhow::anyhow!("mẫu «{profile}» không có; chọn personal, organization hoặc tls-server")
    })?;
    let token: TokenKind = token.parse().map_err(|_| {
        anyhow::anyhow!("thiết bị «{token}» không có; chọn usb, sim, hsm hoặc software")
    })?;
    let holder = holder(app, profile, person.as_deref(), agency.as_deref()).await?;
    let csr = match csr {
        Some(path) => Some(
            std::fs::read(&path).with_context(|| format!("không đọc được {}", path.display()))?,
        ),
        None if token == TokenKind::Hsm => None,
        None => {
            anyhow::bail!("cần --csr TỆP (chỉ với --token hsm thì khóa được sinh trên HSM của CA)")
        }
    };
    let input = IssueInput {
        holder,
        profile,
        token,
        csr,
        dns_names: dns,
        replaces: None,
        request: None,
    };
    let record = app.issue_certificate(ctx, input).await?;
    write_atomically(
        &output,
        pki::pem::encode("CERTIFICATE", &record.der)?.as_bytes(),
    )?;
    if let Some(key) = &record.key_ref {
        println!("Khóa bí mật được sinh và giữ trên HSM: {key}");
    }
    println!(
        "Đã cấp chứng thư {} cho {}, hiệu lực đến {}; ghi vào {}.",
        record.serial,
        record.subject,
        record.not_after.date(),
        output.display()
    );
    Ok(())
}

async fn holder(
    app: &App,
    profile: Profile,
    person: Option<&str>,
    agency: Option<&str>,
) -> anyhow::Result<Holder> {
    match (profile, person, agency) {
        (Profile::Personal, Some(email), None) => {
            let person = app.person_by_email(email).await?;
            Ok(Holder::Person(person.id))
        }
        (Profile::Organization, None, Some(code)) => {
            let code: AgencyCode = code.parse()?;
            Ok(Holder::Agency(app.agency_by_code(&code).await?.id))
        }
        (Profile::TlsServer, None, None) => Ok(Holder::Service),
        (Profile::Personal, ..) => {
            anyhow::bail!("mẫu personal cần --person THƯ_ĐIỆN_TỬ (và không --agency)")
        }
        (Profile::Organization, ..) => {
            anyhow::bail!("mẫu organization cần --agency MÃ_ĐỊNH_DANH (và không --person)")
        }
        (Profile::TlsServer, ..) => {
            anyhow::bail!("mẫu tls-server không nhận --person hay --agency")
        }
        (other, ..) => anyhow::bail!("mẫu «{}» không cấp bằng lệnh này", other.as_str()),
    }
}

fn subject_of(der: &[u8]) -> String {
    use der::Decode;
    pki::Certificate::from_der(der)
        .map_or_else(|_| "?".into(), |c| c.tbs_certificate.subject.to_string())
}

/// Written beside the target, then renamed: a reader never sees half a file.
pub(crate) fn write_atomically(output: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let partial = output.with_extension("part");
    std::fs::write(&partial, bytes)
        .with_context(|| format!("không ghi được {}", partial.display()))?;
    std::fs::rename(&partial, output)
        .with_context(|| format!("không ghi được {}", output.display()))
}
