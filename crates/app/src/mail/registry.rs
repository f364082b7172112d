//! The mailbox registry's use cases: mail domains, requests (one box or
//! an agency's staff list) with their two approvals, and what happens to
//! a box afterwards — suspension, reinstatement, closing, quota, aliases,
//! passwords. Provisioning (`directory`) takes it from there.

use std::collections::HashSet;

use domain::agencies::{Agency, AgencyId, AgencyKind};
use domain::authz::Permission;
use domain::mail::addresses::{self, MailDomain};
use domain::mail::mailboxes::{
    Change, MIN_QUOTA_MIB, Mailbox, MailboxId, MailboxKind, MailboxStatus,
};
use domain::mail::requests::{
    Decider, Decision, MailboxRequest, Naming, Planned, RequestId, RequestKind, RequestStatus,
    plan_addresses,
};
use domain::people::PersonId;
use store::Tx;
use store::mail::mailboxes::{MailboxEvent, MailboxFilter};

use crate::audit::{Change as Audit, record};
use crate::{App, AppError, Ctx};

/// One box a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedBox {
    pub kind: MailboxKind,
    /// For a person, the agency or unit they work in; for an agency or a
    /// unit, itself.
    pub agency_id: AgencyId,
    /// The person, when egov knows them as staff.
    pub person_id: Option<PersonId>,
    /// The person's full name (ignored for an agency's or unit's box).
    pub full_name: String,
}

/// What a requester files.
#[derive(Debug, Clone)]
pub struct NewMailRequest {
    pub agency_id: AgencyId,
    pub kind: RequestKind,
    pub note: String,
    pub boxes: Vec<WantedBox>,
}

/// A box of a request as it would be made: its name and planned address,
/// or why none can be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedBox {
    pub wanted: WantedBox,
    pub display_name: String,
    pub address: Result<Planned, String>,
}

/// What an operator may change on a box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoxAction {
    Suspend(String),
    Reinstate,
    Close(String),
    SetQuota(u32),
    AddAlias(String),
    RemoveAlias(String),
}

impl App {
    /// The mail domain in force today; the registry cannot give an
    /// address without one.
    pub async fn mail_domain(&self) -> Result<MailDomain, AppError> {
        let today = self.now().to_offset(vn::dates::VIETNAM_OFFSET).date();
        let domains = self.store.read().await?.mail_domains().await?;
        addresses::in_force(&domains, today)
            .cloned()
            .ok_or_else(|| {
                AppError::Unavailable(
                    "Chưa khai báo tên miền thư điện tử (egov mail domain add …)".into(),
                )
            })
    }

    /// Puts `name` in force from `from` (the operator's command): the
    /// domain in force until then ends that day.
    pub async fn add_mail_domain(
        &self,
        ctx: &Ctx,
        name: &str,
        agency_suffix: bool,
        from: time::Date,
    ) -> Result<MailDomain, AppError> {
        ctx.require_anywhere(Permission::OperateMail)?;
        let name = name.trim().to_ascii_lowercase();
        addresses::check_domain(&name).map_err(|e| AppError::Invalid(e.to_string()))?;
        let mut tx = self.store.write().await?;
        let domains = tx.mail_domains().await?;
        if domains.iter().any(|d| d.effective_from >= from) {
            return Err(AppError::Conflict(
                "Đã có tên miền hiệu lực từ ngày này hoặc sau đó".into(),
            ));
        }
        if let Some(current) = domains.iter().find(|d| d.effective_to.is_none()) {
            tx.end_mail_domain(current.id, from).await?;
        }
        let mut domain = MailDomain {
            id: 0,
            name,
            agency_suffix,
            effective_from: from,
            effective_to: None,
        };
        domain.id = tx.insert_mail_domain(&domain).await?;
        record(
            &mut tx,
            self,
            ctx,
            Audit {
                action: "mail.domain.add",
                object_type: "mail_domain",
                object_id: domain.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&domain).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(domain)
    }

    /// The addresses `new`'s boxes would get, against every address given
    /// now: what the requester sees before filing. Reads only.
    pub async fn plan_mail_request(
        &self,
        ctx: &Ctx,
        new: &NewMailRequest,
    ) -> Result<Vec<PlannedBox>, AppError> {
        ctx.require(
            Permission::RequestMailboxes,
            &self.lineage(new.agency_id).await?,
        )?;
        let domain = self.mail_domain().await?;
        let agencies = self.all_agencies().await?;
        let read = self.store.read().await?;
        let taken = read.mail_addresses_in(&domain.name).await?;
        drop(read);
        plan_against(new, (&domain, &agencies), &taken)
    }

    /// Files a request: every box gets its planned address at once (so a
    /// second request cannot take it) and waits for the approvals. A box
    /// that cannot be planned refuses the whole request, naming its row.
    pub async fn submit_mail_request(
        &self,
        ctx: &Ctx,
        new: NewMailRequest,
    ) -> Result<(MailboxRequest, Vec<Mailbox>), AppError> {
        let actor = ctx.actor.as_ref().ok_or(AppError::Unauthenticated)?;
        ctx.require(
            Permission::RequestMailboxes,
            &self.lineage(new.agency_id).await?,
        )?;
        if new.boxes.is_empty() {
            return Err(AppError::Invalid("Đề nghị chưa có hộp thư nào".into()));
        }
        let domain = self.mail_domain().await?;
        let now = domain::to_stored_precision(self.now());
        let agencies = self.all_agencies().await?;
        let mut tx = self.store.write().await?;
        // Planned inside the write transaction: what it checks against
        // cannot change before the boxes are written.
        let taken = tx.mail_addresses_in(&domain.name).await?;
        let planned = plan_against(&new, (&domain, &agencies), &taken)?;
        let errors: Vec<String> = planned
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.address
                    .as_ref()
                    .err()
                    .map(|e| format!("Dòng {}: {e}", i + 1))
            })
            .collect();
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors.join("\n")));
        }
        let mut request = MailboxRequest {
            id: 0,
            agency_id: new.agency_id,
            kind: new.kind,
            requested_by: actor.person_id,
            submitted_at: now,
            status: RequestStatus::Submitted,
            agency_approved_by: None,
            agency_approved_at: None,
            decided_by: None,
            decided_at: None,
            reason: None,
            note: vn::text::squash_spaces(&vn::text::nfc(&new.note)),
        };
        request.id = tx.insert_mail_request(&request).await?;
        let mut boxes = Vec::with_capacity(planned.len());
        for p in planned {
            let Ok(address) = p.address else { continue };
            let mut mailbox = Mailbox {
                id: 0,
                address: address.address,
                kind: p.wanted.kind,
                agency_id: p.wanted.agency_id,
                person_id: p.wanted.person_id,
                display_name: p.display_name,
                quota_mib: MIN_QUOTA_MIB,
                status: MailboxStatus::Requested,
                aliases: Vec::new(),
                password_hash: None,
                revision: 0,
                synced_revision: 0,
                request_id: Some(request.id),
                requested_at: now,
                activated_at: None,
                closed_at: None,
            };
            mailbox.id = tx.insert_mailbox(&mailbox).await?;
            event(&tx, &mailbox, ctx, ("requested", ""), now).await?;
            boxes.push(mailbox);
        }
        record(
            &mut tx,
            self,
            ctx,
            Audit {
                action: "mail.request.submit",
                object_type: "mail_request",
                object_id: request.id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "request": request,
                    "addresses": boxes.iter().map(|b| &b.address).collect::<Vec<_>>(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((request, boxes))
    }

    /// The next approval of request `id` (the agency head's, then the
    /// department's), or its refusal; refusing closes its boxes.
    pub async fn decide_mail_request(
        &self,
        ctx: &Ctx,
        id: RequestId,
        decision: Decision,
    ) -> Result<MailboxRequest, AppError> {
        let request = self
            .store
            .read()
            .await?
            .mail_request(id)
            .await?
            .ok_or(AppError::NotFound("đề nghị cấp hộp thư"))?;
        let decider = match request.status {
            RequestStatus::Submitted => {
                ctx.require(
                    Permission::ApproveMailboxRequests,
                    &self.lineage(request.agency_id).await?,
                )?;
                Decider::AgencyHead
            }
            _ => {
                ctx.require_anywhere(Permission::OperateMail)?;
                Decider::Department
            }
        };
        let by = ctx.actor.as_ref().map(|a| a.person_id);
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        let current = tx
            .mail_request(id)
            .await?
            .ok_or(AppError::NotFound("đề nghị cấp hộp thư"))?;
        // The operator's command acts as no person: it cannot be the
        // requester, so it passes the own-request rule.
        let status = current
            .decide(&decision, decider, by.unwrap_or(0))
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let mut next = MailboxRequest {
            status,
            ..current.clone()
        };
        match (decider, status) {
            (Decider::AgencyHead, RequestStatus::AgencyApproved) => {
                next.agency_approved_by = by;
                next.agency_approved_at = Some(now);
            }
            _ => {
                next.decided_by = by;
                next.decided_at = Some(now);
            }
        }
        let change = match &decision {
            Decision::Reject(reason) => {
                next.reason = Some(reason.trim().to_owned());
                Some((Change::Refuse, "refused", reason.trim().to_owned()))
            }
            Decision::Approve if status == RequestStatus::Approved => {
                Some((Change::Approve, "approved", String::new()))
            }
            Decision::Approve => None,
        };
        if let Some((change, action, note)) = change {
            let filter = MailboxFilter {
                request: Some(id),
                statuses: vec![MailboxStatus::Requested],
                ..MailboxFilter::default()
            };
            for mailbox in tx.mailboxes(&filter, u64::MAX).await? {
                let mut next_box = mailbox
                    .apply(&change)
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                if next_box.status == MailboxStatus::Closed {
                    next_box.closed_at = Some(now);
                }
                tx.update_mailbox(&next_box).await?;
                event(&tx, &next_box, ctx, (action, &note), now).await?;
            }
        }
        tx.update_mail_request(&next).await?;
        record(
            &mut tx,
            self,
            ctx,
            Audit {
                action: "mail.request.decide",
                object_type: "mail_request",
                object_id: id.to_string(),
                before: Some(serde_json::to_value(&current).unwrap_or_default()),
                after: Some(serde_json::to_value(&next).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// An operator's change to box `id`.
    pub async fn change_mailbox(
        &self,
        ctx: &Ctx,
        id: MailboxId,
        action: BoxAction,
    ) -> Result<Mailbox, AppError> {
        ctx.require_anywhere(Permission::OperateMail)?;
        let (change, name, note) = match action {
            BoxAction::Suspend(reason) => (Change::Suspend, "suspended", required(&reason)?),
            BoxAction::Reinstate => (Change::Reinstate, "reinstated", String::new()),
            BoxAction::Close(reason) => (Change::Close, "closed", required(&reason)?),
            BoxAction::SetQuota(mib) => (Change::SetQuota(mib), "quota", format!("{mib} MB")),
            BoxAction::AddAlias(alias) => {
                let alias = self.free_alias(&alias).await?;
                (Change::AddAlias(alias.clone()), "alias_added", alias)
            }
            BoxAction::RemoveAlias(alias) => {
                let alias = alias.trim().to_ascii_lowercase();
                (Change::RemoveAlias(alias.clone()), "alias_removed", alias)
            }
        };
        self.apply_to_mailbox(ctx, id, &change, (name, &note)).await
    }

    /// An alias that may be added: well formed, in the domain in force,
    /// and given to nobody.
    async fn free_alias(&self, alias: &str) -> Result<String, AppError> {
        let (local, domain) =
            addresses::parse(alias).map_err(|e| AppError::Invalid(e.to_string()))?;
        if domain != self.mail_domain().await?.name {
            return Err(AppError::Invalid(format!(
                "Bí danh phải thuộc tên miền {}",
                self.mail_domain().await?.name
            )));
        }
        let address = format!("{local}@{domain}");
        if self
            .store
            .read()
            .await?
            .mail_address_taken(&address)
            .await?
        {
            return Err(AppError::Conflict(format!(
                "Địa chỉ «{address}» đã được dùng"
            )));
        }
        Ok(address)
    }

    /// Sets box `id`'s password: the holder for their own box, or an
    /// operator. The password rules are the staff's (≥ 9 characters of
    /// three kinds, not the address).
    pub async fn set_mailbox_password(
        &self,
        ctx: &Ctx,
        id: MailboxId,
        password: &str,
    ) -> Result<Mailbox, AppError> {
        let mailbox = self
            .store
            .read()
            .await?
            .mailbox(id)
            .await?
            .ok_or(AppError::NotFound("hộp thư"))?;
        let own = ctx
            .actor
            .as_ref()
            .is_some_and(|a| Some(a.person_id) == mailbox.person_id);
        if !own {
            ctx.require_anywhere(Permission::OperateMail)?;
        }
        domain::auth::check_password_policy(password, &mailbox.address)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let hash = format!("{{ARGON2ID}}{}", crate::auth::hash_password(password)?);
        let change = Change::SetPassword(hash);
        let mailbox = self
            .apply_to_mailbox(ctx, id, &change, ("password", ""))
            .await?;
        // A new password lifts a lockout, as for staff accounts.
        let tx = self.store.write().await?;
        tx.set_mailbox_login(id, domain::auth::LoginState::after_success())
            .await?;
        tx.commit().await?;
        Ok(mailbox)
    }

    /// An operator resets box `id`'s password to a new random one, shown
    /// once to hand to the holder.
    pub async fn reset_mailbox_password(
        &self,
        ctx: &Ctx,
        id: MailboxId,
    ) -> Result<String, AppError> {
        ctx.require_anywhere(Permission::OperateMail)?;
        let password = random_password()?;
        self.set_mailbox_password(ctx, id, &password).await?;
        Ok(password)
    }

    /// Suspends, inside `tx`, the active boxes of a person who left
    /// (`moved_to` None) or moved to another agency: a box carries its
    /// agency's name and mail, so it does not follow them; the new agency
    /// asks for a new one. A move between units of one agency keeps it.
    pub(crate) async fn suspend_boxes_of(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        person: PersonId,
        moved_to: Option<AgencyId>,
    ) -> Result<usize, AppError> {
        let filter = MailboxFilter {
            person: Some(person),
            statuses: vec![MailboxStatus::Active],
            ..MailboxFilter::default()
        };
        let agencies = tx.all_agencies().await?;
        let top = |id: AgencyId| -> Result<AgencyId, AppError> {
            Ok(units_up(&agencies, id)?.last().map_or(id, |a| a.id))
        };
        let now = domain::to_stored_precision(self.now());
        let mut suspended = 0;
        for mailbox in tx.mailboxes(&filter, 100).await? {
            let note = match moved_to {
                None => "Cán bộ thôi làm việc".to_owned(),
                Some(to) if top(to)? == top(mailbox.agency_id)? => continue,
                Some(_) => "Cán bộ chuyển cơ quan công tác".to_owned(),
            };
            let after = mailbox
                .apply(&Change::Suspend)
                .map_err(|e| AppError::Invalid(e.to_string()))?;
            tx.update_mailbox(&after).await?;
            event(tx, &after, ctx, ("suspended", &note), now).await?;
            record(
                tx,
                self,
                ctx,
                Audit {
                    action: "mail.mailbox.change",
                    object_type: "mailbox",
                    object_id: after.id.to_string(),
                    before: Some(serde_json::to_value(&mailbox).unwrap_or_default()),
                    after: Some(serde_json::json!({ "action": "suspended", "mailbox": after })),
                },
            )
            .await?;
            suspended += 1;
        }
        Ok(suspended)
    }

    async fn apply_to_mailbox(
        &self,
        ctx: &Ctx,
        id: MailboxId,
        change: &Change,
        (action, note): (&str, &str),
    ) -> Result<Mailbox, AppError> {
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        let before = tx.mailbox(id).await?.ok_or(AppError::NotFound("hộp thư"))?;
        let mut after = before
            .apply(change)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        if after.status == MailboxStatus::Closed && before.status != MailboxStatus::Closed {
            after.closed_at = Some(now);
        }
        tx.update_mailbox(&after).await?;
        event(&tx, &after, ctx, (action, note), now).await?;
        record(
            &mut tx,
            self,
            ctx,
            Audit {
                action: "mail.mailbox.change",
                object_type: "mailbox",
                object_id: id.to_string(),
                before: Some(serde_json::to_value(&before).unwrap_or_default()),
                after: Some(serde_json::json!({ "action": action, "mailbox": after })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Box `id` and its history, for the holder, the requesting agency's
    /// people and the operators.
    pub async fn mailbox_page(
        &self,
        ctx: &Ctx,
        id: MailboxId,
    ) -> Result<(Mailbox, Vec<MailboxEvent>), AppError> {
        let read = self.store.read().await?;
        let mailbox = read
            .mailbox(id)
            .await?
            .ok_or(AppError::NotFound("hộp thư"))?;
        let events = read.mailbox_events(id).await?;
        drop(read);
        let own = ctx
            .actor
            .as_ref()
            .is_some_and(|a| Some(a.person_id) == mailbox.person_id);
        if !own && ctx.require_anywhere(Permission::OperateMail).is_err() {
            ctx.require(
                Permission::ViewPeople,
                &self.lineage(mailbox.agency_id).await?,
            )?;
        }
        Ok((mailbox, events))
    }
}

/// Plans against `agencies` loaded beforehand: filing plans inside its
/// write transaction, where nothing else is read.
fn plan_against(
    new: &NewMailRequest,
    (domain, agencies): (&MailDomain, &[Agency]),
    taken: &HashSet<String>,
) -> Result<Vec<PlannedBox>, AppError> {
    let mut names = Vec::new();
    let mut display = Vec::new();
    for wanted in &new.boxes {
        // A box belongs to the requesting agency or to one of its
        // units — not to an agency above it.
        let chain = units_up(agencies, wanted.agency_id)?;
        if !ancestry(agencies, wanted.agency_id)?
            .iter()
            .any(|a| a.id == new.agency_id)
        {
            return Err(AppError::Invalid(format!(
                "Đơn vị «{}» không thuộc cơ quan đề nghị",
                chain[0].name
            )));
        }
        let (naming, name) = match wanted.kind {
            MailboxKind::Person => (
                Naming::Person {
                    full_name: wanted.full_name.clone(),
                    suffix: domain
                        .agency_suffix
                        .then(|| addresses::suffix_of(&chain[chain.len() - 1].short_name)),
                },
                vn::text::squash_spaces(&vn::text::nfc(&wanted.full_name)),
            ),
            MailboxKind::Agency | MailboxKind::Unit => (
                Naming::Agency {
                    chain: chain.iter().map(|a| a.short_name.clone()).collect(),
                },
                chain[0].name.clone(),
            ),
        };
        names.push(naming);
        display.push(name);
    }
    let planned = plan_addresses(&names, &domain.name, |a| taken.contains(a));
    Ok(new
        .boxes
        .iter()
        .zip(display)
        .zip(planned)
        .map(|((wanted, display_name), address)| PlannedBox {
            wanted: wanted.clone(),
            display_name,
            address: address.map_err(|e| e.to_string()),
        })
        .collect())
}

/// The agency `id` and its ancestors, nearest first, from `agencies`
/// already loaded (a hand-made cycle stops the walk).
fn ancestry(agencies: &[Agency], id: AgencyId) -> Result<Vec<&Agency>, AppError> {
    let mut chain: Vec<&Agency> = Vec::new();
    let mut current = Some(id);
    while let Some(id) = current {
        if chain.iter().any(|a| a.id == id) {
            break;
        }
        let agency = agencies
            .iter()
            .find(|a| a.id == id)
            .ok_or(AppError::NotFound("cơ quan"))?;
        chain.push(agency);
        current = agency.parent_id;
    }
    Ok(chain)
}

/// The agency `id` and its units up to the first agency that is not a
/// unit, nearest first: a unit's box is `unit.agency@`, and its staff's
/// suffix is the agency's.
fn units_up(agencies: &[Agency], id: AgencyId) -> Result<Vec<&Agency>, AppError> {
    let mut chain = ancestry(agencies, id)?;
    if let Some(top) = chain.iter().position(|a| a.kind != AgencyKind::Unit) {
        chain.truncate(top + 1);
    }
    Ok(chain)
}

fn required(reason: &str) -> Result<String, AppError> {
    let reason = vn::text::squash_spaces(reason);
    if reason.is_empty() {
        Err(AppError::Invalid("Cần ghi lý do".into()))
    } else {
        Ok(reason)
    }
}

async fn event(
    tx: &Tx,
    mailbox: &Mailbox,
    ctx: &Ctx,
    (action, note): (&str, &str),
    at: time::OffsetDateTime,
) -> Result<(), AppError> {
    tx.insert_mailbox_event(
        mailbox.id,
        &MailboxEvent {
            at,
            person_id: ctx.actor.as_ref().map(|a| a.person_id),
            action: action.to_owned(),
            note: note.to_owned(),
        },
    )
    .await?;
    Ok(())
}

/// Twelve characters from letters and digits with at least one of each
/// kind and a mark, without look-alikes (0/O, 1/l/I), to be read aloud
/// or copied from a screen.
fn random_password() -> Result<String, AppError> {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const MARK: &[u8] = b"@#%+=!";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("ngẫu nhiên: {e}")))?;
    let sets = [LOWER, UPPER, DIGIT, MARK];
    Ok(bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            // The first four positions take one of each kind.
            let set = if i < 4 {
                sets[i]
            } else {
                sets[usize::from(*b) % 3]
            };
            char::from(set[usize::from(*b) % set.len()])
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_passwords_keep_the_rules() {
        for _ in 0..50 {
            let p = super::random_password().unwrap();
            assert_eq!(p.len(), 12);
            assert_eq!(
                domain::auth::check_password_policy(&p, "thanhnn.stttt@travinh.gov.vn"),
                Ok(())
            );
        }
    }
}
