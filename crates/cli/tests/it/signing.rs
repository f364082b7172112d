//! The signing step of documents: the leader signs the approved PDF (on
//! the server with the key the CA holds for them, or on their own token
//! through the two-step API), the clerk's issue adds the organisation's
//! signature, the verdict is kept on the document's files and the report
//! counts the valid ones. The token is SoftHSM2 and the judges are egov's
//! own verification and poppler's pdfsig.

use app::Ctx;
use app::document_files::NewFile;
use app::drafts::NewDraft;
use domain::documents::{Confidentiality, SignatureVerdict, Urgency};
use domain::drafts::{DraftAction, DraftState};
use domain::pki::{CertificateRecord, Holder, RevocationReason};
use testkit::TestApp;

use testkit::PASSWORD;
pub const AUTHOR: &str = "phiepts.stttt@travinh.gov.vn";
pub const LEADER: &str = "thanhnn.stttt@travinh.gov.vn";
pub const CLERK: &str = "nhunglth.stttt@travinh.gov.vn";
const OPERATOR: &str = "hanstn.stttt@travinh.gov.vn";

pub async fn token_of(test: &TestApp, email: &str) -> String {
    test.set_password(email, PASSWORD).await;
    test.token(email, PASSWORD).await
}

/// A draft of the information department with `bytes` as its document,
/// taken by its author, the unit head and the leader to "approved".
pub async fn approved_draft(test: &TestApp, bytes: Vec<u8>) -> i64 {
    let author = test.ctx_of(AUTHOR).await;
    let unit_head = test.ctx_of("hunglv.stttt@travinh.gov.vn").await;
    let leader = test.ctx_of(LEADER).await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let cntt = test.agency_id("000.04.11.H59").await;
    let ubnd = test.agency_id("000.00.00.H59").await;
    let draft = test
        .app
        .create_draft(
            &author,
            NewDraft {
                agency_id: stttt,
                drafting_unit_id: Some(cntt),
                doc_type: "Công văn".into(),
                summary: "Về việc triển khai chữ ký số".into(),
                signer: Some("Nguyễn Ngọc Thành".into()),
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
                recipients: vec![ubnd],
                other_recipients: Vec::new(),
            },
        )
        .await
        .unwrap();
    let file = NewFile {
        name: "cong-van.pdf".into(),
        description: String::new(),
        content_type: None,
        bytes: bytes.into(),
    };
    test.app
        .add_draft_file(&author, draft.id, file)
        .await
        .unwrap();
    let steps = [
        (&author, DraftAction::Submit),
        (&unit_head, DraftAction::Endorse),
        (&leader, DraftAction::Approve),
    ];
    for (ctx, action) in steps {
        test.app
            .act_on_draft(ctx, draft.id, action, "")
            .await
            .unwrap();
    }
    draft.id
}

/// The certificates of `holder`, newest first.
pub async fn certificates_of(test: &TestApp, holder: Holder) -> Vec<CertificateRecord> {
    let filter = store::pki::CertificateFilter {
        holder: Some(holder),
        limit: 10,
        ..Default::default()
    };
    let tx = test.app.store.read().await.unwrap();
    tx.certificates(&filter).await.unwrap()
}

/// The demo province with its CA and the demo certificates (whose keys
/// the demo CA holds).
pub async fn province_with_certificates() -> TestApp {
    let (test, _) = TestApp::with_demo().await;
    test.app.pki_init(&Ctx::system("test")).await.unwrap();
    test.app.load_demo_certificates(|_, _| {}).await.unwrap();
    test
}

/// Asserts `result` is refused as invalid with a message containing
/// `message`.
pub fn invalid<T: std::fmt::Debug>(result: &Result<T, app::AppError>, message: &str) {
    assert!(
        matches!(result, Err(app::AppError::Invalid(m)) if m.contains(message)),
        "{result:?}"
    );
}

#[tokio::test]
async fn the_leader_signs_on_the_server_and_issuing_adds_the_organisations_signature() {
    let test = province_with_certificates().await;
    let author = test.ctx_of(AUTHOR).await;
    let leader = test.ctx_of(LEADER).await;
    let clerk = test.ctx_of(CLERK).await;
    let other_leader = test.ctx_of("khoatm.stttt@travinh.gov.vn").await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let ubnd = test.agency_id("000.00.00.H59").await;

    // A DOCX (here: not a PDF) cannot be signed.
    let docx = approved_draft(&test, b"PK\x03\x04 not a pdf".to_vec()).await;
    invalid(&test.app.sign_draft(&leader, docx).await, "phải là PDF");

    let id = approved_draft(&test, super::pdf::one_page()).await;
    let view = test.app.draft(&leader, id).await.unwrap();
    let actions = test.app.draft_actions(&leader, &view.draft).await.unwrap();
    assert!(actions.contains(&DraftAction::Sign), "{actions:?}");
    // Only the leader who approved signs; the author never.
    invalid(
        &test.app.sign_draft(&other_leader, id).await,
        "lãnh đạo đã phê duyệt",
    );
    assert!(test.app.sign_draft(&author, id).await.is_err());
    let waiting = test.app.my_tasks(&leader).await.unwrap().to_sign;
    assert_eq!(waiting.iter().map(|d| d.id).collect::<Vec<_>>(), [docx, id]);
    assert!(
        test.app
            .my_tasks(&other_leader)
            .await
            .unwrap()
            .to_sign
            .is_empty()
    );
    let audit = test.audit_seq().await;
    let signed = test.app.sign_draft(&leader, id).await.unwrap();
    assert_eq!(signed.state, DraftState::Approved);
    let signature = signed.signed.clone().unwrap();
    assert_eq!(audit + 1, test.audit_seq().await, "one audit entry");
    let (_, _, (verdict, signers)) = test.app.draft_signed_file(&leader, id).await.unwrap();
    assert_eq!(
        (verdict, signers),
        (
            SignatureVerdict::Valid,
            vec!["Nguyễn Ngọc Thành".to_owned()]
        )
    );
    assert!(test.app.sign_draft(&leader, id).await.is_err(), "once");
    let steps = test.app.draft(&leader, id).await.unwrap().steps;
    assert_eq!(steps.last().unwrap().action, DraftAction::Sign);
    let waiting = test.app.my_tasks(&leader).await.unwrap().to_sign;
    assert_eq!(waiting.len(), 1, "signed drafts wait no more");

    let document = test.app.issue_draft(&clerk, id).await.unwrap();
    let files = test.app.document_files(&clerk, document.id).await.unwrap();
    let main = &files[0];
    assert_ne!(main.sha256, signature.sha256, "the organisation signed too");
    assert_eq!(main.signature, SignatureVerdict::Valid);
    assert_eq!(main.signers.len(), 2);
    assert_eq!(main.signers[0], "Nguyễn Ngọc Thành");
    assert!(
        main.signers[1].starts_with("Sở Thông tin và Truyền thông"),
        "{:?}",
        main.signers
    );
    // What the recipient receives is the same signed file.
    let received = test
        .app
        .search_documents(
            &Ctx::system("test"),
            &domain::search::DocumentFilter {
                agency_id: Some(ubnd),
                direction: Some(domain::documents::Direction::Incoming),
                ..Default::default()
            },
            (0, 10),
        )
        .await
        .unwrap();
    let copy = test
        .app
        .document_files(&Ctx::system("test"), received.items[0].id)
        .await
        .unwrap();
    assert_eq!(copy[0].sha256, main.sha256);
    assert_eq!(copy[0].signature, SignatureVerdict::Valid);
    // An edXML package carries it to another agency, whose receipt
    // verifies it again.
    let system = Ctx::system("test");
    let snv: domain::agencies::AgencyCode = "000.00.02.H59".parse().unwrap();
    let package = test
        .app
        .export_edxml(&system, document.id, std::slice::from_ref(&snv))
        .await
        .unwrap();
    let snv = test.app.agency_by_code(&snv).await.unwrap().id;
    let app::exchange::Received::Registered(arrived) =
        test.app.import_edxml(&system, snv, &package).await.unwrap()
    else {
        panic!("registered once");
    };
    let files = test.app.document_files(&system, arrived.id).await.unwrap();
    assert_eq!(files[0].sha256, main.sha256);
    assert_eq!(files[0].signature, SignatureVerdict::Valid);
    assert_eq!(files[0].signers, main.signers);

    // The report counts it: one outgoing document, signed.
    let today = vn::dates::vietnam_date(test.app.now());
    let figures = test
        .app
        .document_figures(&Ctx::system("test"), stttt, (today, today))
        .await
        .unwrap();
    assert_eq!((figures.counts.outgoing, figures.counts.signed), (1, 1));

    // Without the agency's certificate, a signed draft is not issued and
    // nothing changes.
    let id = approved_draft(&test, super::pdf::one_page()).await;
    test.app.sign_draft(&leader, id).await.unwrap();
    let agency_certificates = certificates_of(&test, Holder::Agency(stttt)).await;
    let operator = test.ctx_of(OPERATOR).await;
    for c in agency_certificates {
        test.app
            .revoke_certificate(&operator, &c.serial, RevocationReason::KeyCompromise)
            .await
            .unwrap();
    }
    let audit = test.audit_seq().await;
    invalid(
        &test.app.issue_draft(&clerk, id).await,
        "chứng thư số tổ chức",
    );
    assert_eq!(audit, test.audit_seq().await, "nothing recorded");
    let draft = test.app.draft(&clerk, id).await.unwrap().draft;
    assert_eq!(
        (draft.state, draft.document_id),
        (DraftState::Approved, None)
    );
    // Returned, the signature goes with the old version.
    test.app
        .act_on_draft(
            &clerk,
            id,
            DraftAction::Return,
            "Thiếu chữ ký số của cơ quan",
        )
        .await
        .unwrap();
    assert!(
        test.app
            .draft(&author, id)
            .await
            .unwrap()
            .draft
            .signed
            .is_none()
    );
}

#[tokio::test]
async fn without_a_key_on_the_token_the_leader_is_told_to_sign_on_their_own_token() {
    let (test, _) = TestApp::with_demo().await;
    test.app.pki_init(&Ctx::system("test")).await.unwrap();
    let leader = test.ctx_of(LEADER).await;
    let id = approved_draft(&test, super::pdf::one_page()).await;
    assert!(!test.app.signs_on_server(&leader).await.unwrap());
    let audit = test.audit_seq().await;
    invalid(
        &test.app.sign_draft(&leader, id).await,
        "USB token, SIM PKI",
    );
    assert_eq!(audit, test.audit_seq().await);
    // An unsigned PDF is issued as before, and counts as not signed.
    let clerk = test.ctx_of(CLERK).await;
    let document = test.app.issue_draft(&clerk, id).await.unwrap();
    let files = test.app.document_files(&clerk, document.id).await.unwrap();
    assert_eq!(files[0].signature, SignatureVerdict::Unsigned);
}

/// A drafter's PDF with the number and the day left blank (LibreOffice's
/// output of `data/du-thao.html`, as a drafter exports from a word
/// processor): the leader, who gave an image of their signature, signs
/// it; the clerk's issue writes the number and date into the blanks and
/// the agency's seal goes over the signature image; both signatures stay
/// valid, and the page shows the blue signature and the red seal.
#[tokio::test]
async fn issuing_writes_the_number_and_date_into_the_blanks() {
    let test = province_with_certificates().await;
    let leader = test.ctx_of(LEADER).await;
    let clerk = test.ctx_of(CLERK).await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let person = leader.actor.as_ref().unwrap().person_id;
    let fonts = render::Fonts::system().unwrap();
    let signature = render::demo::signature_png().unwrap();
    let seal = render::demo::seal_png(&fonts, "Sở Thông tin và Truyền thông").unwrap();
    // Only PNGs that can be drawn, and one's own signature only.
    invalid(
        &test
            .app
            .set_signature_image(&leader, Holder::Person(person), b"GIF89a".to_vec().into())
            .await,
        "PNG",
    );
    invalid(
        &test
            .app
            .set_signature_image(
                &leader,
                Holder::Person(person),
                b"\x89PNG\r\n\x1a\nxx".to_vec().into(),
            )
            .await,
        "không dùng được tệp này",
    );
    // A PNG whose header claims 553,648,144 × 16 pixels (a fuzzer's find:
    // decoding it asked for gigabytes) is refused from its header.
    let mut huge = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    huge.extend_from_slice(&[0x21, 0, 0, 0x10, 0, 0, 0, 0x10, 8, 3, 0, 0, 0]);
    invalid(
        &test
            .app
            .set_signature_image(&leader, Holder::Person(person), huge.into())
            .await,
        "tối đa 3000 × 3000",
    );
    assert!(
        test.app
            .set_signature_image(&clerk, Holder::Person(person), signature.clone().into())
            .await
            .is_err()
    );
    test.app
        .set_signature_image(&leader, Holder::Person(person), signature.into())
        .await
        .unwrap();
    test.app
        .set_signature_image(&Ctx::system("test"), Holder::Agency(stttt), seal.into())
        .await
        .unwrap();

    let id = approved_draft(&test, include_bytes!("data/du-thao.pdf").to_vec()).await;
    test.app.sign_draft(&leader, id).await.unwrap();
    let document = test.app.issue_draft(&clerk, id).await.unwrap();
    let files = test.app.document_files(&clerk, document.id).await.unwrap();
    assert_eq!(files[0].signature, SignatureVerdict::Valid);
    assert_eq!(files[0].signers.len(), 2, "{:?}", files[0].signers);
    let (_, issued) = test
        .app
        .document_file(&clerk, document.id, files[0].id)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("issued.pdf");
    std::fs::write(&file, &issued).unwrap();
    let text = pdf_text(&file);
    let number = format!("Số: {}", document.symbol);
    let date = format!("Trà Vinh, {}", vn::dates::format_long(document.issued_on));
    assert!(
        document.symbol.ends_with("/STTTT-CNTT"),
        "{}",
        document.symbol
    );
    assert_eq!(
        pdf::text_fields(&issued, &pdf::Limits::default()).unwrap(),
        [
            ("SoVanBan".to_owned(), Some(number.clone())),
            ("NgayBanHanh".to_owned(), Some(date))
        ]
    );
    // The number shows where the blank was (the drafter's blank line,
    // hidden under it, is still in the page's text).
    assert!(
        text.contains(&format!("\n{number}\n")),
        "no {number:?} in:\n{text}"
    );
    let (blue, red) = inks(&file);
    assert!(blue > 200 && red > 1000, "blue {blue}, red {red} pixels");
}

/// The text of `pdf` as poppler's pdftotext reads it (annotations'
/// appearances included).
pub fn pdf_text(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The blue (signature) and red (seal) pixels of page 1 rendered by
/// poppler at 72 dpi.
fn inks(pdf: &std::path::Path) -> (usize, usize) {
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "72", "-f", "1", "-l", "1"])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success());
    // P6, width, height, 255, then RGB bytes.
    let ppm = out.stdout;
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    let pixels = ppm[at + 1..].chunks_exact(3);
    let (mut blue, mut red) = (0, 0);
    for p in pixels {
        let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
        if b > 120 && b - r > 60 && b - g > 30 {
            blue += 1;
        }
        if r > 150 && r - g > 80 && r - b > 80 {
            red += 1;
        }
    }
    (blue, red)
}

/// Two clerks issue two signed drafts of one agency at once: both read
/// the same next number before either takes it, so one of them finds it
/// taken, writes the next one instead, and each issued PDF carries the
/// number its document was registered under.
#[tokio::test]
async fn two_issues_at_once_each_get_the_number_their_pdf_shows() {
    let test = province_with_certificates().await;
    let leader = test.ctx_of(LEADER).await;
    let clerk = test.ctx_of(CLERK).await;
    let draft = include_bytes!("data/du-thao.pdf").to_vec();
    let first = approved_draft(&test, draft.clone()).await;
    let second = approved_draft(&test, draft).await;
    test.app.sign_draft(&leader, first).await.unwrap();
    test.app.sign_draft(&leader, second).await.unwrap();
    let (a, b) = tokio::join!(
        test.app.issue_draft(&clerk, first),
        test.app.issue_draft(&clerk, second)
    );
    let mut numbers = Vec::new();
    for document in [a.unwrap(), b.unwrap()] {
        numbers.push(document.number);
        let files = test.app.document_files(&clerk, document.id).await.unwrap();
        assert_eq!(files[0].signature, SignatureVerdict::Valid);
        let (_, issued) = test
            .app
            .document_file(&clerk, document.id, files[0].id)
            .await
            .unwrap();
        let fields = pdf::text_fields(&issued, &pdf::Limits::default()).unwrap();
        assert_eq!(
            fields[0],
            (
                "SoVanBan".to_owned(),
                Some(format!("Số: {}", document.symbol))
            )
        );
    }
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2]);
}
