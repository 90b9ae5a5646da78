//! `pcmd export dhis2-metadata`: the objects a DHIS2 server (2.40+) needs
//! before it takes a plan's values, as one `POST /api/metadata` payload.
//!
//! Field names and limits checked against dhis2-core, `dhis-api/src/main/java/org/hisp/dhis/`
//! `indicator/Indicator.java`, `indicator/IndicatorType.java`,
//! `organisationunit/OrganisationUnit.java` (`openingDate`, `closedDate`,
//! `geometry`), `category/CategoryOption.java` (name ≤ 230 and short name ≤ 50,
//! both unique; `startDate`, `endDate`, `sharing`), the JSON properties of
//! `DataElement` and `DataSet` (`aggregationLevels`, `zeroIsSignificant`,
//! `dataSetElements`, `indicators`), the metadata dhis2-core's own
//! `DataSetCompletionControllerTest` imports, and the import hooks in
//! `dhis-service-dxf2/.../metadata/objectbundle/hooks/`:
//! * data elements: `name` (≤ 230, unique), `shortName` (≤ 50, unique), `code`,
//!   `valueType` NUMBER, `domainType` AGGREGATE, `aggregationType` SUM or NONE,
//!   `zeroIsSignificant` true. `categoryCombo` is left out: DHIS2 sets the
//!   server's default one (dhis2-core PR #287), whose UID is not the same on
//!   every server. `aggregationLevels` are the levels pcmd sends figures at:
//!   the province, its districts and its communes each get their own figure
//!   from the engine (records held by a province or district, or capped per
//!   commune, make a province's figure other than the sum of its communes'),
//!   and with each of these levels listed DHIS2 reads every level's own data
//!   instead of adding the levels below to it (DHIS2 user manual, "Data
//!   elements", "Aggregation levels": "If you select both District and
//!   Chiefdom … Chiefdom will use Chiefdom, and PHU will use PHU").
//! * indicators: `numerator` / `denominator` expressions `#{UID}` (with
//!   descriptions), `indicatorType` (factor 100, not a number: a percentage).
//! * data sets, one per period type (`periodType` Yearly, SixMonthly,
//!   Quarterly, Monthly), each with its own data elements (`dataSetElements`),
//!   indicators and units; DHIS2 adds shorter periods into longer ones, so a
//!   yearly figure and quarterly ones of the same data element would be counted
//!   twice: each period type has data elements of its own.
//! * the plan as the attribute option combination of its values: a category
//!   option (`startDate`/`endDate` the plan's period; DHIS2 refuses values
//!   outside it, `DataValueSetImportValidator.checkDataValuePeriodWithinAttrOptionComboRange`),
//!   its category and combination (`dataDimensionType` ATTRIBUTE) and the one
//!   category option combination, given with its UID: `/api/metadata` does not
//!   generate it (`/api/categoryCombos` does, `CategoryComboController.postCreateEntity`;
//!   servers otherwise wait for `/api/maintenance/categoryOptionComboUpdate`),
//!   and newer servers check a given one is exactly the combination expected
//!   (`CategoryOptionComboObjectBundleHook`, PR #21758). One category per
//!   plan, so that importing a second plan does not replace the first plan's
//!   option list. Values of two plans on the same indicator, unit and period
//!   stay apart.
//! * organisation units: `name`, `shortName` (≤ 50), `code` (unique across the
//!   reform, see `codes`), `openingDate`, `closedDate` for units the reform
//!   ended, `parent`; the province's parent is `--parent` if given.
//! * sharing of the data sets and the category option: public `r-------`
//!   (metadata read, no data: values by commune hold small counts, 1 to 4
//!   persons served, that not every user of a ministry's DHIS2 should read or
//!   overwrite), and data read and write (`r-rw----`) for the user group given
//!   with `--data-group`; a user outside it who is not a superuser cannot post
//!   values (`validateDataSetIsAccessibleByUser`, `validateDataValueAttrOptionComboAccess`).

use super::codes::{self, cut, uid, PeriodType, MAX_NAME, MAX_SHORT_NAME};
use super::period;
use super::values::{export_units, scope_for};
use pcmd_domain::plan::{indicator, Indicator};
use pcmd_domain::units::{Unit, UnitIndex, OPEN_END};
use pcmd_store::Store;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};

fn reference(id: &str) -> Value {
    json!({ "id": id })
}

fn sharing(data_group: Option<&str>) -> Value {
    let groups = match data_group {
        Some(g) => json!({ g: { "id": g, "access": "r-rw----" } }),
        None => json!({}),
    };
    json!({ "public": "r-------", "external": false, "users": {}, "userGroups": groups })
}

/// "Mã thống kê 31510, hiệu lực 01/01/2020 – 30/06/2025 (GSO code 31510, valid 2020-01-01 – 2025-06-30)".
fn validity(u: &Unit) -> String {
    let from_vi = pcmd_domain::date::format_vn(u.valid_from);
    if u.valid_to == OPEN_END {
        format!("Mã thống kê {}, hiệu lực từ {from_vi} (GSO code {}, valid from {})", u.code, u.code, u.valid_from)
    } else {
        let to_vi = pcmd_domain::date::format_vn(u.valid_to);
        format!("Mã thống kê {}, hiệu lực {from_vi} – {to_vi} (GSO code {}, valid {} – {})", u.code, u.code, u.valid_from, u.valid_to)
    }
}

/// A unit's depth: 0 for a province.
fn depth(units: &UnitIndex, u: &Unit) -> u32 {
    std::iter::successors(u.parent_id, |p| units.get(*p).and_then(|x| x.parent_id)).count() as u32
}

/// Every unit the plan's values can be exported for, over every DHIS2 period of its years.
async fn data_units(store: &Store, units: &UnitIndex, plan: &pcmd_store::PlanView, unit: Option<&str>) -> anyhow::Result<BTreeMap<i64, Unit>> {
    let mut out = BTreeMap::new();
    let mut last_error = None;
    for p in period::all_within(plan.summary.period_from, plan.summary.period_to) {
        // Every unit a value can go to: the periods' units as counted once each is over.
        match scope_for(store, units, plan, unit, &p.period, p.period.to).await {
            Ok(scope) => out.extend(export_units(units, &scope, &p.period, p.period.to).into_iter().map(|u| (u.id, u))),
            Err(e) => last_error = Some(e),
        }
    }
    match (out.is_empty(), last_error) {
        (true, Some(e)) => Err(e),
        _ => Ok(out),
    }
}

pub async fn metadata(
    store: &Store,
    units: &UnitIndex,
    plan: &str,
    unit: Option<&str>,
    parent: Option<&str>,
    parent_level: Option<u32>,
    data_group: Option<&str>,
) -> anyhow::Result<Value> {
    if let Some(g) = data_group.filter(|g| !codes::is_uid(g)) {
        anyhow::bail!(
            "--data-group «{g}» không phải UID của DHIS2 (11 ký tự, chữ cái đầu, chỉ chữ và số) (--data-group «{g}» is no DHIS2 UID: 11 letters and digits, a letter first)"
        );
    }
    if let Some(p) = parent.filter(|p| !codes::is_uid(p)) {
        anyhow::bail!(
            "--parent «{p}» không phải UID của DHIS2 (11 ký tự, chữ cái đầu, chỉ chữ và số) (--parent «{p}» is no DHIS2 UID: 11 letters and digits, a letter first)"
        );
    }
    let base = match (parent, parent_level) {
        (None, Some(_)) => anyhow::bail!("--parent-level cần --parent (--parent-level needs --parent)"),
        (Some(_), Some(l)) if !(1..=9).contains(&l) => anyhow::bail!("--parent-level từ 1 đến 9 (--parent-level is 1 to 9)"),
        (Some(_), l) => l.unwrap_or(1) + 1,
        (None, None) => 1,
    };
    let plan = store.plan(plan).await?;
    let key = plan.summary.key.clone();

    // Units: those that get figures, and the units above them for the tree.
    let with_data = data_units(store, units, &plan, unit).await?;
    let mut all: BTreeMap<i64, Unit> = with_data.clone();
    for u in with_data.values() {
        for a in std::iter::successors(u.parent_id.and_then(|p| units.get(p)), |x| x.parent_id.and_then(|p| units.get(p))) {
            all.insert(a.id, a.clone());
        }
    }
    let mut ordered: Vec<&Unit> = all.values().collect();
    ordered.sort_by_key(|u| (depth(units, u), u.code.clone(), u.valid_from));
    let mut codes_seen = HashSet::new();
    for u in &ordered {
        let code = codes::org_unit_code(u);
        if !codes_seen.insert(code.clone()) {
            anyhow::bail!("hai đơn vị cùng mã DHIS2 {code} (two units share the DHIS2 code {code})");
        }
    }
    let org_units: Vec<Value> = ordered
        .iter()
        .map(|u| {
            let code = codes::org_unit_code(u);
            let mut o = serde_json::Map::new();
            o.insert("id".into(), json!(uid("organisationUnit", &code)));
            o.insert("name".into(), json!(cut(&u.name, MAX_NAME)));
            o.insert("shortName".into(), json!(cut(&u.name, MAX_SHORT_NAME)));
            o.insert("code".into(), json!(code));
            o.insert("openingDate".into(), json!(u.valid_from.to_string()));
            if u.valid_to != OPEN_END {
                o.insert("closedDate".into(), json!(u.valid_to.to_string()));
            }
            o.insert("description".into(), json!(validity(u)));
            let above = match u.parent_id.and_then(|p| units.get(p)) {
                Some(p) => Some(uid("organisationUnit", &codes::org_unit_code(p))),
                None => parent.map(str::to_string),
            };
            if let Some(p) = above {
                o.insert("parent".into(), reference(&p));
            }
            if let (Some(lat), Some(lon)) = (u.lat, u.lon) {
                o.insert("geometry".into(), json!({ "type": "Point", "coordinates": [lon, lat] }));
            }
            Value::Object(o)
        })
        .collect();
    let levels: BTreeSet<u32> = with_data.values().map(|u| base + depth(units, u)).collect();
    let data_set_units: Vec<Value> =
        ordered.iter().filter(|u| with_data.contains_key(&u.id)).map(|u| reference(&uid("organisationUnit", &codes::org_unit_code(u)))).collect();

    // The plan's indicators, each once, in the plan's order.
    let mut seen = HashSet::new();
    let indicators: Vec<&'static Indicator> =
        plan.typed_targets().iter().filter_map(|t| indicator::find(t.indicator.code())).filter(|i| seen.insert(i.code)).collect();

    let percent_type = uid("indicatorType", "PCMD_PERCENT");
    let plan_code = codes::plan_code(&key);
    let (option, category, combo) = (uid("categoryOption", &plan_code), uid("category", &plan_code), uid("categoryCombo", &plan_code));
    let mut data_elements = Vec::new();
    let mut dhis2_indicators = Vec::new();
    let mut data_sets = Vec::new();
    for pt in PeriodType::ALL {
        let (mut set_elements, mut set_indicators) = (Vec::new(), Vec::new());
        for ind in indicators.iter().filter(|i| codes::period_types(i.kind).contains(&pt)) {
            for (part, aggregation) in codes::parts(ind.kind) {
                let code = codes::data_element_code(pt, ind.code, *part);
                let id = uid("dataElement", &code);
                let (name, short, description) = codes::data_element_names(pt, ind, *part);
                data_elements.push(json!({
                    "id": id, "code": code, "name": name, "shortName": short, "description": description,
                    "valueType": "NUMBER", "domainType": "AGGREGATE", "aggregationType": aggregation,
                    "zeroIsSignificant": true, "aggregationLevels": levels,
                }));
                set_elements.push(json!({ "dataElement": reference(&id) }));
            }
            if codes::has_dhis2_indicator(ind.kind) {
                let num = uid("dataElement", &codes::data_element_code(pt, ind.code, codes::Part::Numerator));
                let den = uid("dataElement", &codes::data_element_code(pt, ind.code, codes::Part::Denominator));
                let (numerator, numerator_description) = if ind.kind == pcmd_domain::plan::IndicatorKind::Growth {
                    (format!("#{{{num}}}-#{{{den}}}"), format!("({}) − ({})", ind.numerator_vi, ind.denominator_vi))
                } else {
                    (format!("#{{{num}}}"), ind.numerator_vi.to_string())
                };
                let code = codes::indicator_code(pt, ind.code);
                let id = uid("indicator", &code);
                dhis2_indicators.push(json!({
                    "id": id, "code": code,
                    "name": cut(&format!("PCMD {}: {}", pt.name_vi(), ind.name_vi), MAX_NAME),
                    "shortName": cut(&format!("PCMD {} {}", pt.letter(), ind.code), MAX_SHORT_NAME),
                    "description": cut(ind.name_en, MAX_NAME),
                    "indicatorType": reference(&percent_type),
                    "numerator": numerator, "numeratorDescription": cut(&numerator_description, MAX_NAME),
                    "denominator": format!("#{{{den}}}"), "denominatorDescription": cut(ind.denominator_vi, MAX_NAME),
                    "decimals": 2, "annualized": false,
                }));
                set_indicators.push(reference(&id));
            }
        }
        if set_elements.is_empty() {
            continue;
        }
        let code = codes::data_set_code(&key, pt);
        data_sets.push(json!({
            "id": uid("dataSet", &code), "code": code,
            "name": cut(&format!("PCMD {} ({key}) – {}", plan.summary.number, pt.name_vi()), MAX_NAME),
            "shortName": cut(&format!("PCMD {} {key}", pt.letter()), MAX_SHORT_NAME),
            "periodType": pt.dhis2_name(),
            "categoryCombo": reference(&combo),
            "dataSetElements": set_elements,
            "indicators": set_indicators,
            "organisationUnits": data_set_units,
            "openFuturePeriods": 0, "expiryDays": 0,
            "sharing": sharing(data_group),
        }));
    }

    let plan_name = cut(&format!("PCMD {} ({key})", plan.summary.number), MAX_NAME);
    let plan_short = cut(&format!("PCMD {key}"), MAX_SHORT_NAME);
    Ok(json!({
        "categoryOptions": [{
            "id": option, "code": plan_code, "name": plan_name, "shortName": plan_short,
            "description": cut(&plan.summary.title, MAX_NAME),
            "startDate": plan.summary.period_from.to_string(), "endDate": plan.summary.period_to.to_string(),
            "sharing": sharing(data_group),
        }],
        "categories": [{
            "id": category, "code": plan_code, "name": plan_name, "shortName": plan_short,
            "dataDimensionType": "ATTRIBUTE", "dataDimension": true, "categoryOptions": [reference(&option)],
        }],
        "categoryCombos": [{
            "id": combo, "code": plan_code, "name": plan_name,
            "dataDimensionType": "ATTRIBUTE", "categories": [reference(&category)],
        }],
        "categoryOptionCombos": [{
            "id": codes::attribute_option_combo(&key), "code": plan_code, "name": plan_name,
            "categoryCombo": reference(&combo), "categoryOptions": [reference(&option)],
        }],
        "indicatorTypes": [{ "id": percent_type, "code": "PCMD_PERCENT", "name": "Phần trăm (PCMD)", "factor": 100, "number": false }],
        "dataElements": data_elements,
        "indicators": dhis2_indicators,
        "dataSets": data_sets,
        "organisationUnits": org_units,
    }))
}

/// The number of objects in a metadata payload.
pub fn count(metadata: &Value) -> usize {
    metadata.as_object().map_or(0, |o| o.values().filter_map(Value::as_array).map(Vec::len).sum())
}
