//! Storage of egov: one schema on SQLite (the embedded default) or
//! PostgreSQL, chosen from the database URL at run time.
//!
//! Architecture invariant: this is the only crate that knows SQL. Entity
//! types stay private; every function takes and returns `domain` types.
//! Everything runs inside a [`Tx`]: reads in a read transaction, changes in
//! a write transaction that also holds the audit chain's head, so that each
//! change and its audit entries commit or vanish together.
//!
//! Moments are stored in UTC, in whole seconds (see
//! `domain::to_stored_precision`); dates as ISO dates.

mod counters;
mod entities;
mod error;
mod migrate;
mod tx;

pub mod agencies;
pub mod audit;
pub mod blobs;
pub mod bulk;
pub mod catalogue;
pub mod document_links;
pub mod document_search;
pub mod documents;
pub mod drafts;
pub mod grassroots;
pub mod handling;
pub mod inspections;
pub mod licensing;
pub mod mail;
pub mod people;
pub mod pki;
pub mod portal;
pub mod portal_sync;
pub mod reception;
pub mod services;
pub mod services_figures;
pub mod sessions;
pub mod signature_images;
pub mod signing;
pub mod staff;

pub use error::StoreError;
pub use migrate::MIGRATIONS;
pub use tx::Tx;

use std::path::Path;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool to egov's database.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// How the pool connects, for the migrations' own connection.
    options: ConnectOptions,
}

impl Store {
    /// Connects to `url`: `sqlite://PATH` (the file is created if missing)
    /// or `postgres://...`. Does not migrate; call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(30));
        if url.starts_with("sqlite:") {
            // WAL lets readers work while one writer commits; the busy
            // timeout makes a second writer wait instead of failing.
            options.max_connections(8).map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(30))
            });
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            options.max_connections(16);
        } else {
            return Err(StoreError::UnsupportedUrl);
        }
        let db = Database::connect(options.clone()).await?;
        Ok(Self { db, options })
    }

    /// The URL of the embedded database in a data folder.
    pub fn sqlite_url(data_dir: &Path) -> String {
        format!("sqlite://{}", data_dir.join("egov.db").display())
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        match self.db.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// Applies every migration not yet applied; returns how many ran.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        self.migrate_up_to(i64::MAX).await
    }

    /// Applies the migrations up to `version` on a connection of their
    /// own, closed after. A SQLite connection keeps the schema it last
    /// read; one that had read a table before another connection added a
    /// column to it prepares its next statement against the old schema,
    /// where the quoted new column is taken for a string literal (SQLite's
    /// double-quoted-string leniency) and its result column misnamed. The
    /// pool's connections, unused before `App::open` migrates, read the
    /// schema afresh.
    async fn migrate_up_to(&self, version: i64) -> Result<usize, StoreError> {
        let mut options = self.options.clone();
        options.max_connections(1).min_connections(0);
        let own = Database::connect(options).await?;
        let applied = migrate::run(&own, version).await;
        own.close().await?;
        applied
    }

    /// Starts a read transaction.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Tx::begin_read(&self.db).await
    }

    /// Starts a write transaction. It holds the audit head, so writers
    /// queue here one after the other.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        Tx::begin_write(&self.db).await
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    /// Runs a trivial query; for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }
}

#[cfg(feature = "testing")]
impl Store {
    /// Applies the migrations up to `version` only: a test of a later
    /// migration fills the schema as it stood before it.
    pub async fn migrate_to(&self, version: i64) -> Result<usize, StoreError> {
        self.migrate_up_to(version).await
    }

    /// Runs raw SQL, bypassing every rule. Only for tests that must damage
    /// the database on purpose (e.g. tampering with the audit trail).
    pub async fn execute_unchecked(&self, sql: &str) -> Result<u64, StoreError> {
        use sea_orm::ConnectionTrait;
        Ok(self.db.execute_unprepared(sql).await?.rows_affected())
    }
}

/// Creating and dropping whole databases, for the test kit's fresh
/// database per test. Only PostgreSQL needs it: SQLite tests use a new file.
#[cfg(feature = "testing")]
pub mod testing {
    use sea_orm::{ConnectionTrait, Database};

    use crate::StoreError;

    /// `url` with its database name replaced by `name`.
    pub fn with_database(url: &str, name: &str) -> String {
        let (base, query) = url
            .split_once('?')
            .map_or((url, None), |(b, q)| (b, Some(q)));
        let base = match base.rfind('/') {
            Some(slash) if slash > base.find("://").map_or(0, |i| i + 2) => &base[..slash],
            _ => base,
        };
        match query {
            Some(query) => format!("{base}/{name}?{query}"),
            None => format!("{base}/{name}"),
        }
    }

    /// Creates database `name` on the server of `admin_url`.
    pub async fn create_database(admin_url: &str, name: &str) -> Result<(), StoreError> {
        let db = Database::connect(admin_url).await?;
        db.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        db.close().await?;
        Ok(())
    }

    /// Drops database `name`, ending any connection still open to it.
    pub async fn drop_database(admin_url: &str, name: &str) -> Result<(), StoreError> {
        let db = Database::connect(admin_url).await?;
        db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await?;
        db.close().await?;
        Ok(())
    }
}
