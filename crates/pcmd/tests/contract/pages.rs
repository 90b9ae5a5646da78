//! Issue 17: the dashboard as people read it — drill-down after the 2025 reform
//! by the new communes the figures count, names that tell units apart, the way
//! up, the unit and period pickers, the charts and the map.

use crate::helpers::on_each_demo_backend;
use crate::workflow::{call, enc, session};
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
async fn the_reform_is_said_once_and_a_day_before_it_shows_that_day_s_units() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        let (s, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?period=2025&unit=94", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        // Every target of 2025 carries the reform's note; it is read once, after the codes of the
        // targets it is said of.
        let notes = between(&page, "<ul class=\"notes\">", "</ul>");
        assert_eq!(notes.matches("Sau 01/07/2025 tính trên 43 xã, phường mới").count(), 1, "{notes}");
        assert!(notes.contains("<li>a1, a2, a3.workers, a3.industrial, a3.students, b1, b2, c1, c2.growth"), "{notes}");
        // The old districts' note (b1, b2, d1) has its own line.
        assert_eq!(notes.matches("tính trên các huyện còn tồn tại đến 30/06/2025").count(), 1, "{notes}");
        // Asked as on 14/06/2025 the year is counted on that day's units: the province's eleven
        // districts in the drill-down, and no reform note.
        let (s, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?period=2025&unit=94&as_of=14/06/2025", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        let drill = between(&page, "Chi tiết theo đơn vị", "</ul>");
        assert!(drill.contains("Chi tiết theo đơn vị (11)"), "{}", &drill[..200]);
        assert!(!page.contains("Sau 01/07/2025 tính trên"));
    })
    .await;
}

/// The trend under a Decree 09 year is drawn by reporting years: its 2025-Y is the figure
/// above it (the calendar 2025 is other days: a1 75,9 % beside the year's 65,7 % before).
#[tokio::test]
async fn the_trend_counts_the_years_the_page_counts() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        let (s, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?period=2025-Y&unit=94", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        let trend = between(&page, "<table class=\"trend\">", "</table>");
        assert!(trend.contains("<th scope=\"col\">2024-Y</th><th scope=\"col\">2025-Y</th>"), "{trend}");
        let a1 = between(trend, "<tr><th scope=\"row\">a1", "</tr>");
        let last = a1.rsplit("<td").next().unwrap();
        let cli = crate::pcmd_json(db, &["targets", "evaluate", "--plan", "117/NQ-HĐND", "--period", "2025-Y", "--format", "json"]).await;
        let value = cli.as_array().unwrap().iter().find(|e| e["target"] == "a1").unwrap()["value"].as_f64().unwrap();
        // As the page writes a share: 93% (40 / 43 = 93,02 %), or one decimal ("65,7%").
        let tenths = (value * 10.0).round();
        let shown = if tenths % 10.0 == 0.0 { format!(">{}%<", tenths / 10.0) } else { format!(">{:.1}%<", tenths / 10.0).replace('.', ",") };
        assert!(last.contains(&shown), "{shown} in {last}");
        // The calendar year's page keeps calendar years.
        let (_, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?period=2025&unit=94", &coordinator, "").await;
        let trend = between(&page, "<table class=\"trend\">", "</table>");
        assert!(trend.contains("<th scope=\"col\">2024</th><th scope=\"col\">2025</th>"), "{trend}");
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
        let pick = |text: &str| format!("/plans/soc-trang-117-2023?period=2024&unit={}", enc(text));
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
        // And as a PNG image, twice the drawing's 640 px width.
        let (s, png, kind) = bytes(&app, "/plans/soc-trang-117-2023/map.png?period=2024&unit=94&map=a1", &coordinator).await;
        assert_eq!((s, kind.as_str()), (StatusCode::OK, "image/png"));
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1280);
        // An officer of the city is refused the province's map.
        let (s, _, _) = call(&app, "GET", "/plans/soc-trang-117-2023/map.svg?period=2024&unit=94", &session(db, "canbo.tpst").await, "").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    })
    .await;
}

/// The raw bytes of a GET, for files.
async fn bytes(app: &axum::Router, path: &str, who: &(String, String)) -> (StatusCode, Vec<u8>, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder().uri(path).header(axum::http::header::COOKIE, &who.0).body(axum::body::Body::empty()).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let kind = resp.headers().get(axum::http::header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, resp.into_body().collect().await.unwrap().to_bytes().to_vec(), kind)
}

#[tokio::test]
async fn a_list_is_searched_sorted_and_taken_away_as_a_workbook() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let officer = session(db, "canbo.tpst").await;
        // Two activities of the officer's ward with words no demo record holds.
        for (day, topic) in [("02/03/2024", "Đối thoại ZQX tại Khóm 3"), ("01/03/2024", "Đối thoại zqx lần hai")] {
            let form = format!("held_on={}&unit_code=31510&form=meeting&topic={}", enc(day), enc(topic));
            let (s, body, _) = call(&app, "POST", "/records/activity", &officer, &form).await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
        }
        // The search ignores case and finds both, whatever the case of the capital Đ.
        let (s, list, _) = call(&app, "GET", &format!("/records/activity?q={}", enc("đối THOẠI zqx")), &officer, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(list.contains("<strong class=\"total\">2</strong>"), "{}", between(&list, "class=\"muted\"", "</p>"));
        // Sorted by day, earliest first: 01/03/2024 comes before 02/03/2024; the head says so.
        let (_, sorted, _) = call(&app, "GET", "/records/activity?q=zqx&sort=held_on&dir=asc", &officer, "").await;
        let (first, second) = (sorted.find("01/03/2024").unwrap(), sorted.find("02/03/2024").unwrap());
        assert!(first < second);
        assert!(sorted.contains("aria-sort=\"ascending\""));
        let (_, sorted, _) = call(&app, "GET", "/records/activity?q=zqx&sort=held_on&dir=desc", &officer, "").await;
        assert!(sorted.find("02/03/2024").unwrap() < sorted.find("01/03/2024").unwrap());
        // The phone's sort picker says the same in one value, and shows it chosen.
        let (_, picked, _) = call(&app, "GET", "/records/activity?q=zqx&sort=held_on%3Adesc", &officer, "").await;
        assert!(picked.find("02/03/2024").unwrap() < picked.find("01/03/2024").unwrap());
        assert!(picked.contains("value=\"held_on:desc\" selected"));
        // The workbook holds what the page shows: a header row and the two rows, the day as a date.
        let (s, file, kind) = bytes(&app, "/records/activity/export.xlsx?q=zqx&sort=held_on&dir=asc", &officer).await;
        assert_eq!(s, StatusCode::OK);
        assert!(kind.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(file)).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        let head = rows.iter().position(|r| r.first() == Some(&Data::String("#".into()))).expect("a header row");
        let data: Vec<&Vec<Data>> = rows[head + 1..].iter().filter(|r| !r.iter().all(|c| *c == Data::Empty)).collect();
        assert_eq!(data.len(), 2);
        assert!(data[0].iter().any(|c| matches!(c, Data::String(t) if t == "Đối thoại zqx lần hai")));
        assert!(data[0].iter().any(|c| matches!(c, Data::DateTime(d) if d.as_datetime().map(|d| d.date().to_string()) == Some("2024-03-01".into()))));
        // The period is chosen from a list of years, halves, quarters and months; the unit by its name.
        assert!(list.contains("<option value=\"2024-H1\">6 tháng đầu năm 2024</option>"));
        let by_name = format!("/records/activity?q=zqx&unit={}", enc("Phường 2 — Thành phố Sóc Trăng"));
        let (s, named, _) = call(&app, "GET", &by_name, &officer, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(named.contains("<strong class=\"total\">2</strong>"), "the two activities of old Phường 2 (31510)");
        // A unit outside the officer's scope is refused, search or not.
        let (_, other, _) = call(&app, "GET", "/records/activity?q=zqx&unit=94", &officer, "").await;
        assert!(other.contains("Bạn không có quyền") || other.contains("403"), "a unit outside the scope is refused");
    })
    .await;
}

#[tokio::test]
async fn home_counts_the_targets_at_risk_as_the_dashboard_shows_them() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        let (_, home, _) = call(&app, "GET", "/", &coordinator, "").await;
        // 117/NQ-HĐND runs 2024–2025: its latest year so far is 2025 (today is after it), for
        // the coordinator's province. The home line's counts are the dashboard's badges.
        let (_, dash, _) = call(&app, "GET", "/plans/soc-trang-117-2023?unit=94&period=2025", &coordinator, "").await;
        let table = between(&dash, "<table class=\"targets", "</table>");
        let (at_risk, not_met) = (table.matches("status at_risk\"").count(), table.matches("status not_met\"").count());
        assert!(not_met > 0, "the demo misses some targets in 2025");
        // Counts of nought are left out of the line.
        let parts: Vec<String> = [(at_risk, "chỉ tiêu có nguy cơ không đạt"), (not_met, "chỉ tiêu không đạt")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect();
        let line = format!("117/NQ-HĐND — Tỉnh Sóc Trăng, năm 2025: {}", parts.join(", "));
        assert!(home.contains(&line), "{line} in {}", between(&home, "<ul class=\"agenda\">", "</ul>"));
        // The plans list starts with the province's own plan, the national programme after it.
        let plans = between(&home, "<tbody>", "</tbody>");
        assert!(plans.find("/plans/soc-trang-117-2023").unwrap() < plans.find("/plans/national-1629-2021").unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_day_that_cannot_be_read_is_said_beside_its_field_on_the_dashboard() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        let (s, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?unit=94&period=2024&as_of=31/02/2024", &coordinator, "").await;
        // Refused (400), but inside the dashboard: the heading, the figures on the default day
        // (the end of 2024, over by now), the day as typed kept in its field and the fault beside it.
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(page.contains("<h1>117/NQ-HĐND — Tỉnh Sóc Trăng</h1>"));
        assert!(page.contains("value=\"31/02/2024\"") && page.contains("aria-describedby=\"as-of-error\""));
        let fault = between(&page, "id=\"as-of-error\"", "</span>");
        assert!(fault.contains("số liệu dưới đây tính đến ngày 31/12/2024"), "{fault}");
        assert!(page.contains("<table class=\"targets"));
        // The map file has no page to keep: its refusal is the error page.
        let (s, _, _) = call(&app, "GET", "/plans/soc-trang-117-2023/map.svg?unit=94&period=2024&as_of=31/02/2024", &coordinator, "").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    })
    .await;
}
