//! `egov edxml ...`: sending and receiving documents as edXML packages
//! from the command line (the operator's way when the exchange axis is
//! down and packages travel as files).

use std::path::PathBuf;

use anyhow::Context as _;
use app::exchange::Received;
use app::{App, Ctx};
use domain::agencies::AgencyCode;

#[derive(Debug, clap::Subcommand)]
pub enum EdxmlCommand {
    /// Xuất một văn bản đi đã ban hành thành gói edXML.
    Export {
        /// Mã số văn bản (id).
        #[arg(long)]
        document: i64,
        /// Mã định danh nơi nhận (lặp lại được), ví dụ 000.00.02.H59.
        #[arg(long, required = true)]
        to: Vec<String>,
        /// Tệp gói edXML được ghi ra.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Nhận một gói edXML vào sổ văn bản đến của cơ quan nhận.
    Import {
        /// Tệp gói edXML.
        file: PathBuf,
        /// Mã định danh cơ quan nhận, ví dụ 000.00.11.H59.
        #[arg(long)]
        agency: String,
    },
}

pub async fn run(app: &App, command: EdxmlCommand) -> anyhow::Result<()> {
    let ctx = Ctx::system("cli");
    match command {
        EdxmlCommand::Export {
            document,
            to,
            output,
        } => {
            let to = to
                .iter()
                .map(|code| code.parse::<AgencyCode>())
                .collect::<Result<Vec<_>, _>>()?;
            let bytes = app.export_edxml(&ctx, document, &to).await?;
            // Written beside the target, then renamed: a reader never
            // sees half a package.
            let partial = output.with_extension("edxml.part");
            std::fs::write(&partial, &bytes)
                .with_context(|| format!("không ghi được {}", partial.display()))?;
            std::fs::rename(&partial, &output)
                .with_context(|| format!("không ghi được {}", output.display()))?;
            println!(
                "Đã xuất văn bản {document} thành {} ({} byte).",
                output.display(),
                bytes.len()
            );
        }
        EdxmlCommand::Import { file, agency } => {
            let code: AgencyCode = agency.parse()?;
            let agency = app.agency_by_code(&code).await?;
            let bytes = std::fs::read(&file)
                .with_context(|| format!("không đọc được {}", file.display()))?;
            match app.import_edxml(&ctx, agency.id, &bytes).await? {
                Received::Registered(d) => println!(
                    "Đã vào sổ văn bản đến số {} năm {}: {} — {}",
                    d.number, d.year, d.symbol, d.summary
                ),
                Received::AlreadyReceived(d) => println!(
                    "Gói này đã được nhận trước đó (số đến {} năm {}, {}); không vào sổ lại.",
                    d.number, d.year, d.symbol
                ),
            }
        }
    }
    Ok(())
}
