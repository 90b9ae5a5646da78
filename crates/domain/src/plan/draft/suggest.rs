//! Which catalogue indicator could compute a drafted target, read from its
//! words, with the words that decided it. A suggestion only: the person who
//! confirms the draft checks it; a target no rule fits gets none and is then
//! followed from reported values.

use super::numbers::Unit;
use crate::plan::IndicatorId;

/// A rule: every group must have one of its words in the target's text.
struct Rule {
    id: IndicatorId,
    unit: Unit,
    all: &'static [&'static [&'static str]],
    none: &'static [&'static str],
}

const TRAINING: &[&str] = &["đào tạo", "tập huấn", "bồi dưỡng"];
const STAFF: &[&str] = &["cán bộ", "công chức", "người làm công tác", "chiến sĩ"];

/// Most specific first.
const RULES: &[Rule] = &[
    Rule { id: IndicatorId::TipsHandledOnTime, unit: Unit::Percent, all: &[&["tin báo", "tố giác", "tổ giác"]], none: &[] },
    Rule {
        id: IndicatorId::CrimesAndOffendersGrowth,
        unit: Unit::PercentChange,
        all: &[&["tội phạm"], &["đối tượng vi phạm", "đối tượng"]],
        none: &[],
    },
    Rule { id: IndicatorId::CrimesHandledGrowth, unit: Unit::PercentChange, all: &[&["tội phạm"]], none: &[] },
    Rule {
        id: IndicatorId::EstablishmentsInspectedOnce,
        unit: Unit::Percent,
        all: &[&["kiểm tra"], &["cơ sở"], &["ít nhất 01 lần", "ít nhất một lần", "ít nhất 1 lần"]],
        none: &["hằng năm", "mỗi năm"],
    },
    Rule { id: IndicatorId::EstablishmentsInspectedYearly, unit: Unit::Percent, all: &[&["kiểm tra"], &["cơ sở"]], none: &[] },
    Rule { id: IndicatorId::PressMonthlyProvincial, unit: Unit::Percent, all: &[&["báo chí"], &["tháng"]], none: &[] },
    Rule { id: IndicatorId::PressQuarterly, unit: Unit::Percent, all: &[&["báo chí", "truyền thông"], &["quý"]], none: &[] },
    Rule { id: IndicatorId::DistrictsWithPilotModelCount, unit: Unit::Count, all: &[&["mô hình"]], none: &[] },
    Rule { id: IndicatorId::DistrictsWithPilotModel, unit: Unit::Percent, all: &[&["mô hình"], &["huyện"]], none: &[] },
    Rule { id: IndicatorId::ReachIndustrialWorkers, unit: Unit::Percent, all: &[&["khu công nghiệp"]], none: &[] },
    Rule { id: IndicatorId::ReachAtRiskWorkers, unit: Unit::Percent, all: &[&["người lao động"], &["cơ sở"]], none: &[] },
    Rule { id: IndicatorId::ReachStudents, unit: Unit::Percent, all: &[&["học sinh"]], none: &[] },
    Rule { id: IndicatorId::StaffTrainedAllLevels, unit: Unit::Percent, all: &[TRAINING, &["các cấp"]], none: &[] },
    Rule { id: IndicatorId::StaffTrainedProvince, unit: Unit::Percent, all: &[TRAINING, STAFF, &["cấp tỉnh"]], none: &[] },
    Rule { id: IndicatorId::StaffTrainedLocal, unit: Unit::Percent, all: &[TRAINING, &["cấp huyện", "cấp xã"]], none: &[] },
    Rule { id: IndicatorId::EligiblePersonsServed, unit: Unit::Percent, all: &[&["người bán dâm"], &["dịch vụ", "hỗ trợ"]], none: &[] },
    Rule { id: IndicatorId::DistrictsIntegrating, unit: Unit::Percent, all: &[&["huyện"], &["lồng ghép"]], none: &[] },
    Rule { id: IndicatorId::DistrictsWithPlan, unit: Unit::Percent, all: &[&["huyện"], &["kế hoạch"]], none: &[] },
    Rule { id: IndicatorId::AwarenessCommuneCoverage, unit: Unit::Percent, all: &[&["xã"], &["tuyên truyền"]], none: &["báo chí"] },
];

/// The indicator whose rule the words fit, and why. `own` is the target's
/// own fragment, `context` the whole item it stands in (its heading and
/// sentence): the fragment is tried first, then fragment and context.
pub fn suggest(own: &str, context: &str, unit: Unit) -> Option<(IndicatorId, String)> {
    let own = own.to_lowercase();
    let both = format!("{own} {}", context.to_lowercase());
    for text in [&own, &both] {
        for r in RULES.iter().filter(|r| r.unit == unit) {
            let found: Option<Vec<&str>> = r.all.iter().map(|group| group.iter().copied().find(|w| text.contains(w))).collect();
            if let Some(words) = found {
                if r.none.iter().any(|w| own.contains(w)) {
                    continue;
                }
                let quoted: Vec<String> = words.iter().map(|w| format!("«{w}»")).collect();
                // Said in Vietnamese, as the page that shows it (the reach review of 07/12/2026).
                let whose = if std::ptr::eq(text, &own) { "chỉ tiêu" } else { "chỉ tiêu và mục chứa nó" };
                return Some((r.id, format!("{whose} có {}", quoted.join(" + "))));
            }
        }
    }
    None
}

/// Indicators counted once over a plan's whole period rather than each year
/// (staff trained once; every establishment inspected at least once).
pub fn once_over_the_plan(id: IndicatorId) -> bool {
    matches!(
        id,
        IndicatorId::StaffTrainedProvince
            | IndicatorId::StaffTrainedLocal
            | IndicatorId::StaffTrainedAllLevels
            | IndicatorId::EstablishmentsInspectedOnce
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_decide() {
        let s = |own: &str, ctx: &str, unit| suggest(own, ctx, unit).map(|(id, _)| id);
        assert_eq!(s("ít nhất 60% người lao động trong các khu công nghiệp", "", Unit::Percent), Some(IndicatorId::ReachIndustrialWorkers));
        assert_eq!(s("ít nhất 50% ở cấp huyện, cấp xã", "Đào tạo, tập huấn", Unit::Percent), Some(IndicatorId::StaffTrainedLocal));
        assert_eq!(s("tăng từ 3% - 5% số tội phạm", "", Unit::PercentChange), Some(IndicatorId::CrimesHandledGrowth));
        assert_eq!(s("100% phụ nữ được khám sức khỏe", "", Unit::Percent), None);
        let (_, why) = suggest("100% học sinh", "", Unit::Percent).unwrap();
        assert_eq!(why, "chỉ tiêu có «học sinh»");
    }
}
