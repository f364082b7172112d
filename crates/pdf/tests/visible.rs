//! Visible signatures (PAdES B-B with an appearance, `SignOptions::
//! appearance`): the leader's, then the organisation's over it, RSA and
//! ECDSA, judged by pdfsig and pyHanko, and shown where they were put
//! (pdftoppm draws the widgets' appearances).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    appearance_pdf, count_in, handmade, hierarchy, is_blue, nss_db, pdfsig, pdfsig_blocks, pixels,
    pyhanko, run, write_pem,
};
use pdf::{Appearance, SignOptions, sign};
use pki::KeySpec;
use pki::software::SoftwareKey;
use time::OffsetDateTime;

const LEADER: [f64; 4] = [300.0, 100.0, 500.0, 180.0];
const ORGANISATION: [f64; 4] = [240.0, 110.0, 340.0, 150.0];

fn visible(rect: [f64; 4], text: &str) -> SignOptions {
    SignOptions {
        appearance: Some(Appearance {
            rect,
            form: appearance_pdf(text),
        }),
        ..SignOptions::new(OffsetDateTime::now_utc())
    }
}

#[test]
fn visible_signatures_in_sequence_stay_valid_for_pdfsig_and_pyhanko() {
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

        let once = sign(
            &handmade("Cong van so 1"),
            &pki.signer(&leader),
            &visible(LEADER, "Nguyen Van Hai"),
        )
        .unwrap();
        let twice = sign(
            &once,
            &pki.signer_with(&clerk, &organisation),
            &visible(ORGANISATION, "UBND tinh Tra Vinh"),
        )
        .unwrap();
        let reports = common::verify_bb(&twice, &[pki.root_der()]).unwrap();
        assert_eq!(reports.len(), 2);
        for report in &reports {
            assert!(report.is_valid(), "{spec}: {:?}", report.problems);
        }

        let file = spec_dir.join("visible.pdf");
        std::fs::write(&file, &twice).unwrap();
        let report = pdfsig(&db, &file);
        let blocks = pdfsig_blocks(&report);
        assert_eq!(blocks.len(), 2, "{spec}: {report}");
        for block in &blocks {
            assert!(
                block.contains("Signature Validation: Signature is Valid.")
                    && block.contains("Certificate Validation: Certificate is Trusted."),
                "{spec}: {report}"
            );
        }
        let (ok, out) = run(
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
        assert!(ok, "{spec}: {out}");
        let verdicts: Vec<&str> = out.lines().filter(|l| l.contains(":INTACT:")).collect();
        assert_eq!(verdicts.len(), 2, "{spec}: {out}");
        assert!(
            verdicts[0].contains(":INTACT:TRUSTED,EXTENDED"),
            "{spec}: {out}"
        );
        assert!(!verdicts[0].contains("ILLEGAL"), "{spec}: {out}");
        assert!(
            verdicts[1].ends_with(":INTACT:TRUSTED,UNTOUCHED"),
            "{spec}: {out}"
        );

        // Both appearances are drawn where they were put, and nothing
        // else is blue.
        let page = pixels(&spec_dir, &twice, 1);
        let leader_only = [ORGANISATION[2] + 1.0, LEADER[1], LEADER[2], LEADER[3]];
        assert!(count_in(&page, leader_only, is_blue) > 10_000, "{spec}");
        assert!(count_in(&page, ORGANISATION, is_blue) > 3000, "{spec}");
        let all = count_in(&page, [0.0, 0.0, 595.0, 842.0], is_blue);
        // The organisation's rectangle sticks out of the leader's on the left only.
        let ours = count_in(&page, LEADER, is_blue)
            + count_in(
                &page,
                [ORGANISATION[0], ORGANISATION[1], LEADER[0], ORGANISATION[3]],
                is_blue,
            );
        assert_eq!(all, ours, "{spec}: blue outside the signatures");
    }
}

#[test]
fn the_widget_keeps_its_place_and_flags() {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let signed = sign(
        &handmade("Cong van so 1"),
        &pki.signer(&key),
        &visible(LEADER, "Hai"),
    )
    .unwrap();
    let doc = lopdf::Document::load_mem(&signed).unwrap();
    let page = doc.get_pages()[&1];
    let annots = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"Annots")
        .unwrap()
        .as_array()
        .unwrap();
    let widget = doc
        .get_dictionary(annots[0].as_reference().unwrap())
        .unwrap();
    let rect: Vec<f32> = widget
        .get(b"Rect")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    assert_eq!(rect, [300.0, 100.0, 500.0, 180.0]);
    assert_eq!(
        widget.get(b"F").unwrap().as_i64().unwrap() & 4,
        4,
        "not printable"
    );
    let normal = widget
        .get(b"AP")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"N")
        .unwrap()
        .as_reference()
        .unwrap();
    let form = doc.get_object(normal).unwrap().as_stream().unwrap();
    assert_eq!(
        form.dict.get(b"Subtype").unwrap().as_name().unwrap(),
        b"Form"
    );
    let bbox: Vec<f32> = form
        .dict
        .get(b"BBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    assert_eq!(bbox, [0.0, 0.0, 200.0, 80.0]);
}
