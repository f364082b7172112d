//! What `egov pdf` asks other servers for: RFC 3161 timestamps from a TSA
//! and revocation evidence (OCSP answers, CRLs) from the URLs certificates
//! name, over plain HTTP as RFC 5280 and RFC 6960 publish them. The `pdf`
//! crate calls these synchronously, so each exchange runs on a
//! current-thread runtime of its own, on a thread of its own, bounded by a
//! timeout.

use std::time::Duration;

use anyhow::bail;
use pki::{Certificate, Digest, Serial};

/// How long one exchange may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(20);
/// The largest answer read (a large CRL).
const MAX_ANSWER: usize = 32 * 1024 * 1024;

/// The services `egov pdf` reaches: a TSA for B-T and beyond (when
/// given), and any OCSP responder or CRL the certificates name.
pub struct HttpServices {
    pub tsa: Option<String>,
}

impl pdf::Timestamper for HttpServices {
    fn timestamp(&self, digest: Digest, imprint: &[u8]) -> Result<Vec<u8>, pdf::Error> {
        let url = self
            .tsa
            .as_deref()
            .ok_or(pdf::Error::Missing("địa chỉ TSA (--tsa URL)"))?;
        let nonce = Serial::random().map_err(|e| pdf::Error::Timestamp(e.to_string()))?;
        let request = pdf::timestamp::request(digest, imprint, Some(nonce.as_bytes()))?;
        let response = exchange(url, Some(("application/timestamp-query", request)))
            .map_err(|e| pdf::Error::Timestamp(format!("{url}: {e:#}")))?;
        pdf::timestamp::token_of_response(&response)
    }
}

impl pdf::Evidence for HttpServices {
    fn ocsp(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        urls: &[String],
    ) -> Option<Vec<u8>> {
        let serial = Serial::of(&certificate.tbs_certificate.serial_number).ok()?;
        let id = pki::ocsp::IssuerHashes::of(issuer)
            .ok()?
            .sha1_cert_id(&serial)
            .ok()?;
        let request = pki::ocsp::request(&[id], None).ok()?;
        urls.iter().find_map(|url| {
            match exchange(url, Some(("application/ocsp-request", request.clone()))) {
                Ok(answer) if pki::ocsp::is_successful(&answer) => Some(answer),
                Ok(_) => {
                    eprintln!("{url}: máy chủ OCSP không trả lời được");
                    None
                }
                Err(e) => {
                    eprintln!("{url}: {e:#}");
                    None
                }
            }
        })
    }

    fn crl(&self, _: &Certificate, _: &Certificate, urls: &[String]) -> Option<Vec<u8>> {
        urls.iter().find_map(|url| match exchange(url, None) {
            Ok(crl) => Some(crl),
            Err(e) => {
                eprintln!("{url}: {e:#}");
                None
            }
        })
    }
}

/// POSTs `body` (with its content type) to `url`, or GETs it, and returns
/// a 200 answer's body.
fn exchange(url: &str, body: Option<(&'static str, Vec<u8>)>) -> anyhow::Result<Vec<u8>> {
    let request = web::client::Request {
        url,
        body,
        headers: Vec::new(),
        timeout: TIMEOUT,
        max_answer: MAX_ANSWER,
    };
    let answer = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime
                    .block_on(web::client::exchange(request))
                    .map_err(|e| anyhow::anyhow!(e))
            })
            .join()
            .unwrap_or_else(|_| bail!("luồng gửi yêu cầu bị dừng"))
    })?;
    if answer.status != 200 {
        bail!("máy chủ trả về {}", answer.status);
    }
    Ok(answer.body)
}
