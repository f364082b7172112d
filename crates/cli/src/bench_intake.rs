//! `egov bench services`, the intake half: online submissions per second,
//! each with its own 100 KB attachment, through the real use case (the
//! whole check, the blob store, the dossier code in the write
//! transaction, the step, the confirmation notice, the audit entry), by
//! concurrent citizens, beside the machine's limit measured in the same
//! run: writing the same 100 KB files to the same disk (write to a
//! temporary name, then rename, as the blob store does) at the same
//! concurrency.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use app::App;
use app::services::{OnlineSubmission, UploadedFile};
use domain::services::{Applicant, ApplicantKind, Level};

use crate::bench_kit::{Measured, millis};

/// The attachment's size.
pub const ATTACHMENT: usize = 100 * 1024;

/// A distinct 100 KB PDF for submission `n` (distinct, so the blob store
/// writes each rather than finding it stored).
fn attachment(n: u64) -> bytes::Bytes {
    let mut pdf = format!("%PDF-1.7\n% egov bench {n}\n").into_bytes();
    pdf.resize(ATTACHMENT - 16, b' ');
    pdf.extend_from_slice(format!("\n{n:>14}\n").as_bytes());
    pdf.into()
}

/// Runs `work(n)` from `concurrency` tasks for `seconds`, with distinct
/// `n`, and measures it.
async fn run<F, Fut>(seconds: u64, concurrency: usize, work: F) -> anyhow::Result<Measured>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let work = Arc::new(work);
    let next = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (work, next) = (work.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < end {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let began = Instant::now();
                work(n).await?;
                latencies.push(began.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    Ok(Measured {
        count: latencies.len() as u64,
        elapsed: start.elapsed(),
        latencies,
    })
}

/// What the intake half measured.
pub struct Intake {
    pub submissions: Measured,
    pub writes: Measured,
}

/// Measures online submissions against raw writes of the same files.
pub async fn measure(app: &App, seconds: u64, concurrency: usize) -> anyhow::Result<Intake> {
    let procedure = app
        .find_procedures("", None, None)
        .await?
        .into_iter()
        .find(|p| p.level == Level::Complete)
        .context("danh mục mẫu không có thủ tục mức độ 4")?;
    let folder = tempfile::tempdir_in(&app.config.data_dir).context("thư mục tạm")?;
    let dir = folder.path().to_owned();
    let writes = run(seconds, concurrency, move |n| {
        let dir = dir.clone();
        async move {
            let partial = dir.join(format!("{n}.part"));
            tokio::fs::write(&partial, attachment(n)).await?;
            tokio::fs::rename(&partial, dir.join(n.to_string())).await?;
            Ok(())
        }
    })
    .await?;
    let app = app.clone();
    let submissions = run(seconds, concurrency, move |n| {
        let app = app.clone();
        async move {
            app.submit_online(OnlineSubmission {
                procedure_id: procedure.id,
                applicant: Applicant {
                    name: format!("Người Nộp Thử {n}"),
                    kind: ApplicantKind::Citizen,
                    phone: Some("0912345678".into()),
                    email: Some(format!("nguoinop{n}@example.vn")),
                    address: None,
                },
                files: vec![UploadedFile {
                    paper: "Tờ khai".into(),
                    name: "to-khai.pdf".into(),
                    bytes: attachment(n),
                }],
            })
            .await?;
            Ok(())
        }
    })
    .await?;
    Ok(Intake {
        submissions,
        writes,
    })
}

/// Prints the intake half as Markdown rows.
pub fn print(mut intake: Intake, concurrency: usize) {
    let ratio = intake.submissions.per_second() / intake.writes.per_second();
    println!("| phép đo | mỗi giây | p50 | p99 | ÷ ghi tệp |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (what, m, r) in [
        (
            format!("ghi tệp 100 KB thô ({concurrency} luồng)"),
            &mut intake.writes,
            1.0,
        ),
        (
            format!("nộp hồ sơ trực tuyến kèm tệp 100 KB ({concurrency} người nộp)"),
            &mut intake.submissions,
            ratio,
        ),
    ] {
        let (p50, p99) = (m.percentile(500), m.percentile(990));
        println!(
            "| {what} | {:.0} | {:.2} ms | {:.2} ms | {r:.3} |",
            m.per_second(),
            millis(p50),
            millis(p99)
        );
    }
}
