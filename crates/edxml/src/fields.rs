//! Reading and writing the values and small blocks that packages and
//! status messages share: text, numbers, dates, `From`/`To`, `StaffInfo`,
//! `ResponseFor`.
//!
//! Reading rules, the same everywhere: text is trimmed and put in NFC; an
//! empty element counts as absent; a required value that is absent or
//! empty is [`EdxmlError::Missing`]; a value that is there but malformed
//! is an error naming the element, never silently dropped.

use std::str::FromStr;

use time::{Date, PrimitiveDateTime};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::dates::{format_date, format_timestamp, parse_date, parse_timestamp};
use crate::model::{Organization, ResponseFor, StaffInfo};
use crate::tree::Element;
use crate::xmlw::XmlWriter;
use crate::{EdxmlError, Limits};

/// The element's text, trimmed, in NFC.
pub(crate) fn text(element: &Element) -> String {
    let trimmed = element.text.trim();
    if is_nfc_quick(trimmed.chars()) == IsNormalized::Yes {
        trimmed.to_string()
    } else {
        trimmed.nfc().collect()
    }
}

pub(crate) fn optional_text(parent: &Element, name: &str) -> Result<Option<String>, EdxmlError> {
    Ok(parent
        .child(name)?
        .map(text)
        .filter(|value| !value.is_empty()))
}

pub(crate) fn required_text(parent: &Element, name: &str) -> Result<String, EdxmlError> {
    optional_text(parent, name)?.ok_or_else(|| EdxmlError::Missing(parent.path(name)))
}

/// Text that may be absent, read as empty.
pub(crate) fn text_or_empty(parent: &Element, name: &str) -> Result<String, EdxmlError> {
    Ok(optional_text(parent, name)?.unwrap_or_default())
}

/// Every child `name`, in order (empty ones too: a list keeps its places).
pub(crate) fn texts(parent: &Element, name: &str) -> Vec<String> {
    parent.all(name).map(text).collect()
}

fn invalid(parent: &Element, name: &str, value: String, expected: &'static str) -> EdxmlError {
    EdxmlError::InvalidValue {
        element: parent.path(name),
        value,
        expected,
    }
}

/// A number of digits only (no sign, no spaces inside).
pub(crate) fn optional_number<T: FromStr>(
    parent: &Element,
    name: &str,
) -> Result<Option<T>, EdxmlError> {
    let Some(value) = optional_text(parent, name)? else {
        return Ok(None);
    };
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(parent, name, value, "một số tự nhiên"));
    }
    match value.parse() {
        Ok(number) => Ok(Some(number)),
        Err(_) => Err(invalid(
            parent,
            name,
            value,
            "một số tự nhiên không quá lớn",
        )),
    }
}

pub(crate) fn optional_bool(parent: &Element, name: &str) -> Result<Option<bool>, EdxmlError> {
    let Some(value) = optional_text(parent, name)? else {
        return Ok(None);
    };
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(Some(true)),
        "false" | "0" => Ok(Some(false)),
        _ => Err(invalid(parent, name, value, "true/false hoặc 1/0")),
    }
}

/// A coded value (priority, business type, status): a number mapped by
/// `from_code`.
pub(crate) fn optional_code<T>(
    parent: &Element,
    name: &str,
    from_code: fn(u8) -> Option<T>,
    expected: &'static str,
) -> Result<Option<T>, EdxmlError> {
    let Some(value) = optional_text(parent, name)? else {
        return Ok(None);
    };
    value
        .parse::<u8>()
        .ok()
        .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
        .and_then(from_code)
        .map(Some)
        .ok_or_else(|| invalid(parent, name, value, expected))
}

pub(crate) fn optional_date(parent: &Element, name: &str) -> Result<Option<Date>, EdxmlError> {
    let Some(value) = optional_text(parent, name)? else {
        return Ok(None);
    };
    parse_date(&value)
        .map(Some)
        .ok_or_else(|| EdxmlError::InvalidDate {
            element: parent.path(name),
            value,
        })
}

pub(crate) fn required_date(parent: &Element, name: &str) -> Result<Date, EdxmlError> {
    optional_date(parent, name)?.ok_or_else(|| EdxmlError::Missing(parent.path(name)))
}

pub(crate) fn required_timestamp(
    parent: &Element,
    name: &str,
) -> Result<PrimitiveDateTime, EdxmlError> {
    let value = required_text(parent, name)?;
    parse_timestamp(&value).ok_or_else(|| EdxmlError::InvalidTimestamp {
        element: parent.path(name),
        value,
    })
}

/// `From`, `To`: the agency code and name are required.
pub(crate) fn read_organization(element: &Element) -> Result<Organization, EdxmlError> {
    Ok(Organization {
        organ_id: required_text(element, "OrganId")?,
        organization_in_charge: optional_text(element, "OrganizationInCharge")?,
        organ_name: required_text(element, "OrganName")?,
        organ_add: optional_text(element, "OrganAdd")?,
        email: optional_text(element, "Email")?,
        telephone: optional_text(element, "Telephone")?,
        fax: optional_text(element, "Fax")?,
        website: optional_text(element, "Website")?,
    })
}

pub(crate) fn write_organization(
    w: &mut XmlWriter,
    name: &str,
    organization: &Organization,
) -> Result<(), EdxmlError> {
    require(name, "OrganId", &organization.organ_id)?;
    require(name, "OrganName", &organization.organ_name)?;
    w.open(&format!("edXML:{name}"));
    w.leaf("edXML:OrganId", "OrganId", &organization.organ_id)?;
    w.optional(
        "edXML:OrganizationInCharge",
        "OrganizationInCharge",
        organization.organization_in_charge.as_deref(),
    )?;
    w.leaf("edXML:OrganName", "OrganName", &organization.organ_name)?;
    w.optional(
        "edXML:OrganAdd",
        "OrganAdd",
        organization.organ_add.as_deref(),
    )?;
    w.optional("edXML:Email", "Email", organization.email.as_deref())?;
    w.optional(
        "edXML:Telephone",
        "Telephone",
        organization.telephone.as_deref(),
    )?;
    w.optional("edXML:Fax", "Fax", organization.fax.as_deref())?;
    w.optional("edXML:Website", "Website", organization.website.as_deref())?;
    w.close(&format!("edXML:{name}"));
    Ok(())
}

pub(crate) fn read_staff_info(element: &Element) -> Result<StaffInfo, EdxmlError> {
    Ok(StaffInfo {
        department: optional_text(element, "Department")?,
        staff: optional_text(element, "Staff")?,
        mobile: optional_text(element, "Mobile")?,
        email: optional_text(element, "Email")?,
    })
}

pub(crate) fn write_staff_info(w: &mut XmlWriter, staff: &StaffInfo) -> Result<(), EdxmlError> {
    w.open("edXML:StaffInfo");
    w.optional(
        "edXML:Department",
        "StaffInfo/Department",
        staff.department.as_deref(),
    )?;
    w.optional("edXML:Staff", "StaffInfo/Staff", staff.staff.as_deref())?;
    w.optional("edXML:Mobile", "StaffInfo/Mobile", staff.mobile.as_deref())?;
    w.optional("edXML:Email", "StaffInfo/Email", staff.email.as_deref())?;
    w.close("edXML:StaffInfo");
    Ok(())
}

pub(crate) fn read_response_for(element: &Element) -> Result<ResponseFor, EdxmlError> {
    Ok(ResponseFor {
        organ_id: required_text(element, "OrganId")?,
        code: required_text(element, "Code")?,
        promulgation_date: required_date(element, "PromulgationDate")?,
        document_id: required_text(element, "DocumentId")?,
    })
}

pub(crate) fn write_response_for(
    w: &mut XmlWriter,
    response_for: &ResponseFor,
) -> Result<(), EdxmlError> {
    require("ResponseFor", "OrganId", &response_for.organ_id)?;
    require("ResponseFor", "Code", &response_for.code)?;
    require("ResponseFor", "DocumentId", &response_for.document_id)?;
    w.open("edXML:ResponseFor");
    w.leaf(
        "edXML:OrganId",
        "ResponseFor/OrganId",
        &response_for.organ_id,
    )?;
    w.leaf("edXML:Code", "ResponseFor/Code", &response_for.code)?;
    w.leaf(
        "edXML:PromulgationDate",
        "ResponseFor/PromulgationDate",
        &format_date(response_for.promulgation_date),
    )?;
    w.leaf(
        "edXML:DocumentId",
        "ResponseFor/DocumentId",
        &response_for.document_id,
    )?;
    w.close("edXML:ResponseFor");
    Ok(())
}

pub(crate) fn write_timestamp(
    w: &mut XmlWriter,
    field: &str,
    moment: PrimitiveDateTime,
) -> Result<(), EdxmlError> {
    w.leaf("edXML:Timestamp", field, &format_timestamp(moment))
}

/// The writer refuses what the reader would refuse, so that whatever
/// [`crate::write`] produces, [`crate::read`] accepts.
pub(crate) fn require(parent: &str, name: &str, value: &str) -> Result<(), EdxmlError> {
    if value.trim().is_empty() {
        return Err(EdxmlError::Missing(format!("{parent}/{name}")));
    }
    Ok(())
}

/// Counts against [`Limits::max_attachments`].
pub(crate) fn check_attachment_count(count: usize, limits: &Limits) -> Result<(), EdxmlError> {
    if count > limits.max_attachments {
        return Err(EdxmlError::TooManyAttachments {
            count,
            limit: limits.max_attachments,
        });
    }
    Ok(())
}
