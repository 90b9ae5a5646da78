//! A report of an agency on its tasks (báo cáo của sở, ban, ngành): the unit
//! report of the plan's province, issued by the agency instead — its name
//! under the province's People's Committee in the heading, its own symbol,
//! its head as signer, addressed to the body the duty names (the lead agency
//! that compiles) — with the agency's tasks and their latest progress.

use crate::model::{Table, UnitReport};
use crate::words::Signer;
use chrono::NaiveDate;
use pcmd_store::{AgencyView, ProgressView, TaskView};

/// Who signs for an agency of this kind, by default (document settings may say otherwise).
fn head_of(kind: &str) -> Signer {
    let (capacity, title) = match kind {
        "peoples_committee" => (Some("TM. ỦY BAN NHÂN DÂN"), "CHỦ TỊCH"),
        "mass_organisation" => (Some("TM. BAN THƯỜNG TRỰC"), "CHỦ TỊCH"),
        "party_board" => (None, "TRƯỞNG BAN"),
        "procuracy" => (None, "VIỆN TRƯỞNG"),
        "court" => (None, "CHÁNH ÁN"),
        "border_guard" => (None, "CHỈ HUY TRƯỞNG"),
        "media" => (None, "TỔNG BIÊN TẬP"),
        _ => (None, "GIÁM ĐỐC"),
    };
    Signer { capacity: capacity.map(str::to_string), title: title.into(), name: None }
}

/// The agency's abbreviation for the symbol and the file mark: `lc-syt` → `SYT`.
fn abbreviation(code: &str) -> String {
    code.rsplit('-').next().unwrap_or(code).to_uppercase()
}

/// Turns the province's report into `agency`'s, addressed to `recipient`.
pub fn as_agency(report: &mut UnitReport, agency: &AgencyView, recipient: Option<&str>, tasks: Table) {
    let abbr = abbreviation(&agency.code);
    // An agency reports as itself under its own province's People's Committee: the
    // successor rule is for People's Committees (an agency of an ended province is
    // not Cần Thơ's), so the report stays the unit's.
    report.issued_by = report.unit.clone();
    report.place = crate::words::place_name(&report.unit);
    report.title = crate::model::title(&report.unit, &report.period, false);
    report.issuer = [format!("UBND {}", crate::words::unit_in_text(&report.unit).to_uppercase()), agency.name.to_uppercase()];
    report.number_symbol = format!("/BC-{abbr}");
    report.title = format!("{} của {}", report.title, agency.name);
    report.addressing.recipient = recipient.map(str::to_string);
    report.addressing.copies_to = Vec::new();
    report.addressing.filed_with = format!("VT, {abbr}");
    report.signer = head_of(&agency.kind);
    report.lists.insert(0, tasks);
}

/// The agency's tasks in the plan, as lead (chủ trì) or with the lead (phối
/// hợp), with the latest progress reported by `as_of`.
pub fn task_table(tasks: &[TaskView], progress: &[ProgressView], agency: &str, as_of: NaiveDate) -> Table {
    let rows = tasks
        .iter()
        .filter_map(|t| {
            let role = if t.lead_agency == agency {
                "Chủ trì"
            } else if t.co_agencies.iter().any(|c| c == agency) {
                "Phối hợp"
            } else {
                return None;
            };
            let latest = progress
                .iter()
                .filter(|p| p.task_code == t.code)
                .find(|p| NaiveDate::parse_from_str(&p.reported_on, "%Y-%m-%d").is_ok_and(|d| d <= as_of));
            let (status, on) = match latest {
                Some(p) => (
                    p.status.parse::<pcmd_domain::records::TaskStatus>().map(|s| s.label_vi().to_string()).unwrap_or_else(|_| p.status.clone()),
                    NaiveDate::parse_from_str(&p.reported_on, "%Y-%m-%d").map(pcmd_domain::date::format_vn).unwrap_or_default(),
                ),
                None => ("chưa báo cáo tiến độ".to_string(), String::new()),
            };
            Some(vec![t.code.clone(), t.title.clone(), role.to_string(), status, on])
        })
        .collect();
    Table {
        key: "agency_tasks",
        title: "Nhiệm vụ được giao".into(),
        headers: vec!["Mục".into(), "Nhiệm vụ".into(), "Vai trò".into(), "Tiến độ".into(), "Ngày báo cáo tiến độ".into()],
        rows,
        numeric: Vec::new(),
        dates: vec![4],
        count_word: "nhiệm vụ".into(),
        withheld: None,
    }
}
