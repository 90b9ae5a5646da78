//! The unit lists across the 2025 reform. Expected figures come from the GSO
//! lists in data/admin-units (counted in their README and by hand with grep).

use crate::helpers::on_each_demo_backend;
use crate::{pcmd, pcmd_json};

fn count(v: &serde_json::Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn the_country_before_and_after_the_reform() {
    on_each_demo_backend(async |db| {
        let n = async |level: &str, date: &str| count(&pcmd_json(db, &["units", "list", "--level", level, "--date", date, "--format", "json"]).await);
        // README of data/admin-units: 63 provinces, 696 districts, 10,035 communes on
        // 30/06/2025; 34 provinces and 3,321 communes (no districts) from 01/07/2025.
        assert_eq!(n("province", "2025-06-30").await, 63);
        assert_eq!(n("district", "2025-06-30").await, 696);
        assert_eq!(n("commune", "2025-06-30").await, 10_035);
        assert_eq!(n("province", "2025-07-01").await, 34);
        assert_eq!(n("district", "2025-07-01").await, 0);
        assert_eq!(n("commune", "2025-07-01").await, 3_321);
        // The old list is taken as valid from 01/01/2020 by default, not before.
        assert_eq!(n("province", "2019-12-31").await, 0);
    })
    .await;
}

#[tokio::test]
async fn soc_trang_and_lai_chau_on_their_plans_dates() {
    on_each_demo_backend(async |db| {
        let n = async |level: &str, date: &str, parent: &str| {
            count(&pcmd_json(db, &["units", "list", "--level", level, "--date", date, "--parent", parent, "--format", "json"]).await)
        };
        // Sóc Trăng (94): rows with province_code 94 in units-2025-06-30.csv hold
        // 11 distinct district codes and 108 communes.
        assert_eq!(n("district", "2024-12-31", "94").await, 11);
        assert_eq!(n("commune", "2024-12-31", "94").await, 108);
        // Lai Châu (12): 8 districts and 106 communes before; 38 communes after.
        assert_eq!(n("district", "2022-06-30", "12").await, 8);
        assert_eq!(n("commune", "2022-06-30", "12").await, 106);
        assert_eq!(n("commune", "2025-07-01", "12").await, 38);
        // A district's subtree: Thành phố Sóc Trăng (941) had 9 wards (grep -c ',941,' in the CSV).
        let wards = pcmd_json(db, &["units", "list", "--level", "commune", "--date", "2024-12-31", "--parent", "941", "--format", "json"]).await;
        assert_eq!(count(&wards), 9);
        assert!(wards.as_array().unwrap().iter().all(|w| w["parent_code"] == "941"));
    })
    .await;
}

#[tokio::test]
async fn a_unit_json_has_the_documented_fields() {
    on_each_demo_backend(async |db| {
        let v = pcmd_json(db, &["units", "list", "--level", "commune", "--date", "2025-07-01", "--parent", "92", "--format", "json"]).await;
        let w = v.as_array().unwrap().iter().find(|w| w["code"] == "31507").expect("Phường Sóc Trăng");
        assert_eq!(w["name"], "Phường Sóc Trăng");
        assert_eq!(w["type"], "Phường");
        assert_eq!(w["level"], "commune");
        assert_eq!(w["parent_code"], "92");
        assert_eq!(w["valid_from"], "2025-07-01");
        assert_eq!(w["valid_to"], "9999-12-31");
        assert!(w["lat"].is_f64() && w["lon"].is_f64() && w["area_km2"].is_f64());
        let keys: Vec<&str> = w.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 10, "{keys:?}");
    })
    .await;
}

#[tokio::test]
async fn ancestors_successors_and_predecessors() {
    on_each_demo_backend(async |db| {
        let shown = pcmd_json(db, &["units", "show", "31507", "--date", "2024-06-01", "--format", "json"]).await;
        assert_eq!(shown["name"], "Phường 6");
        let ancestors: Vec<&str> = shown["ancestors"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect();
        assert_eq!(ancestors, ["941", "94"]);
        // The same code after the reform is another unit: a ward of Cần Thơ.
        let after = pcmd_json(db, &["units", "show", "31507", "--date", "2025-07-01", "--format", "json"]).await;
        assert_eq!(after["name"], "Phường Sóc Trăng");
        assert_eq!(after["ancestors"][0]["name"], "Thành phố Cần Thơ");

        // ward-successors-2025.csv: 31582 was split, most of it into 31582, a part into 31378.
        let s = pcmd_json(db, &["units", "successors", "31582", "--format", "json"]).await;
        let parts: Vec<(&str, &str)> = s.as_array().unwrap().iter().map(|r| (r["new_code"].as_str().unwrap(), r["kind"].as_str().unwrap())).collect();
        assert_eq!(parts, [("31378", "split"), ("31582", "split-default")]);
        assert!(s.as_array().unwrap().iter().all(|r| r["new_province_code"] == "92"));
        // Four wards of Sóc Trăng city (31498, 31501, 31504, 31507) became Phường Sóc Trăng.
        let p = pcmd_json(db, &["units", "predecessors", "31507", "--format", "json"]).await;
        let olds: Vec<&str> = p.as_array().unwrap().iter().map(|r| r["old_code"].as_str().unwrap()).collect();
        assert_eq!(olds, ["31498", "31501", "31504", "31507"]);
        // The whole former province: 116 succession rows (grep -c '^94,' in the CSV).
        assert_eq!(count(&pcmd_json(db, &["units", "successors", "94", "--format", "json"]).await), 116);
        // An island district without communes went whole into a special zone.
        let island = pcmd_json(db, &["units", "successors", "318", "--format", "json"]).await;
        assert_eq!(island[0]["new_name"], "Đặc khu Bạch Long Vĩ");
    })
    .await;
}

#[tokio::test]
async fn unknown_codes_and_dates_are_clear_errors() {
    on_each_demo_backend(async |db| {
        let e = pcmd(db, &["units", "list", "--level", "commune", "--date", "2025-07-01", "--parent", "94"]).await.unwrap_err();
        let msg = format!("{e:#}");
        assert!(msg.contains("«94»") && msg.contains("01/07/2025") && msg.contains("no administrative unit"), "{msg}");
        let e = pcmd(db, &["units", "list", "--level", "commune", "--date", "31/02/2024"]).await.unwrap_err();
        assert!(format!("{e:#}").contains("ngày không hợp lệ"), "{e:#}");
        let e = pcmd(db, &["units", "list", "--level", "hamlet"]).await.unwrap_err();
        assert!(format!("{e:#}").contains("cấp không hợp lệ"), "{e:#}");
    })
    .await;
}

/// The unit index is read as two packed text values (`store/src/units/index.rs`),
/// not row by row: it must hold every unit and link exactly as the row-by-row
/// reads give them, and a text holding its separator must still come back whole.
#[tokio::test]
async fn the_unit_index_holds_every_unit_as_stored() {
    use pcmd_domain::units::{Level, SuccessionKind};
    use sqlx::Row;
    on_each_demo_backend(async |db| {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let index = db.store.unit_index().await.unwrap();
        // 63 + 696 + 10,035 units valid on 30/06/2025 and 34 + 3,321 on 01/07/2025
        // (the first test above): 14,149, every row of the table.
        let rows: i64 = sqlx::query("SELECT COUNT(*) FROM unit").fetch_one(db.store.pool()).await.unwrap().get(0);
        assert_eq!((index.len(), rows), (14_149, 14_149));
        let mut compared = 0;
        for date in ["2025-06-30", "2025-07-01"] {
            for level in [Level::Province, Level::District, Level::Commune] {
                for u in db.store.units_on(day(date), level, None).await.unwrap() {
                    // Every field, the coordinates and area to the last bit.
                    assert_eq!(index.get(u.id), Some(&u), "unit {} on {date}", u.code);
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 14_149);
        // Sóc Trăng's 116 links read row by row: a whole or default part is the
        // index's successor; a minor part of a split is not.
        let links = db.store.successors("94").await.unwrap();
        assert_eq!(links.len(), 116);
        for s in &links {
            let default = matches!(s.kind, SuccessionKind::Whole | SuccessionKind::SplitDefault);
            assert_eq!(index.successor(s.old.id) == Some(s.new.id), default, "{} → {}", s.old.code, s.new.code);
        }
        // A coordinate and an area of 17 significant digits come back to the last bit
        // (SQLite's CAST of a real to text would keep 15: 0.3, 0.333333333333333).
        let ward = index.resolve("31507", day("2024-06-01")).unwrap().id;
        let real = |x: &str| format!("CAST({x} AS DOUBLE PRECISION)");
        sqlx::query(&format!("UPDATE unit SET lat = {} + {}, area_km2 = {} / {} WHERE id = $1", real("0.1"), real("0.2"), real("1"), real("3")))
            .bind(ward)
            .execute(db.store.pool())
            .await
            .unwrap();
        let stored = db.store.unit(ward).await.unwrap().unwrap();
        assert_eq!((stored.lat, stored.area_km2), (Some(0.1_f64 + 0.2_f64), Some(1.0_f64 / 3.0_f64)));
        assert_eq!(db.store.unit_index().await.unwrap().get(ward), Some(&stored));
        // A name holding the field separator cannot be split: read row by row, whole.
        let sep = if db.store.backend() == pcmd_store::Backend::Sqlite { "char(31)" } else { "chr(31)" };
        sqlx::query(&format!("UPDATE unit SET name = name || {sep} || 'x' WHERE id = $1")).bind(ward).execute(db.store.pool()).await.unwrap();
        let again = db.store.unit_index().await.unwrap();
        assert_eq!(again.get(ward).unwrap().name, "Phường 6\u{1f}x");
        assert_eq!(again.len(), 14_149);
    })
    .await;
}

/// Across the reform the old districts' figures add up to their province's: a
/// new commune made of communes of two old districts counts with one of them,
/// the one whose commune's code it carries. From ward-successors-2025.csv:
/// Phường Mỹ Xuyên (31684) took Phường 10 of Thành phố Sóc Trăng (941) and two
/// communes of Huyện Mỹ Xuyên (947), its own code among them, so it counts for
/// 947 only; Xã Nhơn Mỹ (31552) took two communes of Kế Sách (943) and Xã Song
/// Phụng of Long Phú (946), so 943; Xã Tân Long (31741) took two of Ngã Năm
/// (948) and Xã Thạnh Tân of Thạnh Trị (949), so 948.
#[tokio::test]
async fn old_districts_across_the_reform_partition_their_province() {
    use chrono::Datelike;
    use pcmd_domain::period::{Cutoff, Period};
    use std::collections::BTreeSet;
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let year = Period::parse("2025", Cutoff::Calendar).unwrap();
        let old = |code: &str| units.resolve(code, chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()).unwrap().clone();
        let territory = |code: &str| pcmd_engine::Territory::build(&units, &old(code), &year).unwrap();
        let province = territory("94");
        let code = |id: &i64| units.get(*id).unwrap().code.clone();
        let mut seen_communes: BTreeSet<i64> = BTreeSet::new();
        let mut seen_members: BTreeSet<i64> = BTreeSet::new();
        let districts = ["941", "942", "943", "944", "945", "946", "947", "948", "949", "950", "951"];
        for d in districts {
            let t = territory(d);
            for c in &t.communes {
                assert!(seen_communes.insert(*c), "{} counted by two old districts", code(c));
            }
            for m in t.commune_of.keys() {
                assert!(seen_members.insert(*m), "{} counted by two old districts", code(m));
            }
            // Every old district is still itself: its own district-level records count.
            assert!(t.districts.contains(&old(d).id) && t.members.contains(&old(d).id), "{d}");
        }
        let province_communes: BTreeSet<i64> = province.communes.iter().copied().collect();
        assert_eq!(seen_communes, province_communes, "the eleven districts' new communes are the province's");
        let province_members: BTreeSet<i64> = province.commune_of.keys().copied().collect();
        assert_eq!(seen_members, province_members);
        let new = |code: &str| units.resolve(code, chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()).unwrap().id;
        for (commune, with, without) in [("31684", "947", "941"), ("31552", "943", "946"), ("31741", "948", "949")] {
            assert!(territory(with).communes.contains(&new(commune)), "{commune} with {with}");
            assert!(!territory(without).communes.contains(&new(commune)), "{commune} not with {without}");
        }
        // Thành phố Sóc Trăng's figures say where its Phường 10 went.
        let note = territory("941").note.unwrap();
        assert!(
            note.contains("1 xã, phường cũ của Thành phố Sóc Trăng được tính cho đơn vị cũ khác: Phường 10 (nay thuộc Phường Mỹ Xuyên, tính cho Huyện Mỹ Xuyên)"),
            "{note}"
        );
        // The whole country: every new commune that an old commune (whole or its main
        // part) or an island district went into is counted by exactly one old province
        // after the reform.
        let mut counted: BTreeSet<i64> = BTreeSet::new();
        let provinces = db.store.units_on(chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(), pcmd_domain::units::Level::Province, None).await.unwrap();
        assert_eq!(provinces.len(), 63);
        for p in &provinces {
            for c in pcmd_engine::Territory::build(&units, p, &year).unwrap().communes {
                assert!(counted.insert(c), "{} counted by two old provinces", code(&c));
            }
        }
        let with_predecessors = units.successions().map(|(_, new)| new).filter(|n| units.get(*n).is_some_and(|u| u.valid_from.year() == 2025)).collect::<BTreeSet<i64>>();
        // And the one no old commune went into whole or mostly: Phường Yên Sở (00340), whose
        // namesake of Quận Hoàng Mai split (its main part into 00331): it counts with Hoàng Mai.
        let yen_so = new("00340");
        assert!(!with_predecessors.contains(&yen_so));
        let every_new: BTreeSet<i64> = units
            .iter()
            .filter(|u| u.level == pcmd_domain::units::Level::Commune && u.valid_from == chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap())
            .map(|u| u.id)
            .collect();
        assert_eq!(every_new.len(), 3_321);
        assert_eq!(counted, every_new, "every new commune of the country, once");
        assert!(territory("008").communes.contains(&yen_so), "Phường Yên Sở with Quận Hoàng Mai");
        let note = territory("947").note.unwrap();
        assert!(note.contains("gồm cả 1 xã, phường cũ ngoài Huyện Mỹ Xuyên: Phường 10 (Thành phố Sóc Trăng)"), "{note}");
        // Phường 10's records count for Huyện Mỹ Xuyên's district item at every level (b1:
        // a district with an activity): in the province's territory, in 947's, and in none
        // of 941's (the review's case: the province said 941, 941 itself said nothing).
        let phuong_10 = old("31525").id;
        assert_eq!(province.district_of.get(&phuong_10), Some(&old("947").id));
        assert_eq!(territory("947").district_of.get(&phuong_10), Some(&old("947").id));
        assert!(!territory("941").members.contains(&phuong_10));
        // The press reaching old Sóc Trăng in 2025: its own old province's and Cần Thơ's, not old Hậu
        // Giang's, whose Xã Phú Tân it takes in (the attack of 07/12/2026: Báo Hậu Giang counted in a2).
        let press: Vec<String> = province.provinces.iter().map(code).collect();
        assert!(press.contains(&"92".to_string()) && press.contains(&"94".to_string()) && !press.contains(&"93".to_string()), "{press:?}");
        // Before the reform nothing changes: the district's own subtree.
        let h1 = Period::parse("2025-H1", Cutoff::Calendar).unwrap();
        let t = pcmd_engine::Territory::build(&units, &old("941"), &h1).unwrap();
        assert!(t.members.contains(&old("31525").id), "Phường 10 in its district before 1 July");
    })
    .await;
}
