//! The unit index (every unit of both eras and the 2025 successor links) read
//! as two text values instead of 14,149 + 10,602 rows. Through the `Any`
//! driver every row costs a message from the database thread, an `AnyRow` and
//! its column values: read row by row, the index took about half of the
//! start-up of the commands that read it (some 50 ms of a one-row import).
//! The same idea as the packed fact reads (`facts/packed.rs`), for rows that
//! hold text and nullable reals rather than integers only.
//! Fields are separated by U+001F and rows by U+001E, characters no unit list
//! holds; a list that held one (its rows would not split into their fields)
//! is read row by row instead.

use super::{date_of, level_of, UNIT_COLUMNS};
use crate::{Backend, Store, StoreError};
use pcmd_domain::units::{SuccessionKind, Unit, UnitIndex};
use sqlx::Row;

const FIELD: char = '\u{1f}';
const ROW: char = '\u{1e}';

impl Store {
    /// Every unit and the 2025 successor links, in memory.
    pub async fn unit_index(&self) -> Result<UnitIndex, StoreError> {
        let units = self.packed_text(&units_sql(self.backend())).await?;
        let links = self.packed_text(&links_sql(self.backend())).await?;
        let read = split(&units).map(unit_of).collect::<Result<Vec<_>, _>>().map(with_parent_codes).and_then(|units| {
            let links = split(&links).map(link_of).collect::<Result<Vec<_>, _>>()?;
            Ok((units, links))
        });
        match read {
            Ok((units, successions)) => Ok(UnitIndex::new(units, &successions)),
            // A text holding a separator, or a stored value that cannot be read:
            // row by row, which reads the first and names the second.
            Err(_) => self.unit_index_by_rows().await,
        }
    }

    /// The same, row by row.
    async fn unit_index_by_rows(&self) -> Result<UnitIndex, StoreError> {
        let sql = format!("SELECT {UNIT_COLUMNS}");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        let units = rows.iter().map(|r| super::unit_from(r, 0)).collect::<Result<Vec<_>, _>>()?;
        let links = sqlx::query("SELECT old_unit_id, new_unit_id, kind FROM unit_successor").fetch_all(self.pool()).await?;
        let mut successions = Vec::with_capacity(links.len());
        for r in &links {
            let kind: String = r.try_get(2)?;
            successions.push((r.try_get(0)?, r.try_get(1)?, kind_of(&kind)?));
        }
        Ok(UnitIndex::new(units, &successions))
    }

    /// One text value (NULL when there are no rows, read as empty).
    async fn packed_text(&self, sql: &str) -> Result<String, StoreError> {
        let row = sqlx::query(sql).fetch_one(self.pool()).await?;
        Ok(row.try_get::<Option<String>, _>(0)?.unwrap_or_default())
    }
}

/// A column as text, NULL written as empty. SQLite's `CAST(real AS TEXT)` keeps
/// 15 significant digits; `quote` gives a real back to the last bit (it writes
/// 17 when 15 do not). PostgreSQL writes a double exactly (sqlx sets
/// `extra_float_digits`).
fn text_of(backend: Backend, column: &str, real: bool) -> String {
    match (backend, real) {
        (Backend::Sqlite, true) => format!("CASE WHEN {column} IS NULL THEN '' ELSE quote({column}) END"),
        _ => format!("COALESCE(CAST({column} AS TEXT), '')"),
    }
}

/// The columns joined by the field separator, aggregated (in `order`) by the row separator.
fn aggregate(backend: Backend, columns: &[(&str, bool)], from: &str, order: &str) -> String {
    let (field, row) = match backend {
        Backend::Sqlite => ("char(31)", "char(30)"),
        Backend::Postgres => ("chr(31)", "chr(30)"),
    };
    let joined = columns.iter().map(|(c, real)| text_of(backend, c, *real)).collect::<Vec<_>>().join(&format!(" || {field} || "));
    format!("SELECT {}({joined}, {row} ORDER BY {order}) FROM {from}", backend.text_agg())
}

/// The columns of `UNIT_COLUMNS` but the parent's code, in its order (the
/// parent's code is taken from the parent read alongside).
fn units_sql(backend: Backend) -> String {
    let cols = [
        ("id", false),
        ("code", false),
        ("name", false),
        ("unit_type", false),
        ("level", false),
        ("parent_id", false),
        ("lat", true),
        ("lon", true),
        ("area_km2", true),
        ("valid_from", false),
        ("valid_to", false),
    ];
    aggregate(backend, &cols, "unit", "id")
}

fn links_sql(backend: Backend) -> String {
    aggregate(backend, &[("old_unit_id", false), ("new_unit_id", false), ("kind", false)], "unit_successor", "old_unit_id, new_unit_id")
}

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(ROW).filter(|r| !r.is_empty())
}

fn bad(row: &str) -> StoreError {
    StoreError::corrupt(
        format!("không đọc được danh mục đơn vị: «{}»", row.replace([FIELD, ROW], "|")),
        format!("the unit list cannot be read: «{}»", row.replace([FIELD, ROW], "|")),
    )
}

fn fields<const N: usize>(row: &str) -> Result<[&str; N], StoreError> {
    let mut out = [""; N];
    let mut parts = row.split(FIELD);
    for slot in out.iter_mut() {
        *slot = parts.next().ok_or_else(|| bad(row))?;
    }
    if parts.next().is_some() {
        return Err(bad(row));
    }
    Ok(out)
}

fn int(text: &str, row: &str) -> Result<i64, StoreError> {
    text.parse().map_err(|_| bad(row))
}

fn opt<T: std::str::FromStr>(text: &str, row: &str) -> Result<Option<T>, StoreError> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| bad(row))
}

fn unit_of(row: &str) -> Result<Unit, StoreError> {
    let [id, code, name, unit_type, level, parent_id, lat, lon, area, from, to] = fields::<11>(row)?;
    Ok(Unit {
        id: int(id, row)?,
        code: code.to_string(),
        name: name.to_string(),
        unit_type: unit_type.to_string(),
        level: level_of(level).map_err(|_| bad(row))?,
        parent_id: opt(parent_id, row)?,
        parent_code: None,
        lat: opt(lat, row)?,
        lon: opt(lon, row)?,
        area_km2: opt(area, row)?,
        valid_from: date_of(from).map_err(|_| bad(row))?,
        valid_to: date_of(to).map_err(|_| bad(row))?,
    })
}

/// Each unit's `parent_code`: its parent's code, as the row read's join gives it.
fn with_parent_codes(mut units: Vec<Unit>) -> Vec<Unit> {
    let codes: std::collections::HashMap<i64, String> = units.iter().map(|u| (u.id, u.code.clone())).collect();
    for u in &mut units {
        u.parent_code = u.parent_id.and_then(|p| codes.get(&p).cloned());
    }
    units
}

fn link_of(row: &str) -> Result<(i64, i64, SuccessionKind), StoreError> {
    let [old, new, kind] = fields::<3>(row)?;
    Ok((int(old, row)?, int(new, row)?, kind_of(kind)?))
}

fn kind_of(kind: &str) -> Result<SuccessionKind, StoreError> {
    kind.parse().map_err(|e: String| StoreError::corrupt(e.clone(), e))
}
