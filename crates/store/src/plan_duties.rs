//! A plan's reporting duties (chế độ báo cáo), kept with the plan and written
//! anew when it is replaced.

use crate::agencies::agency_id;
use crate::{Store, StoreError, Tx};
use pcmd_domain::plan::duty::{Duty, Frequency, Reporters};
use serde::Serialize;
use sqlx::Row;

/// A duty as pages show it: the agency it goes through with its name.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DutyView {
    #[serde(flatten)]
    pub duty: Duty,
    pub through_name: Option<String>,
}

pub(crate) async fn save(tx: &mut Tx<'_>, plan_id: i64, duties: &[Duty]) -> Result<(), StoreError> {
    for (pos, d) in duties.iter().enumerate() {
        let through = match &d.through {
            Some(code) => Some(agency_id(tx, code).await?),
            None => None,
        };
        let frequency: Vec<&str> = d.frequency.iter().map(|f| f.as_str()).collect();
        sqlx::query(
            "INSERT INTO plan_duty (plan_id, position, code, text, frequency, cutoff, due_days, due_basis, reporters, unit_level, recipient, \
             through_agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(plan_id)
        .bind(pos as i64 + 1)
        .bind(d.code.clone())
        .bind(d.text.clone())
        .bind(frequency.join(","))
        .bind(if d.calendar { "calendar" } else { "decree09" })
        .bind(i64::from(d.due_days))
        .bind(d.due_basis.clone())
        .bind(d.reporters.as_str())
        .bind(d.unit_level.map(|l| l.as_str()))
        .bind(d.recipient.clone())
        .bind(through)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub(crate) async fn read(store: &Store, plan_id: i64) -> Result<Vec<DutyView>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.code, d.text, d.frequency, d.cutoff, d.due_days, d.due_basis, d.reporters, d.unit_level, d.recipient, a.code, a.name \
         FROM plan_duty d LEFT JOIN agency a ON a.id = d.through_agency_id WHERE d.plan_id = $1 ORDER BY d.position",
    )
    .bind(plan_id)
    .fetch_all(store.pool())
    .await?;
    let corrupt = |what: &str| StoreError::corrupt(format!("chế độ báo cáo: {what}"), format!("reporting duty: {what}"));
    rows.iter()
        .map(|r| {
            let frequency: String = r.try_get(2)?;
            let reporters: String = r.try_get(6)?;
            let level: Option<String> = r.try_get(7)?;
            let due_days: i64 = r.try_get(4)?;
            Ok(DutyView {
                duty: Duty {
                    code: r.try_get(0)?,
                    text: r.try_get(1)?,
                    frequency: frequency.split(',').map(|f| Frequency::parse(f).ok_or_else(|| corrupt(f))).collect::<Result<_, _>>()?,
                    calendar: r.try_get::<String, _>(3)? == "calendar",
                    due_days: u32::try_from(due_days).map_err(|_| corrupt("due_days"))?,
                    due_basis: r.try_get(5)?,
                    reporters: Reporters::parse(&reporters).ok_or_else(|| corrupt(&reporters))?,
                    unit_level: level.map(|l| l.parse().map_err(|_| corrupt(&l))).transpose()?,
                    recipient: r.try_get(8)?,
                    through: r.try_get(9)?,
                },
                through_name: r.try_get(10)?,
            })
        })
        .collect()
}
