//! Visible signatures and stamps on a rendered Decree 30 document: the
//! appearances `render` makes, placed and signed by `pdf`, judged by
//! poppler (pdfsig, pdftoppm's pixels, pdffonts, pdftotext) and pyHanko.
//! The leader signs with the blue signature image, then the organisation
//! with the red seal over a third of it; the number, date and a copy's
//! stamp are drawn into the page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "../../pdf/tests/common/mod.rs"]
mod peers;

use std::path::Path;

use common::{MM, fonts, poppler, words, write_temp};
use pdf::{Appearance as Placed, Limits, SignOptions, sign, stamp};
use pki::KeySpec;
use pki::software::SoftwareKey;
use render::demo::{seal_png, signature_png};
use render::pdf::appearance::{organisation, signer};
use render::pdf::placement::top_right;
use render::pdf::stamps::{copy_stamp, text_stamp};
use render::{Placement, placement, sample};
use time::macros::datetime;

const AGENCY: &str = "Sở Thông tin và Truyền thông tỉnh Trà Vinh";

/// RGB pixels of a page rendered at 72 dpi by `pdftoppm -png`, rows from
/// the top.
struct Page {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

impl Page {
    fn render(dir: &tempfile::TempDir, pdf: &Path, page: usize) -> Self {
        let prefix = dir.path().join("page");
        let page = page.to_string();
        poppler(
            "pdftoppm",
            &[
                "-r",
                "72",
                "-png",
                "-f",
                &page,
                "-l",
                &page,
                "-singlefile",
                pdf.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        let file = std::fs::File::open(dir.path().join("page.png")).unwrap();
        let mut reader = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .unwrap();
        let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut rgb).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        Self {
            width: info.width as usize,
            height: info.height as usize,
            rgb,
        }
    }

    /// The pixels inside `rect` (PDF points from the bottom-left) that
    /// `wanted` accepts, as (x, y) in points.
    fn find(&self, rect: [f64; 4], wanted: impl Fn([u8; 3]) -> bool) -> Vec<(f64, f64)> {
        let mut found = Vec::new();
        for row in 0..self.height {
            for column in 0..self.width {
                #[allow(clippy::cast_precision_loss)]
                let (x, y) = (column as f64 + 0.5, (self.height - row) as f64 - 0.5);
                let at = (row * self.width + column) * 3;
                let rgb = [self.rgb[at], self.rgb[at + 1], self.rgb[at + 2]];
                if x > rect[0] && x < rect[2] && y > rect[1] && y < rect[3] && wanted(rgb) {
                    found.push((x, y));
                }
            }
        }
        found
    }
}

fn blue([r, g, b]: [u8; 3]) -> bool {
    b > 140 && r < 110 && g < 130
}

fn red([r, g, b]: [u8; 3]) -> bool {
    r > 150 && g < 110 && b < 110
}

#[test]
fn demo_images_are_deterministic_and_transparent() {
    let seal = seal_png(fonts(), AGENCY).unwrap();
    assert_eq!(seal, seal_png(fonts(), AGENCY).unwrap());
    let ink = signature_png().unwrap();
    assert_eq!(ink, signature_png().unwrap());
    for (png, colour) in [(&seal, red as fn([u8; 3]) -> bool), (&ink, blue)] {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut rgba = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut rgba).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgba);
        let pixels: Vec<&[u8]> = rgba.chunks_exact(4).collect();
        assert_eq!(pixels[0][3], 0, "the corner is not transparent");
        let inked = pixels
            .iter()
            .filter(|p| p[3] > 200 && colour([p[0], p[1], p[2]]))
            .count();
        assert!(inked > pixels.len() / 50, "{inked} coloured pixels");
    }
}

/// The leader signs (RSA and ECDSA), then the organisation with the seal:
/// both signatures valid for pdfsig and pyHanko; blue inside the image,
/// red inside the seal, whose right edge is a third into the image; the
/// appearance fonts embedded as subsets.
#[test]
fn the_leader_then_the_organisation_sign_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let rendered = render::pdf::render(&sample::document(), fonts()).unwrap();
    let place = placement(&rendered.signature);
    // The certificates are valid from an hour ago.
    let at = time::OffsetDateTime::now_utc();
    let signature = signature_png().unwrap();
    let leader_look = signer(fonts(), &signature, "Nguyễn Văn Hải", "Giám đốc", at).unwrap();
    let seal = seal_png(fonts(), AGENCY).unwrap();
    let seal_look = organisation(fonts(), &seal, AGENCY, at).unwrap();
    let options = |rect, look: &render::Appearance| SignOptions {
        page: rendered.signature.page,
        appearance: Some(Placed {
            rect,
            form: look.pdf.clone(),
        }),
        ..SignOptions::new(at)
    };
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let leader = SoftwareKey::generate(spec).unwrap();
        let pki = peers::hierarchy(spec, &leader);
        let clerk = SoftwareKey::generate(spec).unwrap();
        let organisation_cert = pki.organisation(&clerk);
        let once = sign(
            &rendered.bytes,
            &pki.signer(&leader),
            &options(place.signer, &leader_look),
        )
        .unwrap();
        let twice = sign(
            &once,
            &pki.signer_with(&clerk, &organisation_cert),
            &options(place.organisation, &seal_look),
        )
        .unwrap();
        for report in peers::verify_bb(&twice, &[pki.root_der()]).unwrap() {
            assert!(report.is_valid(), "{spec}: {:?}", report.problems);
        }
        let spec_dir = dir.path().join(spec.name());
        std::fs::create_dir(&spec_dir).unwrap();
        let file = write_temp(&dir, &format!("{}.pdf", spec.name()), &twice);
        judged_by_peers(&spec_dir, &file, &pki.root_der());
        let page = Page::render(&dir, &file, rendered.signature.page);
        shown_in_place(&page, &place);
        let original = write_temp(&dir, "original.pdf", &rendered.bytes);
        fonts_embedded(&original, &file);
    }
}

/// pdfsig and pyHanko find two valid, trusted signatures in `file`, and
/// pyHanko no illegal change between them.
fn judged_by_peers(dir: &Path, file: &Path, root: &[u8]) {
    let db = peers::nss_db(dir, root);
    let report = peers::pdfsig(&db, file);
    let blocks = peers::pdfsig_blocks(&report);
    assert_eq!(blocks.len(), 2, "{report}");
    assert!(
        blocks
            .iter()
            .all(|b| b.contains("Signature Validation: Signature is Valid.")
                && b.contains("Certificate Validation: Certificate is Trusted.")),
        "{report}"
    );
    let root = peers::write_pem(dir, "root.pem", "CERTIFICATE", root);
    let (ok, out) = peers::run(
        &peers::pyhanko(),
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
    assert!(ok, "{out}");
    let verdicts = out.lines().filter(|l| l.contains(":INTACT:TRUSTED"));
    assert_eq!(verdicts.count(), 2, "{out}");
    assert!(!out.contains("ILLEGAL"), "{out}");
}

/// Blue in the signature image and nowhere outside the signer's
/// appearance; red in the seal, 36 mm across, its right edge a third into
/// the image.
fn shown_in_place(page: &Page, place: &Placement) {
    let image = place.signature_image;
    let third = image[0] + (image[2] - image[0]) / 3.0;
    // The image's right two thirds, clear of the seal.
    let inked = page.find([third + 1.0, image[1], image[2], image[3]], blue);
    assert!(
        inked.len() > 200,
        "{} blue pixels in the image",
        inked.len()
    );
    assert_eq!(
        page.find(place.signer, blue).len(),
        page.find([0.0, 0.0, 1e4, 1e4], blue).len(),
        "blue outside the signer's appearance"
    );
    let seal = page.find(place.seal, red);
    assert!(seal.len() > 1000, "{} red pixels in the seal", seal.len());
    let right = seal.iter().map(|(x, _)| *x).fold(0.0, f64::max);
    assert!(
        (right - third).abs() < 2.0,
        "the seal ends at {right}, a third is {third}"
    );
    let left = seal.iter().map(|(x, _)| *x).fold(f64::MAX, f64::min);
    assert!(
        (right - left - 36.0 * MM).abs() < 3.0,
        "the seal is {} mm across",
        (right - left) / MM
    );
}

/// `signed` has more fonts than `original` (the appearances'), every one
/// embedded as a subset.
fn fonts_embedded(original: &Path, signed: &Path) {
    let before = poppler("pdffonts", &[original.to_str().unwrap()]);
    let after = poppler("pdffonts", &[signed.to_str().unwrap()]);
    assert!(
        after.lines().count() > before.lines().count(),
        "no appearance font in {after}"
    );
    for line in after.lines().skip(2) {
        assert!(line.contains(" yes yes "), "not an embedded subset: {line}");
    }
}

/// The clerk's number and date, and the signer's appearance, drawn with
/// `stamp`: their Vietnamese text comes back exactly; a copy's stamp sits
/// at the top right in 10 pt.
#[test]
fn stamps_are_drawn_where_they_are_put() {
    let dir = tempfile::tempdir().unwrap();
    let rendered = render::pdf::render(&sample::document(), fonts()).unwrap();
    let limits = Limits::default();
    let number = text_stamp(
        fonts(),
        &["Số: 12/QĐ-STTTT", "Trà Vinh, ngày 05 tháng 4 năm 2021"],
        render::pdf::stamps::HEADER_PT,
        false,
    )
    .unwrap();
    // In the bottom margin of page 1, where nothing else is written.
    let numbered = stamp(
        &rendered.bytes,
        1,
        [90.0, 12.0, 90.0 + number.width, 12.0 + number.height],
        &number.pdf,
        &limits,
    )
    .unwrap();
    let at = datetime!(2021-04-05 09:30:00 +07:00);
    let look = signer(
        fonts(),
        &signature_png().unwrap(),
        "Nguyễn Văn Hải",
        "Giám đốc",
        at,
    )
    .unwrap();
    let area = rendered.signature;
    let signed_look = stamp(
        &numbered,
        area.page,
        placement(&area).signer,
        &look.pdf,
        &limits,
    )
    .unwrap();
    let file = write_temp(&dir, "stamped.pdf", &signed_look);
    let text = common::pdftotext(&file);
    for wanted in [
        "Số: 12/QĐ-STTTT",
        "Trà Vinh, ngày 05 tháng 4 năm 2021",
        "Nguyễn Văn Hải",
        "Ký lúc: 05/04/2021 09:30:00 +07:00",
    ] {
        assert!(text.contains(wanted), "{wanted} not in {text}");
    }

    let copy = copy_stamp(fonts(), "12/QĐ-STTTT", at).unwrap();
    let again = copy_stamp(fonts(), "12/QĐ-STTTT", at).unwrap();
    assert_eq!(copy, again, "the same stamp twice differs");
    let (width, height) = (595.2756, 841.8898);
    let copied = stamp(
        &rendered.bytes,
        1,
        top_right(width, height, &copy),
        &copy.pdf,
        &limits,
    )
    .unwrap();
    let file = write_temp(&dir, "copy.pdf", &copied);
    let (words, page_width, page_height) = words(&file);
    let time = words
        .iter()
        .find(|w| w.page == 1 && w.text == "2021-04-05T09:30:00+07:00")
        .unwrap();
    let number = words
        .iter()
        .find(|w| w.page == 1 && w.text == "12/QĐ-STTTT")
        .unwrap();
    assert!(
        (number.y_min - time.y_min).abs() < 0.5,
        "not one line: {number:?} {time:?}"
    );
    assert!(
        (page_width - time.x_max - 15.0 * MM).abs() < 1.5,
        "not on the right margin: {time:?}"
    );
    assert!(
        time.y_max < 20.0 * MM && number.x_min > page_width / 2.0,
        "not at the top right: {number:?}"
    );
    let size = time.y_max - time.y_min;
    assert!((9.0..=12.0).contains(&size), "not 10 pt: {size}");
    assert!(page_height > 800.0);
}
