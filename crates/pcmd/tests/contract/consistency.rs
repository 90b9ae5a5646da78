//! One question, one figure: for every target of both seed plans at a province,
//! a district and a commune, over calendar and Decree 09 periods, as of a day
//! inside the period and a day after it, the CLI JSON, the API, the report
//! model and the DHIS2 export give the same value, numerator, denominator and
//! status.

use crate::helpers::on_each_demo_backend;
use crate::{pcmd, pcmd_json};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use pcmd_domain::period::{Cutoff, Period};
use tower::ServiceExt;

struct Case {
    plan: &'static str,
    key: &'static str,
    units: [&'static str; 3],
    periods: &'static [&'static str],
    /// A day inside every period asked, and a day after all of them.
    as_of: [&'static str; 2],
}

const CASES: [Case; 2] = [
    Case {
        plan: "117/NQ-HĐND",
        key: "soc-trang-117-2023",
        // The province, Thành phố Sóc Trăng, Phường 5; in 2025 each re-mapped onto the new communes.
        units: ["94", "941", "31498"],
        periods: &["2024", "2024-H1", "2024-Y", "2025", "2025-H2"],
        as_of: ["2024-05-20", "2026-06-01"],
    },
    Case {
        plan: "lai-chau-2022",
        key: "lai-chau-2022",
        // The province, Thành phố Lai Châu, Phường Quyết Thắng.
        units: ["12", "105", "03386"],
        periods: &["2022", "2022-H1", "2022-Y"],
        as_of: ["2022-03-20", "2026-06-01"],
    },
];

fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

#[tokio::test]
async fn every_output_gives_the_same_figure() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let mut tokens = Vec::new();
        for (name, unit) in [("dieuphoi.st.api", "94"), ("dieuphoi.lc.api", "12")] {
            crate::pcmd(db, &["user", "add", "--username", name, "--role", "coordinator", "--unit", unit]).await.unwrap();
            let out = pcmd(db, &["token", "create", "--username", name, "--name", "kiểm tra"]).await.unwrap();
            tokens.push(out.lines().last().unwrap().trim().to_string());
        }
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let mut compared = 0;
        for (case, token) in CASES.iter().zip(&tokens) {
            for period in case.periods {
                for unit in case.units {
                    for as_of in case.as_of {
                        let cli = pcmd_json(
                            db,
                            &["targets", "evaluate", "--plan", case.plan, "--period", period, "--unit", unit, "--as-of", as_of, "--format", "json"],
                        )
                        .await;
                        let cli = cli.as_array().unwrap();
                        let what = format!("{} {unit} {period} as of {as_of}", case.key);
                        // Every target of the plan that overlaps the period is there.
                        let plan = db.store.plan(case.key).await.unwrap();
                        assert!(cli.len() >= plan.targets.len(), "{what}: {} of {} targets", cli.len(), plan.targets.len());
                        assert!(cli.iter().all(|e| e["as_of"] == as_of), "{what}: every figure states its as-of date");

                        // The API.
                        let path = format!("/api/v1/plans/{}/evaluation?period={period}&unit={unit}&as_of={as_of}", case.key);
                        let req = Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
                        let res = app.clone().oneshot(req).await.unwrap();
                        assert_eq!(res.status(), StatusCode::OK, "{what}");
                        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
                        let api: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                        let api = api.as_array().unwrap();
                        assert_eq!(api.len(), cli.len(), "{what}");
                        for (a, b) in cli.iter().zip(api) {
                            for field in ["target", "value", "numerator", "denominator", "status", "final", "exceeded"] {
                                assert!(same(&a[field], &b[field]), "{what} {}: {field} CLI {} API {}", a["target"], a[field], b[field]);
                            }
                            compared += 1;
                        }

                        // The report model: the unit's own targets, with the same value, figures and status.
                        let p = Period::parse(period, Cutoff::Decree09).unwrap();
                        let u = units.resolve_for(unit, p.from, p.to).unwrap().clone();
                        let req = pcmd_report::Request {
                            plan: case.key,
                            unit: &u,
                            period: &p,
                            as_of: pcmd_domain::date::parse(as_of).unwrap(),
                            issued_on: p.to,
                            narrative: Default::default(),
                            status: None,
                            reader: None,
                        };
                        let report = pcmd_report::build(&db.store, &units, req).await.unwrap();
                        let own: Vec<&serde_json::Value> = cli.iter().filter(|e| e["status"] != "not_applicable").collect();
                        assert_eq!(report.targets.len(), own.len(), "{what}: the report holds the unit's own targets");
                        for (line, e) in report.targets.iter().zip(&own) {
                            assert!(line.code.starts_with(e["target"].as_str().unwrap()), "{what}: {} vs {}", line.code, e["target"]);
                            // serde_json reads floats back within an ulp or two.
                            let close = match (line.value, e["value"].as_f64()) {
                                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                                (a, b) => a == b,
                            };
                            assert!(close, "{what} {}: report {:?} CLI {}", line.code, line.value, e["value"]);
                            let status = pcmd_engine::Status::ALL.iter().find(|s| s.as_str() == e["status"]).unwrap();
                            assert!(line.status.starts_with(status.label_vi()), "{what} {}: {} vs {}", line.code, line.status, status.label_vi());
                        }

                        // DHIS2 takes calendar periods (its 2024S1 is January–June, another question than
                        // Decree 09's 2024-H1): where both read the period alike, the first figures of each
                        // indicator — a share's numerator and denominator, a count, a growth and its two
                        // years — for the unit's DHIS2 code (GSO code under the year its validity starts).
                        let calendar = Period::parse(period, Cutoff::Calendar).unwrap();
                        if let Some(name) = calendar.dhis2().filter(|_| (calendar.from, calendar.to) == (p.from, p.to)) {
                            assert_eq!(name.len(), 4, "{what}: a year");
                            let set =
                                pcmd_json(db, &["export", "dhis2", "--plan", case.plan, "--period", period, "--unit", unit, "--as-of", as_of]).await;
                            let values = set["dataValues"].as_array().unwrap();
                            let org_unit = format!("VN-{}-{}", chrono::Datelike::year(&u.valid_from), u.code);
                            let mut seen = std::collections::HashSet::new();
                            for e in cli {
                                let indicator = e["indicator"].as_str().unwrap();
                                if e["value"].is_null() || !seen.insert(indicator) {
                                    continue;
                                }
                                let kind = pcmd_domain::plan::indicator::find(indicator).unwrap().kind.as_str();
                                let parts: &[(&str, &str)] = match kind {
                                    "count" => &[("VAL", "value")],
                                    "growth" => &[("VAL", "value"), ("NUM", "numerator"), ("DEN", "denominator")],
                                    _ => &[("NUM", "numerator"), ("DEN", "denominator")],
                                };
                                for (part, field) in parts {
                                    let code = format!("PCMD_Y_{}_{part}", indicator.to_uppercase());
                                    let v = e[*field].as_f64().unwrap();
                                    let got = values
                                        .iter()
                                        .find(|d| d["orgUnit"] == org_unit.as_str() && d["dataElement"] == code.as_str())
                                        .unwrap_or_else(|| panic!("{what}: {code} of {org_unit} missing from DHIS2"));
                                    let got: f64 = got["value"].as_str().unwrap().parse().unwrap();
                                    assert!((got - (v * 100.0).round() / 100.0).abs() < 1e-9, "{what} {code}: DHIS2 {got} vs {v}");
                                }
                            }
                        }
                    }
                }
            }
        }
        // Sóc Trăng 3 units × 5 periods × 2 days × 15 targets = 450 (each period lies in one year);
        // Lai Châu 3 × 3 × 2 × 12 = 216.
        assert_eq!(compared, 666, "figures compared");
    })
    .await;
}
