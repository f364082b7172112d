//! Vietnamese administrative language for egov: text, collation, names,
//! numbers, dates, document symbols and citations, the lunar calendar,
//! holidays and working days.
//!
//! Invariant of the whole crate: pure functions only. No I/O, no clock, no
//! async, no database: the current time and every yearly decision are
//! parameters supplied by the caller.
//!
//! Map: [`text`] (NFC, folding) · [`collate`] (alphabet order) · [`legacy`]
//! (TCVN3, VNI) · [`names`] (họ–đệm–tên, mailboxes) · [`numbers`] and
//! [`words`] (figures, money in words) · [`dates`] (Decree 30 forms, UTC+7)
//! · [`doctypes`], [`symbols`], [`citations`] · [`lunar`] · [`holidays`] and
//! [`workdays`].

pub mod citations;
pub mod collate;
pub mod dates;
pub mod doctypes;
pub mod holidays;
pub mod legacy;
pub mod lunar;
pub mod names;
pub mod numbers;
pub mod symbols;
pub mod text;
pub mod words;
pub mod workdays;
