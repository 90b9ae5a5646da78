//! The two seed plans as loaded by `pcmd demo` (SPEC §3).

use crate::helpers::on_each_demo_backend;
use crate::{pcmd, pcmd_json};

#[tokio::test]
async fn soc_trang_resolution_has_every_target_and_its_budget() {
    on_each_demo_backend(async |db| {
        let p = pcmd_json(db, &["plans", "show", "117/NQ-HĐND", "--format", "json"]).await;
        assert_eq!(p["number"], "117/NQ-HĐND");
        assert_eq!(p["issued_on"], "2023-12-07");
        assert_eq!(p["unit_code"], "94");
        assert_eq!(p["implements"], "1629/QĐ-TTg");
        // SPEC §3: a1, a2, a3 (three), b1, b2, c1, c2 (three), d1, d2, đ (two).
        let targets: Vec<(&str, &str)> =
            p["targets"].as_array().unwrap().iter().map(|t| (t["code"].as_str().unwrap(), t["threshold"].as_str().unwrap())).collect();
        assert_eq!(
            targets,
            [
                ("a1", "≥ 100%"),
                ("a2", "≥ 100%"),
                ("a3.workers", "≥ 70%"),
                ("a3.industrial", "≥ 60%"),
                ("a3.students", "≥ 70%"),
                ("b1", "≥ 100%"),
                ("b2", "≥ 100%"),
                ("c1", "≥ 100%"),
                ("c2.growth", "≥ +3%"),
                ("c2.inspected_yearly", "≥ 50%"),
                ("c2.inspected_once", "≥ 100%"),
                ("d1", "≥ 10%"),
                ("d2", "≥ 100%"),
                ("đ.province", "≥ 70%"),
                ("đ.local", "≥ 50%"),
            ]
        );
        let once = &p["targets"][10];
        assert_eq!(once["evaluation"], "whole_period");
        assert_eq!(once["indicator_kind"], "percent_of_items");
        assert!(once["text"].as_str().unwrap().starts_with("đến năm 2025, 100% các cơ sở"));
        // Điều 1 §6: 1.107.680.000 + 1.253.690.000 = 2.361.370.000 đồng.
        let b = &p["budget"];
        assert_eq!(b["years"][0]["year"], 2024);
        assert_eq!(b["years"][0]["allocated"], 1_107_680_000_i64);
        assert_eq!(b["years"][1]["allocated_formatted"], "1.253.690.000");
        assert_eq!(b["sum_of_years"], 2_361_370_000_i64);
        assert_eq!(b["total"], 2_361_370_000_i64);
        assert_eq!(b["total_formatted"], "2.361.370.000");
        assert_eq!(b["total_in_words"], "Hai tỷ, ba trăm sáu mươi mốt triệu, ba trăm bảy mươi nghìn đồng");
        // The original text is held, and shown when asked.
        let with_text = pcmd_json(db, &["plans", "show", "soc-trang-117-2023", "--text", "--format", "json"]).await;
        assert!(with_text["original_text"].as_str().unwrap().contains("KỲ HỌP THỨ 18"));
    })
    .await;
}

#[tokio::test]
async fn lai_chau_plan_has_its_range_count_and_fourteen_tasks() {
    on_each_demo_backend(async |db| {
        let p = pcmd_json(db, &["plans", "show", "lai-chau-2022", "--format", "json"]).await;
        assert_eq!(p["number"], "/KH-UBND", "the document as held has no number");
        assert_eq!(p["issued_on"], serde_json::Value::Null);
        assert_eq!(p["implements"], "3742/KH-UBND");
        assert_eq!(p["targets"].as_array().unwrap().len(), 12);
        let growth = p["targets"].as_array().unwrap().iter().find(|t| t["code"] == "3.3.2.growth").unwrap();
        assert_eq!(
            (growth["comparator"].as_str(), growth["threshold_low"].as_f64(), growth["threshold_high"].as_f64()),
            (Some("between"), Some(3.0), Some(5.0))
        );
        assert_eq!(growth["threshold"], "+3% – +5%");
        let pilot = p["targets"].as_array().unwrap().iter().find(|t| t["code"] == "3.4.1").unwrap();
        assert_eq!((pilot["indicator_kind"].as_str(), pilot["threshold"].as_str()), (Some("count"), Some("≥ 1")));
        // "V. Tổ chức thực hiện" names 14 bodies (items 1–14).
        let tasks = p["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 14);
        assert_eq!(tasks[0]["lead_agency"], "lc-sldtbxh");
        assert_eq!(tasks[11]["lead_agency"], "lc-vksnd");
        assert_eq!(tasks[11]["co_agencies"], serde_json::json!(["lc-tand"]));
        assert_eq!(tasks[7]["co_agencies"], serde_json::json!(["lc-skhdt", "lc-sldtbxh"]));
        assert_eq!(p["budget"]["total"], serde_json::Value::Null, "the plan states no amount");
    })
    .await;
}

#[tokio::test]
async fn plans_form_a_tree_and_the_lead_has_a_history() {
    on_each_demo_backend(async |db| {
        let list = pcmd_json(db, &["plans", "list", "--format", "json"]).await;
        let keys: Vec<(&str, Option<&str>)> =
            list.as_array().unwrap().iter().map(|p| (p["key"].as_str().unwrap(), p["implements"].as_str())).collect();
        assert_eq!(
            keys,
            [
                ("national-1629-2021", None),
                ("lai-chau-3742-2021", Some("1629/QĐ-TTg")),
                ("lai-chau-2022", Some("3742/KH-UBND")),
                ("soc-trang-117-2023", Some("1629/QĐ-TTg")),
            ]
        );
        // Labour led until 28/02/2025, Health from 01/03/2025 (Decree 42/2025/NĐ-CP).
        let leads = pcmd_json(db, &["agencies", "leads", "94", "--date", "2024-01-01", "--format", "json"]).await;
        let spans: Vec<(&str, &str, &str)> = leads
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["agency_code"].as_str().unwrap(), l["valid_from"].as_str().unwrap(), l["valid_to"].as_str().unwrap()))
            .collect();
        assert_eq!(spans, [("st-sldtbxh", "2020-01-01", "2025-02-28"), ("st-syt", "2025-03-01", "2025-06-30")]);
        let after = pcmd_json(db, &["agencies", "leads", "92", "--date", "2025-07-01", "--format", "json"]).await;
        assert_eq!(after[0]["agency_code"], "ct-syt");
        // Lai Châu on the plan's year: its People's Committee and the 17 bodies its 2022 plan names.
        let agencies = pcmd_json(db, &["agencies", "list", "--unit", "12", "--date", "2022-06-30", "--format", "json"]).await;
        assert_eq!(agencies.as_array().unwrap().len(), 18);
        let e = pcmd(db, &["plans", "show", "999/XX"]).await.unwrap_err();
        assert!(format!("{e:#}").contains("không tìm thấy kế hoạch «999/XX»"), "{e:#}");
    })
    .await;
}
