//! The inspections' tables (issue 10): yearly plans and their items,
//! inspections with their fields, team, subjects, sanctions and
//! follow-ups, and the report's figures counted from them.

pub mod figures;
pub mod plans;
pub mod records;
pub mod subjects;

/// Reads the column `c` of `row` as a stored name and parses it.
fn parsed<T: std::str::FromStr>(
    row: &sea_orm::QueryResult,
    c: &'static str,
) -> Result<T, crate::StoreError>
where
    T::Err: std::fmt::Display,
{
    let text: String = row.try_get("", c)?;
    text.parse().map_err(crate::error::corrupt(c))
}
