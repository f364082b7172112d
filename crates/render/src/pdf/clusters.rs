//! One text per cluster: before the PDF is written, each glyph cluster's
//! text is left on the glyphs that span the cluster's width, and taken off
//! the rest, so text extraction gets every character once and in place.
//!
//! Why: Typst hands krilla (its PDF writer) each glyph with the byte range of
//! its whole cluster, and krilla maps the first glyph of a run of equal
//! ranges to the cluster's text in the font's ToUnicode table and wraps the
//! run in `/ActualText`. A Khmer consonant with its vowel or subscript is one
//! cluster of two or three glyphs, and two things then break pdftotext:
//!
//! - Typst cuts a line into separate text items wherever the vertical offset
//!   of its glyphs changes, and Khmer vowel marks above the base are raised,
//!   so a base and its vowel (វ + ិ) land in two items. krilla sees each item
//!   on its own and maps the first glyph of each to the whole cluster:
//!   pdftotext reads វិវិ.
//! - poppler places an `/ActualText` span from the first glyph's origin to
//!   the end of the last glyph's advance. A vowel mark drawn back over its
//!   base ends before the base does, so the span is narrower than the
//!   cluster, and pdftotext puts a space after it (ដំណឹ ង). A glyph mapped to
//!   nothing leaves the same kind of gap where it stands.
//!
//! So, per cluster: the glyphs from the first to the one that reaches
//! furthest right keep the cluster's range (krilla gives the first of them
//! the text and spans them with `/ActualText` when they are several, a span
//! as wide as the cluster), and the glyphs after it, drawn inside that
//! width, get an empty range (no text; no gap, since they are inside). A
//! cluster continued in the next text item is recognised by Typst's source
//! position of its glyphs (the same for every glyph of a cluster), its text,
//! and the next item starting where the previous one ends; its glyphs there
//! get an empty range too. Where a glyph already stands for another text
//! elsewhere, krilla still wraps it alone in `/ActualText` (one glyph: a span
//! exactly as wide as its cluster, or empty text for an emptied one).
//!
//! Nothing drawn changes: only `Glyph::range`, which the PDF writer reads for
//! the text and nothing else.
//!
//! Invariant: a glyph's range is only ever emptied, never pointed at other
//! text, and only when another glyph of the same cluster keeps it, so no
//! character is lost. Known limits, neither met by Khmer in Khmer OS: Typst's
//! source positions stop at 64 KiB into one run of text (it counts every
//! position beyond as 0), so there two equal clusters meeting exactly at a
//! text item boundary would read as one; and a continuation in the next item
//! that reached beyond the glyphs of the first would leave a gap, which
//! pdftotext reads as a space (raised and lowered marks are drawn inside
//! their base).

use std::ops::Range;

use typst::layout::{Abs, Frame, FrameItem};
use typst::model::Document as _;
use typst::syntax::Span;
use typst::text::TextItem;
use typst_layout::PagedDocument;

/// Glyph ends closer than this (in em) count as level: the earlier glyph
/// then carries the text, so fewer glyphs need a span.
const EPSILON_EM: f64 = 1e-3;

/// The document with each cluster's text on the glyphs spanning its width,
/// or `None` when no glyph needs changing (no cluster of several glyphs, as
/// in Vietnamese text): then the document is written as it is.
pub(crate) fn one_text_per_cluster(document: &PagedDocument) -> Option<PagedDocument> {
    let mut changed = false;
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let mut page = page.clone();
            if let Some(frame) = frame(&page.frame) {
                page.frame = frame;
                changed = true;
            }
            page
        })
        .collect();
    changed.then(|| PagedDocument::new(pages, document.info().clone()))
}

/// The last cluster of a text item, to recognise its continuation at the
/// start of the next item of the same frame.
struct Tail {
    /// Where the item ends horizontally: a continuation starts there.
    end_x: Abs,
    size: Abs,
    span: (Span, u16),
    text: String,
}

/// What changes in one item of a frame.
enum Change {
    Group(Frame),
    /// The indices of the glyphs whose range is emptied.
    Text(Vec<usize>),
}

/// The frame with ranges emptied, or `None` when nothing in it changes.
/// Frames are shared: only those that change are copied.
fn frame(frame: &Frame) -> Option<Frame> {
    let mut changes: Vec<Option<Change>> = Vec::new();
    let mut tail: Option<Tail> = None;
    for (pos, item) in frame.items() {
        changes.push(match item {
            FrameItem::Text(text) => {
                let (emptied, end) = text_item(text, pos.x, tail.as_ref());
                tail = end;
                (!emptied.is_empty()).then_some(Change::Text(emptied))
            }
            // Underlines are drawn between the items of one run of text,
            // tags mark where elements start and end: neither ends a run.
            FrameItem::Shape(..) | FrameItem::Tag(_) => None,
            FrameItem::Group(group) => {
                tail = None;
                self::frame(&group.frame).map(Change::Group)
            }
            FrameItem::Image(..) | FrameItem::Link(..) => {
                tail = None;
                None
            }
        });
    }
    if changes.iter().all(Option::is_none) {
        return None;
    }
    let mut out = frame.clone();
    // `retain` is the one way to change items in place; it visits them in
    // the order `items` gave them.
    let mut changes = changes.into_iter();
    out.retain(|item| {
        match (item, changes.next().flatten()) {
            (FrameItem::Group(group), Some(Change::Group(frame))) => group.frame = frame,
            (FrameItem::Text(text), Some(Change::Text(emptied))) => {
                for i in emptied {
                    if let Some(glyph) = text.glyphs.get_mut(i) {
                        glyph.range = glyph.range.end..glyph.range.end;
                    }
                }
            }
            _ => {}
        }
        true
    });
    Some(out)
}

/// The glyphs of one item that need no text (their indices), and the
/// cluster the item ends with.
fn text_item(item: &TextItem, x: Abs, previous: Option<&Tail>) -> (Vec<usize>, Option<Tail>) {
    let clusters = clusters(item);
    let ends = ends(item);
    let mut emptied = Vec::new();
    for (n, glyphs) in clusters.iter().enumerate() {
        let Some(first) = item.glyphs.get(glyphs.start) else {
            continue;
        };
        let continued = n == 0
            && previous.is_some_and(|p| {
                p.span == first.span
                    && p.size == item.size
                    && item.text.get(first.range()) == Some(p.text.as_str())
                    && (p.end_x - x).abs() < Abs::pt(0.01)
            });
        let keep = if continued {
            glyphs.start
        } else {
            ends.get(glyphs.clone())
                .and_then(reaching_furthest)
                .map_or(glyphs.end, |j| glyphs.start + j + 1)
        };
        emptied.extend(keep..glyphs.end);
    }
    let tail = clusters.last().and_then(|last| {
        let glyph = item.glyphs.get(last.start)?;
        Some(Tail {
            end_x: x + item.width(),
            size: item.size,
            span: glyph.span,
            text: item.text.get(glyph.range())?.to_owned(),
        })
    });
    (emptied, tail)
}

/// The glyph indices of each cluster: runs of glyphs with the same range.
fn clusters(item: &TextItem) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, glyph) in item.glyphs.iter().enumerate() {
        match out.last_mut() {
            Some(run)
                if item
                    .glyphs
                    .get(run.start)
                    .is_some_and(|g| g.range == glyph.range) =>
            {
                run.end = i + 1;
            }
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Where each glyph's drawing ends, in em from the item's start, as a PDF
/// reader measures it: its pen position plus offset plus the font's own
/// advance for it (the width the PDF declares).
fn ends(item: &TextItem) -> Vec<f64> {
    let mut pen = 0.0;
    item.glyphs
        .iter()
        .map(|g| {
            let width = item.font.x_advance(g.id).unwrap_or(g.x_advance);
            let end = pen + g.x_offset.get() + width.get();
            pen += g.x_advance.get();
            end
        })
        .collect()
}

/// The first glyph whose drawing reaches furthest right.
fn reaching_furthest(ends: &[f64]) -> Option<usize> {
    let max = ends.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    ends.iter().position(|e| *e >= max - EPSILON_EM)
}

#[cfg(test)]
mod tests {
    use super::reaching_furthest;

    #[test]
    fn the_glyph_reaching_furthest_right_ends_the_text_carriers() {
        // A base, then a mark drawn back over it: the base alone.
        assert_eq!(reaching_furthest(&[1.2, 0.9]), Some(0));
        // A pre-base vowel, then the base after it: both.
        assert_eq!(reaching_furthest(&[0.4, 1.5]), Some(1));
        // A mark ending level with its base: the earlier glyph.
        assert_eq!(reaching_furthest(&[0.5, 1.5, 1.5005]), Some(1));
        assert_eq!(reaching_furthest(&[]), None);
    }
}
