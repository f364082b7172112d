//! Official e-mail (issue 9): the registry of the province's mailboxes —
//! addresses and their rules, mailboxes and their life, the requests that
//! create them, and the account directory the mail server reads — and
//! the outbox of the e-mail egov sends.

pub mod addresses;
pub mod directory;
pub mod figures;
pub mod mailboxes;
pub mod outbox;
pub mod requests;
pub mod staff_list;
