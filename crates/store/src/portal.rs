//! Tips from citizens (the public portal, cổng tiếp nhận tố giác): the tip with
//! its receipt, files and contact, all sealed; the receipt found by its locator;
//! what the sender may see (status and the message thread, nothing else); the
//! messages both ways, each sealed and written to the audit log.

use crate::audit::{append, AuditEntry};
use crate::records::RecordMeta;
use crate::{Sealer, Store, StoreError};
use pcmd_domain::records::{NewRecord, NewTip, RulesFile};
use pcmd_domain::units::UnitIndex;
use sqlx::Row;

/// A file sent with a tip, checked by the caller (kind by its first bytes, size).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// What the portal stores beside the tip: the receipt's locator and the hash of
/// its secret part, the sender's contact if given, and the files.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub locator: String,
    pub secret_hash: String,
    pub contact: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// What a sender may learn of their tip.
#[derive(Debug, Clone)]
pub struct SenderView {
    pub tip_id: i64,
    pub received_on: String,
    pub status: String,
    pub category: String,
    /// The day the tip is due under its law (None while no clock runs), and the rule.
    pub due_on: Option<String>,
    pub rule_code: String,
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub from_sender: bool,
    pub body: String,
    pub sent_at: String,
}

/// A file's description, without its content.
#[derive(Debug, Clone)]
pub struct AttachmentInfo {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
}

/// Who the audit log names for the sender of a tip, who has no account.
pub const SENDER: &str = "người gửi (cổng công khai)";

impl Store {
    /// Stores a citizen's tip with its receipt, contact and files, all or nothing.
    pub async fn receive_public_tip(
        &self,
        units: &UnitIndex,
        rules: &RulesFile,
        tip: &NewTip,
        receipt: &Receipt,
        meta: &RecordMeta,
    ) -> Result<i64, StoreError> {
        let sealer = meta.sealer.clone().ok_or_else(|| {
            StoreError::refused("không có khóa mã hóa: cổng tố giác không nhận tin", "no encryption key: the portal cannot take tips")
        })?;
        let mut tx = self.begin().await?;
        let id = crate::records::insert(&mut tx, units, rules, &NewRecord::Tip(tip.clone()), meta).await?;
        let contact = receipt.contact.as_deref().map(|c| sealer.seal("tip.contact", c)).transpose()?;
        sqlx::query("INSERT INTO tip_receipt (tip_id, locator, secret_hash, contact_sealed) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&receipt.locator)
            .bind(&receipt.secret_hash)
            .bind(contact)
            .execute(&mut *tx)
            .await?;
        for a in &receipt.attachments {
            sqlx::query(
                "INSERT INTO tip_attachment (tip_id, name_sealed, media_type, size_bytes, content_sealed, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(sealer.seal("tip_attachment.name", &a.name)?)
            .bind(a.media_type)
            .bind(i64::try_from(a.bytes.len()).unwrap_or(i64::MAX))
            .bind(sealer.seal_bytes("tip_attachment.content", &a.bytes)?)
            .bind(&meta.entered_at)
            .execute(&mut *tx)
            .await?;
        }
        let detail = format!("{} tệp đính kèm", receipt.attachments.len());
        append(&mut tx, &AuditEntry { actor: SENDER, action: "public_tip", subject: &format!("tip#{id}"), detail: &detail }).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Whether tip `id` came through the portal (it has a receipt).
    pub async fn receipt_of(&self, id: i64) -> Result<Option<()>, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM tip_receipt WHERE tip_id = $1").bind(id).fetch_optional(self.pool()).await?.map(|_| ()))
    }

    /// Whether a receipt's locator is taken (a new one is drawn then).
    pub async fn locator_taken(&self, locator: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM tip_receipt WHERE locator = $1").bind(locator).fetch_optional(self.pool()).await?.is_some())
    }

    /// The tip a receipt's locator names, with the hash its secret must match.
    pub async fn receipt(&self, locator: &str) -> Result<Option<(i64, String)>, StoreError> {
        let row = sqlx::query("SELECT tip_id, secret_hash FROM tip_receipt WHERE locator = $1").bind(locator).fetch_optional(self.pool()).await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// What the sender of tip `id` may see: when it came, its category and status, and the messages.
    pub async fn sender_view(&self, id: i64, sealer: &Sealer) -> Result<Option<SenderView>, StoreError> {
        let Some(row) = sqlx::query("SELECT received_on, status, category, due_on, rule_code FROM tip WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let messages = self.thread(id, sealer).await?;
        Ok(Some(SenderView {
            tip_id: id,
            received_on: row.try_get(0)?,
            status: row.try_get(1)?,
            category: row.try_get(2)?,
            due_on: row.try_get(3)?,
            rule_code: row.try_get(4)?,
            messages,
        }))
    }

    async fn thread(&self, id: i64, sealer: &Sealer) -> Result<Vec<Message>, StoreError> {
        let rows = sqlx::query("SELECT from_sender, body_sealed, sent_at FROM tip_message WHERE tip_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let sealed: Vec<u8> = r.try_get(1)?;
                Ok(Message { from_sender: r.try_get::<i64, _>(0)? == 1, body: sealer.open("tip_message.body", &sealed)?, sent_at: r.try_get(2)? })
            })
            .collect()
    }

    /// The thread of a tip for an officer who handles it (the caller checks the role
    /// and scope), with the sender's contact and the files' names; the read is audited.
    pub async fn officer_thread(
        &self,
        id: i64,
        sealer: &Sealer,
        actor: &str,
    ) -> Result<(Vec<Message>, Option<String>, Vec<AttachmentInfo>), StoreError> {
        let messages = self.thread(id, sealer).await?;
        let contact = match sqlx::query("SELECT contact_sealed FROM tip_receipt WHERE tip_id = $1").bind(id).fetch_optional(self.pool()).await? {
            Some(r) => r.try_get::<Option<Vec<u8>>, _>(0)?.map(|c| sealer.open("tip.contact", &c)).transpose()?,
            None => None,
        };
        let files = sqlx::query("SELECT id, name_sealed, media_type, size_bytes FROM tip_attachment WHERE tip_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let name: Vec<u8> = r.try_get(1)?;
                Ok(AttachmentInfo {
                    id: r.try_get(0)?,
                    name: sealer.open("tip_attachment.name", &name)?,
                    media_type: r.try_get(2)?,
                    size_bytes: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        if !messages.is_empty() || contact.is_some() || !files.is_empty() {
            let mut tx = self.begin().await?;
            crate::audit::read_personal(&mut tx, actor, &format!("tip#{id}"), "messages").await?;
            tx.commit().await?;
        }
        Ok((messages, contact, files))
    }

    /// A file sent with tip `tip_id`, opened for an officer (audited).
    pub async fn tip_file(&self, tip_id: i64, file_id: i64, sealer: &Sealer, actor: &str) -> Result<Option<(String, String, Vec<u8>)>, StoreError> {
        let mut tx = self.begin().await?;
        let Some(r) = sqlx::query("SELECT name_sealed, media_type, content_sealed FROM tip_attachment WHERE id = $1 AND tip_id = $2")
            .bind(file_id)
            .bind(tip_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let name = sealer.open("tip_attachment.name", &r.try_get::<Vec<u8>, _>(0)?)?;
        let bytes = sealer.open_bytes("tip_attachment.content", &r.try_get::<Vec<u8>, _>(2)?)?;
        crate::audit::read_personal(&mut tx, actor, &format!("tip#{tip_id}"), &format!("file #{file_id}")).await?;
        tx.commit().await?;
        Ok(Some((name, r.try_get(1)?, bytes)))
    }

    /// Adds a message to a tip's thread, from its sender or from the officer `actor`.
    pub async fn add_tip_message(&self, id: i64, from_sender: bool, body: &str, sealer: &Sealer, actor: &str, at: &str) -> Result<(), StoreError> {
        let body = body.trim();
        if body.is_empty() {
            return Err(StoreError::refused("tin nhắn trống", "the message is empty"));
        }
        if body.chars().count() > 5000 {
            return Err(StoreError::refused("tin nhắn dài quá 5.000 ký tự", "the message is longer than 5,000 characters"));
        }
        let mut tx = self.begin().await?;
        crate::records::refuse_anonymised(&mut tx, "tip", id).await?;
        sqlx::query("INSERT INTO tip_message (tip_id, from_sender, body_sealed, sent_at, sent_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(i64::from(from_sender))
            .bind(sealer.seal("tip_message.body", &pcmd_domain::text::nfc(body))?)
            .bind(at)
            .bind((!from_sender).then_some(actor))
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "tip_message",
                subject: &format!("tip#{id}"),
                detail: if from_sender { "from sender" } else { "to sender" },
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Open tips of `units` whose (extended) deadline falls from `today` to `until`: due soon.
    pub async fn tips_due_between(&self, units: &[i64], today: chrono::NaiveDate, until: chrono::NaiveDate) -> Result<i64, StoreError> {
        if units.is_empty() {
            return Ok(0);
        }
        // Unit ids come from the unit index: integers, written into the statement.
        let ids: Vec<String> = units.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT COUNT(*) FROM tip WHERE unit_id IN ({}) AND status IN ({}) AND due_on >= $1 AND due_on <= $2",
            ids.join(","),
            pcmd_domain::policy::open_tip_statuses_sql()
        );
        Ok(sqlx::query(&sql).bind(crate::units::iso(today)).bind(crate::units::iso(until)).fetch_one(self.pool()).await?.try_get(0)?)
    }

    /// Tips received and not yet taken up (status `received`): a new tip from the
    /// portal waits here until someone handles it, whatever its deadline.
    pub async fn tips_not_taken_up(&self, units: &[i64]) -> Result<i64, StoreError> {
        if units.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = units.iter().map(i64::to_string).collect();
        let sql = format!("SELECT COUNT(*) FROM tip WHERE unit_id IN ({}) AND status = 'received'", ids.join(","));
        Ok(sqlx::query(&sql).fetch_one(self.pool()).await?.try_get(0)?)
    }

    /// Tips of `units` whose latest message is the sender's: waiting for the officer's answer.
    pub async fn tips_awaiting_reply(&self, units: &[i64]) -> Result<i64, StoreError> {
        if units.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = units.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT COUNT(*) FROM tip t WHERE t.unit_id IN ({}) AND \
             (SELECT m.from_sender FROM tip_message m WHERE m.tip_id = t.id ORDER BY m.id DESC LIMIT 1) = 1",
            ids.join(",")
        );
        Ok(sqlx::query(&sql).fetch_one(self.pool()).await?.try_get(0)?)
    }
}
