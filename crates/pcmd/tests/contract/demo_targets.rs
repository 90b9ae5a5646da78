//! The demo data gives every target of both seed plans a real status.

use crate::helpers::on_each_demo_backend;
use crate::pcmd_json;
use std::collections::BTreeSet;

fn statuses(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn both_seed_plans_show_every_status() {
    on_each_demo_backend(async |db| {
        let st =
            pcmd_json(db, &["targets", "evaluate", "--plan", "117/NQ-HĐND", "--period", "2024..2025", "--as-of", "2026-01-15", "--format", "json"])
                .await;
        // 12 yearly targets × 2 years + 3 whole-period targets.
        assert_eq!(st.as_array().unwrap().len(), 27);
        let lc =
            pcmd_json(db, &["targets", "evaluate", "--plan", "lai-chau-2022", "--period", "2022", "--as-of", "2026-01-15", "--format", "json"]).await;
        assert_eq!(lc.as_array().unwrap().len(), 12);
        let mut seen = statuses(&st);
        seen.extend(statuses(&lc));
        // Both years are over on 15/01/2026: every figure is final.
        assert_eq!(seen, ["met", "not_met"].map(String::from).into_iter().collect());
        // Every Lai Châu target has a figure; none is trivially 0 %.
        assert!(lc.as_array().unwrap().iter().all(|e| e["value"].as_f64().is_some_and(|v| v > 0.0)), "{lc}");
        // Sóc Trăng 2025 after the reform: the new communes of the former province, in Cần Thơ.
        let a1 = st.as_array().unwrap().iter().find(|e| e["target"] == "a1" && e["period"]["label"] == "2025").unwrap();
        assert_eq!(a1["denominator"], 43.0);
        assert!(a1["note"].as_str().unwrap().contains("Thành phố Cần Thơ"), "{a1}");
        let b1 = st.as_array().unwrap().iter().find(|e| e["target"] == "b1" && e["period"]["label"] == "2025").unwrap();
        // District-based targets for 2025 are judged on the districts of the first half, and say so.
        assert_eq!((b1["denominator"].as_f64(), b1["status"].as_str()), (Some(11.0), Some("met")));
        assert!(b1["note"].as_str().unwrap().contains("30/06/2025"), "{b1}");
        // Part-way through 2025, targets are on track or at risk.
        let mid =
            pcmd_json(db, &["targets", "evaluate", "--plan", "117/NQ-HĐND", "--period", "2025", "--as-of", "2025-09-30", "--format", "json"]).await;
        let mid = statuses(&mid);
        assert!(mid.contains("on_track") && mid.contains("at_risk"), "{mid:?}");
        // The records behind a figure are listed.
        let ex = pcmd_json(db, &["targets", "explain", "--plan", "117/NQ-HĐND", "--target", "c1", "--period", "2024", "--format", "json"]).await;
        let due = ex["evaluation"]["denominator"].as_f64().unwrap();
        assert_eq!(ex["records"].as_array().unwrap().len() as f64, due, "one tip record per tip due");
    })
    .await;
}

/// The Decree 09 half-year 2025-H1 (15/12/2024–14/06/2025) and the year 2025-Y asked
/// on 14/06/2025 count the same days, before 1 July 2025: every figure of the province
/// and of three old districts is the same in both, counted on the old communes and
/// districts of that day. Before 08/12/2026 the year was counted on the new communes
/// it reaches: the province's a3.workers read 902 and 1,105 (one old commune's contacts
/// filled another's workers), a3.industrial and a3.students counted Xã Phú Tân of Hậu
/// Giang under Sóc Trăng's reference figures, a1 counted 43 new communes for 108 old
/// ones, and Thành phố Sóc Trăng lost Phường 10 to Huyện Mỹ Xuyên.
#[tokio::test]
async fn the_same_days_give_the_same_figures_in_a_half_year_and_a_year_so_far() {
    on_each_demo_backend(async |db| {
        let figures = |v: serde_json::Value| -> Vec<(String, String)> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|e| (e["target"].as_str().unwrap().to_string(), format!("{} / {} {}", e["numerator"], e["denominator"], e["status"])))
                .collect()
        };
        // Sóc Trăng; Thành phố Sóc Trăng (Phường 10 went into Phường Mỹ Xuyên), Huyện Mỹ Xuyên,
        // Huyện Kế Sách (two of its communes and one of Long Phú made Xã Nhơn Mỹ); 31510, Phường 2
        // of Sóc Trăng on 14/06/2025, whose code Phường Phú Lợi took on 01/07/2025.
        for unit in ["94", "941", "947", "943", "31510"] {
            let base = ["targets", "evaluate", "--plan", "117/NQ-HĐND", "--unit", unit, "--format", "json"];
            let half = figures(pcmd_json(db, &[&base[..], &["--period", "2025-H1", "--as-of", "2025-06-14"]].concat()).await);
            let year = figures(pcmd_json(db, &[&base[..], &["--period", "2025-Y", "--as-of", "2025-06-14"]].concat()).await);
            assert!(half.len() >= 10, "{unit}: {half:?}");
            assert_eq!(half, year, "{unit} on {}", db.name);
        }
        // The province's a1 on the old communes of the day: 108 of them.
        let a1 =
            pcmd_json(db, &["targets", "evaluate", "--plan", "117/NQ-HĐND", "--period", "2025-Y", "--as-of", "2025-06-14", "--format", "json"]).await;
        let a1 = a1.as_array().unwrap().iter().find(|e| e["target"] == "a1").unwrap().clone();
        assert_eq!(a1["denominator"], 108.0, "{a1}");
        // The records behind a figure are those of that day's units: Thành phố Sóc Trăng's
        // contacts with workers include Phường 10's.
        let behind = async |period: &str| {
            let args = ["targets", "explain", "--plan", "117/NQ-HĐND", "--target", "a3.workers", "--unit", "941", "--as-of", "2025-06-14"];
            let ex = pcmd_json(db, &[&args[..], &["--period", period, "--format", "json"]].concat()).await;
            ex["records"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>()
        };
        let half = behind("2025-H1").await;
        assert!(!half.is_empty());
        assert_eq!(half, behind("2025-Y").await);
        // The DHIS2 values of the calendar year as on 14/06/2025 go to the units of that day, as
        // those of its first half do: the province, its 11 districts and 108 communes.
        let org_units = async |period: &str| {
            let v = pcmd_json(db, &["export", "dhis2", "--plan", "117/NQ-HĐND", "--period", period, "--as-of", "2025-06-14"]).await;
            v["dataValues"].as_array().unwrap().iter().map(|d| d["orgUnit"].as_str().unwrap().to_string()).collect::<BTreeSet<_>>()
        };
        let first_half = org_units("2025S1").await;
        assert_eq!(first_half.len(), 120);
        assert_eq!(org_units("2025").await, first_half);
    })
    .await;
}
