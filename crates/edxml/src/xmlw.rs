//! Writing XML text: the only place that produces markup, so escaping and
//! the characters XML cannot carry are handled once.
//!
//! Output is indented by two spaces per level like the SDK sample, so a
//! technician can read a package in any editor. Text is written in NFC;
//! `&`, `<`, `>` are escaped, and `\r` as `&#13;` so that a carriage
//! return survives the reader's end-of-line normalisation.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::EdxmlError;
use crate::tree::allowed;

pub(crate) struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// `<name attr="value"…>` on its own line. Attribute values here are
    /// constants (namespace URIs, the manifest version), never user text.
    pub fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(value);
            self.out.push('"');
        }
        self.out.push_str(">\n");
        self.depth += 1;
    }

    pub fn open(&mut self, name: &str) {
        self.open_with(name, &[]);
    }

    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name>text</name>`; `field` names the value in an error.
    pub fn leaf(&mut self, name: &str, field: &str, value: &str) -> Result<(), EdxmlError> {
        self.leaf_with(name, &[], field, value)
    }

    pub fn leaf_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        field: &str,
        value: &str,
    ) -> Result<(), EdxmlError> {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(value);
            self.out.push('"');
        }
        self.out.push('>');
        escape_into(&mut self.out, field, value)?;
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        Ok(())
    }

    /// A leaf only when there is a value.
    pub fn optional(
        &mut self,
        name: &str,
        field: &str,
        value: Option<&str>,
    ) -> Result<(), EdxmlError> {
        match value {
            Some(value) if !value.is_empty() => self.leaf(name, field, value),
            _ => Ok(()),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

fn escape_into(out: &mut String, field: &str, value: &str) -> Result<(), EdxmlError> {
    let normalized;
    let value = if is_nfc_quick(value.chars()) == IsNormalized::Yes {
        value
    } else {
        normalized = value.nfc().collect::<String>();
        &normalized
    };
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            c => {
                return Err(EdxmlError::UnwritableCharacter {
                    field: field.to_string(),
                    code: u32::from(c),
                });
            }
        }
    }
    Ok(())
}
