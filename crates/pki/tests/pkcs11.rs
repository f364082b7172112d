//! CA keys on a SoftHSM token: generated there and not extractable, whole
//! chains judged by OpenSSL, keys reopened from their stored reference, and
//! wrong PINs or references refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{hierarchy_of, issuing_under, leaf_verifies};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::RvError;
use cryptoki::object::{Attribute, AttributeType, ObjectClass};
use pki::software::SoftwareKey;
use pki::verify::verify_signature;
use pki::{Authority, Error, KeyProvider, KeyRef, KeySpec, Pkcs11Keys};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "egov-test";
const PIN: &str = "5678";
/// Names, in the child process, the directory holding its token.
const CHILD: &str = "EGOV_PKI_SOFTHSM_DIR";

/// SoftHSM finds its token directory through `SOFTHSM2_CONF` in the
/// environment, which is the whole process's and which edition 2024 sets
/// only in `unsafe` code (forbidden here). So the test makes a token in a
/// directory of its own, then runs itself again in a child process whose
/// environment names it.
#[test]
fn ca_keys_on_a_softhsm_token() {
    if let Some(dir) = std::env::var_os(CHILD) {
        on_the_token(&PathBuf::from(dir));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    let conf = dir.path().join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let out = Command::new("softhsm2-util")
        .args(["--init-token", "--free", "--label", TOKEN])
        .args(["--so-pin", "1234", "--pin", PIN])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run softhsm2-util ({e}): install SoftHSM with scripts/setup.sh --test")
        });
    assert!(
        out.status.success(),
        "softhsm2-util --init-token failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "ca_keys_on_a_softhsm_token", "--nocapture"])
        .env("SOFTHSM2_CONF", &conf)
        .env(CHILD, dir.path())
        .output()
        .unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && output.contains("1 passed"),
        "on the token:\n{output}"
    );
    print!("{output}");
}

fn on_the_token(dir: &Path) {
    let module = Path::new(MODULE);
    let keys = Pkcs11Keys::new(module, TOKEN, PIN).unwrap();
    let mut roots = Vec::new();
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256, KeySpec::EcP384] {
        let (reference, root_key) = keys.generate(&format!("root {spec}"), spec).unwrap();
        let (_, issuing_key) = keys.generate(&format!("issuing {spec}"), spec).unwrap();
        assert_eq!((root_key.spec(), issuing_key.spec()), (spec, spec));
        assert_eq!(reference.provider(), "pkcs11");
        not_extractable(&reference);
        let (root, issuing) = hierarchy_of(root_key, issuing_key, spec.natural_digest());
        let holder = SoftwareKey::generate(KeySpec::EcP256).unwrap();
        let (ok, text) = leaf_verifies(dir, &root, &issuing, &holder);
        assert!(ok, "{spec}: {text}");
        roots.push((spec, reference.to_string(), root.certificate));
    }

    // A second provider on the open token shares its login: its PIN is
    // compared with the one that logged in.
    let error = Pkcs11Keys::new(module, TOKEN, "0000").err().unwrap();
    assert!(wrong_pin(&error), "{error}");
    drop(keys);
    // With nothing open, the token itself refuses the PIN.
    let error = Pkcs11Keys::new(module, TOKEN, "0000").err().unwrap();
    assert!(wrong_pin(&error), "{error}");
    let error = Pkcs11Keys::new(module, "no-such-token", PIN).err().unwrap();
    assert!(
        matches!(&error, Error::Token(m) if m.contains("«no-such-token»")),
        "{error}"
    );

    // A fresh provider opens each root from its reference as the database
    // keeps it, and the key signs a new issuing CA that OpenSSL accepts
    // under the root made before.
    let keys = Pkcs11Keys::new(module, TOKEN, PIN).unwrap();
    for (spec, text, certificate) in roots {
        let key = keys.open(&KeyRef::parse(&text).unwrap()).unwrap();
        assert_eq!(
            key.public_key(),
            &certificate.tbs_certificate.subject_public_key_info
        );
        let digest = spec.natural_digest();
        let signature = key.sign(digest, b"data").unwrap();
        let algorithm = spec.signature(digest).unwrap().identifier();
        verify_signature(key.public_key(), &algorithm, b"data", &signature).unwrap();
        let root = Authority {
            certificate,
            key,
            digest,
            urls: None,
        };
        let issuing = issuing_under(&root, Box::new(SoftwareKey::generate(spec).unwrap()));
        let holder = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
        let (ok, text) = leaf_verifies(dir, &root, &issuing, &holder);
        assert!(ok, "{spec}, reopened: {text}");
    }

    // References this provider does not hold.
    let software = KeyRef::Software { sealed: vec![1] };
    assert!(matches!(
        keys.open(&software),
        Err(Error::WrongProvider("software"))
    ));
    let elsewhere = KeyRef::Pkcs11 {
        token: "other".into(),
        id: vec![1],
    };
    assert!(matches!(keys.open(&elsewhere), Err(Error::Token(m)) if m.contains("«other»")));
    let missing = KeyRef::Pkcs11 {
        token: TOKEN.into(),
        id: vec![0; 16],
    };
    assert!(matches!(keys.open(&missing), Err(Error::Token(_))));
}

fn wrong_pin(error: &Error) -> bool {
    matches!(error, Error::Token(m) if m.contains("PIN") && m.contains(TOKEN))
}

/// Reads back, in a session of its own, the private key's attributes: not
/// extractable, sensitive, only for signing, and no private value given out. The provider's
/// login is the process's, so this session sees the private key too.
fn not_extractable(reference: &KeyRef) {
    let KeyRef::Pkcs11 { id, .. } = reference else {
        panic!("{reference:?}")
    };
    let context = Pkcs11::new(MODULE).unwrap();
    // The provider initialised the module for the whole process.
    assert!(matches!(
        context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)),
        Err(cryptoki::error::Error::Pkcs11(
            RvError::CryptokiAlreadyInitialized,
            _
        ))
    ));
    let slot = context
        .get_slots_with_token()
        .unwrap()
        .into_iter()
        .find(|slot| context.get_token_info(*slot).unwrap().label() == TOKEN)
        .unwrap();
    let session = context.open_ro_session(slot).unwrap();
    let found = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(id.clone()),
        ])
        .unwrap();
    let [private] = found.as_slice() else {
        panic!("{} private keys with id {id:02x?}", found.len())
    };
    let attributes = session
        .get_attributes(
            *private,
            &[
                AttributeType::Extractable,
                AttributeType::Sensitive,
                AttributeType::Token,
                AttributeType::Sign,
                AttributeType::Decrypt,
                AttributeType::Value,
                AttributeType::PrivateExponent,
            ],
        )
        .unwrap();
    assert_eq!(
        attributes,
        [
            Attribute::Extractable(false),
            Attribute::Sensitive(true),
            Attribute::Token(true),
            Attribute::Sign(true),
            Attribute::Decrypt(false),
        ]
    );
}
