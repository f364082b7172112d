//! Citations in running text (`vn::citations::find`) and document symbols
//! (`vn::symbols::DocSymbol::parse`).
//!
//! Properties:
//! - nothing panics;
//! - every range of every citation (whole, type, symbol, date, issuer) is a
//!   non-inverted byte range inside the text, on char boundaries, and the
//!   parts lie inside the citation's range;
//! - citations come in text order without overlap;
//! - the symbol range re-parses to the citation's symbol, the issuer is the
//!   NFC of its range, the type is a known type name;
//! - `DocSymbol::parse(s)` when Ok round-trips through Display:
//!   `parse(&sym.to_string()) == Ok(sym)` (the module invariant).
//!
#![no_main]

use std::ops::Range;

use libfuzzer_sys::fuzz_target;
use vn::citations;
use vn::symbols::DocSymbol;

fn check_range(text: &str, r: &Range<usize>, what: &str) {
    assert!(r.start <= r.end, "{what} range {r:?} inverted in {text:?}");
    assert!(
        r.end <= text.len(),
        "{what} range {r:?} past the end of {text:?}"
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} range {r:?} not on char boundaries in {text:?}"
    );
}

fn inside(part: &Range<usize>, whole: &Range<usize>) -> bool {
    whole.start <= part.start && part.end <= whole.end
}

fn check_symbol(s: &str) {
    if let Ok(sym) = DocSymbol::parse(s) {
        let shown = sym.to_string();
        let again = DocSymbol::parse(&shown);
        assert_eq!(
            again.as_ref(),
            Ok(&sym),
            "DocSymbol round trip: {s:?} -> {sym:?} -> {shown:?} -> {again:?}"
        );
        let _ = sym.type_name();
    }
}

fn check_citations(text: &str) {
    let found = citations::find(text);
    let mut last_end = 0;
    let mut last_symbol = 0..0;
    for c in &found {
        check_range(text, &c.range, "citation");
        check_range(text, &c.symbol_range, "symbol");
        assert!(
            inside(&c.symbol_range, &c.range),
            "symbol outside citation {c:?}"
        );
        for (part, what) in [
            (&c.doc_type_range, "type"),
            (&c.date_range, "date"),
            (&c.issuer_range, "issuer"),
        ] {
            if let Some(r) = part {
                check_range(text, r, what);
                assert!(
                    inside(r, &c.range),
                    "{what} outside citation {c:?} in {text:?}"
                );
            }
        }
        assert!(
            c.range.start >= last_end,
            "citations overlap or out of order in {text:?}: {found:?}"
        );
        // Symbols themselves always come in order and never overlap.
        assert!(
            c.symbol_range.start >= last_symbol.end,
            "symbols overlap or out of order in {text:?}: {found:?}"
        );
        last_symbol.clone_from(&c.symbol_range);
        last_end = c.range.end;

        // Parts agree with the text they were read from.
        assert_eq!(
            DocSymbol::parse(&text[c.symbol_range.clone()]).as_ref(),
            Ok(&c.symbol),
            "symbol range does not re-parse in {text:?}"
        );
        assert_eq!(c.number(), c.symbol.number);
        assert_eq!(c.date.is_some(), c.date_range.is_some());
        assert_eq!(c.issuer.is_some(), c.issuer_range.is_some());
        if let (Some(issuer), Some(r)) = (&c.issuer, &c.issuer_range) {
            assert_eq!(*issuer, vn::text::nfc(&text[r.clone()]));
        }
        if c.doc_type.is_some() {
            assert!(c.doc_type_range.is_some());
        }
        if let Some(r) = &c.doc_type_range {
            assert_eq!(
                vn::doctypes::by_name(&text[r.clone()]).map(|d| d.name),
                c.doc_type
            );
        }
        check_symbol(&c.symbol.to_string());
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check_citations(&text);
    check_symbol(&text);
    // Symbols are usually short tokens: try each whitespace-separated one.
    for token in text.split_whitespace().take(64) {
        check_symbol(token);
        check_symbol(token.trim_end_matches([',', '.', ';', ':', ')']));
    }
});
