//! Public services and the one-stop shop: the vocabulary of procedures
//! and dossiers (DOMAIN.md §4) — service levels (Decree 43/2011) beside
//! the newer online modes (Decree 42/2022), the channels a dossier comes
//! by, the national portal's status codes, the dossier code
//! `{agency code}-{yymmdd}-{sequence}` — and the deadline rules: a
//! dossier is due a procedure's working days after its receipt date (the
//! agency's calendar, cut-off hour included), a supplement request stops
//! the clock and moves the due date by the working days it was stopped,
//! and a return is early, on time or late against that date.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use vn::workdays::WorkCalendar;

use crate::agencies::{AgencyCode, AgencyId};
use crate::people::PersonId;

pub mod accounts;
pub mod deadlines;
pub mod online;
pub mod payments;
pub mod workflow;

pub use online::DossierFile;
pub use workflow::{Action, Stage, Step, Taker};

pub type ProcedureId = i64;
pub type DossierId = i64;

/// Service level of a procedure (Decree 43/2011/NĐ-CP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 1: information only.
    Information,
    /// 2: forms to download.
    Forms,
    /// 3: submitted and processed online; fee and result in person.
    Online,
    /// 4: as 3, plus payment online and the result online or by post.
    Complete,
}

named!(Level {
    Information => "information", "Mức độ 1";
    Forms => "forms", "Mức độ 2";
    Online => "online", "Mức độ 3";
    Complete => "complete", "Mức độ 4";
});

impl Level {
    /// The level's number, 1 to 4.
    pub fn number(self) -> u8 {
        match self {
            Self::Information => 1,
            Self::Forms => 2,
            Self::Online => 3,
            Self::Complete => 4,
        }
    }
}

/// How much of a procedure is online (Decree 42/2022/NĐ-CP, which
/// replaced the levels; both are kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineMode {
    /// Dịch vụ công trực tuyến toàn trình.
    Full,
    /// Dịch vụ công trực tuyến một phần.
    Partial,
    /// Not an online public service.
    None,
}

named!(OnlineMode {
    Full => "full", "Toàn trình";
    Partial => "partial", "Một phần";
    None => "none", "Không trực tuyến";
});

impl OnlineMode {
    /// The mode a level implies where no decision says otherwise: level 4
    /// is fully online, level 3 partly.
    pub fn of_level(level: Level) -> Self {
        match level {
            Level::Complete => Self::Full,
            Level::Online => Self::Partial,
            Level::Information | Level::Forms => Self::None,
        }
    }
}

/// How a dossier arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the one-stop desk.
    Desk,
    /// Through the portal.
    Online,
    /// By the public postal service.
    Post,
}

named!(Channel {
    Desk => "desk", "Trực tiếp";
    Online => "online", "Trực tuyến";
    Post => "post", "Bưu chính công ích";
});

/// A dossier's state as the national portal counts it (TrangThaiHoSo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    New,
    Receiving,
    Unresolved,
    Processing,
    /// Waiting for the applicant (a supplement).
    Waiting,
    Paying,
    Cancelled,
    Denied,
    Releasing,
    Done,
}

named!(DossierStatus {
    New => "new", "Mới";
    Receiving => "receiving", "Đang tiếp nhận";
    Unresolved => "unresolved", "Chưa giải quyết";
    Processing => "processing", "Đang giải quyết";
    Waiting => "waiting", "Chờ bổ sung";
    Paying => "paying", "Chờ thanh toán";
    Cancelled => "cancelled", "Đã hủy";
    Denied => "denied", "Từ chối";
    Releasing => "releasing", "Chờ trả kết quả";
    Done => "done", "Đã trả kết quả";
});

impl DossierStatus {
    /// The national portal's code, 1 to 10.
    pub fn code(self) -> u8 {
        match self {
            Self::New => 1,
            Self::Receiving => 2,
            Self::Unresolved => 3,
            Self::Processing => 4,
            Self::Waiting => 5,
            Self::Paying => 6,
            Self::Cancelled => 7,
            Self::Denied => 8,
            Self::Releasing => 9,
            Self::Done => 10,
        }
    }

    /// The status of national code `code`.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code)
    }
}

/// A dossier's code: the receiving agency, the day of receipt and that
/// agency's sequence number of the day, `000.00.11.H59-210428-0001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode {
    pub agency: AgencyCode,
    pub day: Date,
    /// From 1; written with at least four digits.
    pub sequence: u32,
}

/// Why a text is not a dossier code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Mã hồ sơ «{0}» không đúng dạng <mã cơ quan>-<yymmdd>-<số thứ tự> (ví dụ 000.00.11.H59-210428-0001)"
)]
pub struct InvalidDossierCode(pub String);

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}{:02}{:02}-{:04}",
            self.agency,
            self.day.year().rem_euclid(100),
            u8::from(self.day.month()),
            self.day.day(),
            self.sequence
        )
    }
}

impl FromStr for DossierCode {
    type Err = InvalidDossierCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bad = || InvalidDossierCode(text.to_owned());
        let mut parts = text.rsplitn(3, '-');
        let (Some(sequence), Some(day), Some(agency)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(sequence) || sequence.len() < 4 || day.len() != 6 || !digits(day) {
            return Err(bad());
        }
        let number = |range: std::ops::Range<usize>| day[range].parse::<u8>().map_err(|_| bad());
        let month = time::Month::try_from(number(2..4)?).map_err(|_| bad())?;
        let day = Date::from_calendar_date(2000 + i32::from(number(0..2)?), month, number(4..6)?)
            .map_err(|_| bad())?;
        let sequence: u32 = sequence.parse().map_err(|_| bad())?;
        if sequence == 0 {
            return Err(bad());
        }
        Ok(Self {
            agency: agency.parse().map_err(|_| bad())?,
            day,
            sequence,
        })
    }
}

/// An administrative procedure (thủ tục hành chính) an agency carries
/// out, as its catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    pub id: ProcedureId,
    /// The agency that receives and resolves its dossiers.
    pub agency_id: AgencyId,
    /// The national code, `1.000894`.
    pub national_code: String,
    pub name: String,
    /// Lĩnh vực.
    pub field: Option<String>,
    pub level: Level,
    pub online: OnlineMode,
    /// Processing time in working days.
    pub processing_days: u32,
    /// Fees and charges, in đồng.
    pub fee: u64,
    pub effective_from: Date,
    /// The last day in force, if it was repealed or replaced.
    pub effective_to: Option<Date>,
    /// From 1; a changed procedure is a new row with the next version
    /// (`domain::catalogue`), so a dossier keeps the version it came under.
    pub version: u32,
    /// The catalogue's facts: agencies, fees, papers, result, legal basis.
    pub details: crate::catalogue::Details,
}

impl Procedure {
    /// The local code: the national one followed by the agency's code,
    /// `1.000494.000.00.00.H29`.
    pub fn local_code(&self, agency: &AgencyCode) -> String {
        format!("{}.{agency}", self.national_code)
    }

    /// Whether it is in force on `day`.
    pub fn in_force(&self, day: Date) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day <= to)
    }

    /// Refused unless in force on `day`: a dossier is received only under
    /// a procedure in force.
    pub fn check_in_force(&self, day: Date) -> Result<(), ServiceRuleError> {
        if self.in_force(day) {
            Ok(())
        } else {
            Err(ServiceRuleError::NotInForce {
                name: self.name.clone(),
                day: vn::dates::format_short(day),
            })
        }
    }

    /// The rules a new procedure must keep.
    pub fn check(&self) -> Result<(), ServiceRuleError> {
        let code = self.national_code.as_bytes();
        let well_formed = code.len() == 8
            && code[0].is_ascii_digit()
            && code[1] == b'.'
            && code[2..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(ServiceRuleError::BadProcedureCode(
                self.national_code.clone(),
            ));
        }
        if self.name.trim().is_empty() {
            return Err(ServiceRuleError::NoName);
        }
        if self.processing_days == 0 {
            return Err(ServiceRuleError::NoProcessingTime);
        }
        if self.effective_to.is_some_and(|to| to < self.effective_from) {
            return Err(ServiceRuleError::EndsBeforeItStarts);
        }
        if !self.details.fees.is_empty() && self.details.fee_total() != Some(self.fee) {
            return Err(ServiceRuleError::FeeNotSum);
        }
        if let Some(budgets) = &self.details.budgets {
            self.check_budgets(budgets)?;
        }
        Ok(())
    }

    /// A published internal process: every stage at least an hour (a
    /// stage of none would be late the moment it began), and the stages
    /// together exactly the processing time, so the last stage's due
    /// moment is the dossier's due date. Summed in `u64`: outside input
    /// may carry any four `u32`s.
    fn check_budgets(&self, budgets: &deadlines::Budgets) -> Result<(), ServiceRuleError> {
        for stage in deadlines::Budgets::STAGES {
            if budgets.of(stage) == Some(0) {
                return Err(ServiceRuleError::StageWithoutTime(
                    deadlines::Budgets::stage_name(stage),
                ));
            }
        }
        let sum = [
            budgets.reception,
            budgets.handling,
            budgets.approval,
            budgets.release,
        ]
        .iter()
        .map(|h| u64::from(*h))
        .sum::<u64>();
        let expected = u64::from(self.processing_days) * u64::from(deadlines::HOURS_PER_DAY);
        if sum == expected {
            Ok(())
        } else {
            Err(ServiceRuleError::BudgetsNotSum {
                sum,
                days: self.processing_days,
                expected,
            })
        }
    }

    /// The working hours of each stage: the procedure's own internal
    /// process when the catalogue gives one, else the default split of
    /// its processing days.
    pub fn budgets(&self) -> deadlines::Budgets {
        self.details
            .budgets
            .unwrap_or_else(|| deadlines::Budgets::default_for(self.processing_days))
    }
}

/// Who a dossier is for (LoaiDoiTuong: 1 citizen, 2 business).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    Citizen,
    Business,
}

named!(ApplicantKind {
    Citizen => "citizen", "Công dân";
    Business => "business", "Tổ chức, doanh nghiệp";
});

/// The applicant (chủ hồ sơ) and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub kind: ApplicantKind,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl Applicant {
    /// Trimmed, empty contacts dropped; refused without a name or any way
    /// to reach the applicant (the slip and the tracking page need one).
    pub fn normalised(self) -> Result<Self, ServiceRuleError> {
        let clean =
            |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let applicant = Self {
            name: self.name.trim().to_owned(),
            phone: clean(self.phone),
            email: clean(self.email).map(|e| e.to_lowercase()),
            address: clean(self.address),
            ..self
        };
        if applicant.name.is_empty() {
            return Err(ServiceRuleError::NoApplicant);
        }
        if applicant.phone.is_none() && applicant.email.is_none() {
            return Err(ServiceRuleError::NoContact);
        }
        if let Some(email) = &applicant.email {
            let plain = |part: &str| {
                !part.is_empty()
                    && part.chars().all(|c| {
                        !c.is_whitespace() && !c.is_control() && !"<>(),;:@\\\"[]".contains(c)
                    })
            };
            let well_formed = email
                .split_once('@')
                .is_some_and(|(user, host)| plain(user) && plain(host) && host.contains('.'));
            if !well_formed {
                return Err(ServiceRuleError::BadEmail(email.clone()));
            }
        }
        if let Some(phone) = &applicant.phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " .+-()".contains(c));
            if !allowed || !(9..=15).contains(&digits) {
                return Err(ServiceRuleError::BadPhone(phone.clone()));
            }
        }
        Ok(applicant)
    }
}

/// One paper of a dossier (thành phần hồ sơ) and how many copies came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    pub name: String,
    pub copies: u32,
}

/// A dossier (hồ sơ) received for a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub id: DossierId,
    /// [`DossierCode`] as written.
    pub code: String,
    pub agency_id: AgencyId,
    pub procedure_id: ProcedureId,
    pub channel: Channel,
    /// The national status: the stage's, or waiting while the clock is
    /// stopped for a supplement.
    pub status: DossierStatus,
    pub stage: Stage,
    pub applicant: Applicant,
    pub received_at: OffsetDateTime,
    /// The officer who received it at the desk.
    pub received_by: Option<PersonId>,
    pub due_on: Date,
    /// The new date promised in an apology for lateness or given by an
    /// extension; the dossier still counts against `due_on`.
    pub promised_on: Option<Date>,
    /// When its current stage is due (`deadlines`): each stage's own
    /// budget, apart from the overall due date.
    pub stage_due_at: Option<OffsetDateTime>,
    /// Who it was given to (chuyên viên thụ lý).
    pub handler_id: Option<PersonId>,
    /// The issued document that is its result (a licence, a decision).
    pub result_document_id: Option<crate::documents::DocumentId>,
    pub returned_at: Option<OffsetDateTime>,
    /// The day the clock stopped for a supplement, while it waits for one.
    pub stopped_on: Option<Date>,
    /// What the applicant handed in, in the slip's order.
    pub papers: Vec<Paper>,
    /// The files uploaded or scanned with it.
    pub files: Vec<DossierFile>,
}

impl Dossier {
    /// Moves it to `stage`, with that stage's national status.
    pub fn move_to(&mut self, stage: Stage) {
        self.stage = stage;
        self.status = stage.status();
    }

    /// The date the applicant was last told to come for the result.
    pub fn appointment(&self) -> Date {
        self.promised_on.unwrap_or(self.due_on)
    }

    /// Whether it is past its due date on `today` without a result.
    pub fn overdue_on(&self, today: Date) -> bool {
        !self.stage.is_final() && self.stage != Stage::Release && today > self.due_on
    }
}

/// Each file scanned at the desk is a copy of one of the papers received
/// (`papers` already checked): a scan of nothing received would be
/// evidence of nothing.
pub fn check_scans<'a>(
    papers: &[Paper],
    scans: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), ServiceRuleError> {
    for (paper, file_name) in scans {
        if !papers.iter().any(|p| p.name == paper.trim()) {
            return Err(ServiceRuleError::ScanWithoutPaper(file_name.to_owned()));
        }
    }
    Ok(())
}

/// The papers of a new dossier, names trimmed; refused if one has no name
/// or no copy, or if there are none.
pub fn check_papers(papers: Vec<Paper>) -> Result<Vec<Paper>, ServiceRuleError> {
    if papers.is_empty() {
        return Err(ServiceRuleError::NoPapers);
    }
    papers
        .into_iter()
        .map(|paper| {
            let name = paper.name.trim().to_owned();
            if name.is_empty() || paper.copies == 0 {
                Err(ServiceRuleError::BadPaper)
            } else {
                Ok(Paper { name, ..paper })
            }
        })
        .collect()
}

/// A rule about procedures and dossiers that an input breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceRuleError {
    #[error("Mã thủ tục «{0}» không đúng dạng mã quốc gia (ví dụ 1.000894)")]
    BadProcedureCode(String),
    #[error("Thủ tục phải có tên")]
    NoName,
    #[error("Thời hạn giải quyết phải ít nhất một ngày làm việc")]
    NoProcessingTime,
    #[error("Ngày hết hiệu lực trước ngày có hiệu lực")]
    EndsBeforeItStarts,
    #[error("Hồ sơ phải có tên người nộp (chủ hồ sơ)")]
    NoApplicant,
    #[error("Hồ sơ phải có số điện thoại hoặc thư điện tử của người nộp để báo kết quả")]
    NoContact,
    #[error("Thủ tục «{name}» không có hiệu lực ngày {day}")]
    NotInForce { name: String, day: String },
    #[error("Hồ sơ trực tuyến do người nộp gửi qua Cổng dịch vụ công, không tiếp nhận tại quầy")]
    OnlineAtTheDesk,
    #[error("Hồ sơ phải có ít nhất một thành phần (giấy tờ nộp)")]
    NoPapers,
    #[error("Mỗi thành phần hồ sơ phải có tên và ít nhất một bản")]
    BadPaper,
    #[error(
        "Thủ tục «{0}» chưa cung cấp dịch vụ công trực tuyến (mức độ 3, 4): xin nộp tại Bộ phận một cửa"
    )]
    NotOnline(String),
    #[error(
        "Tên tệp «{0}» không hợp lệ: tên tệp không được chứa đường dẫn (/, \\, ..), ký tự điều khiển hay bắt đầu bằng dấu chấm, tối đa 200 ký tự"
    )]
    BadFileName(String),
    #[error("Địa chỉ thư điện tử «{0}» không đúng dạng")]
    BadEmail(String),
    #[error("Số điện thoại «{0}» không đúng dạng")]
    BadPhone(String),
    #[error("Hồ sơ trực tuyến phải kèm ít nhất một tệp")]
    NoFiles,
    #[error("Tệp quét «{0}» không gắn với giấy tờ nào đã nhận")]
    ScanWithoutPaper(String),
    #[error("Hồ sơ có quá nhiều tệp: tối đa {0}")]
    TooManyFiles(usize),
    #[error("Tệp «{name}»: {reason}")]
    BadFile { name: String, reason: String },
    #[error("Nộp hồ sơ trực tuyến cần địa chỉ thư điện tử để xác nhận và nhận thông báo")]
    NoEmail,
    #[error("Hồ sơ đang ở bước «{stage}», không thể «{action}»")]
    OutOfTurn {
        action: &'static str,
        stage: &'static str,
    },
    #[error("Bước «{0}» cần ghi rõ lý do hoặc nội dung")]
    NoteNeeded(&'static str),
    #[error("Người được giao thụ lý phải là cán bộ của cơ quan giải quyết hồ sơ")]
    HandlerOutside,
    #[error("Ngày hẹn mới phải sau hôm nay")]
    PromiseInThePast,
    #[error("Hồ sơ chưa quá hạn: chỉ hồ sơ quá hạn mới cần thư xin lỗi")]
    NotLate,
    #[error(
        "Hồ sơ đã quá hạn giải quyết ({0}): không gia hạn được nữa, cần thư xin lỗi và hẹn lại ngày trả"
    )]
    ExtendAfterDue(String),
    #[error("Ngày gia hạn phải sau hôm nay và sau ngày hẹn trả hiện tại ({0})")]
    ExtensionNotLater(String),
    #[error("Chọn văn bản kết quả đã ban hành của cơ quan giải quyết hồ sơ")]
    NoResultDocument,
    #[error("Đường dẫn xác nhận không đúng hoặc đã hết hạn")]
    BadConfirmation,
    #[error("Tổng phí, lệ phí của thủ tục không bằng tổng các khoản")]
    FeeNotSum,
    #[error("Quy trình nội bộ: bước «{0}» phải có ít nhất 1 giờ làm việc")]
    StageWithoutTime(&'static str),
    #[error(
        "Quy trình nội bộ: tổng thời gian các bước là {sum} giờ, nhưng thời hạn giải quyết {days} ngày làm việc là {expected} giờ"
    )]
    BudgetsNotSum { sum: u64, days: u32, expected: u64 },
}

/// When a dossier received at `received_at` with `days` working days of
/// processing is due, on `calendar` (the receiving agency's).
pub fn due_on(calendar: &WorkCalendar, received_at: OffsetDateTime, days: u32) -> Date {
    calendar.due_date(received_at, days)
}

/// The due date `due` moved by a stop of the clock from `stopped` (the
/// day a supplement was asked for) to `resumed` (the day it came): by the
/// working days after `stopped` up to and including `resumed`, rounded up
/// to whole days.
pub fn due_after_stop(calendar: &WorkCalendar, due: Date, stopped: Date, resumed: Date) -> Date {
    let half_days = calendar.working_half_days_between(stopped, resumed).max(0);
    let days = u32::try_from((half_days + 1) / 2).unwrap_or(u32::MAX);
    calendar.add_working_days(due, days)
}

/// A stage's due moment moved by the same stop: its day moved as
/// [`due_after_stop`] moves a date, at the same time of day.
pub fn moment_after_stop(
    calendar: &WorkCalendar,
    due: OffsetDateTime,
    stopped: Date,
    resumed: Date,
) -> OffsetDateTime {
    let local = vn::dates::to_vietnam(due);
    let day = due_after_stop(calendar, local.date(), stopped, resumed);
    local.replace_date(day).to_offset(due.offset())
}

/// How a return compares with the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
}

named!(Timeliness {
    Early => "early", "Trước hạn";
    OnTime => "on_time", "Đúng hạn";
    Late => "late", "Quá hạn";
});

impl Timeliness {
    /// A result returned on `returned` against `due`.
    pub fn of(returned: Date, due: Date) -> Self {
        match returned.cmp(&due) {
            std::cmp::Ordering::Less => Self::Early,
            std::cmp::Ordering::Equal => Self::OnTime,
            std::cmp::Ordering::Greater => Self::Late,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime, time};
    use vn::workdays::WorkingWeek;

    use super::*;

    fn code(text: &str) -> Result<DossierCode, InvalidDossierCode> {
        text.parse()
    }

    #[test]
    fn dossier_codes_read_and_write_back() {
        let parsed = code("000.00.11.H59-210428-0001").unwrap();
        assert_eq!(parsed.agency.to_string(), "000.00.11.H59");
        assert_eq!(parsed.day, date!(2021 - 04 - 28));
        assert_eq!(parsed.sequence, 1);
        assert_eq!(parsed.to_string(), "000.00.11.H59-210428-0001");
        let busy = DossierCode {
            sequence: 12_345,
            ..parsed
        };
        assert_eq!(busy.to_string(), "000.00.11.H59-210428-12345");
        assert_eq!(code(&busy.to_string()).unwrap(), busy);
        for wrong in [
            "",
            "000.00.11.H59-210428",
            "000.00.11.H59-210428-001",
            "000.00.11.H59-210431-0001",
            "000.00.11.H59-211328-0001",
            "000.00.11.H59-210428-0000",
            "000.00.11.H59-21O428-0001",
            "H15.50.05.13-261008-0975",
        ] {
            let error = code(wrong).unwrap_err();
            assert!(error.to_string().contains("Mã hồ sơ"), "{wrong}");
        }
    }

    #[test]
    fn national_status_codes_are_one_to_ten() {
        let codes: Vec<u8> = DossierStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, (1..=10).collect::<Vec<_>>());
        for status in DossierStatus::ALL {
            assert_eq!(DossierStatus::from_code(status.code()), Some(*status));
        }
        assert_eq!(DossierStatus::from_code(0), None);
        assert_eq!(DossierStatus::from_code(11), None);
    }

    #[test]
    fn levels_and_modes() {
        assert_eq!(
            Level::ALL.iter().map(|l| l.number()).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert_eq!(OnlineMode::of_level(Level::Complete), OnlineMode::Full);
        assert_eq!(OnlineMode::of_level(Level::Online), OnlineMode::Partial);
        assert_eq!(OnlineMode::of_level(Level::Forms), OnlineMode::None);
        assert_eq!(
            "post".parse::<Channel>().unwrap().label(),
            "Bưu chính công ích"
        );
    }

    /// Issue 8's case: 5 working days for a dossier received on Wednesday
    /// 28/4/2021 at 16:00, after the 15:00 cut-off: it counts from
    /// Thursday 29/4; 30/4, 1/5 (Saturday), 2/5 and 3/5 (compensation for
    /// 1/5) are not worked, so the days are 4/5, 5/5, 6/5, 7/5 and 10/5.
    #[test]
    fn due_dates_skip_the_april_holidays_and_the_compensation_day() {
        let mut calendar = WorkCalendar::new(WorkingWeek::MONDAY_TO_FRIDAY);
        calendar.cutoff = Some(time!(15:00));
        let received = datetime!(2021-04-28 16:00 +7);
        assert_eq!(due_on(&calendar, received, 5), date!(2021 - 05 - 10));
        let before_cutoff = datetime!(2021-04-28 14:00 +7);
        assert_eq!(due_on(&calendar, before_cutoff, 5), date!(2021 - 05 - 07));
    }

    #[test]
    fn a_supplement_moves_the_due_date_by_the_days_the_clock_stopped() {
        let calendar = WorkCalendar::new(WorkingWeek::MONDAY_TO_FRIDAY);
        let due = date!(2021 - 05 - 10);
        // Asked on Tuesday 4/5, brought on Thursday 6/5: two working days.
        assert_eq!(
            due_after_stop(&calendar, due, date!(2021 - 05 - 04), date!(2021 - 05 - 06)),
            date!(2021 - 05 - 12)
        );
        // Asked and brought the same day: no change.
        assert_eq!(
            due_after_stop(&calendar, due, date!(2021 - 05 - 04), date!(2021 - 05 - 04)),
            due
        );
        // Asked on Friday 7/5, brought on Monday 10/5: one working day.
        assert_eq!(
            due_after_stop(&calendar, due, date!(2021 - 05 - 07), date!(2021 - 05 - 10)),
            date!(2021 - 05 - 11)
        );
        // On a week with Saturday mornings, a Saturday-only stop is half a
        // day, rounded up to one.
        let desk = WorkCalendar::new(WorkingWeek::WITH_SATURDAY_MORNING);
        assert_eq!(
            due_after_stop(&desk, due, date!(2021 - 05 - 07), date!(2021 - 05 - 08)),
            date!(2021 - 05 - 11)
        );
    }

    fn procedure() -> Procedure {
        Procedure {
            id: 0,
            agency_id: 1,
            national_code: "1.000494".into(),
            name: "Cấp giấy phép bưu chính".into(),
            field: Some("Bưu chính".into()),
            level: Level::Complete,
            online: OnlineMode::Full,
            processing_days: 10,
            fee: 0,
            effective_from: date!(2020 - 01 - 01),
            effective_to: Some(date!(2021 - 12 - 31)),
            version: 1,
            details: crate::catalogue::Details::default(),
        }
    }

    #[test]
    fn procedures_keep_their_rules() {
        let p = procedure();
        assert_eq!(p.check(), Ok(()));
        let agency: AgencyCode = "000.00.00.H29".parse().unwrap();
        assert_eq!(p.local_code(&agency), "1.000494.000.00.00.H29");
        assert!(p.in_force(date!(2021 - 04 - 28)));
        assert!(!p.in_force(date!(2019 - 12 - 31)) && !p.in_force(date!(2022 - 01 - 01)));
        for (wrong, error) in [
            (
                Procedure {
                    national_code: "1000494".into(),
                    ..procedure()
                },
                ServiceRuleError::BadProcedureCode("1000494".into()),
            ),
            (
                Procedure {
                    name: " ".into(),
                    ..procedure()
                },
                ServiceRuleError::NoName,
            ),
            (
                Procedure {
                    processing_days: 0,
                    ..procedure()
                },
                ServiceRuleError::NoProcessingTime,
            ),
            (
                Procedure {
                    effective_to: Some(date!(2019 - 01 - 01)),
                    ..procedure()
                },
                ServiceRuleError::EndsBeforeItStarts,
            ),
        ] {
            assert_eq!(wrong.check(), Err(error));
        }
    }

    /// A procedure of 10 days (80 hours) with `budgets` as its internal
    /// process.
    fn with_budgets(reception: u32, handling: u32, approval: u32, release: u32) -> Procedure {
        let mut p = procedure();
        p.details.budgets = Some(deadlines::Budgets {
            reception,
            handling,
            approval,
            release,
        });
        p
    }

    #[test]
    fn a_published_internal_process_must_make_up_the_processing_time() {
        // Without one, the default split of the ten days.
        assert_eq!(procedure().budgets(), deadlines::Budgets::default_for(10));
        let own = with_budgets(4, 60, 12, 4);
        assert_eq!(own.check(), Ok(()));
        assert_eq!(own.budgets().handling, 60);
        assert_ne!(own.budgets(), deadlines::Budgets::default_for(10));
        let short = with_budgets(4, 40, 8, 4);
        assert_eq!(
            short.check(),
            Err(ServiceRuleError::BudgetsNotSum {
                sum: 56,
                days: 10,
                expected: 80
            })
        );
        assert_eq!(
            short.check().unwrap_err().to_string(),
            "Quy trình nội bộ: tổng thời gian các bước là 56 giờ, nhưng thời hạn giải quyết 10 ngày làm việc là 80 giờ"
        );
        assert_eq!(
            with_budgets(4, 64, 12, 0).check().unwrap_err().to_string(),
            "Quy trình nội bộ: bước «Trả kết quả» phải có ít nhất 1 giờ làm việc"
        );
        assert_eq!(
            with_budgets(0, 68, 8, 4).check(),
            Err(ServiceRuleError::StageWithoutTime("Tiếp nhận"))
        );
        // Four hours that overflow a u32 when added are a wrong sum, not
        // a panic or a wrapped-around match.
        let huge = with_budgets(u32::MAX, u32::MAX, u32::MAX, 84);
        assert!(matches!(
            huge.check(),
            Err(ServiceRuleError::BudgetsNotSum { expected: 80, .. })
        ));
        assert_eq!(huge.details.budgets.unwrap().total(), u32::MAX);
    }

    #[test]
    fn an_applicant_needs_a_name_and_a_way_to_be_reached() {
        let applicant = Applicant {
            name: "  Trần Thị Mai ".into(),
            kind: ApplicantKind::Citizen,
            phone: Some(" ".into()),
            email: Some(" Mai@Example.VN ".into()),
            address: None,
        };
        let clean = applicant.clone().normalised().unwrap();
        assert_eq!(clean.name, "Trần Thị Mai");
        assert_eq!(
            (clean.phone, clean.email.as_deref()),
            (None, Some("mai@example.vn"))
        );
        let unreachable = Applicant {
            email: None,
            ..applicant.clone()
        };
        assert_eq!(unreachable.normalised(), Err(ServiceRuleError::NoContact));
        for (email, phone) in [
            ("a@b@c.vn", "0912345678"),
            ("mai@localhost", "0912345678"),
            ("mai @example.vn", "0912345678"),
            ("mai@example.vn\r\nBcc: x@y.vn", "0912345678"),
        ] {
            let wrong = Applicant {
                email: Some(email.into()),
                phone: Some(phone.into()),
                ..applicant.clone()
            };
            assert!(
                matches!(wrong.normalised(), Err(ServiceRuleError::BadEmail(_))),
                "{email}"
            );
        }
        for phone in ["12", "0912-345-678 ext", "+84 912 345 678 999 999"] {
            let wrong = Applicant {
                phone: Some(phone.into()),
                ..applicant.clone()
            };
            assert!(
                matches!(wrong.normalised(), Err(ServiceRuleError::BadPhone(_))),
                "{phone}"
            );
        }
        let nameless = Applicant {
            name: String::new(),
            ..applicant
        };
        assert_eq!(nameless.normalised(), Err(ServiceRuleError::NoApplicant));
    }

    #[test]
    fn returns_are_early_on_time_or_late() {
        let due = date!(2021 - 05 - 10);
        assert_eq!(
            Timeliness::of(date!(2021 - 05 - 07), due),
            Timeliness::Early
        );
        assert_eq!(Timeliness::of(due, due), Timeliness::OnTime);
        assert_eq!(Timeliness::of(date!(2021 - 05 - 11), due), Timeliness::Late);
    }
}
