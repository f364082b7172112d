//! Staff training (issue 10): courses, their attendees' life from
//! enrolment to completion or withdrawal, and the report's figures.

pub mod courses;
pub mod figures;
