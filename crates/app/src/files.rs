//! The content-addressed blob store: files kept under their SHA-256.
//!
//! Invariant: a blob's path is derived from its digest alone, so a client's
//! file name can never reach the file system, the same content is stored
//! once, and a stored blob is never overwritten. The bytes live behind
//! `object_store`: a local folder by default, S3-compatible storage by
//! configuration.

use std::sync::Arc;

use bytes::Bytes;
use domain::files::{MediaType, UploadPolicy};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions};
use sha2::{Digest, Sha256};
use store::blobs::BlobRecord;

use crate::audit::Change;
use crate::config::{BlobBackend, Config};
use crate::{App, AppError, Ctx};

/// Where file contents are kept.
#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobStore({})", self.inner)
    }
}

fn storage_error(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "blob store failure");
    AppError::Internal("không truy cập được kho tệp".into())
}

/// The store path of a digest: `sha256/ab/cd/abcd…`, spread over folders so
/// that no folder grows too large.
fn path_of(sha256: &str) -> Result<StorePath, AppError> {
    let valid = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if !valid {
        return Err(AppError::NotFound("tệp"));
    }
    Ok(StorePath::from(format!(
        "sha256/{}/{}/{sha256}",
        &sha256[..2],
        &sha256[2..4]
    )))
}

impl BlobStore {
    /// Opens the store that `config` names.
    pub fn open(config: &Config) -> Result<Self, AppError> {
        let inner: Arc<dyn ObjectStore> = match config.files.backend {
            BlobBackend::Local => {
                let dir = config.data_dir.join("blobs");
                std::fs::create_dir_all(&dir).map_err(storage_error)?;
                Arc::new(LocalFileSystem::new_with_prefix(&dir).map_err(storage_error)?)
            }
            BlobBackend::S3 => {
                let s3 = &config.files.s3;
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_access_key_id(&s3.access_key_id)
                    .with_secret_access_key(s3.secret_access_key.expose())
                    .with_allow_http(s3.allow_http);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                Arc::new(builder.build().map_err(storage_error)?)
            }
        };
        Ok(Self { inner })
    }

    /// Stores `bytes` under their digest; storing the same bytes again is a
    /// no-op. Returns the hex digest.
    pub async fn put(&self, bytes: Bytes) -> Result<String, AppError> {
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let path = path_of(&sha256)?;
        let options = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        match self.inner.put_opts(&path, bytes.into(), options).await {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(sha256),
            Err(err) => Err(storage_error(err)),
        }
    }

    /// The bytes stored under `sha256`, checked against the digest.
    pub async fn get(&self, sha256: &str) -> Result<Bytes, AppError> {
        let path = path_of(sha256)?;
        let bytes = match self.inner.get(&path).await {
            Ok(result) => result.bytes().await.map_err(storage_error)?,
            Err(object_store::Error::NotFound { .. }) => return Err(AppError::NotFound("tệp")),
            Err(err) => return Err(storage_error(err)),
        };
        if hex::encode(Sha256::digest(&bytes)) != sha256 {
            return Err(storage_error(format!(
                "blob {sha256} does not match its digest"
            )));
        }
        Ok(bytes)
    }
}

impl App {
    /// Checks an upload against `policy`, stores it and records it.
    pub async fn save_file(
        &self,
        ctx: &Ctx,
        bytes: Bytes,
        policy: UploadPolicy,
    ) -> Result<BlobRecord, AppError> {
        let media_type: MediaType = policy.check(&bytes).map_err(AppError::invalid)?;
        let size = bytes.len() as u64;
        let sha256 = self.blobs.put(bytes).await?;
        let record = BlobRecord {
            sha256,
            size,
            media_type,
            created_at: self.now(),
        };
        let mut tx = self.store.write().await?;
        tx.record_blob(&record).await?;
        let change = Change {
            action: "file.store",
            object_type: "blob",
            object_id: record.sha256.clone(),
            before: None,
            after: Some(
                serde_json::json!({ "size": record.size, "media_type": record.media_type.as_str() }),
            ),
        };
        crate::audit::record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// A stored file and what it is.
    pub async fn load_file(&self, sha256: &str) -> Result<(BlobRecord, Bytes), AppError> {
        let record = self
            .store
            .read()
            .await?
            .blob(sha256)
            .await?
            .ok_or(AppError::NotFound("tệp"))?;
        let bytes = self.blobs.get(sha256).await?;
        Ok((record, bytes))
    }
}
