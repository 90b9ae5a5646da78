//! Records (hồ sơ, số liệu): what the programme produces and what targets are
//! computed from. Each input type is checked here, without the database; the
//! store then checks what needs it (the unit valid on the record's date, the
//! establishment's existence) and writes.

pub mod clock;
mod deadline;
pub mod describe;
pub mod form;
mod kinds;
mod tip_stats;
mod validate;

pub use clock::{clock, Clock, Stage};
pub use deadline::{CountsFrom, DaysOff, DeadlineRule, Duration, Holiday, HolidaysFile, RestDayRoll, Resume, RuleCategory, RulesFile};
pub use kinds::*;
pub use tip_stats::{tip_stats, TipFact, TipStats};
pub use validate::{FieldError, RecordErrors, Validate};

vocabulary!(
    /// Loại cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm.
    EstablishmentKind {
        Hotel = "hotel", "khách sạn";
        Guesthouse = "guesthouse", "nhà nghỉ";
        Karaoke = "karaoke", "quán karaoke";
        Massage = "massage", "xoa bóp";
        Sauna = "sauna", "xông hơi";
        Bar = "bar", "quán bar";
        Restaurant = "restaurant", "nhà hàng";
        Other = "other", "khác";
    }
);

vocabulary!(
    /// Hình thức tuyên truyền.
    ActivityForm {
        Meeting = "meeting", "họp, nói chuyện";
        Loudspeaker = "loudspeaker", "loa truyền thanh";
        Banner = "banner", "băng rôn, pa nô";
        Leaflet = "leaflet", "tờ rơi";
        Club = "club", "câu lạc bộ";
        Contest = "contest", "hội thi";
        SocialMedia = "social_media", "mạng xã hội";
        Other = "other", "khác";
    }
);

vocabulary!(
    /// Cấp của cơ quan báo chí.
    OutletLevel {
        Province = "province", "cấp tỉnh";
        District = "district", "cấp huyện";
    }
);

vocabulary!(
    Medium {
        Newspaper = "newspaper", "báo in";
        Radio = "radio", "phát thanh";
        Television = "television", "truyền hình";
        Online = "online", "báo điện tử";
        Other = "other", "khác";
    }
);

vocabulary!(
    /// Cấp của đoàn kiểm tra hoặc lớp tập huấn.
    TeamLevel {
        Province = "province", "cấp tỉnh";
        District = "district", "cấp huyện";
        Commune = "commune", "cấp xã";
    }
);

vocabulary!(
    /// Kênh tiếp nhận.
    TipChannel {
        PublicPortal = "public_portal", "cổng công khai";
        Phone = "phone", "điện thoại";
        InPerson = "in_person", "trực tiếp";
        Transferred = "transferred", "chuyển đến";
        Other = "other", "khác";
    }
);

vocabulary!(
    /// Loại tin, and the law whose clock it runs on (`deadline::RuleCategory::of`):
    /// tố giác and tin báo về tội phạm (Criminal Procedure Code; the code
    /// `denunciation` was given to tố giác before tố cáo had a category), tố cáo
    /// (Law on Denunciations, code `accusation`), khiếu nại lần đầu and lần hai
    /// (Law on Complaints), tin báo về vi phạm hành chính (Law on Handling
    /// Administrative Violations: buying or selling sex is an administrative offence).
    TipCategory {
        Denunciation = "denunciation", "tố giác về tội phạm";
        CrimeReport = "crime_report", "tin báo về tội phạm";
        Accusation = "accusation", "tố cáo";
        Complaint = "complaint", "khiếu nại";
        SecondComplaint = "second_complaint", "khiếu nại lần hai";
        AdminViolation = "admin_violation", "tin báo vi phạm hành chính";
    }
);

vocabulary!(
    /// Trạng thái xử lý tin.
    TipStatus {
        Received = "received", "đã tiếp nhận";
        Verifying = "verifying", "đang xác minh";
        Classified = "classified", "đã phân loại";
        Suspended = "suspended", "tạm đình chỉ";
        Handled = "handled", "đã giải quyết";
        Transferred = "transferred", "đã chuyển";
        Dismissed = "dismissed", "không thụ lý";
    }
);

impl TipStatus {
    /// A tip in one of these states is settled.
    pub fn is_closed(self) -> bool {
        matches!(self, TipStatus::Handled | TipStatus::Transferred | TipStatus::Dismissed)
    }
}

vocabulary!(
    PilotStatus {
        Active = "active", "đang triển khai";
        Paused = "paused", "tạm dừng";
        Ended = "ended", "đã kết thúc";
    }
);

vocabulary!(
    AgeBand {
        Under18 = "under_18", "dưới 18";
        From18To24 = "18_24", "18–24";
        From25To34 = "25_34", "25–34";
        From35To44 = "35_44", "35–44";
        From45 = "45_plus", "từ 45";
        Unknown = "unknown", "không rõ";
    }
);

vocabulary!(
    Sex {
        Female = "female", "nữ";
        Male = "male", "nam";
        Other = "other", "khác";
        Unknown = "unknown", "không rõ";
    }
);

vocabulary!(
    /// Dịch vụ hỗ trợ.
    Service {
        Health = "health", "y tế";
        HivSti = "hiv_sti", "HIV/STI";
        Psychological = "psychological", "tư vấn tâm lý";
        Legal = "legal", "trợ giúp pháp lý";
        VocationalTraining = "vocational_training", "dạy nghề";
        JobPlacement = "job_placement", "giới thiệu việc làm";
        Loan = "loan", "vay vốn";
        Shelter = "shelter", "nơi ở tạm thời";
        Other = "other", "khác";
    }
);

vocabulary!(
    /// Loại số liệu tham chiếu.
    ReferenceKind {
        Students = "students", "học sinh, sinh viên";
        IndustrialWorkers = "industrial_workers", "người lao động khu công nghiệp";
        Staff = "staff", "cán bộ làm công tác phòng, chống mại dâm";
    }
);

vocabulary!(
    /// The level a reference figure is about: `all`, or the level of the staff counted.
    FigureLevel {
        All = "all", "tất cả";
        Province = "province", "cấp tỉnh";
        District = "district", "cấp huyện";
        Commune = "commune", "cấp xã";
    }
);

vocabulary!(
    /// Tiến độ thực hiện nhiệm vụ.
    TaskStatus {
        NotStarted = "not_started", "chưa triển khai";
        InProgress = "in_progress", "đang triển khai";
        Done = "done", "hoàn thành";
        Delayed = "delayed", "chậm tiến độ";
    }
);

vocabulary!(
    /// Where a record came from.
    RecordSource {
        Entry = "entry", "nhập trực tiếp";
        Import = "import", "nhập từ tệp";
        Synthetic = "synthetic", "dữ liệu mẫu";
        Public = "public", "người dân gửi";
    }
);
