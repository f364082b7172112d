//! [`DocumentId`]: the identifier of a document between agencies,
//! `{sender OrganId},{yyyy/MM/dd},{number}/{notation}`.
//!
//! A separate helper rather than the type of `MessageHeader::document_id`:
//! identifiers in real packages do not always parse (the SDK's own sample
//! has 30 February), and a package must still be readable.

use std::fmt;

use time::Date;

use crate::EdxmlError;
use crate::dates::{format_date, parse_date};

/// A parsed `DocumentId`, e.g. `000.00.00.G22,2015/09/30,7816/VPCP-TTĐT`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentId {
    /// The issuing agency's code.
    pub organ_id: String,
    /// The promulgation date.
    pub date: Date,
    /// The number, before the first `/` (`7816`).
    pub number: String,
    /// The symbol, after it (`VPCP-TTĐT`; `2020/NĐ-CP` for `47/2020/NĐ-CP`).
    pub notation: String,
}

impl DocumentId {
    /// Builds one; fails if a part would make the text ambiguous (a comma
    /// in the agency code, a `/` in the number, an empty part).
    pub fn new(
        organ_id: impl Into<String>,
        date: Date,
        number: impl Into<String>,
        notation: impl Into<String>,
    ) -> Result<DocumentId, EdxmlError> {
        let id = DocumentId {
            organ_id: organ_id.into(),
            date,
            number: number.into(),
            notation: notation.into(),
        };
        let text = id.to_string();
        if DocumentId::parse(&text).ok().as_ref() == Some(&id) {
            Ok(id)
        } else {
            Err(EdxmlError::InvalidDocumentId(text))
        }
    }

    /// Reads `{OrganId},{yyyy/MM/dd},{number}/{notation}`.
    pub fn parse(text: &str) -> Result<DocumentId, EdxmlError> {
        let invalid = || EdxmlError::InvalidDocumentId(text.to_string());
        let mut parts = text.split(',');
        let (Some(organ_id), Some(date), Some(code), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let date = parse_date(date).ok_or_else(invalid)?;
        let (number, notation) = code.split_once('/').ok_or_else(invalid)?;
        let (organ_id, number, notation) = (organ_id.trim(), number.trim(), notation.trim());
        if organ_id.is_empty() || number.is_empty() || notation.is_empty() {
            return Err(invalid());
        }
        Ok(DocumentId {
            organ_id: organ_id.to_string(),
            date,
            number: number.to_string(),
            notation: notation.to_string(),
        })
    }

    /// `{number}/{notation}`, the `Code` of a `ResponseFor`.
    pub fn code(&self) -> String {
        format!("{}/{}", self.number, self.notation)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{},{}/{}",
            self.organ_id,
            format_date(self.date),
            self.number,
            self.notation
        )
    }
}

impl std::str::FromStr for DocumentId {
    type Err = EdxmlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DocumentId::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_sample_identifier_parses_and_prints_back() {
        let text = "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT";
        let id = DocumentId::parse(text).unwrap();
        assert_eq!(id.organ_id, "000.00.00.G22");
        assert_eq!(id.date, date!(2015 - 09 - 30));
        assert_eq!(id.number, "7816");
        assert_eq!(id.notation, "VPCP-TTĐT");
        assert_eq!(id.code(), "7816/VPCP-TTĐT");
        assert_eq!(id.to_string(), text);
    }

    #[test]
    fn a_legal_document_symbol_keeps_its_year_in_the_notation() {
        let id: DocumentId = "000.00.00.G01,2020/04/09,47/2020/NĐ-CP".parse().unwrap();
        assert_eq!(
            (id.number.as_str(), id.notation.as_str()),
            ("47", "2020/NĐ-CP")
        );
    }

    #[test]
    fn malformed_identifiers_are_refused() {
        for text in [
            "",
            "000.00.00.G22",
            "000.00.00.G22,2015/09/30",
            "000.00.00.G22,2015/09/30,7816",
            "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT",
            "000.00.00.G22,2015-09-30,7816/VPCP",
            ",2015/09/30,7816/VPCP",
            "000.00.00.G22,2015/09/30,/VPCP",
            "000.00.00.G22,2015/09/30,7816/",
            "a,b,2015/09/30,7816/VPCP",
        ] {
            assert!(
                matches!(DocumentId::parse(text), Err(EdxmlError::InvalidDocumentId(t)) if t == text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn new_refuses_parts_that_would_not_read_back() {
        let day = date!(2026 - 01 - 05);
        assert!(DocumentId::new("000.00.00.H59", day, "12", "UBND-VP").is_ok());
        assert!(DocumentId::new("000,00", day, "12", "UBND").is_err());
        assert!(DocumentId::new("000.00.00.H59", day, "1/2", "UBND").is_err());
        assert!(DocumentId::new("000.00.00.H59", day, "", "UBND").is_err());
        assert!(DocumentId::new(" 000.00.00.H59", day, "12", "UBND").is_err());
    }
}
