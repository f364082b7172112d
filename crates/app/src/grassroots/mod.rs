//! Grassroots information (issue 10): the registers of commune radio
//! stations and campaigns, their daily broadcast logs (a form, or a CSV
//! import that is all or nothing), and the report's figures.

pub mod figures;
pub mod logs;
pub mod registers;
