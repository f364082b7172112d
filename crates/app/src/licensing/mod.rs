//! Licensing (issue 10): recording licences (first issues and renewals)
//! and revoking them, what staff and the public may see of them, the
//! expiry reminders, the signed copies, and the report's figures.

pub mod figures;
pub mod records;
pub mod reminders;
pub mod signed;
pub mod views;
