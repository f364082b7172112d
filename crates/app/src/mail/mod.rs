//! Official e-mail (issue 9): the mailbox registry's use cases, the
//! provisioning of the mail server's account directory, the report's
//! mail figures, and the outbox every mail egov sends goes through, with
//! the transports that take it out of egov.

pub mod browse;
pub mod directory;
pub mod figures;
pub mod outbox;
pub mod policy;
pub mod registry;
pub mod staff_lists;
pub mod transport;
