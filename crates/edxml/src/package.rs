//! A whole package: [`write`] and [`read`], mapping [`Package`] to the
//! element tree of QCVN 102:2016 and back.
//!
//! The layout written follows the Java SDK's sample (`edoc_new.edxml`): a
//! root `edXML` in the default namespace; `edXML:`-prefixed envelope,
//! header and manifest; the attachments after the envelope in
//! `AttachmentEncoded`, unprefixed, each with its
//! `edXML:ContentTransferEncoded`. Some receivers match on prefixed names
//! rather than namespaces, so the prefixes are kept exactly. The reader
//! matches on namespace and local name only, in any order, and ignores
//! elements it does not know (the XML-DSig `Signature` is left to the
//! caller that verifies signatures).

use crate::attachments;
use crate::dates::format_date;
use crate::fields::{
    check_attachment_count, optional_bool, optional_code, optional_date, optional_number,
    optional_text, read_organization, read_response_for, read_staff_info, require, required_date,
    required_text, required_timestamp, text, text_or_empty, texts, write_organization,
    write_response_for, write_staff_info, write_timestamp,
};
use crate::model::{
    Attachment, Business, BusinessDocType, DocumentType, MessageHeader, OtherInfo, Package,
    Priority, ReplacementInfo, SignerInfo, TraceHeader,
};
use crate::tree::{self, ENCODED_CONTENT, Element};
use crate::xmlw::XmlWriter;
use crate::{EdxmlError, Limits, NAMESPACE};

/// Writes `package` as an edXML document (UTF-8).
///
/// Fails if a required value is empty (the same ones [`read`] requires),
/// if a text holds a character XML cannot carry, or if zipping fails.
pub fn write(package: &Package) -> Result<Vec<u8>, EdxmlError> {
    let mut w = XmlWriter::new();
    w.open_with("edXML", &[("xmlns", NAMESPACE)]);
    w.open_with("edXML:edXMLEnvelope", &[("xmlns:edXML", NAMESPACE)]);
    w.open("edXML:edXMLHeader");
    write_message_header(&mut w, &package.header)?;
    if !package.traces.is_empty() || package.business.is_some() {
        w.open("edXML:TraceHeaderList");
        for trace in &package.traces {
            w.open("edXML:TraceHeader");
            w.optional(
                "edXML:OrganId",
                "TraceHeader/OrganId",
                trace.organ_id.as_deref(),
            )?;
            write_timestamp(&mut w, "TraceHeader/Timestamp", trace.timestamp)?;
            w.close("edXML:TraceHeader");
        }
        if let Some(business) = &package.business {
            write_business(&mut w, business)?;
        }
        w.close("edXML:TraceHeaderList");
    }
    w.close("edXML:edXMLHeader");
    w.open("edXML:edXMLBody");
    w.open_with("edXML:edXMLManifest", &[("version", "1.0")]);
    for attachment in &package.attachments {
        require("Attachment", "ContentId", &attachment.content_id)?;
        require("Attachment", "AttachmentName", &attachment.name)?;
        w.open("edXML:Reference");
        w.leaf(
            "edXML:ContentId",
            "Reference/ContentId",
            &attachment.content_id,
        )?;
        w.leaf(
            "edXML:ContentType",
            "Reference/ContentType",
            &attachment.content_type,
        )?;
        w.leaf(
            "edXML:Description",
            "Reference/Description",
            &attachment.description,
        )?;
        w.leaf(
            "edXML:AttachmentName",
            "Reference/AttachmentName",
            &attachment.name,
        )?;
        w.close("edXML:Reference");
    }
    w.close("edXML:edXMLManifest");
    w.close("edXML:edXMLBody");
    w.close("edXML:edXMLEnvelope");
    if !package.attachments.is_empty() {
        w.open("AttachmentEncoded");
        for attachment in &package.attachments {
            w.open("Attachment");
            w.leaf("ContentId", "Attachment/ContentId", &attachment.content_id)?;
            w.leaf(
                "AttachmentName",
                "Attachment/AttachmentName",
                &attachment.name,
            )?;
            w.leaf(
                "Description",
                "Attachment/Description",
                &attachment.description,
            )?;
            w.leaf(
                "ContentType",
                "Attachment/ContentType",
                &attachment.content_type,
            )?;
            let encoded = attachments::encode(&attachment.name, &attachment.bytes)?;
            w.leaf_with(
                "edXML:ContentTransferEncoded",
                &[("xmlns:edXML", NAMESPACE)],
                "Attachment/ContentTransferEncoded",
                &encoded,
            )?;
            w.close("Attachment");
        }
        w.close("AttachmentEncoded");
    }
    w.close("edXML");
    Ok(w.finish())
}

fn write_message_header(w: &mut XmlWriter, header: &MessageHeader) -> Result<(), EdxmlError> {
    if header.to.is_empty() {
        return Err(EdxmlError::Missing("MessageHeader/To".into()));
    }
    require("MessageHeader", "DocumentId", &header.document_id)?;
    require("Code", "CodeNumber", &header.code_number)?;
    require("Code", "CodeNotation", &header.code_notation)?;
    require("MessageHeader", "Subject", &header.subject)?;

    w.open("edXML:MessageHeader");
    write_organization(w, "From", &header.from)?;
    for to in &header.to {
        write_organization(w, "To", to)?;
    }
    w.leaf("edXML:DocumentId", "DocumentId", &header.document_id)?;
    w.open("edXML:Code");
    w.leaf("edXML:CodeNumber", "CodeNumber", &header.code_number)?;
    w.leaf("edXML:CodeNotation", "CodeNotation", &header.code_notation)?;
    w.close("edXML:Code");
    w.open("edXML:PromulgationInfo");
    w.leaf("edXML:Place", "PromulgationInfo/Place", &header.place)?;
    w.leaf(
        "edXML:PromulgationDate",
        "PromulgationDate",
        &format_date(header.promulgation_date),
    )?;
    w.close("edXML:PromulgationInfo");
    let kind = &header.document_type;
    w.open("edXML:DocumentType");
    w.leaf("edXML:Type", "Type", &kind.type_code.to_string())?;
    w.leaf(
        "edXML:TypeDetail",
        "TypeDetail",
        &kind.type_detail.to_string(),
    )?;
    w.leaf("edXML:TypeName", "TypeName", &kind.type_name)?;
    w.close("edXML:DocumentType");
    w.leaf("edXML:Subject", "Subject", &header.subject)?;
    w.optional("edXML:Content", "Content", header.content.as_deref())?;
    w.open("edXML:SignerInfo");
    w.optional(
        "edXML:Competence",
        "Competence",
        header.signer.competence.as_deref(),
    )?;
    w.optional(
        "edXML:Position",
        "Position",
        header.signer.position.as_deref(),
    )?;
    w.leaf("edXML:FullName", "FullName", &header.signer.full_name)?;
    w.close("edXML:SignerInfo");
    if let Some(due) = header.due_date {
        w.leaf("edXML:DueDate", "DueDate", &format_date(due))?;
    }
    write_other_info(w, &header.other)?;
    if let Some(steering) = header.steering_type {
        w.leaf("edXML:SteeringType", "SteeringType", &steering.to_string())?;
    }
    if !header.to_places.is_empty() {
        w.open("edXML:ToPlaces");
        for place in &header.to_places {
            w.leaf("edXML:Place", "ToPlaces/Place", place)?;
        }
        w.close("edXML:ToPlaces");
    }
    for response_for in &header.response_for {
        write_response_for(w, response_for)?;
    }
    w.close("edXML:MessageHeader");
    Ok(())
}

fn write_other_info(w: &mut XmlWriter, other: &OtherInfo) -> Result<(), EdxmlError> {
    w.open("edXML:OtherInfo");
    w.leaf(
        "edXML:Priority",
        "Priority",
        &other.priority.code().to_string(),
    )?;
    w.leaf(
        "edXML:SphereOfPromulgation",
        "SphereOfPromulgation",
        &other.sphere_of_promulgation,
    )?;
    w.leaf(
        "edXML:TyperNotation",
        "TyperNotation",
        &other.typer_notation,
    )?;
    w.leaf(
        "edXML:PromulgationAmount",
        "PromulgationAmount",
        &other.promulgation_amount.to_string(),
    )?;
    w.leaf(
        "edXML:PageAmount",
        "PageAmount",
        &other.page_amount.to_string(),
    )?;
    w.leaf(
        "edXML:Direction",
        "Direction",
        if other.direction { "true" } else { "false" },
    )?;
    if !other.appendixes.is_empty() {
        w.open("edXML:Appendixes");
        for appendix in &other.appendixes {
            w.leaf("edXML:Appendix", "Appendix", appendix)?;
        }
        w.close("edXML:Appendixes");
    }
    w.close("edXML:OtherInfo");
    Ok(())
}

fn write_business(w: &mut XmlWriter, business: &Business) -> Result<(), EdxmlError> {
    w.open("edXML:Bussiness");
    w.optional(
        "edXML:DocumentId",
        "Bussiness/DocumentId",
        business.document_id.as_deref(),
    )?;
    w.leaf(
        "edXML:BussinessDocType",
        "BussinessDocType",
        &business.doc_type.code().to_string(),
    )?;
    w.leaf(
        "edXML:BussinessDocReason",
        "BussinessDocReason",
        &business.reason,
    )?;
    w.leaf(
        "edXML:Paper",
        "Paper",
        if business.paper { "1" } else { "0" },
    )?;
    if let Some(staff) = &business.staff_info {
        write_staff_info(w, staff)?;
    }
    if !business.replacements.is_empty() {
        w.open("edXML:ReplacementInfoList");
        for replacement in &business.replacements {
            require("ReplacementInfo", "DocumentId", &replacement.document_id)?;
            w.open("edXML:ReplacementInfo");
            w.leaf(
                "edXML:DocumentId",
                "ReplacementInfo/DocumentId",
                &replacement.document_id,
            )?;
            w.open("edXML:OrganIdList");
            for organ_id in &replacement.organ_ids {
                w.leaf("edXML:OrganId", "OrganIdList/OrganId", organ_id)?;
            }
            w.close("edXML:OrganIdList");
            w.close("edXML:ReplacementInfo");
        }
        w.close("edXML:ReplacementInfoList");
    }
    w.close("edXML:Bussiness");
    Ok(())
}

/// Reads an edXML package, within `limits`.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Package, EdxmlError> {
    let root = tree::parse(bytes, limits)?;
    let (envelope, outside) = envelope(&root)?;
    let header_element = envelope.required("edXMLHeader")?;
    let header = read_message_header(header_element.required("MessageHeader")?)?;

    let (traces, business) = match header_element.child("TraceHeaderList")? {
        None => (Vec::new(), None),
        Some(list) => {
            let traces = list
                .all("TraceHeader")
                .map(|trace| {
                    Ok(TraceHeader {
                        organ_id: optional_text(trace, "OrganId")?,
                        timestamp: required_timestamp(trace, "Timestamp")?,
                    })
                })
                .collect::<Result<Vec<_>, EdxmlError>>()?;
            let business = list.child("Bussiness")?.map(read_business).transpose()?;
            (traces, business)
        }
    };

    let attachments = read_attachments(envelope, outside, limits)?;
    Ok(Package {
        header,
        traces,
        business,
        attachments,
    })
}

/// The envelope, and the element holding `AttachmentEncoded` (the root).
/// A root that is the envelope itself is accepted: some senders leave out
/// the outer `edXML`.
pub(crate) fn envelope(root: &Element) -> Result<(&Element, &Element), EdxmlError> {
    match root.name.as_str() {
        "edXML" => Ok((root.required("edXMLEnvelope")?, root)),
        "edXMLEnvelope" => Ok((root, root)),
        other => Err(EdxmlError::WrongRoot {
            expected: "edXML",
            found: other.to_string(),
        }),
    }
}

fn read_message_header(element: &Element) -> Result<MessageHeader, EdxmlError> {
    let from = read_organization(element.required("From")?)?;
    let to = element
        .all("To")
        .map(read_organization)
        .collect::<Result<Vec<_>, _>>()?;
    if to.is_empty() {
        return Err(EdxmlError::Missing(element.path("To")));
    }
    let document_id = required_text(element, "DocumentId")?;
    let code = element.required("Code")?;
    let promulgation = element.required("PromulgationInfo")?;
    let kind = element.required("DocumentType")?;
    let document_type = DocumentType {
        type_code: optional_number(kind, "Type")?
            .ok_or_else(|| EdxmlError::Missing(kind.path("Type")))?,
        type_detail: optional_number(kind, "TypeDetail")?.unwrap_or(0),
        type_name: text_or_empty(kind, "TypeName")?,
    };
    let signer = match element.child("SignerInfo")? {
        None => SignerInfo::default(),
        Some(signer) => SignerInfo {
            competence: optional_text(signer, "Competence")?,
            position: optional_text(signer, "Position")?,
            full_name: text_or_empty(signer, "FullName")?,
        },
    };
    let other = match element.child("OtherInfo")? {
        None => OtherInfo::default(),
        Some(other) => OtherInfo {
            priority: optional_code(other, "Priority", Priority::from_code, "0, 1, 2, 3 hoặc 4")?
                .unwrap_or_default(),
            sphere_of_promulgation: text_or_empty(other, "SphereOfPromulgation")?,
            typer_notation: text_or_empty(other, "TyperNotation")?,
            promulgation_amount: optional_number(other, "PromulgationAmount")?.unwrap_or(0),
            page_amount: optional_number(other, "PageAmount")?.unwrap_or(0),
            direction: optional_bool(other, "Direction")?.unwrap_or(false),
            appendixes: match other.child("Appendixes")? {
                Some(list) => texts(list, "Appendix"),
                None => Vec::new(),
            },
        },
    };
    Ok(MessageHeader {
        from,
        to,
        document_id,
        code_number: required_text(code, "CodeNumber")?,
        code_notation: required_text(code, "CodeNotation")?,
        place: text_or_empty(promulgation, "Place")?,
        promulgation_date: required_date(promulgation, "PromulgationDate")?,
        document_type,
        subject: required_text(element, "Subject")?,
        content: optional_text(element, "Content")?,
        signer,
        due_date: optional_date(element, "DueDate")?,
        other,
        steering_type: optional_number(element, "SteeringType")?,
        to_places: match element.child("ToPlaces")? {
            Some(list) => texts(list, "Place"),
            None => Vec::new(),
        },
        response_for: element
            .all("ResponseFor")
            .map(read_response_for)
            .collect::<Result<Vec<_>, _>>()?,
    })
}

fn read_business(element: &Element) -> Result<Business, EdxmlError> {
    let replacements = match element.child("ReplacementInfoList")? {
        None => Vec::new(),
        Some(list) => list
            .all("ReplacementInfo")
            .map(|info| {
                Ok(ReplacementInfo {
                    document_id: required_text(info, "DocumentId")?,
                    organ_ids: match info.child("OrganIdList")? {
                        Some(ids) => texts(ids, "OrganId"),
                        None => Vec::new(),
                    },
                })
            })
            .collect::<Result<Vec<_>, EdxmlError>>()?,
    };
    Ok(Business {
        document_id: optional_text(element, "DocumentId")?,
        doc_type: optional_code(
            element,
            "BussinessDocType",
            BusinessDocType::from_code,
            "0, 1, 2 hoặc 3",
        )?
        .unwrap_or_default(),
        reason: text_or_empty(element, "BussinessDocReason")?,
        paper: optional_bool(element, "Paper")?.unwrap_or(false),
        staff_info: element
            .child("StaffInfo")?
            .map(read_staff_info)
            .transpose()?,
        replacements,
    })
}

/// Attachments come from `AttachmentEncoded/Attachment`; the manifest only
/// lists them, so a manifest entry without content is an error and the
/// manifest fills in a name, description or type the attachment left out.
fn read_attachments(
    envelope: &Element,
    outside: &Element,
    limits: &Limits,
) -> Result<Vec<Attachment>, EdxmlError> {
    let references: Vec<&Element> = match envelope.child("edXMLBody")? {
        Some(body) => match body.child("edXMLManifest")? {
            Some(manifest) => manifest.all("Reference").collect(),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    let encoded: Vec<&Element> = match outside.child("AttachmentEncoded")? {
        Some(list) => list.all("Attachment").collect(),
        None => Vec::new(),
    };
    check_attachment_count(references.len().max(encoded.len()), limits)?;

    let mut attachments = Vec::with_capacity(encoded.len());
    for element in encoded {
        let content_id = required_text(element, "ContentId")?;
        let reference = references.iter().copied().find(|r| {
            r.child("ContentId").ok().flatten().map(text).as_deref() == Some(&content_id)
        });
        let field = |name: &str| -> Result<Option<String>, EdxmlError> {
            match optional_text(element, name)? {
                Some(value) => Ok(Some(value)),
                None => match reference {
                    Some(reference) => optional_text(reference, name),
                    None => Ok(None),
                },
            }
        };
        let name = field("AttachmentName")?
            .ok_or_else(|| EdxmlError::Missing(element.path("AttachmentName")))?;
        let description = field("Description")?.unwrap_or_default();
        let content_type = field("ContentType")?.unwrap_or_default();
        let content = element
            .child(ENCODED_CONTENT)?
            .ok_or_else(|| EdxmlError::AttachmentWithoutContent(name.clone()))?;
        let bytes = attachments::decode(&name, &content.text, limits)?;
        attachments.push(Attachment {
            content_id,
            name,
            description,
            content_type,
            bytes,
        });
    }
    for reference in references {
        let content_id = required_text(reference, "ContentId")?;
        if !attachments.iter().any(|a| a.content_id == content_id) {
            return Err(EdxmlError::AttachmentMissing(
                optional_text(reference, "AttachmentName")?.unwrap_or(content_id),
            ));
        }
    }
    Ok(attachments)
}
