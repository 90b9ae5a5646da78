//! The DHIS2 export: values equal the engine's, in DHIS2's period notation,
//! one per indicator and unit; periods DHIS2 cannot name are refused.

use crate::helpers::on_each_demo_backend;
use crate::{pcmd, pcmd_json};

#[tokio::test]
async fn dhis2_values_are_the_engines_figures() {
    on_each_demo_backend(async |db| {
        let args = ["--plan", "lai-chau-2022", "--period", "2022", "--as-of", "2026-01-15"];
        let mut export = vec!["export", "dhis2"];
        export.extend_from_slice(&args);
        let set = pcmd_json(db, &export).await;
        let values = set["dataValues"].as_array().unwrap();
        let mut evaluate = vec!["targets", "evaluate", "--format", "json"];
        evaluate.extend_from_slice(&args);
        let engine = pcmd_json(db, &evaluate).await;
        // Province 12: every target whose indicator is not shared with an earlier one, with its value rounded to 0.01.
        let province: Vec<_> = values.iter().filter(|v| v["orgUnit"] == "12").collect();
        let mut seen = std::collections::HashSet::new();
        let mut expected = 0;
        for e in engine.as_array().unwrap() {
            let indicator = e["indicator"].as_str().unwrap();
            let Some(v) = e["value"].as_f64() else { continue };
            if !seen.insert(indicator.to_string()) {
                continue;
            }
            expected += 1;
            let got = province.iter().find(|d| d["dataElement"] == indicator).unwrap_or_else(|| panic!("{indicator} missing"));
            let got: f64 = got["value"].as_str().unwrap().parse().unwrap();
            assert!((got - (v * 100.0).round() / 100.0).abs() < 1e-9, "{indicator}: {got} vs {v}");
        }
        assert_eq!(province.len(), expected);
        assert!(values.iter().all(|v| v["period"] == "2022"));
        // Districts (8) and communes (106) of 2022 Lai Châu are there too.
        let units: std::collections::HashSet<&str> = values.iter().map(|v| v["orgUnit"].as_str().unwrap()).collect();
        assert!(units.len() > 100 && units.len() <= 1 + 8 + 106, "{}", units.len());
        // A quarter and a calendar half carry DHIS2's notation; a Decree 09 range cannot be named.
        let q = pcmd_json(db, &["export", "dhis2", "--plan", "lai-chau-2022", "--period", "2022-Q2", "--as-of", "2026-01-15"]).await;
        assert!(q["dataValues"].as_array().unwrap().iter().all(|v| v["period"] == "2022Q2"));
        let err = pcmd(db, &["export", "dhis2", "--plan", "lai-chau-2022", "--period", "2021-12-15..2022-06-14"]).await.unwrap_err();
        assert!(format!("{err:#}").contains("DHIS2 không có kỳ"), "{err:#}");
    })
    .await;
}

/// The tips a report's statistics read are the tips the list shows, on both backends.
#[tokio::test]
async fn tip_statistics_read_the_listed_tips() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let lai_chau = units.subtree(units.resolve("12", chrono::NaiveDate::from_ymd_opt(2022, 6, 30).unwrap()).unwrap().id);
        let (from, to) = (chrono::NaiveDate::from_ymd_opt(2022, 1, 1), chrono::NaiveDate::from_ymd_opt(2022, 12, 31));
        let filter = pcmd_store::records::read::ListFilter { units: lai_chau.clone(), from, to, limit: 1, ..Default::default() };
        let (_, listed) = db.store.list_records(pcmd_domain::records::form::RecordKind::Tip, &filter).await.unwrap();
        let facts = db.store.tip_handling(&lai_chau, from, to).await.unwrap();
        // The demo writes 26 tips for Lai Châu in 2022.
        assert_eq!((listed, facts.len()), (26, 26));
        let s = pcmd_domain::records::tip_stats(&facts, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(s.total, 26);
        assert_eq!(s.by_status.iter().map(|(_, n)| n).sum::<i64>(), 26);
        assert!(s.median_days.is_some() && s.p90_days >= s.median_days.map(|m| m.floor() as i64));
    })
    .await;
}
