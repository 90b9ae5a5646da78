//! What needs the user (việc cần làm), on the home page, each line a link:
//! reports to accept, to finish or sent back; tips past their deadline; the
//! plans' tasks past their due day and not done; personal data about to be
//! anonymised. Each part follows the user's role and scope (the policy module).

use crate::auth::CurrentUser;
use crate::i18n::Lang;
use crate::{AppState, WebError};
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::policy::{decides_report, may_see_tasks, may_write_reports};
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::TaskStatus;
use pcmd_domain::report::ReportStatus;
use pcmd_store::records::read::ListFilter;

/// One line: what, where it leads, and whether it is late.
pub struct Item {
    pub text: String,
    pub href: String,
    pub late: bool,
}

pub async fn agenda(state: &AppState, user: &CurrentUser, plans: &[pcmd_store::PlanSummary], today: NaiveDate) -> Result<Vec<Item>, WebError> {
    let vi = user.lang == Lang::Vi;
    let role = user.user.role;
    let home = user.user.unit_id;
    let scope = state.scope(home);
    let name = |id: i64| state.units.get(id).map_or_else(|| id.to_string(), |u| u.name.clone());
    let mut out = Vec::new();

    // The user's own unit's reports: its own, and after the reform those of the old unit it took in.
    let own = |unit: i64| unit == home || state.units.successor(unit) == Some(home);
    // Reports: to decide on (a coordinator above the unit), or the user's own unit's to finish.
    let all_reports = state.store.reports(None).await?;
    for r in all_reports.iter().cloned() {
        if !scope.contains(&r.unit_id) {
            continue;
        }
        let mine = r.submitted_by.as_deref() == Some(user.user.username.as_str());
        // The period in words ("6 tháng đầu năm 2024"), not its code.
        let when = pcmd_report::words::period_short(&r.period);
        // An agency's report: its own writers finish it, a coordinator of another agency decides it.
        let (what, decides, own_report) = match &r.agency {
            Some(a) => (
                format!("{} — {when}", a.name),
                pcmd_domain::policy::decides_agency_report(role, user.user.agency_id, a.id, mine),
                pcmd_domain::policy::writes_agency_report(role, user.user.agency_id, a.id) && user.user.agency_id == Some(a.id),
            ),
            None => {
                let level = |id: i64| state.units.get(id).map(|u| u.level);
                let decides = level(home).zip(level(r.unit_id)).is_some_and(|(h, u)| decides_report(role, h, u, mine));
                (format!("{} — {when}", name(r.unit_id)), decides, own(r.unit_id))
            }
        };
        let own = |_: i64| own_report;
        let line = match r.status {
            ReportStatus::Submitted if decides => {
                Some(if vi { format!("Báo cáo chờ chấp nhận: {what}") } else { format!("Report waiting for acceptance: {what}") })
            }
            ReportStatus::Returned if may_write_reports(role) && own(r.unit_id) => Some(if vi {
                format!("Báo cáo bị trả lại: {what} ({})", r.comment.clone().unwrap_or_default())
            } else {
                format!("Report returned: {what} ({})", r.comment.clone().unwrap_or_default())
            }),
            // Accepted in the last seven days: the unit's writers learn their report went through.
            ReportStatus::Accepted
                if may_write_reports(role)
                    && own(r.unit_id)
                    && r.decided_at
                        .as_deref()
                        .and_then(pcmd_domain::date::day_of_instant_vn)
                        .is_some_and(|d| today - d <= chrono::Duration::days(7)) =>
            {
                Some(if vi { format!("Báo cáo đã được chấp nhận: {what}") } else { format!("Report accepted: {what}") })
            }
            ReportStatus::Draft if may_write_reports(role) && own(r.unit_id) => {
                Some(if vi { format!("Báo cáo chưa gửi: {what}") } else { format!("Report not yet submitted: {what}") })
            }
            _ => None,
        };
        if let Some(text) = line {
            out.push(Item { text, href: format!("/reports/{}", r.id), late: r.status == ReportStatus::Returned });
        }
    }

    // Tips still open past their deadline, for those who handle or oversee them.
    if role.may_read(RecordKind::Tip) {
        let f = ListFilter {
            units: scope.iter().copied().collect(),
            status: Some("overdue".into()),
            today: Some(today),
            limit: 1,
            ..ListFilter::default()
        };
        let (_, overdue) = state.store.list_records(RecordKind::Tip, &f).await?;
        if overdue > 0 {
            let text = if vi {
                format!("{overdue} tin tố giác, tin báo, tố cáo, khiếu nại quá hạn chưa xử lý xong")
            } else {
                format!("{overdue} tips past their deadline and not settled")
            };
            out.push(Item { text, href: "/records/tip?status=overdue".into(), late: true });
        }
    }

    // Tips due within three days, and portal messages waiting for an answer, for those who handle tips.
    if role.sees_personal(RecordKind::Tip) {
        let units: Vec<i64> = scope.iter().copied().collect();
        let soon = state.store.tips_due_between(&units, today, today + chrono::Days::new(3)).await?;
        if soon > 0 {
            let text = if vi {
                format!("{soon} tin đến hạn giải quyết trong 3 ngày tới")
            } else {
                format!("{soon} tips due within the next 3 days")
            };
            out.push(Item { text, href: "/records/tip?status=open&sort=due_on&dir=asc".into(), late: false });
        }
        let new_tips = state.store.tips_not_taken_up(&units).await?;
        if new_tips > 0 {
            let text = if vi {
                format!("{new_tips} tin đã tiếp nhận chưa thụ lý (kể cả tin gửi qua cổng tố giác)")
            } else {
                format!("{new_tips} tips received and not yet taken up (the portal's included)")
            };
            out.push(Item { text, href: "/records/tip?status=received&sort=received_on&dir=desc".into(), late: false });
        }
        let waiting = state.store.tips_awaiting_reply(&units).await?;
        if waiting > 0 {
            let text = if vi {
                format!("{waiting} tin có tin nhắn của người gửi chờ trả lời")
            } else {
                format!("{waiting} tips with a sender's message waiting for an answer")
            };
            out.push(Item { text, href: "/records/tip?sort=received_on&dir=desc".into(), late: false });
        }
    }

    // Referrals of support cases past their day with no answer, for those who work with the cases.
    if role.sees_personal(RecordKind::SupportCase) || role == pcmd_domain::roles::Role::Coordinator {
        let units: Vec<i64> = scope.iter().copied().collect();
        let overdue = state.store.overdue_referrals(&units, today).await?;
        if overdue > 0 {
            let text = if vi {
                format!("{overdue} lượt chuyển gửi hỗ trợ quá hạn chưa có phản hồi")
            } else {
                format!("{overdue} referrals past their day with no answer")
            };
            let href = if role.sees_personal(RecordKind::SupportCase) { "/records/support_case?status=open" } else { "/" };
            out.push(Item { text, href: href.into(), late: true });
        }
    }

    // Each plan read once, for the reports owed and the tasks behind below.
    let mut views = Vec::new();
    if role == pcmd_domain::roles::Role::Coordinator || may_see_tasks(role) {
        for p in plans {
            views.push((p, state.store.plan(&p.key).await?));
        }
    }

    // Reports owed past their due day, for the coordinator who compiles them: for each plan, the
    // latest report due that some unit or agency has not sent (the reach review of 07/12/2026: Lai
    // Châu's 21 units owing their report were on the reports page only).
    if role == pcmd_domain::roles::Role::Coordinator {
        for (p, plan) in &views {
            if plan.duties.is_empty() {
                continue;
            }
            let plan_unit = state.store.plan_unit(&p.key).await?;
            let agencies = state.store.agencies(plan_unit).await?;
            let reports: Vec<_> = all_reports.iter().filter(|r| r.plan_key == p.key).cloned().collect();
            let any = pcmd_domain::period::Period::new("", today, today);
            let due = super::reports_due::build(state, user, plan, plan_unit, &agencies, &reports, &any, today);
            if let Some(row) = due.rows.iter().rev().find(|r| r.overdue > 0) {
                let when = pcmd_domain::period::Period::parse(&row.label, pcmd_domain::period::Cutoff::Decree09)
                    .map(|period| pcmd_report::words::period_short(&period))
                    .unwrap_or_else(|_| row.label.clone());
                let text = if vi {
                    format!("{} đơn vị chưa gửi báo cáo {when} của {} (hạn {})", row.overdue, p.number, row.due)
                } else {
                    format!("{} units have not sent the {} report of {} (due {})", row.overdue, row.label, p.number, row.due)
                };
                out.push(Item { text, href: format!("/reports?plan={}&period={}", p.key, row.label), late: true });
            }
        }
    }

    // Tasks past their due day whose latest progress is not "done".
    if may_see_tasks(role) {
        for (p, plan) in &views {
            if plan.tasks.is_empty() {
                continue;
            }
            let progress = state.store.task_progress(&p.key).await?;
            let behind = plan
                .tasks
                .iter()
                .filter(|t| t.due.is_some_and(|d| d < today))
                .filter(|t| pcmd_store::latest_status(&progress, &t.code, today) != Some(TaskStatus::Done))
                .count();
            if behind > 0 {
                let text = if vi {
                    format!("{behind} nhiệm vụ của {} đã quá hạn mà chưa hoàn thành", p.number)
                } else {
                    format!("{behind} tasks of {} past their due day and not done", p.number)
                };
                out.push(Item { text, href: format!("/plans/{}/tasks", p.key), late: true });
            }
        }
    }

    // Targets at risk or not met in the user's territory, in each plan's latest year so far
    // (for those who follow the programme: an administrator keeps the system, not its figures).
    if role != pcmd_domain::roles::Role::Admin {
        out.extend(targets_at_risk(state, user, plans, today).await?);
    }

    // Personal data at the end of its retention: the coordinator, administrator and caseworker are warned.
    let warned = matches!(role, pcmd_domain::roles::Role::Coordinator | pcmd_domain::roles::Role::Admin | pcmd_domain::roles::Role::Caseworker);
    if let (true, Some(rules)) = (warned, &state.privacy) {
        let until = today + chrono::Days::new(u64::from(rules.warn_days));
        let due: Vec<_> = state.store.expiring(rules, until).await?.into_iter().filter(|e| scope.contains(&e.unit_id)).collect();
        if let Some(first) = due.iter().map(|e| e.kept_until).min() {
            let text = if vi {
                format!(
                    "{} hồ sơ sẽ được ẩn danh dữ liệu cá nhân vì hết thời hạn lưu trữ, sớm nhất sau ngày {} (pcmd privacy due liệt kê từng hồ sơ).",
                    due.len(),
                    format_vn(first)
                )
            } else {
                format!(
                    "{} records will have their personal data anonymised at the end of their retention, the first after {} (pcmd privacy due lists them).",
                    due.len(),
                    format_vn(first)
                )
            };
            let href = if role == pcmd_domain::roles::Role::Caseworker { "/records/support_case" } else { "/" };
            out.push(Item { text, href: href.into(), late: false });
        }
    }
    Ok(out)
}

/// For each plan with targets, the latest year of it so far evaluated for the
/// user's unit (the plan's own when in scope): how many targets are at risk or
/// not met, linking to that dashboard.
async fn targets_at_risk(state: &AppState, user: &CurrentUser, plans: &[pcmd_store::PlanSummary], today: NaiveDate) -> Result<Vec<Item>, WebError> {
    use chrono::Datelike;
    use pcmd_engine::Status;
    let vi = user.lang == Lang::Vi;
    let version = crate::cache::version(state).await?;
    let mut out = Vec::new();
    // A plan over for more than a year needs nobody's action: its last year is history (the reach
    // review of 07/12/2026: Lai Châu's home led with 2022's targets in December 2026).
    let recent = |p: &&pcmd_store::PlanSummary| p.period_to.checked_add_days(chrono::Days::new(365)).is_some_and(|d| d >= today);
    for p in plans.iter().filter(|p| p.target_count > 0 && p.period_from <= today).filter(recent) {
        let year = today.year().min(p.period_to.year());
        let Some(period) = pcmd_domain::period::Period::year(year) else { continue };
        let cached = crate::cache::plan(state, version, &p.key).await?;
        let Some(unit) = super::default_unit(state, user.user.unit_id, cached.unit_id, &period) else { continue };
        let evals = crate::cache::evaluations(state, version, &cached.view, &unit, &period, pcmd_engine::default_as_of(&period, today)).await?;
        let count = |s: Status| evals.iter().filter(|e| e.status == s).count();
        let (at_risk, not_met) = (count(Status::AtRisk), count(Status::NotMet));
        if at_risk + not_met == 0 {
            continue;
        }
        // Only the counts that are not nought: "13 chỉ tiêu không đạt", not "0 … có nguy cơ, 13 …".
        let mut parts = Vec::new();
        if at_risk > 0 {
            parts.push(if vi { format!("{at_risk} chỉ tiêu có nguy cơ không đạt") } else { format!("{at_risk} targets at risk") });
        }
        if not_met > 0 {
            parts.push(if vi { format!("{not_met} chỉ tiêu không đạt") } else { format!("{not_met} not met") });
        }
        let text = if vi {
            format!("{} — {}, năm {year}: {}", p.number, unit.name, parts.join(", "))
        } else {
            format!("{} — {}, {year}: {}", p.number, unit.name, parts.join(", "))
        };
        let q = serde_urlencoded::to_string([("unit", unit.code.as_str()), ("period", &year.to_string())]).unwrap_or_default();
        out.push(Item { text, href: format!("/plans/{}?{q}", p.key), late: not_met > 0 });
    }
    Ok(out)
}
