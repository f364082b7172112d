//! Distinguished names for certificate holders, in UTF-8 so that
//! Vietnamese names stay whole ("CN=Nguyễn Thị Ánh"), with the person's
//! identity number (UID "CCCD:…", as Vietnamese CAs write it) and e-mail.

use const_oid::db::rfc3280::EMAIL_ADDRESS as ID_EMAIL_ADDRESS;
use const_oid::db::rfc4519;
use der::asn1::{Any, Ia5StringRef, ObjectIdentifier, PrintableStringRef, SetOfVec, Utf8StringRef};
use der::{Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

use crate::Error;

/// The holder as a certificate names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubjectName {
    /// Tên — the person's full name or the organisation's name.
    pub common_name: String,
    /// Cơ quan — the organisation (for a person: their agency).
    pub organization: Option<String>,
    /// Đơn vị — the unit inside it.
    pub organizational_unit: Option<String>,
    pub locality: Option<String>,
    /// Tỉnh/thành phố.
    pub province: Option<String>,
    /// Two letters, `VN` unless said otherwise.
    pub country: String,
    pub email: Option<String>,
    /// Số định danh: "CCCD:084…" for a person, "MST:…" or an agency code for
    /// an organisation.
    pub identity: Option<String>,
}

/// Upper bounds from RFC 5280 Appendix A (`ub-…`), in characters.
const UB_NAME: usize = 64;
const UB_PLACE: usize = 128;
const UB_EMAIL: usize = 255;

impl SubjectName {
    /// The X.500 name, most significant part first: C, ST, L, O, OU, CN,
    /// UID, e-mail.
    pub fn to_name(&self) -> Result<Name, Error> {
        let country = self.country.trim();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::Subject(format!(
                "mã quốc gia «{country}» phải là hai chữ in hoa"
            )));
        }
        let mut parts = vec![(rfc4519::C, Value::Printable(country))];
        let optional = [
            (rfc4519::ST, &self.province, UB_PLACE, "tỉnh"),
            (rfc4519::L, &self.locality, UB_PLACE, "địa phương"),
            (rfc4519::O, &self.organization, UB_NAME, "cơ quan"),
            (rfc4519::OU, &self.organizational_unit, UB_NAME, "đơn vị"),
        ];
        for (oid, value, bound, label) in optional {
            if let Some(value) = value {
                parts.push((oid, Value::Utf8(checked(value, bound, label)?)));
            }
        }
        parts.push((
            rfc4519::CN,
            Value::Utf8(checked(&self.common_name, UB_NAME, "tên")?),
        ));
        if let Some(identity) = &self.identity {
            parts.push((
                rfc4519::UID,
                Value::Utf8(checked(identity, UB_NAME, "số định danh")?),
            ));
        }
        if let Some(email) = &self.email {
            let email = checked(email, UB_EMAIL, "thư điện tử")?;
            if !email.is_ascii() || email.matches('@').count() != 1 {
                return Err(Error::Subject(format!(
                    "địa chỉ thư «{email}» không hợp lệ"
                )));
            }
            parts.push((ID_EMAIL_ADDRESS, Value::Ia5(email)));
        }
        let rdns = parts
            .into_iter()
            .map(|(oid, value)| {
                let value = value.to_any()?;
                let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }])?;
                Ok(RelativeDistinguishedName::from(set))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(RdnSequence(rdns))
    }
}

enum Value<'a> {
    Printable(&'a str),
    Utf8(&'a str),
    Ia5(&'a str),
}

impl Value<'_> {
    fn to_any(&self) -> Result<Any, Error> {
        let any = match self {
            Self::Printable(s) => Any::from(PrintableStringRef::new(s)?),
            Self::Utf8(s) => Any::from(Utf8StringRef::new(s)?),
            Self::Ia5(s) => Any::from(Ia5StringRef::new(s)?),
        };
        Ok(any)
    }
}

fn checked<'a>(value: &'a str, bound: usize, label: &str) -> Result<&'a str, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::Subject(format!("{label} để trống")));
    }
    if value.chars().count() > bound {
        return Err(Error::Subject(format!("{label} dài quá {bound} ký tự")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::Subject(format!("{label} chứa ký tự điều khiển")));
    }
    Ok(value)
}

/// The text of the first attribute `oid` in `name`, if it is a string.
pub fn attribute(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| text_of(&atv.value))
}

fn text_of(value: &Any) -> Option<String> {
    match value.tag() {
        Tag::Utf8String => Utf8StringRef::try_from(value)
            .ok()
            .map(|s| s.as_str().to_owned()),
        Tag::PrintableString => PrintableStringRef::try_from(value)
            .ok()
            .map(|s| s.as_str().to_owned()),
        Tag::Ia5String => Ia5StringRef::try_from(value)
            .ok()
            .map(|s| s.as_str().to_owned()),
        _ => None,
    }
}

/// The common name of `name`.
pub fn common_name(name: &Name) -> Option<String> {
    attribute(name, rfc4519::CN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> SubjectName {
        SubjectName {
            common_name: "Nguyễn Thị Ánh".into(),
            organization: Some("Sở Thông tin và Truyền thông".into()),
            province: Some("Trà Vinh".into()),
            country: "VN".into(),
            email: Some("anhnt@travinh.gov.vn".into()),
            identity: Some("CCCD:084190000123".into()),
            ..SubjectName::default()
        }
    }

    #[test]
    fn vietnamese_names_survive_whole() {
        let name = person().to_name().unwrap();
        assert_eq!(common_name(&name).as_deref(), Some("Nguyễn Thị Ánh"));
        assert_eq!(
            attribute(&name, rfc4519::UID).as_deref(),
            Some("CCCD:084190000123")
        );
        assert_eq!(attribute(&name, rfc4519::C).as_deref(), Some("VN"));
    }

    #[test]
    fn bad_fields_are_refused() {
        let cases = [
            SubjectName {
                country: "Vn".into(),
                ..person()
            },
            SubjectName {
                common_name: "  ".into(),
                ..person()
            },
            SubjectName {
                common_name: "a".repeat(65),
                ..person()
            },
            SubjectName {
                common_name: "Tên\u{0}".into(),
                ..person()
            },
            SubjectName {
                email: Some("không@có.vn".into()),
                ..person()
            },
            SubjectName {
                email: Some("a@b@c".into()),
                ..person()
            },
        ];
        for case in cases {
            assert!(matches!(case.to_name(), Err(Error::Subject(_))), "{case:?}");
        }
    }
}
