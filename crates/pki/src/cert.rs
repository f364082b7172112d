//! Building and signing X.509 v3 certificates: the self-signed root, CAs
//! under it, and end-entity certificates per [`Profile`], with key
//! identifiers, the CRL distribution point and AIA (OCSP and CA issuer)
//! under the province's public base URL.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use const_oid::AssociatedOid;
use const_oid::db::rfc5912::{ID_AD_CA_ISSUERS, ID_AD_OCSP};
use der::asn1::{BitString, GeneralizedTime, Ia5String, OctetString, UtcTime};
use der::{DateTime, Encode};
use spki::SubjectPublicKeyInfoOwned;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::certificate::{TbsCertificate, Version};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints,
    CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::Error;
use crate::algorithm::Digest;
use crate::key::CaKey;
use crate::profile::Profile;

/// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): the responder's own
/// certificate is not checked by OCSP.
const ID_PKIX_OCSP_NOCHECK: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");

/// A certificate serial number: positive, at most 20 octets, kept without
/// leading zeros and shown in upper-case hex as OpenSSL shows it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Serial(Vec<u8>);

impl Serial {
    /// 128 random bits (RFC 5280 asks for unpredictable serials).
    pub fn random() -> Result<Self, Error> {
        let mut bytes = [0u8; 16];
        aws_lc_rs::rand::fill(&mut bytes)
            .map_err(|_| Error::Crypto("không lấy được số ngẫu nhiên".into()))?;
        Self::from_bytes(&bytes)
    }

    /// The big-endian magnitude `bytes`; zero and more than 20 octets as
    /// DER writes it are refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let trimmed = &bytes[start..];
        // DER puts a zero octet before a magnitude whose top bit is set, and
        // x509-cert writes no serial longer than 20 octets (RFC 5280's
        // limit): a 20-octet magnitude with the top bit set could be kept
        // here but never written into a certificate or a CRL, where one such
        // entry would stop the whole CRL.
        let sign_octet = trimmed.first().is_some_and(|b| b & 0x80 != 0);
        if trimmed.is_empty() || trimmed.len() + usize::from(sign_octet) > 20 {
            return Err(serial_out_of_range());
        }
        Ok(Self(trimmed.to_vec()))
    }

    /// The serial of a certificate, CRL entry or OCSP `CertID`. A negative
    /// INTEGER is refused: its two's-complement octets, read as a
    /// magnitude, would name another certificate (DER `81` is -127, not
    /// the certificate numbered `00 81`).
    pub fn of(serial: &SerialNumber) -> Result<Self, Error> {
        let bytes = serial.as_bytes();
        if bytes.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(serial_out_of_range());
        }
        Self::from_bytes(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn to_x509(&self) -> Result<SerialNumber, Error> {
        Ok(SerialNumber::new(&self.0)?)
    }
}

fn serial_out_of_range() -> Error {
    Error::Malformed("số hiệu chứng thư phải dương và dài tối đa 20 byte".into())
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

impl fmt::Debug for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Serial({self})")
    }
}

impl FromStr for Serial {
    type Err = Error;

    /// Hex, with or without colons, in either case.
    fn from_str(s: &str) -> Result<Self, Error> {
        let hex: String = s.trim().chars().filter(|c| *c != ':').collect();
        let hex = hex.strip_prefix("0x").unwrap_or(&hex);
        let bad = || Error::Malformed(format!("số hiệu «{s}» không phải số hệ mười sáu"));
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let padded = if hex.len() % 2 == 1 {
            format!("0{hex}")
        } else {
            hex.to_owned()
        };
        let bytes = (0..padded.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).map_err(|_| bad()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_bytes(&bytes)
    }
}

/// Where relying parties find a CA's CRL, OCSP responder and certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityUrls {
    pub crl: String,
    pub ocsp: String,
    pub ca_issuers: String,
}

impl AuthorityUrls {
    /// The URLs egov serves for the CA named `ca` under `base`
    /// (`https://pki.travinh.gov.vn`): `/pki/crl/<ca>.crl`, `/pki/ocsp`,
    /// `/pki/ca/<ca>.crt`.
    pub fn under(base: &str, ca: &str) -> Self {
        let base = base.trim_end_matches('/');
        Self {
            crl: format!("{base}/pki/crl/{ca}.crl"),
            ocsp: format!("{base}/pki/ocsp"),
            ca_issuers: format!("{base}/pki/ca/{ca}.crt"),
        }
    }
}

/// A CA ready to sign: its certificate, its key, the digest it signs with,
/// and the URLs it puts in what it issues (none for a root used only
/// offline).
pub struct Authority {
    pub certificate: Certificate,
    pub key: Box<dyn CaKey>,
    pub digest: Digest,
    pub urls: Option<AuthorityUrls>,
}

impl fmt::Debug for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authority")
            .field(
                "subject",
                &self.certificate.tbs_certificate.subject.to_string(),
            )
            .field("key", &self.key.spec())
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

/// What a new certificate says.
#[derive(Debug, Clone)]
pub struct Template {
    pub serial: Serial,
    pub subject: Name,
    pub public_key: SubjectPublicKeyInfoOwned,
    pub profile: Profile,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// Put in the subject alternative name as well as the subject.
    pub email: Option<String>,
    /// For a TLS server: its host names.
    pub dns_names: Vec<String>,
}

impl Authority {
    /// Issues the certificate `template` describes, signed by this CA.
    pub fn issue(&self, template: &Template) -> Result<Certificate, Error> {
        if template.profile == Profile::Root {
            return Err(Error::Unsupported(
                "CA gốc chỉ tự ký, không được cấp".into(),
            ));
        }
        let issuer = &self.certificate.tbs_certificate;
        let mut extensions = common_extensions(template)?;
        extensions.push(extension(
            &authority_key_id(&issuer.subject_public_key_info)?,
            false,
        )?);
        if let Some(urls) = &self.urls {
            extensions.push(extension(&distribution_points(&urls.crl)?, false)?);
            extensions.push(extension(&authority_access(urls)?, false)?);
        }
        sign(
            self.key.as_ref(),
            self.digest,
            template,
            issuer.subject.clone(),
            extensions,
        )
    }
}

/// A self-signed root of `key`.
pub fn self_signed(
    key: &dyn CaKey,
    digest: Digest,
    template: &Template,
) -> Result<Certificate, Error> {
    if template.profile != Profile::Root {
        return Err(Error::Unsupported("chỉ CA gốc mới tự ký".into()));
    }
    if &template.public_key != key.public_key() {
        return Err(Error::Unsupported(
            "khóa công khai không phải của khóa ký".into(),
        ));
    }
    let mut extensions = common_extensions(template)?;
    extensions.push(extension(&authority_key_id(&template.public_key)?, false)?);
    sign(key, digest, template, template.subject.clone(), extensions)
}

fn common_extensions(template: &Template) -> Result<Vec<Extension>, Error> {
    let profile = template.profile;
    let rsa = crate::verify::key_spec_of(&template.public_key)?.is_rsa();
    let constraints = BasicConstraints {
        ca: profile.is_ca(),
        path_len_constraint: (profile == Profile::IssuingCa).then_some(0),
    };
    let mut extensions = vec![
        extension(&constraints, true)?,
        extension(&KeyUsage(crate::profile::key_usage(profile, rsa)), true)?,
        extension(&subject_key_id(&template.public_key)?, false)?,
    ];
    let usages = crate::profile::extended_key_usage(profile);
    if !usages.is_empty() {
        let critical = profile == Profile::Timestamping;
        extensions.push(extension(&ExtendedKeyUsage(usages.to_vec()), critical)?);
    }
    let mut alt_names = Vec::new();
    if let Some(email) = &template.email {
        alt_names.push(GeneralName::Rfc822Name(ia5(email)?));
    }
    for host in &template.dns_names {
        alt_names.push(GeneralName::DnsName(ia5(host)?));
    }
    if profile == Profile::TlsServer && template.dns_names.is_empty() {
        return Err(Error::Subject(
            "chứng thư máy chủ TLS cần ít nhất một tên miền".into(),
        ));
    }
    if !alt_names.is_empty() {
        extensions.push(extension(&SubjectAltName(alt_names), false)?);
    }
    if profile == Profile::Ocsp {
        extensions.push(Extension {
            extn_id: ID_PKIX_OCSP_NOCHECK,
            critical: false,
            extn_value: OctetString::new(der::asn1::Null.to_der()?)?,
        });
    }
    Ok(extensions)
}

fn sign(
    key: &dyn CaKey,
    digest: Digest,
    template: &Template,
    issuer: Name,
    extensions: Vec<Extension>,
) -> Result<Certificate, Error> {
    if template.not_after <= template.not_before {
        return Err(Error::Unsupported(
            "ngày hết hạn phải sau ngày hiệu lực".into(),
        ));
    }
    let signature = key.spec().signature(digest)?.identifier();
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: template.serial.to_x509()?,
        signature: signature.clone(),
        issuer,
        validity: Validity {
            not_before: x509_time(template.not_before)?,
            not_after: x509_time(template.not_after)?,
        },
        subject: template.subject.clone(),
        subject_public_key_info: template.public_key.clone(),
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    let bytes = key.sign(digest, &tbs.to_der()?)?;
    Ok(Certificate {
        tbs_certificate: tbs,
        signature_algorithm: signature,
        signature: BitString::from_bytes(&bytes)?,
    })
}

/// A DER extension of `value`.
pub(crate) fn extension<T: AssociatedOid + Encode>(
    value: &T,
    critical: bool,
) -> Result<Extension, Error> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

fn ia5(text: &str) -> Result<Ia5String, Error> {
    Ia5String::new(text).map_err(|_| Error::Subject(format!("«{text}» phải là ASCII")))
}

/// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. SHA-1
/// here is an identifier, not a signature.
pub fn key_id(key: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
        key.subject_public_key.raw_bytes(),
    )
    .as_ref()
    .to_vec()
}

fn subject_key_id(key: &SubjectPublicKeyInfoOwned) -> Result<SubjectKeyIdentifier, Error> {
    Ok(SubjectKeyIdentifier(OctetString::new(key_id(key))?))
}

pub(crate) fn authority_key_id(
    issuer: &SubjectPublicKeyInfoOwned,
) -> Result<AuthorityKeyIdentifier, Error> {
    Ok(AuthorityKeyIdentifier {
        key_identifier: Some(OctetString::new(key_id(issuer))?),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    })
}

fn distribution_points(crl: &str) -> Result<CrlDistributionPoints, Error> {
    Ok(CrlDistributionPoints(vec![DistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![
            GeneralName::UniformResourceIdentifier(ia5(crl)?),
        ])),
        reasons: None,
        crl_issuer: None,
    }]))
}

fn authority_access(urls: &AuthorityUrls) -> Result<AuthorityInfoAccessSyntax, Error> {
    Ok(AuthorityInfoAccessSyntax(vec![
        AccessDescription {
            access_method: ID_AD_OCSP,
            access_location: GeneralName::UniformResourceIdentifier(ia5(&urls.ocsp)?),
        },
        AccessDescription {
            access_method: ID_AD_CA_ISSUERS,
            access_location: GeneralName::UniformResourceIdentifier(ia5(&urls.ca_issuers)?),
        },
    ]))
}

/// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
pub fn x509_time(at: OffsetDateTime) -> Result<Time, Error> {
    let when = date_time(at)?;
    if at.year() < 2050 {
        Ok(Time::UtcTime(UtcTime::from_date_time(when)?))
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_date_time(when)))
    }
}

/// A moment to the second, as DER carries it.
pub(crate) fn date_time(at: OffsetDateTime) -> Result<DateTime, Error> {
    let seconds = u64::try_from(at.unix_timestamp())
        .map_err(|_| Error::Unsupported("thời điểm trước năm 1970".into()))?;
    Ok(DateTime::from_unix_duration(Duration::from_secs(seconds))?)
}

/// A moment from a certificate's time.
pub fn offset_time(time: &Time) -> OffsetDateTime {
    let seconds = i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_read_and_print_as_openssl_does() {
        let serial: Serial = "0a:1B:ff".parse().unwrap();
        assert_eq!(serial.to_string(), "0A1BFF");
        assert_eq!("A1BFF".parse::<Serial>().unwrap().to_string(), "0A1BFF");
        assert!("0".parse::<Serial>().is_err());
        assert!("xyz".parse::<Serial>().is_err());
        assert!("ff".repeat(21).parse::<Serial>().is_err());
        let random = Serial::random().unwrap();
        assert!(random.as_bytes().len() <= 16);
        assert_ne!(random, Serial::random().unwrap());
    }

    /// Found by the pki_ocsp_request fuzz target: a CertID with a negative
    /// serial was read as a positive one of 20 octets, top bit set, that
    /// `to_x509` then could not write.
    #[test]
    fn negative_and_unwritable_serials_are_refused() {
        use der::Decode;

        let read = |der: &[u8]| Serial::of(&SerialNumber::from_der(der).unwrap());
        assert!(read(&[0x02, 0x01, 0x81]).is_err());
        let mut fuzzed = vec![0x02, 20, 0x80, 0xff, 0xff, 0xfa];
        fuzzed.resize(22, 0xff);
        assert!(read(&fuzzed).is_err());
        // The positive counterpart of the first, with DER's sign octet.
        let positive = Serial::of(&SerialNumber::from_der(&[0x02, 0x02, 0x00, 0x81]).unwrap());
        assert_eq!(positive.unwrap().to_string(), "81");

        // Twenty octets with the top bit set need a 21st in DER.
        let mut top_bit = vec![0x80];
        top_bit.resize(20, 0);
        assert!(Serial::from_bytes(&top_bit).is_err());
        assert!("80".repeat(20).parse::<Serial>().is_err());
        let decoded = {
            let mut der = vec![0x02, 21, 0x00];
            der.extend_from_slice(&top_bit);
            SerialNumber::from_der(&der).unwrap()
        };
        assert!(Serial::of(&decoded).is_err());
        // The largest serial that fits, and one of 19 octets with the top
        // bit set, are kept and written.
        for bytes in [vec![0x7f; 20], vec![0xff; 19]] {
            let serial = Serial::from_bytes(&bytes).unwrap();
            let written = serial.to_x509().unwrap();
            assert_eq!(Serial::of(&written).unwrap(), serial);
        }
    }
}
