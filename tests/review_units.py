"""Helpers for the review tests and benchmark: a batch of generated units (consistent random reports with
their own narratives), written as report data JSON or workbooks.

Not a test module (no ``test_`` prefix).
"""
from __future__ import annotations

import random
from pathlib import Path

from nianbao import formats, workbook
from nianbao.formats import ROLE_RULE_MAKING
from nianbao.formats.base import COUNT, MONEY, SIGNED, TEXT
from nianbao.model import Report, empty_report, save_json

# Words the narratives are made of: each unit draws its own sentences, so two units share none by chance.
_WORDS = ("政务公开", "信息发布", "政策解读", "回应关切", "平台建设", "制度建设", "依申请公开", "主动公开", "规范性文件",
          "基层政务", "便民服务", "网站集约", "监督考核", "业务培训", "数据开放", "办事指南", "公开目录", "决策公开",
          "执行公开", "管理公开", "服务公开", "结果公开", "重点领域", "新闻发布", "政民互动", "意见征集")
COUNTIES = ("东山", "西河", "南岭", "北川", "青石", "白沙", "红旗", "金桥", "长乐", "安平", "永丰", "太和", "清源",
            "兴隆", "丰泽", "和平", "光明", "前进", "团结", "胜利")


def narrative(rng: random.Random, sentences: int = 6) -> dict:
    paras = []
    for _ in range(sentences):
        words = rng.sample(_WORDS, 4)
        paras.append(f"本机关围绕{words[0]}和{words[1]}，持续推进{words[2]}工作，{words[3]}成效明显，全年开展相关工作{rng.randint(3, 90)}次。")
    return {"overview": [{"heading": "（一）主动公开", "paragraphs": paras}]}


def unit_report(rng: random.Random, format_id: str, year: int, agency: str, level: str = "county_dept",
                previous: Report | None = None) -> Report:
    """A random report of ``format_id`` that passes every error rule, with its own narrative; given last
    year's report, its 上年结转 follows on from it (rule X-1)."""
    fmt = formats.get(format_id)
    rep = empty_report(format_id, year, agency=agency, level=level)
    for f in fmt.active.fields():
        if f.kind == COUNT:
            rep.set(f.key, rng.randint(0, 300))
        elif f.kind == SIGNED:
            rep.set(f.key, rng.randint(-5, 5))
        elif f.kind == MONEY:
            rep.set(f.key, rng.randint(0, 99999) / 100)
        elif f.kind == TEXT:
            rep.set(f.key, "0万元")
    t3 = fmt.requests
    key = lambda row, col: f"{t3.key}.{row}.{col}"  # noqa: E731
    totals = {r.key: 0 for r in t3.rows}
    for c in t3.part_columns:
        column = dict.fromkeys(t3.result_leaves, 0)
        for leaf in rng.sample(t3.result_leaves, 4):
            column[leaf] = rng.randint(0, 25)
        results = sum(column.values())
        carry_forward = rng.randint(0, 5)
        carried_over = rng.randint(0, min(5, results + carry_forward))
        if previous is not None:
            carried_over = previous.number(key("carry_forward", c))
            carry_forward = max(carry_forward, carried_over - results)
        column.update({t3.results_total: results, "carry_forward": carry_forward, "carried_over": carried_over,
                       "new": results + carry_forward - carried_over})
        for row, v in column.items():
            rep.set(key(row, c), v)
            totals[row] += v
    for row, v in totals.items():
        rep.set(key(row, t3.total_column), v)
    t4 = fmt.appeals
    for g, _ in t4.groups:
        parts = [rng.randint(0, 6) for _ in t4.part_members]
        for m, v in zip(t4.part_members, parts):
            rep.set(f"{t4.key}.{g}.{m}", v)
        rep.set(f"{t4.key}.{g}.{t4.total_member}", sum(parts))
    for k in fmt.role(ROLE_RULE_MAKING):  # a county department makes no 规章 (rule P-1)
        rep.set(k, 0)
    rep.sections = narrative(rng)
    rep.sections["other_matters"] = ["本年度发出收费通知的情况及信息处理费的收取情况见上表。"]
    return rep


def agency_names(n: int) -> list[str]:
    out = []
    for i in range(n):
        county = COUNTIES[i % len(COUNTIES)] + ("" if i < len(COUNTIES) else str(i // len(COUNTIES)))
        out.append(f"{county}县人民政府办公室")
    return out


def write_unit(report: Report, folder: Path, stem: str, as_workbook: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if as_workbook:
        path = folder / f"{stem}.xlsx"
        workbook.write(report, path)
    else:
        path = folder / f"{stem}.json"
        save_json(report, path)
    return path


def year_of(format_id: str) -> int:
    fmt = formats.get(format_id)
    return fmt.last_year or fmt.first_year + 3
