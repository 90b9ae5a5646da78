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

/// The narrative sections an officer writes, in the order a report presents
/// them: the situation (tình hình, part I), direction (chỉ đạo, điều hành,
/// II.1), then the assessment (đánh giá chung: kết quả, tồn tại, nguyên nhân),
/// what comes next (phương hướng) and the proposals (kiến nghị).
pub const SECTIONS: [(&str, &str, &str); 7] = [
    ("situation", "Tình hình", "Situation"),
    ("direction", "Công tác chỉ đạo, điều hành", "Direction and coordination"),
    ("results", "Kết quả đạt được", "Results"),
    ("shortcomings", "Tồn tại, hạn chế", "Shortcomings"),
    ("causes", "Nguyên nhân", "Causes"),
    ("tasks_ahead", "Nhiệm vụ, giải pháp thời gian tới", "Tasks ahead"),
    ("proposals", "Đề xuất, kiến nghị", "Proposals"),
];

/// The narrative an officer writes.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Narrative {
    #[serde(default)]
    pub situation: String,
    #[serde(default)]
    pub direction: String,
    pub results: String,
    pub shortcomings: String,
    pub causes: String,
    pub tasks_ahead: String,
    pub proposals: String,
}

impl Narrative {
    pub fn get(&self, key: &str) -> &str {
        match key {
            "situation" => &self.situation,
            "direction" => &self.direction,
            "results" => &self.results,
            "shortcomings" => &self.shortcomings,
            "causes" => &self.causes,
            "tasks_ahead" => &self.tasks_ahead,
            "proposals" => &self.proposals,
            _ => "",
        }
    }

    /// A narrative from its sections by key (a form's fields); missing ones are empty.
    pub fn from_fields(get: impl Fn(&str) -> String) -> Narrative {
        Narrative {
            situation: get("situation"),
            direction: get("direction"),
            results: get("results"),
            shortcomings: get("shortcomings"),
            causes: get("causes"),
            tasks_ahead: get("tasks_ahead"),
            proposals: get("proposals"),
        }
    }
}

vocabulary!(
    /// A unit's document setting (thiết lập văn bản): what its reports say
    /// about who issues, sends and signs them, where the defaults (from the
    /// unit's type and the lead agency on the report's date) do not fit.
    DocumentSetting {
        IssuerLine1 = "issuer_line_1", "dòng 1 của cơ quan ban hành";
        IssuerLine2 = "issuer_line_2", "dòng 2 của cơ quan ban hành";
        Place = "place", "địa danh";
        NumberSymbol = "number_symbol", "ký hiệu số văn bản";
        Recipient = "recipient", "kính gửi";
        CopiesTo = "copies_to", "nơi nhận khác (ngăn bằng ;)";
        FiledWith = "filed_with", "lưu";
        SignerCapacity = "signer_capacity", "thẩm quyền ký (TM./KT./Q.)";
        SignerTitle = "signer_title", "chức vụ người ký";
        SignerName = "signer_name", "họ tên người ký";
    }
);
