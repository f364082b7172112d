//! The forward-only migration tree, one for both engines.
//!
//! Invariant: a migration, once released, is never edited; a change of
//! schema is a new migration at the end of [`MIGRATIONS`]. Each migration
//! runs in its own transaction together with the row that records it, so a
//! crash leaves it either applied and recorded or not at all.

use sea_orm::sea_query::{
    ColumnDef, Expr, ExprTrait, ForeignKey, ForeignKeyAction, ForeignKeyCreateStatement, Index,
    Query, Table,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

use crate::StoreError;

/// One step of the schema.
#[derive(Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    statements: fn(DbBackend) -> Vec<Statement>,
}

/// Every migration, in order.
pub static MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation: agencies, people, roles, sessions, audit, blobs",
        statements: foundation,
    },
    Migration {
        version: 2,
        name: "documents: registers and number series",
        statements: documents,
    },
    Migration {
        version: 3,
        name: "documents: full-text index",
        statements: document_text,
    },
    Migration {
        version: 4,
        name: "documents: files and exchange ids",
        statements: document_files,
    },
    Migration {
        version: 5,
        name: "drafts: versions, files and steps",
        statements: drafts,
    },
    Migration {
        version: 6,
        name: "handling: assignments, co-handlers, opinions, notices",
        statements: handling,
    },
    Migration {
        version: 7,
        name: "documents: citations, signed files",
        statements: citations,
    },
    Migration {
        version: 8,
        name: "documents: edXML status messages received",
        statements: exchange_statuses,
    },
    Migration {
        version: 9,
        name: "documents: each agency's fields (lĩnh vực)",
        statements: document_fields,
    },
    Migration {
        version: 10,
        name: "pki: authorities, certificates, OCSP answers, requests",
        statements: pki,
    },
    Migration {
        version: 11,
        name: "signatures: verdicts of document files, signed drafts, signing sessions",
        statements: signatures,
    },
    Migration {
        version: 12,
        name: "signatures: signature and seal images",
        statements: signature_images,
    },
    Migration {
        version: 13,
        name: "services: procedures, dossiers and their daily codes",
        statements: services,
    },
    Migration {
        version: 14,
        name: "services: online dossiers, their files, workflow steps, notices and fees",
        statements: dossier_workflow,
    },
    Migration {
        version: 15,
        name: "catalogue: procedure versions and details, forms, national publication",
        statements: catalogue,
    },
    Migration {
        version: 16,
        name: "services: the national portal's outbox, indexes for the report's figures",
        statements: portal_sync,
    },
    Migration {
        version: 17,
        name: "services: citizen accounts, their confirmations, sessions and mail; dossiers' account",
        statements: citizen_accounts,
    },
    Migration {
        version: 18,
        name: "services: each stage's due moment, the letters generated with steps",
        statements: stage_deadlines,
    },
    Migration {
        version: 19,
        name: "services: the report's received figures read from an index",
        statements: received_figures_index,
    },
    Migration {
        version: 20,
        name: "services: citizen accounts' password-reset links",
        statements: citizen_password_resets,
    },
    Migration {
        version: 21,
        name: "mail: one outbox for every e-mail, with retries",
        statements: mail_outbox,
    },
    Migration {
        version: 22,
        name: "mail: the official mailboxes' registry, requests and history",
        statements: mail_registry,
    },
    Migration {
        version: 23,
        name: "licensing: licences, their numbers per kind and year",
        statements: licensing,
    },
    Migration {
        version: 24,
        name: "reception: reception days, visits and petitions",
        statements: reception,
    },
    Migration {
        version: 25,
        name: "inspections: yearly plans, inspections, teams, subjects, sanctions, follow-ups",
        statements: inspections,
    },
    Migration {
        version: 26,
        name: "grassroots: commune radio stations, campaigns and daily broadcast logs",
        statements: grassroots,
    },
    Migration {
        version: 27,
        name: "staff: training courses and their attendees",
        statements: staff_training,
    },
    Migration {
        version: 28,
        name: "grassroots: a wireless station's frequency licence links the licensing register",
        statements: station_licences,
    },
    Migration {
        version: 29,
        name: "portal: sites, categories, members, articles, revisions, views, full-text index",
        statements: portal,
    },
    Migration {
        version: 30,
        name: "portal: pictures of a site's articles and their resized variants",
        statements: portal_images,
    },
    Migration {
        version: 31,
        name: "portal: documents published from the register, consultations' comments",
        statements: portal_publications,
    },
];

fn id(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .primary_key()
        .auto_increment()
        .take()
}

fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().take()
}

fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().take()
}

fn big(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}

fn big_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}

fn moment(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

fn moment_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .take()
}

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

#[allow(clippy::too_many_lines)] // One table after another: splitting would hide the schema.
fn foundation(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("agencies")
                .col(id("id"))
                .col(text("code"))
                .col(text("name"))
                .col(text("short_name"))
                .col(text("kind"))
                .col(big_null("parent_id"))
                .col(ColumnDef::new("effective_from").date().not_null())
                .col(ColumnDef::new("effective_to").date().null())
                .col(big_null("successor_id"))
                .foreign_key(&mut fk("agencies", "parent_id", "agencies"))
                .foreign_key(&mut fk("agencies", "successor_id", "agencies"))
                .index(
                    Index::create()
                        .name("agencies_code_key")
                        .col("code")
                        .unique(),
                )
                .take(),
        ),
        b.build(
            &Index::create()
                .name("agencies_parent_idx")
                .table("agencies")
                .col("parent_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("people")
                .col(id("id"))
                .col(text("full_name"))
                .col(text("position"))
                .col(big("agency_id"))
                .col(text("email"))
                .col(text_null("phone"))
                .col(text("status"))
                .col(text_null("password_hash"))
                .col(
                    ColumnDef::new("failed_logins")
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(moment_null("locked_until"))
                .col(text_null("totp_secret"))
                .col(moment("created_at"))
                .foreign_key(&mut fk("people", "agency_id", "agencies"))
                .index(
                    Index::create()
                        .name("people_email_key")
                        .col("email")
                        .unique(),
                )
                .take(),
        ),
        b.build(
            &Index::create()
                .name("people_agency_idx")
                .table("people")
                .col("agency_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("role_grants")
                .col(big("person_id"))
                .col(big("agency_id"))
                .col(text("role"))
                .primary_key(
                    Index::create()
                        .col("person_id")
                        .col("agency_id")
                        .col("role"),
                )
                .foreign_key(
                    &mut fk("role_grants", "person_id", "people")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("role_grants", "agency_id", "agencies"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("sessions")
                .col(ColumnDef::new("id").text().not_null().primary_key())
                .col(big("person_id"))
                .col(text("kind"))
                .col(text("csrf_token"))
                .col(moment("created_at"))
                .col(moment("expires_at"))
                .col(text_null("source"))
                .foreign_key(
                    &mut fk("sessions", "person_id", "people")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        ),
        b.build(
            &Table::create()
                .table("audit_entries")
                .col(ColumnDef::new("seq").big_integer().not_null().primary_key())
                .col(moment("at"))
                .col(big_null("actor_id"))
                .col(text("actor_label"))
                .col(text("action"))
                .col(text("object_type"))
                .col(text("object_id"))
                .col(text_null("source"))
                .col(text_null("before_digest"))
                .col(text_null("after_digest"))
                .col(text("prev_hash"))
                .col(text("hash"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("audit_entries_object_idx")
                .table("audit_entries")
                .col("object_type")
                .col("object_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("audit_head")
                .col(ColumnDef::new("id").integer().not_null().primary_key())
                .col(big("seq"))
                .col(text("hash"))
                .take(),
        ),
        b.build(
            &Query::insert()
                .into_table("audit_head")
                .columns(["id", "seq", "hash"])
                .values_panic([1.into(), 0i64.into(), domain::audit::GENESIS_HASH.into()])
                .take(),
        ),
        b.build(
            &Table::create()
                .table("blobs")
                .col(ColumnDef::new("sha256").text().not_null().primary_key())
                .col(big("size"))
                .col(text("media_type"))
                .col(moment("created_at"))
                .take(),
        ),
    ]
}

fn documents(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("number_series")
                .col(big("agency_id"))
                .col(text("series"))
                .col(ColumnDef::new("year").integer().not_null())
                .col(big("last_number"))
                .primary_key(Index::create().col("agency_id").col("series").col("year"))
                .foreign_key(&mut fk("number_series", "agency_id", "agencies"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("documents")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("direction"))
                .col(text("series"))
                .col(ColumnDef::new("year").integer().not_null())
                .col(big("number"))
                .col(text("symbol"))
                .col(text("doc_type"))
                .col(text("summary"))
                .col(ColumnDef::new("issued_on").date().not_null())
                .col(ColumnDef::new("registered_on").date().not_null())
                .col(text("issuer"))
                .col(text_null("signer"))
                .col(text("urgency"))
                .col(text("confidentiality"))
                .col(text_null("field"))
                .col(moment("created_at"))
                .foreign_key(&mut fk("documents", "agency_id", "agencies"))
                .index(
                    Index::create()
                        .name("documents_number_key")
                        .col("agency_id")
                        .col("series")
                        .col("year")
                        .col("number")
                        .unique(),
                )
                .take(),
        ),
        b.build(
            &Index::create()
                .name("documents_register_idx")
                .table("documents")
                .col("agency_id")
                .col("direction")
                .col("registered_on")
                .take(),
        ),
    ]
}

/// The full-text index: one row of folded words per document (see
/// `domain::search`). The engines differ only here: FTS5 on SQLite, a
/// generated `tsvector` with a GIN index on PostgreSQL. Both are given
/// plain ASCII words, so the `simple` configuration (no stemming, no stop
/// words) matches exactly what FTS5 matches.
fn document_text(b: DbBackend) -> Vec<Statement> {
    let sql: &[&str] = match b {
        DbBackend::Postgres => &[
            "CREATE TABLE document_text (\
               document_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE, \
               words TEXT NOT NULL, \
               tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED)",
            "CREATE INDEX document_text_tsv_idx ON document_text USING GIN (tsv)",
        ],
        _ => &[
            // rowid is the document's id. `detail=column` would be smaller
            // but cannot answer phrase queries.
            "CREATE VIRTUAL TABLE document_text USING fts5(words, tokenize = 'unicode61')",
        ],
    };
    sql.iter().map(|s| Statement::from_string(b, *s)).collect()
}

fn document_files(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::alter()
                .table("documents")
                .add_column(text_null("exchange_id"))
                .take(),
        ),
        // NULLs are distinct in a unique index on both engines, so only
        // documents that travelled by edXML are constrained.
        b.build(
            &Index::create()
                .name("documents_exchange_key")
                .table("documents")
                .col("agency_id")
                .col("exchange_id")
                .unique()
                .take(),
        ),
        b.build(
            &Table::create()
                .table("document_files")
                .col(id("id"))
                .col(big("document_id"))
                .col(ColumnDef::new("position").integer().not_null())
                .col(text("role"))
                .col(text("name"))
                .col(text("description"))
                .col(text("content_type"))
                .col(text("sha256"))
                .col(big("size"))
                .foreign_key(&mut fk("document_files", "document_id", "documents"))
                .foreign_key(
                    ForeignKey::create()
                        .from("document_files", "sha256")
                        .to("blobs", "sha256"),
                )
                .index(
                    Index::create()
                        .name("document_files_position_key")
                        .col("document_id")
                        .col("position")
                        .unique(),
                )
                .take(),
        ),
    ]
}

fn drafts(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("drafts")
                .col(id("id"))
                .col(big("agency_id"))
                .col(big_null("drafting_unit_id"))
                .col(big("author_id"))
                .col(text("doc_type"))
                .col(text("summary"))
                .col(text_null("signer"))
                .col(text("urgency"))
                .col(text("confidentiality"))
                .col(text_null("field"))
                // JSON arrays: read and written whole, never queried into.
                .col(text("recipients"))
                .col(text("other_recipients"))
                .col(text("state"))
                .col(ColumnDef::new("version").integer().not_null())
                .col(big_null("document_id"))
                .col(moment("created_at"))
                .col(moment("updated_at"))
                .foreign_key(&mut fk("drafts", "agency_id", "agencies"))
                .foreign_key(&mut fk("drafts", "drafting_unit_id", "agencies"))
                .foreign_key(&mut fk("drafts", "author_id", "people"))
                .foreign_key(&mut fk("drafts", "document_id", "documents"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("drafts_state_idx")
                .table("drafts")
                .col("state")
                .col("agency_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("draft_files")
                .col(id("id"))
                .col(big("draft_id"))
                .col(ColumnDef::new("version").integer().not_null())
                .col(ColumnDef::new("position").integer().not_null())
                .col(text("name"))
                .col(text("description"))
                .col(text("content_type"))
                .col(text("sha256"))
                .col(big("size"))
                .foreign_key(&mut fk("draft_files", "draft_id", "drafts"))
                .foreign_key(
                    ForeignKey::create()
                        .from("draft_files", "sha256")
                        .to("blobs", "sha256"),
                )
                .index(
                    Index::create()
                        .name("draft_files_position_key")
                        .col("draft_id")
                        .col("version")
                        .col("position")
                        .unique(),
                )
                .take(),
        ),
        b.build(
            &Table::create()
                .table("draft_steps")
                .col(id("id"))
                .col(big("draft_id"))
                .col(text("action"))
                .col(big_null("actor_id"))
                .col(text("actor_label"))
                .col(text("comment"))
                .col(ColumnDef::new("version").integer().not_null())
                .col(moment("at"))
                .foreign_key(&mut fk("draft_steps", "draft_id", "drafts"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("draft_steps_draft_idx")
                .table("draft_steps")
                .col("draft_id")
                .take(),
        ),
    ]
}

#[allow(clippy::too_many_lines)] // One table after another: splitting would hide the schema.
fn handling(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("assignments")
                .col(id("id"))
                .col(big("document_id"))
                .col(big("agency_id"))
                .col(big("lead_id"))
                .col(big_null("assigned_by"))
                .col(text("assigned_by_label"))
                .col(text("instruction"))
                .col(ColumnDef::new("assigned_on").date().not_null())
                .col(ColumnDef::new("deadline").date().not_null())
                .col(text("state"))
                .col(ColumnDef::new("completed_on").date().null())
                .col(moment("created_at"))
                .col(moment("updated_at"))
                .foreign_key(&mut fk("assignments", "document_id", "documents"))
                .foreign_key(&mut fk("assignments", "agency_id", "agencies"))
                .foreign_key(&mut fk("assignments", "lead_id", "people"))
                .foreign_key(&mut fk("assignments", "assigned_by", "people"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("assignments_document_idx")
                .table("assignments")
                .col("document_id")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("assignments_lead_idx")
                .table("assignments")
                .col("lead_id")
                .col("state")
                .take(),
        ),
        // Overdue lists, reminders and the report select open work by
        // agency and deadline.
        b.build(
            &Index::create()
                .name("assignments_deadline_idx")
                .table("assignments")
                .col("agency_id")
                .col("deadline")
                .take(),
        ),
        // A table rather than a JSON list (as drafts keep their
        // recipients): "my assignments" selects by co-handler.
        b.build(
            &Table::create()
                .table("assignment_co_handlers")
                .col(big("assignment_id"))
                .col(big("person_id"))
                .primary_key(Index::create().col("assignment_id").col("person_id"))
                .foreign_key(&mut fk(
                    "assignment_co_handlers",
                    "assignment_id",
                    "assignments",
                ))
                .foreign_key(&mut fk("assignment_co_handlers", "person_id", "people"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("assignment_co_handlers_person_idx")
                .table("assignment_co_handlers")
                .col("person_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("assignment_opinions")
                .col(id("id"))
                .col(big("assignment_id"))
                .col(big_null("author_id"))
                .col(text("author_label"))
                .col(text("text"))
                .col(moment("at"))
                .foreign_key(&mut fk(
                    "assignment_opinions",
                    "assignment_id",
                    "assignments",
                ))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("assignment_opinions_assignment_idx")
                .table("assignment_opinions")
                .col("assignment_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("notices")
                .col(id("id"))
                .col(big("person_id"))
                .col(big("assignment_id"))
                .col(ColumnDef::new("day").date().not_null())
                .col(text("text"))
                .col(moment("created_at"))
                .col(moment_null("read_at"))
                .foreign_key(
                    &mut fk("notices", "person_id", "people")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("notices", "assignment_id", "assignments"))
                // The reminder job runs every hour: one notice per
                // assignment and day, whatever the number of runs.
                .index(
                    Index::create()
                        .name("notices_assignment_day_key")
                        .col("assignment_id")
                        .col("day")
                        .unique(),
                )
                .take(),
        ),
        b.build(
            &Index::create()
                .name("notices_person_idx")
                .table("notices")
                .col("person_id")
                .take(),
        ),
    ]
}

fn citations(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::alter()
                .table("document_files")
                .add_column(
                    ColumnDef::new("signed")
                        .boolean()
                        .not_null()
                        .default(false)
                        .take(),
                )
                .take(),
        ),
        b.build(
            &Table::create()
                .table("document_citations")
                .col(big("document_id"))
                .col(ColumnDef::new("position").integer().not_null())
                .col(text("symbol"))
                .col(text_null("doc_type"))
                .col(ColumnDef::new("cited_on").date().null())
                .primary_key(Index::create().col("document_id").col("position"))
                .foreign_key(&mut fk("document_citations", "document_id", "documents"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("document_citations_symbol_idx")
                .table("document_citations")
                .col("symbol")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("documents_symbol_idx")
                .table("documents")
                .col("symbol")
                .take(),
        ),
    ]
}

fn exchange_statuses(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("exchange_statuses")
                .col(id("id"))
                .col(big("document_id"))
                .col(text("from_organ_id"))
                .col(text("from_name"))
                .col(ColumnDef::new("code").integer().not_null())
                .col(text("description"))
                .col(ColumnDef::new("stated_at").timestamp().not_null())
                .foreign_key(&mut fk("exchange_statuses", "document_id", "documents"))
                // The same message twice is one status.
                .index(
                    Index::create()
                        .name("exchange_statuses_key")
                        .col("document_id")
                        .col("from_organ_id")
                        .col("code")
                        .col("stated_at")
                        .unique(),
                )
                .take(),
        ),
    ]
}

fn document_fields(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("document_fields")
                .col(big("agency_id"))
                .col(ColumnDef::new("position").integer().not_null())
                .col(text("name"))
                .primary_key(Index::create().col("agency_id").col("name"))
                .foreign_key(&mut fk("document_fields", "agency_id", "agencies"))
                .take(),
        ),
    ]
}

fn bytes(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).blob().not_null().take()
}

fn bytes_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).blob().null().take()
}

#[allow(clippy::too_many_lines)] // One table after another: splitting would hide the schema.
fn pki(b: DbBackend) -> Vec<Statement> {
    vec![
        // The CA's own signers: root, issuing CAs, OCSP responder, TSA.
        b.build(
            &Table::create()
                .table("pki_authorities")
                .col(ColumnDef::new("name").text().not_null().primary_key())
                .col(text("profile"))
                .col(text_null("parent"))
                .col(text("key_ref"))
                .col(text("digest"))
                .col(bytes("certificate"))
                .col(big("crl_number"))
                .col(bytes_null("crl"))
                .col(moment_null("crl_next_update"))
                .col(moment("created_at"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("pki_requests")
                .col(id("id"))
                .col(text("kind"))
                .col(text("state"))
                .col(text("holder_kind"))
                .col(big_null("holder_id"))
                .col(big("agency_id"))
                .col(text("profile"))
                .col(text("token"))
                .col(text_null("certificate"))
                .col(text_null("reason"))
                .col(bytes_null("csr"))
                .col(text("note"))
                .col(big("requested_by"))
                .col(moment("requested_at"))
                .col(text_null("issued"))
                .foreign_key(&mut fk("pki_requests", "agency_id", "agencies"))
                .foreign_key(&mut fk("pki_requests", "requested_by", "people"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("pki_requests_agency_idx")
                .table("pki_requests")
                .col("agency_id")
                .col("state")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("pki_request_steps")
                .col(id("id"))
                .col(big("request_id"))
                .col(text("action"))
                .col(big_null("by_person"))
                .col(moment("at"))
                .col(text("note"))
                .foreign_key(&mut fk("pki_request_steps", "request_id", "pki_requests"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("pki_certificates")
                .col(ColumnDef::new("serial").text().not_null().primary_key())
                .col(text("authority"))
                .col(text("profile"))
                .col(text("holder_kind"))
                .col(big_null("holder_id"))
                // The holder's agency when issued: whose head approved, and
                // whose figures it counts in.
                .col(big_null("agency_id"))
                .col(text("token"))
                .col(text("subject"))
                .col(moment("not_before"))
                .col(moment("not_after"))
                .col(moment("issued_at"))
                .col(text_null("replaces"))
                .col(moment_null("revoked_at"))
                .col(text_null("revocation_reason"))
                .col(big_null("request_id"))
                .col(text_null("key_ref"))
                .col(bytes("der"))
                .foreign_key(
                    ForeignKey::create()
                        .from("pki_certificates", "authority")
                        .to("pki_authorities", "name"),
                )
                .foreign_key(&mut fk("pki_certificates", "request_id", "pki_requests"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("pki_certificates_holder_idx")
                .table("pki_certificates")
                .col("holder_kind")
                .col("holder_id")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("pki_certificates_issued_idx")
                .table("pki_certificates")
                .col("issued_at")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("pki_certificates_revoked_idx")
                .table("pki_certificates")
                .col("authority")
                .col("revoked_at")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("pki_certificates_expiry_idx")
                .table("pki_certificates")
                .col("not_after")
                .take(),
        ),
        // Signed OCSP answers without a nonce, made when a certificate is
        // issued or revoked and refreshed before they lapse, so that the
        // responder serves them with one read.
        b.build(
            &Table::create()
                .table("pki_ocsp_answers")
                .col(ColumnDef::new("serial").text().not_null().primary_key())
                .col(bytes("der"))
                .col(moment("next_update"))
                .foreign_key(
                    ForeignKey::create()
                        .from("pki_ocsp_answers", "serial")
                        .to("pki_certificates", "serial"),
                )
                .take(),
        ),
        // Renewal reminders: one per certificate and person, however often
        // the job runs.
        b.build(
            &Table::create()
                .table("pki_reminders")
                .col(text("serial"))
                .col(big("person_id"))
                .col(text("text"))
                .col(moment("created_at"))
                .primary_key(Index::create().col("serial").col("person_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("pki_reminders", "serial")
                        .to("pki_certificates", "serial"),
                )
                .foreign_key(&mut fk("pki_reminders", "person_id", "people"))
                .take(),
        ),
    ]
}

/// The verdict on each document file's signatures replaces the flag that
/// only said a PDF carried one (files flagged before keep "unverified");
/// a draft keeps the leader's signed PDF; external signatures wait in
/// sessions.
fn signatures(b: DbBackend) -> Vec<Statement> {
    let add = |table: &'static str, column: ColumnDef| {
        b.build(&Table::alter().table(table).add_column(column).take())
    };
    vec![
        add(
            "document_files",
            ColumnDef::new("signature")
                .text()
                .not_null()
                .default("unsigned")
                .take(),
        ),
        add(
            "document_files",
            ColumnDef::new("signers")
                .text()
                .not_null()
                .default("[]")
                .take(),
        ),
        b.build(
            &Query::update()
                .table("document_files")
                .value("signature", "unverified")
                .and_where(Expr::col("signed").eq(true))
                .take(),
        ),
        b.build(
            &Table::alter()
                .table("document_files")
                .drop_column("signed")
                .take(),
        ),
        add("drafts", text_null("signed_sha256")),
        add("drafts", big_null("signed_size")),
        add("drafts", big_null("signed_by")),
        add("drafts", moment_null("signed_at")),
        b.build(
            &Table::create()
                .table("signing_sessions")
                .col(ColumnDef::new("id").text().not_null().primary_key())
                .col(big("person_id"))
                .col(big_null("draft_id"))
                .col(ColumnDef::new("draft_version").integer().null())
                .col(text("certificate"))
                .col(text("name"))
                .col(text("prepared_sha256"))
                .col(text("prepared"))
                .col(moment("created_at"))
                .col(moment("expires_at"))
                .col(text_null("signed_sha256"))
                .col(moment_null("completed_at"))
                .foreign_key(&mut fk("signing_sessions", "person_id", "people"))
                .foreign_key(&mut fk("signing_sessions", "draft_id", "drafts"))
                .take(),
        ),
    ]
}

fn signature_images(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("signature_images")
                .col(text("holder_kind"))
                .col(big("holder_id"))
                .col(text("sha256"))
                .col(moment("updated_at"))
                .primary_key(Index::create().col("holder_kind").col("holder_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("signature_images", "sha256")
                        .to("blobs", "sha256")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        ),
    ]
}

fn services(b: DbBackend) -> Vec<Statement> {
    let date = |name: &'static str| ColumnDef::new(name).date().not_null().take();
    vec![
        b.build(
            &Table::create()
                .table("procedures")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("national_code"))
                .col(text("name"))
                .col(text_null("field"))
                .col(text("level"))
                .col(text("online_mode"))
                .col(ColumnDef::new("processing_days").integer().not_null())
                .col(big("fee"))
                .col(date("effective_from"))
                .col(ColumnDef::new("effective_to").date().null())
                .col(moment("created_at"))
                .foreign_key(&mut fk("procedures", "agency_id", "agencies"))
                .take(),
        ),
        // The last sequence number of each agency's day: taken inside the
        // intake's write transaction, so codes are gapless and unique.
        b.build(
            &Table::create()
                .table("dossier_sequences")
                .col(big("agency_id"))
                .col(date("day"))
                .col(big("last_number"))
                .primary_key(Index::create().col("agency_id").col("day"))
                .foreign_key(&mut fk("dossier_sequences", "agency_id", "agencies"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("dossiers")
                .col(id("id"))
                .col(ColumnDef::new("code").text().not_null().unique_key())
                .col(big("agency_id"))
                .col(big("procedure_id"))
                .col(text("channel"))
                .col(text("status"))
                .col(text("applicant_name"))
                .col(text("applicant_kind"))
                .col(text_null("phone"))
                .col(text_null("email"))
                .col(text_null("address"))
                .col(moment("received_at"))
                .col(big_null("received_by"))
                .col(date("due_on"))
                .col(moment_null("returned_at"))
                .col(ColumnDef::new("stopped_on").date().null())
                .foreign_key(&mut fk("dossiers", "agency_id", "agencies"))
                .foreign_key(&mut fk("dossiers", "procedure_id", "procedures"))
                .foreign_key(&mut fk("dossiers", "received_by", "people"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("dossier_papers")
                .col(big("dossier_id"))
                .col(ColumnDef::new("position").integer().not_null())
                .col(text("name"))
                .col(ColumnDef::new("copies").integer().not_null())
                .primary_key(Index::create().col("dossier_id").col("position"))
                .foreign_key(&mut fk("dossier_papers", "dossier_id", "dossiers"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("dossiers_received_idx")
                .table("dossiers")
                .col("agency_id")
                .col("received_at")
                .take(),
        ),
    ]
}

/// The procedure catalogue: one `procedures` row per version (a dossier
/// keeps pointing at the version it was received under; `domain::catalogue`
/// says why), the catalogue's facts as one JSON column, the forms' blobs
/// pinned by a foreign key, and when each version reached the National
/// Public Service Portal.
fn catalogue(b: DbBackend) -> Vec<Statement> {
    let add =
        |column: ColumnDef| b.build(&Table::alter().table("procedures").add_column(column).take());
    vec![
        add(ColumnDef::new("version")
            .integer()
            .not_null()
            .default(1)
            .take()),
        add(ColumnDef::new("details")
            .text()
            .not_null()
            .default("{}")
            .take()),
        b.build(
            &Index::create()
                .name("procedures_code_idx")
                .table("procedures")
                .col("agency_id")
                .col("national_code")
                .col("version")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("procedure_forms")
                .col(big("procedure_id"))
                .col(text("sha256"))
                .primary_key(Index::create().col("procedure_id").col("sha256"))
                .foreign_key(&mut fk("procedure_forms", "procedure_id", "procedures"))
                .foreign_key(
                    ForeignKey::create()
                        .from("procedure_forms", "sha256")
                        .to("blobs", "sha256")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        ),
        b.build(
            &Table::create()
                .table("procedure_publications")
                .col(
                    ColumnDef::new("procedure_id")
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new("published_on").date().not_null())
                .col(big_null("recorded_by"))
                .col(moment("recorded_at"))
                .foreign_key(&mut fk(
                    "procedure_publications",
                    "procedure_id",
                    "procedures",
                ))
                .foreign_key(&mut fk("procedure_publications", "recorded_by", "people"))
                .take(),
        ),
    ]
}

/// The national portal's outbox and the index the report's dossier
/// figures read.
fn portal_sync(b: DbBackend) -> Vec<Statement> {
    let int = |name: &'static str| ColumnDef::new(name).integer().not_null().take();
    vec![
        // Each record for the national portal, written in the transaction
        // that changed the dossier; a job sends them in `sequence` order
        // per dossier, and `key` is the id the portal de-duplicates on.
        b.build(
            &Table::create()
                .table("portal_outbox")
                .col(id("id"))
                .col(big("dossier_id"))
                .col(int("sequence"))
                .col(ColumnDef::new("key").text().not_null().unique_key())
                .col(text("service"))
                .col(text("payload"))
                .col(moment("created_at"))
                .col(int("attempts"))
                .col(moment("next_attempt_at"))
                .col(text_null("last_error"))
                .col(moment_null("delivered_at"))
                .foreign_key(&mut fk("portal_outbox", "dossier_id", "dossiers"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_outbox_dossier_idx")
                .table("portal_outbox")
                .col("dossier_id")
                .col("sequence")
                .unique()
                .take(),
        ),
        // The job's question: what is undelivered and due.
        b.build(
            &Index::create()
                .name("portal_outbox_due_idx")
                .table("portal_outbox")
                .col("delivered_at")
                .col("next_attempt_at")
                .take(),
        ),
        // The report's figures: results returned in a period with their
        // due dates, and what was open at a moment, read from the index
        // alone (no lookup of a million rows).
        b.build(
            &Index::create()
                .name("dossiers_returned_idx")
                .table("dossiers")
                .col("agency_id")
                .col("returned_at")
                .col("received_at")
                .col("due_on")
                .col("stopped_on")
                .col("status")
                .take(),
        ),
    ]
}

/// The portal's citizen accounts (`domain::services::accounts`): the
/// account with the staff's lockout columns, the digest of its e-mailed
/// confirmation token, its sessions — a table of their own, so a staff
/// session can never open the portal as a citizen nor a citizen's the
/// staff UI — the mail to it waiting for the pickup folder, and the
/// account a dossier was submitted from.
fn citizen_accounts(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("citizen_accounts")
                .col(id("id"))
                .col(text("kind"))
                .col(text("full_name"))
                .col(ColumnDef::new("email").text().not_null().unique_key())
                .col(text("phone"))
                .col(text_null("citizen_id"))
                .col(text_null("address"))
                .col(text("status"))
                .col(text("password_hash"))
                .col(
                    ColumnDef::new("failed_logins")
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(moment_null("locked_until"))
                .col(moment("created_at"))
                .col(moment_null("confirmed_at"))
                .take(),
        ),
        // Only the token's digest: the link in the e-mail is the secret.
        b.build(
            &Table::create()
                .table("citizen_account_confirmations")
                .col(
                    ColumnDef::new("token_sha256")
                        .text()
                        .not_null()
                        .primary_key(),
                )
                .col(big("account_id"))
                .col(moment("expires_at"))
                .col(moment_null("used_at"))
                .foreign_key(&mut fk(
                    "citizen_account_confirmations",
                    "account_id",
                    "citizen_accounts",
                ))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("citizen_sessions")
                .col(ColumnDef::new("id").text().not_null().primary_key())
                .col(big("account_id"))
                .col(text("csrf_token"))
                .col(moment("created_at"))
                .col(moment("expires_at"))
                .col(text_null("source"))
                .foreign_key(&mut fk(
                    "citizen_sessions",
                    "account_id",
                    "citizen_accounts",
                ))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("citizen_sessions_account_idx")
                .table("citizen_sessions")
                .col("account_id")
                .take(),
        ),
        // Written with the registration, delivered after it like the
        // dossiers' notices.
        b.build(
            &Table::create()
                .table("citizen_mail")
                .col(id("id"))
                .col(big("account_id"))
                .col(text("recipient"))
                .col(text("subject"))
                .col(text("body"))
                .col(moment("created_at"))
                .col(moment_null("delivered_at"))
                .foreign_key(&mut fk("citizen_mail", "account_id", "citizen_accounts"))
                .take(),
        ),
        b.build(
            &Table::alter()
                .table("dossiers")
                .add_column(big_null("account_id"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("dossiers_account_idx")
                .table("dossiers")
                .col("account_id")
                .take(),
        ),
    ]
}

/// Issue 8's deadlines inside the processing: the due moment of a
/// dossier's current stage (the inbox marks those past it) and, on each
/// step, the due moment it set and the letter generated with it (an
/// apology, by its blob's digest). Dossiers and steps from before have
/// none: their stages were never given budgets.
/// A wireless station's frequency licence becomes a link to its record
/// in the licensing register. Stations whose written number names one
/// radio-frequency licence there (the newest, if the authority reused a
/// number) are linked and their written number cleared; the others keep
/// what was written until staff link them.
fn station_licences(b: DbBackend) -> Vec<Statement> {
    let mut statements = vec![
        b.build(
            &Table::alter()
                .table("radio_stations")
                .add_column(big_null("licence_id").extra("REFERENCES licences (id)"))
                .take(),
        ),
    ];
    statements.extend(
        [
            "UPDATE radio_stations SET licence_id = (SELECT MAX(l.id) FROM licences l \
             WHERE l.kind = 'radio_frequency' AND l.number = radio_stations.licence_number) \
             WHERE licence_number IS NOT NULL",
            "UPDATE radio_stations SET licence_number = NULL, licence_expiry = NULL \
             WHERE licence_id IS NOT NULL",
        ]
        .iter()
        .map(|sql| Statement::from_string(b, *sql)),
    );
    statements
}

fn stage_deadlines(b: DbBackend) -> Vec<Statement> {
    let add = |table: &'static str, column: ColumnDef| {
        b.build(&Table::alter().table(table).add_column(column).take())
    };
    vec![
        add("dossiers", moment_null("stage_due_at")),
        add("dossier_steps", moment_null("due_at")),
        add("dossier_steps", text_null("letter_sha256")),
    ]
}

/// The links that reset a citizen account's forgotten password: only the
/// token's digest, when it was asked for (the per-account limit on reset
/// mail reads it), when it expires, and when it was used or voided by a
/// later link — kept rather than deleted, so the limit still sees it.
fn citizen_password_resets(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("citizen_password_resets")
                .col(
                    ColumnDef::new("token_sha256")
                        .text()
                        .not_null()
                        .primary_key(),
                )
                .col(big("account_id"))
                .col(moment("created_at"))
                .col(moment("expires_at"))
                .col(moment_null("used_at"))
                .foreign_key(&mut fk(
                    "citizen_password_resets",
                    "account_id",
                    "citizen_accounts",
                ))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("citizen_password_resets_account_idx")
                .table("citizen_password_resets")
                .col("account_id")
                .col("created_at")
                .take(),
        ),
    ]
}

/// Issue 9's registry of official mailboxes: the province's mail domains
/// (versioned by dates, as agencies are), the requests for boxes, the
/// boxes with the revision the mail server must reach and the one it has
/// (`synced_revision`), their aliases — one address space with the boxes,
/// kept by the use cases, since a closed box's address is never given
/// again either — and each box's history.
#[allow(clippy::too_many_lines)] // One table after another.
fn mail_registry(b: DbBackend) -> Vec<Statement> {
    let index = |name: &'static str, table: &'static str, cols: &[&'static str]| {
        let mut i = Index::create().name(name).table(table).take();
        for c in cols {
            i.col(*c);
        }
        b.build(&i)
    };
    vec![
        b.build(
            &Table::create()
                .table("mail_domains")
                .col(id("id"))
                .col(text("name"))
                .col(ColumnDef::new("agency_suffix").boolean().not_null())
                .col(ColumnDef::new("effective_from").date().not_null())
                .col(ColumnDef::new("effective_to").date().null())
                .take(),
        ),
        b.build(
            &Table::create()
                .table("mail_requests")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("kind"))
                .col(big("requested_by"))
                .col(moment("submitted_at"))
                .col(text("status"))
                .col(big_null("agency_approved_by"))
                .col(moment_null("agency_approved_at"))
                .col(big_null("decided_by"))
                .col(moment_null("decided_at"))
                .col(text_null("reason"))
                .col(text("note"))
                .foreign_key(&mut fk("mail_requests", "agency_id", "agencies"))
                .foreign_key(&mut fk("mail_requests", "requested_by", "people"))
                .foreign_key(&mut fk("mail_requests", "agency_approved_by", "people"))
                .foreign_key(&mut fk("mail_requests", "decided_by", "people"))
                .take(),
        ),
        index(
            "mail_requests_status_idx",
            "mail_requests",
            &["status", "agency_id"],
        ),
        b.build(
            &Table::create()
                .table("mailboxes")
                .col(id("id"))
                .col(ColumnDef::new("address").text().not_null().unique_key())
                .col(text("kind"))
                .col(big("agency_id"))
                .col(big_null("person_id"))
                .col(text("display_name"))
                .col(ColumnDef::new("quota_mib").integer().not_null())
                .col(text("status"))
                .col(text_null("password_hash"))
                .col(big("revision"))
                .col(big("synced_revision"))
                .col(big_null("request_id"))
                .col(moment("requested_at"))
                .col(moment_null("activated_at"))
                .col(moment_null("closed_at"))
                .col(
                    ColumnDef::new("failed_logins")
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(moment_null("locked_until"))
                .foreign_key(&mut fk("mailboxes", "agency_id", "agencies"))
                .foreign_key(&mut fk("mailboxes", "person_id", "people"))
                .foreign_key(&mut fk("mailboxes", "request_id", "mail_requests"))
                .take(),
        ),
        index(
            "mailboxes_agency_idx",
            "mailboxes",
            &["agency_id", "status"],
        ),
        index("mailboxes_person_idx", "mailboxes", &["person_id"]),
        index("mailboxes_request_idx", "mailboxes", &["request_id"]),
        index("mailboxes_requested_idx", "mailboxes", &["requested_at"]),
        index("mailboxes_activated_idx", "mailboxes", &["activated_at"]),
        b.build(
            &Table::create()
                .table("mail_aliases")
                .col(ColumnDef::new("address").text().not_null().primary_key())
                .col(big("mailbox_id"))
                .foreign_key(&mut fk("mail_aliases", "mailbox_id", "mailboxes"))
                .take(),
        ),
        index("mail_aliases_mailbox_idx", "mail_aliases", &["mailbox_id"]),
        b.build(
            &Table::create()
                .table("mailbox_events")
                .col(id("id"))
                .col(big("mailbox_id"))
                .col(moment("at"))
                .col(big_null("person_id"))
                .col(text("action"))
                .col(text("note"))
                .foreign_key(&mut fk("mailbox_events", "mailbox_id", "mailboxes"))
                .foreign_key(&mut fk("mailbox_events", "person_id", "people"))
                .take(),
        ),
        index(
            "mailbox_events_mailbox_idx",
            "mailbox_events",
            &["mailbox_id", "at"],
        ),
    ]
}

/// The report's dossiers received in a period, by channel and the
/// procedure's level, read from the index alone: `dossiers_received_idx`
/// (`agency_id`, `received_at`) grows `channel` and `procedure_id`, so a
/// province's year (half a million dossiers) is no longer looked up row
/// by row in the table. It keeps serving what used the shorter index, a
/// prefix of the new one, and is replaced rather than doubled so that
/// intake still writes one index for it, not two.
fn received_figures_index(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(Index::drop().name("dossiers_received_idx")),
        b.build(
            &Index::create()
                .name("dossiers_received_idx")
                .table("dossiers")
                .col("agency_id")
                .col("received_at")
                .col("channel")
                .col("procedure_id")
                .take(),
        ),
    ]
}

/// One outbox for every e-mail egov sends (`domain::mail::outbox`), in
/// place of the dossiers' `applicant_notices` and the portal accounts'
/// `citizen_mail`, whose rows move into it — delivered ones as sent,
/// the others waiting — with their kind named anew (a citizen mail is a
/// password reset when its subject says so: nothing else told them
/// apart) and what they were about as `dossier:{id}` or `account:{id}`.
/// A reminder's `dedup_key` is unique, so that it is queued once however
/// often its job runs; the delivery job reads the due index.
fn mail_outbox(b: DbBackend) -> Vec<Statement> {
    let int = |name: &'static str| ColumnDef::new(name).integer().not_null().take();
    let moved = [
        "INSERT INTO mail_outbox \
           (kind, recipient, subject, body, about, created_at, attempts, next_attempt_at, sent_at) \
         SELECT CASE kind \
                  WHEN 'submit' THEN 'dossier_confirmation' \
                  WHEN 'receive' THEN 'dossier_received' \
                  WHEN 'accept' THEN 'dossier_received' \
                  WHEN 'request_supplement' THEN 'dossier_supplement' \
                  WHEN 'refuse' THEN 'dossier_refused' \
                  WHEN 'apologise' THEN 'dossier_apology' \
                  WHEN 'extend' THEN 'dossier_extended' \
                  ELSE 'dossier_result' END, \
                recipient, subject, body, 'dossier:' || dossier_id, \
                created_at, 0, created_at, delivered_at \
         FROM applicant_notices ORDER BY id",
        "INSERT INTO mail_outbox \
           (kind, recipient, subject, body, about, created_at, attempts, next_attempt_at, sent_at) \
         SELECT CASE WHEN subject LIKE 'Đặt lại mật khẩu%' \
                  THEN 'password_reset' ELSE 'account_confirmation' END, \
                recipient, subject, body, 'account:' || account_id, \
                created_at, 0, created_at, delivered_at \
         FROM citizen_mail ORDER BY id",
    ];
    let mut statements = vec![
        b.build(
            &Table::create()
                .table("mail_outbox")
                .col(id("id"))
                .col(text("kind"))
                .col(text("recipient"))
                .col(text("subject"))
                .col(text("body"))
                .col(text_null("about"))
                .col(text_null("dedup_key"))
                .col(moment("created_at"))
                .col(int("attempts"))
                .col(moment("next_attempt_at"))
                .col(text_null("last_error"))
                .col(moment_null("sent_at"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("mail_outbox_dedup_idx")
                .table("mail_outbox")
                .col("dedup_key")
                .unique()
                .take(),
        ),
        b.build(
            &Index::create()
                .name("mail_outbox_due_idx")
                .table("mail_outbox")
                .col("sent_at")
                .col("next_attempt_at")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("mail_outbox_about_idx")
                .table("mail_outbox")
                .col("about")
                .take(),
        ),
    ];
    statements.extend(moved.iter().map(|sql| Statement::from_string(b, *sql)));
    statements.push(b.build(Table::drop().table("applicant_notices")));
    statements.push(b.build(Table::drop().table("citizen_mail")));
    statements
}

/// Licences (`domain::licensing`): one row each, the renewal pointing at
/// the licence it renews (at most one renewal each, by a unique index),
/// the renewal's date copied onto the old row so that a status on a day
/// is read from one row; numbers unique per kind and year, given by
/// `licence_sequences`. `search_text` is the folded holder name and
/// number the registry's search reads.
fn licensing(b: DbBackend) -> Vec<Statement> {
    let date = |name: &'static str| ColumnDef::new(name).date().not_null().take();
    let date_null = |name: &'static str| ColumnDef::new(name).date().null().take();
    let index = |name: &'static str, cols: &[&'static str], unique: bool| {
        let mut i = Index::create().name(name).table("licences").take();
        for c in cols {
            i.col(*c);
        }
        if unique {
            i.unique();
        }
        b.build(&i)
    };
    vec![
        b.build(
            &Table::create()
                .table("licences")
                .col(id("id"))
                .col(text("number"))
                .col(text("kind"))
                .col(ColumnDef::new("year").integer().not_null())
                .col(big("agency_id"))
                .col(text("holder_name"))
                .col(text_null("holder_id_number"))
                .col(text("holder_address"))
                .col(text_null("holder_email"))
                .col(text("subject"))
                .col(ColumnDef::new("assessed_year").integer().null())
                .col(text_null("issuer"))
                .col(date("issued_on"))
                .col(date_null("valid_until"))
                .col(text("channel"))
                .col(text_null("dossier_code"))
                .col(big_null("renews"))
                .col(date_null("renewed_on"))
                .col(date_null("revoked_on"))
                .col(text_null("revoked_reason"))
                .col(big_null("revoked_by"))
                .col(text_null("signed_sha256"))
                .col(text_null("signed_name"))
                .col(text_null("signed_verdict"))
                .col(text_null("signed_signers"))
                .col(text("search_text"))
                .col(moment("created_at"))
                .col(big_null("created_by"))
                .foreign_key(&mut fk("licences", "agency_id", "agencies"))
                .foreign_key(&mut fk("licences", "renews", "licences"))
                .foreign_key(&mut fk("licences", "revoked_by", "people"))
                .foreign_key(&mut fk("licences", "created_by", "people"))
                .take(),
        ),
        index("licences_number_idx", &["kind", "year", "number"], true),
        index("licences_renews_idx", &["renews"], true),
        index("licences_issued_idx", &["issued_on", "kind"], false),
        index("licences_expiry_idx", &["kind", "valid_until"], false),
        index("licences_agency_idx", &["agency_id", "issued_on"], false),
        b.build(
            &Table::create()
                .table("licence_sequences")
                .col(text("kind"))
                .col(ColumnDef::new("year").integer().not_null())
                .col(big("last_number"))
                .primary_key(Index::create().col("kind").col("year"))
                .take(),
        ),
    ]
}

/// Applies the migrations not yet recorded, up to version `last`.
pub(crate) async fn run(db: &DatabaseConnection, last: i64) -> Result<usize, StoreError> {
    let backend = db.get_database_backend();
    db.execute(
        &Table::create()
            .table("schema_migrations")
            .if_not_exists()
            .col(
                ColumnDef::new("version")
                    .big_integer()
                    .not_null()
                    .primary_key(),
            )
            .col(text("name"))
            .take(),
    )
    .await?;
    let mut applied = 0;
    for migration in MIGRATIONS.iter().take_while(|m| m.version <= last) {
        let tx = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?;
        lock_migrations(&tx, backend).await?;
        let done = tx
            .query_one(
                &Query::select()
                    .column("version")
                    .from("schema_migrations")
                    .and_where(Expr::col("version").eq(migration.version))
                    .take(),
            )
            .await?
            .is_some();
        if done {
            tx.commit().await?;
            continue;
        }
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applying migration"
        );
        for statement in (migration.statements)(backend) {
            tx.execute_raw(statement).await?;
        }
        tx.execute(
            &Query::insert()
                .into_table("schema_migrations")
                .columns(["version", "name"])
                .values_panic([migration.version.into(), migration.name.into()])
                .take(),
        )
        .await?;
        tx.commit().await?;
        applied += 1;
    }
    Ok(applied)
}

/// Keeps two servers starting at once from migrating together. SQLite
/// needs nothing: its write lock already serialises them. PostgreSQL takes
/// a transaction-scoped advisory lock (the key is arbitrary but fixed).
async fn lock_migrations(tx: &impl ConnectionTrait, backend: DbBackend) -> Result<(), StoreError> {
    if backend == DbBackend::Postgres {
        tx.execute_unprepared("SELECT pg_advisory_xact_lock(7306020759)")
            .await?;
    }
    Ok(())
}

/// Issue 8's workflow: a dossier's stage and handler, the steps it took
/// (its history on the tracking page), the files uploaded with it, the
/// e-mail confirmation of an online submission and the notices to
/// applicants waiting to be delivered.
fn dossier_workflow(b: DbBackend) -> Vec<Statement> {
    let mut statements = dossier_stages(b);
    statements.extend(dossier_fees(b));
    statements
}

/// A dossier's stage and handler, steps, files, confirmation, notices.
fn dossier_stages(b: DbBackend) -> Vec<Statement> {
    let add =
        |column: ColumnDef| b.build(&Table::alter().table("dossiers").add_column(column).take());
    vec![
        // Dossiers before this migration were received at the desk.
        add(ColumnDef::new("stage")
            .text()
            .not_null()
            .default("reception")
            .take()),
        add(big_null("handler_id")),
        add(big_null("result_document_id")),
        add(ColumnDef::new("promised_on").date().null().take()),
        b.build(
            &Index::create()
                .name("dossiers_stage_idx")
                .table("dossiers")
                .col("agency_id")
                .col("stage")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("dossiers_handler_idx")
                .table("dossiers")
                .col("handler_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("dossier_steps")
                .col(id("id"))
                .col(big("dossier_id"))
                .col(moment("at"))
                .col(text("action"))
                .col(big_null("actor_id"))
                .col(text("actor_label"))
                .col(text("stage"))
                .col(text("note"))
                .foreign_key(&mut fk("dossier_steps", "dossier_id", "dossiers"))
                .foreign_key(&mut fk("dossier_steps", "actor_id", "people"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("dossier_steps_dossier_idx")
                .table("dossier_steps")
                .col("dossier_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("dossier_files")
                .col(big("dossier_id"))
                .col(ColumnDef::new("position").integer().not_null())
                .col(text("paper"))
                .col(text("name"))
                .col(text("media_type"))
                .col(big("size"))
                .col(text("sha256"))
                .primary_key(Index::create().col("dossier_id").col("position"))
                .foreign_key(&mut fk("dossier_files", "dossier_id", "dossiers"))
                .foreign_key(
                    ForeignKey::create()
                        .from("dossier_files", "sha256")
                        .to("blobs", "sha256"),
                )
                .take(),
        ),
        // Only the token's digest is kept: the link in the e-mail is the
        // secret.
        b.build(
            &Table::create()
                .table("dossier_confirmations")
                .col(big("dossier_id").primary_key())
                .col(
                    ColumnDef::new("token_sha256")
                        .text()
                        .not_null()
                        .unique_key(),
                )
                .col(moment("expires_at"))
                .col(moment_null("confirmed_at"))
                .foreign_key(&mut fk("dossier_confirmations", "dossier_id", "dossiers"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("applicant_notices")
                .col(id("id"))
                .col(big("dossier_id"))
                .col(text("kind"))
                .col(text("recipient"))
                .col(text("subject"))
                .col(text("body"))
                .col(moment("created_at"))
                .col(moment_null("delivered_at"))
                .foreign_key(&mut fk("applicant_notices", "dossier_id", "dossiers"))
                .take(),
        ),
    ]
}

/// A dossier's fee payments and each agency's receipt numbers.
fn dossier_fees(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("dossier_payments")
                .col(id("id"))
                .col(big("dossier_id"))
                .col(big("amount"))
                .col(text("method"))
                .col(text("status"))
                .col(ColumnDef::new("reference").text().not_null().unique_key())
                .col(text_null("gateway_ref"))
                .col(moment("created_at"))
                .col(moment_null("paid_at"))
                .col(text_null("receipt"))
                .col(big_null("recorded_by"))
                .foreign_key(&mut fk("dossier_payments", "dossier_id", "dossiers"))
                .foreign_key(&mut fk("dossier_payments", "recorded_by", "people"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("dossier_payments_dossier_idx")
                .table("dossier_payments")
                .col("dossier_id")
                .take(),
        ),
        // Each agency's receipts of a year, numbered from 1 without gaps.
        b.build(
            &Table::create()
                .table("receipt_sequences")
                .col(big("agency_id"))
                .col(ColumnDef::new("year").integer().not_null())
                .col(big("last_number"))
                .primary_key(Index::create().col("agency_id").col("year"))
                .foreign_key(&mut fk("receipt_sequences", "agency_id", "agencies"))
                .take(),
        ),
    ]
}

/// Commune radio stations, the campaigns they carry and their daily logs
/// (`domain::grassroots`). One log a station a day is a unique key, so an
/// import racing a form cannot write a day twice; "one station per
/// commune and kind at a time" spans dates and is checked by the use case.
fn grassroots(b: DbBackend) -> Vec<Statement> {
    let minutes = |name: &'static str| ColumnDef::new(name).integer().not_null().take();
    let day = |name: &'static str| ColumnDef::new(name).date().not_null().take();
    vec![
        b.build(
            &Table::create()
                .table("radio_stations")
                .col(id("id"))
                .col(big("agency_id"))
                .col(big("commune_id"))
                .col(text("name"))
                .col(text("kind"))
                .col(ColumnDef::new("frequency_mhz").double().null())
                .col(text_null("licence_number"))
                .col(ColumnDef::new("licence_expiry").date().null())
                .col(big("power_w"))
                .col(big("loudspeaker_clusters"))
                .col(day("starts_on"))
                .col(ColumnDef::new("ends_on").date().null())
                .foreign_key(&mut fk("radio_stations", "agency_id", "agencies"))
                .foreign_key(&mut fk("radio_stations", "commune_id", "agencies"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("radio_stations_commune_idx")
                .table("radio_stations")
                .col("commune_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("radio_campaigns")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("title"))
                .col(text("topic"))
                .col(day("starts_on"))
                .col(day("ends_on"))
                .foreign_key(&mut fk("radio_campaigns", "agency_id", "agencies"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("broadcast_logs")
                .col(id("id"))
                .col(big("station_id"))
                .col(day("day"))
                .col(minutes("self_minutes"))
                .col(minutes("vov_minutes"))
                .col(minutes("provincial_minutes"))
                .col(minutes("district_minutes"))
                // One topic a line: the form and the import squash a
                // topic's spaces, line breaks included.
                .col(text("topics"))
                .foreign_key(&mut fk("broadcast_logs", "station_id", "radio_stations"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("broadcast_logs_station_day_idx")
                .table("broadcast_logs")
                .col("station_id")
                .col("day")
                .unique()
                .take(),
        ),
        b.build(
            &Index::create()
                .name("broadcast_logs_day_idx")
                .table("broadcast_logs")
                .col("day")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("broadcast_log_campaigns")
                .col(big("log_id"))
                .col(big("campaign_id"))
                .primary_key(Index::create().col("log_id").col("campaign_id"))
                .foreign_key(&mut fk(
                    "broadcast_log_campaigns",
                    "log_id",
                    "broadcast_logs",
                ))
                .foreign_key(&mut fk(
                    "broadcast_log_campaigns",
                    "campaign_id",
                    "radio_campaigns",
                ))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("broadcast_log_campaigns_campaign_idx")
                .table("broadcast_log_campaigns")
                .col("campaign_id")
                .take(),
        ),
    ]
}

/// Training courses and who attends them (`domain::staff`); a person is
/// on a course once.
fn staff_training(b: DbBackend) -> Vec<Statement> {
    let day = |name: &'static str| ColumnDef::new(name).date().not_null().take();
    vec![
        b.build(
            &Table::create()
                .table("training_courses")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("name"))
                .col(text("kind"))
                .col(text("provider"))
                .col(day("starts_on"))
                .col(day("ends_on"))
                .foreign_key(&mut fk("training_courses", "agency_id", "agencies"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("course_attendances")
                .col(id("id"))
                .col(big("course_id"))
                .col(big("person_id"))
                .col(day("starts_on"))
                .col(day("ends_on"))
                .col(text("status"))
                .col(ColumnDef::new("status_on").date().null())
                .foreign_key(&mut fk(
                    "course_attendances",
                    "course_id",
                    "training_courses",
                ))
                .foreign_key(&mut fk("course_attendances", "person_id", "people"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("course_attendances_person_idx")
                .table("course_attendances")
                .col("course_id")
                .col("person_id")
                .unique()
                .take(),
        ),
    ]
}

fn date(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().not_null().take()
}

fn date_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().null().take()
}

/// Issue 10's inspections: a row per plan, plan item, inspection, field
/// of an inspection, team member, subject, sanction and follow-up, so
/// that the report's figures are counted in SQL.
#[allow(clippy::too_many_lines)] // One table after another: splitting would hide the schema.
fn inspections(b: DbBackend) -> Vec<Statement> {
    let index = |name: &'static str, table: &'static str, cols: &[&'static str], unique: bool| {
        let mut i = Index::create().name(name).table(table).take();
        if unique {
            i.unique();
        }
        for c in cols {
            i.col(*c);
        }
        b.build(&i)
    };
    vec![
        b.build(
            &Table::create()
                .table("inspection_plans")
                .col(id("id"))
                .col(big("agency_id"))
                .col(ColumnDef::new("year").integer().not_null())
                .col(text("reference"))
                .col(date("approved_on"))
                .foreign_key(&mut fk("inspection_plans", "agency_id", "agencies"))
                .take(),
        ),
        index(
            "inspection_plans_year_idx",
            "inspection_plans",
            &["agency_id", "year"],
            true,
        ),
        b.build(
            &Table::create()
                .table("inspection_plan_items")
                .col(id("id"))
                .col(big("plan_id"))
                .col(text("field"))
                .col(text("title"))
                .col(ColumnDef::new("month").integer().not_null())
                .foreign_key(&mut fk(
                    "inspection_plan_items",
                    "plan_id",
                    "inspection_plans",
                ))
                .take(),
        ),
        index(
            "inspection_plan_items_plan_idx",
            "inspection_plan_items",
            &["plan_id"],
            false,
        ),
        b.build(
            &Table::create()
                .table("inspections")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("kind"))
                .col(big_null("plan_item_id"))
                .col(text("title"))
                .col(text("status"))
                .col(text_null("decision_number"))
                .col(date_null("decision_date"))
                .col(text_null("decision_signer"))
                .col(date_null("starts_on"))
                .col(date_null("ends_on"))
                .col(text_null("closing_number"))
                .col(date_null("closing_date"))
                .col(text_null("closing_summary"))
                .col(moment("created_at"))
                .foreign_key(&mut fk("inspections", "agency_id", "agencies"))
                .foreign_key(&mut fk(
                    "inspections",
                    "plan_item_id",
                    "inspection_plan_items",
                ))
                .take(),
        ),
        index(
            "inspections_agency_idx",
            "inspections",
            &["agency_id", "starts_on"],
            false,
        ),
        b.build(
            &Table::create()
                .table("inspection_fields")
                .col(big("inspection_id"))
                .col(text("field"))
                .primary_key(Index::create().col("inspection_id").col("field"))
                .foreign_key(&mut fk("inspection_fields", "inspection_id", "inspections"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("inspection_team")
                .col(big("inspection_id"))
                .col(big("person_id"))
                .col(ColumnDef::new("head").boolean().not_null())
                .primary_key(Index::create().col("inspection_id").col("person_id"))
                .foreign_key(&mut fk("inspection_team", "inspection_id", "inspections"))
                .foreign_key(&mut fk("inspection_team", "person_id", "people"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("inspection_subjects")
                .col(id("id"))
                .col(big("inspection_id"))
                .col(text("kind"))
                .col(text("name"))
                .col(text_null("id_number"))
                .col(text("address"))
                .col(text("field"))
                .col(text_null("outcome"))
                .col(text_null("violation"))
                .col(text_null("legal_basis"))
                .foreign_key(&mut fk(
                    "inspection_subjects",
                    "inspection_id",
                    "inspections",
                ))
                .take(),
        ),
        index(
            "inspection_subjects_inspection_idx",
            "inspection_subjects",
            &["inspection_id"],
            false,
        ),
        b.build(
            &Table::create()
                .table("inspection_sanctions")
                .col(id("id"))
                .col(big("inspection_id"))
                .col(big("subject_id"))
                .col(text("kind"))
                .col(big_null("fine_vnd"))
                .col(text("measure"))
                .col(text("decision_number"))
                .foreign_key(&mut fk(
                    "inspection_sanctions",
                    "inspection_id",
                    "inspections",
                ))
                .foreign_key(&mut fk(
                    "inspection_sanctions",
                    "subject_id",
                    "inspection_subjects",
                ))
                .take(),
        ),
        index(
            "inspection_sanctions_inspection_idx",
            "inspection_sanctions",
            &["inspection_id"],
            false,
        ),
        b.build(
            &Table::create()
                .table("inspection_follow_ups")
                .col(id("id"))
                .col(big("inspection_id"))
                .col(big("subject_id"))
                .col(text("action"))
                .col(date("due_on"))
                .col(date_null("done_on"))
                .foreign_key(&mut fk(
                    "inspection_follow_ups",
                    "inspection_id",
                    "inspections",
                ))
                .foreign_key(&mut fk(
                    "inspection_follow_ups",
                    "subject_id",
                    "inspection_subjects",
                ))
                .take(),
        ),
        index(
            "inspection_follow_ups_inspection_idx",
            "inspection_follow_ups",
            &["inspection_id"],
            false,
        ),
        index(
            "inspection_follow_ups_due_idx",
            "inspection_follow_ups",
            &["due_on"],
            false,
        ),
    ]
}

/// Citizen reception (`domain::reception`): the periodic reception days
/// (one per agency and date), the visits (their visitors as one JSON
/// column read and written whole, with their count beside it for the
/// figures; `case_id` the first visit of the case) and the petitions
/// (their petitioners as JSON; the due dates and `finished_on` kept by
/// the domain's steps, so the figures count on columns). Indexes serve
/// the figures: days and visits by agency and moment, petitions by agency
/// and the days they were received, classified and finished.
#[allow(clippy::too_many_lines)] // One table after another: splitting would hide the schema.
fn reception(b: DbBackend) -> Vec<Statement> {
    let index = |name: &'static str, table: &'static str, cols: &[&'static str]| {
        let mut i = Index::create().name(name).table(table).take();
        for c in cols {
            i.col(*c);
        }
        b.build(&i)
    };
    let date = |name: &'static str| ColumnDef::new(name).date().not_null().take();
    let date_null = |name: &'static str| ColumnDef::new(name).date().null().take();
    let int = |name: &'static str| ColumnDef::new(name).integer().not_null().take();
    vec![
        b.build(
            &Table::create()
                .table("reception_days")
                .col(id("id"))
                .col(big("agency_id"))
                .col(date("held_on"))
                .col(big("leader_id"))
                .col(text("place"))
                .col(text("status"))
                .col(big_null("scheduled_by"))
                .col(text("note"))
                .foreign_key(&mut fk("reception_days", "agency_id", "agencies"))
                .foreign_key(&mut fk("reception_days", "leader_id", "people"))
                .foreign_key(&mut fk("reception_days", "scheduled_by", "people"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("reception_days_agency_idx")
                .table("reception_days")
                .col("agency_id")
                .col("held_on")
                .unique()
                .take(),
        ),
        b.build(
            &Table::create()
                .table("reception_visits")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("kind"))
                .col(big_null("day_id"))
                .col(moment("at"))
                .col(big("officer_id"))
                .col(big("recorded_by"))
                .col(text("visitors"))
                .col(int("visitor_count"))
                .col(big("case_id"))
                .col(text("content"))
                .col(text("field"))
                .col(text("outcome"))
                .foreign_key(&mut fk("reception_visits", "agency_id", "agencies"))
                .foreign_key(&mut fk("reception_visits", "day_id", "reception_days"))
                .foreign_key(&mut fk("reception_visits", "officer_id", "people"))
                .foreign_key(&mut fk("reception_visits", "recorded_by", "people"))
                .take(),
        ),
        index(
            "reception_visits_agency_idx",
            "reception_visits",
            &["agency_id", "at"],
        ),
        index("reception_visits_day_idx", "reception_visits", &["day_id"]),
        b.build(
            &Table::create()
                .table("petitions")
                .col(id("id"))
                .col(big("agency_id"))
                .col(text("kind"))
                .col(date("received_on"))
                .col(text("channel"))
                .col(big_null("visit_id"))
                .col(text("petitioners"))
                .col(text("content"))
                .col(text("field"))
                .col(big("recorded_by"))
                .col(text("status"))
                .col(date("classify_due"))
                .col(date_null("classified_on"))
                .col(big_null("decided_by"))
                .col(text("note"))
                .col(text("complexity"))
                .col(int("extensions"))
                .col(text("extension_reason"))
                .col(date_null("due_on"))
                .col(big_null("handler_id"))
                .col(date_null("assigned_on"))
                .col(date_null("answered_on"))
                .col(text("result"))
                .col(date_null("closed_on"))
                .col(date_null("finished_on"))
                .foreign_key(&mut fk("petitions", "agency_id", "agencies"))
                .foreign_key(&mut fk("petitions", "visit_id", "reception_visits"))
                .foreign_key(&mut fk("petitions", "recorded_by", "people"))
                .foreign_key(&mut fk("petitions", "decided_by", "people"))
                .foreign_key(&mut fk("petitions", "handler_id", "people"))
                .take(),
        ),
        index(
            "petitions_received_idx",
            "petitions",
            &["agency_id", "received_on", "kind"],
        ),
        index(
            "petitions_classified_idx",
            "petitions",
            &["agency_id", "classified_on"],
        ),
        index(
            "petitions_finished_idx",
            "petitions",
            &["agency_id", "finished_on"],
        ),
        index("petitions_handler_idx", "petitions", &["handler_id"]),
    ]
}

/// Issue 11's portal: sites (one main), their categories and members,
/// articles with their categories, every saved revision, daily view counts
/// (no reader is recorded) and the articles' full-text index, built like
/// `document_text`.
#[allow(clippy::too_many_lines)] // One table after another: splitting would hide the schema.
fn portal(b: DbBackend) -> Vec<Statement> {
    let flag = |name: &'static str| ColumnDef::new(name).boolean().not_null().take();
    let int = |name: &'static str| ColumnDef::new(name).integer().not_null().take();
    let mut statements = vec![
        b.build(
            &Table::create()
                .table("portal_sites")
                .col(id("id"))
                .col(text("slug"))
                .col(text("name"))
                .col(big("agency_id"))
                .col(text_null("host"))
                .col(flag("main"))
                .col(date("opened_on"))
                .foreign_key(&mut fk("portal_sites", "agency_id", "agencies"))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_sites_slug_idx")
                .table("portal_sites")
                .col("slug")
                .unique()
                .take(),
        ),
        // NULLs are distinct in a unique index on both engines: many sites
        // have no host of their own.
        b.build(
            &Index::create()
                .name("portal_sites_host_idx")
                .table("portal_sites")
                .col("host")
                .unique()
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_categories")
                .col(id("id"))
                .col(big("site_id"))
                .col(text("slug"))
                .col(text("name"))
                .col(big_null("parent_id"))
                .col(int("position"))
                .col(flag("in_menu"))
                .foreign_key(&mut fk("portal_categories", "site_id", "portal_sites"))
                .foreign_key(&mut fk(
                    "portal_categories",
                    "parent_id",
                    "portal_categories",
                ))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_categories_slug_idx")
                .table("portal_categories")
                .col("site_id")
                .col("slug")
                .unique()
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_members")
                .col(big("site_id"))
                .col(big("person_id"))
                .col(text("role"))
                .primary_key(Index::create().col("site_id").col("person_id"))
                .foreign_key(&mut fk("portal_members", "site_id", "portal_sites"))
                .foreign_key(&mut fk("portal_members", "person_id", "people"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_articles")
                .col(id("id"))
                .col(big("site_id"))
                .col(text("language"))
                .col(text("title"))
                .col(text("summary"))
                .col(text("body_html"))
                .col(text("byline"))
                .col(big("author_id"))
                .col(text("tags"))
                .col(text("status"))
                .col(moment_null("publish_at"))
                .col(big_null("translation_of"))
                .col(text("shared"))
                .col(text_null("return_reason"))
                .col(int("revision"))
                .col(moment("created_at"))
                .col(moment("updated_at"))
                .foreign_key(&mut fk("portal_articles", "site_id", "portal_sites"))
                .foreign_key(&mut fk("portal_articles", "author_id", "people"))
                .foreign_key(&mut fk(
                    "portal_articles",
                    "translation_of",
                    "portal_articles",
                ))
                .take(),
        ),
        // A site's public list and the figures: status, then the moment.
        b.build(
            &Index::create()
                .name("portal_articles_site_idx")
                .table("portal_articles")
                .col("site_id")
                .col("status")
                .col("publish_at")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_articles_shared_idx")
                .table("portal_articles")
                .col("shared")
                .col("status")
                .col("publish_at")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_articles_translation_idx")
                .table("portal_articles")
                .col("translation_of")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_article_categories")
                .col(big("article_id"))
                .col(big("category_id"))
                .primary_key(Index::create().col("article_id").col("category_id"))
                .foreign_key(&mut fk(
                    "portal_article_categories",
                    "article_id",
                    "portal_articles",
                ))
                .foreign_key(&mut fk(
                    "portal_article_categories",
                    "category_id",
                    "portal_categories",
                ))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_article_categories_category_idx")
                .table("portal_article_categories")
                .col("category_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_revisions")
                .col(big("article_id"))
                .col(int("revision"))
                .col(text("title"))
                .col(text("summary"))
                .col(text("body_html"))
                .col(big("by"))
                .col(moment("at"))
                .primary_key(Index::create().col("article_id").col("revision"))
                .foreign_key(&mut fk("portal_revisions", "article_id", "portal_articles"))
                .foreign_key(&mut fk("portal_revisions", "by", "people"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_views")
                .col(big("article_id"))
                .col(date("day"))
                .col(big("views"))
                .primary_key(Index::create().col("article_id").col("day"))
                .foreign_key(&mut fk("portal_views", "article_id", "portal_articles"))
                .take(),
        ),
    ];
    statements.extend(portal_text(b));
    statements
}

/// The articles' full-text index: the dialect-specific part of [`portal`].
fn portal_text(b: DbBackend) -> Vec<Statement> {
    let sql: &[&str] = match b {
        DbBackend::Postgres => &[
            "CREATE TABLE portal_text (\
               article_id BIGINT PRIMARY KEY REFERENCES portal_articles (id) ON DELETE CASCADE, \
               words TEXT NOT NULL, \
               tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED)",
            "CREATE INDEX portal_text_tsv_idx ON portal_text USING GIN (tsv)",
        ],
        // rowid is the article's id.
        _ => &["CREATE VIRTUAL TABLE portal_text USING fts5(words, tokenize = 'unicode61')"],
    };
    sql.iter().map(|s| Statement::from_string(b, *s)).collect()
}

/// Pictures uploaded for articles; each variant's bytes are a blob.
fn portal_images(b: DbBackend) -> Vec<Statement> {
    let int = |name: &'static str| ColumnDef::new(name).integer().not_null().take();
    vec![
        b.build(
            &Table::create()
                .table("portal_images")
                .col(id("id"))
                .col(big("site_id"))
                .col(text("alt"))
                .col(big("uploaded_by"))
                .col(moment("uploaded_at"))
                .foreign_key(&mut fk("portal_images", "site_id", "portal_sites"))
                .foreign_key(&mut fk("portal_images", "uploaded_by", "people"))
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_image_variants")
                .col(big("image_id"))
                .col(int("width"))
                .col(int("height"))
                .col(text("mime"))
                .col(text("sha256"))
                .primary_key(Index::create().col("image_id").col("width"))
                .foreign_key(&mut fk(
                    "portal_image_variants",
                    "image_id",
                    "portal_images",
                ))
                .foreign_key(
                    &mut ForeignKey::create()
                        .from("portal_image_variants", "sha256")
                        .to("blobs", "sha256")
                        .on_delete(ForeignKeyAction::Restrict)
                        .take(),
                )
                .take(),
        ),
    ]
}

/// Issue 11, point 3: a site's publications of registered documents (a
/// link to `documents`, never a copy) with an optional consultation
/// period, and the comments received in it.
fn portal_publications(b: DbBackend) -> Vec<Statement> {
    vec![
        b.build(
            &Table::create()
                .table("portal_publications")
                .col(id("id"))
                .col(big("site_id"))
                .col(big("document_id"))
                .col(text("category"))
                .col(moment("published_at"))
                .col(big_null("published_by"))
                .col(moment_null("withdrawn_at"))
                .col(date_null("opens"))
                .col(date_null("closes"))
                .foreign_key(&mut fk("portal_publications", "site_id", "portal_sites"))
                .foreign_key(&mut fk("portal_publications", "document_id", "documents"))
                .foreign_key(&mut fk("portal_publications", "published_by", "people"))
                .take(),
        ),
        // Public lists and the report read a site's publications by
        // category and moment.
        b.build(
            &Index::create()
                .name("portal_publications_site_idx")
                .table("portal_publications")
                .col("site_id")
                .col("category")
                .col("published_at")
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_publications_document_idx")
                .table("portal_publications")
                .col("document_id")
                .take(),
        ),
        b.build(
            &Table::create()
                .table("portal_consultation_comments")
                .col(id("id"))
                .col(big("publication_id"))
                .col(text("name"))
                .col(text_null("contact"))
                .col(text_null("organisation"))
                .col(text("body"))
                .col(moment("received_at"))
                .foreign_key(&mut fk(
                    "portal_consultation_comments",
                    "publication_id",
                    "portal_publications",
                ))
                .take(),
        ),
        b.build(
            &Index::create()
                .name("portal_consultation_comments_publication_idx")
                .table("portal_consultation_comments")
                .col("publication_id")
                .take(),
        ),
    ]
}
