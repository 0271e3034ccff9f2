"""Run-together digits: neighbouring cells of real table rows glued, then split by the table's rules."""
from __future__ import annotations

from pathlib import Path

from nianbao import formats
from nianbao.importers import digits, pdf

REAL = Path(__file__).parent / "data" / "real"
F2021 = formats.get("2021")


def _huaian_values() -> tuple[dict, dict]:
    """Table three and four of the real 淮安市 2024 report as read from the PDF: (values, texts by key)."""
    path = REAL / "huaian-city-2024.pdf"
    doc = pdf.read_document(str(path), path.read_bytes())
    _active, requests, appeals = doc.tables()
    texts: dict[str, str] = {}
    t3, t4 = F2021.requests, F2021.appeals
    rows = []
    for row in requests.grid():
        cells = []
        for c in row:
            if c is not None and c not in cells:
                cells.append(c)
        tail = cells[-len(t3.columns):]
        if all(c.text.strip().isdigit() for c in tail):
            rows.append(tail)
    assert len(rows) == len(t3.rows)
    for r, cells in zip(t3.rows, rows):
        for col, c in zip(t3.columns, cells):
            texts[f"{t3.key}.{r.key}.{col.key}"] = c.text
    last = [c for c in appeals.grid()[-1]]
    keys4 = [f"{t4.key}.{g}.{m}" for g, _ in t4.groups for m, _ in t4.members]
    for k, c in zip(keys4, last):
        texts[k] = c.text
    values = {k: int(v) for k, v in texts.items()}
    return values, texts


def _glue(texts: dict, keys: list[str]) -> tuple[dict, list[str]]:
    """The texts with the cells ``keys`` run together into the first of them (the others empty)."""
    out = dict(texts)
    out[keys[0]] = "".join(texts[k] for k in keys)
    for k in keys[1:]:
        out[k] = ""
    return out, [out[k] for k in keys]


def _row_keys(prefix: str, members) -> list[str]:
    return [f"{prefix}.{m}" for m in members]


def _values_from(texts: dict) -> dict:
    return {k: (int(v) if v.strip() else None) for k, v in texts.items()}


def test_clean_table_passes_the_rules_and_is_kept():
    values, texts = _huaian_values()
    row = _row_keys("requests.new", [c.key for c in F2021.requests.columns])
    # no stretch at all: every cell filled
    assert digits.stretch(row, [texts[k] for k in row]) == []
    out, found = digits.resolve(F2021, values, [])
    assert out == values and found == []
    # a stretch whose printed reading satisfies the rules is kept as printed, without a finding
    moved = dict(texts)
    moved["requests.new.research"] = ""              # a blank cell beside a zero (counts as 0)
    row_texts = [moved[k] for k in row]
    ambs = digits.stretch(row, row_texts)
    assert ambs and all(a.printed for a in ambs)
    out, found = digits.resolve(F2021, _values_from(moved), ambs)
    assert found == [] and out["requests.new.commercial"] == 53


def test_unique_split_is_recovered_and_reported():
    values, texts = _huaian_values()
    cols = [c.key for c in F2021.requests.columns]
    row = _row_keys("requests.new", cols)
    glued, row_texts = _glue(texts, row[:2])        # 3001 | 53  ->  "300153" | ""
    assert row_texts[:2] == ["300153", ""]
    ambs = digits.stretch(row, [glued[k] for k in row], where="第4页 表2 第4行第4列")
    assert len(ambs) == 1 and ambs[0].keys[:2] == tuple(row[:2])
    out, found = digits.resolve(F2021, _values_from(glued), ambs)
    assert out == values                              # every value as printed in the real report
    assert [f.rule for f in found] == ["I-5"]
    assert "300153" in found[0].message and "3001 | 53" in found[0].message
    assert found[0].severity == "warning" and found[0].locations == ("第4页 表2 第4行第4列",)


def test_unique_split_of_a_whole_row_with_its_total():
    values, texts = _huaian_values()
    cols = [c.key for c in F2021.requests.columns]
    row = _row_keys("requests.unavailable_not_held", cols)   # 746 12 0 0 10 1 769
    glued, _ = _glue(texts, row)
    assert glued[row[0]] == "7461200101769"
    ambs = digits.stretch(row, [glued[k] for k in row])
    out, found = digits.resolve(F2021, _values_from(glued), ambs)
    assert out == values
    assert [f.rule for f in found] == ["I-5"]


def test_several_splits_are_reported_not_guessed():
    values, texts = _huaian_values()
    t4 = F2021.appeals
    group = _row_keys("appeals.litigation_after_review", [m for m, _ in t4.members])  # 12 1 1 6 20
    glued, _ = _glue(texts, group)
    assert glued[group[0]] == "1211620"
    ambs = digits.stretch(group, [glued[k] for k in group], where="第5页 表3 第4行第11列")
    out, found = digits.resolve(F2021, _values_from(glued), ambs)
    assert [f.rule for f in found] == ["I-6"]
    f = found[0]
    assert f.severity == "error"
    assert all(out[k] is None for k in group)       # left unresolved
    assert all(out[k] == v for k, v in values.items() if k not in group)
    # the candidates listed include the true reading and another that also satisfies T4-1
    assert "12 | 1 | 1 | 6 | 20" in f.message and "1 | 2 | 11 | 6 | 20" in f.message
    assert [12, 1, 1, 6, 20] in f.expected and len(f.expected) >= 2


def test_value_in_the_wrong_column_is_moved_when_only_one_place_fits():
    values, texts = _huaian_values()
    cols = [c.key for c in F2021.requests.columns]
    row = _row_keys("requests.disclosed", cols)       # 1288 21 0 0 50 3 1362
    moved = dict(texts)
    # zeros left blank, and 50 printed one column to the left of its own (法律服务机构) column
    moved[row[2]], moved[row[3]], moved[row[4]] = "", "50", ""
    ambs = digits.stretch(row, [moved[k] for k in row])
    assert len(ambs) == 1 and set(row[2:5]) <= set(ambs[0].keys)
    out, found = digits.resolve(F2021, _values_from(moved), ambs)
    assert out[row[4]] == 50 and out[row[3]] is None and out[row[2]] is None
    assert [f.rule for f in found] == ["I-5"]


def test_no_split_fits():
    values, texts = _huaian_values()
    cols = [c.key for c in F2021.requests.columns]
    row = _row_keys("requests.new", cols)
    glued, _ = _glue(texts, row[:2])
    glued[row[0]] = "999999"                          # digits that no split can reconcile
    ambs = digits.stretch(row, [glued[k] for k in row])
    out, found = digits.resolve(F2021, _values_from(glued), ambs)
    assert [f.rule for f in found] == ["I-6"]
    assert "没有一种拆分" in found[0].message
    assert out[row[0]] is None and out[row[1]] is None


def test_gaps_in_the_text_fix_the_number_of_pieces():
    keys = ["a", "b", "c"]
    (amb,) = digits.stretch(keys, ["126 26 29", "", ""])
    assert (126, 26, 29) in amb.candidates
    assert all(sum(v is not None for v in c) == 3 for c in amb.candidates)
