//! The services a long-term signature needs, in process and over HTTP on
//! 127.0.0.1: a CA hierarchy whose certificates name CRL and OCSP URLs, a
//! TSA, a delegated OCSP responder per CA and CRLs (all from the `pki`
//! crate), as a `pdf::Timestamper` and `pdf::Evidence` for egov, and as a
//! tiny HTTP server (std::net) for pyHanko.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use der::Encode;
use domain::pki::RevocationReason;
use pki::cert::self_signed;
use pki::crl::Revoked;
use pki::ocsp::{IssuerHashes, Responder, Status, Window};
use pki::software::SoftwareKey;
use pki::tsa::Tsa;
use pki::{Authority, AuthorityUrls, CaKey, KeySpec, Profile, Serial, SubjectName};
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;

use super::{name, template};

/// A CA hierarchy with its TSA, responders and revocation records.
pub struct Services {
    pub root: Authority,
    pub issuing: Authority,
    pub tsa: Tsa,
    /// The OCSP responder of the root, then of the issuing CA.
    responders: [Responder; 2],
    revoked: Mutex<Vec<Revoked>>,
    /// Where the services answer (for pyHanko's TSA URL).
    pub base: String,
}

fn service_certificate(ca: &Authority, key: &dyn CaKey, profile: Profile, cn: &str) -> Certificate {
    let subject = SubjectName {
        common_name: cn.into(),
        country: "VN".into(),
        ..SubjectName::default()
    };
    ca.issue(&template(&subject, key.public_key(), profile))
        .unwrap()
}

fn responder(ca: &Authority, spec: KeySpec) -> Responder {
    let key = SoftwareKey::generate(spec).unwrap();
    Responder {
        certificate: service_certificate(ca, &key, Profile::Ocsp, "OCSP Trà Vinh"),
        key: Box::new(key),
        digest: spec.natural_digest(),
    }
}

impl Services {
    /// Keys of `spec`; URLs under `base` (a port nothing listens on, for
    /// files that must validate offline).
    pub fn new(spec: KeySpec, base: &str) -> Self {
        let digest = spec.natural_digest();
        let root_key = SoftwareKey::generate(spec).unwrap();
        let root = Authority {
            certificate: self_signed(
                &root_key,
                digest,
                &template(
                    &name("Trà Vinh Public Service Root CA"),
                    root_key.public_key(),
                    Profile::Root,
                ),
            )
            .unwrap(),
            key: Box::new(root_key),
            digest,
            urls: Some(AuthorityUrls::under(base, "root")),
        };
        let issuing_key = SoftwareKey::generate(spec).unwrap();
        let issuing = Authority {
            certificate: root
                .issue(&template(
                    &name("Trà Vinh Public Service CA"),
                    issuing_key.public_key(),
                    Profile::IssuingCa,
                ))
                .unwrap(),
            key: Box::new(issuing_key),
            digest,
            urls: Some(AuthorityUrls::under(base, "issuing")),
        };
        let tsa_key = SoftwareKey::generate(spec).unwrap();
        let tsa = Tsa {
            certificate: service_certificate(
                &issuing,
                &tsa_key,
                Profile::Timestamping,
                "TSA Trà Vinh",
            ),
            key: Box::new(tsa_key),
            digest,
            policy: der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1.1"),
        };
        let responders = [responder(&root, spec), responder(&issuing, spec)];
        Self {
            root,
            issuing,
            tsa,
            responders,
            revoked: Mutex::new(Vec::new()),
            base: base.to_owned(),
        }
    }

    pub fn root_der(&self) -> Vec<u8> {
        self.root.certificate.to_der().unwrap()
    }

    /// The chain above an end entity: issuing CA, root.
    pub fn chain(&self) -> Vec<Vec<u8>> {
        vec![self.issuing.certificate.to_der().unwrap(), self.root_der()]
    }

    /// A personal certificate (`cn`) or, if `organisation`, an agency's.
    pub fn certificate(&self, key: &dyn CaKey, cn: &str, organisation: bool) -> Certificate {
        let profile = if organisation {
            Profile::Organization
        } else {
            Profile::Personal
        };
        self.issuing
            .issue(&template(&name(cn), key.public_key(), profile))
            .unwrap()
    }

    pub fn signer<'a>(&self, key: &'a dyn CaKey, certificate: &Certificate) -> pdf::Signer<'a> {
        pdf::Signer {
            key,
            digest: key.spec().natural_digest(),
            certificate: certificate.to_der().unwrap(),
            chain: self.chain(),
        }
    }

    pub fn revoke(&self, certificate: &Certificate, at: OffsetDateTime, reason: RevocationReason) {
        self.revoked.lock().unwrap().push(Revoked {
            serial: Serial::of(&certificate.tbs_certificate.serial_number).unwrap(),
            at,
            reason,
        });
    }

    fn status(&self, serial: &Serial) -> Status {
        let revoked = self.revoked.lock().unwrap();
        match revoked.iter().find(|r| &r.serial == serial) {
            Some(r) => Status::Revoked {
                at: r.at,
                reason: r.reason,
            },
            None => Status::Good,
        }
    }

    fn window() -> Window {
        let now = OffsetDateTime::now_utc();
        Window {
            produced_at: now,
            this_update: now,
            next_update: now + Duration::hours(1),
        }
    }

    /// A signed answer to a DER OCSP request, from the responder of the
    /// CA it names.
    fn answer(&self, request: &[u8]) -> Vec<u8> {
        let query = pki::ocsp::parse_request(request).unwrap();
        let id = &query.certs[0];
        for (ca, responder) in [&self.root, &self.issuing].iter().zip(&self.responders) {
            if IssuerHashes::of(&ca.certificate).unwrap().names(id) {
                let status = self.status(&pki::ocsp::serial_of(id).unwrap());
                return responder
                    .respond(
                        &[(id.clone(), status)],
                        query.nonce.as_deref(),
                        Self::window(),
                    )
                    .unwrap();
            }
        }
        pki::ocsp::unauthorized()
    }

    /// The current CRL of `ca` (root or issuing).
    fn crl_of(&self, ca: &Authority) -> Vec<u8> {
        let now = OffsetDateTime::now_utc();
        let revoked = self.revoked.lock().unwrap().clone();
        pki::crl::build(ca, 1, now, now + Duration::hours(1), &revoked)
            .unwrap()
            .to_der()
            .unwrap()
    }

    fn stamp(&self, request: &[u8]) -> Vec<u8> {
        let request = pki::tsa::parse_request(request).unwrap();
        self.tsa
            .stamp(
                &request,
                &Serial::random().unwrap(),
                OffsetDateTime::now_utc(),
            )
            .unwrap()
    }

    /// Serves the TSA (`POST /pki/tsa`), OCSP (`POST /pki/ocsp`) and CRLs
    /// (`GET /pki/crl/<ca>.crl`) on `listener` until the test ends.
    pub fn serve(self: &Arc<Self>, listener: TcpListener) {
        let services = Arc::clone(self);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = services.handle(stream);
            }
        });
    }

    fn handle(&self, mut stream: TcpStream) -> std::io::Result<()> {
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let mut parts = line.split_whitespace();
        let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            if header.trim().is_empty() {
                break;
            }
            if let Some((key, value)) = header.split_once(':')
                && key.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let (kind, answer) = match (method, path) {
            ("POST", "/pki/tsa") => ("application/timestamp-reply", self.stamp(&body)),
            ("POST", "/pki/ocsp") => ("application/ocsp-response", self.answer(&body)),
            ("GET", "/pki/crl/root.crl") => ("application/pkix-crl", self.crl_of(&self.root)),
            ("GET", "/pki/crl/issuing.crl") => ("application/pkix-crl", self.crl_of(&self.issuing)),
            _ => {
                stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )?;
                return Ok(());
            }
        };
        stream.write_all(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            )
            .as_bytes(),
        )?;
        stream.write_all(&answer)
    }
}

/// Services answering over HTTP on a free port of 127.0.0.1.
pub fn served(spec: KeySpec) -> Arc<Services> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let services = Arc::new(Services::new(spec, &base));
    services.serve(listener);
    services
}

/// Services whose URLs lead nowhere: what validates a file they signed
/// must be in the file.
pub fn offline(spec: KeySpec) -> Services {
    Services::new(spec, "http://127.0.0.1:1")
}

impl pdf::Timestamper for Services {
    fn timestamp(&self, digest: pki::Digest, imprint: &[u8]) -> Result<Vec<u8>, pdf::Error> {
        let request = pdf::timestamp::request(digest, imprint, Some(&[1, 2, 3, 4]))?;
        pdf::timestamp::token_of_response(&self.stamp(&request))
    }
}

impl pdf::Evidence for Services {
    /// Certificates the root issued (the issuing CA) are covered by its
    /// CRL, as an offline root publishes no more.
    fn ocsp(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        _: &[String],
    ) -> Option<Vec<u8>> {
        if issuer == &self.root.certificate {
            return None;
        }
        let id = IssuerHashes::of(issuer)
            .ok()?
            .sha1_cert_id(&Serial::of(&certificate.tbs_certificate.serial_number).ok()?)
            .ok()?;
        Some(self.answer(&pki::ocsp::request(&[id], None).ok()?))
    }

    fn crl(&self, _: &Certificate, issuer: &Certificate, _: &[String]) -> Option<Vec<u8>> {
        [&self.root, &self.issuing]
            .into_iter()
            .find(|ca| &ca.certificate == issuer)
            .map(|ca| self.crl_of(ca))
    }
}

impl Services {
    /// `original` signed at `level` by a fresh key with a certificate for
    /// `cn` (an agency's if it starts with "Ủy ban").
    pub fn sign_at(&self, original: &[u8], level: pdf::Level, cn: &str) -> Vec<u8> {
        let key = SoftwareKey::generate(self.root.key.spec()).unwrap();
        let certificate = self.certificate(&key, cn, cn.starts_with("Ủy ban"));
        pdf::sign_at(
            original,
            &self.signer(&key, &certificate),
            &sign_options(),
            level,
            Some(self),
            Some(self),
        )
        .unwrap()
    }
}

/// Signing now, for the long-term tests.
pub fn sign_options() -> pdf::SignOptions {
    pdf::SignOptions {
        reason: Some("Ký ban hành".into()),
        ..pdf::SignOptions::new(OffsetDateTime::now_utc())
    }
}
