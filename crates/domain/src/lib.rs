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
pub mod files;
pub mod people;
