//! `egov calendar ...`: the lunar calendar, holidays and working days.

use anyhow::Context as _;
use time::Date;
use time::macros::format_description;

#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// Ngày âm lịch của một ngày dương lịch (YYYY-MM-DD).
    Lunar { date: String },
    /// Ngày dương lịch của một ngày âm lịch (D/M/YYYY).
    Solar {
        date: String,
        /// Tháng nhuận.
        #[arg(long)]
        leap: bool,
    },
    /// Các ngày nghỉ lễ, Tết của một năm.
    Holidays { year: i32 },
    /// Ngày sau N ngày làm việc kể từ một ngày (YYYY-MM-DD).
    AddWorkingDays { date: String, days: u32 },
}

fn iso(text: &str) -> anyhow::Result<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .with_context(|| format!("ngày «{text}» không đúng dạng YYYY-MM-DD"))
}

pub fn run(command: &CalendarCommand) -> anyhow::Result<()> {
    match command {
        CalendarCommand::Lunar { date } => {
            let lunar = vn::lunar::solar_to_lunar(iso(date)?)?;
            println!("{lunar} {}", vn::lunar::can_chi_year(lunar.year));
        }
        CalendarCommand::Solar { date, leap } => {
            let mut lunar = vn::lunar::parse_lunar(date)?;
            lunar.leap |= *leap;
            println!("{}", vn::lunar::lunar_to_solar(lunar)?);
        }
        CalendarCommand::Holidays { year } => {
            for (day, name) in vn::holidays::default_holidays(*year)? {
                println!("{day} {name}");
            }
        }
        CalendarCommand::AddWorkingDays { date, days } => {
            println!("{}", vn::workdays::add_working_days(iso(date)?, *days));
        }
    }
    Ok(())
}
