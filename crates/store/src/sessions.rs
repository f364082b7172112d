//! Queries of server-side sessions and API tokens.

use domain::auth::{Session, SessionKind};
use domain::people::PersonId;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use crate::entities::session;
use crate::{StoreError, Tx};

fn to_domain(row: session::Model) -> Result<Session, StoreError> {
    Ok(Session {
        kind: SessionKind::from_name(&row.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("sessions.kind: {}", row.kind)))?,
        token_hash: row.id,
        person_id: row.person_id,
        csrf_token: row.csrf_token,
        created_at: row.created_at,
        expires_at: row.expires_at,
        source: row.source,
    })
}

impl Tx {
    pub async fn insert_session(&self, session: &Session) -> Result<(), StoreError> {
        session::ActiveModel {
            id: Set(session.token_hash.clone()),
            person_id: Set(session.person_id),
            kind: Set(session.kind.as_str().to_owned()),
            csrf_token: Set(session.csrf_token.clone()),
            created_at: Set(domain::to_stored_precision(session.created_at)),
            expires_at: Set(domain::to_stored_precision(session.expires_at)),
            source: Set(session.source.clone()),
        }
        .insert(self.conn())
        .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        session::Entity::find_by_id(token_hash.to_owned())
            .one(self.conn())
            .await?
            .map(to_domain)
            .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(token_hash.to_owned())
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Ends every session of a person (on lock, password change, leaving).
    pub async fn delete_sessions_of(&self, person: PersonId) -> Result<u64, StoreError> {
        let result = session::Entity::delete_many()
            .filter(session::Column::PersonId.eq(person))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected)
    }

    /// Removes sessions that ended before `now`.
    pub async fn delete_expired_sessions(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let result = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(domain::to_stored_precision(now)))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected)
    }
}
