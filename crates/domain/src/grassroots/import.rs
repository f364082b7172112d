//! A month of broadcast logs as CSV (UTF-8, comma or semicolon): a
//! header line, then one log a line, with the columns in this order —
//! station code («000.01.31.H59-HT») or commune code («000.01.31.H59»,
//! when the commune has one station in service that day), day
//! (dd/mm/yyyy), self-produced minutes, minutes relayed from VOV, from
//! the provincial radio and from the district, topics and campaign
//! numbers (each list separated by `|`).
//!
//! Reading (`parse`) needs nothing but the bytes; checking (`resolve`)
//! applies the rules of a single log to every row against the stations,
//! campaigns and logs already known. A file with any wrong row is
//! refused whole, each wrong row named by its line, so that the clerk
//! corrects them all at once and nothing half-imported is left behind.

use std::collections::{HashMap, HashSet};
use std::fmt;

use time::Date;

use super::campaigns::{Campaign, CampaignId};
use super::logs::{BroadcastLog, Relayed};
use super::stations::{Station, StationId, StationKind};
use crate::mail::staff_list::{RowError, StaffListError, csv_lines};

/// Most logs one file may hold: a month of a province's stations.
pub const MAX_ROWS: usize = 5_000;
/// Largest file taken.
pub const MAX_BYTES: usize = 2 << 20;
/// What separates the topics, or the campaigns, in their cell.
pub const LIST_SEPARATOR: char = '|';

/// The header a template writes, in column order.
pub const HEADERS: [&str; 8] = [
    "Mã đài hoặc mã xã",
    "Ngày",
    "Phút tự sản xuất",
    "Phút tiếp sóng VOV",
    "Phút tiếp sóng Đài tỉnh",
    "Phút tiếp sóng Đài huyện",
    "Chủ đề",
    "Đợt tuyên truyền",
];

/// Which station a row names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StationRef {
    /// A station's code: its commune's code and kind.
    Station { commune: String, kind: StationKind },
    /// A commune's code: its one station in service that day.
    Commune(String),
}

impl fmt::Display for StationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Station { commune, kind } => write!(f, "{commune}-{}", kind.code_suffix()),
            Self::Commune(code) => f.write_str(code),
        }
    }
}

/// One row read, not yet checked against the stations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// Its line in the file, as an editor numbers it.
    pub line: usize,
    pub station: StationRef,
    pub day: Date,
    pub self_minutes: u32,
    pub relayed: Relayed,
    pub topics: Vec<String>,
    pub campaign_ids: Vec<CampaignId>,
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("Tệp trống.")]
    Empty,
    #[error("Tệp lớn hơn {} MB.", MAX_BYTES >> 20)]
    TooLarge,
    #[error("Không đọc được tệp CSV (UTF-8): {0}.")]
    Unreadable(String),
    #[error("Tệp không có dòng nhật ký nào dưới dòng tiêu đề.")]
    NoRows,
    #[error("Tệp có hơn {MAX_ROWS} dòng; hãy chia thành nhiều tệp.")]
    TooManyRows,
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<RowError>),
}

impl ImportError {
    /// Its message, one line a wrong row.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::Rows(rows) => rows.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        }
    }
}

/// Reads the rows of `bytes`; the first line that is not blank is the
/// header and is skipped.
pub fn parse(bytes: &[u8]) -> Result<Vec<LogRow>, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge);
    }
    let lines = csv_lines(bytes).map_err(|e| match e {
        StaffListError::Unreadable(why) => ImportError::Unreadable(why),
        other => ImportError::Unreadable(other.to_string()),
    })?;
    let filled: Vec<_> = lines
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .skip(1)
        .collect();
    if filled.is_empty() {
        return Err(ImportError::NoRows);
    }
    if filled.len() > MAX_ROWS {
        return Err(ImportError::TooManyRows);
    }
    let mut rows = Vec::with_capacity(filled.len());
    let mut errors = Vec::new();
    for (line, cells) in filled {
        match row(line, &cells) {
            Ok(r) => rows.push(r),
            Err(problems) => errors.push(RowError {
                row: line,
                problem: problems.join("; "),
            }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// One row, or every problem it has.
fn row(line: usize, cells: &[String]) -> Result<LogRow, Vec<String>> {
    let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
    let mut problems = Vec::new();
    let station = station_ref(cell(0));
    if cell(0).is_empty() {
        problems.push("thiếu mã đài hoặc mã xã".to_owned());
    }
    let day = vn::dates::parse_short(cell(1))
        .map_err(|_| problems.push(format!("ngày «{}» không đúng dạng dd/mm/yyyy", cell(1))))
        .ok();
    let mut minutes = |i: usize, required: bool| -> u32 {
        let text = cell(i);
        if text.is_empty() && !required {
            return 0;
        }
        text.parse().unwrap_or_else(|_| {
            problems.push(format!("cột «{}»: «{text}» không phải số phút", HEADERS[i]));
            0
        })
    };
    let self_minutes = minutes(2, true);
    let relayed = Relayed {
        vov: minutes(3, false),
        provincial: minutes(4, false),
        district: minutes(5, false),
    };
    let list = |i: usize| -> Vec<String> {
        cell(i)
            .split(LIST_SEPARATOR)
            .map(|t| vn::text::squash_spaces(&vn::text::nfc(t)))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let topics = list(6);
    let mut campaign_ids = Vec::new();
    for text in list(7) {
        match text.parse() {
            Ok(id) => campaign_ids.push(id),
            Err(_) => problems.push(format!("«{text}» không phải số của một đợt tuyên truyền")),
        }
    }
    match day {
        Some(day) if problems.is_empty() => Ok(LogRow {
            line,
            station,
            day,
            self_minutes,
            relayed,
            topics,
            campaign_ids,
        }),
        _ => Err(problems),
    }
}

fn station_ref(code: &str) -> StationRef {
    let code = code.to_uppercase();
    for kind in StationKind::ALL {
        if let Some(commune) = code.strip_suffix(&format!("-{}", kind.code_suffix())) {
            return StationRef::Station {
                commune: commune.to_owned(),
                kind: *kind,
            };
        }
    }
    StationRef::Commune(code)
}

/// What rows are checked against.
pub struct Known<'a> {
    /// Every station, with its commune's code.
    pub stations: &'a [(Station, String)],
    pub campaigns: &'a [Campaign],
    /// The station-days that have a log already.
    pub logged: &'a HashSet<(StationId, Date)>,
    /// Vietnam's date.
    pub today: Date,
}

/// The logs `rows` record, each checked as a single log is, and none
/// twice; or every wrong row.
pub fn resolve(rows: Vec<LogRow>, known: &Known<'_>) -> Result<Vec<BroadcastLog>, ImportError> {
    let mut logs = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    let mut seen: HashMap<(StationId, Date), usize> = HashMap::new();
    for row in rows {
        let checked = station_of(&row, known).and_then(|station| {
            let log = BroadcastLog {
                id: 0,
                station_id: station.id,
                day: row.day,
                self_minutes: row.self_minutes,
                relayed: row.relayed,
                topics: row.topics,
                campaign_ids: row.campaign_ids,
            };
            let logged = |day| known.logged.contains(&(station.id, day));
            log.checked(station, &logged, known.campaigns, known.today)
                .map_err(|e| e.to_string())
        });
        match checked {
            Err(problem) => errors.push(RowError {
                row: row.line,
                problem,
            }),
            Ok(log) => {
                if let Some(first) = seen.insert((log.station_id, log.day), row.line) {
                    errors.push(RowError {
                        row: row.line,
                        problem: format!("trùng đài và ngày với dòng {first}"),
                    });
                }
                logs.push(log);
            }
        }
    }
    if errors.is_empty() {
        Ok(logs)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// The station `row` names: the one in service that day, else (for the
/// rules to say it was not in service) the last registered.
fn station_of<'a>(row: &LogRow, known: &Known<'a>) -> Result<&'a Station, String> {
    let candidates: Vec<&Station> = known
        .stations
        .iter()
        .filter(|(s, commune)| match &row.station {
            StationRef::Station { commune: c, kind } => c == commune && *kind == s.kind,
            StationRef::Commune(c) => c == commune,
        })
        .map(|(s, _)| s)
        .collect();
    let serving: Vec<&Station> = candidates
        .iter()
        .copied()
        .filter(|s| s.in_service_on(row.day))
        .collect();
    match (serving.as_slice(), candidates.last()) {
        ([one], _) => Ok(one),
        ([], Some(last)) => Ok(last),
        ([], None) => Err(format!("không có đài hay xã mã «{}»", row.station)),
        (_, _) => Err(format!(
            "xã «{}» có cả đài hữu tuyến và vô tuyến; hãy ghi mã đài (thêm -HT hoặc -VT)",
            row.station
        )),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn station(id: StationId, kind: StationKind) -> (Station, String) {
        (
            Station {
                id,
                agency_id: 1,
                commune_id: 7,
                name: format!("Đài {id}"),
                kind,
                frequency: None,
                power_w: 100,
                loudspeaker_clusters: 5,
                in_service_from: date!(2020 - 01 - 01),
                in_service_to: None,
            },
            "000.01.31.H59".to_owned(),
        )
    }

    const HEADER: &str = "Mã đài hoặc mã xã,Ngày,Phút tự sản xuất,VOV,Tỉnh,Huyện,Chủ đề,Đợt\n";

    #[test]
    fn reads_rows_with_their_lines() {
        let text = format!(
            "{HEADER}000.01.31.h59-HT,01/04/2021,30,60,,15,Pháp luật|Nông nghiệp,3|4\n\n000.01.31.H59,2/4/2021,25,0,0,0,,\n"
        );
        let rows = parse(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].topics, ["Pháp luật", "Nông nghiệp"]);
        assert_eq!(rows[0].campaign_ids, [3, 4]);
        assert_eq!(rows[0].relayed.total(), 75);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].station, StationRef::Commune("000.01.31.H59".into()));
    }

    #[test]
    fn every_bad_row_is_named() {
        let text = format!("{HEADER}X-HT,31/02/2021,30\n,01/04/2021,ba mươi,,,,,Covid\n");
        let Err(ImportError::Rows(errors)) = parse(text.as_bytes()) else {
            panic!("a bad file was read");
        };
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].row, 2);
        assert!(errors[1].to_string().starts_with("Dòng 3: thiếu mã đài"));
        assert_eq!(parse(HEADER.as_bytes()), Err(ImportError::NoRows));
        assert_eq!(parse(b""), Err(ImportError::Empty));
    }

    #[test]
    fn resolving_refuses_duplicates_and_ambiguity() {
        let stations = [
            station(1, StationKind::Wired),
            station(2, StationKind::Wireless),
        ];
        let logged = HashSet::from([(1, date!(2021 - 04 - 03))]);
        let known = Known {
            stations: &stations,
            campaigns: &[],
            logged: &logged,
            today: date!(2021 - 05 - 01),
        };
        let text = format!(
            "{HEADER}000.01.31.H59-VT,01/04/2021,30\n000.01.31.H59-VT,01/04/2021,20\n000.01.31.H59,02/04/2021,1\n000.01.31.H59-HT,03/04/2021,1\n000.09.31.H59,03/04/2021,1\n"
        );
        let Err(ImportError::Rows(errors)) = resolve(parse(text.as_bytes()).unwrap(), &known)
        else {
            panic!("bad rows were accepted");
        };
        let lines: Vec<usize> = errors.iter().map(|e| e.row).collect();
        assert_eq!(lines, [3, 4, 5, 6]);
        assert!(errors[0].problem.contains("dòng 2"));
        let good = format!("{HEADER}000.01.31.H59-VT,01/04/2021,30\n");
        let logs = resolve(parse(good.as_bytes()).unwrap(), &known).unwrap();
        assert_eq!(logs[0].station_id, 2);
    }
}
