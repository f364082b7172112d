//! Staff lists: an agency's list of people uploaded as CSV or XLSX
//! (`domain::mail::staff_list`) read into the boxes of one bulk request.
//! Each person is matched to their staff record when exactly one person
//! of that name (folded) works in the agency or below it; the boxes are
//! then planned against every address given (the preview) or filed. A
//! list with any wrong row — unreadable, or an address the rule cannot
//! give — is refused whole, every wrong row named by its number in the
//! file, and nothing is created.

use std::collections::HashMap;

use domain::agencies::{Agency, AgencyId};
use domain::authz::Permission;
use domain::mail::mailboxes::{Mailbox, MailboxKind};
use domain::mail::requests::{MailboxRequest, RequestKind};
use domain::mail::staff_list::{self, StaffEntry};
use domain::people::{PersonId, PersonStatus};

use super::registry::{NewMailRequest, PlannedBox, WantedBox};
use crate::{App, AppError, Ctx};

/// A row of a staff list and the box planned for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRow {
    pub entry: StaffEntry,
    pub planned: PlannedBox,
}

/// A staff list as uploaded: its bytes and the client's file name (only
/// shown back in a message).
#[derive(Debug, Clone, Copy)]
pub struct StaffListFile<'a> {
    pub bytes: &'a [u8],
    pub name: &'a str,
}

impl App {
    /// Every row of `file`, the staff list of `agency_id`, with the
    /// address its box would get now: what the requester confirms.
    /// Reads only.
    pub async fn plan_staff_list(
        &self,
        ctx: &Ctx,
        agency_id: AgencyId,
        file: StaffListFile<'_>,
    ) -> Result<Vec<PlannedRow>, AppError> {
        let (entries, request) = self.read_staff_list(ctx, agency_id, file).await?;
        let planned = self.plan_mail_request(ctx, &request).await?;
        let rows: Vec<PlannedRow> = entries
            .into_iter()
            .zip(planned)
            .map(|(entry, planned)| PlannedRow { entry, planned })
            .collect();
        let errors: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                r.planned
                    .address
                    .as_ref()
                    .err()
                    .map(|e| format!("Dòng {}: {e}", r.entry.row))
            })
            .collect();
        if errors.is_empty() {
            Ok(rows)
        } else {
            Err(AppError::Invalid(errors.join("\n")))
        }
    }

    /// Files `file` as one bulk request of `agency_id`, with the
    /// requester's `note`: the rows are checked as the preview checks
    /// them, then every box is made with its planned address.
    pub async fn submit_staff_list(
        &self,
        ctx: &Ctx,
        agency_id: AgencyId,
        file: StaffListFile<'_>,
        note: &str,
    ) -> Result<(MailboxRequest, Vec<Mailbox>), AppError> {
        let rows = self.plan_staff_list(ctx, agency_id, file).await?;
        self.submit_mail_request(
            ctx,
            NewMailRequest {
                agency_id,
                kind: RequestKind::Bulk,
                note: note.to_owned(),
                boxes: rows.into_iter().map(|r| r.planned.wanted).collect(),
            },
        )
        .await
    }

    /// The list's entries and the request they make, each person matched
    /// to their staff record where one alone has their name.
    async fn read_staff_list(
        &self,
        ctx: &Ctx,
        agency_id: AgencyId,
        file: StaffListFile<'_>,
    ) -> Result<(Vec<StaffEntry>, NewMailRequest), AppError> {
        ctx.require(
            Permission::RequestMailboxes,
            &self.lineage(agency_id).await?,
        )?;
        let today = vn::dates::vietnam_date(self.now());
        let all = self.all_agencies().await?;
        let agency = all
            .iter()
            .find(|a| a.id == agency_id)
            .ok_or(AppError::NotFound("cơ quan"))?;
        let subtree = self.subtree(agency_id).await?;
        let units: Vec<Agency> = all
            .iter()
            .filter(|a| a.id != agency_id && subtree.contains(&a.id) && a.is_effective_on(today))
            .cloned()
            .collect();
        let entries = staff_list::read(file.bytes, file.name, agency, &units)
            .map_err(|e| AppError::Invalid(e.lines().join("\n")))?;
        let people = self.store.read().await?.people_in(&subtree).await?;
        let mut by_name: HashMap<String, Vec<PersonId>> = HashMap::new();
        for person in people.iter().filter(|p| p.status == PersonStatus::Active) {
            by_name
                .entry(name_key(&person.full_name))
                .or_default()
                .push(person.id);
        }
        let boxes = entries
            .iter()
            .map(|e| WantedBox {
                kind: e.kind,
                agency_id: e.agency_id,
                person_id: match (e.kind, by_name.get(&name_key(&e.full_name))) {
                    (MailboxKind::Person, Some(ids)) if ids.len() == 1 => Some(ids[0]),
                    _ => None,
                },
                full_name: e.full_name.clone(),
            })
            .collect();
        Ok((
            entries,
            NewMailRequest {
                agency_id,
                kind: RequestKind::Bulk,
                note: String::new(),
                boxes,
            },
        ))
    }
}

/// A full name as matched: folded, single spaces.
fn name_key(full_name: &str) -> String {
    vn::text::squash_spaces(&vn::text::fold(full_name))
}
