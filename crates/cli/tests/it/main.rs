//! The integration suite: one binary, run unchanged on SQLite and on
//! PostgreSQL (see `testkit`). Each test gets a fresh database.

mod agencies;
mod api;
mod audit;
mod auth;
mod calendar;
mod people;
mod ui;
