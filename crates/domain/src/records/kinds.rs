//! Every record kind, described once: each field's kind and its header in an
//! import file. The import template, the form, the API schema, the checks and
//! what the store writes are derived from here (`describe.rs`); a new field is
//! one line below and its column in the migrations of both backends.
//! Units are codes, resolved by the store on the record's date.

use super::describe::*;
use super::*;
use chrono::NaiveDate;

record_kinds! {
    /// Cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm.
    Establishment = "establishment", "cơ sở kinh doanh" => NewEstablishment {
        name: String = Text, "Tên cơ sở";
        kind: EstablishmentKind = Choice<EstablishmentKind>, "Loại hình (hotel, guesthouse, karaoke, massage, sauna, bar, restaurant, other)";
        unit_code: String = Unit, "Mã xã";
        address: Option<String> = OptText, "Địa chỉ";
        licence: Option<String> = OptText, "Số giấy phép";
        workers: i64 = Number, "Số người lao động";
        /// The day it opened, if known; the unit is resolved on this day (or `as_of`).
        opened_on: Option<NaiveDate> = OptDate, "Ngày hoạt động (dd/mm/yyyy)";
        closed_on: Option<NaiveDate> = OptDate, "Ngày ngừng hoạt động (dd/mm/yyyy)";
    }

    /// Hoạt động tuyên truyền.
    Activity = "activity", "hoạt động tuyên truyền" => NewActivity {
        held_on: NaiveDate = Date, "Ngày tổ chức (dd/mm/yyyy)";
        unit_code: String = Unit, "Mã đơn vị hành chính";
        form: ActivityForm = Choice<ActivityForm>, "Hình thức (meeting, loudspeaker, banner, leaflet, club, contest, social_media, other)";
        topic: String = Text, "Chủ đề";
        organiser: Option<String> = OptText, "Đơn vị tổ chức";
        reached_at_risk_workers: i64 = Count, "Số người lao động tại cơ sở dễ phát sinh tệ nạn";
        reached_industrial_workers: i64 = Count, "Số người lao động khu công nghiệp";
        reached_students: i64 = Count, "Số học sinh, sinh viên";
        reached_community: i64 = Count, "Số người dân";
    }

    /// Tin bài trên báo chí.
    Publication = "publication", "tin bài báo chí" => NewPublication {
        published_on: NaiveDate = Date, "Ngày đăng (dd/mm/yyyy)";
        unit_code: String = Unit, "Mã tỉnh hoặc huyện của cơ quan báo chí";
        outlet: String = Text, "Cơ quan báo chí";
        outlet_level: OutletLevel = Choice<OutletLevel>, "Cấp (province, district)";
        medium: Medium = Choice<Medium>, "Loại hình (newspaper, radio, television, online, other)";
        title: String = Text, "Tiêu đề";
    }

    /// Kiểm tra một cơ sở kinh doanh.
    Inspection = "inspection", "kiểm tra" => NewInspection {
        inspected_on: NaiveDate = Date, "Ngày kiểm tra (dd/mm/yyyy)";
        establishment_id: i64 = Id, "Số hiệu cơ sở";
        team_level: TeamLevel = Choice<TeamLevel>, "Cấp đoàn kiểm tra (province, district, commune)";
        team: Option<String> = OptText, "Đoàn kiểm tra";
        findings: Option<String> = LongText, "Kết quả";
        violations: i64 = Count, "Số vi phạm";
        sanctions: i64 = Count, "Số xử phạt";
        fines_vnd: i64 = Money, "Tiền phạt (đồng)";
    }

    /// Tố giác, tin báo, tố cáo, khiếu nại.
    Tip = "tip", "tố giác, tin báo, tố cáo, khiếu nại" => NewTip {
        received_on: NaiveDate = Date, "Ngày tiếp nhận (dd/mm/yyyy)";
        channel: TipChannel = Choice<TipChannel>, "Kênh (public_portal, phone, in_person, transferred, other)";
        category: TipCategory = Choice<TipCategory>, "Loại (denunciation, crime_report, accusation, complaint, second_complaint, admin_violation)";
        unit_code: String = Unit, "Mã xã nơi xảy ra";
        is_complex: bool = Flag, "Phức tạp (có/không)";
        /// Particularly complex (đặc biệt phức tạp): the longest limit or the most extensions.
        is_very_complex: bool = Flag, "Đặc biệt phức tạp (có/không)";
        is_remote: bool = Flag, "Vùng sâu, vùng xa (có/không)";
        status: TipStatus = Choice<TipStatus>, "Trạng thái (received, verifying, classified, suspended, handled, transferred, dismissed)";
        /// The day the clock starts when its law counts from acceptance (ngày thụ lý)
        /// or from the record of an administrative violation (ngày lập biên bản).
        accepted_on: Option<NaiveDate> = OptDate, "Ngày thụ lý hoặc lập biên bản (dd/mm/yyyy)";
        /// The new deadline after the extensions the law allows, if granted. It may lie ahead.
        extended_until: Option<NaiveDate> = Deadline, "Gia hạn đến (dd/mm/yyyy)";
        /// Suspension (tạm đình chỉ) and resumption, where the law allows them.
        suspended_on: Option<NaiveDate> = OptDate, "Ngày tạm đình chỉ (dd/mm/yyyy)";
        resumed_on: Option<NaiveDate> = OptDate, "Ngày tiếp tục giải quyết (dd/mm/yyyy)";
        closed_on: Option<NaiveDate> = OptDate, "Ngày kết thúc (dd/mm/yyyy)";
        outcome: Option<String> = LongText, "Kết quả";
        /// What was reported: personal data, sealed at rest.
        content: Option<String> = PersonalText, "Nội dung tin (dữ liệu cá nhân, được mã hóa)";
    }

    /// Kết quả xử lý của một năm: vụ án, bị can, vi phạm hành chính.
    CaseSummary = "case_summary", "kết quả xử lý" => NewCaseSummary {
        year: i32 = Year, "Năm";
        unit_code: String = Unit, "Mã đơn vị";
        criminal_cases: i64 = Number, "Số vụ án hình sự";
        defendants: i64 = Number, "Số bị can";
        admin_violations: i64 = Number, "Số vụ vi phạm hành chính";
        persons_sanctioned: i64 = Number, "Số người bị xử phạt";
    }

    /// Kế hoạch cấp huyện và những gì nó lồng ghép.
    DistrictPlan = "district_plan", "kế hoạch cấp huyện" => NewDistrictPlan {
        unit_code: String = Unit, "Mã huyện";
        year: i32 = Year, "Năm";
        document_ref: String = Text, "Số, ký hiệu kế hoạch";
        adopted_on: Option<NaiveDate> = OptDate, "Ngày ban hành (dd/mm/yyyy)";
        integrates_socio_economic: bool = Flag, "Lồng ghép phát triển kinh tế - xã hội (có/không)";
        integrates_social_security: bool = Flag, "Lồng ghép an sinh xã hội (có/không)";
        integrates_drugs: bool = Flag, "Lồng ghép phòng, chống ma túy (có/không)";
        integrates_hiv: bool = Flag, "Lồng ghép phòng, chống HIV/AIDS (có/không)";
    }

    /// Mô hình thí điểm.
    PilotModel = "pilot_model", "mô hình thí điểm" => NewPilotModel {
        name: String = Text, "Tên mô hình";
        unit_code: String = Unit, "Mã đơn vị";
        kind: String = Text, "Loại mô hình";
        started_on: NaiveDate = Date, "Ngày bắt đầu (dd/mm/yyyy)";
        ended_on: Option<NaiveDate> = OptDate, "Ngày kết thúc (dd/mm/yyyy)";
        status: PilotStatus = Choice<PilotStatus>, "Trạng thái (active, paused, ended)";
    }

    /// Hồ sơ hỗ trợ một người: mã hồ sơ, không ghi họ tên ngoài các trường nhân thân được mã hóa.
    SupportCase = "support_case", "hồ sơ hỗ trợ" => NewSupportCase {
        /// Mã hồ sơ: pseudonymous, never a name.
        code: String = Text, "Mã hồ sơ (không ghi họ tên)";
        unit_code: String = Unit, "Mã xã";
        opened_on: NaiveDate = Date, "Ngày mở hồ sơ (dd/mm/yyyy)";
        closed_on: Option<NaiveDate> = OptDate, "Ngày đóng hồ sơ (dd/mm/yyyy)";
        age_band: AgeBand = Choice<AgeBand>, "Nhóm tuổi (under_18, 18_24, 25_34, 35_44, 45_plus, unknown)";
        sex: Sex = Choice<Sex>, "Giới tính (female, male, other, unknown)";
        needs_support: bool = Answer, "Có nhu cầu (có/không)";
        eligible: bool = Answer, "Đủ điều kiện (có/không)";
        consent: bool = Answer, "Đồng ý (có/không)";
        services: Vec<(NaiveDate, Service)> = Services, "Dịch vụ đã nhận (dd/mm/yyyy loại; …)";
        /// Nhân thân (this and the four after it): sealed together at rest, shown to caseworkers in scope alone.
        full_name: Option<String> = Personal, "Họ tên (dữ liệu cá nhân, được mã hóa)";
        date_of_birth: Option<String> = Personal, "Ngày sinh";
        id_number: Option<String> = Personal, "Số định danh";
        address: Option<String> = Personal, "Địa chỉ";
        phone: Option<String> = Personal, "Điện thoại";
    }

    /// Lớp tập huấn cho cán bộ.
    Training = "training", "tập huấn" => NewTraining {
        held_on: NaiveDate = Date, "Ngày tập huấn (dd/mm/yyyy)";
        unit_code: String = Unit, "Mã đơn vị tổ chức";
        level: TeamLevel = Choice<TeamLevel>, "Cấp tổ chức (province, district, commune)";
        title: String = Text, "Tên lớp";
        organiser: Option<String> = OptText, "Đơn vị tổ chức";
        participants_province: i64 = Count, "Học viên cấp tỉnh";
        participants_district: i64 = Count, "Học viên cấp huyện";
        participants_commune: i64 = Count, "Học viên cấp xã";
    }

    /// Số liệu tham chiếu: the denominators some targets need.
    ReferenceFigure = "reference_figure", "số liệu tham chiếu" => NewReferenceFigure {
        kind: ReferenceKind = Choice<ReferenceKind>, "Loại số liệu (students, industrial_workers, staff)";
        level: FigureLevel = Choice<FigureLevel>, "Cấp (all; với staff: province, district, commune)";
        unit_code: String = Unit, "Mã đơn vị";
        year: i32 = Year, "Năm";
        value: i64 = Number, "Số liệu";
        /// Where the figure comes from (a statistics yearbook, a department's letter…).
        reference: String = Text, "Nguồn số liệu";
        reference_date: Option<NaiveDate> = OptDate, "Ngày của nguồn (dd/mm/yyyy)";
    }

    /// Tiến độ: a report on a plan's task by its agency.
    TaskProgress = "task_progress", "tiến độ nhiệm vụ" => NewTaskProgress {
        /// The plan's number or key.
        plan: String = Reference, "Số hoặc khóa kế hoạch";
        task_code: String = Reference, "Mã nhiệm vụ";
        reported_on: NaiveDate = Date, "Ngày báo cáo (dd/mm/yyyy)";
        status: TaskStatus = Choice<TaskStatus>, "Tiến độ (not_started, in_progress, done, delayed)";
        note: Option<String> = LongText, "Ghi chú";
        attachment_name: Option<String> = OptText, "Tên tệp đính kèm";
    }

    /// Kinh phí đã chi: what was spent of a plan's budget line for a year.
    BudgetSpending = "budget_spending", "kinh phí đã chi" => NewBudgetSpending {
        plan: String = Reference, "Số hoặc khóa kế hoạch";
        year: i32 = Year, "Năm";
        /// The line's item, when the year has several lines.
        item: Option<String> = OptText, "Nội dung dự toán (nếu năm có nhiều dòng)";
        spent: i64 = Amount, "Kinh phí đã chi (đồng)";
    }
}

impl NewDistrictPlan {
    pub fn integrates_any(&self) -> bool {
        self.integrates_socio_economic || self.integrates_social_security || self.integrates_drugs || self.integrates_hiv
    }
}

/// Nhân thân: a person's identity fields, sealed together.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    pub full_name: String,
    pub date_of_birth: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
}

impl NewSupportCase {
    /// The person's identity as sealed, when any of its fields is given.
    pub fn identity(&self) -> Option<Identity> {
        let any = [&self.full_name, &self.date_of_birth, &self.id_number, &self.address, &self.phone].iter().any(|f| f.is_some());
        any.then(|| Identity {
            full_name: self.full_name.clone().unwrap_or_default(),
            date_of_birth: self.date_of_birth.clone(),
            id_number: self.id_number.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
        })
    }
}

impl NewRecord {
    /// The day a record belongs to, for the lock of accepted reports: its date,
    /// or 30 June for a yearly figure (inside the year report and the second
    /// half-year of Decree 09). None for records no report locks.
    pub fn day(&self) -> Option<NaiveDate> {
        let mid_year = |y: i32| NaiveDate::from_ymd_opt(y, 6, 30);
        match self {
            NewRecord::Establishment(r) => r.opened_on,
            NewRecord::Activity(r) => Some(r.held_on),
            NewRecord::Publication(r) => Some(r.published_on),
            NewRecord::Inspection(r) => Some(r.inspected_on),
            NewRecord::Tip(r) => Some(r.received_on),
            NewRecord::CaseSummary(r) => mid_year(r.year),
            NewRecord::DistrictPlan(r) => mid_year(r.year),
            NewRecord::PilotModel(r) => Some(r.started_on),
            NewRecord::SupportCase(r) => Some(r.opened_on),
            NewRecord::Training(r) => Some(r.held_on),
            NewRecord::ReferenceFigure(r) => mid_year(r.year),
            NewRecord::TaskProgress(_) | NewRecord::BudgetSpending(_) => None,
        }
    }

    /// The code of the unit a record is of, where it names one (an inspection
    /// names its establishment; progress and spending their plan).
    pub fn unit_code(&self) -> Option<&str> {
        match self {
            NewRecord::Establishment(r) => Some(&r.unit_code),
            NewRecord::Activity(r) => Some(&r.unit_code),
            NewRecord::Publication(r) => Some(&r.unit_code),
            NewRecord::Tip(r) => Some(&r.unit_code),
            NewRecord::CaseSummary(r) => Some(&r.unit_code),
            NewRecord::DistrictPlan(r) => Some(&r.unit_code),
            NewRecord::PilotModel(r) => Some(&r.unit_code),
            NewRecord::SupportCase(r) => Some(&r.unit_code),
            NewRecord::Training(r) => Some(&r.unit_code),
            NewRecord::ReferenceFigure(r) => Some(&r.unit_code),
            NewRecord::Inspection(_) | NewRecord::TaskProgress(_) | NewRecord::BudgetSpending(_) => None,
        }
    }
}
