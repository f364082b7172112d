//! Status messages: [`write_status`] and [`read_status`].
//!
//! A status is its own small document in the same envelope as a package:
//! `edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:Status` holding
//! `ResponseFor` (the document it is about), `From`, `StatusCode` (two
//! digits), `Description`, `Timestamp` and `StaffInfo`, the shape of the
//! public SDKs' status builders. It carries no attachments, so the body is
//! empty.

use crate::fields::{
    optional_code, read_organization, read_response_for, read_staff_info, required_timestamp,
    text_or_empty, write_organization, write_response_for, write_staff_info, write_timestamp,
};
use crate::model::{Status, StatusCode};
use crate::package::envelope;
use crate::tree;
use crate::xmlw::XmlWriter;
use crate::{EdxmlError, Limits, NAMESPACE};

/// Writes a status message (UTF-8).
pub fn write_status(status: &Status) -> Result<Vec<u8>, EdxmlError> {
    let mut w = XmlWriter::new();
    w.open_with("edXML", &[("xmlns", NAMESPACE)]);
    w.open_with("edXML:edXMLEnvelope", &[("xmlns:edXML", NAMESPACE)]);
    w.open("edXML:edXMLHeader");
    w.open("edXML:Status");
    write_response_for(&mut w, &status.response_for)?;
    write_organization(&mut w, "From", &status.from)?;
    w.leaf(
        "edXML:StatusCode",
        "StatusCode",
        &format!("{:02}", status.code.code()),
    )?;
    w.leaf("edXML:Description", "Description", &status.description)?;
    write_timestamp(&mut w, "Status/Timestamp", status.timestamp)?;
    if let Some(staff) = &status.staff_info {
        write_staff_info(&mut w, staff)?;
    }
    w.close("edXML:Status");
    w.close("edXML:edXMLHeader");
    w.open("edXML:edXMLBody");
    w.close("edXML:edXMLBody");
    w.close("edXML:edXMLEnvelope");
    w.close("edXML");
    Ok(w.finish())
}

/// Reads a status message, within `limits`.
pub fn read_status(bytes: &[u8], limits: &Limits) -> Result<Status, EdxmlError> {
    let root = tree::parse(bytes, limits)?;
    let (envelope, _) = envelope(&root)?;
    let element = envelope.required("edXMLHeader")?.required("Status")?;
    Ok(Status {
        response_for: read_response_for(element.required("ResponseFor")?)?,
        from: read_organization(element.required("From")?)?,
        code: optional_code(
            element,
            "StatusCode",
            StatusCode::from_code,
            "01–06, 13, 15 hoặc 16",
        )?
        .ok_or_else(|| EdxmlError::Missing(element.path("StatusCode")))?,
        description: text_or_empty(element, "Description")?,
        timestamp: required_timestamp(element, "Timestamp")?,
        staff_info: element
            .child("StaffInfo")?
            .map(read_staff_info)
            .transpose()?,
    })
}
