//! One small bar chart per target: its figure in each period of the trend, the
//! bar coloured (and, where it needs attention, patterned) by status, against a
//! dashed line at the threshold.

use super::{esc, fill, overlay, patterns, FONT};

/// One period's figure.
pub struct Point {
    pub label: String,
    pub value: Option<f64>,
    /// The value as the page writes it ("75%", "<5", "—").
    pub text: String,
    pub status: &'static str,
    pub status_label: String,
}

/// A target's figures over the trend periods.
pub struct Series {
    /// The key, unique in the plan (it names the drawing's patterns).
    pub code: String,
    /// The heading: the printed code and the start of the text.
    pub label: String,
    /// The lower bound and, for a band, the upper one.
    pub threshold: (f64, Option<f64>),
    pub threshold_text: String,
    pub points: Vec<Point>,
}

/// What the dashed line is.
const THRESHOLD_LINE: &str = "(- - -)";
const W: f64 = 320.0;
const H: f64 = 150.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 312.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 118.0;

/// The chart as a standalone SVG element (its own styles, so it also stands as a file).
pub fn panel(s: &Series) -> String {
    let values = s.points.iter().filter_map(|p| p.value);
    let (lo, hi) = s.threshold;
    let mut max = values.clone().fold(hi.unwrap_or(lo), f64::max).max(1.0) * 1.15;
    let min = values.fold(lo.min(0.0), f64::min).min(0.0) * 1.15;
    if max <= min {
        max = min + 1.0;
    }
    let y = |v: f64| TOP + (max - v) / (max - min) * (BOTTOM - TOP);
    let n = s.points.len().max(1) as f64;
    let slot = (RIGHT - LEFT) / n;
    let bar = (slot * 0.6).min(48.0);
    let id = format!("c-{}", s.code.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t\" font-size=\"11\" {FONT}><title id=\"{id}-t\">{title}</title>{}",
        patterns(&id),
        title = esc(&format!("{} — {}", s.label, s.threshold_text)),
    );
    out.push_str(&format!("<text x=\"{LEFT}\" y=\"13\" font-weight=\"600\">{}</text>", esc(&s.label)));
    out.push_str(&format!("<text x=\"{LEFT}\" y=\"26\" fill=\"#5b6470\">{} {}</text>", esc(&s.threshold_text), esc(THRESHOLD_LINE)));
    let zero = y(0.0);
    out.push_str(&format!("<line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{zero:.1}\" y2=\"{zero:.1}\" stroke=\"#8a939d\"/>"));
    for (k, p) in s.points.iter().enumerate() {
        let cx = LEFT + slot * (k as f64 + 0.5);
        let label_y = match p.value {
            Some(v) => {
                let (top, bottom) = if v >= 0.0 { (y(v), zero) } else { (zero, y(v)) };
                let h = (bottom - top).max(1.0);
                let rect = format!("x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\"", cx - bar / 2.0);
                out.push_str(&format!(
                    "<rect {rect} {}><title>{}</title></rect>",
                    fill(p.status),
                    esc(&format!("{}: {} — {}", p.label, p.text, p.status_label))
                ));
                if let Some(fill) = overlay(p.status, &id) {
                    out.push_str(&format!("<rect {rect} fill=\"{fill}\"/>"));
                }
                top - 4.0
            }
            None => zero - 4.0,
        };
        out.push_str(&format!("<text x=\"{cx:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\" font-weight=\"600\">{}</text>", esc(&p.text)));
        out.push_str(&format!("<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5b6470\">{}</text>", BOTTOM + 14.0, esc(&p.label)));
        out.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5b6470\" font-size=\"9\">{}</text>",
            BOTTOM + 27.0,
            esc(&p.status_label)
        ));
    }
    for t in std::iter::once(lo).chain(hi) {
        let ty = y(t);
        out.push_str(&format!("<line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"#1b1f24\" stroke-dasharray=\"4 3\"/>"));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, value: Option<f64>, status: &'static str) -> Point {
        Point { label: label.into(), value, text: value.map_or("—".into(), |v| format!("{v}%")), status, status_label: status.into() }
    }

    #[test]
    fn bars_stand_on_zero_and_the_threshold_line_sits_at_its_value() {
        // Threshold 70, values 35 and 80: max = 80 · 1.15 = 92, min = 0, so a value v sits at
        // y = 34 + (92 − v)/92 · 84: 80 → 44.96, 70 → 54.09, 35 → 86.04, 0 → 118.
        let s = Series {
            code: "a3.workers".into(),
            label: "a3 — Ít nhất 70% người lao động".into(),
            threshold: (70.0, None),
            threshold_text: "≥ 70%".into(),
            points: vec![point("2024", Some(35.0), "not_met"), point("2025", Some(80.0), "met"), point("2026", None, "no_data")],
        };
        let svg = panel(&s);
        assert!(svg.contains("y1=\"54.1\" y2=\"54.1\" stroke=\"#1b1f24\" stroke-dasharray"), "{svg}");
        assert!(svg.contains("y=\"86.0\" width=\"48.0\" height=\"32.0\" fill=\"#d23b3b\""), "{svg}");
        assert!(svg.contains("y=\"45.0\" width=\"48.0\" height=\"73.0\" fill=\"#2e9e5b\""), "{svg}");
        // The bar not met carries the hatching; the period without a figure has no bar, only "—".
        assert_eq!(svg.matches("url(#c-a3-workers-hatch)").count(), 1);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(">—</text>"));
        assert!(svg.contains("≥ 70%"));
        assert!(svg.contains(">a3 — Ít nhất 70% người lao động</text>"));
        assert!(crate::charts::png(&svg).is_ok(), "a well-formed drawing");
    }

    #[test]
    fn a_fall_is_drawn_below_zero() {
        // Growth −10 against "at most −5": min = −10 · 1.15 = −11.5, max = 1.15 (at least 1 · 1.15);
        // zero at 34 + 1.15/12.65 · 84 = 41.64, −10 at 34 + 11.15/12.65 · 84 = 108.04.
        let s = Series {
            code: "b".into(),
            label: "b".into(),
            threshold: (-5.0, None),
            threshold_text: "≤ −5%".into(),
            points: vec![point("2025", Some(-10.0), "met")],
        };
        let svg = panel(&s);
        assert!(svg.contains("y=\"41.6\" width=\"48.0\" height=\"66.4\" fill=\"#2e9e5b\""), "{svg}");
    }
}
