//! Deadline tables worked by hand, for each category under the rules and days
//! off pcmd ships (data/rules/deadlines.toml, holidays.toml): plain, complex,
//! extended, suspended and resumed, across a weekend, a holiday and the day a
//! law changed. Weekdays: 06/07/2025 Sunday, 26/07/2025 Saturday, 06/09/2025
//! Saturday, 15/11/2025 Saturday, 27/11/2025 Thursday, 06/12/2025 Saturday,
//! 01/02/2026 Sunday, 15/02/2026 Sunday, 23/08/2026 Sunday. Days off used:
//! 01–02/09/2025 (Quốc khánh), 16–20/02/2026 (Tết Bính Ngọ).

use super::*;
use crate::records::{NewTip, RuleCategory, RulesFile, TipCategory, TipChannel, TipStatus};
use crate::source::SourceFile;

fn rules() -> RulesFile {
    RulesFile::parse(
        SourceFile { name: "deadlines.toml", text: include_str!("../../../../data/rules/deadlines.toml") },
        Some(SourceFile { name: "holidays.toml", text: include_str!("../../../../data/rules/holidays.toml") }),
    )
    .unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn tip(category: TipCategory, received_on: NaiveDate) -> NewTip {
    NewTip {
        received_on,
        channel: TipChannel::Phone,
        category,
        unit_code: "31522".into(),
        is_complex: false,
        is_remote: false,
        is_very_complex: false,
        status: TipStatus::Verifying,
        accepted_on: None,
        extended_until: None,
        suspended_on: None,
        resumed_on: None,
        closed_on: None,
        outcome: None,
        content: None,
    }
}

fn due(t: &NewTip) -> (String, Stage, Option<NaiveDate>) {
    let c = clock(&rules(), t).unwrap();
    (c.rule_code, c.stage, c.due)
}

fn refused(t: &NewTip) -> &'static str {
    clock(&rules(), t).unwrap_err().0[0].field
}

#[test]
fn crime_tips_under_the_criminal_procedure_code() {
    use Stage::Settling;
    let crime = |received| tip(TipCategory::CrimeReport, received);
    // Plain: 20 days from receipt (art. 147 k.1). Received 20/06/2025, before Law 99/2025 took
    // effect on 01/07/2025: the 2021 text, 10/07. Received 01/07/2025: the 2025 text, 21/07.
    assert_eq!(due(&crime(d(2025, 6, 20))), ("btths-2015-d147-am2021".into(), Settling, Some(d(2025, 7, 10))));
    assert_eq!(due(&crime(d(2025, 7, 1))), ("btths-2015-d147-am2025".into(), Settling, Some(d(2025, 7, 21))));
    // 06/07 + 20 days = Saturday 26/07: art. 134 moves only month periods off a rest day.
    assert_eq!(due(&crime(d(2025, 7, 6))).2, Some(d(2025, 7, 26)));
    // Complex: 2 months (k.2). 06/07 + 2 months = Saturday 06/09 → Monday 08/09;
    // 02/07 + 2 months = 02/09, Quốc khánh → Wednesday 03/09.
    let complex = |received| NewTip { is_complex: true, ..crime(received) };
    assert_eq!(due(&complex(d(2025, 7, 6))).2, Some(d(2025, 9, 8)));
    assert_eq!(due(&complex(d(2025, 7, 2))).2, Some(d(2025, 9, 3)));
    // Extended once by up to 2 months by the procuracy: 10/07 → 10/09 → at most 10/11.
    let extended = |until| NewTip { extended_until: Some(until), ..complex(d(2025, 7, 10)) };
    assert_eq!(due(&extended(d(2025, 11, 10))).2, Some(d(2025, 11, 10)));
    assert_eq!(refused(&extended(d(2025, 11, 11))), "extended_until");
    // Only a complex case is extended ("trong thời hạn quy định tại khoản này").
    assert_eq!(refused(&NewTip { extended_until: Some(d(2025, 8, 1)), ..crime(d(2025, 7, 10)) }), "extended_until");
    // Suspended when the 2 months ran out (art. 148): no clock runs.
    let suspended = NewTip { suspended_on: Some(d(2025, 9, 10)), status: TipStatus::Suspended, ..complex(d(2025, 7, 10)) };
    assert_eq!(due(&suspended).1, Stage::Suspended);
    assert_eq!(due(&suspended).2, None);
    // Resumed 15/10: a new month (art. 149), 15/11 a Saturday → Monday 17/11.
    let resumed = NewTip { resumed_on: Some(d(2025, 10, 15)), status: TipStatus::Verifying, ..suspended.clone() };
    assert_eq!(due(&resumed).2, Some(d(2025, 11, 17)));
    // A suspension decided after the deadline does not hide it: still due 21/07.
    let late = NewTip { suspended_on: Some(d(2025, 8, 1)), status: TipStatus::Suspended, ..crime(d(2025, 7, 1)) };
    assert_eq!(due(&late).2, Some(d(2025, 7, 21)));
    // The clock counts from receipt: an acceptance day is refused.
    assert_eq!(refused(&NewTip { accepted_on: Some(d(2025, 7, 2)), ..crime(d(2025, 7, 1)) }), "accepted_on");
}

#[test]
fn denunciations_under_the_law_on_denunciations() {
    let received = |day| tip(TipCategory::Accusation, day);
    let accepted = |day| NewTip { accepted_on: Some(day), ..received(day) };
    // Not yet accepted: 7 working days to accept (art. 24). From Thursday 27/11/2025:
    // 28/11, 01, 02, 03, 04, 05, 08/12 → 08/12. From 12/02/2026 across Tết (16–20/02 off):
    // 13/02, 23, 24, 25, 26, 27/02, 02/03 → 02/03.
    assert_eq!(due(&received(d(2025, 11, 27))), ("lto-2018-d30".into(), Stage::Acceptance, Some(d(2025, 12, 8))));
    assert_eq!(due(&received(d(2026, 2, 12))).2, Some(d(2026, 3, 2)));
    // Plain: 30 days from acceptance (art. 30 k.1). 01/12 → 31/12; 06/11 → Saturday 06/12 → Monday 08/12.
    assert_eq!(due(&accepted(d(2025, 12, 1))).2, Some(d(2025, 12, 31)));
    assert_eq!(due(&accepted(d(2025, 11, 6))).2, Some(d(2025, 12, 8)));
    // Complex: one extension of up to 30 days (k.2): 08/12 + 30 = 07/01/2026; a day more is refused.
    let complex = |until| NewTip { is_complex: true, extended_until: Some(until), ..accepted(d(2025, 11, 6)) };
    assert_eq!(due(&complex(d(2026, 1, 7))).2, Some(d(2026, 1, 7)));
    assert_eq!(refused(&complex(d(2026, 1, 8))), "extended_until");
    // Particularly complex: two of 30 days (k.3): 07/01 + 30 = 06/02/2026.
    let very = NewTip { is_very_complex: true, extended_until: Some(d(2026, 2, 6)), ..accepted(d(2025, 11, 6)) };
    assert_eq!(due(&very).2, Some(d(2026, 2, 6)));
    assert_eq!(refused(&NewTip { extended_until: Some(d(2026, 1, 7)), ..accepted(d(2025, 11, 6)) }), "extended_until");
    // Suspended 11/12 with 20 days left of 31/12 (art. 34: not counted); resumed Monday
    // 12/01/2026: + 20 = Sunday 01/02 → Monday 02/02.
    let s = NewTip { suspended_on: Some(d(2025, 12, 11)), status: TipStatus::Suspended, ..accepted(d(2025, 12, 1)) };
    assert_eq!(due(&s).2, None);
    assert_eq!(due(&NewTip { resumed_on: Some(d(2026, 1, 12)), status: TipStatus::Verifying, ..s }).2, Some(d(2026, 2, 2)));
    // Accepted on the day Law 136/2025 took effect: its entry.
    assert_eq!(due(&accepted(d(2026, 7, 1))).0, "lto-2018-d30-am2025");
    // A suspension before acceptance is refused.
    assert_eq!(refused(&NewTip { suspended_on: Some(d(2025, 12, 2)), status: TipStatus::Suspended, ..received(d(2025, 12, 1)) }), "accepted_on");
}

#[test]
fn complaints_under_the_law_on_complaints() {
    let received = |day| tip(TipCategory::Complaint, day);
    let accepted = |day| NewTip { accepted_on: Some(day), ..received(day) };
    // 10 days to accept (art. 27): 01/12/2025 → 11/12.
    assert_eq!(due(&received(d(2025, 12, 1))), ("lkn-2011-d28".into(), Stage::Acceptance, Some(d(2025, 12, 11))));
    // 30 days from acceptance (art. 28): 06/11 → Saturday 06/12 → Monday 08/12;
    // 16/01/2026 → Sunday 15/02, then Tết (16–20/02) and the weekend → Monday 23/02.
    assert_eq!(due(&accepted(d(2025, 11, 6))).2, Some(d(2025, 12, 8)));
    assert_eq!(due(&accepted(d(2026, 1, 16))).2, Some(d(2026, 2, 23)));
    // Complex and remote: 60 days: 01/12/2025 → 30/01/2026.
    assert_eq!(due(&NewTip { is_complex: true, is_remote: true, ..accepted(d(2025, 12, 1)) }).2, Some(d(2026, 1, 30)));
    // No extension decision exists.
    assert_eq!(refused(&NewTip { is_complex: true, extended_until: Some(d(2026, 1, 20)), ..accepted(d(2025, 12, 1)) }), "extended_until");
    // Suspension: none under the 2011 text (accepted 25/06/2026) …
    let s = |day, on| NewTip { suspended_on: Some(on), status: TipStatus::Suspended, ..accepted(day) };
    assert_eq!(refused(&s(d(2026, 6, 25), d(2026, 7, 5))), "suspended_on");
    // … and from 01/07/2026 (Law 136/2025, art. 11a) the suspended time is not counted:
    // accepted 01/07, due 31/07; suspended Saturday 11/07 with 20 days left; resumed 03/08:
    // + 20 = Sunday 23/08 → Monday 24/08.
    let resumed = NewTip { resumed_on: Some(d(2026, 8, 3)), status: TipStatus::Verifying, ..s(d(2026, 7, 1), d(2026, 7, 11)) };
    assert_eq!(due(&resumed), ("lkn-2011-d28-am2025".into(), Stage::Settling, Some(d(2026, 8, 24))));
    // Received under the old text, accepted under the new one: the rule of acceptance.
    assert_eq!(due(&NewTip { accepted_on: Some(d(2026, 7, 2)), ..received(d(2026, 6, 25)) }).0, "lkn-2011-d28-am2025");
    // Second complaints: 45 days (art. 37): 01/12/2025 → 15/01/2026.
    let second = NewTip { category: TipCategory::SecondComplaint, ..accepted(d(2025, 12, 1)) };
    assert_eq!(due(&second).2, Some(d(2026, 1, 15)));
}

#[test]
fn administrative_violations_from_the_record() {
    let received = |day| tip(TipCategory::AdminViolation, day);
    let recorded = |day| NewTip { accepted_on: Some(day), ..received(day) };
    // No record yet: the law's clock has not started, nothing is due.
    assert_eq!(due(&received(d(2025, 11, 27))), ("xlvphc-2020-d66".into(), Stage::AwaitingRecord, None));
    // 7 working days from the record (art. 66 k.1 as amended): Thursday 27/11/2025 → 08/12;
    // 28/08/2025 across Quốc khánh (01–02/09 off): 29/08, 03, 04, 05, 08, 09, 10/09 → 10/09.
    assert_eq!(due(&recorded(d(2025, 11, 27))).2, Some(d(2025, 12, 8)));
    assert_eq!(due(&recorded(d(2025, 8, 28))).2, Some(d(2025, 9, 10)));
    // An explanation or verification: 1 month, 27/12 a Saturday → Monday 29/12;
    // particularly serious: 2 months → 27/01/2026.
    assert_eq!(due(&NewTip { is_complex: true, ..recorded(d(2025, 11, 27)) }).2, Some(d(2025, 12, 29)));
    assert_eq!(due(&NewTip { is_very_complex: true, ..recorded(d(2025, 11, 27)) }).2, Some(d(2026, 1, 27)));
    // No extension and no suspension in the 2020 text.
    assert_eq!(refused(&NewTip { extended_until: Some(d(2025, 12, 20)), ..recorded(d(2025, 11, 27)) }), "extended_until");
    assert_eq!(refused(&NewTip { suspended_on: Some(d(2025, 12, 1)), status: TipStatus::Suspended, ..recorded(d(2025, 11, 27)) }), "suspended_on");
    // Across the day Law 67/2020 took effect: a record of 31/12/2021 has 7 calendar days
    // (07/01/2022); one of Monday 03/01/2022 has 7 working days (12/01/2022).
    assert_eq!(due(&recorded(d(2021, 12, 31))), ("xlvphc-2012-d66".into(), Stage::Settling, Some(d(2022, 1, 7))));
    assert_eq!(due(&recorded(d(2022, 1, 3))).2, Some(d(2022, 1, 12)));
}

#[test]
fn every_category_has_one_rule_on_every_day() {
    // No gap and no overlap between dated entries from 2019 (the Law on Denunciations) on.
    let r = rules();
    for c in TipCategory::ALL {
        let mut day = d(2019, 1, 1);
        while day <= d(2027, 12, 31) {
            let n = r.rules.iter().filter(|x| x.category == RuleCategory::of(*c) && x.from.0 <= day && x.to.is_none_or(|t| day <= t.0)).count();
            assert_eq!(n, 1, "{c:?} on {day}");
            day = day.checked_add_days(chrono::Days::new(1)).unwrap();
        }
    }
}
