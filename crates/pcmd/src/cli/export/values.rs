//! `pcmd export dhis2`: the engine's figures as a DHIS2 `dataValueSets` payload
//! (POST /api/dataValueSets), for the objects `export dhis2-metadata` creates.
//!
//! What DHIS2 2.40 reads (dhis2-core, `dhis-service-dxf2/.../datavalueset/`):
//! * `JsonDataValueSetStreamReader` reads the set's own fields —
//!   `dataElementIdScheme`, `orgUnitIdScheme`, `categoryOptionComboIdScheme`,
//!   `dataSet`… — only until the first array, so they come before `dataValues`;
//!   a scheme in the payload takes precedence over the URL's (dhis2-docs
//!   `developer/web-api/data.md`, "Identifier schemes").
//! * `categoryOptionComboIdScheme` applies to the attribute option combination
//!   too; it stays UID: the plan's combination has a UID both commands derive.
//! * `DataValueSetImportValidator.checkDataValueIsNotZeroAndInsignificant`
//!   skips a zero unless the data element has `zeroIsSignificant`: zeros are
//!   exported (0 communes of 12 covered is a figure) and the metadata marks them.

use super::codes::{self, Part};
use super::period::{self, Dhis2Period};
use chrono::NaiveDate;
use pcmd_domain::plan::indicator;
use pcmd_domain::units::{Unit, UnitIndex};
use pcmd_engine::{Engine, Territory};
use pcmd_store::{PlanView, Store};
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    pub data_element: String,
    pub period: String,
    pub org_unit: String,
    pub attribute_option_combo: String,
    pub value: String,
    pub comment: String,
}

/// The payload; its fields are written in this order, the schemes first.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValueSet {
    pub data_element_id_scheme: &'static str,
    pub org_unit_id_scheme: &'static str,
    pub category_option_combo_id_scheme: &'static str,
    pub data_set: String,
    pub data_values: Vec<DataValue>,
}

/// A value as DHIS2 reads a NUMBER: a plain decimal with a point, at most two decimals.
pub fn dhis2_number(v: f64) -> String {
    // + 0.0 turns -0 into 0.
    let r = (v * 100.0).round() / 100.0 + 0.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

/// The unit a figure is exported for: `--unit` as valid in the period, else the plan's own.
pub async fn scope_for(
    store: &Store,
    units: &UnitIndex,
    plan: &PlanView,
    unit: Option<&str>,
    period: &pcmd_domain::period::Period,
    as_of: NaiveDate,
) -> anyhow::Result<Unit> {
    let scope = match unit {
        Some(code) => units.resolve_as_of(code, period, as_of).cloned(),
        None => store.plan_unit(&plan.summary.key).await?.and_then(|id| units.get(id).cloned()),
    };
    scope.ok_or_else(|| anyhow::anyhow!("không có đơn vị cho kỳ này; dùng --unit (no unit for this period; use --unit)"))
}

/// The units a period's figures are exported for: the scope, and the districts
/// and communes its territory counts in that period (new communes after the reform).
pub fn export_units(units: &UnitIndex, scope: &Unit, period: &pcmd_domain::period::Period, as_of: NaiveDate) -> Vec<Unit> {
    let mut list = vec![scope.clone()];
    if let Ok(t) = Territory::build_as_of(units, scope, period, as_of) {
        list.extend(t.districts.iter().chain(t.communes.iter()).filter(|id| **id != scope.id).filter_map(|id| units.get(*id).cloned()));
    }
    list
}

pub async fn data_value_set(
    store: &Store,
    units: &UnitIndex,
    plan: &str,
    period: &str,
    unit: Option<&str>,
    as_of: Option<NaiveDate>,
) -> anyhow::Result<DataValueSet> {
    let plan = store.plan(plan).await?;
    let Dhis2Period { period, dhis2, kind } = period::parse(period).map_err(|e| anyhow::anyhow!(e))?;
    // As in reports: the period's end once it is over, else today.
    let as_of = as_of.unwrap_or_else(|| pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn()));
    let scope = scope_for(store, units, &plan, unit, &period, as_of).await?;
    let key = &plan.summary.key;
    let aoc = codes::attribute_option_combo(key);
    // The facts every exported unit's territory can hold (each unit a root, as a dashboard
    // does: a unit across the reform may count units outside the scope's own subtree), read
    // at once.
    let list = export_units(units, &scope, &period, as_of);
    let roots: Vec<&Unit> = list.iter().collect();
    let mut engine = Engine::within(store, units, &roots);
    let mut seen = HashSet::new();
    let mut data_values = Vec::new();
    let targets = plan.typed_targets();
    engine.prefetch(&targets, &pcmd_engine::one_of_each_level(&list), &period, as_of).await?;
    for u in &list {
        let org_unit = codes::org_unit_code(u);
        for e in engine.evaluate_plan(&targets, u, &period, as_of).await? {
            let Some(ind) = indicator::find(e.indicator) else { continue };
            if !codes::period_types(ind.kind).contains(&kind) {
                continue;
            }
            let window = format!("{} – {}", pcmd_domain::date::format_vn(e.period.from), pcmd_domain::date::format_vn(e.period.to));
            for (part, _) in codes::parts(ind.kind) {
                let figure = match part {
                    Part::Numerator => e.numerator,
                    Part::Denominator => e.denominator,
                    Part::Value => e.value,
                };
                let Some(v) = figure else { continue };
                let data_element = codes::data_element_code(kind, ind.code, *part);
                // Two targets of one plan on the same indicator give one DHIS2 value: the first is kept.
                if !seen.insert((data_element.clone(), org_unit.clone())) {
                    continue;
                }
                data_values.push(DataValue {
                    data_element,
                    period: dhis2.clone(),
                    org_unit: org_unit.clone(),
                    attribute_option_combo: aoc.clone(),
                    value: dhis2_number(v),
                    comment: format!("{} {}: {}; {window}", plan.summary.number, e.target, e.status.as_str()),
                });
            }
        }
    }
    Ok(DataValueSet {
        data_element_id_scheme: "CODE",
        org_unit_id_scheme: "CODE",
        category_option_combo_id_scheme: "UID",
        data_set: codes::uid("dataSet", &codes::data_set_code(key, kind)),
        data_values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_dhis2_reads_them() {
        assert_eq!(dhis2_number(100.0), "100");
        assert_eq!(dhis2_number(0.0), "0");
        assert_eq!(dhis2_number(-0.001), "0");
        assert_eq!(dhis2_number(-33.333), "-33.33");
        assert_eq!(dhis2_number(66.4804469), "66.48");
        assert_eq!(dhis2_number(0.5), "0.5");
    }
}
