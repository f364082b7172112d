//! Staff training (issue 10): the courses an agency's people attend
//! (political theory, the principal inspector's course, professional
//! training), who attends which, and the report's training figures.

pub mod courses;
pub mod figures;
