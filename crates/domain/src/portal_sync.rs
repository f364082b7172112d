//! The national public-service portal's sync format (Cổng Dịch vụ công
//! quốc gia, DOMAIN.md §4), as VietOpenCPS/opencps-v2 sends it: the whole
//! dossier (`DongBoHoSoMC`) and its progress (`CapNhatTienDoHoSoMC`), each
//! a JSON envelope `{service, madonvi, isUpdating, data: [record]}` with
//! codes written as strings and times as `yyyyMMddHHmmss` in Vietnam time.
//! Also the outbox's rules: which records a change of a dossier queues,
//! each one's stable id, the retry delays, and how an answer is judged.
//!
//! Pure: records are built from `services` types; nothing here sends.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::agencies::Agency;
use crate::services::{Channel, Dossier, DossierId, Procedure};

/// The portal service an outbox entry calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PortalService {
    /// The whole dossier, new or updated.
    #[serde(rename = "DongBoHoSoMC")]
    Dossier,
    /// A step of its processing.
    #[serde(rename = "CapNhatTienDoHoSoMC")]
    Progress,
}

named!(PortalService {
    Dossier => "DongBoHoSoMC", "Đồng bộ hồ sơ";
    Progress => "CapNhatTienDoHoSoMC", "Cập nhật tiến độ hồ sơ";
});

/// A moment as the portal writes it: `yyyyMMddHHmmss`, Vietnam time.
pub fn portal_time(moment: OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
        time::macros::format_description!("[year][month][day][hour][minute][second]");
    // Every moment of years 0–9999 formats; none outside is stored.
    vn::dates::to_vietnam(moment)
        .format(FORMAT)
        .unwrap_or_default()
}

/// A due date as a moment: the end of that day's afternoon session
/// (17:00), by which the result is promised.
pub fn portal_due(day: Date) -> String {
    format!(
        "{:04}{:02}{:02}170000",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// One paper handed in (TaiLieuNop). Papers received at the desk have no
/// file, so the path is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedPaper {
    #[serde(rename = "TepDinhKemId")]
    pub id: String,
    #[serde(rename = "TenTepDinhKem")]
    pub name: String,
    #[serde(rename = "IsDeleted")]
    pub deleted: String,
    #[serde(rename = "MaThanhPhanHoSo")]
    pub component_code: String,
    #[serde(rename = "DuongDanTaiTepTin")]
    pub path: String,
}

/// One fee or charge (DanhSachLePhi).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    #[serde(rename = "TenPhiLePhi")]
    pub name: String,
    #[serde(rename = "MaPhiLePhi")]
    pub code: String,
    /// How it is paid; unknown until payment is recorded.
    #[serde(rename = "HinhThucThu")]
    pub paid_by: String,
    /// In đồng.
    #[serde(rename = "Gia")]
    pub amount: String,
    #[serde(rename = "LoaiPhiLePhi")]
    pub kind: String,
}

/// One result paper (DanhSachGiayToKetQua).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultPaper {
    #[serde(rename = "TenGiayTo")]
    pub name: String,
    #[serde(rename = "GiayToId")]
    pub id: String,
    #[serde(rename = "DuongDanTepTinKetQua")]
    pub path: String,
}

/// The whole dossier (the `data` record of `DongBoHoSoMC`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierRecord {
    #[serde(rename = "MaHoSo")]
    pub code: String,
    #[serde(rename = "MaTTHC")]
    pub procedure_code: String,
    #[serde(rename = "TenTTHC")]
    pub procedure_name: String,
    /// The field's national code; egov's catalogue keeps only the field's
    /// name so far, so this stays empty and `TenLinhVuc` carries it.
    #[serde(rename = "MaLinhVuc")]
    pub field_code: String,
    #[serde(rename = "TenLinhVuc")]
    pub field_name: String,
    #[serde(rename = "ChuHoSo")]
    pub applicant: String,
    /// "1" a citizen, "2" a business.
    #[serde(rename = "LoaiDoiTuong")]
    pub applicant_kind: String,
    #[serde(rename = "Email")]
    pub email: String,
    #[serde(rename = "SoDienThoai")]
    pub phone: String,
    #[serde(rename = "NgayTiepNhan")]
    pub received_at: String,
    #[serde(rename = "NgayHenTra")]
    pub due_at: String,
    /// The status code, "1" to "10".
    #[serde(rename = "TrangThaiHoSo")]
    pub status: String,
    /// Empty until the result is returned.
    #[serde(rename = "NgayTra")]
    pub returned_at: String,
    /// How the result is returned, as opencps-v2 writes it: "1" by the
    /// public postal service, "0" at the desk.
    #[serde(rename = "HinhThuc")]
    pub delivery: String,
    #[serde(rename = "DonViXuLy")]
    pub agency: String,
    #[serde(rename = "TaiLieuNop")]
    pub papers: Vec<SubmittedPaper>,
    #[serde(rename = "DanhSachLePhi")]
    pub fees: Vec<Fee>,
    #[serde(rename = "DanhSachGiayToKetQua")]
    pub results: Vec<ResultPaper>,
}

/// A processing step (the `data` record of `CapNhatTienDoHoSoMC`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressRecord {
    #[serde(rename = "MaHoSo")]
    pub code: String,
    #[serde(rename = "NguoiXuLy")]
    pub handler: String,
    #[serde(rename = "ChucDanh")]
    pub position: String,
    #[serde(rename = "ThoiDiemXuLy")]
    pub at: String,
    #[serde(rename = "PhongBanXuLy")]
    pub unit: String,
    #[serde(rename = "NoiDungXuLy")]
    pub note: String,
    #[serde(rename = "TrangThai")]
    pub status: String,
    #[serde(rename = "NgayBatDau")]
    pub started_at: String,
    #[serde(rename = "NgayKetThucTheoQuyDinh")]
    pub due_at: String,
}

/// What the portal receives in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope<R> {
    pub service: PortalService,
    /// The receiving agency's code (mã định danh đơn vị).
    pub madonvi: String,
    /// "False" the first time a dossier is sent, "True" after; only for
    /// `DongBoHoSoMC`.
    #[serde(rename = "isUpdating", skip_serializing_if = "Option::is_none")]
    pub updating: Option<String>,
    pub data: Vec<R>,
}

/// The dossier as the portal records it.
pub fn dossier_record(dossier: &Dossier, procedure: &Procedure, agency: &Agency) -> DossierRecord {
    let applicant = &dossier.applicant;
    let fees = (procedure.fee > 0)
        .then(|| Fee {
            name: "Phí, lệ phí".into(),
            code: String::new(),
            paid_by: String::new(),
            amount: procedure.fee.to_string(),
            kind: String::new(),
        })
        .into_iter()
        .collect();
    DossierRecord {
        code: dossier.code.clone(),
        procedure_code: procedure.national_code.clone(),
        procedure_name: procedure.name.clone(),
        field_code: String::new(),
        field_name: procedure.field.clone().unwrap_or_default(),
        applicant: applicant.name.clone(),
        applicant_kind: match applicant.kind {
            crate::services::ApplicantKind::Citizen => "1",
            crate::services::ApplicantKind::Business => "2",
        }
        .into(),
        email: applicant.email.clone().unwrap_or_default(),
        phone: applicant.phone.clone().unwrap_or_default(),
        received_at: portal_time(dossier.received_at),
        due_at: portal_due(dossier.due_on),
        status: dossier.status.code().to_string(),
        returned_at: dossier.returned_at.map(portal_time).unwrap_or_default(),
        delivery: if dossier.channel == Channel::Post {
            "1"
        } else {
            "0"
        }
        .into(),
        agency: agency.name.clone(),
        papers: dossier
            .papers
            .iter()
            .enumerate()
            .map(|(n, paper)| SubmittedPaper {
                id: format!("{}-{}", dossier.code, n + 1),
                name: paper.name.clone(),
                deleted: "False".into(),
                component_code: String::new(),
                path: String::new(),
            })
            .collect(),
        fees,
        // The result is an issued document of egov's: named by what the
        // procedure gives, identified by the document; no public path,
        // since egov hands a result only to its applicant.
        results: dossier
            .result_document_id
            .map(|document| ResultPaper {
                name: procedure
                    .details
                    .result
                    .clone()
                    .unwrap_or_else(|| "Kết quả giải quyết thủ tục hành chính".into()),
                id: format!("{}-KQ-{document}", dossier.code),
                path: String::new(),
            })
            .into_iter()
            .collect(),
    }
}

/// Who did a step, when, and what they wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub handler: String,
    pub position: String,
    pub at: OffsetDateTime,
    pub note: String,
}

/// The step as the portal records it.
pub fn progress_record(dossier: &Dossier, step: &Step) -> ProgressRecord {
    ProgressRecord {
        code: dossier.code.clone(),
        handler: step.handler.clone(),
        position: step.position.clone(),
        at: portal_time(step.at),
        unit: String::new(),
        note: step.note.clone(),
        status: dossier.status.code().to_string(),
        started_at: portal_time(dossier.received_at),
        due_at: portal_due(dossier.due_on),
    }
}

/// The calls a dossier's change queues, in order, as (service, JSON
/// body): its receipt (`sequence` 1, the first entry of the dossier) is
/// the new dossier alone; any later change is the dossier updated, then
/// the step, as opencps-v2 sends them.
pub fn entries_for(
    dossier: &Dossier,
    procedure: &Procedure,
    agency: &Agency,
    first: bool,
    step: &Step,
) -> Result<Vec<(PortalService, String)>, serde_json::Error> {
    let whole = Envelope {
        service: PortalService::Dossier,
        madonvi: agency.code.to_string(),
        updating: Some(if first { "False" } else { "True" }.into()),
        data: vec![dossier_record(dossier, procedure, agency)],
    };
    let mut entries = vec![(PortalService::Dossier, serde_json::to_string(&whole)?)];
    if !first {
        let progress = Envelope {
            service: PortalService::Progress,
            madonvi: agency.code.to_string(),
            updating: None,
            data: vec![progress_record(dossier, step)],
        };
        entries.push((PortalService::Progress, serde_json::to_string(&progress)?));
    }
    Ok(entries)
}

/// An entry's stable id, which the receiver de-duplicates on: the dossier
/// code and the entry's number within the dossier, `…-210428-0001/3`.
pub fn entry_key(code: &str, sequence: u32) -> String {
    format!("{code}/{sequence}")
}

/// One record waiting in (or gone from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: i64,
    pub dossier_id: DossierId,
    /// From 1 within the dossier; entries go out in this order.
    pub sequence: u32,
    /// [`entry_key`].
    pub key: String,
    pub service: PortalService,
    /// The JSON body sent.
    pub payload: String,
    pub created_at: OffsetDateTime,
    /// Sends tried, successful or not.
    pub attempts: u32,
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub delivered_at: Option<OffsetDateTime>,
}

/// How long to wait after the `attempts`-th failed send: 30 seconds,
/// doubling, at most an hour. Nothing is ever dropped: the portal may be
/// down for a day, and the entry waits for it.
pub fn retry_delay(attempts: u32) -> time::Duration {
    const FIRST: i64 = 30;
    const MOST: i64 = 3_600;
    let doublings = attempts.saturating_sub(1).min(16);
    time::Duration::seconds((FIRST << doublings).min(MOST))
}

/// Whether the portal took an entry, from the HTTP status and body of its
/// answer: a 2xx, and, when the body is JSON with an `error_code` (the
/// portal's way), that code is 0. The reason is kept for the operator.
pub fn judge_answer(status: u16, body: &[u8]) -> Result<(), String> {
    let text = || {
        let text = String::from_utf8_lossy(body);
        text.chars().take(300).collect::<String>()
    };
    if !(200..300).contains(&status) {
        return Err(format!("Cổng trả về mã HTTP {status}: {}", text()));
    }
    let Ok(serde_json::Value::Object(answer)) = serde_json::from_slice(body) else {
        return Ok(());
    };
    let code = match answer.get("error_code") {
        None | Some(serde_json::Value::Null) => return Ok(()),
        Some(serde_json::Value::String(code)) => code.trim().to_owned(),
        Some(other) => other.to_string(),
    };
    if code.bytes().all(|b| b == b'0') && !code.is_empty() {
        Ok(())
    } else {
        Err(format!("Cổng từ chối (error_code {code}): {}", text()))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::agencies::AgencyKind;
    use crate::services::{Applicant, ApplicantKind, DossierStatus, Level, OnlineMode, Paper};

    fn agency() -> Agency {
        Agency {
            id: 7,
            code: "000.00.11.H59".parse().unwrap(),
            name: "Sở Thông tin và Truyền thông tỉnh Trà Vinh".into(),
            short_name: "STTTT".into(),
            kind: AgencyKind::Department,
            parent_id: None,
            effective_from: date!(2008 - 01 - 01),
            effective_to: None,
            successor_id: None,
        }
    }

    fn procedure(fee: u64) -> Procedure {
        Procedure {
            id: 3,
            agency_id: 7,
            national_code: "1.000494".into(),
            name: "Cấp giấy phép bưu chính".into(),
            field: Some("Bưu chính".into()),
            level: Level::Complete,
            online: OnlineMode::Full,
            processing_days: 5,
            fee,
            effective_from: date!(2020 - 01 - 01),
            effective_to: None,
            version: 1,
            details: crate::catalogue::Details::default(),
        }
    }

    fn dossier(channel: Channel, kind: ApplicantKind) -> Dossier {
        Dossier {
            id: 11,
            code: "000.00.11.H59-210428-0001".into(),
            agency_id: 7,
            procedure_id: 3,
            channel,
            status: DossierStatus::Unresolved,
            stage: crate::services::Stage::Reception,
            applicant: Applicant {
                name: "Trần Thị Mai".into(),
                kind,
                phone: Some("0294 3862 000".into()),
                email: None,
                address: None,
            },
            received_at: datetime!(2021-04-28 09:00:05 UTC),
            received_by: None,
            due_on: date!(2021 - 05 - 10),
            returned_at: None,
            stopped_on: None,
            promised_on: None,
            stage_due_at: None,
            handler_id: None,
            result_document_id: None,
            files: Vec::new(),
            papers: vec![
                Paper {
                    name: "Đơn đề nghị".into(),
                    copies: 1,
                },
                Paper {
                    name: "Bản sao giấy chứng nhận".into(),
                    copies: 2,
                },
            ],
        }
    }

    #[test]
    fn times_are_written_in_vietnam_time() {
        for (moment, written) in [
            (datetime!(2021-04-28 09:00:05 UTC), "20210428160005"),
            (datetime!(2021-04-28 17:30:00 UTC), "20210429003000"),
            (datetime!(2021-04-28 16:00 +7), "20210428160000"),
            (datetime!(2020-12-31 23:59:59 +7), "20201231235959"),
        ] {
            assert_eq!(portal_time(moment), written);
        }
        assert_eq!(portal_due(date!(2021 - 05 - 10)), "20210510170000");
    }

    #[test]
    fn the_dossier_record_carries_the_portal_fields() {
        let cases = [
            (Channel::Desk, ApplicantKind::Citizen, 0, "0", "1", 0),
            (
                Channel::Online,
                ApplicantKind::Business,
                500_000,
                "0",
                "2",
                1,
            ),
            (
                Channel::Post,
                ApplicantKind::Citizen,
                1_000_000,
                "1",
                "1",
                1,
            ),
        ];
        for (channel, kind, fee, delivery, applicant_kind, fees) in cases {
            let record = dossier_record(&dossier(channel, kind), &procedure(fee), &agency());
            assert_eq!(record.code, "000.00.11.H59-210428-0001");
            assert_eq!(record.procedure_code, "1.000494");
            assert_eq!(record.procedure_name, "Cấp giấy phép bưu chính");
            assert_eq!(record.field_name, "Bưu chính");
            assert_eq!(record.applicant, "Trần Thị Mai");
            assert_eq!(record.applicant_kind, applicant_kind);
            assert_eq!(record.received_at, "20210428160005");
            assert_eq!(record.due_at, "20210510170000");
            assert_eq!(record.status, "3");
            assert_eq!(record.returned_at, "");
            assert_eq!(record.delivery, delivery, "{channel:?}");
            assert_eq!(record.agency, "Sở Thông tin và Truyền thông tỉnh Trà Vinh");
            assert_eq!(record.fees.len(), fees);
            assert_eq!(
                record
                    .papers
                    .iter()
                    .map(|p| (p.id.as_str(), p.name.as_str()))
                    .collect::<Vec<_>>(),
                [
                    ("000.00.11.H59-210428-0001-1", "Đơn đề nghị"),
                    ("000.00.11.H59-210428-0001-2", "Bản sao giấy chứng nhận")
                ]
            );
        }
        assert!(
            dossier_record(
                &dossier(Channel::Desk, ApplicantKind::Citizen),
                &procedure(0),
                &agency()
            )
            .results
            .is_empty()
        );
        let returned = Dossier {
            status: DossierStatus::Done,
            returned_at: Some(datetime!(2021-05-07 10:15 +7)),
            result_document_id: Some(41),
            ..dossier(Channel::Desk, ApplicantKind::Citizen)
        };
        let mut licensing = procedure(0);
        licensing.details.result = Some("Văn bản xác nhận thông báo hoạt động bưu chính".into());
        let record = dossier_record(&returned, &licensing, &agency());
        assert_eq!(
            (record.status.as_str(), record.returned_at.as_str()),
            ("10", "20210507101500")
        );
        assert_eq!(
            record.results,
            [ResultPaper {
                name: "Văn bản xác nhận thông báo hoạt động bưu chính".into(),
                id: "000.00.11.H59-210428-0001-KQ-41".into(),
                path: String::new(),
            }]
        );
    }

    #[test]
    fn a_receipt_queues_the_new_dossier_and_a_change_the_update_and_the_step() {
        let step = Step {
            handler: "Cán Bộ Một Cửa".into(),
            position: "Chuyên viên".into(),
            at: datetime!(2021-05-04 09:00 +7),
            note: "Bản sao Điều lệ".into(),
        };
        let received = dossier(Channel::Desk, ApplicantKind::Citizen);
        let first = entries_for(&received, &procedure(0), &agency(), true, &step).unwrap();
        assert_eq!(first.len(), 1);
        let body: serde_json::Value = serde_json::from_str(&first[0].1).unwrap();
        assert_eq!(body["service"], "DongBoHoSoMC");
        assert_eq!(body["isUpdating"], "False");
        assert_eq!(body["madonvi"], "000.00.11.H59");
        assert_eq!(body["data"][0]["MaHoSo"], "000.00.11.H59-210428-0001");
        assert_eq!(body["data"][0]["TrangThaiHoSo"], "3");

        let waiting = Dossier {
            status: DossierStatus::Waiting,
            ..received
        };
        let later = entries_for(&waiting, &procedure(0), &agency(), false, &step).unwrap();
        let services: Vec<PortalService> = later.iter().map(|(s, _)| *s).collect();
        assert_eq!(services, [PortalService::Dossier, PortalService::Progress]);
        let whole: Envelope<DossierRecord> = serde_json::from_str(&later[0].1).unwrap();
        assert_eq!(whole.updating.as_deref(), Some("True"));
        assert_eq!(whole.data[0].status, "5");
        let progress: Envelope<ProgressRecord> = serde_json::from_str(&later[1].1).unwrap();
        assert_eq!(progress.service, PortalService::Progress);
        assert_eq!(progress.updating, None);
        let step = &progress.data[0];
        assert_eq!(
            (step.status.as_str(), step.at.as_str(), step.note.as_str()),
            ("5", "20210504090000", "Bản sao Điều lệ")
        );
        assert_eq!(entry_key(&waiting.code, 3), "000.00.11.H59-210428-0001/3");
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        for (attempts, seconds) in [
            (0, 30),
            (1, 30),
            (2, 60),
            (3, 120),
            (7, 1_920),
            (8, 3_600),
            (40, 3_600),
            (u32::MAX, 3_600),
        ] {
            assert_eq!(
                retry_delay(attempts),
                time::Duration::seconds(seconds),
                "{attempts}"
            );
        }
    }

    #[test]
    fn answers_are_judged_by_status_and_error_code() {
        let ok: &[(u16, &str)] = &[
            (200, ""),
            (200, "OK"),
            (204, ""),
            (200, r#"{"error_code": "00", "message": "Thành công"}"#),
            (200, r#"{"error_code": 0}"#),
            (200, r#"{"result": []}"#),
            (200, "[1, 2]"),
        ];
        for (status, body) in ok {
            assert_eq!(
                judge_answer(*status, body.as_bytes()),
                Ok(()),
                "{status} {body}"
            );
        }
        let refused: &[(u16, &str, &str)] = &[
            (500, "boom", "mã HTTP 500: boom"),
            (404, "", "mã HTTP 404"),
            (301, "", "mã HTTP 301"),
            (
                200,
                r#"{"error_code": "-1", "message": "Sai phiên"}"#,
                "error_code -1",
            ),
            (200, r#"{"error_code": 5}"#, "error_code 5"),
            (200, r#"{"error_code": ""}"#, "error_code"),
        ];
        for (status, body, reason) in refused {
            let error = judge_answer(*status, body.as_bytes()).unwrap_err();
            assert!(error.contains(reason), "{error}");
        }
    }
}
