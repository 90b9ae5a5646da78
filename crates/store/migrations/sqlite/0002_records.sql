-- Records: what the programme produces, from which targets are computed.
-- Kept side by side with the other backend's 0002_records.sql (ids and BLOB/BLOB
-- differ). Every record has its unit, who entered it and when, where it came
-- from (`source`: entry, import, synthetic demo data, the public) and a version
-- for optimistic concurrency: an update names the version it read.

-- Cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm.
CREATE TABLE establishment (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('hotel', 'guesthouse', 'karaoke', 'massage', 'sauna', 'bar', 'restaurant', 'other')),
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    address TEXT,
    licence TEXT,
    workers BIGINT NOT NULL CHECK (workers >= 0),
    opened_on TEXT,
    closed_on TEXT,
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX establishment_unit ON establishment (unit_id);

-- Hoạt động truyền thông: a communication activity and the people it reached.
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    form TEXT NOT NULL CHECK (form IN ('meeting', 'loudspeaker', 'banner', 'leaflet', 'club', 'contest', 'social_media', 'other')),
    topic TEXT NOT NULL,
    organiser_agency_id BIGINT REFERENCES agency (id),
    organiser TEXT,
    reached_at_risk_workers BIGINT NOT NULL DEFAULT 0 CHECK (reached_at_risk_workers >= 0),
    reached_industrial_workers BIGINT NOT NULL DEFAULT 0 CHECK (reached_industrial_workers >= 0),
    reached_students BIGINT NOT NULL DEFAULT 0 CHECK (reached_students >= 0),
    reached_community BIGINT NOT NULL DEFAULT 0 CHECK (reached_community >= 0),
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX activity_date ON activity (held_on);
CREATE INDEX activity_unit_date ON activity (unit_id, held_on);

-- Tin, bài trên báo chí: a media publication.
CREATE TABLE publication (
    id INTEGER PRIMARY KEY,
    published_on TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    outlet TEXT NOT NULL,
    outlet_level TEXT NOT NULL CHECK (outlet_level IN ('province', 'district')),
    medium TEXT NOT NULL CHECK (medium IN ('newspaper', 'radio', 'television', 'online', 'other')),
    title TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX publication_date ON publication (published_on);

-- Kiểm tra: an inspection of an establishment by an interagency team (Đội 178).
CREATE TABLE inspection (
    id INTEGER PRIMARY KEY,
    inspected_on TEXT NOT NULL,
    establishment_id BIGINT NOT NULL REFERENCES establishment (id),
    team_level TEXT NOT NULL CHECK (team_level IN ('province', 'district', 'commune')),
    team TEXT,
    findings TEXT,
    violations BIGINT NOT NULL DEFAULT 0 CHECK (violations >= 0),
    sanctions BIGINT NOT NULL DEFAULT 0 CHECK (sanctions >= 0),
    fines_vnd BIGINT NOT NULL DEFAULT 0 CHECK (fines_vnd >= 0),
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX inspection_date ON inspection (inspected_on);
CREATE INDEX inspection_establishment ON inspection (establishment_id, inspected_on);

-- Legal time limits for settling tips and complaints, as data with their source.
CREATE TABLE deadline_rule (
    code TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    base TEXT NOT NULL,
    complex TEXT NOT NULL,
    remote TEXT,
    remote_complex TEXT,
    extension TEXT,
    basis TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL
);

-- Tố giác, tin báo, khiếu nại: a tip, report or complaint.
CREATE TABLE tip (
    id INTEGER PRIMARY KEY,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('public_portal', 'phone', 'in_person', 'transferred', 'other')),
    category TEXT NOT NULL CHECK (category IN ('denunciation', 'crime_report', 'complaint', 'second_complaint')),
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    assigned_unit_id BIGINT REFERENCES unit (id),
    assigned_agency_id BIGINT REFERENCES agency (id),
    content_sealed BLOB,
    is_complex BIGINT NOT NULL DEFAULT 0 CHECK (is_complex IN (0, 1)),
    is_remote BIGINT NOT NULL DEFAULT 0 CHECK (is_remote IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('received', 'verifying', 'classified', 'handled', 'transferred', 'dismissed')),
    rule_code TEXT NOT NULL REFERENCES deadline_rule (code),
    deadline TEXT NOT NULL,
    extended_until TEXT,
    closed_on TEXT,
    outcome TEXT,
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (closed_on IS NULL OR closed_on >= received_on)
);
CREATE INDEX tip_deadline ON tip (deadline);
CREATE INDEX tip_received ON tip (received_on);

CREATE TABLE tip_event (
    id INTEGER PRIMARY KEY,
    tip_id BIGINT NOT NULL REFERENCES tip (id) ON DELETE CASCADE,
    happened_on TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    entered_by TEXT,
    entered_at TEXT NOT NULL
);
CREATE INDEX tip_event_tip ON tip_event (tip_id);

-- Kết quả xử lý: yearly counts of cases and persons handled by a unit.
CREATE TABLE case_summary (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    criminal_cases BIGINT NOT NULL CHECK (criminal_cases >= 0),
    defendants BIGINT NOT NULL CHECK (defendants >= 0),
    admin_violations BIGINT NOT NULL CHECK (admin_violations >= 0),
    persons_sanctioned BIGINT NOT NULL CHECK (persons_sanctioned >= 0),
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, unit_id)
);

-- Kế hoạch cấp huyện và lồng ghép: a district's yearly plan and what it integrates with.
CREATE TABLE district_plan (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    year BIGINT NOT NULL,
    document_ref TEXT NOT NULL,
    adopted_on TEXT,
    integrates_socio_economic BIGINT NOT NULL DEFAULT 0 CHECK (integrates_socio_economic IN (0, 1)),
    integrates_social_security BIGINT NOT NULL DEFAULT 0 CHECK (integrates_social_security IN (0, 1)),
    integrates_drugs BIGINT NOT NULL DEFAULT 0 CHECK (integrates_drugs IN (0, 1)),
    integrates_hiv BIGINT NOT NULL DEFAULT 0 CHECK (integrates_hiv IN (0, 1)),
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (unit_id, year)
);

-- Mô hình thí điểm: a pilot model run in a district.
CREATE TABLE pilot_model (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- Hồ sơ hỗ trợ: a support case, known by a pseudonymous code; identity sealed.
CREATE TABLE support_case (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    age_band TEXT NOT NULL CHECK (age_band IN ('under_18', '18_24', '25_34', '35_44', '45_plus', 'unknown')),
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    needs_support BIGINT NOT NULL CHECK (needs_support IN (0, 1)),
    eligible BIGINT NOT NULL CHECK (eligible IN (0, 1)),
    consent BIGINT NOT NULL CHECK (consent IN (0, 1)),
    identity_sealed BLOB,
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE support_service (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES support_case (id) ON DELETE CASCADE,
    provided_on TEXT NOT NULL,
    service TEXT NOT NULL CHECK (service IN ('health', 'hiv_sti', 'psychological', 'legal', 'vocational_training', 'job_placement', 'loan', 'shelter', 'other')),
    provider TEXT,
    entered_by TEXT,
    entered_at TEXT NOT NULL
);
CREATE INDEX support_service_case ON support_service (case_id, provided_on);

CREATE TABLE referral (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES support_case (id) ON DELETE CASCADE,
    referred_on TEXT NOT NULL,
    to_agency_id BIGINT REFERENCES agency (id),
    to_service TEXT NOT NULL,
    due_on TEXT NOT NULL,
    answered_on TEXT,
    outcome TEXT,
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- Tập huấn: a training course and its participants by level.
CREATE TABLE training (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    title TEXT NOT NULL,
    organiser TEXT,
    participants_province BIGINT NOT NULL DEFAULT 0 CHECK (participants_province >= 0),
    participants_district BIGINT NOT NULL DEFAULT 0 CHECK (participants_district >= 0),
    participants_commune BIGINT NOT NULL DEFAULT 0 CHECK (participants_commune >= 0),
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX training_date ON training (held_on);

-- Số liệu tham chiếu: figures that exist only outside the system (students,
-- industrial-zone workers, programme staff by level), with their source.
CREATE TABLE reference_figure (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('students', 'industrial_workers', 'staff')),
    level TEXT NOT NULL DEFAULT 'all' CHECK (level IN ('all', 'province', 'district', 'commune')),
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    year BIGINT NOT NULL,
    value BIGINT NOT NULL CHECK (value >= 0),
    reference TEXT NOT NULL,
    reference_date TEXT,
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (kind, level, unit_id, year)
);

-- Tiến độ nhiệm vụ: a progress report on a plan's task.
CREATE TABLE task_progress (
    id INTEGER PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES task (id),
    reported_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'delayed')),
    note TEXT,
    attachment_name TEXT,
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
