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
struct Check(Vec<FieldError>);

impl Check {
    fn fail(&mut self, field: &'static str, vi: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError { field, vi: vi.into(), en: en.into() });
    }

    fn date(&mut self, field: &'static str, date: NaiveDate, today: NaiveDate) {
        if date < EARLIEST || date > today {
            self.fail(
                field,
                format!("ngày {} phải từ 01/01/2000 đến hôm nay", crate::date::format_vn(date)),
                format!("date {date} must be between 2000-01-01 and today"),
            );
        }
    }

    fn not_before(&mut self, field: &'static str, later: Option<NaiveDate>, earlier: NaiveDate, today: NaiveDate) {
        if let Some(l) = later {
            self.date(field, l, today);
            if l < earlier {
                self.fail(field, "ngày này không được trước ngày bắt đầu", "this date cannot come before the start");
            }
        }
    }

    fn count(&mut self, field: &'static str, n: i64) {
        if n < 0 {
            self.fail(field, "số lượng không được âm", "a count cannot be negative");
        } else if n > MAX_COUNT {
            self.fail(field, "số lượng quá lớn (tối đa 100.000.000)", "the count is too large (at most 100,000,000)");
        }
    }

    /// An amount in đồng: not negative, and small enough that sums of them never overflow.
    fn money(&mut self, field: &'static str, n: i64) {
        if n < 0 {
            self.fail(field, "số tiền không được âm", "an amount cannot be negative");
        } else if n > MAX_VND {
            self.fail(field, "số tiền quá lớn (tối đa 100.000 tỷ đồng)", "the amount is too large (at most 100,000 billion đồng)");
        }
    }

    fn text(&mut self, field: &'static str, s: &str) {
        if s.trim().is_empty() {
            self.fail(field, "không được để trống", "must not be empty");
        }
    }

    fn year(&mut self, field: &'static str, year: i32, today: NaiveDate) {
        if year < EARLIEST.year() || year > today.year() {
            self.fail(field, format!("năm {year} không hợp lệ"), format!("year {year} is out of range"));
        }
    }

    fn done(self) -> Result<(), RecordErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(RecordErrors(self.0))
        }
    }
}

/// Checks that need only the record and today's date.
pub trait Validate {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors>;
}

impl Validate for NewEstablishment {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.text("name", &self.name);
        c.count("workers", self.workers);
        if let Some(o) = self.opened_on {
            c.date("opened_on", o, today);
        }
        c.not_before("closed_on", self.closed_on, self.opened_on.unwrap_or(EARLIEST), today);
        c.done()
    }
}

impl Validate for NewActivity {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.date("held_on", self.held_on, today);
        c.text("topic", &self.topic);
        c.count("reached_at_risk_workers", self.reached_at_risk_workers);
        c.count("reached_industrial_workers", self.reached_industrial_workers);
        c.count("reached_students", self.reached_students);
        c.count("reached_community", self.reached_community);
        c.done()
    }
}

impl Validate for NewPublication {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.date("published_on", self.published_on, today);
        c.text("outlet", &self.outlet);
        c.text("title", &self.title);
        c.done()
    }
}

impl Validate for NewInspection {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.date("inspected_on", self.inspected_on, today);
        c.count("violations", self.violations);
        c.count("sanctions", self.sanctions);
        c.money("fines_vnd", self.fines_vnd);
        if self.sanctions > self.violations {
            c.fail("sanctions", "số xử phạt không được lớn hơn số vi phạm", "sanctions cannot exceed violations");
        }
        c.done()
    }
}

impl Validate for NewTip {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.date("received_on", self.received_on, today);
        c.not_before("closed_on", self.closed_on, self.received_on, today);
        c.not_before("accepted_on", self.accepted_on, self.received_on, today);
        c.not_before("suspended_on", self.suspended_on, self.received_on, today);
        if let Some(s) = self.suspended_on {
            c.not_before("resumed_on", self.resumed_on, s, today);
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
        c.done()
    }
}

impl Validate for NewCaseSummary {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.year("year", self.year, today);
        c.count("criminal_cases", self.criminal_cases);
        c.count("defendants", self.defendants);
        c.count("admin_violations", self.admin_violations);
        c.count("persons_sanctioned", self.persons_sanctioned);
        c.done()
    }
}

impl Validate for NewDistrictPlan {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.year("year", self.year, today);
        c.text("document_ref", &self.document_ref);
        if let Some(a) = self.adopted_on {
            c.date("adopted_on", a, today);
        }
        c.done()
    }
}

impl Validate for NewPilotModel {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.text("name", &self.name);
        c.date("started_on", self.started_on, today);
        c.not_before("ended_on", self.ended_on, self.started_on, today);
        if self.status == PilotStatus::Ended && self.ended_on.is_none() {
            c.fail("ended_on", "mô hình đã kết thúc phải có ngày kết thúc", "an ended model needs its end date");
        }
        c.done()
    }
}

impl Validate for NewSupportCase {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.text("code", &self.code);
        c.date("opened_on", self.opened_on, today);
        c.not_before("closed_on", self.closed_on, self.opened_on, today);
        for (date, _) in &self.services {
            c.not_before("services", Some(*date), self.opened_on, today);
        }
        if !self.consent && !self.services.is_empty() {
            c.fail("consent", "không cung cấp dịch vụ khi chưa có sự đồng ý", "no service without consent");
        }
        c.done()
    }
}

impl Validate for NewTraining {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.date("held_on", self.held_on, today);
        c.text("title", &self.title);
        c.count("participants_province", self.participants_province);
        c.count("participants_district", self.participants_district);
        c.count("participants_commune", self.participants_commune);
        c.done()
    }
}

impl Validate for NewReferenceFigure {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.year("year", self.year, today);
        c.count("value", self.value);
        c.text("reference", &self.reference);
        if (self.kind == ReferenceKind::Staff) == (self.level == FigureLevel::All) {
            c.fail("level", "số cán bộ phải ghi cấp; các số liệu khác ghi «all»", "staff figures name their level; other figures use «all»");
        }
        c.done()
    }
}

impl Validate for NewTaskProgress {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.text("plan", &self.plan);
        c.text("task_code", &self.task_code);
        c.date("reported_on", self.reported_on, today);
        c.done()
    }
}

impl Validate for NewBudgetSpending {
    fn validate(&self, today: NaiveDate) -> Result<(), RecordErrors> {
        let mut c = Check::default();
        c.text("plan", &self.plan);
        c.year("year", self.year, today);
        c.money("spent", self.spent);
        c.done()
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
