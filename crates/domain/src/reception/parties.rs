//! The people who come or write (công dân đến, người viết đơn) and who
//! may see their personal data.
//!
//! Rule (the one place it is written; `app` applies it to every record it
//! hands out): names, id numbers, addresses and phones are seen by the
//! officer who recorded them, the handler assigned and the leaders who
//! decide petitions over the agency; anyone else allowed to list the
//! area reads «(đã ẩn)». A denouncer's identity is confidential (Law on
//! Denunciation 2018, art. 47–48: keeping the denouncer's name, address
//! and handwriting secret): only the assigned handler and the deciding
//! leader see it — not the officer who recorded it, once recorded.

use serde::{Deserialize, Serialize};

use super::{ReceptionError, required};
use crate::people::PersonId;

/// What a hidden field reads.
pub const HIDDEN: &str = "(đã ẩn)";

/// One person's personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    /// CMND (9 digits) or CCCD (12 digits), when given.
    pub id_number: Option<String>,
    pub address: String,
    pub phone: Option<String>,
}

impl Party {
    /// The party tidied, or why it cannot be recorded: a name and an
    /// address are required; an id number has 9 or 12 digits; a phone
    /// 10 or 11 digits, with an optional leading `+84` in place of 0.
    pub fn normalised(&self) -> Result<Self, ReceptionError> {
        let optional = |s: &Option<String>| {
            s.as_deref()
                .map(|s| s.split_whitespace().collect::<String>())
                .filter(|s| !s.is_empty())
        };
        let id_number = optional(&self.id_number);
        if let Some(id) = &id_number
            && !(matches!(id.len(), 9 | 12) && id.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ReceptionError::Malformed("Số CMND/CCCD", id.clone()));
        }
        let phone = optional(&self.phone).map(|p| p.replace(['.', '-'], ""));
        if let Some(p) = &phone {
            let national = p
                .strip_prefix("+84")
                .map_or_else(|| p.clone(), |r| format!("0{r}"));
            if !(national.starts_with('0')
                && matches!(national.len(), 10 | 11)
                && national.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(ReceptionError::Malformed("Số điện thoại", p.clone()));
            }
        }
        Ok(Self {
            name: required(&self.name, "họ và tên người đến/người viết đơn")?,
            id_number,
            address: required(&self.address, "địa chỉ người đến/người viết đơn")?,
            phone,
        })
    }

    /// The party as someone who may not see it reads it.
    pub fn redacted(&self) -> Self {
        let hide = |s: &Option<String>| s.as_ref().map(|_| HIDDEN.to_owned());
        Self {
            name: HIDDEN.into(),
            id_number: hide(&self.id_number),
            address: HIDDEN.into(),
            phone: hide(&self.phone),
        }
    }

    /// Whether two parties are the same person: the same id number when
    /// both have one, else the same folded name and address.
    pub fn same_person(&self, other: &Self) -> bool {
        match (&self.id_number, &other.id_number) {
            (Some(a), Some(b)) => a == b,
            _ => {
                vn::text::fold(&self.name) == vn::text::fold(&other.name)
                    && vn::text::fold(&self.address) == vn::text::fold(&other.address)
            }
        }
    }
}

/// The parties tidied; at least one.
pub fn normalised(parties: &[Party]) -> Result<Vec<Party>, ReceptionError> {
    if parties.is_empty() {
        return Err(ReceptionError::Missing("ít nhất một người"));
    }
    parties.iter().map(Party::normalised).collect()
}

/// Who reads a record, as the rule needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The system itself (the operator's command line, the demo): no
    /// person, nothing hidden.
    System,
    Person {
        id: PersonId,
        /// Holds `AssignPetitions` over the record's agency.
        decides: bool,
    },
}

/// Whose a record's personal data is, as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keepers {
    pub recorded_by: PersonId,
    pub handler: Option<PersonId>,
    /// The leader who decided on it (classified or assigned), once one
    /// has.
    pub decided_by: Option<PersonId>,
    /// A denunciation: the denouncer's identity is confidential.
    pub confidential: bool,
}

impl Keepers {
    /// Whether `reader` sees the personal data.
    pub fn may_see(&self, reader: Reader) -> bool {
        let Reader::Person { id, decides } = reader else {
            return true;
        };
        if self.handler == Some(id) {
            return true;
        }
        if self.confidential {
            // Before a leader decides, any deciding leader of the agency
            // must read it to decide; afterwards only the one who did.
            return decides && self.decided_by.is_none_or(|by| by == id);
        }
        decides || self.recorded_by == id
    }
}

/// `parties` as `reader` may see them.
pub fn shown_to(parties: &[Party], keepers: &Keepers, reader: Reader) -> Vec<Party> {
    if keepers.may_see(reader) {
        parties.to_vec()
    } else {
        parties.iter().map(Party::redacted).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party() -> Party {
        Party {
            name: " Nguyễn  Văn A ".into(),
            id_number: Some("084 123 456 789".into()),
            address: "Phường 1, TP Trà Vinh".into(),
            phone: Some("0294.3855.123".into()),
        }
    }

    #[test]
    fn parties_are_tidied_or_refused() {
        let p = party().normalised().unwrap();
        assert_eq!(p.name, "Nguyễn Văn A");
        assert_eq!(p.id_number.as_deref(), Some("084123456789"));
        assert_eq!(p.phone.as_deref(), Some("02943855123"));
        let bad_id = Party {
            id_number: Some("12345".into()),
            ..party()
        };
        assert!(matches!(
            bad_id.normalised(),
            Err(ReceptionError::Malformed(..))
        ));
        let bad_phone = Party {
            phone: Some("12ab".into()),
            ..party()
        };
        assert!(bad_phone.normalised().is_err());
        let no_name = Party {
            name: "  ".into(),
            ..party()
        };
        assert!(matches!(
            no_name.normalised(),
            Err(ReceptionError::Missing(_))
        ));
        assert!(normalised(&[]).is_err());
        let r = party().redacted();
        assert_eq!(r.name, HIDDEN);
        assert_eq!(r.id_number.as_deref(), Some(HIDDEN));
    }

    #[test]
    fn who_sees_personal_data() {
        let (recorder, handler, leader, other_leader, inspector) = (1, 2, 3, 4, 5);
        let person = |id, decides| Reader::Person { id, decides };
        let open = Keepers {
            recorded_by: recorder,
            handler: Some(handler),
            decided_by: Some(leader),
            confidential: false,
        };
        let confidential = Keepers {
            confidential: true,
            ..open
        };
        let cases = [
            (open, person(recorder, false), true),
            (open, person(handler, false), true),
            (open, person(other_leader, true), true),
            (open, person(inspector, false), false),
            (open, Reader::System, true),
            (confidential, person(recorder, false), false),
            (confidential, person(handler, false), true),
            (confidential, person(leader, true), true),
            (confidential, person(other_leader, true), false),
            (confidential, person(inspector, false), false),
            (
                Keepers {
                    decided_by: None,
                    handler: None,
                    ..confidential
                },
                person(other_leader, true),
                true,
            ),
        ];
        for (keepers, reader, sees) in cases {
            assert_eq!(keepers.may_see(reader), sees, "{keepers:?} {reader:?}");
        }
    }
}
