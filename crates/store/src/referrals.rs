//! Referrals of a support case (chuyển gửi): to which agency, for what, by when,
//! and when and how it was answered; the ones past their day unanswered are
//! counted for the home page. Every change is audited.

use crate::audit::{append, AuditEntry};
use crate::units::iso;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Referral {
    pub id: i64,
    pub referred_on: NaiveDate,
    pub agency: Option<String>,
    pub to_service: String,
    pub due_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    pub outcome: Option<String>,
}

impl Referral {
    /// Past its day on `today` with no answer.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.answered_on.is_none() && self.due_on < today
    }
}

/// A new referral as the caseworker writes it.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub referred_on: NaiveDate,
    pub agency_code: Option<String>,
    pub to_service: String,
    pub due_on: NaiveDate,
}

fn day(text: &str) -> Result<NaiveDate, StoreError> {
    text.parse().map_err(|_| StoreError::corrupt(format!("ngày hỏng «{text}»"), format!("bad stored day «{text}»")))
}

impl Store {
    pub async fn referrals(&self, case_id: i64) -> Result<Vec<Referral>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.referred_on, a.name, r.to_service, r.due_on, r.answered_on, r.outcome FROM referral r \
             LEFT JOIN agency a ON a.id = r.to_agency_id WHERE r.case_id = $1 ORDER BY r.referred_on, r.id",
        )
        .bind(case_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Referral {
                    id: r.try_get(0)?,
                    referred_on: day(&r.try_get::<String, _>(1)?)?,
                    agency: r.try_get(2)?,
                    to_service: r.try_get(3)?,
                    due_on: day(&r.try_get::<String, _>(4)?)?,
                    answered_on: r.try_get::<Option<String>, _>(5)?.map(|d| day(&d)).transpose()?,
                    outcome: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Refers a case: the day is not after `today`, the answer is due on or after it,
    /// the agency (if named) exists; a case whose person was anonymised takes none.
    pub async fn add_referral(&self, case_id: i64, r: &NewReferral, today: NaiveDate, actor: &str, at: &str) -> Result<i64, StoreError> {
        let what = pcmd_domain::text::nfc(r.to_service.trim());
        if what.is_empty() {
            return Err(StoreError::refused("hãy ghi chuyển gửi để làm gì", "say what the referral is for"));
        }
        if r.referred_on > today {
            return Err(StoreError::refused("ngày chuyển gửi sau hôm nay", "the referral's day is after today"));
        }
        if r.due_on < r.referred_on {
            return Err(StoreError::refused("hạn phản hồi trước ngày chuyển gửi", "the answer is due before the referral was made"));
        }
        let mut tx = self.begin().await?;
        let anonymised: Option<Option<String>> = sqlx::query("SELECT anonymised_on FROM support_case WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        match anonymised {
            None => return Err(StoreError::NotFound(pcmd_domain::Msg::new("không có hồ sơ này", "no such case"))),
            Some(Some(_)) => return Err(StoreError::refused("hồ sơ đã ẩn danh: không chuyển gửi được", "the case is anonymised: no referral")),
            Some(None) => {}
        }
        let agency: Option<i64> = match r.agency_code.as_deref().filter(|c| !c.is_empty()) {
            Some(code) => Some(
                sqlx::query("SELECT id FROM agency WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?
                    .ok_or_else(|| StoreError::refused(format!("không có cơ quan mã «{code}»"), format!("no agency with code «{code}»")))?,
            ),
            None => None,
        };
        let id: i64 = sqlx::query(
            "INSERT INTO referral (case_id, referred_on, to_agency_id, to_service, due_on, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(case_id)
        .bind(iso(r.referred_on))
        .bind(agency)
        .bind(&what)
        .bind(iso(r.due_on))
        .bind(actor)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        append(
            &mut tx,
            &AuditEntry { actor, action: "referral_add", subject: &format!("support_case#{case_id}"), detail: &format!("referral#{id}") },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a referral's answer: on a day between the referral and today.
    pub async fn answer_referral(
        &self,
        case_id: i64,
        id: i64,
        on: NaiveDate,
        outcome: &str,
        today: NaiveDate,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        crate::records::refuse_anonymised(&mut tx, "support_case", case_id).await?;
        let Some(row) = sqlx::query("SELECT referred_on, answered_on FROM referral WHERE id = $1 AND case_id = $2")
            .bind(id)
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(StoreError::NotFound(pcmd_domain::Msg::new("không có chuyển gửi này", "no such referral")));
        };
        let referred = day(&row.try_get::<String, _>(0)?)?;
        if row.try_get::<Option<String>, _>(1)?.is_some() {
            return Err(StoreError::refused("chuyển gửi này đã có phản hồi", "this referral is answered already"));
        }
        if on < referred || on > today {
            return Err(StoreError::refused(
                "ngày phản hồi phải từ ngày chuyển gửi đến hôm nay",
                "the answer's day must be between the referral and today",
            ));
        }
        sqlx::query("UPDATE referral SET answered_on = $1, outcome = $2, version = version + 1 WHERE id = $3")
            .bind(iso(on))
            .bind(Some(pcmd_domain::text::nfc(outcome.trim())).filter(|o| !o.is_empty()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &AuditEntry { actor, action: "referral_answer", subject: &format!("support_case#{case_id}"), detail: &format!("referral#{id}") },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Referrals of the cases of `units` past their day on `today` with no answer.
    pub async fn overdue_referrals(&self, units: &[i64], today: NaiveDate) -> Result<i64, StoreError> {
        if units.is_empty() {
            return Ok(0);
        }
        // Unit ids come from the unit index: integers, written into the statement.
        let ids: Vec<String> = units.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT COUNT(*) FROM referral r JOIN support_case c ON c.id = r.case_id WHERE c.unit_id IN ({}) AND r.answered_on IS NULL AND r.due_on < $1",
            ids.join(",")
        );
        Ok(sqlx::query(&sql).bind(iso(today)).fetch_one(self.pool()).await?.try_get(0)?)
    }
}
