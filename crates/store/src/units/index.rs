//! The unit index (every unit of both eras and the 2025 successor links) read
//! as two text values instead of 14,149 + 10,602 rows. Through the `Any`
//! driver every row costs a message from the database thread, an `AnyRow` and
//! its column values: read row by row, the index took about half of the
//! start-up of every `pcmd` command (some 50 ms of a one-row import).
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
        let read = split(&units).map(unit_of).collect::<Result<Vec<_>, _>>().and_then(|units| {
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

/// `expr`s joined by the field separator, NULL written as empty.
fn joined(backend: Backend, exprs: &[&str]) -> String {
    let sep = match backend {
        Backend::Sqlite => "char(31)",
        Backend::Postgres => "chr(31)",
    };
    exprs.iter().map(|e| format!("COALESCE(CAST({e} AS TEXT), '')")).collect::<Vec<_>>().join(&format!(" || {sep} || "))
}

fn aggregate(backend: Backend, row: &str, from: &str) -> String {
    match backend {
        Backend::Sqlite => format!("SELECT group_concat({row}, char(30)) FROM {from}"),
        Backend::Postgres => format!("SELECT string_agg({row}, chr(30)) FROM {from}"),
    }
}

/// The columns of `UNIT_COLUMNS`, in its order, each row one text.
fn units_sql(backend: Backend) -> String {
    let cols =
        ["u.id", "u.code", "u.name", "u.unit_type", "u.level", "u.parent_id", "p.code", "u.lat", "u.lon", "u.area_km2", "u.valid_from", "u.valid_to"];
    aggregate(backend, &joined(backend, &cols), "unit u LEFT JOIN unit p ON p.id = u.parent_id")
}

fn links_sql(backend: Backend) -> String {
    aggregate(backend, &joined(backend, &["old_unit_id", "new_unit_id", "kind"]), "unit_successor")
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
    let [id, code, name, unit_type, level, parent_id, parent_code, lat, lon, area, from, to] = fields::<12>(row)?;
    Ok(Unit {
        id: int(id, row)?,
        code: code.to_string(),
        name: name.to_string(),
        unit_type: unit_type.to_string(),
        level: level_of(level).map_err(|_| bad(row))?,
        parent_id: opt(parent_id, row)?,
        parent_code: (!parent_code.is_empty()).then(|| parent_code.to_string()),
        lat: opt(lat, row)?,
        lon: opt(lon, row)?,
        area_km2: opt(area, row)?,
        valid_from: date_of(from).map_err(|_| bad(row))?,
        valid_to: date_of(to).map_err(|_| bad(row))?,
    })
}

fn link_of(row: &str) -> Result<(i64, i64, SuccessionKind), StoreError> {
    let [old, new, kind] = fields::<3>(row)?;
    Ok((int(old, row)?, int(new, row)?, kind_of(kind)?))
}

fn kind_of(kind: &str) -> Result<SuccessionKind, StoreError> {
    kind.parse().map_err(|e: String| StoreError::corrupt(e.clone(), e))
}
