//! Reads the General Statistics Office code lists (data/admin-units) into rows
//! ready to store: ids assigned in file order, so that they are the same on
//! every load and every backend.

use super::{Level, SuccessionKind, LAST_DAY_BEFORE_REFORM, OPEN_END, REFORM_DAY};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

/// A unit to store; `parent_id` refers to another row of the same catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub level: Level,
    pub parent_id: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub area_km2: Option<f64>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// An old unit (a commune, or an island district without communes) and the new
/// commune it went into, whole or in part.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessorRow {
    pub old_id: i64,
    pub new_id: i64,
    pub kind: SuccessionKind,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub units: Vec<UnitRow>,
    pub successors: Vec<SuccessorRow>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}, dòng {line}: {message} ({file}, line {line})")]
pub struct CatalogError {
    pub file: &'static str,
    pub line: u64,
    pub message: String,
}

#[derive(Deserialize)]
struct OldRow {
    province_code: String,
    province_name: String,
    district_code: String,
    district_name: String,
    district_type: String,
    ward_code: String,
    ward_name: String,
    ward_type: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Deserialize)]
struct NewRow {
    province_code: String,
    province_name: String,
    ward_code: String,
    ward_name: String,
    ward_type: String,
    lat: Option<f64>,
    lon: Option<f64>,
    area_km2: Option<f64>,
}

#[derive(Deserialize)]
struct SuccRow {
    old_province_code: String,
    old_district_code: String,
    old_ward_code: String,
    new_ward_code: String,
    kind: String,
}

pub const OLD_FILE: &str = "units-2025-06-30.csv";
pub const NEW_FILE: &str = "units-2025-07-01.csv";
pub const SUCCESSORS_FILE: &str = "ward-successors-2025.csv";

/// Parses the three lists. `old_start` is the first day the 30 June 2025 list is
/// taken to be valid (see data/admin-units/README.md).
pub fn parse_catalog(old_csv: &str, new_csv: &str, successors_csv: &str, old_start: NaiveDate) -> Result<Catalog, CatalogError> {
    let mut b = Builder::default();
    b.read_old(old_csv, old_start)?;
    b.read_new(new_csv)?;
    b.read_successors(successors_csv)?;
    b.fill_centres();
    Ok(b.catalog)
}

#[derive(Default)]
struct Builder {
    catalog: Catalog,
    /// (old?, level, code) → index in `catalog.units`.
    index: HashMap<(bool, Level, String), usize>,
}

fn rows<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> impl Iterator<Item = Result<(u64, T), CatalogError>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<_> = reader.deserialize::<T>().collect();
    records.into_iter().enumerate().map(move |(i, r)| {
        let line = i as u64 + 2;
        r.map(|row| (line, row)).map_err(|e| CatalogError { file, line, message: e.to_string() })
    })
}

fn province_type(name: &str) -> &'static str {
    if name.starts_with("Thành phố") {
        "Thành phố"
    } else {
        "Tỉnh"
    }
}

impl Builder {
    fn add(&mut self, old: bool, mut row: UnitRow) -> i64 {
        let key = (old, row.level, row.code.clone());
        if let Some(&i) = self.index.get(&key) {
            return self.catalog.units.get(i).map_or(0, |u| u.id);
        }
        row.id = self.catalog.units.len() as i64 + 1;
        let id = row.id;
        self.index.insert(key, self.catalog.units.len());
        self.catalog.units.push(row);
        id
    }

    fn id_of(&self, old: bool, level: Level, code: &str) -> Option<i64> {
        let i = self.index.get(&(old, level, code.to_string()))?;
        self.catalog.units.get(*i).map(|u| u.id)
    }

    fn read_old(&mut self, text: &str, start: NaiveDate) -> Result<(), CatalogError> {
        let unit = |code: &str, name: &str, unit_type: &str, level, parent_id| UnitRow {
            id: 0,
            code: code.to_string(),
            name: name.to_string(),
            unit_type: unit_type.to_string(),
            level,
            parent_id,
            lat: None,
            lon: None,
            area_km2: None,
            valid_from: start,
            valid_to: LAST_DAY_BEFORE_REFORM,
        };
        for row in rows::<OldRow>(OLD_FILE, text) {
            let (line, r) = row?;
            if r.province_code.is_empty() || r.district_code.is_empty() {
                return Err(CatalogError {
                    file: OLD_FILE, line, message: "mã tỉnh hoặc mã huyện trống (empty province or district code)".into()
                });
            }
            let p = unit(&r.province_code, &r.province_name, province_type(&r.province_name), Level::Province, None);
            let pid = self.add(true, p);
            let mut d = unit(&r.district_code, &r.district_name, &r.district_type, Level::District, Some(pid));
            if r.ward_code.is_empty() {
                // An island district without communes: the row's point is the district's.
                d.lat = r.lat;
                d.lon = r.lon;
            }
            let did = self.add(true, d);
            if !r.ward_code.is_empty() {
                let mut w = unit(&r.ward_code, &r.ward_name, &r.ward_type, Level::Commune, Some(did));
                w.lat = r.lat;
                w.lon = r.lon;
                if self.id_of(true, Level::Commune, &r.ward_code).is_some() {
                    return Err(CatalogError {
                        file: OLD_FILE, line, message: format!("mã xã {} lặp lại (duplicate commune code)", r.ward_code)
                    });
                }
                self.add(true, w);
            }
        }
        Ok(())
    }

    fn read_new(&mut self, text: &str) -> Result<(), CatalogError> {
        for row in rows::<NewRow>(NEW_FILE, text) {
            let (line, r) = row?;
            let p = UnitRow {
                id: 0,
                code: r.province_code.clone(),
                name: r.province_name.clone(),
                unit_type: province_type(&r.province_name).to_string(),
                level: Level::Province,
                parent_id: None,
                lat: None,
                lon: None,
                area_km2: None,
                valid_from: REFORM_DAY,
                valid_to: OPEN_END,
            };
            let pid = self.add(false, p);
            if self.id_of(false, Level::Commune, &r.ward_code).is_some() {
                return Err(CatalogError { file: NEW_FILE, line, message: format!("mã xã {} lặp lại (duplicate commune code)", r.ward_code) });
            }
            self.add(
                false,
                UnitRow {
                    id: 0,
                    code: r.ward_code,
                    name: r.ward_name,
                    unit_type: r.ward_type,
                    level: Level::Commune,
                    parent_id: Some(pid),
                    lat: r.lat,
                    lon: r.lon,
                    area_km2: r.area_km2,
                    valid_from: REFORM_DAY,
                    valid_to: OPEN_END,
                },
            );
        }
        Ok(())
    }

    fn read_successors(&mut self, text: &str) -> Result<(), CatalogError> {
        for row in rows::<SuccRow>(SUCCESSORS_FILE, text) {
            let (line, r) = row?;
            let err = |message: String| CatalogError { file: SUCCESSORS_FILE, line, message };
            let old_id = if r.old_ward_code.is_empty() {
                self.id_of(true, Level::District, &r.old_district_code)
            } else {
                self.id_of(true, Level::Commune, &r.old_ward_code)
            }
            .ok_or_else(|| {
                err(format!(
                    "đơn vị cũ {}/{}/{} không có trong danh mục (old unit not in the list)",
                    r.old_province_code, r.old_district_code, r.old_ward_code
                ))
            })?;
            let new_id = self
                .id_of(false, Level::Commune, &r.new_ward_code)
                .ok_or_else(|| err(format!("xã mới {} không có trong danh mục (new commune not in the list)", r.new_ward_code)))?;
            let kind = r.kind.parse().map_err(err)?;
            self.catalog.successors.push(SuccessorRow { old_id, new_id, kind });
        }
        Ok(())
    }

    /// A province's or district's point is the mean of its communes' points.
    fn fill_centres(&mut self) {
        for level in [Level::District, Level::Province] {
            let mut sums: HashMap<i64, (f64, f64, u32)> = HashMap::new();
            for u in &self.catalog.units {
                if let (Some(p), Some(lat), Some(lon)) = (u.parent_id, u.lat, u.lon) {
                    let e = sums.entry(p).or_insert((0.0, 0.0, 0));
                    *e = (e.0 + lat, e.1 + lon, e.2 + 1);
                }
            }
            for u in self.catalog.units.iter_mut().filter(|u| u.level == level && u.lat.is_none()) {
                if let Some((lat, lon, n)) = sums.get(&u.id) {
                    let n = f64::from(*n);
                    u.lat = Some((lat / n * 1e5).round() / 1e5);
                    u.lon = Some((lon / n * 1e5).round() / 1e5);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "province_code,province_name,district_code,district_name,district_type,ward_code,ward_name,ward_type,lat,lon
94,Tỉnh Sóc Trăng,941,Thành phố Sóc Trăng,Thành phố,31507,Phường 5,Phường,9.6,105.9
94,Tỉnh Sóc Trăng,941,Thành phố Sóc Trăng,Thành phố,31510,Phường 7,Phường,9.8,105.9
31,Thành phố Hải Phòng,318,Huyện Bạch Long Vĩ,Huyện,,,,20.13,107.73
";
    const NEW: &str = "province_code,province_name,ward_code,ward_name,ward_type,lat,lon,area_km2
92,Thành phố Cần Thơ,31507,Phường Sóc Trăng,Phường,9.6,105.97,12.5
31,Thành phố Hải Phòng,11948,Đặc khu Bạch Long Vĩ,Đặc khu,20.13,107.73,
";
    const SUCC: &str = "old_province_code,old_district_code,old_ward_code,new_ward_code,kind
94,941,31507,31507,whole
94,941,31510,31507,split-default
31,318,,11948,whole
";

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
    }

    #[test]
    fn builds_both_structures_and_links() {
        let c = parse_catalog(OLD, NEW, SUCC, start()).unwrap();
        // Old: 2 provinces, 2 districts, 2 communes; new: 2 provinces, 2 communes.
        assert_eq!(c.units.len(), 10);
        let st = &c.units[0];
        assert_eq!((st.code.as_str(), st.unit_type.as_str(), st.level), ("94", "Tỉnh", Level::Province));
        // The province's point is the mean of its communes' (9.6 + 9.8) / 2 = 9.7.
        assert_eq!(st.lat, Some(9.7));
        let hp = c.units.iter().find(|u| u.code == "31" && u.valid_to == LAST_DAY_BEFORE_REFORM).unwrap();
        assert_eq!(hp.unit_type, "Thành phố");
        let island = c.units.iter().find(|u| u.code == "318").unwrap();
        assert_eq!(island.lat, Some(20.13));
        assert_eq!(c.successors.len(), 3);
        assert_eq!(c.successors[2].old_id, island.id);
        let new_ward = c.units.iter().find(|u| u.code == "31507" && u.valid_from == REFORM_DAY).unwrap();
        assert_eq!(new_ward.area_km2, Some(12.5));
        assert_eq!(c.successors[1].new_id, new_ward.id);
        assert_eq!(c.successors[1].kind, SuccessionKind::SplitDefault);
    }

    #[test]
    fn a_successor_to_an_unknown_commune_names_the_line() {
        let bad = format!("{SUCC}94,941,31510,99999,whole\n");
        let e = parse_catalog(OLD, NEW, &bad, start()).unwrap_err();
        assert_eq!((e.file, e.line), (SUCCESSORS_FILE, 5));
        assert!(e.message.contains("99999"));
    }

    #[test]
    fn a_bad_coordinate_names_the_line() {
        let bad = OLD.replace("9.8,105.9", "north,105.9");
        let e = parse_catalog(&bad, NEW, SUCC, start()).unwrap_err();
        assert_eq!((e.file, e.line), (OLD_FILE, 3));
    }
}
