//! Official e-mail (issue 9): the tables of egov's mail.

pub mod outbox;
