//! A draft written in the shape of `data/plans/*.toml`, for a person to
//! correct and load: what the text did not say is left as a comment.

use super::Draft;
use std::fmt::Write;

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text for a `#` comment: on one line, whatever it holds.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The general reporting duties ("Định kỳ 06 tháng, 01 năm báo cáo UBND tỉnh
/// (qua Sở …)") as `[[duties]]`; a duty of one agency inside its task, or one
/// with no usable frequency, as a comment.
fn duties(s: &mut String, d: &Draft) {
    use super::duties::Frequency;
    let mut n = 0;
    for r in &d.reporting {
        let freq: Vec<&str> = r
            .frequencies
            .iter()
            .filter_map(|f| match f {
                Frequency::Quarterly => Some("quarterly"),
                Frequency::SixMonthly => Some("six_monthly"),
                Frequency::Yearly => Some("yearly"),
                Frequency::Monthly | Frequency::Ad => None,
            })
            .collect();
        if freq.is_empty() || !r.reporter.is_empty() {
            let who = if r.reporter.is_empty() { String::new() } else { format!(" ({})", r.reporter) };
            let _ = writeln!(s, "\n# A reporting duty not written as [[duties]]{}, line {}: {}", one_line(&who), r.line, one_line(&r.sentence));
            continue;
        }
        n += 1;
        // Before the 2025 reform a province's districts report; after it, its communes; a district's communes.
        let level = match (d.unit_code.as_deref().map(str::len), d.period_from) {
            (Some(2), Some(from)) if from < crate::units::REFORM_DAY => "district",
            _ => "commune",
        };
        let through = r.through_agency.clone();
        let _ = writeln!(s, "\n[[duties]]  # line {}", r.line);
        let _ = writeln!(s, "code = {}", q(&format!("bc{n}")));
        // A closing sentence ends with the document's "/." mark.
        let _ = writeln!(s, "text = {}", q(&r.sentence.strip_suffix("/.").map_or(r.sentence.clone(), |t| format!("{t}."))));
        let _ = writeln!(s, "frequency = [{}]", freq.iter().map(|f| q(f)).collect::<Vec<_>>().join(", "));
        let _ = writeln!(s, "cutoff = \"decree09\"");
        let _ = writeln!(s, "due_days = 5  # check: the days after the cut-off by which it is due");
        let basis = match &r.due {
            Some(due) => format!("Văn bản ghi: «{due}»."),
            None => "Văn bản không nêu hạn gửi; hạn theo quy định chế độ báo cáo định kỳ của tỉnh (Nghị định 09/2019/NĐ-CP, Điều 12: thời gian chốt số liệu).".to_string(),
        };
        let _ = writeln!(s, "due_basis = {}", q(&basis));
        let _ = writeln!(s, "reporters = \"units_and_agencies\"");
        let _ = writeln!(s, "unit_level = {}", q(level));
        let _ = writeln!(s, "recipient = {}", q(&r.recipient));
        match (through, &r.through) {
            (Some(code), _) => {
                let _ = writeln!(s, "through = {}", q(&code));
            }
            (None, Some(name)) => {
                let _ = writeln!(s, "# through = \"…\"  # {}: not in the province's list of agencies", one_line(name));
            }
            (None, None) => {}
        }
    }
}

/// The draft as a plan file. Targets without a catalogue indicator are
/// written as reported ones (`indicator = "reported"`, with what they
/// measure): the agency responsible reports their value each period.
pub fn to_toml(d: &Draft) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Drafted by `pcmd plans draft` from the plan's text: check every line before loading.");
    if !d.unplaced.is_empty() {
        let _ = writeln!(s, "# {} sentence(s) with a number were not placed: listed at the end.", d.unplaced.len());
    }
    let _ = writeln!(s, "\n[plan]");
    let _ = writeln!(s, "key = {}", q(&d.key));
    let _ = writeln!(s, "number = {}", q(&d.number));
    match d.kind {
        Some(k) => {
            let _ = writeln!(s, "kind = {}", q(k.as_str()));
        }
        None => {
            let _ = writeln!(s, "# kind = \"plan\"  # not found in the text");
        }
    }
    let _ = writeln!(s, "title = {}", q(&d.title));
    let _ = writeln!(s, "issuer = {}", q(&d.issuer));
    match d.issued_on {
        Some(day) => {
            let _ = writeln!(s, "issued_on = {day}");
        }
        None => {
            let _ = writeln!(s, "# issued_on = YYYY-MM-DD  # the text gives no date");
        }
    }
    match (&d.unit_code, &d.unit_name) {
        (Some(c), n) => {
            let _ = writeln!(s, "unit = {}  # {}", q(c), n.as_deref().unwrap_or(""));
        }
        (None, Some(n)) => {
            let _ = writeln!(s, "# unit = \"…\"  # {n}: no unit of that name was found");
        }
        (None, None) => {}
    }
    match (d.period_from, d.period_to) {
        (Some(a), Some(b)) => {
            let _ = writeln!(s, "period_from = {a}\nperiod_to = {b}");
        }
        _ => {
            let _ = writeln!(s, "# period_from = YYYY-01-01\n# period_to = YYYY-12-31  # no period in the title");
        }
    }
    if let Some(i) = &d.implements {
        let _ = writeln!(s, "implements = {}", q(i));
    }
    if let Some(b) = &d.budget {
        let _ = writeln!(s, "\n[budget]");
        if let Some(t) = b.total {
            let _ = writeln!(s, "total = {t}");
        }
        if let Some(src) = &b.source {
            let _ = writeln!(s, "source = {}", q(src));
        }
        if !b.years.is_empty() {
            let _ = writeln!(s, "years = [");
            for y in &b.years {
                let _ = writeln!(s, "  {{ year = {}, amount = {}, item = {} }},", y.year, y.allocated, q(&y.item));
            }
            let _ = writeln!(s, "]");
        }
        if b.sum_matches == Some(false) {
            let _ = writeln!(s, "# The years add up to {} đồng, not the stated total.", crate::money::format_vnd(b.sum_of_years));
        }
        if b.words_match == Some(false) {
            let _ = writeln!(s, "# The total in words does not read the figure.");
        }
    }
    let mut codes: Vec<String> = Vec::new();
    for t in &d.targets {
        // Two targets in one item get the item's code and their position.
        let n = d.targets.iter().filter(|o| o.code == t.code).count();
        let code = if n > 1 {
            let k = codes.iter().filter(|c| c.starts_with(&format!("{}.", t.code))).count() + 1;
            format!("{}.{k}", t.code)
        } else {
            t.code.clone()
        };
        codes.push(code.clone());
        let _ = writeln!(s, "\n[[targets]]  # line {}: {}", t.line, t.reading);
        let _ = writeln!(s, "code = {}", q(&code));
        let _ = writeln!(s, "group = {}", q(&t.group));
        let _ = writeln!(s, "clause = {}", q(&t.clause));
        let _ = writeln!(s, "text = {}", q(&t.text));
        match (&t.indicator, &t.indicator_reason) {
            (Some(i), why) => {
                let _ = writeln!(s, "indicator = {}  # {}", q(i), why.as_deref().unwrap_or(""));
            }
            (None, _) => {
                let _ = writeln!(s, "indicator = \"reported\"  # no catalogue indicator computes this: the agency responsible reports its value");
                let measure = match t.unit {
                    super::Unit::Percent => "percent",
                    super::Unit::Count => "count",
                    super::Unit::PercentChange => "growth",
                };
                let _ = writeln!(s, "measure = {}", q(measure));
                let _ = writeln!(s, "# reporter = \"…\"  # the code of the agency that reports it; without one, the plan's coordinators do");
            }
        }
        let _ = writeln!(s, "comparator = {}", q(t.comparator.as_str()));
        match t.threshold_high {
            Some(h) => {
                let _ = writeln!(s, "threshold = [{}, {}]", num(t.threshold_low), num(h));
            }
            None => {
                let _ = writeln!(s, "threshold = {}", num(t.threshold_low));
            }
        }
        let _ = writeln!(s, "evaluation = {}  # {}", q(t.evaluation.as_str()), t.evaluation_reason);
        if let Some(l) = t.scope_level {
            let _ = writeln!(s, "# the text names the level: {}", l.as_str());
        }
    }
    for t in &d.tasks {
        let _ = writeln!(s, "\n[[tasks]]  # line {}", t.line);
        let _ = writeln!(s, "code = {}", q(&t.code));
        let _ = writeln!(s, "title = {}", q(&t.title));
        let _ = writeln!(s, "text = {}", q(&t.text));
        match &t.lead_agency {
            Some(c) => {
                let _ = writeln!(s, "lead = {}", q(c));
            }
            None => {
                let _ = writeln!(s, "lead = \"\"  # {}: not in the province's list of agencies", t.lead_agency_name);
            }
        }
        let co: Vec<String> = t.co_agencies.iter().map(|c| q(c)).collect();
        let _ = writeln!(s, "co = [{}]", co.join(", "));
    }
    duties(&mut s, d);
    if !d.unplaced.is_empty() {
        let _ = writeln!(s, "\n# Not placed:");
        for u in &d.unplaced {
            let _ = writeln!(s, "#   line {} ({}): {}", u.line, u.reason, u.sentence);
        }
    }
    s
}
