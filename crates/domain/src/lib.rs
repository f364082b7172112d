//! Business types and rules of egov, one module per area.
//!
//! Architecture invariant: this crate does no I/O. It reads no clock, no
//! file, no database and no network; time arrives as a parameter. It depends
//! on no database, HTTP or async crate (CI checks this with `cargo tree`).
//! Every rule here can therefore be tested by a table of cases.

/// Gives a small enum its stable names (storage, API) and Vietnamese labels.
macro_rules! named {
    ($type:ident { $($variant:ident => $name:literal, $label:literal;)+ }) => {
        impl $type {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable name used in storage and the API.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }

            /// The Vietnamese label shown to people.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
        }

        impl std::str::FromStr for $type {
            type Err = $crate::people::UnknownName;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| $crate::people::UnknownName(text.to_owned()))
            }
        }
    };
}

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod catalogue;
pub mod documents;
pub mod drafts;
pub mod files;
pub mod grassroots;
pub mod handling;
pub mod inspections;
pub mod licensing;
pub mod mail;
pub mod people;
pub mod pki;
pub mod portal;
pub mod portal_sync;
pub mod reception;
pub mod search;
pub mod services;
pub mod signing;
pub mod staff;

/// A moment as egov stores it: UTC, whole seconds. Whole seconds make the
/// text form that SQLite keeps fixed-width, so that comparing stored moments
/// as text orders them exactly as the moments themselves.
pub fn to_stored_precision(at: time::OffsetDateTime) -> time::OffsetDateTime {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}
