//! The report's tables as one CSV file (UTF-8 with a byte-order mark, so that
//! Excel reads the Vietnamese letters): each table under its title, a blank line between.

use crate::model::UnitReport;
use crate::ReportError;

pub fn write(r: &UnitReport) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        w.write_record([format!("Báo cáo: {}", r.title)])?;
        w.write_record([format!(
            "Đơn vị: {} ({}); kỳ {} ({}); số liệu đến ngày {}",
            r.unit.name,
            r.unit.code,
            r.period.label,
            r.period_text(),
            pcmd_domain::date::format_vn(r.as_of)
        )])?;
        w.write_record([""])?;
        w.write_record(["Chỉ tiêu"])?;
        w.write_record(["Mã", "Nội dung", "Giá trị", "Ngưỡng", "Đánh giá", "Tử số / mẫu số"])?;
        for t in &r.targets {
            w.write_record([&t.code, &t.text, &t.value_text, &t.threshold, &t.status, &t.figures])?;
        }
        for table in &r.lists {
            w.write_record([""])?;
            w.write_record([&table.title])?;
            w.write_record(&table.headers)?;
            for row in &table.rows {
                w.write_record(row)?;
            }
        }
        w.write_record([""])?;
        w.write_record(["Tố giác, tin báo, khiếu nại"])?;
        for (k, v) in r.tip_lines() {
            w.write_record([k, v])?;
        }
        if !r.unit_reports.is_empty() {
            w.write_record([""])?;
            w.write_record(["Báo cáo của các đơn vị"])?;
            w.write_record(["Đơn vị", "Tình trạng", "Kết quả", "Đề xuất, kiến nghị"])?;
            for u in &r.unit_reports {
                w.write_record([u.unit_name.as_str(), u.status.label_vi(), u.narrative.results.as_str(), u.narrative.proposals.as_str()])?;
            }
        }
        if !r.budget.is_empty() {
            w.write_record([""])?;
            w.write_record(["Kinh phí"])?;
            w.write_record(["Năm", "Nội dung", "Dự toán (đồng)", "Đã chi (đồng)"])?;
            for b in &r.budget {
                w.write_record([b.year.to_string(), b.item.clone(), b.allocated.to_string(), b.spent.map(|s| s.to_string()).unwrap_or_default()])?;
            }
        }
        w.flush()?;
    }
    Ok(out)
}
