//! The report's mail figures (seed I.4: "186 hộp thư mới, tổng 7.646"):
//! boxes requested and created in a period and active at its end, by
//! agency. A box counts as created when the server first had it, and as
//! active from then until it was closed — a suspended box still exists
//! and keeps its mail.

use serde::Serialize;

use crate::agencies::AgencyId;

/// One agency's boxes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MailFigures {
    pub requested: u64,
    pub created: u64,
    pub active: u64,
}

impl MailFigures {
    /// The sum of `rows`.
    pub fn total<'a>(rows: impl IntoIterator<Item = &'a (AgencyId, Self)>) -> Self {
        rows.into_iter().fold(Self::default(), |t, (_, f)| Self {
            requested: t.requested + f.requested,
            created: t.created + f.created,
            active: t.active + f.active,
        })
    }
}
