//! Bar charts drawn in Rust as SVG, embedded in both outputs.
//!
//! Invariant: the SVG is self-contained (no external references, no
//! scripts), every label is XML-escaped, and the drawing depends only on the
//! data, so the same chart renders the same in the PDF and the DOCX.

use std::fmt::Write as _;

/// A vertical bar chart with one series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// (label, value); values are counts or amounts, never negative.
    pub bars: Vec<(String, f64)>,
}

/// Drawing size in CSS pixels (= PDF points at 96 dpi scaling by the viewer;
/// both outputs place the chart at an explicit width).
pub const WIDTH: f64 = 600.0;
pub const HEIGHT: f64 = 320.0;

impl BarChart {
    /// The chart as an SVG document. Numbers on the bars are formatted the
    /// Vietnamese way (`vn::numbers`).
    pub fn to_svg(&self) -> String {
        let (left, right, top, bottom) = (50.0, 20.0, 40.0, 60.0);
        let plot_w = WIDTH - left - right;
        let plot_h = HEIGHT - top - bottom;
        let max = self.bars.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
        let scale = if max > 0.0 { plot_h / max } else { 0.0 };
        let mut svg = String::new();
        // Writing into a String cannot fail; the results are ignored on purpose.
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Liberation Serif, Tinos, serif">"#
        );
        let _ = write!(
            svg,
            r#"<text x="{}" y="24" font-size="16" font-weight="bold" text-anchor="middle">{}</text>"#,
            WIDTH / 2.0,
            escape(&self.title)
        );
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#000" stroke-width="1"/>"##,
            top + plot_h,
            left + plot_w,
            top + plot_h
        );
        #[allow(clippy::cast_precision_loss)]
        let slot = plot_w / self.bars.len().max(1) as f64;
        for (i, (label, value)) in self.bars.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let x = left + slot * i as f64 + slot * 0.2;
            let w = slot * 0.6;
            let h = value.max(0.0) * scale;
            let y = top + plot_h - h;
            let _ = write!(
                svg,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="#1f4e79"/>"##
            );
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" font-size="13" text-anchor="middle">{}</text>"#,
                x + w / 2.0,
                y - 5.0,
                escape(&vn::numbers::format_decimal(*value, 2))
            );
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" font-size="13" text-anchor="middle">{}</text>"#,
                x + w / 2.0,
                top + plot_h + 20.0,
                escape(label)
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

/// XML text escaping: labels come from users.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scaled() {
        let chart = BarChart {
            title: "Hồ sơ <trực tuyến> & \"một cửa\"".into(),
            bars: vec![("Tháng 3".into(), 50.0), ("Tháng 4".into(), 100.0)],
        };
        let svg = chart.to_svg();
        assert!(svg.contains("Hồ sơ &lt;trực tuyến&gt; &amp; &quot;một cửa&quot;"));
        assert!(!svg.contains("<trực"));
        // The larger value fills the plot height (320 - 40 - 60 = 220).
        assert!(svg.contains(r#"height="220.0""#), "{svg}");
        assert!(svg.contains(r#"height="110.0""#), "{svg}");
    }
}
