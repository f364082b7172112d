//! The integration suite: one binary, run unchanged on SQLite and on
//! PostgreSQL (see `testkit`). Each test gets a fresh database.

// This whole crate is test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::similar_names,
    clippy::too_many_lines
)]

mod agencies;
mod api;
mod audit;
mod auth;
mod calendar;
mod catalogue;
mod documents;
mod drafts;
mod exchange;
mod figures;
mod grassroots;
mod handling;
mod inspections;
mod inspections_figures;
mod inspections_rules;
mod licensing;
mod mail_figures;
mod mail_outbox;
mod mail_registry;
mod mail_server;
mod pdf;
mod people;
mod pki;
mod portal;
mod portal_pages;
mod portal_publications;
mod portal_sites;
mod portal_staff;
mod portal_sync;
mod reception;
mod reception_figures;
mod reception_ui;
mod search;
mod services;
mod services_accounts;
mod services_deadlines;
mod services_figures;
mod services_online;
mod services_payments;
mod signing;
mod signing_token;
mod staff;
mod store;
mod ui;
