//! The records behind a figure, for `targets explain` and the drill-down pages.

use crate::units::{date_of, iso};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordRef {
    pub kind: &'static str,
    pub id: i64,
    pub date: NaiveDate,
    pub unit_id: i64,
    pub label: String,
}

/// Which records an indicator counts, and the SQL that lists them in a range of days.
fn query_for(indicator: &str) -> Option<(&'static str, &'static str)> {
    Some(match indicator {
        "awareness_commune_coverage" | "reach_at_risk_workers" | "reach_industrial_workers" | "reach_students" => (
            "activity",
            "SELECT id, held_on, unit_id, topic || ' (' || form || '; ' || CAST(reached_at_risk_workers + reached_industrial_workers + \
             reached_students + reached_community AS TEXT) || ')' FROM activity WHERE held_on >= $1 AND held_on <= $2 ORDER BY held_on, id",
        ),
        "press_monthly_provincial" | "press_quarterly" => (
            "publication",
            "SELECT id, published_on, unit_id, outlet || ': ' || title FROM publication WHERE published_on >= $1 AND published_on <= $2 ORDER BY published_on, id",
        ),
        "establishments_inspected_yearly" | "establishments_inspected_once" => (
            "inspection",
            "SELECT i.id, i.inspected_on, e.unit_id, e.name || ' (' || e.kind || ')' FROM inspection i JOIN establishment e ON e.id = i.establishment_id \
             WHERE i.inspected_on >= $1 AND i.inspected_on <= $2 ORDER BY i.inspected_on, i.id",
        ),
        "tips_handled_on_time" => (
            "tip",
            "SELECT id, due_on, unit_id, category || ', ' || status || ', hạn ' || due_on || \
             COALESCE(', kết thúc ' || closed_on, '') FROM tip WHERE due_on >= $1 AND due_on <= $2 \
             ORDER BY due_on, id",
        ),
        "districts_with_plan" | "districts_integrating" => (
            "district_plan",
            // The plans for the window's years, whenever adopted (a plan for 2025 adopted in
            // February stands behind the figure of the second half): `records_behind` binds the
            // first and last of those years, as the engine reads them (`plan_years`).
            "SELECT id, COALESCE(adopted_on, CAST(year AS TEXT) || '-01-01'), unit_id, document_ref FROM district_plan \
             WHERE CAST(year AS TEXT) || '-01-01' >= $1 AND CAST(year AS TEXT) || '-01-01' <= $2 ORDER BY year, id",
        ),
        "districts_with_pilot_model" | "districts_with_pilot_model_count" => (
            "pilot_model",
            "SELECT id, started_on, unit_id, name || ' (' || status || ')' FROM pilot_model WHERE started_on <= $2 AND (ended_on IS NULL OR ended_on >= $1) ORDER BY started_on, id",
        ),
        "crimes_and_offenders_growth" | "crimes_handled_growth" => (
            "case_summary",
            "SELECT id, CAST(year AS TEXT) || '-12-31', unit_id, 'năm ' || CAST(year AS TEXT) || ': ' || CAST(criminal_cases AS TEXT) || ' vụ, ' || \
             CAST(defendants AS TEXT) || ' bị can, ' || CAST(persons_sanctioned AS TEXT) || ' người bị xử phạt' FROM case_summary \
             WHERE CAST(year AS TEXT) || '-12-31' >= $1 AND CAST(year AS TEXT) || '-01-01' <= $2 ORDER BY year, id",
        ),
        "staff_trained_province" | "staff_trained_local" | "staff_trained_all_levels" => (
            "training",
            "SELECT id, held_on, unit_id, title || ' (' || CAST(participants_province AS TEXT) || '/' || CAST(participants_district AS TEXT) || '/' || \
             CAST(participants_commune AS TEXT) || ')' FROM training WHERE held_on >= $1 AND held_on <= $2 ORDER BY held_on, id",
        ),
        _ => return None,
    })
}

/// The kind of record an indicator counts (`activity`, `tip`…), when its records
/// may be listed (None for those about persons, shown as counts only).
pub fn record_kind_behind(indicator: &str) -> Option<&'static str> {
    query_for(indicator).map(|(kind, _)| kind)
}

impl Store {
    /// The records an indicator counts in `[from, to]`, on any unit; the caller
    /// keeps those of its territory. None for indicators whose records are about
    /// persons (they are shown as counts only).
    /// `window` is the period counted, up to `as_of`.
    pub async fn records_behind(&self, indicator: &str, window: &Period, as_of: NaiveDate) -> Result<Option<Vec<RecordRef>>, StoreError> {
        let Some((kind, sql)) = query_for(indicator) else { return Ok(None) };
        let (from, to) = if kind == "district_plan" {
            // The plans of the years the window speaks for, as the engine reads them (a Decree 09
            // year starts on 15 December of the year before: its plans are the next year's).
            let (first, last) = window.plan_years();
            let day = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(window.from);
            (day(first), day(last))
        } else {
            (window.from, window.to.min(as_of))
        };
        let rows = sqlx::query(sql).bind(iso(from)).bind(iso(to)).fetch_all(self.pool()).await?;
        // A plan adopted after the as-of day is not counted then (its date is its adoption's).
        let known = |r: &RecordRef| kind != "district_plan" || r.date <= as_of;
        rows.iter()
            .map(|r| {
                Ok(RecordRef {
                    kind,
                    id: r.try_get(0)?,
                    date: date_of(&r.try_get::<String, _>(1)?)?,
                    unit_id: r.try_get(2)?,
                    label: in_words(kind, &r.try_get::<Option<String>, _>(3)?.unwrap_or_default()),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()
            .map(|all| Some(all.into_iter().filter(known).collect()))
    }
}

/// A label as the queries build it ("Tuyên truyền (meeting; 1489)", "crime_report, handled,
/// hạn 2024-03-01") as a person reads it: the words of the codes, numbers with dots, dates dd/mm/yyyy.
fn in_words(kind: &str, label: &str) -> String {
    use pcmd_domain::records::{ActivityForm, EstablishmentKind, PilotStatus, TipCategory, TipStatus};
    let word = |piece: &str| -> Option<String> {
        let p = piece.trim();
        let code = match kind {
            "activity" => p.parse::<ActivityForm>().ok().map(|v| v.label_vi()),
            "inspection" => p.parse::<EstablishmentKind>().ok().map(|v| v.label_vi()),
            "tip" => p.parse::<TipCategory>().ok().map(|v| v.label_vi()).or_else(|| p.parse::<TipStatus>().ok().map(|v| v.label_vi())),
            "pilot_model" => p.parse::<PilotStatus>().ok().map(|v| v.label_vi()),
            _ => None,
        };
        if let Some(w) = code {
            return Some(w.to_string());
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d") {
            return Some(pcmd_domain::date::format_vn(d));
        }
        p.parse::<i64>().ok().filter(|n| n.abs() >= 1000).map(pcmd_domain::money::format_vnd)
    };
    // Split at the separators the queries put between fields, keeping them.
    let mut out = String::with_capacity(label.len());
    let mut piece = String::new();
    let flush = |piece: &mut String, out: &mut String| {
        let lead = piece.len() - piece.trim_start().len();
        match word(piece) {
            Some(w) => {
                out.push_str(&piece[..lead]);
                out.push_str(&w);
            }
            None => out.push_str(piece),
        }
        piece.clear();
    };
    for c in label.chars() {
        if matches!(c, '(' | ')' | ';' | ',') {
            flush(&mut piece, &mut out);
            out.push(c);
        } else {
            piece.push(c);
        }
    }
    flush(&mut piece, &mut out);
    // "hạn 2024-03-01" keeps its word: the date after it is read on its own.
    out.split(' ')
        .map(|w| {
            let bare = w.trim_end_matches([',', ';', ')']);
            match chrono::NaiveDate::parse_from_str(bare, "%Y-%m-%d") {
                Ok(d) => format!("{}{}", pcmd_domain::date::format_vn(d), &w[bare.len()..]),
                Err(_) => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_read_in_words() {
        assert_eq!(super::in_words("activity", "Tuyên truyền tại chợ (meeting; 1489)"), "Tuyên truyền tại chợ (họp, nói chuyện; 1.489)");
        assert_eq!(
            super::in_words("tip", "crime_report, handled, hạn 2024-03-01, kết thúc 2024-02-20"),
            "tin báo về tội phạm, đã giải quyết, hạn 01/03/2024, kết thúc 20/02/2024"
        );
        assert_eq!(super::in_words("activity", "Họp (other; 12)"), "Họp (khác; 12)");
    }
}
