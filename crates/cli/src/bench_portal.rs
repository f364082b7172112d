//! `egov bench portal`: the news portal under a burst of readers, beside
//! the machine's limit measured in the same run.
//!
//! Three loads from a load generator on loopback against the real router
//! of the same process: `/healthz` (the limit: HTTP, routing, one trivial
//! query), an article page of the main portal (answered by egov's page
//! cache after its first rendering, each reading still counted), and the
//! search page over a rotation of real queries taken from the demo's
//! titles, with and without diacritics (never cached: every answer is a
//! full-text query and a rendering). Reports requests per second, p50
//! and p99 latency, and each as a ratio to `/healthz`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use domain::portal::Language;

use crate::bench_kit::{
    Load, Measured, Shot, cores, fetch, fresh_app, measure, millis, serve_on_loopback,
};

#[derive(Debug, clap::Args)]
pub struct PortalArgs {
    /// Thời gian đo mỗi phép thử (giây).
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Số kết nối đồng thời (số bạn đọc cùng lúc).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Cơ sở dữ liệu để đo (mặc định: một tệp SQLite tạm). Dữ liệu mẫu sẽ được nạp vào đó.
    #[arg(long)]
    database_url: Option<String>,
}

/// Whether an answer is a portal page with its document.
fn is_page(body: &[u8]) -> bool {
    body.starts_with(b"<!doctype html>") && body.trim_ascii_end().ends_with(b"</html>")
}

/// Whether a search page found something: the lists' items are `<li lang=`.
fn found_some(body: &[u8]) -> bool {
    is_page(body) && body.windows(8).any(|w| w == b"<li lang")
}

/// Two-word queries from the titles, written as typed (with diacritics)
/// and without them: real questions with answers, all different.
fn queries(titles: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for title in titles {
        let words: Vec<&str> = title.split_whitespace().collect();
        for pair in words.windows(2).step_by(3) {
            let q = pair.join(" ");
            out.push(vn::text::fold(&q));
            out.push(q);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn search_shot(q: &str) -> Shot {
    let query = serde_urlencoded::to_string([("q", q)]).unwrap_or_default();
    Shot::get(format!("/tim-kiem?{query}"))
}

fn report(name: &str, m: &mut Measured, limit: f64) {
    let (p50, p99) = (m.percentile(500), m.percentile(990));
    println!(
        "{name:<40} {:>9.0} yêu cầu/giây   p50 {:>7.2} ms   p99 {:>7.2} ms   tỷ lệ so với /healthz {:.3}",
        m.per_second(),
        millis(p50),
        millis(p99),
        m.per_second() / limit
    );
}

pub async fn run(args: &PortalArgs) -> anyhow::Result<()> {
    let fresh = fresh_app(args.database_url.clone(), |_| {}).await?;
    let app = &fresh.app;
    let main = app
        .sites()
        .await?
        .into_iter()
        .find(|s| s.main)
        .context("dữ liệu mẫu không có cổng thông tin tỉnh")?;
    let articles = app.public_articles(main.id, None, None, 1).await?.items;
    let article = articles
        .iter()
        .find(|a| a.language == Language::Vi)
        .context("cổng thông tin tỉnh chưa có tin bài tiếng Việt")?;
    let titles: Vec<String> = articles
        .iter()
        .filter(|a| a.language == Language::Vi)
        .map(|a| a.title.clone())
        .collect();
    let address = serve_on_loopback(app).await?;

    let healthz = Arc::new(Load::one(Shot::get("/healthz")));
    let page = Shot::get(format!("/site/{}/bai-viet/{}", main.slug, article.id));
    let page = Arc::new(Load {
        shots: vec![page],
        judge: is_page,
    });
    let search = Arc::new(Load {
        shots: queries(&titles).iter().map(|q| search_shot(q)).collect(),
        judge: found_some,
    });
    // Every query must find its article before it is timed.
    for shot in &search.shots {
        fetch(address, shot, found_some).await?;
    }

    println!(
        "egov bench portal: {} kết nối, {} giây mỗi phép thử, CSDL {:?}, {} lõi CPU, {} câu tìm kiếm khác nhau",
        args.connections,
        args.seconds,
        app.store.backend(),
        cores(),
        search.shots.len()
    );
    let (connections, seconds) = (args.connections, Duration::from_secs(args.seconds));
    // Warm up connections and the page cache before measuring.
    measure(address, &healthz, connections, Duration::from_secs(1)).await?;
    measure(address, &page, connections, Duration::from_secs(1)).await?;
    let mut limit = measure(address, &healthz, connections, seconds).await?;
    let mut cached = measure(address, &page, connections, seconds).await?;
    let mut searched = measure(address, &search, connections, seconds).await?;
    let limit_rps = limit.per_second();
    report("GET /healthz (giới hạn của máy)", &mut limit, limit_rps);
    report("GET bài viết (trang đã lưu đệm)", &mut cached, limit_rps);
    report("GET /tim-kiem (không lưu đệm)", &mut searched, limit_rps);
    let views: u64 = app
        .article_views(article.id)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    println!(
        "Lượt xem bài đã ghi: {views} (mỗi yêu cầu trang bài viết được đếm, kể cả khi trả từ bộ đệm)"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_come_with_and_without_diacritics() {
        let q = queries(&["Khánh thành Trung tâm điều hành thông minh".into()]);
        assert!(q.contains(&"Khánh thành".to_owned()));
        assert!(q.contains(&"khanh thanh".to_owned()));
        assert!(q.contains(&"tâm điều".to_owned()));
        assert!(q.contains(&"thong minh".to_owned()));
        assert!(
            !q.contains(&"thành Trung".to_owned()),
            "every third pair only"
        );
        assert_eq!(q.len(), 6);
    }

    #[test]
    fn a_search_page_without_results_is_refused() {
        assert!(found_some(b"<!doctype html><li lang=\"vi\"></html>"));
        assert!(!found_some(b"<!doctype html><p>0</p></html>\n"));
        assert!(!found_some(b"{\"error\":1}"));
    }
}
