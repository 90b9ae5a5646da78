//! `pcmd export dhis2`: indicator values as DHIS2 `dataValueSets` JSON, so that
//! a ministry's DHIS2 can take them in (POST /api/dataValueSets).
//!
//! Mapping: dataElement = the target's indicator code (`reach_students`…),
//! period = DHIS2's period notation (`2025`, `2025S1`, `2025Q3`, `202503`),
//! orgUnit = the administrative unit's code (GSO), value = the computed value
//! (a percentage as 0–100, a count, a frequency), comment = plan, target and
//! status. Only values that exist are exported: DHIS2 takes no empty value.

use super::demo::parse_date;
use chrono::NaiveDate;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::units::UnitIndex;
use pcmd_engine::{Engine, Territory};
use pcmd_store::Store;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// Every target's value for the plan's unit and each district and commune inside it, as DHIS2 dataValueSets JSON.
    Dhis2 {
        /// The plan: number (117/NQ-HĐND) or key.
        #[arg(long)]
        plan: String,
        /// A calendar year, half (2025-H1 = January–June), quarter or month.
        #[arg(long)]
        period: String,
        /// The unit (the plan's own by default).
        #[arg(long)]
        unit: Option<String>,
        /// Count what was recorded up to this day (today by default).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    pub data_element: String,
    pub period: String,
    pub org_unit: String,
    pub value: String,
    pub comment: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValueSet {
    pub data_values: Vec<DataValue>,
}

/// A value as DHIS2 reads it: a plain decimal with a point, at most two decimals.
fn dhis2_number(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

pub async fn run(store: &Store, units: &UnitIndex, cmd: ExportCommand) -> anyhow::Result<String> {
    let ExportCommand::Dhis2 { plan, period, unit, as_of, out } = cmd;
    let set = dhis2(store, units, &plan, &period, unit.as_deref(), as_of).await?;
    let text = serde_json::to_string_pretty(&set)?;
    match out {
        Some(path) => {
            std::fs::write(&path, &text)?;
            Ok(format!("{}: {} giá trị (values)", path.display(), set.data_values.len()))
        }
        None => Ok(text),
    }
}

pub async fn dhis2(
    store: &Store,
    units: &UnitIndex,
    plan: &str,
    period: &str,
    unit: Option<&str>,
    as_of: Option<NaiveDate>,
) -> anyhow::Result<DataValueSet> {
    let plan = store.plan(plan).await?;
    let period = Period::parse(period, Cutoff::Calendar).map_err(|e| anyhow::anyhow!(e))?;
    let Some(dhis_period) = period.dhis2() else {
        anyhow::bail!(
            "DHIS2 không có kỳ «{}»: dùng năm, nửa năm (2025-H1 = tháng 1–6), quý hoặc tháng (DHIS2 has no period for «{}»: use a year, half, quarter or month)",
            period.label,
            period.label
        );
    };
    let scope = match unit {
        Some(code) => units.resolve_for(code, period.from, period.to).cloned(),
        None => store.plan_unit(&plan.summary.key).await?.and_then(|id| units.get(id).cloned()),
    }
    .ok_or_else(|| anyhow::anyhow!("không có đơn vị cho kỳ này; dùng --unit (no unit for this period; use --unit)"))?;
    let as_of = as_of.unwrap_or_else(|| pcmd_engine::default_as_of(&period, chrono::Local::now().date_naive()));
    let mut list = vec![scope.clone()];
    if let Ok(t) = Territory::build(units, &scope, &period) {
        list.extend(t.districts.iter().chain(t.communes.iter()).filter_map(|id| units.get(*id).cloned()));
    }
    let mut engine = Engine::new(store, units);
    let mut seen = HashSet::new();
    let mut data_values = Vec::new();
    let targets = plan.typed_targets();
    for u in &list {
        for e in engine.evaluate_plan(&targets, u, &period, as_of).await? {
            let Some(v) = e.value else { continue };
            // Two targets of one plan on the same indicator give one DHIS2 value: the first is kept.
            if !seen.insert((e.indicator.clone(), u.code.clone())) {
                continue;
            }
            data_values.push(DataValue {
                data_element: e.indicator.clone(),
                period: dhis_period.clone(),
                org_unit: u.code.clone(),
                value: dhis2_number(v),
                comment: format!("{} {}: {}", plan.summary.number, e.target, e.status.as_str()),
            });
        }
    }
    Ok(DataValueSet { data_values })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_dhis2_reads_them() {
        assert_eq!(dhis2_number(100.0), "100");
        assert_eq!(dhis2_number(66.4804469), "66.48");
        assert_eq!(dhis2_number(0.5), "0.5");
    }
}
