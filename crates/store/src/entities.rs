//! Row types of the tables, private to the store. Each maps to a `domain`
//! type in its area module; no entity type leaves this crate.

pub mod agency {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "agencies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub code: String,
        pub name: String,
        pub short_name: String,
        pub kind: String,
        pub parent_id: Option<i64>,
        pub effective_from: TimeDate,
        pub effective_to: Option<TimeDate>,
        pub successor_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "people")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub full_name: String,
        pub position: String,
        pub agency_id: i64,
        pub email: String,
        pub phone: Option<String>,
        pub status: String,
        pub password_hash: Option<String>,
        pub failed_logins: i32,
        pub locked_until: Option<TimeDateTimeWithTimeZone>,
        pub totp_secret: Option<String>,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod role_grant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "role_grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub agency_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub role: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub person_id: i64,
        pub kind: String,
        pub csrf_token: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub expires_at: TimeDateTimeWithTimeZone,
        pub source: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub at: TimeDateTimeWithTimeZone,
        pub actor_id: Option<i64>,
        pub actor_label: String,
        pub action: String,
        pub object_type: String,
        pub object_id: String,
        pub source: Option<String>,
        pub before_digest: Option<String>,
        pub after_digest: Option<String>,
        pub prev_hash: String,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod blob {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "blobs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub sha256: String,
        pub size: i64,
        pub media_type: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod document {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "documents")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub agency_id: i64,
        pub direction: String,
        pub series: String,
        pub year: i32,
        pub number: i64,
        pub symbol: String,
        pub doc_type: String,
        pub summary: String,
        pub issued_on: TimeDate,
        pub registered_on: TimeDate,
        pub issuer: String,
        pub signer: Option<String>,
        pub urgency: String,
        pub confidentiality: String,
        pub field: Option<String>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub exchange_id: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod document_file {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "document_files")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub document_id: i64,
        pub position: i32,
        pub role: String,
        pub name: String,
        pub description: String,
        pub content_type: String,
        pub sha256: String,
        pub size: i64,
        pub signature: String,
        pub signers: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod draft {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "drafts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub agency_id: i64,
        pub drafting_unit_id: Option<i64>,
        pub author_id: i64,
        pub doc_type: String,
        pub summary: String,
        pub signer: Option<String>,
        pub urgency: String,
        pub confidentiality: String,
        pub field: Option<String>,
        pub recipients: String,
        pub other_recipients: String,
        pub state: String,
        pub version: i32,
        pub document_id: Option<i64>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
        pub signed_sha256: Option<String>,
        pub signed_size: Option<i64>,
        pub signed_by: Option<i64>,
        pub signed_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod draft_file {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "draft_files")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub draft_id: i64,
        pub version: i32,
        pub position: i32,
        pub name: String,
        pub description: String,
        pub content_type: String,
        pub sha256: String,
        pub size: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod draft_step {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "draft_steps")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub draft_id: i64,
        pub action: String,
        pub actor_id: Option<i64>,
        pub actor_label: String,
        pub comment: String,
        pub version: i32,
        pub at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub document_id: i64,
        pub agency_id: i64,
        pub lead_id: i64,
        pub assigned_by: Option<i64>,
        pub assigned_by_label: String,
        pub instruction: String,
        pub assigned_on: TimeDate,
        pub deadline: TimeDate,
        pub state: String,
        pub completed_on: Option<TimeDate>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment_co_handler {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignment_co_handlers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub assignment_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment_opinion {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignment_opinions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub assignment_id: i64,
        pub author_id: Option<i64>,
        pub author_label: String,
        pub text: String,
        pub at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notices")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub person_id: i64,
        pub assignment_id: i64,
        pub day: TimeDate,
        pub text: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub read_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
