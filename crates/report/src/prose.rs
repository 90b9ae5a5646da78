//! The sentences of a report that state its figures: the drafts of the
//! situation (tình hình) and the direction given (chỉ đạo), and the opening
//! line of each part of the results — propaganda, inspections, the fight
//! against crime, support, models, training. Every number comes from the
//! report; a count the reader may not see reads "dưới 5 (ẩn)".

use crate::model::{Table, UnitReport, SUPPRESSED};
use crate::words;
use pcmd_domain::money::{format_vnd, vnd_in_words};

fn n(v: i64) -> String {
    format_vnd(v)
}

impl UnitReport {
    /// A count as this copy shows it: the number, or "dưới 5 (ẩn)".
    fn shown(&self, v: i64) -> String {
        self.shown_count(v).map_or_else(|| SUPPRESSED.to_string(), n)
    }

    /// The establishments by kind ("12 khách sạn, 8 nhà nghỉ"), each count as this copy shows it.
    fn kinds_text(&self) -> String {
        self.kinds_shown().iter().map(|(k, c)| format!("{c} {k}")).collect::<Vec<_>>().join(", ")
    }

    /// The establishments by kind with their counts as this copy shows them: where small counts
    /// are hidden, those of 1 to 4 and, with only one such, the next smallest (`policy::withheld_items`).
    fn kinds_shown(&self) -> Vec<(String, String)> {
        let by_kind = &self.situation.by_kind;
        let hide = if self.small_counts_hidden {
            pcmd_domain::policy::withheld_items(&by_kind.iter().map(|(_, c)| *c as f64).collect::<Vec<_>>())
        } else {
            vec![false; by_kind.len()]
        };
        by_kind.iter().zip(hide).map(|((k, c), h)| (k.clone(), if h { SUPPRESSED.to_string() } else { n(*c) })).collect()
    }

    /// The reporting years in words: "năm 2024", "các năm 2024, 2025".
    fn years_text(&self) -> String {
        years_in_words(&self.cases.years)
    }

    /// The years whose district plans count, in words.
    fn plan_years_text(&self) -> String {
        years_in_words(&self.direction.plan_years)
    }

    /// Tình hình: the establishments, the tips and what was found.
    pub(crate) fn situation_draft(&self) -> Vec<String> {
        let s = &self.situation;
        let place = words::unit_in_text(&self.unit);
        let mut out = vec![if s.establishments > 0 {
            format!(
                "- Trên địa bàn {place} có {} cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm hoạt động trong kỳ ({}), với {} người lao động.",
                self.shown(s.establishments),
                self.kinds_text(),
                self.shown(s.workers)
            )
        } else {
            format!("- Chưa ghi nhận cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm nào hoạt động trên địa bàn {place} trong kỳ.")
        }];
        let tips = if self.tips.total > 0 {
            format!("tiếp nhận {} tin tố giác, tin báo, khiếu nại liên quan đến hoạt động mại dâm", self.shown(self.tips.total))
        } else {
            "không tiếp nhận tin tố giác, tin báo, khiếu nại nào liên quan đến hoạt động mại dâm".to_string()
        };
        let found = if self.totals.inspections > 0 {
            format!(
                "; qua {} lượt kiểm tra, phát hiện {} trường hợp vi phạm",
                self.shown(self.totals.inspections),
                self.shown(self.totals.violations)
            )
        } else {
            String::new()
        };
        out.push(format!("- Trong kỳ, {tips}{found}."));
        if self.cases.summaries > 0 {
            out.push(format!(
                "- Trong {}, ghi nhận {} vụ án hình sự với {} bị can và {} vụ vi phạm hành chính liên quan đến hoạt động mại dâm.",
                self.years_text(),
                self.shown(self.cases.criminal_cases),
                self.shown(self.cases.defendants),
                self.shown(self.cases.admin_violations)
            ));
        }
        out
    }

    /// Chỉ đạo, điều hành: the plan carried out, district plans, the tasks' progress.
    pub(crate) fn direction_draft(&self) -> Vec<String> {
        let d = &self.direction;
        // "… năm 2022 trên địa bàn tỉnh Lai Châu" says the place already.
        let citation = self.plan_citation();
        let place = if citation.contains("trên địa bàn") { "" } else { " trên địa bàn" };
        let mut out = vec![format!("- {} chỉ đạo triển khai thực hiện {citation}{place}.", self.unit_body())];
        if let Some((adopted, all)) = d.district_plans.filter(|_| self.unit.level == pcmd_domain::units::Level::Province) {
            let mut line = format!("- {}/{} đơn vị cấp huyện đã ban hành kế hoạch thực hiện {}", n(adopted), n(all), self.plan_years_text());
            if !d.districts_without_plan.is_empty() {
                line.push_str(&format!("; chưa ban hành: {}", d.districts_without_plan.join(", ")));
            }
            line.push('.');
            out.push(line);
        }
        if d.tasks > 0 && d.tasks_unreported == d.tasks {
            out.push(format!("- Chưa có báo cáo tiến độ của {} nhiệm vụ của kế hoạch.", n(d.tasks)));
        } else if d.tasks > 0 {
            let mut parts: Vec<String> = d.task_states.iter().map(|(s, k)| format!("{} nhiệm vụ {s}", n(*k))).collect();
            if d.tasks_unreported > 0 {
                parts.push(format!("{} nhiệm vụ chưa có báo cáo tiến độ", n(d.tasks_unreported)));
            }
            out.push(format!("- Trong {} nhiệm vụ của kế hoạch: {}.", n(d.tasks), parts.join(", ")));
        }
        out
    }

    /// Tuyên truyền: activities and the press.
    pub(crate) fn propaganda_line(&self) -> String {
        let t = &self.totals;
        let press = self.lists.iter().find(|l| l.key == "publications").map_or(0, |l| l.rows.len() as i64);
        let mut line = if t.activities > 0 {
            format!("Tổ chức {} hoạt động tuyên truyền cho {} lượt người", self.shown(t.activities), self.shown(t.reached))
        } else {
            "Chưa ghi nhận hoạt động tuyên truyền nào trong kỳ".to_string()
        };
        if press > 0 {
            line.push_str(&format!("; các cơ quan báo chí đăng, phát {} tin, bài về phòng, chống mại dâm", self.shown(press)));
        }
        line.push('.');
        line
    }

    /// Kiểm tra, xử lý vi phạm: inspections, violations, sanctions and fines (in words too).
    pub(crate) fn inspection_line(&self) -> String {
        let t = &self.totals;
        if t.inspections == 0 {
            return "Chưa ghi nhận lượt kiểm tra cơ sở kinh doanh dịch vụ nào trong kỳ.".into();
        }
        let mut line = format!(
            "Kiểm tra {} lượt cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm, phát hiện {} trường hợp vi phạm, xử phạt {} trường hợp",
            self.shown(t.inspections),
            self.shown(t.violations),
            self.shown(t.sanctions)
        );
        // The fines of 1 to 4 sanctions withheld go with them.
        if t.fines_vnd > 0 && self.shown_count(t.sanctions).is_some() {
            line.push_str(&format!(" với tổng số tiền {} đồng ({})", n(t.fines_vnd), vnd_in_words(t.fines_vnd).to_lowercase()));
        }
        line.push('.');
        line
    }

    /// Đấu tranh: the yearly case summaries, or why there are none here.
    pub(crate) fn fight_line(&self) -> String {
        let c = &self.cases;
        if c.years.is_empty() {
            return "Kết quả điều tra, xử lý các vụ việc được tổng hợp theo năm và nêu tại báo cáo năm.".into();
        }
        if c.summaries == 0 {
            return format!("Chưa có số liệu tổng hợp kết quả điều tra, xử lý các vụ việc {}.", self.years_text());
        }
        format!(
            "Trong {}, phát hiện, điều tra {} vụ án hình sự với {} bị can liên quan đến hoạt động mại dâm; xử lý {} vụ vi phạm hành chính, xử phạt {} người.",
            self.years_text(),
            self.shown(c.criminal_cases),
            self.shown(c.defendants),
            self.shown(c.admin_violations),
            self.shown(c.persons_sanctioned)
        )
    }

    /// Hỗ trợ: the cases opened, served, closed and still open; a zero is said in words, not as "0 hồ sơ".
    pub(crate) fn support_line(&self) -> String {
        let s = &self.support;
        if s.opened == 0 && s.persons_served == 0 && s.open_at_end == 0 && s.closed == 0 {
            return "Chưa ghi nhận hồ sơ hỗ trợ người bán dâm nào trong kỳ.".into();
        }
        let mut parts = vec![if s.opened > 0 {
            format!(
                "Mở {} hồ sơ hỗ trợ người bán dâm, trong đó {} người có nhu cầu hỗ trợ, {} người đủ điều kiện và {} người đồng ý nhận hỗ trợ",
                self.shown(s.opened),
                self.shown(s.needs_support),
                self.shown(s.eligible),
                self.shown(s.consented)
            )
        } else {
            "Trong kỳ không mở hồ sơ hỗ trợ mới".to_string()
        }];
        if s.persons_served > 0 {
            parts.push(format!("{} người được nhận ít nhất một dịch vụ hỗ trợ trong kỳ", self.shown(s.persons_served)));
        }
        if s.closed > 0 {
            parts.push(format!("kết thúc {} hồ sơ", self.shown(s.closed)));
        }
        if s.open_at_end > 0 {
            parts.push(format!("đến cuối kỳ còn {} hồ sơ đang theo dõi", self.shown(s.open_at_end)));
        }
        format!("{}.", parts.join("; "))
    }

    /// The services provided, as rows: the service, how many times, to how many persons.
    pub(crate) fn service_rows(&self) -> Vec<Vec<String>> {
        self.support
            .services
            .iter()
            .map(|(k, times, persons)| vec![words::capitalise(k.label_vi()), self.shown(*times), self.shown(*persons)])
            .collect()
    }

    /// Mô hình: the models running in the period.
    pub(crate) fn models_line(&self) -> String {
        let models = self.lists.iter().find(|l| l.key == "pilot_models").map_or(0, |l| l.rows.len() as i64);
        if models == 0 {
            "Chưa ghi nhận mô hình phòng, chống mại dâm nào hoạt động trong kỳ.".into()
        } else {
            format!("Duy trì, triển khai {} mô hình phòng, chống mại dâm trong kỳ.", self.shown(models))
        }
    }

    /// Tập huấn: courses and participants.
    pub(crate) fn training_line(&self) -> String {
        let t = &self.totals;
        if t.trainings == 0 {
            "Chưa tổ chức lớp tập huấn nào trong kỳ.".into()
        } else {
            format!("Tổ chức {} lớp tập huấn cho {} lượt học viên.", self.shown(t.trainings), self.shown(t.trainees))
        }
    }

    /// The figures behind the sentences, one a row, for the spreadsheet and
    /// CSV: situation, direction, the fight against crime and support.
    pub fn summary_table(&self) -> Table {
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut row = |label: String, v: String| rows.push(vec![label, v]);
        let s = &self.situation;
        row("Cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm hoạt động trong kỳ".into(), self.shown(s.establishments));
        for (k, c) in self.kinds_shown() {
            row(format!("— {k}"), c);
        }
        row("Người lao động tại các cơ sở".into(), self.shown(s.workers));
        let d = &self.direction;
        if let Some((adopted, all)) = d.district_plans.filter(|_| self.unit.level == pcmd_domain::units::Level::Province) {
            row("Đơn vị cấp huyện".into(), n(all));
            row("— đã ban hành kế hoạch của năm".into(), n(adopted));
        }
        if d.tasks > 0 {
            row("Nhiệm vụ của kế hoạch".into(), n(d.tasks));
            for (state, k) in &d.task_states {
                row(format!("— {state}"), n(*k));
            }
            row("— chưa có báo cáo tiến độ".into(), n(d.tasks_unreported));
        }
        let c = &self.cases;
        if !c.years.is_empty() {
            let y = self.years_text();
            row(format!("Vụ án hình sự ({y})"), self.shown(c.criminal_cases));
            row(format!("Bị can ({y})"), self.shown(c.defendants));
            row(format!("Vụ vi phạm hành chính ({y})"), self.shown(c.admin_violations));
            row(format!("Người bị xử phạt ({y})"), self.shown(c.persons_sanctioned));
        }
        let h = &self.support;
        row("Hồ sơ hỗ trợ mở trong kỳ".into(), self.shown(h.opened));
        row("— có nhu cầu hỗ trợ".into(), self.shown(h.needs_support));
        row("— đủ điều kiện hỗ trợ".into(), self.shown(h.eligible));
        row("— đồng ý nhận hỗ trợ".into(), self.shown(h.consented));
        row("Người được nhận ít nhất một dịch vụ hỗ trợ trong kỳ".into(), self.shown(h.persons_served));
        row("Hồ sơ kết thúc trong kỳ".into(), self.shown(h.closed));
        row("Hồ sơ đang theo dõi cuối kỳ".into(), self.shown(h.open_at_end));
        Table {
            key: "summary",
            title: "Số liệu tổng hợp".into(),
            headers: vec!["Nội dung".into(), "Số liệu".into()],
            rows,
            numeric: vec![1],
            dates: vec![],
            count_word: "dòng".into(),
            withheld: None,
        }
    }

    /// The services provided, as a table.
    pub fn services_table(&self) -> Table {
        Table {
            key: "support_services",
            title: "Dịch vụ hỗ trợ đã cung cấp trong kỳ".into(),
            headers: vec!["Dịch vụ hỗ trợ".into(), "Số lượt".into(), "Số người".into()],
            rows: self.service_rows(),
            numeric: vec![1, 2],
            dates: vec![],
            count_word: "dịch vụ".into(),
            withheld: None,
        }
    }

    /// Every list of the report, then the summary and the services: what the spreadsheet and the CSV hold.
    /// A list withheld from this copy (`UnitReport::for_supervisor`) is one row saying how many it holds.
    pub fn all_tables(&self) -> Vec<Table> {
        let mut out = self.lists.clone();
        for t in out.iter_mut().filter(|t| !t.rows.is_empty()) {
            if let Some(text) = &t.withheld {
                let mut row = vec![String::new(); t.headers.len().max(1)];
                if let Some(first) = row.first_mut() {
                    first.clone_from(text);
                }
                t.rows = vec![row];
                t.numeric.clear();
                t.dates.clear();
            }
        }
        out.push(self.summary_table());
        out.push(self.services_table());
        out
    }

    /// The plan by kind, number and date ("Nghị quyết số 117/NQ-HĐND ngày 07/12/2023");
    /// an unnumbered, undated plan by its title.
    pub(crate) fn plan_citation(&self) -> String {
        let short = words::plan_reference(&self.plan_kind, &self.plan_number, self.plan_issued_on, "", "");
        if short == self.plan_kind {
            self.plan_reference()
        } else {
            short
        }
    }
}

/// "năm 2024", "các năm 2024, 2025".
fn years_in_words(years: &[i32]) -> String {
    let ys: Vec<String> = years.iter().map(i32::to_string).collect();
    if ys.len() > 1 {
        format!("các năm {}", ys.join(", "))
    } else {
        format!("năm {}", ys.join(""))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::sample;
    use chrono::NaiveDate;

    fn report() -> crate::UnitReport {
        sample::report(94, NaiveDate::from_ymd_opt(2024, 12, 20).unwrap())
    }

    #[test]
    fn the_situation_states_the_establishments_tips_and_cases() {
        let lines = report().situation_draft();
        // 23 establishments of the sample: 12 + 8 + 3 by kind, 410 workers.
        assert_eq!(
            lines[0],
            "- Trên địa bàn tỉnh Sóc Trăng có 23 cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm hoạt động trong kỳ (12 khách sạn, 8 nhà nghỉ, 3 quán karaoke), với 410 người lao động."
        );
        // 64 tips; 2 inspections finding 3 violations.
        assert!(lines[1].contains("tiếp nhận 64 tin") && lines[1].contains("qua 2 lượt kiểm tra, phát hiện 3 trường hợp vi phạm"), "{}", lines[1]);
        assert!(lines[2].contains("Trong năm 2024, ghi nhận 6 vụ án hình sự với 14 bị can và 37 vụ vi phạm hành chính"), "{}", lines[2]);
    }

    #[test]
    fn the_direction_counts_district_plans_and_tasks() {
        let lines = report().direction_draft();
        assert!(
            lines[0].starts_with("- Ủy ban nhân dân tỉnh Sóc Trăng chỉ đạo triển khai thực hiện Nghị quyết số 117/NQ-HĐND ngày 07/12/2023"),
            "{}",
            lines[0]
        );
        assert_eq!(lines[1], "- 9/11 đơn vị cấp huyện đã ban hành kế hoạch thực hiện năm 2024; chưa ban hành: Huyện Cù Lao Dung, Huyện Trần Đề.");
        // 7 tasks: 3 done, 2 in progress, 2 without a report (3 + 2 + 2 = 7).
        assert_eq!(
            lines[2],
            "- Trong 7 nhiệm vụ của kế hoạch: 3 nhiệm vụ hoàn thành, 2 nhiệm vụ đang triển khai, 2 nhiệm vụ chưa có báo cáo tiến độ."
        );
    }

    #[test]
    fn fines_are_said_in_words_and_support_is_counted() {
        let r = report();
        assert!(
            r.inspection_line().contains("tổng số tiền 1.023.000.000 đồng (một tỷ, không trăm hai mươi ba triệu đồng)"),
            "{}",
            r.inspection_line()
        );
        assert!(r
            .support_line()
            .starts_with("Mở 18 hồ sơ hỗ trợ người bán dâm, trong đó 15 người có nhu cầu hỗ trợ, 13 người đủ điều kiện và 12 người đồng ý"));
        assert_eq!(r.service_rows()[0], vec!["Y tế".to_string(), "9".into(), "8".into()]);
        assert_eq!(r.fight_line(), "Trong năm 2024, phát hiện, điều tra 6 vụ án hình sự với 14 bị can liên quan đến hoạt động mại dâm; xử lý 37 vụ vi phạm hành chính, xử phạt 52 người.");
    }

    #[test]
    fn zeros_are_said_in_words() {
        let mut r = report();
        r.support = Default::default();
        r.support.open_at_end = 7;
        assert_eq!(r.support_line(), "Trong kỳ không mở hồ sơ hỗ trợ mới; đến cuối kỳ còn 7 hồ sơ đang theo dõi.");
        r.tips.total = 0;
        r.totals.inspections = 0;
        assert_eq!(r.situation_draft()[1], "- Trong kỳ, không tiếp nhận tin tố giác, tin báo, khiếu nại nào liên quan đến hoạt động mại dâm.");
        r.direction.task_states.clear();
        r.direction.tasks_unreported = r.direction.tasks;
        assert_eq!(r.direction_draft()[2], "- Chưa có báo cáo tiến độ của 7 nhiệm vụ của kế hoạch.");
    }

    /// A supervisor's copy of a commune's report (reviews found these shown): the establishments and
    /// their kinds (with a second kind when one is small, or the total would give it back), the
    /// inspections, violations and their fines, every list (its count alone), the days taken by 1 to
    /// 4 settled tips, and the officer's own text; 5 and more are shown.
    #[test]
    fn a_supervisors_copy_withholds_every_small_count_and_the_lists() {
        let mut r = report();
        r.small_counts_hidden = true;
        r.situation.establishments = 14;
        r.situation.by_kind = vec![("khách sạn".into(), 7), ("nhà nghỉ".into(), 5), ("quán karaoke".into(), 2)];
        r.situation.workers = 40;
        r.totals.inspections = 2;
        r.totals.violations = 1;
        r.totals.sanctions = 1;
        r.totals.fines_vnd = 7_500_000;
        let lines = r.situation_draft();
        // 14 − 7 − 5 would give the karaoke bars' 2 back: the 5 guesthouses are withheld with them.
        assert!(
            lines[0].contains("có 14 cơ sở")
                && lines[0].contains("(7 khách sạn, dưới 5 (ẩn) nhà nghỉ, dưới 5 (ẩn) quán karaoke), với 40 người lao động"),
            "{}",
            lines[0]
        );
        assert!(lines[1].contains("qua dưới 5 (ẩn) lượt kiểm tra, phát hiện dưới 5 (ẩn) trường hợp vi phạm"), "{}", lines[1]);
        assert!(!r.inspection_line().contains("7.500.000"), "the fines of a withheld sanction: {}", r.inspection_line());
        let checked = r.draft("results").into_iter().find(|l| l.starts_with("- Công tác kiểm tra")).unwrap();
        assert!(checked.ends_with("xử phạt dưới 5 (ẩn) trường hợp.") && !checked.contains("tổng số tiền"), "{checked}");
        let summary = r.summary_table();
        assert_eq!(summary.rows[2], vec!["— nhà nghỉ".to_string(), "dưới 5 (ẩn)".to_string()]);
        // Lists: 3 rows read "dưới 5 (ẩn)", 5 rows their count, none a record.
        let (short, long) = (r.lists[0].key, r.lists[1].key);
        r.lists[0].rows.truncate(3);
        r.lists[1].rows = vec![r.lists[1].rows[0].clone(); 5];
        r.narrative.results = "Kiểm tra 2 lượt tại phường.".into();
        r.for_supervisor();
        let tables = r.all_tables();
        let at = |key: &str| tables.iter().find(|l| l.key == key).unwrap().clone();
        assert_eq!(
            at(short).rows,
            vec![{
                let mut row = vec![String::new(); at(short).headers.len()];
                row[0] = "dưới 5 (ẩn)".into();
                row
            }]
        );
        assert!(at(long).rows.len() == 1 && at(long).rows[0][0].starts_with("5 "), "{:?}", at(long).rows);
        // The officer's text gives way to the draft from the withheld figures.
        assert!(r.section_text("results").iter().all(|l| !l.contains("Kiểm tra 2 lượt")), "{:?}", r.section_text("results"));
        // Tips: 3 settled, so their days are withheld too; 64 received stay shown.
        r.tips.closed = 3;
        let tips = r.tip_rows();
        let line = |label: &str| tips.iter().find(|l| l.label.starts_with(label)).unwrap().text.clone();
        assert_eq!(line("Thời gian xử lý xong, trung vị"), "dưới 5 (ẩn)");
        assert_eq!(line("90% số tin"), "dưới 5 (ẩn)");
        assert_eq!(line("Số tin tiếp nhận"), "64");
        // 10 received = 3 open + 7 settled: the 3 are withheld, and the 7 with them (10 − 7 = 3),
        // with the days taken; the results' draft leaves the settled count out too.
        use pcmd_domain::records::TipStatus;
        r.tips.by_status = vec![(TipStatus::Verifying, 3), (TipStatus::Handled, 7)];
        (r.tips.total, r.tips.closed) = (10, 7);
        let tips = r.tip_rows();
        let line = |label: &str| tips.iter().find(|l| l.label == label).unwrap().text.clone();
        assert_eq!((line("Số tin đang xử lý"), line("Số tin đã xử lý xong")), ("dưới 5 (ẩn)".to_string(), "dưới 5 (ẩn)".to_string()));
        assert_eq!(line("Số tin tiếp nhận trong kỳ"), "10");
        assert_eq!(line("Thời gian xử lý xong, trung vị (ngày)"), "dưới 5 (ẩn)");
        assert!(
            r.draft("results").iter().any(|l| l.contains("tiếp nhận 10 tin trong kỳ, đã xử lý xong dưới 5 (ẩn) tin")),
            "{:?}",
            r.draft("results")
        );
        // The unit's own copy shows them all.
        let mut own = report();
        own.situation.by_kind = vec![("khách sạn".into(), 7), ("nhà nghỉ".into(), 5), ("quán karaoke".into(), 2)];
        assert!(own.situation_draft()[0].contains("(7 khách sạn, 5 nhà nghỉ, 2 quán karaoke)"));
        assert_eq!(own.tip_rows().iter().find(|l| l.label.starts_with("Thời gian")).unwrap().text, "12,5");
        assert!(own.all_tables().iter().all(|t| t.rows.is_empty() || !t.rows[0][0].contains("dưới 5")));
    }

    #[test]
    fn a_supervisors_copy_withholds_small_counts_of_persons() {
        let mut r = report();
        r.small_counts_hidden = true;
        r.support.consented = 3;
        assert!(r.support_line().contains("dưới 5 (ẩn) người đồng ý"), "{}", r.support_line());
    }
}
