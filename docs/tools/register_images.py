"""Developer tool: PNG pictures of the register sheets and of 表三 counted from them, for docs/register.md
(needs LibreOffice and poppler).

    python docs/tools/register_images.py docs/images/
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nianbao import formats, model, office
from nianbao.workbook import register as wr

YEAR = 2025


def sample_rows(fmt) -> dict[str, list[tuple]]:
    """A small register as a clerk keeps it (fictional applicants)."""
    t3 = fmt.requests
    r = t3.result_option
    d = dt.date
    apps = [
        ("2024-031", d(2024, 12, 18), "张某", "自然人", "某小区规划许可文件", None, None, "上年结转"),
        ("2025-001", d(2025, 1, 6), "李某", "自然人", "2024年度财政预算执行情况", r("disclosed"), d(2025, 1, 20), None),
        ("2025-002", d(2025, 2, 11), "某建设有限公司", "商业企业", "某道路工程招标文件", r("partly_disclosed"),
         d(2025, 3, 3), "涉及商业秘密部分不予公开"),
        ("2025-003", d(2025, 3, 15), "王某", "自然人", "征收补偿安置方案", r("unavailable_not_held"), d(2025, 4, 2), None),
        ("2025-004", d(2025, 5, 9), "某律师事务所", "法律服务机构", "行政处罚决定书", r("withheld_enforcement"),
         d(2025, 5, 30), None),
        ("2025-005", d(2025, 7, 21), "赵某", "自然人", "信访事项处理意见", r("rejected_petition"), d(2025, 8, 4), None),
        ("2025-006", d(2025, 12, 22), "孙某", "自然人", "河道整治项目环评报告", None, None, "跨年办理"),
    ]
    cases = [
        ("FY-2025-01", fmt.appeals.groups[0][1][-1], d(2025, 4, 10), "结果维持", d(2025, 6, 5), None),
        ("SS-2025-01", fmt.appeals.groups[1][1][-1], d(2025, 9, 1), None, None, "一审审理中"),
    ]
    return {"applications": apps, "cases": cases}


def render(outdir: str | Path) -> list[Path]:
    fmt = formats.for_year(YEAR)
    rep = model.empty_report(fmt.id, YEAR, agency="某县人民政府办公室")
    outdir = Path(outdir)
    shown = {"register-applications": fmt.register("applications").sheet,
             "register-cases": fmt.register("cases").sheet, "register-table3": fmt.requests.sheet}
    written = []
    with tempfile.TemporaryDirectory(prefix="nianbao-img-") as tmp:
        books = []
        for stem, keep in shown.items():
            wb, _, _ = wr.build_register(rep, rows=sample_rows(fmt))
            for ws in wb.worksheets:
                ws.sheet_state = "visible" if ws.title == keep else "hidden"
                if ws.title != keep:  # LibreOffice prints a hidden sheet that has a print area
                    from openpyxl.worksheet.print_settings import PrintArea
                    ws._print_area = PrintArea()
                    ws._print_rows = ws._print_cols = None
            wb.active = wb.sheetnames.index(keep)
            if keep != fmt.requests.sheet:
                ws = wb[keep]
                ws.print_area = f"A1:{chr(64 + ws.max_column)}{ws.max_row}"
            p = Path(tmp) / f"{stem}.xlsx"
            from nianbao.workbook import to_bytes
            p.write_bytes(to_bytes(wb))
            books.append(p)
        pdfs = office.convert_many(books, "pdf", tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        for pdf in pdfs:
            subprocess.run(["pdftoppm", "-r", "90", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                            str(Path(tmp) / pdf.stem)], check=True)
            target = outdir / f"{pdf.stem}.png"
            shutil.copyfile(Path(tmp) / f"{pdf.stem}.png", target)
            written.append(target)
    return written


if __name__ == "__main__":
    for path in render(sys.argv[1] if len(sys.argv) > 1 else "docs/images"):
        print(f"已写出：{path}")
