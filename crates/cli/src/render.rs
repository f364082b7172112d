//! `egov render ...`: the sample document in DOCX or PDF; and the rendering
//! benchmark behind `egov bench render` (pages per second of a 20-page
//! report).
//!
//! Invariant: no layout here; this only calls the `render` crate (written
//! `::render` because this module has the same name) and writes files.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;

#[derive(Debug, clap::Subcommand)]
pub enum RenderCommand {
    /// Ghi văn bản mẫu (báo cáo đủ mọi thành phần, có đoạn tiếng Khmer).
    Sample {
        /// Định dạng: docx hoặc pdf.
        #[arg(long, value_enum)]
        format: Format,
        /// Tệp kết quả.
        #[arg(short, long)]
        output: PathBuf,
        /// Thư mục phông chữ (lặp lại được); mặc định là thư mục của Debian.
        #[arg(long = "font-dir")]
        font_dirs: Vec<PathBuf>,
    },
}

/// The given font folders, or Debian's when none are given.
pub fn fonts(dirs: &[PathBuf]) -> anyhow::Result<::render::Fonts> {
    Ok(if dirs.is_empty() {
        ::render::Fonts::system()?
    } else {
        ::render::Fonts::load(dirs)?
    })
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Docx,
    Pdf,
}

pub fn run(command: &RenderCommand) -> anyhow::Result<()> {
    match command {
        RenderCommand::Sample {
            format,
            output,
            font_dirs,
        } => {
            let fonts = fonts(font_dirs)?;
            let doc = ::render::sample::document();
            let bytes = match format {
                Format::Pdf => ::render::pdf::render(&doc, &fonts)?.bytes,
                Format::Docx => ::render::docx::render(&doc, &fonts)?,
            };
            std::fs::write(output, bytes)
                .with_context(|| format!("không ghi được {}", output.display()))?;
            println!("Đã ghi {}", output.display());
            Ok(())
        }
    }
}

/// The report's length in pages.
const PAGES: usize = 20;

/// Pages per second for the 20-page report, to PDF then to DOCX, each for
/// about `budget`. The DOCX has no page count of its own (Word paginates on
/// opening), so its rate counts the PDF's pages of the same report.
pub fn bench(budget: Duration, fonts: &::render::Fonts) -> anyhow::Result<()> {
    let (doc, pages) = report_of(PAGES, fonts)?;
    let pdf = rate(budget, pages, || {
        Ok(::render::pdf::render(&doc, fonts)?.bytes.len())
    })?;
    let docx = rate(budget, pages, || {
        Ok(::render::docx::render(&doc, fonts)?.len())
    })?;
    println!("Báo cáo {pages} trang:");
    println!("  PDF : {pdf:.1} trang/giây");
    println!("  DOCX: {docx:.1} trang/giây");
    Ok(())
}

/// The sample body repeated until the PDF has at least `pages` pages: an
/// estimate from ten sections, then one more section at a time.
fn report_of(pages: usize, fonts: &::render::Fonts) -> anyhow::Result<(::render::Document, usize)> {
    let per_ten = ::render::pdf::render(&::render::sample::long_report(10), fonts)?
        .pages
        .max(1);
    let mut sections = (pages * 10 / per_ten).max(1);
    loop {
        let doc = ::render::sample::long_report(sections);
        let got = ::render::pdf::render(&doc, fonts)?.pages;
        if got >= pages {
            return Ok((doc, got));
        }
        sections += 1;
    }
}

fn rate(
    budget: Duration,
    pages: usize,
    mut once: impl FnMut() -> anyhow::Result<usize>,
) -> anyhow::Result<f64> {
    let start = Instant::now();
    let mut runs = 0_u32;
    while runs == 0 || start.elapsed() < budget {
        std::hint::black_box(once()?);
        runs += 1;
    }
    #[allow(clippy::cast_precision_loss)]
    let total = pages as f64 * f64::from(runs);
    Ok(total / start.elapsed().as_secs_f64())
}
