//! PAdES B-T, B-LT and B-LTA across implementations: what egov signs is
//! judged by pdfsig (poppler, NSS) and by pyHanko's validators — for B-LT
//! and B-LTA its AdES validation with revocation required and every URL
//! in the certificates leading nowhere, so the file's own DSS must
//! suffice; what pyHanko signs against egov's TSA and OCSP responder
//! (served on 127.0.0.1 from the `pki` crate) is judged by egov.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::services::{Services, offline, served};
use common::{handmade, nss_db, pyhanko, run, write_pem};
use der::Encode;
use pdf::{Kind, Level, SignOptions, Validation, Verdict, sign_at, validate, verify};
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

/// pyHanko's AdES long-term validation (`peers/ades_offline.py`), with
/// revocation information required and nothing fetched, `root` the only
/// trust anchor: one `field:PASSED|FAILED[:SUBINDICATION]` per signature.
fn pyhanko_ades_offline(root: &Path, pdf: &Path) -> String {
    let python = pyhanko().with_file_name("python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/ades_offline.py");
    let (ok, out) = run(
        &python,
        &[
            script.to_str().unwrap(),
            pdf.to_str().unwrap(),
            root.to_str().unwrap(),
        ],
    );
    assert!(ok, "{}: {out}", script.display());
    out
}

/// pyHanko's one-line verdicts on a B-T file, revocation not checked
/// (B-T carries none), given the issuing CA: the `pki` TSA's tokens carry
/// only its own certificate, and a B-T file has no DSS to find the CA in.
fn pyhanko_validate(root: &Path, issuing: &Path, pdf: &Path) -> (bool, String) {
    run(
        &pyhanko(),
        &[
            "sign",
            "validate",
            "--no-revocation-check",
            "--other-certs",
            issuing.to_str().unwrap(),
            "--trust-replace",
            "--trust",
            root.to_str().unwrap(),
            pdf.to_str().unwrap(),
        ],
    )
}

/// pdfsig's report, with no online OCSP (the URLs lead nowhere).
fn pdfsig_offline(db: &str, pdf: &Path) -> String {
    run(
        Path::new("pdfsig"),
        &["-nssdir", db, "-no-ocsp", pdf.to_str().unwrap()],
    )
    .1
}

#[test]
fn pdfsig_and_pyhanko_accept_every_level_egov_signs() {
    let dir = tempfile::tempdir().unwrap();
    for spec in [KeySpec::EcP256, KeySpec::Rsa2048] {
        let services = offline(spec);
        let spec_dir = dir.path().join(spec.name());
        std::fs::create_dir(&spec_dir).unwrap();
        let db = nss_db(&spec_dir, &services.root_der());
        let root = write_pem(&spec_dir, "root.pem", "CERTIFICATE", &services.root_der());
        let issuing = write_pem(
            &spec_dir,
            "issuing.pem",
            "CERTIFICATE",
            &services.chain()[0],
        );
        let leader = SoftwareKey::generate(spec).unwrap();
        let leader_cert = services.certificate(&leader, "Nguyễn Thị Ánh", false);
        let clerk = SoftwareKey::generate(spec).unwrap();
        let clerk_cert = services.certificate(&clerk, "Ủy ban nhân dân tỉnh Trà Vinh", true);
        for level in [Level::BT, Level::BLT, Level::BLTA] {
            let sign = |bytes: &[u8], key: &SoftwareKey, cert| {
                sign_at(
                    bytes,
                    &services.signer(key, cert),
                    &options(),
                    level,
                    Some(&services),
                    Some(&services),
                )
                .unwrap()
            };
            let once = sign(&handmade("Cong van so 1"), &leader, &leader_cert);
            let twice = sign(&once, &clerk, &clerk_cert);
            for (count, bytes) in [(1, once), (2, twice)] {
                let what = format!("{spec} {level:?}, {count} signature(s)");
                let file = spec_dir.join(format!("{level:?}-{count}.pdf"));
                std::fs::write(&file, &bytes).unwrap();

                let report = pdfsig_offline(&db, &file);
                let blocks = common::pdfsig_blocks(&report);
                let timestamps = if level == Level::BLTA { count } else { 0 };
                assert_eq!(blocks.len(), count + timestamps, "{what}: {report}");
                // poppler 22.12 does not validate document timestamps
                // ("Unimplemented Feature"): it only names their TSA.
                let (signatures, stamps): (Vec<_>, Vec<_>) = blocks
                    .iter()
                    .partition(|b| b.contains("Signature Type: ETSI.CAdES.detached"));
                assert_eq!(signatures.len(), count, "{what}: {report}");
                for block in signatures {
                    assert!(
                        block.contains("Signature Validation: Signature is Valid.")
                            && block.contains("Certificate Validation: Certificate is Trusted."),
                        "{what}: {report}"
                    );
                }
                for block in stamps {
                    assert!(
                        block.contains("Common Name: TSA Trà Vinh"),
                        "{what}: {report}"
                    );
                }

                if level == Level::BT {
                    let (ok, out) = pyhanko_validate(&root, &issuing, &file);
                    assert!(ok, "{what}: {out}");
                    let verdicts: Vec<_> = out.lines().filter(|l| l.contains(":INTACT:")).collect();
                    assert_eq!(verdicts.len(), count, "{what}: {out}");
                    for verdict in verdicts {
                        assert!(
                            verdict.contains(":INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>"),
                            "{what}: {out}"
                        );
                    }
                } else {
                    // Without a document timestamp pyHanko has no proof of
                    // existence for the DSS data and says so (NO_POE), as
                    // for its own B-LT files; with one, OK.
                    let out = pyhanko_ades_offline(&root, &file);
                    let verdicts: Vec<_> = out
                        .lines()
                        .filter(|l| l.contains(":PASSED") || l.contains(":FAILED"))
                        .collect();
                    assert_eq!(verdicts.len(), count, "{what}: {out}");
                    let expected = if level == Level::BLTA {
                        ":PASSED:OK"
                    } else {
                        ":PASSED:NO_POE"
                    };
                    for verdict in verdicts {
                        assert!(verdict.ends_with(expected), "{what}: {out}");
                    }
                }
            }
        }
    }
}

/// pyHanko's key for `certificate`'s holder, and the files it signs with.
struct PyhankoSigner {
    key: std::path::PathBuf,
    certificate: std::path::PathBuf,
    issuing: std::path::PathBuf,
    root: std::path::PathBuf,
}

fn pyhanko_signer(dir: &Path, services: &Services, cn: &str) -> PyhankoSigner {
    let key_pem = dir.join("key.pem");
    let (ok, out) = run(
        Path::new("openssl"),
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            key_pem.to_str().unwrap(),
        ],
    );
    assert!(ok, "openssl genpkey: {out}");
    let (ok, der) = {
        let out = std::process::Command::new("openssl")
            .args(["pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in"])
            .arg(&key_pem)
            .output()
            .unwrap();
        (out.status.success(), out.stdout)
    };
    assert!(ok, "openssl pkcs8");
    let key = SoftwareKey::from_pkcs8(&der).unwrap();
    let certificate = services.certificate(&key, cn, false);
    PyhankoSigner {
        key: key_pem,
        certificate: write_pem(
            dir,
            "cert.pem",
            "CERTIFICATE",
            &certificate.to_der().unwrap(),
        ),
        issuing: write_pem(dir, "issuing.pem", "CERTIFICATE", &services.chain()[0]),
        root: write_pem(dir, "root.pem", "CERTIFICATE", &services.root_der()),
    }
}

/// pyHanko signs at `level`, PAdES-style or, if not `pades`, as Acrobat
/// does (`adbe.pkcs7.detached`, revocation data in the CMS).
fn pyhanko_sign(
    signer: &PyhankoSigner,
    services: &Services,
    (level, pades): (Level, bool),
    input: &Path,
    output: &Path,
) {
    let tsa = format!("{}/pki/tsa", services.base);
    let mut args = vec![
        "sign",
        "addsig",
        "--field",
        "Leader",
        "--timestamp-url",
        &tsa,
    ];
    if pades {
        args.push("--use-pades");
    }
    if level >= Level::BLT {
        args.extend_from_slice(&[
            "--with-validation-info",
            "--trust-replace",
            "--trust",
            signer.root.to_str().unwrap(),
        ]);
    }
    if level == Level::BLTA {
        args.push("--use-pades-lta");
    }
    args.extend_from_slice(&[
        "pemder",
        "--no-pass",
        "--key",
        signer.key.to_str().unwrap(),
        "--cert",
        signer.certificate.to_str().unwrap(),
        "--chain",
        signer.issuing.to_str().unwrap(),
        input.to_str().unwrap(),
        output.to_str().unwrap(),
    ]);
    let (ok, out) = run(&pyhanko(), &args);
    assert!(ok, "pyhanko sign addsig: {out}");
}

#[test]
fn egov_accepts_every_level_pyhanko_signs() {
    let dir = tempfile::tempdir().unwrap();
    let services = served(KeySpec::EcP256);
    let signer = pyhanko_signer(dir.path(), &services, "Nguyễn Thị Ánh");
    let original = dir.path().join("original.pdf");
    std::fs::write(&original, handmade("Cong van so 1")).unwrap();
    let trust = [services.root_der()];
    for level in [Level::BT, Level::BLT, Level::BLTA] {
        let file = dir.path().join(format!("{level:?}.pdf"));
        pyhanko_sign(&signer, &services, (level, true), &original, &file);
        let bytes = std::fs::read(&file).unwrap();
        let reports = verify(&bytes, &trust).unwrap();
        let what = format!("{level:?}");
        assert_eq!(
            reports.len(),
            if level == Level::BLTA { 2 } else { 1 },
            "{what}: {reports:?}"
        );
        let signature = &reports[0];
        assert_eq!(signature.signer.as_deref(), Some("Nguyễn Thị Ánh"));
        assert!(signature.timestamp.is_some(), "{what}");
        if level == Level::BT {
            assert_eq!(
                signature.verdict(),
                Verdict::Indeterminate,
                "{what}: {:?}",
                signature.problems
            );
            let fetched = validate(
                &bytes,
                &Validation {
                    trust: &trust,
                    limits: &pdf::Limits::default(),
                    fetcher: Some(&*services),
                    revocation: true,
                },
            )
            .unwrap();
            assert!(fetched[0].is_valid(), "{what}: {:?}", fetched[0].problems);
        } else {
            for report in &reports {
                assert!(
                    report.is_valid(),
                    "{what} {}: {:?}",
                    report.field,
                    report.problems
                );
            }
        }
        if level == Level::BLTA {
            assert_eq!(reports[1].kind, Kind::DocumentTimestamp);
        }
    }
}

/// pyHanko certifies (DocMDP, P=2: form filling and signing allowed),
/// egov signs after it, then an editor adds a comment: the certification
/// reports the comment as forbidden, the approval signature does not.
#[test]
fn a_certification_forbids_what_its_permissions_forbid() {
    let dir = tempfile::tempdir().unwrap();
    let services = offline(KeySpec::EcP256);
    let signer = pyhanko_signer(dir.path(), &services, "Nguyễn Thị Ánh");
    let original = dir.path().join("original.pdf");
    std::fs::write(&original, handmade("Cong van so 1")).unwrap();
    let certified = dir.path().join("certified.pdf");
    let (ok, out) = run(
        &pyhanko(),
        &[
            "sign",
            "addsig",
            "--field",
            "Leader",
            "--certify",
            "pemder",
            "--no-pass",
            "--key",
            signer.key.to_str().unwrap(),
            "--cert",
            signer.certificate.to_str().unwrap(),
            "--chain",
            signer.issuing.to_str().unwrap(),
            original.to_str().unwrap(),
            certified.to_str().unwrap(),
        ],
    );
    assert!(ok, "pyhanko --certify: {out}");
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let certificate = services.certificate(&key, "Ủy ban nhân dân tỉnh Trà Vinh", true);
    let countersigned = pdf::sign(
        &std::fs::read(&certified).unwrap(),
        &services.signer(&key, &certificate),
        &options(),
    )
    .unwrap();
    let trust = [services.root_der()];
    let reports = common::verify_bb(&countersigned, &trust).unwrap();
    assert_eq!(reports[0].kind, Kind::Certification { permissions: 2 });
    for report in &reports {
        assert!(report.is_valid(), "{}: {:?}", report.field, report.problems);
    }

    let commented = with_comment(&countersigned);
    let reports = common::verify_bb(&commented, &trust).unwrap();
    assert!(
        matches!(&reports[0].problems[..], [pdf::Problem::NotPermitted { permissions: 2, changes }] if changes == &["thêm Text"]),
        "{:?}",
        reports[0].problems
    );
    assert!(reports[0].is_modified());
    assert!(reports[1].is_valid(), "{:?}", reports[1].problems);
}

/// `pdf` with a sticky-note comment added to page 1 by an update.
fn with_comment(pdf: &[u8]) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page_id = doc.get_pages()[&1];
    let mut page = doc.get_dictionary(page_id).unwrap().clone();
    let note = doc.max_id + 1;
    let mut annots = match page.get(b"Annots") {
        Ok(lopdf::Object::Array(items)) => items.clone(),
        Ok(lopdf::Object::Reference(id)) => {
            doc.get_object(*id).unwrap().as_array().unwrap().clone()
        }
        _ => Vec::new(),
    };
    annots.push(lopdf::Object::Reference((note, 0)));
    page.set("Annots", annots);
    let mut body = Vec::new();
    lopdf::Writer::write_object(&mut body, &lopdf::Object::Dictionary(page)).unwrap();
    common::append_update(
        pdf,
        &[
            (page_id.0, String::from_utf8(body).unwrap()),
            (
                note,
                "<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (Xem lai) >>".into(),
            ),
        ],
    )
}

/// Acrobat-style, pyHanko puts the signer's revocation data in the CMS
/// (adbe-revocationInfoArchival): egov finds it there.
#[test]
fn egov_reads_revocation_data_from_the_cms() {
    let dir = tempfile::tempdir().unwrap();
    let services = served(KeySpec::EcP256);
    let signer = pyhanko_signer(dir.path(), &services, "Nguyễn Thị Ánh");
    let original = dir.path().join("original.pdf");
    std::fs::write(&original, handmade("Cong van so 1")).unwrap();
    let file = dir.path().join("adbe.pdf");
    pyhanko_sign(&signer, &services, (Level::BLT, false), &original, &file);
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(4).any(|w| w == b"/DSS"), "a DSS was written");
    let reports = verify(&bytes, &[services.root_der()]).unwrap();
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);
    assert!(reports[0].timestamp.is_some());
}
