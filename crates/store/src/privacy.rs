//! A person's rights over their data and its retention (Law 91/2025/QH15 on
//! personal data protection): a support case's consent and its withdrawal, a
//! service recorded only while consent stands, everything held about a person
//! in one export, anonymisation on request (closed cases) and by the retention
//! sweep. Each step is audited; each refusal gives its reason. Anonymising
//! clears a sealed identity or tip content and nothing else: no figure reads it.

use crate::audit::{append, AuditEntry};
use crate::erasures::{key_of, Erasure};
use crate::units::iso;
use crate::{Backend, Sealer, Store, StoreError, Tx};
use chrono::NaiveDate;
use pcmd_domain::policy::privacy::{ProcessingFile, SUPPORT_IDENTITY, TIP_CONTENT};
use pcmd_domain::records::Service;
use sqlx::Row;

/// A record whose personal data the retention period reaches: which, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Expiring {
    /// "support_case" or "tip".
    pub table: &'static str,
    pub id: i64,
    pub unit_id: i64,
    pub closed_on: NaiveDate,
    /// The last day it is kept; anonymised by the first sweep after.
    pub kept_until: NaiveDate,
}

/// What a sweep did (or would do, in a dry run).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sweep {
    pub support_cases: Vec<i64>,
    pub tips: Vec<i64>,
    /// Records the erasure register names whose data had come back (a restored backup), anonymised again.
    pub reapplied: usize,
    /// Lines of the erasure register that could not be read (passed over).
    pub damaged: Vec<usize>,
}

fn day(raw: Option<String>) -> Option<NaiveDate> {
    raw.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

fn no_case(id: i64) -> StoreError {
    StoreError::not_found(format!("không có hồ sơ số {id}"), format!("no case {id}"))
}

impl Store {
    /// A support case's id by its code.
    pub async fn support_case_id(&self, code: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT id FROM support_case WHERE code = $1").bind(code.trim().to_string()).fetch_optional(self.pool()).await?;
        row.map(|r| r.try_get::<i64, _>(0))
            .transpose()?
            .ok_or_else(|| StoreError::not_found(format!("không có hồ sơ mã «{code}»"), format!("no case «{code}»")))
    }

    /// The closed records whose personal data is kept until on or before
    /// `until`, not yet anonymised: those past their period when `until` is
    /// today, those about to be when it is today + the warning days.
    pub async fn expiring(&self, rules: &ProcessingFile, until: NaiveDate) -> Result<Vec<Expiring>, StoreError> {
        let mut out = Vec::new();
        for (table, kind, sealed) in [("support_case", SUPPORT_IDENTITY, "identity_sealed"), ("tip", TIP_CONTENT, "content_sealed")] {
            let Some(kind) = rules.kind(kind).filter(|k| k.retention_years.is_some()) else { continue };
            // Only records closed long enough ago are read: kept_until(closed) <= until
            // holds for none closed after `until` less the years (plus a day for 29 February).
            let years = kind.retention_years.unwrap_or(0);
            let latest = until.checked_sub_months(chrono::Months::new(years.saturating_mul(12))).and_then(|d| d.succ_opt()).unwrap_or(until);
            let sql = format!(
                "SELECT id, closed_on, unit_id FROM {table} WHERE closed_on IS NOT NULL AND closed_on <= $1 AND anonymised_on IS NULL AND {sealed} IS NOT NULL ORDER BY closed_on, id"
            );
            for r in &sqlx::query(&sql).bind(iso(latest)).fetch_all(self.pool()).await? {
                let Some(closed_on) = day(r.try_get(1)?) else { continue };
                if let Some(kept_until) = kind.kept_until(closed_on).filter(|k| *k <= until) {
                    out.push(Expiring { table, id: r.try_get(0)?, unit_id: r.try_get(2)?, closed_on, kept_until });
                }
            }
        }
        Ok(out)
    }

    /// Anonymises every closed record past its retention on `today` (kept
    /// until a day before it): a support case's identity, a tip's content.
    /// Open cases and those still in their period are not touched.
    pub async fn privacy_sweep(&self, rules: &ProcessingFile, today: NaiveDate, actor: &str, dry_run: bool) -> Result<Sweep, StoreError> {
        let Some(yesterday) = today.pred_opt() else { return Ok(Sweep::default()) };
        let due = self.expiring(rules, yesterday).await?;
        let mut sweep = Sweep::default();
        for e in &due {
            match e.table {
                "support_case" => sweep.support_cases.push(e.id),
                _ => sweep.tips.push(e.id),
            }
        }
        // What the register says was erased stays erased, whatever a restore brought back.
        let reapplied = self.reapply_erasures(today, actor, dry_run).await?;
        sweep.reapplied = reapplied.again.len();
        sweep.damaged = reapplied.damaged;
        if dry_run || due.is_empty() {
            return Ok(sweep);
        }
        let mut tx = self.begin().await?;
        let reason = format!("hết thời hạn lưu trữ ({})", iso(today));
        let mut register = Vec::new();
        for e in &due {
            register.push(erasure(&mut tx, e.table, e.id, today).await?);
            anonymise_in(&mut tx, e.table, e.id, today, actor, &reason).await?;
        }
        self.register_erasures(&register)?;
        tx.commit().await?;
        self.scrub_files().await?;
        Ok(sweep)
    }

    /// Anonymises one closed support case now, on the person's request or the
    /// caseworker's decision, with the reason; an open case is refused.
    pub async fn anonymise_case(&self, case_id: i64, today: NaiveDate, reason: &str, actor: &str) -> Result<(), StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::refused("hãy ghi lý do xóa, ẩn danh dữ liệu", "give the reason for erasing the data"));
        }
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT closed_on, anonymised_on FROM support_case WHERE id = $1").bind(case_id).fetch_optional(&mut *tx).await?;
        let row = row.ok_or_else(|| no_case(case_id))?;
        if day(row.try_get(1)?).is_some() {
            return Err(StoreError::refused("hồ sơ đã được ẩn danh", "the case is already anonymised"));
        }
        if day(row.try_get(0)?).is_none() {
            return Err(StoreError::refused(
                "hồ sơ đang mở: dữ liệu còn cần để hỗ trợ người này; hãy kết thúc hồ sơ trước (Luật Bảo vệ dữ liệu cá nhân: xóa khi mục đích xử lý đã hoàn thành)",
                "the case is open: its data is still needed to support the person; close it first (data is erased once its purpose is served)",
            ));
        }
        let entry = erasure(&mut tx, "support_case", case_id, today).await?;
        anonymise_in(&mut tx, "support_case", case_id, today, actor, reason).await?;
        self.register_erasures(&[entry])?;
        tx.commit().await?;
        self.scrub_files().await
    }

    /// Records the person's consent (its day and scope) or its withdrawal.
    pub async fn set_consent(&self, case_id: i64, change: Consent, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        crate::records::refuse_anonymised(&mut tx, "support_case", case_id).await?;
        let row =
            sqlx::query("SELECT opened_on, consent_withdrawn_on FROM support_case WHERE id = $1").bind(case_id).fetch_optional(&mut *tx).await?;
        let row = row.ok_or_else(|| no_case(case_id))?;
        let opened = day(row.try_get(0)?);
        let subject = format!("support_case#{case_id}");
        match change {
            Consent::Given { on, scope } => {
                let scope = pcmd_domain::text::nfc(scope.trim());
                if scope.is_empty() {
                    return Err(StoreError::invalid(Some("consent_scope"), "hãy ghi phạm vi đồng ý", "give what the consent covers"));
                }
                sqlx::query("UPDATE support_case SET consent = 1, consent_on = $2, consent_scope = $3, consent_withdrawn_on = NULL, version = version + 1 WHERE id = $1")
                    .bind(case_id)
                    .bind(iso(on))
                    .bind(scope.clone())
                    .execute(&mut *tx)
                    .await?;
                // The scope is the case's (erased with it); the audit log, kept for good, says only that one was written.
                let detail = format!("{}: phạm vi đồng ý ghi trong hồ sơ ({} ký tự)", iso(on), scope.chars().count());
                append(&mut tx, &AuditEntry { actor, action: "consent_given", subject: &subject, detail: &detail }).await?;
            }
            Consent::Withdrawn { on } => {
                if opened.is_some_and(|o| on < o) {
                    return Err(StoreError::invalid(
                        Some("consent_withdrawn_on"),
                        "ngày rút lại trước ngày mở hồ sơ",
                        "withdrawn before the case was opened",
                    ));
                }
                if day(row.try_get(1)?).is_some() {
                    return Err(StoreError::refused("người này đã rút lại sự đồng ý", "consent was already withdrawn"));
                }
                sqlx::query("UPDATE support_case SET consent = 0, consent_withdrawn_on = $2, version = version + 1 WHERE id = $1")
                    .bind(case_id)
                    .bind(iso(on))
                    .execute(&mut *tx)
                    .await?;
                append(&mut tx, &AuditEntry { actor, action: "consent_withdrawn", subject: &subject, detail: &iso(on) }).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a service given to the person; refused without consent, after
    /// its withdrawal, on an anonymised case, or before the case was opened.
    pub async fn add_service(&self, case_id: i64, on: NaiveDate, service: Service, actor: &str, entered_at: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT opened_on, consent, consent_withdrawn_on, anonymised_on FROM support_case WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?;
        let row = row.ok_or_else(|| no_case(case_id))?;
        if let Some(w) = day(row.try_get(2)?) {
            return Err(StoreError::refused(
                format!(
                    "người này đã rút lại sự đồng ý ngày {}: không ghi nhận xử lý mới cho mục đích hỗ trợ (Luật Bảo vệ dữ liệu cá nhân)",
                    pcmd_domain::date::format_vn(w)
                ),
                format!("the person withdrew consent on {w}: nothing new is processed for support"),
            ));
        }
        if row.try_get::<i64, _>(1)? != 1 {
            return Err(StoreError::refused(
                "người này chưa đồng ý nhận hỗ trợ: hãy ghi nhận sự đồng ý trước",
                "the person has not consented: record the consent first",
            ));
        }
        if day(row.try_get(3)?).is_some() {
            return Err(StoreError::refused("hồ sơ đã được ẩn danh", "the case is anonymised"));
        }
        if day(row.try_get(0)?).is_some_and(|o| on < o) {
            return Err(StoreError::invalid(Some("provided_on"), "ngày cung cấp trước ngày mở hồ sơ", "provided before the case was opened"));
        }
        sqlx::query("INSERT INTO support_service (case_id, provided_on, service, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(case_id)
            .bind(iso(on))
            .bind(service.as_str())
            .bind(actor.to_string())
            .bind(entered_at.to_string())
            .execute(&mut *tx)
            .await?;
        let detail = format!("{} ({})", service.as_str(), iso(on));
        append(&mut tx, &AuditEntry { actor, action: "service_added", subject: &format!("support_case#{case_id}"), detail: &detail }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everything held about the person of a support case, for them to read:
    /// every column of the case (the identity opened), the services, the
    /// referrals and the case's history. Audited as a read of personal data.
    pub async fn person_export(&self, case_id: i64, sealer: &Sealer, actor: &str) -> Result<serde_json::Value, StoreError> {
        use serde_json::{json, Map, Value};
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT code, unit_id, opened_on, closed_on, age_band, sex, needs_support, eligible, consent, consent_on, consent_scope, \
             consent_withdrawn_on, anonymised_on, identity_sealed, source, entered_by, entered_at FROM support_case WHERE id = $1",
        )
        .bind(case_id)
        .fetch_optional(&mut *tx)
        .await?;
        let row = row.ok_or_else(|| no_case(case_id))?;
        let mut case = Map::new();
        let texts = [
            "code",
            "",
            "opened_on",
            "closed_on",
            "age_band",
            "sex",
            "",
            "",
            "",
            "consent_on",
            "consent_scope",
            "consent_withdrawn_on",
            "anonymised_on",
        ];
        for (i, k) in texts.iter().enumerate().filter(|(_, k)| !k.is_empty()) {
            case.insert(k.to_string(), row.try_get::<Option<String>, _>(i)?.map_or(Value::Null, Value::String));
        }
        case.insert("unit_id".into(), json!(row.try_get::<i64, _>(1)?));
        for (i, k) in [(6, "needs_support"), (7, "eligible"), (8, "consent")] {
            case.insert(k.into(), json!(row.try_get::<i64, _>(i)? == 1));
        }
        for (i, k) in [(14, "source"), (15, "entered_by"), (16, "entered_at")] {
            case.insert(k.into(), row.try_get::<Option<String>, _>(i)?.map_or(Value::Null, Value::String));
        }
        let identity = match row.try_get::<Option<Vec<u8>>, _>(13)? {
            Some(sealed) => serde_json::from_str::<Value>(&sealer.open("support_case.identity", &sealed)?)
                .map_err(|e| StoreError::corrupt(e.to_string(), e.to_string()))?,
            None => Value::Null,
        };
        let services: Vec<Value> = sqlx::query("SELECT provided_on, service, provider, entered_by, entered_at FROM support_service WHERE case_id = $1 ORDER BY provided_on, id")
            .bind(case_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| -> Result<Value, StoreError> {
                Ok(json!({"provided_on": r.try_get::<String, _>(0)?, "service": r.try_get::<String, _>(1)?, "provider": r.try_get::<Option<String>, _>(2)?,
                    "entered_by": r.try_get::<Option<String>, _>(3)?, "entered_at": r.try_get::<String, _>(4)?}))
            })
            .collect::<Result<_, _>>()?;
        let referrals: Vec<Value> = sqlx::query("SELECT referred_on, to_service, due_on, answered_on, outcome, entered_by, entered_at FROM referral WHERE case_id = $1 ORDER BY referred_on, id")
            .bind(case_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| -> Result<Value, StoreError> {
                Ok(json!({"referred_on": r.try_get::<String, _>(0)?, "to_service": r.try_get::<String, _>(1)?, "due_on": r.try_get::<String, _>(2)?,
                    "answered_on": r.try_get::<Option<String>, _>(3)?, "outcome": r.try_get::<Option<String>, _>(4)?,
                    "entered_by": r.try_get::<Option<String>, _>(5)?, "entered_at": r.try_get::<String, _>(6)?}))
            })
            .collect::<Result<_, _>>()?;
        let subject = format!("support_case#{case_id}");
        let history: Vec<Value> = sqlx::query("SELECT at, actor, action, detail FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind(subject.clone())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| -> Result<Value, StoreError> {
                Ok(json!({"at": r.try_get::<String, _>(0)?, "actor": r.try_get::<String, _>(1)?, "action": r.try_get::<String, _>(2)?, "detail": r.try_get::<String, _>(3)?}))
            })
            .collect::<Result<_, _>>()?;
        crate::audit::read_personal(&mut tx, actor, &subject, "export").await?;
        tx.commit().await?;
        Ok(json!({"case": Value::Object(case), "identity": identity, "services": services, "referrals": referrals, "history": history}))
    }

    /// Leaves no trace of cleared values in the database files: SQLite's
    /// write-ahead log is folded into the file (whose freed bytes are zeroed:
    /// every connection sets `secure_delete`); PostgreSQL's dead rows are vacuumed.
    pub(crate) async fn scrub_files(&self) -> Result<(), StoreError> {
        match self.backend() {
            Backend::Sqlite => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(self.pool()).await?;
            }
            Backend::Postgres => {
                for table in ["support_case", "tip"] {
                    sqlx::query(&format!("VACUUM {table}")).execute(self.pool()).await?;
                }
            }
        }
        Ok(())
    }
}

/// Where a support case stands for its person's rights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseRights {
    pub consent: bool,
    pub consent_on: Option<NaiveDate>,
    pub consent_scope: Option<String>,
    pub withdrawn_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub anonymised_on: Option<NaiveDate>,
}

impl Store {
    pub async fn case_rights(&self, case_id: i64) -> Result<CaseRights, StoreError> {
        let row =
            sqlx::query("SELECT consent, consent_on, consent_scope, consent_withdrawn_on, closed_on, anonymised_on FROM support_case WHERE id = $1")
                .bind(case_id)
                .fetch_optional(self.pool())
                .await?;
        let row = row.ok_or_else(|| no_case(case_id))?;
        Ok(CaseRights {
            consent: row.try_get::<i64, _>(0)? == 1,
            consent_on: day(row.try_get(1)?),
            consent_scope: row.try_get(2)?,
            withdrawn_on: day(row.try_get(3)?),
            closed_on: day(row.try_get(4)?),
            anonymised_on: day(row.try_get(5)?),
        })
    }
}

/// How many persons' data the system holds, by kind (for the impact assessment).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holdings {
    /// Support cases, and those whose identity is still held.
    pub cases: i64,
    pub identities: i64,
    /// Tips, and those whose content is still held.
    pub tips: i64,
    pub tip_contents: i64,
    pub accounts: i64,
    pub audit_entries: i64,
}

impl Store {
    pub async fn holdings(&self) -> Result<Holdings, StoreError> {
        let count = |sql: &'static str| async move { sqlx::query(sql).fetch_one(self.pool()).await?.try_get::<i64, _>(0).map_err(StoreError::from) };
        Ok(Holdings {
            cases: count("SELECT COUNT(*) FROM support_case").await?,
            identities: count("SELECT COUNT(*) FROM support_case WHERE identity_sealed IS NOT NULL").await?,
            tips: count("SELECT COUNT(*) FROM tip").await?,
            tip_contents: count("SELECT COUNT(*) FROM tip WHERE content_sealed IS NOT NULL").await?,
            accounts: count("SELECT COUNT(*) FROM app_user").await?,
            audit_entries: count("SELECT COUNT(*) FROM audit_log").await?,
        })
    }
}

/// A change of a support case's consent.
#[derive(Debug, Clone)]
pub enum Consent {
    Given { on: NaiveDate, scope: String },
    Withdrawn { on: NaiveDate },
}

/// The register's line for erasing a record, read before it is erased.
async fn erasure(tx: &mut Tx<'_>, table: &str, id: i64, on: NaiveDate) -> Result<Erasure, StoreError> {
    let key = key_of(tx, table, id).await?.unwrap_or_default();
    Ok(Erasure { table: table.to_string(), id, key, on })
}

pub(crate) async fn anonymise_in(tx: &mut Tx<'_>, table: &str, id: i64, today: NaiveDate, actor: &str, reason: &str) -> Result<(), StoreError> {
    let column = if table == "support_case" { "identity_sealed" } else { "content_sealed" };
    let sql = format!("UPDATE {table} SET {column} = NULL, anonymised_on = $2, version = version + 1 WHERE id = $1");
    sqlx::query(&sql).bind(id).bind(iso(today)).execute(&mut **tx).await?;
    if table == "support_case" {
        // Free text written about the person goes with the identity: what the consent
        // covered, and what came back from the services the case was referred to.
        sqlx::query("UPDATE support_case SET consent_scope = NULL WHERE id = $1").bind(id).execute(&mut **tx).await?;
        sqlx::query("UPDATE referral SET outcome = NULL WHERE case_id = $1").bind(id).execute(&mut **tx).await?;
    }
    if table == "tip" {
        // The handling's outcome and the notes of its steps may name the persons the tip is about.
        sqlx::query("UPDATE tip SET outcome = NULL WHERE id = $1").bind(id).execute(&mut **tx).await?;
        sqlx::query("UPDATE tip_event SET note = NULL WHERE tip_id = $1").bind(id).execute(&mut **tx).await?;
        // What came with a tip from the portal goes with its content: the sender's
        // contact, the files and the messages (the receipt's locator and hash stay,
        // so that the sender still learns the tip was settled).
        sqlx::query("UPDATE tip_receipt SET contact_sealed = NULL WHERE tip_id = $1").bind(id).execute(&mut **tx).await?;
        sqlx::query("DELETE FROM tip_attachment WHERE tip_id = $1").bind(id).execute(&mut **tx).await?;
        sqlx::query("DELETE FROM tip_message WHERE tip_id = $1").bind(id).execute(&mut **tx).await?;
    }
    append(tx, &AuditEntry { actor, action: "anonymise", subject: &format!("{table}#{id}"), detail: reason }).await
}
