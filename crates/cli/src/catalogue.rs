//! `egov services catalogue ...`: an agency's procedure catalogue exported
//! to and imported from a JSON or XLSX file (the form chosen by the file's
//! extension unless `--format` says), for the operator who loads a
//! catalogue before the staff UI is used, or moves one between servers.

use std::path::PathBuf;

use anyhow::Context as _;
use app::catalogue::Format;
use app::{App, Ctx};
use domain::agencies::AgencyCode;

#[derive(Debug, clap::Subcommand)]
pub enum CatalogueCommand {
    /// Xuất danh mục thủ tục (phiên bản hiện hành) ra tệp JSON hoặc XLSX.
    Export {
        /// Mã định danh cơ quan, ví dụ 000.00.11.H59.
        #[arg(long)]
        agency: String,
        /// Tệp được ghi ra (.json hoặc .xlsx).
        #[arg(short, long)]
        output: PathBuf,
        /// Định dạng: json hoặc xlsx (mặc định theo đuôi tệp).
        #[arg(long)]
        format: Option<String>,
    },
    /// Nhập danh mục thủ tục từ tệp JSON hoặc XLSX: cả tệp hoặc không gì cả.
    Import {
        /// Tệp danh mục (.json hoặc .xlsx).
        file: PathBuf,
        /// Mã định danh cơ quan nhận danh mục.
        #[arg(long)]
        agency: String,
        /// Định dạng: json hoặc xlsx (mặc định theo đuôi tệp).
        #[arg(long)]
        format: Option<String>,
    },
}

/// The form `--format` names, or the file's extension.
fn format_of(format: Option<&str>, file: &std::path::Path) -> anyhow::Result<Format> {
    let name = match format {
        Some(f) => format!("x.{f}"),
        None => file.display().to_string(),
    };
    Format::of_name(&name).with_context(|| {
        format!(
            "không rõ định dạng của {}: dùng --format json hoặc xlsx",
            file.display()
        )
    })
}

pub async fn run(app: &App, command: CatalogueCommand) -> anyhow::Result<()> {
    let ctx = Ctx::system("cli");
    match command {
        CatalogueCommand::Export {
            agency,
            output,
            format,
        } => {
            let format = format_of(format.as_deref(), &output)?;
            let agency = app.agency_by_code(&agency.parse::<AgencyCode>()?).await?;
            let bytes = app.export_catalogue(agency.id, format).await?;
            crate::pki::write_atomically(&output, &bytes)?;
            println!(
                "Đã xuất danh mục thủ tục của {} ra {} ({} byte).",
                agency.name,
                output.display(),
                bytes.len()
            );
        }
        CatalogueCommand::Import {
            file,
            agency,
            format,
        } => {
            let format = format_of(format.as_deref(), &file)?;
            let agency = app.agency_by_code(&agency.parse::<AgencyCode>()?).await?;
            let bytes = std::fs::read(&file)
                .with_context(|| format!("không đọc được {}", file.display()))?;
            let summary = app
                .import_catalogue(&ctx, agency.id, format, bytes.into())
                .await?;
            println!(
                "Đã nhập danh mục của {}: {} thủ tục mới, {} phiên bản mới, {} không đổi.",
                agency.name,
                summary.created.len(),
                summary.versioned.len(),
                summary.unchanged.len()
            );
        }
    }
    Ok(())
}
