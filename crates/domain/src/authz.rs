//! Authorisation: what a signed-in person may do, decided in one place.
//!
//! Invariant: every use case asks `Actor::may` before it reads private data
//! or changes anything. A role held in an agency applies to that agency and
//! every agency below it in the tree, never to its parent or siblings.

use crate::agencies::AgencyId;
use crate::people::{PersonId, Role, RoleGrant};

/// Something a use case wants to do, on an agency's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the people of an agency (names, positions, contacts, roles).
    ViewPeople,
    /// Create people, change them, grant roles, unlock accounts.
    ManagePeople,
    /// Create and change agencies below an agency.
    ManageAgencies,
    /// Read the audit trail of an agency.
    ReadAudit,
    /// See an agency's document registers.
    ViewRegisters,
    /// Register documents and give them numbers (văn thư).
    RegisterDocuments,
    /// Write drafts of outgoing documents (dự thảo).
    Draft,
    /// Endorse or return the drafts of one's unit (lãnh đạo đơn vị).
    ReviewDrafts,
    /// Approve or return drafts for the agency (lãnh đạo cơ quan).
    ApproveDrafts,
    /// See documents marked Mật and above (the leaders and the clerk who
    /// keeps the register; handlers see those assigned to them).
    ViewConfidential,
    /// Assign incoming documents for handling (giao xử lý), write opinions
    /// on and complete any assignment of the agency's documents.
    AssignHandling,
    /// Ask for a certificate, its renewal, change or revocation, for
    /// oneself or (the clerk) for the agency.
    RequestCertificates,
    /// Approve or reject the certificate requests of an agency (its head).
    ApproveCertificateRequests,
    /// Issue and revoke certificates, run the CA (cán bộ quản lý chứng thư số).
    OperateCa,
    /// Keep an agency's catalogue of administrative procedures.
    ManageProcedures,
    /// Receive dossiers at the one-stop desk (cán bộ một cửa).
    ReceiveDossiers,
    /// Approve the results of dossiers, send them back, refuse them and
    /// apologise for late ones (lãnh đạo).
    ApproveDossiers,
    /// Ask for mailboxes for the agency's staff, units or itself.
    RequestMailboxes,
    /// Approve or refuse the agency's mailbox requests (its head).
    ApproveMailboxRequests,
    /// Run the official mail service: approve requests for the province,
    /// suspend, close and reset boxes, provision and reconcile.
    OperateMail,
    /// Keep the agency's licences and confirmations: issue, renew and
    /// revoke them (the licensing area).
    ManageLicences,
    /// Plan inspections, form teams, record subjects, findings and
    /// sanctions, close them.
    ManageInspections,
    /// Receive citizens and petitions (tiếp công dân, tiếp nhận đơn) and
    /// handle the petitions one is given.
    ReceiveCitizens,
    /// Schedule the periodic reception days and assign, decide and close
    /// petitions (the leader who answers for them).
    AssignPetitions,
    /// Keep the commune radio stations, their broadcast logs and the
    /// campaigns they carry.
    ManageGrassroots,
    /// Keep the staff's training courses and who attends them.
    ManageTraining,
    /// Create the agency's portal sites and their categories, and choose
    /// who edits and reviews on them.
    ManagePortal,
}

impl Permission {
    /// The roles that carry this permission.
    fn roles(self) -> &'static [Role] {
        match self {
            // Anyone who works in or above an agency may see its staff list.
            Self::ViewPeople | Self::ViewRegisters | Self::RequestCertificates => &Role::ALL,
            Self::RegisterDocuments => &[Role::Clerk],
            Self::ViewConfidential => &[Role::Clerk, Role::Leader],
            Self::Draft | Self::ManageLicences | Self::ManageGrassroots => {
                &[Role::Specialist, Role::Leader]
            }
            Self::ReviewDrafts
            | Self::ApproveDrafts
            | Self::AssignHandling
            | Self::ApproveCertificateRequests
            | Self::ApproveDossiers
            | Self::ApproveMailboxRequests
            | Self::AssignPetitions => &[Role::Leader],
            Self::ManageInspections => &[Role::Inspector, Role::Leader],
            Self::ReceiveCitizens => &[Role::Inspector],
            Self::ManageTraining | Self::ManagePortal => &[Role::Admin, Role::Leader],
            Self::RequestMailboxes => &[Role::Admin, Role::Clerk],
            Self::OperateMail => &[Role::MailOperator],
            Self::OperateCa => &[Role::CaOperator],
            Self::ReceiveDossiers => &[Role::DeskOfficer],
            Self::ManagePeople | Self::ManageAgencies | Self::ManageProcedures => &[Role::Admin],
            Self::ReadAudit => &[Role::Admin, Role::Auditor],
        }
    }
}

/// The person on whose behalf a use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person_id: PersonId,
    pub agency_id: AgencyId,
    pub grants: Vec<RoleGrant>,
}

impl Actor {
    /// Whether the actor may do `permission` on the data of the agency whose
    /// ancestry is `target_lineage`: the agency itself first, then its
    /// parent, up to the root.
    pub fn may(&self, permission: Permission, target_lineage: &[AgencyId]) -> bool {
        self.grants.iter().any(|grant| {
            permission.roles().contains(&grant.role) && target_lineage.contains(&grant.agency_id)
        })
    }

    /// The agencies at whose top the actor holds `permission`: the actor
    /// may do it there and everywhere below.
    pub fn roots_of(&self, permission: Permission) -> Vec<AgencyId> {
        let mut roots: Vec<AgencyId> = self
            .grants
            .iter()
            .filter(|g| permission.roles().contains(&g.role))
            .map(|g| g.agency_id)
            .collect();
        roots.sort_unstable();
        roots.dedup();
        roots
    }

    /// Whether the actor holds `role` anywhere.
    pub fn holds(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_apply_downwards_only() {
        // Tree: 1 province > 2 department > 3 unit; 4 another department.
        let admin_of_2 = Actor {
            person_id: 10,
            agency_id: 2,
            grants: vec![RoleGrant {
                agency_id: 2,
                role: Role::Admin,
            }],
        };
        assert!(admin_of_2.may(Permission::ManagePeople, &[3, 2, 1]));
        assert!(admin_of_2.may(Permission::ManagePeople, &[2, 1]));
        assert!(!admin_of_2.may(Permission::ManagePeople, &[1]));
        assert!(!admin_of_2.may(Permission::ViewPeople, &[4, 1]));

        let clerk_of_3 = Actor {
            person_id: 11,
            agency_id: 3,
            grants: vec![RoleGrant {
                agency_id: 3,
                role: Role::Clerk,
            }],
        };
        assert!(clerk_of_3.may(Permission::ViewPeople, &[3, 2, 1]));
        assert!(!clerk_of_3.may(Permission::ViewPeople, &[2, 1]));
        assert!(!clerk_of_3.may(Permission::ManagePeople, &[3, 2, 1]));
        assert!(!clerk_of_3.may(Permission::ReadAudit, &[3, 2, 1]));
        assert!(clerk_of_3.may(Permission::RegisterDocuments, &[3, 2, 1]));
        assert!(
            !admin_of_2.may(Permission::RegisterDocuments, &[2, 1]),
            "numbers are the clerk's"
        );
        assert!(admin_of_2.may(Permission::ManagePortal, &[3, 2, 1]));
        assert!(!admin_of_2.may(Permission::ManagePortal, &[1]));
        assert!(!clerk_of_3.may(Permission::ManagePortal, &[3, 2, 1]));
    }
}
