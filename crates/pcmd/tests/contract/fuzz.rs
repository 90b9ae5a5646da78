//! A bounded fuzz of the importers (issue 12): valid CSV and XLSX files of
//! activities and tips, mutated at random (quotes, separators, line breaks,
//! invalid UTF-8, huge and negative numbers, cut files, cells far away, long
//! text, damaged archives), imported one by one. Whatever comes in: no panic;
//! a refused file writes nothing; an accepted one writes exactly the rows it
//! says; and a tip's content never lands in clear in any column. Seeded, so a
//! failure replays; bounded, so it runs in every CI.

use crate::helpers::on_each_demo_backend;
use crate::pcmd;
use sqlx::Row;

/// xorshift64*: deterministic, so the case number and seed replay a failure.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEED: u64 = 0x5EED_1202_2026;
const CSV_CASES: usize = 120;
const XLSX_CASES: usize = 30;
/// A marker in every tip's content: it must never be readable outside the sealed column.
const SECRET: &str = "NOIDUNGMAT";

fn activity_csv() -> String {
    "held_on,unit_code,form,topic,organiser,reached_at_risk_workers,reached_industrial_workers,reached_students,reached_community\n\
     15/03/2024,31507,meeting,Tuyên truyền,UBND phường,10,0,50,120\n\
     2024-04-02,31510,meeting,Phát thanh,,0,0,0,300\n"
        .to_string()
}

fn tip_csv() -> String {
    format!(
        "received_on,channel,category,unit_code,status,closed_on,outcome,content\n\
         03/02/2024,phone,denunciation,31498,received,,,{SECRET} nhà nghỉ A\n\
         05/02/2024,in_person,crime_report,31501,handled,20/02/2024,đã xử lý,\"{SECRET}, có dấu phẩy\"\n"
    )
}

/// One random change to a file's bytes.
fn mutate(rng: &mut Rng, mut b: Vec<u8>) -> Vec<u8> {
    let at = rng.below(b.len() + 1).min(b.len());
    let pieces: [&[u8]; 12] =
        [b"\"", b",", b"\n", b";", b"\r", b"\0", b"\xff\xfe", b"9223372036854775807", b"-1", b"1e309", b"\xef\xbb\xbf", b"31/02/2024"];
    match rng.below(6) {
        0 => {
            let p = pieces[rng.below(pieces.len())];
            b.splice(at..at, p.iter().copied());
        }
        1 if !b.is_empty() => {
            let end = (at + 1 + rng.below(20)).min(b.len());
            b.drain(at.min(end)..end);
        }
        2 => b.truncate(at),
        3 => {
            // A line repeated.
            let text = String::from_utf8_lossy(&b).to_string();
            let lines: Vec<&str> = text.lines().collect();
            if let Some(l) = lines.get(rng.below(lines.len())) {
                b.extend_from_slice(format!("{l}\n").as_bytes());
            }
        }
        4 if !b.is_empty() => {
            let i = at.min(b.len() - 1);
            b[i] = pieces[rng.below(pieces.len())][0];
        }
        _ => {
            let long = "Đ".repeat(rng.below(20_000));
            b.splice(at..at, long.into_bytes());
        }
    }
    b
}

fn random_xlsx(rng: &mut Rng, base: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in base.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let _ = sheet.write_string(r as u32, c as u16, cell);
        }
    }
    for _ in 0..rng.below(4) {
        let (row, col) = match rng.below(4) {
            0 => (rng.below(400_000) as u32, rng.below(30) as u16),
            1 => (rng.below(10) as u32, rng.below(16_000) as u16),
            _ => (rng.below(6) as u32, rng.below(12) as u16),
        };
        let _ = match rng.below(4) {
            0 => sheet.write_number(row, col, [f64::NAN, f64::INFINITY, -1.0, 1e300, 9.2e18][rng.below(5)]),
            1 => sheet.write_string(row, col, "x".repeat(rng.below(40_000))),
            2 => sheet.write_boolean(row, col, true),
            _ => sheet.write_string(row, col, "31/02/2024"),
        };
    }
    let mut bytes = book.save_to_buffer().unwrap_or_default();
    if rng.below(3) == 0 && !bytes.is_empty() {
        // A damaged archive: a byte changed somewhere.
        let i = rng.below(bytes.len());
        bytes[i] ^= 0x5a;
    }
    bytes
}

async fn count(db: &crate::helpers::TestDb, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.store.pool()).await.unwrap().get(0)
}

/// Whether the marker appears anywhere in the tip table but its sealed column.
async fn secret_in_clear(db: &crate::helpers::TestDb) -> bool {
    let rows = sqlx::query("SELECT * FROM tip").fetch_all(db.store.pool()).await.unwrap();
    rows.iter().any(|r| (0..r.len()).any(|i| r.try_get::<String, _>(i).is_ok_and(|v| v.contains(SECRET))))
}

#[tokio::test]
async fn mutated_import_files_never_panic_and_never_half_write() {
    on_each_demo_backend(async |db| {
        if db.name != "sqlite" {
            return; // the importers' parsing does not depend on the backend; one run is enough
        }
        let dir = tempfile::tempdir().unwrap();
        let mut rng = Rng(SEED);
        let (mut accepted, mut refused) = (0, 0);
        for case in 0..CSV_CASES + XLSX_CASES {
            let (kind, table, base) = if rng.below(2) == 0 { ("activity", "activity", activity_csv()) } else { ("tip", "tip", tip_csv()) };
            let (bytes, ext) = if case < CSV_CASES {
                let mut b = base.clone().into_bytes();
                for _ in 0..1 + rng.below(3) {
                    b = mutate(&mut rng, b);
                }
                (b, "csv")
            } else {
                (random_xlsx(&mut rng, &base), "xlsx")
            };
            let file = dir.path().join(format!("case{case}.{ext}"));
            std::fs::write(&file, &bytes).unwrap();
            let before = count(db, table).await;
            let audit_before = count(db, "audit_log").await;
            match pcmd(db, &["import", kind, file.to_str().unwrap()]).await {
                Ok(out) => {
                    let n: i64 = out.split("imported ").nth(1).and_then(|s| s.split(' ').next()).and_then(|s| s.parse().ok()).unwrap_or(-1);
                    assert_eq!(count(db, table).await, before + n, "case {case} (seed {SEED:#x}): {out}");
                    accepted += 1;
                }
                Err(e) => {
                    let msg = format!("{e:#}");
                    assert!(!msg.is_empty(), "case {case}: a refusal says why");
                    assert_eq!(count(db, table).await, before, "case {case} (seed {SEED:#x}): refused, yet rows were written: {msg}");
                    assert_eq!(count(db, "audit_log").await, audit_before, "case {case}: refused, yet audited as written");
                    refused += 1;
                }
            }
            assert!(!secret_in_clear(db).await, "case {case} (seed {SEED:#x}): a tip's content in clear");
        }
        println!("importer fuzz: {} cases, {accepted} accepted, {refused} refused", CSV_CASES + XLSX_CASES);
        assert!(accepted > 0 && refused > 0, "the mutations reach both outcomes: {accepted} accepted, {refused} refused");
    })
    .await;
}
