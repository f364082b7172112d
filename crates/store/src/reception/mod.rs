//! Citizen reception's tables (issue 10): reception days and visits,
//! petitions, and the report's figures counted on them.

pub mod figures;
pub mod petitions;
pub mod visits;

use sea_orm::QueryResult;

use crate::StoreError;
use crate::error::corrupt;

/// A text column parsed into one of the domain's named enums.
fn named<T: std::str::FromStr>(row: &QueryResult, column: &'static str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    let text: String = row.try_get("", column)?;
    text.parse().map_err(corrupt(column))
}
