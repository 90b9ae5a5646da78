//! Roles (vai trò) as SPEC §1 names them.

vocabulary!(
    Role {
        /// Quản trị hệ thống: users, units, agencies, settings; no personal data.
        Admin = "admin", "quản trị hệ thống";
        /// Cán bộ điều phối cấp tỉnh: plans, targets, tasks, budgets, reports.
        Coordinator = "coordinator", "cán bộ điều phối";
        /// Cán bộ huyện, xã, cơ quan: records of its own unit.
        Officer = "officer", "cán bộ nghiệp vụ";
        /// Thành viên Đội kiểm tra liên ngành 178.
        Inspector = "inspector", "thành viên đội kiểm tra";
        /// Công an: tips, cases, sanctions.
        Investigator = "investigator", "điều tra viên";
        /// Nhân viên công tác xã hội: the only role that sees a person's identity.
        Caseworker = "caseworker", "nhân viên công tác xã hội";
        /// Đại biểu HĐND, thanh tra: read-only, no personal data.
        Supervisor = "supervisor", "giám sát";
    }
);
