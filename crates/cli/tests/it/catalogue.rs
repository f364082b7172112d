//! The procedure catalogue (issue 8): JSON and XLSX round trips into a
//! fresh agency, versions on change and none on an identical import, a
//! dossier keeping the version it was received under, refusals that name
//! the row and column and store nothing, rights, and the report's figures.

use app::Ctx;
use app::catalogue::{Format, ImportSummary};
use app::services::NewDossier;
use bytes::Bytes;
use domain::catalogue::{Catalogue, Entry, Fee, FormFile, read_json, sheet, write_json};
use domain::services::deadlines::Budgets;
use domain::services::{Applicant, ApplicantKind, Channel, Level, OnlineMode, Paper};
use testkit::TestApp;
use time::macros::date;

use super::exchange::egov;
use super::signing::invalid;

/// The information department's administrator and desk officer.
const ADMIN: &str = "khoatm.stttt@travinh.gov.vn";
const DESK: &str = "utpt.stttt@travinh.gov.vn";

/// A procedure as a clerk's JSON file gives it (read as an import reads).
fn entry(code: &str, name: &str, level: Level, days: u32) -> Entry {
    let file = serde_json::json!({
        "schema": domain::catalogue::SCHEMA,
        "procedures": [{
            "national_code": code,
            "name": name,
            "field": "Xuất bản, In và Phát hành",
            "agencies": ["Sở Thông tin và Truyền thông"],
            "level": level.number(),
            "online": OnlineMode::of_level(level).as_str(),
            "processing_days": days,
            "fees": [{ "name": "Lệ phí cấp giấy phép", "amount": 50_000 }],
            "papers": [{ "name": "Đơn đề nghị cấp giấy phép", "copies": 1, "kind": "original" }],
            "result": "Giấy phép",
            "legal_basis": ["Luật Xuất bản số 19/2012/QH13"],
            "effective_from": "2020-01-01",
        }],
    });
    let bytes = serde_json::to_vec(&file).unwrap();
    let mut read = read_json(&bytes, &domain::catalogue::Limits::default()).unwrap();
    read.entries.remove(0)
}

/// Three procedures, one with a form kept in the blob store.
async fn catalogue(test: &TestApp, agency: i64) -> Catalogue {
    let admin = Ctx::system("test");
    let form = test
        .app
        .save_form(
            &admin,
            agency,
            "mau-don.pdf",
            Bytes::from(app::demo::sample_pdf(&["Mẫu đơn đề nghị"])),
        )
        .await
        .unwrap();
    let mut first = entry(
        "1.004432",
        "Cấp giấy phép hoạt động in xuất bản phẩm",
        Level::Online,
        10,
    );
    first.details.papers[0].form = Some(form);
    first.details.fees.push(Fee {
        name: "Phí thẩm định".into(),
        amount: 1_500_000,
    });
    first.fee += 1_500_000;
    // Its internal process: ten days are 80 hours.
    first.details.budgets = Some(Budgets {
        reception: 4,
        handling: 60,
        approval: 12,
        release: 4,
    });
    Catalogue {
        agency: String::new(),
        entries: vec![
            first,
            entry("1.003725", "Đăng ký hoạt động cơ sở in", Level::Complete, 5),
            entry(
                "2.001837",
                "Cấp giấy phép xuất bản tài liệu không kinh doanh",
                Level::Forms,
                7,
            ),
        ],
    }
}

async fn import(test: &TestApp, agency: i64, format: Format, bytes: Vec<u8>) -> ImportSummary {
    test.app
        .import_catalogue(&Ctx::system("test"), agency, format, Bytes::from(bytes))
        .await
        .unwrap()
}

async fn export_json(test: &TestApp, agency: i64) -> String {
    String::from_utf8(
        test.app
            .export_catalogue(agency, Format::Json)
            .await
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn json_and_xlsx_round_trip_into_a_fresh_agency() {
    let (test, _) = TestApp::with_demo().await;
    let home = test.agency_id("000.00.02.H59").await;
    let source = catalogue(&test, home).await;
    let summary = import(&test, home, Format::Json, write_json(&source)).await;
    assert_eq!(summary.created.len(), 3);
    let json = export_json(&test, home).await;
    assert!(json.contains("\"agency\": \"000.00.02.H59\""));
    assert!(json.contains("\"amount\": 1500000"));
    assert!(json.contains("\"handling\": 60"), "{json}");
    let xlsx = test.app.export_catalogue(home, Format::Xlsx).await.unwrap();
    assert_eq!(
        sheet::read(&xlsx, &domain::catalogue::Limits::default())
            .unwrap()
            .entries
            .len(),
        3
    );
    for (code, format, bytes) in [
        ("000.00.03.H59", Format::Json, json.clone().into_bytes()),
        ("000.00.04.H59", Format::Xlsx, xlsx),
    ] {
        let fresh = test.agency_id(code).await;
        let summary = import(&test, fresh, format, bytes).await;
        assert_eq!(summary.created.len(), 3, "{code}");
        assert_eq!(
            export_json(&test, fresh).await,
            json.replace("000.00.02.H59", code),
            "{code}"
        );
        // The fee total is still the sum of the fees.
        let item = &test.app.catalogue(fresh, "in xuất bản phẩm").await.unwrap()[0];
        assert_eq!(item.procedure.fee, 1_550_000);
        // The internal process came through the store and the form.
        assert_eq!(
            item.procedure.details.budgets,
            source.entries[0].details.budgets
        );
        let other = &test.app.catalogue(fresh, "cơ sở in").await.unwrap()[0];
        assert_eq!(other.procedure.details.budgets, None);
    }
}

#[tokio::test]
async fn a_changed_import_adds_a_version_and_an_identical_one_nothing() {
    let (test, _) = TestApp::with_demo().await;
    let home = test.agency_id("000.00.02.H59").await;
    let mut source = catalogue(&test, home).await;
    import(&test, home, Format::Json, write_json(&source)).await;
    let audit = test.audit_seq().await;
    let again = import(&test, home, Format::Json, write_json(&source)).await;
    assert_eq!(
        (
            again.created.len(),
            again.versioned.len(),
            again.unchanged.len()
        ),
        (0, 0, 3)
    );
    assert_eq!(
        audit,
        test.audit_seq().await,
        "an identical import writes nothing"
    );
    source.entries[1].processing_days = 3;
    source.entries[1].effective_from = date!(2021 - 03 - 01);
    let changed = import(&test, home, Format::Xlsx, sheet::write(&source).unwrap()).await;
    assert_eq!(changed.versioned, ["1.003725"]);
    assert_eq!(changed.unchanged.len(), 2);
    assert_eq!(
        test.audit_seq().await,
        audit + 1,
        "one audit entry per import"
    );
    let item = &test.app.catalogue(home, "1.003725").await.unwrap()[0];
    assert_eq!((item.versions, item.procedure.version), (2, 2));
    let history = test.app.procedure_history(item.procedure.id).await.unwrap();
    let days: Vec<_> = history
        .iter()
        .map(|(p, _)| (p.version, p.processing_days, p.effective_to))
        .collect();
    assert_eq!(days, [(1, 5, Some(date!(2021 - 02 - 28))), (2, 3, None)]);
    // The catalogue search folds accents: "dang ky" finds "Đăng ký".
    assert_eq!(test.app.catalogue(home, "dang ky").await.unwrap().len(), 1);
    // A change that does not start later than the current version is refused.
    source.entries[1].processing_days = 4;
    let audit = test.audit_seq().await;
    invalid(
        &test
            .app
            .import_catalogue(
                &Ctx::system("test"),
                home,
                Format::Json,
                Bytes::from(write_json(&source)),
            )
            .await,
        "không sau ngày có hiệu lực",
    );
    assert_eq!(audit, test.audit_seq().await);
}

#[tokio::test]
async fn a_dossier_keeps_the_version_it_was_received_under() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let mut source = catalogue(&test, stttt).await;
    source.entries.truncate(1);
    source.entries[0].national_code = "1.009999".into();
    import(&test, stttt, Format::Json, write_json(&source)).await;
    let before = &test.app.catalogue(stttt, "1.009999").await.unwrap()[0];
    let desk = test.ctx_of(DESK).await;
    let dossier = test
        .app
        .receive_dossier(
            &desk,
            NewDossier {
                procedure_id: before.procedure.id,
                channel: Channel::Desk,
                applicant: Applicant {
                    name: "Công ty TNHH In Trà Vinh".into(),
                    kind: ApplicantKind::Business,
                    phone: Some("0294 3855 000".into()),
                    email: None,
                    address: None,
                },
                papers: vec![Paper {
                    name: "Đơn đề nghị cấp giấy phép".into(),
                    copies: 1,
                }],
                files: Vec::new(),
            },
        )
        .await
        .unwrap();
    source.entries[0].processing_days = 20;
    source.entries[0].details.budgets = None;
    source.entries[0].details.fees.clear();
    source.entries[0].fee = 0;
    source.entries[0].effective_from = date!(2021 - 04 - 06);
    import(&test, stttt, Format::Json, write_json(&source)).await;
    let received_under = test.app.procedure(dossier.procedure_id).await.unwrap();
    assert_eq!(received_under.version, 1);
    assert_eq!(received_under.processing_days, 10);
    assert_eq!(received_under.fee, 1_550_000);
    assert_eq!(received_under.effective_to, Some(date!(2021 - 04 - 05)));
    let now = &test.app.catalogue(stttt, "1.009999").await.unwrap()[0];
    assert_eq!((now.procedure.version, now.procedure.fee), (2, 0));
    assert_ne!(now.procedure.id, dossier.procedure_id);
}

/// What an agency's catalogue and the audit chain are, to show a refusal
/// stored nothing.
async fn state(test: &TestApp, agency: i64) -> (String, i64) {
    (export_json(test, agency).await, test.audit_seq().await)
}

#[tokio::test]
async fn bad_files_are_refused_naming_row_and_column_and_store_nothing() {
    let (test, _) = TestApp::with_demo().await;
    let home = test.agency_id("000.00.02.H59").await;
    let good = catalogue(&test, home).await;
    import(&test, home, Format::Json, write_json(&good)).await;
    let before = state(&test, home).await;
    let mut cases: Vec<(Format, Vec<u8>, &str)> = Vec::new();
    // A good new procedure first, so a refusal must undo it.
    let with = |change: &dyn Fn(&mut Entry)| {
        let mut bad = good.clone();
        bad.entries
            .insert(0, entry("1.000001", "Thủ tục mới", Level::Complete, 3));
        change(&mut bad.entries[2]);
        bad
    };
    let bad_code = with(&|e| e.national_code = "1.0037".into());
    let no_name = with(&|e| e.name = " ".into());
    cases.push((
        Format::Json,
        write_json(&bad_code),
        "Thủ tục thứ 3, trường «national_code»",
    ));
    cases.push((
        Format::Json,
        write_json(&no_name),
        "Thủ tục thứ 3, trường «name»: Thủ tục phải có tên",
    ));
    cases.push((
        Format::Xlsx,
        sheet::write(&bad_code).unwrap(),
        "Trang «Thủ tục», dòng 4, cột A «Mã thủ tục»",
    ));
    cases.push((
        Format::Xlsx,
        sheet::write(&no_name).unwrap(),
        "Trang «Thủ tục», dòng 4, cột B «Tên thủ tục»",
    ));
    let json = String::from_utf8(write_json(&with(&|_| {}))).unwrap();
    let level = json.replacen("\"level\": 3", "\"level\": 7", 1);
    cases.push((
        Format::Json,
        level.into_bytes(),
        "trường «level»: mức độ phải là 1, 2, 3 hoặc 4",
    ));
    let days = json.replacen(
        "\"processing_days\": 10",
        "\"processing_days\": \"mười\"",
        1,
    );
    cases.push((
        Format::Json,
        days.into_bytes(),
        "Thủ tục thứ 2, trường «processing_days»: «mười»",
    ));
    cases.push((
        Format::Xlsx,
        json.clone().into_bytes(),
        "không phải bảng tính Excel",
    ));
    cases.push((Format::Json, vec![b' '; 5 << 20], "Tệp quá lớn"));
    cases.push((Format::Xlsx, vec![0; 5 << 20], "Tệp quá lớn"));
    // An unknown form stops the import too.
    let unknown_form = with(&|e| {
        e.details.papers[0].form = Some(FormFile {
            name: "khong-co.pdf".into(),
            sha256: "0".repeat(64),
        });
    });
    cases.push((
        Format::Json,
        write_json(&unknown_form),
        "chưa có trong kho tệp",
    ));
    for (format, bytes, says) in cases {
        let result = test
            .app
            .import_catalogue(&Ctx::system("test"), home, format, Bytes::from(bytes))
            .await;
        invalid(&result, says);
        assert_eq!(state(&test, home).await, before, "{says}: nothing stored");
    }
}

#[tokio::test]
async fn only_the_agency_administrator_imports_and_records_publications() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let other = test.agency_id("000.00.02.H59").await;
    let bytes = Bytes::from(write_json(&Catalogue {
        agency: String::new(),
        entries: vec![entry("1.000002", "Thủ tục thử", Level::Online, 3)],
    }));
    let desk = test.ctx_of(DESK).await;
    let admin = test.ctx_of(ADMIN).await;
    let before = state(&test, other).await;
    for (ctx, agency) in [(&desk, stttt), (&admin, other)] {
        let refused = test
            .app
            .import_catalogue(ctx, agency, Format::Json, bytes.clone())
            .await;
        assert!(matches!(refused, Err(app::AppError::Forbidden)), "{agency}");
    }
    assert_eq!(state(&test, other).await, before);
    let summary = test
        .app
        .import_catalogue(&admin, stttt, Format::Json, bytes)
        .await
        .unwrap();
    assert_eq!(summary.created, ["1.000002"]);
    let id = test.app.catalogue(stttt, "1.000002").await.unwrap()[0]
        .procedure
        .id;
    assert!(matches!(
        test.app
            .record_publication(&desk, id, date!(2021 - 04 - 01))
            .await,
        Err(app::AppError::Forbidden)
    ));
    let published = test
        .app
        .record_publication(&admin, id, date!(2021 - 04 - 01))
        .await
        .unwrap();
    assert!(published.recorded_by.is_some());
    invalid(
        &test
            .app
            .record_publication(&admin, id, date!(2021 - 04 - 02))
            .await,
        "đã được ghi nhận",
    );
    invalid(
        &test
            .app
            .record_publication(&admin, id, date!(2021 - 04 - 06))
            .await,
        "sau hôm nay",
    );
}

#[tokio::test]
async fn figures_count_levels_in_force_and_national_publications() {
    let (test, _) = TestApp::with_demo().await;
    let home = test.agency_id("000.00.02.H59").await;
    let mut source = catalogue(&test, home).await;
    source.entries.push(Entry {
        effective_from: date!(2021 - 04 - 10),
        ..entry("1.000003", "Chưa có hiệu lực", Level::Complete, 3)
    });
    source.entries.push(Entry {
        effective_to: Some(date!(2021 - 03 - 31)),
        ..entry("1.000004", "Đã hết hiệu lực", Level::Complete, 3)
    });
    import(&test, home, Format::Json, write_json(&source)).await;
    let system = Ctx::system("test");
    let ids: Vec<i64> = test
        .app
        .catalogue(home, "")
        .await
        .unwrap()
        .iter()
        .map(|item| item.procedure.id)
        .collect();
    // By code: 1.000003, 1.000004, 1.003725, 1.004432, 2.001837.
    test.app
        .record_publication(&system, ids[2], date!(2021 - 03 - 15))
        .await
        .unwrap();
    test.app
        .record_publication(&system, ids[3], date!(2021 - 04 - 02))
        .await
        .unwrap();
    let province = test.agency_id("000.00.00.H59").await;
    for (root, day, by_level, published, share) in [
        (home, date!(2021 - 03 - 31), [0, 1, 1, 2], 1, Some("50%")),
        (home, date!(2021 - 04 - 05), [0, 1, 1, 1], 2, Some("33,33%")),
        (home, date!(2021 - 04 - 10), [0, 1, 1, 2], 2, Some("50%")),
        (home, date!(2019 - 12 - 31), [0, 0, 0, 0], 0, None),
    ] {
        let figures = test
            .app
            .catalogue_figures(&system, root, day)
            .await
            .unwrap();
        assert_eq!(figures.levels.by_level, by_level, "{day}");
        assert_eq!(figures.levels.total, by_level.iter().sum::<u64>(), "{day}");
        assert_eq!(figures.published, published, "{day}");
        assert_eq!(
            figures.levels.share(Level::Complete).as_deref(),
            share,
            "{day}"
        );
    }
    // The province counts its departments' catalogues too.
    let whole = test
        .app
        .catalogue_figures(&system, province, date!(2021 - 04 - 05))
        .await
        .unwrap();
    assert!(whole.levels.total >= 3 && whole.published >= 2);
    let desk = test.ctx_of(DESK).await;
    assert!(matches!(
        test.app
            .catalogue_figures(&desk, home, date!(2021 - 04 - 05))
            .await,
        Err(app::AppError::Forbidden)
    ));
}

#[tokio::test]
async fn the_operator_exports_and_imports_a_catalogue_from_the_command_line() {
    let (test, _) = TestApp::with_demo().await;
    let home = test.agency_id("000.00.02.H59").await;
    let source = catalogue(&test, home).await;
    import(&test, home, Format::Json, write_json(&source)).await;
    let data = test.app.config.data_dir.clone();
    let file = data.join("danh-muc.xlsx");
    let path = file.to_str().unwrap();
    let (ok, out) = egov(
        &test,
        &data,
        &[
            "services",
            "catalogue",
            "export",
            "--agency",
            "000.00.02.H59",
            "-o",
            path,
        ],
    );
    assert!(ok && out.contains("Đã xuất danh mục thủ tục"), "{out}");
    let fresh = test.agency_id("000.00.05.H59").await;
    let args = [
        "services",
        "catalogue",
        "import",
        path,
        "--agency",
        "000.00.05.H59",
    ];
    let (ok, out) = egov(&test, &data, &args);
    assert!(
        ok && out.contains("3 thủ tục mới, 0 phiên bản mới"),
        "{out}"
    );
    assert_eq!(
        export_json(&test, fresh).await,
        export_json(&test, home)
            .await
            .replace("000.00.02.H59", "000.00.05.H59")
    );
    let (ok, out) = egov(&test, &data, &args);
    assert!(
        ok && out.contains("0 thủ tục mới, 0 phiên bản mới, 3 không đổi"),
        "{out}"
    );
    let bad = data.join("sai.json");
    std::fs::write(&bad, b"{\"schema\": \"khac\"}").unwrap();
    let (ok, out) = egov(
        &test,
        &data,
        &[
            "services",
            "catalogue",
            "import",
            bad.to_str().unwrap(),
            "--agency",
            "000.00.05.H59",
        ],
    );
    assert!(!ok && out.contains("egov.catalogue/1"), "{out}");
}

#[tokio::test]
async fn the_administrator_reads_exports_and_imports_the_catalogue_from_the_pages() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use http_body_util::BodyExt;

    use super::ui::{get_html, hidden, multipart, sign_in_as, text};

    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    test.set_password(ADMIN, "DanhMuc#2021x").await;
    let session = sign_in_as(&test, ADMIN, "DanhMuc#2021x").await;
    // The demo department's catalogue, searched without accents.
    let html = get_html(&test, &session, "/app/catalogue?q=giay+phep+hoat+dong+in").await;
    assert!(html.contains("Cấp giấy phép hoạt động in"), "{html}");
    assert!(html.contains("2 thủ tục khớp"), "{html}");
    assert!(!html.contains("Cấp giấy phép bưu chính"));
    let download = test
        .send(
            Request::get(format!("/app/catalogue/{stttt}/export/xlsx"))
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(
        download.headers()[header::CONTENT_TYPE],
        app::catalogue::Format::Xlsx.media_type()
    );
    let xlsx = download.into_body().collect().await.unwrap().to_bytes();
    let all = test.app.catalogue(stttt, "").await.unwrap();
    assert!(all.len() >= 24, "dozens of demo procedures");
    // Uploading it back changes nothing.
    let csrf = hidden(&get_html(&test, &session, "/app/catalogue").await, "csrf");
    let audit = test.audit_seq().await;
    let response = test
        .send(multipart(
            &format!("/app/catalogue/{stttt}/import"),
            &session,
            &[("csrf", &csrf)],
            ("danh-muc.xlsx", &xlsx),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(
        html.contains(&format!(
            "0 thủ tục mới, 0 phiên bản mới, {} thủ tục không đổi",
            all.len()
        )),
        "{html}"
    );
    assert_eq!(audit, test.audit_seq().await);
    // A file that is not a workbook is refused with the reason.
    let response = test
        .send(multipart(
            &format!("/app/catalogue/{stttt}/import"),
            &session,
            &[("csrf", &csrf)],
            ("danh-muc.xlsx", b"not a workbook"),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains("không phải bảng tính Excel"));
    // A form kept from the page, named by its SHA-256 for the workbook.
    let pdf = app::demo::sample_pdf(&["To khai"]);
    let response = test
        .send(multipart(
            &format!("/app/catalogue/{stttt}/forms"),
            &session,
            &[("csrf", &csrf)],
            ("Tờ khai.pdf", &pdf),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(html.contains("Đã lưu mẫu «Tờ khai.pdf»"), "{html}");
    let start = html.find("Ghi mã <code>").unwrap() + "Ghi mã <code>".len();
    let sha = &html[start..start + 64];
    let (_, kept) = test.app.load_file(sha).await.unwrap();
    assert_eq!(kept.as_ref(), pdf.as_slice());
    // A procedure's page: its facts, its versions, its national publication.
    let printing = all
        .iter()
        .find(|i| i.procedure.name == "Cấp giấy phép hoạt động in")
        .unwrap();
    assert_eq!(printing.published_on, Some(date!(2021 - 01 - 15)));
    let html = get_html(
        &test,
        &session,
        &format!("/app/procedures/{}", printing.procedure.id),
    )
    .await;
    for shown in [
        "Các phiên bản",
        "15/01/2021",
        "Đơn đề nghị cấp giấy phép hoạt động in",
        "Luật Xuất bản",
    ] {
        assert!(html.contains(shown), "{shown}");
    }
}

/// The demo shows both kinds of procedure: three with their own internal
/// process, the rest on the default split.
#[tokio::test]
async fn the_demo_catalogue_has_procedures_with_and_without_their_own_process() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let items = test.app.catalogue(stttt, "").await.unwrap();
    let mut own: Vec<&str> = items
        .iter()
        .filter(|i| i.procedure.details.budgets.is_some())
        .map(|i| i.procedure.national_code.as_str())
        .collect();
    own.sort_unstable();
    assert_eq!(own, ["1.003633", "1.004432", "1.004998"]);
    assert!(items.len() > own.len() + 20);
    // Loading the demo again leaves the catalogue as it is.
    test.app.load_demo(|_, _| {}).await.unwrap();
    assert_eq!(
        test.app.catalogue(stttt, "").await.unwrap().len(),
        items.len()
    );
}
