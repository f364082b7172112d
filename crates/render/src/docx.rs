//! DOCX output (docx-rs): the same document with real Word styles, so that
//! staff can finish it by hand in Word or LibreOffice.
//!
//! Invariant: measures come from `layout` only; the font is named "Times New
//! Roman" (what the decree names and what Word users have; LibreOffice maps
//! it to the metric-compatible Liberation Serif) with Khmer as the
//! complex-script font; page numbers are in the default header and the first
//! page has its own empty header (title page), so numbers start on page 2.

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footnote, Header, IndentLevel, Level, LevelJc,
    LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, PageMargin, PageNum,
    PageOrientationType, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Start, Style, StyleType,
    Table, TableCell, TableRow, WidthType,
};

use crate::Error;
use crate::chart::BarChart;
use crate::fonts::Fonts;
use crate::layout as l;
use crate::model::{
    self, Block, Document, HeadingLevel, Inline, Kind, Orientation, Signature, Signer,
};
use crate::numbering::Numberer;
use crate::raster::{self, Png};

/// The font name written into the file.
pub const DOCX_FONT: &str = "Times New Roman";
// docx-rs writes a default numbering with id 1 (decimal); ours must differ.
const BULLETS: usize = 2;

/// Half-points, the unit of DOCX font sizes.
fn half_points(pt: f64) -> usize {
    // Sizes are small positive constants.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let h = (pt * 2.0).round() as usize;
    h
}

fn twips_pt(pt: f64) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let t = (pt * 20.0).round() as u32;
    t
}

fn indent_twips() -> i32 {
    l::mm_to_twips(l::INDENT_CM * 10.0)
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(DOCX_FONT)
        .hi_ansi(DOCX_FONT)
        .east_asia(DOCX_FONT)
        .cs(l::KHMER_FAMILY)
}

/// Renders a document to DOCX bytes. `fonts` serves the chart rasteriser.
pub fn render(doc: &Document, fonts_: &Fonts) -> Result<Vec<u8>, Error> {
    let (page_width, page_height) = l::page_mm(doc.orientation);
    // Word wants both: the sizes as the page lies, and the orientation.
    let orient = match doc.orientation {
        Orientation::Portrait => PageOrientationType::Portrait,
        Orientation::Landscape => PageOrientationType::Landscape,
    };
    let width = text_width(doc.orientation);
    let mut docx = Docx::new()
        .page_size(twips(page_width), twips(page_height))
        .page_orient(orient)
        .page_margin(
            PageMargin::new()
                .top(l::mm_to_twips(l::MARGIN_TOP_MM))
                .bottom(l::mm_to_twips(l::MARGIN_BOTTOM_MM))
                .left(l::mm_to_twips(l::MARGIN_LEFT_MM))
                .right(l::mm_to_twips(l::MARGIN_RIGHT_MM))
                .header(l::mm_to_twips(10.0))
                .footer(l::mm_to_twips(10.0)),
        )
        .default_fonts(fonts())
        .default_size(half_points(l::BODY_PT))
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new())
                    .size(half_points(l::HEADER_PT)),
            ),
        )
        .first_header(Header::new().add_paragraph(Paragraph::new()))
        .title_pg();
    docx = styles(docx);
    docx = header_block(docx, doc, width);
    if !doc.addressees.is_empty() {
        let text = if doc.addressees.len() == 1 {
            format!("Kính gửi: {}", doc.addressees[0])
        } else {
            format!("Kính gửi: {}", doc.addressees.join("; "))
        };
        docx = docx
            .add_paragraph(centered(vec![Run::new().add_text(text)]).line_spacing(space(6.0, 6.0)));
    }
    let mut numbers = Numberer::default();
    for block in &doc.body {
        docx = match block {
            Block::Heading { level, text } => {
                let style = match level {
                    HeadingLevel::Roman => "Heading1",
                    HeadingLevel::Arabic => "Heading2",
                    HeadingLevel::Letter => "Heading3",
                };
                docx.add_paragraph(
                    Paragraph::new()
                        .style(style)
                        .add_run(Run::new().add_text(format!("{} {text}", numbers.next(*level)))),
                )
            }
            Block::Paragraph(runs) => {
                docx.add_paragraph(inlines(Paragraph::new().style("BodyText"), runs))
            }
            Block::Khmer(text) => docx.add_paragraph(
                Paragraph::new()
                    .style("BodyText")
                    .add_run(Run::new().add_text(text)),
            ),
            Block::Bullets(items) => items.iter().fold(docx, |d, item| {
                d.add_paragraph(inlines(
                    Paragraph::new()
                        .style("ListBullet")
                        .numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
                    item,
                ))
            }),
            Block::Table(table) => docx.add_table(data_table(table, width)),
            Block::Chart(c) => docx.add_paragraph(chart_paragraph(c, fonts_, width)?),
        };
    }
    docx = docx.add_table(closing(doc, width));
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| Error::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

fn space(before_pt: f64, after_pt: f64) -> LineSpacing {
    LineSpacing::new()
        .before(twips_pt(before_pt))
        .after(twips_pt(after_pt))
}

fn styles(docx: Docx) -> Docx {
    let body = Style::new("BodyText", StyleType::Paragraph)
        .name("Body Text")
        .fonts(fonts())
        .size(half_points(l::BODY_PT))
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(indent_twips())),
            None,
            None,
        )
        .line_spacing(space(0.0, l::PARAGRAPH_SPACING_PT));
    let heading = |id: &str, name: &str, level: usize| {
        let s = Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("BodyText")
            .next("BodyText")
            .bold()
            .size(half_points(l::BODY_PT))
            .outline_lvl(level)
            .line_spacing(space(l::PARAGRAPH_SPACING_PT, l::PARAGRAPH_SPACING_PT));
        if level == 2 { s.italic() } else { s }
    };
    let list = Style::new("ListBullet", StyleType::Paragraph)
        .name("List Bullet")
        .based_on("BodyText")
        .indent(
            Some(indent_twips() + 280),
            Some(SpecialIndentType::Hanging(280)),
            None,
            None,
        );
    docx.add_style(body)
        .add_style(heading("Heading1", "heading 1", 0))
        .add_style(heading("Heading2", "heading 2", 1))
        .add_style(heading("Heading3", "heading 3", 2))
        .add_style(list)
        .add_abstract_numbering(AbstractNumbering::new(BULLETS).add_level(Level::new(
            0,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new("-"),
            LevelJc::new("left"),
        )))
        .add_numbering(Numbering::new(BULLETS, BULLETS))
}

fn centered(runs: Vec<Run>) -> Paragraph {
    runs.into_iter().fold(
        Paragraph::new().align(AlignmentType::Center),
        Paragraph::add_run,
    )
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs.into_iter().fold(
        TableCell::new().width(width, WidthType::Dxa),
        TableCell::add_paragraph,
    )
}

/// A page length in twips (lengths here are positive: the conversion holds).
fn twips(mm: f64) -> u32 {
    u32::try_from(l::mm_to_twips(mm)).unwrap_or_default()
}

/// Usable width of the page in twips.
fn text_width(orientation: Orientation) -> usize {
    usize::try_from(twips(l::text_width_mm(orientation))).unwrap_or_default()
}

fn header_block(docx: Docx, doc: &Document, width: usize) -> Docx {
    let (w1, w2) = (width * 2 / 5, width * 3 / 5);
    let hp = half_points(l::HEADER_PT);
    let mut left = Vec::new();
    if let Some(parent) = &doc.agency.parent {
        left.push(centered(vec![
            Run::new().add_text(parent.to_uppercase()).size(hp),
        ]));
    }
    left.push(centered(vec![
        Run::new()
            .add_text(doc.agency.issuer.to_uppercase())
            .bold()
            .underline("single")
            .size(hp),
    ]));
    let right = vec![
        centered(vec![
            Run::new()
                .add_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
                .bold()
                .size(half_points(l::TITLE_PT)),
        ]),
        centered(vec![
            Run::new()
                .add_text("Độc lập - Tự do - Hạnh phúc")
                .bold()
                .underline("single")
                .size(half_points(l::MOTTO_PT)),
        ]),
    ];
    let mut number = vec![centered(vec![
        Run::new().add_text(format!("Số: {}", doc.number)).size(hp),
    ])];
    if let Kind::CongVan { summary } = &doc.kind {
        number.push(centered(vec![
            Run::new()
                .add_text(format!("V/v {summary}"))
                .size(half_points(l::SMALL_PT)),
        ]));
    }
    let date = vec![centered(vec![
        Run::new()
            .add_text(vn::dates::place_date_header(&doc.place, doc.date))
            .italic()
            .size(hp),
    ])];
    let table = Table::without_borders(vec![
        TableRow::new(vec![cell(left, w1), cell(right, w2)]),
        TableRow::new(vec![cell(number, w1), cell(date, w2)]),
    ])
    .set_grid(vec![w1, w2]);
    let mut docx = docx.add_table(table);
    if let Kind::Named { name, summary } = &doc.kind {
        docx = docx
            .add_paragraph(
                centered(vec![Run::new().add_text(name.to_uppercase()).bold()])
                    .line_spacing(space(12.0, 0.0)),
            )
            .add_paragraph(
                centered(vec![Run::new().add_text(summary).bold()]).line_spacing(space(0.0, 6.0)),
            );
    }
    docx
}

fn inlines(mut p: Paragraph, runs: &[Inline]) -> Paragraph {
    for run in runs {
        p = p.add_run(match run {
            Inline::Text { text, bold, italic } => {
                let mut r = Run::new().add_text(text);
                if *bold {
                    r = r.bold();
                }
                if *italic {
                    r = r.italic();
                }
                r
            }
            Inline::Footnote(text) => {
                let note = Footnote::new().add_content(
                    Paragraph::new()
                        .add_run(Run::new().add_text(text).size(half_points(l::SMALL_PT))),
                );
                Run::new().add_footnote_reference(note)
            }
        });
    }
    p
}

fn data_table(table: &model::Table, width: usize) -> Table {
    let total: usize = table
        .widths
        .iter()
        .map(|w| usize::from(*w))
        .sum::<usize>()
        .max(1);
    let widths: Vec<usize> = table
        .widths
        .iter()
        .map(|w| width * usize::from(*w) / total)
        .collect();
    let sp = half_points(l::SMALL_PT);
    let row = |cells: &[String], header: bool| {
        TableRow::new(
            cells
                .iter()
                .zip(&widths)
                .map(|(text, w)| {
                    let run = Run::new().add_text(text).size(sp);
                    let p = if header {
                        centered(vec![run.bold()])
                    } else {
                        Paragraph::new().add_run(run)
                    };
                    cell(vec![p], *w)
                })
                .collect(),
        )
    };
    let mut rows = vec![row(&table.header, true)];
    rows.extend(table.rows.iter().map(|r| row(r, false)));
    Table::new(rows).set_grid(widths.clone())
}

/// The chart rasterised at 2× for print; the SVG's text uses the loaded serif.
fn chart_paragraph(c: &BarChart, fonts: &Fonts, width: usize) -> Result<Paragraph, Error> {
    let Png {
        bytes: png,
        width: w,
        height: h,
    } = raster::png(
        &c.to_svg(),
        fonts.svg_db.clone(),
        2.0,
        Some(resvg::tiny_skia::Color::WHITE),
    )
    .map_err(Error::Chart)?;
    // 85% of the text width, like the PDF; EMU = 635 per twip.
    let width_emu = u32::try_from(width * 635 * 85 / 100).unwrap_or(5_000_000);
    let height_emu =
        u32::try_from(u64::from(width_emu) * u64::from(h) / u64::from(w)).unwrap_or(2_500_000);
    Ok(centered(vec![Run::new().add_image(
        Pic::new_with_dimensions(png, w, h).size(width_emu, height_emu),
    )]))
}

fn signer_cell(signer: &Signer, width: usize) -> TableCell {
    let hp = half_points(l::HEADER_PT);
    let mut ps = Vec::new();
    if let Some(a) = &signer.authority {
        ps.push(centered(vec![
            Run::new().add_text(a.to_uppercase()).bold().size(hp),
        ]));
    }
    ps.push(centered(vec![
        Run::new()
            .add_text(signer.position.to_uppercase())
            .bold()
            .size(hp),
    ]));
    // The reserved space for the signature and the seal, as space before the name.
    ps.push(
        centered(vec![Run::new().add_text(&signer.name).bold()])
            .line_spacing(space(l::mm_to_pt(l::SIGNATURE_HEIGHT_MM), 0.0)),
    );
    cell(ps, width)
}

fn closing(doc: &Document, width: usize) -> Table {
    let half = width / 2;
    let left = match &doc.signature {
        Signature::Two { left, .. } => signer_cell(left, half),
        Signature::One(_) => {
            let mut ps = vec![
                Paragraph::new().add_run(
                    Run::new()
                        .add_text("Nơi nhận:")
                        .bold()
                        .italic()
                        .size(half_points(l::RECIPIENTS_TITLE_PT)),
                ),
            ];
            let rp = half_points(l::RECIPIENTS_PT);
            ps.extend(doc.recipients.iter().map(|r| {
                Paragraph::new().add_run(Run::new().add_text(format!("- {r};")).size(rp))
            }));
            ps.push(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text(format!("- Lưu: VT, {}.", doc.archive_unit))
                        .size(rp),
                ),
            );
            cell(ps, half)
        }
    };
    let right = match &doc.signature {
        Signature::One(s) | Signature::Two { right: s, .. } => signer_cell(s, half),
    };
    Table::without_borders(vec![TableRow::new(vec![left, right])]).set_grid(vec![half, half])
}
