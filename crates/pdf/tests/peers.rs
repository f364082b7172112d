//! Interoperability, the acceptance of issue 7 for PAdES B-B: signatures
//! egov makes are judged by pdfsig (poppler, NSS) and by pyHanko's
//! validator; signatures pyHanko makes are judged by egov; a document
//! altered after signing is reported as modified by egov and by pdfsig.
//! The tools are installed by `scripts/setup.sh --test`; a test fails,
//! naming that script, if one is missing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{
    Hierarchy, appearance_pdf, append_update, handmade, handmade_with_form, hierarchy, nss_db,
    pdfsig, pdfsig_blocks, pyhanko, run, verify_bb, with_xref_stream, write_pem,
};
use der::Encode;
use pdf::{Fill, Limits, Problem, SignOptions, TextField, add_text_fields, fill_text_fields, sign};
use pki::KeySpec;
use pki::software::SoftwareKey;
use time::OffsetDateTime;

fn options() -> SignOptions {
    SignOptions {
        reason: Some("Ký ban hành".into()),
        location: Some("Trà Vinh".into()),
        ..SignOptions::new(OffsetDateTime::now_utc())
    }
}

/// pyHanko's one-line verdicts (`field:fingerprint:INTACT:TRUSTED,…`),
/// with its trust limited to `root`.
fn pyhanko_validate(root: &Path, pdf: &Path) -> Vec<String> {
    let (ok, out) = run(
        &pyhanko(),
        &[
            "sign",
            "validate",
            "--trust-replace",
            "--trust",
            root.to_str().unwrap(),
            "--no-revocation-check",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(ok, "pyhanko sign validate {}: {out}", pdf.display());
    out.lines()
        .filter(|line| {
            line.contains(":INTACT:") || line.contains(":INVALID") || line.contains(":TAMPERED")
        })
        .map(str::to_owned)
        .collect()
}

/// The leader signs with a personal certificate, then the clerk with the
/// organisation's (issue 7's order): every signature of both files must
/// be valid and trusted for pdfsig and pyHanko.
///
/// Two signatures by one certificate are not put to pdfsig: poppler 22.12
/// (Debian 12) makes NSS temporary certificates from each CMS without
/// copying their DER (`CERT_NewTempCertificate(…, copyDER = 0)`) and then
/// frees the CMS, so when the next signature carries the same
/// certificate NSS compares it with freed memory, fails with
/// SEC_ERROR_REUSED_ISSUER_AND_SERIAL and pdfsig prints "Unknown issue
/// with Certificate", depending on what was allocated there since.
/// pyHanko validates that case here, egov in `sign_verify.rs`.
#[test]
fn pdfsig_and_pyhanko_accept_what_egov_signs() {
    let dir = tempfile::tempdir().unwrap();
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let leader = SoftwareKey::generate(spec).unwrap();
        let pki = hierarchy(spec, &leader);
        let clerk = SoftwareKey::generate(spec).unwrap();
        let organisation = pki.organisation(&clerk);
        let spec_dir = dir.path().join(spec.name());
        std::fs::create_dir(&spec_dir).unwrap();
        let db = nss_db(&spec_dir, &pki.root_der());
        let root = write_pem(&spec_dir, "root.pem", "CERTIFICATE", &pki.root_der());
        for (kind, original) in [
            ("table", handmade("Cong van so 1")),
            ("stream", with_xref_stream("Cong van so 1")),
            ("form", handmade_with_form("Cong van so 1")),
        ] {
            let once = sign(&original, &pki.signer(&leader), &options()).unwrap();
            let twice = sign(&once, &pki.signer_with(&clerk, &organisation), &options()).unwrap();
            if kind == "table" {
                // The same certificate twice, for pyHanko only (see above).
                let again = sign(&once, &pki.signer(&leader), &options()).unwrap();
                let file = spec_dir.join("again.pdf");
                std::fs::write(&file, &again).unwrap();
                let verdicts = pyhanko_validate(&root, &file);
                assert_eq!(verdicts.len(), 2, "{spec}: {verdicts:?}");
                assert!(
                    verdicts.iter().all(|v| v.contains(":INTACT:TRUSTED")),
                    "{spec}: {verdicts:?}"
                );
            }
            for (count, bytes) in [(1, once), (2, twice)] {
                let file = spec_dir.join(format!("{kind}-{count}.pdf"));
                std::fs::write(&file, &bytes).unwrap();
                let what = format!("{spec}, {kind}, {count} signature(s)");

                let report = pdfsig(&db, &file);
                let blocks = pdfsig_blocks(&report);
                assert_eq!(blocks.len(), count, "{what}: {report}");
                for block in &blocks {
                    assert!(
                        block.contains("Signature Validation: Signature is Valid.")
                            && block.contains("Certificate Validation: Certificate is Trusted.")
                            && block.contains("Signature Type: ETSI.CAdES.detached"),
                        "{what}: {report}"
                    );
                }
                assert!(
                    blocks[count - 1].contains("- Total document signed"),
                    "{what}: {report}"
                );

                let verdicts = pyhanko_validate(&root, &file);
                assert_eq!(verdicts.len(), count, "{what}: {verdicts:?}");
                for verdict in &verdicts {
                    assert!(verdict.contains(":INTACT:TRUSTED"), "{what}: {verdict}");
                }
                assert!(
                    verdicts[count - 1].ends_with(",UNTOUCHED"),
                    "{what}: {verdicts:?}"
                );
            }
        }
    }
}

/// The issuing clerk writes the number and date into text fields the
/// leader's signature already covers (form filling, `pdf::form`), then
/// the organisation signs: both signatures stay valid and trusted for
/// pdfsig, pyHanko (no "ILLEGAL_MODIFICATIONS") and egov, and the number
/// shows on the page.
#[test]
fn a_number_filled_in_after_the_leader_signs_keeps_every_signature_valid() {
    let dir = tempfile::tempdir().unwrap();
    let spec = KeySpec::EcP256;
    let leader = SoftwareKey::generate(spec).unwrap();
    let pki = hierarchy(spec, &leader);
    let clerk = SoftwareKey::generate(spec).unwrap();
    let organisation = pki.organisation(&clerk);
    let db = nss_db(dir.path(), &pki.root_der());
    let root = write_pem(dir.path(), "root.pem", "CERTIFICATE", &pki.root_der());
    let limits = Limits::default();
    let blanks = [
        TextField {
            name: "SoVanBan".into(),
            page: 1,
            rect: [72.0, 760.0, 272.0, 780.0],
        },
        TextField {
            name: "NgayBanHanh".into(),
            page: 1,
            rect: [320.0, 760.0, 520.0, 780.0],
        },
    ];
    let with_blanks = add_text_fields(&handmade("Cong van so 1"), &blanks, &limits).unwrap();
    let once = sign(&with_blanks, &pki.signer(&leader), &options()).unwrap();
    let fills = [
        Fill {
            name: "SoVanBan".into(),
            value: "Số: 12/QĐ-STTTT".into(),
            form: appearance_pdf("So 12"),
        },
        Fill {
            name: "NgayBanHanh".into(),
            value: "Trà Vinh, ngày 30 tháng 11 năm 2026".into(),
            form: appearance_pdf("Ngay 30"),
        },
    ];
    let filled = fill_text_fields(&once, &fills, &limits).unwrap();
    let twice = sign(&filled, &pki.signer_with(&clerk, &organisation), &options()).unwrap();

    for (count, bytes) in [(1, &filled), (2, &twice)] {
        let reports = verify_bb(bytes, &[pki.root_der()]).unwrap();
        assert_eq!(reports.len(), count);
        for report in &reports {
            assert!(report.is_valid(), "{count}: {:?}", report.problems);
        }
        let file = dir.path().join(format!("filled-{count}.pdf"));
        std::fs::write(&file, bytes).unwrap();
        let report = pdfsig(&db, &file);
        let blocks = pdfsig_blocks(&report);
        assert_eq!(blocks.len(), count, "{report}");
        for block in &blocks {
            assert!(
                block.contains("Signature Validation: Signature is Valid.")
                    && block.contains("Certificate Validation: Certificate is Trusted."),
                "{report}"
            );
        }
        let verdicts = pyhanko_validate(&root, &file);
        assert_eq!(verdicts.len(), count, "{verdicts:?}");
        for verdict in &verdicts {
            assert!(
                verdict.contains(":INTACT:TRUSTED") && !verdict.contains("ILLEGAL"),
                "{verdicts:?}"
            );
        }
    }
    let (ok, text) = run(
        Path::new("pdftotext"),
        &[dir.path().join("filled-2.pdf").to_str().unwrap(), "-"],
    );
    assert!(
        ok && text.contains("So 12") && text.contains("Ngay 30"),
        "{text}"
    );
}

/// A key made by openssl, for pyHanko, and the certificate egov's CA
/// issues for it.
fn pyhanko_signer(
    dir: &Path,
    spec: KeySpec,
    pki_of: impl Fn(&SoftwareKey) -> Hierarchy,
) -> (Hierarchy, [String; 3]) {
    let algorithm: &[&str] = match spec {
        KeySpec::Rsa2048 => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        _ => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    };
    let key_pem = dir.join(format!("{spec}-key.pem"));
    let mut args = vec!["genpkey"];
    args.extend_from_slice(algorithm);
    args.extend_from_slice(&["-out", key_pem.to_str().unwrap()]);
    let (ok, out) = run(Path::new("openssl"), &args);
    assert!(ok, "openssl genpkey: {out}");
    let key_der = dir.join(format!("{spec}-key.der"));
    let (ok, out) = run(
        Path::new("openssl"),
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            key_pem.to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
            key_der.to_str().unwrap(),
        ],
    );
    assert!(ok, "openssl pkcs8: {out}");
    let key = SoftwareKey::from_pkcs8(&std::fs::read(&key_der).unwrap()).unwrap();
    let pki = pki_of(&key);
    let cert = write_pem(
        dir,
        &format!("{spec}-cert.pem"),
        "CERTIFICATE",
        &pki.certificate.to_der().unwrap(),
    );
    let issuing = write_pem(
        dir,
        &format!("{spec}-issuing.pem"),
        "CERTIFICATE",
        &pki.issuing.certificate.to_der().unwrap(),
    );
    let paths = [key_pem, cert, issuing].map(|p| p.to_str().unwrap().to_owned());
    (pki, paths)
}

fn pyhanko_sign(files: &[String; 3], field: &str, pades: bool, input: &Path, output: &Path) {
    let [key, cert, issuing] = files;
    let mut args = vec!["sign", "addsig", "--field", field];
    if pades {
        args.push("--use-pades");
    }
    args.extend_from_slice(&[
        "pemder",
        "--no-pass",
        "--key",
        key,
        "--cert",
        cert,
        "--chain",
        issuing,
        input.to_str().unwrap(),
        output.to_str().unwrap(),
    ]);
    let (ok, out) = run(&pyhanko(), &args);
    assert!(ok, "pyhanko sign addsig: {out}");
}

/// pyHanko signs (PAdES and plain PKCS #7 detached), alone and around an
/// egov signature; egov validates every signature.
#[test]
fn egov_accepts_what_pyhanko_signs() {
    let dir = tempfile::tempdir().unwrap();
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let egov_key = SoftwareKey::generate(spec).unwrap();
        let (pki, files) = pyhanko_signer(dir.path(), spec, |key| hierarchy(spec, key));
        let egov_cert = pki.organisation(&egov_key);
        let original = dir.path().join(format!("{spec}-original.pdf"));
        std::fs::write(&original, handmade("Cong van so 1")).unwrap();
        for pades in [true, false] {
            let what = format!("{spec}, pades {pades}");
            let first = dir.path().join(format!("{spec}-{pades}-pyhanko.pdf"));
            pyhanko_sign(&files, "Leader", pades, &original, &first);
            let bytes = std::fs::read(&first).unwrap();
            let reports = verify_bb(&bytes, &[pki.root_der()]).unwrap();
            assert_eq!(reports.len(), 1, "{what}");
            assert!(reports[0].is_valid(), "{what}: {:?}", reports[0].problems);
            assert_eq!(reports[0].signer.as_deref(), Some("Nguyễn Thị Ánh"));

            // egov signs after pyHanko, then pyHanko after egov.
            let second = sign(&bytes, &pki.signer_with(&egov_key, &egov_cert), &options()).unwrap();
            let second_path = dir.path().join(format!("{spec}-{pades}-egov.pdf"));
            std::fs::write(&second_path, &second).unwrap();
            let third = dir.path().join(format!("{spec}-{pades}-pyhanko-again.pdf"));
            pyhanko_sign(&files, "Leader2", pades, &second_path, &third);
            let reports = verify_bb(&std::fs::read(&third).unwrap(), &[pki.root_der()]).unwrap();
            assert_eq!(reports.len(), 3, "{what}");
            for report in &reports {
                assert!(
                    report.is_valid(),
                    "{what}, {}: {:?}",
                    report.field,
                    report.problems
                );
            }
            assert_eq!(
                reports.iter().map(|r| r.field.as_str()).collect::<Vec<_>>(),
                ["Leader", "Signature1", "Leader2"],
                "{what}"
            );
        }
    }
}

/// Bytes changed inside the signed range, and a later update that
/// changes the page: egov reports the document modified, pdfsig a digest
/// mismatch or a signature that no longer covers the document, pyHanko
/// illegal modifications.
#[test]
fn altered_documents_are_reported_modified() {
    let dir = tempfile::tempdir().unwrap();
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let db = nss_db(dir.path(), &pki.root_der());
    let root = write_pem(dir.path(), "root.pem", "CERTIFICATE", &pki.root_der());
    let signed = sign(&handmade("Cong van so 1"), &pki.signer(&key), &options()).unwrap();

    let mut altered = signed.clone();
    let at = altered.windows(7).position(|w| w == b"van so ").unwrap() + 7;
    altered[at] = b'9';
    let file = dir.path().join("altered.pdf");
    std::fs::write(&file, &altered).unwrap();
    let reports = verify_bb(&altered, &[pki.root_der()]).unwrap();
    assert!(reports[0].is_modified(), "{:?}", reports[0].problems);
    assert!(reports[0].problems.contains(&Problem::DigestMismatch));
    let report = pdfsig(&db, &file);
    assert!(
        report.contains("Signature Validation: Digest Mismatch."),
        "{report}"
    );

    let content = "BT /F1 18 Tf 72 720 Td (Cong van so 9) Tj ET";
    let updated = append_update(
        &signed,
        &[(
            4,
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
        )],
    );
    let file = dir.path().join("updated.pdf");
    std::fs::write(&file, &updated).unwrap();
    let reports = verify_bb(&updated, &[pki.root_der()]).unwrap();
    assert!(reports[0].is_modified(), "{:?}", reports[0].problems);
    assert!(
        matches!(&reports[0].problems[..], [Problem::Modified(what)] if what[0].contains("trang 1")),
        "{:?}",
        reports[0].problems
    );
    // pdfsig does no analysis of later updates: that the signature no
    // longer covers the whole document is how it reports them.
    let report = pdfsig(&db, &file);
    assert!(report.contains("- Not total document signed"), "{report}");
    let (_, out) = run(
        &pyhanko(),
        &[
            "sign",
            "validate",
            "--trust-replace",
            "--trust",
            root.to_str().unwrap(),
            "--no-revocation-check",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.contains(":INTACT:TRUSTED,EXTENDED_WITH_OTHER,ILLEGAL_MODIFICATIONS"),
        "{out}"
    );
}
