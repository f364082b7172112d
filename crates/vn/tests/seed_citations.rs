//! Every citation of the department's April 2021 report (the seed).
//!
//! Counted by hand once, reading the report top to bottom: 28 citations
//! carrying a document symbol, four documents among them cited twice
//! (68-CV/TU, 4495-QĐ/TU, 411/QĐ-TTg, 324-QĐ/ĐUK). Cross-checked with a
//! `grep -oP` for symbol shapes over the file, which also gives 28. Not
//! counted, by design: mentions without a symbol ("Nghị quyết 03 của Tỉnh
//! ủy", "Quy định số 4495, 4842"), which cannot be linked to a register.

use time::Month;
use vn::symbols::SymbolShape::{self, Administrative, CongVan, LegalNormative, Party};

const SEED: &str = include_str!("data/seed_2021_04.txt");

/// Hand-counted number of citations in the seed.
const SEED_CITATIONS: usize = 28;

type Row = (
    &'static str,
    &'static str,
    SymbolShape,
    Option<(i32, u8, u8)>,
    Option<&'static str>,
);

const EXPECTED: [Row; SEED_CITATIONS] = [
    (
        "Kế hoạch",
        "20/KH-UBND",
        Administrative,
        Some((2021, 3, 9)),
        Some("Ủy ban nhân dân tỉnh"),
    ),
    (
        "Quy định",
        "205-QĐ/TW",
        Party,
        Some((2019, 9, 23)),
        Some("Bộ Chính trị"),
    ),
    (
        "Quy định",
        "5316-QĐ/TU",
        Party,
        Some((2019, 12, 20)),
        Some("Ban Thường vụ Tỉnh ủy Trà Vinh"),
    ),
    ("Nghị định", "68/2000/NĐ-CP", LegalNormative, None, None),
    (
        "Quyết định",
        "437/QĐ-UBND",
        Administrative,
        Some((2021, 3, 4)),
        Some("Ủy ban nhân dân tỉnh Trà Vinh"),
    ),
    (
        "Chỉ thị",
        "26/CT-TTg",
        Administrative,
        Some((2018, 9, 4)),
        Some("Thủ tướng Chính phủ"),
    ),
    (
        "Công văn",
        "906/UBND-KGVX",
        CongVan,
        Some((2021, 3, 15)),
        Some("Ủy ban nhân dân tỉnh Trà Vinh"),
    ),
    (
        "Kết luận",
        "01-KL/TU",
        Party,
        None,
        Some("Ban Thường vụ Tỉnh ủy"),
    ),
    (
        "Quyết định",
        "411/QĐ-TTg",
        Administrative,
        Some((2020, 3, 24)),
        Some("Thủ tướng Chính phủ"),
    ),
    (
        "Công văn",
        "181/CATTT-VNCERTCC",
        CongVan,
        None,
        Some("Cục An toàn thông tin"),
    ),
    (
        "Nghị định",
        "43/2011/NĐ-CP",
        LegalNormative,
        Some((2011, 6, 13)),
        Some("Thủ tướng Chính phủ"),
    ),
    (
        "Chỉ thị",
        "13/CT-TTg",
        Administrative,
        Some((2016, 5, 9)),
        Some("Thủ tướng Chính phủ"),
    ),
    ("Nghị định", "60/2014/NĐ-CP", LegalNormative, None, None),
    (
        "Nghị định",
        "25/2018/NĐ-CP",
        LegalNormative,
        None,
        Some("Chính phủ"),
    ),
    (
        "Công văn",
        "68-CV/TU",
        Party,
        Some((2021, 3, 25)),
        Some("Ban Thường vụ Tỉnh ủy"),
    ),
    (
        "Công văn",
        "68-CV/TU",
        Party,
        Some((2021, 3, 25)),
        Some("Ban Thường vụ Tỉnh ủy"),
    ),
    (
        "Quy định",
        "4842-QĐ/TU",
        Party,
        Some((2019, 7, 30)),
        Some("Ban Thường vụ Tỉnh ủy"),
    ),
    ("Chỉ thị", "05-CT/TW", Party, None, Some("Bộ Chính trị")),
    (
        "Quy định",
        "4495-QĐ/TU",
        Party,
        Some((2019, 4, 10)),
        Some("Tỉnh ủy"),
    ),
    (
        "Hướng dẫn",
        "03-HD/TU",
        Party,
        Some((2019, 7, 31)),
        Some("Ban Thường vụ Tỉnh ủy"),
    ),
    (
        "Quy định",
        "4495-QĐ/TU",
        Party,
        Some((2019, 4, 10)),
        Some("Tỉnh ủy"),
    ),
    (
        "Quy định",
        "324-QĐ/ĐUK",
        Party,
        Some((2019, 6, 11)),
        Some("Đảng ủy Khối"),
    ),
    (
        "Kế hoạch",
        "43-KH/ĐU",
        Party,
        Some((2019, 7, 10)),
        Some("Đảng ủy Sở Thông tin và Truyền thông"),
    ),
    (
        "Quy định",
        "324-QĐ/ĐUK",
        Party,
        Some((2019, 6, 11)),
        Some("Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp"),
    ),
    (
        "Nghị định",
        "47/2020/NĐ-CP",
        LegalNormative,
        Some((2020, 4, 9)),
        None,
    ),
    (
        "Nghị định",
        "45/2020/NĐ-CP",
        LegalNormative,
        Some((2020, 4, 8)),
        Some("Chính phủ"),
    ),
    (
        "Quyết định",
        "749/2020/QĐ-TTg",
        LegalNormative,
        Some((2020, 6, 3)),
        Some("Thủ tướng Chính phủ"),
    ),
    (
        "Quyết định",
        "411/QĐ-TTg",
        Administrative,
        Some((2020, 3, 24)),
        Some("Thủ tướng Chính phủ"),
    ),
];

#[test]
fn finds_every_citation_of_the_seed() {
    let found = vn::citations::find(SEED);
    assert_eq!(found.len(), SEED_CITATIONS);
    for (c, (kind, symbol, shape, date, issuer)) in found.iter().zip(EXPECTED) {
        assert_eq!(c.doc_type, Some(kind), "{symbol}");
        assert_eq!(c.symbol.to_string(), symbol);
        assert_eq!(&SEED[c.symbol_range.clone()], symbol);
        assert_eq!(c.symbol.shape, shape, "{symbol}");
        let want_date = date.map(|(y, m, d)| {
            time::Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
        });
        assert_eq!(c.date, want_date, "{symbol}");
        assert_eq!(c.issuer.as_deref(), issuer, "{symbol}");
        // Ranges point into the seed: the citation starts at its type word.
        assert!(SEED[c.range.clone()].starts_with(kind), "{symbol}");
        assert!(c.range.start <= c.symbol_range.start && c.symbol_range.end <= c.range.end);
        if let Some(r) = &c.issuer_range {
            assert_eq!(Some(&SEED[r.clone()]), issuer);
        }
    }
}

#[test]
fn seed_cites_all_four_shapes() {
    let found = vn::citations::find(SEED);
    for shape in [Administrative, CongVan, LegalNormative, Party] {
        assert!(found.iter().any(|c| c.symbol.shape == shape), "{shape:?}");
    }
}

#[test]
fn seed_figures_and_dates_round_trip() {
    // Every figure and date form of the seed, formatted back identically.
    for figure in [
        "6.990", "18.182", "14.477", "2.223", "1.755", "7.646", "1.858", "5.380",
    ] {
        let n = vn::numbers::parse_int(figure).unwrap();
        assert_eq!(vn::numbers::format_int(n), figure);
        assert!(SEED.contains(figure));
    }
    for percent in ["79,62%", "45,96%", "36,38%", "16,8%", "70,66%"] {
        let p = vn::numbers::parse_percent(percent).unwrap();
        assert_eq!(vn::numbers::format_percent(p), percent);
        assert!(SEED.contains(percent));
    }
    for count in ["02", "07", "03", "01", "05"] {
        let n = u64::try_from(vn::numbers::parse_int(count).unwrap()).unwrap();
        assert_eq!(vn::numbers::format_count(n), count);
    }
    for date in [
        "09/3/2021",
        "23/9/2019",
        "20/12/2019",
        "04/3/2021",
        "15/3/2021",
        "13/6/2011",
    ] {
        let d = vn::dates::parse_short(date).unwrap();
        assert_eq!(vn::dates::format_short(d), date);
        assert!(SEED.contains(date));
    }
    let long = "ngày 07 tháng 4 năm 2021";
    assert!(SEED.contains(long));
    assert_eq!(
        vn::dates::format_long(vn::dates::parse_long(long).unwrap()),
        long
    );
}
