//! Drafting an outgoing document (dự thảo) until it is issued: the steps,
//! who may take each, and what a draft must have before it goes on.
//!
//! Invariant: a draft moves only along [`DraftState::after`]; every move is
//! a [`DraftStep`] kept forever, so the draft's history is the list of its
//! steps. Files belong to a version; returning a draft opens the next
//! version, so what each reviewer saw stays as it was.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::agencies::AgencyId;
use crate::authz::Permission;
use crate::documents::{Confidentiality, DocumentId, Urgency};
use crate::people::PersonId;

pub type DraftId = i64;

/// Where a draft is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    /// Being written (or rewritten after a return) by its author.
    Drafting,
    /// Waiting for the head of the drafting unit.
    Reviewing,
    /// Waiting for the agency's leader.
    Approving,
    /// Approved; waiting for the clerk to number and issue it.
    Approved,
    /// Issued: it is a document now.
    Issued,
}

named!(DraftState {
    Drafting => "drafting", "Đang soạn thảo";
    Reviewing => "reviewing", "Chờ lãnh đạo đơn vị duyệt";
    Approving => "approving", "Chờ lãnh đạo cơ quan phê duyệt";
    Approved => "approved", "Đã phê duyệt, chờ phát hành";
    Issued => "issued", "Đã phát hành";
});

/// What someone does to a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftAction {
    Create,
    /// Sent on for review (or straight to approval without a unit).
    Submit,
    /// The unit head agrees: on to the leader.
    Endorse,
    /// The leader approves.
    Approve,
    /// The approving leader signs the approved PDF with their personal
    /// certificate (optional: a draft may be issued unsigned).
    Sign,
    /// Sent back to the author with a comment.
    Return,
    /// Numbered, registered and distributed by the clerk.
    Issue,
}

named!(DraftAction {
    Create => "create", "Tạo dự thảo";
    Submit => "submit", "Trình duyệt";
    Endorse => "endorse", "Lãnh đạo đơn vị đồng ý, trình lãnh đạo cơ quan";
    Approve => "approve", "Lãnh đạo cơ quan phê duyệt";
    Sign => "sign", "Lãnh đạo ký số";
    Return => "return", "Trả lại để chỉnh sửa";
    Issue => "issue", "Cấp số, phát hành";
});

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftRuleError {
    #[error("Dự thảo đang ở bước «{state}», không thể «{action}»")]
    WrongState {
        state: &'static str,
        action: &'static str,
    },
    #[error("Trả lại dự thảo phải ghi rõ lý do")]
    ReturnWithoutComment,
    #[error("Dự thảo chưa có tệp văn bản")]
    NoFile,
    #[error("Chỉ người soạn thảo mới được trình dự thảo của mình")]
    NotTheAuthor,
    #[error("Người soạn thảo không tự duyệt dự thảo của mình")]
    OwnDraft,
    #[error("Chỉ lãnh đạo đã phê duyệt dự thảo mới ký số dự thảo")]
    NotTheApprover,
    #[error("Dự thảo đã được ký số")]
    AlreadySigned,
    #[error("Chỉ ký số được tệp PDF: tệp văn bản của dự thảo phải là PDF")]
    NotPdf,
}

impl DraftState {
    /// The state after `action`, if `action` may be taken now. A draft
    /// without a drafting unit skips the unit head.
    pub fn after(self, action: DraftAction, has_unit: bool) -> Result<Self, DraftRuleError> {
        use DraftAction as A;
        use DraftState as S;
        let next = match (self, action) {
            (S::Drafting, A::Submit) if has_unit => Some(S::Reviewing),
            (S::Drafting, A::Submit) | (S::Reviewing, A::Endorse) => Some(S::Approving),
            // Signing keeps an approved draft where it is, waiting for
            // the clerk.
            (S::Approving, A::Approve) | (S::Approved, A::Sign) => Some(S::Approved),
            (S::Reviewing | S::Approving | S::Approved, A::Return) => Some(S::Drafting),
            (S::Approved, A::Issue) => Some(S::Issued),
            _ => None,
        };
        next.ok_or(DraftRuleError::WrongState {
            state: self.label(),
            action: action.label(),
        })
    }
}

impl DraftAction {
    /// Who may not take a step: only the author submits, and the author
    /// never endorses or approves their own draft (four eyes).
    /// `by_author` is `None` for the system itself.
    pub fn check_author(self, by_author: Option<bool>) -> Result<(), DraftRuleError> {
        match (self, by_author) {
            (Self::Submit, Some(false)) => Err(DraftRuleError::NotTheAuthor),
            (Self::Endorse | Self::Approve | Self::Sign, Some(true)) => {
                Err(DraftRuleError::OwnDraft)
            }
            _ => Ok(()),
        }
    }

    /// What the actor must be allowed to do, and on which agency's data,
    /// to take this step on a draft in `state`.
    pub fn permission(self, state: DraftState) -> (Permission, Scope) {
        match (self, state) {
            (Self::Create | Self::Submit, _) => (Permission::Draft, Scope::Unit),
            (Self::Endorse, _) | (Self::Return, DraftState::Reviewing) => {
                (Permission::ReviewDrafts, Scope::Unit)
            }
            (Self::Issue, _) | (Self::Return, DraftState::Approved) => {
                (Permission::RegisterDocuments, Scope::Issuer)
            }
            // Approving, signing, and returning what one was asked to
            // approve.
            (Self::Approve | Self::Sign | Self::Return, _) => {
                (Permission::ApproveDrafts, Scope::Issuer)
            }
        }
    }
}

/// Whose agency a permission is checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The agency that will issue the document.
    Issuer,
    /// The unit that drafted it (the issuer when there is none).
    Unit,
}

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub id: DraftId,
    /// The agency that will issue it.
    pub agency_id: AgencyId,
    pub drafting_unit_id: Option<AgencyId>,
    pub author_id: PersonId,
    pub doc_type: String,
    pub summary: String,
    /// Who is to sign, as written in the signature block.
    pub signer: Option<String>,
    pub urgency: Urgency,
    pub confidentiality: Confidentiality,
    pub field: Option<String>,
    /// Agencies in egov that receive it in their incoming registers.
    pub recipients: Vec<AgencyId>,
    /// Other lines of "Nơi nhận" ("Như trên", "Lưu: VT, CNTT").
    pub other_recipients: Vec<String>,
    pub state: DraftState,
    /// Starts at 1; each return opens the next.
    pub version: u32,
    /// The issued document, once issued.
    pub document_id: Option<DocumentId>,
    /// The approved PDF as the leader signed it; cleared when the draft
    /// is returned.
    pub signed: Option<DraftSignature>,
}

/// The leader's signed file of an approved draft; the bytes are in the
/// blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSignature {
    pub sha256: String,
    pub size: u64,
    pub signer_id: PersonId,
    pub at: OffsetDateTime,
}

impl Draft {
    /// Whether `person` may sign the draft now: it is approved and not
    /// yet signed, and `person` approved its current version (the last
    /// approval in `steps`, which are oldest first).
    pub fn check_signer(
        &self,
        person: PersonId,
        steps: &[DraftStep],
    ) -> Result<(), DraftRuleError> {
        self.state
            .after(DraftAction::Sign, self.drafting_unit_id.is_some())?;
        if self.signed.is_some() {
            return Err(DraftRuleError::AlreadySigned);
        }
        let approver = steps
            .iter()
            .rev()
            .find(|s| s.action == DraftAction::Approve && s.version == self.version)
            .and_then(|s| s.actor_id);
        if approver == Some(person) {
            Ok(())
        } else {
            Err(DraftRuleError::NotTheApprover)
        }
    }
}

/// One step in a draft's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftStep {
    pub draft_id: DraftId,
    pub action: DraftAction,
    pub actor_id: Option<PersonId>,
    pub actor_label: String,
    pub comment: String,
    /// The version the step was taken on.
    pub version: u32,
    pub at: OffsetDateTime,
}

/// A file of one version of a draft; the bytes are in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftFile {
    pub id: i64,
    pub draft_id: DraftId,
    pub version: u32,
    /// Order within the version, from 0; the first is the document.
    pub position: u32,
    pub name: String,
    pub description: String,
    pub content_type: String,
    pub sha256: String,
    pub size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use DraftAction as A;
    use DraftState as S;

    #[test]
    fn the_way_through() {
        let mut state = S::Drafting;
        for action in [A::Submit, A::Endorse, A::Approve, A::Issue] {
            state = state.after(action, true).unwrap();
        }
        assert_eq!(state, S::Issued);
        assert_eq!(S::Drafting.after(A::Submit, false), Ok(S::Approving));
    }

    #[test]
    fn no_step_is_skipped_or_repeated() {
        assert!(S::Drafting.after(A::Approve, true).is_err());
        assert!(S::Drafting.after(A::Issue, true).is_err());
        assert!(S::Reviewing.after(A::Approve, true).is_err());
        assert!(S::Issued.after(A::Return, true).is_err());
        assert!(S::Drafting.after(A::Return, true).is_err());
        let err = S::Approved.after(A::Approve, true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Dự thảo đang ở bước «Đã phê duyệt, chờ phát hành», không thể «Lãnh đạo cơ quan phê duyệt»"
        );
        for state in [S::Reviewing, S::Approving, S::Approved] {
            assert_eq!(state.after(A::Return, true), Ok(S::Drafting));
        }
    }

    #[test]
    fn only_the_approver_signs_an_approved_draft_once() {
        let at = OffsetDateTime::UNIX_EPOCH;
        let step = |action, actor, version| DraftStep {
            draft_id: 1,
            action,
            actor_id: Some(actor),
            actor_label: String::new(),
            comment: String::new(),
            version,
            at,
        };
        let mut draft = Draft {
            id: 1,
            agency_id: 1,
            drafting_unit_id: None,
            author_id: 10,
            doc_type: "Công văn".into(),
            summary: String::new(),
            signer: None,
            urgency: Urgency::Normal,
            confidentiality: Confidentiality::Normal,
            field: None,
            recipients: Vec::new(),
            other_recipients: Vec::new(),
            state: S::Approved,
            version: 2,
            document_id: None,
            signed: None,
        };
        // Approved by 20 on version 1, returned, approved by 30 on 2.
        let steps = [
            step(A::Approve, 20, 1),
            step(A::Return, 40, 1),
            step(A::Approve, 30, 2),
        ];
        let cases = [
            (30, Ok(())),
            (20, Err(DraftRuleError::NotTheApprover)),
            (10, Err(DraftRuleError::NotTheApprover)),
        ];
        for (person, expected) in cases {
            assert_eq!(draft.check_signer(person, &steps), expected, "{person}");
        }
        draft.signed = Some(DraftSignature {
            sha256: String::new(),
            size: 0,
            signer_id: 30,
            at,
        });
        assert_eq!(
            draft.check_signer(30, &steps),
            Err(DraftRuleError::AlreadySigned)
        );
        draft.signed = None;
        draft.state = S::Approving;
        assert!(matches!(
            draft.check_signer(30, &steps),
            Err(DraftRuleError::WrongState { .. })
        ));
        assert_eq!(
            A::Sign.check_author(Some(true)),
            Err(DraftRuleError::OwnDraft)
        );
        assert_eq!(S::Approved.after(A::Sign, true), Ok(S::Approved));
    }
}
