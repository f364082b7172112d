//! What the pdf tests share: a software CA hierarchy with a personal
//! certificate, small PDFs written by hand (classic cross-reference
//! table) or by lopdf (cross-reference and object streams), and the peers
//! that judge signatures: pdfsig with an NSS database, pyHanko.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use der::Encode;
use pki::cert::{Template, self_signed};
use pki::software::SoftwareKey;
use pki::{Authority, CaKey, KeySpec, Profile, Serial, SubjectName};
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;

pub mod services;

pub const SETUP: &str = "install the test tools with scripts/setup.sh --test";

/// A root, an issuing CA under it and a signer's personal certificate,
/// all with keys of one kind.
pub struct Hierarchy {
    pub root: Authority,
    pub issuing: Authority,
    pub certificate: Certificate,
}

impl Hierarchy {
    /// The chain above the signer, as DER: issuing CA, then root.
    pub fn chain(&self) -> Vec<Vec<u8>> {
        vec![
            self.issuing.certificate.to_der().unwrap(),
            self.root.certificate.to_der().unwrap(),
        ]
    }

    pub fn root_der(&self) -> Vec<u8> {
        self.root.certificate.to_der().unwrap()
    }

    pub fn signer<'a>(&self, key: &'a dyn CaKey) -> pdf::Signer<'a> {
        self.signer_with(key, &self.certificate)
    }

    pub fn signer_with<'a>(
        &self,
        key: &'a dyn CaKey,
        certificate: &Certificate,
    ) -> pdf::Signer<'a> {
        pdf::Signer {
            key,
            digest: key.spec().natural_digest(),
            certificate: certificate.to_der().unwrap(),
            chain: self.chain(),
        }
    }

    /// An organisation's certificate (the clerk signs with it when
    /// issuing) for `key`, from the same issuing CA.
    pub fn organisation(&self, key: &dyn CaKey) -> Certificate {
        let agency = SubjectName {
            organization: Some("Ủy ban nhân dân tỉnh Trà Vinh".into()),
            ..name("Ủy ban nhân dân tỉnh Trà Vinh")
        };
        self.issuing
            .issue(&template(&agency, key.public_key(), Profile::Organization))
            .unwrap()
    }
}

pub fn name(cn: &str) -> SubjectName {
    SubjectName {
        common_name: cn.into(),
        organization: Some("Sở Thông tin và Truyền thông Trà Vinh".into()),
        province: Some("Trà Vinh".into()),
        country: "VN".into(),
        ..SubjectName::default()
    }
}

pub fn template(
    subject: &SubjectName,
    key: &spki::SubjectPublicKeyInfoOwned,
    profile: Profile,
) -> Template {
    let now = OffsetDateTime::now_utc();
    Template {
        serial: Serial::random().unwrap(),
        subject: subject.to_name().unwrap(),
        public_key: key.clone(),
        profile,
        not_before: now - Duration::hours(1),
        not_after: now + Duration::days(i64::from(profile.default_days())),
        email: subject.email.clone(),
        dns_names: Vec::new(),
    }
}

/// CAs of `spec` in software, and a personal certificate for `holder`.
/// No CRL or OCSP URLs: revocation is not part of B-B, and pdfsig would
/// otherwise ask a responder that is not there.
pub fn hierarchy(spec: KeySpec, holder: &dyn CaKey) -> Hierarchy {
    let digest = spec.natural_digest();
    let root_key = SoftwareKey::generate(spec).unwrap();
    let root = Authority {
        certificate: self_signed(
            &root_key,
            digest,
            &template(
                &name("Trà Vinh Public Service Root CA"),
                root_key.public_key(),
                Profile::Root,
            ),
        )
        .unwrap(),
        key: Box::new(root_key),
        digest,
        urls: None,
    };
    let issuing_key = SoftwareKey::generate(spec).unwrap();
    let issuing = Authority {
        certificate: root
            .issue(&template(
                &name("Trà Vinh Public Service CA"),
                issuing_key.public_key(),
                Profile::IssuingCa,
            ))
            .unwrap(),
        key: Box::new(issuing_key),
        digest,
        urls: None,
    };
    let person = SubjectName {
        email: Some("anhnt@travinh.gov.vn".into()),
        identity: Some("CCCD:084190000123".into()),
        ..name("Nguyễn Thị Ánh")
    };
    let certificate = issuing
        .issue(&template(&person, holder.public_key(), Profile::Personal))
        .unwrap();
    Hierarchy {
        root,
        issuing,
        certificate,
    }
}

/// A one-page PDF 1.7 written by hand: classic cross-reference table,
/// `/Info` and `/ID` in the trailer, a content stream with `text`.
pub fn handmade(text: &str) -> Vec<u8> {
    handmade_with(text, false)
}

/// As [`handmade`], with an AcroForm of its own as an indirect object
/// (holding one text field), so signing must update it where it lives.
pub fn handmade_with_form(text: &str) -> Vec<u8> {
    handmade_with(text, true)
}

fn handmade_with(text: &str, form: bool) -> Vec<u8> {
    let content = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let mut objects = vec![
        if form {
            "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>".to_owned()
        } else {
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned()
        },
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        if form {
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [8 0 R] >>".to_owned()
        } else {
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_owned()
        },
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        "<< /Title (Cong van so 1) /Producer (egov tests) >>".to_owned(),
    ];
    if form {
        objects.push("<< /Fields [8 0 R] /DA (/Helv 0 Tf 0 g) >>".to_owned());
        objects.push(
            "<< /Type /Annot /Subtype /Widget /FT /Tx /T (so_van_ban) /V (123/UBND) /Rect [72 600 300 620] /P 3 0 R >>"
                .to_owned(),
        );
    }
    pdf_of(&objects)
}

/// A PDF 1.7 of `objects` (numbered from 1; the first is the catalog, the
/// sixth, if any, the document information), classic table.
pub fn pdf_of(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    let info = if objects.len() >= 6 {
        " /Info 6 0 R"
    } else {
        ""
    };
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{info} /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The hand-made PDF saved again by lopdf with object streams and a
/// cross-reference stream.
pub fn with_xref_stream(text: &str) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(&handmade(text)).unwrap();
    let mut out = Vec::new();
    doc.save_modern(&mut out).unwrap();
    assert!(
        out.windows(10).any(|w| w == b"/Type/XRef") || out.windows(11).any(|w| w == b"/Type /XRef"),
        "lopdf wrote no cross-reference stream"
    );
    out
}

/// Runs `program` with `args`, failing with a pointer to the setup script
/// if it is not installed. Gives (success, stdout + stderr).
pub fn run(program: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}): {SETUP}", program.display()));
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

pub fn write_pem(dir: &Path, file: &str, label: &str, der: &[u8]) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, pki::pem::encode(label, der).unwrap()).unwrap();
    path
}

/// An NSS database in `dir` trusting `root` to issue signing
/// certificates: pdfsig checks the signer for e-mail signing, which needs
/// the S/MIME trust flag (`C,C,`; `C,,` trusts the root for TLS only).
pub fn nss_db(dir: &Path, root: &[u8]) -> String {
    let root_pem = write_pem(dir, "nss-root.pem", "CERTIFICATE", root);
    let db = format!("sql:{}", dir.join("nss").display());
    std::fs::create_dir_all(dir.join("nss")).unwrap();
    let certutil = Path::new("certutil");
    let (ok, out) = run(certutil, &["-N", "--empty-password", "-d", &db]);
    assert!(ok, "certutil -N: {out}");
    let (ok, out) = run(
        certutil,
        &[
            "-A",
            "-n",
            "root",
            "-t",
            "C,C,",
            "-i",
            root_pem.to_str().unwrap(),
            "-d",
            &db,
        ],
    );
    assert!(ok, "certutil -A: {out}");
    db
}

/// pdfsig's report on `pdf` with the NSS database `db`.
pub fn pdfsig(db: &str, pdf: &Path) -> String {
    run(Path::new("pdfsig"), &["-nssdir", db, pdf.to_str().unwrap()]).1
}

/// pdfsig's per-signature blocks, in signing order.
pub fn pdfsig_blocks(report: &str) -> Vec<String> {
    report
        .split("Signature #")
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// The pyhanko command installed by scripts/setup.sh --test in the
/// workspace's target folder.
pub fn pyhanko() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pyhanko/bin/pyhanko");
    assert!(
        path.exists(),
        "pyHanko is not installed at {}: {SETUP}",
        path.display()
    );
    path
}

/// `pdf` with an incremental update appended by hand (classic table)
/// replacing objects `(number, body)`, as a later editor would.
pub fn append_update(pdf: &[u8], objects: &[(u32, String)]) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let mut out = pdf.to_vec();
    let mut entries = Vec::new();
    for (number, body) in objects {
        entries.push((*number, out.len()));
        out.extend_from_slice(format!("{number} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    for (number, offset) in &entries {
        out.extend_from_slice(format!("{number} 1\n{offset:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root {} 0 R /Prev {} >>\nstartxref\n{xref}\n%%EOF\n",
            doc.max_id + 1,
            root.0,
            doc.xref_start
        )
        .as_bytes(),
    );
    out
}

/// A one-page appearance written by hand, 200 × 80 points: a blue
/// rectangle drawn through an ExtGState, `text` in white Helvetica at
/// (10, 30), 14 pt.
pub fn appearance_pdf(text: &str) -> Vec<u8> {
    let content =
        format!("q /G gs 0 0 1 rg 0 0 200 80 re f Q BT 1 1 1 rg /F1 14 Tf 10 30 Td ({text}) Tj ET");
    pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 80] /Resources << /Font << /F1 5 0 R >> /ExtGState << /G 7 0 R >> >> /Contents 4 0 R >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        "<< /Producer (egov tests) >>".to_owned(),
        "<< /Type /ExtGState /ca 0.9 >>".to_owned(),
    ])
}

/// A two-page PDF whose pages share what they can: page 1 inherits its
/// resources (an indirect dictionary, with an indirect `/XObject`) from
/// the page tree and has an indirect contents array; page 2 names the
/// same resources itself and has a direct contents array; both draw the
/// same content stream.
pub fn shared_pages() -> Vec<u8> {
    let content = "BT /F1 18 Tf 72 720 Td (Trang chung) Tj ET";
    pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 2 /Resources 9 0 R /MediaBox [0 0 595 842] >>"
            .to_owned(),
        "<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>".to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        "<< /Title (Hai trang) /Producer (egov tests) >>".to_owned(),
        "[4 0 R]".to_owned(),
        "<< /Type /Page /Parent 2 0 R /Contents [4 0 R] /Resources 9 0 R >>".to_owned(),
        "<< /Font << /F1 5 0 R >> /XObject 10 0 R >>".to_owned(),
        "<< >>".to_owned(),
    ])
}

/// The page `page` of `pdf` as RGB pixels at 72 dpi (one pixel a point),
/// rendered by pdftoppm (annotations included): (width, height, pixels
/// row by row from the top).
pub fn pixels(dir: &Path, pdf: &[u8], page: usize) -> (usize, usize, Vec<[u8; 3]>) {
    let file = dir.join("pixels.pdf");
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join("pixels");
    let page = page.to_string();
    let (ok, out) = run(
        Path::new("pdftoppm"),
        &[
            "-r",
            "72",
            "-f",
            &page,
            "-l",
            &page,
            "-singlefile",
            file.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(ok, "pdftoppm: {out}");
    // A binary PPM: "P6", width, height, 255, one whitespace, the pixels.
    let ppm = std::fs::read(dir.join("pixels.ppm")).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = &ppm[at + 1..];
    assert_eq!(data.len(), width * height * 3);
    let pixels = data.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    (width, height, pixels)
}

/// How many pixels inside `rect` (PDF points from the bottom-left, at 72
/// dpi) satisfy `wanted`.
pub fn count_in(
    (width, height, pixels): &(usize, usize, Vec<[u8; 3]>),
    rect: [f64; 4],
    wanted: impl Fn([u8; 3]) -> bool,
) -> usize {
    let mut count = 0;
    for y in 0..*height {
        for x in 0..*width {
            #[allow(clippy::cast_precision_loss)]
            let (px, py) = (x as f64 + 0.5, (*height - y) as f64 - 0.5);
            if px > rect[0]
                && px < rect[2]
                && py > rect[1]
                && py < rect[3]
                && wanted(pixels[y * width + x])
            {
                count += 1;
            }
        }
    }
    count
}

pub fn is_blue([r, g, b]: [u8; 3]) -> bool {
    b > 150 && r < 100 && g < 120
}

/// egov's verdict on B-B signatures: everything but revocation, which
/// B-B does not include (as pyHanko's `--no-revocation-check`).
pub fn verify_bb(bytes: &[u8], trust: &[Vec<u8>]) -> Result<Vec<pdf::SignatureReport>, pdf::Error> {
    pdf::validate(
        bytes,
        &pdf::Validation {
            trust,
            limits: &pdf::Limits::default(),
            fetcher: None,
            revocation: false,
        },
    )
}
