//! Where a PDF page's lines are printed: owns gathering the strings the
//! content interpreter ([`crate::pdf`]) shows into lines with their
//! extent, by the same breaks it writes into the text (a new baseline is
//! a new line, a gap is a space), so a line found here reads as it does in
//! the extracted text. What it is for: finding a blank the writer left in
//! a document (the "Số:" line an issuing clerk fills in) and where it is.

use unicode_normalization::UnicodeNormalization;

/// One printed line: its text (NFC) and where it sits, in the page's
/// default coordinates (PDF points from the bottom-left of its space).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Where the first string starts and the last one ends.
    pub x0: f32,
    pub x1: f32,
    /// The first string's baseline.
    pub baseline: f32,
    /// The largest font size on the line.
    pub size: f32,
}

/// How a string follows the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// On a new line (or the first string of the page).
    Line,
    /// On the same baseline, but far off: the next column (a document's
    /// header has its number and its date side by side).
    Column,
    /// On the same line, after a space.
    Space,
    /// Straight after it.
    None,
}

/// A gap this many font sizes wide starts a new column: wider than the
/// spaces a drafter types into a blank.
pub(crate) const COLUMN_GAP_EM: f32 = 4.0;

#[derive(Default)]
pub(crate) struct Lines {
    lines: Vec<Line>,
}

impl Lines {
    /// A string from `x[0]` to `x[1]` on `baseline`, `size` points high.
    pub(crate) fn place(&mut self, gap: Gap, x: [f32; 2], baseline: f32, size: f32, text: &str) {
        let (left, right) = (x[0].min(x[1]), x[0].max(x[1]));
        match self.lines.last_mut() {
            Some(line) if !matches!(gap, Gap::Line | Gap::Column) => {
                if gap == Gap::Space {
                    line.text.push(' ');
                }
                line.text.push_str(text);
                line.x0 = line.x0.min(left);
                line.x1 = line.x1.max(right);
                line.size = line.size.max(size);
            }
            _ => self.lines.push(Line {
                text: text.to_owned(),
                x0: left,
                x1: right,
                baseline,
                size,
            }),
        }
    }

    /// The lines, NFC, whitespace squashed, blank ones dropped.
    pub(crate) fn finish(self) -> Vec<Line> {
        self.lines
            .into_iter()
            .filter_map(|line| {
                let text: String = line.text.nfc().collect();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                (!text.is_empty()).then_some(Line { text, ..line })
            })
            .collect()
    }
}
