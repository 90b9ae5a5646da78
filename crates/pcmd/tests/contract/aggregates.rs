//! The maintained aggregates (migration 0007) give the same facts as plain SQL
//! over the record tables, after records are added, changed, moved and removed
//! by any path — the triggers keep them in the same transaction.

use crate::helpers::on_each_demo_backend;
use chrono::NaiveDate;
use pcmd_domain::records::{ActivityForm, NewActivity, RecordSource};
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::Store;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Ranges that cut months in every way: calendar years and halves, a Decree 09
/// year (loose days at both ends), days inside one month, several years.
const RANGES: [(&str, &str); 6] = [
    ("2024-01-01", "2024-12-31"),
    ("2023-12-15", "2024-12-14"),
    ("2024-01-01", "2024-06-30"),
    ("2024-03-05", "2024-03-20"),
    ("2024-03-05", "2024-04-20"),
    ("2023-01-01", "2025-12-31"),
];

/// Every fact the aggregates serve, both ways, sorted by unit; panics on the first difference.
async fn same_facts(store: &Store, when: &str) -> usize {
    let raw = store.with_raw_facts();
    let today = pcmd_domain::date::today_vn();
    let mut compared = 0;
    for (a, b) in RANGES {
        let (from, to) = (d(a), d(b));
        let mut x = store.activity_facts(from, to, None).await.unwrap();
        let mut y = raw.activity_facts(from, to, None).await.unwrap();
        x.sort_by_key(|f| f.unit_id);
        y.sort_by_key(|f| f.unit_id);
        assert_eq!(x, y, "activities {a}–{b} {when}");
        let mut x = store.establishment_facts(from, to, None).await.unwrap();
        let mut y = raw.establishment_facts(from, to, None).await.unwrap();
        x.sort_by_key(|f| f.unit_id);
        y.sort_by_key(|f| f.unit_id);
        assert_eq!(x, y, "establishments {a}–{b} {when}");
        // Tips as known today use the aggregate (an earlier day reads the tips: tested too).
        for as_of in [today, d("2024-06-30")] {
            let mut x = store.tip_facts(from, to.min(as_of), as_of, None).await.unwrap();
            let mut y = raw.tip_facts(from, to.min(as_of), as_of, None).await.unwrap();
            x.sort_by_key(|f| f.unit_id);
            y.sort_by_key(|f| f.unit_id);
            assert_eq!(x, y, "tips {a}–{b} as of {as_of} {when}");
        }
        compared += 4;
    }
    // All the ranges in one scan (as the engine reads ahead) give each range's facts.
    let ranges: Vec<_> = RANGES.iter().map(|(a, b)| (d(a), d(b))).collect();
    let together = store.establishment_facts_for(&ranges).await.unwrap();
    assert_eq!(together.len(), RANGES.len());
    for ((a, b), mut x) in RANGES.into_iter().zip(together) {
        let mut y = raw.establishment_facts(d(a), d(b), None).await.unwrap();
        x.sort_by_key(|f| f.unit_id);
        y.sort_by_key(|f| f.unit_id);
        assert!(!y.is_empty(), "the demo has establishments open {a}–{b}");
        assert_eq!(x, y, "establishments {a}–{b} read with the other ranges {when}");
        compared += 1;
    }
    compared
}

async fn exec(store: &Store, sql: &str) {
    sqlx::query(sql).execute(store.pool()).await.unwrap();
}

async fn month_row(store: &Store, unit_id: i64, month: &str) -> Option<(i64, i64)> {
    use sqlx::Row;
    sqlx::query("SELECT activities, at_risk_workers FROM activity_month WHERE unit_id = $1 AND month = $2")
        .bind(unit_id)
        .bind(month)
        .fetch_optional(store.pool())
        .await
        .unwrap()
        .map(|r| (r.get(0), r.get(1)))
}

#[tokio::test]
async fn maintained_aggregates_agree_with_the_records_through_every_change() {
    on_each_demo_backend(async |db| {
        let store = &db.store;
        let units = store.unit_index().await.unwrap();
        assert_eq!(same_facts(store, "after the demo load").await, 30);

        // By hand: a ward of Sóc Trăng city (31498) in a month the demo leaves empty, 02/2023.
        let p6 = units.resolve("31498", d("2023-02-01")).expect("ward 31498").id;
        assert_eq!(month_row(store, p6, "2023-02").await, None, "the fixture month starts empty");
        let meta = RecordMeta::now(RecordSource::Entry, Some("aggregates test".into()));
        let act = |day: &str, workers: i64| NewActivity {
            held_on: d(day),
            unit_code: "31498".into(),
            form: ActivityForm::Meeting,
            topic: "Kiểm tra số liệu tổng hợp".into(),
            organiser: None,
            reached_at_risk_workers: workers,
            reached_industrial_workers: 0,
            reached_students: 0,
            reached_community: 0,
        };
        let mut tx = store.begin().await.unwrap();
        rec::insert_activity(&mut tx, &units, &act("2023-02-03", 3), &meta).await.unwrap();
        rec::insert_activity(&mut tx, &units, &act("2023-02-20", 4), &meta).await.unwrap();
        // Written with the record, visible only when it commits: rolled back, nothing stays.
        tx.rollback().await.unwrap();
        assert_eq!(month_row(store, p6, "2023-02").await, None, "a rolled-back record leaves no aggregate");
        let mut tx = store.begin().await.unwrap();
        rec::insert_activity(&mut tx, &units, &act("2023-02-03", 3), &meta).await.unwrap();
        rec::insert_activity(&mut tx, &units, &act("2023-02-20", 4), &meta).await.unwrap();
        tx.commit().await.unwrap();
        // 2 activities, 3 + 4 = 7 workers.
        assert_eq!(month_row(store, p6, "2023-02").await, Some((2, 7)));
        // The 4-worker one becomes 10 workers and moves to March: February 1 activity / 3, March 1 / 10.
        exec(store, "UPDATE activity SET reached_at_risk_workers = 10, held_on = '2023-03-01' WHERE held_on = '2023-02-20' AND entered_by = 'aggregates test'").await;
        assert_eq!(month_row(store, p6, "2023-02").await, Some((1, 3)));
        assert_eq!(month_row(store, p6, "2023-03").await.map(|r| r.1), Some(10 + month_row_base(store, p6).await));
        // Removing the February one removes the month's row.
        exec(store, "DELETE FROM activity WHERE held_on = '2023-02-03' AND entered_by = 'aggregates test'").await;
        assert_eq!(month_row(store, p6, "2023-02").await, None);

        // Other paths, checked against plain SQL: an activity moved to another unit,
        // a tip's deadline extended and one settled, an inspection moved to another
        // year and one removed.
        exec(store, "UPDATE activity SET unit_id = (SELECT MIN(id) FROM unit WHERE code = '31501') WHERE id = (SELECT MIN(id) FROM activity)").await;
        exec(store, "UPDATE tip SET extended_until = '2024-07-15' WHERE id = (SELECT MIN(id) FROM tip WHERE closed_on IS NULL)").await;
        exec(store, "UPDATE tip SET closed_on = deadline WHERE id = (SELECT MAX(id) FROM tip WHERE closed_on IS NULL)").await;
        exec(store, "UPDATE inspection SET inspected_on = '2023-03-31' WHERE id = (SELECT MIN(id) FROM inspection WHERE inspected_on >= '2024-01-01')").await;
        exec(store, "DELETE FROM inspection WHERE id = (SELECT MAX(id) FROM inspection)").await;
        assert_eq!(same_facts(store, "after updates and deletes").await, 30);
    })
    .await;
}

/// March 2023's workers in ward 31498 before the test's activity arrived (0 when the demo has none).
async fn month_row_base(store: &Store, unit_id: i64) -> i64 {
    use sqlx::Row;
    sqlx::query(
        "SELECT CAST(COALESCE(SUM(reached_at_risk_workers), 0) AS BIGINT) FROM activity WHERE unit_id = $1 \
         AND held_on >= '2023-03-01' AND held_on <= '2023-03-31' AND entered_by <> 'aggregates test'",
    )
    .bind(unit_id)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .get(0)
}

/// A page's engine reads only its territory's facts (`Engine::within`); its
/// figures must be those of the engine that reads the whole country's.
#[tokio::test]
async fn an_engine_reading_one_territory_gives_the_same_figures() {
    use pcmd_domain::period::{Cutoff, Period};
    use pcmd_domain::units::Level;
    use pcmd_engine::Engine;
    on_each_demo_backend(async |db| {
        let store = &db.store;
        let units = store.unit_index().await.unwrap();
        let plan = store.plan("soc-trang-117-2023").await.unwrap();
        let as_of = pcmd_domain::date::today_vn();
        let mut compared = 0;
        // 2024: Sóc Trăng's districts and communes; 2025: its territory crosses the reform
        // into the new communes of Cần Thơ, each evaluated on the new structure.
        for label in ["2024", "2024-H1", "2025"] {
            let period = Period::parse(label, Cutoff::Decree09).unwrap();
            let province = units.resolve("94", period.from).unwrap().clone();
            let territory = pcmd_engine::Territory::build(&units, &province, &period).unwrap();
            let mut list = vec![province.clone()];
            list.extend(territory.districts.iter().chain(territory.communes.iter()).filter_map(|id| units.get(*id)).cloned());
            let mut whole = Engine::new(store, &units);
            for unit in &list {
                let mut one = Engine::within(store, &units, &[unit]);
                let all_a = whole.evaluate_plan(&plan.typed_targets(), unit, &period, as_of).await.unwrap();
                let all_b = one.evaluate_plan(&plan.typed_targets(), unit, &period, as_of).await.unwrap();
                assert_eq!(all_a.len(), all_b.len());
                for (a, b) in all_a.iter().zip(&all_b) {
                    assert_eq!(
                        (a.value, a.numerator, a.denominator, a.status, &a.parts),
                        (b.value, b.numerator, b.denominator, b.status, &b.parts),
                        "{} {} {label}",
                        a.target,
                        unit.code
                    );
                    compared += 1;
                }
            }
            assert!(list.iter().any(|u| u.level == Level::Commune), "communes compared for {label}");
        }
        assert!(compared > 1000, "{compared} figures compared");
    })
    .await;
}
