//! Grassroots information's tables: commune radio stations and campaigns
//! (`registers`), daily broadcast logs (`logs`) and the report's figures
//! counted from them (`figures`).

pub mod figures;
pub mod logs;
pub mod registers;
