//! Legal clocks stored and counted on every backend: the day a tip is due
//! (`due_on`) as its law gives it — acceptance, suspension and resumption,
//! a report of an administrative violation with no record yet — and the
//! maintained monthly aggregates agreeing with a count over the tips.
//! Deadlines worked by hand (see also domain's clock_tests.rs); the fixture's
//! new commune 91001 (from 01/07/2025).

use crate::engine::{fixture_sealer, load_base, shipped_rules};
use crate::helpers::on_each_backend;
use chrono::NaiveDate;
use pcmd_domain::records::*;
use pcmd_store::records::{self as rec, RecordMeta};
use sqlx::Row;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn tip(category: TipCategory, received_on: NaiveDate) -> NewTip {
    NewTip {
        received_on,
        channel: TipChannel::PublicPortal,
        category,
        unit_code: "91001".into(),
        is_complex: false,
        is_remote: false,
        is_very_complex: false,
        accepted_on: None,
        suspended_on: None,
        resumed_on: None,
        status: TipStatus::Received,
        extended_until: None,
        closed_on: None,
        outcome: None,
        content: None,
    }
}

#[tokio::test]
async fn clocks_are_stored_and_counted_alike() {
    on_each_backend(async |db| {
        let units = load_base(db).await;
        let rules = shipped_rules();
        let m = RecordMeta::now(RecordSource::Entry, Some("test".into())).with_sealer(fixture_sealer());
        let due_of = async |id: i64| -> (Option<String>, Option<String>, String) {
            let r = sqlx::query("SELECT due_on, deadline, rule_code FROM tip WHERE id = $1").bind(id).fetch_one(db.store.pool()).await.unwrap();
            (r.try_get(0).unwrap(), r.try_get(1).unwrap(), r.try_get(2).unwrap())
        };
        let mut tx = db.store.begin().await.unwrap();
        // A denunciation received Thursday 27/11/2025, not yet accepted: 7 working days to
        // accept (Law on Denunciations art. 24) → Monday 08/12/2025.
        let den = tip(TipCategory::Accusation, d(2025, 11, 27));
        let id = rec::insert_tip(&mut tx, &units, &rules, &den, &m).await.unwrap();
        // A report of buying sex, no record of the violation yet: no clock runs.
        let admin = rec::insert_tip(&mut tx, &units, &rules, &tip(TipCategory::AdminViolation, d(2025, 11, 27)), &m).await.unwrap();
        // A crime tip of 01/12/2025: 20 days → 21/12/2025, still open.
        rec::insert_tip(&mut tx, &units, &rules, &tip(TipCategory::CrimeReport, d(2025, 12, 1)), &m).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(due_of(id).await, (Some("2025-12-08".into()), Some("2025-12-08".into()), "lto-2018-d30".into()));
        assert_eq!(due_of(admin).await, (None, None, "xlvphc-2020-d66".into()));

        // Accepted 01/12 (due 31/12), suspended 11/12: the clock stands still.
        let suspended =
            NewTip { accepted_on: Some(d(2025, 12, 1)), suspended_on: Some(d(2025, 12, 11)), status: TipStatus::Suspended, ..den.clone() };
        let mut tx = db.store.begin().await.unwrap();
        let v = rec::update(&mut tx, &units, &rules, id, 1, &NewRecord::Tip(suspended.clone()), &m).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(due_of(id).await.0, None);
        // As of 05/01/2026 the tips due in December 2025: only the crime tip, overdue —
        // the same from the maintained aggregates and from the tips themselves.
        let facts = |raw: bool| {
            let store = if raw { db.store.with_raw_facts() } else { db.store.clone() };
            async move { store.tip_facts(d(2025, 12, 1), d(2025, 12, 31), d(2026, 1, 5), None).await.unwrap() }
        };
        let sum = |f: &[pcmd_store::TipFact]| f.iter().fold((0, 0, 0), |a, t| (a.0 + t.due, a.1 + t.on_time, a.2 + t.overdue_open));
        assert_eq!(sum(&facts(false).await), (1, 0, 1));
        assert_eq!(sum(&facts(true).await), (1, 0, 1));

        // Resumed Monday 12/01/2026 with the 20 days left (art. 34): Sunday 01/02 → Monday 02/02.
        let resumed = NewTip { resumed_on: Some(d(2026, 1, 12)), status: TipStatus::Verifying, ..suspended };
        let mut tx = db.store.begin().await.unwrap();
        rec::update(&mut tx, &units, &rules, id, v, &NewRecord::Tip(resumed), &m).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(due_of(id).await.0, Some("2026-02-02".into()));
        let feb = |raw: bool| {
            let store = if raw { db.store.with_raw_facts() } else { db.store.clone() };
            async move { store.tip_facts(d(2026, 2, 1), d(2026, 2, 28), d(2026, 2, 3), None).await.unwrap() }
        };
        assert_eq!(sum(&feb(false).await), (1, 0, 1));
        assert_eq!(sum(&feb(true).await), (1, 0, 1));

        // A complaint accepted 25/06/2026 under the 2011 text cannot be suspended; nothing is written.
        let before = sqlx::query("SELECT COUNT(*) FROM tip").fetch_one(db.store.pool()).await.unwrap().try_get::<i64, _>(0).unwrap();
        let c = NewTip {
            accepted_on: Some(d(2026, 6, 25)),
            suspended_on: Some(d(2026, 7, 5)),
            status: TipStatus::Suspended,
            ..tip(TipCategory::Complaint, d(2026, 6, 25))
        };
        let mut tx = db.store.begin().await.unwrap();
        let e = rec::insert_tip(&mut tx, &units, &rules, &c, &m).await.unwrap_err().to_string();
        tx.rollback().await.unwrap();
        assert!(e.contains("không cho phép tạm đình chỉ") && e.contains("allows no suspension"), "{e}");
        let after = sqlx::query("SELECT COUNT(*) FROM tip").fetch_one(db.store.pool()).await.unwrap().try_get::<i64, _>(0).unwrap();
        assert_eq!(before, after);

        // The rules and days off come back from the database as they were saved.
        let stored = db.store.deadline_rules().await.unwrap();
        // Stored rules come back ordered by code; the file groups them by law.
        let mut shipped = rules.rules.clone();
        shipped.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(stored.rules, shipped);
        assert_eq!(stored.days_off, rules.days_off);
    })
    .await;
}
