//! Document numbers and symbols (số, ký hiệu).
//!
//! Owns the four shapes of the seed: administrative `437/QĐ-UBND`, công văn
//! `906/UBND-KGVX`, legal normative with year `47/2020/NĐ-CP`, Party
//! `205-QĐ/TW`. Invariant: `DocSymbol::parse(&s.to_string()) == Ok(s)`, and
//! numbers below 10 are written with a leading zero (Decree 30 Art. 15).

use std::fmt;

use crate::doctypes;

/// Which of the four shapes a symbol has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolShape {
    /// `437/QĐ-UBND`: number / type - issuer.
    Administrative,
    /// `906/UBND-KGVX`: number / issuer - drafting unit (no type).
    CongVan,
    /// `47/2020/NĐ-CP`: number / year / type - issuer, or `45/2019/QH14`
    /// (number / year / issuer) for laws.
    LegalNormative,
    /// `205-QĐ/TW`: number - type / issuing Party body.
    Party,
}

/// A parsed document symbol.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DocSymbol {
    pub shape: SymbolShape,
    /// The document number (số).
    pub number: u32,
    /// The year, legal normative documents only.
    pub year: Option<i32>,
    /// Type abbreviation ("QĐ"); `None` for công văn and laws.
    pub type_abbr: Option<String>,
    /// Issuing body (`UBND`, `CP`, `TTg`, `TW`, `BTC-BTTTT`).
    pub issuer: String,
    /// Drafting unit of a công văn ("KGVX").
    pub unit: Option<String>,
}

/// Why a symbol could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SymbolError {
    /// No leading document number.
    NoNumber,
    /// Not one of the four shapes.
    UnknownShape,
}

impl fmt::Display for SymbolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoNumber => "document symbol must start with its number",
            Self::UnknownShape => "not a document symbol",
        })
    }
}

impl std::error::Error for SymbolError {}

impl DocSymbol {
    /// `437/QĐ-UBND`.
    pub fn administrative(number: u32, type_abbr: &str, issuer: &str) -> Self {
        Self::new(
            SymbolShape::Administrative,
            number,
            None,
            Some(type_abbr),
            issuer,
            None,
        )
    }

    /// `906/UBND-KGVX`.
    pub fn cong_van(number: u32, issuer: &str, unit: &str) -> Self {
        Self::new(SymbolShape::CongVan, number, None, None, issuer, Some(unit))
    }

    /// `47/2020/NĐ-CP`; pass `type_abbr = None` for a law (`45/2019/QH14`).
    pub fn legal(number: u32, year: i32, type_abbr: Option<&str>, issuer: &str) -> Self {
        Self::new(
            SymbolShape::LegalNormative,
            number,
            Some(year),
            type_abbr,
            issuer,
            None,
        )
    }

    /// `205-QĐ/TW`.
    pub fn party(number: u32, type_abbr: &str, issuer: &str) -> Self {
        Self::new(
            SymbolShape::Party,
            number,
            None,
            Some(type_abbr),
            issuer,
            None,
        )
    }

    fn new(
        shape: SymbolShape,
        number: u32,
        year: Option<i32>,
        type_abbr: Option<&str>,
        issuer: &str,
        unit: Option<&str>,
    ) -> Self {
        Self {
            shape,
            number,
            year,
            type_abbr: type_abbr.map(crate::text::nfc),
            issuer: crate::text::nfc(issuer),
            unit: unit.map(crate::text::nfc),
        }
    }

    /// The full type name when the abbreviation is known ("Quyết định").
    pub fn type_name(&self) -> Option<&'static str> {
        match self.shape {
            SymbolShape::CongVan => Some("Công văn"),
            _ => self
                .type_abbr
                .as_deref()
                .and_then(doctypes::by_abbr)
                .map(|d| d.name),
        }
    }

    /// Parses one symbol; surrounding spaces are ignored.
    ///
    /// ```
    /// use vn::symbols::{DocSymbol, SymbolShape};
    /// let s = DocSymbol::parse("47/2020/NĐ-CP").unwrap();
    /// assert_eq!((s.shape, s.number, s.year), (SymbolShape::LegalNormative, 47, Some(2020)));
    /// ```
    pub fn parse(s: &str) -> Result<Self, SymbolError> {
        let s = crate::text::nfc(s.trim());
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(SymbolError::NoNumber);
        }
        let number: u32 = s[..digits].parse().map_err(|_| SymbolError::UnknownShape)?;
        let rest = &s[digits..];
        if let Some(rest) = rest.strip_prefix('-') {
            // Party: TYPE/ISSUER.
            let (kind, issuer) = rest.split_once('/').ok_or(SymbolError::UnknownShape)?;
            if is_code(kind) && is_code(issuer) {
                return Ok(Self::party(number, kind, issuer));
            }
            return Err(SymbolError::UnknownShape);
        }
        let rest = rest.strip_prefix('/').ok_or(SymbolError::UnknownShape)?;
        if let Some((year, tail)) = rest.split_once('/') {
            let year: i32 = match year.len() {
                4 if year.bytes().all(|b| b.is_ascii_digit()) => {
                    year.parse().map_err(|_| SymbolError::UnknownShape)?
                }
                _ => return Err(SymbolError::UnknownShape),
            };
            let (kind, issuer) = split_type(tail);
            if !is_issuer(issuer) {
                return Err(SymbolError::UnknownShape);
            }
            return Ok(Self::legal(number, year, kind, issuer));
        }
        let (head, tail) = rest.split_once('-').ok_or(SymbolError::UnknownShape)?;
        if !is_code(head) || !is_issuer(tail) {
            return Err(SymbolError::UnknownShape);
        }
        if doctypes::by_abbr(head).is_some_and(|d| d.abbr.is_some()) {
            Ok(Self::administrative(number, head, tail))
        } else {
            Ok(Self::cong_van(number, head, tail))
        }
    }
}

/// Splits `TYPE-ISSUER` when the first part is a known type abbreviation;
/// otherwise the whole is the issuer (`QH14`).
fn split_type(tail: &str) -> (Option<&str>, &str) {
    match tail.split_once('-') {
        Some((kind, issuer)) if doctypes::by_abbr(kind).is_some() => (Some(kind), issuer),
        _ => (None, tail),
    }
}

/// A code segment: letters and digits, starting with a letter.
fn is_code(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphabetic) && s.chars().all(char::is_alphanumeric)
}

/// An issuer: one or more codes joined by "-" ("BTC-BTTTT").
fn is_issuer(s: &str) -> bool {
    s.split('-').all(is_code)
}

impl fmt::Display for DocSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.number;
        let kind = self.type_abbr.as_deref().unwrap_or("");
        match self.shape {
            SymbolShape::Administrative => write!(f, "{n:02}/{kind}-{}", self.issuer),
            SymbolShape::CongVan => {
                write!(
                    f,
                    "{n:02}/{}-{}",
                    self.issuer,
                    self.unit.as_deref().unwrap_or("")
                )
            }
            SymbolShape::LegalNormative => {
                write!(f, "{n:02}/{:04}/", self.year.unwrap_or_default())?;
                if !kind.is_empty() {
                    write!(f, "{kind}-")?;
                }
                f.write_str(&self.issuer)
            }
            SymbolShape::Party => write!(f, "{n:02}-{kind}/{}", self.issuer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_shapes_build_and_parse() {
        let cases = [
            (DocSymbol::administrative(437, "QĐ", "UBND"), "437/QĐ-UBND"),
            (DocSymbol::administrative(20, "KH", "UBND"), "20/KH-UBND"),
            (DocSymbol::administrative(26, "CT", "TTg"), "26/CT-TTg"),
            (DocSymbol::cong_van(906, "UBND", "KGVX"), "906/UBND-KGVX"),
            (
                DocSymbol::cong_van(181, "CATTT", "VNCERTCC"),
                "181/CATTT-VNCERTCC",
            ),
            (
                DocSymbol::legal(47, 2020, Some("NĐ"), "CP"),
                "47/2020/NĐ-CP",
            ),
            (
                DocSymbol::legal(749, 2020, Some("QĐ"), "TTg"),
                "749/2020/QĐ-TTg",
            ),
            (DocSymbol::legal(45, 2019, None, "QH14"), "45/2019/QH14"),
            (
                DocSymbol::legal(3, 2025, Some("TT"), "VPCP"),
                "03/2025/TT-VPCP",
            ),
            (DocSymbol::party(205, "QĐ", "TW"), "205-QĐ/TW"),
            (DocSymbol::party(68, "CV", "TU"), "68-CV/TU"),
            (DocSymbol::party(1, "KL", "TU"), "01-KL/TU"),
            (DocSymbol::party(43, "KH", "ĐU"), "43-KH/ĐU"),
            (DocSymbol::administrative(5, "TB", "STTTT"), "05/TB-STTTT"),
        ];
        for (symbol, text) in cases {
            assert_eq!(symbol.to_string(), text);
            assert_eq!(DocSymbol::parse(text), Ok(symbol), "{text}");
        }
    }

    #[test]
    fn parsed_parts() {
        let s = DocSymbol::parse("906/UBND-KGVX").unwrap();
        assert_eq!(s.shape, SymbolShape::CongVan);
        assert_eq!(
            (s.issuer.as_str(), s.unit.as_deref()),
            ("UBND", Some("KGVX"))
        );
        assert_eq!(s.type_name(), Some("Công văn"));
        let s = DocSymbol::parse("437/QĐ-UBND").unwrap();
        assert_eq!(s.type_name(), Some("Quyết định"));
        let s = DocSymbol::parse("14/2022/TTLT-BTC-BTTTT").unwrap();
        assert_eq!(
            (s.type_abbr.as_deref(), s.issuer.as_str()),
            (Some("TTLT"), "BTC-BTTTT")
        );
        // NFD input comes back NFC.
        let s = DocSymbol::parse("43-KH/\u{110}U").unwrap();
        assert_eq!(s.issuer, "ĐU");
    }

    #[test]
    fn not_symbols() {
        for text in [
            "25/3/2021",
            "4/2021",
            "2021-2025",
            "I/2021",
            "QĐ-UBND",
            "27/phút",
            "12/",
            "5-CV",
        ] {
            assert!(DocSymbol::parse(text).is_err(), "{text}");
        }
    }
}
