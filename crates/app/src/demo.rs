//! The demo province: Trà Vinh as of April 2021, loaded idempotently.
//!
//! Invariant: loading twice changes nothing the second time; every record
//! is created through the same use cases (and audit trail) as by people.
//! Other areas add their demo records here as they arrive.

use std::collections::HashMap;
use std::path::Path;

use domain::agencies::{AgencyCode, AgencyDraft, AgencyId, AgencyKind};
use domain::people::{PersonDraft, Role};
use serde::Deserialize;
use time::Date;
use time::macros::date;

mod catalogue;
mod certificates;
mod documents;
mod dossiers;
mod grassroots;
mod inspections;
mod licences;
mod mailboxes;
mod portal;
mod portal_documents;
mod portal_documents_texts;
mod portal_texts;
mod reception;
mod staff;

pub use certificates::DEMO_PASSPHRASE;
pub use documents::sample_pdf;

use crate::people::NewPerson;
use crate::{App, AppError, Ctx};

const DATA: &str = include_str!("demo/tra_vinh_2021.toml");

/// The demo administrator, an administrator of the whole province.
pub const ADMIN_EMAIL: &str = "quantri@travinh.gov.vn";
const ADMIN_PASSWORD_FILE: &str = "demo-admin-password.txt";
/// The day the districts and communes of the old province ended.
const PROVINCE_MERGER: Date = date!(2025 - 07 - 01);
const PROVINCE_FOUNDED: Date = date!(1992 - 05 - 01);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoData {
    agency: Vec<DemoAgency>,
    district: Vec<DemoDistrict>,
    person: Vec<DemoPerson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAgency {
    code: AgencyCode,
    name: String,
    short: String,
    kind: AgencyKind,
    parent: Option<AgencyCode>,
    from: Option<Date>,
    to: Option<Date>,
    successor: Option<AgencyCode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDistrict {
    code: AgencyCode,
    name: String,
    short: String,
    from: Option<Date>,
    communes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPerson {
    name: String,
    position: String,
    agency: AgencyCode,
    email: String,
    roles: Vec<Role>,
}

/// What a demo load did.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub agencies_created: usize,
    pub people_created: usize,
    pub admin_email: String,
    pub admin_password: String,
}

/// Agencies in load order (parents before children), with the successor
/// links to set once everything exists.
fn agencies(data: &DemoData) -> Result<Vec<DemoAgency>, AppError> {
    let bad = |e: domain::agencies::InvalidAgencyCode| AppError::Internal(e.to_string());
    let mut out: Vec<DemoAgency> = Vec::new();
    let root = data.agency.first().map(|a| a.code.clone());
    for agency in &data.agency {
        out.push(DemoAgency {
            code: agency.code.clone(),
            name: agency.name.clone(),
            short: agency.short.clone(),
            kind: agency.kind,
            parent: agency.parent.clone(),
            from: agency.from,
            to: agency.to.or_else(|| {
                // Every body of the old province ended with it, unless the
                // data says otherwise.
                (agency.code.as_str().ends_with("H59")).then_some(PROVINCE_MERGER)
            }),
            successor: agency.successor.clone(),
        });
    }
    for district in &data.district {
        out.push(DemoAgency {
            code: district.code.clone(),
            name: district.name.clone(),
            short: district.short.clone(),
            kind: AgencyKind::DistrictCommittee,
            parent: root.clone(),
            from: district.from,
            to: Some(PROVINCE_MERGER),
            successor: None,
        });
        // Commune codes fill the third level under the district's number.
        let district_number = &district.code.as_str()[7..9];
        for (i, commune) in district.communes.iter().enumerate() {
            let code: AgencyCode = format!("000.{:02}.{district_number}.H59", i + 1)
                .parse()
                .map_err(bad)?;
            out.push(DemoAgency {
                code,
                name: format!("Ủy ban nhân dân {}", lowercase_first(commune)),
                short: "UBND".into(),
                kind: AgencyKind::CommuneCommittee,
                parent: Some(district.code.clone()),
                from: district.from,
                to: Some(PROVINCE_MERGER),
                successor: None,
            });
        }
    }
    Ok(out)
}

fn lowercase_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

impl App {
    /// Loads the demo province; `progress(done, total)` is called after
    /// each record.
    pub async fn load_demo(
        &self,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<DemoSummary, AppError> {
        let data: DemoData =
            toml::from_str(DATA).map_err(|e| AppError::Internal(format!("demo data: {e}")))?;
        let ctx = Ctx::system("job:demo");
        let agencies = agencies(&data)?;
        let total = agencies.len() + data.person.len() + 1;
        let mut done = 0;
        let mut ids: HashMap<AgencyCode, AgencyId> = HashMap::new();
        let mut agencies_created = 0;
        for agency in &agencies {
            let existing = self
                .store
                .read()
                .await?
                .agency_by_code(&agency.code)
                .await?;
            let id = match existing {
                Some(found) => found.id,
                None => {
                    let parent_id = agency.parent.as_ref().and_then(|p| ids.get(p).copied());
                    let draft = AgencyDraft {
                        code: agency.code.clone(),
                        name: agency.name.clone(),
                        short_name: agency.short.clone(),
                        kind: agency.kind,
                        parent_id,
                        effective_from: agency.from.unwrap_or(PROVINCE_FOUNDED),
                        effective_to: agency.to,
                        successor_id: None,
                    };
                    agencies_created += 1;
                    self.create_agency(&ctx, draft).await?.id
                }
            };
            ids.insert(agency.code.clone(), id);
            done += 1;
            progress(done, total);
        }
        self.link_successors(&ctx, &agencies, &ids).await?;
        let mut people_created = 0;
        for person in &data.person {
            let agency_id = *ids
                .get(&person.agency)
                .ok_or(AppError::NotFound("cơ quan"))?;
            if self
                .store
                .read()
                .await?
                .person_for_login(&person.email)
                .await?
                .is_none()
            {
                let draft = PersonDraft {
                    full_name: person.name.clone(),
                    position: person.position.clone(),
                    agency_id,
                    email: person.email.clone(),
                    phone: None,
                };
                self.create_person(
                    &ctx,
                    NewPerson {
                        draft,
                        roles: person.roles.clone(),
                        password: None,
                    },
                )
                .await?;
                people_created += 1;
            }
            done += 1;
            progress(done, total);
        }
        let root = *ids
            .get(&agencies[0].code)
            .ok_or(AppError::NotFound("cơ quan"))?;
        let (admin_password, admin_created) = self.demo_admin(&ctx, root).await?;
        people_created += usize::from(admin_created);
        self.load_demo_catalogue(&ctx).await?;
        self.load_demo_mailboxes(&ctx).await?;
        self.load_demo_licences(&ctx).await?;
        self.load_demo_grassroots(&ctx).await?;
        self.load_demo_staff(&ctx).await?;
        self.load_demo_inspections(&ctx).await?;
        self.load_demo_reception(&ctx).await?;
        self.load_demo_portal(&ctx).await?;
        progress(total, total);
        Ok(DemoSummary {
            agencies_created,
            people_created,
            admin_email: ADMIN_EMAIL.into(),
            admin_password,
        })
    }

    /// Successors point forward in time, so they are linked once every
    /// agency exists.
    async fn link_successors(
        &self,
        ctx: &Ctx,
        agencies: &[DemoAgency],
        ids: &HashMap<AgencyCode, AgencyId>,
    ) -> Result<(), AppError> {
        for agency in agencies.iter().filter(|a| a.successor.is_some()) {
            let (Some(id), Some(successor)) = (
                ids.get(&agency.code),
                agency.successor.as_ref().and_then(|s| ids.get(s)),
            ) else {
                continue;
            };
            let current = self.agency(*id).await?;
            if current.successor_id != Some(*successor) {
                let draft = AgencyDraft {
                    code: current.code,
                    name: current.name,
                    short_name: current.short_name,
                    kind: current.kind,
                    parent_id: current.parent_id,
                    effective_from: current.effective_from,
                    effective_to: current.effective_to,
                    successor_id: Some(*successor),
                };
                self.update_agency(ctx, *id, draft).await?;
            }
        }
        Ok(())
    }

    /// Creates the demo administrator if missing, and makes sure the
    /// password kept in the data folder works.
    async fn demo_admin(&self, ctx: &Ctx, root: AgencyId) -> Result<(String, bool), AppError> {
        let file = self.config.data_dir.join(ADMIN_PASSWORD_FILE);
        let existing = self
            .store
            .read()
            .await?
            .person_for_login(ADMIN_EMAIL)
            .await?;
        let saved = std::fs::read_to_string(&file)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let person_id = match existing {
            Some((person, _)) => {
                if let Some(password) = saved {
                    return Ok((password, false));
                }
                person.id
            }
            None => {
                let draft = PersonDraft {
                    full_name: "Quản trị hệ thống".into(),
                    position: "Quản trị viên".into(),
                    agency_id: root,
                    email: ADMIN_EMAIL.into(),
                    phone: None,
                };
                let new = NewPerson {
                    draft,
                    roles: vec![Role::Admin, Role::Auditor],
                    password: None,
                };
                self.create_person(ctx, new).await?.id
            }
        };
        let token = crate::auth::random_token()?;
        let password = format!("Tv{}!{}", &token[..6], &token[6..14]);
        self.set_password(ctx, person_id, &password).await?;
        write_private(&file, &password)?;
        Ok((password, true))
    }
}

/// Writes a secret readable by its owner only.
fn write_private(path: &Path, text: &str) -> Result<(), AppError> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options
        .open(path)
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
    file.write_all(text.as_bytes())
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))
}
