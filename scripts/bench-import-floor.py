#!/usr/bin/env python3
"""What the database alone takes to store 100,000 records of each kind that comes
in large files, into pcmd's own tables (their indexes, foreign keys, checks and
aggregate triggers), with rows the database makes itself: no file, no parsing, no
checks, no sealing, no client, one statement per table, then COMMIT. No import can
be faster than this on the same machine; scripts/bench-import gives pcmd's figure.
Prints figures, judges nothing.

    scripts/bench-import-floor.py DEMO.db [POSTGRES_URL]

DEMO.db is a file made by `pcmd demo` (copied for each run, never changed);
POSTGRES_URL a database made by `pcmd demo` on PostgreSQL with no one connected to it
(each run writes into a copy made from it as a template), with psql on the path.
Rows per kind: PCMD_FLOOR_ROWS (100,000); runs: PCMD_FLOOR_RUNS (3, median printed).
The rows fill the required columns and a few more, all in one ward; an import's files
fill more of them, over nine wards: the floor is a bound, not a like-for-like run.
"""
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROWS = int(os.environ.get("PCMD_FLOOR_ROWS", "100000"))
RUNS = int(os.environ.get("PCMD_FLOOR_RUNS", "3"))

# Rows 1..ROWS, written the same way for both backends.
SERIES = f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {ROWS})"
# A day of 2024 from n: 2024-MM-DD.
DAY = ("'2024-' || CASE WHEN n % 12 < 9 THEN '0' ELSE '' END || CAST(n % 12 + 1 AS TEXT) || '-' "
       "|| CASE WHEN n % 28 < 9 THEN '0' ELSE '' END || CAST(n % 28 + 1 AS TEXT)")
# One of the wards of Sóc Trăng city whose codes the files of scripts/bench-import use.
UNIT = "(SELECT id FROM unit WHERE code = '31498' AND valid_from <= '2024-01-01' ORDER BY valid_from DESC LIMIT 1)"
COMMON = "'import', 'floor', '2026-01-01T00:00:00Z'"
# 150 bytes or so of sealed text, different in every row.
BLOB = {"sqlite": "randomblob(150)", "postgres": "substr(decode(repeat(md5(CAST(n AS TEXT)), 10), 'hex'), 1, 150)"}

KINDS = {
    "activity": [
        f"{SERIES} INSERT INTO activity (held_on, unit_id, form, topic, reached_at_risk_workers, reached_community, source, entered_by, entered_at) "
        f"SELECT {DAY}, {UNIT}, 'meeting', 'Tuyên truyền ' || CAST(n AS TEXT), n % 7, 40, {COMMON} FROM g"
    ],
    "publication": [
        f"{SERIES} INSERT INTO publication (published_on, unit_id, outlet, outlet_level, medium, title, source, entered_by, entered_at) "
        f"SELECT {DAY}, {UNIT}, 'Báo Sóc Trăng', 'province', 'newspaper', 'Bài ' || CAST(n AS TEXT), {COMMON} FROM g"
    ],
    "training": [
        f"{SERIES} INSERT INTO training (held_on, unit_id, level, title, participants_commune, source, entered_by, entered_at) "
        f"SELECT {DAY}, {UNIT}, 'commune', 'Tập huấn ' || CAST(n AS TEXT), 30, {COMMON} FROM g"
    ],
    "establishment": [
        f"{SERIES} INSERT INTO establishment (name, kind, unit_id, address, workers, opened_on, source, entered_by, entered_at) "
        f"SELECT 'Nhà nghỉ ' || CAST(n AS TEXT), 'guesthouse', {UNIT}, 'Số ' || CAST(n AS TEXT), n % 9, {DAY}, {COMMON} FROM g"
    ],
    "pilot_model": [
        f"{SERIES} INSERT INTO pilot_model (unit_id, name, kind, started_on, status, source, entered_by, entered_at) "
        f"SELECT {UNIT}, 'Mô hình ' || CAST(n AS TEXT), 'club', {DAY}, 'active', {COMMON} FROM g"
    ],
    # The demo's establishments in turn.
    "inspection": [
        f"{SERIES}, e AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM establishment), c AS (SELECT COUNT(*) AS c FROM establishment) "
        f"INSERT INTO inspection (inspected_on, establishment_id, team_level, team, source, entered_by, entered_at) "
        f"SELECT {DAY}, e.id, 'district', 'Đoàn liên ngành', {COMMON} FROM g JOIN e ON e.k = g.n % (SELECT c FROM c)"
    ],
    # Each tip with its first status entry.
    "tip": [
        f"{SERIES} INSERT INTO tip (received_on, channel, category, unit_id, content_sealed, status, rule_code, deadline, due_on, source, entered_by, entered_at) "
        f"SELECT {DAY}, 'phone', 'denunciation', {UNIT}, {{blob}}, 'received', (SELECT MIN(code) FROM deadline_rule), '2024-12-31', '2024-12-31', {COMMON} FROM g",
        "INSERT INTO tip_event (tip_id, happened_on, status, entered_by, entered_at) "
        "SELECT id, received_on, status, entered_by, entered_at FROM tip WHERE entered_by = 'floor'",
    ],
    # Each case with two services.
    "support_case": [
        f"{SERIES} INSERT INTO support_case (code, unit_id, opened_on, age_band, sex, needs_support, eligible, consent, identity_sealed, source, entered_by, entered_at) "
        f"SELECT 'HS-SAN-' || CAST(n AS TEXT), {UNIT}, {DAY}, '25_34', 'female', 1, 1, 1, {{blob}}, {COMMON} FROM g",
        "INSERT INTO support_service (case_id, provided_on, service, entered_by, entered_at) "
        "SELECT id, opened_on, 'health', entered_by, entered_at FROM support_case WHERE entered_by = 'floor' "
        "UNION ALL SELECT id, opened_on, 'legal', entered_by, entered_at FROM support_case WHERE entered_by = 'floor'",
    ],
}


def sqlite_run(source, statements):
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "copy.db")
        # SQLite's own backup: a plain copy misses pages still in a write-ahead log.
        with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        c = sqlite3.connect(path, isolation_level=None)
        # As pcmd's connections (Store::connect) and its import's (Store::begin_bulk).
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "mmap_size = 4294967296",
                       "secure_delete = ON", "cache_size = -65536", "temp_store = MEMORY"):
            c.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        c.execute("BEGIN IMMEDIATE")
        for s in statements:
            c.execute(s.replace("{blob}", BLOB["sqlite"]))
        c.execute("COMMIT")
        took = time.perf_counter() - started
        check([c.execute(q).fetchone()[0] for q in counts(statements)], statements)
        c.close()
        return took


def counts(statements):
    """What counts the rows each statement wrote (each table's rows written by 'floor')."""
    tables = [re.search(r"INSERT INTO (\w+)", s).group(1) for s in statements]
    return [f"SELECT COUNT(*) FROM {t} WHERE entered_by = 'floor'" for t in tables]


def check(written, statements):
    """Every statement wrote its rows: the first ROWS, a companion table ROWS per row it follows."""
    expected = [ROWS] + [ROWS * (2 if "UNION ALL" in s else 1) for s in statements[1:]]
    if written != expected:
        sys.exit(f"wrote {written} rows, not {expected}: {statements[0][:80]}…")


def postgres_run(url, statements):
    base, name = url.split("?", 1)[0].rsplit("/", 1)
    copy = name + "_floor"
    admin = f"{base}/postgres"
    subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {copy}", "-c", f"CREATE DATABASE {copy} TEMPLATE {name}"],
                   check=True, capture_output=True)
    try:
        script = "\\timing on\nBEGIN;\n" + "".join(s.replace("{blob}", BLOB["postgres"]) + ";\n" for s in statements) + "COMMIT;\n"
        out = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{base}/{copy}"], input=script, check=True,
                             capture_output=True, text=True).stdout
        # Every statement's time after BEGIN, COMMIT included.
        times = [float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")]
        written = subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", f"{base}/{copy}"], input="".join(q + ";\n" for q in counts(statements)),
                                 check=True, capture_output=True, text=True).stdout.split()
        check([int(w) for w in written], statements)
        return sum(times[1:]) / 1000
    finally:
        subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {copy}"], check=True, capture_output=True)


def report(backend, run):
    print(f"================ {backend} ================")
    print(f"{ROWS} rows of each kind made by the database itself, one statement per table, COMMIT included; median of {RUNS} runs")
    for kind, statements in KINDS.items():
        times = sorted(run(statements) for _ in range(RUNS))
        m = statistics.median(times)
        print(f"  {kind:<14} {ROWS} rows in {m:6.2f} s: {ROWS / m:9,.0f} rows/s   (runs {times[0]:.2f}–{times[-1]:.2f} s)")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(f"SQLite {sqlite3.sqlite_version} (Python's; pcmd bundles its own)")
    report("SQLite", lambda st: sqlite_run(sys.argv[1], st))
    if len(sys.argv) > 2:
        report("PostgreSQL", lambda st: postgres_run(sys.argv[2], st))


main()
