//! Each agency's fields (lĩnh vực): the list its documents are filed
//! under, which the monthly report groups them by.
//!
//! Invariant: a document's field is one of its agency's list (spelled as
//! the list spells it) when the agency, or the nearest agency above it,
//! has a list; units share their department's.

use domain::agencies::AgencyId;
use domain::authz::Permission;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

impl App {
    /// The fields documents of `agency` are filed under: its own list, or
    /// the nearest list above it; empty when there is none.
    pub async fn fields_of(&self, agency: AgencyId) -> Result<Vec<String>, AppError> {
        let tx = self.store.read().await?;
        for id in self.lineage(agency).await? {
            let fields = tx.document_fields(id).await?;
            if !fields.is_empty() {
                return Ok(fields);
            }
        }
        Ok(Vec::new())
    }

    /// Replaces an agency's list (an administrator's work). Names are
    /// tidied and kept once each, in the order given; an empty list
    /// removes it, and the list above applies again.
    pub async fn set_fields(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        names: Vec<String>,
    ) -> Result<Vec<String>, AppError> {
        ctx.require(Permission::ManageAgencies, &self.lineage(agency).await?)?;
        let mut fields: Vec<String> = Vec::new();
        for name in names {
            let name = vn::text::squash_spaces(&vn::text::nfc(&name));
            if name.chars().count() > 200 {
                return Err(AppError::Invalid(format!("Tên lĩnh vực quá dài: «{name}»")));
            }
            let folded = vn::text::fold(&name);
            if !name.is_empty() && !fields.iter().any(|f| vn::text::fold(f) == folded) {
                fields.push(name);
            }
        }
        let mut tx = self.store.write().await?;
        let before = tx.document_fields(agency).await?;
        tx.set_document_fields(agency, &fields).await?;
        let change = Change {
            action: "agency.fields",
            object_type: "agency",
            object_id: agency.to_string(),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!(fields)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(fields)
    }

    /// A document's field checked against its agency's list: the list's
    /// spelling when it matches without regard to case and diacritics.
    pub(crate) async fn check_field(
        &self,
        agency: AgencyId,
        field: Option<String>,
    ) -> Result<Option<String>, AppError> {
        let Some(field) = field
            .map(|f| vn::text::squash_spaces(&vn::text::nfc(&f)))
            .filter(|f| !f.is_empty())
        else {
            return Ok(None);
        };
        let fields = self.fields_of(agency).await?;
        if fields.is_empty() {
            return Ok(Some(field));
        }
        let folded = vn::text::fold(&field);
        fields
            .into_iter()
            .find(|f| vn::text::fold(f) == folded)
            .map(Some)
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "Lĩnh vực «{field}» không có trong danh mục lĩnh vực của cơ quan"
                ))
            })
    }
}
