//! The demo CA: set up with the configured keys, then real certificates
//! for the demo province's staff (personal, on USB tokens, a few on SIM
//! PKI) and for each department and district directly under the
//! province's people's committee (organisation certificates, held by
//! their clerks).
//!
//! The holders' keys are made here, in the CA's own key store (sealed
//! with the CA's passphrase, or on its token), and their certificates
//! name them (`key_ref`), so that the demo can sign documents on their
//! behalf. In real life a USB token's or SIM's key never leaves it and
//! only the CSR comes in; the recorded token kind is the demo's story.

use domain::agencies::{AgencyId, AgencyKind};
use domain::pki::{Holder, Profile, TokenKind};
use pki::{Digest, KeySpec};

use crate::pki::IssueInput;
use crate::{App, AppError, Ctx};

/// Seals the demo CA's keys when no passphrase is configured. It is
/// public, so the demo CA must never issue real certificates.
pub const DEMO_PASSPHRASE: &str = "egov demo CA — không dùng thật";

impl App {
    /// Sets up the CA if needed and issues the demo certificates missing;
    /// returns how many were issued.
    pub async fn load_demo_certificates(
        &self,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize, AppError> {
        let ctx = Ctx::system("job:demo");
        if self.authorities().await?.is_empty() {
            self.pki_init(&ctx).await?;
        }
        let mut holders: Vec<(Holder, TokenKind)> = Vec::new();
        let all = self.all_agencies().await?;
        // The demo province is the oldest root (Trà Vinh; its 2025 successor
        // came later).
        let root: Option<AgencyId> = all
            .iter()
            .filter(|a| a.parent_id.is_none())
            .min_by_key(|a| a.effective_from)
            .map(|a| a.id);
        let people = self
            .store
            .read()
            .await?
            .people_in(&all.iter().map(|a| a.id).collect::<Vec<_>>())
            .await?;
        for (n, person) in people
            .iter()
            .filter(|p| p.email != super::ADMIN_EMAIL)
            .enumerate()
        {
            // About one in four on SIM PKI, as the report's split suggests.
            let token = if n % 4 == 3 {
                TokenKind::Sim
            } else {
                TokenKind::Usb
            };
            holders.push((Holder::Person(person.id), token));
        }
        let organisation =
            |kind| matches!(kind, AgencyKind::Department | AgencyKind::DistrictCommittee);
        for agency in all
            .iter()
            .filter(|a| a.parent_id.is_some() && a.parent_id == root && organisation(a.kind))
        {
            holders.push((Holder::Agency(agency.id), TokenKind::Usb));
        }
        let total = holders.len();
        let mut issued = 0;
        for (done, (holder, token)) in holders.into_iter().enumerate() {
            let has = !self
                .store
                .read()
                .await?
                .certificates(&store::pki::CertificateFilter {
                    holder: Some(holder),
                    limit: 1,
                    ..Default::default()
                })
                .await?
                .is_empty();
            if !has {
                let profile = match holder {
                    Holder::Agency(_) => Profile::Organization,
                    _ => Profile::Personal,
                };
                let (subject, _) = self.holder_subject(holder).await?;
                let provider = self.key_provider()?;
                let (key_ref, csr) = tokio::task::spawn_blocking(move || {
                    let (key_ref, key) =
                        provider.generate(&subject.common_name, KeySpec::EcP256)?;
                    let csr = pki::csr::build(key.as_ref(), Digest::Sha256, &subject)?;
                    Ok::<_, AppError>((key_ref.to_string(), csr))
                })
                .await
                .map_err(|e| AppError::Internal(format!("khóa mẫu: {e}")))??;
                let input = IssueInput {
                    holder,
                    profile,
                    token,
                    csr: Some(csr),
                    dns_names: Vec::new(),
                    replaces: None,
                    request: None,
                };
                let mut tx = self.store.write().await?;
                self.issue_in(&mut tx, &ctx, input, Some(key_ref)).await?;
                tx.commit().await?;
                issued += 1;
            }
            progress(done + 1, total);
        }
        Ok(issued)
    }
}
