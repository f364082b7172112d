//! The legal time limits of petitions, as data, in working days on the
//! agency's `WorkCalendar` (the issue asks for working days everywhere).
//!
//! Sources, and what they say (checked against the texts' published
//! wording; where the texts count calendar days it is said here, because
//! counting working days instead gives a later due date than the law):
//! - Classifying a received petition (xử lý đơn): Circular
//!   05/2021/TT-TTCP — 10 working days from receipt. Complaints: Law on
//!   Complaints 2011, art. 27 — accept within 10 days of receipt (the law
//!   writes «10 ngày»; Decree 124/2020's procedure reads it as working
//!   days). Denunciations: Law on Denunciation 2018, art. 24(1) — record,
//!   classify and check the conditions for acceptance within 7 working
//!   days (not found in the reference corpus; taken from the issue).
//! - Complaints, first resolution: Law on Complaints 2011, art. 28 — 30
//!   days from acceptance, a complex case up to 45 (45/60 in remote
//!   areas, not modelled). The law writes «ngày», calendar days; counted
//!   here as working days as the issue asks. The 45 is one extension of
//!   15.
//! - Denunciations: Law on Denunciation 2018, art. 30 — 30 days from
//!   acceptance; a complex case extended once, a particularly complex one
//!   twice, 30 days each. Again «ngày» in the law; working days here.
//! - Recommendations and reflections (kiến nghị, phản ánh): classified
//!   in 10 working days (Circular 05/2021); the answer's 15 working days
//!   were not found in the reference corpus (Law on Citizen Reception
//!   2013 / Decree 64/2014 say the competent body answers "within the
//!   time the law sets") — a value for the lead to confirm, kept here.

use serde::{Deserialize, Serialize};

use super::petitions::PetitionKind;

/// How complex a case is, which decides the extensions the law allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    Normal,
    Complex,
    VeryComplex,
}

named!(Complexity {
    Normal => "normal", "Thông thường";
    Complex => "complex", "Phức tạp";
    VeryComplex => "very_complex", "Đặc biệt phức tạp";
});

/// One kind's time limits, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// From receipt to classification.
    pub classify: u32,
    /// From acceptance (thụ lý) to the answer.
    pub resolve: u32,
    /// One extension's length.
    pub extension: u32,
    /// Extensions allowed for a normal, complex and particularly complex
    /// case.
    pub extensions: [u8; 3],
}

impl Deadlines {
    /// How many extensions `complexity` allows.
    pub fn allowed(self, complexity: Complexity) -> u8 {
        self.extensions[complexity as usize]
    }
}

impl PetitionKind {
    /// The kind's time limits (sources above).
    pub fn deadlines(self) -> Deadlines {
        match self {
            Self::Complaint => Deadlines {
                classify: 10,
                resolve: 30,
                extension: 15,
                extensions: [0, 1, 1],
            },
            Self::Denunciation => Deadlines {
                classify: 7,
                resolve: 30,
                extension: 30,
                extensions: [0, 1, 2],
            },
            Self::Recommendation | Self::Reflection => Deadlines {
                classify: 10,
                resolve: 15,
                extension: 0,
                extensions: [0, 0, 0],
            },
        }
    }
}
