//! Table tests of the catalogue's rules and its two interchange forms.

use time::macros::date;

use super::*;
use crate::services::deadlines::Budgets;

fn entry(code: &str) -> Entry {
    Entry {
        id: 0,
        agency_id: 0,
        national_code: code.into(),
        name: "Cấp giấy phép xuất bản bản tin (trong nước)".into(),
        field: Some("Báo chí".into()),
        level: Level::Online,
        online: OnlineMode::Partial,
        processing_days: 15,
        fee: 50_000,
        version: 0,
        details: Details {
            agencies: vec!["Sở Thông tin và Truyền thông".into()],
            fees: vec![Fee {
                name: "Lệ phí cấp giấy phép".into(),
                amount: 50_000,
            }],
            papers: vec![
                RequiredPaper {
                    name: "Tờ khai đề nghị cấp giấy phép".into(),
                    copies: 1,
                    kind: PaperKind::Original,
                    form: Some(FormFile {
                        name: "to-khai.docx".into(),
                        sha256: "ab".repeat(32),
                    }),
                },
                RequiredPaper {
                    name: "Quyết định thành lập".into(),
                    copies: 2,
                    kind: PaperKind::Copy,
                    form: None,
                },
            ],
            result: Some("Giấy phép".into()),
            legal_basis: vec![
                "Luật Báo chí số 103/2016/QH13".into(),
                "Thông tư 41/2020/TT-BTTTT".into(),
            ],
            // 15 days are 120 hours.
            budgets: Some(Budgets {
                reception: 4,
                handling: 100,
                approval: 12,
                release: 4,
            }),
        },
        effective_from: date!(2021 - 01 - 01),
        effective_to: None,
    }
}

fn catalogue() -> Catalogue {
    Catalogue {
        agency: "000.00.11.H59".into(),
        entries: vec![
            entry("1.004432"),
            Entry {
                level: Level::Complete,
                online: OnlineMode::Full,
                details: Details::default(),
                fee: 0,
                field: None,
                effective_to: Some(date!(2025 - 12 - 31)),
                ..entry("2.001837")
            },
        ],
    }
}

#[test]
fn fees_are_summed_and_written_in_vietnamese() {
    let e = entry("1.004432");
    assert_eq!((e.placed(7, 2).agency_id, e.placed(7, 2).version), (7, 2));
    assert_eq!(e.placed(7, 2).entry(), e);
    assert_eq!(
        e.details.fees[0].to_string(),
        "Lệ phí cấp giấy phép: 50.000 đồng"
    );
    // Read without a total, the fee is the sum of the fees.
    let mut root: Value = serde_json::from_slice(&write_json(&catalogue())).unwrap();
    root["procedures"][0].as_object_mut().unwrap().remove("fee");
    let read = read_json(&serde_json::to_vec(&root).unwrap(), &Limits::default()).unwrap();
    assert_eq!(read.entries[0].fee, 50_000);
    // With one, it must be that sum.
    root["procedures"][0]["fee"] = json!(49_000);
    let error = read_json(&serde_json::to_vec(&root).unwrap(), &Limits::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Thủ tục thứ 1, trường «fee»: Tổng phí, lệ phí của thủ tục không bằng tổng các khoản"
    );
    let overflow = Details {
        fees: vec![
            Fee {
                name: "a".into(),
                amount: u64::MAX,
            },
            Fee {
                name: "b".into(),
                amount: 1,
            },
        ],
        ..Details::default()
    };
    assert_eq!(overflow.fee_total(), None);
    let mut p = e.placed(1, 1);
    p.fee = 1;
    assert_eq!(p.check(), Err(ServiceRuleError::FeeNotSum));
}

#[test]
fn whole_numbers_take_thousands_dots_only() {
    for (text, want) in [
        ("15", Some(15)),
        ("50.000", Some(50_000)),
        ("1.000.000 đồng", Some(1_000_000)),
        ("0", Some(0)),
        ("1.5", None),
        ("1,5", None),
        ("mười", None),
        ("", None),
        (".000", None),
        ("-3", None),
        ("99999999999999999999999", None),
    ] {
        assert_eq!(whole(text).ok(), want, "{text}");
    }
}

#[test]
fn imports_decide_new_unchanged_or_a_new_version() {
    let e = entry("1.004432");
    assert_eq!(outcome(None, &e), Ok(Outcome::New));
    let current = e.placed(1, 3);
    assert_eq!(outcome(Some(&current), &e), Ok(Outcome::Unchanged));
    let changed = Entry {
        processing_days: 10,
        effective_from: date!(2022 - 07 - 01),
        ..e.clone()
    };
    assert_eq!(
        outcome(Some(&current), &changed),
        Ok(Outcome::Versioned {
            version: 4,
            close_current: Some(date!(2022 - 06 - 30)),
        })
    );
    // Already ending before the new version starts: left as it is.
    let ended = Procedure {
        effective_to: Some(date!(2021 - 12 - 31)),
        ..current.clone()
    };
    assert_eq!(
        outcome(Some(&ended), &changed),
        Ok(Outcome::Versioned {
            version: 4,
            close_current: None,
        })
    );
    // A change that does not start after the current version: refused.
    let same_day = Entry {
        processing_days: 10,
        ..e
    };
    let error = outcome(Some(&current), &same_day).unwrap_err();
    assert!(error.to_string().contains("1.004432"), "{error}");
}

#[test]
fn level_figures_count_the_catalogue_in_force() {
    let day = date!(2021 - 04 - 30);
    let p = |level, online, from, to| Procedure {
        level,
        online,
        effective_from: from,
        effective_to: to,
        ..entry("1.000001").placed(1, 1)
    };
    let procedures = [
        p(Level::Forms, OnlineMode::None, date!(2020 - 01 - 01), None),
        p(
            Level::Online,
            OnlineMode::Partial,
            date!(2020 - 01 - 01),
            None,
        ),
        p(
            Level::Complete,
            OnlineMode::Full,
            date!(2021 - 04 - 30),
            None,
        ),
        p(
            Level::Complete,
            OnlineMode::Full,
            date!(2020 - 01 - 01),
            Some(date!(2021 - 04 - 30)),
        ),
        // Not yet, and no longer, in force.
        p(
            Level::Complete,
            OnlineMode::Full,
            date!(2021 - 05 - 01),
            None,
        ),
        p(
            Level::Online,
            OnlineMode::Partial,
            date!(2020 - 01 - 01),
            Some(date!(2021 - 04 - 29)),
        ),
    ];
    let figures = LevelFigures::of(&procedures, day);
    assert_eq!(figures.total, 4);
    assert_eq!(figures.by_level, [0, 1, 1, 2]);
    assert_eq!((figures.full, figures.partial), (2, 1));
    assert_eq!(figures.share(Level::Complete).as_deref(), Some("50%"));
    assert_eq!(figures.share(Level::Online).as_deref(), Some("25%"));
    assert_eq!(LevelFigures::of(&[], day).share(Level::Online), None);
    let publications = [
        (1, "1.000001".to_owned(), date!(2021 - 03 - 01)),
        (1, "1.000001".to_owned(), date!(2021 - 04 - 01)),
        (2, "1.000001".to_owned(), date!(2021 - 04 - 30)),
        (1, "1.000002".to_owned(), date!(2021 - 05 - 01)),
    ];
    assert_eq!(published_by(&publications, date!(2021 - 02 - 28)), 0);
    assert_eq!(published_by(&publications, date!(2021 - 04 - 29)), 1);
    assert_eq!(published_by(&publications, day), 2);
    assert_eq!(published_by(&publications, date!(2021 - 05 - 01)), 3);
}

#[test]
fn json_round_trips_exactly() {
    let written = write_json(&catalogue());
    let read = read_json(&written, &Limits::default()).unwrap();
    assert_eq!(read, catalogue());
    assert_eq!(write_json(&read), written);
}

#[test]
fn xlsx_round_trips_exactly() {
    let written = sheet::write(&catalogue()).unwrap();
    let read = sheet::read(&written, &Limits::default()).unwrap();
    assert_eq!(read.entries, catalogue().entries);
}

#[test]
fn budgets_travel_in_both_forms_and_old_files_read_without_them() {
    let written = write_json(&catalogue());
    let root: Value = serde_json::from_slice(&written).unwrap();
    assert_eq!(
        root["procedures"][0]["budgets"],
        json!({"approval": 12, "handling": 100, "reception": 4, "release": 4})
    );
    assert_eq!(root["procedures"][1]["budgets"], Value::Null);
    // A file written before the field existed: the default split.
    let mut old = root.clone();
    for p in old["procedures"].as_array_mut().unwrap() {
        p.as_object_mut().unwrap().remove("budgets");
    }
    let read = read_json(&serde_json::to_vec(&old).unwrap(), &Limits::default()).unwrap();
    assert_eq!(read.entries[0].details.budgets, None);
    assert_eq!(read.entries[0].budgets(), Budgets::default_for(15));
    // The workbook carries them in its four columns, empty for none.
    let book = sheet::read(&sheet::write(&catalogue()).unwrap(), &Limits::default()).unwrap();
    assert_eq!(
        book.entries[0].details.budgets,
        catalogue().entries[0].details.budgets
    );
    assert_eq!(book.entries[1].details.budgets, None);
}

/// A workbook as clerks made it before the budgets' columns: the twelve
/// other headers only, one procedure.
fn workbook_without_budgets() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name(sheet::PROCEDURES).unwrap();
    let e = &catalogue().entries[1];
    let values = [
        e.national_code.clone(),
        e.name.clone(),
        String::new(),
        String::new(),
        "4".into(),
        "Toàn trình".into(),
        "15".into(),
        "0".into(),
        String::new(),
        String::new(),
        "01/01/2021".into(),
        "31/12/2025".into(),
    ];
    for ((col, column), value) in (0_u16..).zip(Column::ALL).zip(values) {
        assert!(!column.optional());
        sheet.write_string(0, col, column.header()).unwrap();
        sheet.write_string(1, col, value).unwrap();
    }
    book.add_worksheet().set_name(sheet::FEES).unwrap();
    let fees = book.worksheet_from_name(sheet::FEES).unwrap();
    for (col, header) in (0_u16..).zip(["Mã thủ tục", "Tên khoản phí, lệ phí", "Số tiền (đồng)"])
    {
        fees.write_string(0, col, header).unwrap();
    }
    let papers = book.add_worksheet().set_name(sheet::PAPERS).unwrap();
    for (col, header) in (0_u16..).zip([
        "Mã thủ tục",
        "Tên giấy tờ",
        "Số bản",
        "Bản chính/bản sao",
        "Tên tệp mẫu đơn",
        "SHA-256 tệp mẫu đơn",
    ]) {
        papers.write_string(0, col, header).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn an_old_workbook_without_the_budget_columns_still_reads() {
    let read = sheet::read(&workbook_without_budgets(), &Limits::default()).unwrap();
    assert_eq!(read.entries, vec![catalogue().entries[1].clone()]);
}

#[test]
fn bad_budgets_are_refused_naming_the_stage() {
    let budgets = |value: Value| {
        let mut root: Value = serde_json::from_slice(&write_json(&catalogue())).unwrap();
        root["procedures"][0]["budgets"] = value;
        read_json(&serde_json::to_vec(&root).unwrap(), &Limits::default())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        budgets(json!({"reception": 4, "handling": 90, "approval": 12, "release": 4})),
        "Thủ tục thứ 1, trường «budgets.handling»: Quy trình nội bộ: tổng thời gian các bước là 110 giờ, nhưng thời hạn giải quyết 15 ngày làm việc là 120 giờ"
    );
    assert_eq!(
        budgets(json!({"reception": 4, "handling": 104, "approval": 12, "release": 0})),
        "Thủ tục thứ 1, trường «budgets.release»: Quy trình nội bộ: bước «Trả kết quả» phải có ít nhất 1 giờ làm việc"
    );
    assert!(
        budgets(json!({"reception": 4, "handling": 104, "release": 12}))
            .starts_with("Thủ tục thứ 1, trường «budgets.approval»: bỏ trống"),
    );
    assert!(
        budgets(json!({"reception": 4.5, "handling": 103.5, "approval": 8, "release": 4}))
            .contains("«4.5» không phải số nguyên")
    );
    assert_eq!(
        budgets(json!({"reception": 4, "handling": 100, "approval": 12, "relase": 4})),
        "Thủ tục thứ 1, trường «budgets.relase»: không phải một bước (reception, handling, approval, release)"
    );
    assert!(
        budgets(json!([4, 100, 12, 4]))
            .starts_with("Thủ tục thứ 1, trường «budgets»: phải là một đối tượng")
    );
    let mut bad = catalogue();
    bad.entries[0].details.budgets = Some(Budgets {
        reception: 4,
        handling: 100,
        approval: 12,
        release: 5,
    });
    let error = sheet::read(&sheet::write(&bad).unwrap(), &Limits::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Trang «Thủ tục», dòng 2, cột N «Giờ thụ lý»: Quy trình nội bộ: tổng thời gian các bước là 121 giờ, nhưng thời hạn giải quyết 15 ngày làm việc là 120 giờ"
    );
}

/// `catalogue()`'s JSON with the first procedure's `key` set to `value`.
fn json_with(key: &str, value: Value) -> Vec<u8> {
    let mut root: Value = serde_json::from_slice(&write_json(&catalogue())).unwrap();
    root["procedures"][1][key] = value;
    serde_json::to_vec(&root).unwrap()
}

#[test]
fn bad_json_is_refused_naming_the_procedure_and_field() {
    for (key, value, field, says) in [
        (
            "national_code",
            json!("1000494"),
            "national_code",
            "mã quốc gia",
        ),
        ("name", json!("  "), "name", "phải có tên"),
        ("level", json!(5), "level", "1, 2, 3 hoặc 4"),
        (
            "processing_days",
            json!("mười"),
            "processing_days",
            "«mười»",
        ),
        (
            "processing_days",
            json!(0),
            "processing_days",
            "ít nhất một ngày",
        ),
        ("online", json!("có"), "online", "Toàn trình"),
        (
            "effective_from",
            json!("31/2/2021"),
            "effective_from",
            "không phải ngày",
        ),
        (
            "effective_to",
            json!("2020-01-01"),
            "effective_to",
            "trước ngày",
        ),
        (
            "fees",
            json!([{"name": "Phí", "amount": "-1"}]),
            "fees[1].amount",
            "«-1»",
        ),
        (
            "papers",
            json!([{"name": "Đơn", "copies": 0, "kind": "copy"}]),
            "papers[1].copies",
            "từ 1",
        ),
        ("national_code", json!("1.004432"), "national_code", "đã có"),
    ] {
        let error = read_json(&json_with(key, value), &Limits::default()).unwrap_err();
        let text = error.to_string();
        assert!(
            text.starts_with(&format!("Thủ tục thứ 2, trường «{field}»")) && text.contains(says),
            "{key}: {text}"
        );
    }
    let too_small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        read_json(&write_json(&catalogue()), &too_small),
        Err(CatalogueError::TooLarge { limit: 100, .. })
    ));
    for not in [
        &b"PK\x03\x04"[..],
        b"{}",
        b"[1]",
        br#"{"schema":"egov.catalogue/1"}"#,
    ] {
        assert!(
            matches!(
                read_json(not, &Limits::default()),
                Err(CatalogueError::NotJson(_))
            ),
            "{not:?}"
        );
    }
}

#[test]
fn bad_workbooks_are_refused_naming_the_sheet_row_and_column() {
    let mut bad = catalogue();
    bad.entries[1].national_code = "2.1837".into();
    let error = sheet::read(&sheet::write(&bad).unwrap(), &Limits::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Trang «Thủ tục», dòng 3, cột A «Mã thủ tục»: Mã thủ tục «2.1837» không đúng dạng mã quốc gia (ví dụ 1.000894)"
    );
    let mut bad = catalogue();
    bad.entries[0].details.papers[1].form = Some(FormFile {
        name: "mau.pdf".into(),
        sha256: "xyz".into(),
    });
    let error = sheet::read(&sheet::write(&bad).unwrap(), &Limits::default()).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("Trang «Thành phần hồ sơ», dòng 3, cột F «SHA-256 tệp mẫu đơn»"),
        "{error}"
    );
    let json = write_json(&catalogue());
    assert!(matches!(
        sheet::read(&json, &Limits::default()),
        Err(CatalogueError::NotXlsx(_))
    ));
    let workbook = sheet::write(&catalogue()).unwrap();
    let tight = Limits {
        max_inflated: 1_000,
        ..Limits::default()
    };
    assert!(matches!(
        sheet::read(&workbook, &tight),
        Err(CatalogueError::NotXlsx(_))
    ));
}
