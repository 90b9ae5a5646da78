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
