//! `egov admin ...` and `egov audit verify`: the operator's commands.

use std::io::Read as _;

use anyhow::{Context as _, bail};
use app::people::NewPerson;
use app::{App, Ctx};
use domain::agencies::AgencyCode;
use domain::people::{PersonDraft, Role};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Tạo tài khoản cán bộ; mật khẩu đọc từ đầu vào chuẩn (stdin).
    CreateUser {
        /// Mã định danh cơ quan, ví dụ 000.00.11.H59.
        #[arg(long)]
        agency: String,
        /// Họ và tên.
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// admin, clerk, specialist, leader, desk_officer, ca_operator, editor, auditor, mail_operator, inspector.
        #[arg(long)]
        role: Vec<String>,
        /// Chức vụ.
        #[arg(long, default_value = "Chuyên viên")]
        position: String,
    },
}

pub async fn run(app: &App, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser {
            agency,
            name,
            email,
            role,
            position,
        } => {
            let code: AgencyCode = agency.parse()?;
            let roles = role
                .iter()
                .map(|r| r.parse::<Role>().map_err(|e| anyhow::anyhow!("{e}")))
                .collect::<anyhow::Result<Vec<Role>>>()?;
            if roles.is_empty() {
                bail!("cần ít nhất một --role");
            }
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("không đọc được mật khẩu từ stdin")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            if password.is_empty() {
                bail!(
                    "mật khẩu rỗng: hãy đưa mật khẩu vào stdin, ví dụ: echo 'MậtKhẩu#2021' | egov admin create-user ..."
                );
            }
            let agency = app.agency_by_code(&code).await?;
            let draft = PersonDraft {
                full_name: name,
                position,
                agency_id: agency.id,
                email,
                phone: None,
            };
            let person = app
                .create_person(
                    &Ctx::system("cli"),
                    NewPerson {
                        draft,
                        roles,
                        password: Some(password),
                    },
                )
                .await?;
            println!(
                "Đã tạo tài khoản {} ({}) tại {}.",
                person.full_name, person.email, agency.name
            );
            Ok(())
        }
    }
}

/// Verifies the audit chain with a progress bar; fails naming the first
/// bad entry.
pub async fn verify_audit(app: &App) -> anyhow::Result<()> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("Kiểm tra nhật ký [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let result = app
        .verify_audit(|p| {
            bar.set_length(u64::try_from(p.total).unwrap_or(0));
            bar.set_position(u64::try_from(p.checked).unwrap_or(0));
        })
        .await?;
    bar.finish_and_clear();
    match result {
        Ok(count) => {
            println!("Nhật ký toàn vẹn: {count} mục.");
            Ok(())
        }
        Err(broken) => bail!("Nhật ký KHÔNG toàn vẹn: {broken}"),
    }
}
