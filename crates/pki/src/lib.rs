//! The certificate authority's cryptography, for public-service
//! certificates (chứng thư số chuyên dùng): CA keys behind providers
//! (software sealed under a passphrase, or a PKCS #11 token), X.509 v3
//! certificates per profile, checks of PKCS #10 requests, CRLs, OCSP answers
//! (RFC 6960) and RFC 3161 timestamps.
//!
//! Architecture invariant: no database, no HTTP, no clock. Times and serial
//! numbers come in as parameters; what was issued or revoked is the
//! caller's to keep. Signing is aws-lc-rs or the token; structures are
//! RustCrypto's `x509-cert`, `x509-ocsp`, `x509-tsp` and `cms`.

pub mod algorithm;
pub mod cert;
pub mod cms;
pub mod crl;
pub mod csr;
pub mod key;
pub mod name;
pub mod ocsp;
pub mod pem;
pub mod pkcs11;
pub mod profile;
pub mod software;
pub mod tsa;
pub mod verify;

pub use algorithm::{Digest, KeySpec};
pub use cert::{Authority, AuthorityUrls, Serial, Template};
pub use key::{CaKey, KeyProvider, KeyRef};
pub use name::SubjectName;
pub use pkcs11::Pkcs11Keys;
pub use profile::Profile;
pub use x509_cert::Certificate;

/// What can go wrong; messages are Vietnamese, for the operator or the
/// requester who reads them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that is not what it claims to be (a broken CSR, PEM, request).
    #[error("dữ liệu không hợp lệ: {0}")]
    Malformed(String),
    #[error("chữ ký không đúng")]
    BadSignature,
    #[error("khóa quá yếu hoặc không được chấp nhận: {0}")]
    WeakKey(String),
    #[error("không hỗ trợ: {0}")]
    Unsupported(String),
    /// A field a certificate cannot carry as given.
    #[error("thông tin chủ thể không hợp lệ: {0}")]
    Subject(String),
    #[error("mật khẩu khóa không đúng (hoặc quá ngắn: cần ít nhất 12 ký tự)")]
    WrongPassphrase,
    #[error("khóa này do nhà cung cấp «{0}» giữ, không phải nhà cung cấp đang dùng")]
    WrongProvider(&'static str),
    /// The token or its module.
    #[error("thiết bị PKCS #11: {0}")]
    Token(String),
    #[error("lỗi mật mã: {0}")]
    Crypto(String),
}

impl From<der::Error> for Error {
    fn from(error: der::Error) -> Self {
        Self::Malformed(format!("mã hóa DER: {error}"))
    }
}
