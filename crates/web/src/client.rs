//! egov's outgoing HTTP: one request over a fresh HTTP/1.1 connection to
//! an `http://` address, with a time limit and a cap on the answer — what
//! `egov pdf` asks TSAs, OCSP responders and CRL servers for, and the
//! national portal's sync (`PortalClient`, the job's
//! `app::portal_sync::PortalSender`).
//!
//! Plain HTTP only: OCSP, CRLs and TSAs publish over it, and the portal
//! is reached through the province's integration platform on its own
//! network. The exchanges are rare, so no connection is kept.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::Uri;
use hyper::header::{HeaderName, HeaderValue};
use hyper_util::rt::TokioIo;

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub url: &'a str,
    /// POSTed with its content type when given; a GET otherwise.
    pub body: Option<(&'static str, Vec<u8>)>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// How long the exchange may take, connection included.
    pub timeout: Duration,
    /// The largest answer read.
    pub max_answer: usize,
}

/// An answer: its status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Sends `request` and reads the whole answer, whatever its status; the
/// error (in Vietnamese) says why there was none.
pub async fn exchange(request: Request<'_>) -> Result<Answer, String> {
    let uri: Uri = request
        .url
        .parse()
        .map_err(|_| format!("địa chỉ không hợp lệ «{}»", request.url))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!("chỉ hỗ trợ địa chỉ http:// («{}»)", request.url));
    }
    let host = uri.host().ok_or("địa chỉ thiếu tên máy")?.to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let seconds = request.timeout.as_secs();
    tokio::time::timeout(request.timeout, send(&host, port, &path, request))
        .await
        .map_err(|_| format!("quá {seconds} giây không có trả lời"))?
}

async fn send(host: &str, port: u16, path: &str, request: Request<'_>) -> Result<Answer, String> {
    let stream = tokio::net::TcpStream::connect((host, port))
        .await
        .map_err(|e| format!("không kết nối được {host}:{port}: {e}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("{host}:{port}: {e}"))?;
    tokio::spawn(connection);
    let mut builder = hyper::Request::builder()
        .uri(path)
        .header(hyper::header::HOST, host);
    for (name, value) in request.headers {
        builder = builder.header(name, value);
    }
    let built = match request.body {
        Some((content_type, bytes)) => builder
            .method(hyper::Method::POST)
            .header(hyper::header::CONTENT_TYPE, content_type)
            .body(Full::new(Bytes::from(bytes))),
        None => builder.body(Full::new(Bytes::new())),
    }
    .map_err(|e| format!("yêu cầu không hợp lệ: {e}"))?;
    let response = sender
        .send_request(built)
        .await
        .map_err(|e| format!("{host}:{port} không trả lời: {e}"))?;
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), request.max_answer)
        .collect()
        .await
        .map_err(|e| format!("không đọc hết được câu trả lời: {e}"))?;
    Ok(Answer {
        status,
        body: body.to_bytes().to_vec(),
    })
}

/// The national portal's endpoint, as the sync job reaches it: each
/// entry POSTed as JSON with its key in `Idempotency-Key`, and the
/// session token, when set, added to the body as `session`.
#[derive(Debug, Clone)]
pub struct PortalClient {
    url: String,
    token: Option<app::config::Secret>,
}

impl PortalClient {
    /// The client `config` names, if a portal is set up.
    pub fn from_config(config: &app::config::ServicesConfig) -> Option<Self> {
        let url = config.portal_sync_url.clone()?;
        let token = config.portal_sync_token.clone();
        Some(Self {
            url,
            token: (!token.expose().is_empty()).then_some(token),
        })
    }
}

impl app::portal_sync::PortalSender for PortalClient {
    async fn send(&self, key: &str, body: &str) -> Result<(u16, Vec<u8>), String> {
        let body = match &self.token {
            Some(token) => {
                let mut envelope: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(body).map_err(|e| format!("bản ghi hỏng: {e}"))?;
                envelope.insert("session".into(), token.expose().into());
                serde_json::to_vec(&envelope).map_err(|e| e.to_string())?
            }
            None => body.as_bytes().to_vec(),
        };
        let key = HeaderValue::from_str(key).map_err(|e| format!("khóa không hợp lệ: {e}"))?;
        let answer = exchange(Request {
            url: &self.url,
            body: Some(("application/json", body)),
            headers: vec![(HeaderName::from_static("idempotency-key"), key)],
            timeout: Duration::from_secs(30),
            max_answer: 1024 * 1024,
        })
        .await?;
        Ok((answer.status, answer.body))
    }
}
