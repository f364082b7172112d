//! Official e-mail (issue 9): the mailbox registry's use cases, the
//! provisioning of the mail server's account directory, and the report's
//! mail figures.

pub mod browse;
pub mod directory;
pub mod figures;
pub mod registry;
pub mod staff_lists;
