//! Official e-mail's tables (issue 9): the mailbox registry and its
//! requests, the report's mail figures, and the outbox of the e-mail
//! egov sends.

pub mod figures;
pub mod mailboxes;
pub mod outbox;
pub mod requests;
