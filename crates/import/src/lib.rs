//! Import of records (nhập dữ liệu từ tệp) from CSV and XLSX files made from pcmd's templates, in one
//! transaction: a file with any bad row imports nothing, and every bad row is
//! reported with its line and why.

pub mod read;
mod template;

pub use pcmd_domain::records::form::RecordKind;
pub use read::Sheet;
pub use template::{template_bytes, write_template, TemplateFormat};

use anyhow::bail;
use pcmd_domain::records::form::{parse_row, Row};
use pcmd_domain::records::{FieldError, NewRecord, RecordSource, RulesFile};
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::{Store, StoreError};
use std::fmt;
use std::path::Path;

/// A fault at a line of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: usize,
    pub field: Option<String>,
    pub vi: String,
    pub en: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dòng {} (line {})", self.line, self.line)?;
        if let Some(field) = &self.field {
            write!(f, ", cột {field}")?;
        }
        // Some messages already carry both languages.
        if self.en.is_empty() || self.en == self.vi {
            write!(f, ": {}", self.vi)
        } else {
            write!(f, ": {} ({})", self.vi, self.en)
        }
    }
}

/// The faults a message lists: a file with a wrong column can fault on every row.
const SHOWN_ERRORS: usize = 200;

/// Every bad row of a file that was not imported (the message lists the first `SHOWN_ERRORS`).
#[derive(Debug, thiserror::Error)]
pub struct ImportErrors {
    pub file: String,
    pub errors: Vec<RowError>,
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} lỗi, không nhập dòng nào ({} errors, nothing imported)", self.file, self.errors.len(), self.errors.len())?;
        for e in self.errors.iter().take(SHOWN_ERRORS) {
            writeln!(f, "  {e}")?;
        }
        let more = self.errors.len().saturating_sub(SHOWN_ERRORS);
        if more > 0 {
            writeln!(f, "  … và {more} lỗi khác; sửa các lỗi trên rồi kiểm tra lại với --dry-run (and {more} more; fix those above and check again with --dry-run)")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub dry_run: bool,
}

/// Finds the row of column keys (the first or the second row: templates put the
/// Vietnamese headers first) and returns the keys and the index of the first data row.
pub fn header(kind: RecordKind, rows: &[(usize, Vec<String>)]) -> anyhow::Result<(Vec<String>, usize)> {
    let known: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
    for (i, (_, cells)) in rows.iter().take(2).enumerate() {
        let keys: Vec<String> = cells.iter().map(|c| c.trim().to_string()).collect();
        let present: Vec<&String> = keys.iter().filter(|k| !k.is_empty()).collect();
        if !present.is_empty() && present.iter().all(|k| known.contains(&k.as_str())) {
            let missing: Vec<&str> = kind.columns().iter().filter(|c| c.required && !keys.iter().any(|k| k == c.key)).map(|c| c.key).collect();
            if !missing.is_empty() {
                bail!("thiếu cột bắt buộc: {} (missing required columns)", missing.join(", "));
            }
            return Ok((keys, i + 1));
        }
    }
    bail!("không tìm thấy dòng mã cột ở dòng 1 hoặc 2; hãy dùng mẫu `pcmd template {kind}` (no row of column keys in line 1 or 2; use the template)")
}

/// A row refused by the store for a reason the file's author can fix (with
/// the column, when the store names it); None for faults of the system.
fn row_refusal(line: usize, e: &StoreError) -> Option<RowError> {
    let field = match e {
        StoreError::Invalid { field, .. } => field.clone(),
        _ => None,
    };
    e.user_message().map(|m| RowError { line, field, vi: m.vi.clone(), en: m.en.clone() })
}

fn row_error(line: usize, e: FieldError) -> RowError {
    RowError { line, field: Some(e.field.to_string()), vi: e.vi, en: e.en }
}

/// The columns (1-based) of a row's cells that hold something under no column key:
/// past the header's last column, or under an empty header cell. A comma left
/// unquoted in a CSV value (a tip's content, an address) splits it into such
/// cells, and the value would be kept cut short without a word.
fn stray_cells(keys: &[&str], cells: &[String]) -> Vec<usize> {
    cells.iter().enumerate().filter(|(i, c)| !c.trim().is_empty() && keys.get(*i).is_none_or(|k| k.trim().is_empty())).map(|(i, _)| i + 1).collect()
}

/// A row read as a record of `kind`, or its faults added to `faults`.
fn parse_line(kind: RecordKind, keys: &[&str], line: usize, cells: &[String], faults: &mut Vec<RowError>) -> Option<NewRecord> {
    let stray = stray_cells(keys, cells);
    if !stray.is_empty() {
        // The cells' text is not repeated: it may be personal data.
        let columns = stray.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
        let word = if stray.len() == 1 { "column" } else { "columns" };
        faults.push(RowError {
            line,
            field: None,
            vi: format!(
                "có giá trị ở cột {columns}, không thuộc cột nào trong {} cột của dòng mã cột (trong tệp CSV, giá trị có dấu phẩy phải đặt trong ngoặc kép \"…\")",
                keys.len()
            ),
            en: format!(
                "values in {word} {columns}, under none of the {} column keys (in a CSV file, a value holding a comma must be quoted \"…\")",
                keys.len()
            ),
        });
        return None;
    }
    match parse_row(kind, &mut Row::new(keys, cells)) {
        Ok(p) => Some(p),
        Err(fs) => {
            faults.extend(fs.into_iter().map(|e| row_error(line, e)));
            None
        }
    }
}

/// A sheet's rows (`Sheet::rows`), shared with the thread that reads and checks them.
type SharedRows = std::sync::Arc<[(usize, Vec<String>)]>;

/// What the reading thread hands over for each batch of rows.
enum Batch {
    /// The rows read and checked without the database (with their lines), the
    /// faults found, and how many data rows the batch held.
    Rows { prepared: Vec<(usize, rec::Prepared)>, faults: Vec<RowError>, rows: usize },
    /// A fault of the system (not of the file): the import stops.
    Failed(StoreError),
}

/// Reads and checks the data rows a batch at a time, without the database.
#[allow(clippy::too_many_arguments)]
fn read_batches(
    kind: RecordKind,
    batch: usize,
    (sheet, first): (SharedRows, usize),
    keys: Vec<String>,
    units: pcmd_domain::units::UnitIndex,
    rules: RulesFile,
    meta: RecordMeta,
    out: tokio::sync::mpsc::Sender<Batch>,
) {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    for chunk in sheet.get(first..).unwrap_or(&[]).chunks(batch.max(1)) {
        let (mut prepared, mut faults, mut rows) = (Vec::with_capacity(chunk.len()), Vec::new(), 0);
        for (line, cells) in chunk {
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            rows += 1;
            let Some(parsed) = parse_line(kind, &keys, *line, cells, &mut faults) else { continue };
            match rec::prepare(&units, &rules, &parsed, &meta) {
                Ok(p) => prepared.push((*line, p)),
                Err(e) => match row_refusal(*line, &e) {
                    Some(r) => faults.push(r),
                    None => {
                        let _ = out.blocking_send(Batch::Failed(e));
                        return;
                    }
                },
            }
        }
        if out.blocking_send(Batch::Rows { prepared, faults, rows }).is_err() {
            return;
        }
    }
}

/// The way for the kinds that come in large files (`rec::batchable`): a thread
/// reads and checks the rows a batch at a time while the batch before it is
/// checked against the store and written, all in one transaction that any fault
/// rolls back. None for the other kinds, which go row by row.
#[allow(clippy::too_many_arguments)]
async fn import_batched(
    store: &Store,
    units: &pcmd_domain::units::UnitIndex,
    rules: &RulesFile,
    kind: RecordKind,
    data: (&SharedRows, usize),
    keys: &[&str],
    meta: &RecordMeta,
    name: &str,
    opts: &Options<'_>,
) -> anyhow::Result<Option<ImportReport>> {
    if !rec::batchable(kind) {
        return Ok(None);
    }
    let (send, mut receive) = tokio::sync::mpsc::channel(2);
    // A page's progress bar moves a few hundred rows at a time.
    let batch = if opts.progress.is_some() { 500 } else { rec::IMPORT_BATCH };
    // The rows are shared with the reading thread, not copied.
    let owned = ((data.0.clone(), data.1), keys.iter().map(|k| k.to_string()).collect(), units.clone(), rules.clone(), meta.clone());
    let reader = tokio::task::spawn_blocking(move || read_batches(kind, batch, owned.0, owned.1, owned.2, owned.3, owned.4, send));
    let outside = |line: usize| RowError {
        line,
        field: keys.iter().find(|k| k.starts_with("unit") || **k == "establishment_id").map(|k| k.to_string()),
        vi: "đơn vị ngoài địa bàn bạn được nhập".into(),
        en: "the unit is outside the area you may enter for".into(),
    };
    // A dry run writes nothing: it need not hold the write lock while it checks.
    let mut tx = if opts.dry_run { store.begin_read().await? } else { store.begin_bulk().await? };
    // A browser's import audits each record, as a form does; the server's shell one entry per file.
    let mut writer = if opts.scope.is_some() { rec::BatchWriter::auditing_each() } else { rec::BatchWriter::default() };
    let (mut errors, mut rows) = (Vec::new(), 0);
    let mut written: anyhow::Result<()> = Ok(());
    while let Some(batch) = receive.recv().await {
        let (prepared, faults, n) = match batch {
            Batch::Rows { prepared, faults, rows } => (prepared, faults, rows),
            Batch::Failed(e) => {
                written = Err(e.into());
                break;
            }
        };
        rows += n;
        errors.extend(faults);
        let (lines, prepared): (Vec<usize>, Vec<rec::Prepared>) = prepared.into_iter().unzip();
        let step = async {
            for (i, fault) in writer.check(&mut tx, units, &prepared, opts.scope).await? {
                let line = lines.get(i).copied().unwrap_or_default();
                errors.push(match fault {
                    rec::BatchFault::Outside => outside(line),
                    rec::BatchFault::Refused(e) => row_refusal(line, &e).ok_or(e)?,
                });
            }
            if errors.is_empty() && !opts.dry_run {
                writer.write(&mut tx, prepared, meta).await?;
            }
            Ok::<_, StoreError>(())
        };
        if let Err(e) = step.await {
            written = Err(e.into());
            break;
        }
        if let Some(p) = opts.progress {
            p.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        }
    }
    drop(receive);
    reader.await?;
    if let Err(e) = written {
        tx.rollback().await?;
        return Err(e);
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        errors.sort_by_key(|e| e.line);
        return Err(ImportErrors { file: name.to_string(), errors }.into());
    }
    if rows == 0 {
        tx.rollback().await?;
        bail!("{name}: không có dòng dữ liệu nào (no data rows)");
    }
    if opts.dry_run {
        tx.rollback().await?;
    } else {
        writer.finish(&mut tx, meta).await?;
        tx.commit().await?;
    }
    Ok(Some(ImportReport { rows, dry_run: opts.dry_run }))
}

/// How a file is taken in.
#[derive(Default)]
pub struct Options<'a> {
    /// Check everything, write nothing.
    pub dry_run: bool,
    pub entered_by: Option<String>,
    /// Seals the personal fields; without it, rows holding personal data are refused.
    pub sealer: Option<std::sync::Arc<pcmd_store::Sealer>>,
    /// The units the importer may write in (a browser's user): a row outside is
    /// refused with its line. None on the server's shell.
    pub scope: Option<&'a std::collections::HashSet<i64>>,
    /// Counts the rows checked (and, unless a dry run, written) so far, for a progress bar.
    pub progress: Option<&'a std::sync::atomic::AtomicUsize>,
}

/// Imports a file of `kind`. With `dry_run`, checks everything and writes nothing.
pub async fn import_file(
    store: &Store,
    rules: &RulesFile,
    kind: RecordKind,
    path: &Path,
    dry_run: bool,
    entered_by: Option<String>,
    sealer: Option<std::sync::Arc<pcmd_store::Sealer>>,
) -> anyhow::Result<ImportReport> {
    let sheet = read::read(path)?;
    let units = store.unit_index().await?;
    let opts = Options { dry_run, entered_by, sealer, scope: None, progress: None };
    import_sheet(store, &units, rules, kind, &path.display().to_string(), &sheet, opts).await
}

/// Imports the rows of a sheet read from a file named `name`, all or nothing.
pub async fn import_sheet(
    store: &Store,
    units: &pcmd_domain::units::UnitIndex,
    rules: &RulesFile,
    kind: RecordKind,
    name: &str,
    sheet: &Sheet,
    opts: Options<'_>,
) -> anyhow::Result<ImportReport> {
    let (keys, first) = header(kind, &sheet.rows)?;
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut meta = RecordMeta::now(RecordSource::Import, opts.entered_by.clone());
    meta.sealer = opts.sealer.clone();
    let dry_run = opts.dry_run;
    if let Some(report) = import_batched(store, units, rules, kind, (&sheet.rows, first), &keys, &meta, name, &opts).await? {
        return Ok(report);
    }
    let mut errors = Vec::new();
    let mut rows = 0;
    let mut tx = store.begin().await?;
    for (line, cells) in sheet.rows.iter().skip(first) {
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        rows += 1;
        if let Some(p) = opts.progress {
            p.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let Some(parsed) = parse_line(kind, &keys, *line, cells, &mut errors) else { continue };
        // A row plainly outside the importer's area is refused before anything is checked
        // against the stored records, so that its fault never tells what another area holds.
        if let Some(scope) = opts.scope {
            if rec::outside_scope(&mut tx, units, &parsed, meta.today, scope).await? {
                errors.push(RowError {
                    line: *line,
                    field: keys.iter().find(|k| k.starts_with("unit") || **k == "establishment_id").map(|k| k.to_string()),
                    vi: "đơn vị ngoài địa bàn bạn được nhập".into(),
                    en: "the unit is outside the area you may enter for".into(),
                });
                continue;
            }
        }
        // Each row in a savepoint, so that one refused row does not spoil the others' checks.
        let mut sp = pcmd_store::savepoint(&mut tx).await?;
        match rec::insert(&mut sp, units, rules, &parsed, &meta).await {
            Ok(id) => {
                let outside = match opts.scope {
                    Some(scope) => !rec::read::record_unit(&mut sp, kind, id).await?.is_some_and(|u| scope.contains(&u)),
                    None => false,
                };
                if outside {
                    sp.rollback().await?;
                    errors.push(RowError {
                        line: *line,
                        field: keys.iter().find(|k| k.starts_with("unit")).map(|k| k.to_string()),
                        vi: "đơn vị ngoài địa bàn bạn được nhập".into(),
                        en: "the unit is outside the area you may enter for".into(),
                    });
                } else {
                    sp.commit().await?;
                }
            }
            Err(e) if row_refusal(*line, &e).is_some() => {
                sp.rollback().await?;
                errors.extend(row_refusal(*line, &e));
            }
            Err(e) => {
                sp.rollback().await?;
                errors.push(RowError { line: *line, field: None, vi: e.to_string(), en: "database error".into() });
            }
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(ImportErrors { file: name.to_string(), errors }.into());
    }
    if rows == 0 {
        tx.rollback().await?;
        bail!("{name}: không có dòng dữ liệu nào (no data rows)");
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(ImportReport { rows, dry_run })
}

#[cfg(test)]
mod tests {
    use super::{stray_cells, ImportErrors, RowError};

    #[test]
    fn cells_under_no_column_key_are_found() {
        let keys = ["received_on", "", "content"];
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        // An unquoted comma split "Người báo, địa chỉ 12" into a fourth cell: column 4.
        assert_eq!(stray_cells(&keys, &row(&["2025-01-02", "", "Người báo", " địa chỉ 12"])), vec![4]);
        // A value under the empty header cell (column 2), and one past the header (5).
        assert_eq!(stray_cells(&keys, &row(&["2025-01-02", "x", "a", "", "y"])), vec![2, 5]);
        // Empty or blank cells anywhere are nothing.
        assert!(stray_cells(&keys, &row(&["2025-01-02", " ", "a", "", "  "])).is_empty());
        assert!(stray_cells(&keys, &row(&["2025-01-02"])).is_empty());
    }

    #[test]
    fn a_message_lists_the_first_200_faults_and_counts_the_rest() {
        let errors = (2..=301).map(|line| RowError { line, field: None, vi: "sai".into(), en: "wrong".into() }).collect();
        let text = ImportErrors { file: "a.csv".into(), errors }.to_string();
        // 300 faults (lines 2–301): lines 2–201 listed, 100 counted.
        assert!(text.starts_with("a.csv: 300 lỗi"), "{text}");
        assert!(text.contains("dòng 201 (line 201)") && !text.contains("dòng 202 (line 202)"), "{text}");
        assert!(text.contains("… và 100 lỗi khác"), "{text}");
        assert_eq!(text.lines().count(), 1 + 200 + 1);
    }
}
