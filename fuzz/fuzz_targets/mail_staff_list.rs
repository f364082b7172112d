//! An agency's staff list from outside (the bulk mailbox request):
//! `domain::mail::staff_list::read` on arbitrary bytes as CSV or XLSX
//! (seeded with lists in both forms, well and badly written), for an
//! agency with units whose abbreviations clash.
//!
//! Properties:
//! - reading never panics (in csv, calamine or zip either) and always ends
//!   with the entries or a refusal with a message, one line a wrong row;
//! - a refusal by rows names rows in increasing order, each once;
//! - accepted entries are 1 to `MAX_ROWS`, in file order, each in the
//!   agency or one of its units; a person's has a name of at most 100
//!   characters, NFC with single spaces, that gives a local part; no two
//!   ask for the same agency's or unit's box.
#![no_main]

use std::collections::HashSet;

use domain::agencies::{Agency, AgencyKind};
use domain::mail::mailboxes::MailboxKind;
use domain::mail::staff_list::{MAX_ROWS, StaffListError, read};
use libfuzzer_sys::fuzz_target;
use time::macros::date;

fn agency(id: i64, name: &str, short_name: &str, kind: AgencyKind) -> Agency {
    Agency {
        id,
        code: "000.00.31.H60".parse().expect("a valid code"),
        name: name.into(),
        short_name: short_name.into(),
        kind,
        parent_id: (id != 1).then_some(1),
        effective_from: date!(2008 - 01 - 01),
        effective_to: None,
        successor_id: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let main = agency(1, "Sở Thông tin và Truyền thông", "STTTT", AgencyKind::Department);
    let units = [
        agency(2, "Văn phòng Sở", "VP", AgencyKind::Unit),
        agency(3, "Trung tâm Công nghệ thông tin", "TT", AgencyKind::Unit),
        agency(4, "Trung tâm Dịch vụ", "TT", AgencyKind::Unit),
    ];
    match read(data, "ds.csv", &main, &units) {
        Err(error) => {
            let lines = error.lines();
            assert!(!lines.is_empty() && lines.iter().all(|l| !l.is_empty()));
            if let StaffListError::Rows(rows) = &error {
                assert!(!rows.is_empty());
                assert!(rows.windows(2).all(|w| w[0].row < w[1].row));
            }
        }
        Ok(entries) => {
            assert!((1..=MAX_ROWS).contains(&entries.len()));
            assert!(entries.windows(2).all(|w| w[0].row < w[1].row));
            let mut boxes = HashSet::new();
            for e in &entries {
                assert!((1..=4).contains(&e.agency_id));
                match e.kind {
                    MailboxKind::Person => {
                        assert!(!e.full_name.is_empty());
                        assert!(e.full_name.chars().count() <= 100);
                        assert_eq!(e.full_name, vn::text::squash_spaces(&e.full_name));
                        assert!(vn::text::is_nfc(&e.full_name));
                        domain::mail::addresses::person_local_part(&e.full_name, None, |_| false)
                            .expect("an accepted name gives a local part");
                    }
                    MailboxKind::Agency => assert_eq!(e.agency_id, 1),
                    MailboxKind::Unit => {
                        assert_ne!(e.agency_id, 1);
                    }
                }
                if e.kind != MailboxKind::Person {
                    assert!(boxes.insert((e.kind, e.agency_id)), "one box twice");
                }
            }
        }
    }
});
