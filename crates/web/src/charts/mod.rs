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
        "not_applicable" => "fill=\"#ffffff\" stroke=\"#a7b0ba\"",
        _ => "fill=\"#c4cbd3\"",
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

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(super::esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
