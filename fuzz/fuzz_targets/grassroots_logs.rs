//! A month of broadcast logs from outside (the grassroots CSV import):
//! `domain::grassroots::import::parse` on arbitrary bytes, then `resolve`
//! against two stations of one commune and one campaign (seeded with
//! files well and badly written).
//!
//! Properties:
//! - neither step panics, and each ends with rows or a refusal with a
//!   message, one line a wrong row;
//! - a refusal by rows names rows in increasing order;
//! - read rows are 1 to `MAX_ROWS`, in file order; resolved logs are as
//!   many as the rows, each within a day's minutes, never two for one
//!   station and day.
#![no_main]

use std::collections::HashSet;

use domain::grassroots::campaigns::Campaign;
use domain::grassroots::import::{ImportError, Known, MAX_ROWS, parse, resolve};
use domain::grassroots::logs::DAY_MINUTES;
use domain::grassroots::stations::{Station, StationKind};
use libfuzzer_sys::fuzz_target;
use time::macros::date;

fn station(id: i64, kind: StationKind) -> (Station, String) {
    let station = Station {
        id,
        agency_id: 1,
        commune_id: 2,
        name: format!("Đài {id}"),
        kind,
        frequency: None,
        power_w: 100,
        loudspeaker_clusters: 4,
        in_service_from: date!(2020 - 01 - 01),
        in_service_to: None,
    };
    (station, "000.01.31.H59".to_owned())
}

fn check_refusal(error: &ImportError) {
    let lines = error.lines();
    assert!(!lines.is_empty() && lines.iter().all(|l| !l.is_empty()));
    if let ImportError::Rows(rows) = error {
        assert!(!rows.is_empty());
        assert!(rows.windows(2).all(|w| w[0].row <= w[1].row));
    }
}

fuzz_target!(|data: &[u8]| {
    let rows = match parse(data) {
        Ok(rows) => rows,
        Err(error) => return check_refusal(&error),
    };
    assert!((1..=MAX_ROWS).contains(&rows.len()));
    assert!(rows.windows(2).all(|w| w[0].line < w[1].line));
    let stations = [station(1, StationKind::Wired), station(2, StationKind::Wireless)];
    let campaigns = [Campaign {
        id: 3,
        agency_id: 1,
        title: "Covid-19".into(),
        topic: String::new(),
        from: date!(2021 - 04 - 01),
        to: date!(2021 - 04 - 30),
    }];
    let logged = HashSet::from([(1, date!(2021 - 04 - 01))]);
    let known = Known {
        stations: &stations,
        campaigns: &campaigns,
        logged: &logged,
        today: date!(2021 - 05 - 05),
    };
    let count = rows.len();
    match resolve(rows, &known) {
        Err(error) => check_refusal(&error),
        Ok(logs) => {
            assert_eq!(logs.len(), count);
            let mut days = HashSet::new();
            for l in &logs {
                assert!(l.self_minutes + l.relayed.total() <= DAY_MINUTES);
                assert!(days.insert((l.station_id, l.day)), "one station-day twice");
            }
        }
    }
});
