"""Benchmark: a batch PDF of 500 certificates, and a 500-row XLSX results export.

Targets (issue 5): 500 certificates <= 15 s, 500-row XLSX <= 2 s on this machine.
Run: .venv/bin/python bench/certificates.py   (last line: one JSON object)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.certificates.render import CertificateData, certificates_pdf  # noqa: E402
from scoring.services.exports import group_xlsx  # noqa: E402

NAMES = ("张伟", "杨堃", "赵喆", "黄淼", "周玥", "吴赟", "康恒", "李晓燕", "王雅琴", "刘佳怡")
AWARDS = ("一等奖", "二等奖", "三等奖")


def certificates(n: int = 500) -> tuple[float, int]:
    items = [
        CertificateData(
            serial=f"ZS202501-{i:04d}",
            name=NAMES[i % len(NAMES)],
            award=AWARDS[i % 3],
            competition="榆林市2025年托育职业技能竞赛",
            group_name="托育",
            verify_url=f"http://192.0.2.1:5000/verify/ZS202501-{i:04d}",
            issuer="榆林市总工会",
            date_text="2025年5月",
            signatory="张主任",
        )
        for i in range(1, n + 1)
    ]
    t = time.perf_counter()
    data = certificates_pdf(items)
    return time.perf_counter() - t, len(data)


def xlsx(n: int = 500) -> tuple[float, int]:
    stages = [{"code": "theory", "name": "理论", "weight": "30"}, {"code": "practical", "name": "实操", "weight": "70"}]
    rows = [
        {
            "rank": str(i),
            "code": f"C{i:03d}",
            "station": f"{i:03d}",
            "name": NAMES[i % len(NAMES)],
            "unit": "榆阳区第一幼儿园",
            "region": "榆阳区",
            "stages": {"theory": {"score": "88.50"}, "practical": {"score": "91.25"}},
            "total": "90.43",
            "awards": [AWARDS[i % 3]],
            "decided_by": "total",
            "decided_by_text": "总分",
            "status": "ranked",
        }
        for i in range(1, n + 1)
    ]
    report = {
        "competition": {"name": "榆林市2025年托育职业技能竞赛"},
        "groups": [{"code": "childcare", "name": "托育", "stages": stages, "rows": rows}],
    }
    t = time.perf_counter()
    data = group_xlsx(report, "childcare", version={"number": 1, "hash": "0" * 64})
    return time.perf_counter() - t, len(data)


def main() -> None:
    cert_s, cert_bytes = certificates()
    print(f"500 certificates, one batch PDF: {cert_s:.2f} s, {cert_bytes / 1024:.0f} KiB (target <= 15 s)")
    xlsx_s, xlsx_bytes = xlsx()
    print(f"500-row XLSX results export:     {xlsx_s:.3f} s, {xlsx_bytes / 1024:.0f} KiB (target <= 2 s)")
    print(
        json.dumps(
            {
                "certificates_500_s": round(cert_s, 2),
                "certificates_500_kib": round(cert_bytes / 1024),
                "xlsx_500_rows_s": round(xlsx_s, 3),
                "certificates_target_met": cert_s <= 15,
                "xlsx_target_met": xlsx_s <= 2,
            }
        )
    )


if __name__ == "__main__":
    main()
