//! What a person may see of the mailbox registry: the lists of boxes and
//! requests, a request with its boxes and whose turn it is, one's own
//! boxes, and the report's figures — each scoped by the person's grants.
//! The department's mail operators see the whole province; the staff of
//! an agency see its boxes and requests and those below it (as they see
//! its people), and their figures (as they see its registers' figures).

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::mail::figures::MailFigures;
use domain::mail::mailboxes::Mailbox;
use domain::mail::requests::{Decider, MailboxRequest, RequestId, RequestStatus};
pub use store::mail::mailboxes::MailboxFilter;
use time::Date;

use crate::{App, AppError, Ctx};

/// Requests a list shows at most.
pub const MAX_REQUESTS: u64 = 200;

impl App {
    /// The agencies whose boxes and requests `ctx` may see: `None` for all
    /// (an operator, or the system), else the subtrees of the agencies
    /// where they hold `permission`.
    async fn mail_scope(
        &self,
        ctx: &Ctx,
        permission: Permission,
    ) -> Result<Option<Vec<AgencyId>>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(None);
        };
        if !actor.roots_of(Permission::OperateMail).is_empty() {
            return Ok(None);
        }
        let mut scope = Vec::new();
        for root in actor.roots_of(permission) {
            scope.extend(self.subtree(root).await?);
        }
        if scope.is_empty() {
            return Err(AppError::Forbidden);
        }
        scope.sort_unstable();
        scope.dedup();
        Ok(Some(scope))
    }

    /// A page of the boxes `filter` selects among those `ctx` may see,
    /// and how many there are. A filter's agencies outside the scope are
    /// left out.
    pub async fn mailbox_list(
        &self,
        ctx: &Ctx,
        mut filter: MailboxFilter,
        page: (u64, u64),
    ) -> Result<(Vec<Mailbox>, u64), AppError> {
        if let Some(scope) = self.mail_scope(ctx, Permission::ViewPeople).await? {
            filter.agencies = Some(match filter.agencies {
                Some(wanted) => wanted.into_iter().filter(|a| scope.contains(a)).collect(),
                None => scope,
            });
        }
        Ok(self
            .store
            .read()
            .await?
            .mailboxes_page(&filter, page)
            .await?)
    }

    /// The signed-in person's own boxes, whatever their status.
    pub async fn my_mailboxes(&self, ctx: &Ctx) -> Result<Vec<Mailbox>, AppError> {
        let actor = ctx.actor.as_ref().ok_or(AppError::Unauthenticated)?;
        let filter = MailboxFilter {
            person: Some(actor.person_id),
            ..MailboxFilter::default()
        };
        Ok(self.store.read().await?.mailboxes(&filter, 100).await?)
    }

    /// The latest requests `ctx` may see, in `statuses` (all when empty).
    pub async fn mail_request_list(
        &self,
        ctx: &Ctx,
        statuses: &[RequestStatus],
    ) -> Result<Vec<MailboxRequest>, AppError> {
        let scope = self.mail_scope(ctx, Permission::ViewPeople).await?;
        Ok(self
            .store
            .read()
            .await?
            .mail_requests(scope.as_deref(), statuses, MAX_REQUESTS)
            .await?)
    }

    /// Request `id` with its boxes, and who decides next if it is `ctx`'s
    /// turn: the agency's head (never the requester), then the operator.
    pub async fn mail_request_page(
        &self,
        ctx: &Ctx,
        id: RequestId,
    ) -> Result<(MailboxRequest, Vec<Mailbox>, Option<Decider>), AppError> {
        let read = self.store.read().await?;
        let request = read
            .mail_request(id)
            .await?
            .ok_or(AppError::NotFound("đề nghị cấp hộp thư"))?;
        let filter = MailboxFilter {
            request: Some(id),
            ..MailboxFilter::default()
        };
        let boxes = read.mailboxes(&filter, u64::MAX).await?;
        drop(read);
        let lineage = self.lineage(request.agency_id).await?;
        let operator = ctx.require_anywhere(Permission::OperateMail).is_ok();
        if !operator {
            ctx.require(Permission::ViewPeople, &lineage)?;
        }
        let me = ctx.actor.as_ref().map(|a| a.person_id);
        let turn = match request.status {
            RequestStatus::Submitted
                if me != Some(request.requested_by)
                    && ctx
                        .require(Permission::ApproveMailboxRequests, &lineage)
                        .is_ok() =>
            {
                Some(Decider::AgencyHead)
            }
            RequestStatus::AgencyApproved if operator => Some(Decider::Department),
            _ => None,
        };
        Ok((request, boxes, turn))
    }

    /// The report's figures for the days `from` to `to` by agency: the
    /// province's for an operator, else those of the agencies where `ctx`
    /// sees the registers and below them.
    pub async fn mail_figures_for(
        &self,
        ctx: &Ctx,
        (from, to): (Date, Date),
    ) -> Result<Vec<(AgencyId, MailFigures)>, AppError> {
        crate::period::checked((from, to))?;
        let scope = self.mail_scope(ctx, Permission::ViewRegisters).await?;
        self.mail_figures((from, to), scope.as_deref()).await
    }
}
