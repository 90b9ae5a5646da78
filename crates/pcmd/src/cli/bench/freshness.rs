//! `pcmd bench freshness`: save one awareness activity, then read the plan's
//! figures again as the dashboard does (one engine for the plan's unit, reading
//! only its territory's facts), and check the new figure holds the record.

use super::median_max;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::records::{ActivityForm, NewActivity, RecordSource};
use pcmd_engine::Engine;
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::Store;
use std::time::Instant;

/// Workers reached by each activity written: the figure must rise by exactly this.
const REACHED: i64 = 7;
const TOPIC: &str = "Đo độ trễ cập nhật số liệu (pcmd bench freshness)";

pub async fn run(store: &Store, plan_key: &str, period: &str, runs: u32) -> anyhow::Result<String> {
    let units = store.unit_index().await?;
    let plan = store.plan(plan_key).await?;
    let period = Period::parse(period, Cutoff::Decree09).map_err(|e| anyhow::anyhow!(e))?;
    let today = pcmd_domain::date::today_vn();
    let as_of = pcmd_domain::date::today_vn();
    let unit_code = plan
        .summary
        .unit_code
        .clone()
        .ok_or_else(|| anyhow::anyhow!("kế hoạch toàn quốc: hãy chọn kế hoạch của một tỉnh (a national plan: choose a provincial one)"))?;
    let unit = units
        .resolve(&unit_code, plan.summary.period_from)
        .or_else(|| units.resolve(&unit_code, period.to))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("không có đơn vị «{unit_code}» (no unit «{unit_code}»)"))?;
    let target = plan
        .targets
        .iter()
        .find(|t| t.indicator == "reach_at_risk_workers")
        .ok_or_else(|| anyhow::anyhow!("kế hoạch không có chỉ tiêu tiếp cận người lao động (the plan has no reach_at_risk_workers target)"))?;
    let held_on = period.to.min(today);
    // Each commune's workers reached count up to the workers of its open establishments:
    // the activities go to a commune with room for all of them, so that the figure must rise by REACHED each time.
    let first = evaluation(store, &units, &unit, target, &period, as_of).await?;
    let commune = first
        .parts
        .iter()
        .filter(|p| p.denominator.is_some_and(|d| d - p.numerator >= (REACHED * i64::from(runs)) as f64))
        .find_map(|p| units.resolve(&p.code, held_on))
        .cloned()
        .ok_or_else(|| {
            anyhow::anyhow!(
                "không xã nào còn người lao động chưa được tiếp cận để ghi thêm (no commune has workers left to reach, so the figure cannot rise)"
            )
        })?;
    let meta = RecordMeta::now(RecordSource::Entry, Some("pcmd bench freshness".into()));
    let activity = NewActivity {
        held_on,
        unit_code: commune.code.clone(),
        form: ActivityForm::Meeting,
        topic: TOPIC.into(),
        organiser: None,
        reached_at_risk_workers: REACHED,
        reached_industrial_workers: 0,
        reached_students: 0,
        reached_community: 0,
    };
    let mut before = first.numerator.unwrap_or(0.0);
    let (mut save_ms, mut read_ms, mut total_ms) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let mut tx = store.begin().await?;
        rec::insert_activity(&mut tx, &units, &activity, &meta).await?;
        tx.commit().await?;
        let saved = started.elapsed();
        let after = evaluation(store, &units, &unit, target, &period, as_of).await?.numerator.unwrap_or(0.0);
        let all = started.elapsed();
        if after - before != REACHED as f64 {
            anyhow::bail!("số liệu không đổi đúng: {before} → {after} (the figure did not move by {REACHED}: {before} → {after})");
        }
        before = after;
        save_ms.push(saved.as_secs_f64() * 1000.0);
        read_ms.push((all - saved).as_secs_f64() * 1000.0);
        total_ms.push(all.as_secs_f64() * 1000.0);
    }
    let removed = rec::remove_activities(store, TOPIC, "pcmd bench freshness").await?;
    let (s, r, t) = (median_max(&mut save_ms), median_max(&mut read_ms), median_max(&mut total_ms));
    Ok(format!(
        "bench freshness: backend {}, plan {}, target {} for {} over {}, activity saved in {} ({} runs; each time the numerator rose by exactly {REACHED})\n\
         \x20 save (one transaction, aggregates maintained by trigger): median {:.1} ms, max {:.1} ms\n\
         \x20 new figure read (the dashboard's engine, this territory only): median {:.1} ms, max {:.1} ms\n\
         \x20 save + new figure: median {:.1} ms, max {:.1} ms; {removed} bench activities removed",
        store.backend().name(),
        plan.summary.number,
        target.code,
        unit.name,
        period,
        commune.name,
        runs,
        s.0,
        s.1,
        r.0,
        r.1,
        t.0,
        t.1
    ))
}

/// The target's evaluation for the unit, as the dashboard makes it (its numerator is the figure watched).
async fn evaluation(
    store: &Store,
    units: &pcmd_domain::units::UnitIndex,
    unit: &pcmd_domain::units::Unit,
    target: &pcmd_store::TargetView,
    period: &Period,
    as_of: chrono::NaiveDate,
) -> anyhow::Result<pcmd_engine::Evaluation> {
    let mut engine = Engine::within(store, units, &[unit]);
    let typed = target.typed().ok_or_else(|| anyhow::anyhow!("chỉ tiêu không đánh giá được (the target cannot be evaluated)"))?;
    let e = engine.evaluate_target(&typed, unit, period, as_of).await?;
    e.into_iter().next().ok_or_else(|| anyhow::anyhow!("không có kết quả đánh giá (no evaluation)"))
}
