//! `pcmd privacy report`: the personal data processing impact assessment
//! (báo cáo đánh giá tác động xử lý dữ liệu cá nhân) in the headings of Form
//! 10 of Decree 356/2025/NĐ-CP, written from the system's own statement of
//! processing (data/privacy/processing.toml) and its holdings, for the agency
//! to complete (its name, contacts, signature) and keep or file.

use pcmd_domain::date::format_vn;
use pcmd_domain::money::format_vnd;
use pcmd_domain::policy::privacy::{ProcessingFile, RetentionFrom};
use pcmd_domain::roles::Role;
use pcmd_report::docx::Block;
use pcmd_store::privacy::Holdings;

const FILL: &str = "…………………………………………… (cơ quan điền)";

fn roles(keys: &[String]) -> String {
    keys.iter().map(|k| k.parse::<Role>().map_or_else(|_| k.clone(), |r| r.label_vi().to_string())).collect::<Vec<_>>().join(", ")
}

fn retention(k: &pcmd_domain::policy::privacy::DataKind) -> String {
    let from = match k.retention_from {
        RetentionFrom::Closed => "kể từ ngày kết thúc hồ sơ, tin",
        RetentionFrom::Entered => "kể từ ngày ghi",
        RetentionFrom::AccountDisabled => "kể từ ngày khóa tài khoản",
    };
    match k.retention_years {
        Some(y) => format!("{y} năm {from}, sau đó ẩn danh tự động"),
        None => "Giữ cùng hồ sơ (không định danh riêng)".to_string(),
    }
}

/// The assessment as blocks, the same for Markdown and DOCX.
pub fn blocks(rules: &ProcessingFile, h: &Holdings, today: chrono::NaiveDate) -> Vec<Block> {
    use Block::*;
    let n = |v: i64| format_vnd(v);
    let sensitive_subjects = h.cases + h.tips;
    let mut b = vec![
        Title("BÁO CÁO ĐÁNH GIÁ TÁC ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN".into()),
        Note(format!(
            "Theo Mẫu số 10 kèm theo Nghị định số 356/2025/NĐ-CP ngày 31/12/2025 của Chính phủ. Lập ngày {} từ cấu hình của hệ thống pcmd; các mục ghi «(cơ quan điền)» do cơ quan hoàn thiện trước khi ký.",
            format_vn(today)
        )),
        Note("Theo khoản 6 Điều 21 Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, cơ quan nhà nước có thẩm quyền không phải thực hiện quy định về đánh giá tác động xử lý dữ liệu cá nhân; báo cáo này phục vụ cơ chế giám sát việc xử lý dữ liệu cá nhân (khoản 2 Điều 19 của Luật), công tác kiểm tra, và được nộp khi cơ quan có thẩm quyền yêu cầu.".into()),
        Heading("PHẦN A. HỒ SƠ ĐÁNH GIÁ TÁC ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN".into()),
        Heading("I. THÔNG TIN CƠ BẢN CỦA BÊN NỘP HỒ SƠ".into()),
    ];
    for item in [
        "1. Tên cơ quan",
        "2. Mã số thuế / mã định danh",
        "3. Địa chỉ trụ sở",
        "4. Điện thoại, thư điện tử",
        "5. Lĩnh vực hoạt động",
        "6. Đơn vị trực thuộc sử dụng hệ thống",
        "7. Trang thông tin điện tử",
        "8. Bộ phận, nhân sự bảo vệ dữ liệu cá nhân (kèm quyết định phân công)",
    ] {
        b.push(Para(format!("{item}: {FILL}")));
    }
    b.push(Heading("II. HOẠT ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN".into()));
    b.push(Subheading("1. Vai trò và chủ thể dữ liệu".into()));
    b.push(Para("Cơ quan là bên kiểm soát và xử lý dữ liệu cá nhân trong hệ thống quản lý công tác phòng, chống mại dâm (pcmd), cài đặt trên máy chủ của cơ quan; không thuê bên xử lý dữ liệu bên ngoài (nếu có, ghi tại Phần B).".into()));
    b.push(Table(
        vec!["Nhóm chủ thể dữ liệu".into(), "Số lượng đang lưu".into()],
        vec![
            vec!["Người được hỗ trợ (hồ sơ hỗ trợ; còn danh tính)".into(), format!("{} ({} còn danh tính)", n(h.cases), n(h.identities))],
            vec![
                "Người gửi tin và người được nêu trong tố giác, tin báo, khiếu nại (tin; còn nội dung)".into(),
                format!("{} ({} còn nội dung)", n(h.tips), n(h.tip_contents)),
            ],
            vec!["Cán bộ sử dụng hệ thống (tài khoản)".into(), n(h.accounts)],
        ],
    ));
    b.push(Subheading("2. Mục đích, căn cứ và người được tiếp cận theo từng loại dữ liệu".into()));
    b.push(Table(
        vec!["Loại dữ liệu".into(), "Mục đích".into(), "Căn cứ xử lý".into(), "Vai trò được xem".into()],
        rules.kinds.iter().map(|k| vec![k.name_vi.clone(), k.purpose.clone(), format!("{} ({})", k.basis, k.basis_ref), roles(&k.roles)]).collect(),
    ));
    b.push(Subheading("3. Loại dữ liệu cá nhân".into()));
    b.push(Table(
        vec!["Loại dữ liệu".into(), "Trường lưu trữ".into(), "Cơ bản / nhạy cảm".into()],
        rules
            .kinds
            .iter()
            .map(|k| vec![k.name_vi.clone(), k.fields.clone(), (if k.sensitive { "Nhạy cảm" } else { "Cơ bản" }).to_string()])
            .collect(),
    ));
    b.push(Subheading("4. Sự đồng ý".into()));
    b.push(Para("Sự đồng ý của người được hỗ trợ được ghi trên hồ sơ với ngày và phạm vi; người đó được thông báo dữ liệu cần xử lý là dữ liệu cá nhân nhạy cảm. Khi người đó rút lại sự đồng ý, hệ thống ghi ngày rút lại, trang hồ sơ nêu rõ và từ chối ghi nhận dịch vụ mới; việc rút lại không có hiệu lực với việc xử lý trước đó. Tố giác, tin báo và tài khoản cán bộ được xử lý không cần sự đồng ý, theo Điều 19 của Luật.".into()));
    b.push(Subheading("5. Chính sách lưu trữ".into()));
    b.push(Table(
        vec!["Loại dữ liệu".into(), "Thời hạn lưu trữ".into(), "Căn cứ".into()],
        rules.kinds.iter().map(|k| vec![k.name_vi.clone(), retention(k), k.retention_ref.clone()]).collect(),
    ));
    b.push(Subheading("6. Xóa, hủy dữ liệu".into()));
    b.push(Para(format!(
        "Hằng ngày hệ thống ẩn danh danh tính và nội dung tin của hồ sơ đã kết thúc quá thời hạn lưu trữ (lệnh pcmd privacy sweep); cán bộ điều phối được báo trước {} ngày (pcmd privacy due). Theo yêu cầu của chủ thể, nhân viên công tác xã hội ẩn danh ngay hồ sơ đã kết thúc, ghi lý do; hồ sơ đang mở bị từ chối kèm lý do. Dữ liệu bị xóa được ghi đè bằng số 0 trong tệp cơ sở dữ liệu, không khôi phục được; số liệu và báo cáo không thay đổi vì không sử dụng danh tính.",
        rules.warn_days
    )));
    b.push(Subheading("7. Chuyển giao dữ liệu cá nhân".into()));
    b.push(Para("Không chuyển giao. Số liệu gửi sang DHIS2 và các báo cáo định kỳ chỉ gồm số liệu tổng hợp, không chứa dữ liệu về người; bản sao lưu chứa dữ liệu đã mã hóa và được lưu như dữ liệu gốc.".into()));
    b.push(Subheading("8. Mua bán dữ liệu cá nhân: Không.".into()));
    b.push(Subheading("9. Kinh doanh dịch vụ xử lý dữ liệu cá nhân: Không.".into()));
    b.push(Subheading("10. Chuyển dữ liệu cá nhân ra nước ngoài: Không.".into()));
    b.push(Subheading("11. Biện pháp bảo vệ dữ liệu cá nhân".into()));
    b.push(Table(
        vec!["Loại dữ liệu".into(), "Biện pháp".into()],
        rules.kinds.iter().map(|k| vec![k.name_vi.clone(), k.safeguards.clone()]).collect(),
    ));
    b.push(Para("Ngoài ra: phân quyền theo vai trò và địa bàn tại một chỗ; nhân viên công tác xã hội đăng nhập hai lớp; chặn đăng nhập sai nhiều lần; phiên làm việc hết hạn; kiểm tra chéo báo cáo (người nộp không tự duyệt); số liệu nhỏ hơn 5 được ẩn trong bản của cán bộ giám sát; tệp khóa và tệp xuất chỉ chủ sở hữu đọc được.".into()));
    b.push(Subheading("12. Đánh giá sự tuân thủ".into()));
    b.push(Para(format!("Hình thức, thời gian, kết quả: {FILL}")));
    b.push(Heading("III. ĐÁNH GIÁ TÁC ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN".into()));
    b.push(Subheading("1. Tổng quan".into()));
    b.push(Para("Việc xử lý là cần thiết để hỗ trợ người bán dâm hòa nhập cộng đồng và giải quyết tố giác, tin báo trong thời hạn; các chỉ tiêu và báo cáo chỉ dùng số liệu tổng hợp. Rủi ro chính là lộ danh tính của người được hỗ trợ hoặc người tố giác, gây kỳ thị, phân biệt đối xử hoặc trả thù.".into()));
    b.push(Subheading("2.1. Tác động đến chủ thể dữ liệu".into()));
    b.push(Para("(1) Có thể bị ảnh hưởng: danh dự, đời sống riêng tư, sức khỏe (dữ liệu HIV/STI), an toàn của người tố giác. (2) Mục tiêu: chỉ người có nhiệm vụ được đọc, mỗi lần đọc được ghi lại. (3) Biện pháp: mã hóa danh tính, phân quyền, nhật ký có chuỗi băm, ẩn số nhỏ, ẩn danh khi hết hạn. (4) Hiệu quả: kiểm thử tự động trên cả hai hệ cơ sở dữ liệu. (5) Đề xuất: rà soát định kỳ nhật ký đọc dữ liệu cá nhân.".into()));
    b.push(Subheading("2.2. Tác động đến an toàn thông tin của cơ quan".into()));
    b.push(Para(format!(
        "Bảo mật: dữ liệu cá nhân được mã hóa, khóa lưu ngoài cơ sở dữ liệu. Toàn vẹn: nhật ký kiểm tra có khóa, có điểm neo kiểm tra ({} mục hiện có). Sẵn sàng: sao lưu và phục hồi toàn bộ (pcmd backup / restore). Khi có vi phạm, thông báo trong {} giờ ({}).",
        n(h.audit_entries),
        rules.breach_hours,
        rules.breach_ref
    )));
    b.push(Subheading("2.3. Tác động đến an ninh quốc gia, trật tự an toàn xã hội".into()));
    b.push(Para(if sensitive_subjects > 10_000 {
        format!("Hệ thống xử lý dữ liệu nhạy cảm của {} chủ thể (trên 10.000): cơ quan đánh giá mục này. {FILL}", n(sensitive_subjects))
    } else {
        format!("Không thuộc trường hợp phải đánh giá: hệ thống xử lý dữ liệu nhạy cảm của {} chủ thể, dưới 10.000.", n(sensitive_subjects))
    }));
    b.push(Heading("IV. PHỤ LỤC".into()));
    b.push(Para("Tệp data/privacy/processing.toml (mục đích, căn cứ, thời hạn lưu trữ theo loại dữ liệu); quy trình xử lý vi phạm dữ liệu cá nhân và quy trình giải quyết yêu cầu của chủ thể dữ liệu (README, mục «Dữ liệu cá nhân»).".into()));
    b.push(Heading("PHẦN B. THÔNG TIN CÁC BÊN LIÊN QUAN".into()));
    b.push(Table(
        vec!["Bên".into(), "Tên, mã số thuế".into(), "Liên hệ bảo vệ dữ liệu".into(), "Hợp đồng số, ngày".into(), "Dịch vụ".into()],
        vec![vec!["Bên xử lý dữ liệu (nếu có)".into(), FILL.into(), String::new(), String::new(), String::new()]],
    ));
    b.push(Heading("CĂN CỨ PHÁP LÝ".into()));
    for s in &rules.sources {
        b.push(Para(format!(
            "- {} {} ngày {}, hiệu lực từ {} ({}; đối chiếu ngày {}).",
            s.code,
            s.title,
            format_vn(s.issued_on),
            format_vn(s.in_force),
            s.url,
            format_vn(s.checked_on)
        )));
    }
    b
}

/// The blocks as Markdown.
pub fn markdown(blocks: &[Block]) -> String {
    let cell = |c: &str| c.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Title(t) => out.push_str(&format!("# {t}\n\n")),
            Block::Heading(t) => out.push_str(&format!("## {t}\n\n")),
            Block::Subheading(t) => out.push_str(&format!("### {t}\n\n")),
            Block::Para(t) => out.push_str(&format!("{t}\n\n")),
            Block::Note(t) => out.push_str(&format!("_{t}_\n\n")),
            Block::Table(headers, rows) => {
                out.push_str(&format!("| {} |\n", headers.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")));
                out.push_str(&format!("|{}\n", " --- |".repeat(headers.len())));
                for r in rows {
                    out.push_str(&format!("| {} |\n", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
                }
                out.push('\n');
            }
        }
    }
    out
}
