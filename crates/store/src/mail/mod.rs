//! Official e-mail's tables (issue 9): the mailbox registry and its
//! requests, and the report's mail figures.

pub mod figures;
pub mod mailboxes;
pub mod requests;
