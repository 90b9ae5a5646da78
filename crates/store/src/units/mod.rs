//! Administrative units: loading the code lists and asking about them on a date.

use crate::{Store, StoreError, Tx};
use chrono::NaiveDate;
use pcmd_domain::plan::MemoryDirectory;
use pcmd_domain::units::{Catalog, Level, SuccessionKind, Unit, LAST_DAY_BEFORE_REFORM};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

mod index;

/// The name under which the unit lists are recorded in `dataset`.
pub const UNITS_DATASET: &str = "admin-units";

const UNIT_COLUMNS: &str = "u.id, u.code, u.name, u.unit_type, u.level, u.parent_id, p.code AS parent_code, \
     u.lat, u.lon, u.area_km2, u.valid_from, u.valid_to FROM unit u LEFT JOIN unit p ON p.id = u.parent_id";

/// How an old unit went into a new commune.
#[derive(Debug, Clone, Serialize)]
pub struct Succession {
    pub old: Unit,
    pub new: Unit,
    pub kind: SuccessionKind,
    /// The new province that holds the new commune.
    pub new_province_code: Option<String>,
    pub new_province_name: Option<String>,
}

pub(crate) fn date_of(text: &str) -> Result<NaiveDate, StoreError> {
    pcmd_domain::date::parse_iso(text)
        .ok_or_else(|| StoreError::corrupt(format!("ngày «{text}» trong cơ sở dữ liệu không hợp lệ"), format!("stored date «{text}» is malformed")))
}

pub(crate) fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn level_of(text: &str) -> Result<Level, StoreError> {
    text.parse().map_err(|e: String| StoreError::corrupt(e.clone(), e))
}

fn unit_from(row: &AnyRow, offset: usize) -> Result<Unit, StoreError> {
    let at = |i: usize| i + offset;
    Ok(Unit {
        id: row.try_get(at(0))?,
        code: row.try_get(at(1))?,
        name: row.try_get(at(2))?,
        unit_type: row.try_get(at(3))?,
        level: level_of(&row.try_get::<String, _>(at(4))?)?,
        parent_id: row.try_get(at(5))?,
        parent_code: row.try_get(at(6))?,
        lat: row.try_get(at(7))?,
        lon: row.try_get(at(8))?,
        area_km2: row.try_get(at(9))?,
        valid_from: date_of(&row.try_get::<String, _>(at(10))?)?,
        valid_to: date_of(&row.try_get::<String, _>(at(11))?)?,
    })
}

/// Rows per multi-row INSERT. SQLite looks `$n` parameters up by name, so the
/// cost of one statement grows with the square of its parameters: small
/// statements load the 14,149 units several times faster than large ones.
const ROWS_PER_INSERT: usize = 40;

/// Loads the unit lists unless the same lists are already there; returns
/// whether anything was written. Different lists under the same name are refused.
pub async fn import_units(tx: &mut Tx<'_>, catalog: &Catalog, hash: &str) -> Result<bool, StoreError> {
    if let Some(existing) = crate::dataset_hash(tx, UNITS_DATASET).await? {
        if existing == hash {
            return Ok(false);
        }
        return Err(StoreError::refused(
            "danh mục đơn vị hành chính trong cơ sở dữ liệu khác với danh mục của chương trình này; không nạp lại",
            "the unit lists in the database differ from this program's; not reloaded",
        ));
    }
    let numbered = tx.backend_name() == "PostgreSQL";
    for chunk in catalog.units.chunks(ROWS_PER_INSERT) {
        let mut sql =
            String::from("INSERT INTO unit (id, code, name, unit_type, level, parent_id, lat, lon, area_km2, valid_from, valid_to) VALUES ");
        push_placeholders(&mut sql, chunk.len(), 11, numbered);
        // Not prepared for reuse: the rows bind nullable floats (see `crate::Tx`).
        let mut q = sqlx::query(&sql).persistent(false);
        for u in chunk {
            q = q
                .bind(u.id)
                .bind(u.code.clone())
                .bind(u.name.clone())
                .bind(u.unit_type.clone())
                .bind(u.level.as_str())
                .bind(u.parent_id)
                .bind(u.lat)
                .bind(u.lon)
                .bind(u.area_km2)
                .bind(iso(u.valid_from))
                .bind(iso(u.valid_to));
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in catalog.successors.chunks(ROWS_PER_INSERT * 4) {
        let mut sql = String::from("INSERT INTO unit_successor (old_unit_id, new_unit_id, kind) VALUES ");
        push_placeholders(&mut sql, chunk.len(), 3, numbered);
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q.bind(s.old_id).bind(s.new_id).bind(s.kind.as_str());
        }
        q.execute(&mut **tx).await?;
    }
    crate::record_dataset(tx, UNITS_DATASET, hash).await?;
    Ok(true)
}

/// Appends `rows` groups of `cols` placeholders: numbered for PostgreSQL,
/// `($1, $2), ($3, $4)`; plain `(?, ?), (?, ?)` for SQLite, which binds a
/// numbered one by looking its name up in a list (a cost that grows with the
/// square of the parameters of a statement) and a plain one by its place.
pub fn push_placeholders(sql: &mut String, rows: usize, cols: usize, numbered: bool) {
    use std::fmt::Write;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            let sep = if c == 0 { "" } else { ", " };
            if numbered {
                let _ = write!(sql, "{sep}${}", r * cols + c + 1);
            } else {
                let _ = write!(sql, "{sep}?");
            }
        }
        sql.push(')');
    }
}

impl Store {
    /// The generation of the unit lists (`unit_lists`, migration 0023): every write
    /// to `unit` or `unit_successor`, by any process, moves it.
    pub async fn unit_lists_generation(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT generation FROM unit_lists WHERE id = 1").fetch_one(self.pool()).await?.try_get(0)?)
    }

    /// The units valid on `date` at `level`, inside the subtree of `within` if given, by code.
    pub async fn units_on(&self, date: NaiveDate, level: Level, within: Option<i64>) -> Result<Vec<Unit>, StoreError> {
        let d = iso(date);
        let rows = match within {
            None => {
                let sql = format!("SELECT {UNIT_COLUMNS} WHERE u.level = $1 AND u.valid_from <= $2 AND $2 <= u.valid_to ORDER BY u.code");
                sqlx::query(&sql).bind(level.as_str()).bind(d).fetch_all(self.pool()).await?
            }
            Some(root) => {
                let sql = format!(
                    "WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE id = $3 \
                     UNION ALL SELECT c.id FROM unit c JOIN sub ON c.parent_id = sub.id) \
                     SELECT {UNIT_COLUMNS} WHERE u.level = $1 AND u.valid_from <= $2 AND $2 <= u.valid_to \
                     AND u.id IN (SELECT id FROM sub) ORDER BY u.code"
                );
                sqlx::query(&sql).bind(level.as_str()).bind(d).bind(root).fetch_all(self.pool()).await?
            }
        };
        rows.iter().map(|r| unit_from(r, 0)).collect()
    }

    /// The unit with `code` valid on `date`, at any level.
    pub async fn find_unit(&self, code: &str, date: NaiveDate) -> Result<Option<Unit>, StoreError> {
        let sql = format!("SELECT {UNIT_COLUMNS} WHERE u.code = $1 AND u.valid_from <= $2 AND $2 <= u.valid_to ORDER BY u.level");
        let rows = sqlx::query(&sql).bind(code).bind(iso(date)).fetch_all(self.pool()).await?;
        rows.first().map(|r| unit_from(r, 0)).transpose()
    }

    /// Like `find_unit`, but a missing unit is a clear error.
    pub async fn require_unit(&self, code: &str, date: NaiveDate) -> Result<Unit, StoreError> {
        self.find_unit(code, date).await?.ok_or_else(|| {
            StoreError::refused(
                format!("không có đơn vị hành chính mã «{code}» vào ngày {}", pcmd_domain::date::format_vn(date)),
                format!("no administrative unit with code «{code}» on {date}"),
            )
        })
    }

    pub async fn unit(&self, id: i64) -> Result<Option<Unit>, StoreError> {
        let sql = format!("SELECT {UNIT_COLUMNS} WHERE u.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.map(|r| unit_from(&r, 0)).transpose()
    }

    /// The unit's parent, grandparent… up to its province.
    pub async fn ancestors(&self, id: i64) -> Result<Vec<Unit>, StoreError> {
        let sql = format!(
            "WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM unit WHERE id = $1 AND parent_id IS NOT NULL \
             UNION ALL SELECT p.parent_id, up.depth + 1 FROM unit p JOIN up ON p.id = up.id WHERE p.parent_id IS NOT NULL) \
             SELECT {UNIT_COLUMNS} JOIN up ON up.id = u.id ORDER BY up.depth"
        );
        let rows = sqlx::query(&sql).bind(id).fetch_all(self.pool()).await?;
        rows.iter().map(|r| unit_from(r, 0)).collect()
    }

    /// Where an old unit went on 1 July 2025. For a province or a district, the
    /// successions of every commune inside it.
    pub async fn successors(&self, old_code: &str) -> Result<Vec<Succession>, StoreError> {
        let old = self.require_unit(old_code, LAST_DAY_BEFORE_REFORM).await?;
        self.successions(
            "s.old_unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE id = $1 \
             UNION ALL SELECT c.id FROM unit c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)",
            old.id,
        )
        .await
    }

    /// The old units (communes, or island districts) that went into a new commune.
    pub async fn predecessors(&self, new_code: &str) -> Result<Vec<Succession>, StoreError> {
        let new = self.require_unit(new_code, pcmd_domain::units::REFORM_DAY).await?;
        if new.level != Level::Commune {
            return Err(StoreError::refused(
                format!("«{new_code}» là đơn vị cấp tỉnh; hãy chọn một xã"),
                format!("«{new_code}» is a province; give a commune"),
            ));
        }
        self.successions("s.new_unit_id = $1", new.id).await
    }

    async fn successions(&self, condition: &str, id: i64) -> Result<Vec<Succession>, StoreError> {
        let cols = |a: &str, p: &str| {
            format!("{a}.id, {a}.code, {a}.name, {a}.unit_type, {a}.level, {a}.parent_id, {p}.code, {a}.lat, {a}.lon, {a}.area_km2, {a}.valid_from, {a}.valid_to")
        };
        let sql = format!(
            "SELECT {}, {}, s.kind, np.name FROM unit_successor s \
             JOIN unit o ON o.id = s.old_unit_id LEFT JOIN unit op ON op.id = o.parent_id \
             JOIN unit n ON n.id = s.new_unit_id LEFT JOIN unit np ON np.id = n.parent_id \
             WHERE {condition} ORDER BY o.code, n.code",
            cols("o", "op"),
            cols("n", "np")
        );
        let rows = sqlx::query(&sql).bind(id).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let new = unit_from(r, 12)?;
                let kind: String = r.try_get(24)?;
                Ok(Succession {
                    old: unit_from(r, 0)?,
                    new_province_code: new.parent_code.clone(),
                    new,
                    kind: kind.parse().map_err(|e: String| StoreError::corrupt(e.clone(), e))?,
                    new_province_name: r.try_get(25)?,
                })
            })
            .collect()
    }

    /// What plan and agency files may refer to: every unit, agency and plan held.
    pub async fn directory(&self) -> Result<MemoryDirectory, StoreError> {
        let mut dir = MemoryDirectory::default();
        for r in sqlx::query("SELECT code, level, valid_from, valid_to FROM unit").fetch_all(self.pool()).await? {
            let code: String = r.try_get(0)?;
            dir.add_unit(&code, level_of(&r.try_get::<String, _>(1)?)?, date_of(&r.try_get::<String, _>(2)?)?, date_of(&r.try_get::<String, _>(3)?)?);
        }
        for r in sqlx::query("SELECT code FROM agency").fetch_all(self.pool()).await? {
            dir.add_agency(&r.try_get::<String, _>(0)?);
        }
        for r in sqlx::query("SELECT number, key FROM plan").fetch_all(self.pool()).await? {
            dir.add_plan(&r.try_get::<String, _>(0)?, &r.try_get::<String, _>(1)?);
        }
        Ok(dir)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_across_rows() {
        let mut s = String::new();
        super::push_placeholders(&mut s, 2, 3, true);
        assert_eq!(s, "($1, $2, $3), ($4, $5, $6)");
        let mut s = String::new();
        super::push_placeholders(&mut s, 2, 3, false);
        assert_eq!(s, "(?, ?, ?), (?, ?, ?)");
    }
}
