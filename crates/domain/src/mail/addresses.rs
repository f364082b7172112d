//! Mail domains and addresses (DOMAIN.md §8): the province's domain,
//! versioned with dates like agencies, and the local parts egov makes —
//! a person's given name and initials, then the agency's suffix where the
//! domain's rule in force asks for it (`thanhnn.stttt@travinh.gov.vn`); an
//! agency's abbreviation (`stttt@`); a unit's abbreviation before its
//! agency's (`vp.stttt@`). A name already taken is numbered (`thanhnn2`).

use serde::{Deserialize, Serialize};
use time::Date;

/// Longest local part RFC 5321 allows.
const MAX_LOCAL: usize = 64;

pub type MailDomainId = i64;

/// A mail domain of the province, in force from one day until another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailDomain {
    pub id: MailDomainId,
    /// e.g. `travinh.gov.vn`.
    pub name: String,
    /// Whether persons' addresses carry their agency's suffix
    /// (`thanhnn.stttt@`), as the 2025 rule asks; before it, `thanhnn@`.
    pub agency_suffix: bool,
    pub effective_from: Date,
    /// First day on which it is no longer in force.
    pub effective_to: Option<Date>,
}

impl MailDomain {
    pub fn is_effective_on(&self, day: Date) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day < to)
    }
}

/// The domain in force on `day`, if any (the latest one to start).
pub fn in_force(domains: &[MailDomain], day: Date) -> Option<&MailDomain> {
    domains
        .iter()
        .filter(|d| d.is_effective_on(day))
        .max_by_key(|d| d.effective_from)
}

/// Why an address or a name for one is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("địa chỉ thư không hợp lệ: «{0}»")]
    Malformed(String),
    #[error("tên «{0}» không tạo được địa chỉ thư (không có chữ cái La-tinh)")]
    NoLetters(String),
    #[error("tên miền «{0}» không hợp lệ")]
    Domain(String),
    #[error("đã hết số thứ tự cho địa chỉ «{0}»")]
    Exhausted(String),
    #[error("địa chỉ «{0}» đã được dùng")]
    Taken(String),
}

/// Checks a local part as egov writes them: lowercase ASCII letters and
/// digits in dot-separated words, at most 64 characters. Aliases typed by
/// an operator are held to the same rule, so every address in the
/// directory can be written in a passwd-file and a Postfix map unquoted.
pub fn check_local_part(local: &str) -> Result<(), AddressError> {
    let ok = !local.is_empty()
        && local.len() <= MAX_LOCAL
        && local.split('.').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !word.starts_with('-')
                && !word.ends_with('-')
        });
    if ok {
        Ok(())
    } else {
        Err(AddressError::Malformed(local.to_owned()))
    }
}

/// Checks a domain name: lowercase labels of letters, digits and inner
/// hyphens, at least two of them.
pub fn check_domain(domain: &str) -> Result<(), AddressError> {
    let labels: Vec<&str> = domain.split('.').collect();
    let ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    if ok {
        Ok(())
    } else {
        Err(AddressError::Domain(domain.to_owned()))
    }
}

/// Splits and checks a full address; it is folded to lowercase first.
pub fn parse(address: &str) -> Result<(String, String), AddressError> {
    let lower = address.trim().to_ascii_lowercase();
    let (local, domain) = lower
        .rsplit_once('@')
        .ok_or_else(|| AddressError::Malformed(address.to_owned()))?;
    check_local_part(local).map_err(|_| AddressError::Malformed(address.to_owned()))?;
    check_domain(domain).map_err(|_| AddressError::Malformed(address.to_owned()))?;
    Ok((local.to_owned(), domain.to_owned()))
}

/// An agency's or unit's suffix from its abbreviation: folded to ASCII
/// and lowercase ("STTTT" → `stttt`, "VP" → `vp`).
pub fn suffix_of(short_name: &str) -> String {
    vn::text::ascii_alnum(short_name).to_ascii_lowercase()
}

/// The local part of a person's mailbox: given name and initials, the
/// agency suffix when `suffix` is given, numbered past the names
/// `is_taken` says are used. A name whose local part would break the
/// rule (longer than 64 characters) is refused.
pub fn person_local_part(
    full_name: &str,
    suffix: Option<&str>,
    is_taken: impl Fn(&str) -> bool,
) -> Result<String, AddressError> {
    let local =
        vn::names::mailbox_local_part(full_name, suffix, is_taken).map_err(|e| match e {
            vn::names::NameError::Exhausted => AddressError::Exhausted(full_name.to_owned()),
            vn::names::NameError::Empty | vn::names::NameError::NoAsciiLetters => {
                AddressError::NoLetters(full_name.to_owned())
            }
        })?;
    check_local_part(&local)?;
    Ok(local)
}

/// The local part of an agency's box (`stttt`) or of a unit's
/// (`vp.stttt`): its suffix, then its parents' from the nearest up. A
/// taken name is not numbered — two agencies with one abbreviation is a
/// mistake for a person to settle, so the caller refuses it.
pub fn agency_local_part(chain: &[&str]) -> Result<String, AddressError> {
    let parts: Vec<String> = chain
        .iter()
        .map(|s| suffix_of(s))
        .filter(|s| !s.is_empty())
        .collect();
    if parts.len() != chain.len() || parts.is_empty() {
        return Err(AddressError::NoLetters(chain.join(".")));
    }
    let local = parts.join(".");
    check_local_part(&local)?;
    Ok(local)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use time::macros::date;

    use super::*;

    #[test]
    fn local_parts_follow_the_rule() {
        let none = |_: &str| false;
        assert_eq!(
            person_local_part("Nguyễn Ngọc Thành", Some("stttt"), none).unwrap(),
            "thanhnn.stttt"
        );
        assert_eq!(
            person_local_part("Đặng Thị Ánh Tuyết", None, none).unwrap(),
            "tuyetdta"
        );
        let taken: HashSet<&str> = ["thanhnn.stttt", "thanhnn2.stttt"].into();
        assert_eq!(
            person_local_part("Nguyễn Ngọc Thành", Some("stttt"), |s| taken
                .contains(s))
            .unwrap(),
            "thanhnn3.stttt"
        );
        assert_eq!(
            person_local_part("阮", None, none),
            Err(AddressError::NoLetters("阮".into()))
        );
        assert_eq!(agency_local_part(&["STTTT"]).unwrap(), "stttt");
        assert_eq!(agency_local_part(&["VP", "STTTT"]).unwrap(), "vp.stttt");
        assert!(agency_local_part(&["Đ", "—"]).is_err());
        let long = format!("Lê {}", "A".repeat(70));
        assert!(matches!(
            person_local_part(&long, None, none),
            Err(AddressError::Malformed(_))
        ));
    }

    #[test]
    fn addresses_are_checked() {
        assert_eq!(
            parse(" ThanhNN.stttt@TraVinh.gov.vn ").unwrap(),
            ("thanhnn.stttt".into(), "travinh.gov.vn".into())
        );
        for bad in [
            "thanhnn",
            "@travinh.gov.vn",
            "a..b@travinh.gov.vn",
            ".a@travinh.gov.vn",
            "a b@travinh.gov.vn",
            "a@localhost",
            "a:b@travinh.gov.vn",
            "thành@travinh.gov.vn",
            "a@-x.vn",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(check_local_part(&"a".repeat(65)).is_err());
    }

    #[test]
    fn the_domain_in_force_on_a_day() {
        let old = MailDomain {
            id: 1,
            name: "travinh.gov.vn".into(),
            agency_suffix: false,
            effective_from: date!(2010 - 01 - 01),
            effective_to: Some(date!(2025 - 07 - 01)),
        };
        let new = MailDomain {
            id: 2,
            agency_suffix: true,
            effective_from: date!(2025 - 07 - 01),
            effective_to: None,
            ..old.clone()
        };
        let all = [old, new];
        assert_eq!(in_force(&all, date!(2021 - 04 - 15)).unwrap().id, 1);
        assert_eq!(in_force(&all, date!(2025 - 07 - 01)).unwrap().id, 2);
        assert!(in_force(&all, date!(2009 - 12 - 31)).is_none());
    }
}
