//! Figures drawn on the server as SVG — the trend of each target against its
//! threshold and the commune map — so that a page needs no script, a printed
//! page keeps them, and the same drawing downloads as a file.

pub mod cells;
pub mod map;
pub mod trend;

/// Text made safe inside SVG/XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The fill of each status as presentation attributes (the pages' policy allows
/// no inline style, and a downloaded file carries no stylesheet).
pub fn fill(status: &str) -> &'static str {
    match status {
        "met" => "fill=\"#2e9e5b\"",
        "on_track" => "fill=\"#3b78d8\"",
        "at_risk" => "fill=\"#e0a400\"",
        "not_met" => "fill=\"#d23b3b\"",
        "not_applicable" => "fill=\"#ffffff\"",
        _ => "fill=\"#c4cbd3\"",
    }
}

/// The outline of an area or key: white between areas, grey around a white one.
pub fn outline(status: &str) -> &'static str {
    if status == "not_applicable" {
        "#a7b0ba"
    } else {
        "#ffffff"
    }
}

/// The root attributes every drawing shares: its font and text colour.
pub const FONT: &str = "font-family=\"system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif\" fill=\"#1b1f24\"";

/// Hatching laid over the statuses that need attention, so that they differ by
/// more than colour; `id` keeps the patterns of several drawings on one page apart.
pub fn patterns(id: &str) -> String {
    format!(
        "<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" stroke-width=\"2\" stroke-opacity=\".7\"/></pattern>\
         <pattern id=\"{id}-dots\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"#fff\" fill-opacity=\".8\"/></pattern></defs>"
    )
}

/// The overlay for a status: hatched for not met, dotted for at risk.
pub fn overlay(status: &str, id: &str) -> Option<String> {
    match status {
        "not_met" => Some(format!("url(#{id}-hatch)")),
        "at_risk" => Some(format!("url(#{id}-dots)")),
        _ => None,
    }
}

/// A drawing as a PNG image at twice its size (sharp on screens and in documents),
/// its text set in the machine's fonts (the first of Noto Sans, DejaVu Sans or
/// Liberation Sans it has, for Vietnamese letters).
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    static FONTS: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> = std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        let families: Vec<String> = db.faces().flat_map(|f| f.families.iter().map(|(name, _)| name.clone())).collect();
        if let Some(found) = ["Noto Sans", "DejaVu Sans", "Liberation Sans"].iter().find(|f| families.iter().any(|n| n == *f)) {
            db.set_sans_serif_family(*found);
        }
        std::sync::Arc::new(db)
    });
    let options = usvg::Options { fontdb: fonts.clone(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width() * 2, size.height() * 2).ok_or("empty drawing")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(2.0, 2.0), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(super::esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn a_drawing_becomes_a_png_of_twice_its_size() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 20\" width=\"30\" height=\"20\"><rect width=\"30\" height=\"20\" fill=\"#d23b3b\"/></svg>";
        let png = super::png(svg).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // The IHDR chunk: width and height, big-endian, at bytes 16..24.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 60);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 40);
        assert!(super::png("not a drawing").is_err());
    }
}
