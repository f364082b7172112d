//! Official e-mail (issue 9): the outbox every mail egov sends goes
//! through, and the transports that take mail out of egov.

pub mod outbox;
pub mod transport;
