//! The commune map: each commune an area (its approximate cell, see `cells`)
//! filled by its status, named where the name fits, with a legend, a note that
//! the areas are approximate, and a link from each area to the commune's page.

use super::cells::{self, Pt};
use super::{esc, fill, outline, overlay, patterns, FONT};

/// One commune to draw.
pub struct Place {
    /// A short label for the area ("Phú Tân" for "Xã Phú Tân").
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    pub status: &'static str,
    /// What the area's tooltip says: name, figure, status.
    pub title: String,
    /// Where the area leads (the commune's dashboard), if anywhere.
    pub href: Option<String>,
}

/// The words the map prints.
pub struct Legend<'a> {
    pub heading: &'a str,
    pub statuses: &'a [(&'static str, &'a str)],
    pub approximate: &'a str,
}

pub const WIDTH: f64 = 640.0;
const MARGIN: f64 = 16.0;
const LABEL: f64 = 9.0;

/// The map as a standalone SVG document.
pub fn svg(places: &[Place], legend: &Legend) -> String {
    if places.is_empty() {
        return String::new();
    }
    let (mut min_lat, mut max_lat, mut min_lon, mut max_lon) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in places {
        min_lat = min_lat.min(p.lat);
        max_lat = max_lat.max(p.lat);
        min_lon = min_lon.min(p.lon);
        max_lon = max_lon.max(p.lon);
    }
    // An equirectangular projection scaled by the cosine of the middle latitude: true enough for a province.
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let span_x = ((max_lon - min_lon) * k).max(0.01);
    let span_y = (max_lat - min_lat).max(0.01);
    // The cells grow past the outermost centres by about half a commune's width.
    let grow_frac = 0.5 / (places.len() as f64).sqrt();
    let inner = WIDTH - 2.0 * MARGIN;
    let scale = inner / (span_x * (1.0 + 2.0 * grow_frac));
    let grow = span_x.max(span_y) * grow_frac * scale;
    let map_h = (span_y * scale + 2.0 * grow).clamp(160.0, 900.0);
    let scale = scale.min((map_h - 2.0 * grow) / span_y);
    let raw: Vec<Pt> = places.iter().map(|p| (MARGIN + grow + (p.lon - min_lon) * k * scale, MARGIN + grow + (max_lat - p.lat) * scale)).collect();
    // Two communes listed at the same centre (Xã and Thị trấn Lịch Hội Thượng) are set a few
    // pixels apart, so that each gets an area of its own.
    let sites: Vec<Pt> = raw
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let twins = raw.iter().take(i).filter(|q| (q.0 - p.0).abs() < 0.5 && (q.1 - p.1).abs() < 0.5).count();
            (p.0 + 8.0 * twins as f64, p.1)
        })
        .collect();
    let areas = cells::cells(&sites, grow);
    let legend_y = MARGIN * 2.0 + map_h;
    let height = legend_y + 24.0 + 18.0 * ((legend.statuses.len() as f64) / 3.0).ceil();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"group\" aria-label=\"{label}\" font-size=\"{LABEL}\" {FONT}>{}\
         <rect width=\"100%\" height=\"100%\" fill=\"#f7fafc\"/>",
        patterns("m"),
        label = esc(legend.heading),
    );
    for ((p, area), site) in places.iter().zip(&areas).zip(&sites) {
        if area.is_empty() {
            continue;
        }
        let d = cells::path(area);
        let mut shape =
            format!("<path d=\"{d}\" class=\"area\" {} stroke=\"{}\"><title>{}</title></path>", fill(p.status), outline(p.status), esc(&p.title));
        if let Some(fill) = overlay(p.status, "m") {
            shape.push_str(&format!("<path d=\"{d}\" fill=\"{fill}\" pointer-events=\"none\"/>"));
        }
        if fits(&p.label, area) {
            let (x, y) = centre(area).unwrap_or(*site);
            shape.push_str(&format!("<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"label\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"2.5\" stroke-linejoin=\"round\" pointer-events=\"none\">{}</text>", y + LABEL / 3.0, esc(&p.label)));
        }
        match &p.href {
            Some(h) => out.push_str(&format!("<a href=\"{}\" aria-label=\"{}\">{shape}</a>", esc(h), esc(&p.title))),
            None => out.push_str(&shape),
        }
    }
    out.push_str("<g class=\"legend\">");
    out.push_str(&format!("<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"600\">{}</text>", legend_y + 4.0, esc(legend.heading)));
    for (i, (status, words)) in legend.statuses.iter().enumerate() {
        let x = MARGIN + (i % 3) as f64 * 200.0;
        let y = legend_y + 14.0 + (i / 3) as f64 * 18.0;
        out.push_str(&format!("<rect x=\"{x}\" y=\"{y:.1}\" width=\"14\" height=\"12\" {} stroke=\"#8a939d\"/>", fill(status)));
        if let Some(fill) = overlay(status, "m") {
            out.push_str(&format!("<rect x=\"{x}\" y=\"{y:.1}\" width=\"14\" height=\"12\" fill=\"{fill}\"/>"));
        }
        out.push_str(&format!("<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>", x + 20.0, y + 10.0, esc(words)));
    }
    out.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-style=\"italic\">{}</text>",
        WIDTH - MARGIN,
        legend_y + 4.0,
        esc(legend.approximate)
    ));
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}

/// Whether a label fits in its area: the box of the cell holds the text's width and two lines.
fn fits(label: &str, area: &[Pt]) -> bool {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in area {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        y0 = y0.min(*y);
        y1 = y1.max(*y);
    }
    let width = label.chars().count() as f64 * LABEL * 0.62;
    x1 - x0 >= width * 1.1 && y1 - y0 >= LABEL * 2.2
}

/// The centroid of a polygon.
fn centre(poly: &[Pt]) -> Option<Pt> {
    let a = cells::area(poly);
    if a < 1e-9 {
        return None;
    }
    let (mut cx, mut cy, mut signed) = (0.0, 0.0, 0.0);
    for (p, q) in poly.iter().zip(poly.iter().cycle().skip(1)) {
        let c = p.0 * q.1 - q.0 * p.1;
        signed += c;
        cx += (p.0 + q.0) * c;
        cy += (p.1 + q.1) * c;
    }
    let six = 3.0 * signed;
    Some((cx / six, cy / six))
}

/// The name without its kind, for a label: "Xã Phú Tân" → "Phú Tân", "Phường 2" stays.
pub fn short_name(name: &str) -> String {
    for kind in ["Thị trấn ", "Phường ", "Đặc khu ", "Xã "] {
        if let Some(rest) = name.strip_prefix(kind) {
            if !rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                return rest.to_string();
            }
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str, lat: f64, lon: f64, status: &'static str) -> Place {
        Place { label: short_name(name), lat, lon, status, title: name.into(), href: Some(format!("/u/{name}")) }
    }

    #[test]
    fn each_commune_is_an_area_with_its_status_link_and_legend() {
        let places = [place("Xã A", 9.6, 105.9, "met"), place("Xã B", 9.6, 106.0, "not_met"), place("Phường 1", 9.5, 105.95, "not_applicable")];
        let statuses = [("met", "đạt"), ("not_met", "không đạt")];
        let svg = svg(&places, &Legend { heading: "a1 — đạt", statuses: &statuses, approximate: "ranh giới gần đúng" });
        assert_eq!(svg.matches("class=\"area\"").count(), 3, "three areas");
        assert_eq!(svg.matches("fill=\"#d23b3b\"").count(), 2, "the area not met and its legend key");
        assert_eq!(svg.matches("<a href=").count(), 3);
        // The area not met and its legend key carry the hatching.
        assert_eq!(svg.matches("url(#m-hatch)").count(), 2);
        assert!(svg.contains("ranh giới gần đúng"));
        // A well-formed document (each attribute once): it renders as a PNG.
        assert!(crate::charts::png(&svg).is_ok(), "{:?}", crate::charts::png(&svg).err());
    }

    #[test]
    fn communes_at_the_same_centre_each_get_an_area() {
        let places = [place("Xã A", 9.6, 105.9, "met"), place("Thị trấn A", 9.6, 105.9, "met"), place("Xã B", 9.5, 106.0, "met")];
        let svg = svg(&places, &Legend { heading: "h", statuses: &[], approximate: "" });
        assert_eq!(svg.matches("class=\"area\"").count(), 3);
    }

    #[test]
    fn a_centroid_and_labels() {
        assert_eq!(centre(&[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]), Some((1.0, 1.0)));
        assert_eq!(short_name("Xã Phú Tân"), "Phú Tân");
        assert_eq!(short_name("Phường 2"), "Phường 2");
        assert!(fits("Phú Tân", &[(0.0, 0.0), (60.0, 0.0), (60.0, 30.0), (0.0, 30.0)]));
        assert!(!fits("Phú Tân", &[(0.0, 0.0), (20.0, 0.0), (20.0, 30.0), (0.0, 30.0)]));
    }
}
