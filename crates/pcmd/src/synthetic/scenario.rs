//! The two demo scenarios: parameters chosen so that the seed plans' targets
//! show varied, real statuses (see README.md for which and why).

/// What happens in one year of a scenario.
pub struct YearPlan {
    pub year: i32,
    /// Share of the year's communes with at least one awareness activity.
    pub coverage: f64,
    /// Activities in a covered commune of the three-level structure (scaled up
    /// for the larger communes of the two-level one).
    pub activities: (i64, i64),
    /// People reached, as shares of: workers of open establishments, the
    /// industrial-workers figure, the students figure.
    pub reach_workers: f64,
    pub reach_industrial: f64,
    pub reach_students: f64,
    /// Share of open establishments inspected in the year.
    pub inspected: f64,
    pub tips: i64,
    pub tips_late: i64,
    pub tips_overdue_open: i64,
    /// Months without a provincial press publication.
    pub press_missing_months: &'static [u32],
    pub district_plans: usize,
    pub integrating: usize,
    /// Criminal cases, defendants, administrative violations, persons sanctioned.
    pub cases: [i64; 4],
    /// Share of eligible persons in need who get a service in the year.
    pub served: f64,
    /// Staff trained in the year: province, district, commune level.
    pub trained: [i64; 3],
    pub students_figure: i64,
    pub industrial_figure: Option<i64>,
}

pub struct Scenario {
    pub province: &'static str,
    pub seed: u64,
    pub press_outlet: &'static str,
    pub press_outlet_after_reform: &'static str,
    pub quarterly_press: bool,
    pub establishments_per_commune: f64,
    pub pilots: usize,
    pub support_cases: i64,
    /// The year before the first, for growth.
    pub baseline_cases: (i32, [i64; 4]),
    /// Staff on the programme by level (province, district, commune), as of the first year.
    pub staff: [i64; 3],
    pub remote_share: f64,
    pub years: Vec<YearPlan>,
}

pub fn soc_trang() -> Scenario {
    Scenario {
        province: "94",
        seed: 0x117_2023_1207,
        press_outlet: "Báo Sóc Trăng",
        press_outlet_after_reform: "Báo Cần Thơ",
        quarterly_press: false,
        establishments_per_commune: 2.8,
        pilots: 2,
        support_cases: 46,
        // 14 + 21 + 61 = 96 cases and persons in 2023.
        baseline_cases: (2023, [14, 21, 52, 61]),
        staff: [120, 260, 540],
        remote_share: 0.05,
        years: vec![
            YearPlan {
                year: 2024,
                coverage: 1.0,
                activities: (4, 16),
                reach_workers: 0.75,
                reach_industrial: 0.637,
                reach_students: 0.72,
                inspected: 0.58,
                tips: 64,
                tips_late: 0,
                tips_overdue_open: 0,
                press_missing_months: &[],
                district_plans: 11,
                integrating: 10,
                // 15 + 23 + 63 = 101: +5.2 % on 96.
                cases: [15, 23, 55, 63],
                served: 1.0,
                trained: [60, 110, 90],
                students_figure: 38_500,
                industrial_figure: Some(12_400),
            },
            YearPlan {
                year: 2025,
                coverage: 0.93,
                activities: (4, 16),
                reach_workers: 0.64,
                reach_industrial: 0.57,
                reach_students: 0.69,
                inspected: 0.46,
                tips: 71,
                tips_late: 3,
                tips_overdue_open: 2,
                press_missing_months: &[9],
                district_plans: 11,
                integrating: 11,
                // 15 + 22 + 66 = 103: +2.0 % on 101.
                cases: [15, 22, 58, 66],
                served: 0.9,
                trained: [32, 80, 80],
                students_figure: 39_100,
                industrial_figure: Some(13_050),
            },
        ],
    }
}

pub fn lai_chau() -> Scenario {
    Scenario {
        province: "12",
        seed: 0x2022_1200,
        press_outlet: "Báo Lai Châu",
        press_outlet_after_reform: "Báo Lai Châu",
        quarterly_press: true,
        establishments_per_commune: 1.2,
        pilots: 1,
        support_cases: 12,
        baseline_cases: (2021, [25, 31, 40, 44]),
        staff: [90, 180, 380],
        remote_share: 0.4,
        years: vec![YearPlan {
            year: 2022,
            coverage: 0.72,
            activities: (3, 9),
            reach_workers: 0.55,
            reach_industrial: 0.0,
            reach_students: 0.86,
            inspected: 0.64,
            tips: 26,
            tips_late: 2,
            tips_overdue_open: 0,
            press_missing_months: &[],
            district_plans: 8,
            integrating: 5,
            // 26 criminal cases on 25: +4 %, inside 3–5 %.
            cases: [26, 33, 38, 45],
            served: 0.7,
            trained: [70, 140, 220],
            students_figure: 14_200,
            industrial_figure: None,
        }],
    }
}
