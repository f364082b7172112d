//! Table tests of the catalogue's rules and its two interchange forms.

use time::macros::date;

use super::*;

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
