//! What `egov pdf` asks other servers for: RFC 3161 timestamps from a TSA
//! and revocation evidence (OCSP answers, CRLs) from the URLs certificates
//! name, over plain HTTP as RFC 5280 and RFC 6960 publish them. The `pdf`
//! crate calls these synchronously, so each exchange runs on a
//! current-thread runtime of its own, on a thread of its own, bounded by a
//! timeout.

use std::time::Duration;

use anyhow::{Context as _, bail};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::Uri;
use hyper_util::rt::TokioIo;
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
    let uri: Uri = url
        .parse()
        .with_context(|| format!("địa chỉ không hợp lệ «{url}»"))?;
    if uri.scheme_str() != Some("http") {
        bail!("chỉ hỗ trợ địa chỉ http:// (OCSP, CRL và TSA thường công bố qua http)");
    }
    let host = uri.host().context("địa chỉ thiếu tên máy")?.to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    tokio::time::timeout(TIMEOUT, send(&host, port, &path, body))
                        .await
                        .with_context(|| {
                            format!("quá {} giây không có trả lời", TIMEOUT.as_secs())
                        })?
                })
            })
            .join()
            .unwrap_or_else(|_| bail!("luồng gửi yêu cầu bị dừng"))
    })
}

async fn send(
    host: &str,
    port: u16,
    path: &str,
    body: Option<(&'static str, Vec<u8>)>,
) -> anyhow::Result<Vec<u8>> {
    let stream = tokio::net::TcpStream::connect((host, port))
        .await
        .with_context(|| format!("không kết nối được {host}:{port}"))?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let request = hyper::Request::builder()
        .uri(path)
        .header(hyper::header::HOST, host);
    let request = match body {
        Some((content_type, bytes)) => request
            .method(hyper::Method::POST)
            .header(hyper::header::CONTENT_TYPE, content_type)
            .body(Full::new(Bytes::from(bytes)))?,
        None => request.body(Full::new(Bytes::new()))?,
    };
    let response = sender.send_request(request).await?;
    let status = response.status();
    if status != hyper::StatusCode::OK {
        bail!("máy chủ trả về {status}");
    }
    let body = Limited::new(response.into_body(), MAX_ANSWER)
        .collect()
        .await
        .map_err(|e| anyhow::anyhow!("không đọc hết được câu trả lời: {e}"))?;
    Ok(body.to_bytes().to_vec())
}
