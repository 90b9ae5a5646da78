//! The checks that need the database, made a batch at a time for an import
//! (`insert` makes them row by row): the importer's area, an inspection's
//! establishment, a support case's code, the periods accepted reports lock.

use super::batch::{BatchWriter, Prepared};
use crate::{StoreError, Tx};
use pcmd_domain::units::UnitIndex;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// Why a row of a batch is refused by the checks that need the database.
#[derive(Debug)]
pub enum BatchFault {
    /// Its unit (an inspection's: its establishment's) is outside the importer's area.
    Outside,
    Refused(StoreError),
}

impl BatchWriter {
    /// The rows of `rows` that may not be written, by their place in `rows`. The
    /// area is checked first, so that a refusal never tells what another area
    /// holds. Codes given earlier in the same import count as taken.
    pub async fn check(
        &mut self,
        tx: &mut Tx<'_>,
        units: &UnitIndex,
        rows: &[Prepared],
        scope: Option<&HashSet<i64>>,
    ) -> Result<Vec<(usize, BatchFault)>, StoreError> {
        let Some(first) = rows.first() else { return Ok(Vec::new()) };
        let locks = crate::reports::Locks::read(tx).await?;
        let locked = |unit: i64, p: &Prepared| p.day.and_then(|day| locks.refusal(units, unit, day)).map(BatchFault::Refused);
        let outside = |unit: Option<i64>| match (scope, unit) {
            (Some(scope), Some(u)) => !scope.contains(&u),
            (Some(_), None) => true,
            (None, _) => false,
        };
        let mut faults = Vec::new();
        if first.row.table == "inspection" {
            let ids: Vec<i64> = rows.iter().filter_map(|p| p.row.int("establishment_id")).collect();
            let found = establishments(tx, &ids).await?;
            for (i, p) in rows.iter().enumerate() {
                let id = p.row.int("establishment_id").unwrap_or(-1);
                let est = found.get(&id);
                if outside(est.map(|e| e.0)) {
                    faults.push((i, BatchFault::Outside));
                } else if let Some((unit, closed)) = est {
                    if let Some(e) = super::closed_before(closed.as_deref(), p.row.text("inspected_on")) {
                        faults.push((i, BatchFault::Refused(e)));
                    } else if let Some(f) = locked(*unit, p) {
                        faults.push((i, f));
                    }
                } else {
                    faults.push((i, BatchFault::Refused(super::no_establishment(id))));
                }
            }
            return Ok(faults);
        }
        let mut codes = Vec::new();
        for (i, p) in rows.iter().enumerate() {
            let unit = p.row.int("unit_id");
            if outside(unit) {
                faults.push((i, BatchFault::Outside));
            } else if let Some(f) = unit.and_then(|u| locked(u, p)) {
                faults.push((i, f));
            } else if p.row.table == "support_case" {
                codes.push((i, p.row.text("code").to_string()));
            }
        }
        if !codes.is_empty() {
            let taken = super::people::codes_taken(tx, codes.iter().map(|(_, c)| c.as_str())).await?;
            for (i, code) in codes {
                if taken.contains(&code) || !self.codes.insert(code.clone()) {
                    faults.push((i, BatchFault::Refused(super::people::code_taken(&code))));
                }
            }
            faults.sort_by_key(|(i, _)| *i);
        }
        Ok(faults)
    }
}

/// The unit and closing day of each establishment of `ids` that exists.
async fn establishments(tx: &mut Tx<'_>, ids: &[i64]) -> Result<HashMap<i64, (i64, Option<String>)>, StoreError> {
    let mut distinct: Vec<i64> = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut found = HashMap::new();
    for chunk in distinct.chunks(500) {
        // Integers from parsed rows, written into the statement.
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let sql = format!("SELECT id, unit_id, closed_on FROM establishment WHERE id IN ({})", list.join(", "));
        for r in sqlx::query(&sql).persistent(false).fetch_all(&mut **tx).await? {
            found.insert(r.try_get::<i64, _>(0)?, (r.try_get::<i64, _>(1)?, r.try_get::<Option<String>, _>(2)?));
        }
    }
    Ok(found)
}
