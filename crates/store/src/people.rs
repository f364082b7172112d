//! Queries of people, their roles and their sign-in state.

use domain::agencies::AgencyId;
use domain::auth::{Credentials, LoginState};
use domain::people::{Person, PersonDraft, PersonId, PersonStatus, RoleGrant};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ActiveValue::Unchanged, ColumnTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;

use crate::entities::{person, role_grant};
use crate::error::corrupt;
use crate::{StoreError, Tx};

fn to_domain(row: person::Model, grants: Vec<RoleGrant>) -> Result<Person, StoreError> {
    Ok(Person {
        id: row.id,
        full_name: row.full_name,
        position: row.position,
        agency_id: row.agency_id,
        email: row.email,
        phone: row.phone,
        status: row.status.parse().map_err(corrupt("people.status"))?,
        grants,
    })
}

fn credentials(row: &person::Model) -> Credentials {
    Credentials {
        password_hash: row.password_hash.clone(),
        login: LoginState {
            failed_in_a_row: u32::try_from(row.failed_logins).unwrap_or(0),
            locked_until: row.locked_until,
        },
        totp_secret: row.totp_secret.clone(),
    }
}

fn grant_from(row: &role_grant::Model) -> Result<(PersonId, RoleGrant), StoreError> {
    Ok((
        row.person_id,
        RoleGrant {
            agency_id: row.agency_id,
            role: row.role.parse().map_err(corrupt("role_grants.role"))?,
        },
    ))
}

impl Tx {
    async fn grants_of(&self, ids: &[PersonId]) -> Result<Vec<(PersonId, RoleGrant)>, StoreError> {
        role_grant::Entity::find()
            .filter(role_grant::Column::PersonId.is_in(ids.iter().copied()))
            .order_by_asc(role_grant::Column::AgencyId)
            .order_by_asc(role_grant::Column::Role)
            .all(self.conn())
            .await?
            .into_iter()
            .map(|row| grant_from(&row))
            .collect()
    }

    async fn with_grants(&self, rows: Vec<person::Model>) -> Result<Vec<Person>, StoreError> {
        let ids: Vec<PersonId> = rows.iter().map(|r| r.id).collect();
        let mut grants = self.grants_of(&ids).await?;
        rows.into_iter()
            .map(|row| {
                let mine = grants
                    .extract_if(.., |(id, _)| *id == row.id)
                    .map(|(_, g)| g)
                    .collect();
                to_domain(row, mine)
            })
            .collect()
    }

    pub async fn person(&self, id: PersonId) -> Result<Option<Person>, StoreError> {
        let Some(row) = person::Entity::find_by_id(id).one(self.conn()).await? else {
            return Ok(None);
        };
        Ok(self.with_grants(vec![row]).await?.pop())
    }

    /// A person and their credentials, by e-mail (already lowercased).
    pub async fn person_for_login(
        &self,
        email: &str,
    ) -> Result<Option<(Person, Credentials)>, StoreError> {
        let Some(row) = person::Entity::find()
            .filter(person::Column::Email.eq(email))
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        let creds = credentials(&row);
        let person = self
            .with_grants(vec![row])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        Ok(Some((person, creds)))
    }

    /// The people working in any of `agencies`, by id.
    pub async fn people_in(&self, agencies: &[AgencyId]) -> Result<Vec<Person>, StoreError> {
        let rows = person::Entity::find()
            .filter(person::Column::AgencyId.is_in(agencies.iter().copied()))
            .order_by_asc(person::Column::Id)
            .all(self.conn())
            .await?;
        self.with_grants(rows).await
    }

    pub async fn count_people(&self) -> Result<u64, StoreError> {
        Ok(person::Entity::find().count(self.conn()).await?)
    }

    pub async fn insert_person(
        &self,
        draft: &PersonDraft,
        now: OffsetDateTime,
    ) -> Result<Person, StoreError> {
        let row = person::ActiveModel {
            full_name: Set(draft.full_name.clone()),
            position: Set(draft.position.clone()),
            agency_id: Set(draft.agency_id),
            email: Set(draft.email.clone()),
            phone: Set(draft.phone.clone()),
            status: Set(PersonStatus::Active.as_str().to_owned()),
            password_hash: Set(None),
            failed_logins: Set(0),
            locked_until: Set(None),
            totp_secret: Set(None),
            created_at: Set(domain::to_stored_precision(now)),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        to_domain(row, Vec::new())
    }

    pub async fn update_person(&self, id: PersonId, draft: &PersonDraft) -> Result<(), StoreError> {
        self.update_person_fields(
            id,
            person::ActiveModel {
                full_name: Set(draft.full_name.clone()),
                position: Set(draft.position.clone()),
                agency_id: Set(draft.agency_id),
                email: Set(draft.email.clone()),
                phone: Set(draft.phone.clone()),
                ..Default::default()
            },
        )
        .await
    }

    pub async fn set_person_status(
        &self,
        id: PersonId,
        status: PersonStatus,
    ) -> Result<(), StoreError> {
        self.update_person_fields(
            id,
            person::ActiveModel {
                status: Set(status.as_str().to_owned()),
                ..Default::default()
            },
        )
        .await
    }

    pub async fn set_password_hash(&self, id: PersonId, hash: &str) -> Result<(), StoreError> {
        self.update_person_fields(
            id,
            person::ActiveModel {
                password_hash: Set(Some(hash.to_owned())),
                ..Default::default()
            },
        )
        .await
    }

    pub async fn set_totp_secret(
        &self,
        id: PersonId,
        secret: Option<&str>,
    ) -> Result<(), StoreError> {
        self.update_person_fields(
            id,
            person::ActiveModel {
                totp_secret: Set(secret.map(str::to_owned)),
                ..Default::default()
            },
        )
        .await
    }

    pub async fn set_login_state(&self, id: PersonId, state: LoginState) -> Result<(), StoreError> {
        self.update_person_fields(
            id,
            person::ActiveModel {
                failed_logins: Set(i32::try_from(state.failed_in_a_row).unwrap_or(i32::MAX)),
                locked_until: Set(state.locked_until.map(domain::to_stored_precision)),
                ..Default::default()
            },
        )
        .await
    }

    pub async fn credentials(&self, id: PersonId) -> Result<Credentials, StoreError> {
        let row = person::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(credentials(&row))
    }

    async fn update_person_fields(
        &self,
        id: PersonId,
        mut model: person::ActiveModel,
    ) -> Result<(), StoreError> {
        model.id = Unchanged(id);
        match model.update(self.conn()).await {
            Ok(_) => Ok(()),
            Err(sea_orm::DbErr::RecordNotUpdated) => Err(StoreError::NotFound),
            Err(err) => Err(err.into()),
        }
    }

    /// Grants a role; granting one already held changes nothing.
    pub async fn grant_role(&self, person: PersonId, grant: RoleGrant) -> Result<bool, StoreError> {
        let exists = role_grant::Entity::find_by_id((
            person,
            grant.agency_id,
            grant.role.as_str().to_owned(),
        ))
        .one(self.conn())
        .await?
        .is_some();
        if exists {
            return Ok(false);
        }
        role_grant::ActiveModel {
            person_id: Set(person),
            agency_id: Set(grant.agency_id),
            role: Set(grant.role.as_str().to_owned()),
        }
        .insert(self.conn())
        .await?;
        Ok(true)
    }

    /// Revokes a role; returns whether it was held.
    pub async fn revoke_role(
        &self,
        person: PersonId,
        grant: RoleGrant,
    ) -> Result<bool, StoreError> {
        let result = role_grant::Entity::delete_many()
            .filter(role_grant::Column::PersonId.eq(person))
            .filter(role_grant::Column::AgencyId.eq(grant.agency_id))
            .filter(role_grant::Column::Role.eq(grant.role.as_str()))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected > 0)
    }
}
