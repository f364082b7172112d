//! Vietnamese administrative language for egov: text, collation, names,
//! numbers, dates, document symbols and citations, the lunar calendar,
//! holidays and working days.
//!
//! Invariant of the whole crate: pure functions only. No I/O, no clock, no
//! async, no database: the current time and every yearly decision are
//! parameters supplied by the caller.

pub mod collate;
pub mod dates;
pub mod names;
pub mod numbers;
pub mod text;
pub mod words;
