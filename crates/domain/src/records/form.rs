//! The columns of each importable record kind: machine key, Vietnamese header,
//! whether required, and how a row becomes a record.

use super::*;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::str::FromStr;

crate::vocabulary!(
    /// What a file holds.
    RecordKind {
        Establishment = "establishment", "cơ sở kinh doanh";
        Activity = "activity", "hoạt động tuyên truyền";
        Publication = "publication", "tin bài báo chí";
        Inspection = "inspection", "kiểm tra";
        Tip = "tip", "tố giác, tin báo, tố cáo, khiếu nại";
        CaseSummary = "case_summary", "kết quả xử lý";
        DistrictPlan = "district_plan", "kế hoạch cấp huyện";
        PilotModel = "pilot_model", "mô hình thí điểm";
        SupportCase = "support_case", "hồ sơ hỗ trợ";
        Training = "training", "tập huấn";
        ReferenceFigure = "reference_figure", "số liệu tham chiếu";
        TaskProgress = "task_progress", "tiến độ nhiệm vụ";
        BudgetSpending = "budget_spending", "kinh phí đã chi";
    }
);

pub struct Column {
    pub key: &'static str,
    pub vi: &'static str,
    pub required: bool,
}

const fn col(key: &'static str, vi: &'static str, required: bool) -> Column {
    Column { key, vi, required }
}

impl RecordKind {
    pub fn columns(self) -> &'static [Column] {
        match self {
            RecordKind::Establishment => {
                const {
                    &[
                        col("name", "Tên cơ sở", true),
                        col("kind", "Loại hình (hotel, guesthouse, karaoke, massage, sauna, bar, restaurant, other)", true),
                        col("unit_code", "Mã xã", true),
                        col("address", "Địa chỉ", false),
                        col("licence", "Số giấy phép", false),
                        col("workers", "Số người lao động", true),
                        col("opened_on", "Ngày hoạt động (dd/mm/yyyy)", false),
                        col("closed_on", "Ngày ngừng hoạt động (dd/mm/yyyy)", false),
                    ]
                }
            }
            RecordKind::Activity => {
                const {
                    &[
                        col("held_on", "Ngày tổ chức (dd/mm/yyyy)", true),
                        col("unit_code", "Mã đơn vị hành chính", true),
                        col("form", "Hình thức (meeting, loudspeaker, banner, leaflet, club, contest, social_media, other)", true),
                        col("topic", "Chủ đề", true),
                        col("organiser", "Đơn vị tổ chức", false),
                        col("reached_at_risk_workers", "Số người lao động tại cơ sở dễ phát sinh tệ nạn", false),
                        col("reached_industrial_workers", "Số người lao động khu công nghiệp", false),
                        col("reached_students", "Số học sinh, sinh viên", false),
                        col("reached_community", "Số người dân", false),
                    ]
                }
            }
            RecordKind::Publication => {
                const {
                    &[
                        col("published_on", "Ngày đăng (dd/mm/yyyy)", true),
                        col("unit_code", "Mã tỉnh hoặc huyện của cơ quan báo chí", true),
                        col("outlet", "Cơ quan báo chí", true),
                        col("outlet_level", "Cấp (province, district)", true),
                        col("medium", "Loại hình (newspaper, radio, television, online, other)", true),
                        col("title", "Tiêu đề", true),
                    ]
                }
            }
            RecordKind::Inspection => {
                const {
                    &[
                        col("inspected_on", "Ngày kiểm tra (dd/mm/yyyy)", true),
                        col("establishment_id", "Số hiệu cơ sở", true),
                        col("team_level", "Cấp đoàn kiểm tra (province, district, commune)", true),
                        col("team", "Đoàn kiểm tra", false),
                        col("findings", "Kết quả", false),
                        col("violations", "Số vi phạm", false),
                        col("sanctions", "Số xử phạt", false),
                        col("fines_vnd", "Tiền phạt (đồng)", false),
                    ]
                }
            }
            RecordKind::Tip => {
                const {
                    &[
                        col("received_on", "Ngày tiếp nhận (dd/mm/yyyy)", true),
                        col("channel", "Kênh (public_portal, phone, in_person, transferred, other)", true),
                        col("category", "Loại (denunciation, crime_report, accusation, complaint, second_complaint, admin_violation)", true),
                        col("unit_code", "Mã xã nơi xảy ra", true),
                        col("is_complex", "Phức tạp (có/không)", false),
                        col("is_very_complex", "Đặc biệt phức tạp (có/không)", false),
                        col("is_remote", "Vùng sâu, vùng xa (có/không)", false),
                        col("status", "Trạng thái (received, verifying, classified, suspended, handled, transferred, dismissed)", true),
                        col("accepted_on", "Ngày thụ lý hoặc lập biên bản (dd/mm/yyyy)", false),
                        col("extended_until", "Gia hạn đến (dd/mm/yyyy)", false),
                        col("suspended_on", "Ngày tạm đình chỉ (dd/mm/yyyy)", false),
                        col("resumed_on", "Ngày tiếp tục giải quyết (dd/mm/yyyy)", false),
                        col("closed_on", "Ngày kết thúc (dd/mm/yyyy)", false),
                        col("outcome", "Kết quả", false),
                        col("content", "Nội dung tin (dữ liệu cá nhân, được mã hóa)", false),
                    ]
                }
            }
            RecordKind::CaseSummary => {
                const {
                    &[
                        col("year", "Năm", true),
                        col("unit_code", "Mã đơn vị", true),
                        col("criminal_cases", "Số vụ án hình sự", true),
                        col("defendants", "Số bị can", true),
                        col("admin_violations", "Số vụ vi phạm hành chính", true),
                        col("persons_sanctioned", "Số người bị xử phạt", true),
                    ]
                }
            }
            RecordKind::DistrictPlan => {
                const {
                    &[
                        col("unit_code", "Mã huyện", true),
                        col("year", "Năm", true),
                        col("document_ref", "Số, ký hiệu kế hoạch", true),
                        col("adopted_on", "Ngày ban hành (dd/mm/yyyy)", false),
                        col("integrates_socio_economic", "Lồng ghép phát triển kinh tế - xã hội (có/không)", false),
                        col("integrates_social_security", "Lồng ghép an sinh xã hội (có/không)", false),
                        col("integrates_drugs", "Lồng ghép phòng, chống ma túy (có/không)", false),
                        col("integrates_hiv", "Lồng ghép phòng, chống HIV/AIDS (có/không)", false),
                    ]
                }
            }
            RecordKind::PilotModel => {
                const {
                    &[
                        col("unit_code", "Mã đơn vị", true),
                        col("name", "Tên mô hình", true),
                        col("kind", "Loại mô hình", true),
                        col("started_on", "Ngày bắt đầu (dd/mm/yyyy)", true),
                        col("ended_on", "Ngày kết thúc (dd/mm/yyyy)", false),
                        col("status", "Trạng thái (active, paused, ended)", true),
                    ]
                }
            }
            RecordKind::SupportCase => {
                const {
                    &[
                        col("code", "Mã hồ sơ (không ghi họ tên)", true),
                        col("unit_code", "Mã xã", true),
                        col("opened_on", "Ngày mở hồ sơ (dd/mm/yyyy)", true),
                        col("closed_on", "Ngày đóng hồ sơ (dd/mm/yyyy)", false),
                        col("age_band", "Nhóm tuổi (under_18, 18_24, 25_34, 35_44, 45_plus, unknown)", true),
                        col("sex", "Giới tính (female, male, other, unknown)", true),
                        col("needs_support", "Có nhu cầu (có/không)", true),
                        col("eligible", "Đủ điều kiện (có/không)", true),
                        col("consent", "Đồng ý (có/không)", true),
                        col("services", "Dịch vụ đã nhận (dd/mm/yyyy loại; …)", false),
                        col("full_name", "Họ tên (dữ liệu cá nhân, được mã hóa)", false),
                        col("date_of_birth", "Ngày sinh", false),
                        col("id_number", "Số định danh", false),
                        col("address", "Địa chỉ", false),
                        col("phone", "Điện thoại", false),
                    ]
                }
            }
            RecordKind::Training => {
                const {
                    &[
                        col("held_on", "Ngày tập huấn (dd/mm/yyyy)", true),
                        col("unit_code", "Mã đơn vị tổ chức", true),
                        col("level", "Cấp tổ chức (province, district, commune)", true),
                        col("title", "Tên lớp", true),
                        col("organiser", "Đơn vị tổ chức", false),
                        col("participants_province", "Học viên cấp tỉnh", false),
                        col("participants_district", "Học viên cấp huyện", false),
                        col("participants_commune", "Học viên cấp xã", false),
                    ]
                }
            }
            RecordKind::ReferenceFigure => {
                const {
                    &[
                        col("kind", "Loại số liệu (students, industrial_workers, staff)", true),
                        col("level", "Cấp (all; với staff: province, district, commune)", true),
                        col("unit_code", "Mã đơn vị", true),
                        col("year", "Năm", true),
                        col("value", "Số liệu", true),
                        col("reference", "Nguồn số liệu", true),
                        col("reference_date", "Ngày của nguồn (dd/mm/yyyy)", false),
                    ]
                }
            }
            RecordKind::TaskProgress => {
                const {
                    &[
                        col("plan", "Số hoặc khóa kế hoạch", true),
                        col("task_code", "Mã nhiệm vụ", true),
                        col("reported_on", "Ngày báo cáo (dd/mm/yyyy)", true),
                        col("status", "Tiến độ (not_started, in_progress, done, delayed)", true),
                        col("note", "Ghi chú", false),
                        col("attachment_name", "Tên tệp đính kèm", false),
                    ]
                }
            }
            RecordKind::BudgetSpending => {
                const {
                    &[
                        col("plan", "Số hoặc khóa kế hoạch", true),
                        col("year", "Năm", true),
                        col("item", "Nội dung dự toán (nếu năm có nhiều dòng)", false),
                        col("spent", "Kinh phí đã chi (đồng)", true),
                    ]
                }
            }
        }
    }
}

/// How a field is entered on a form.
#[derive(Debug, Clone, Copy)]
pub enum Input {
    Text,
    LongText,
    /// dd/mm/yyyy.
    Date,
    Number,
    /// Có / không.
    Flag,
    /// One of a closed list: value and Vietnamese label.
    Choice(fn() -> Vec<(&'static str, &'static str)>),
    /// Services received: `dd/mm/yyyy loại; …`.
    Services,
}

impl RecordKind {
    /// How `key` of this kind is entered (and shown).
    pub fn input(self, key: &str) -> Input {
        use RecordKind as K;
        match (self, key) {
            (K::Establishment, "kind") => Input::Choice(EstablishmentKind::choices),
            (K::Activity, "form") => Input::Choice(ActivityForm::choices),
            (K::Publication, "outlet_level") => Input::Choice(OutletLevel::choices),
            (K::Publication, "medium") => Input::Choice(Medium::choices),
            (K::Inspection, "team_level") | (K::Training, "level") => Input::Choice(TeamLevel::choices),
            (K::Tip, "channel") => Input::Choice(TipChannel::choices),
            (K::Tip, "category") => Input::Choice(TipCategory::choices),
            (K::Tip, "status") => Input::Choice(TipStatus::choices),
            (K::PilotModel, "status") => Input::Choice(PilotStatus::choices),
            (K::SupportCase, "age_band") => Input::Choice(AgeBand::choices),
            (K::SupportCase, "sex") => Input::Choice(Sex::choices),
            (K::ReferenceFigure, "kind") => Input::Choice(ReferenceKind::choices),
            (K::ReferenceFigure, "level") => Input::Choice(FigureLevel::choices),
            (K::TaskProgress, "status") => Input::Choice(TaskStatus::choices),
            (_, "services") => Input::Services,
            (_, "content" | "findings" | "outcome" | "note") => Input::LongText,
            (_, "date_of_birth") => Input::Text,
            (_, k) if k.ends_with("_on") || k.ends_with("_until") || k == "reference_date" => Input::Date,
            (_, k) if k.starts_with("is_") || k.starts_with("integrates_") || matches!(k, "needs_support" | "eligible" | "consent") => Input::Flag,
            (_, k)
                if k.starts_with("reached_")
                    || k.starts_with("participants_")
                    || matches!(
                        k,
                        "workers"
                            | "violations"
                            | "sanctions"
                            | "fines_vnd"
                            | "year"
                            | "criminal_cases"
                            | "defendants"
                            | "admin_violations"
                            | "persons_sanctioned"
                            | "value"
                            | "spent"
                            | "establishment_id"
                    ) =>
            {
                Input::Number
            }
            _ => Input::Text,
        }
    }

    /// Whether `key` holds personal data (sealed at rest, shown to the role that may see it).
    pub fn is_personal(self, key: &str) -> bool {
        matches!(
            (self, key),
            (RecordKind::Tip, "content") | (RecordKind::SupportCase, "full_name" | "date_of_birth" | "id_number" | "address" | "phone")
        )
    }
}

/// One row's cells by key, collecting every fault as it goes.
pub struct Row<'a> {
    cells: HashMap<&'a str, &'a str>,
    pub errors: Vec<FieldError>,
}

fn fault(field: &'static str, vi: String, en: String) -> FieldError {
    FieldError { field, vi, en }
}

impl<'a> Row<'a> {
    pub fn new(keys: &[&'a str], cells: &'a [String]) -> Self {
        let cells = keys.iter().zip(cells.iter()).map(|(k, v)| (*k, v.as_str())).collect();
        Row { cells, errors: Vec::new() }
    }

    fn raw(&self, key: &str) -> Option<&'a str> {
        self.cells.get(key).copied().filter(|v| !v.is_empty())
    }

    fn required<T: Default>(&mut self, key: &'static str, v: Option<T>) -> T {
        if v.is_none() && self.raw(key).is_none() {
            self.errors.push(fault(key, "không được để trống".into(), "must not be empty".into()));
        }
        v.unwrap_or_default()
    }

    pub fn opt_text(&mut self, key: &'static str) -> Option<String> {
        self.raw(key).map(|v| crate::text::nfc(v.trim())).filter(|v| !v.is_empty())
    }

    pub fn text(&mut self, key: &'static str) -> String {
        let v = self.opt_text(key);
        self.required(key, v)
    }

    pub fn opt_date(&mut self, key: &'static str) -> Option<NaiveDate> {
        let raw = self.raw(key)?;
        match crate::date::parse(raw) {
            Ok(d) => Some(d),
            Err(e) => {
                self.errors.push(fault(key, e.vi, e.en));
                None
            }
        }
    }

    pub fn date(&mut self, key: &'static str) -> NaiveDate {
        let v = self.opt_date(key);
        let fallback = NaiveDate::default();
        if v.is_none() && self.raw(key).is_none() {
            self.errors.push(fault(key, "không được để trống".into(), "must not be empty".into()));
        }
        v.unwrap_or(fallback)
    }

    pub fn opt_int(&mut self, key: &'static str) -> Option<i64> {
        let raw = self.raw(key)?;
        match crate::money::parse_vnd(raw) {
            Some(n) => Some(n),
            None => {
                self.errors.push(fault(key, format!("«{raw}» không phải số nguyên"), format!("«{raw}» is not a whole number")));
                None
            }
        }
    }

    pub fn int(&mut self, key: &'static str) -> i64 {
        let v = self.opt_int(key);
        self.required(key, v)
    }

    pub fn count(&mut self, key: &'static str) -> i64 {
        self.opt_int(key).unwrap_or(0)
    }

    pub fn year(&mut self, key: &'static str) -> i32 {
        let v = self.int(key);
        i32::try_from(v).unwrap_or(0)
    }

    pub fn flag(&mut self, key: &'static str) -> bool {
        match self.raw(key).map(|v| v.to_lowercase()) {
            None => false,
            Some(v) => match v.as_str() {
                "1" | "x" | "có" | "co" | "yes" | "true" | "đúng" => true,
                "0" | "không" | "khong" | "no" | "false" | "sai" => false,
                other => {
                    self.errors.push(fault(key, format!("«{other}» phải là có hoặc không"), format!("«{other}» must be yes or no")));
                    false
                }
            },
        }
    }

    pub fn vocab<T: FromStr<Err = String> + Copy>(&mut self, key: &'static str, default: T) -> T {
        match self.raw(key) {
            None => {
                self.errors.push(fault(key, "không được để trống".into(), "must not be empty".into()));
                default
            }
            Some(raw) => raw.parse().unwrap_or_else(|e: String| {
                self.errors.push(fault(key, e.clone(), e));
                default
            }),
        }
    }

    /// `01/02/2024 health; 03/05/2024 legal`.
    pub fn services(&mut self, key: &'static str) -> Vec<(NaiveDate, Service)> {
        let Some(raw) = self.raw(key) else { return Vec::new() };
        let mut out = Vec::new();
        for item in raw.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (date, service) = item.split_once(' ').unwrap_or((item, ""));
            match (crate::date::parse(date), service.trim().parse::<Service>()) {
                (Ok(d), Ok(s)) => out.push((d, s)),
                _ => {
                    self.errors.push(fault(key, format!("«{item}»: viết «dd/mm/yyyy loại-dịch-vụ»"), format!("«{item}»: write «dd/mm/yyyy service»")))
                }
            }
        }
        out
    }
}

/// Reads one row as a record of `kind`; every fault of the row is returned.
pub fn parse_row(kind: RecordKind, row: &mut Row<'_>) -> Result<NewRecord, Vec<FieldError>> {
    let parsed = match kind {
        RecordKind::Establishment => NewRecord::Establishment(NewEstablishment {
            name: row.text("name"),
            kind: row.vocab("kind", EstablishmentKind::Other),
            unit_code: row.text("unit_code"),
            address: row.opt_text("address"),
            licence: row.opt_text("licence"),
            workers: row.int("workers"),
            opened_on: row.opt_date("opened_on"),
            closed_on: row.opt_date("closed_on"),
        }),
        RecordKind::Activity => NewRecord::Activity(NewActivity {
            held_on: row.date("held_on"),
            unit_code: row.text("unit_code"),
            form: row.vocab("form", ActivityForm::Other),
            topic: row.text("topic"),
            organiser: row.opt_text("organiser"),
            reached_at_risk_workers: row.count("reached_at_risk_workers"),
            reached_industrial_workers: row.count("reached_industrial_workers"),
            reached_students: row.count("reached_students"),
            reached_community: row.count("reached_community"),
        }),
        RecordKind::Publication => NewRecord::Publication(NewPublication {
            published_on: row.date("published_on"),
            unit_code: row.text("unit_code"),
            outlet: row.text("outlet"),
            outlet_level: row.vocab("outlet_level", OutletLevel::Province),
            medium: row.vocab("medium", Medium::Other),
            title: row.text("title"),
        }),
        RecordKind::Inspection => NewRecord::Inspection(NewInspection {
            inspected_on: row.date("inspected_on"),
            establishment_id: row.int("establishment_id"),
            team_level: row.vocab("team_level", TeamLevel::District),
            team: row.opt_text("team"),
            findings: row.opt_text("findings"),
            violations: row.count("violations"),
            sanctions: row.count("sanctions"),
            fines_vnd: row.count("fines_vnd"),
        }),
        RecordKind::Tip => NewRecord::Tip(NewTip {
            received_on: row.date("received_on"),
            channel: row.vocab("channel", TipChannel::Other),
            category: row.vocab("category", TipCategory::Denunciation),
            unit_code: row.text("unit_code"),
            is_complex: row.flag("is_complex"),
            is_remote: row.flag("is_remote"),
            is_very_complex: row.flag("is_very_complex"),
            status: row.vocab("status", TipStatus::Received),
            accepted_on: row.opt_date("accepted_on"),
            extended_until: row.opt_date("extended_until"),
            suspended_on: row.opt_date("suspended_on"),
            resumed_on: row.opt_date("resumed_on"),
            closed_on: row.opt_date("closed_on"),
            outcome: row.opt_text("outcome"),
            content: row.opt_text("content"),
        }),
        RecordKind::CaseSummary => NewRecord::CaseSummary(NewCaseSummary {
            year: row.year("year"),
            unit_code: row.text("unit_code"),
            criminal_cases: row.int("criminal_cases"),
            defendants: row.int("defendants"),
            admin_violations: row.int("admin_violations"),
            persons_sanctioned: row.int("persons_sanctioned"),
        }),
        RecordKind::DistrictPlan => NewRecord::DistrictPlan(NewDistrictPlan {
            unit_code: row.text("unit_code"),
            year: row.year("year"),
            document_ref: row.text("document_ref"),
            adopted_on: row.opt_date("adopted_on"),
            integrates_socio_economic: row.flag("integrates_socio_economic"),
            integrates_social_security: row.flag("integrates_social_security"),
            integrates_drugs: row.flag("integrates_drugs"),
            integrates_hiv: row.flag("integrates_hiv"),
        }),
        RecordKind::PilotModel => NewRecord::PilotModel(NewPilotModel {
            unit_code: row.text("unit_code"),
            name: row.text("name"),
            kind: row.text("kind"),
            started_on: row.date("started_on"),
            ended_on: row.opt_date("ended_on"),
            status: row.vocab("status", PilotStatus::Active),
        }),
        RecordKind::SupportCase => NewRecord::SupportCase(NewSupportCase {
            code: row.text("code"),
            unit_code: row.text("unit_code"),
            opened_on: row.date("opened_on"),
            closed_on: row.opt_date("closed_on"),
            age_band: row.vocab("age_band", AgeBand::Unknown),
            sex: row.vocab("sex", Sex::Unknown),
            needs_support: row.flag("needs_support"),
            eligible: row.flag("eligible"),
            consent: row.flag("consent"),
            services: row.services("services"),
            identity: row.opt_text("full_name").map(|full_name| Identity {
                full_name,
                date_of_birth: row.opt_text("date_of_birth"),
                id_number: row.opt_text("id_number"),
                address: row.opt_text("address"),
                phone: row.opt_text("phone"),
            }),
        }),
        RecordKind::Training => NewRecord::Training(NewTraining {
            held_on: row.date("held_on"),
            unit_code: row.text("unit_code"),
            level: row.vocab("level", TeamLevel::Province),
            title: row.text("title"),
            organiser: row.opt_text("organiser"),
            participants_province: row.count("participants_province"),
            participants_district: row.count("participants_district"),
            participants_commune: row.count("participants_commune"),
        }),
        RecordKind::ReferenceFigure => NewRecord::ReferenceFigure(NewReferenceFigure {
            kind: row.vocab("kind", ReferenceKind::Students),
            level: row.vocab("level", FigureLevel::All),
            unit_code: row.text("unit_code"),
            year: row.year("year"),
            value: row.int("value"),
            reference: row.text("reference"),
            reference_date: row.opt_date("reference_date"),
        }),
        RecordKind::TaskProgress => NewRecord::TaskProgress(NewTaskProgress {
            plan: row.text("plan"),
            task_code: row.text("task_code"),
            reported_on: row.date("reported_on"),
            status: row.vocab("status", TaskStatus::InProgress),
            note: row.opt_text("note"),
            attachment_name: row.opt_text("attachment_name"),
        }),
        RecordKind::BudgetSpending => NewRecord::BudgetSpending(NewBudgetSpending {
            plan: row.text("plan"),
            year: row.year("year"),
            item: row.opt_text("item"),
            spent: row.int("spent"),
        }),
    };
    if row.errors.is_empty() {
        Ok(parsed)
    } else {
        Err(std::mem::take(&mut row.errors))
    }
}
