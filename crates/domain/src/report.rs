//! Periodic reports (báo cáo định kỳ): their workflow states, and what a unit
//! report holds besides the computed figures — the narrative sections of a
//! Vietnamese work report.

vocabulary!(
    /// Where a report is in its workflow.
    ReportStatus {
        Draft = "draft", "dự thảo";
        Submitted = "submitted", "đã gửi";
        Accepted = "accepted", "đã chấp nhận";
        Returned = "returned", "trả lại";
    }
);

impl ReportStatus {
    /// Whether the unit may still edit it.
    pub fn editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }
}

/// The narrative sections, in the order a report presents them.
pub const SECTIONS: [(&str, &str, &str); 5] = [
    ("results", "Kết quả đạt được", "Results"),
    ("shortcomings", "Tồn tại, hạn chế", "Shortcomings"),
    ("causes", "Nguyên nhân", "Causes"),
    ("tasks_ahead", "Nhiệm vụ, giải pháp thời gian tới", "Tasks ahead"),
    ("proposals", "Đề xuất, kiến nghị", "Proposals"),
];

/// The narrative an officer writes.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Narrative {
    pub results: String,
    pub shortcomings: String,
    pub causes: String,
    pub tasks_ahead: String,
    pub proposals: String,
}

impl Narrative {
    pub fn get(&self, key: &str) -> &str {
        match key {
            "results" => &self.results,
            "shortcomings" => &self.shortcomings,
            "causes" => &self.causes,
            "tasks_ahead" => &self.tasks_ahead,
            "proposals" => &self.proposals,
            _ => "",
        }
    }
}
