//! Signing with the key on a PKCS #11 token (SoftHSM2): made on the token,
//! not extractable, signing one and two signatures that egov and pdfsig
//! accept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{SETUP, handmade, hierarchy, nss_db, pdfsig, pdfsig_blocks, verify_bb};
use pdf::{SignOptions, sign};
use pki::{KeyProvider, KeySpec, Pkcs11Keys};
use time::OffsetDateTime;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "egov-pdf-test";
const PIN: &str = "5678";
/// Names, in the child process, the directory holding its token.
const CHILD: &str = "EGOV_PDF_SOFTHSM_DIR";

/// SoftHSM finds its tokens through `SOFTHSM2_CONF`, which edition 2024
/// sets only in `unsafe` code (forbidden here): the test makes a token in
/// a directory of its own and runs itself again in a child process whose
/// environment names it, as the pki tests do.
#[test]
fn signing_with_a_key_on_a_softhsm_token() {
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
        .unwrap_or_else(|e| panic!("cannot run softhsm2-util ({e}): {SETUP}"));
    assert!(
        out.status.success(),
        "softhsm2-util --init-token failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "signing_with_a_key_on_a_softhsm_token",
            "--nocapture",
        ])
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
}

fn on_the_token(dir: &Path) {
    let keys = Pkcs11Keys::new(Path::new(MODULE), TOKEN, PIN).unwrap();
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let (reference, key) = keys.generate(&format!("signer {spec}"), spec).unwrap();
        assert_eq!(reference.provider(), "pkcs11");
        let pki = hierarchy(spec, key.as_ref());
        let clerk_key = keys.generate(&format!("clerk {spec}"), spec).unwrap().1;
        let clerk = pki.organisation(clerk_key.as_ref());
        let options = SignOptions::new(OffsetDateTime::now_utc());
        let once = sign(
            &handmade("Cong van so 1"),
            &pki.signer(key.as_ref()),
            &options,
        )
        .unwrap();
        let twice = sign(
            &once,
            &pki.signer_with(clerk_key.as_ref(), &clerk),
            &options,
        )
        .unwrap();

        let reports = verify_bb(&twice, &[pki.root_der()]).unwrap();
        assert_eq!(reports.len(), 2, "{spec}");
        for report in &reports {
            assert!(report.is_valid(), "{spec}: {:?}", report.problems);
        }

        let spec_dir = dir.join(spec.name());
        std::fs::create_dir(&spec_dir).unwrap();
        let db = nss_db(&spec_dir, &pki.root_der());
        let file = spec_dir.join("signed.pdf");
        std::fs::write(&file, &twice).unwrap();
        let report = pdfsig(&db, &file);
        let blocks = pdfsig_blocks(&report);
        assert_eq!(blocks.len(), 2, "{spec}: {report}");
        for block in blocks {
            assert!(
                block.contains("Signature is Valid.") && block.contains("Certificate is Trusted."),
                "{spec}: {report}"
            );
        }
    }
}
