//! `pcmd plans …`.

use super::output::{json, table, Format};
use crate::load::load_files;
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::money::{format_vnd, vnd_in_words};
use pcmd_store::{PlanView, SaveOutcome, Store, TargetView};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum PlansCommand {
    /// Every plan held.
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One plan, by number (117/NQ-HĐND) or key, with its targets, budget and tasks.
    Show {
        number: String,
        /// Also print the original text.
        #[arg(long)]
        text: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Draft a plan from its text (.docx, .pdf with a text layer, or .txt): heading,
    /// targets with their thresholds and a suggested indicator, budget, tasks,
    /// reporting duties, and the sentences with a number it could not place.
    Draft {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: super::draft::DraftFormat,
        /// Write the draft to this file instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Load plan files (TOML, see data/plans/) and agency files; all or nothing.
    Load {
        files: Vec<PathBuf>,
        /// Agency files to load first.
        #[arg(long = "agencies")]
        agencies: Vec<PathBuf>,
    },
}

#[derive(Serialize)]
struct TargetJson<'a> {
    #[serde(flatten)]
    target: &'a TargetView,
    threshold: String,
}

#[derive(Serialize)]
struct BudgetYearJson {
    year: i64,
    item: String,
    agency: Option<String>,
    allocated: i64,
    allocated_formatted: String,
    spent: Option<i64>,
}

#[derive(Serialize)]
struct BudgetJson {
    total: Option<i64>,
    total_formatted: Option<String>,
    total_in_words: Option<String>,
    sum_of_years: i64,
    source: Option<String>,
    years: Vec<BudgetYearJson>,
}

/// `plans show --format json`; the fields are a stable interface (README.md).
#[derive(Serialize)]
struct PlanJson<'a> {
    #[serde(flatten)]
    summary: &'a pcmd_store::PlanSummary,
    note: Option<&'a str>,
    budget: BudgetJson,
    targets: Vec<TargetJson<'a>>,
    tasks: &'a [pcmd_store::TaskView],
    #[serde(skip_serializing_if = "Option::is_none")]
    original_text: Option<&'a str>,
}

fn budget_of(p: &PlanView) -> BudgetJson {
    BudgetJson {
        total: p.summary.budget_total,
        total_formatted: p.summary.budget_total.map(format_vnd),
        total_in_words: p.summary.budget_total.map(vnd_in_words),
        sum_of_years: p.budget_lines.iter().map(|b| b.allocated).sum(),
        source: p.budget_source.clone(),
        years: p
            .budget_lines
            .iter()
            .map(|b| BudgetYearJson {
                year: b.year,
                item: b.item.clone(),
                agency: b.agency.clone(),
                allocated: b.allocated,
                allocated_formatted: format_vnd(b.allocated),
                spent: b.spent,
            })
            .collect(),
    }
}

fn date_or_blank(d: Option<NaiveDate>) -> String {
    d.map(format_vn).unwrap_or_else(|| "(chưa ghi ngày)".to_string())
}

pub async fn run(store: &Store, cmd: PlansCommand) -> anyhow::Result<String> {
    match cmd {
        PlansCommand::List { format } => {
            let plans = store.plans().await?;
            if format == Format::Json {
                return json(&plans);
            }
            let rows: Vec<Vec<String>> = plans
                .iter()
                .map(|p| {
                    vec![
                        p.key.clone(),
                        p.number.clone(),
                        date_or_blank(p.issued_on),
                        p.unit_name.clone().unwrap_or_else(|| "Toàn quốc".to_string()),
                        format!("{} – {}", format_vn(p.period_from), format_vn(p.period_to)),
                        p.target_count.to_string(),
                        p.task_count.to_string(),
                    ]
                })
                .collect();
            Ok(table(&["Khóa", "Số, ký hiệu", "Ngày ban hành", "Địa bàn", "Thời gian thực hiện", "Chỉ tiêu", "Nhiệm vụ"], &rows))
        }
        PlansCommand::Show { number, text, format } => {
            let plan = store.plan(&number).await?;
            if format == Format::Json {
                return json(&PlanJson {
                    summary: &plan.summary,
                    note: plan.note.as_deref(),
                    budget: budget_of(&plan),
                    targets: plan.targets.iter().map(|t| TargetJson { target: t, threshold: t.threshold_text() }).collect(),
                    tasks: &plan.tasks,
                    original_text: if text { plan.original_text.as_deref() } else { None },
                });
            }
            Ok(show_table(&plan, text))
        }
        PlansCommand::Draft { file, format, out } => super::draft::run(store, &file, format, out.as_deref()).await,
        PlansCommand::Load { files, agencies } => {
            let report = load_files(store, &agencies, &files).await?;
            let mut lines = vec![format!("cơ quan: {} dòng ghi (agency rows written)", report.agency_rows_written)];
            for (key, outcome) in report.plans {
                let what = match outcome {
                    SaveOutcome::Inserted => "nạp mới (inserted)",
                    SaveOutcome::Unchanged => "không thay đổi (unchanged)",
                    SaveOutcome::Replaced => "cập nhật (replaced)",
                };
                lines.push(format!("kế hoạch {key}: {what}"));
            }
            Ok(lines.join("\n"))
        }
    }
}

fn show_table(plan: &PlanView, with_text: bool) -> String {
    let s = &plan.summary;
    let mut out = vec![
        format!("{} — {}", s.number, s.title),
        format!("  Cơ quan ban hành: {}; ngày {}", s.issuer, date_or_blank(s.issued_on)),
        format!(
            "  Địa bàn: {}; thời gian thực hiện {} – {}",
            s.unit_name.as_deref().unwrap_or("Toàn quốc"),
            format_vn(s.period_from),
            format_vn(s.period_to)
        ),
    ];
    if let Some(parent) = &s.implements {
        out.push(format!("  Thực hiện văn bản: {parent}"));
    }
    if let Some(note) = &plan.note {
        out.push(format!("  Ghi chú: {note}"));
    }
    if !plan.targets.is_empty() {
        let rows: Vec<Vec<String>> = plan
            .targets
            .iter()
            .map(|t| {
                vec![
                    t.code.clone(),
                    t.threshold_text(),
                    t.indicator.clone(),
                    if t.evaluation == "each_year" { "hằng năm".into() } else { "cả giai đoạn".into() },
                ]
            })
            .collect();
        out.push(String::new());
        out.push(format!("Chỉ tiêu ({}):", plan.targets.len()));
        out.push(table(&["Mã", "Ngưỡng", "Chỉ số", "Đánh giá"], &rows));
    }
    let budget = budget_of(plan);
    if budget.total.is_some() || !budget.years.is_empty() || budget.source.is_some() {
        out.push(String::new());
        out.push("Kinh phí:".to_string());
        for y in &budget.years {
            out.push(format!("  Năm {}: {} đồng", y.year, y.allocated_formatted));
        }
        if let (Some(total), Some(words)) = (&budget.total_formatted, &budget.total_in_words) {
            out.push(format!("  Tổng: {total} đồng ({words})"));
        }
        if let Some(source) = &budget.source {
            out.push(format!("  Nguồn: {source}"));
        }
    }
    if !plan.tasks.is_empty() {
        let rows: Vec<Vec<String>> = plan.tasks.iter().map(|t| vec![t.code.clone(), t.lead_agency_name.clone(), t.co_agencies.join(", ")]).collect();
        out.push(String::new());
        out.push(format!("Nhiệm vụ ({}):", plan.tasks.len()));
        out.push(table(&["Mã", "Cơ quan chủ trì", "Phối hợp"], &rows));
    }
    if let (true, Some(text)) = (with_text, &plan.original_text) {
        out.push(String::new());
        out.push(text.clone());
    }
    out.join("\n")
}
