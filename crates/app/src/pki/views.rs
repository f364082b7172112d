//! Who sees which certificates: the CA operator all of them; a head of
//! agency and a clerk those of their agencies and the people in them;
//! everyone their own.

use domain::authz::Permission;
use domain::pki::{CertificateRecord, Holder};
use store::pki::CertificateFilter;

use crate::{App, AppError, Ctx};

impl App {
    /// The certificates the actor may list, newest first.
    pub async fn certificates_for(
        &self,
        ctx: &Ctx,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<CertificateRecord>, AppError> {
        let limit = limit.clamp(1, 500);
        let Some(actor) = &ctx.actor else {
            return self
                .listed(CertificateFilter {
                    limit,
                    offset,
                    ..CertificateFilter::default()
                })
                .await;
        };
        if !actor.roots_of(Permission::OperateCa).is_empty() {
            return self
                .listed(CertificateFilter {
                    limit,
                    offset,
                    ..CertificateFilter::default()
                })
                .await;
        }
        let mut agencies = Vec::new();
        for permission in [
            Permission::ApproveCertificateRequests,
            Permission::RegisterDocuments,
        ] {
            for root in actor.roots_of(permission) {
                agencies.extend(self.subtree(root).await?);
            }
        }
        let mut found = self
            .listed(CertificateFilter {
                holder: Some(Holder::Person(actor.person_id)),
                limit: 500,
                ..CertificateFilter::default()
            })
            .await?;
        if !agencies.is_empty() {
            agencies.sort_unstable();
            agencies.dedup();
            found.extend(
                self.listed(CertificateFilter {
                    agencies: Some(agencies),
                    holders_only: true,
                    limit: 500,
                    ..CertificateFilter::default()
                })
                .await?,
            );
        }
        found.sort_by(|a, b| {
            b.issued_at
                .cmp(&a.issued_at)
                .then_with(|| a.serial.cmp(&b.serial))
        });
        found.dedup_by(|a, b| a.serial == b.serial);
        Ok(found
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect())
    }

    async fn listed(&self, filter: CertificateFilter) -> Result<Vec<CertificateRecord>, AppError> {
        Ok(self.store.read().await?.certificates(&filter).await?)
    }
}
