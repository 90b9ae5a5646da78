//! Versions of a plan (phiên bản kế hoạch): each save keeps the plan as saved,
//! who saved it, how, and what changed from the version before, in words.

use crate::{Store, StoreError, Tx};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;

/// Who saves a plan, and how: `file` (pcmd plans load, demo), `draft` (a
/// draft confirmed in the browser), `form` (a correction in the browser).
#[derive(Debug, Clone, Copy)]
pub struct Saver<'a> {
    pub who: &'a str,
    pub how: &'a str,
}

impl Saver<'static> {
    /// Files loaded from the command line.
    pub const FILE: Saver<'static> = Saver { who: "pcmd", how: "file" };
}

/// One version as listed on the plan's page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanVersionView {
    pub version: i64,
    pub saved_at: String,
    pub saved_by: String,
    pub how: String,
    pub changes: Vec<String>,
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What changed from `old` to `new` (plans as JSON), one sentence a change.
pub fn changes(old: Option<&Value>, new: &Value) -> Vec<String> {
    let Some(old) = old else { return vec!["phiên bản đầu (first version)".into()] };
    let mut out = Vec::new();
    let fields = [
        ("number", "số, ký hiệu"),
        ("title", "tên văn bản"),
        ("issuer", "cơ quan ban hành"),
        ("issued_on", "ngày ban hành"),
        ("unit_code", "địa bàn"),
        ("period_from", "từ ngày"),
        ("period_to", "đến ngày"),
        ("implements", "thực hiện văn bản"),
        ("budget_total", "tổng kinh phí"),
    ];
    for (k, label) in fields {
        let (a, b) = (old.get(k).unwrap_or(&Value::Null), new.get(k).unwrap_or(&Value::Null));
        if a != b {
            out.push(format!("{label}: {} → {}", text(a), text(b)));
        }
    }
    let by_code = |v: &Value, list: &str| -> Vec<(String, Value)> {
        v.get(list)
            .and_then(Value::as_array)
            .map_or_else(Vec::new, |a| a.iter().map(|t| (text(t.get("code").unwrap_or(&Value::Null)), t.clone())).collect())
    };
    for (list, noun) in [("targets", "chỉ tiêu"), ("tasks", "nhiệm vụ")] {
        let (olds, news) = (by_code(old, list), by_code(new, list));
        for (code, t) in &news {
            match olds.iter().find(|(c, _)| c == code) {
                None => out.push(format!("thêm {noun} {code}")),
                Some((_, o)) => {
                    let keys: Vec<&String> = t.as_object().map(|m| m.keys().collect()).unwrap_or_default();
                    for k in keys {
                        let (a, b) = (o.get(k).unwrap_or(&Value::Null), t.get(k).unwrap_or(&Value::Null));
                        if a != b {
                            out.push(format!("{noun} {code}, {k}: {} → {}", text(a), text(b)));
                        }
                    }
                }
            }
        }
        for (code, _) in olds.iter().filter(|(c, _)| !news.iter().any(|(n, _)| n == c)) {
            out.push(format!("bỏ {noun} {code}"));
        }
    }
    if old.get("budget_lines") != new.get("budget_lines") {
        out.push("kinh phí theo năm đã thay đổi".into());
    }
    if old.get("original_text") != new.get("original_text") {
        out.push("văn bản gốc đã thay đổi".into());
    }
    if out.is_empty() {
        out.push("không thay đổi nội dung".into());
    }
    out
}

/// Keeps the plan as just saved as its version `version`, with its changes.
pub async fn record(tx: &mut Tx<'_>, plan_id: i64, content: &Value, saver: Saver<'_>) -> Result<Vec<String>, StoreError> {
    let prev = sqlx::query("SELECT content FROM plan_version WHERE plan_id = $1 ORDER BY version DESC LIMIT 1")
        .bind(plan_id)
        .fetch_optional(&mut **tx)
        .await?;
    let prev: Option<Value> = match prev {
        Some(r) => serde_json::from_str(&r.try_get::<String, _>(0)?).ok(),
        None => None,
    };
    let version: i64 = sqlx::query("SELECT version FROM plan WHERE id = $1").bind(plan_id).fetch_one(&mut **tx).await?.try_get(0)?;
    let mut said = changes(prev.as_ref(), content);
    if prev.is_none() && version > 1 {
        said = vec![format!("phiên bản {version}; các phiên bản trước được lưu khi chưa giữ nội dung (earlier versions predate version keeping)")];
    }
    sqlx::query("INSERT INTO plan_version (plan_id, version, saved_at, saved_by, how, changes, content) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(plan_id)
        .bind(version)
        .bind(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .bind(saver.who.to_string())
        .bind(saver.how.to_string())
        .bind(said.join("\n"))
        .bind(content.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(said)
}

impl Store {
    /// A plan's versions, newest first.
    pub async fn plan_versions(&self, key: &str) -> Result<Vec<PlanVersionView>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.version, v.saved_at, v.saved_by, v.how, v.changes FROM plan_version v JOIN plan p ON p.id = v.plan_id \
             WHERE p.key = $1 ORDER BY v.version DESC",
        )
        .bind(key.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PlanVersionView {
                    version: r.try_get(0)?,
                    saved_at: r.try_get(1)?,
                    saved_by: r.try_get(2)?,
                    how: r.try_get(3)?,
                    changes: r.try_get::<String, _>(4)?.lines().map(str::to_string).collect(),
                })
            })
            .collect()
    }
}
