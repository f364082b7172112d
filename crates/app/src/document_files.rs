//! Files of documents: checking and staging uploads into the blob store
//! before the transaction that records them, the text inside PDF and DOCX
//! files for the search index, attaching a file to a registered document,
//! and reading files back.
//!
//! Invariant: a file is checked (type, size, name) and its bytes stored
//! under their digest before any transaction opens; a transaction that then
//! fails leaves only an unreferenced blob, never a reference without bytes.

use domain::authz::Permission;
use domain::documents::{
    Citation, DOCUMENT_FILE_TYPES, DocumentFile, DocumentFileId, DocumentId, FileRole, citations_in,
};
use domain::files::{UploadPolicy, display_name};
use domain::search::index_text;
use store::blobs::BlobRecord;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// A file to attach to a document, as received. The first is the main
/// file; the others are appendices.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The client's file name (made safe before use).
    pub name: String,
    pub description: String,
    /// The MIME type as the sender gave it; sniffed when absent.
    pub content_type: Option<String>,
    pub bytes: bytes::Bytes,
}

/// A file checked and in the blob store, waiting to be recorded.
#[derive(Debug, Clone)]
pub(crate) struct StagedFile {
    pub(crate) file: DocumentFile,
    pub(crate) blob: BlobRecord,
    /// Its words for the search index: name, description, text inside.
    pub(crate) words: String,
    /// The documents its text cites.
    pub(crate) citations: Vec<Citation>,
}

impl StagedFile {
    /// A file with `text` (what is inside it, maybe nothing).
    pub(crate) fn new(file: DocumentFile, blob: BlobRecord, text: &str) -> Self {
        Self {
            words: index_text([file.name.as_str(), &file.description, text]),
            citations: citations_in([text]),
            file,
            blob,
        }
    }
}

impl App {
    /// Adds a file to a registered document (the clerk scans a paper
    /// original, or adds an appendix): after the files it has.
    pub async fn attach_file(
        &self,
        ctx: &Ctx,
        id: DocumentId,
        new: NewFile,
    ) -> Result<DocumentFile, AppError> {
        let document = self.document(ctx, id).await?;
        ctx.require(
            Permission::RegisterDocuments,
            &self.lineage(document.agency_id).await?,
        )?;
        let mut staged = self.stage_files(vec![new]).await?;
        let Some(staged) = staged.pop() else {
            return Err(AppError::Internal("no file staged".into()));
        };
        let mut tx = self.store.write().await?;
        let position = u32::try_from(tx.document_files(id).await?.len()).unwrap_or(u32::MAX);
        let file = DocumentFile {
            document_id: id,
            position,
            role: FileRole::at(position),
            ..staged.file
        };
        tx.record_blob(&staged.blob).await?;
        let file = tx.insert_document_file(&file).await?;
        let words = tx.document_words(id).await?;
        tx.set_document_words(id, format!("{words} {}", staged.words).trim())
            .await?;
        let known = tx.citations_of(id).await?;
        let new: Vec<Citation> = staged
            .citations
            .into_iter()
            .filter(|c| !known.contains(c))
            .collect();
        tx.insert_citations(id, known.len(), &new).await?;
        let change = Change {
            action: "document.attach",
            object_type: "document",
            object_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "file": file })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// The files of a document the actor may see, in order.
    pub async fn document_files(
        &self,
        ctx: &Ctx,
        id: DocumentId,
    ) -> Result<Vec<DocumentFile>, AppError> {
        self.document(ctx, id).await?;
        Ok(self.store.read().await?.document_files(id).await?)
    }

    /// One file of a document the actor may see, with its bytes.
    pub async fn document_file(
        &self,
        ctx: &Ctx,
        id: DocumentId,
        file: DocumentFileId,
    ) -> Result<(DocumentFile, bytes::Bytes), AppError> {
        let file = self
            .document_files(ctx, id)
            .await?
            .into_iter()
            .find(|f| f.id == file)
            .ok_or(AppError::NotFound("tệp"))?;
        let bytes = self.blobs.get(&file.sha256).await?;
        Ok((file, bytes))
    }

    /// The text inside a PDF or DOCX file, for the search index; empty for
    /// other files, and for files the reader cannot read (a scanned image,
    /// an encrypted PDF): the file is still kept, found by its name.
    pub(crate) async fn file_text(&self, bytes: bytes::Bytes) -> String {
        let Some(kind) = textract::Kind::sniff(&bytes) else {
            return String::new();
        };
        // Reading a large PDF takes CPU seconds: off the async threads.
        let read = tokio::task::spawn_blocking(move || {
            textract::extract(&bytes, kind, &textract::Limits::default())
        })
        .await;
        match read {
            Ok(Ok(text)) => text,
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "attachment text not indexed");
                String::new()
            }
            Err(err) => {
                tracing::error!(error = %err, "text extraction task failed");
                String::new()
            }
        }
    }

    /// Checks files against the document rules and puts their bytes in the
    /// blob store, before the transaction that records them (a blob nobody
    /// records is harmless: content-addressed, never served alone).
    pub(crate) async fn stage_files(
        &self,
        files: Vec<NewFile>,
    ) -> Result<Vec<StagedFile>, AppError> {
        let policy = UploadPolicy {
            max_bytes: u64::from(self.config.files.max_upload_mib) * 1024 * 1024,
            allowed: DOCUMENT_FILE_TYPES,
        };
        let mut staged = Vec::with_capacity(files.len());
        for (position, new) in files.into_iter().enumerate() {
            let name = display_name(&new.name);
            if name.is_empty() {
                return Err(AppError::Invalid("Tệp đính kèm phải có tên".into()));
            }
            let media_type = policy
                .check(&new.bytes)
                .map_err(|e| AppError::Invalid(format!("Tệp «{name}»: {e}")))?;
            let size = new.bytes.len() as u64;
            let (signature, signers) = self.signature_verdict(new.bytes.clone()).await?;
            let text = self.file_text(new.bytes.clone()).await;
            let sha256 = self.blobs.put(new.bytes).await?;
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            staged.push(StagedFile::new(
                DocumentFile {
                    id: 0,
                    document_id: 0,
                    position,
                    role: FileRole::at(position),
                    content_type: new
                        .content_type
                        .filter(|t| !t.trim().is_empty())
                        .unwrap_or_else(|| media_type.mime().to_owned()),
                    name,
                    description: new.description,
                    sha256: sha256.clone(),
                    size,
                    signature,
                    signers,
                },
                BlobRecord {
                    sha256,
                    size,
                    media_type,
                    created_at: self.now(),
                },
                &text,
            ));
        }
        Ok(staged)
    }
}
