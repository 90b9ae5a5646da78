//! `pcmd units …` and `pcmd agencies …`.

use super::demo::parse_date;
use super::output::{json, table, Format};
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::units::{Level, Unit};
use pcmd_store::{Store, Succession};
use serde::Serialize;

#[derive(Debug, clap::Subcommand)]
pub enum UnitsCommand {
    /// The units valid on a date at a level.
    List {
        #[arg(long)]
        level: Level,
        /// YYYY-MM-DD or dd/mm/yyyy; today by default.
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// Keep only the units inside this unit's subtree (its code on that date).
        #[arg(long)]
        parent: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One unit on a date, with its ancestors.
    Show {
        code: String,
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Where an old unit (commune, district or province of 30/06/2025) went on 01/07/2025.
    Successors {
        code: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Which old units went into a new commune (of 01/07/2025).
    Predecessors {
        code: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum AgenciesCommand {
    /// Agencies, of a unit's subtree if given.
    List {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Who led the programme in a unit, over time.
    Leads {
        unit: String,
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// A unit as `--format json` prints it; the fields are a stable interface (README.md).
#[derive(Debug, Serialize)]
struct UnitJson<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    unit_type: &'a str,
    level: Level,
    parent_code: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    area_km2: Option<f64>,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
}

impl<'a> From<&'a Unit> for UnitJson<'a> {
    fn from(u: &'a Unit) -> Self {
        UnitJson {
            code: &u.code,
            name: &u.name,
            unit_type: &u.unit_type,
            level: u.level,
            parent_code: u.parent_code.as_deref(),
            lat: u.lat,
            lon: u.lon,
            area_km2: u.area_km2,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
        }
    }
}

#[derive(Debug, Serialize)]
struct SuccessionJson<'a> {
    old_code: &'a str,
    old_name: &'a str,
    old_level: Level,
    old_parent_code: Option<&'a str>,
    new_code: &'a str,
    new_name: &'a str,
    new_province_code: Option<&'a str>,
    new_province_name: Option<&'a str>,
    kind: &'static str,
}

fn today() -> NaiveDate {
    pcmd_domain::date::today_vn()
}

fn validity(u: &Unit) -> String {
    if u.valid_to == pcmd_domain::units::OPEN_END {
        format!("từ {}", format_vn(u.valid_from))
    } else {
        format!("{} – {}", format_vn(u.valid_from), format_vn(u.valid_to))
    }
}

pub async fn run(store: &Store, cmd: UnitsCommand) -> anyhow::Result<String> {
    match cmd {
        UnitsCommand::List { level, date, parent, format } => {
            let date = date.unwrap_or_else(today);
            let within = match parent {
                Some(code) => Some(store.require_unit(&code, date).await?.id),
                None => None,
            };
            let units = store.units_on(date, level, within).await?;
            if format == Format::Json {
                return json(&units.iter().map(UnitJson::from).collect::<Vec<_>>());
            }
            if !level.exists_on(date) {
                return Ok(format!(
                    "Không có cấp huyện vào ngày {}: từ 01/07/2025 chính quyền địa phương có hai cấp (tỉnh, xã). \
                     (No district level on {date}: from 1 July 2025 there are two levels, province and commune.)",
                    format_vn(date)
                ));
            }
            let rows: Vec<Vec<String>> =
                units.iter().map(|u| vec![u.code.clone(), u.name.clone(), u.unit_type.clone(), u.parent_code.clone().unwrap_or_default()]).collect();
            Ok(format!(
                "{}\n{} đơn vị {} ngày {} ({} units)",
                table(&["Mã", "Tên", "Loại", "Mã cấp trên"], &rows),
                units.len(),
                level.name_vi(),
                format_vn(date),
                units.len()
            ))
        }
        UnitsCommand::Show { code, date, format } => {
            let date = date.unwrap_or_else(today);
            let unit = store.require_unit(&code, date).await?;
            let ancestors = store.ancestors(unit.id).await?;
            if format == Format::Json {
                #[derive(Serialize)]
                struct Shown<'a> {
                    #[serde(flatten)]
                    unit: UnitJson<'a>,
                    ancestors: Vec<UnitJson<'a>>,
                }
                return json(&Shown { unit: UnitJson::from(&unit), ancestors: ancestors.iter().map(UnitJson::from).collect() });
            }
            let mut lines = vec![format!("{} {} ({}, {}; hiệu lực {})", unit.code, unit.name, unit.unit_type, unit.level.name_vi(), validity(&unit))];
            for a in &ancestors {
                lines.push(format!("  thuộc {} {} ({})", a.code, a.name, a.level.name_vi()));
            }
            if let (Some(lat), Some(lon)) = (unit.lat, unit.lon) {
                lines.push(format!("  tọa độ: {lat}, {lon}"));
            }
            if let Some(area) = unit.area_km2 {
                lines.push(format!("  diện tích: {area} km²"));
            }
            Ok(lines.join("\n"))
        }
        UnitsCommand::Successors { code, format } => successions(store.successors(&code).await?, format),
        UnitsCommand::Predecessors { code, format } => successions(store.predecessors(&code).await?, format),
    }
}

fn successions(list: Vec<Succession>, format: Format) -> anyhow::Result<String> {
    if format == Format::Json {
        let rows: Vec<SuccessionJson<'_>> = list
            .iter()
            .map(|s| SuccessionJson {
                old_code: &s.old.code,
                old_name: &s.old.name,
                old_level: s.old.level,
                old_parent_code: s.old.parent_code.as_deref(),
                new_code: &s.new.code,
                new_name: &s.new.name,
                new_province_code: s.new_province_code.as_deref(),
                new_province_name: s.new_province_name.as_deref(),
                kind: s.kind.as_str(),
            })
            .collect();
        return json(&rows);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            vec![
                s.old.code.clone(),
                s.old.name.clone(),
                s.new.code.clone(),
                s.new.name.clone(),
                s.new_province_name.clone().unwrap_or_default(),
                s.kind.as_str().to_string(),
            ]
        })
        .collect();
    Ok(format!(
        "{}\n{} liên kết (links). whole = nhập nguyên vẹn; split = một phần; split-default = phần chính",
        table(&["Mã cũ", "Tên cũ", "Mã mới", "Tên mới", "Tỉnh mới", "Cách sáp nhập"], &rows),
        list.len()
    ))
}

pub async fn run_agencies(store: &Store, cmd: AgenciesCommand) -> anyhow::Result<String> {
    match cmd {
        AgenciesCommand::List { unit, date, format } => {
            let within = match unit {
                Some(code) => Some(store.require_unit(&code, date.unwrap_or_else(today)).await?.id),
                None => None,
            };
            let list = store.agencies(within).await?;
            if format == Format::Json {
                return json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|a| {
                    vec![
                        a.code.clone(),
                        a.name.clone(),
                        a.kind.clone(),
                        a.unit_code.clone(),
                        format!("{} – {}", format_vn(a.valid_from), format_vn(a.valid_to)),
                    ]
                })
                .collect();
            Ok(table(&["Mã", "Tên", "Loại", "Đơn vị", "Hiệu lực"], &rows))
        }
        AgenciesCommand::Leads { unit, date, format } => {
            let unit = store.require_unit(&unit, date.unwrap_or_else(today)).await?;
            let leads = store.leads(unit.id).await?;
            if format == Format::Json {
                return json(&leads);
            }
            let rows: Vec<Vec<String>> =
                leads.iter().map(|l| vec![format_vn(l.valid_from), format_vn(l.valid_to), l.agency_name.clone(), l.basis.clone()]).collect();
            Ok(format!("Cơ quan thường trực tại {} {}:\n{}", unit.code, unit.name, table(&["Từ", "Đến", "Cơ quan", "Căn cứ"], &rows)))
        }
    }
}
