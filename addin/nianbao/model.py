"""The report data model and its JSON form (schema ``nianbao/report@1``).

Report data is kept as plain JSON-shaped values: ``tables[table][row][column]``
holds a number, ``None`` (blank) or, for data read from outside, the original
text.  ``Report`` wraps that with its format and helpers; ``load_json`` /
``save_json`` are the only places the JSON file is read or written.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

from . import formats
from .errors import InputError
from .files import atomic_write, read_limited
from .safetext import illegal_char, one_line
from .formats.base import COUNT, MONEY, SIGNED, TEXT, ReportFormat

SCHEMA = "nianbao/report@1"
MIN_YEAR, MAX_YEAR = 1990, 2200  # report years accepted everywhere
LEVELS = {
    "state_council_dept": "国务院部门",
    "province": "省级人民政府",
    "province_dept": "省级政府部门",
    "city": "设区的市级人民政府",
    "city_dept": "市级政府部门",
    "county": "县级人民政府",
    "county_dept": "县级政府部门",
    "township": "乡镇人民政府（街道办事处）",
    "other": "其他",
}
# Chinese labels of the contact and fee fields (workbook rows, Word template variables).
CONTACT_LABELS = {"address": "通讯地址", "postcode": "邮政编码", "phone": "联系电话", "fax": "传真",
                  "website": "政府信息公开网址", "email": "电子邮箱"}
FEES_LABELS = {"notices": "信息处理费：发出收费通知（件）", "notice_amount_yuan": "信息处理费：收费通知金额（元）",
               "collected_yuan": "信息处理费：实际收取金额（元）"}
CONTACT_KEYS = tuple(CONTACT_LABELS)
SECTION_KEYS = ("preamble", "overview", "problems", "other_matters")
FEES_KEYS = tuple(FEES_LABELS)
TOP_KEYS = {"schema", "format", "year", "agency", "level", "title", "contact", "tables", "sections", "fees",
            "previous"}
BLANK_MARKS = {"/", "／", "—", "——", "-", "－", "无", "空", "—/—"}


@dataclass
class Report:
    """One annual report: its format, identity, table values and narrative."""

    format: str
    year: int
    agency: str = ""
    level: str | None = None
    title: str | None = None
    contact: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    fees: dict = field(default_factory=dict)
    previous: str | None = None  # path of last year's file, as set in a workbook
    # The workbook's registers (``nianbao.register.Register``) when it counts tables 三 and 四 from them.
    # Never part of the report data: not compared, not written to JSON (the rows hold applicants' names).
    register: Any = field(default=None, compare=False, repr=False)

    @property
    def fmt(self) -> ReportFormat:
        return formats.get(self.format)

    def get(self, key: str) -> Any:
        table, row, col = key.split(".")
        return self.tables.get(table, {}).get(row, {}).get(col)

    def set(self, key: str, value: Any) -> None:
        table, row, col = key.split(".")
        self.tables.setdefault(table, {}).setdefault(row, {})[col] = value

    def number(self, key: str) -> float | int:
        """The cell's numeric value for sums: blanks and unusable text count as 0."""
        return as_number(self.get(key), self.fmt.field(key).kind)[0] or 0

    @property
    def display_title(self) -> str:
        return self.title or f"{self.year}{self.fmt.title_suffix}"

    def narrative(self) -> list[tuple[str, str | None, str]]:
        """Every narrative paragraph as (section key, sub-heading or None, text)."""
        out = []
        for key in SECTION_KEYS:
            for item in self.sections.get(key, []) or []:
                if isinstance(item, str):
                    out.append((key, None, item))
                else:
                    for p in item.get("paragraphs", []):
                        out.append((key, item.get("heading"), p))
        return out

    def narrative_text(self, keys=SECTION_KEYS) -> str:
        parts = []
        for key in keys:
            for item in self.sections.get(key, []) or []:
                if isinstance(item, str):
                    parts.append(item)
                else:
                    if item.get("heading"):
                        parts.append(item["heading"])
                    parts.extend(item.get("paragraphs", []))
        return "\n".join(parts)

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"schema": SCHEMA, "format": self.format, "year": self.year, "agency": self.agency}
        if self.level is not None:
            d["level"] = self.level
        if self.title is not None:
            d["title"] = self.title
        if self.contact:
            d["contact"] = dict(self.contact)
        d["tables"] = json.loads(json.dumps(self.tables))
        if self.sections:
            d["sections"] = json.loads(json.dumps(self.sections, ensure_ascii=False))
        if self.fees:
            d["fees"] = dict(self.fees)
        if self.previous:
            d["previous"] = self.previous
        return d


def empty_report(format_id: str, year: int, agency: str = "", level: str | None = None) -> Report:
    """A report with every cell of the format present and blank."""
    fmt = formats.get(format_id)
    rep = Report(format=format_id, year=year, agency=agency, level=level)
    for f in fmt.fields():
        rep.set(f.key, None)
    return rep


# ---------------------------------------------------------------- values
_NUM_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
# No table value reaches a thousand trillion; larger numbers (and numeric text longer than this) are
# not usable values, so sums never grow past what can be printed.
MAX_MAGNITUDE = 10 ** 15
MAX_NUMBER_CHARS = 40
# Text: an Excel cell holds at most 32767 characters; the narrative has at most this many paragraphs
# (rows of the 「正文」 sheet).
MAX_TEXT_CHARS = 32767
MAX_PARAGRAPHS = 20000


# How numeric text is read, spelled out character by character so that the workbook's
# formulas (workbook.py) apply exactly the same steps: first the spaces go, then full-width
# digits and signs become ASCII and thousands separators go.
# Not the tab: LibreOffice reads a tab inside cell text as U+0001, so no formula could strip it in
# every engine; a tab in a number cell is reported (V-1) on both faces instead.
SPACE_CHARS = (" ", "\r", "\n", "\u3000")
TEXT_NUMBER_MAP = (*((chr(0xFF10 + i), str(i)) for i in range(10)),
                   ("＋", "+"), ("－", "-"), ("−", "-"), ("．", "."), (",", ""), ("，", ""))


def strip_spaces(text: str) -> str:
    for ch in SPACE_CHARS:
        text = text.replace(ch, "")
    return text


def normalize_text_number(text: str) -> str:
    """Spaces removed, full-width digits and signs to ASCII, thousands separators removed."""
    t = strip_spaces(text)
    for old, new in TEXT_NUMBER_MAP:
        t = t.replace(old, new)
    return t


def is_blank(value: Any) -> bool:
    """Blank as the official tables see it: empty, or a mark such as 「/」「—」「无」."""
    if value is None:
        return True
    if isinstance(value, str):
        t = strip_spaces(value)
        return t == "" or t in BLANK_MARKS
    return False


def as_number(value: Any, kind: str) -> tuple[float | int | None, str]:
    """Interpret a cell for a field of ``kind``.

    Returns (number or None, status) with status one of ``ok``, ``blank``,
    ``text-number`` (numeric text such as 「１２」 or 「+5」, value usable) or
    ``invalid`` (not a usable value for this kind).
    """
    if kind == TEXT:
        return (None, "blank") if is_blank(value) else (None, "ok")
    if is_blank(value):
        return None, "blank"
    status = "ok"
    if isinstance(value, bool):
        return None, "invalid"
    if isinstance(value, str):
        t = normalize_text_number(value)
        if len(t) > MAX_NUMBER_CHARS or not _NUM_RE.match(t):
            return None, "invalid"
        value = float(t) if "." in t else int(t)
        status = "text-number"
    if not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        return None, "invalid"
    if abs(value) >= MAX_MAGNITUDE:
        return None, "invalid"
    if isinstance(value, float) and value.is_integer() and kind != MONEY:
        value = int(value)
    if kind == COUNT and (not isinstance(value, int) or value < 0):
        return value, "invalid"
    if kind == SIGNED and not isinstance(value, int):
        return value, "invalid"
    if kind == MONEY and value < 0:
        return value, "invalid"
    return value, status


# ---------------------------------------------------------------- JSON
def _fail(msg: str, path: str | None, where: str | None = None):
    raise InputError(msg, path=path, where=where)


def _type_name(v: Any) -> str:
    return {dict: "对象", list: "列表", bool: "真/假值", str: "文本", int: "数字", float: "数字"}.get(type(v), type(v).__name__)


def from_dict(data: Any, path: str | None = None) -> Report:
    """Validate JSON-shaped data and build a Report; raises InputError in Chinese."""
    if not isinstance(data, dict):
        _fail("内容不是报告数据（最外层应为 JSON 对象）", path)
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        _fail(f"有无法识别的字段「{unknown[0]}」。允许的字段为：{'、'.join(sorted(TOP_KEYS))}", path, unknown[0])
    if data.get("schema") != SCHEMA:
        _fail(f"schema 应为「{SCHEMA}」，实际为「{data.get('schema')}」。这不是 nianbao 的报告数据文件", path, "schema")
    fid = data.get("format")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2200:
        _fail(f"year（报告年度）应为四位整数年份，实际为「{year}」", path, "year")
    if fid is None:
        fid = formats.id_for_year(year)
    if fid not in formats.FORMATS:
        _fail(f"format（报告格式）应为{formats.ids_text()}，实际为「{fid}」", path, "format")
    fmt = formats.get(fid)
    agency = data.get("agency", "")
    if not isinstance(agency, str):
        _fail(f"agency（机关名称）应为文本，实际为{_type_name(agency)}", path, "agency")
    level = data.get("level")
    if level is not None and level not in LEVELS:
        _fail(f"level（机关层级）「{level}」无法识别，可选：{'、'.join(LEVELS)}", path, "level")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        _fail("title（报告标题）应为文本", path, "title")
    contact = _optional_object(data, "contact")
    if not isinstance(contact, dict):
        _fail("contact（联系方式）应为对象", path, "contact")
    for k, v in contact.items():
        if k not in CONTACT_KEYS:
            _fail(f"contact 中有无法识别的字段「{k}」，允许：{'、'.join(CONTACT_KEYS)}", path, f"contact.{k}")
        if not isinstance(v, (str, type(None))):
            _fail(f"contact.{k} 应为文本", path, f"contact.{k}")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        _fail("缺少 tables（三张统计表）", path, "tables")
    valid: dict[str, dict] = {}
    for t in fmt.tables():
        if t.key not in tables:
            _fail(f"缺少表格「{t.key}」（{t.title}）", path, f"tables.{t.key}")
    table_keys = {t.key for t in fmt.tables()}
    for tkey, rows in tables.items():
        if tkey not in table_keys:
            _fail(f"有无法识别的表格「{tkey}」，{fid}年格式的表格为：{'、'.join(sorted(table_keys))}", path,
                  f"tables.{tkey}")
        if not isinstance(rows, dict):
            _fail(f"表格「{tkey}」应为对象（行 → 列 → 数值）", path, f"tables.{tkey}")
        fields = {f.key: f for f in fmt.table(tkey).fields()}
        row_keys = {f.row for f in fields.values()}
        out_rows: dict[str, dict] = {}
        for rkey, cols in rows.items():
            where = f"tables.{tkey}.{rkey}"
            if rkey not in row_keys:
                _fail(f"表格「{tkey}」中有无法识别的行「{rkey}」（{fid}年格式）", path, where)
            if not isinstance(cols, dict):
                _fail(f"「{where}」应为对象（列 → 数值）", path, where)
            out_cols = {}
            for ckey, v in cols.items():
                key = f"{tkey}.{rkey}.{ckey}"
                if key not in fields:
                    _fail(f"表格「{tkey}」的行「{rkey}」中有无法识别的列「{ckey}」", path, f"tables.{key}")
                if not (v is None or isinstance(v, str)
                        or (isinstance(v, (int, float)) and not isinstance(v, bool))):
                    _fail(f"单元格「{key}」（{fields[key].label}）应为数字、null 或文本，实际为{_type_name(v)}",
                          path, f"tables.{key}")
                if isinstance(v, float) and not math.isfinite(v):
                    _fail(f"单元格「{key}」不是有限数值", path, f"tables.{key}")
                if isinstance(v, (int, float)) and abs(v) >= MAX_MAGNITUDE:
                    _fail(f"单元格「{key}」的数值过大（{str(v)[:20]}…）", path, f"tables.{key}")
                out_cols[ckey] = v
            out_rows[rkey] = out_cols
        valid[tkey] = out_rows
    sections = _optional_object(data, "sections")
    _check_sections(sections, path)
    fees = _optional_object(data, "fees")
    if not isinstance(fees, dict):
        _fail("fees（信息处理费）应为对象", path, "fees")
    for k, v in fees.items():
        if k not in FEES_KEYS:
            _fail(f"fees 中有无法识别的字段「{k}」，允许：{'、'.join(FEES_KEYS)}", path, f"fees.{k}")
        if not (v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0)):
            _fail(f"fees.{k} 应为不小于0的数字", path, f"fees.{k}")
        if v is not None and not (math.isfinite(v) and v < MAX_MAGNITUDE):
            _fail(f"fees.{k} 应为有限的数字（不超过 {MAX_MAGNITUDE:.0e}），实际为「{v}」", path, f"fees.{k}")
    previous = data.get("previous")
    if previous is not None and not isinstance(previous, str):
        _fail("previous（上年报告文件）应为文本路径", path, "previous")
    return Report(format=fid, year=year, agency=agency, level=level, title=title, contact=dict(contact),
                  tables=valid, sections=sections, fees=dict(fees), previous=previous)


def _optional_object(data: dict, key: str) -> Any:
    """An optional object member: absent or null is empty; anything else is checked by the caller.

    (Not ``data.get(key) or {}``: that would silently accept ``[]``, ``""`` or ``0``.)
    """
    value = data.get(key)
    return {} if value is None else value


def _check_sections(sections: Any, path: str | None) -> None:
    if not isinstance(sections, dict):
        _fail("sections（正文）应为对象", path, "sections")
    total = sum(len(v) + sum(len(i.get("paragraphs") or []) if isinstance(i, dict) and
                             isinstance(i.get("paragraphs"), list) else 0 for i in v)
                for v in sections.values() if isinstance(v, list))
    if total > MAX_PARAGRAPHS:
        _fail(f"正文段落过多（{total} 段，上限 {MAX_PARAGRAPHS} 段）", path, "sections")
    for key, items in sections.items():
        where = f"sections.{key}"
        if key not in SECTION_KEYS:
            _fail(f"sections 中有无法识别的部分「{key}」，允许：{'、'.join(SECTION_KEYS)}", path, where)
        if not isinstance(items, list):
            _fail(f"「{where}」应为段落列表", path, where)
        for i, item in enumerate(items):
            w = f"{where}[{i}]"
            if isinstance(item, str):
                continue
            if not isinstance(item, dict) or set(item) - {"heading", "paragraphs"}:
                _fail(f"「{w}」应为段落文本，或含 heading 与 paragraphs 的对象", path, w)
            if not isinstance(item.get("heading", ""), (str, type(None))):
                _fail(f"「{w}.heading」应为文本", path, w)
            paras = item.get("paragraphs", [])
            if not isinstance(paras, list) or not all(isinstance(p, str) for p in paras):
                _fail(f"「{w}.paragraphs」应为文本列表", path, w)


def parse_json(raw: bytes, path: str | None = None) -> Report:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("不是 UTF-8 编码的 JSON 文件", path=path) from None
    if not text.strip():
        raise InputError("文件是空的，没有 JSON 内容", path=path)
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as e:
        raise InputError(f"JSON 格式错误：第{e.lineno}行第{e.colno}列附近（{_json_reason(e.msg)}）",
                         path=path) from None
    except RecursionError:
        raise InputError("JSON 嵌套层数过多，无法读取", path=path) from None
    except _DuplicateKey as e:
        raise InputError(f"JSON 中字段「{e.key}」出现了不止一次（同一对象内字段名不能重复）", path=path,
                         where=e.key) from None
    except ValueError as e:  # e.g. an integer of more than 4300 digits
        raise InputError(f"JSON 中有无法读取的数值（{'位数过多的整数' if 'digits' in str(e) else '数值有误'}）",
                         path=path) from None
    _check_text(data, path, "")
    return from_dict(data, path)


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _unique_keys(pairs: list) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _check_text(value: Any, path: str | None, where: str) -> None:
    """No text (key or value) holds a character a workbook or Word file cannot keep (NUL, ESC, U+FFFF,
    lone surrogates): refused naming the key."""
    if isinstance(value, str):
        bad = illegal_char(value)
        if bad:
            _fail(f"「{where or '文本'}」含有不能写入工作簿或 Word 的控制字符 {bad}，请删除后重试", path, where or None)
        if len(value) > MAX_TEXT_CHARS:
            _fail(f"「{where or '文本'}」过长（{len(value)} 字），一个单元格最多 {MAX_TEXT_CHARS} 字，请分段", path,
                  where or None)
    elif isinstance(value, dict):
        for k, v in value.items():
            key = f"{where}.{k}" if where else str(k)
            if illegal_char(k):
                _fail(f"字段名「{one_line(k)}」含有控制字符 {illegal_char(k)}", path, one_line(key))
            _check_text(v, path, key)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_text(v, path, f"{where}[{i}]")


def _json_reason(msg: str) -> str:
    table = {"Expecting value": "此处缺少数值", "Expecting ',' delimiter": "缺少逗号",
             "Expecting property name enclosed in double quotes": "字段名须用双引号",
             "Unterminated string starting at": "字符串没有结束引号", "Extra data": "内容结束后还有多余字符",
             "Invalid control character at": "含有非法控制字符", "Expecting ':' delimiter": "缺少冒号",
             "Invalid \\uXXXX escape": "字符串中的 \\u 转义不完整", "Invalid \\escape": "字符串中有无效的反斜杠转义",
             "Illegal trailing comma": "末尾多了一个逗号"}
    for k, v in table.items():
        if msg.startswith(k):
            return v
    return "不符合 JSON 语法"  # never show the parser's English message


def load_json(path: str | os.PathLike) -> Report:
    """Load and validate a report data JSON file."""
    return parse_json(read_limited(path), str(path))


def dumps(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def save_json(report: Report, path: str | os.PathLike) -> None:
    atomic_write(path, dumps(report))
