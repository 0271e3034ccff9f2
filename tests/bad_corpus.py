"""The corpus of hostile and broken inputs: each case builds its file (from the seed report, the built-in
template, LibreOffice for an old .xls, msoffcrypto-tool for an encrypted workbook; the huge ones sparse
or patched so that nothing big is stored or written) and states what every command that takes that kind
of file must answer: the exit code and the Chinese fragments of the message.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nianbao import examples, workbook
from nianbao.workbook import cells as wb_cells

SEED = examples.path("seed")
GOOD = "good"  # the exit code the good file gets from the same command


@dataclass
class Base:
    """The good files every case starts from."""

    dir: Path
    json: Path
    xlsx: Path
    template: Path
    data: dict
    fmt: str

    def sheet_part(self, name: str) -> str:
        order = wb_cells.sheet_order(__import__("nianbao").formats.get(self.fmt))
        return f"xl/worksheets/sheet{order.index(name) + 1}.xml"


@dataclass
class Case:
    id: str
    kind: str                          # json, workbook, template, previous, output, agency
    build: Callable[[Path, Base], Path]
    rc: int | str = 2                  # an exit code, or GOOD
    says: tuple[str, ...] = ()         # fragments every command's output holds
    where: str | None = None           # sheet!cell, part or data key named
    names_file: bool = True            # the message names the file
    per_command: dict = field(default_factory=dict)  # command → (rc, says) where it differs
    needs_root_mount: bool = False
    argv: Callable | None = None       # the command line (file, output folder, base) where the kind has none
    not_says: tuple[str, ...] = ()     # fragments no output may hold


def make_base(root: Path) -> Base:
    from nianbao import formats, word
    from nianbao.model import load_json
    root.mkdir(parents=True, exist_ok=True)
    js = root / "seed.json"
    shutil.copyfile(SEED, js)
    report = load_json(js)
    xlsx = root / "seed.xlsx"
    workbook.write(report, xlsx)
    tpl = root / "template.docx"
    shutil.copyfile(word.template_path(report.format), tpl)
    assert formats.get(report.format)
    return Base(root, js, xlsx, tpl, json.loads(SEED.read_text("utf-8")), report.format)


# ---------------------------------------------------------------- helpers
def _json(d: Path, name: str, data) -> Path:
    p = d / name
    p.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return p


def _raw(d: Path, name: str, data: bytes) -> Path:
    p = d / name
    p.write_bytes(data)
    return p


def _seed(b: Base) -> dict:
    return json.loads(json.dumps(b.data))


def _first_cell(data: dict) -> tuple[str, str, str]:
    for t, rows in data["tables"].items():
        for r, cols in rows.items():
            for c in cols:
                return t, r, c
    raise AssertionError


def _with_cell(b: Base, value_text: str) -> bytes:
    """The seed JSON with its first table cell replaced by raw JSON text ``value_text``."""
    data = _seed(b)
    t, r, c = _first_cell(data)
    data["tables"][t][r][c] = "@@CELL@@"
    return json.dumps(data, ensure_ascii=False).replace('"@@CELL@@"', value_text).encode()


def _xlsx_edit(b: Base, d: Path, name: str, edit: Callable) -> Path:
    import openpyxl
    wb = openpyxl.load_workbook(b.xlsx)
    edit(wb)
    p = d / name
    wb.save(p)
    return p


def _zip_edit(src: Path, dst: Path, parts: dict[str, Callable[[bytes], bytes] | None],
              add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in parts:
                fn = parts[info.filename]
                if fn is None:
                    continue
                data = fn(data)
            zout.writestr(info.filename, data)
        for n, data in (add or {}).items():
            zout.writestr(n, data)
    return dst


def _declare_size(path: Path, part: str, size: int) -> Path:
    """Patch the zip's central directory so that ``part`` declares ``size`` unpacked bytes."""
    raw = bytearray(path.read_bytes())
    name = part.encode()
    i = raw.rfind(b"PK\x01\x02" + bytes(0))
    pos = 0
    while True:
        i = raw.find(b"PK\x01\x02", pos)
        if i < 0:
            break
        n = struct.unpack_from("<H", raw, i + 28)[0]
        if raw[i + 46:i + 46 + n] == name:
            struct.pack_into("<I", raw, i + 24, size)
        pos = i + 4
    path.write_bytes(bytes(raw))
    return path


def _cell_xml(sheet_xml: bytes, ref: str, inner: str, t: str | None = None) -> bytes:
    """Add a cell ``ref`` (in a row of its own, at the end) to a sheet part."""
    row = re.match(r"[A-Z]+(\d+)", ref).group(1)
    attr = f' t="{t}"' if t else ""
    cell = f'<row r="{row}"><c r="{ref}"{attr}>{inner}</c></row>'.encode()
    return sheet_xml.replace(b"</sheetData>", cell + b"</sheetData>", 1)


def _set_value(b: Base, d: Path, name: str, key_index: int, value) -> Path:
    """The seed workbook with one value cell (the ``key_index``-th of the format) set to ``value``."""
    from nianbao import formats
    fmt = formats.get(b.fmt)
    key = [f.key for f in fmt.fields()][key_index]
    sheet, r, c = wb_cells.positions(b.fmt)[key]

    def edit(wb):
        from nianbao.safetext import put
        put(wb[sheet].cell(r, c), value)
    return _xlsx_edit(b, d, name, edit)


def _replace_cell(b: Base, d: Path, name: str, key_index: int, inner: str) -> Path:
    """The seed workbook with the XML of one value cell's content replaced by ``inner`` (a number)."""
    from nianbao import formats
    key = [f.key for f in formats.get(b.fmt).fields()][key_index]
    sheet, r, c = wb_cells.positions(b.fmt)[key]
    ref = f"{wb_cells.col_letter(c)}{r}"

    def edit(xml: bytes) -> bytes:
        pat = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/>|>.*?</c>)', re.S)
        m = pat.search(xml)
        assert m, ref
        attrs = re.sub(rb'\s+t="[^"]*"', b"", m.group(1))
        return xml[:m.start()] + b'<c r="' + ref.encode() + b'"' + attrs + b">" + inner.encode() + b"</c>" + xml[m.end():]
    return _zip_edit(b.xlsx, d / name, {b.sheet_part(sheet): edit})


def _template_with(b: Base, d: Path, name: str, body: str) -> Path:
    """The built-in template with a paragraph holding ``body`` (Jinja) at the start of the document."""
    def edit(xml: bytes) -> bytes:
        para = f"<w:p><w:r><w:t>{body}</w:t></w:r></w:p>".encode()
        return re.sub(rb"(<w:body>)", lambda m: m.group(1) + para, xml, count=1)
    return _zip_edit(b.template, d / name, {"word/document.xml": edit})


def _template_entity(b: Base, d: Path, name: str, dtd: str, ref: str) -> Path:
    """The built-in template whose document.xml declares ``dtd`` and uses entity ``ref`` in a paragraph."""
    def edit(xml: bytes) -> bytes:
        para = f"<w:p><w:r><w:t>&{ref};</w:t></w:r></w:p>".encode()
        return _xml_prolog(re.sub(rb"(<w:body>)", lambda m: m.group(1) + para, xml, count=1), dtd)
    return _zip_edit(b.template, d / name, {"word/document.xml": edit})


def _entity_in_text(xml: bytes, dtd: str, ref: str) -> bytes:
    """A sheet part declaring ``dtd`` whose first inline text (the sheet's heading) uses entity ``ref``."""
    assert b"<t>" in xml
    return _xml_prolog(xml, dtd).replace(b"<t>", f"<t>&{ref};".encode(), 1)


def _xml_prolog(doc: bytes, dtd: str) -> bytes:
    """Put a DOCTYPE with ``dtd`` after the XML declaration of ``doc``."""
    m = re.match(rb"<\?xml[^>]*\?>\s*", doc)
    head = m.group(0) if m else b""
    rest = doc[len(head):]
    root = re.match(rb"<([A-Za-z:]+)", rest.lstrip()).group(1).decode()
    return head + f"<!DOCTYPE {root} [{dtd}]>".encode() + rest


LAUGHS = "".join([f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" if i else "lol"}' + ("&l" + str(i - 1) + ";") * 9 + '">'
                  for i in range(1, 10)]).replace('<!ENTITY l1 "&l0;', '<!ENTITY l0 "lol"><!ENTITY l1 "&l0;')


def _fifo(d: Path, name: str) -> Path:
    p = d / name
    os.mkfifo(p)
    return p


def _symlink(d: Path, name: str, target: str) -> Path:
    p = d / name
    os.symlink(target, p)
    return p


def _sparse(d: Path, name: str, size: int) -> Path:
    p = d / name
    with open(p, "wb") as fh:
        fh.truncate(size)
    return p


# ---------------------------------------------------------------- the cases
def json_cases() -> list[Case]:
    C = Case
    return [
        C("json-empty", "json", lambda d, b: _raw(d, "空.json", b""), says=("文件是空的",)),
        C("json-truncated", "json", lambda d, b: _raw(d, "截断.json", b.json.read_bytes()[:700]),
          says=("JSON 格式错误",)),
        C("json-gbk", "json", lambda d, b: _raw(d, "gbk.json", b.json.read_text("utf-8").encode("gbk", "replace")),
          says=("不是 UTF-8",)),
        C("json-random", "json", lambda d, b: _raw(d, "random.json", bytes(range(256)) * 40), says=("UTF-8",)),
        C("json-deep", "json", lambda d, b: _raw(d, "deep.json", b"[" * 200000 + b"]" * 200000),
          says=("嵌套层数过多",)),
        C("json-duplicate-key", "json", lambda d, b: _raw(
            d, "dup.json", b.json.read_bytes().replace(b'"agency":', b'"agency": "x", "agency":', 1)),
          says=("出现了不止一次",), where="agency"),
        C("json-4301-digit-int", "json", lambda d, b: _raw(d, "bigint.json", _with_cell(b, "9" * 5000)),
          says=("位数过多",)),
        C("json-huge-number", "json", lambda d, b: _raw(d, "huge.json", _with_cell(b, "1" + "0" * 300)),
          says=("数值过大",), where="tables."),
        C("json-infinity", "json", lambda d, b: _raw(d, "inf.json", _with_cell(b, "Infinity")),
          says=("不是有限数值",), where="tables."),
        C("json-1e309", "json", lambda d, b: _raw(d, "e309.json", _with_cell(b, "1e309")),
          says=("不是有限数值",), where="tables."),
        C("json-fees-infinity", "json", lambda d, b: _json(d, "fees.json", {**_seed(b), "fees": {"notices": 1e309}}),
          says=("有限",), where="fees.notices"),
        C("json-nul-in-agency", "json", lambda d, b: _json(d, "nul.json", {**_seed(b), "agency": "某局\x00"}),
          says=("U+0000",), where="agency"),
        C("json-bel-in-contact", "json", lambda d, b: _json(d, "bel.json", {**_seed(b), "contact": {"phone": "1\x07"}}),
          says=("U+0007",), where="contact.phone"),
        C("json-esc-in-paragraph", "json", lambda d, b: _json(
            d, "esc.json", {**_seed(b), "sections": {"overview": ["\x1b[2J结果：全部通过"]}}),
          says=("U+001B",), where="sections.overview[0]"),
        C("json-uffff", "json", lambda d, b: _json(d, "ffff.json", {**_seed(b), "title": "年报\uffff"}),
          says=("U+FFFF",), where="title"),
        C("json-lone-surrogate", "json", lambda d, b: _raw(
            d, "surrogate.json", b.json.read_bytes().replace(b'"agency": "', b'"agency": "\\ud800', 1)),
          says=("U+D800",), where="agency"),
        C("json-too-many-paragraphs", "json", lambda d, b: _json(
            d, "paras.json", {**_seed(b), "sections": {"overview": ["段落"] * 300000}}),
          says=("段落过多",), where="sections"),
        C("json-paragraph-too-long", "json", lambda d, b: _json(
            d, "long.json", {**_seed(b), "sections": {"overview": ["长" * 40000]}}),
          says=("过长",), where="sections.overview[0]"),
        C("json-wrong-schema", "json", lambda d, b: _json(d, "schema.json", {**_seed(b), "schema": "x"}),
          says=("schema",)),
        C("json-unknown-key", "json", lambda d, b: _json(d, "unknown.json", {**_seed(b), "extra": 1}),
          says=("无法识别的字段",), where="extra"),
        C("json-missing-table", "json", lambda d, b: _json(
            d, "missing.json", {**_seed(b), "tables": dict(list(_seed(b)["tables"].items())[1:])}),
          says=("缺少表格",)),
        C("json-bool-cell", "json", lambda d, b: _raw(d, "bool.json", _with_cell(b, "true")), says=("应为数字",)),
        C("json-not-object", "json", lambda d, b: _raw(d, "list.json", b"[1, 2, 3]"), says=("最外层应为 JSON 对象",)),
        C("json-wrong-format-for-year", "json", lambda d, b: _json(
            d, "fmt.json", {**_seed(b), "year": _seed(b)["year"] + 2}), rc=1, names_file=False, says=("S-1",),
          per_command={"new-from": (0, ("注意",)), "export": (0, ("S-1",))}),
        C("json-too-big", "json", lambda d, b: _sparse(d, "big.json", 21 * 1024 * 1024), says=("文件过大",)),
        C("json-directory", "json", lambda d, b: (d / "dir.json").mkdir() or d / "dir.json", says=("文件夹",)),
        C("json-fifo", "json", lambda d, b: _fifo(d, "fifo.json"), says=("命名管道",)),
        C("json-symlink-dev-zero", "json", lambda d, b: _symlink(d, "zero.json", "/dev/zero"), says=("设备文件",)),
        C("json-symlink-loop", "json", lambda d, b: _symlink(d, "loop.json", "loop.json"), says=("循环",)),
        C("json-missing", "json", lambda d, b: d / "不存在.json", says=("文件不存在",)),
        C("json-chinese-path-with-spaces", "json", lambda d, b: _copy(b.json, d / "年报 数据" / "报告 2020.json"),
          rc=GOOD, names_file=False),
        C("json-previous-etc-passwd", "json", lambda d, b: _json(d, "prev-passwd.json", {**_seed(b), "previous": "/etc/passwd"}),
          rc=GOOD, names_file=False, per_command={"check": (GOOD, ("previous", "/etc/passwd")),
                                                  "export": (GOOD, ("previous", "/etc/passwd"))}),
    ]


def _copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def _encrypted(d: Path, b: Base) -> Path:
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    out = d / "加密.xlsx"
    with open(b.xlsx, "rb") as src, open(out, "wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    assert msoffcrypto.OfficeFile(open(out, "rb")).is_encrypted()
    return out


def _legacy_xls(d: Path, b: Base, name: str) -> Path:
    from nianbao import office
    conv = office.convert(b.xlsx, "xls", d / "conv")
    out = d / name
    shutil.move(conv, out)
    shutil.rmtree(d / "conv")
    return out


def _foreign(d: Path) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active["A1"] = "别的工作簿"
    p = d / "别的.xlsx"
    wb.save(p)
    return p


def _insert_row(sheet: str):
    def edit(wb):
        wb[sheet].insert_rows(wb_cells.TABLE_TOP + 2)
    return edit


def _delete_info_row(wb):
    wb[wb_cells.SHEET_INFO].delete_rows(wb_cells.INFO_TOP + 1)


def _unmerge(sheet: str):
    def edit(wb):
        ws = wb[sheet]
        for rng in list(ws.merged_cells.ranges):
            if rng.min_row >= wb_cells.TABLE_TOP:
                ws.unmerge_cells(str(rng))
    return edit


def _info(field_id: str, value):
    row = wb_cells.INFO_TOP + [f for f, _ in wb_cells.INFO_FIELDS].index(field_id)

    def edit(wb):
        from nianbao.safetext import put
        put(wb[wb_cells.SHEET_INFO].cell(row, 2), value)
    return edit


def _typed_total(b: Base):
    from nianbao import formats
    key = next(iter(wb_cells.computed_cells(b.fmt)))
    sheet, r, c = wb_cells.positions(b.fmt)[key]

    def edit(wb):
        wb[sheet].cell(r, c).value = 987654
    return edit


def _many_text_rows(b: Base, d: Path) -> Path:
    part = b.sheet_part(wb_cells.SHEET_TEXT)

    def edit(xml: bytes) -> bytes:
        start = wb_cells.TEXT_TOP + 100
        rows = "".join(f'<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>段</t></is></c></row>'
                       for r in range(start, start + 25000))
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1)
    return _zip_edit(b.xlsx, d / "正文过多.xlsx", {part: edit})


def _padded(b: Base, d: Path, name: str, part: str, mb: int) -> Path:
    def edit(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b"</sheetData>" + b" " * (mb * 1024 * 1024), 1)
    return _zip_edit(b.xlsx, d / name, {part: edit})


def workbook_cases() -> list[Case]:
    C = Case
    text, info = wb_cells.SHEET_TEXT, wb_cells.SHEET_INFO
    return [
        C("xlsx-empty", "workbook", lambda d, b: _raw(d, "空.xlsx", b""), says=("zip",)),
        C("xlsx-truncated", "workbook", lambda d, b: _raw(d, "截断.xlsx", b.xlsx.read_bytes()[:20000]), says=("损坏",)),
        C("xlsx-random", "workbook", lambda d, b: _raw(d, "random.xlsx", os.urandom(5000)), says=("损坏",)),
        C("xlsx-renamed-docx", "workbook", lambda d, b: _copy(b.template, d / "其实是Word.xlsx"),
          says=("无法打开工作簿",)),
        C("xlsx-renamed-json", "workbook", lambda d, b: _copy(b.json, d / "其实是JSON.xlsx"), says=("zip",)),
        C("xlsx-encrypted", "workbook", lambda d, b: _encrypted(d, b), says=("密码",)),
        C("xls-old-format", "workbook", lambda d, b: _legacy_xls(d, b, "旧版.xls"), says=(".xls",)),
        C("xls-renamed-xlsx", "workbook", lambda d, b: _legacy_xls(d, b, "旧版改名.xlsx"), says=("97-2003",)),
        C("xlsx-foreign", "workbook", lambda d, b: _foreign(d), says=("缺少工作表",)),
        C("xlsx-sheet-renamed", "workbook", lambda d, b: _xlsx_edit(
            b, d, "改名.xlsx", lambda wb: setattr(wb.worksheets[2], "title", "表三（改）")), says=("缺少工作表",)),
        C("xlsx-sheet-deleted", "workbook", lambda d, b: _xlsx_edit(
            b, d, "删表.xlsx", lambda wb: wb.remove(wb[text])), says=("缺少工作表", text)),
        C("xlsx-row-inserted", "workbook", lambda d, b: _xlsx_edit(
            b, d, "插行.xlsx", lambda wb: _insert_row(wb.worksheets[2].title)(wb)), says=("结构被改动",), where="!"),
        C("xlsx-info-row-deleted", "workbook", lambda d, b: _xlsx_edit(b, d, "删行.xlsx", _delete_info_row),
          says=("报告格式",), where=f"{info}!B"),
        C("xlsx-merges-broken", "workbook", lambda d, b: _xlsx_edit(
            b, d, "拆合并.xlsx", lambda wb: _unmerge(wb.worksheets[2].title)(wb)), rc=GOOD, names_file=False),
        C("xlsx-error-value", "workbook", lambda d, b: _set_value(b, d, "错误值.xlsx", 0, "#DIV/0!"), rc=1,
          names_file=False, says=("V-1",), per_command={"new-from": (0, ()), "export": (0, ("V-1",)),
                                                         "addin-export": (0, ()), "addin-new-year": (0, ())}),
        C("xlsx-full-width-digits", "workbook", lambda d, b: _set_value(b, d, "全角.xlsx", 0, "１２"), rc=GOOD,
          names_file=False),
        C("xlsx-typed-over-total", "workbook", lambda d, b: _xlsx_edit(b, d, "改合计.xlsx", _typed_total(b)), rc=1,
          names_file=False, per_command={"new-from": (0, ()), "export": (0, ()), "addin-export": (0, ()),
                                         "addin-new-year": (0, ())}),
        C("xlsx-format-garbage", "workbook", lambda d, b: _xlsx_edit(b, d, "格式.xlsx", _info("format", "abc")),
          says=("报告格式",), where=f"{info}!B"),
        C("xlsx-year-text", "workbook", lambda d, b: _xlsx_edit(b, d, "年度.xlsx", _info("year", "二〇二〇")),
          says=("四位年份",), where=f"{info}!B"),
        C("xlsx-year-past-last", "workbook", lambda d, b: _xlsx_edit(b, d, "2200.xlsx", _info("year", 2200)),
          rc=1, names_file=False,
          per_command={"new-from": (2, ("上限",)), "addin-new-year": (2, ("上限",)), "export": (0, ()),
                       "addin-export": (0, ())}),
        C("xlsx-far-cell-text", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "远处.xlsx", {
            b.sheet_part(text): lambda x: _cell_xml(x, "XFD1048576", "<is><t>远</t></is>", "inlineStr")}),
          rc=GOOD, names_file=False),
        C("xlsx-far-cell-table", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "远处2.xlsx", {
            "xl/worksheets/sheet3.xml": lambda x: _cell_xml(x, "XFD1048576", "<v>1</v>")}),
          rc=GOOD, names_file=False),
        C("xlsx-too-many-text-rows", "workbook", lambda d, b: _many_text_rows(b, d), says=("上限",),
          where=f"{text}!A"),
        C("xlsx-part-bomb-ratio", "workbook", lambda d, b: _padded(b, d, "炸弹.xlsx", "xl/worksheets/sheet3.xml", 12),
          says=("压缩比",), where="xl/worksheets/sheet3.xml"),
        C("xlsx-part-too-big", "workbook", lambda d, b: _padded(b, d, "大部件.xlsx", "xl/worksheets/sheet3.xml", 17),
          says=("上限",), where="xl/worksheets/sheet3.xml"),
        C("xlsx-declared-3gib", "workbook", lambda d, b: _declare_size(
            _copy(b.xlsx, d / "声明.xlsx"), "xl/worksheets/sheet3.xml", 3 * 1024 ** 3 - 1), says=("上限",),
          where="xl/worksheets/sheet3.xml"),
        C("xlsx-billion-laughs-workbook", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "laughs.xlsx", {
            "xl/workbook.xml": lambda x: _xml_prolog(x, LAUGHS)}), rc=GOOD, names_file=False),
        C("xlsx-billion-laughs-text", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "laughs2.xlsx", {
            b.sheet_part(info): lambda x: _entity_in_text(x, LAUGHS, "l9")}), says=("损坏",)),
        C("xlsx-xxe-text", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "xxe.xlsx", {
            b.sheet_part(info): lambda x: _entity_in_text(x, '<!ENTITY x SYSTEM "file:///etc/passwd">', "x")}),
          says=("损坏",)),
        C("xlsx-xxe-sheet", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "xxe2.xlsx", {
            b.sheet_part(info): lambda x: _xml_prolog(x, '<!ENTITY x SYSTEM "file:///etc/passwd">')}),
          rc=GOOD, names_file=False),
        C("xlsx-1e309", "workbook", lambda d, b: _replace_cell(b, d, "e309.xlsx", 0, "<v>1e309</v>"), rc=1,
          names_file=False, says=("V-1",), per_command={"new-from": (0, ()), "export": (0, ("V-1",)),
                                                         "addin-export": (0, ()), "addin-new-year": (0, ())}),
        C("xlsx-4301-digit-cell", "workbook", lambda d, b: _replace_cell(b, d, "大数.xlsx", 0, "<v>" + "9" * 5000 + "</v>"),
          says=("位数过多",)),
        C("xlsx-huge-numeric-text", "workbook", lambda d, b: _set_value(b, d, "长数字.xlsx", 0, "9" * 5000), rc=1,
          names_file=False, per_command={"new-from": (0, ()), "export": (0, ()), "addin-export": (0, ()),
                                         "addin-new-year": (0, ())}),
        C("xlsx-formula-text", "workbook", lambda d, b: _xlsx_edit(b, d, "公式文本.xlsx", _info("agency", "=1+1")),
          rc=GOOD, names_file=False),
        C("xlsx-sheet-not-xml", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "坏表.xlsx", {
            "xl/worksheets/sheet3.xml": lambda x: x[:len(x) // 2]}), says=("损坏",)),
        C("xlsx-sheet-part-missing", "workbook", lambda d, b: _zip_edit(b.xlsx, d / "缺部件.xlsx", {
            "xl/worksheets/sheet3.xml": None}), says=("工作表",)),
        C("xlsx-too-big", "workbook", lambda d, b: _sparse(d, "大.xlsx", 31 * 1024 * 1024), says=("文件过大",)),
        C("xlsx-directory", "workbook", lambda d, b: (d / "dir.xlsx").mkdir() or d / "dir.xlsx", says=("文件夹",)),
        C("xlsx-fifo", "workbook", lambda d, b: _fifo(d, "fifo.xlsx"), says=("命名管道",)),
        C("xlsx-symlink-dev-zero", "workbook", lambda d, b: _symlink(d, "zero.xlsx", "/dev/zero"), says=("设备文件",)),
        C("xlsx-symlink-to-itself", "workbook", lambda d, b: _symlink(d, "self.xlsx", "self.xlsx"), says=("循环",)),
        C("xlsx-chinese-path-with-spaces", "workbook", lambda d, b: _copy(b.xlsx, d / "年报 文件夹" / "本 年.xlsx"),
          rc=GOOD, names_file=False),
        *(C(f"xlsx-previous-{name}", "workbook", (lambda target: lambda d, b: _xlsx_edit(
            b, d, f"上年-{target(d).name}.xlsx", _info("previous", str(target(d)))))(target),
            rc=GOOD, names_file=False,
            per_command={c: (GOOD, (workbook.info_address("previous"),)) for c in ("check", "export", "addin-check")})
          for name, target in (
              ("etc-passwd", lambda d: Path("/etc/passwd")),
              ("random-bytes", lambda d: _once(d / "上年随机.xlsx", lambda p: p.write_bytes(os.urandom(3000)))),
              ("huge", lambda d: _once(d / "上年巨大.xlsx", lambda p: open(p, "wb").truncate(40 * 1024 * 1024))),
              ("fifo", lambda d: _once(d / "上年管道.xlsx", lambda p: os.mkfifo(p))),
          )),
    ]


def _once(p: Path, make: Callable[[Path], object]) -> Path:
    if not os.path.lexists(p):
        make(p)
    return p


ESCAPES = (
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ request.application.__globals__ }}",
)


def template_cases() -> list[Case]:
    C = Case
    return [
        C("template-empty", "template", lambda d, b: _raw(d, "空.docx", b""), says=("不是有效的 Word",)),
        C("template-truncated", "template", lambda d, b: _raw(d, "截断.docx", b.template.read_bytes()[:9000]),
          says=("不是有效的 Word",)),
        C("template-is-workbook", "template", lambda d, b: _copy(b.xlsx, d / "其实是工作簿.docx"),
          says=("Word",)),
        C("template-wrong-suffix", "template", lambda d, b: _copy(b.template, d / "模板.dotx"), says=(".docx",)),
        C("template-nested-loops", "template", lambda d, b: _template_with(
            b, d, "循环.docx", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
          says=("秒",)),
        C("template-huge-string", "template", lambda d, b: _template_with(b, d, "乘.docx", "{{ 'x'*2000000000 }}"),
          says=("过长",)),
        C("template-huge-output", "template", lambda d, b: _template_with(
            b, d, "输出.docx", "{% for i in range(100000) %}{% for j in range(100) %}xxxxxxxxxxxxxxxxxxxx"
                               "{% endfor %}{% endfor %}"), says=("内容过多",)),
        C("template-doubling", "template", lambda d, b: _template_with(
            b, d, "倍增.docx", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                               "{% endfor %}{{ ns.s|length }}"), says=("内存",)),
        C("template-center", "template", lambda d, b: _template_with(b, d, "居中.docx", "{{ 'x'|center(2000000000) }}"),
          says=("宽度",)),
        C("template-ljust", "template", lambda d, b: _template_with(b, d, "补齐.docx", "{{ 'x'.ljust(2000000000) }}"),
          says=("宽度",)),
        C("template-percent-width", "template", lambda d, b: _template_with(
            b, d, "百分号.docx", "{{ '%2000000000s' % 'x' }}"), says=("格式",)),
        C("template-format-width", "template", lambda d, b: _template_with(
            b, d, "格式.docx", "{{ '{:>2000000000}'.format('x') }}"), says=("格式",)),
        C("template-power", "template", lambda d, b: _template_with(b, d, "乘方.docx", "{{ 10 ** 100000000 }}"),
          says=("乘方",)),
        C("template-syntax-error", "template", lambda d, b: _template_with(b, d, "语法.docx", "{% for x in %}"),
          says=("语法错误",)),
        C("template-undefined-variable", "template", lambda d, b: _template_with(b, d, "变量.docx", "{{ 没有 }}"),
          says=("不存在的变量",)),
        *(C(f"template-sandbox-escape-{i}", "template",
            (lambda body: lambda d, b: _template_with(b, d, f"逃逸{abs(hash(body)) % 1000}.docx",
                                                      body.replace("'", "&apos;")))(body),
            says=("模板",)) for i, body in enumerate(ESCAPES)),
        C("template-core-undefined-entity", "template", lambda d, b: _zip_edit(b.template, d / "实体.docx", {
            "docProps/core.xml": lambda x: x.replace(b"</cp:coreProperties>",
                                                     b"<dc:description>&undefined;</dc:description></cp:coreProperties>")}),
          says=("XML",), where="docProps/core.xml"),
        C("template-billion-laughs", "template", lambda d, b: _template_entity(b, d, "laughs.docx", LAUGHS, "l9"),
          says=("XML",), where="word/document.xml"),
        C("template-xxe", "template", lambda d, b: _template_entity(
            b, d, "xxe.docx", '<!ENTITY x SYSTEM "file:///etc/passwd">', "x"), says=("实体",),
          where="word/document.xml"),
        C("template-part-bomb", "template", lambda d, b: _zip_edit(b.template, d / "炸弹.docx", {
            "word/document.xml": lambda x: x + b" " * (12 * 1024 * 1024)}), says=("压缩比",),
          where="word/document.xml"),
        C("template-declared-huge", "template", lambda d, b: _declare_size(
            _copy(b.template, d / "声明.docx"), "word/document.xml", 3 * 1024 ** 3 - 1), says=("上限",),
          where="word/document.xml"),
        C("template-fifo", "template", lambda d, b: _fifo(d, "fifo.docx"), says=("命名管道",)),
        C("template-too-big", "template", lambda d, b: _sparse(d, "大.docx", 200 * 1024 * 1024), says=("文件过大",)),
    ]


def previous_cases() -> list[Case]:
    """``--previous FILE`` given explicitly: an unusable file is an error (exit 2) naming it."""
    C = Case
    return [
        C("previous-etc-passwd", "previous", lambda d, b: Path("/etc/passwd"), says=("无法识别的文件类型",)),
        C("previous-random", "previous", lambda d, b: _raw(d, "prev.xlsx", os.urandom(4000)), says=("损坏",)),
        C("previous-fifo", "previous", lambda d, b: _fifo(d, "prev-fifo.xlsx"), says=("命名管道",)),
        C("previous-huge", "previous", lambda d, b: _sparse(d, "prev-huge.xlsx", 40 * 1024 * 1024), says=("文件过大",)),
        C("previous-other-agency", "previous", lambda d, b: _json(
            d, "prev-other.json", {**_seed(b), "year": _seed(b)["year"] - 1, "agency": "另一个机关",
                                   "format": b.fmt}), rc=GOOD, names_file=False, says=("机关名称",)),
    ]


# ---------------------------------------------------------------- outputs
MOUNTS: list[Path] = []  # small file systems mounted for the output cases (unmounted by the test)


def _mount(d: Path, name: str, options: str) -> Path | None:
    import subprocess
    p = d / name
    p.mkdir()
    if os.geteuid() != 0:
        return None
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(p)], capture_output=True)
    if done.returncode != 0:
        return None
    MOUNTS.append(p)
    return p


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


def _unwritable(d: Path) -> Path:
    """A folder nothing can be written into: read-only file system (root) or no write permission."""
    p = _mount(d, "只读 文件夹", "size=1m,ro")
    if p is None:
        p = d / "只读 文件夹"
        p.chmod(0o555)
    return p / "输出"


def _full(d: Path) -> Path:
    p = _mount(d, "满盘", "size=40k")
    assert p is not None
    return p / "输出"


def _existing_dirs(d: Path) -> Path:
    for suffix in (".xlsx", ".docx"):
        (d / f"输出{suffix}").mkdir()
    return d / "输出"


def _loop_folder(d: Path) -> Path:
    os.symlink("环b", d / "环a")
    os.symlink("环a", d / "环b")
    return d / "环a" / "输出"


def output_cases() -> list[Case]:
    C = Case
    cases = [
        C("output-unwritable-folder", "output", lambda d, b: _unwritable(d), says=("无法写出",),
          per_command={"demo": (2, ())}),
        C("output-is-a-directory", "output", lambda d, b: _existing_dirs(d), says=("文件夹",),
          per_command={"demo": (0, ())}),
        C("output-name-300-characters", "output", lambda d, b: d / ("名" * 300), says=("过长", "名" * 20),
          names_file=False),  # the message shortens a name this long
        C("output-symlink-loop-folder", "output", lambda d, b: _loop_folder(d), says=("文件夹无法使用",),
          per_command={"demo": (2, ())}),
        C("output-missing-folder-is-file", "output", lambda d, b: _raw(d, "是文件", b"x") / "输出",
          says=("文件夹无法使用",), per_command={"demo": (2, ())}),
    ]
    if can_mount():
        cases.append(C("output-disk-full", "output", lambda d, b: _full(d), says=("磁盘空间已满",),
                       per_command={"demo": (2, ("磁盘空间已满",))}))
    return cases



def _docx_bomb(d: Path) -> Path:
    p = d / "炸弹.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b" " * (12 * 1024 * 1024))
    return p


def document_cases() -> list[Case]:
    """Published reports (the importers: check and import take them)."""
    C = Case
    return [
        C("docx-empty", "document", lambda d, b: _raw(d, "空.docx", b""), says=("不是有效的 .docx",)),
        C("docx-random", "document", lambda d, b: _raw(d, "随机.docx", os.urandom(3000)), says=("不是有效的 .docx",)),
        C("docx-bomb-not-xml", "document", lambda d, b: _docx_bomb(d), says=("压缩比",), where="word/document.xml"),
        C("docx-is-workbook", "document", lambda d, b: _copy(b.xlsx, d / "其实是工作簿.docx"), says=("docx",)),
        C("html-empty", "document", lambda d, b: _raw(d, "空.html", b""), says=("网页是空的",)),
        C("html-fifo", "document", lambda d, b: _fifo(d, "管道.html"), says=("命名管道",)),
        C("pdf-empty", "document", lambda d, b: _raw(d, "空.pdf", b""), says=("不是 PDF",)),
        C("pdf-random", "document", lambda d, b: _raw(d, "随机.pdf", os.urandom(3000)), says=("不是 PDF",)),
        C("pdf-symlink-dev-zero", "document", lambda d, b: _symlink(d, "zero.pdf", "/dev/zero"), says=("设备文件",)),
    ]


# ---------------------------------------------------------------- second round: damage, grids, outputs, review
DATA = Path(__file__).parent / "data"
REAL_HTML = DATA / "real" / "shuyang-county-drc-2023.html"   # a real published page (the importer tests use it too)
ZIP_DAMAGE = {  # kind of damage → what the message says
    "crc": "已损坏", "deflate": "已损坏", "encrypted": "加密", "method": "压缩方式", "name": "已损坏", "size": "已损坏",
}


def _zip_damage(src: Path, dst: Path, part: str, kind: str) -> Path:
    """``src`` with one part damaged the way a broken or hostile writer leaves it: a wrong CRC, corrupt
    deflate data, the encrypted flag, an unknown compression method, a local header naming another file,
    a declared size smaller than the data."""
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as z:
        info = z.getinfo(part)
    local = info.header_offset
    assert raw[local:local + 4] == b"PK\x03\x04"
    central = next(i for i in _all(raw, b"PK\x01\x02")
                   if raw[i + 46:i + 46 + struct.unpack_from("<H", raw, i + 28)[0]] == part.encode())
    name_len, extra_len = struct.unpack_from("<HH", raw, local + 26)
    data_at = local + 30 + name_len + extra_len
    if kind == "crc":
        for at in (local + 14, central + 16):
            struct.pack_into("<I", raw, at, struct.unpack_from("<I", raw, at)[0] ^ 0xFFFF)
    elif kind == "deflate":
        raw[data_at:data_at + 8] = b"\xff" * 8
    elif kind == "encrypted":
        for at in (local + 6, central + 8):
            struct.pack_into("<H", raw, at, struct.unpack_from("<H", raw, at)[0] | 0x1)
    elif kind == "method":
        for at in (local + 8, central + 10):
            struct.pack_into("<H", raw, at, 77)
    elif kind == "name":
        raw[local + 30] ^= 0x20  # 「word/…」 → 「Word/…」 in the local header only
    elif kind == "size":
        struct.pack_into("<I", raw, central + 24, 100)
    dst.write_bytes(bytes(raw))
    return dst


def _all(raw: bytes, sig: bytes):
    i = raw.find(sig)
    while i >= 0:
        yield i
        i = raw.find(sig, i + 1)


def _extra_sheets(b: Base, d: Path, name: str, n: int, rows: int = 3300) -> Path:
    """The seed workbook with ``n`` more sheets of about 1 MB of XML each (each part under the ratio
    check, the file a few hundred KB)."""
    row = "<row>" + "<c><v>1</v></c>" * 20 + "</row>"
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats'
             '.org/spreadsheetml/2006/main"><sheetData>' + row * rows + "</sheetData></worksheet>").encode()
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ws_type = f"{rel_ns}/worksheet"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    add = {f"xl/worksheets/extra{i}.xml": sheet for i in range(n)}
    return _zip_edit(b.xlsx, d / name, {
        "xl/workbook.xml": lambda x: x.replace(b"</sheets>", "".join(
            f'<sheet xmlns:r="{rel_ns}" name="附{i}" sheetId="{900 + i}" r:id="rIdE{i}"/>' for i in range(n)).encode()
            + b"</sheets>"),
        "xl/_rels/workbook.xml.rels": lambda x: x.replace(b"</Relationships>", "".join(
            f'<Relationship Id="rIdE{i}" Type="{ws_type}" Target="worksheets/extra{i}.xml"/>' for i in range(n)).encode()
            + b"</Relationships>"),
        "[Content_Types].xml": lambda x: x.replace(b"</Types>", "".join(
            f'<Override PartName="/xl/worksheets/extra{i}.xml" ContentType="{ct}"/>' for i in range(n)).encode()
            + b"</Types>"),
    }, add=add)


def _html_spans(d: Path, name: str, cells: int, rows: int, span: int) -> Path:
    tds = "".join(f'<td rowspan="{span}" colspan="{span}">{i}</td>' for i in range(cells))
    page = (f"<html><head><meta charset='utf-8'></head><body><p>某局2020年度政府信息公开工作年度报告</p>"
            f"<table><tr>{tds}</tr>{'<tr></tr>' * rows}</table></body></html>")
    return _raw(d, name, page.encode())


def _html_charset(d: Path, codec: str) -> Path:
    page = REAL_HTML.read_bytes().replace(b'charset="utf-8"', f'charset="{codec}"'.encode())
    page = page.replace(b"</title>", b"\\x1b[2J</title>", 1)
    return _raw(d, f"编码-{codec}.html", page)


def _docx_table(b: Base, d: Path, name: str, row_xml: str) -> Path:
    """A .docx (the built-in template's package) whose body is one table row ``row_xml``."""
    body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats'
            '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>某局2020年度政府信息公开工作年度报告</w:t></w:r></w:p>'
            f'<w:tbl>{row_xml * 3}</w:tbl></w:body></w:document>')
    return _zip_edit(b.template, d / name, {"word/document.xml": lambda x: body.encode()})


def ruled_pdf(pages: int, rows: int, cols: int) -> bytes:
    """A PDF of ``pages`` pages, each one ruled grid of rows × cols with a one-glyph text object in
    every third cell (the same table running over every page)."""
    w, h = 842.0, 1190.0
    x0, y0, cw, ch = 20.0, 20.0, (w - 40) / cols, (h - 40) / rows
    ops = [f"{x0:.2f} {y0 + r * ch:.2f} m {x0 + cols * cw:.2f} {y0 + r * ch:.2f} l S" for r in range(rows + 1)]
    ops += [f"{x0 + c * cw:.2f} {y0:.2f} m {x0 + c * cw:.2f} {y0 + rows * ch:.2f} l S" for c in range(cols + 1)]
    ops += [f"BT /F1 3 Tf {x0 + c * cw + 1:.2f} {y0 + r * ch + 1:.2f} Td (1) Tj ET"
            for r in range(rows) for c in range(r % 3, cols, 3)]
    content = zlib.compress("\n".join(ops).encode())
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{' '.join(f'{5 + i} 0 R' for i in range(pages))}] /Count {pages} >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            f"<< /Length {len(content)} /Filter /FlateDecode >>"]
    objs += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Contents 4 0 R "
             f"/Resources << /Font << /F1 3 0 R >> >> >>" for _ in range(pages)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\n".encode()
        if n == 4:
            out += b"stream\n" + content + b"\nendstream\n"
        out += b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def second_round_cases() -> list[Case]:
    C = Case
    doc_part = "word/document.xml"
    cases = []
    for kind, says in ZIP_DAMAGE.items():
        cases.append(C(f"docx-zip-{kind}", "document", (lambda k: lambda d, b: _zip_damage(
            b.template, d / f"损坏-{k}.docx", doc_part, k))(kind), says=(says,), where=doc_part))
        cases.append(C(f"template-zip-{kind}", "template", (lambda k: lambda d, b: _zip_damage(
            b.template, d / f"模板损坏-{k}.docx", doc_part, k))(kind), says=(says,), where=doc_part))
    for kind in ("method",):  # (workbooks were refused already; one kind shows they share the reader)
        cases.append(C(f"xlsx-zip-{kind}", "workbook", (lambda k: lambda d, b: _zip_damage(
            b.xlsx, d / f"损坏-{k}.xlsx", "xl/worksheets/sheet3.xml", k))(kind), says=(ZIP_DAMAGE[kind],),
            where="xl/worksheets/sheet3.xml"))
    addin = ("addin-check", "addin-export", "addin-new-year")
    cases += [
        C("xlsx-120-extra-sheets", "workbook", lambda d, b: _extra_sheets(b, d, "附表120.xlsx", 120), says=("合计",)),
        C("xlsx-20-extra-sheets", "workbook", lambda d, b: _extra_sheets(b, d, "附表20.xlsx", 20), rc=GOOD,
          names_file=False, per_command={c: (2, ("整体打开",)) for c in addin}),
        C("html-span-bomb", "document", lambda d, b: _html_spans(d, "合并炸弹.html", 50, 1000, 1000),
          says=("合并单元格",)),
        C("html-span-wide", "document", lambda d, b: _html_spans(d, "合并宽.html", 300, 5, 1000), says=("合并单元格",)),
        C("docx-gridspan-huge", "document", lambda d, b: _docx_table(
            b, d, "gridSpan.docx", '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p/></w:tc></w:tr>'),
          says=("合并单元格",)),
        C("docx-gridbefore-huge", "document", lambda d, b: _docx_table(
            b, d, "gridBefore.docx", '<w:tr><w:trPr><w:gridBefore w:val="1000000000"/></w:trPr>'
                                     '<w:tc><w:p/></w:tc></w:tr>'), says=("合并单元格",)),
        C("txt-wide-row", "document", lambda d, b: _raw(d, "极宽.txt", "\n".join(
            ["某局2020年度政府信息公开工作年度报告"] + ["项目\t数量"] * 1000 + ["\t".join(["1"] * 3000)]).encode()),
          says=("行数×列数",)),
        C("pdf-ruled-grid-stitched", "document", lambda d, b: _raw(d, "网格.pdf", ruled_pdf(2, 240, 200)),
          says=("表格过大",)),
        C("template-lone-surrogate", "template", lambda d, b: _template_with(b, d, "代理.docx", "{{ &apos;\\ud800&apos; }}"),
          rc=0, names_file=False),
    ]
    for codec in ("rot13", "zlib", "undefined", "unicode_escape"):
        cases.append(C(f"html-charset-{codec}", "document", (lambda c: lambda d, b: _html_charset(d, c))(codec),
                       rc=0, names_file=False, says=("沭阳县发展和改革局",)))
    return cases


def _links(d: Path, target: str) -> Path:
    for suffix in (".xlsx", ".docx"):
        os.symlink(target, d / f"输出{suffix}")
    return d / "输出"


def output_round_two() -> list[Case]:
    C = Case
    return [
        C("output-symlink-dev-null", "link-output", lambda d, b: _links(d, "/dev/null"), says=("不是普通文件",)),
        C("output-symlink-dev-full", "link-output", lambda d, b: _links(d, "/dev/full"), says=("不是普通文件",)),
        C("output-dangling-symlink", "link-output", lambda d, b: _links(d, "没有这个文件"), says=("不存在",)),
    ]


# Review: the case's ``build`` returns the folder of units; ``argv`` the command line.
def _units(d: Path, b: Base) -> Path:
    folder = d / "部门"
    folder.mkdir()
    shutil.copyfile(b.xlsx, folder / "01-某局.xlsx")
    shutil.copyfile(b.json, folder / "02-某办.json")
    shutil.copyfile(b.template, folder / "03-说明.docx")
    return folder


def _loop(d: Path, b: Base) -> Path:
    _units(d, b)
    os.symlink("环乙", d / "环甲")
    os.symlink("环甲", d / "环乙")
    return d / "环甲"


def _units_with_link(d: Path, b: Base) -> Path:
    folder = _units(d, b)
    os.symlink("/etc/passwd", folder / "04-链接.json")
    return folder


def _dangling_out(d: Path, b: Base) -> Path:
    folder = _units(d, b)
    os.symlink("不存在的审核结果.xlsx", d / "审核.xlsx")
    return folder


def review_cases() -> list[Case]:
    C = Case
    return [
        C("review-output-is-a-unit", "review", _units, says=("输入文件夹",),
          argv=lambda f, o, b: ["review", f, "-o", f / "01-某局.xlsx", "--force"]),
        C("review-docx-is-a-unit", "review", _units, says=("输入文件夹",),
          argv=lambda f, o, b: ["review", f, "-o", o / "审核.xlsx", "--docx", f / "03-说明.docx", "--force"]),
        C("review-output-is-a-named-input", "review", _units, says=("输入文件",),
          argv=lambda f, o, b: ["review", f / "02-某办.json", f / "01-某局.xlsx", "-o", f / "01-某局.xlsx", "--force"]),
        C("review-symlink-loop-named", "review", _loop, says=("循环",),
          argv=lambda f, o, b: ["review", f, f.parent / "部门", "-o", o / "审核.xlsx"]),
        C("review-dangling-symlink-output", "review", _dangling_out, says=("不存在",),
          argv=lambda f, o, b: ["review", f, "-o", f.parent / "审核.xlsx", "--force"], names_file=False),
        C("review-link-to-etc-passwd", "review", _units_with_link, rc=1, names_file=False,
          says=("04-链接.json",), not_says=("/etc/passwd",), argv=lambda f, o, b: ["review", f, "--json"]),
    ]


def _unit_folder(make: Callable[[Path, Base], Path]) -> Callable[[Path, Base], Path]:
    """A folder of units: one good report and the hostile file ``make`` builds."""
    def build(d: Path, b: Base) -> Path:
        folder = d / "各单位"
        folder.mkdir()
        shutil.copyfile(b.json, folder / "01-某局.json")
        make(folder, b)
        return folder
    return build


def review_unit_cases() -> list[Case]:
    """The second round's hostile files as one unit of a review: a row 无法读取 with the reason (exit 1),
    within the same memory and time bounds."""
    C = Case
    argv = lambda f, o, b: ["review", f, "--json", "--jobs", "1"]  # noqa: E731
    return [
        C("review-unit-html-span-bomb", "review", _unit_folder(
            lambda d, b: _html_spans(d, "合并炸弹.html", 50, 1000, 1000)), rc=1, says=("合并单元格", "合并炸弹.html"),
          names_file=False, argv=argv),
        C("review-unit-docx-gridspan", "review", _unit_folder(lambda d, b: _docx_table(
            b, d, "gridSpan.docx", '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p/></w:tc></w:tr>')),
          rc=1, says=("合并单元格",), names_file=False, argv=argv),
        C("review-unit-docx-zip-crc", "review", _unit_folder(lambda d, b: _zip_damage(
            b.template, d / "损坏.docx", "word/document.xml", "crc")), rc=1, says=("已损坏",), names_file=False, argv=argv),
        C("review-unit-pdf-ruled-grid", "review", _unit_folder(lambda d, b: _raw(d, "网格.pdf", ruled_pdf(2, 240, 200))),
          rc=1, says=("表格过大",), names_file=False, argv=argv),
        C("review-unit-xlsx-120-sheets", "review", _unit_folder(lambda d, b: _extra_sheets(b, d, "附表120.xlsx", 120)),
          rc=1, says=("合计",), names_file=False, argv=argv),
    ]
