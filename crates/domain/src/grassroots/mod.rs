//! Grassroots information (issue 10): the province's commune radio
//! stations (đài truyền thanh cấp xã), the campaigns they are asked to
//! carry, their daily broadcast logs — one by one or a month at a time
//! from a CSV file — and the report's figures counted from those logs.

pub mod campaigns;
pub mod figures;
pub mod import;
pub mod logs;
pub mod stations;
