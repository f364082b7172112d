//! `egov bench documents`: the document registers at a province's scale.
//!
//! Loads a register of N documents (a million by default) spread over the
//! demo province's agencies and two years, then measures, in the same run:
//! - registrations per second through the real use case (number, symbol,
//!   index words, audit entry) by concurrent clerks, against the database's
//!   own rate of bare inserts of the same row (the machine's limit);
//! - search latency (p50/p95) for 20 questions, against a lookup by
//!   primary key;
//! - the latency of a register page (first and a deep page).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use app::documents::NewOutgoing;
use app::{App, Ctx};
use domain::agencies::AgencyKind;
use domain::documents::{Confidentiality, Direction, Document, Series, Urgency, outgoing_symbol};
use domain::search::{DocumentFilter, Terms, index_text};
use time::{Duration as Days, macros::date};

use crate::bench_kit::{Noise, bar, cores, fresh_app, millis, percentile};

#[derive(Debug, clap::Args)]
pub struct DocumentsArgs {
    /// Số văn bản nạp vào sổ trước khi đo.
    #[arg(long, default_value_t = 1_000_000)]
    count: u64,
    /// Số giây đo tốc độ vào sổ.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Số văn thư vào sổ đồng thời.
    #[arg(long, default_value_t = 8)]
    clerks: usize,
    /// Cơ sở dữ liệu để đo (mặc định: một tệp SQLite tạm).
    #[arg(long)]
    database_url: Option<String>,
}

const SUBJECTS: &[&str] = &[
    "Kế hoạch tổ chức",
    "Báo cáo kết quả",
    "Về việc triển khai",
    "Hướng dẫn thực hiện",
    "Về việc tăng cường",
    "Về việc đôn đốc",
    "Tổng kết",
    "Về việc góp ý dự thảo",
];
const TOPICS: &[&str] = &[
    "bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp",
    "chuyển đổi số",
    "xây dựng Chính quyền điện tử",
    "bảo đảm an toàn thông tin mạng",
    "dịch vụ công trực tuyến mức độ 3, 4",
    "phòng, chống dịch COVID-19",
    "cải cách hành chính",
    "bưu chính công ích",
    "sử dụng chữ ký số trong cơ quan nhà nước",
    "Ngày Sách và Văn hóa đọc Việt Nam",
    "xây dựng nông thôn mới",
    "phát triển hạ tầng viễn thông thụ động",
    "hệ thống thông tin cơ sở",
    "quản lý báo chí, xuất bản",
    "mừng Tết Chôl Chnam Thmây của đồng bào Khmer",
    "phòng, chống tai nạn thương tích cho trẻ em",
];
const PLACES: &[&str] = &[
    "trên địa bàn tỉnh",
    "năm 2021",
    "quý II năm 2021",
    "tại các xã, phường, thị trấn",
    "giai đoạn 2021-2025",
    "trong cơ quan nhà nước",
];
const SIGNERS: &[&str] = &[
    "Nguyễn Ngọc Thành",
    "Trần Minh Khoa",
    "Lê Thanh Bình",
    "Kim Ngọc Thái",
    "Thạch Thị Sa Ri",
];
const QUESTIONS: [&str; 20] = [
    "bau cu",
    "chuyen doi so",
    "dien tu",
    "an toan thong tin",
    "\"dich vu cong truc tuyen\"",
    "chu ky so",
    "COVID-19",
    "cai cach hanh chinh",
    "nong thon moi",
    "ha tang vien thong",
    "Chôl Chnam Thmây",
    "báo chí xuất bản",
    "Nguyễn Ngọc Thành",
    "kế hoạch năm 2021",
    "bưu chính công ích",
    "thông tin cơ sở",
    "\"Ngày Sách\"",
    "tai nạn thương tích trẻ em",
    "Sa Ri giai đoạn 2021-2025",
    "không có trong sổ nào",
];

/// Loads `count` documents in transactions of 2 000, numbered per agency,
/// direction and year as the registers number them, after the numbers
/// the demo's registers already gave.
async fn load(app: &App, count: u64, agencies: &[(i64, String, String)]) -> anyhow::Result<f64> {
    let mut noise = Noise(0x2021_0430);
    let mut last: HashMap<Series, u32> = HashMap::new();
    let progress = bar(count, "Nạp sổ văn bản");
    let started = Instant::now();
    let now = app.now();
    let mut loaded = 0;
    while loaded < count {
        let batch = (count - loaded).min(2_000);
        let mut rows = Vec::with_capacity(usize::try_from(batch).unwrap_or(0));
        let registers = app.store.read().await?;
        for _ in 0..batch {
            let (agency_id, name, short) = noise.pick(agencies).clone();
            let day =
                date!(2020 - 01 - 01) + Days::days(i64::try_from(noise.next() % 731).unwrap_or(0));
            let direction = if noise.next() % 100 < 85 {
                Direction::Outgoing
            } else {
                Direction::Incoming
            };
            let series = Series::of(agency_id, direction, Confidentiality::Normal, day);
            let number = match last.entry(series) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(registers.last_number(series).await?),
            };
            *number += 1;
            let kind = noise.pick(vn::doctypes::ADMINISTRATIVE);
            let summary = format!(
                "{} {} {}",
                noise.pick(SUBJECTS),
                noise.pick(TOPICS),
                noise.pick(PLACES)
            );
            let signer = (*noise.pick(SIGNERS)).to_owned();
            let symbol = match direction {
                Direction::Outgoing => {
                    format!("{:02}/{}-{short}", *number, kind.abbr.unwrap_or("CV"))
                }
                Direction::Incoming => format!(
                    "{}/{}-UBND",
                    noise.next() % 2000 + 1,
                    kind.abbr.unwrap_or("CV")
                ),
            };
            let words = index_text([symbol.as_str(), kind.name, &summary, &name, &signer]);
            let document = Document {
                id: 0,
                agency_id,
                direction,
                number: *number,
                year: day.year(),
                symbol,
                doc_type: kind.name.to_owned(),
                summary,
                issued_on: day,
                registered_on: day,
                issuer: name,
                signer: Some(signer),
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
                exchange_id: None,
            };
            rows.push((document, series, words));
        }
        drop(registers);
        let tx = app.store.write().await?;
        tx.bulk_load_documents(&rows, now).await?;
        tx.commit().await?;
        loaded += batch;
        progress.set_position(loaded);
    }
    let tx = app.store.write().await?;
    for (series, number) in &last {
        tx.raise_series(*series, *number).await?;
    }
    tx.commit().await?;
    progress.finish();
    #[allow(clippy::cast_precision_loss)] // Counts stay far below 2^52.
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

/// Runs `work` on `tasks` concurrent tasks for `seconds`; returns how many
/// times it ran per second.
async fn rate<F, Fut>(tasks: usize, seconds: u64, work: F) -> anyhow::Result<f64>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let work = Arc::new(work);
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..tasks as u64)
        .map(|t| {
            let work = work.clone();
            tokio::spawn(async move {
                let mut done = 0u64;
                while Instant::now() < until {
                    work(t * 1_000_000_000 + done).await?;
                    done += 1;
                }
                anyhow::Ok(done)
            })
        })
        .collect();
    let mut total = 0;
    for worker in workers {
        total += worker.await??;
    }
    #[allow(clippy::cast_precision_loss)] // Counts stay far below 2^52.
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

pub async fn run(args: &DocumentsArgs) -> anyhow::Result<()> {
    let fresh = fresh_app(args.database_url.clone(), |_| {}).await?;
    let app = &fresh.app;
    let ctx = Ctx::system("bench");
    let all = app.all_agencies().await?;
    let agencies: Vec<(i64, String, String)> = all
        .iter()
        .filter(|a| a.kind != AgencyKind::Unit)
        .map(|a| (a.id, a.name.clone(), a.short_name.clone()))
        .collect();
    println!(
        "egov bench documents: {} văn bản, {} cơ quan, CSDL {:?}, {} lõi CPU",
        vn::numbers::format_count(args.count),
        agencies.len(),
        app.store.backend(),
        cores()
    );
    let loaded = load(app, args.count, &agencies).await?;
    println!("Nạp hàng loạt: {loaded:.0} văn bản/giây");

    registration(app, args, &agencies).await?;
    search(app, &ctx).await?;
    pages(app, &ctx, &agencies).await?;
    Ok(())
}

/// Registrations per second through the use case, against bare inserts.
async fn registration(
    app: &App,
    args: &DocumentsArgs,
    agencies: &[(i64, String, String)],
) -> anyhow::Result<()> {
    // The machine's limit: bare inserts of the same row, same concurrency.
    let agency = agencies
        .iter()
        .find(|(_, _, short)| short == "STTTT")
        .map(|(id, _, _)| *id)
        .context("không có Sở TT&TT trong dữ liệu mẫu")?;
    let issuer_agency = app.agency(agency).await?;
    let kind = domain::documents::doc_type("Thông báo")?;
    let bare = {
        let app = app.clone();
        let issuer_agency = issuer_agency.clone();
        rate(args.clerks, args.seconds, move |n| {
            let app = app.clone();
            let day = date!(2099 - 01 - 01);
            let series = Series::of(
                issuer_agency.id,
                Direction::Outgoing,
                Confidentiality::Normal,
                day,
            );
            let number = u32::try_from(n % u64::from(u32::MAX)).unwrap_or(0) + 1;
            let document = Document {
                id: 0,
                agency_id: issuer_agency.id,
                direction: Direction::Outgoing,
                number,
                year: 2099,
                symbol: outgoing_symbol(number, kind, &issuer_agency, None)
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                doc_type: kind.name.to_owned(),
                summary: "Thông báo đo tốc độ ghi của cơ sở dữ liệu".into(),
                issued_on: day,
                registered_on: day,
                issuer: issuer_agency.name.clone(),
                signer: None,
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
                exchange_id: None,
            };
            async move {
                app.store
                    .bench_bare_insert(&document, series, app.now())
                    .await?;
                Ok(())
            }
        })
        .await?
    };
    let registered = {
        let app = app.clone();
        rate(args.clerks, args.seconds, move |_| {
            let app = app.clone();
            async move {
                let new = NewOutgoing {
                    agency_id: agency,
                    doc_type: "Thông báo".into(),
                    summary: "Thông báo lịch làm việc của lãnh đạo Sở tuần này".into(),
                    drafting_unit_id: None,
                    signer: Some("Nguyễn Ngọc Thành".into()),
                    urgency: Urgency::Normal,
                    confidentiality: Confidentiality::Normal,
                    field: None,
                };
                app.issue_outgoing(&Ctx::system("bench"), new).await?;
                Ok(())
            }
        })
        .await?
    };
    println!(
        "Vào sổ (cấp số, chỉ mục, nhật ký): {registered:.0} văn bản/giây; ghi trần của CSDL: {bare:.0} dòng/giây; tỷ lệ {:.3}",
        registered / bare
    );

    Ok(())
}

/// Search latency for the 20 questions, against a lookup by key.
async fn search(app: &App, ctx: &Ctx) -> anyhow::Result<()> {
    // Search, as the province's administrator (sees every register).
    let mut point = Vec::new();
    for id in 1..=200 {
        let started = Instant::now();
        let _ = app.document(ctx, id).await;
        point.push(started.elapsed());
    }
    let mut search = Vec::new();
    let mut hits = Vec::new();
    for _round in 0..5 {
        for question in QUESTIONS {
            let filter = DocumentFilter {
                terms: Terms::parse(question),
                ..DocumentFilter::default()
            };
            let started = Instant::now();
            let found = app.search_documents(ctx, &filter, (0, 20)).await?;
            search.push(started.elapsed());
            hits.push(found.total);
        }
    }
    let point_p50 = percentile(&mut point, 500);
    let (p50, p95) = (percentile(&mut search, 500), percentile(&mut search, 950));
    println!(
        "Tìm kiếm (20 câu hỏi × 5, trang 20 kết quả và tổng số): p50 {:.1} ms, p95 {:.1} ms; đọc một văn bản theo khóa: p50 {:.2} ms; tỷ lệ p50 {:.0}×",
        millis(p50),
        millis(p95),
        millis(point_p50),
        p50.as_secs_f64() / point_p50.as_secs_f64().max(1e-9)
    );
    println!(
        "  số kết quả: {}",
        hits.iter()
            .take(QUESTIONS.len())
            .map(|h| vn::numbers::format_count(*h))
            .collect::<Vec<_>>()
            .join(", ")
    );

    Ok(())
}

/// The latency of a register page.
async fn pages(app: &App, ctx: &Ctx, agencies: &[(i64, String, String)]) -> anyhow::Result<()> {
    // A register page: the first page and a deep one, for busy agencies.
    let mut first = Vec::new();
    let mut deep = Vec::new();
    for (agency, _, _) in agencies.iter().take(20) {
        for (offset, into) in [(0, &mut first), (2_000, &mut deep)] {
            let started = Instant::now();
            app.register_page(
                ctx,
                *agency,
                Direction::Outgoing,
                (date!(2021 - 01 - 01), date!(2021 - 12 - 31)),
                (offset, 50),
            )
            .await?;
            into.push(started.elapsed());
        }
    }
    println!(
        "Trang sổ (50 dòng và tổng số): trang đầu p50 {:.1} ms, p95 {:.1} ms; trang thứ 41 p50 {:.1} ms, p95 {:.1} ms",
        millis(percentile(&mut first, 500)),
        millis(percentile(&mut first, 950)),
        millis(percentile(&mut deep, 500)),
        millis(percentile(&mut deep, 950)),
    );
    Ok(())
}
