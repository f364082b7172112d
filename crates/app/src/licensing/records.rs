//! Recording licences: a first issue, a renewal (a new licence that
//! supersedes the old one from its issue), a revocation. Each is one
//! write transaction with its audit entry; numbers come from the kind's
//! counter of the year unless given (a frequency licence carries the
//! national authority's number).

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::licensing::{Holder, Licence, LicenceError, LicenceId, LicenceKind};
use domain::services::Channel;
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// What a form gives for a first issue.
#[derive(Debug, Clone)]
pub struct NewLicence {
    pub kind: LicenceKind,
    pub agency_id: AgencyId,
    pub terms: Terms,
    pub holder: Holder,
    pub subject: String,
    pub assessed_year: Option<i32>,
    pub issuer: Option<String>,
}

/// What a first issue and a renewal both give.
#[derive(Debug, Clone)]
pub struct Terms {
    /// `None`: the next number of the kind and year.
    pub number: Option<String>,
    pub issued_on: Date,
    /// `None`: the kind's longest term (none for kinds without one).
    pub valid_until: Option<Date>,
    /// Ignored when a dossier is given: its channel counts.
    pub channel: Channel,
    pub dossier_code: Option<String>,
}

/// A rule's refusal as the pages show it, capitalised.
fn invalid(e: impl std::fmt::Display) -> AppError {
    AppError::Invalid(capitalised(&e.to_string()))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `text` as stored: NFC, spaces squashed.
fn clean(text: &str) -> String {
    vn::text::squash_spaces(&vn::text::nfc(text))
}

fn clean_opt(text: Option<String>) -> Option<String> {
    text.map(|t| clean(&t)).filter(|t| !t.is_empty())
}

impl App {
    /// Records a first issue.
    pub async fn issue_licence(&self, ctx: &Ctx, new: NewLicence) -> Result<Licence, AppError> {
        let licence = Licence {
            id: 0,
            number: String::new(),
            kind: new.kind,
            agency_id: new.agency_id,
            holder: new.holder,
            subject: new.subject,
            assessed_year: new.assessed_year,
            issuer: new.issuer,
            issued_on: new.terms.issued_on,
            valid_until: None,
            channel: new.terms.channel,
            dossier_code: None,
            renews: None,
            renewed_on: None,
            revocation: None,
            signed: None,
        };
        self.record_licence(ctx, licence, new.terms).await
    }

    /// Records the renewal of licence `id` on `terms`: same kind, holder
    /// and subject (the dossier's applicant when one is given).
    pub async fn renew_licence(
        &self,
        ctx: &Ctx,
        id: LicenceId,
        terms: Terms,
    ) -> Result<Licence, AppError> {
        let old = self.licence(ctx, id).await?;
        old.check_renewal(terms.issued_on).map_err(invalid)?;
        let licence = Licence {
            id: 0,
            number: String::new(),
            renews: Some(old.id),
            renewed_on: None,
            revocation: None,
            signed: None,
            dossier_code: None,
            channel: terms.channel,
            issued_on: terms.issued_on,
            valid_until: None,
            ..old.clone()
        };
        self.record_licence(ctx, licence, terms).await
    }

    async fn record_licence(
        &self,
        ctx: &Ctx,
        mut licence: Licence,
        terms: Terms,
    ) -> Result<Licence, AppError> {
        ctx.require(
            Permission::ManageLicences,
            &self.lineage(licence.agency_id).await?,
        )?;
        licence.holder = Holder {
            name: clean(&licence.holder.name),
            id_number: clean_opt(licence.holder.id_number),
            address: clean(&licence.holder.address),
            email: clean_opt(licence.holder.email).map(|e| e.to_lowercase()),
        };
        licence.subject = clean(&licence.subject);
        licence.issuer = clean_opt(licence.issuer);
        licence.valid_until = terms
            .valid_until
            .or_else(|| licence.kind.longest_until(licence.issued_on));
        if let Some(code) = clean_opt(terms.dossier_code) {
            self.take_from_dossier(&mut licence, &code).await?;
        }
        let given = clean_opt(terms.number);
        if given.is_none() && licence.kind.rules().issued_elsewhere {
            return Err(invalid(LicenceError::Missing("số giấy phép")));
        }
        // Checked with a stand-in until the counter gives the number.
        licence.number = given.clone().unwrap_or_else(|| "-".into());
        licence.check(self.today()).map_err(invalid)?;
        let year = licence.issued_on.year();
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        licence.number = match given {
            Some(number) => {
                if tx.licence_number_taken(licence.kind, year, &number).await? {
                    return Err(AppError::Conflict(format!(
                        "Số {number} đã cấp cho một {} khác trong năm {year}",
                        licence.kind.label().to_lowercase()
                    )));
                }
                if let Some(sequence) = licence.kind.sequence_of(&number) {
                    tx.raise_licence_number(licence.kind, year, sequence)
                        .await?;
                }
                number
            }
            None => licence
                .kind
                .number(tx.next_licence_number(licence.kind, year).await?),
        };
        if let Some(renews) = licence.renews {
            // Read again inside the transaction: a renewal or revocation
            // recorded since is seen.
            let mut old = tx
                .licence(renews)
                .await?
                .ok_or(AppError::NotFound("giấy phép"))?;
            old.check_renewal(licence.issued_on).map_err(invalid)?;
            old.renewed_on = Some(licence.issued_on);
            tx.update_licence(&old).await?;
        }
        let actor = ctx.actor.as_ref().map(|a| a.person_id);
        licence.id = tx.insert_licence(&licence, (now, actor)).await?;
        let action = if licence.renews.is_some() {
            "licence.renew"
        } else {
            "licence.issue"
        };
        let change = Change {
            action,
            object_type: "licence",
            object_id: licence.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&licence).unwrap_or_default()),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(licence)
    }

    /// Takes the channel and holder from services dossier `code`, which
    /// must have been received by the recording agency or one above it.
    async fn take_from_dossier(&self, licence: &mut Licence, code: &str) -> Result<(), AppError> {
        let lineage = self.lineage(licence.agency_id).await?;
        let dossier = self
            .store
            .read()
            .await?
            .dossier_by_code(code)
            .await?
            .filter(|d| lineage.contains(&d.agency_id))
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "Không có hồ sơ {code} tiếp nhận tại cơ quan ghi giấy phép"
                ))
            })?;
        licence.channel = dossier.channel;
        licence.dossier_code = Some(dossier.code);
        licence.holder.name = clean(&dossier.applicant.name);
        if let Some(email) = dossier.applicant.email {
            licence.holder.email = Some(email.to_lowercase());
        }
        if let Some(address) = clean_opt(dossier.applicant.address) {
            licence.holder.address = address;
        }
        Ok(())
    }

    /// Revokes licence `id` on `on` for `reason`.
    pub async fn revoke_licence(
        &self,
        ctx: &Ctx,
        id: LicenceId,
        on: Date,
        reason: &str,
    ) -> Result<Licence, AppError> {
        let found = self.licence(ctx, id).await?;
        ctx.require(
            Permission::ManageLicences,
            &self.lineage(found.agency_id).await?,
        )?;
        let today = self.today();
        let mut tx = self.store.write().await?;
        let before = tx
            .licence(id)
            .await?
            .ok_or(AppError::NotFound("giấy phép"))?;
        let mut licence = before.clone();
        licence
            .revoke(on, reason, ctx.actor.as_ref().map(|a| a.person_id), today)
            .map_err(invalid)?;
        tx.update_licence(&licence).await?;
        let change = Change {
            action: "licence.revoke",
            object_type: "licence",
            object_id: id.to_string(),
            before: Some(serde_json::to_value(&before.revocation).unwrap_or_default()),
            after: Some(serde_json::to_value(&licence.revocation).unwrap_or_default()),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(licence)
    }
}
