//! How a tip's legal clock runs (thời hạn giải quyết): from receipt, acceptance
//! (thụ lý) or the record of the violation (biên bản) as its law says; the
//! longer limit of a complex case; the extensions the law allows; suspension
//! (tạm đình chỉ), which stops the clock, and resumption, which restarts it
//! with the days left or with a new period. The rule is the one in force on
//! the day the clock starts (`RulesFile::rule_for`).

use super::deadline::{CountsFrom, Duration, Resume, RulesFile};
use super::validate::{FieldError, RecordErrors};
use super::{NewTip, TipStatus};
use crate::date::format_vn;
use chrono::NaiveDate;

/// Where a tip stands against its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Waiting to be accepted (chờ thụ lý): the deadline is the one to accept or refuse it.
    Acceptance,
    /// Being settled: the deadline is the one to settle it.
    Settling,
    /// Suspended (tạm đình chỉ): the clock stands still, no deadline runs.
    Suspended,
    /// An administrative matter with no record yet: the law's clock starts at the record.
    AwaitingRecord,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Acceptance => "acceptance",
            Stage::Settling => "settling",
            Stage::Suspended => "suspended",
            Stage::AwaitingRecord => "awaiting_record",
        }
    }
}

/// A tip's clock under its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub rule_code: String,
    pub stage: Stage,
    /// The legal deadline before any extension (None while no clock runs).
    pub deadline: Option<NaiveDate>,
    /// The latest day the extensions allowed could reach.
    pub latest_extension: Option<NaiveDate>,
    /// The day the tip is due: extension and suspension counted. Every figure
    /// of tips settled on time counts against it.
    pub due: Option<NaiveDate>,
}

fn fault(field: &'static str, vi: impl Into<String>, en: impl Into<String>) -> RecordErrors {
    RecordErrors(vec![FieldError { field, vi: vi.into(), en: en.into() }])
}

/// The clock of `tip` under `rules`; a fact the law does not allow (an extension
/// beyond it, a suspension where there is none) is refused with its field.
pub fn clock(rules: &RulesFile, tip: &NewTip) -> Result<Clock, RecordErrors> {
    let start_day = tip.accepted_on.unwrap_or(tip.received_on);
    let rule = rules.rule_for(tip.category, start_day).ok_or_else(|| {
        fault(
            "category",
            format!("không có quy định thời hạn cho loại tin này vào ngày {}", format_vn(start_day)),
            format!("no legal time limit for this kind of tip on {start_day}"),
        )
    })?;
    let end =
        |d, from| rules.end_of(rule, d, from).ok_or_else(|| fault("received_on", "không tính được thời hạn", "the deadline cannot be computed"));
    let (vi_basis, en_basis) = (rule.basis.as_str(), rule.basis.as_str());
    let start = match (rule.counts_from, tip.accepted_on) {
        (CountsFrom::Receipt, Some(_)) => {
            return Err(fault(
                "accepted_on",
                format!("{vi_basis} tính thời hạn từ ngày tiếp nhận: không ghi ngày thụ lý"),
                format!("{en_basis} counts from receipt: leave the acceptance date empty"),
            ))
        }
        (CountsFrom::Receipt, None) => tip.received_on,
        (_, Some(a)) if a < tip.received_on => {
            return Err(fault("accepted_on", "ngày thụ lý không được trước ngày tiếp nhận", "acceptance cannot come before receipt"))
        }
        (_, Some(a)) => a,
        (CountsFrom::Acceptance, None) => {
            if tip.suspended_on.is_some() || tip.extended_until.is_some() {
                return Err(fault(
                    "accepted_on",
                    "chỉ gia hạn hoặc tạm đình chỉ sau khi đã thụ lý: ghi ngày thụ lý",
                    "an extension or suspension comes after acceptance: enter the acceptance date",
                ));
            }
            let limit = rule.acceptance.unwrap_or(rule.base);
            let deadline = end(limit, tip.received_on)?;
            return Ok(Clock {
                rule_code: rule.code.clone(),
                stage: Stage::Acceptance,
                deadline: Some(deadline),
                latest_extension: None,
                due: Some(deadline),
            });
        }
        (CountsFrom::Record, None) => {
            if tip.suspended_on.is_some() || tip.extended_until.is_some() {
                return Err(fault(
                    "accepted_on",
                    "chỉ gia hạn hoặc tạm đình chỉ khi đã lập biên bản: ghi ngày lập biên bản",
                    "an extension or suspension needs the record: enter the day it was made",
                ));
            }
            return Ok(Clock { rule_code: rule.code.clone(), stage: Stage::AwaitingRecord, deadline: None, latest_extension: None, due: None });
        }
    };
    let very = tip.is_very_complex;
    let limit = rule.limit(tip.is_complex || very, very, tip.is_remote).ok_or_else(|| {
        fault(
            "is_very_complex",
            format!("{vi_basis} không có thời hạn riêng cho vụ việc đặc biệt phức tạp"),
            format!("{en_basis} has no limit for particularly complex cases"),
        )
    })?;
    let deadline = end(limit, start)?;
    // The last day before a rest-day roll: the days left at a suspension are counted to it.
    let unrolled = limit.after(start, &rules.days_off).unwrap_or(deadline);
    let allowed = rule.extensions_allowed(tip.is_complex || very, very);
    let latest_extension = match (rule.extension, allowed) {
        (Some(e), n) if n > 0 => {
            let mut d = deadline;
            for _ in 0..n {
                d = end(e, d)?;
            }
            Some(d)
        }
        _ => None,
    };
    if let Some(ext) = tip.extended_until {
        match latest_extension {
            None => {
                return Err(fault(
                    "extended_until",
                    format!("{vi_basis} không cho phép gia hạn vụ việc này{}", if rule.extension.is_some() { " (chỉ khi phức tạp)" } else { "" }),
                    format!("{en_basis} allows no extension of this case{}", if rule.extension.is_some() { " (only a complex one)" } else { "" }),
                ))
            }
            Some(latest) if ext > latest => {
                return Err(fault(
                    "extended_until",
                    format!("gia hạn quá mức luật cho phép (muộn nhất {})", format_vn(latest)),
                    format!("the extension goes past what the law allows (latest {latest})"),
                ))
            }
            Some(_) if ext < deadline => {
                return Err(fault("extended_until", "hạn gia hạn phải sau hạn ban đầu", "an extension must come after the first deadline"))
            }
            Some(_) => {}
        }
    }
    let running = tip.extended_until.unwrap_or(deadline);
    let settled = |due| Clock { rule_code: rule.code.clone(), stage: Stage::Settling, deadline: Some(deadline), latest_extension, due: Some(due) };
    let Some(suspended) = tip.suspended_on else {
        if tip.resumed_on.is_some() {
            return Err(fault("resumed_on", "có ngày tiếp tục thì phải có ngày tạm đình chỉ", "a resumption needs the suspension date"));
        }
        if tip.status == TipStatus::Suspended {
            return Err(fault("suspended_on", "tin tạm đình chỉ phải có ngày tạm đình chỉ", "a suspended tip needs the suspension date"));
        }
        return Ok(settled(running));
    };
    let Some(resume) = rule.suspension else {
        return Err(fault(
            "suspended_on",
            format!("{vi_basis} không cho phép tạm đình chỉ (theo quy định có hiệu lực ngày {})", format_vn(start_day)),
            format!("{en_basis} allows no suspension (the rule in force on {start_day})"),
        ));
    };
    if suspended < start {
        return Err(fault(
            "suspended_on",
            "ngày tạm đình chỉ không được trước ngày bắt đầu tính thời hạn",
            "suspension cannot come before the clock starts",
        ));
    }
    if let Some(r) = tip.resumed_on {
        if r < suspended {
            return Err(fault("resumed_on", "ngày tiếp tục không được trước ngày tạm đình chỉ", "resumption cannot come before suspension"));
        }
    }
    // A suspension decided after the deadline does not hide that it was missed.
    if suspended > running {
        return Ok(settled(running));
    }
    match (tip.resumed_on, tip.status) {
        (None, s) if s.is_closed() || s == TipStatus::Suspended => {
            Ok(Clock { rule_code: rule.code.clone(), stage: Stage::Suspended, deadline: Some(deadline), latest_extension, due: None })
        }
        (None, _) => Err(fault(
            "status",
            "tin đang tạm đình chỉ: đặt trạng thái «tạm đình chỉ» hoặc ghi ngày tiếp tục giải quyết",
            "the tip is suspended: set the status to suspended or enter the day it resumed",
        )),
        (Some(_), TipStatus::Suspended) => {
            Err(fault("status", "đã tiếp tục giải quyết thì không còn ở trạng thái tạm đình chỉ", "a resumed tip is no longer suspended"))
        }
        (Some(resumed), _) => {
            let due = match resume {
                Resume::Remaining => {
                    let left = (tip.extended_until.unwrap_or(unrolled) - suspended).num_days().max(0).unsigned_abs();
                    end(Duration::Days(u32::try_from(left).unwrap_or(u32::MAX)), resumed)?
                }
                Resume::Fresh => {
                    let period = rule.resume_period.unwrap_or(rule.base);
                    end(period, resumed)?
                }
            };
            Ok(settled(due))
        }
    }
}

#[cfg(test)]
#[path = "clock_tests.rs"]
mod tests;
