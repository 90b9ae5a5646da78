//! A change of communes the code lists lack (sáp nhập, đổi tên đơn vị hành
//! chính cấp xã): on a day, one or more communes of one district end the day
//! before, and a commune — new, or one of them under its new name — begins,
//! each old one its whole successor. The figures then cross the change as
//! they cross the 2025 reform. Audited with its legal basis.
//!
//! Communes only: a district's change moves its communes to another parent,
//! which the lists of 2025 already carry and a form should not.

use crate::audit::{append, AuditEntry};
use crate::units::iso;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use pcmd_domain::units::{Level, UnitIndex, OPEN_END};
use sqlx::Row;

/// What the form gives.
pub struct UnitChange<'a> {
    /// The day the new commune begins.
    pub on: NaiveDate,
    /// The communes that end, by code (valid the day before `on`).
    pub old_codes: Vec<String>,
    pub new_code: &'a str,
    pub new_name: &'a str,
    /// "Xã", "Phường", "Thị trấn".
    pub new_type: &'a str,
    /// The resolution or decision (Nghị quyết … của Ủy ban Thường vụ Quốc hội).
    pub basis: &'a str,
}

fn refused(vi: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::refused(vi, en)
}

impl Store {
    /// Records the change; returns the new commune's id. Refused, changing
    /// nothing, when an old code is not a commune open the day before, the
    /// communes are of different districts, the new code is held by another
    /// commune then, or records are dated on the old communes from the day on.
    pub async fn record_unit_change(&self, c: &UnitChange<'_>, units: &UnitIndex, actor: &str) -> Result<i64, StoreError> {
        let basis = c.basis.trim();
        let (code, name, kind) = (c.new_code.trim(), pcmd_domain::text::nfc(c.new_name.trim()), c.new_type.trim());
        if basis.is_empty() || name.is_empty() || kind.is_empty() {
            return Err(refused(
                "cần tên, loại đơn vị mới và căn cứ pháp lý (nghị quyết, quyết định)",
                "the new name, its type and the legal basis are needed",
            ));
        }
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refused(format!("mã xã «{code}» phải gồm 5 chữ số"), format!("a commune code «{code}» has five digits")));
        }
        let Some(day_before) = c.on.pred_opt() else { return Err(refused("ngày không hợp lệ", "invalid day")) };
        let mut olds = Vec::new();
        for oc in c.old_codes.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let u = units.resolve(oc, day_before).filter(|u| u.level == Level::Commune).ok_or_else(|| {
                refused(
                    format!("không có xã mã «{oc}» còn hiệu lực ngày {}", pcmd_domain::date::format_vn(day_before)),
                    format!("no commune «{oc}» in force on {day_before}"),
                )
            })?;
            if u.valid_to != OPEN_END {
                return Err(refused(
                    format!("xã «{}» đã có thay đổi sau đó; không ghi đè lịch sử", u.name),
                    format!("«{}» changed later already", u.name),
                ));
            }
            if olds.iter().any(|o: &pcmd_domain::units::Unit| o.id == u.id) {
                continue;
            }
            olds.push(u.clone());
        }
        let Some(first) = olds.first() else { return Err(refused("cần ít nhất một xã cũ", "at least one old commune is needed")) };
        let parent = first.parent_id;
        if olds.iter().any(|o| o.parent_id != parent) {
            return Err(refused("các xã phải thuộc cùng một huyện", "the communes must be of one district"));
        }
        if units.resolve(code, c.on).is_some_and(|u| u.level == Level::Commune && !olds.iter().any(|o| o.code == code)) {
            return Err(refused(format!("mã «{code}» đang là của một xã khác"), format!("the code «{code}» is another commune's")));
        }
        let ids: Vec<i64> = olds.iter().map(|o| o.id).collect();
        let mut tx = self.begin().await?;
        lock_unit_lists(&mut tx).await?;
        let dated = crate::records::read::dated_from(&mut tx, &ids, c.on).await?;
        if !dated.is_empty() {
            let list: Vec<String> = dated.iter().map(|(k, n)| format!("{n} {}", k.label_vi())).collect();
            tx.rollback().await?;
            return Err(refused(
                format!(
                    "các xã cũ còn hồ sơ ghi từ ngày {} trở đi ({}): hãy chuyển các hồ sơ đó sang xã mới trước",
                    pcmd_domain::date::format_vn(c.on),
                    list.join(", ")
                ),
                format!("the old communes hold records dated from {} on ({}): move them first", c.on, list.join(", ")),
            ));
        }
        let id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM unit").fetch_one(&mut *tx).await?.try_get(0)?;
        let centre = |f: fn(&pcmd_domain::units::Unit) -> Option<f64>| {
            let v: Vec<f64> = olds.iter().filter_map(f).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        let area: Option<f64> = olds.iter().map(|o| o.area_km2).sum();
        sqlx::query(
            "INSERT INTO unit (id, code, name, unit_type, level, parent_id, lat, lon, area_km2, valid_from, valid_to) \
             VALUES ($1, $2, $3, $4, 'commune', $5, $6, $7, $8, $9, $10)",
        )
        .persistent(false)
        .bind(id)
        .bind(code.to_string())
        .bind(name.clone())
        .bind(kind.to_string())
        .bind(parent)
        .bind(centre(|u| u.lat))
        .bind(centre(|u| u.lon))
        .bind(area)
        .bind(iso(c.on))
        .bind(iso(OPEN_END))
        .execute(&mut *tx)
        .await?;
        // Against the database, not the lists this request read: a second submission finds them changed.
        let taken: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) FROM unit WHERE level = 'commune' AND code = $1 AND valid_from <= $2 AND valid_to >= $2 AND id <> $3 AND id NOT IN ({})",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ))
        .bind(code.to_string())
        .bind(iso(c.on))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if taken > 0 {
            tx.rollback().await?;
            return Err(refused(format!("mã «{code}» đang là của một xã khác"), format!("the code «{code}» is another commune's")));
        }
        for o in &olds {
            let ended = sqlx::query("UPDATE unit SET valid_to = $2 WHERE id = $1 AND valid_to = $3")
                .bind(o.id)
                .bind(iso(day_before))
                .bind(iso(OPEN_END))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if ended != 1 {
                tx.rollback().await?;
                return Err(StoreError::conflict(
                    format!("xã «{}» vừa được thay đổi; hãy tải lại trang", o.name),
                    format!("«{}» was just changed; reload the page", o.name),
                ));
            }
            sqlx::query("INSERT INTO unit_successor (old_unit_id, new_unit_id, kind) VALUES ($1, $2, 'whole')")
                .bind(o.id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let olds_text: Vec<String> = olds.iter().map(|o| format!("{} ({})", o.name, o.code)).collect();
        let detail = format!("{} → {name} ({code}) từ {}; căn cứ: {basis}", olds_text.join(", "), pcmd_domain::date::format_vn(c.on));
        append(&mut tx, &AuditEntry { actor, action: "unit_change", subject: &format!("unit:{code}"), detail: &detail }).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// A predecessor the lists lack: a commune that went into a listed one.
pub struct Predecessor {
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// A change before the lists: `unit_code`, as listed, began on `on`; before
/// it stood `predecessors`, which went whole into it (two wards of Sóc Trăng
/// city merged in 2024). The listed commune's records dated before `on` go to
/// `heir` (an index into `predecessors`), the one chosen to hold them.
pub struct EarlierChange<'a> {
    pub unit_code: &'a str,
    pub on: NaiveDate,
    pub predecessors: Vec<Predecessor>,
    pub heir: usize,
    pub basis: &'a str,
}

impl Store {
    /// Records an earlier change; returns (new ids, the records moved as "n kind").
    pub async fn record_earlier_change(&self, c: &EarlierChange<'_>, units: &UnitIndex, actor: &str) -> Result<(Vec<i64>, Vec<String>), StoreError> {
        let basis = c.basis.trim();
        if basis.is_empty() {
            return Err(refused("cần căn cứ pháp lý (nghị quyết, quyết định)", "the legal basis is needed"));
        }
        let unit = units.resolve(c.unit_code.trim(), c.on).filter(|u| u.level == Level::Commune).ok_or_else(|| {
            refused(
                format!("không có xã mã «{}» vào ngày {}", c.unit_code.trim(), pcmd_domain::date::format_vn(c.on)),
                format!("no commune «{}» on {}", c.unit_code.trim(), c.on),
            )
        })?;
        if c.on <= unit.valid_from {
            return Err(refused(
                format!("ngày thay đổi phải sau ngày {} (xã đã bắt đầu từ đó)", pcmd_domain::date::format_vn(unit.valid_from)),
                format!("the change must come after {} (the commune's start)", unit.valid_from),
            ));
        }
        if !units.predecessors(unit.id).is_empty() {
            return Err(refused(format!("xã «{}» đã có các xã trước đó", unit.name), format!("«{}» has predecessors already", unit.name)));
        }
        if c.predecessors.is_empty() || c.heir >= c.predecessors.len() {
            return Err(refused(
                "cần ít nhất một xã trước đó và xã nhận các hồ sơ cũ",
                "at least one predecessor and the one to hold the old records are needed",
            ));
        }
        let mut codes = std::collections::HashSet::new();
        for p in &c.predecessors {
            if p.code.len() != 5 || !p.code.bytes().all(|b| b.is_ascii_digit()) || p.name.trim().is_empty() || p.kind.trim().is_empty() {
                return Err(refused(
                    format!("xã trước đó «{} {}»: cần mã 5 chữ số, tên và loại", p.code, p.name),
                    format!("predecessor «{} {}»: a 5-digit code, a name and a type are needed", p.code, p.name),
                ));
            }
            if !codes.insert(p.code.clone()) {
                return Err(refused(format!("mã «{}» lặp lại", p.code), format!("code «{}» repeated", p.code)));
            }
            let taken = units.resolve(&p.code, unit.valid_from).is_some_and(|u| u.level == Level::Commune && u.id != unit.id);
            if taken {
                return Err(refused(
                    format!("mã «{}» là của một xã khác trong cùng thời gian", p.code),
                    format!("the code «{}» is another commune's then", p.code),
                ));
            }
        }
        let Some(day_before) = c.on.pred_opt() else { return Err(refused("ngày không hợp lệ", "invalid day")) };
        let mut tx = self.begin().await?;
        lock_unit_lists(&mut tx).await?;
        // Records move to a predecessor: never from under an accepted report of the ward or a unit above it.
        let mut chain = vec![unit.id];
        let mut at = unit.parent_id;
        while let Some(p) = at {
            chain.push(p);
            at = units.get(p).and_then(|u| u.parent_id);
        }
        let locked = sqlx::query(&format!(
            "SELECT period_label FROM report WHERE status = 'accepted' AND agency_id IS NULL AND period_from < $1 AND unit_id IN ({}) LIMIT 1",
            chain.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ))
        .bind(iso(c.on))
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = locked {
            let label: String = r.try_get(0)?;
            tx.rollback().await?;
            return Err(StoreError::locked(
                format!("báo cáo kỳ {label} đã được chấp nhận và khóa số liệu của xã trước ngày thay đổi; cần mở lại báo cáo trước"),
                format!("the {label} report was accepted and locks the commune's data before the change; reopen it first"),
            ));
        }
        for p in &c.predecessors {
            let taken: i64 =
                sqlx::query("SELECT COUNT(*) FROM unit WHERE level = 'commune' AND code = $1 AND valid_from <= $2 AND valid_to >= $2 AND id <> $3")
                    .bind(p.code.clone())
                    .bind(iso(unit.valid_from))
                    .bind(unit.id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
            if taken > 0 {
                tx.rollback().await?;
                return Err(refused(
                    format!("mã «{}» là của một xã khác trong cùng thời gian", p.code),
                    format!("the code «{}» is another commune's then", p.code),
                ));
            }
        }
        let started = sqlx::query("UPDATE unit SET valid_from = $2 WHERE id = $1 AND valid_from = $3")
            .bind(unit.id)
            .bind(iso(c.on))
            .bind(iso(unit.valid_from))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if started != 1 {
            tx.rollback().await?;
            return Err(StoreError::conflict(
                format!("xã «{}» vừa được thay đổi; hãy tải lại trang", unit.name),
                format!("«{}» was just changed; reload", unit.name),
            ));
        }
        let first: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM unit").fetch_one(&mut *tx).await?.try_get(0)?;
        let mut ids = Vec::new();
        for (i, p) in c.predecessors.iter().enumerate() {
            let id = first + i as i64;
            sqlx::query(
                "INSERT INTO unit (id, code, name, unit_type, level, parent_id, lat, lon, area_km2, valid_from, valid_to) \
                 VALUES ($1, $2, $3, $4, 'commune', $5, $6, $7, NULL, $8, $9)",
            )
            .persistent(false)
            .bind(id)
            .bind(p.code.clone())
            .bind(pcmd_domain::text::nfc(p.name.trim()))
            .bind(p.kind.trim().to_string())
            .bind(unit.parent_id)
            .bind(unit.lat)
            .bind(unit.lon)
            .bind(iso(unit.valid_from))
            .bind(iso(day_before))
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO unit_successor (old_unit_id, new_unit_id, kind) VALUES ($1, $2, 'whole')")
                .bind(id)
                .bind(unit.id)
                .execute(&mut *tx)
                .await?;
            ids.push(id);
        }
        let heir = ids.get(c.heir).copied().unwrap_or(first);
        let moved: Vec<String> = crate::records::read::move_dated_before(&mut tx, unit.id, heir, c.on)
            .await?
            .into_iter()
            .map(|(k, n)| format!("{n} {}", k.label_vi()))
            .collect();
        let names: Vec<String> = c.predecessors.iter().map(|p| format!("{} {} ({})", p.kind.trim(), p.name.trim(), p.code)).collect();
        let detail = format!(
            "{} → {} ({}) từ {}; hồ sơ trước ngày đó chuyển về {}: {}; căn cứ: {basis}",
            names.join(", "),
            unit.name,
            unit.code,
            pcmd_domain::date::format_vn(c.on),
            c.predecessors.get(c.heir).map_or("", |p| p.name.as_str()),
            if moved.is_empty() { "không có".to_string() } else { moved.join(", ") }
        );
        append(&mut tx, &AuditEntry { actor, action: "unit_change", subject: &format!("unit:{}", unit.code), detail: &detail }).await?;
        tx.commit().await?;
        Ok((ids, moved))
    }
}

/// Takes the unit lists' row (`unit_lists`, migration 0023) first, as both kinds of unit
/// change recorded here do: its triggers would otherwise take it part-way through, after
/// rows of `unit`, and two changes taking the two in opposite orders could deadlock on
/// PostgreSQL. (Loading the code lists, `import_units`, still reaches it through the
/// triggers; it runs from `pcmd demo` and a restore, not beside changes from the browser.)
async fn lock_unit_lists(tx: &mut crate::Tx<'_>) -> Result<(), StoreError> {
    sqlx::query("UPDATE unit_lists SET generation = generation + 1 WHERE id = 1").execute(&mut **tx).await?;
    Ok(())
}
