"""Developer tool: PNG pictures of the review workbook's sheets for docs/images (needs LibreOffice and
poppler).  The batch is generated (tests/review_units.py) with the problems a 政务公开办 meets: a damaged
file, a report in the old format, two files of one unit, two units with the same narrative, a sum error
and a unit missing against last year.

    python docs/tools/review_images.py docs/images/
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import review_units as ru  # noqa: E402
from nianbao import formats, loading, office  # noqa: E402
from nianbao.review import batch, book  # noqa: E402


def _scale_requests(rep, factor: int) -> None:
    """Every number of table 三 times ``factor`` (its sums stay consistent)."""
    for f in rep.fmt.fields():
        if f.table == rep.fmt.requests.key and isinstance(rep.get(f.key), int):
            rep.set(f.key, rep.get(f.key) * factor)


def demo_batch(root: Path) -> tuple[Path, Path]:
    rng = random.Random(7)
    fid, old = formats.ids()[-1], formats.ids()[0]
    year = ru.year_of(fid)
    this, last = root / "本年", root / "上年"
    names = ru.agency_names(12)
    for i, name in enumerate(names):
        prev = ru.unit_report(rng, fid, year - 1, name)
        ru.write_unit(prev, last, f"上年-{i:02d}", as_workbook=False)
        if i == 11:
            continue
        cur = ru.unit_report(rng, fid, year, name.replace("人民政府办公室", "政府办") if i % 3 == 1 else name,
                             previous=prev)
        if i == 0:  # the government's own office: far more applications than any department
            _scale_requests(cur, 40)
            _scale_requests(prev, 40)
            ru.write_unit(prev, last, f"上年-{i:02d}", as_workbook=False)
        ru.write_unit(cur, this, f"单位{i:02d}", as_workbook=i % 2 == 0)
    bad = ru.unit_report(rng, fid, year, "问题县人民政府办公室")
    t3 = bad.fmt.requests
    key = f"{t3.key}.new.{t3.total_column}"
    bad.set(key, bad.number(key) + 7)
    ru.write_unit(bad, this, "有错误", as_workbook=True)
    (this / "损坏.xlsx").write_bytes(b"PK\x03\x04 damaged")
    ru.write_unit(ru.unit_report(rng, old, year, "旧格式县人民政府办公室"), this, "旧格式", as_workbook=False)
    dup = loading.load(this / "单位00.xlsx").report
    ru.write_unit(dup, this, "单位00-再次报送", as_workbook=False)
    a, b = ru.unit_report(rng, fid, year, "甲镇人民政府"), ru.unit_report(rng, fid, year, "乙镇人民政府")
    b.sections = json.loads(json.dumps(a.sections))
    b.explanations = [{"rule": "R-3", "location": "", "text": "与甲镇联合开展工作，年报正文经两镇共同审定"}]
    ru.write_unit(a, this, "甲镇", as_workbook=False)
    ru.write_unit(b, this, "乙镇", as_workbook=False)
    return this, last


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    outdir = Path(argv[0] if argv else "docs/images")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-review-img-") as tmp:
        tmp = Path(tmp)
        this, last = demo_batch(tmp / "batch")
        review = batch.run([this], previous_dir=last)
        stems = {book.OVERVIEW: "overview", book.FINDINGS: "findings", book.SUMMED: "summed",
                 book.MISSING: "missing", book.METRICS: "metrics"}
        books = []
        for sheet, stem in stems.items():
            wb = book.build(review)
            for ws in wb.worksheets:
                ws.sheet_state = "visible" if ws.title == sheet else "hidden"
            wb.active = wb.sheetnames.index(sheet)
            path = tmp / f"review-{stem}.xlsx"
            wb.save(path)
            books.append(path)
        pdfs = office.convert_many(books, "pdf", tmp / "pdf")
        for pdf in pdfs:
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp / pdf.stem)],
                           check=True)
            png = next(tmp.glob(f"{pdf.stem}-*1.png"))
            shutil.copy(png, outdir / f"{pdf.stem}.png")
            print(outdir / f"{pdf.stem}.png")
        # The Word summary, its pages as pictures.
        from nianbao.review import summary
        docx = summary.write(review, tmp / "review-summary.docx")
        pdf = office.convert_many([docx], "pdf", tmp / "pdf")[0]
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(tmp / "review-summary")], check=True)
        for png in sorted(tmp.glob("review-summary-*.png")):
            shutil.copy(png, outdir / png.name)
            print(outdir / png.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
