//! PKCS #11 keys: CA keys made and kept on a token (an HSM; SoftHSM in the
//! tests) through the vendor's module, driven by `cryptoki`. The private key
//! is generated on the token sensitive and not extractable, so it never
//! leaves it; the database keeps only the token's label and the key's
//! `CKA_ID` ([`KeyRef::Pkcs11`]).
//!
//! Mechanisms. RSA signs with `CKM_SHA256_RSA_PKCS` or `CKM_SHA384_RSA_PKCS`:
//! the token hashes and pads, and its answer is already the PKCS #1 v1.5
//! signature X.509 carries. ECDSA signs with plain `CKM_ECDSA` over a digest
//! computed here ([`Digest::hash`]), because SoftHSM (like some HSMs) refuses
//! `CKM_ECDSA_SHA256` and `CKM_ECDSA_SHA384`; the token answers with raw
//! `r ‖ s`, re-encoded here as the DER `ECDSA-Sig-Value` X.509 carries.
//! Key pairs come from `CKM_RSA_PKCS_KEY_PAIR_GEN` (exponent 65537) and
//! `CKM_EC_KEY_PAIR_GEN` (named curve in `CKA_EC_PARAMS`).
//!
//! Session model. PKCS #11 initialises a module and logs a user in per
//! process, not per caller: a second `C_Initialize` answers "already
//! initialised", a second `C_Login` on a token answers "already logged in"
//! without looking at the PIN, and a `C_Logout` logs out every session. So
//! each module is loaded and initialised (OS locking) once per process and
//! kept loaded, and each token has one logged-in read-write session, shared
//! behind a mutex by every provider and key that opened it. A provider that
//! opens a token already open has its PIN compared with the one that logged
//! in, so a wrong PIN is refused either way. When the last provider or key
//! of a token is dropped its session closes, which logs the token out.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError, Weak};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::RvError;
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::{AuthPin, Ulong};
use der::asn1::{BitString, Null, OctetStringRef, UintRef};
use der::{Any, Decode, Encode, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use zeroize::Zeroizing;

use crate::Error;
use crate::algorithm::{Digest, EC_PUBLIC_KEY, KeySpec, RSA_PUBLIC_KEY};
use crate::key::{CaKey, KeyProvider, KeyRef};
use crate::verify::{RsaPublicKey, key_spec_of};

/// Bytes of a new key's `CKA_ID`: enough that random ids do not collide.
const ID_LEN: usize = 16;

/// Modules loaded in this process, by canonical path; never unloaded,
/// because PKCS #11 state is the process's and some modules do not survive
/// being unloaded and loaded again.
static MODULES: LazyLock<Mutex<HashMap<PathBuf, Module>>> = LazyLock::new(Mutex::default);

struct Module {
    context: Pkcs11,
    /// Tokens open, by label. An entry whose token was dropped is replaced
    /// when the token is opened again.
    tokens: HashMap<String, Weak<Token>>,
}

/// A token's logged-in session.
struct Token {
    label: String,
    /// The PIN that logged in, to compare later providers' PINs with.
    pin: Zeroizing<String>,
    session: Mutex<Session>,
}

impl Token {
    fn session(&self) -> MutexGuard<'_, Session> {
        // A panic elsewhere cannot leave the session half-used: every use
        // is whole PKCS #11 calls made under the lock.
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The keys on one token, reached through its vendor's module.
pub struct Pkcs11Keys {
    token: Arc<Token>,
}

impl Pkcs11Keys {
    /// Logs in with the user `pin` to the token labelled `token`, through
    /// the module (the vendor's `.so`) at `module`.
    pub fn new(module: &Path, token: &str, pin: &str) -> Result<Self, Error> {
        let mut modules = MODULES.lock().unwrap_or_else(PoisonError::into_inner);
        let module = loaded(&mut modules, module)?;
        if let Some(open) = module.tokens.get(token).and_then(Weak::upgrade) {
            aws_lc_rs::constant_time::verify_slices_are_equal(open.pin.as_bytes(), pin.as_bytes())
                .map_err(|_| wrong_pin(token))?;
            return Ok(Self { token: open });
        }
        let session = log_in(&module.context, token, pin)?;
        let open = Arc::new(Token {
            label: token.to_owned(),
            pin: Zeroizing::new(pin.to_owned()),
            session: Mutex::new(session),
        });
        module
            .tokens
            .insert(token.to_owned(), Arc::downgrade(&open));
        Ok(Self { token: open })
    }
}

/// The labels of the initialised tokens in the slots `module` serves, so a
/// holder with one token need not name it.
pub fn token_labels(module: &Path) -> Result<Vec<String>, Error> {
    let mut modules = MODULES.lock().unwrap_or_else(PoisonError::into_inner);
    let context = &loaded(&mut modules, module)?.context;
    let slots = context
        .get_slots_with_token()
        .map_err(|e| token_error("không liệt kê được các khe cắm thiết bị", e))?;
    let mut labels = Vec::new();
    for slot in slots {
        let info = context
            .get_token_info(slot)
            .map_err(|e| token_error("không đọc được thông tin thiết bị", e))?;
        // A blank token (SoftHSM always offers one) holds no key.
        if info.token_initialized() {
            labels.push(info.label().to_owned());
        }
    }
    Ok(labels)
}

/// The module at `module`, loaded and initialised once per process.
fn loaded<'m>(
    modules: &'m mut HashMap<PathBuf, Module>,
    module: &Path,
) -> Result<&'m mut Module, Error> {
    let path = module.canonicalize().map_err(|e| {
        Error::Token(format!(
            "không tìm thấy thư viện PKCS #11 «{}»: {e}",
            module.display()
        ))
    })?;
    Ok(match modules.entry(path) {
        Entry::Occupied(entry) => entry.into_mut(),
        Entry::Vacant(entry) => {
            let context = load(entry.key())?;
            entry.insert(Module {
                context,
                tokens: HashMap::new(),
            })
        }
    })
}

fn load(path: &Path) -> Result<Pkcs11, Error> {
    let context = Pkcs11::new(path).map_err(|e| {
        Error::Token(format!(
            "không nạp được thư viện PKCS #11 «{}»: {e}",
            path.display()
        ))
    })?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        // Something else in the process (another library using the same
        // module) initialised it first; the module's state is shared.
        Ok(()) | Err(cryptoki::error::Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {
            Ok(context)
        }
        Err(e) => Err(token_error("không khởi tạo được thư viện PKCS #11", e)),
    }
}

/// A read-write session logged in as the user on the token labelled `label`.
fn log_in(context: &Pkcs11, label: &str, pin: &str) -> Result<Session, Error> {
    let mut found = Vec::new();
    let slots = context
        .get_slots_with_token()
        .map_err(|e| token_error("không liệt kê được các khe cắm thiết bị", e))?;
    for slot in slots {
        let info = context
            .get_token_info(slot)
            .map_err(|e| token_error("không đọc được thông tin thiết bị", e))?;
        if info.label() == label {
            found.push(slot);
        }
    }
    let slot = match found.as_slice() {
        [slot] => *slot,
        [] => {
            return Err(Error::Token(format!(
                "không tìm thấy thiết bị có nhãn «{label}»"
            )));
        }
        _ => {
            return Err(Error::Token(format!(
                "có {} thiết bị cùng nhãn «{label}»; hãy đặt nhãn khác nhau",
                found.len()
            )));
        }
    };
    let session = context
        .open_rw_session(slot)
        .map_err(|e| token_error(&format!("không mở được phiên với thiết bị «{label}»"), e))?;
    match session.login(UserType::User, Some(&AuthPin::from(pin))) {
        Ok(()) => Ok(session),
        Err(cryptoki::error::Error::Pkcs11(
            RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange,
            _,
        )) => Err(wrong_pin(label)),
        Err(cryptoki::error::Error::Pkcs11(RvError::PinLocked, _)) => Err(Error::Token(format!(
            "mã PIN của thiết bị «{label}» đã bị khóa vì nhập sai quá nhiều lần"
        ))),
        Err(e) => Err(token_error(
            &format!("không đăng nhập được vào thiết bị «{label}»"),
            e,
        )),
    }
}

fn wrong_pin(label: &str) -> Error {
    Error::Token(format!("mã PIN của thiết bị «{label}» không đúng"))
}

/// What was being done, then the module's own code, which is what its
/// vendor's documentation names.
fn token_error(what: &str, error: cryptoki::error::Error) -> Error {
    match error {
        cryptoki::error::Error::Pkcs11(code, function) => {
            Error::Token(format!("{what} ({function:?}: {code:?})"))
        }
        other => Error::Token(format!("{what} ({other})")),
    }
}

impl KeyProvider for Pkcs11Keys {
    fn generate(&self, label: &str, spec: KeySpec) -> Result<(KeyRef, Box<dyn CaKey>), Error> {
        let mut id = vec![0u8; ID_LEN];
        aws_lc_rs::rand::fill(&mut id)
            .map_err(|_| Error::Crypto("không lấy được số ngẫu nhiên".into()))?;
        let both = [
            Attribute::Token(true),
            Attribute::Id(id.clone()),
            Attribute::Label(label.as_bytes().to_vec()),
        ];
        let (mechanism, mut public) = match spec.curve() {
            Some(curve) => (
                Mechanism::EccKeyPairGen,
                vec![Attribute::EcParams(curve.to_der()?)],
            ),
            None => {
                let bits = Ulong::try_from(spec.bits() as usize)
                    .map_err(|_| Error::Unsupported(format!("khóa {spec}")))?;
                (
                    Mechanism::RsaPkcsKeyPairGen,
                    vec![
                        Attribute::ModulusBits(bits),
                        Attribute::PublicExponent(vec![1, 0, 1]),
                    ],
                )
            }
        };
        public.extend(both.iter().cloned());
        public.extend([Attribute::Private(false), Attribute::Verify(true)]);
        let mut private = both.to_vec();
        // A CA key only signs: it never decrypts, unwraps or derives, so
        // no other use of the token can be turned against it.
        private.extend([
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
            Attribute::Sign(true),
            Attribute::Decrypt(false),
            Attribute::Unwrap(false),
            Attribute::Derive(false),
        ]);
        let (public, private) = self
            .token
            .session()
            .generate_key_pair(&mechanism, &public, &private)
            .map_err(|e| {
                token_error(
                    &format!(
                        "không sinh được khóa {spec} trên thiết bị «{}»",
                        self.token.label
                    ),
                    e,
                )
            })?;
        let key = Pkcs11Key::new(Arc::clone(&self.token), private, public)?;
        // Read back rather than trusted: a token may ignore what it does
        // not support in a template.
        if key.spec != spec {
            return Err(Error::Token(format!(
                "thiết bị «{}» sinh khóa {} thay vì {spec}",
                self.token.label, key.spec
            )));
        }
        let reference = KeyRef::Pkcs11 {
            token: self.token.label.clone(),
            id,
        };
        Ok((reference, Box::new(key)))
    }

    fn open(&self, key: &KeyRef) -> Result<Box<dyn CaKey>, Error> {
        let KeyRef::Pkcs11 { token, id } = key else {
            return Err(Error::WrongProvider(key.provider()));
        };
        if *token != self.token.label {
            return Err(Error::Token(format!(
                "khóa nằm trên thiết bị «{token}», không phải thiết bị «{}» đang mở",
                self.token.label
            )));
        }
        let (private, public) = {
            let session = self.token.session();
            (
                find_key(&session, ObjectClass::PRIVATE_KEY, id, key)?,
                find_key(&session, ObjectClass::PUBLIC_KEY, id, key)?,
            )
        };
        Ok(Box::new(Pkcs11Key::new(
            Arc::clone(&self.token),
            private,
            public,
        )?))
    }
}

impl Pkcs11Keys {
    /// The signing key on the token whose public half is `public`: how a
    /// holder's own token is used with their certificate, whatever `CKA_ID`
    /// the token's tools gave the key.
    pub fn find(&self, public: &SubjectPublicKeyInfoOwned) -> Result<Box<dyn CaKey>, Error> {
        let failed = |e| {
            token_error(
                &format!(
                    "không liệt kê được khóa trên thiết bị «{}»",
                    self.token.label
                ),
                e,
            )
        };
        let pairs = {
            let session = self.token.session();
            let privates = session
                .find_objects(&[
                    Attribute::Class(ObjectClass::PRIVATE_KEY),
                    Attribute::Sign(true),
                ])
                .map_err(failed)?;
            let mut pairs = Vec::new();
            for private in privates {
                let Ok(id) = session.get_attributes(private, &[AttributeType::Id]) else {
                    continue;
                };
                let [Attribute::Id(id)] = id.as_slice() else {
                    continue;
                };
                let publics = session
                    .find_objects(&[
                        Attribute::Class(ObjectClass::PUBLIC_KEY),
                        Attribute::Id(id.clone()),
                    ])
                    .map_err(failed)?;
                if let [public] = publics.as_slice() {
                    pairs.push((private, *public));
                }
            }
            pairs
        };
        for (private, public_half) in pairs {
            // A key of a kind egov does not use is someone else's: skip it.
            if let Ok(key) = Pkcs11Key::new(Arc::clone(&self.token), private, public_half)
                && key.public == *public
            {
                return Ok(Box::new(key));
            }
        }
        Err(Error::Token(format!(
            "thiết bị «{}» không có khóa bí mật ứng với chứng thư",
            self.token.label
        )))
    }
}

/// The one object of `class` with `CKA_ID` `id`, which `key` names.
fn find_key(
    session: &Session,
    class: ObjectClass,
    id: &[u8],
    key: &KeyRef,
) -> Result<ObjectHandle, Error> {
    let half = if class == ObjectClass::PRIVATE_KEY {
        "khóa bí mật"
    } else {
        "khóa công khai"
    };
    let found = session
        .find_objects(&[Attribute::Class(class), Attribute::Id(id.to_vec())])
        .map_err(|e| token_error(&format!("không tìm được {half} của «{key}»"), e))?;
    match found.as_slice() {
        [object] => Ok(*object),
        [] => Err(Error::Token(format!(
            "thiết bị không có {half} của «{key}»"
        ))),
        _ => Err(Error::Token(format!(
            "thiết bị có {} {half} cùng mã «{key}»",
            found.len()
        ))),
    }
}

/// A private key on a token.
pub struct Pkcs11Key {
    token: Arc<Token>,
    private: ObjectHandle,
    public: SubjectPublicKeyInfoOwned,
    spec: KeySpec,
}

impl Pkcs11Key {
    /// The key whose halves are `private` and `public`, its spec checked as
    /// every public key is ([`key_spec_of`]).
    fn new(token: Arc<Token>, private: ObjectHandle, public: ObjectHandle) -> Result<Self, Error> {
        let info = {
            let session = token.session();
            let read = |object, types: &[AttributeType]| {
                session.get_attributes(object, types).map_err(|e| {
                    token_error(
                        &format!("không đọc được khóa trên thiết bị «{}»", token.label),
                        e,
                    )
                })
            };
            let key_type = read(private, &[AttributeType::KeyType])?;
            let public_types: &[AttributeType] = match key_type.as_slice() {
                [Attribute::KeyType(KeyType::RSA)] => {
                    &[AttributeType::Modulus, AttributeType::PublicExponent]
                }
                [Attribute::KeyType(KeyType::EC)] => {
                    &[AttributeType::EcParams, AttributeType::EcPoint]
                }
                _ => {
                    return Err(Error::Unsupported(format!(
                        "khóa trên thiết bị «{}» không phải RSA hay EC",
                        token.label
                    )));
                }
            };
            read(public, public_types)?
        };
        let public = public_key_info(&info)?;
        let spec = key_spec_of(&public)?;
        Ok(Self {
            token,
            private,
            public,
            spec,
        })
    }
}

/// The SubjectPublicKeyInfo of a public key object's attributes: an RSA
/// modulus and exponent, or an EC curve and point.
fn public_key_info(attributes: &[Attribute]) -> Result<SubjectPublicKeyInfoOwned, Error> {
    let (algorithm, key) = match attributes {
        [
            Attribute::Modulus(modulus),
            Attribute::PublicExponent(exponent),
        ] => {
            let key = RsaPublicKey {
                modulus: UintRef::new(modulus)?,
                public_exponent: UintRef::new(exponent)?,
            };
            (
                AlgorithmIdentifierOwned {
                    oid: RSA_PUBLIC_KEY,
                    parameters: Some(Null.into()),
                },
                key.to_der()?,
            )
        }
        // CKA_EC_PARAMS holds the curve's DER (its OID, for a named curve),
        // which is also what the SPKI's parameters are; `key_spec_of` then
        // refuses anything but an accepted named curve. CKA_EC_POINT is the
        // point wrapped in a DER OCTET STRING, as PKCS #11 has it.
        [Attribute::EcParams(curve), Attribute::EcPoint(point)] => (
            AlgorithmIdentifierOwned {
                oid: EC_PUBLIC_KEY,
                parameters: Some(Any::from_der(curve)?),
            },
            OctetStringRef::from_der(point)?.as_bytes().to_vec(),
        ),
        _ => {
            return Err(Error::Token(
                "khóa công khai trên thiết bị thiếu thuộc tính".into(),
            ));
        }
    };
    Ok(SubjectPublicKeyInfoOwned {
        algorithm,
        subject_public_key: BitString::from_bytes(&key)?,
    })
}

impl CaKey for Pkcs11Key {
    fn spec(&self) -> KeySpec {
        self.spec
    }

    fn public_key(&self) -> &SubjectPublicKeyInfoOwned {
        &self.public
    }

    fn sign(&self, digest: Digest, data: &[u8]) -> Result<Vec<u8>, Error> {
        self.spec.signature(digest)?;
        let (mechanism, input) = if self.spec.is_rsa() {
            let mechanism = match digest {
                Digest::Sha256 => Mechanism::Sha256RsaPkcs,
                Digest::Sha384 => Mechanism::Sha384RsaPkcs,
            };
            (mechanism, Cow::Borrowed(data))
        } else {
            (Mechanism::Ecdsa, Cow::Owned(digest.hash(data)))
        };
        let signature = self
            .token
            .session()
            .sign(&mechanism, self.private, &input)
            .map_err(|e| {
                token_error(&format!("thiết bị «{}» không ký được", self.token.label), e)
            })?;
        if self.spec.is_rsa() {
            Ok(signature)
        } else {
            ecdsa_sig_value(&signature)
        }
    }
}

/// RFC 3279 `ECDSA-Sig-Value`.
#[derive(Sequence)]
struct EcdsaSigValue<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

/// The DER `ECDSA-Sig-Value` of a raw `r ‖ s` (PKCS #11 gives the two
/// halves big-endian, each as long as the curve's order); `UintRef` keeps
/// each integer minimal and positive.
fn ecdsa_sig_value(raw: &[u8]) -> Result<Vec<u8>, Error> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return Err(Error::Token(format!(
            "chữ ký ECDSA từ thiết bị dài {} byte, không phải r ‖ s",
            raw.len()
        )));
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    Ok(EcdsaSigValue {
        r: UintRef::new(r)?,
        s: UintRef::new(s)?,
    }
    .to_der()?)
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{
        ECDSA_P384_SHA384_ASN1, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair,
        UnparsedPublicKey,
    };

    use super::*;

    #[test]
    fn raw_signatures_become_minimal_positive_der_integers() {
        // r = 0x0080 needs its sign byte kept; s = 0x0001 loses its zero.
        assert_eq!(
            ecdsa_sig_value(&[0x00, 0x80, 0x00, 0x01]).unwrap(),
            [0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x01]
        );
        assert!(ecdsa_sig_value(&[]).is_err());
        assert!(ecdsa_sig_value(&[1, 2, 3]).is_err());
    }

    #[test]
    fn a_fixed_signature_re_encoded_verifies_as_asn1() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8.as_ref()).unwrap();
        let public = UnparsedPublicKey::new(&ECDSA_P384_SHA384_ASN1, pair.public_key().as_ref());
        // Many signatures, so that some have an r or s with its top bit set
        // or a leading zero byte.
        for _ in 0..64 {
            let raw = pair.sign(&rng, b"data").unwrap();
            let der = ecdsa_sig_value(raw.as_ref()).unwrap();
            public.verify(b"data", &der).unwrap();
        }
    }
}
