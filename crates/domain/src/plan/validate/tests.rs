use super::*;
use crate::plan::PlanFile;

struct Dir;

impl Directory for Dir {
    fn unit_level(&self, code: &str, on: NaiveDate) -> Option<Level> {
        // Province 94 exists until the reform, as in the real lists.
        (code == "94" && on <= crate::units::LAST_DAY_BEFORE_REFORM).then_some(Level::Province)
    }
    fn agency_known(&self, code: &str) -> bool {
        code == "st-ubnd"
    }
    fn plan_known(&self, key: &str) -> bool {
        key == "1629/QĐ-TTg"
    }
}

const GOOD: &str = r#"
[plan]
key = "st-117"
number = "117/NQ-HĐND"
kind = "resolution"
title = "Nghị quyết"
issuer = "HĐND tỉnh Sóc Trăng"
issued_on = 2023-12-07
unit = "94"
period_from = 2024-01-01
period_to = 2025-12-31
implements = "1629/QĐ-TTg"

[budget]
total = 2361370000
years = [
  { year = 2024, amount = 1107680000 },
  { year = 2025, amount = 1253690000 },
]

[[targets]]
code = "a1"
group = "a"
text = "100% số xã"
indicator = "awareness_commune_coverage"
comparator = "at_least"
threshold = 100
evaluation = "each_year"

[[targets]]
code = "c2.growth"
group = "c"
text = "tăng 3% - 5%"
indicator = "crimes_handled_growth"
comparator = "between"
threshold = [3, 5]
evaluation = "each_year"

[[tasks]]
code = "2.1"
title = "Tổ chức thực hiện"
text = "Giao UBND tỉnh"
lead = "st-ubnd"
"#;

fn check(text: &str) -> Result<Plan, Vec<FileError>> {
    let src = SourceFile { name: "t.toml", text };
    let file = PlanFile::parse(src).map_err(|e| vec![e])?;
    validate_plan(src, &file, None, &Dir)
}

#[test]
fn a_good_plan_loads_with_its_thresholds() {
    let p = check(GOOD).unwrap();
    assert_eq!(p.budget_total, Some(2_361_370_000));
    assert_eq!(p.targets.len(), 2);
    assert_eq!((p.targets[0].threshold_low, p.targets[0].threshold_high), (100.0, None));
    assert_eq!((p.targets[1].threshold_low, p.targets[1].threshold_high), (3.0, Some(5.0)));
    assert_eq!(p.targets[0].scope_level, Level::Province);
}

fn single_error(text: &str) -> FileError {
    let errs = check(text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    errs.into_iter().next().unwrap()
}

#[test]
fn an_unknown_indicator_names_its_line() {
    let e = single_error(&GOOD.replace("\"awareness_commune_coverage\"", "\"happiness\""));
    // Line 25 of GOOD (which starts with a blank line) holds the indicator.
    assert_eq!(e.line, 25);
    assert!(e.vi.contains("happiness") && e.en.contains("unknown indicator"));
}

#[test]
fn a_budget_whose_years_do_not_add_up_is_refused() {
    let e = single_error(&GOOD.replace("1253690000", "1253690001"));
    assert_eq!(e.line, 15);
    assert!(e.vi.contains("2.361.370.000") && e.vi.contains("2.361.370.001"), "{}", e.vi);
}

#[test]
fn a_unit_that_does_not_exist_on_the_plans_dates_is_refused() {
    // Province 94 no longer exists after the reform: the unit's line is named.
    let e = single_error(&GOOD.replace("issued_on = 2023-12-07", "issued_on = 2025-07-01"));
    assert_eq!(e.line, 9);
    assert!(e.vi.contains("«94»") && e.vi.contains("01/07/2025"), "{}", e.vi);
}

#[test]
fn a_range_needs_two_bounds_in_order() {
    let e = single_error(&GOOD.replace("threshold = [3, 5]", "threshold = [5, 3]"));
    assert_eq!(e.line, 36);
    let e = single_error(&GOOD.replace("threshold = 100", "threshold = 140"));
    assert_eq!(e.line, 27);
}

#[test]
fn unknown_agencies_and_parents_and_duplicates_all_reported() {
    let text = GOOD
        .replace("lead = \"st-ubnd\"", "lead = \"nobody\"")
        .replace("\"1629/QĐ-TTg\"", "\"0/XX\"")
        .replace("code = \"c2.growth\"", "code = \"a1\"");
    let errs = check(&text).unwrap_err();
    let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
    assert_eq!(errs.len(), 3, "{errs:?}");
    // The parent on line 12, the duplicate target's table from line 30, the agency on line 43.
    assert_eq!(lines, [12, 30, 43]);
}

#[test]
fn a_malformed_file_names_its_line() {
    let errs = check(&GOOD.replace("period_to = 2025-12-31", "period_to = 2025-13-31")).unwrap_err();
    assert_eq!(errs[0].line, 11);
}
