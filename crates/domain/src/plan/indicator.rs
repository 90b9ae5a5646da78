//! The indicators (chỉ số) the engine knows how to compute from records.
//! A plan's target names one of these; anything else is refused on load.

use crate::units::Level;
use serde::{Deserialize, Serialize};

/// The shape of an indicator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// % of units (communes, districts) that satisfy a condition.
    PercentOfUnits,
    /// % of people or items (workers, students, tips, establishments, staff).
    PercentOfItems,
    /// A plain count.
    Count,
    /// % of periods (months, quarters) with at least one occurrence.
    Frequency,
    /// Growth of a count on the previous year, in %.
    Growth,
}

impl IndicatorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::PercentOfUnits => "percent_of_units",
            IndicatorKind::PercentOfItems => "percent_of_items",
            IndicatorKind::Count => "count",
            IndicatorKind::Frequency => "frequency",
            IndicatorKind::Growth => "growth",
        }
    }

    /// Whether values are bounded to 0–100.
    pub fn is_percentage(self) -> bool {
        matches!(self, IndicatorKind::PercentOfUnits | IndicatorKind::PercentOfItems | IndicatorKind::Frequency)
    }
}

/// Declares `IndicatorId` with its list and codes from one table.
macro_rules! indicator_ids {
    ($($variant:ident => $code:literal,)*) => {
        /// Every indicator the engine computes, typed: the engine matches on this,
        /// never on code strings. `code()` is the stable name plans and exports use
        /// (and what it reads and writes as).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum IndicatorId {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl IndicatorId {
            pub const ALL: &'static [IndicatorId] = &[$(IndicatorId::$variant,)*];

            pub fn code(self) -> &'static str {
                match self {
                    $(IndicatorId::$variant => $code,)*
                }
            }
        }
    };
}

indicator_ids! {
    AwarenessCommuneCoverage => "awareness_commune_coverage",
    PressMonthlyProvincial => "press_monthly_provincial",
    PressQuarterly => "press_quarterly",
    ReachAtRiskWorkers => "reach_at_risk_workers",
    ReachIndustrialWorkers => "reach_industrial_workers",
    ReachStudents => "reach_students",
    DistrictsWithPlan => "districts_with_plan",
    DistrictsIntegrating => "districts_integrating",
    TipsHandledOnTime => "tips_handled_on_time",
    CrimesAndOffendersGrowth => "crimes_and_offenders_growth",
    CrimesHandledGrowth => "crimes_handled_growth",
    EstablishmentsInspectedYearly => "establishments_inspected_yearly",
    EstablishmentsInspectedOnce => "establishments_inspected_once",
    DistrictsWithPilotModel => "districts_with_pilot_model",
    DistrictsWithPilotModelCount => "districts_with_pilot_model_count",
    EligiblePersonsServed => "eligible_persons_served",
    StaffTrainedProvince => "staff_trained_province",
    StaffTrainedLocal => "staff_trained_local",
    StaffTrainedAllLevels => "staff_trained_all_levels",
    Reported => "reported",
}

impl IndicatorId {
    pub fn from_code(code: &str) -> Option<IndicatorId> {
        IndicatorId::ALL.iter().copied().find(|i| i.code() == code)
    }

    /// A target no catalogue indicator computes (chỉ tiêu do cơ quan báo cáo):
    /// the agency responsible reports its value each period, with evidence.
    pub fn is_reported(self) -> bool {
        self == IndicatorId::Reported
    }

    /// Indicators that can only grow within their window (communes covered,
    /// people reached, establishments inspected, staff trained, districts with
    /// a plan or a model): mid-way they are judged against a straight line.
    pub fn is_cumulative(self) -> bool {
        use IndicatorId::*;
        !matches!(
            self,
            PressMonthlyProvincial
                | PressQuarterly
                | TipsHandledOnTime
                | CrimesAndOffendersGrowth
                | CrimesHandledGrowth
                | EligiblePersonsServed
                | Reported
        )
    }

    /// Indicators whose value in any window of a year is the year's own (b2:
    /// the content of the districts' plans for the year, whatever days are
    /// asked). A quarter of such a target is judged on the year so far, from
    /// its start: the fourth quarter once the year has ended is judged as the
    /// year is (met or not met), never "on track" against a quarter's share.
    pub fn is_standing(self) -> bool {
        self == IndicatorId::DistrictsIntegrating
    }

    /// The lowest level at which the indicator means something. Above it, up to
    /// the plan's own level, the target applies; below it, it does not (a
    /// provincial-press target is the province's, not a commune's; "10% of
    /// districts run a pilot model" is a share of the province's districts).
    pub fn lowest_level(self) -> Level {
        use IndicatorId::*;
        match self {
            PressMonthlyProvincial | PressQuarterly | DistrictsWithPilotModel | DistrictsWithPilotModelCount | StaffTrainedProvince => {
                Level::Province
            }
            DistrictsWithPlan | DistrictsIntegrating => Level::District,
            _ => Level::Commune,
        }
    }
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Indicator {
    pub code: &'static str,
    pub kind: IndicatorKind,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    /// What is counted above the line, and below it where there is one.
    pub numerator_vi: &'static str,
    pub denominator_vi: &'static str,
}

const fn ind(
    code: &'static str,
    kind: IndicatorKind,
    name_vi: &'static str,
    name_en: &'static str,
    numerator_vi: &'static str,
    denominator_vi: &'static str,
) -> Indicator {
    Indicator { code, kind, name_vi, name_en, numerator_vi, denominator_vi }
}

use IndicatorKind::*;

/// Every indicator pcmd computes. Codes are stable: plans, exports and DHIS2 use them.
pub const CATALOGUE: &[Indicator] = &[
    ind(
        "awareness_commune_coverage",
        PercentOfUnits,
        "Tỷ lệ xã duy trì tuyên truyền hằng quý",
        "Communes with an awareness activity every quarter",
        "số xã có hoạt động tuyên truyền trong mỗi quý đã qua của kỳ (duy trì thường xuyên)",
        "số xã",
    ),
    ind(
        "press_monthly_provincial",
        Frequency,
        "Tần suất đăng tin trên báo chí cấp tỉnh (tháng)",
        "Months with a provincial press publication",
        "số tháng có ít nhất 1 tin, bài cấp tỉnh",
        "số tháng đã qua (tháng báo cáo 15–14 với kỳ theo Nghị định 09)",
    ),
    ind(
        "press_quarterly",
        Frequency,
        "Tần suất đăng tin trên báo chí cấp tỉnh, huyện (quý)",
        "Quarters with a provincial or district press publication",
        "số quý có ít nhất 1 tin, bài cấp tỉnh hoặc huyện",
        "số quý đã qua",
    ),
    ind(
        "reach_at_risk_workers",
        PercentOfItems,
        "Tỷ lệ người lao động tại cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm được tuyên truyền",
        "At-risk establishment workers reached",
        "số người lao động được tuyên truyền, mỗi xã không quá số người lao động của xã",
        "số người lao động tại các cơ sở đang hoạt động",
    ),
    ind(
        "reach_industrial_workers",
        PercentOfItems,
        "Tỷ lệ người lao động trong khu công nghiệp được tuyên truyền",
        "Industrial-zone workers reached",
        "số người lao động khu công nghiệp được tuyên truyền, không quá số liệu tham chiếu",
        "số người lao động khu công nghiệp (số liệu tham chiếu)",
    ),
    ind(
        "reach_students",
        PercentOfItems,
        "Tỷ lệ học sinh, sinh viên THPT, giáo dục nghề nghiệp được tuyên truyền",
        "High-school and vocational students reached",
        "số học sinh, sinh viên được tuyên truyền, không quá số liệu tham chiếu",
        "số học sinh, sinh viên (số liệu tham chiếu)",
    ),
    ind(
        "districts_with_plan",
        PercentOfUnits,
        "Tỷ lệ huyện xây dựng kế hoạch",
        "Districts with a plan",
        "số huyện có kế hoạch trong năm và có hoạt động được ghi nhận",
        "số huyện",
    ),
    ind(
        "districts_integrating",
        PercentOfUnits,
        "Tỷ lệ huyện lồng ghép nhiệm vụ với các chương trình khác",
        "Districts integrating the work with other programmes",
        "số huyện lồng ghép với cả bốn chương trình (kinh tế - xã hội, an sinh, ma túy, HIV/AIDS)",
        "số huyện",
    ),
    ind(
        "tips_handled_on_time",
        PercentOfItems,
        "Tỷ lệ tố giác, tin báo, khiếu nại được xử lý đúng hạn",
        "Tips, reports and complaints handled on time",
        "số tin được giải quyết trong thời hạn luật định",
        "số tin đến hạn trong kỳ",
    ),
    ind(
        "crimes_and_offenders_growth",
        Growth,
        "Mức tăng số tội phạm và đối tượng vi phạm được xử lý",
        "Growth of crimes and offenders handled",
        "số vụ và đối tượng được xử lý trong năm",
        "số của năm trước",
    ),
    ind(
        "crimes_handled_growth",
        Growth,
        "Mức tăng số tội phạm liên quan đến mại dâm được xử lý",
        "Growth of prostitution-related crimes handled",
        "số vụ phạm tội được xử lý trong năm",
        "số của năm trước",
    ),
    ind(
        "establishments_inspected_yearly",
        PercentOfItems,
        "Tỷ lệ cơ sở được kiểm tra trong năm",
        "Establishments inspected in the year",
        "số cơ sở được kiểm tra ít nhất 1 lần trong năm",
        "số cơ sở còn hoạt động cuối kỳ hoặc đã được kiểm tra trong kỳ",
    ),
    ind(
        "establishments_inspected_once",
        PercentOfItems,
        "Tỷ lệ cơ sở được kiểm tra ít nhất 1 lần trong giai đoạn",
        "Establishments inspected at least once in the period",
        "số cơ sở được kiểm tra ít nhất 1 lần trong giai đoạn",
        "số cơ sở còn hoạt động cuối kỳ hoặc đã được kiểm tra trong kỳ",
    ),
    ind(
        "districts_with_pilot_model",
        PercentOfUnits,
        "Tỷ lệ địa bàn cấp huyện có mô hình thí điểm",
        "Districts running a pilot model",
        "số huyện có mô hình đang hoạt động",
        "số huyện",
    ),
    ind(
        "districts_with_pilot_model_count",
        Count,
        "Số địa bàn cấp huyện có mô hình thí điểm",
        "Number of districts running a pilot model",
        "số huyện có mô hình đang hoạt động",
        "",
    ),
    ind(
        "eligible_persons_served",
        PercentOfItems,
        "Tỷ lệ người bán dâm có nhu cầu, đủ điều kiện được hỗ trợ",
        "Eligible persons in need who received a service",
        "số người được cung cấp ít nhất 1 dịch vụ",
        "số người có nhu cầu và đủ điều kiện",
    ),
    ind(
        "staff_trained_province",
        PercentOfItems,
        "Tỷ lệ cán bộ cấp tỉnh được tập huấn",
        "Provincial staff trained",
        "số cán bộ cấp tỉnh được tập huấn",
        "số cán bộ cấp tỉnh làm công tác phòng, chống mại dâm",
    ),
    ind(
        "staff_trained_local",
        PercentOfItems,
        "Tỷ lệ cán bộ cấp huyện, cấp xã được tập huấn",
        "District and commune staff trained",
        "số cán bộ cấp huyện, xã được tập huấn",
        "số cán bộ cấp huyện, xã làm công tác phòng, chống mại dâm",
    ),
    ind(
        "staff_trained_all_levels",
        PercentOfItems,
        "Tỷ lệ cán bộ các cấp được tập huấn",
        "Staff at all levels trained",
        "số cán bộ được tập huấn",
        "số cán bộ làm công tác phòng, chống tệ nạn xã hội các cấp",
    ),
];

/// A value as people read it for an indicator kind (`count`, `growth`, or a
/// percentage): "87,5%", "+5,2%", "1".
pub fn value_text(kind: &str, value: Option<f64>) -> String {
    use crate::money::format_decimal_vn as n;
    match value {
        None => "—".into(),
        Some(v) if kind == "count" => n(v),
        Some(v) if kind == "growth" => format!("{}{}%", if v > 0.0 { "+" } else { "" }, n(v)),
        Some(v) => format!("{}%", n(v)),
    }
}

/// A threshold as people read it: "≥ 70%", "+3% – +5%", "≥ 1".
pub fn threshold_text(kind: &str, comparator: &str, low: f64, high: Option<f64>) -> String {
    let one = |v: f64| value_text(kind, Some(v));
    match (comparator, high) {
        ("between", Some(h)) => format!("{} – {}", one(low), one(h)),
        ("at_most", _) => format!("≤ {}", one(low)),
        _ => format!("≥ {}", one(low)),
    }
}

pub fn find(code: &str) -> Option<&'static Indicator> {
    CATALOGUE.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique() {
        let codes: HashSet<_> = CATALOGUE.iter().map(|i| i.code).collect();
        assert_eq!(codes.len(), CATALOGUE.len());
        assert!(find("reach_students").is_some());
        assert!(find("reach_everyone").is_none());
        // The typed list and the catalogue name the same indicators, but for the
        // reported value, which nothing computes.
        assert_eq!(IndicatorId::ALL.len(), CATALOGUE.len() + 1);
        assert!(find("reported").is_none());
        for &i in IndicatorId::ALL.iter().filter(|i| !i.is_reported()) {
            assert_eq!(IndicatorId::from_code(i.code()), Some(i));
            assert!(find(i.code()).is_some(), "{}", i.code());
        }
        assert_eq!(threshold_text("growth", "between", 3.0, Some(5.0)), "+3% – +5%");
        assert_eq!(threshold_text("count", "at_least", 1.0, None), "≥ 1");
        assert_eq!(threshold_text("percent_of_units", "at_least", 70.0, None), "≥ 70%");
    }
}
