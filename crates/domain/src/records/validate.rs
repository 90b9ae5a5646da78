//! Checks on a record that need no database: dates within bounds, counts not
//! negative, intervals in order. Every fault is reported with its field.

use super::*;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// No count of people, items or cases in one record exceeds this (Vietnam has about
/// 101 million people); with it, sums over millions of records stay far from overflow.
pub const MAX_COUNT: i64 = 100_000_000;

/// No amount in one record exceeds 100,000 billion đồng (1e14); a sum of 10,000 of
/// them stays below i64's limit (9.2e18).
pub const MAX_VND: i64 = 100_000_000_000_000;

/// A fault in one field, in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub vi: String,
    pub en: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.vi, self.en)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RecordErrors(pub Vec<FieldError>);

impl fmt::Display for RecordErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

/// The earliest date a record may carry.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};

/// Collects field faults.
#[derive(Default)]
pub(crate) struct Check(Vec<FieldError>);

impl Check {
    pub(crate) fn fail(&mut self, field: &'static str, vi: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError { field, vi: vi.into(), en: en.into() });
    }

    pub(crate) fn date(&mut self, field: &'static str, date: NaiveDate, today: NaiveDate) {
        if date < EARLIEST || date > today {
            self.fail(
                field,
                format!("ngày {} phải từ 01/01/2000 đến hôm nay", crate::date::format_vn(date)),
                format!("date {date} must be between 2000-01-01 and today"),
            );
        }
    }

    /// `later`, when given, does not come before `earlier` (its range is its field kind's check).
    pub(crate) fn not_before(&mut self, field: &'static str, later: Option<NaiveDate>, earlier: NaiveDate) {
        if later.is_some_and(|l| l < earlier) {
            self.fail(field, "ngày này không được trước ngày bắt đầu", "this date cannot come before the start");
        }
    }

    pub(crate) fn count(&mut self, field: &'static str, n: i64) {
        if n < 0 {
            self.fail(field, "số lượng không được âm", "a count cannot be negative");
        } else if n > MAX_COUNT {
            self.fail(field, "số lượng quá lớn (tối đa 100.000.000)", "the count is too large (at most 100,000,000)");
        }
    }

    /// An amount in đồng: not negative, and small enough that sums of them never overflow.
    pub(crate) fn money(&mut self, field: &'static str, n: i64) {
        if n < 0 {
            self.fail(field, "số tiền không được âm", "an amount cannot be negative");
        } else if n > MAX_VND {
            self.fail(field, "số tiền quá lớn (tối đa 100.000 tỷ đồng)", "the amount is too large (at most 100,000 billion đồng)");
        }
    }

    pub(crate) fn text(&mut self, field: &'static str, s: &str) {
        if s.trim().is_empty() {
            self.fail(field, "không được để trống", "must not be empty");
        }
    }

    pub(crate) fn year(&mut self, field: &'static str, year: i32, today: NaiveDate) {
        if year < EARLIEST.year() || year > today.year() {
            self.fail(field, format!("năm {year} không hợp lệ"), format!("year {year} is out of range"));
        }
    }

    pub(crate) fn done(self) -> Result<(), RecordErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(RecordErrors(self.0))
        }
    }
}

/// Checks that need only the record and today's date: each field's by its kind
/// (`describe.rs`), then the kind's own [`Rules`].
pub trait Validate {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors>;
}

/// What a kind requires beyond its fields' own checks: order between dates,
/// agreement between fields.
pub(crate) trait Rules {
    fn rules(&self, _c: &mut Check, _today: NaiveDate) {}
}

impl Rules for NewActivity {}
impl Rules for NewPublication {}
impl Rules for NewCaseSummary {}
impl Rules for NewDistrictPlan {}
impl Rules for NewTraining {}
impl Rules for NewTaskProgress {}
impl Rules for NewBudgetSpending {}

impl Rules for NewEstablishment {
    fn rules(&self, c: &mut Check, _today: NaiveDate) {
        c.not_before("closed_on", self.closed_on, self.opened_on.unwrap_or(EARLIEST));
    }
}

impl Rules for NewInspection {
    fn rules(&self, c: &mut Check, _today: NaiveDate) {
        if self.sanctions > self.violations {
            c.fail("sanctions", "số xử phạt không được lớn hơn số vi phạm", "sanctions cannot exceed violations");
        }
    }
}

impl Rules for NewTip {
    fn rules(&self, c: &mut Check, _today: NaiveDate) {
        c.not_before("closed_on", self.closed_on, self.received_on);
        c.not_before("accepted_on", self.accepted_on, self.received_on);
        c.not_before("suspended_on", self.suspended_on, self.received_on);
        if let Some(s) = self.suspended_on {
            c.not_before("resumed_on", self.resumed_on, s);
        }
        if let Some(e) = self.extended_until {
            if e < self.received_on {
                c.fail("extended_until", "hạn gia hạn không được trước ngày tiếp nhận", "the extended deadline cannot come before receipt");
            }
        }
        match (self.status.is_closed(), self.closed_on) {
            (true, None) => c.fail("closed_on", "tin đã giải quyết phải có ngày kết thúc", "a settled tip needs its closing date"),
            (false, Some(_)) => c.fail(
                "status",
                "tin có ngày kết thúc phải ở trạng thái đã giải quyết, đã chuyển hoặc không thụ lý",
                "a tip with a closing date must be handled, transferred or dismissed",
            ),
            _ => {}
        }
    }
}

impl Rules for NewPilotModel {
    fn rules(&self, c: &mut Check, _today: NaiveDate) {
        c.not_before("ended_on", self.ended_on, self.started_on);
        if self.status == PilotStatus::Ended && self.ended_on.is_none() {
            c.fail("ended_on", "mô hình đã kết thúc phải có ngày kết thúc", "an ended model needs its end date");
        }
    }
}

impl Rules for NewSupportCase {
    fn rules(&self, c: &mut Check, today: NaiveDate) {
        c.not_before("closed_on", self.closed_on, self.opened_on);
        for (date, _) in &self.services {
            c.date("services", *date, today);
            c.not_before("services", Some(*date), self.opened_on);
        }
        let other_identity = [&self.date_of_birth, &self.id_number, &self.address, &self.phone].iter().any(|f| f.is_some());
        if self.full_name.is_none() && other_identity {
            c.fail(
                "full_name",
                "ghi họ tên khi ghi ngày sinh, số định danh, địa chỉ hoặc điện thoại của người được hỗ trợ",
                "give the full name when giving the person's date of birth, identity number, address or phone",
            );
        }
        if !self.consent && !self.services.is_empty() {
            c.fail("consent", "không cung cấp dịch vụ khi chưa có sự đồng ý", "no service without consent");
        }
    }
}

impl Rules for NewReferenceFigure {
    fn rules(&self, c: &mut Check, _today: NaiveDate) {
        if (self.kind == ReferenceKind::Staff) == (self.level == FigureLevel::All) {
            c.fail("level", "số cán bộ phải ghi cấp; các số liệu khác ghi «all»", "staff figures name their level; other figures use «all»");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_tip_must_agree_with_its_status_and_dates() {
        let today = d(2025, 1, 1);
        let tip = NewTip {
            received_on: d(2024, 5, 1),
            channel: TipChannel::Phone,
            category: TipCategory::Denunciation,
            unit_code: "31507".into(),
            is_complex: false,
            is_remote: false,
            is_very_complex: false,
            accepted_on: None,
            suspended_on: None,
            resumed_on: None,
            status: TipStatus::Handled,
            extended_until: None,
            closed_on: Some(d(2024, 5, 15)),
            outcome: None,
            content: None,
        };
        assert!(tip.validate(today).is_ok());
        let open_with_date = NewTip { status: TipStatus::Verifying, ..tip.clone() };
        assert_eq!(open_with_date.validate(today).unwrap_err().0[0].field, "status");
        let closed_before = NewTip { closed_on: Some(d(2024, 4, 1)), ..tip.clone() };
        assert_eq!(closed_before.validate(today).unwrap_err().0[0].field, "closed_on");
        let future = NewTip { received_on: d(2025, 6, 1), closed_on: None, status: TipStatus::Received, ..tip };
        let e = future.validate(today).unwrap_err();
        assert!(e.to_string().contains("received_on") && e.to_string().contains("today"), "{e}");
    }

    #[test]
    fn counts_are_not_negative_and_every_fault_is_listed() {
        let a = NewActivity {
            held_on: d(2024, 2, 1),
            unit_code: "31507".into(),
            form: ActivityForm::Meeting,
            topic: " ".into(),
            organiser: None,
            reached_at_risk_workers: -1,
            reached_industrial_workers: 0,
            reached_students: -5,
            reached_community: 0,
        };
        let fields: Vec<&str> = a.validate(d(2025, 1, 1)).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["topic", "reached_at_risk_workers", "reached_students"]);
        // i64::MAX as a count (two such rows once made a province's reach negative) is refused.
        let huge = NewActivity { topic: "Tuyên truyền".into(), reached_at_risk_workers: i64::MAX, reached_students: 100_000_000, ..a };
        let e = huge.validate(d(2025, 1, 1)).unwrap_err();
        assert_eq!(e.0.iter().map(|e| e.field).collect::<Vec<_>>(), ["reached_at_risk_workers"], "{e}");
        assert!(e.to_string().contains("too large"), "{e}");
    }

    #[test]
    fn vocabularies_read_english_keys_and_vietnamese_words() {
        assert_eq!("karaoke".parse::<EstablishmentKind>(), Ok(EstablishmentKind::Karaoke));
        assert_eq!("nhà nghỉ".parse::<EstablishmentKind>(), Ok(EstablishmentKind::Guesthouse));
        assert!("casino".parse::<EstablishmentKind>().unwrap_err().contains("hotel, guesthouse"));
    }

    #[test]
    fn staff_figures_name_their_level() {
        let f = NewReferenceFigure {
            kind: ReferenceKind::Staff,
            level: FigureLevel::All,
            unit_code: "94".into(),
            year: 2024,
            value: 10,
            reference: "Sở Nội vụ".into(),
            reference_date: None,
        };
        assert_eq!(f.validate(d(2025, 1, 1)).unwrap_err().0[0].field, "level");
        assert!(NewReferenceFigure { level: FigureLevel::Province, ..f }.validate(d(2025, 1, 1)).is_ok());
    }
}
