//! Issue 14, item 4: a change of communes the code lists lack, recorded in the
//! browser with its legal basis — predecessors of a listed ward (before the
//! lists) and a merger after them — serves the next request without a restart;
//! a wrong change is refused and changes nothing; another node on the same
//! database reads the lists again when it next asks the store. On both backends.

use crate::helpers::on_each_demo_backend;
use crate::workflow::{call, enc, session};
use axum::http::StatusCode;
use chrono::NaiveDate;
use sqlx::Row;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn count(db: &crate::helpers::TestDb, sql: &str, unit: i64) -> i64 {
    sqlx::query(sql).bind(unit).fetch_one(db.store.pool()).await.unwrap().get(0)
}

#[tokio::test]
async fn communes_the_lists_lack_are_recorded_with_their_basis() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        // A second node on the same database, started before the changes: it learns of them from the store.
        let node_b = pcmd_web::AppState::new(db.store.clone(), false).await.unwrap();
        assert!(!node_b.follow_unit_lists().await.unwrap(), "nothing changed yet: the lists are not read again");
        let admin = session(db, "quantri").await;
        let officer = session(db, "canbo.tpst").await;
        let lai_chau = session(db, "dieuphoi.lc").await;
        // The ward of Thành phố Sóc Trăng (941) with the most activities in 2024.
        let ward: i64 = sqlx::query(
            "SELECT a.unit_id FROM activity a JOIN unit u ON u.id = a.unit_id WHERE u.code LIKE '315%' AND a.held_on >= '2024-01-01' \
             AND a.held_on < '2025-01-01' GROUP BY a.unit_id ORDER BY COUNT(*) DESC, a.unit_id LIMIT 1",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
        let ward = units.get(ward).unwrap().clone();
        let before_day = "SELECT COUNT(*) FROM activity WHERE unit_id = $1 AND held_on < '2024-07-01'";
        let from_day = "SELECT COUNT(*) FROM activity WHERE unit_id = $1 AND held_on >= '2024-07-01'";
        let (early, late) = (count(db, before_day, ward.id).await, count(db, from_day, ward.id).await);
        assert!(early > 0 && late > 0, "the ward has activities on both sides of 01/07/2024");
        let units_before: i64 = sqlx::query("SELECT COUNT(*) FROM unit").fetch_one(db.store.pool()).await.unwrap().get(0);
        // Across the reform: new province 92 (Cần Thơ) over 2024–2025 holds the ward's district (941) whole.
        let span = pcmd_domain::period::Period::new("2024..2025", d(2024, 1, 1), d(2025, 12, 31));
        let can_tho = units.resolve("92", d(2025, 7, 1)).unwrap().clone();
        let district = ward.parent_id.unwrap();
        let held = |units: &pcmd_domain::units::UnitIndex| pcmd_domain::units::territory::Territory::build(units, &can_tho, &span).unwrap().members;
        assert!(held(&units).contains(&district), "941 whole in 92 before the change");

        let form = |on: &str, preds: &str, heir: &str, basis: &str| {
            format!("unit={}&on={}&predecessors={}&heir={heir}&basis={}", ward.code, enc(on), enc(preds), enc(basis))
        };
        let preds = "39990, Phường Tám Thử, Phường\n39991, Phường Chín Thử, Phường";
        // Refused, changing nothing: no basis; a day not after the ward's start (01/01/2020); a line that does not read;
        // an officer; another province's coordinator.
        for (body, expected) in [
            (form("01/07/2024", preds, "39990", ""), "căn cứ pháp lý"),
            (form("01/01/2020", preds, "39990", "NQ 1"), "phải sau ngày 01/01/2020"),
            (form("01/07/2024", "39990 Phường Tám Thử", "39990", "NQ 1"), "không đọc được"),
            (
                form(
                    "01/07/2024",
                    &format!(
                        "{}, Phường Trùng, Phường",
                        units
                            .iter()
                            .find(|u| u.level == pcmd_domain::units::Level::Commune
                                && u.code.starts_with("315")
                                && u.id != ward.id
                                && u.valid_on(d(2024, 1, 1)))
                            .unwrap()
                            .code
                    ),
                    "",
                    "NQ 1",
                ),
                "của một xã khác",
            ),
        ] {
            let (s, page, _) = call(&app, "POST", "/admin/units/earlier", &admin, &body).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
            assert!(page.contains(expected), "«{expected}» in {page}");
        }
        assert_eq!(call(&app, "POST", "/admin/units/earlier", &officer, &form("01/07/2024", preds, "39990", "NQ 1")).await.0, StatusCode::FORBIDDEN);
        assert_eq!(call(&app, "POST", "/admin/units/earlier", &lai_chau, &form("01/07/2024", preds, "39990", "NQ 1")).await.0, StatusCode::FORBIDDEN);
        let units_now: i64 = sqlx::query("SELECT COUNT(*) FROM unit").fetch_one(db.store.pool()).await.unwrap().get(0);
        assert_eq!(units_now, units_before, "nothing written by a refused change");

        // The ward began on 01/07/2024 from two wards; the earlier records go to the first.
        let basis = "Nghị quyết 1234/NQ-UBTVQH15 (thử nghiệm)";
        let (s, page, _) = call(&app, "POST", "/admin/units/earlier", &admin, &form("01/07/2024", preds, "39990", basis)).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert!(page.contains(&format!("{early} hoạt động")), "the page says what moved: {page}");
        let tam = db.store.find_unit("39990", d(2024, 3, 1)).await.unwrap().unwrap();
        assert_eq!((tam.valid_from, tam.valid_to), (d(2020, 1, 1), d(2024, 6, 30)));
        assert!(db.store.find_unit("39991", d(2024, 7, 1)).await.unwrap().is_none(), "the predecessors end the day before");
        assert_eq!(db.store.find_unit(&ward.code, d(2024, 7, 1)).await.unwrap().unwrap().id, ward.id);
        assert!(db.store.find_unit(&ward.code, d(2024, 3, 1)).await.unwrap().is_none(), "the ward begins on 01/07/2024");
        // Its activities before the day are now the first predecessor's; those after stay.
        assert_eq!((count(db, before_day, tam.id).await, count(db, from_day, ward.id).await, count(db, before_day, ward.id).await), (early, late, 0));
        // Still whole after it, the predecessors with it: the territory follows the changes through.
        let changed = db.store.unit_index().await.unwrap();
        assert!(held(&changed).contains(&district) && held(&changed).contains(&tam.id), "941 and the predecessor in 92");
        // The old district in 2025 counts the communes of 1 July 2025 only, the same as before the change:
        // the predecessors' successor (the ward, an old unit itself) is no new commune (the attack of
        // 07/12/2026 found it an extra item, a1 2/3 instead of 2/2).
        let year = pcmd_domain::period::Period::parse("2025", pcmd_domain::period::Cutoff::Calendar).unwrap();
        let in_2025 = |units: &pcmd_domain::units::UnitIndex| {
            pcmd_domain::units::territory::Territory::build(units, units.get(district).unwrap(), &year).unwrap().communes
        };
        assert!(in_2025(&changed).iter().all(|c| changed.get(*c).unwrap().valid_from >= d(2025, 7, 1)), "{:?}", in_2025(&changed));
        assert_eq!(in_2025(&changed), in_2025(&units));
        // The next request knows the new ward without a restart: its dashboard for 2024-H1 opens.
        let (s, page, _) = call(&app, "GET", "/plans/soc-trang-117-2023?unit=39990&period=2024-H1", &session(db, "dieuphoi").await, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Phường Tám Thử"), "{page}");
        // Twice is refused.
        let (s, page, _) = call(&app, "POST", "/admin/units/earlier", &admin, &form("01/09/2024", "39992, Phường Mười, Phường", "", basis)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("đã có các xã trước đó"));

        // Records may not move from under an accepted report: with Sóc Trăng's 2024-H1 report accepted,
        // predecessors of another ward from 01/05/2024 are refused.
        let h1 = pcmd_domain::period::Period::parse("2024-H1", pcmd_domain::period::Cutoff::Decree09).unwrap();
        let units_now = db.store.unit_index().await.unwrap();
        let soc_trang = units_now.resolve("94", d(2024, 3, 1)).unwrap().id;
        let report = db.store.create_report("soc-trang-117-2023", soc_trang, &h1, "dieuphoi").await.unwrap();
        use pcmd_store::reports::Step;
        let v = db.store.report_step(report, 1, Step::Submit, None, "canbo.tpst", &units_now).await.unwrap();
        db.store.report_step(report, v, Step::Accept, None, "dieuphoi", &units_now).await.unwrap();
        let other = units_now
            .iter()
            .find(|u| u.level == pcmd_domain::units::Level::Commune && u.code.starts_with("315") && u.id != ward.id && u.valid_on(d(2024, 3, 1)))
            .unwrap()
            .code
            .clone();
        let body = format!("unit={other}&on=01%2F05%2F2024&predecessors={}&heir=&basis=NQ", enc("39993, Phường Mười Một, Phường"));
        let (s, page, _) = call(&app, "POST", "/admin/units/earlier", &admin, &body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("đã được chấp nhận và khóa số liệu"), "{page}");
        assert!(db.store.find_unit("39993", d(2024, 3, 1)).await.unwrap().is_none());

        // After the lists: two communes of one new province merge on 01/12/2026 into a new one.
        let units = db.store.unit_index().await.unwrap();
        let pair: Vec<&pcmd_domain::units::Unit> = {
            let mut it =
                units.iter().filter(|u| u.level == pcmd_domain::units::Level::Commune && u.valid_from == d(2025, 7, 1) && u.code.starts_with("31"));
            let first = it.next().unwrap();
            vec![first, it.find(|u| u.parent_id == first.parent_id).unwrap()]
        };
        let body = format!(
            "on=01%2F12%2F2026&old={}%2C{}&code=99901&name={}&kind=X%C3%A3&basis={}",
            pair[0].code,
            pair[1].code,
            enc("Xã Hợp Nhất"),
            enc(basis)
        );
        let (s, page, _) = call(&app, "POST", "/admin/units", &admin, &body).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
        let merged = db.store.find_unit("99901", d(2026, 12, 1)).await.unwrap().unwrap();
        assert!(db.store.find_unit(&pair[0].code, d(2026, 12, 1)).await.unwrap().is_none());
        let (first, second) = (pair[0].id, pair[1].id);
        let units = db.store.unit_index().await.unwrap();
        assert_eq!((units.successor(first), units.successor(second)), (Some(merged.id), Some(merged.id)));
        assert_eq!(merged.name, "Xã Hợp Nhất");
        // The other node still holds the lists it read at its start, until it asks the store
        // (`pcmd serve` asks every two seconds); then it holds the merger, and asks again for nothing.
        assert_eq!(node_b.clone().units.successor(first), None, "the other node has not read the lists again yet");
        assert!(node_b.follow_unit_lists().await.unwrap(), "the store's unit lists moved: read again");
        let seen = node_b.clone();
        assert_eq!((seen.units.successor(first), seen.units.successor(second)), (Some(merged.id), Some(merged.id)));
        assert!(seen.units.get(merged.id).is_some_and(|u| u.name == "Xã Hợp Nhất"));
        assert!(!node_b.follow_unit_lists().await.unwrap(), "read once per change");
        // Both changes are in the audit log with their basis.
        let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'unit_change' AND detail LIKE '%1234/NQ-UBTVQH15%'")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(audited, 2);
        let (_, page, _) = call(&app, "GET", "/admin/units", &admin, "").await;
        assert!(page.contains("Phường Tám Thử") && page.contains("Xã Hợp Nhất"), "{page}");
    })
    .await;
}
