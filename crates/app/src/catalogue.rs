//! The procedure catalogue (issue 8): an agency's catalogue read, searched
//! and exported (JSON or the clerks' XLSX), imported all or nothing, each
//! procedure's versions and when each reached the National Public Service
//! Portal, the forms kept in the blob store, and the report's figures.
//!
//! Invariant: an import is one write transaction with one audit entry; a
//! bad row, an unknown form or a change that cannot become a version
//! refuses the whole file and stores nothing. Importing a national code
//! already in the catalogue adds a version only when something changed,
//! so importing the same file twice changes nothing the second time.
//! Reading the catalogue needs no right beyond signing in: it is public,
//! as on the national portal; importing and recording publications are
//! the agency administrator's (`Permission::ManageProcedures`).

use std::collections::BTreeMap;

use bytes::Bytes;
use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::catalogue::{
    Catalogue, FormFile, LevelFigures, Limits, Outcome, outcome, published_by, read_json, sheet,
    write_json,
};
use domain::documents::DOCUMENT_FILE_TYPES;
use domain::files::UploadPolicy;
use domain::services::{Procedure, ProcedureId};
use serde_json::json;
pub use store::catalogue::Publication;
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// The two interchange forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xlsx,
}

impl Format {
    /// The form a file name's extension names.
    pub fn of_name(name: &str) -> Option<Self> {
        let extension = std::path::Path::new(name.trim()).extension()?;
        [Self::Json, Self::Xlsx]
            .into_iter()
            .find(|f| extension.eq_ignore_ascii_case(f.extension()))
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// What an import did, by national code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: Vec<String>,
    pub versioned: Vec<String>,
    pub unchanged: Vec<String>,
}

/// A procedure of the catalogue list: its current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueItem {
    pub procedure: Procedure,
    /// Versions kept, this one included.
    pub versions: usize,
    /// When a version of it was first published nationally.
    pub published_on: Option<Date>,
}

/// The report's catalogue figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueFigures {
    pub levels: LevelFigures,
    /// Procedures published on the national portal by the day.
    pub published: u64,
}

/// The latest version of each national code, in code order.
fn current(versions: Vec<Procedure>) -> Vec<(Procedure, usize)> {
    let mut latest: BTreeMap<String, (Procedure, usize)> = BTreeMap::new();
    for p in versions {
        let slot = latest
            .entry(p.national_code.clone())
            .or_insert_with(|| (p.clone(), 0));
        slot.1 += 1;
        if p.version >= slot.0.version {
            slot.0 = p;
        }
    }
    latest.into_values().collect()
}

impl App {
    /// The forms' bounds: the upload limit of the configuration.
    fn catalogue_limits(&self) -> Limits {
        let upload = usize::try_from(self.config.files.max_upload_mib).unwrap_or(usize::MAX);
        Limits {
            max_bytes: upload
                .saturating_mul(1 << 20)
                .min(Limits::default().max_bytes),
            ..Limits::default()
        }
    }

    /// `agency`'s catalogue: the current version of each procedure whose
    /// code, name or field contains `query` (accents and case ignored).
    pub async fn catalogue(
        &self,
        agency: AgencyId,
        query: &str,
    ) -> Result<Vec<CatalogueItem>, AppError> {
        let tx = self.store.read().await?;
        let versions = tx.catalogue_versions(&[agency]).await?;
        let publications = tx.publications(&[agency]).await?;
        let wanted = vn::text::fold(query.trim());
        Ok(current(versions)
            .into_iter()
            .filter(|(p, _)| {
                let text = format!(
                    "{} {} {}",
                    p.national_code,
                    p.name,
                    p.field.as_deref().unwrap_or_default()
                );
                vn::text::fold(&text).contains(&wanted)
            })
            .map(|(procedure, versions)| CatalogueItem {
                published_on: publications
                    .iter()
                    .filter(|(_, _, code)| *code == procedure.national_code)
                    .map(|(p, _, _)| p.published_on)
                    .min(),
                procedure,
                versions,
            })
            .collect())
    }

    /// Every version of the procedure `id` is one of, oldest first, each
    /// with its publication record.
    pub async fn procedure_history(
        &self,
        id: ProcedureId,
    ) -> Result<Vec<(Procedure, Option<Publication>)>, AppError> {
        let procedure = self.procedure(id).await?;
        let tx = self.store.read().await?;
        let versions = tx
            .procedure_versions(procedure.agency_id, &procedure.national_code)
            .await?;
        let publications = tx.publications(&[procedure.agency_id]).await?;
        Ok(versions
            .into_iter()
            .map(|v| {
                let published = publications
                    .iter()
                    .find(|(p, _, _)| p.procedure_id == v.id)
                    .map(|(p, _, _)| p.clone());
                (v, published)
            })
            .collect())
    }

    /// `agency`'s catalogue (current versions) in `format`.
    pub async fn export_catalogue(
        &self,
        agency: AgencyId,
        format: Format,
    ) -> Result<Vec<u8>, AppError> {
        let code = self.agency(agency).await?.code.to_string();
        let versions = self
            .store
            .read()
            .await?
            .catalogue_versions(&[agency])
            .await?;
        let catalogue = Catalogue {
            agency: code,
            entries: current(versions).iter().map(|(p, _)| p.entry()).collect(),
        };
        match format {
            Format::Json => Ok(write_json(&catalogue)),
            Format::Xlsx => tokio::task::spawn_blocking(move || sheet::write(&catalogue))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(|e| AppError::Internal(e.to_string())),
        }
    }

    /// Reads a catalogue file off the async threads, under the limits.
    async fn read_catalogue(&self, format: Format, bytes: Bytes) -> Result<Catalogue, AppError> {
        let limits = self.catalogue_limits();
        tokio::task::spawn_blocking(move || match format {
            Format::Json => read_json(&bytes, &limits),
            Format::Xlsx => sheet::read(&bytes, &limits),
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::invalid)
    }

    /// Imports a catalogue file into `agency`, all or nothing.
    pub async fn import_catalogue(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        format: Format,
        bytes: Bytes,
    ) -> Result<ImportSummary, AppError> {
        ctx.require(Permission::ManageProcedures, &self.lineage(agency).await?)?;
        let catalogue = self.read_catalogue(format, bytes).await?;
        let mut tx = self.store.write().await?;
        let mut summary = ImportSummary::default();
        for entry in &catalogue.entries {
            for form in entry.details.papers.iter().filter_map(|p| p.form.as_ref()) {
                if tx.blob(&form.sha256).await?.is_none() {
                    return Err(AppError::Invalid(format!(
                        "Thủ tục {}: tệp mẫu đơn «{}» (SHA-256 {}) chưa có trong kho tệp; hãy tải tệp lên trước",
                        entry.national_code, form.name, form.sha256
                    )));
                }
            }
            let versions = tx.procedure_versions(agency, &entry.national_code).await?;
            let latest = versions.iter().max_by_key(|p| p.version);
            let code = entry.national_code.clone();
            match outcome(latest, entry).map_err(AppError::invalid)? {
                Outcome::Unchanged => summary.unchanged.push(code),
                Outcome::New => {
                    tx.insert_procedure(&entry.placed(agency, 1), self.now())
                        .await?;
                    summary.created.push(code);
                }
                Outcome::Versioned {
                    version,
                    close_current,
                } => {
                    if let (Some(latest), Some(day)) = (latest, close_current) {
                        tx.close_procedure(latest.id, day).await?;
                    }
                    tx.insert_procedure(&entry.placed(agency, version), self.now())
                        .await?;
                    summary.versioned.push(code);
                }
            }
        }
        if summary.created.is_empty() && summary.versioned.is_empty() {
            // Nothing to write: the transaction ends unused.
            return Ok(summary);
        }
        let change = Change {
            action: "catalogue.import",
            object_type: "agency",
            object_id: agency.to_string(),
            before: None,
            after: Some(json!({
                "created": summary.created,
                "versioned": summary.versioned,
                "unchanged": summary.unchanged.len(),
            })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// Records that a procedure version was published on the National
    /// Public Service Portal on `day` (once per version, not in the future).
    pub async fn record_publication(
        &self,
        ctx: &Ctx,
        id: ProcedureId,
        day: Date,
    ) -> Result<Publication, AppError> {
        let procedure = self.procedure(id).await?;
        ctx.require(
            Permission::ManageProcedures,
            &self.lineage(procedure.agency_id).await?,
        )?;
        if day > vn::dates::vietnam_date(self.now()) {
            return Err(AppError::Invalid(
                "Ngày công bố trên Cổng Dịch vụ công quốc gia không thể sau hôm nay".into(),
            ));
        }
        let mut tx = self.store.write().await?;
        let known = tx.publications(&[procedure.agency_id]).await?;
        if known.iter().any(|(p, _, _)| p.procedure_id == id) {
            return Err(AppError::Invalid(format!(
                "Phiên bản {} của thủ tục {} đã được ghi nhận công bố",
                procedure.version, procedure.national_code
            )));
        }
        let publication = Publication {
            procedure_id: id,
            published_on: day,
            recorded_by: ctx.actor.as_ref().map(|a| a.person_id),
            recorded_at: domain::to_stored_precision(self.now()),
        };
        tx.insert_publication(&publication).await?;
        let change = Change {
            action: "procedure.publish",
            object_type: "procedure",
            object_id: id.to_string(),
            before: None,
            after: Some(json!({ "published_on": day.to_string() })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(publication)
    }

    /// Keeps a form (mẫu đơn, tờ khai) of `agency`'s catalogue in the blob
    /// store, checked as a document file, to be named by an import.
    pub async fn save_form(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        name: &str,
        bytes: Bytes,
    ) -> Result<FormFile, AppError> {
        ctx.require(Permission::ManageProcedures, &self.lineage(agency).await?)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::Invalid("Tệp mẫu đơn phải có tên".into()));
        }
        let policy = UploadPolicy {
            max_bytes: u64::from(self.config.files.max_upload_mib) * 1024 * 1024,
            allowed: DOCUMENT_FILE_TYPES,
        };
        let blob = self.save_file(ctx, bytes, policy).await?;
        Ok(FormFile {
            name: name.to_owned(),
            sha256: blob.sha256,
        })
    }

    /// The catalogue figures of `root` and every agency below it on `day`.
    pub async fn catalogue_figures(
        &self,
        ctx: &Ctx,
        root: AgencyId,
        day: Date,
    ) -> Result<CatalogueFigures, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(root).await?)?;
        let agencies = self.subtree(root).await?;
        let tx = self.store.read().await?;
        let versions = tx.catalogue_versions(&agencies).await?;
        let publications: Vec<(AgencyId, String, Date)> = tx
            .publications(&agencies)
            .await?
            .into_iter()
            .map(|(p, agency, code)| (agency, code, p.published_on))
            .collect();
        Ok(CatalogueFigures {
            levels: LevelFigures::of(&versions, day),
            published: published_by(&publications, day),
        })
    }
}
