//! `egov bench services`: the public services at a province's scale.
//!
//! First online submissions per second with a 100 KB attachment beside
//! raw writes of the same files (`bench_intake`). Then loads N dossiers
//! (a million by default) spread over the demo
//! province's agencies, three service levels and two years, then
//! measures, in the same run, the report's figures query
//! (`App::services_figures`: received by channel and level, resolved
//! early / on time / late, pending and overdue) for a month and a year,
//! against the machine's limit: a bare `count(*)` over the same table.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use app::{App, Ctx};
use domain::agencies::{Agency, AgencyKind};
use domain::services::{
    Applicant, ApplicantKind, Channel, Dossier, DossierCode, DossierStatus, Level, OnlineMode,
    Procedure, Stage,
};
use time::macros::{date, time};
use time::{Date, Duration as Span};

use crate::bench_kit::{Noise, bar, cores, fresh_app, millis, percentile};

#[derive(Debug, clap::Args)]
pub struct ServicesArgs {
    /// Số hồ sơ nạp trước khi đo.
    #[arg(long, default_value_t = 1_000_000)]
    count: u64,
    /// Số lần chạy mỗi truy vấn thống kê.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Số giây đo tốc độ nộp hồ sơ trực tuyến.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Số người nộp hồ sơ trực tuyến đồng thời.
    #[arg(long, default_value_t = 8)]
    citizens: usize,
    /// Cơ sở dữ liệu để đo (mặc định: một tệp SQLite tạm).
    #[arg(long)]
    database_url: Option<String>,
}

/// The levels a loaded dossier's procedure has, and per level the share
/// (in hundredths) received online and by post: roughly the seed's April
/// 2021 (level 3: 17% online, level 4: 71%).
const LEVELS: [(Level, u64, u64); 3] = [
    (Level::Forms, 0, 5),
    (Level::Online, 17, 3),
    (Level::Complete, 71, 3),
];

/// A procedure per agency and level: (agency, level) → (procedure, days).
type Catalogue = HashMap<(i64, Level), (i64, u32)>;

async fn catalogue(app: &App, agencies: &[Agency]) -> anyhow::Result<Catalogue> {
    let ctx = Ctx::system("bench");
    let mut procedures = HashMap::new();
    for agency in agencies {
        for (n, (level, _, _)) in LEVELS.iter().enumerate() {
            let days = [3, 5, 10][n];
            let procedure = app
                .create_procedure(
                    &ctx,
                    Procedure {
                        id: 0,
                        agency_id: agency.id,
                        national_code: format!("1.00{n}494"),
                        name: format!("Thủ tục đo hiệu năng mức độ {}", level.number()),
                        field: Some("Đo hiệu năng".into()),
                        level: *level,
                        online: OnlineMode::of_level(*level),
                        processing_days: days,
                        fee: 0,
                        effective_from: date!(2019 - 01 - 01),
                        effective_to: None,
                        version: 1,
                        details: domain::catalogue::Details::default(),
                    },
                )
                .await?;
            procedures.insert((agency.id, *level), (procedure.id, days));
        }
    }
    Ok(procedures)
}

/// One dossier received on a day of 2020–2021 during office hours; most
/// returned three to twelve days later, a few refused, the recent ones
/// still pending.
fn dossier(
    noise: &mut Noise,
    agency: &Agency,
    procedures: &Catalogue,
    sequences: &mut HashMap<(i64, Date), u32>,
) -> Dossier {
    let (level, online, post) = *noise.pick(&LEVELS);
    let (procedure_id, days) = procedures[&(agency.id, level)];
    let roll = noise.next() % 100;
    let channel = if roll < online {
        Channel::Online
    } else if roll < online + post {
        Channel::Post
    } else {
        Channel::Desk
    };
    let day = date!(2020 - 01 - 01) + Span::days(i64::try_from(noise.next() % 731).unwrap_or(0));
    let minutes = i64::try_from(noise.next() % 570).unwrap_or(0);
    let received_at = day
        .with_time(time!(07:30))
        .assume_offset(vn::dates::VIETNAM_OFFSET)
        + Span::minutes(minutes);
    let sequence = sequences.entry((agency.id, day)).or_insert(0);
    *sequence += 1;
    let code = DossierCode {
        agency: agency.code.clone(),
        day,
        sequence: *sequence,
    };
    let due_on = app::services::calendar().due_date(received_at, days);
    let fate = noise.next() % 100;
    let (status, returned_at) = if day > date!(2021 - 12 - 15) || fate < 3 {
        (DossierStatus::Unresolved, None)
    } else if fate < 5 {
        (DossierStatus::Denied, None)
    } else {
        let after = Span::days(i64::try_from(3 + noise.next() % 10).unwrap_or(3));
        (DossierStatus::Done, Some(received_at + after))
    };
    Dossier {
        id: 0,
        code: code.to_string(),
        agency_id: agency.id,
        procedure_id,
        channel,
        status,
        stage: match status {
            DossierStatus::Done => Stage::Returned,
            DossierStatus::Denied => Stage::Refused,
            _ => Stage::Reception,
        },
        applicant: Applicant {
            name: "Người nộp đo hiệu năng".into(),
            kind: ApplicantKind::Citizen,
            phone: Some("0294 3862 000".into()),
            email: None,
            address: None,
        },
        received_at: domain::to_stored_precision(received_at),
        received_by: None,
        due_on,
        returned_at: returned_at.map(domain::to_stored_precision),
        stopped_on: None,
        papers: Vec::new(),
        files: Vec::new(),
        handler_id: None,
        promised_on: None,
        stage_due_at: None,
        result_document_id: None,
    }
}

/// Loads `count` dossiers in transactions of 10 000; returns dossiers per
/// second.
async fn load(app: &App, count: u64, agencies: &[Agency]) -> anyhow::Result<f64> {
    let procedures = catalogue(app, agencies).await?;
    let mut noise = Noise(0x2021_0428);
    let mut sequences = HashMap::new();
    let progress = bar(count, "Nạp hồ sơ");
    let started = Instant::now();
    let mut loaded = 0;
    while loaded < count {
        let batch = (count - loaded).min(10_000);
        let rows: Vec<Dossier> = (0..batch)
            .map(|_| {
                let agency = noise.pick(agencies);
                dossier(&mut noise, agency, &procedures, &mut sequences)
            })
            .collect();
        let tx = app.store.write().await?;
        tx.bulk_load_dossiers(&rows).await?;
        tx.commit().await?;
        loaded += batch;
        progress.set_position(loaded);
    }
    let tx = app.store.write().await?;
    for ((agency, day), last) in &sequences {
        tx.raise_dossier_sequence(*agency, *day, *last).await?;
    }
    tx.commit().await?;
    progress.finish();
    #[allow(clippy::cast_precision_loss)] // Counts stay far below 2^52.
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

/// The median of `runs` runs of `work`, and its last result.
async fn median<T, F, Fut>(runs: usize, mut work: F) -> anyhow::Result<(Duration, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        last = Some(work().await?);
        times.push(started.elapsed());
    }
    let last = last.context("không chạy lần nào")?;
    Ok((percentile(&mut times, 500), last))
}

pub async fn run(args: &ServicesArgs) -> anyhow::Result<()> {
    let fresh = fresh_app(args.database_url.clone(), |_| {}).await?;
    let app = &fresh.app;
    let agencies: Vec<Agency> = app
        .all_agencies()
        .await?
        .into_iter()
        .filter(|a| a.kind != AgencyKind::Unit)
        .collect();
    println!(
        "egov bench services: {} hồ sơ, {} cơ quan, CSDL {:?}, {} lõi CPU",
        vn::numbers::format_count(args.count),
        agencies.len(),
        app.store.backend(),
        cores()
    );

    // Online submissions first, on the demo catalogue, before the load.
    let intake = crate::bench_intake::measure(app, args.seconds, args.citizens).await?;
    crate::bench_intake::print(intake, args.citizens);

    let loaded = load(app, args.count, &agencies).await?;
    println!("Nạp hàng loạt: {loaded:.0} hồ sơ/giây");
    figures(app, args, &agencies).await
}

/// The figures query, for the province and for one department, a month
/// and a year, against a bare count of the table.
async fn figures(app: &App, args: &ServicesArgs, agencies: &[Agency]) -> anyhow::Result<()> {
    let ctx = Ctx::system("bench");
    let (limit, total) = median(args.runs, || async {
        Ok(app.store.read().await?.bench_count_dossiers().await?)
    })
    .await?;
    println!(
        "Giới hạn của máy — SELECT count(*) trên {} hồ sơ: p50 {:.1} ms",
        vn::numbers::format_count(total),
        millis(limit)
    );
    let province = agencies
        .iter()
        .find(|a| a.parent_id.is_none())
        .context("không có UBND tỉnh trong dữ liệu mẫu")?;
    let department = agencies
        .iter()
        .find(|a| a.short_name == "STTTT")
        .context("không có Sở TT&TT trong dữ liệu mẫu")?;
    let april = (date!(2021 - 04 - 01), date!(2021 - 04 - 30));
    let year = (date!(2021 - 01 - 01), date!(2021 - 12 - 31));
    for (label, root, period) in [
        ("tỉnh, tháng 4/2021", province, april),
        ("Sở TT&TT, tháng 4/2021", department, april),
        ("tỉnh, năm 2021", province, year),
    ] {
        let (took, f) = median(args.runs, || async {
            Ok(app.services_figures(&ctx, root.id, period).await?)
        })
        .await?;
        println!(
            "Thống kê {label}: p50 {:.1} ms ({:.2}× count(*)); tiếp nhận {} (trực tuyến {}), giải quyết {} (trước hạn {}, đúng hạn {}, quá hạn {}), tồn {} (quá hạn {})",
            millis(took),
            took.as_secs_f64() / limit.as_secs_f64().max(1e-9),
            f.received(),
            f.online,
            f.resolved(),
            f.early,
            f.on_time,
            f.late,
            f.pending,
            f.overdue,
        );
    }
    Ok(())
}
