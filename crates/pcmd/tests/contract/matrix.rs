//! The scope matrix: every route × every role × a resource inside the user's
//! scope (Sóc Trăng, 94) and one outside it (Lai Châu, 12). The expected
//! answer comes from SPEC §1 as written in the table below, not from the code
//! under test; after the run, nothing outside the scope has changed and every
//! refused write left no row behind.

use crate::helpers::{on_each_demo_backend, TestDb};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::NaiveDate;
use http_body_util::BodyExt;
use pcmd_domain::records::form::RecordKind;
use pcmd_store::records::read::{has_pages, ListFilter};
use pcmd_store::NewUser;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const ROLES: [&str; 7] = ["admin", "coordinator", "officer", "inspector", "investigator", "caseworker", "supervisor"];

/// What SPEC §1 lets each role read and write, written out by hand.
fn reads(role: &str, kind: RecordKind) -> bool {
    use RecordKind as K;
    match role {
        "coordinator" => kind != K::SupportCase,
        "officer" => matches!(kind, K::Activity | K::Publication | K::Training | K::DistrictPlan | K::PilotModel | K::ReferenceFigure),
        "inspector" => matches!(kind, K::Establishment | K::Inspection),
        "investigator" => matches!(kind, K::Tip | K::CaseSummary | K::Establishment | K::Inspection),
        "caseworker" => kind == K::SupportCase,
        _ => false,
    }
}

fn writes(role: &str, kind: RecordKind) -> bool {
    use RecordKind as K;
    match role {
        "coordinator" => kind == K::ReferenceFigure,
        "officer" => matches!(kind, K::Activity | K::Publication | K::Training | K::DistrictPlan | K::PilotModel | K::ReferenceFigure),
        "inspector" => matches!(kind, K::Establishment | K::Inspection),
        "investigator" => matches!(kind, K::Tip | K::CaseSummary),
        "caseworker" => kind == K::SupportCase,
        _ => false,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let location = resp.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
    let body = String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).to_string();
    Reply { status, location, body }
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A signed-in user: the session cookie, its CSRF token and an API token.
pub struct Who {
    pub role: &'static str,
    pub cookie: String,
    pub csrf: String,
    pub bearer: String,
}

impl Who {
    pub fn get(&self, path: &str) -> Request<Body> {
        Request::get(path).header(header::COOKIE, &self.cookie).body(Body::empty()).unwrap()
    }

    pub fn post(&self, path: &str, fields: &[(&str, String)]) -> Request<Body> {
        self.post_with(Some(&self.csrf), path, fields)
    }

    /// A post carrying `csrf` as its token (None: no token at all).
    pub fn post_with(&self, csrf: Option<&str>, path: &str, fields: &[(&str, String)]) -> Request<Body> {
        let mut body = csrf.map(|c| format!("csrf={}", enc(c))).unwrap_or_default();
        for (k, v) in fields {
            body.push_str(&format!("&{k}={}", enc(v)));
        }
        Request::post(path)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    }

    pub fn api(&self, path: &str) -> Request<Body> {
        Request::get(path).header(header::AUTHORIZATION, format!("Bearer {}", self.bearer)).body(Body::empty()).unwrap()
    }
}

fn sha(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// One user per role at home in Sóc Trăng (94); the officer works for the
/// provincial People's Committee, the lead agency of task 2.1 of 117/NQ-HĐND.
/// Sessions are opened directly in the store (sign-in itself is tested in web.rs).
pub async fn users(db: &TestDb) -> Vec<Who> {
    let units = db.store.unit_index().await.unwrap();
    let home = units.resolve("94", NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).unwrap().id;
    let ubnd = db.store.agency_id("st-ubnd").await.unwrap();
    let mut out = Vec::new();
    for role in ROLES {
        let username = format!("matrix.{role}");
        let agency_id = (role == "officer").then_some(ubnd);
        let u = NewUser {
            username: &username,
            display_name: &username,
            role: role.parse().unwrap(),
            unit_id: home,
            agency_id,
            password_hash: "x",
            created_at: "2026-01-01T00:00:00Z",
        };
        db.store.create_user(&u).await.unwrap();
        let id = db.store.user_by_username(&username).await.unwrap().unwrap().id;
        let (token, csrf, bearer) = (format!("session-{role}"), format!("csrf-{role}"), format!("bearer-{role}"));
        db.store.create_session(&sha(&token), id, &csrf, "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z").await.unwrap();
        db.store.create_api_token(&sha(&bearer), id, "matrix", "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z").await.unwrap();
        out.push(Who { role, cookie: format!("pcmd_session={token}"), csrf, bearer });
    }
    out
}

/// Codes of units in a province valid on 01/03/2024: (province, a district, a commune).
fn codes(units: &pcmd_domain::units::UnitIndex, province: &str) -> (String, String, String) {
    use pcmd_domain::units::Level;
    let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    let p = units.resolve(province, day).unwrap();
    let first = |level| {
        let mut ids: Vec<_> = units.within(p.id, level).into_iter().filter_map(|id| units.get(id)).filter(|u| u.valid_on(day)).collect();
        ids.sort_by(|a, b| a.code.cmp(&b.code));
        ids[0].code.clone()
    };
    (p.code.clone(), first(Level::District), first(Level::Commune))
}

/// A valid form for a new record of `kind` in the given units, for `role` (the
/// year keeps yearly figures of different roles apart).
fn form(kind: RecordKind, (p, d, c): &(String, String, String), establishment: i64, role: &str) -> Vec<(&'static str, String)> {
    let year = if role == "coordinator" { "2020" } else { "2021" }.to_string();
    let s = |v: &str| v.to_string();
    use RecordKind as K;
    match kind {
        K::Establishment => vec![
            ("name", s("Nhà nghỉ Thử")),
            ("kind", s("guesthouse")),
            ("unit_code", c.clone()),
            ("workers", s("4")),
            ("opened_on", s("01/03/2024")),
        ],
        K::Activity => {
            vec![("held_on", s("01/03/2024")), ("unit_code", c.clone()), ("form", s("meeting")), ("topic", s("Thử")), ("reached_community", s("30"))]
        }
        K::Publication => vec![
            ("published_on", s("01/03/2024")),
            ("unit_code", p.clone()),
            ("outlet", s("Báo Thử")),
            ("outlet_level", s("province")),
            ("medium", s("online")),
            ("title", s("Tin thử")),
        ],
        K::Inspection => vec![("inspected_on", s("01/03/2024")), ("establishment_id", establishment.to_string()), ("team_level", s("district"))],
        K::Tip => vec![
            ("received_on", s("01/03/2024")),
            ("channel", s("phone")),
            ("category", s("crime_report")),
            ("unit_code", c.clone()),
            ("status", s("received")),
            ("content", s("Nội dung thử")),
        ],
        K::CaseSummary => vec![
            ("year", year),
            ("unit_code", p.clone()),
            ("criminal_cases", s("1")),
            ("defendants", s("2")),
            ("admin_violations", s("3")),
            ("persons_sanctioned", s("4")),
        ],
        K::DistrictPlan => vec![("unit_code", d.clone()), ("year", year), ("document_ref", s("12/KH-UBND")), ("integrates_drugs", s("có"))],
        K::PilotModel => vec![
            ("unit_code", d.clone()),
            ("name", s("Mô hình thử")),
            ("kind", s("câu lạc bộ")),
            ("started_on", s("01/03/2024")),
            ("status", s("active")),
        ],
        K::SupportCase => vec![
            ("code", format!("T-{c}")),
            ("unit_code", c.clone()),
            ("opened_on", s("01/03/2024")),
            ("age_band", s("25_34")),
            ("sex", s("female")),
            ("needs_support", s("có")),
            ("eligible", s("có")),
            ("consent", s("có")),
            ("full_name", s("Nguyễn Thị Thử")),
        ],
        K::Training => vec![("held_on", s("01/03/2024")), ("unit_code", p.clone()), ("level", s("province")), ("title", s("Lớp thử"))],
        K::ReferenceFigure => vec![
            ("kind", s("students")),
            ("level", s("all")),
            ("unit_code", p.clone()),
            ("year", year),
            ("value", s("100")),
            ("reference", s("Niên giám thống kê")),
        ],
        K::TaskProgress | K::BudgetSpending => Vec::new(),
    }
}

/// Rows of every record table, to prove refused writes left nothing.
pub async fn table_counts(db: &TestDb) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in [
        "establishment",
        "activity",
        "publication",
        "inspection",
        "tip",
        "case_summary",
        "district_plan",
        "pilot_model",
        "support_case",
        "training",
        "reference_figure",
        "task_progress",
    ] {
        let n: i64 = sqlx::Row::get(&sqlx::query(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(db.store.pool()).await.unwrap(), 0);
        out.push((t.to_string(), n));
    }
    let spent: Option<i64> =
        sqlx::Row::get(&sqlx::query("SELECT CAST(COALESCE(SUM(spent), 0) AS BIGINT) FROM budget_line").fetch_one(db.store.pool()).await.unwrap(), 0);
    out.push(("budget_line.spent".into(), spent.unwrap_or(0)));
    out
}

pub struct Tally {
    pub cases: usize,
    pub failures: Vec<String>,
}

impl Tally {
    pub fn check(&mut self, what: String, allowed: bool, ok_status: StatusCode, got: &Reply) {
        self.check_as(what, allowed, ok_status, StatusCode::FORBIDDEN, got);
    }

    /// The same, with the refusal expected: 403, or 404 for a record outside the scope of a
    /// role that may read its kind (answered as no such record, so that ids tell nothing).
    pub fn check_as(&mut self, what: String, allowed: bool, ok_status: StatusCode, refused: StatusCode, got: &Reply) {
        self.cases += 1;
        let expected = if allowed { ok_status } else { refused };
        if got.status != expected {
            let body: String = got.body.chars().take(300).collect();
            self.failures.push(format!("{what}: expected {}, got {} {body}", expected.as_u16(), got.status));
        }
    }
}

#[tokio::test]
async fn every_route_every_role_in_and_out_of_scope() {
    on_each_demo_backend(async |db| {
        let who = users(db).await;
        let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(&db.key_file).unwrap());
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_sealer(sealer));
        let units = db.store.unit_index().await.unwrap();
        let inside = codes(&units, "94");
        let outside = codes(&units, "12");
        let scope_of = |code: &str| units.subtree(units.resolve(code, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).unwrap().id);
        let (in_units, out_units) = (scope_of("94"), scope_of("12"));
        // One existing record of each kind on each side.
        let mut existing = std::collections::HashMap::new();
        for kind in RecordKind::ALL.iter().copied().filter(|k| has_pages(*k)) {
            let first = |ids: &Vec<i64>| {
                let f = ListFilter {
                    units: ids.clone(),
                    status: (kind == RecordKind::Establishment).then(|| "open".into()),
                    limit: 1,
                    ..ListFilter::default()
                };
                let store = db.store.clone();
                async move { store.list_records(kind, &f).await.unwrap().0.first().map(|i| i.id) }
            };
            let (a, b) = (first(&in_units).await, first(&out_units).await);
            existing.insert(kind, (a.unwrap_or_else(|| panic!("no {kind} in 94")), b.unwrap_or_else(|| panic!("no {kind} in 12"))));
        }
        let est = existing[&RecordKind::Establishment];
        let before = table_counts(db).await;
        let mut tally = Tally { cases: 0, failures: Vec::new() };
        let mut created = 0i64;
        let mut officers_activity = None;
        for w in &who {
            let r = w.role;
            let plans_ok = true; // every role sees the targets of its own province
            let tasks_ok = matches!(r, "coordinator" | "officer" | "supervisor");
            for (key, inside_scope) in [("soc-trang-117-2023", true), ("lai-chau-2022", false)] {
                let tag = if inside_scope { "in" } else { "out" };
                let got = send(&app, w.get(&format!("/plans/{key}?period=2024"))).await;
                tally.check(format!("{r} GET /plans/{key}"), plans_ok && inside_scope, StatusCode::OK, &got);
                let got = send(&app, w.api(&format!("/api/v1/plans/{key}/evaluation?period=2024"))).await;
                tally.check(format!("{r} API evaluation {tag}"), plans_ok && inside_scope, StatusCode::OK, &got);
                let got = send(&app, w.get(&format!("/plans/{key}/tasks"))).await;
                tally.check(format!("{r} GET tasks {tag}"), tasks_ok && inside_scope, StatusCode::OK, &got);
                let got = send(&app, w.get(&format!("/plans/{key}/budget"))).await;
                tally.check(format!("{r} GET budget {tag}"), tasks_ok && inside_scope, StatusCode::OK, &got);
                let task = if inside_scope { "2.1" } else { "V.1" };
                let fields = [("reported_on", "01/03/2024".to_string()), ("status", "in_progress".to_string()), ("note", "thử".to_string())];
                let got = send(&app, w.post(&format!("/plans/{key}/tasks/{task}/progress"), &fields)).await;
                let ok = matches!(r, "coordinator" | "officer") && inside_scope;
                tally.check(format!("{r} POST progress {tag}"), ok, StatusCode::SEE_OTHER, &got);
                created += i64::from(ok && got.status == StatusCode::SEE_OTHER);
                let fields = [("year", "2024".to_string()), ("spent", "500.000.000".to_string())];
                let got = send(&app, w.post(&format!("/plans/{key}/budget"), &fields)).await;
                tally.check(format!("{r} POST budget {tag}"), r == "coordinator" && inside_scope, StatusCode::SEE_OTHER, &got);
            }
            let got = send(&app, w.get("/audit")).await;
            tally.check(format!("{r} GET /audit"), r == "admin", StatusCode::OK, &got);
            for kind in RecordKind::ALL.iter().copied().filter(|k| has_pages(*k)) {
                let (read, write) = (reads(r, kind), writes(r, kind));
                let (in_id, out_id) = existing[&kind];
                // Lists: the whole scope, and one narrowed to a unit outside it.
                let got = send(&app, w.get(&format!("/records/{kind}"))).await;
                tally.check(format!("{r} list {kind} in"), read, StatusCode::OK, &got);
                let got = send(&app, w.get(&format!("/records/{kind}?unit=12"))).await;
                tally.check(format!("{r} list {kind} out"), false, StatusCode::OK, &got);
                // Outside the scope, a role that may read (or write) the kind is told there is no such record.
                let refused = |may: bool, inside: bool| if may && !inside { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
                for (id, inside_scope) in [(in_id, true), (out_id, false)] {
                    let got = send(&app, w.get(&format!("/records/{kind}/{id}"))).await;
                    tally.check_as(
                        format!("{r} detail {kind} {inside_scope}"),
                        read && inside_scope,
                        StatusCode::OK,
                        refused(read, inside_scope),
                        &got,
                    );
                    let got = send(&app, w.get(&format!("/records/{kind}/{id}/edit"))).await;
                    tally.check_as(
                        format!("{r} edit form {kind} {inside_scope}"),
                        write && inside_scope,
                        StatusCode::OK,
                        refused(write, inside_scope),
                        &got,
                    );
                }
                let got = send(&app, w.get(&format!("/records/{kind}/new"))).await;
                tally.check(format!("{r} new form {kind}"), write, StatusCode::OK, &got);
                // Create inside the scope, then outside it (refused and rolled back).
                let got = send(&app, w.post(&format!("/records/{kind}"), &form(kind, &inside, est.0, r))).await;
                tally.check(format!("{r} create {kind} in"), write, StatusCode::SEE_OTHER, &got);
                let new_id = got.location.as_deref().and_then(|l| l.rsplit('/').next()).and_then(|s| s.parse::<i64>().ok());
                created += i64::from(new_id.is_some());
                if r == "officer" && kind == RecordKind::Activity {
                    officers_activity = new_id;
                }
                let got = send(&app, w.post(&format!("/records/{kind}"), &form(kind, &outside, est.1, r))).await;
                tally.check(format!("{r} create {kind} out"), false, StatusCode::SEE_OTHER, &got);
                // Update: one's own new record (version 1), and a record outside the scope.
                let mut fields = form(kind, &inside, est.0, r);
                fields.push(("version", "1".into()));
                let got = send(&app, w.post(&format!("/records/{kind}/{}", new_id.unwrap_or(in_id)), &fields)).await;
                tally.check(format!("{r} update {kind} in"), write, StatusCode::SEE_OTHER, &got);
                let mut fields = form(kind, &outside, est.1, r);
                fields.push(("version", "1".into()));
                let got = send(&app, w.post(&format!("/records/{kind}/{out_id}"), &fields)).await;
                tally.check_as(format!("{r} update {kind} out"), false, StatusCode::SEE_OTHER, refused(write, false), &got);
            }
        }
        // An edit made from a form read before someone else's save is refused, not silently applied.
        let officer = who.iter().find(|w| w.role == "officer").unwrap();
        let id = officers_activity.expect("the officer created an activity");
        let mut fields = form(RecordKind::Activity, &inside, est.0, "officer");
        fields.push(("version", "1".into()));
        let stale = send(&app, officer.post(&format!("/records/activity/{id}"), &fields)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert!(stale.body.contains("đã được người khác sửa"), "{}", stale.body);
        assert!(tally.failures.is_empty(), "{} of {} cases failed on {}:\n{}", tally.failures.len(), tally.cases, db.name, tally.failures.join("\n"));
        // 7 roles × (2 plans × 6 plan routes + the audit page + 11 kinds × 11 record routes) = 7 × 134 = 938.
        assert_eq!(tally.cases, 938);
        println!("scope matrix on {}: {} route × role × scope cases checked", db.name, tally.cases);
        // Nothing written but what was allowed: each writer's one new record per kind
        // (1 + 6 + 2 + 2 + 1 = 12 role × kind pairs in the table above), two progress reports, and the spending.
        let after = table_counts(db).await;
        let grown: i64 = before.iter().zip(after.iter()).filter(|(b, _)| b.0 != "budget_line.spent").map(|(b, a)| a.1 - b.1).sum();
        assert_eq!(created, 12 + 2);
        assert_eq!(grown, created, "rows added: {before:?} → {after:?}");
        let spent = |v: &Vec<(String, i64)>| v.iter().find(|(t, _)| t == "budget_line.spent").map(|x| x.1);
        assert_eq!((spent(&before), spent(&after)), (Some(0), Some(500_000_000)), "only the coordinator's 2024 spending");
    })
    .await;
}
