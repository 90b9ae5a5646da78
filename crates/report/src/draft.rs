//! The narrative a report needs when the officer has not written it yet: a
//! draft written from the report's own figures (SPEC §4: "each narrative
//! section pre-filled with a draft written from the figures for the officer
//! to edit"). Every number comes from the report's lists, tips and targets;
//! the wording is neutral — it states results, gaps and what follows from
//! them, and invents no cause.

use crate::model::{TargetLine, UnitReport};
use pcmd_domain::money::{format_decimal_vn, format_vnd};
use pcmd_engine::Status;

fn n(v: i64) -> String {
    format_vnd(v)
}

/// "đạt 43,2% (1.873 / 4.336)": the value and, when shown, its figures.
fn achieved(t: &TargetLine) -> String {
    if t.suppressed || t.figures.is_empty() {
        format!("đạt {}", t.value_text)
    } else {
        format!("đạt {} ({})", t.value_text, t.figures)
    }
}

/// The targets in a state, by label, each once.
fn labels(r: &UnitReport, states: &[Status]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in r.targets.iter().filter(|t| states.contains(&t.state)) {
        if !out.contains(&t.label) {
            out.push(t.label.clone());
        }
    }
    out
}

/// Results: the work of the period in figures, and the targets' count by status.
fn results(r: &UnitReport) -> Vec<String> {
    let t = &r.totals;
    let count = |v: i64| r.shown_count(v).map_or_else(|| crate::model::SUPPRESSED.to_string(), n);
    let mut out = Vec::new();
    out.push(if t.activities > 0 {
        format!("- Công tác tuyên truyền: tổ chức {} hoạt động tuyên truyền cho {} lượt người.", count(t.activities), count(t.reached))
    } else {
        "- Công tác tuyên truyền: chưa ghi nhận hoạt động tuyên truyền nào trong kỳ.".to_string()
    });
    out.push(if t.inspections > 0 {
        // The fines of 1 to 4 sanctions withheld go with them: the clause is left out.
        let fines = if r.shown_count(t.sanctions).is_some() { format!(" với tổng số tiền {} đồng", n(t.fines_vnd)) } else { String::new() };
        format!(
            "- Công tác kiểm tra: kiểm tra {} lượt cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm, phát hiện {} trường hợp vi phạm, xử phạt {} trường hợp{fines}.",
            count(t.inspections),
            count(t.violations),
            count(t.sanctions)
        )
    } else {
        "- Công tác kiểm tra: chưa ghi nhận lượt kiểm tra cơ sở kinh doanh dịch vụ nào trong kỳ.".to_string()
    });
    out.push(if t.trainings > 0 {
        format!("- Công tác tập huấn: tổ chức {} lớp tập huấn cho {} lượt học viên.", count(t.trainings), count(t.trainees))
    } else {
        "- Công tác tập huấn: chưa tổ chức lớp tập huấn nào trong kỳ.".to_string()
    });
    let mut tips = if r.tips.total == 0 {
        "- Tiếp nhận, xử lý tố giác, tin báo, khiếu nại: không tiếp nhận tin nào trong kỳ".to_string()
    } else {
        format!(
            "- Tiếp nhận, xử lý tố giác, tin báo, khiếu nại: tiếp nhận {} tin trong kỳ, đã xử lý xong {} tin",
            count(r.tips.total),
            // Withheld with the open ones when they are 1 to 4 (`UnitReport::tips_open_closed`).
            if r.tips_open_closed().2 { count(r.tips.closed) } else { crate::model::SUPPRESSED.to_string() }
        )
    };
    if r.tips.overdue > 0 {
        tips.push_str(&format!(", còn {} tin quá hạn chưa xử lý xong", count(r.tips.overdue)));
    }
    for c in r.targets.iter().filter(|c| c.indicator == "tips_handled_on_time" && !c.suppressed && !c.figures.is_empty()) {
        tips.push_str(&format!("; theo chỉ tiêu {}, {} tin đến hạn trong kỳ được xử lý đúng hạn ({})", c.clause, c.figures, c.value_text));
    }
    tips.push('.');
    out.push(tips);
    let total = r.targets.len();
    if total > 0 {
        let of = |s: Status| r.targets.iter().filter(|t| t.state == s).count();
        let mut parts = vec![format!("{} chỉ tiêu đạt", of(Status::Met))];
        for (s, word) in [
            (Status::OnTrack, "đúng tiến độ"),
            (Status::AtRisk, "có nguy cơ không đạt"),
            (Status::NotMet, "không đạt"),
            (Status::NoData, "chưa có số liệu"),
        ] {
            if of(s) > 0 {
                parts.push(format!("{} chỉ tiêu {word}", of(s)));
            }
        }
        out.push(format!("- Kết quả thực hiện {total} chỉ tiêu: {} (chi tiết tại mục III).", parts.join(", ")));
    }
    out
}

/// Shortcomings: each target not met, at risk or without data, and the late tips.
fn shortcomings(r: &UnitReport) -> Vec<String> {
    let mut out = Vec::new();
    for t in &r.targets {
        match t.state {
            Status::NotMet => out.push(format!("- Chỉ tiêu {}: {}, chưa đạt mức {} đề ra.", t.label, achieved(t), t.threshold)),
            Status::AtRisk => {
                out.push(format!("- Chỉ tiêu {}: {}, có nguy cơ không đạt mức {} đến cuối kỳ đánh giá.", t.label, achieved(t), t.threshold))
            }
            Status::NoData => out.push(format!("- Chỉ tiêu {}: chưa có số liệu để đánh giá.", t.label)),
            _ => {}
        }
    }
    if r.tips.overdue > 0 {
        out.push(format!(
            "- Còn {} tin tố giác, tin báo, khiếu nại quá hạn chưa xử lý xong.",
            r.shown_count(r.tips.overdue).map_or_else(|| crate::model::SUPPRESSED.to_string(), n)
        ));
    }
    if r.tips.closed_late > 0 {
        out.push(format!(
            "- Có {} tin được xử lý xong sau thời hạn luật định.",
            r.shown_count(r.tips.closed_late).map_or_else(|| crate::model::SUPPRESSED.to_string(), n)
        ));
    }
    if out.is_empty() {
        out.push("Các chỉ tiêu được đánh giá trong kỳ đều đạt hoặc đúng tiến độ; không có tin tố giác, tin báo, khiếu nại quá hạn.".into());
    }
    out
}

/// How far a target is from its threshold, in its own figures.
fn gap(t: &TargetLine) -> Option<String> {
    match (t.kind.as_str(), t.numerator, t.denominator, t.value) {
        ("growth", _, _, Some(_)) => Some(format!("- Chỉ tiêu {}: mức tăng {}, thấp hơn mức {} đề ra.", t.label, t.value_text, t.threshold)),
        ("count", _, _, Some(_)) => Some(format!("- Chỉ tiêu {}: {}, yêu cầu {}.", t.label, achieved(t), t.threshold)),
        (_, Some(num), Some(den), _) if !t.suppressed && t.comparator != "at_most" && den > 0.0 => {
            let required = (t.threshold_low / 100.0 * den - 1e-9).ceil();
            let missing = required - num;
            (missing > 0.0).then(|| {
                // What is counted, so that a reader can tell why a unit with some activity may still count 0.
                let counted = pcmd_domain::plan::indicator::find(&t.indicator)
                    .map(|i| format!(" (tính {} trên {})", i.numerator_vi, i.denominator_vi))
                    .unwrap_or_default();
                format!(
                    "- Chỉ tiêu {}: cần đạt ít nhất {} / {}{counted}, mới thực hiện {}, còn thiếu {}.",
                    t.label,
                    format_decimal_vn(required),
                    format_decimal_vn(den),
                    format_decimal_vn(num),
                    format_decimal_vn(missing)
                )
            })
        }
        _ => None,
    }
}

/// Causes: the gap of each target not met or at risk, in figures; the officer adds why.
fn causes(r: &UnitReport) -> Vec<String> {
    let behind: Vec<String> = r.targets.iter().filter(|t| matches!(t.state, Status::NotMet | Status::AtRisk)).filter_map(gap).collect();
    if behind.is_empty() {
        return vec!["Các chỉ tiêu được đánh giá trong kỳ không có mức chênh lệch so với yêu cầu cần giải trình.".into()];
    }
    let mut out = vec!["Kết quả thực hiện một số chỉ tiêu còn thấp hơn mức yêu cầu, cụ thể:".to_string()];
    out.extend(behind);
    out
}

/// Tasks ahead: the targets to catch up, to keep, and the late tips.
fn tasks_ahead(r: &UnitReport) -> Vec<String> {
    // The plan's last report looks past it: its review and what comes next.
    let mut out = if r.closes_the_plan() {
        vec![format!("- Tổng kết, đánh giá kết quả thực hiện {}; đề xuất nội dung, chỉ tiêu cho giai đoạn tiếp theo.", r.plan_citation())]
    } else {
        vec![format!("- Tiếp tục tổ chức thực hiện {}.", r.plan_citation())]
    };
    let not_met = labels(r, &[Status::NotMet]);
    if !not_met.is_empty() {
        out.push(format!("- Tập trung thực hiện các chỉ tiêu chưa đạt: {}.", not_met.join("; ")));
    }
    let at_risk = labels(r, &[Status::AtRisk]);
    if !at_risk.is_empty() {
        out.push(format!("- Đẩy nhanh tiến độ các chỉ tiêu có nguy cơ không đạt: {}.", at_risk.join("; ")));
    }
    let no_data = labels(r, &[Status::NoData]);
    if !no_data.is_empty() {
        out.push(format!("- Thu thập, cập nhật số liệu các chỉ tiêu chưa có số liệu: {}.", no_data.join("; ")));
    }
    if r.tips.overdue > 0 {
        out.push("- Xử lý dứt điểm các tin tố giác, tin báo, khiếu nại quá hạn.".into());
    }
    // A clause whose figures are all met or on track is named by its clause ("b1");
    // one with a figure behind too is named by its figures that are, each by
    // its label ("a3 – học sinh, sinh viên"), so that no clause is said both
    // behind and kept.
    let kept: Vec<String> = {
        let good = |t: &crate::model::TargetLine| matches!(t.state, Status::Met | Status::OnTrack);
        let mut c: Vec<String> = Vec::new();
        for t in r.targets.iter().filter(|t| good(t)) {
            let whole = r.targets.iter().filter(|o| o.clause == t.clause).all(good);
            let name = if whole { t.clause.clone() } else { t.label.clone() };
            if !c.contains(&name) {
                c.push(name);
            }
        }
        c
    };
    if !kept.is_empty() {
        out.push(format!("- Duy trì kết quả các chỉ tiêu đã đạt, đúng tiến độ ({}).", kept.join("; ")));
    }
    out
}

/// Proposals: to the body the report goes to, about the targets behind.
fn proposals(r: &UnitReport) -> Vec<String> {
    let to = r.addressing.recipient.clone().unwrap_or_else(|| "cấp trên".to_string());
    let mut behind: Vec<String> = Vec::new();
    // The words name only the states there are.
    let not_met = r.targets.iter().any(|t| t.state == Status::NotMet);
    let at_risk = r.targets.iter().any(|t| t.state == Status::AtRisk);
    let which = match (not_met, at_risk) {
        (true, true) => "các chỉ tiêu chưa đạt, có nguy cơ không đạt",
        (true, false) => "các chỉ tiêu chưa đạt",
        _ => "các chỉ tiêu có nguy cơ không đạt",
    };
    for t in r.targets.iter().filter(|t| matches!(t.state, Status::NotMet | Status::AtRisk)) {
        if !behind.contains(&t.clause) {
            behind.push(t.clause.clone());
        }
    }
    if behind.is_empty() {
        vec![format!("Đề nghị {to} tiếp tục quan tâm chỉ đạo, hướng dẫn thực hiện công tác phòng, chống mại dâm.")]
    } else {
        vec![format!("Đề nghị {to} tiếp tục quan tâm chỉ đạo, hướng dẫn, hỗ trợ kinh phí và tập huấn để thực hiện {which} ({}).", behind.join(", "))]
    }
}

impl UnitReport {
    /// A draft of a narrative section (`situation`, `direction`, `results`, `shortcomings`, `causes`,
    /// `tasks_ahead`, `proposals`) from the report's figures, one paragraph a line.
    pub fn draft(&self, key: &str) -> Vec<String> {
        match key {
            "situation" => self.situation_draft(),
            "direction" => self.direction_draft(),
            "results" => results(self),
            "shortcomings" => shortcomings(self),
            "causes" => causes(self),
            "tasks_ahead" => tasks_ahead(self),
            "proposals" => proposals(self),
            _ => Vec::new(),
        }
    }

    /// The section as the report prints it: the officer's text, or the draft when none was written.
    pub fn section_text(&self, key: &str) -> Vec<String> {
        let own: Vec<String> = self.narrative.get(key).lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        if own.is_empty() {
            self.draft(key)
        } else {
            own
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::sample;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_plans_last_report_looks_past_it_and_proposals_name_only_the_states_there_are() {
        // The sample: Tỉnh Sóc Trăng's 2024-Y (to 14/12/2024), made on 20/12/2024; a3.workers not met, đ.local at risk.
        let mut r = sample::report(94, d(2024, 12, 20));
        assert!(r.draft("tasks_ahead")[0].starts_with("- Tiếp tục tổ chức thực hiện"), "the plan runs to 31/12/2025");
        let proposal = r.draft("proposals").join("\n");
        assert!(proposal.contains("để thực hiện các chỉ tiêu chưa đạt, có nguy cơ không đạt ("), "{proposal}");
        // No target at risk any more: the proposal does not speak of one.
        for t in r.targets.iter_mut().filter(|t| t.state == pcmd_engine::Status::AtRisk) {
            t.state = pcmd_engine::Status::Met;
        }
        let proposal = r.draft("proposals").join("\n");
        assert!(proposal.contains("để thực hiện các chỉ tiêu chưa đạt (") && !proposal.contains("nguy cơ"), "{proposal}");
        // A plan ending on 31/12/2024: the year to 14/12/2024 is its last report (17 days before its end).
        r.plan_to = d(2024, 12, 31);
        assert!(r.draft("tasks_ahead")[0].starts_with("- Tổng kết, đánh giá kết quả thực hiện"), "{:?}", r.draft("tasks_ahead"));
    }
}
