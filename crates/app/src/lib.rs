//! Use cases of egov: each one authorises, loads, decides with `domain`
//! rules, saves in one transaction with its audit entries, and returns
//! `domain` types.
//!
//! Architecture invariant: the app knows neither HTTP nor SQL. It owns the
//! things with side effects that `domain` must not touch: the clock, the
//! blob store, password hashing and randomness, configuration.

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod demo;
pub mod document_files;
pub mod documents;
pub mod drafts;
mod error;
pub mod exchange;
pub mod fields;
pub mod figures;
pub mod files;
pub mod grassroots;
pub mod handling;
pub mod inspections;
pub mod licensing;
pub mod mail;
pub mod people;
pub mod period;
pub mod pki;
pub mod portal;
pub mod portal_sync;
pub mod printout;
pub mod reception;
pub mod services;
pub mod services_figures;
pub mod signatures;
pub mod signing;
pub mod staff;

use std::sync::Arc;

pub use error::AppError;
pub use store::{Backend, Store};

use crate::clock::Clock;
use crate::config::Config;
use crate::files::BlobStore;

/// Where a request comes from and on whose behalf it runs.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The signed-in person; `None` for the system itself (the command
    /// line run by the operator, jobs), which every check lets through.
    pub actor: Option<domain::authz::Actor>,
    /// How the audit trail names the actor: an e-mail, `cli`, `job:demo`.
    pub actor_label: String,
    /// The client's address, if over the network.
    pub source: Option<String>,
}

impl Ctx {
    /// The system acting on its own, named `label` in the audit trail.
    pub fn system(label: &str) -> Self {
        Self {
            actor: None,
            actor_label: label.to_owned(),
            source: None,
        }
    }

    /// Fails unless the actor may do `permission` on the data of the agency
    /// whose lineage (itself, then its ancestors) is given.
    pub fn require(
        &self,
        permission: domain::authz::Permission,
        lineage: &[domain::agencies::AgencyId],
    ) -> Result<(), AppError> {
        match &self.actor {
            None => Ok(()),
            Some(actor) if actor.may(permission, lineage) => Ok(()),
            Some(_) => Err(AppError::Forbidden),
        }
    }
}

impl Ctx {
    /// Fails unless the actor holds `permission` somewhere: for the
    /// province-wide services, such as the CA, that belong to no agency's
    /// subtree.
    pub fn require_anywhere(&self, permission: domain::authz::Permission) -> Result<(), AppError> {
        match &self.actor {
            None => Ok(()),
            Some(actor) if !actor.roots_of(permission).is_empty() => Ok(()),
            Some(_) => Err(AppError::Forbidden),
        }
    }
}

/// The running application: storage, files, clock and settings.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub blobs: BlobStore,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// The CA's keys, opened on first use.
    pki: Arc<pki::PkiState>,
    /// Where mail goes; `None`: it waits in the outbox.
    mail: Option<Arc<dyn mail::transport::MailTransport>>,
    /// Portal page views not yet written.
    views: Arc<portal::views::ViewTally>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("backend", &self.store.backend())
            .finish_non_exhaustive()
    }
}

impl App {
    /// Opens the database and the blob store that `config` names, creating
    /// the data folder if needed, and applies pending migrations.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> Result<Self, AppError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::Internal(format!(
                "không tạo được thư mục dữ liệu {}: {e}",
                config.data_dir.display()
            ))
        })?;
        let url = config.database_url();
        let store = Store::connect(&url).await?;
        let applied = store.migrate().await?;
        if applied > 0 {
            tracing::info!(applied, "database migrated");
        }
        let blobs = BlobStore::open(&config)?;
        let mail = mail::transport::from_config(&config)?;
        Ok(Self {
            store,
            blobs,
            clock,
            config: Arc::new(config),
            pki: Arc::default(),
            mail,
            views: Arc::default(),
        })
    }

    /// The app sending its mail through `transport` instead of the one
    /// configured (the tests' `Capture`).
    #[must_use]
    pub fn with_mail_transport(
        mut self,
        transport: Arc<dyn mail::transport::MailTransport>,
    ) -> Self {
        self.mail = Some(transport);
        self
    }

    /// Whether mail has somewhere to go (else it waits in the outbox).
    pub fn sends_mail(&self) -> bool {
        self.mail.is_some()
    }

    /// The current moment, from the app's clock.
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }
}
