//! Licensing (issue 10): the licences and confirmations the department
//! records — non-commercial publication licences, game-point
//! certificates, commune radio frequency licences (issued by the national
//! frequency authority on the department's confirmation), BTS
//! construction confirmations and rural-criteria confirmations — with
//! each kind's rules as data (number symbol, term, reminder window), a
//! licence's status on a day, and the rules of issuing, renewing and
//! revoking.

pub mod figures;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::agencies::AgencyId;
use crate::people::PersonId;
use crate::services::Channel;

pub type LicenceId = i64;

/// What a licence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceKind {
    Publication,
    GamePoint,
    RadioFrequency,
    Bts,
    RuralCriteria,
}

named!(LicenceKind {
    Publication => "publication", "Giấy phép xuất bản tài liệu không kinh doanh";
    GamePoint => "game_point", "Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng";
    RadioFrequency => "radio_frequency", "Giấy phép sử dụng tần số vô tuyến điện của đài truyền thanh không dây cấp xã";
    Bts => "bts", "Xác nhận sự phù hợp xây dựng trạm BTS";
    RuralCriteria => "rural_criteria", "Xác nhận mức độ đạt tiêu chí nông thôn mới về thông tin và truyền thông";
});

/// A kind's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindRules {
    /// The symbol after the number (`05/GP-STTTT`).
    pub symbol: &'static str,
    /// The longest term a licence of the kind has, in years; `None` for
    /// kinds valid without a term.
    pub term_years: Option<u8>,
    /// How many days before expiry the holder is reminded to renew.
    pub reminder_days: u16,
    /// Issued by another authority on the department's confirmation: the
    /// issuer and its number are recorded as given, never numbered here.
    pub issued_elsewhere: bool,
}

impl LicenceKind {
    /// The kind's rules. Terms: a game-point certificate lasts 3 years
    /// (Decree 72/2013/NĐ-CP as amended by Decree 27/2018/NĐ-CP); a
    /// frequency licence at most 10 years (Law on Radio Frequencies
    /// 2009). The others have none.
    pub fn rules(self) -> KindRules {
        let (symbol, term_years, reminder_days, issued_elsewhere) = match self {
            Self::Publication => ("GP-STTTT", None, 0, false),
            Self::GamePoint => ("GCN-STTTT", Some(3), 30, false),
            // The commune files with the frequency authority, which takes
            // weeks: reminded two months ahead.
            Self::RadioFrequency => ("GP-CTS", Some(10), 60, true),
            Self::Bts => ("XNBTS-STTTT", None, 0, false),
            Self::RuralCriteria => ("XNNTM-STTTT", None, 0, false),
        };
        KindRules {
            symbol,
            term_years,
            reminder_days,
            issued_elsewhere,
        }
    }

    /// The number written for the `sequence`-th licence of the kind in a
    /// year.
    pub fn number(self, sequence: u32) -> String {
        format!("{sequence:02}/{}", self.rules().symbol)
    }

    /// The sequence in `number` when it has this kind's shape: numbers
    /// recorded by hand move the counter past them.
    pub fn sequence_of(self, number: &str) -> Option<u32> {
        let (n, symbol) = number.split_once('/')?;
        (symbol == self.rules().symbol)
            .then(|| n.parse().ok())
            .flatten()
    }

    /// The last day a licence issued on `issued_on` may run to.
    pub fn longest_until(self, issued_on: Date) -> Option<Date> {
        let years = i32::from(self.rules().term_years?);
        let same_day = issued_on
            .replace_year(issued_on.year() + years)
            .or_else(|_| Date::from_calendar_date(issued_on.year() + years, time::Month::March, 1))
            .ok()?;
        same_day.previous_day()
    }
}

/// Who holds a licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub name: String,
    /// Citizen id or tax code: shown to staff only, never publicly.
    pub id_number: Option<String>,
    pub address: String,
    /// Where expiry reminders go; never shown publicly.
    pub email: Option<String>,
}

/// A licence's revocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub on: Date,
    pub reason: String,
    pub by: Option<PersonId>,
}

/// The signed copy of a licence, as uploaded, with its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCopy {
    pub sha256: String,
    pub name: String,
    pub verdict: crate::documents::SignatureVerdict,
    pub signers: Vec<String>,
}

/// A licence or confirmation as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub id: LicenceId,
    pub number: String,
    pub kind: LicenceKind,
    /// The recording agency.
    pub agency_id: AgencyId,
    pub holder: Holder,
    /// What it covers: the publication, the game point's address, the
    /// station, the commune's radio.
    pub subject: String,
    /// For a rural-criteria confirmation, the year assessed.
    pub assessed_year: Option<i32>,
    /// Who issued it when not the department (the frequency authority).
    pub issuer: Option<String>,
    pub issued_on: Date,
    /// The last day it is valid; `None` for kinds without a term.
    pub valid_until: Option<Date>,
    pub channel: Channel,
    /// The services dossier it answers, when there was one.
    pub dossier_code: Option<String>,
    /// The licence it renews.
    pub renews: Option<LicenceId>,
    /// When a renewal of it was issued.
    pub renewed_on: Option<Date>,
    pub revocation: Option<Revocation>,
    pub signed: Option<SignedCopy>,
}

/// A licence's status on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    InForce,
    Expired,
    Superseded,
    Revoked,
}

named!(LicenceStatus {
    InForce => "in_force", "Còn hiệu lực";
    Expired => "expired", "Hết hiệu lực";
    Superseded => "superseded", "Đã gia hạn";
    Revoked => "revoked", "Đã thu hồi";
});

/// Why a licence may not be recorded or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceError {
    #[error("cần ghi {0}")]
    Missing(&'static str),
    #[error("ngày cấp {} là ngày trong tương lai", vn::dates::format_short(*.0))]
    IssuedInFuture(Date),
    #[error("ngày hết hạn phải sau ngày cấp")]
    ExpiryNotAfterIssue,
    #[error("loại «{}» có thời hạn: cần ghi ngày hết hạn", .0.label())]
    NoExpiry(LicenceKind),
    #[error("loại «{}» không có thời hạn: không ghi ngày hết hạn", .0.label())]
    ExpiryWithoutTerm(LicenceKind),
    #[error("thời hạn dài nhất của loại này là {years} năm: hết hạn chậm nhất ngày {last}", years = .0, last = vn::dates::format_short(*.1))]
    TermTooLong(u8, Date),
    #[error("năm đánh giá {0} không hợp lệ (phải trước hoặc bằng năm cấp)")]
    BadYear(i32),
    #[error("chỉ xác nhận tiêu chí nông thôn mới mới ghi năm đánh giá")]
    YearNotApplicable,
    #[error("loại «{}» không có thời hạn nên không gia hạn", .0.label())]
    NoTermToRenew(LicenceKind),
    #[error("giấy phép đã bị thu hồi")]
    Revoked,
    #[error("giấy phép đã được gia hạn")]
    AlreadyRenewed,
    #[error("giấy phép gia hạn không thể cấp trước ngày {}, ngày cấp giấy phép cũ", vn::dates::format_short(*.0))]
    RenewalBeforeOriginal(Date),
    #[error("ngày thu hồi phải từ ngày cấp {} đến hôm nay", vn::dates::format_short(*.0))]
    RevocationOutOfRange(Date),
    #[error("cần ghi lý do thu hồi")]
    NoReason,
    #[error("địa chỉ thư điện tử «{0}» không hợp lệ")]
    BadEmail(String),
}

/// What the public registry shows of a licence: no id number, no e-mail,
/// no address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicLicence {
    pub id: LicenceId,
    pub number: String,
    pub kind: LicenceKind,
    pub holder_name: String,
    pub subject: String,
    pub issued_on: Date,
    pub valid_until: Option<Date>,
    pub status: LicenceStatus,
    /// Whether the signed copy may be downloaded.
    pub signed: bool,
}

impl Licence {
    /// Its status on `day` (on or after its issue).
    pub fn status_on(&self, day: Date) -> LicenceStatus {
        if self.revocation.as_ref().is_some_and(|r| r.on <= day) {
            LicenceStatus::Revoked
        } else if self.renewed_on.is_some_and(|on| on <= day) {
            LicenceStatus::Superseded
        } else if self.valid_until.is_some_and(|until| until < day) {
            LicenceStatus::Expired
        } else {
            LicenceStatus::InForce
        }
    }

    /// What the public registry shows of it on `today`.
    pub fn public(&self, today: Date) -> PublicLicence {
        PublicLicence {
            id: self.id,
            number: self.number.clone(),
            kind: self.kind,
            holder_name: self.holder.name.clone(),
            subject: self.subject.clone(),
            issued_on: self.issued_on,
            valid_until: self.valid_until,
            status: self.status_on(today),
            signed: self.signed.is_some(),
        }
    }

    /// Whether its holder should be reminded on `today`: in force, with
    /// its expiry inside its kind's window.
    pub fn due_for_renewal(&self, today: Date) -> bool {
        let window = Duration::days(i64::from(self.kind.rules().reminder_days));
        self.status_on(today) == LicenceStatus::InForce
            && self
                .valid_until
                .is_some_and(|until| until >= today && until - window <= today)
    }

    /// The rules a new record keeps on `today`: what is required, the
    /// dates in order and within the kind's term.
    pub fn check(&self, today: Date) -> Result<(), LicenceError> {
        let required = [
            (&self.number, "số giấy phép"),
            (&self.holder.name, "tên tổ chức, cá nhân được cấp"),
            (&self.holder.address, "địa chỉ"),
            (&self.subject, "nội dung cấp phép"),
        ];
        if let Some((_, what)) = required.iter().find(|(v, _)| v.trim().is_empty()) {
            return Err(LicenceError::Missing(what));
        }
        if let Some(email) = self
            .holder
            .email
            .as_ref()
            .filter(|e| !crate::people::is_plausible_email(e))
        {
            return Err(LicenceError::BadEmail(email.clone()));
        }
        let rules = self.kind.rules();
        if rules.issued_elsewhere && self.issuer.as_deref().is_none_or(|i| i.trim().is_empty()) {
            return Err(LicenceError::Missing("cơ quan cấp phép"));
        }
        if self.issued_on > today {
            return Err(LicenceError::IssuedInFuture(self.issued_on));
        }
        match (self.kind.longest_until(self.issued_on), self.valid_until) {
            (None, Some(_)) => return Err(LicenceError::ExpiryWithoutTerm(self.kind)),
            (Some(_), None) => return Err(LicenceError::NoExpiry(self.kind)),
            (_, Some(until)) if until <= self.issued_on => {
                return Err(LicenceError::ExpiryNotAfterIssue);
            }
            (Some(longest), Some(until)) if until > longest => {
                return Err(LicenceError::TermTooLong(
                    rules.term_years.unwrap_or_default(),
                    longest,
                ));
            }
            _ => {}
        }
        match (self.kind, self.assessed_year) {
            (LicenceKind::RuralCriteria, None) => Err(LicenceError::Missing("năm đánh giá")),
            (LicenceKind::RuralCriteria, Some(y)) if y > self.issued_on.year() || y < 2010 => {
                Err(LicenceError::BadYear(y))
            }
            (LicenceKind::RuralCriteria, Some(_)) | (_, None) => Ok(()),
            (_, Some(_)) => Err(LicenceError::YearNotApplicable),
        }
    }

    /// Whether `renewal`, of the same kind, may renew this licence: a
    /// kind with a term, not revoked, not renewed before, starting no
    /// earlier than this one.
    pub fn check_renewal(&self, renewal_issued_on: Date) -> Result<(), LicenceError> {
        if self.kind.rules().term_years.is_none() {
            return Err(LicenceError::NoTermToRenew(self.kind));
        }
        if self.revocation.is_some() {
            return Err(LicenceError::Revoked);
        }
        if self.renewed_on.is_some() {
            return Err(LicenceError::AlreadyRenewed);
        }
        if renewal_issued_on < self.issued_on {
            return Err(LicenceError::RenewalBeforeOriginal(self.issued_on));
        }
        Ok(())
    }

    /// Revokes it on `on` for `reason`, once, between its issue and
    /// `today`; a renewed licence is revoked through its renewal.
    pub fn revoke(
        &mut self,
        on: Date,
        reason: &str,
        by: Option<PersonId>,
        today: Date,
    ) -> Result<(), LicenceError> {
        if self.revocation.is_some() {
            return Err(LicenceError::Revoked);
        }
        if self.renewed_on.is_some() {
            return Err(LicenceError::AlreadyRenewed);
        }
        let reason = vn::text::squash_spaces(&vn::text::nfc(reason));
        if reason.is_empty() {
            return Err(LicenceError::NoReason);
        }
        if on < self.issued_on || on > today {
            return Err(LicenceError::RevocationOutOfRange(self.issued_on));
        }
        self.revocation = Some(Revocation { on, reason, by });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn licence(kind: LicenceKind, issued_on: Date, valid_until: Option<Date>) -> Licence {
        Licence {
            id: 1,
            number: kind.number(1),
            kind,
            agency_id: 1,
            holder: Holder {
                name: "Hộ kinh doanh Minh Tâm".into(),
                id_number: Some("084123456789".into()),
                address: "Phường 5, TP Trà Vinh".into(),
                email: None,
            },
            subject: "Điểm trò chơi Minh Tâm".into(),
            assessed_year: None,
            issuer: None,
            issued_on,
            valid_until,
            channel: Channel::Online,
            dossier_code: None,
            renews: None,
            renewed_on: None,
            revocation: None,
            signed: None,
        }
    }

    const TODAY: Date = date!(2021 - 04 - 30);

    #[test]
    fn numbers_have_the_kinds_symbol() {
        assert_eq!(LicenceKind::Publication.number(7), "07/GP-STTTT");
        assert_eq!(
            LicenceKind::Publication.sequence_of("17/GP-STTTT"),
            Some(17)
        );
        assert_eq!(LicenceKind::Publication.sequence_of("17/GCN-STTTT"), None);
        assert_eq!(LicenceKind::Bts.sequence_of("x/XNBTS-STTTT"), None);
    }

    #[test]
    fn terms_and_dates() {
        let game = LicenceKind::GamePoint;
        assert_eq!(
            game.longest_until(date!(2021 - 04 - 05)),
            Some(date!(2024 - 04 - 04))
        );
        assert_eq!(
            game.longest_until(date!(2020 - 02 - 29)),
            Some(date!(2023 - 02 - 28))
        );
        assert_eq!(LicenceKind::Publication.longest_until(TODAY), None);
        let ok = licence(game, date!(2021 - 04 - 05), Some(date!(2024 - 04 - 04)));
        assert_eq!(ok.check(TODAY), Ok(()));
        let long = licence(game, date!(2021 - 04 - 05), Some(date!(2024 - 04 - 05)));
        assert!(matches!(
            long.check(TODAY),
            Err(LicenceError::TermTooLong(3, _))
        ));
        let backwards = licence(game, date!(2021 - 04 - 05), Some(date!(2021 - 04 - 05)));
        assert_eq!(
            backwards.check(TODAY),
            Err(LicenceError::ExpiryNotAfterIssue)
        );
        let none = licence(game, date!(2021 - 04 - 05), None);
        assert_eq!(none.check(TODAY), Err(LicenceError::NoExpiry(game)));
        let future = licence(game, date!(2021 - 05 - 01), Some(date!(2022 - 01 - 01)));
        assert!(matches!(
            future.check(TODAY),
            Err(LicenceError::IssuedInFuture(_))
        ));
        let publication = licence(
            LicenceKind::Publication,
            date!(2021 - 04 - 05),
            Some(date!(2022 - 01 - 01)),
        );
        assert!(matches!(
            publication.check(TODAY),
            Err(LicenceError::ExpiryWithoutTerm(_))
        ));
        let radio = licence(
            LicenceKind::RadioFrequency,
            date!(2021 - 04 - 05),
            Some(date!(2026 - 04 - 04)),
        );
        assert_eq!(
            radio.check(TODAY),
            Err(LicenceError::Missing("cơ quan cấp phép"))
        );
        let mut rural = licence(LicenceKind::RuralCriteria, date!(2021 - 04 - 05), None);
        assert_eq!(
            rural.check(TODAY),
            Err(LicenceError::Missing("năm đánh giá"))
        );
        rural.assessed_year = Some(2022);
        assert_eq!(rural.check(TODAY), Err(LicenceError::BadYear(2022)));
        rural.assessed_year = Some(2020);
        assert_eq!(rural.check(TODAY), Ok(()));
    }

    #[test]
    fn status_and_reminders() {
        let mut l = licence(
            LicenceKind::GamePoint,
            date!(2018 - 05 - 20),
            Some(date!(2021 - 05 - 19)),
        );
        assert_eq!(l.status_on(date!(2021 - 04 - 18)), LicenceStatus::InForce);
        assert!(!l.due_for_renewal(date!(2021 - 04 - 18)));
        assert!(l.due_for_renewal(date!(2021 - 04 - 19)));
        assert!(l.due_for_renewal(date!(2021 - 05 - 19)));
        assert_eq!(l.status_on(date!(2021 - 05 - 20)), LicenceStatus::Expired);
        assert!(!l.due_for_renewal(date!(2021 - 05 - 20)));
        l.renewed_on = Some(date!(2021 - 05 - 01));
        assert_eq!(
            l.status_on(date!(2021 - 05 - 01)),
            LicenceStatus::Superseded
        );
        assert!(!l.due_for_renewal(date!(2021 - 05 - 02)));
        assert_eq!(l.status_on(date!(2021 - 04 - 30)), LicenceStatus::InForce);
    }

    #[test]
    fn renewal_and_revocation() {
        let mut l = licence(
            LicenceKind::GamePoint,
            date!(2018 - 05 - 20),
            Some(date!(2021 - 05 - 19)),
        );
        assert_eq!(
            l.check_renewal(date!(2018 - 05 - 19)),
            Err(LicenceError::RenewalBeforeOriginal(date!(2018 - 05 - 20)))
        );
        assert_eq!(l.check_renewal(date!(2021 - 04 - 20)), Ok(()));
        let publication = licence(LicenceKind::Publication, date!(2021 - 04 - 05), None);
        assert_eq!(
            publication.check_renewal(TODAY),
            Err(LicenceError::NoTermToRenew(LicenceKind::Publication))
        );
        assert_eq!(
            l.revoke(date!(2021 - 04 - 20), "  ", None, TODAY),
            Err(LicenceError::NoReason)
        );
        assert!(matches!(
            l.revoke(date!(2021 - 05 - 01), "Vi phạm", None, TODAY),
            Err(LicenceError::RevocationOutOfRange(_))
        ));
        assert!(matches!(
            l.revoke(date!(2018 - 05 - 19), "Vi phạm", None, TODAY),
            Err(LicenceError::RevocationOutOfRange(_))
        ));
        l.revoke(
            date!(2021 - 04 - 20),
            " Vi phạm  giờ mở cửa ",
            Some(3),
            TODAY,
        )
        .unwrap();
        assert_eq!(l.revocation.as_ref().unwrap().reason, "Vi phạm giờ mở cửa");
        assert_eq!(l.status_on(date!(2021 - 04 - 19)), LicenceStatus::InForce);
        assert_eq!(l.status_on(date!(2021 - 04 - 20)), LicenceStatus::Revoked);
        assert_eq!(
            l.revoke(date!(2021 - 04 - 21), "Lần nữa", None, TODAY),
            Err(LicenceError::Revoked)
        );
        assert_eq!(l.check_renewal(TODAY), Err(LicenceError::Revoked));
    }
}
