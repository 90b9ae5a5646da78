//! The words of an administrative text (Decree 30/2020/NĐ-CP): the place and
//! date line, a unit as running text names it, a period in words, a plan as a
//! report cites it, the recipients by the report's date, and a target as a
//! reader knows it (its clause and a short label, never an internal code).

use chrono::{Datelike, NaiveDate};
use pcmd_domain::date::format_vn;
use pcmd_domain::period::Period;
use pcmd_domain::units::{Level, Unit, UnitIndex, REFORM_DAY};

/// The type words a unit's name may start with, longest first.
const TYPE_PREFIXES: [&str; 10] = ["Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Huyện", "Phường", "Quận", "Tỉnh", "Xã", "TP."];

/// The name without its type word ("Thành phố Sóc Trăng" → ("Thành phố", "Sóc Trăng")).
fn split_type(name: &str) -> Option<(&str, &str)> {
    TYPE_PREFIXES.iter().find_map(|p| name.strip_prefix(p).and_then(|rest| rest.strip_prefix(' ')).map(|rest| (*p, rest.trim())))
}

/// A name that is only a number ("2", "10", "III"): the type word is part of it ("Phường 2").
fn is_number_name(rest: &str) -> bool {
    !rest.is_empty() && (rest.chars().all(|c| c.is_ascii_digit()) || rest.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')))
}

/// The place of a document (Decree 30/2020, Appendix I, II.5: the name of the
/// administrative unit where the issuing body sits): the unit's name without
/// its type word — "Tỉnh Sóc Trăng" and "Thành phố Sóc Trăng" give "Sóc Trăng",
/// "Xã Đại Tâm" gives "Đại Tâm" — except a name that is only a number, which
/// keeps it: "Phường 2", "Quận 1".
pub fn place_name(unit: &Unit) -> String {
    match split_type(&unit.name) {
        Some((_, rest)) if !is_number_name(rest) => rest.to_string(),
        _ => unit.name.clone(),
    }
}

/// The unit as running text names it: the type word in lower case before a
/// proper name ("tỉnh Sóc Trăng", "thành phố Sóc Trăng", "xã Đại Tâm"), as
/// written before a number ("Phường 2").
pub fn unit_in_text(unit: &Unit) -> String {
    match split_type(&unit.name) {
        Some((kind, rest)) if !is_number_name(rest) => format!("{} {rest}", kind.to_lowercase()),
        _ => unit.name.clone(),
    }
}

/// A month as a document's date writes it: Decree 30 (Appendix I, II.5.b)
/// puts a 0 before the months 1 and 2 only (so that no digit can be added).
pub fn month_text(month: u32) -> String {
    if month < 3 {
        format!("{month:02}")
    } else {
        month.to_string()
    }
}

/// "ngày 05 tháng 6 năm 2024": a 0 before the days 1–9 and the months 1–2 (Decree 30).
pub fn date_words(d: NaiveDate) -> String {
    format!("ngày {:02} tháng {} năm {}", d.day(), month_text(d.month()), d.year())
}

/// The unit whose People's Committee issues a report of `unit` on `date`: the
/// unit itself while it exists. A unit the 2025 reform ended signs nothing after
/// its last day, and a document is never dated back to it: its report is made by
/// the unit that took it over —
/// * the unit that goes on under the same code, level and name, in whatever
///   province it now is (Lai Châu, 12; a commune of Sóc Trăng that kept its
///   name and code in Cần Thơ), with its own settings and superiors;
/// * else the new commune an old commune went into (Phường 2 → Phường Phú Lợi),
///   and for an old district or province the new province that took its
///   communes (Tỉnh Sóc Trăng → Thành phố Cần Thơ), on the territory of the old
///   unit ("trên địa bàn tỉnh Sóc Trăng (cũ)").
pub fn issuing_unit<'a>(units: &'a UnitIndex, unit: &'a Unit, date: NaiveDate) -> &'a Unit {
    if unit.valid_to >= date {
        return unit;
    }
    let valid = |id: i64| units.get(id).filter(|u| u.valid_on(date));
    let going_on = unit
        .valid_to
        .succ_opt()
        .and_then(|next| units.resolve(&unit.code, next))
        .filter(|u| u.level == unit.level && u.name == unit.name)
        .and_then(|u| valid(u.id));
    if let Some(next) = going_on {
        return next;
    }
    if let Some(next) = units.successor(unit.id).and_then(valid) {
        return next;
    }
    // An old district or province: the new province holding its communes' successors.
    units.communes_under(unit.id).iter().filter_map(|c| units.successor(*c)).filter_map(|n| units.province_of(n)).find_map(valid).unwrap_or(unit)
}

/// Whether `by` took over `unit` as another body (named otherwise): the report is
/// then said to be on the old unit's territory ("(cũ)"). A unit going on under
/// its code and name is the same body.
pub fn taken_over(unit: &Unit, by: &Unit) -> bool {
    by.id != unit.id && (by.code != unit.code || by.name != unit.name)
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

/// A period as a report's text says it: "năm 2024", "6 tháng đầu năm 2024",
/// "quý III năm 2024", "tháng 3 năm 2024", "giai đoạn 2024 - 2025"; a reporting
/// year of Decree 09/2019 ("2024-Y", 15/12/2023–14/12/2024) with its days:
/// "năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)"; any other span by its days.
pub fn period_words(p: &Period) -> String {
    let days = || format!("từ ngày {} đến ngày {}", format_vn(p.from), format_vn(p.to));
    let label = p.label.trim();
    let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
    if let Some(y) = year(label) {
        return format!("năm {y}");
    }
    if let Some((a, b)) = label.split_once("..") {
        if let (Some(a), Some(b)) = (year(a), year(b)) {
            return format!("giai đoạn {a} - {b}");
        }
        return days();
    }
    let Some((y, rest)) = label.split_once('-') else { return days() };
    let Some(y) = year(y) else { return days() };
    match rest.to_ascii_uppercase().as_str() {
        "Y" if p.is_reporting() => format!("năm {y} ({})", days()),
        "Y" => format!("năm {y}"),
        "H1" => format!("6 tháng đầu năm {y}"),
        "H2" => format!("6 tháng cuối năm {y}"),
        q if q.len() == 2 && q.starts_with('Q') => {
            match q.get(1..).and_then(|n| n.parse::<usize>().ok()).and_then(|n| n.checked_sub(1)).and_then(|i| ROMAN.get(i)) {
                Some(r) => format!("quý {r} năm {y}"),
                None => days(),
            }
        }
        m => match m.parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => format!("tháng {} năm {y}", month_text(m)),
            _ => days(),
        },
    }
}

/// A period in words without its days, as a title or heading says it:
/// "năm 2024", "6 tháng đầu năm 2024" (the reporting year's days go in the text).
pub fn period_short(p: &Period) -> String {
    let mut words = period_words(p);
    if let Some(cut) = words.find(" (từ ngày") {
        words.truncate(cut);
    }
    words
}

/// A plan as a report cites it: "Nghị quyết số 117/NQ-HĐND ngày 07/12/2023 của
/// Hội đồng nhân dân tỉnh Sóc Trăng về công tác phòng, chống mại dâm …". A
/// number printed without its figure ("/KH-UBND") and a missing date are left out.
pub fn plan_reference(kind: &str, number: &str, issued_on: Option<NaiveDate>, issuer: &str, title: &str) -> String {
    let mut out = kind.to_string();
    if number.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit()) {
        out.push_str(&format!(" số {}", number.trim()));
    }
    if let Some(d) = issued_on {
        out.push_str(&format!(" ngày {}", format_vn(d)));
    }
    if !issuer.trim().is_empty() {
        out.push_str(&format!(" của {}", issuer.trim()));
    }
    // The title repeats the kind ("Nghị quyết về …"): what follows it, said "về …".
    let title = title.trim();
    let rest = title.strip_prefix(kind).or_else(|| title.strip_prefix(kind.to_lowercase().as_str())).unwrap_or(title).trim();
    if !rest.is_empty() {
        out.push_str(if rest.starts_with("về ") { " " } else { " về " });
        out.push_str(rest);
    }
    out
}

/// The day the Ministry of Health took over the social-evils work of the
/// Ministry of Labour, Invalids and Social Affairs (Decree 42/2025/NĐ-CP and the
/// merger of ministries, in force 01/03/2025), and with it the provinces'
/// departments (Sở Y tế from Sở LĐTBXH) and the districts' offices.
pub const HEALTH_TAKES_OVER: NaiveDate = match NaiveDate::from_ymd_opt(2025, 3, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Who a report goes to and who keeps it, by the unit's level and the report's date.
#[derive(Debug, Clone, PartialEq)]
pub struct Addressing {
    /// "Kính gửi: …" — the body the report is made for.
    pub recipient: Option<String>,
    /// The other lines of "Nơi nhận:" (besides "- Như trên;" and "- Lưu: …").
    pub copies_to: Vec<String>,
    /// "VT, SYT": the archive (văn thư) and the drafting office's short name.
    pub filed_with: String,
}

/// The UBND of a unit, as running text names it: "Ủy ban nhân dân thành phố Sóc Trăng".
pub fn people_committee_of(unit: &Unit) -> String {
    format!("Ủy ban nhân dân {}", unit_in_text(unit))
}

/// The recipients of a unit's report dated `date`:
/// * a province reports to the ministry leading the work (Bộ Lao động – Thương
///   binh và Xã hội before 01/03/2025, Bộ Y tế from then), a copy to its own
///   standing department (Sở LĐTBXH / Sở Y tế), drafted by that department
///   ("LĐTBXH" / "SYT");
/// * a district reports to the province's People's Committee, a copy to the
///   standing department, drafted by its office (Phòng LĐTBXH / Phòng VH-XH);
/// * a commune reports to its district's People's Committee (the province's
///   from 01/07/2025, when districts are gone), drafted by its culture and
///   social officers ("VH-XH"); district and provincial departments are not
///   its recipients, and the People's Committee it reports to is covered by
///   "Như trên".
///
/// When the plan was issued by a People's Council ("Hội đồng nhân dân …"), its
/// standing committee, which supervises the plan, gets a copy of the province's report.
pub fn addressing(units: &UnitIndex, unit: &Unit, date: NaiveDate, plan_issuer: &str) -> Addressing {
    let health = date >= HEALTH_TAKES_OVER;
    let department = if health { "Sở Y tế" } else { "Sở Lao động – Thương binh và Xã hội" };
    let parent = unit.parent_id.and_then(|id| units.get(id));
    let province = units.province_of(unit.id).and_then(|id| units.get(id)).filter(|p| p.id != unit.id);
    match unit.level {
        Level::Province => {
            let mut copies = Vec::new();
            if plan_issuer.starts_with("Hội đồng nhân dân") {
                copies.push(format!("Thường trực {plan_issuer}"));
            }
            copies.push(format!("{department} (cơ quan thường trực)"));
            Addressing {
                recipient: Some(if health { "Bộ Y tế".into() } else { "Bộ Lao động – Thương binh và Xã hội".into() }),
                copies_to: copies,
                filed_with: if health { "VT, SYT".into() } else { "VT, LĐTBXH".into() },
            }
        }
        Level::District => Addressing {
            recipient: province.or(parent).map(people_committee_of),
            copies_to: vec![format!("{department} (cơ quan thường trực)")],
            filed_with: if health { "VT, Phòng VH-XH".into() } else { "VT, Phòng LĐTBXH".into() },
        },
        Level::Commune => {
            let above = if date < REFORM_DAY { parent.or(province) } else { province.or(parent) };
            Addressing { recipient: above.map(people_committee_of), copies_to: Vec::new(), filed_with: "VT, VH-XH".into() }
        }
    }
}

/// Who signs (Decree 30/2020, Appendix I, II.7): on behalf of the collective
/// body ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"), or for the chair by a deputy
/// ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"); the name when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Signer {
    /// "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"; none when the head signs in their own name.
    pub capacity: Option<String>,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    pub title: String,
    pub name: Option<String>,
}

impl Signer {
    /// The chair, on behalf of the People's Committee (the default).
    pub fn chair(name: Option<String>) -> Signer {
        Signer { capacity: Some("TM. ỦY BAN NHÂN DÂN".into()), title: "CHỦ TỊCH".into(), name }
    }

    /// A deputy chair, for the chair.
    pub fn deputy(name: Option<String>) -> Signer {
        Signer { capacity: Some("KT. CHỦ TỊCH".into()), title: "PHÓ CHỦ TỊCH".into(), name }
    }
}

impl Default for Signer {
    fn default() -> Self {
        Signer::chair(None)
    }
}

/// Short labels of the catalogue's indicators, as a report names a target in a sentence.
const INDICATOR_LABELS: [(&str, &str); 19] = [
    ("awareness_commune_coverage", "xã, phường, thị trấn duy trì tuyên truyền hằng quý"),
    ("press_monthly_provincial", "báo chí cấp tỉnh đưa tin hằng tháng"),
    ("press_quarterly", "báo chí đưa tin hằng quý"),
    ("reach_at_risk_workers", "người lao động tại cơ sở kinh doanh dịch vụ"),
    ("reach_industrial_workers", "công nhân khu công nghiệp"),
    ("reach_students", "học sinh, sinh viên"),
    ("districts_with_plan", "cấp huyện có kế hoạch và tổ chức thực hiện"),
    ("districts_integrating", "cấp huyện lồng ghép nhiệm vụ"),
    ("tips_handled_on_time", "tố giác, tin báo, khiếu nại được xử lý kịp thời"),
    ("crimes_and_offenders_growth", "số tội phạm, đối tượng vi phạm được xử lý tăng"),
    ("crimes_handled_growth", "số vụ việc được xử lý tăng"),
    ("establishments_inspected_yearly", "cơ sở được kiểm tra hằng năm"),
    ("establishments_inspected_once", "cơ sở được kiểm tra ít nhất 01 lần"),
    ("districts_with_pilot_model", "cấp huyện có mô hình thí điểm"),
    ("districts_with_pilot_model_count", "cấp huyện có mô hình thí điểm"),
    ("eligible_persons_served", "người bán dâm có nhu cầu được hỗ trợ"),
    ("staff_trained_province", "cán bộ cấp tỉnh được tập huấn"),
    ("staff_trained_local", "cán bộ cấp huyện, xã được tập huấn"),
    ("staff_trained_all_levels", "cán bộ các cấp được tập huấn"),
];

/// What the usual last parts of target codes stand for (a3.workers: the
/// workers of point a, (3)), for an indicator the catalogue above does not name.
const SUFFIX_LABELS: [(&str, &str); 9] = [
    ("workers", "người lao động tại cơ sở kinh doanh dịch vụ"),
    ("industrial", "công nhân khu công nghiệp"),
    ("students", "học sinh, sinh viên"),
    ("inspected_yearly", "cơ sở được kiểm tra hằng năm"),
    ("inspected_once", "cơ sở được kiểm tra ít nhất 01 lần"),
    ("inspected", "cơ sở được kiểm tra"),
    ("growth", "số vụ việc, đối tượng được xử lý tăng"),
    ("province", "cấp tỉnh"),
    ("local", "cấp huyện, xã"),
];

/// Words kept in a label shortened from a target's text.
const SHORT_WORDS: usize = 12;

/// A target as a reader knows it: its clause in the plan ("a3", "đ", "3.1.3")
/// and a short label ("a3 – người lao động tại cơ sở kinh doanh dịch vụ").
/// The clause is the code without a last part made of letters (`a3.workers` →
/// `a3`). The label names the indicator (`INDICATOR_LABELS`), or else that
/// last part (`SUFFIX_LABELS`), or else is the target's text cut to its first words.
pub fn target_label(code: &str, indicator: &str, text: &str) -> (String, String) {
    let (clause, suffix) = match code.rsplit_once('.') {
        Some((head, tail)) if !head.is_empty() && !tail.is_empty() && tail.chars().all(|c| c.is_ascii_lowercase() || c == '_') => (head, Some(tail)),
        _ => (code, None),
    };
    let known = INDICATOR_LABELS
        .iter()
        .find(|(k, _)| *k == indicator)
        .or_else(|| suffix.and_then(|s| SUFFIX_LABELS.iter().find(|(k, _)| *k == s)))
        .map(|(_, label)| label.to_string());
    let short = known.unwrap_or_else(|| shorten(text));
    let label = if short.is_empty() { clause.to_string() } else { format!("{clause} – {short}") };
    (clause.to_string(), label)
}

/// The first words of a text, without its final stop; "…" when cut.
fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let cut = words.len() > SHORT_WORDS;
    let mut out = words.into_iter().take(SHORT_WORDS).collect::<Vec<_>>().join(" ");
    while out.ends_with(['.', ',', ';', ':']) {
        out.pop();
    }
    if cut {
        out.push('…');
    }
    out
}

/// The text with its first letter in capitals (a target's text may start mid-sentence).
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcmd_domain::period::Cutoff;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn unit(id: i64, name: &str, level: Level, parent: Option<i64>) -> Unit {
        Unit {
            id,
            code: id.to_string(),
            name: name.into(),
            unit_type: split_type(name).map_or("", |(k, _)| k).to_string(),
            level,
            parent_id: parent,
            parent_code: parent.map(|p| p.to_string()),
            lat: None,
            lon: None,
            area_km2: None,
            valid_from: d(2020, 1, 1),
            valid_to: d(2025, 6, 30),
        }
    }

    #[test]
    fn place_is_the_units_own_name_without_its_type() {
        assert_eq!(place_name(&unit(94, "Tỉnh Sóc Trăng", Level::Province, None)), "Sóc Trăng");
        assert_eq!(place_name(&unit(941, "Thành phố Sóc Trăng", Level::District, Some(94))), "Sóc Trăng");
        assert_eq!(place_name(&unit(942, "Huyện Châu Thành", Level::District, Some(94))), "Châu Thành");
        assert_eq!(place_name(&unit(943, "Thị xã Ngã Năm", Level::District, Some(94))), "Ngã Năm");
        // A commune named by a number keeps its type word.
        assert_eq!(place_name(&unit(31510, "Phường 2", Level::Commune, Some(941))), "Phường 2");
        assert_eq!(place_name(&unit(1, "Phường IV", Level::Commune, Some(941))), "Phường IV");
        assert_eq!(place_name(&unit(2, "Quận 1", Level::District, Some(79))), "Quận 1");
        assert_eq!(place_name(&unit(3, "Xã Đại Tâm", Level::Commune, Some(942))), "Đại Tâm");
        assert_eq!(place_name(&unit(4, "Thị trấn Châu Thành", Level::Commune, Some(942))), "Châu Thành");
        assert_eq!(unit_in_text(&unit(941, "Thành phố Sóc Trăng", Level::District, Some(94))), "thành phố Sóc Trăng");
        assert_eq!(unit_in_text(&unit(31510, "Phường 2", Level::Commune, Some(941))), "Phường 2");
    }

    #[test]
    fn dates_put_a_zero_before_days_1_to_9_and_months_1_and_2_only() {
        assert_eq!(date_words(d(2024, 6, 5)), "ngày 05 tháng 6 năm 2024");
        assert_eq!(date_words(d(2024, 2, 15)), "ngày 15 tháng 02 năm 2024");
        assert_eq!(date_words(d(2024, 1, 9)), "ngày 09 tháng 01 năm 2024");
        assert_eq!(date_words(d(2024, 12, 20)), "ngày 20 tháng 12 năm 2024");
        assert_eq!(date_words(d(2024, 10, 1)), "ngày 01 tháng 10 năm 2024");
    }

    #[test]
    fn a_ceased_unit_s_report_is_made_by_the_body_that_took_its_territory() {
        let province = unit(94, "Tỉnh Sóc Trăng", Level::Province, None);
        let district = unit(941, "Thành phố Sóc Trăng", Level::District, Some(94));
        let ward = unit(31510, "Phường 2", Level::Commune, Some(941));
        // Lai Châu (12) goes on under its code from 01/07/2025, as a new unit.
        let lai_chau = unit(12, "Tỉnh Lai Châu", Level::Province, None);
        let lai_chau_after = Unit { id: 11150, valid_from: d(2025, 7, 1), valid_to: d(9999, 12, 31), ..lai_chau.clone() };
        // Phường 2 (31510) went into the new Phường Phú Lợi of the new Thành phố Cần Thơ (92).
        let can_tho = Unit {
            id: 13092,
            code: "92".into(),
            name: "Thành phố Cần Thơ".into(),
            valid_from: d(2025, 7, 1),
            valid_to: d(9999, 12, 31),
            ..province.clone()
        };
        let phu_loi = Unit {
            id: 13000,
            name: "Phường Phú Lợi".into(),
            parent_id: Some(13092),
            valid_from: d(2025, 7, 1),
            valid_to: d(9999, 12, 31),
            ..ward.clone()
        };
        let units = UnitIndex::new(
            vec![province.clone(), district.clone(), ward.clone(), lai_chau.clone(), lai_chau_after, can_tho, phu_loi],
            &[(31510, 13000, pcmd_domain::units::SuccessionKind::Whole)],
        );
        let by = |u: &Unit, day: NaiveDate| issuing_unit(&units, u, day).id;
        // While it exists (to 30/06/2025), the unit itself.
        assert_eq!(by(&province, d(2024, 12, 20)), 94);
        assert_eq!(by(&ward, d(2025, 6, 30)), 31510);
        // After: the new commune for a commune, the new province for a district and a province.
        assert_eq!(by(&ward, d(2026, 12, 2)), 13000);
        assert_eq!(by(&district, d(2026, 12, 2)), 13092);
        assert_eq!(by(&province, d(2026, 12, 2)), 13092);
        // A province the reform left whole goes on: the unit that goes on, the same body (no "(cũ)").
        assert_eq!(by(&lai_chau, d(2026, 12, 2)), 11150);
        assert!(!taken_over(&lai_chau, units.get(11150).unwrap()));
        assert!(taken_over(&province, units.get(13092).unwrap()) && taken_over(&ward, units.get(13000).unwrap()));
    }

    #[test]
    fn periods_in_words() {
        let words = |l: &str, c: Cutoff| period_words(&Period::parse(l, c).unwrap());
        assert_eq!(words("2024", Cutoff::Decree09), "năm 2024");
        assert_eq!(words("2024-Y", Cutoff::Decree09), "năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)");
        assert_eq!(words("2024-Y", Cutoff::Calendar), "năm 2024");
        assert_eq!(words("2024-H1", Cutoff::Decree09), "6 tháng đầu năm 2024");
        assert_eq!(words("2024-H2", Cutoff::Decree09), "6 tháng cuối năm 2024");
        assert_eq!(words("2024-Q3", Cutoff::Decree09), "quý III năm 2024");
        assert_eq!(words("2024-03", Cutoff::Decree09), "tháng 3 năm 2024");
        assert_eq!(words("2024-02", Cutoff::Decree09), "tháng 02 năm 2024");
        assert_eq!(words("2024..2025", Cutoff::Decree09), "giai đoạn 2024 - 2025");
        assert_eq!(words("2024-03-01..2024-05-31", Cutoff::Decree09), "từ ngày 01/03/2024 đến ngày 31/05/2024");
    }

    #[test]
    fn plans_are_cited_by_kind_number_date_and_issuer() {
        assert_eq!(
            plan_reference(
                "Nghị quyết",
                "117/NQ-HĐND",
                Some(d(2023, 12, 7)),
                "Hội đồng nhân dân tỉnh Sóc Trăng",
                "Nghị quyết về công tác phòng, chống mại dâm giai đoạn 2024 - 2025 trên địa bàn tỉnh Sóc Trăng"
            ),
            "Nghị quyết số 117/NQ-HĐND ngày 07/12/2023 của Hội đồng nhân dân tỉnh Sóc Trăng về công tác phòng, chống mại dâm giai đoạn 2024 - 2025 trên địa bàn tỉnh Sóc Trăng"
        );
        // Lai Châu's plan as held: unnumbered and undated.
        assert_eq!(
            plan_reference(
                "Kế hoạch",
                "/KH-UBND",
                None,
                "Ủy ban nhân dân tỉnh Lai Châu",
                "Kế hoạch phòng, chống mại dâm năm 2022 trên địa bàn tỉnh Lai Châu"
            ),
            "Kế hoạch của Ủy ban nhân dân tỉnh Lai Châu về phòng, chống mại dâm năm 2022 trên địa bàn tỉnh Lai Châu"
        );
    }

    #[test]
    fn recipients_follow_the_level_and_the_date() {
        let units = UnitIndex::new(
            vec![
                unit(94, "Tỉnh Sóc Trăng", Level::Province, None),
                unit(941, "Thành phố Sóc Trăng", Level::District, Some(94)),
                unit(31510, "Phường 2", Level::Commune, Some(941)),
            ],
            &[],
        );
        let get = |id| units.get(id).unwrap().clone();
        let hdnd = "Hội đồng nhân dân tỉnh Sóc Trăng";
        let before = addressing(&units, &get(94), d(2024, 12, 20), hdnd);
        assert_eq!(before.recipient.as_deref(), Some("Bộ Lao động – Thương binh và Xã hội"));
        assert_eq!(
            before.copies_to,
            vec!["Thường trực Hội đồng nhân dân tỉnh Sóc Trăng".to_string(), "Sở Lao động – Thương binh và Xã hội (cơ quan thường trực)".into()]
        );
        assert_eq!(before.filed_with, "VT, LĐTBXH");
        let after = addressing(&units, &get(94), d(2025, 3, 1), hdnd);
        assert_eq!(after.recipient.as_deref(), Some("Bộ Y tế"));
        assert_eq!(after.filed_with, "VT, SYT");
        let district = addressing(&units, &get(941), d(2025, 6, 30), hdnd);
        assert_eq!(district.recipient.as_deref(), Some("Ủy ban nhân dân tỉnh Sóc Trăng"));
        assert_eq!(district.copies_to, vec!["Sở Y tế (cơ quan thường trực)".to_string()]);
        assert_eq!(district.filed_with, "VT, Phòng VH-XH");
        let commune = addressing(&units, &get(31510), d(2024, 6, 20), hdnd);
        assert_eq!(commune.recipient.as_deref(), Some("Ủy ban nhân dân thành phố Sóc Trăng"));
        assert!(commune.copies_to.is_empty());
        assert_eq!(commune.filed_with, "VT, VH-XH");
        assert_eq!(addressing(&units, &get(31510), d(2025, 7, 1), hdnd).recipient.as_deref(), Some("Ủy ban nhân dân tỉnh Sóc Trăng"));
    }

    #[test]
    fn targets_are_named_by_clause_and_label() {
        // By the indicator first, whatever the code.
        assert_eq!(
            target_label("a3.workers", "reach_at_risk_workers", "Ít nhất 70% người lao động"),
            ("a3".into(), "a3 – người lao động tại cơ sở kinh doanh dịch vụ".into())
        );
        assert_eq!(target_label("c1", "tips_handled_on_time", "…"), ("c1".into(), "c1 – tố giác, tin báo, khiếu nại được xử lý kịp thời".into()));
        // By the code's last part for an indicator not named.
        assert_eq!(target_label("đ.province", "new_indicator", "ít nhất 70% …"), ("đ".into(), "đ – cấp tỉnh".into()));
        assert_eq!(target_label("3.1.3.workers", "x", "x").0, "3.1.3");
        // Else the first 12 words (SHORT_WORDS) of the text, then "…".
        let (clause, label) =
            target_label("c9", "x", "100% tố giác, tin báo, khiếu nại hành vi vi phạm pháp luật về phòng, chống mại dâm được tiếp nhận.");
        assert_eq!(clause, "c9");
        assert_eq!(label, "c9 – 100% tố giác, tin báo, khiếu nại hành vi vi phạm pháp…");
        assert_eq!(target_label("3.1.1", "x", "Ngắn gọn."), ("3.1.1".into(), "3.1.1 – Ngắn gọn".into()));
    }
}
