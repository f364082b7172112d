//! The catalogue of stored files: one row per distinct content. The bytes
//! live in the blob store (see `app::files`); this records what they are.

use domain::files::MediaType;
use sea_orm::{ActiveValue::Set, EntityTrait};
use time::OffsetDateTime;

use crate::entities::blob;
use crate::{StoreError, Tx};

/// A stored file's catalogue row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRecord {
    pub sha256: String,
    pub size: u64,
    pub media_type: MediaType,
    pub created_at: OffsetDateTime,
}

impl Tx {
    /// Records a content; recording the same content twice keeps the first.
    pub async fn record_blob(&self, record: &BlobRecord) -> Result<(), StoreError> {
        let model = blob::ActiveModel {
            sha256: Set(record.sha256.clone()),
            size: Set(
                i64::try_from(record.size).map_err(|_| StoreError::Corrupt("blob size".into()))?
            ),
            media_type: Set(record.media_type.as_str().to_owned()),
            created_at: Set(domain::to_stored_precision(record.created_at)),
        };
        blob::Entity::insert(model)
            .on_conflict_do_nothing_on([blob::Column::Sha256])
            .exec_without_returning(self.conn())
            .await?;
        Ok(())
    }

    pub async fn blob(&self, sha256: &str) -> Result<Option<BlobRecord>, StoreError> {
        let Some(row) = blob::Entity::find_by_id(sha256.to_owned())
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(BlobRecord {
            media_type: MediaType::from_name(&row.media_type).ok_or_else(|| {
                StoreError::Corrupt(format!("blobs.media_type: {}", row.media_type))
            })?,
            size: u64::try_from(row.size).map_err(|_| StoreError::Corrupt("blobs.size".into()))?,
            sha256: row.sha256,
            created_at: row.created_at,
        }))
    }
}
