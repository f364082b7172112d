//! Test support: a fresh database per test, the app in process with a
//! clock the test controls, and helpers to call the HTTP surface.
//!
//! `EGOV_TEST_DATABASE_URL` decides the engine: unset, each test gets a new
//! SQLite file in a temporary folder; `postgres://...` (naming a database
//! the role may connect to, e.g. `postgres`), each test gets a new
//! database on that server, dropped when the test ends. Tests never name
//! an engine.

// Test support fails loudly: a panic here is a failed test, which is the point.
#![allow(clippy::expect_used, clippy::panic, clippy::missing_panics_doc)]

use std::sync::Arc;

use app::App;
use app::clock::FixedClock;
use app::config::{Config, PkiConfig, Secret};
use app::mail::transport::Capture;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use time::macros::datetime;
use tower::ServiceExt;

pub use store::Store;

/// A database for one test.
#[derive(Debug)]
pub struct TestDb {
    pub url: Option<String>,
    /// (admin URL, database name) of a PostgreSQL database to drop.
    postgres: Option<(String, String)>,
}

/// An empty database with no migration applied, for tests of the
/// migrations themselves: the store and how to connect to it again.
#[derive(Debug)]
pub struct BareStore {
    pub store: Store,
    pub url: String,
    _db: TestDb,
    _folder: Option<tempfile::TempDir>,
}

impl BareStore {
    pub async fn new() -> Self {
        let db = TestDb::new().await;
        let (url, folder) = match &db.url {
            Some(url) => (url.clone(), None),
            None => {
                let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
                (Store::sqlite_url(folder.path()), Some(folder))
            }
        };
        let store = Store::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
        Self {
            store,
            url,
            _db: db,
            _folder: folder,
        }
    }

    /// A new pool on the same database, as a restarted server has: the
    /// first pool's connections may hold the schema they read before a
    /// migration (see `Store::migrate_to`).
    pub async fn reconnect(&self) -> Store {
        Store::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", self.url))
    }
}

impl TestDb {
    pub async fn new() -> Self {
        match std::env::var("EGOV_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            None => Self {
                url: None,
                postgres: None,
            },
            Some(admin_url) => {
                let mut bytes = [0u8; 6];
                getrandom::fill(&mut bytes).unwrap_or_default();
                let name = format!("egov_test_{}", hex::encode(bytes));
                store::testing::create_database(&admin_url, &name)
                    .await
                    .unwrap_or_else(|e| panic!("cannot create test database on {admin_url}: {e}"));
                Self {
                    url: Some(store::testing::with_database(&admin_url, &name)),
                    postgres: Some((admin_url, name)),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
            // Drop runs outside async code: use a runtime of its own.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    let _ = rt.block_on(store::testing::drop_database(&admin_url, &name));
                }
            })
            .join();
        }
    }
}

/// The app of one test: its database, data folder, clock, router and
/// the mail it sent.
pub struct TestApp {
    pub app: App,
    pub router: Router,
    /// The router's public page cache, for a test to empty as the staff
    /// pages do after a publish.
    pub public_cache: Arc<web::public_cache::PublicCache>,
    pub clock: Arc<FixedClock>,
    /// Where the app's mail goes unless the test configured a pickup
    /// folder or an SMTP server; it can be told to fail.
    pub mail: Arc<Capture>,
    pub data_dir: tempfile::TempDir,
    pub db: TestDb,
}

/// The password [`TestApp::ctx_of`] gives the people it signs in.
pub const PASSWORD: &str = "ThuNghiem#2021x";

/// The moment tests start at: a Monday morning in April 2021, Vietnam time.
pub const START: time::OffsetDateTime = datetime!(2021-04-05 08:00 +7);

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// A fresh app whose test configuration `change` adjusts first (e.g.
    /// the CA's public URL, for a server the test runs on loopback).
    pub async fn with_config(change: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new().await;
        let data_dir = tempfile::tempdir().expect("temporary folder");
        let mut config = Config {
            data_dir: data_dir.path().to_owned(),
            database_url: db.url.clone().map(Secret::new),
            // A CA whose keys are quick to make; `egov pki init` is the
            // test's to run.
            pki: PkiConfig {
                passphrase: Secret::new("egov test CA passphrase"),
                key_type: "p256".into(),
                ..PkiConfig::default()
            },
            ..Config::default()
        };
        change(&mut config);
        let clock = Arc::new(FixedClock::new(START));
        let mut app = App::open(config, clock.clone())
            .await
            .expect("app opens on a fresh database");
        let mail = Arc::new(Capture::new());
        if !app.sends_mail() {
            app = app.with_mail_transport(mail.clone());
        }
        let public_cache = Arc::new(web::public_cache::PublicCache::default());
        let router = web::router_with_cache(app.clone(), public_cache.clone());
        Self {
            app,
            router,
            public_cache,
            clock,
            mail,
            data_dir,
            db,
        }
    }

    /// A fresh app with the demo province loaded; returns the admin's password.
    pub async fn with_demo() -> (Self, String) {
        let test = Self::new().await;
        let summary = test.app.load_demo(|_, _| {}).await.expect("demo loads");
        (test, summary.admin_password)
    }

    /// The database URL the test runs on (for the `egov` binary).
    pub fn database_url(&self) -> String {
        self.app.config.database_url()
    }

    pub async fn send(&self, request: Request<Body>) -> axum::response::Response {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers")
    }

    /// Sends a JSON request (`body` None: no body) with an optional token.
    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(value) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            None => Body::empty(),
        };
        let response = self.send(builder.body(body).expect("request")).await;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        (status, value)
    }

    /// Signs in through the API and returns the token.
    pub async fn token(&self, email: &str, password: &str) -> String {
        let (status, body) = self
            .json(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(serde_json::json!({ "email": email, "password": password })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "sign-in of {email} failed: {body}");
        body["token"].as_str().expect("token").to_owned()
    }

    /// Gives a demo person (who has none) a password, as an operator would.
    pub async fn set_password(&self, email: &str, password: &str) {
        let tx = self.app.store.read().await.expect("read");
        let (person, _) = tx
            .person_for_login(email)
            .await
            .expect("lookup")
            .expect("person exists");
        let ctx = app::Ctx::system("test");
        self.app
            .set_password(&ctx, person.id, password)
            .await
            .expect("password accepted");
    }

    /// The id of the agency with this code.
    pub async fn agency_id(&self, code: &str) -> i64 {
        self.app
            .agency_by_code(&code.parse().expect("agency code"))
            .await
            .expect("agency exists")
            .id
    }

    /// Signs `email` in with [`PASSWORD`] (set first) and gives the
    /// context its use cases run in, as the web layer would.
    pub async fn ctx_of(&self, email: &str) -> app::Ctx {
        self.set_password(email, PASSWORD).await;
        let token = self.token(email, PASSWORD).await;
        self.app
            .signed_in(&token)
            .await
            .expect("signed in")
            .ctx(None)
    }

    /// The audit chain's head sequence number.
    pub async fn audit_seq(&self) -> i64 {
        self.app
            .store
            .read()
            .await
            .expect("read")
            .audit_head()
            .await
            .expect("head")
            .0
    }
}
