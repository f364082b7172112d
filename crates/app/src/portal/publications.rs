//! Documents published on the portal (issue 11, point 3): publishing a
//! registered document under a category, with an optional consultation
//! period, and withdrawing it — the staff's, each one write transaction
//! with its audit entry — and what readers get: the lists, a
//! publication with the document's own metadata and files (read from the
//! documents area, never copied), its files' bytes, and the comment form.
//!
//! Who publishes: a site's reviewers (`portal::may`, `Publish`) and the
//! holders of `ManagePortal` over its agency, and only a document they
//! may read in the register, so that the portal never becomes a way
//! around the register's rights. A comment needs no sign-in; it is a
//! member of the public's own record (its moment is on it), so it writes
//! no audit entry, as a page view does not.

use domain::documents::{Document, DocumentFile, DocumentFileId, DocumentId};
use domain::portal::publications::{
    self as rules, Comment, CommentDraft, Consultation, DocumentCategory, PAGE_SIZE, Publication,
    PublicationError, PublicationId,
};
use domain::portal::{Site, SiteAction, SiteId, may};
use domain::search::Found;

use super::change;
use crate::audit::record;
use crate::{App, AppError, Ctx};

/// A publication as readers see it: the document's metadata and files
/// from the register, and how many comments its consultation received.
#[derive(Debug, Clone)]
pub struct PublicDocument {
    pub publication: Publication,
    pub document: Document,
    pub files: Vec<DocumentFile>,
    pub comments: u64,
}

fn refused(err: PublicationError) -> AppError {
    AppError::invalid(err)
}

impl App {
    /// Fails unless `ctx` may take `action` on `site` by their role there,
    /// or holds `ManagePortal` over its agency.
    async fn require_site_staff(
        &self,
        ctx: &Ctx,
        site: &Site,
        action: SiteAction,
    ) -> Result<(), AppError> {
        if may(self.site_role(ctx, site.id).await?, action) {
            return Ok(());
        }
        self.require_manage(ctx, site).await
    }

    async fn publication_record(&self, id: PublicationId) -> Result<Publication, AppError> {
        self.store
            .read()
            .await?
            .publication(id)
            .await?
            .ok_or(AppError::NotFound("văn bản đã đăng"))
    }

    /// Publishes registered `document` on `site` under `category`, open to
    /// comments in `consultation` if given. Refuses an incoming or a
    /// confidential document, and one already published there.
    pub async fn publish_document(
        &self,
        ctx: &Ctx,
        site: SiteId,
        document: DocumentId,
        category: DocumentCategory,
        consultation: Option<Consultation>,
    ) -> Result<Publication, AppError> {
        let site = self.site_record(site).await?;
        self.require_site_staff(ctx, &site, SiteAction::Publish)
            .await?;
        let document = self.document(ctx, document).await?;
        rules::check_document(&document).map_err(refused)?;
        let mut tx = self.store.write().await?;
        if tx
            .visible_publication_of(site.id, document.id)
            .await?
            .is_some()
        {
            return Err(refused(PublicationError::AlreadyPublished));
        }
        let mut publication = Publication {
            id: 0,
            site_id: site.id,
            document_id: document.id,
            category,
            published_at: domain::to_stored_precision(self.now()),
            published_by: ctx.actor.as_ref().map(|a| a.person_id),
            withdrawn_at: None,
            consultation,
        };
        publication.id = tx
            .insert_publications(std::slice::from_ref(&publication))
            .await?
            .first()
            .copied()
            .ok_or(AppError::NotFound("văn bản đã đăng"))?;
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.document.publish",
                "portal_publication",
                publication.id,
                None,
                Some(&publication),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(publication)
    }

    /// Takes publication `id` off the portal: readers no longer see it nor
    /// its files, and its consultation takes no more comments.
    pub async fn withdraw_publication(
        &self,
        ctx: &Ctx,
        id: PublicationId,
    ) -> Result<Publication, AppError> {
        let before = self.publication_record(id).await?;
        let site = self.site_record(before.site_id).await?;
        self.require_site_staff(ctx, &site, SiteAction::Unpublish)
            .await?;
        let after = Publication {
            withdrawn_at: Some(domain::to_stored_precision(self.now())),
            ..before.clone()
        };
        let mut tx = self.store.write().await?;
        if !tx.withdraw_publication(id, self.now()).await? {
            return Err(refused(PublicationError::Withdrawn));
        }
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.document.withdraw",
                "portal_publication",
                id,
                Some(&before),
                Some(&after),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One page of a site's published documents with their register
    /// entries, newest first, of `category` when given.
    pub async fn public_publications(
        &self,
        site: SiteId,
        category: Option<DocumentCategory>,
        page: u32,
    ) -> Result<Found<(Publication, Document)>, AppError> {
        let site = self.site_record(site).await?;
        self.publications_with_documents(site.id, category, false, page)
            .await
    }

    /// The staff's list of a site's publications, withdrawn ones too.
    pub async fn site_publications(
        &self,
        ctx: &Ctx,
        site: SiteId,
        page: u32,
    ) -> Result<Found<(Publication, Document)>, AppError> {
        let site = self.site_record(site).await?;
        self.require_site_staff(ctx, &site, SiteAction::SeeUnpublished)
            .await?;
        self.publications_with_documents(site.id, None, true, page)
            .await
    }

    async fn publications_with_documents(
        &self,
        site: SiteId,
        category: Option<DocumentCategory>,
        with_withdrawn: bool,
        page: u32,
    ) -> Result<Found<(Publication, Document)>, AppError> {
        let offset = u64::from(page.max(1) - 1) * PAGE_SIZE;
        let read = self.store.read().await?;
        let found = read
            .site_publications(site, category, with_withdrawn, (offset, PAGE_SIZE))
            .await?;
        let mut items = Vec::with_capacity(found.items.len());
        for p in found.items {
            let document = read
                .document(p.document_id)
                .await?
                .ok_or(AppError::NotFound("văn bản"))?;
            items.push((p, document));
        }
        Ok(Found {
            items,
            total: found.total,
        })
    }

    /// Publication `id` as readers see it, if it is not withdrawn.
    pub async fn public_publication(&self, id: PublicationId) -> Result<PublicDocument, AppError> {
        let read = self.store.read().await?;
        let publication = read
            .publication(id)
            .await?
            .filter(Publication::visible)
            .ok_or(AppError::NotFound("văn bản"))?;
        let document = read
            .document(publication.document_id)
            .await?
            .ok_or(AppError::NotFound("văn bản"))?;
        Ok(PublicDocument {
            files: read.document_files(document.id).await?,
            comments: read.comment_count(id).await?,
            publication,
            document,
        })
    }

    /// A file of publication `id`'s document with its bytes: only while
    /// the publication is visible, only a file of that document.
    pub async fn public_publication_file(
        &self,
        id: PublicationId,
        file: DocumentFileId,
    ) -> Result<(DocumentFile, bytes::Bytes), AppError> {
        let file = self
            .public_publication(id)
            .await?
            .files
            .into_iter()
            .find(|f| f.id == file)
            .ok_or(AppError::NotFound("tệp"))?;
        let bytes = self.blobs.get(&file.sha256).await?;
        Ok((file, bytes))
    }

    /// Records a comment on publication `id`'s consultation: no sign-in;
    /// refused, with nothing stored, outside the period, on a withdrawn
    /// publication or one without consultation, or when the draft breaks
    /// a rule.
    pub async fn submit_comment(
        &self,
        id: PublicationId,
        draft: CommentDraft,
    ) -> Result<Comment, AppError> {
        let draft = draft.checked().map_err(refused)?;
        let tx = self.store.write().await?;
        let publication = tx
            .publication(id)
            .await?
            .ok_or(AppError::NotFound("văn bản"))?;
        let now = self.now();
        publication.accepts_comments(now).map_err(refused)?;
        let optional = |s: String| (!s.is_empty()).then_some(s);
        let mut comment = Comment {
            id: 0,
            publication_id: id,
            name: draft.name,
            contact: optional(draft.contact),
            organisation: optional(draft.organisation),
            body: draft.body,
            received_at: domain::to_stored_precision(now),
        };
        comment.id = tx.insert_comment(&comment).await?;
        tx.commit().await?;
        Ok(comment)
    }

    /// The comments a consultation received, for the site's staff.
    pub async fn consultation_comments(
        &self,
        ctx: &Ctx,
        id: PublicationId,
    ) -> Result<Vec<Comment>, AppError> {
        let publication = self.publication_record(id).await?;
        let site = self.site_record(publication.site_id).await?;
        self.require_site_staff(ctx, &site, SiteAction::SeeUnpublished)
            .await?;
        Ok(self.store.read().await?.comments(id).await?)
    }

    /// Publication `id` with its document, for the site's staff.
    pub async fn staff_publication(
        &self,
        ctx: &Ctx,
        id: PublicationId,
    ) -> Result<(Publication, Document), AppError> {
        let publication = self.publication_record(id).await?;
        let site = self.site_record(publication.site_id).await?;
        self.require_site_staff(ctx, &site, SiteAction::SeeUnpublished)
            .await?;
        let document = self
            .store
            .read()
            .await?
            .document(publication.document_id)
            .await?
            .ok_or(AppError::NotFound("văn bản"))?;
        Ok((publication, document))
    }
}
