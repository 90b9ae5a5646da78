//! Issue 17: the dashboard as people read it — drill-down after the 2025 reform
//! by the new communes the figures count, names that tell units apart, the way
//! up, the unit and period pickers, the charts and the map.

use crate::helpers::on_each_demo_backend;
use crate::workflow::{call, session};
use axum::http::StatusCode;

/// The text between `from` and the next `to`, after the first `from`.
fn between<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    let at = page.find(from).unwrap_or_else(|| panic!("{from} not in the page"));
    let rest = &page[at..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[tokio::test]
async fn after_the_reform_the_drill_down_is_the_new_communes_and_what_each_took_in() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        let (s, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?period=2025&unit=94", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        // Sóc Trăng's 108 old communes went, by their default successor links, into 43 new
        // communes (ward-successors-2025.csv: the distinct new_ward_code of province 94's rows
        // whose kind is "whole" or "split-default"), and those are the items counted and listed.
        let drill = between(&page, "Chi tiết theo đơn vị", "</ul>");
        assert!(drill.contains("Chi tiết theo đơn vị (43)"), "{}", &drill[..200]);
        assert_eq!(drill.matches("<li>").count(), 43);
        // Phường Phú Lợi (31510, in Cần Thơ since 01/07/2025) took in the city's Phường 1–4
        // (31522, 31510, 31519, 31516 → 31510 in the successor file).
        assert!(drill.contains("unit=31510&amp;period=2025") || drill.contains("unit=31510&#38;period=2025"), "the link goes by the new code");
        assert!(drill.contains(">Phường Phú Lợi</a>"));
        assert!(drill.contains(
            "Gồm địa bàn cũ: Phường 1 (Thành phố Sóc Trăng), Phường 2 (Thành phố Sóc Trăng), Phường 3 (Thành phố Sóc Trăng), Phường 4 (Thành phố Sóc Trăng)"
        ));
        // Old Phường 1 (31522) is no item of 2025: no link leads to it.
        assert!(!drill.contains("unit=31522"));
        // The link opens the new commune, and the way up leads back to the province of the plan.
        let (s, commune, _) = call(&app, "GET", "/plans/soc-trang-117-2023?period=2025&unit=31510", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(commune.contains("<h1>117/NQ-HĐND — Phường Phú Lợi</h1>"), "{}", between(&commune, "<h1>", "</h1>"));
        let crumbs = between(&commune, "<nav class=\"breadcrumb\"", "</nav>");
        assert!(crumbs.contains(">Tỉnh Sóc Trăng</a>") && crumbs.contains("unit=94"), "{crumbs}");
    })
    .await;
}

#[tokio::test]
async fn before_the_reform_names_tell_units_apart_and_the_pickers_find_them() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        let (s, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?period=2024&unit=94", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        // Three old communes are named "Phường 1" (units-2025-06-30.csv: 31522 in Thành phố Sóc Trăng,
        // 31732 in Thị xã Ngã Năm, 31783 in Thị xã Vĩnh Châu); the map's table names each with its district.
        let table = between(&page, "<details class=\"map-table\"", "</details>");
        for district in ["Thành phố Sóc Trăng", "Thị xã Ngã Năm", "Thị xã Vĩnh Châu"] {
            assert!(table.contains(&format!(">Phường 1 — {district}</a>")), "{district}");
        }
        // The province's 2024 drill-down is its 11 districts (units-2025-06-30.csv, province 94).
        assert!(page.contains("Chi tiết theo đơn vị (11)"));
        // The map draws the 108 communes as areas, each a link, and says they are approximate.
        let svg = between(&page, "<figure class=\"map\">", "</svg>");
        assert_eq!(svg.matches("class=\"area\"").count(), 108);
        assert!(svg.contains("Ranh giới gần đúng"));
        // A chart per target (15 in the plan file), each with its threshold line.
        assert_eq!(page.matches("<figure class=\"chart\">").count(), 15);
        // The period picker offers the plan's years, halves, quarters and months; 2024 is chosen.
        assert!(page.contains("<option value=\"2024\" selected>Năm 2024</option>"));
        assert!(page.contains("<option value=\"2025-Q3\">Quý 3/2025</option>"));
        // The unit picker: by the suggestion's text, by a name only one unit bears, and a name three share.
        let pick = |text: &str| format!("/plans/soc-trang-117-2023?period=2024&unit={}", pcmd_web_encode(text));
        let (s, p, _) = call(&app, "GET", &pick("Phường 2 — Thành phố Sóc Trăng (31510)"), &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(p.contains("<h1>117/NQ-HĐND — Phường 2 — Thành phố Sóc Trăng</h1>"));
        let (s, p, _) = call(&app, "GET", &pick("thị xã ngã năm"), &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(p.contains("<h1>117/NQ-HĐND — Thị xã Ngã Năm</h1>"));
        let (s, p, _) = call(&app, "GET", &pick("Phường 1"), &coordinator, "").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(p.contains("có nhiều đơn vị cùng tên"));
        // The map downloads as an SVG file, the same drawing.
        let (s, file, _) = call(&app, "GET", "/plans/soc-trang-117-2023/map.svg?period=2024&unit=94&map=a1", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(file.starts_with("<?xml") && file.matches("class=\"area\"").count() == 108);
        // An officer of the city is refused the province's map.
        let (s, _, _) = call(&app, "GET", "/plans/soc-trang-117-2023/map.svg?period=2024&unit=94", &session(db, "canbo.tpst").await, "").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    })
    .await;
}

/// The text as a query value: every byte outside A–Z, a–z, 0–9 percent-encoded.
fn pcmd_web_encode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
