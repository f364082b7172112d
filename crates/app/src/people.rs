//! Use cases of people and their roles.
//!
//! Invariant: every read of a person's details and every change is checked
//! against the person's agency lineage with `Ctx::require`.

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::people::{Person, PersonDraft, PersonId, PersonStatus, Role, RoleGrant};

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

fn json(person: &Person) -> serde_json::Value {
    serde_json::to_value(person).unwrap_or_default()
}

/// A person to create, with their first roles and password.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub draft: PersonDraft,
    /// Roles held in the person's own agency.
    pub roles: Vec<Role>,
    pub password: Option<String>,
}

impl App {
    /// A person by e-mail, for the operator's command line.
    pub async fn person_by_email(&self, email: &str) -> Result<Person, AppError> {
        let email = email.trim().to_lowercase();
        let found = self.store.read().await?.person_for_login(&email).await?;
        found
            .map(|(person, _)| person)
            .ok_or(AppError::NotFound("người có thư điện tử này"))
    }

    /// One person, if the actor may see the people of their agency.
    pub async fn person(&self, ctx: &Ctx, id: PersonId) -> Result<Person, AppError> {
        let person = self
            .store
            .read()
            .await?
            .person(id)
            .await?
            .ok_or(AppError::NotFound("cán bộ"))?;
        ctx.require(
            Permission::ViewPeople,
            &self.lineage(person.agency_id).await?,
        )?;
        Ok(person)
    }

    /// The people of an agency, and of the agencies below it when asked,
    /// sorted the Vietnamese way (given name, then the rest).
    pub async fn people_of(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        with_subunits: bool,
    ) -> Result<Vec<Person>, AppError> {
        ctx.require(Permission::ViewPeople, &self.lineage(agency).await?)?;
        let scope = if with_subunits {
            self.subtree(agency).await?
        } else {
            vec![agency]
        };
        let mut people = self.store.read().await?.people_in(&scope).await?;
        people.sort_by(|a, b| vn::names::compare_full_names(&a.full_name, &b.full_name));
        Ok(people)
    }

    pub async fn create_person(&self, ctx: &Ctx, new: NewPerson) -> Result<Person, AppError> {
        let draft = new.draft.normalised().map_err(AppError::invalid)?;
        let lineage = self.lineage(draft.agency_id).await?;
        ctx.require(Permission::ManagePeople, &lineage)?;
        if let Some(password) = &new.password {
            domain::auth::check_password_policy(password, &draft.email)
                .map_err(AppError::invalid)?;
        }
        let hash = match new.password {
            Some(password) => Some(
                tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
                    .await
                    .map_err(|e| AppError::Internal(e.to_string()))??,
            ),
            None => None,
        };
        let mut tx = self.store.write().await?;
        let mut person = tx.insert_person(&draft, self.now()).await?;
        for role in new.roles {
            let grant = RoleGrant {
                agency_id: draft.agency_id,
                role,
            };
            tx.grant_role(person.id, grant).await?;
            person.grants.push(grant);
        }
        if let Some(hash) = &hash {
            tx.set_password_hash(person.id, hash).await?;
        }
        let change = Change {
            action: "person.create",
            object_type: "person",
            object_id: person.id.to_string(),
            before: None,
            after: Some(json(&person)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(person)
    }

    pub async fn update_person(
        &self,
        ctx: &Ctx,
        id: PersonId,
        draft: PersonDraft,
    ) -> Result<Person, AppError> {
        let before = self.person(ctx, id).await?;
        ctx.require(
            Permission::ManagePeople,
            &self.lineage(before.agency_id).await?,
        )?;
        let draft = draft.normalised().map_err(AppError::invalid)?;
        ctx.require(
            Permission::ManagePeople,
            &self.lineage(draft.agency_id).await?,
        )?;
        let mut tx = self.store.write().await?;
        tx.update_person(id, &draft).await?;
        let after = tx.person(id).await?.ok_or(AppError::NotFound("cán bộ"))?;
        if after.agency_id != before.agency_id {
            self.suspend_boxes_of(&mut tx, ctx, id, Some(after.agency_id))
                .await?;
        }
        let change = Change {
            action: "person.update",
            object_type: "person",
            object_id: id.to_string(),
            before: Some(json(&before)),
            after: Some(json(&after)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn set_person_status(
        &self,
        ctx: &Ctx,
        id: PersonId,
        status: PersonStatus,
    ) -> Result<(), AppError> {
        let person = self.person(ctx, id).await?;
        ctx.require(
            Permission::ManagePeople,
            &self.lineage(person.agency_id).await?,
        )?;
        let mut tx = self.store.write().await?;
        tx.set_person_status(id, status).await?;
        if status == PersonStatus::Inactive {
            tx.delete_sessions_of(id).await?;
            self.suspend_boxes_of(&mut tx, ctx, id, None).await?;
        }
        let after = serde_json::json!({ "status": status.as_str() });
        let change = Change {
            action: "person.set_status",
            object_type: "person",
            object_id: id.to_string(),
            before: None,
            after: Some(after),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Grants or revokes a role; the actor must administer the agency the
    /// role is held in.
    pub async fn change_role(
        &self,
        ctx: &Ctx,
        id: PersonId,
        grant: RoleGrant,
        granted: bool,
    ) -> Result<(), AppError> {
        self.person(ctx, id).await?;
        ctx.require(
            Permission::ManagePeople,
            &self.lineage(grant.agency_id).await?,
        )?;
        let mut tx = self.store.write().await?;
        let changed = if granted {
            tx.grant_role(id, grant).await?
        } else {
            tx.revoke_role(id, grant).await?
        };
        if changed {
            let after = serde_json::json!({ "agency_id": grant.agency_id, "role": grant.role.as_str(), "granted": granted });
            let action = if granted {
                "person.grant_role"
            } else {
                "person.revoke_role"
            };
            let change = Change {
                action,
                object_type: "person",
                object_id: id.to_string(),
                before: None,
                after: Some(after),
            };
            record(&mut tx, self, ctx, change).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many people and agencies there are; for the dashboard and metrics.
    pub async fn counts(&self) -> Result<(u64, u64), AppError> {
        let tx = self.store.read().await?;
        Ok((tx.count_agencies().await?, tx.count_people().await?))
    }
}
