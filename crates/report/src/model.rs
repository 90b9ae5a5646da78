//! What a unit report holds: the heading of an administrative document, every
//! target's figure computed by the engine, the lists of the period's work, how
//! tips were handled, the budget, and the narrative the officer wrote.

use crate::gather::{list_all, CaseTotals, Direction, Situation};
use crate::words::{self, Signer};
use crate::ReportError;
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::money::{format_decimal_vn, format_vnd, vnd_in_words};
use pcmd_domain::period::Period;
use pcmd_domain::plan::indicator::value_text;
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::{tip_stats, TipStats, TipStatus};
use pcmd_domain::report::DocumentSetting;
use pcmd_domain::report::{Narrative, ReportStatus};
use pcmd_domain::units::{Unit, UnitIndex};
use pcmd_engine::{Engine, Status, Territory};
use pcmd_store::records::support::SupportSummary;
use pcmd_store::Store;

/// One target's line in the report's table.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetLine {
    /// The plan's code of the target (`a3.workers`; with the year judged when
    /// the period holds several: `a1 (2024)`): for machines, never printed in the DOCX.
    pub code: String,
    /// The clause of the plan it comes from, as a reader knows it: "a3".
    pub clause: String,
    /// The clause and a short label: "a3 – người lao động tại cơ sở kinh doanh dịch vụ"
    /// (with the year judged when the period holds several).
    pub label: String,
    /// The part of the period the target is judged in, when the period holds
    /// several ("năm 2024"); none when it is the report's period.
    pub judged: Option<String>,
    pub text: String,
    /// The indicator's code (`tips_handled_on_time`).
    pub indicator: String,
    /// "percentage", "count" or "growth".
    pub kind: String,
    /// The value as a number (a percentage as 0–100), for spreadsheets.
    pub value: Option<f64>,
    /// As people read it: "71,7%".
    pub value_text: String,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The lower bound of the threshold, and its comparator ("at_least", "at_most", "between").
    pub threshold_low: f64,
    pub comparator: String,
    pub threshold: String,
    pub state: Status,
    pub status: String,
    /// Numerator / denominator as people read them: "1.873 / 4.336".
    pub figures: String,
    /// The figures are withheld in this copy (small counts).
    pub suppressed: bool,
}

/// A list of the period's records: a title, column headers and rows of text;
/// columns listed in `numeric` hold numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// What the table lists, for machines (a CSV file's name): "activities".
    pub key: &'static str,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<usize>,
    /// Columns holding dates (dd/mm/yyyy).
    pub dates: Vec<usize>,
    /// What a row is counted as: "lượt" (an activity, an inspection), "lớp" (a training course).
    pub count_word: String,
    /// In a supervisor's copy (`UnitReport::for_supervisor`): what stands for the rows,
    /// which are not shown ("12 lượt (…)", or "dưới 5 (ẩn)" in a commune's copy).
    pub withheld: Option<String>,
}

impl Table {
    /// How many it lists, as a page says it: "1.015", or what stands for a withheld list.
    pub fn count_text(&self) -> String {
        self.withheld.clone().unwrap_or_else(|| format_vnd(i64::try_from(self.rows.len()).unwrap_or(i64::MAX)))
    }
}

/// The period's work in figures, for the draft of the narrative.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub activities: i64,
    /// People reached by the activities (contacts, "lượt người").
    pub reached: i64,
    pub inspections: i64,
    pub violations: i64,
    pub sanctions: i64,
    pub fines_vnd: i64,
    pub trainings: i64,
    pub trainees: i64,
}

/// A line of the tips' statistics: what it counts, the number, and as people read it.
#[derive(Debug, Clone, PartialEq)]
pub struct TipLine {
    pub label: String,
    /// None when withheld or when there is nothing to count.
    pub value: Option<f64>,
    /// A whole number (a count of tips, of days) rather than a median.
    pub whole: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    pub year: i64,
    pub item: String,
    pub allocated: i64,
    pub spent: Option<i64>,
}

/// A report of a unit inside the reporting one, for the same plan and period.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub unit_name: String,
    pub status: ReportStatus,
    pub narrative: Narrative,
}

#[derive(Debug, Clone)]
pub struct UnitReport {
    /// "ỦY BAN NHÂN DÂN" and the unit, in capitals: the issuing body.
    pub issuer: [String; 2],
    /// Where it is issued, the issuing unit's own place: "Sóc Trăng", "Phường 2".
    pub place: String,
    /// The symbol after the number: "/BC-UBND" (the number itself is written by hand when the report is registered).
    pub number_symbol: String,
    /// The day it is dated: the day asked, never back to a ceased unit's last day.
    pub issued_on: NaiveDate,
    /// The unit whose People's Committee issues it: the report's unit, or the
    /// one that took its territory when the 2025 reform ended it (`words::issuing_unit`).
    pub issued_by: Unit,
    pub title: String,
    pub plan_number: String,
    pub plan_title: String,
    /// "Nghị quyết", "Kế hoạch"…
    pub plan_kind: String,
    pub plan_issued_on: Option<NaiveDate>,
    /// "Hội đồng nhân dân tỉnh Sóc Trăng".
    pub plan_issuer: String,
    /// The plan's last day: a report of a period ending within a month of it is the plan's last.
    pub plan_to: NaiveDate,
    /// Kính gửi, the other recipients, and who keeps the file.
    pub addressing: words::Addressing,
    /// Who signs; the chair on behalf of the People's Committee unless set.
    pub signer: Signer,
    /// The lists' figures summed.
    pub totals: Totals,
    pub unit: Unit,
    pub period: Period,
    pub as_of: NaiveDate,
    /// How an old unit's territory is counted after the 2025 reform (`Territory::note_vi`).
    pub territory_note: Option<String>,
    pub status: Option<ReportStatus>,
    pub targets: Vec<TargetLine>,
    pub lists: Vec<Table>,
    pub tips: TipStats,
    pub budget: Vec<BudgetLine>,
    /// The establishments on the territory (tình hình).
    pub situation: Situation,
    /// The direction given: district plans, the plan's tasks.
    pub direction: Direction,
    /// The yearly case summaries (đấu tranh).
    pub cases: CaseTotals,
    /// Support cases and services, counted.
    pub support: SupportSummary,
    pub narrative: Narrative,
    /// Counts from 1 to 4 are withheld in this copy (see `Request::reader`).
    pub small_counts_hidden: bool,
    /// The reports of the units inside (a province's districts and communes); the
    /// accepted ones are compiled into this report.
    pub unit_reports: Vec<Compiled>,
}

impl UnitReport {
    /// The accepted reports of the units inside.
    pub fn accepted(&self) -> impl Iterator<Item = &Compiled> {
        self.unit_reports.iter().filter(|r| r.status == ReportStatus::Accepted)
    }

    pub fn budget_total(&self) -> i64 {
        self.budget.iter().map(|b| b.allocated).sum()
    }

    pub fn budget_total_words(&self) -> String {
        vnd_in_words(self.budget_total())
    }

    /// The period as a heading says it: "từ 15/12/2023 đến 14/12/2024".
    pub fn period_text(&self) -> String {
        format!("từ ngày {} đến ngày {}", format_vn(self.period.from), format_vn(self.period.to))
    }

    /// The place and date line (Decree 30/2020): "Phường 2, ngày 05 tháng 6 năm 2024".
    pub fn place_and_date(&self) -> String {
        format!("{}, {}", self.place, words::date_words(self.issued_on))
    }

    /// The period as a heading says it: "năm 2024", "6 tháng đầu năm 2024" (not "2024-Y").
    pub fn period_heading(&self) -> String {
        words::period_short(&self.period)
    }

    /// The period as the text says it: "năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)".
    pub fn period_words(&self) -> String {
        words::period_words(&self.period)
    }

    /// The period in words with its days, once: "6 tháng đầu năm 2024 (từ ngày 15/12/2023 đến ngày 14/06/2024)".
    pub fn period_in_full(&self) -> String {
        let words = self.period_words();
        if words.contains("từ ngày") {
            words
        } else {
            format!("{words} ({})", self.period_text())
        }
    }

    /// The plan as the report cites it: "Nghị quyết số 117/NQ-HĐND ngày 07/12/2023 của …".
    pub fn plan_reference(&self) -> String {
        words::plan_reference(&self.plan_kind, &self.plan_number, self.plan_issued_on, &self.plan_issuer, &self.plan_title)
    }

    /// The People's Committee making the report, as running text names it:
    /// "Ủy ban nhân dân tỉnh Sóc Trăng"; "Ủy ban nhân dân thành phố Cần Thơ" for
    /// old Sóc Trăng's report made after 30/06/2025.
    pub fn issuing_body(&self) -> String {
        words::people_committee_of(&self.issued_by)
    }

    /// Whether the report is the plan's last: its period ends within a month of the plan's end
    /// (a Decree 09 year ends on 14 December, the plan on 31 December).
    pub fn closes_the_plan(&self) -> bool {
        self.period.to.checked_add_days(chrono::Days::new(31)).is_some_and(|d| d >= self.plan_to)
    }

    /// Whether the report is made by the body that took a ceased unit's territory.
    pub fn made_by_successor(&self) -> bool {
        words::taken_over(&self.unit, &self.issued_by)
    }

    /// The People's Committee of the report's own unit, which gave the period's direction.
    pub fn unit_body(&self) -> String {
        words::people_committee_of(&self.unit)
    }

    /// ", trên địa bàn tỉnh Sóc Trăng (cũ)" when a successor makes the report; nothing otherwise.
    pub fn old_territory(&self) -> String {
        if self.made_by_successor() {
            format!(" trên địa bàn {} (cũ)", words::unit_in_text(&self.unit))
        } else {
            String::new()
        }
    }

    /// How the period's figures are cut (Decree 09/2019/NĐ-CP, or the calendar).
    pub fn cut_text(&self) -> &'static str {
        if self.period.is_reporting() {
            "Theo Nghị định 09/2019/NĐ-CP: từ ngày 15 của tháng trước kỳ đến ngày 14 của tháng cuối kỳ"
        } else {
            "Theo lịch: từ ngày đầu đến ngày cuối của kỳ (không theo mốc chốt của Nghị định 09/2019/NĐ-CP)"
        }
    }

    /// A supervisor's copy (a People's Council delegate, an inspector of the programme):
    /// - no record lists: a list shows a commune's records one by one, and its columns add
    ///   up to counts of a commune; each says how many records it holds instead (in a
    ///   commune's copy "dưới 5 (ẩn)" for 1 to 4);
    /// - no narratives of the units inside, whose officers' words count a commune's work;
    /// - in a commune's copy, each section written from the withheld figures rather than
    ///   the officer's text, which starts from a draft with the exact counts.
    pub fn for_supervisor(&mut self) {
        let texts: Vec<String> = self
            .lists
            .iter()
            .map(|t| match self.shown_count(t.rows.len() as i64) {
                Some(n) => format!("{} {} (bản dành cho đại biểu giám sát không liệt kê chi tiết)", format_vnd(n), t.count_word),
                None => SUPPRESSED.to_string(),
            })
            .collect();
        // The agency's tasks are the plan's, not records of a commune: kept.
        for (t, text) in self.lists.iter_mut().zip(texts).filter(|(t, _)| t.key != "agency_tasks") {
            t.withheld = Some(text);
        }
        for u in &mut self.unit_reports {
            u.narrative = Narrative::default();
        }
        if self.small_counts_hidden {
            self.narrative = Narrative::default();
        }
    }

    /// The tips still open, and whether the open and the settled counts are shown: received =
    /// open + settled, so with one of them withheld (1 to 4) the other goes too (`policy::withheld_items`).
    pub fn tips_open_closed(&self) -> (i64, bool, bool) {
        let t = &self.tips;
        let open: i64 = t.by_status.iter().filter(|(s, _)| !s.is_closed()).map(|(_, n)| n).sum();
        if !self.small_counts_hidden {
            return (open, true, true);
        }
        match pcmd_domain::policy::withheld_items(&[open as f64, t.closed as f64]).as_slice() {
            [open_hidden, closed_hidden] => (open, !open_hidden, !closed_hidden),
            _ => (open, false, false),
        }
    }

    /// A count as this copy may show it: in a copy that hides small counts, a
    /// count from 1 to 4 is withheld.
    pub fn shown_count(&self, n: i64) -> Option<i64> {
        if self.small_counts_hidden && pcmd_domain::policy::is_small_count(n as f64) {
            None
        } else {
            Some(n)
        }
    }

    /// The tips' statistics, each line saying what it counts. Every count is
    /// of the tips received in the period (by their day of receipt); the
    /// handling target (c1) counts instead the tips whose deadline fell in the
    /// period, and the report says so beside it.
    pub fn tip_rows(&self) -> Vec<TipLine> {
        let t = &self.tips;
        let count = |label: String, n: i64| match self.shown_count(n) {
            Some(n) => TipLine { label, value: Some(n as f64), whole: true, text: format_vnd(n) },
            None => TipLine { label, value: None, whole: true, text: SUPPRESSED.to_string() },
        };
        // One settled count (handled, transferred or dismissed), its parts under it; the open ones apart.
        let part = |s: TipStatus| match s {
            TipStatus::Received => "— mới tiếp nhận",
            TipStatus::Verifying => "— đang xác minh",
            TipStatus::Classified => "— đã phân loại, đang xử lý",
            TipStatus::Suspended => "— tạm đình chỉ giải quyết",
            TipStatus::Handled => "— giải quyết theo thẩm quyền",
            TipStatus::Transferred => "— chuyển cơ quan có thẩm quyền",
            TipStatus::Dismissed => "— không thụ lý",
        };
        // The statuses under a count: where small counts are hidden, a second one goes
        // with a single small one (`policy::withheld_items`), or the count minus the others gives it.
        let parts = |closed: bool| -> Vec<TipLine> {
            let items: Vec<(TipStatus, i64)> = t.by_status.iter().filter(|(s, _)| s.is_closed() == closed).copied().collect();
            let hide = if self.small_counts_hidden {
                pcmd_domain::policy::withheld_items(&items.iter().map(|(_, n)| *n as f64).collect::<Vec<_>>())
            } else {
                vec![false; items.len()]
            };
            items
                .iter()
                .zip(hide)
                .map(|((s, n), h)| {
                    if h {
                        TipLine { label: part(*s).into(), value: None, whole: true, text: SUPPRESSED.to_string() }
                    } else {
                        count(part(*s).into(), *n)
                    }
                })
                .collect()
        };
        let hidden = |label: &str, whole: bool| TipLine { label: label.into(), value: None, whole, text: SUPPRESSED.to_string() };
        let (open, open_shown, closed_shown) = self.tips_open_closed();
        let mut out = vec![count("Số tin tiếp nhận trong kỳ".to_string(), t.total)];
        if open > 0 {
            out.push(if open_shown { count("Số tin đang xử lý".into(), open) } else { hidden("Số tin đang xử lý", true) });
            out.extend(parts(false));
        }
        out.push(if closed_shown { count("Số tin đã xử lý xong".into(), t.closed) } else { hidden("Số tin đã xử lý xong", true) });
        out.extend(parts(true));
        out.push(count("— trong đó xử lý xong sau thời hạn".into(), t.closed_late));
        out.push(count("Số tin quá hạn chưa xử lý xong".into(), t.overdue));
        // Days computed from 1 to 4 settled tips tell of each of them: withheld with their count.
        let timing_hidden = !closed_shown;
        if timing_hidden {
            out.push(hidden("Thời gian xử lý xong, trung vị (ngày)", false));
            out.push(hidden("90% số tin được xử lý xong trong (ngày)", true));
            return out;
        }
        out.push(match t.median_days {
            Some(d) => {
                TipLine { label: "Thời gian xử lý xong, trung vị (ngày)".into(), value: Some(d), whole: false, text: format_decimal_vn(d) }
            }
            None => TipLine { label: "Thời gian xử lý xong, trung vị (ngày)".into(), value: None, whole: false, text: "—".into() },
        });
        out.push(match t.p90_days {
            Some(d) => {
                TipLine { label: "90% số tin được xử lý xong trong (ngày)".into(), value: Some(d as f64), whole: true, text: format_vnd(d) }
            }
            None => TipLine { label: "90% số tin được xử lý xong trong (ngày)".into(), value: None, whole: true, text: "—".into() },
        });
        out
    }

    /// The tips' statistics as lines of a table: label and value; in a copy
    /// that hides small counts, a count from 1 to 4 reads "dưới 5 (ẩn)".
    pub fn tip_lines(&self) -> Vec<(String, String)> {
        self.tip_rows().into_iter().map(|l| (l.label, l.text)).collect()
    }
}

fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// The report's title (trích yếu): "Kết quả thực hiện công tác phòng, chống mại
/// dâm năm 2024 trên địa bàn tỉnh Sóc Trăng" — the period in words and the
/// unit by its own name (a thành phố is not a huyện, a phường not a xã). The
/// reporting year's days are said in the opening paragraph, not in the title.
pub fn title(unit: &Unit, period: &Period, old: bool) -> String {
    let when = words::period_short(period);
    let old = if old { " (cũ)" } else { "" };
    format!("Kết quả thực hiện công tác phòng, chống mại dâm {when} trên địa bàn {}{old}", words::unit_in_text(unit))
}

/// The plan's issuer as the copies name it when a successor makes the report:
/// the People's Council of old Sóc Trăng is gone, Cần Thơ's supervises now.
fn successor_issuer(plan_issuer: &str, unit: &Unit, by: &Unit) -> String {
    if words::taken_over(unit, by) && plan_issuer.starts_with("Hội đồng nhân dân") {
        format!("Hội đồng nhân dân {}", words::unit_in_text(by))
    } else {
        plan_issuer.to_string()
    }
}

/// What `build` needs to know.
pub struct Request<'a> {
    pub plan: &'a str,
    pub unit: &'a Unit,
    pub period: &'a Period,
    pub as_of: NaiveDate,
    pub issued_on: NaiveDate,
    pub narrative: Narrative,
    pub status: Option<ReportStatus>,
    /// Who reads it, when that limits what it may show (a supervisor's copy of a
    /// commune's report holds no count below 5); None for the unit's own copy.
    pub reader: Option<pcmd_domain::roles::Role>,
}

fn day(raw: Option<&str>) -> String {
    raw.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map(format_vn).unwrap_or_default()
}

fn unit_name(units: &UnitIndex, raw: Option<&str>) -> String {
    raw.and_then(|r| r.parse::<i64>().ok()).and_then(|id| units.get(id)).map(|u| u.name.clone()).unwrap_or_default()
}

fn int(raw: Option<&str>) -> i64 {
    raw.and_then(|r| r.parse().ok()).unwrap_or(0)
}

fn label<T: std::str::FromStr + Copy>(raw: Option<&str>, f: impl Fn(T) -> &'static str) -> String {
    raw.and_then(|r| r.parse::<T>().ok()).map(f).unwrap_or_default().to_string()
}

/// What a withheld small count reads in a report.
pub const SUPPRESSED: &str = "dưới 5 (ẩn)";

/// Gathers a unit report from the store and the engine.
pub async fn build(store: &Store, units: &UnitIndex, req: Request<'_>) -> Result<UnitReport, ReportError> {
    use pcmd_domain::records::{ActivityForm, TeamLevel};
    let plan = store.plan(req.plan).await?;
    let unit = req.unit;
    let period = req.period;
    let (members, districts, territory_note, press_units): (Vec<i64>, Vec<i64>, Option<String>, Vec<i64>) =
        match Territory::build_as_of(units, unit, period, req.as_of) {
            Ok(t) => {
                // The press targets are a province's: its report lists what they count, the press of
                // the provinces holding its communes (old Sóc Trăng's 2025 counts Cần Thơ's after July).
                let provinces = if unit.level == pcmd_domain::units::Level::Province { t.provinces.as_slice() } else { &[] };
                let mut press: Vec<i64> = t.sorted.iter().chain(provinces).copied().collect();
                press.sort_unstable();
                press.dedup();
                (t.members.into_iter().collect(), t.districts, t.note_vi, press)
            }
            Err(_) => (units.subtree(unit.id), Vec::new(), None, units.subtree(unit.id)),
        };
    let mut engine = Engine::within(store, units, &[unit]);
    let mut targets = Vec::new();
    // The unit's own targets: those set for its level (a commune's report holds no provincial-press target).
    let small_counts_hidden = req.reader.is_some_and(|r| pcmd_domain::policy::hides_small_counts(r, unit.level));
    for e in engine.evaluate_plan(&plan.typed_targets(), unit, period, req.as_of).await? {
        if e.status == Status::NotApplicable {
            continue;
        }
        let e = match req.reader {
            Some(r) => e.for_reader(r, unit.level),
            None => e,
        };
        let Some(t) = plan.targets.iter().find(|t| t.code == e.target) else { continue };
        let (clause, label) = words::target_label(&t.code, &t.indicator, &t.text);
        let figures = match (e.numerator, e.denominator) {
            _ if e.suppressed => SUPPRESSED.to_string(),
            // A target no indicator computes says so where the counts would be.
            _ if t.is_reported() => match &e.reported {
                Some(r) => format!(
                    "số liệu do {} báo cáo, không do hệ thống tính; căn cứ: {}",
                    r.agency.clone().unwrap_or_else(|| r.entered_by.clone()),
                    r.evidence
                ),
                None => "chưa có số liệu báo cáo (chỉ tiêu do cơ quan báo cáo, không do hệ thống tính)".to_string(),
            },
            (Some(n), Some(d)) => format!("{} / {}", format_decimal_vn(n), format_decimal_vn(d)),
            (Some(n), None) => format_decimal_vn(n),
            _ => String::new(),
        };
        let split = e.period.label != period.label;
        targets.push(TargetLine {
            code: if split { format!("{} ({})", t.code, e.period.label) } else { t.code.clone() },
            clause,
            label: if split { format!("{label} ({})", words::period_words(&e.period)) } else { label },
            judged: split.then(|| words::period_words(&e.period)),
            text: t.text.clone(),
            indicator: t.indicator.clone(),
            kind: t.indicator_kind.clone(),
            value: e.value,
            value_text: value_text(&t.indicator_kind, e.value),
            numerator: if e.suppressed { None } else { e.numerator },
            denominator: if e.suppressed { None } else { e.denominator },
            threshold_low: t.threshold_low,
            comparator: t.comparator.clone(),
            threshold: t.threshold_text(),
            state: e.status,
            status: e.status_vi(),
            figures,
            suppressed: e.suppressed,
        });
    }
    let fmt_n = |n: i64| format_vnd(n);
    let mut totals = Totals::default();
    // The lists and counts of the period's work hold what was done by the as-of day, as the
    // figures do: a report of 2025-Y as on 14/06/2025 lists no inspection of November.
    let known = period.known_on(req.as_of);
    let activities = list_all(store, RecordKind::Activity, &members, Some(&known)).await?;
    let activity_rows = activities
        .iter()
        .map(|a| {
            let reached: i64 = ["reached_at_risk_workers", "reached_industrial_workers", "reached_students", "reached_community"]
                .iter()
                .map(|k| int(a.get(k)))
                .sum();
            totals.activities += 1;
            totals.reached += reached;
            vec![
                day(a.get("held_on")),
                unit_name(units, a.get("unit_id")),
                label::<ActivityForm>(a.get("form"), ActivityForm::label_vi),
                a.get("topic").unwrap_or("").to_string(),
                fmt_n(reached),
            ]
        })
        .collect();
    let inspections = list_all(store, RecordKind::Inspection, &members, Some(&known)).await?;
    let inspection_rows = inspections
        .iter()
        .map(|i| {
            totals.inspections += 1;
            totals.violations += int(i.get("violations"));
            totals.sanctions += int(i.get("sanctions"));
            totals.fines_vnd += int(i.get("fines_vnd"));
            vec![
                day(i.get("inspected_on")),
                i.get("establishment").unwrap_or("").to_string(),
                label::<TeamLevel>(i.get("team_level"), TeamLevel::label_vi),
                fmt_n(int(i.get("violations"))),
                fmt_n(int(i.get("sanctions"))),
                fmt_n(int(i.get("fines_vnd"))),
            ]
        })
        .collect();
    let trainings = list_all(store, RecordKind::Training, &members, Some(&known)).await?;
    let training_rows = trainings
        .iter()
        .map(|t| {
            let n = int(t.get("participants_province")) + int(t.get("participants_district")) + int(t.get("participants_commune"));
            totals.trainings += 1;
            totals.trainees += n;
            vec![day(t.get("held_on")), t.get("title").unwrap_or("").to_string(), label::<TeamLevel>(t.get("level"), TeamLevel::label_vi), fmt_n(n)]
        })
        .collect();
    let tips = tip_stats(&store.tip_handling(&members, Some(known.from), Some(known.to)).await?, req.as_of);
    let years: Vec<i64> = period.years().into_iter().map(i64::from).collect();
    // The budget is the plan's unit's: a district's or commune's report holds no share of it.
    let plan_unit = store.plan_unit(&plan.summary.key).await?;
    let parts = crate::gather::gather(store, units, &members, &districts, &press_units, period, req.as_of, &plan, plan_unit == Some(unit.id)).await?;
    let budget = if plan_unit != Some(unit.id) {
        Vec::new()
    } else {
        plan.budget_lines
            .iter()
            .filter(|b| years.contains(&b.year))
            .map(|b| BudgetLine { year: b.year, item: b.item.clone(), allocated: b.allocated, spent: b.spent })
            .collect()
    };
    let mut unit_reports: Vec<Compiled> = store
        .reports(Some(&plan.summary.key))
        .await?
        .into_iter()
        .filter(|r| r.period.from == period.from && r.period.to == period.to && r.unit_id != unit.id && members.contains(&r.unit_id))
        .map(|r| Compiled {
            unit_name: units.get(r.unit_id).map_or_else(|| r.unit_id.to_string(), |u| u.name.clone()),
            status: r.status,
            narrative: r.narrative,
        })
        .collect();
    unit_reports.sort_by_cached_key(|r| pcmd_domain::text::collation_key(&r.unit_name));
    let issued_on = req.issued_on;
    let by = words::issuing_unit(units, unit, issued_on);
    // The issuing body's own settings: its signer, its place, its recipients.
    let settings = store.document_settings(by.id).await?;
    let mut report = UnitReport {
        issuer: ["ỦY BAN NHÂN DÂN".into(), upper(&by.name)],
        place: words::place_name(by),
        number_symbol: "/BC-UBND".into(),
        issued_on,
        issued_by: by.clone(),
        title: title(unit, period, words::taken_over(unit, by)),
        plan_number: plan.summary.number.clone(),
        plan_title: plan.summary.title.clone(),
        plan_kind: plan.summary.kind_label().to_string(),
        plan_issued_on: plan.summary.issued_on,
        plan_issuer: plan.summary.issuer.clone(),
        plan_to: plan.summary.period_to,
        addressing: words::addressing(units, by, issued_on, &successor_issuer(&plan.summary.issuer, unit, by)),
        signer: Signer::default(),
        totals,
        unit: unit.clone(),
        period: period.clone(),
        as_of: req.as_of,
        territory_note,
        status: req.status,
        targets,
        lists: vec![
            Table {
                key: "activities",
                title: "Hoạt động tuyên truyền".into(),
                headers: ["Ngày", "Đơn vị", "Hình thức", "Chủ đề", "Số người được tuyên truyền"].map(String::from).to_vec(),
                rows: activity_rows,
                numeric: vec![4],
                dates: vec![0],
                count_word: "lượt".into(),
                withheld: None,
            },
            Table {
                key: "inspections",
                title: "Kiểm tra cơ sở kinh doanh dịch vụ".into(),
                headers: ["Ngày", "Cơ sở", "Cấp đoàn", "Vi phạm", "Xử phạt", "Tiền phạt (đồng)"].map(String::from).to_vec(),
                rows: inspection_rows,
                numeric: vec![3, 4, 5],
                dates: vec![0],
                count_word: "lượt".into(),
                withheld: None,
            },
            Table {
                key: "trainings",
                title: "Tập huấn".into(),
                headers: ["Ngày", "Lớp", "Cấp", "Số học viên"].map(String::from).to_vec(),
                rows: training_rows,
                numeric: vec![3],
                dates: vec![0],
                count_word: "lớp".into(),
                withheld: None,
            },
        ],
        tips,
        budget,
        situation: parts.situation,
        direction: parts.direction,
        cases: parts.cases,
        support: parts.support,
        narrative: req.narrative,
        small_counts_hidden,
        unit_reports,
    };
    // The press after the activities; the models and the district plans at the end.
    let mut tables = parts.tables.into_iter();
    for t in tables.by_ref() {
        let at = if t.key == "publications" { 1 } else { report.lists.len() };
        report.lists.insert(at, t);
    }
    if req.reader == Some(pcmd_domain::roles::Role::Supervisor) {
        report.for_supervisor();
    }
    report.apply(&settings);
    Ok(report)
}

impl UnitReport {
    /// The unit's document settings over the defaults (`pcmd settings set`).
    pub fn apply(&mut self, settings: &std::collections::HashMap<DocumentSetting, String>) {
        for (key, value) in settings {
            let v = value.clone();
            match key {
                DocumentSetting::IssuerLine1 => self.issuer[0] = v,
                DocumentSetting::IssuerLine2 => self.issuer[1] = v,
                DocumentSetting::Place => self.place = v,
                // "BC-UBND" typed without its slash is printed "Số: …/BC-UBND" all the same.
                DocumentSetting::NumberSymbol => self.number_symbol = if v.starts_with('/') { v } else { format!("/{v}") },
                DocumentSetting::Recipient => self.addressing.recipient = Some(v),
                DocumentSetting::CopiesTo => {
                    self.addressing.copies_to = value.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
                }
                DocumentSetting::FiledWith => self.addressing.filed_with = v,
                DocumentSetting::SignerCapacity => self.signer.capacity = Some(v),
                DocumentSetting::SignerTitle => self.signer.title = v,
                DocumentSetting::SignerName => self.signer.name = Some(v),
            }
        }
    }
}

/// A report made by hand, for the writers' tests: Tỉnh Sóc Trăng's 2024
/// reporting year, a few rows in each list, tips and three targets.
#[cfg(test)]
pub(crate) mod sample {
    use super::*;
    use pcmd_domain::units::Level;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn unit(id: i64, name: &str, level: Level, parent: Option<i64>) -> Unit {
        Unit {
            id,
            code: id.to_string(),
            name: name.into(),
            unit_type: String::new(),
            level,
            parent_id: parent,
            parent_code: parent.map(|p| p.to_string()),
            lat: None,
            lon: None,
            area_km2: None,
            valid_from: d(2008, 1, 1),
            valid_to: d(2025, 6, 30),
        }
    }

    pub fn units() -> UnitIndex {
        UnitIndex::new(
            vec![
                unit(94, "Tỉnh Sóc Trăng", Level::Province, None),
                unit(941, "Thành phố Sóc Trăng", Level::District, Some(94)),
                unit(31510, "Phường 2", Level::Commune, Some(941)),
                // From 01/07/2025: Phường 2 went into Phường Phú Lợi of Thành phố Cần Thơ.
                Unit { valid_from: d(2025, 7, 1), valid_to: d(9999, 12, 31), ..unit(92, "Thành phố Cần Thơ", Level::Province, None) },
                Unit { valid_from: d(2025, 7, 1), valid_to: d(9999, 12, 31), ..unit(31511, "Phường Phú Lợi", Level::Commune, Some(92)) },
            ],
            &[(31510, 31511, pcmd_domain::units::SuccessionKind::Whole)],
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn target(code: &str, indicator: &str, kind: &str, text: &str, num: f64, den: f64, low: f64, state: Status) -> TargetLine {
        let (clause, label) = words::target_label(code, indicator, text);
        let value = if kind == "growth" { 100.0 * (num - den) / den } else { 100.0 * num / den };
        TargetLine {
            code: code.into(),
            clause,
            label,
            judged: None,
            text: text.into(),
            indicator: indicator.into(),
            kind: kind.into(),
            value: Some(value),
            value_text: value_text(kind, Some(value)),
            numerator: Some(num),
            denominator: Some(den),
            threshold_low: low,
            comparator: "at_least".into(),
            threshold: pcmd_domain::plan::indicator::threshold_text(kind, "at_least", low, None),
            state,
            status: state.label_vi().into(),
            figures: format!("{} / {}", format_decimal_vn(num), format_decimal_vn(den)),
            suppressed: false,
        }
    }

    /// The report of `unit_id` (94, 941 or 31510) dated `issued_on`.
    pub fn report(unit_id: i64, issued_on: NaiveDate) -> UnitReport {
        let units = units();
        let unit = units.get(unit_id).unwrap().clone();
        let period = Period::parse("2024-Y", pcmd_domain::period::Cutoff::Decree09).unwrap();
        let by = words::issuing_unit(&units, &unit, issued_on).clone();
        let issuer = successor_issuer("Hội đồng nhân dân tỉnh Sóc Trăng", &unit, &by);
        let issuer = issuer.as_str();
        let rows = |r: &[&[&str]]| r.iter().map(|row| row.iter().map(|c| c.to_string()).collect()).collect();
        UnitReport {
            issuer: ["ỦY BAN NHÂN DÂN".into(), upper(&by.name)],
            place: words::place_name(&by),
            number_symbol: "/BC-UBND".into(),
            issued_on,
            title: title(&unit, &period, words::taken_over(&unit, &by)),
            plan_number: "117/NQ-HĐND".into(),
            plan_title: "Nghị quyết về công tác phòng, chống mại dâm giai đoạn 2024 - 2025 trên địa bàn tỉnh Sóc Trăng".into(),
            plan_kind: "Nghị quyết".into(),
            plan_issued_on: Some(d(2023, 12, 7)),
            plan_issuer: issuer.into(),
            plan_to: d(2025, 12, 31),
            addressing: words::addressing(&units, &by, issued_on, issuer),
            issued_by: by,
            signer: Signer::default(),
            totals: Totals {
                activities: 2,
                reached: 150,
                inspections: 2,
                violations: 3,
                sanctions: 2,
                fines_vnd: 1_023_000_000,
                trainings: 1,
                trainees: 40,
            },
            unit,
            period,
            as_of: d(2024, 12, 14),
            territory_note: None,
            status: None,
            targets: vec![
                target(
                    "a3.workers",
                    "reach_at_risk_workers",
                    "percent_of_units",
                    "Ít nhất 70% người lao động tại các cơ sở kinh doanh dịch vụ",
                    1873.0,
                    4336.0,
                    70.0,
                    Status::NotMet,
                ),
                target(
                    "c2.growth",
                    "crimes_and_offenders_growth",
                    "growth",
                    "Hằng năm, số tội phạm … tăng từ 03% trở lên",
                    101.0,
                    96.0,
                    3.0,
                    Status::Met,
                ),
                target("đ.local", "staff_trained_local", "percent_of_units", "ít nhất 50% ở cấp huyện, cấp xã", 200.0, 800.0, 50.0, Status::AtRisk),
            ],
            lists: vec![
                Table {
                    key: "activities",
                    title: "Hoạt động tuyên truyền".into(),
                    headers: ["Ngày", "Đơn vị", "Hình thức", "Chủ đề", "Số người được tuyên truyền"].map(String::from).to_vec(),
                    rows: rows(&[
                        &["04/01/2024", "Phường 2", "tờ rơi", "Phòng, chống mại dâm", "100"],
                        &["15/03/2024", "Phường 5", "hội thi", "=1+2", "50"],
                    ]),
                    numeric: vec![4],
                    dates: vec![0],
                    count_word: "lượt".into(),
                    withheld: None,
                },
                Table {
                    key: "inspections",
                    title: "Kiểm tra cơ sở kinh doanh dịch vụ".into(),
                    headers: ["Ngày", "Cơ sở", "Cấp đoàn", "Vi phạm", "Xử phạt", "Tiền phạt (đồng)"].map(String::from).to_vec(),
                    rows: rows(&[
                        &["04/01/2024", "Khách sạn A", "cấp tỉnh", "2", "1", "1.005.000.000"],
                        &["20/05/2024", "Karaoke B", "cấp huyện", "1", "1", "18.000.000"],
                    ]),
                    numeric: vec![3, 4, 5],
                    dates: vec![0],
                    count_word: "lượt".into(),
                    withheld: None,
                },
                Table {
                    key: "trainings",
                    title: "Tập huấn".into(),
                    headers: ["Ngày", "Lớp", "Cấp", "Số học viên"].map(String::from).to_vec(),
                    rows: rows(&[&["29/07/2024", "Tập huấn nghiệp vụ", "cấp tỉnh", "40"]]),
                    numeric: vec![3],
                    dates: vec![0],
                    count_word: "lớp".into(),
                    withheld: None,
                },
                Table {
                    key: "pilot_models",
                    title: "Mô hình".into(),
                    headers: ["Tên mô hình", "Đơn vị", "Loại mô hình", "Ngày bắt đầu", "Trạng thái"].map(String::from).to_vec(),
                    rows: rows(&[&["Câu lạc bộ phụ nữ phòng, chống mại dâm", "Phường 2", "câu lạc bộ", "01/03/2024", "đang triển khai"]]),
                    numeric: vec![],
                    dates: vec![3],
                    count_word: "mô hình".into(),
                    withheld: None,
                },
            ],
            tips: TipStats {
                total: 64,
                by_status: vec![(TipStatus::Handled, 53), (TipStatus::Transferred, 4), (TipStatus::Dismissed, 7)],
                closed: 64,
                median_days: Some(12.5),
                p90_days: Some(28),
                overdue: 0,
                closed_late: 0,
            },
            budget: vec![BudgetLine { year: 2024, item: "Kinh phí thực hiện năm 2024".into(), allocated: 1_107_680_000, spent: None }],
            situation: Situation {
                establishments: 23,
                workers: 410,
                by_kind: vec![("khách sạn".into(), 12), ("nhà nghỉ".into(), 8), ("quán karaoke".into(), 3)],
            },
            direction: Direction {
                district_plans: Some((9, 11)),
                districts_without_plan: vec!["Huyện Cù Lao Dung".into(), "Huyện Trần Đề".into()],
                tasks: 7,
                task_states: vec![("hoàn thành".into(), 3), ("đang triển khai".into(), 2)],
                tasks_unreported: 2,
                plan_years: vec![2024],
            },
            cases: CaseTotals { years: vec![2024], summaries: 11, criminal_cases: 6, defendants: 14, admin_violations: 37, persons_sanctioned: 52 },
            support: SupportSummary {
                opened: 18,
                needs_support: 15,
                eligible: 13,
                consented: 12,
                closed: 5,
                open_at_end: 20,
                persons_served: 11,
                services: vec![(pcmd_domain::records::Service::Health, 9, 8), (pcmd_domain::records::Service::VocationalTraining, 4, 4)],
            },
            narrative: Narrative::default(),
            small_counts_hidden: false,
            unit_reports: Vec::new(),
        }
    }
}
