"""Developer tool: PNG pictures of the workbook's sheets for docs/images (needs LibreOffice and poppler).

    python docs/tools/sheet_images.py docs/images/
"""
from __future__ import annotations

import sys
from pathlib import Path

from nianbao import examples, office, workbook
from nianbao.model import Report


def render_sheets(report: Report, outdir: str | Path, prefix: str = "sheet-") -> list[Path]:
    """PNG pictures of the table sheets and the check sheet, rendered by LibreOffice (for the docs)."""
    import shutil
    import subprocess
    import tempfile

    outdir = Path(outdir)
    names = {"active": "table2", "requests": "table3", "appeals": "table4", "checks": "checks"}
    written = []
    with tempfile.TemporaryDirectory(prefix="nianbao-img-") as tmp:
        books = []
        for key, stem in names.items():
            wb, _ = workbook.build(report)
            keep = workbook.SHEET_CHECKS if key == "checks" else workbook.sheet_of(report.fmt, key)
            for ws in wb.worksheets:
                ws.sheet_state = "visible" if ws.title == keep else "hidden"
                if ws.title != keep:  # LibreOffice prints a hidden sheet that has a print area
                    from openpyxl.worksheet.print_settings import PrintArea
                    ws._print_area = PrintArea()
                    ws._print_rows = ws._print_cols = None
            wb.active = wb.sheetnames.index(keep)
            p = Path(tmp) / f"{prefix}{stem}.xlsx"
            p.write_bytes(workbook.to_bytes(wb))
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


def render_text_sheet(outdir: str | Path, name: str = "sheet-text") -> Path:
    """PNG picture of the 「正文」 sheet of the 2021 example as ``nianbao new`` drafts it (the paragraphs bound
    to the tables shown with the example's numbers), rendered by LibreOffice."""
    import shutil
    import subprocess
    import tempfile

    from nianbao import carryover
    from openpyxl.worksheet.print_settings import PrintArea
    report = examples.load("example2021")
    report.sections = {}
    carryover.start_sections(report)
    wb, _ = workbook.build(report)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == workbook.SHEET_TEXT else "hidden"
        if ws.title != workbook.SHEET_TEXT:
            ws._print_area = PrintArea()
            ws._print_rows = ws._print_cols = None
    wb.active = wb.sheetnames.index(workbook.SHEET_TEXT)
    with tempfile.TemporaryDirectory(prefix="nianbao-img-") as tmp:
        p = Path(tmp) / f"{name}.xlsx"
        p.write_bytes(workbook.to_bytes(wb))
        pdf = office.convert_many([p], "pdf", tmp)[0]
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", "-f", "1", "-l", "1", "-x", "70", "-y", "100",
                        "-W", "1150", "-H", "220", str(pdf), str(Path(tmp) / name)], check=True)
        target = Path(outdir) / f"{name}.png"
        shutil.copyfile(Path(tmp) / f"{name}.png", target)
    return target


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/images"
    for path in render_sheets(examples.load("seed"), out):
        print(f"已写出：{path}")
    print(f"已写出：{render_text_sheet(out)}")
