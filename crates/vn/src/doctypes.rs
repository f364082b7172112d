//! Document types and their abbreviations.
//!
//! Owns the table of Decree 30/2020 App. III (administrative documents),
//! the legal normative types that appear in symbols (Law on Promulgation of
//! Legal Documents 2015) and the Party types seen in citations. Invariant:
//! names are NFC with a capital first letter; công văn has no state
//! abbreviation (its symbol names the issuer and the drafting unit instead).

use crate::text;

/// One document type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocType {
    /// Name as written before the symbol: "Quyết định".
    pub name: &'static str,
    /// Abbreviation in symbols, `None` for công văn and laws.
    pub abbr: Option<&'static str>,
}

const fn t(name: &'static str, abbr: &'static str) -> DocType {
    DocType {
        name,
        abbr: Some(abbr),
    }
}

/// Administrative types, Decree 30/2020 App. III, in the decree's order.
pub const ADMINISTRATIVE: &[DocType] = &[
    t("Nghị quyết", "NQ"),
    t("Quyết định", "QĐ"),
    t("Chỉ thị", "CT"),
    t("Quy chế", "QC"),
    t("Quy định", "QyĐ"),
    t("Thông cáo", "TC"),
    t("Thông báo", "TB"),
    t("Hướng dẫn", "HD"),
    t("Chương trình", "CTr"),
    t("Kế hoạch", "KH"),
    t("Phương án", "PA"),
    t("Đề án", "ĐA"),
    t("Dự án", "DA"),
    t("Báo cáo", "BC"),
    t("Biên bản", "BB"),
    t("Tờ trình", "TTr"),
    t("Hợp đồng", "HĐ"),
    DocType {
        name: "Công văn",
        abbr: None,
    },
    t("Công điện", "CĐ"),
    t("Bản ghi nhớ", "BGN"),
    t("Bản thỏa thuận", "BTT"),
    t("Giấy ủy quyền", "GUQ"),
    t("Giấy mời", "GM"),
    t("Giấy giới thiệu", "GGT"),
    t("Giấy nghỉ phép", "GNP"),
    t("Phiếu gửi", "PG"),
    t("Phiếu chuyển", "PC"),
    t("Phiếu báo", "PB"),
    t("Bản sao y", "SY"),
    t("Bản trích sao", "TrS"),
    t("Bản sao lục", "SL"),
];

/// Legal normative types whose symbols carry the year (47/2020/NĐ-CP).
pub const LEGAL_NORMATIVE: &[DocType] = &[
    DocType {
        name: "Hiến pháp",
        abbr: None,
    },
    DocType {
        name: "Bộ luật",
        abbr: None,
    },
    DocType {
        name: "Luật",
        abbr: None,
    },
    DocType {
        name: "Pháp lệnh",
        abbr: None,
    },
    t("Lệnh", "L"),
    t("Nghị định", "NĐ"),
    t("Thông tư", "TT"),
    t("Thông tư liên tịch", "TTLT"),
    t("Nghị quyết liên tịch", "NQLT"),
];

/// Types used by Party bodies beyond the state ones; in Party symbols "QĐ"
/// also stands for Quy định (205-QĐ/TW) and công văn is "CV" (68-CV/TU).
pub const PARTY: &[DocType] = &[t("Kết luận", "KL"), t("Công văn", "CV")];

fn all() -> impl Iterator<Item = &'static DocType> {
    ADMINISTRATIVE.iter().chain(LEGAL_NORMATIVE).chain(PARTY)
}

/// Looks a type up by its abbreviation, exactly (`QĐ`, `TTr`).
pub fn by_abbr(abbr: &str) -> Option<&'static DocType> {
    let abbr = text::nfc(abbr);
    all().find(|d| d.abbr == Some(abbr.as_str()))
}

/// Looks a type up by name, ignoring case and marks' encoding
/// ("quyết định", "QUYẾT ĐỊNH").
pub fn by_name(name: &str) -> Option<&'static DocType> {
    // Folded once: citations look names up many times per symbol, and
    // folding the whole table each time made long texts slow (found by
    // fuzzing).
    static FOLDED: std::sync::LazyLock<Vec<(String, &'static DocType)>> =
        std::sync::LazyLock::new(|| all().map(|d| (text::fold(d.name), d)).collect());
    let wanted = text::fold(&text::squash_spaces(name));
    // Names differ after folding except where tones alone differ, which the
    // table does not have; the first (state) entry wins for "Công văn".
    FOLDED
        .iter()
        .find(|(folded, _)| *folded == wanted)
        .map(|(_, d)| *d)
}

/// The state abbreviation of a type name (`None` for công văn and unknown
/// names): "Kế hoạch" → "KH".
pub fn abbreviation(name: &str) -> Option<&'static str> {
    by_name(name).and_then(|d| d.abbr)
}

/// Every type name, longest first (so "Thông tư liên tịch" is tried before
/// "Thông tư" when scanning text).
pub fn names_longest_first() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = all().map(|d| d.name).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.split_whitespace().count()));
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lookups() {
        for (name, abbr) in [
            ("Quyết định", Some("QĐ")),
            ("Kế hoạch", Some("KH")),
            ("Tờ trình", Some("TTr")),
            ("Quy định", Some("QyĐ")),
            ("Bản trích sao", Some("TrS")),
            ("Công văn", None),
            ("Nghị định", Some("NĐ")),
            ("quyết định", Some("QĐ")),
            ("CHỈ THỊ", Some("CT")),
            ("Không có", None),
        ] {
            assert_eq!(abbreviation(name), abbr, "{name}");
        }
        assert_eq!(by_abbr("QĐ").map(|d| d.name), Some("Quyết định"));
        assert_eq!(by_abbr("KL").map(|d| d.name), Some("Kết luận"));
        assert_eq!(by_abbr("CV").map(|d| d.name), Some("Công văn"));
        assert_eq!(by_abbr("XYZ"), None);
        assert_eq!(ADMINISTRATIVE.len(), 31);
    }
}
