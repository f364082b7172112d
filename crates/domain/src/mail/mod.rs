//! Official e-mail (issue 9): what egov's mail holds and sends.

pub mod outbox;
