//! Citizen reception and petitions' use cases (issue 10): the reception
//! calendar, visits, petitions and their steps, and the report's figures.
//!
//! Invariant: every record this module hands out has gone through
//! [`App::reception_reader`] and `domain::reception::parties::shown_to`,
//! so the UI and any API get the personal data only where the rule lets
//! them; audit entries carry the redacted record.

pub mod days;
pub mod figures;
pub mod petitions;

use std::collections::HashMap;

use domain::agencies::AgencyId;
use domain::authz::{Actor, Permission};
use domain::people::{Person, PersonStatus};
use domain::reception::parties::Reader;

use crate::{App, AppError, Ctx};

/// Whom each agency's records are shown to: the reader, with whether they
/// decide petitions there, worked out once per agency of a list.
pub(crate) struct Readers<'a> {
    app: &'a App,
    ctx: &'a Ctx,
    known: HashMap<AgencyId, Reader>,
}

impl Readers<'_> {
    pub(crate) async fn of(&mut self, agency: AgencyId) -> Result<Reader, AppError> {
        if let Some(reader) = self.known.get(&agency) {
            return Ok(*reader);
        }
        let reader = self.app.reception_reader(self.ctx, agency).await?;
        self.known.insert(agency, reader);
        Ok(reader)
    }
}

impl App {
    /// Who `ctx` is to the records of `agency`, for the visibility rule.
    pub async fn reception_reader(&self, ctx: &Ctx, agency: AgencyId) -> Result<Reader, AppError> {
        Ok(match &ctx.actor {
            None => Reader::System,
            Some(actor) => Reader::Person {
                id: actor.person_id,
                decides: actor.may(Permission::AssignPetitions, &self.lineage(agency).await?),
            },
        })
    }

    pub(crate) fn reception_readers<'a>(&'a self, ctx: &'a Ctx) -> Readers<'a> {
        Readers {
            app: self,
            ctx,
            known: HashMap::new(),
        }
    }

    /// Fails unless `ctx` may do one of `permissions` on `agency`'s data.
    async fn require_one_of(
        &self,
        ctx: &Ctx,
        permissions: &[Permission],
        agency: AgencyId,
    ) -> Result<(), AppError> {
        let lineage = self.lineage(agency).await?;
        if permissions
            .iter()
            .any(|p| ctx.require(*p, &lineage).is_ok())
        {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// An active person of `agency`'s tree (in it, below or above it)
    /// who may do `permission` on its data: the leader of a reception
    /// day, the handler of a petition.
    async fn reception_person(
        &self,
        id: domain::people::PersonId,
        agency: AgencyId,
        permission: Option<Permission>,
    ) -> Result<Person, AppError> {
        let person = self
            .store
            .read()
            .await?
            .person(id)
            .await?
            .ok_or(AppError::NotFound("cán bộ"))?;
        let lineage = self.lineage(agency).await?;
        let tree = self.subtree(agency).await?;
        if !(lineage.contains(&person.agency_id) || tree.contains(&person.agency_id)) {
            return Err(AppError::Invalid(format!(
                "{} không thuộc cơ quan này",
                person.full_name
            )));
        }
        if person.status != PersonStatus::Active {
            return Err(AppError::Invalid(format!(
                "{} không còn hoạt động",
                person.full_name
            )));
        }
        if let Some(permission) = permission {
            let actor = Actor {
                person_id: person.id,
                agency_id: person.agency_id,
                grants: person.grants.clone(),
            };
            if !actor.may(permission, &lineage) {
                return Err(AppError::Invalid(format!(
                    "{} không có thẩm quyền này đối với cơ quan",
                    person.full_name
                )));
            }
        }
        Ok(person)
    }
}
