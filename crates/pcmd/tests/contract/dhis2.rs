//! The DHIS2 export: numerators, denominators and counts equal the engine's,
//! under the id schemes DHIS2 reads them by, in DHIS2's period notation; Decree
//! 09 periods are refused; every value finds its data element, unit, plan and
//! data set in the metadata `export dhis2-metadata` writes, whose references all
//! resolve within it; units that share a GSO code across the reform do not
//! share a DHIS2 code.

use crate::helpers::on_each_demo_backend;
use crate::{pcmd, pcmd_json};
use chrono::{Datelike, NaiveDate};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key].as_array().unwrap_or_else(|| panic!("no array {key}"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// `^[A-Za-z][A-Za-z0-9]{10}$`, DHIS2's CodeGenerator pattern.
fn is_uid(u: &str) -> bool {
    u.len() == 11 && u.chars().next().unwrap().is_ascii_alphabetic() && u.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The data elements an engine figure gives, with the figure each holds: a share its
/// numerator and denominator, a count its value, a growth its value and both years' counts.
fn expected_parts(e: &Value, letter: &str) -> Vec<(String, Option<f64>)> {
    let ind = s(&e["indicator"]);
    let kind = pcmd_domain::plan::indicator::find(ind).unwrap().kind.as_str();
    let code = |part: &str| format!("PCMD_{letter}_{}_{part}", ind.to_uppercase());
    let (num, den, val) = (e["numerator"].as_f64(), e["denominator"].as_f64(), e["value"].as_f64());
    match kind {
        "count" => vec![(code("VAL"), val)],
        "growth" => vec![(code("VAL"), val), (code("NUM"), num), (code("DEN"), den)],
        _ => vec![(code("NUM"), num), (code("DEN"), den)],
    }
}

#[tokio::test]
async fn dhis2_values_are_the_engines_figures() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let args = ["--plan", "lai-chau-2022", "--period", "2022", "--as-of", "2026-01-15"];
        let mut export = vec!["export", "dhis2"];
        export.extend_from_slice(&args);
        let raw = pcmd(db, &export).await.unwrap();
        let set: Value = serde_json::from_str(&raw).unwrap();
        // Codes, not UIDs, name data elements and units; DHIS2 reads the schemes only before the values.
        assert_eq!((s(&set["dataElementIdScheme"]), s(&set["orgUnitIdScheme"])), ("CODE", "CODE"));
        assert_eq!(s(&set["categoryOptionComboIdScheme"]), "UID");
        let values_at = raw.find("\"dataValues\"").unwrap();
        for scheme in ["\"dataElementIdScheme\"", "\"orgUnitIdScheme\"", "\"categoryOptionComboIdScheme\"", "\"dataSet\""] {
            assert!(raw.find(scheme).unwrap() < values_at, "{scheme} after the values");
        }
        let values = arr(&set, "dataValues");
        let mut evaluate = vec!["targets", "evaluate", "--format", "json"];
        evaluate.extend_from_slice(&args);
        let engine = pcmd_json(db, &evaluate).await;
        // Province 12 (of the list valid until the reform): every target whose indicator is not shared
        // with an earlier one, its numerator and denominator (or count) rounded to 0.01.
        let lai_chau = units.resolve("12", day(2022, 6, 30)).unwrap();
        let province_code = format!("VN-{}-12", lai_chau.valid_from.year());
        let province: Vec<&Value> = values.iter().filter(|v| v["orgUnit"] == province_code.as_str()).collect();
        let mut seen = HashSet::new();
        let mut expected = 0;
        for e in engine.as_array().unwrap() {
            if !seen.insert(s(&e["indicator"]).to_string()) {
                continue;
            }
            for (code, figure) in expected_parts(e, "Y") {
                let got = province.iter().find(|d| d["dataElement"] == code.as_str());
                match (figure, got) {
                    (Some(v), Some(got)) => {
                        let got: f64 = s(&got["value"]).parse().unwrap();
                        assert!((got - (v * 100.0).round() / 100.0).abs() < 1e-9, "{code}: {got} vs {v}");
                        expected += 1;
                    }
                    (None, None) => {}
                    (v, got) => panic!("{code}: engine {v:?}, DHIS2 {got:?}"),
                }
            }
        }
        assert_eq!(province.len(), expected);
        assert!(expected >= 20, "{expected}");
        // No value is a percentage any more: no share's numerator is above its denominator.
        assert!(province.iter().all(|d| s(&d["dataElement"]).starts_with("PCMD_Y_")));
        let figure = |code: &str| province.iter().find(|d| d["dataElement"] == code).map(|d| s(&d["value"]).parse::<f64>().unwrap());
        for d in province.iter().map(|d| s(&d["dataElement"])).filter(|c| c.ends_with("_NUM") && !c.contains("_GROWTH_")) {
            assert!(figure(d).unwrap() <= figure(&d.replace("_NUM", "_DEN")).unwrap(), "{d}");
        }
        assert!(values.iter().all(|v| v["period"] == "2022"));
        // Districts (8) and communes (106) of 2022 Lai Châu are there too.
        let ous: HashSet<&str> = values.iter().map(|v| s(&v["orgUnit"])).collect();
        assert!(ous.len() > 100 && ous.len() <= 1 + 8 + 106, "{}", ous.len());
        // Zeros that mean something are sent: a commune with none of its workers reached, of some.
        let by_key: HashMap<(&str, &str), &str> = values.iter().map(|v| ((s(&v["dataElement"]), s(&v["orgUnit"])), s(&v["value"]))).collect();
        let meaningful_zeros = values
            .iter()
            .filter(|v| v["value"] == "0" && s(&v["dataElement"]).ends_with("_NUM"))
            .filter(|v| {
                let den = s(&v["dataElement"]).replace("_NUM", "_DEN");
                by_key.get(&(den.as_str(), s(&v["orgUnit"]))).is_some_and(|d| d.parse::<f64>().unwrap() > 0.0)
            })
            .count();
        assert!(meaningful_zeros > 0, "no zero numerator over a positive denominator");
    })
    .await;
}

#[tokio::test]
async fn dhis2_periods_are_exactly_what_they_say() {
    on_each_demo_backend(async |db| {
        let export = |period: &'static str| ["export", "dhis2", "--plan", "lai-chau-2022", "--period", period, "--as-of", "2026-01-15"];
        let periods = |set: &Value| arr(set, "dataValues").iter().map(|v| s(&v["period"]).to_string()).collect::<HashSet<_>>();
        // A calendar year is that year; a calendar half, in DHIS2's notation or as days, is its S1.
        let year = pcmd_json(db, &export("2022")).await;
        assert_eq!(periods(&year), HashSet::from(["2022".to_string()]));
        let half = pcmd_json(db, &export("2022S1")).await;
        assert_eq!(periods(&half), HashSet::from(["2022S1".to_string()]));
        assert!(arr(&half, "dataValues").iter().all(|v| s(&v["dataElement"]).starts_with("PCMD_S_")));
        assert_eq!(pcmd_json(db, &export("2022-01-01..2022-06-30")).await, half);
        let quarter = pcmd_json(db, &export("2022-Q2")).await;
        assert_eq!(periods(&quarter), HashSet::from(["2022Q2".to_string()]));
        assert_eq!(pcmd_json(db, &export("2022Q2")).await, quarter);
        // The yearly and half-year values go to data sets of their own period type.
        assert_ne!(year["dataSet"], half["dataSet"]);
        // A Decree 09 year or half (15/12 to 14/12 or 14/06) is refused, in both languages.
        for p in ["2022-Y", "2022-H1", "2022-H2", "2021-12-15..2022-06-14"] {
            let err = format!("{:#}", pcmd(db, &export(p)).await.unwrap_err());
            assert!(err.contains("Nghị định 09/2019/NĐ-CP") && err.contains("Decree 09/2019"), "{p}: {err}");
        }
        let err = format!("{:#}", pcmd(db, &export("2022-Y")).await.unwrap_err());
        assert!(err.contains("15/12/2021 – 14/12/2022"), "{err}");
        // Other ranges have no DHIS2 period.
        for p in ["2022..2023", "2022-02-01..2022-04-30"] {
            let err = format!("{:#}", pcmd(db, &export(p)).await.unwrap_err());
            assert!(err.contains("DHIS2 không có kỳ") && err.contains("DHIS2 has no period"), "{p}: {err}");
        }
    })
    .await;
}

/// Every UID an object refers to, by the array its object must be in.
fn references(m: &Value) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let id = |v: &Value| s(&v["id"]).to_string();
    for i in arr(m, "indicators") {
        for side in ["numerator", "denominator"] {
            let expr = s(&i[side]);
            let uids: Vec<&str> = expr.split("#{").skip(1).map(|r| r.split('}').next().unwrap()).collect();
            assert!(!uids.is_empty(), "{expr}");
            out.extend(uids.into_iter().map(|u| ("dataElements", u.to_string(), id(i))));
        }
        out.push(("indicatorTypes", id(&i["indicatorType"]), id(i)));
    }
    for d in arr(m, "dataSets") {
        out.push(("categoryCombos", id(&d["categoryCombo"]), id(d)));
        out.extend(arr(d, "dataSetElements").iter().map(|e| ("dataElements", id(&e["dataElement"]), id(d))));
        out.extend(arr(d, "indicators").iter().map(|i| ("indicators", id(i), id(d))));
        out.extend(arr(d, "organisationUnits").iter().map(|o| ("organisationUnits", id(o), id(d))));
    }
    for c in arr(m, "categories") {
        out.extend(arr(c, "categoryOptions").iter().map(|o| ("categoryOptions", id(o), id(c))));
    }
    for c in arr(m, "categoryCombos") {
        out.extend(arr(c, "categories").iter().map(|o| ("categories", id(o), id(c))));
    }
    for c in arr(m, "categoryOptionCombos") {
        out.push(("categoryCombos", id(&c["categoryCombo"]), id(c)));
        out.extend(arr(c, "categoryOptions").iter().map(|o| ("categoryOptions", id(o), id(c))));
    }
    for o in arr(m, "organisationUnits").iter().filter(|o| o.get("parent").is_some()) {
        out.push(("organisationUnits", id(&o["parent"]), id(o)));
    }
    out
}

/// Checks a metadata payload on its own; returns it.
fn check_metadata(m: &Value) {
    let mut all_ids = HashSet::new();
    for (kind, objects) in m.as_object().unwrap() {
        let objects = objects.as_array().unwrap();
        assert!(!objects.is_empty(), "{kind}");
        let mut codes = HashSet::new();
        let mut short_names = HashSet::new();
        let mut names = HashSet::new();
        for o in objects {
            let id = s(&o["id"]);
            assert!(is_uid(id), "{kind}: {id}");
            assert!(all_ids.insert(id.to_string()), "{kind}: UID {id} twice");
            let code = s(&o["code"]);
            assert!(code.chars().count() <= 50 && codes.insert(code.to_string()), "{kind}: code {code}");
            let name = s(&o["name"]);
            assert!(name.encode_utf16().count() <= 230, "{kind}: {name}");
            if kind != "organisationUnits" {
                assert!(names.insert(name.to_string()), "{kind}: name {name} twice");
            }
            if let Some(short) = o.get("shortName") {
                assert!(s(short).encode_utf16().count() <= 50, "{kind}: {short}");
                if kind != "organisationUnits" {
                    assert!(short_names.insert(s(short).to_string()), "{kind}: short name {short} twice");
                }
            }
        }
    }
    let ids_of = |kind: &str| arr(m, kind).iter().map(|o| s(&o["id"]).to_string()).collect::<HashSet<_>>();
    for (kind, id, from) in references(m) {
        assert!(ids_of(kind).contains(&id), "{from} refers to {id}, not in {kind}");
    }
    for d in arr(m, "dataElements") {
        assert_eq!((s(&d["valueType"]), s(&d["domainType"])), ("NUMBER", "AGGREGATE"));
        assert_eq!(d["zeroIsSignificant"], true);
        let aggregation = s(&d["aggregationType"]);
        // A growth (percent change) is not summed; counts are.
        let growth_value = s(&d["code"]).ends_with("_GROWTH_VAL");
        assert_eq!(aggregation, if growth_value { "NONE" } else { "SUM" }, "{}", d["code"]);
    }
    for t in arr(m, "indicatorTypes") {
        assert_eq!(t["factor"], 100);
    }
    for o in arr(m, "organisationUnits") {
        assert!(o["openingDate"].is_string());
    }
    let period_types: HashSet<&str> = arr(m, "dataSets").iter().map(|d| s(&d["periodType"])).collect();
    assert_eq!(period_types, HashSet::from(["Yearly", "SixMonthly", "Quarterly", "Monthly"]));
}

#[tokio::test]
async fn dhis2_metadata_holds_everything_the_values_name() {
    on_each_demo_backend(async |db| {
        let cases: [(&str, &[&str]); 2] = [("117/NQ-HĐND", &["2024", "2025", "2025S2", "2024Q3"]), ("lai-chau-2022", &["2022", "202205"])];
        for (plan, periods) in cases {
            let m = pcmd_json(db, &["export", "dhis2-metadata", "--plan", plan]).await;
            check_metadata(&m);
            let code_of = |kind: &str| arr(&m, kind).iter().map(|o| (s(&o["code"]).to_string(), s(&o["id"]).to_string())).collect::<HashMap<_, _>>();
            let (elements, ous) = (code_of("dataElements"), code_of("organisationUnits"));
            let combos: HashSet<String> = code_of("categoryOptionCombos").into_values().collect();
            for period in periods {
                let set = pcmd_json(db, &["export", "dhis2", "--plan", plan, "--period", period, "--as-of", "2026-01-15"]).await;
                let data_set = arr(&m, "dataSets").iter().find(|d| d["id"] == set["dataSet"]).unwrap_or_else(|| panic!("{plan} {period}: data set"));
                let in_set: HashSet<&str> = arr(data_set, "dataSetElements").iter().map(|e| s(&e["dataElement"]["id"])).collect();
                let assigned: HashSet<&str> = arr(data_set, "organisationUnits").iter().map(|o| s(&o["id"])).collect();
                let values = arr(&set, "dataValues");
                assert!(!values.is_empty(), "{plan} {period}");
                for v in values {
                    let de = elements.get(s(&v["dataElement"])).unwrap_or_else(|| panic!("{plan} {period}: {}", v["dataElement"]));
                    assert!(in_set.contains(de.as_str()), "{plan} {period}: {} not in the data set", v["dataElement"]);
                    let ou = ous.get(s(&v["orgUnit"])).unwrap_or_else(|| panic!("{plan} {period}: {}", v["orgUnit"]));
                    assert!(assigned.contains(ou.as_str()), "{plan} {period}: {} not assigned", v["orgUnit"]);
                    assert!(combos.contains(s(&v["attributeOptionCombo"])), "{plan} {period}: {}", v["attributeOptionCombo"]);
                }
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_gso_code_reused_by_the_reform_is_two_dhis2_units() {
    on_each_demo_backend(async |db| {
        let m = pcmd_json(db, &["export", "dhis2-metadata", "--plan", "117/NQ-HĐND"]).await;
        let units = db.store.unit_index().await.unwrap();
        // 31510: Phường 2 of Sóc Trăng city until 30/06/2025, Phường Phú Lợi of Cần Thơ from 01/07/2025.
        let (old, new) = (units.resolve("31510", day(2024, 6, 30)).unwrap(), units.resolve("31510", day(2025, 7, 1)).unwrap());
        assert_ne!(old.id, new.id);
        let (old_code, new_code) = (format!("VN-{}-31510", old.valid_from.year()), "VN-2025-31510".to_string());
        assert_ne!(old_code, new_code);
        let ous = arr(&m, "organisationUnits");
        let find = |code: &str| ous.iter().find(|o| o["code"] == code).unwrap_or_else(|| panic!("{code} missing"));
        let (o, n) = (find(&old_code), find(&new_code));
        assert_ne!(o["id"], n["id"]);
        assert_eq!((s(&o["name"]), s(&n["name"])), ("Phường 2", "Phường Phú Lợi"));
        assert_eq!(o["closedDate"], "2025-06-30");
        assert_eq!(n["openingDate"], "2025-07-01");
        assert!(n.get("closedDate").is_none());
        // Their parents: Thành phố Sóc Trăng (district 941), and the new Cần Thơ (92).
        let parent = |x: &Value| ous.iter().find(|p| p["id"] == x["parent"]["id"]).map(|p| s(&p["code"]).to_string());
        assert_eq!(parent(o), Some(format!("VN-{}-941", old.valid_from.year())));
        assert_eq!(parent(n).as_deref(), Some("VN-2025-92"));
        // 2024's figures go to the old ward, those of the second half of 2025 to the new one.
        let at = async |period: &str| {
            let set = pcmd_json(db, &["export", "dhis2", "--plan", "117/NQ-HĐND", "--period", period, "--as-of", "2026-01-15"]).await;
            arr(&set, "dataValues").iter().map(|v| s(&v["orgUnit"]).to_string()).collect::<HashSet<_>>()
        };
        let (y2024, h2_2025) = (at("2024").await, at("2025S2").await);
        assert!(y2024.contains(&old_code) && !y2024.contains(&new_code));
        assert!(h2_2025.contains(&new_code) && !h2_2025.contains(&old_code));

        // Sharing (the safety review of 07/12/2026: every DHIS2 user could read and overwrite small counts
        // by commune): metadata read for all, data only for the group named with --data-group.
        for set in arr(&m, "dataSets").iter().chain(arr(&m, "categoryOptions").iter()) {
            assert_eq!(set["sharing"]["public"], "r-------", "{set}");
            assert!(set["sharing"]["userGroups"].as_object().unwrap().is_empty());
        }
        let grouped = pcmd_json(db, &["export", "dhis2-metadata", "--plan", "117/NQ-HĐND", "--data-group", "Gr0upUid123"]).await;
        for set in arr(&grouped, "dataSets") {
            assert_eq!(set["sharing"]["userGroups"]["Gr0upUid123"]["access"], "r-rw----", "{set}");
        }
        let err = format!("{:#}", pcmd(db, &["export", "dhis2-metadata", "--plan", "117/NQ-HĐND", "--data-group", "all"]).await.unwrap_err());
        assert!(err.contains("không phải UID"), "{err}");

        // Under a parent in the ministry's tree, the provinces hang from it and the levels move down.
        let parent_uid = "AbCdEf12345";
        let under = pcmd_json(db, &["export", "dhis2-metadata", "--plan", "117/NQ-HĐND", "--parent", parent_uid, "--parent-level", "1"]).await;
        let roots: Vec<&Value> = arr(&under, "organisationUnits").iter().filter(|o| o["parent"]["id"] == parent_uid).collect();
        assert_eq!(
            roots.iter().map(|o| s(&o["code"])).collect::<HashSet<_>>(),
            HashSet::from([format!("VN-{}-94", old.valid_from.year()).as_str(), "VN-2025-92"])
        );
        assert!(arr(&under, "dataElements").iter().all(|d| d["aggregationLevels"] == serde_json::json!([2, 3, 4])));
        assert!(arr(&m, "dataElements").iter().all(|d| d["aggregationLevels"] == serde_json::json!([1, 2, 3])));
        let err = format!("{:#}", pcmd(db, &["export", "dhis2-metadata", "--plan", "117/NQ-HĐND", "--parent", "1bad"]).await.unwrap_err());
        assert!(err.contains("không phải UID") && err.contains("no DHIS2 UID"), "{err}");
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
