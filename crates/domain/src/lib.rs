//! Business types and rules of egov, one module per area.
//!
//! Architecture invariant: this crate does no I/O. It reads no clock, no
//! file, no database and no network; time arrives as a parameter. It depends
//! on no database, HTTP or async crate (CI checks this with `cargo tree`).
//! Every rule here can therefore be tested by a table of cases.

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod documents;
pub mod files;
pub mod people;

/// A moment as egov stores it: UTC, whole seconds. Whole seconds make the
/// text form that SQLite keeps fixed-width, so that comparing stored moments
/// as text orders them exactly as the moments themselves.
pub fn to_stored_precision(at: time::OffsetDateTime) -> time::OffsetDateTime {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}
