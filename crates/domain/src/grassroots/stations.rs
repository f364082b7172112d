//! Commune radio stations: one commune's wired (loudspeakers on cables)
//! or wireless (FM) station, its equipment and the days it is in
//! service. A commune has at most one station of each kind in service on
//! any day; a station replaced is ended, and its successor starts later.
//!
//! A station's code, which CSV imports name it by, is its commune's code
//! and its kind («000.01.01.H59-HT», «…-VT»): stable, printed on no
//! paper, and unique among the stations in service on a day.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::agencies::{Agency, AgencyId, AgencyKind};
use crate::licensing::{Licence, LicenceId, LicenceKind, LicenceStatus};

pub type StationId = i64;

/// Most power a commune's transmitter or amplifiers may be recorded with.
pub const MAX_POWER_W: u32 = 100_000;
/// Most loudspeaker clusters a station may be recorded with.
pub const MAX_CLUSTERS: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StationKind {
    Wired,
    Wireless,
}

named!(StationKind {
    Wired => "wired", "Hữu tuyến";
    Wireless => "wireless", "Vô tuyến (FM)";
});

impl StationKind {
    /// The suffix of a station's code.
    pub fn code_suffix(self) -> &'static str {
        match self {
            Self::Wired => "HT",
            Self::Wireless => "VT",
        }
    }
}

/// What a wireless station broadcasts on, and its frequency licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frequency {
    pub mhz: f64,
    pub licence: FrequencyLicence,
}

/// A wireless station's frequency licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyLicence {
    /// A licence of the licensing register (kind radio frequency); its
    /// renewals follow from there.
    Record(LicenceId),
    /// The number and expiry written on a station registered before
    /// stations were linked to the licensing register, whose number
    /// matched no licence there (migration 28 linked those it found).
    /// Shown as written until staff link the licence; never recorded anew.
    Written {
        number: String,
        expiry: Option<Date>,
    },
}

/// A commune radio station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    pub id: StationId,
    /// The agency that keeps the register (the department, or a district).
    pub agency_id: AgencyId,
    /// The commune's people's committee.
    pub commune_id: AgencyId,
    pub name: String,
    pub kind: StationKind,
    /// Only for a wireless station.
    pub frequency: Option<Frequency>,
    /// The transmitter's (wireless) or amplifiers' (wired) power.
    pub power_w: u32,
    pub loudspeaker_clusters: u32,
    pub in_service_from: Date,
    /// Its last day in service; `None` while it is.
    pub in_service_to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StationError {
    #[error("cần ghi tên đài")]
    NoName,
    #[error("«{0}» không phải một xã, phường hay thị trấn")]
    NotACommune(String),
    #[error("đài vô tuyến cần tần số (MHz) và giấy phép tần số trong sổ giấy phép")]
    NoFrequency,
    #[error("giấy phép {0} không phải giấy phép tần số vô tuyến điện")]
    NotAFrequencyLicence(String),
    #[error("giấy phép tần số {0} đã bị thu hồi")]
    LicenceRevoked(String),
    #[error("chỉ đài vô tuyến mới có giấy phép tần số")]
    NotWireless,
    #[error("đài hữu tuyến không có tần số phát sóng")]
    WiredWithFrequency,
    #[error("tần số {0} MHz không hợp lệ")]
    BadFrequency(f64),
    #[error("công suất quá {MAX_POWER_W} W")]
    TooPowerful,
    #[error("số cụm loa quá {MAX_CLUSTERS}")]
    TooManyClusters,
    #[error("ngày ngừng hoạt động ({}) trước ngày bắt đầu ({})", vn::dates::format_short(*.1), vn::dates::format_short(*.0))]
    DatesOutOfOrder(Date, Date),
    #[error("xã đã có đài {} đang hoạt động trong thời gian này: «{}»", .0.to_lowercase(), .1)]
    Overlaps(String, String),
    #[error("đài đã ngừng hoạt động từ ngày {}", vn::dates::format_short(*.0))]
    AlreadyEnded(Date),
}

impl Station {
    /// Its code: the commune's code and the kind's suffix.
    pub fn code(&self, commune_code: &str) -> String {
        format!("{commune_code}-{}", self.kind.code_suffix())
    }

    /// Whether it is in service on `day`.
    pub fn in_service_on(&self, day: Date) -> bool {
        self.in_service_from <= day && self.in_service_to.is_none_or(|to| day <= to)
    }

    /// Whether its days in service meet `other`'s.
    fn overlaps(&self, other: &Self) -> bool {
        let ends_before =
            |a: &Self, b: &Self| a.in_service_to.is_some_and(|to| to < b.in_service_from);
        !ends_before(self, other) && !ends_before(other, self)
    }

    /// Trims its texts and checks it against its commune and the
    /// stations already registered (`others`, any commune), or says why
    /// it cannot be recorded.
    pub fn checked(mut self, commune: &Agency, others: &[Self]) -> Result<Self, StationError> {
        self.name = vn::text::squash_spaces(&self.name);
        if self.name.is_empty() {
            return Err(StationError::NoName);
        }
        if commune.kind != AgencyKind::CommuneCommittee {
            return Err(StationError::NotACommune(commune.name.clone()));
        }
        match (self.kind, &mut self.frequency) {
            (StationKind::Wired, Some(_)) => return Err(StationError::WiredWithFrequency),
            (StationKind::Wireless, None) => return Err(StationError::NoFrequency),
            (StationKind::Wireless, Some(f)) => {
                if matches!(f.licence, FrequencyLicence::Written { .. }) {
                    return Err(StationError::NoFrequency);
                }
                if !(f.mhz.is_finite() && f.mhz > 0.0 && f.mhz <= 1_000.0) {
                    return Err(StationError::BadFrequency(f.mhz));
                }
            }
            (StationKind::Wired, None) => {}
        }
        if self.power_w > MAX_POWER_W {
            return Err(StationError::TooPowerful);
        }
        if self.loudspeaker_clusters > MAX_CLUSTERS {
            return Err(StationError::TooManyClusters);
        }
        if let Some(to) = self.in_service_to.filter(|to| *to < self.in_service_from) {
            return Err(StationError::DatesOutOfOrder(self.in_service_from, to));
        }
        if let Some(clash) = others.iter().find(|o| {
            o.id != self.id
                && o.commune_id == self.commune_id
                && o.kind == self.kind
                && o.overlaps(&self)
        }) {
            return Err(StationError::Overlaps(
                self.kind.label().to_owned(),
                clash.name.clone(),
            ));
        }
        Ok(self)
    }

    /// The station with its frequency licence `licence` (a wireless
    /// one's, on `today`), or why that licence cannot be its.
    pub fn licensed(&self, licence: &Licence, today: Date) -> Result<Self, StationError> {
        let Some(frequency) = &self.frequency else {
            return Err(StationError::NotWireless);
        };
        if licence.kind != LicenceKind::RadioFrequency {
            return Err(StationError::NotAFrequencyLicence(licence.number.clone()));
        }
        if licence.status_on(today) == LicenceStatus::Revoked {
            return Err(StationError::LicenceRevoked(licence.number.clone()));
        }
        Ok(Self {
            frequency: Some(Frequency {
                mhz: frequency.mhz,
                licence: FrequencyLicence::Record(licence.id),
            }),
            ..self.clone()
        })
    }

    /// The station ended after `last_day`, its last day in service.
    pub fn ended(&self, last_day: Date) -> Result<Self, StationError> {
        if let Some(to) = self.in_service_to {
            return Err(StationError::AlreadyEnded(to));
        }
        if last_day < self.in_service_from {
            return Err(StationError::DatesOutOfOrder(
                self.in_service_from,
                last_day,
            ));
        }
        Ok(Self {
            in_service_to: Some(last_day),
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::agencies::AgencyCode;

    fn commune(kind: AgencyKind) -> Agency {
        Agency {
            id: 7,
            code: "000.01.31.H59".parse::<AgencyCode>().unwrap(),
            name: "Ủy ban nhân dân xã Long Đức".into(),
            short_name: "UBND".into(),
            kind,
            parent_id: None,
            effective_from: date!(1992 - 05 - 01),
            effective_to: None,
            successor_id: None,
        }
    }

    fn wired(id: StationId, from: Date, to: Option<Date>) -> Station {
        Station {
            id,
            agency_id: 1,
            commune_id: 7,
            name: " Đài  Long Đức ".into(),
            kind: StationKind::Wired,
            frequency: None,
            power_w: 500,
            loudspeaker_clusters: 12,
            in_service_from: from,
            in_service_to: to,
        }
    }

    #[test]
    fn one_station_per_commune_and_kind_at_a_time() {
        let c = commune(AgencyKind::CommuneCommittee);
        let old = wired(1, date!(2015 - 01 - 01), Some(date!(2020 - 12 - 31)));
        let new = wired(0, date!(2021 - 01 - 01), None).checked(&c, std::slice::from_ref(&old));
        assert_eq!(new.unwrap().name, "Đài Long Đức");
        let clash = wired(0, date!(2020 - 12 - 31), None).checked(&c, std::slice::from_ref(&old));
        assert!(matches!(clash, Err(StationError::Overlaps(..))));
        let mut fm = wired(0, date!(2019 - 01 - 01), None);
        fm.kind = StationKind::Wireless;
        fm.frequency = Some(Frequency {
            mhz: 54.5,
            licence: FrequencyLicence::Record(5),
        });
        assert!(fm.clone().checked(&c, std::slice::from_ref(&old)).is_ok());
        // A number written by hand is what old records carry, not what a
        // new station may be registered with.
        fm.frequency = Some(Frequency {
            mhz: 54.5,
            licence: FrequencyLicence::Written {
                number: "123/GP-CTS".into(),
                expiry: None,
            },
        });
        assert_eq!(fm.checked(&c, &[old]), Err(StationError::NoFrequency));
    }

    #[test]
    fn refusals() {
        let c = commune(AgencyKind::CommuneCommittee);
        let day = date!(2021 - 01 - 01);
        let district = commune(AgencyKind::DistrictCommittee);
        assert!(matches!(
            wired(0, day, None).checked(&district, &[]),
            Err(StationError::NotACommune(_))
        ));
        assert!(matches!(
            wired(0, day, Some(date!(2020 - 12 - 31))).checked(&c, &[]),
            Err(StationError::DatesOutOfOrder(..))
        ));
        let mut fm = wired(0, day, None);
        fm.kind = StationKind::Wireless;
        assert_eq!(fm.clone().checked(&c, &[]), Err(StationError::NoFrequency));
        fm.frequency = Some(Frequency {
            mhz: -1.0,
            licence: FrequencyLicence::Record(1),
        });
        assert!(matches!(
            fm.checked(&c, &[]),
            Err(StationError::BadFrequency(_))
        ));
        let mut loud = wired(0, day, None);
        loud.power_w = MAX_POWER_W + 1;
        assert_eq!(loud.checked(&c, &[]), Err(StationError::TooPowerful));
    }

    fn licence(kind: LicenceKind) -> Licence {
        Licence {
            id: 9,
            number: "21040/GP-CTS".into(),
            kind,
            agency_id: 1,
            holder: crate::licensing::Holder {
                name: "Ủy ban nhân dân xã Long Đức".into(),
                id_number: None,
                address: "Xã Long Đức".into(),
                email: None,
            },
            subject: "Đài truyền thanh không dây xã Long Đức".into(),
            assessed_year: None,
            issuer: Some("Cục Tần số vô tuyến điện".into()),
            issued_on: date!(2021 - 04 - 01),
            valid_until: Some(date!(2031 - 04 - 01)),
            channel: crate::services::Channel::Desk,
            dossier_code: None,
            renews: None,
            renewed_on: None,
            revocation: None,
            signed: None,
        }
    }

    #[test]
    fn linking_a_frequency_licence() {
        let day = date!(2021 - 05 - 01);
        let mut fm = wired(1, day, None);
        fm.kind = StationKind::Wireless;
        fm.frequency = Some(Frequency {
            mhz: 54.5,
            licence: FrequencyLicence::Written {
                number: "123".into(),
                expiry: None,
            },
        });
        let radio = licence(LicenceKind::RadioFrequency);
        let linked = fm.licensed(&radio, day).unwrap();
        assert_eq!(
            linked.frequency.map(|f| f.licence),
            Some(FrequencyLicence::Record(9))
        );
        assert_eq!(
            fm.licensed(&licence(LicenceKind::Bts), day),
            Err(StationError::NotAFrequencyLicence("21040/GP-CTS".into()))
        );
        let mut revoked = radio.clone();
        revoked.revocation = Some(crate::licensing::Revocation {
            on: day,
            reason: "Sai phạm".into(),
            by: None,
        });
        assert_eq!(
            fm.licensed(&revoked, day),
            Err(StationError::LicenceRevoked("21040/GP-CTS".into()))
        );
        assert_eq!(
            wired(1, day, None).licensed(&radio, day),
            Err(StationError::NotWireless)
        );
    }

    #[test]
    fn ending_service() {
        let s = wired(1, date!(2021 - 01 - 01), None);
        let ended = s.ended(date!(2021 - 06 - 30)).unwrap();
        assert!(ended.in_service_on(date!(2021 - 06 - 30)));
        assert!(!ended.in_service_on(date!(2021 - 07 - 01)));
        assert!(matches!(
            ended.ended(date!(2021 - 07 - 01)),
            Err(StationError::AlreadyEnded(_))
        ));
        assert!(matches!(
            s.ended(date!(2020 - 01 - 01)),
            Err(StationError::DatesOutOfOrder(..))
        ));
    }
}
