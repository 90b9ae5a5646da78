//! `pcmd targets evaluate` and `pcmd targets explain`.

use super::demo::parse_date;
use super::output::{json, table, Format};
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::units::{Unit, UnitIndex};
use pcmd_engine::{Engine, Evaluation};
use pcmd_store::{PlanView, Store, StoreError, TargetView};

#[derive(Debug, Clone, Copy, clap::ValueEnum, Default)]
pub enum CutoffArg {
    /// Half-years 15/12–14/06 and 15/06–14/12 (Decree 09/2019/NĐ-CP).
    #[default]
    Decree09,
    Calendar,
}

#[derive(Debug, clap::Args)]
pub struct Scope {
    /// The plan: number (117/NQ-HĐND) or key.
    #[arg(long)]
    plan: String,
    /// 2025, 2025-H1, 2025-Q3, 2025-03, 2024..2025, a day range, or `plan` for the plan's period.
    #[arg(long)]
    period: String,
    /// The unit to evaluate (the plan's own unit by default).
    #[arg(long)]
    unit: Option<String>,
    /// Count what was recorded up to this day (today by default).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t)]
    cutoff: CutoffArg,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, clap::Subcommand)]
pub enum TargetsCommand {
    /// Every target of a plan with its value, threshold and status.
    Evaluate(Scope),
    /// One target: its figure, what it is made of, and the records counted.
    Explain {
        #[command(flatten)]
        scope: Scope,
        /// The target's code (a1, c2.growth, 3.3.2.growth…).
        #[arg(long)]
        target: String,
    },
}

struct Resolved {
    plan: PlanView,
    unit: Unit,
    period: Period,
    as_of: NaiveDate,
}

async fn resolve(store: &Store, units: &UnitIndex, s: &Scope) -> anyhow::Result<Resolved> {
    let plan = store.plan(&s.plan).await?;
    let cutoff = match s.cutoff {
        CutoffArg::Decree09 => Cutoff::Decree09,
        CutoffArg::Calendar => Cutoff::Calendar,
    };
    let period = if s.period == "plan" {
        Period::new(format!("{}..{}", plan.summary.period_from, plan.summary.period_to), plan.summary.period_from, plan.summary.period_to)
    } else {
        Period::parse(&s.period, cutoff).map_err(|e| anyhow::anyhow!(e))?
    };
    let code = match (&s.unit, &plan.summary.unit_code) {
        (Some(c), _) | (None, Some(c)) => c.clone(),
        (None, None) => anyhow::bail!("kế hoạch toàn quốc: hãy chọn --unit (a national plan: give --unit)"),
    };
    let as_of = s.as_of.unwrap_or_else(|| pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn()));
    // A code is read on the period's last day (or the as-of day, before the reform), or on its
    // first if it no longer existed then.
    let unit = match &s.unit {
        None => store.plan_unit(&plan.summary.key).await?.and_then(|id| units.get(id).cloned()),
        Some(_) => units.resolve_as_of(&code, &period, as_of).cloned(),
    }
    .ok_or_else(|| {
        StoreError::refused(
            format!("không có đơn vị hành chính mã «{code}» trong kỳ {}", period.label),
            format!("no administrative unit with code «{code}» in the period {}", period.label),
        )
    })?;
    Ok(Resolved { plan, unit, period, as_of })
}

pub async fn evaluate_plan(
    store: &Store,
    units: &UnitIndex,
    plan: &PlanView,
    unit: &Unit,
    period: &Period,
    as_of: NaiveDate,
) -> anyhow::Result<Vec<Evaluation>> {
    Ok(Engine::new(store, units).evaluate_plan(&plan.typed_targets(), unit, period, as_of).await?)
}

use pcmd_domain::money::format_decimal_vn as number_vn;
use pcmd_domain::plan::indicator::value_text;

pub async fn run(store: &Store, cmd: TargetsCommand) -> anyhow::Result<String> {
    let units = store.unit_index().await?;
    match cmd {
        TargetsCommand::Evaluate(s) => {
            let r = resolve(store, &units, &s).await?;
            let evals = evaluate_plan(store, &units, &r.plan, &r.unit, &r.period, r.as_of).await?;
            if s.format == Format::Json {
                return json(&evals);
            }
            let kind_of = |code: &str| r.plan.targets.iter().find(|t| t.code == code).map_or("", |t| t.indicator_kind.as_str());
            let threshold_of = |code: &str| r.plan.targets.iter().find(|t| t.code == code).map(TargetView::threshold_text).unwrap_or_default();
            let rows: Vec<Vec<String>> = evals
                .iter()
                .map(|e| {
                    vec![
                        e.target.clone(),
                        e.period.label.clone(),
                        value_text(kind_of(&e.target), e.value),
                        threshold_of(&e.target),
                        e.status_vi(),
                        match (e.numerator, e.denominator) {
                            (Some(n), Some(d)) => format!("{} / {}", number_vn(n), number_vn(d)),
                            (Some(n), None) => number_vn(n),
                            _ => String::new(),
                        },
                    ]
                })
                .collect();
            // One line per distinct note, naming the targets it applies to.
            let mut notes: Vec<(String, Vec<String>)> = Vec::new();
            for e in &evals {
                if let Some(n) = &e.note {
                    let who = format!("{} ({})", e.target, e.period.label);
                    match notes.iter_mut().find(|(note, _)| note == n) {
                        Some((_, list)) => list.push(who),
                        None => notes.push((n.clone(), vec![who])),
                    }
                }
            }
            let notes: Vec<String> = notes.into_iter().map(|(n, who)| format!("  {}: {n}", who.join(", "))).collect();
            Ok(format!(
                "{} — {} {}, kỳ {}, số liệu đến ngày {}\n{}{}",
                r.plan.summary.number,
                r.unit.code,
                r.unit.name,
                r.period,
                format_vn(r.as_of),
                table(&["Mã", "Kỳ", "Giá trị", "Chỉ tiêu", "Trạng thái", "Tử số / mẫu số"], &rows),
                if notes.is_empty() { String::new() } else { format!("\nGhi chú:\n{}", notes.join("\n")) }
            ))
        }
        TargetsCommand::Explain { scope: s, target } => {
            let r = resolve(store, &units, &s).await?;
            let t =
                r.plan.targets.iter().find(|t| t.code == target).ok_or_else(|| {
                    StoreError::refused(format!("kế hoạch không có chỉ tiêu «{target}»"), format!("the plan has no target «{target}»"))
                })?;
            let mut engine = Engine::new(store, &units);
            let typed = t.typed().ok_or_else(|| {
                StoreError::refused(format!("chỉ số «{}» không có trong danh mục", t.indicator), format!("unknown indicator «{}»", t.indicator))
            })?;
            let mut all = engine.evaluate_target(&typed, &r.unit, &r.period, r.as_of).await?;
            if all.len() > 1 {
                // A yearly target over several years: explain its last year.
                let last = all.iter().map(|e| e.period.label.clone()).collect::<Vec<_>>().join(", ");
                eprintln!("chỉ tiêu tính theo từng năm ({last}); giải thích năm cuối (a yearly target: the last year is explained)");
            }
            let e = all.pop().ok_or_else(|| {
                StoreError::refused(
                    format!("chỉ tiêu «{target}» không thuộc kỳ {}", r.period.label),
                    format!("the target «{target}» lies outside the period {}", r.period.label),
                )
            })?;
            let territory = pcmd_engine::Territory::build_as_of(&units, &r.unit, &e.period, r.as_of).ok();
            let records = store.records_behind(&t.indicator, &e.period, r.as_of).await?.map(|all| {
                all.into_iter().filter(|rec| territory.as_ref().is_some_and(|tt| tt.counts_record(rec.kind, rec.unit_id))).collect::<Vec<_>>()
            });
            if s.format == Format::Json {
                #[derive(serde::Serialize)]
                struct Explained<'a> {
                    evaluation: &'a Evaluation,
                    records: &'a Option<Vec<pcmd_store::RecordRef>>,
                }
                return json(&Explained { evaluation: &e, records: &records });
            }
            let mut out = vec![
                format!("{} {} — {}", t.code, t.threshold_text(), t.text),
                format!("  chỉ số: {} ({})", t.indicator, t.indicator_kind),
                format!("  đơn vị: {} {}; kỳ {}; số liệu đến {}", r.unit.code, r.unit.name, e.period, format_vn(r.as_of)),
                format!("  giá trị: {}; trạng thái: {}", value_text(&t.indicator_kind, e.value), e.status_vi()),
            ];
            if let (Some(n), d) = (e.numerator, e.denominator) {
                out.push(format!("  tử số: {}{}", number_vn(n), d.map(|d| format!("; mẫu số: {}", number_vn(d))).unwrap_or_default()));
            }
            if let Some(note) = &e.note {
                out.push(format!("  ghi chú: {note}"));
            }
            if !e.parts.is_empty() {
                let rows: Vec<Vec<String>> = e
                    .parts
                    .iter()
                    .map(|p| vec![p.code.to_string(), p.label.to_string(), number_vn(p.numerator), p.denominator.map(number_vn).unwrap_or_default()])
                    .collect();
                out.push(String::new());
                out.push(table(&["Mã", "Thành phần", "Số", "Trên"], &rows));
            }
            match records {
                Some(list) => {
                    out.push(String::new());
                    out.push(format!("Bản ghi được tính ({}):", list.len()));
                    let rows: Vec<Vec<String>> = list
                        .iter()
                        .map(|rec| {
                            let unit = units.get(rec.unit_id).map(|u| format!("{} {}", u.code, u.name)).unwrap_or_default();
                            vec![format!("{} #{}", rec.kind, rec.id), format_vn(rec.date), unit, rec.label.clone()]
                        })
                        .collect();
                    out.push(table(&["Bản ghi", "Ngày", "Đơn vị", "Nội dung"], &rows));
                }
                None => out.push("\nBản ghi về cá nhân chỉ hiển thị dưới dạng số đếm (records about persons are shown as counts only).".into()),
            }
            Ok(out.join("\n"))
        }
    }
}
