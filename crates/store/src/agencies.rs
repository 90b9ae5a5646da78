//! Agencies and the programme's lead over time.

use crate::units::{date_of, iso};
use crate::{Store, StoreError, Tx};
use pcmd_domain::agency::{Agency, Lead};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgencyView {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub unit_code: String,
    pub unit_name: String,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: chrono::NaiveDate,
    #[serde(skip)]
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LeadView {
    pub unit_code: String,
    pub agency_code: String,
    pub agency_name: String,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: chrono::NaiveDate,
    pub basis: String,
}

pub(crate) async fn unit_id_on(tx: &mut Tx<'_>, code: &str, on: chrono::NaiveDate) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT id FROM unit WHERE code = $1 AND valid_from <= $2 AND $2 <= valid_to ORDER BY level")
        .bind(code)
        .bind(iso(on))
        .fetch_optional(&mut **tx)
        .await?;
    match row {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::refused(
            format!("không có đơn vị hành chính mã «{code}» vào ngày {}", pcmd_domain::date::format_vn(on)),
            format!("no administrative unit with code «{code}» on {on}"),
        )),
    }
}

pub(crate) async fn agency_id(tx: &mut Tx<'_>, code: &str) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT id FROM agency WHERE code = $1").bind(code).fetch_optional(&mut **tx).await?;
    match row {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::refused(format!("không có cơ quan «{code}»"), format!("unknown agency «{code}»"))),
    }
}

/// Inserts new agencies and leads and updates changed ones (by code, and by
/// unit and start date); returns how many rows were written.
pub async fn save_agencies(tx: &mut Tx<'_>, agencies: &[Agency], leads: &[Lead]) -> Result<u64, StoreError> {
    let mut written = 0;
    for a in agencies {
        let unit_id = unit_id_on(tx, &a.unit_code, a.from).await?;
        let (from, to) = (iso(a.from), iso(a.to));
        let res = sqlx::query(
            "UPDATE agency SET name = $2, short_name = $3, kind = $4, unit_id = $5, valid_from = $6, valid_to = $7, version = version + 1 \
             WHERE code = $1 AND NOT (name = $2 AND COALESCE(short_name, '') = COALESCE($3, '') AND kind = $4 AND unit_id = $5 AND valid_from = $6 AND valid_to = $7)",
        )
        .bind(a.code.clone())
        .bind(a.name.clone())
        .bind(a.short_name.clone())
        .bind(a.kind.as_str())
        .bind(unit_id)
        .bind(from.clone())
        .bind(to.clone())
        .execute(&mut **tx)
        .await?;
        written += res.rows_affected();
        let res = sqlx::query(
            "INSERT INTO agency (code, name, short_name, kind, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING",
        )
        .bind(a.code.clone())
        .bind(a.name.clone())
        .bind(a.short_name.clone())
        .bind(a.kind.as_str())
        .bind(unit_id)
        .bind(from)
        .bind(to)
        .execute(&mut **tx)
        .await?;
        written += res.rows_affected();
    }
    for l in leads {
        let unit_id = unit_id_on(tx, &l.unit_code, l.from).await?;
        let agency = agency_id(tx, &l.agency_code).await?;
        let res = sqlx::query(
            "UPDATE lead_agency SET agency_id = $3, valid_to = $4, basis = $5 WHERE unit_id = $1 AND valid_from = $2 \
             AND NOT (agency_id = $3 AND valid_to = $4 AND basis = $5)",
        )
        .bind(unit_id)
        .bind(iso(l.from))
        .bind(agency)
        .bind(iso(l.to))
        .bind(l.basis.clone())
        .execute(&mut **tx)
        .await?;
        written += res.rows_affected();
        let res = sqlx::query(
            "INSERT INTO lead_agency (unit_id, valid_from, agency_id, valid_to, basis) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id, valid_from) DO NOTHING",
        )
        .bind(unit_id)
        .bind(iso(l.from))
        .bind(agency)
        .bind(iso(l.to))
        .bind(l.basis.clone())
        .execute(&mut **tx)
        .await?;
        written += res.rows_affected();
    }
    Ok(written)
}

impl Store {
    /// The id of the agency with this code.
    pub async fn agency_id(&self, code: &str) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = agency_id(&mut tx, code).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Agencies of a unit's subtree (all agencies when `within` is None), by code.
    pub async fn agencies(&self, within: Option<i64>) -> Result<Vec<AgencyView>, StoreError> {
        let base =
            "SELECT a.code, a.name, a.short_name, a.kind, u.code, u.name, a.valid_from, a.valid_to, a.id FROM agency a JOIN unit u ON u.id = a.unit_id";
        let rows = match within {
            None => sqlx::query(&format!("{base} ORDER BY a.code")).fetch_all(self.pool()).await?,
            Some(root) => {
                let sql = format!(
                    "WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE id = $1 UNION ALL SELECT c.id FROM unit c JOIN sub ON c.parent_id = sub.id) \
                     {base} WHERE a.unit_id IN (SELECT id FROM sub) ORDER BY a.code"
                );
                sqlx::query(&sql).bind(root).fetch_all(self.pool()).await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(AgencyView {
                    code: r.try_get(0)?,
                    name: r.try_get(1)?,
                    short_name: r.try_get(2)?,
                    kind: r.try_get(3)?,
                    unit_code: r.try_get(4)?,
                    unit_name: r.try_get(5)?,
                    valid_from: date_of(&r.try_get::<String, _>(6)?)?,
                    valid_to: date_of(&r.try_get::<String, _>(7)?)?,
                    id: r.try_get(8)?,
                })
            })
            .collect()
    }

    /// Who led the programme in a unit, over time.
    pub async fn leads(&self, unit_id: i64) -> Result<Vec<LeadView>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.code, a.code, a.name, l.valid_from, l.valid_to, l.basis FROM lead_agency l \
             JOIN unit u ON u.id = l.unit_id JOIN agency a ON a.id = l.agency_id WHERE l.unit_id = $1 ORDER BY l.valid_from",
        )
        .bind(unit_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LeadView {
                    unit_code: r.try_get(0)?,
                    agency_code: r.try_get(1)?,
                    agency_name: r.try_get(2)?,
                    valid_from: date_of(&r.try_get::<String, _>(3)?)?,
                    valid_to: date_of(&r.try_get::<String, _>(4)?)?,
                    basis: r.try_get(5)?,
                })
            })
            .collect()
    }
}
