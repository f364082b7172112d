//! Reading XML into a small tree of the elements edXML defines, under
//! [`Limits`]: the only place that touches the XML parser on the way in.
//!
//! Why a tree and not streaming: QCVN senders do not agree on element order
//! (`Bussiness` before or after the `TraceHeader`s), and a tree lets the
//! mapping code ask for children by name. The tree holds only elements
//! whose names edXML uses, in the QCVN namespace (or, below the root, in
//! none: some senders write the attachment part unqualified); everything
//! else, the XML-DSig `Signature` for one, is checked for well-formedness
//! and depth and then dropped. Element count, depth and text size are
//! bounded, so memory is bounded by the limits, not by the input.
//!
//! Refused outright: DOCTYPE (and with it every entity declaration, which
//! is how XML bombs work), entities other than XML's five, characters XML
//! forbids, encodings other than UTF-8.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};

use crate::error::Namespace as FoundNamespace;
use crate::{EdxmlError, Limits, NAMESPACE};

/// An element: its local name, its own text (trimmed only by the caller)
/// and the children kept.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

/// The element whose text is an attachment's base64: bounded by the
/// package size, not by `max_text_bytes`.
pub(crate) const ENCODED_CONTENT: &str = "ContentTransferEncoded";

/// Every element name the package and status mappings read. Anything else is
/// skipped with its subtree.
const KNOWN: &[&str] = &[
    "edXML",
    "edXMLEnvelope",
    "edXMLHeader",
    "edXMLBody",
    "edXMLManifest",
    "Reference",
    "MessageHeader",
    "From",
    "To",
    "OrganId",
    "OrganizationInCharge",
    "OrganName",
    "OrganAdd",
    "Email",
    "Telephone",
    "Fax",
    "Website",
    "DocumentId",
    "Code",
    "CodeNumber",
    "CodeNotation",
    "PromulgationInfo",
    "Place",
    "PromulgationDate",
    "DocumentType",
    "Type",
    "TypeDetail",
    "TypeName",
    "Subject",
    "Content",
    "SignerInfo",
    "Competence",
    "Position",
    "FullName",
    "DueDate",
    "OtherInfo",
    "Priority",
    "SphereOfPromulgation",
    "TyperNotation",
    "PromulgationAmount",
    "PageAmount",
    "Direction",
    "Appendixes",
    "Appendix",
    "SteeringType",
    "ToPlaces",
    "ResponseFor",
    "TraceHeaderList",
    "TraceHeader",
    "Timestamp",
    "Bussiness",
    "BussinessDocType",
    "BussinessDocReason",
    "Paper",
    "StaffInfo",
    "Department",
    "Staff",
    "Mobile",
    "ReplacementInfoList",
    "ReplacementInfo",
    "OrganIdList",
    "AttachmentEncoded",
    "Attachment",
    "ContentId",
    "AttachmentName",
    "Description",
    "ContentType",
    ENCODED_CONTENT,
    "Status",
    "StatusCode",
];

/// Parses `bytes` into the tree of its root element, which must be in the
/// QCVN namespace.
pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<Element, EdxmlError> {
    if bytes.len() > limits.max_package_bytes {
        return Err(EdxmlError::PackageTooLarge {
            size: bytes.len(),
            limit: limits.max_package_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\xFF\xFE") {
        return Err(EdxmlError::Encoding("UTF-16".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        EdxmlError::Encoding(format!(
            "byte không phải UTF-8 ở vị trí {}",
            e.valid_up_to()
        ))
    })?;
    Parser::new(limits).run(text)
}

/// One open element: `None` when it is being skipped.
type Frame = Option<Element>;

struct Parser<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    elements: usize,
    root: Option<Element>,
}

impl<'l> Parser<'l> {
    fn new(limits: &'l Limits) -> Self {
        Parser {
            limits,
            stack: Vec::new(),
            elements: 0,
            root: None,
        }
    }

    fn run(mut self, text: &str) -> Result<Element, EdxmlError> {
        let mut reader = NsReader::from_str(text);
        loop {
            let (resolved, event) = match reader.read_resolved_event() {
                Ok((resolved, event)) => (owned_namespace(&resolved), event),
                Err(error) => {
                    return Err(EdxmlError::Xml(format!(
                        "{error} (byte {})",
                        reader.error_position()
                    )));
                }
            };
            match event {
                Event::Decl(decl) => {
                    if let Some(encoding) = decl.encoding() {
                        let encoding = encoding.map_err(|e| EdxmlError::Xml(e.to_string()))?;
                        let encoding = encoding.into_owned();
                        if !encoding.eq_ignore_ascii_case("utf-8") {
                            return Err(EdxmlError::Encoding(encoding));
                        }
                    }
                }
                Event::DocType(_) => return Err(EdxmlError::Doctype),
                Event::Start(start) => {
                    self.open(start.local_name().as_ref(), resolved)?;
                }
                Event::Empty(start) => {
                    self.open(start.local_name().as_ref(), resolved)?;
                    self.close();
                }
                Event::End(_) => self.close(),
                Event::Text(text) => self.text(&text.xml10_content())?,
                Event::CData(data) => self.text(&data.xml10_content())?,
                Event::GeneralRef(reference) => {
                    let character = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => match &*reference {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => return Err(EdxmlError::UnknownEntity(other.to_string())),
                        },
                        Err(error) => return Err(EdxmlError::Xml(error.to_string())),
                    };
                    self.text(character.encode_utf8(&mut [0; 4]))?;
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        if !self.stack.is_empty() {
            return Err(EdxmlError::Xml(
                "tệp bị cắt cụt: còn phần tử chưa đóng".into(),
            ));
        }
        self.root
            .ok_or_else(|| EdxmlError::Xml("không có phần tử nào".into()))
    }

    fn open(&mut self, name: &str, namespace: Resolved) -> Result<(), EdxmlError> {
        if self.stack.is_empty() && self.root.is_some() {
            return Err(EdxmlError::Xml("có hơn một phần tử gốc".into()));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(EdxmlError::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(EdxmlError::TooManyElements {
                limit: self.limits.max_elements,
            });
        }
        let frame = match self.stack.last() {
            None => {
                // The root decides the document's namespace: it must be QCVN's.
                match namespace {
                    Resolved::Qcvn => {}
                    Resolved::None => {
                        return Err(EdxmlError::WrongNamespace {
                            element: name.to_string(),
                            found: FoundNamespace::None,
                        });
                    }
                    Resolved::Other(uri) => {
                        return Err(EdxmlError::WrongNamespace {
                            element: name.to_string(),
                            found: FoundNamespace::Other(uri),
                        });
                    }
                    Resolved::Undeclared(prefix) => {
                        return Err(EdxmlError::WrongNamespace {
                            element: name.to_string(),
                            found: FoundNamespace::UndeclaredPrefix(prefix),
                        });
                    }
                }
                Some(Element {
                    name: name.to_string(),
                    ..Element::default()
                })
            }
            // An undeclared prefix breaks the namespace rules of XML
            // wherever it is, even in a part that would be skipped.
            Some(_) if matches!(namespace, Resolved::Undeclared(_)) => {
                return Err(EdxmlError::Xml(format!(
                    "tiền tố của phần tử «{name}» chưa được khai báo"
                )));
            }
            Some(None) => None,
            Some(Some(_)) => {
                let keep =
                    matches!(namespace, Resolved::Qcvn | Resolved::None) && KNOWN.contains(&name);
                keep.then(|| Element {
                    name: name.to_string(),
                    ..Element::default()
                })
            }
        };
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self) {
        // quick-xml checks that end tags match, so the stack is never empty here.
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let Some(element) = frame else {
            return;
        };
        match self.stack.last_mut() {
            Some(Some(parent)) => parent.children.push(element),
            Some(None) => {}
            None => self.root = Some(element),
        }
    }

    fn text(&mut self, text: &str) -> Result<(), EdxmlError> {
        if let Some(c) = text.chars().find(|&c| !allowed(c)) {
            return Err(EdxmlError::ForbiddenCharacter(u32::from(c)));
        }
        let Some(Some(element)) = self.stack.last_mut() else {
            return Ok(());
        };
        let limit = if element.name == ENCODED_CONTENT {
            self.limits.max_package_bytes
        } else {
            self.limits.max_text_bytes
        };
        if element.text.len() + text.len() > limit {
            return Err(EdxmlError::TextTooLong {
                element: element.name.clone(),
                limit,
            });
        }
        element.text.push_str(text);
        Ok(())
    }
}

/// Where an element's name resolved, detached from the reader's borrow.
enum Resolved {
    Qcvn,
    None,
    Other(String),
    Undeclared(String),
}

fn owned_namespace(resolved: &ResolveResult<'_>) -> Resolved {
    match resolved {
        ResolveResult::Bound(Namespace(uri)) if *uri == NAMESPACE => Resolved::Qcvn,
        ResolveResult::Bound(Namespace(uri)) => Resolved::Other((*uri).to_string()),
        ResolveResult::Unknown(prefix) => Resolved::Undeclared(prefix.clone()),
        ResolveResult::Unbound => Resolved::None,
    }
}

/// XML 1.0's `Char` production.
pub(crate) fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

impl Element {
    /// Children with this local name.
    pub fn all<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a Element> + use<'a, 'n> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The one child with this name, if any; two is an error.
    pub fn child(&self, name: &str) -> Result<Option<&Element>, EdxmlError> {
        let mut found = self.all(name);
        let first = found.next();
        if found.next().is_some() {
            return Err(EdxmlError::Duplicate(self.path(name)));
        }
        Ok(first)
    }

    /// The one child with this name; missing is an error.
    pub fn required(&self, name: &str) -> Result<&Element, EdxmlError> {
        self.child(name)?
            .ok_or_else(|| EdxmlError::Missing(self.path(name)))
    }

    /// `Parent/name`, for messages.
    pub fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.name)
    }
}
