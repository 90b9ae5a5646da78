#!/usr/bin/env python3
"""What SQLite alone takes to write 100,000 tips into pcmd's tip table: no parsing,
no checks, no sealing, the rows handed over by Python's executemany in one
transaction with the pragmas of an import (scripts/bench-import gives pcmd's
figure). Prints figures, judges nothing.

    scripts/bench-sqlite-floor.py DEMO.db     (a file made by `pcmd demo`; copied, never changed)

Three runs, each on a fresh copy: the table as it is (its five indexes, the monthly
aggregate's trigger, its foreign keys); without the trigger and indexes, keys off;
and a plain table of the same twelve columns.
"""
import os
import shutil
import sqlite3
import sys
import tempfile
import time

ROWS = 100_000
COLUMNS = "received_on, channel, category, unit_id, content_sealed, status, rule_code, deadline, due_on, source, entered_by, entered_at"


def run(source, label, prepare, table="tip", foreign_keys=True):
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "copy.db")
        shutil.copy(source, path)
        c = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -65536", "temp_store = MEMORY",
                       f"foreign_keys = {'ON' if foreign_keys else 'OFF'}"):
            c.execute(f"PRAGMA {pragma}")
        for statement in prepare:
            c.execute(statement)
        unit = c.execute("SELECT id FROM unit WHERE code = '31498' AND valid_from <= '2024-01-01' AND valid_to >= '2024-12-31'").fetchone()[0]
        rule = c.execute("SELECT code FROM deadline_rule ORDER BY code").fetchone()[0]
        rows = [(f"2024-{1 + (i // 28) % 12:02}-{1 + i % 28:02}", "phone", "denunciation", unit, os.urandom(150), "received", rule,
                 "2024-12-31", "2024-12-31", "import", "bench", "2026-01-01T00:00:00Z") for i in range(ROWS)]
        started = time.time()
        c.execute("BEGIN IMMEDIATE")
        c.executemany(f"INSERT INTO {table} ({COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
        c.execute("COMMIT")
        took = time.time() - started
        c.close()
        print(f"  {label:<55} {ROWS} rows in {took:.2f} s: {ROWS / took:,.0f} rows/s")


def main():
    source = sys.argv[1]
    print(f"SQLite {sqlite3.sqlite_version}, {ROWS} tips by executemany in one transaction")
    run(source, "tip as pcmd has it", [])
    bare = ["DROP TRIGGER tip_month_insert"] + [f"DROP INDEX {i}" for i in ("tip_received", "tip_unit", "tip_closed", "tip_due")]
    run(source, "tip without its trigger and indexes, keys off", bare, foreign_keys=False)
    run(source, "a plain table of the same 12 columns", [f"CREATE TABLE plain ({COLUMNS})"], table="plain")


main()
