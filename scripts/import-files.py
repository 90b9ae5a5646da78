#!/usr/bin/env python3
"""Writes import files of N rows for the benchmarks (scripts/bench-import, scripts/bench-national).

    import-files.py OUT_DIR ROWS COMMUNES ESTABLISHMENTS

COMMUNES: unit codes (commune level) valid in 2024, comma-separated.
ESTABLISHMENTS: ids of establishments open in 2024, comma-separated (for inspections).
Every row is valid: the files measure the writing, not the refusals. Dates fall in
2024; tips and support cases carry personal data, which the import seals.
"""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
communes = sys.argv[3].split(",")
establishments = sys.argv[4].split(",")
tag = os.getpid()


def day(i):
    return f"{1 + i % 28:02}/{1 + (i // 28) % 12:02}/2024"


def write(kind, header, row):
    with open(f"{out}/{kind}.csv", "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for i in range(n):
            f.write(row(i) + "\n")


def c(i):
    return communes[i % len(communes)]


write("activity", "held_on,unit_code,form,topic,organiser,reached_at_risk_workers,reached_industrial_workers,reached_students,reached_community",
      lambda i: f"{day(i)},{c(i)},meeting,Tuyên truyền phòng chống mại dâm {i},Công an xã,{i % 9},{i % 7},{i % 40},{i % 50}")
write("publication", "published_on,unit_code,outlet,outlet_level,medium,title",
      lambda i: f"{day(i)},94,Báo Sóc Trăng,province,newspaper,Phòng chống mại dâm số {i}")
write("training", "held_on,unit_code,level,title,organiser,participants_province,participants_district,participants_commune",
      lambda i: f"{day(i)},{c(i)},commune,Tập huấn nghiệp vụ {i},UBND xã,0,{i % 3},{i % 30}")
write("establishment", "name,kind,unit_code,address,licence,workers,opened_on,closed_on",
      lambda i: f"Nhà nghỉ Hoa Sen {i},guesthouse,{c(i)},Số {i} đường Trần Hưng Đạo,GP-{tag}-{i},{i % 12},{day(i)},")
write("pilot_model", "name,unit_code,kind,started_on,ended_on,status",
      lambda i: f"Mô hình {i},{c(i)},Câu lạc bộ,{day(i)},,active")
write("inspection", "inspected_on,establishment_id,team_level,team,findings,violations,sanctions,fines_vnd",
      lambda i: f"{day(i)},{establishments[i % len(establishments)]},district,Đoàn liên ngành huyện,Đã lập biên bản,{i % 3},{min(i % 2, i % 3)},{min(i % 2, i % 3) * 1500000}")
write("tip", "received_on,channel,category,unit_code,status,closed_on,outcome,content",
      lambda i: f"{day(i)},phone,denunciation,{c(i)},received,,,Người dân báo có dấu hiệu môi giới mại dâm tại nhà nghỉ số {i}")
write("support_case", "code,unit_code,opened_on,closed_on,age_band,sex,needs_support,eligible,consent,services,full_name,date_of_birth,id_number,address,phone",
      lambda i: f"HS-{tag}-{i},{c(i)},{day(i)},,25_34,female,có,có,có,{day(i)} health; {day(i)} legal,Nguyễn Thị Mai {i},01/01/1995,0{i:011},Ấp {i % 9},09{i:08}")
