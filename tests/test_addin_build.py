"""The built add-in (nianbao addin build), read back with olevba and the zip/XML tools."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from oletools.olevba import VBA_Parser

from nianbao.addin import build as addin_build
from nianbao.cli import main
from nianbao.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
MACROS = ROOT / "macros"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def macro_files() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="ascii") for p in sorted(MACROS.glob("*.bas"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("addin")
    assert main(["addin", "build", "-o", str(out)]) == 0
    path = out / "nianbao.xlam"
    assert path.is_file()
    return path


@pytest.fixture(scope="module")
def vba(built) -> dict[str, str]:
    """Module name -> source, as olevba extracts it from the built file."""
    parser = VBA_Parser(str(built))
    try:
        assert parser.detect_vba_macros()
        return {Path(stream).name: _lf(code) for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_macros_folder_has_modules_and_ribbon():
    assert set(macro_files()) >= {"NianbaoRibbon", "NianbaoUdf"}
    assert (MACROS / "customUI14.xml").is_file()


def test_olevba_lists_our_modules_with_their_exact_source(vba):
    for name, text in macro_files().items():
        assert name in vba, f"{name} missing from the built add-in; olevba found {sorted(vba)}"
        assert vba[name].rstrip("\n") == _lf(text).rstrip("\n")


def test_xlwings_base_is_pointed_at_our_settings(vba):
    assert "xlwings" in vba and "Dictionary" in vba
    assert 'Public Const PROJECT_NAME As String = "nianbao"' in vba["xlwings"]
    assert addin_build.BASE_RIBBON_MODULE not in vba  # the sample callback module is gone


def test_the_settings_sheet_carries_our_name(built):
    with zipfile.ZipFile(built) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
    # Inactive (leading underscore) like in xlwings' template; renaming it to nianbao.conf activates it.
    assert 'name="_nianbao.conf"' in book and "myaddin" not in book


def test_every_vba_module_is_ascii():
    modules = sorted(MACROS.glob("*.bas"))
    assert [p.name for p in modules] == ["NianbaoRibbon.bas", "NianbaoUdf.bas"]
    for path in modules:
        path.read_bytes().decode("ascii")  # raises on any non-ASCII byte


def test_a_non_ascii_module_is_refused(tmp_path):
    for p in MACROS.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    bad = tmp_path / "NianbaoRibbon.bas"
    bad.write_text(bad.read_text(encoding="ascii") + "' 校验\n", encoding="utf-8")
    with pytest.raises(InputError, match="ASCII"):
        addin_build.read_macros(tmp_path)


def test_ribbon_part_is_customui14_and_linked_from_package_rels(built):
    with zipfile.ZipFile(built) as z:
        names = z.namelist()
        ribbon = z.read("customUI/customUI14.xml")
        rels = ET.fromstring(z.read("_rels/.rels"))
    assert ribbon == (MACROS / "customUI14.xml").read_bytes()
    root = ET.fromstring(ribbon)
    assert root.tag == f"{{{CUSTOMUI_NS}}}customUI"
    ui = [r for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship") if r.get("Type", "").endswith("/ui/extensibility")]
    assert [(r.get("Type"), r.get("Target").lstrip("/")) for r in ui] == [(UI_REL, "customUI/customUI14.xml")]
    ids = [r.get("Id") for r in rels]
    assert len(ids) == len(set(ids))
    assert "customUI/customUI.xml" not in names  # the base's own ribbon is replaced, not kept


def test_ribbon_has_the_tab_and_the_buttons():
    root = ET.parse(MACROS / "customUI14.xml").getroot()
    ns = {"c": CUSTOMUI_NS}
    tabs = root.findall(".//c:tab", ns)
    assert [t.get("label") for t in tabs] == ["政务公开年报"]
    labels = [b.get("label") for b in root.findall(".//c:button", ns)]
    assert labels == ["校验", "导出Word", "网页和一图读懂", "新建下一年度", "函数转为数值", "使用说明"]
    # every button has a built-in Office icon
    assert all(b.get("imageMso") for b in root.findall(".//c:button", ns))


def test_every_onaction_has_a_public_sub_taking_the_ribbon_control(vba):
    root = ET.parse(MACROS / "customUI14.xml").getroot()
    actions = addin_build.ribbon_actions(root)
    assert len(actions) == 6
    for action in actions:
        module, _, sub = action.partition(".")
        assert module in vba, action
        pattern = rf"^Public Sub {re.escape(sub)}\(control As IRibbonControl\)\s*$"
        assert re.search(pattern, vba[module], re.M | re.I), f"no Public Sub for {action}"


CALLBACK = re.compile(r"^Public Sub (\w+)\(control As IRibbonControl\)\n(.*?)^End Sub", re.M | re.S)


def _code_lines(body: str) -> list[str]:
    return [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("'")]


def _procedure(source: str, name: str) -> list[str]:
    m = re.search(rf"^(?:Private |Public )?(?:Sub|Function) {name}\b.*?\n(.*?)^End (?:Sub|Function)", source, re.M | re.S)
    assert m, f"no procedure {name}"
    return _code_lines(m.group(1))


def test_each_ribbon_callback_is_one_guarded_line(vba):
    """In the built add-in: every callback is one NbRun line, and only NbRun calls RunPython."""
    text = vba["NianbaoRibbon"]
    callbacks = CALLBACK.findall(text)
    assert len(callbacks) == len(addin_build.ribbon_actions(ET.parse(MACROS / "customUI14.xml").getroot()))
    for name, body in callbacks:
        lines = _code_lines(body)
        assert len(lines) == 1 and lines[0].startswith('NbRun "import nianbao.addin.xl as m; m.'), (name, body)
    calls = [ln for module in ("NianbaoRibbon", "NianbaoUdf") for ln in _code_lines(vba[module])
             if re.match(r"RunPython\b", ln)]
    assert calls == ["RunPython pythonCommand"]


def test_the_guard_runs_python_only_with_a_workbook_and_under_an_error_handler(vba):
    """Excel's error 91 came from RunPython reading ActiveWorkbook when there is none (no workbook open,
    or Protected View); the guard checks both first, and traps every run-time error below it."""
    body = _procedure(vba["NianbaoRibbon"], "NbRun")
    run = body.index("RunPython pythonCommand")
    protected = body.index("If NbInProtectedView() Then")
    no_book = body.index("If ActiveWorkbook Is Nothing Then")
    handler = body.index("On Error GoTo failed")
    assert protected < no_book < handler < run
    # Each check says why in a message box and leaves before Python is started.
    assert body[protected + 1:protected + 3] == ["NbSay MSG_PROTECTED_VIEW", "Exit Sub"]
    assert body[no_book + 1:no_book + 3] == ["NbSay MSG_NO_BOOK", "Exit Sub"]
    assert body[run + 1:run + 3] == ["Exit Sub", "failed:"]
    assert "NbSay MSG_BLOCKED" in body[run:]  # Defender's block (error 70) is named
    assert _procedure(vba["NianbaoRibbon"], "NbInProtectedView")[:2] == [
        "On Error Resume Next", "NbInProtectedView = Not (Application.ActiveProtectedViewWindow Is Nothing)"]


def decode_vba_text(escaped: str) -> str:
    """What NbText builds with ChrW from a \\uXXXX-escaped constant."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), escaped)


def test_the_guard_speaks_chinese(vba):
    consts = dict(re.findall(r'^Private Const (MSG_\w+) As String = "([^"]*)"', vba["NianbaoRibbon"], re.M))
    text = {k: decode_vba_text(v) for k, v in consts.items()}
    assert text["MSG_TITLE"] == "政务公开年报"
    assert text["MSG_NO_BOOK"] == "请先打开年报工作簿，再点「政务公开年报」选项卡的按钮。"
    assert "受保护的视图" in text["MSG_PROTECTED_VIEW"] and "启用编辑" in text["MSG_PROTECTED_VIEW"]
    assert "cmd.exe" in text["MSG_BLOCKED"] and "nianbao addin run check" in text["MSG_BLOCKED"]
    assert text["MSG_FAILED"].startswith("操作未完成") and "常见问题" in text["MSG_SEE_DOCS"]
    for v in consts.values():
        assert v.isascii() and not re.search(r"[\u4e00-\u9fff]", v)
        assert not re.search(r"\\u(?![0-9A-F]{4})", v)  # every escape is well formed for NbText


def test_worksheet_functions_are_not_volatile_and_hand_on_the_ranges(vba):
    text = vba["NianbaoUdf"]
    assert "Volatile" not in "\n".join(_code_lines(text))
    for name in ("NB_STATUS", "NB_FINDINGS"):
        assert re.search(rf"^Public Function {name}\(ParamArray tables\(\) As Variant\) As Variant$", text, re.M)
        body = _procedure(text, name)
        assert body.index("On Error GoTo failed") < next(i for i, ln in enumerate(body) if "CallUDF" in ln)
        assert "Set argsArray(1 + k - LBound(tables)) = tables(k)" in body  # a range stays a range
        assert body[-2:] == ["failed:", f"{name} = Err.Description"]  # errors as text in the cell


def test_the_project_is_named_and_locked_for_viewing(built):
    """The VBA project is 「nianbao」 (not the base's MyAddin) and locked for viewing with a password,
    written as Excel writes a locked project (compare xlwings' own add-in, below)."""
    import hashlib

    from pyopenvba.cfb import CFB
    from pyopenvba.vba import decompress
    with zipfile.ZipFile(built) as z:
        cfb = CFB.from_bytes(z.read("xl/vbaProject.bin"))
    lines = cfb.get_stream("PROJECT").decode("cp1252").split("[Host Extender Info]")[0].splitlines()
    kv = dict(line.split("=", 1) for line in lines if "=" in line)
    assert kv["Name"] == '"nianbao"' and kv["ID"] == f'"{addin_build.LOCKED_PROJECT_ID}"'
    assert addin_build.ovba_decrypt(kv["CMG"].strip('"')) == b"\x04\x00\x00\x00"  # protected
    assert addin_build.ovba_decrypt(kv["GC"].strip('"')) == b"\x00"  # not visible
    dpb = addin_build.ovba_decrypt(kv["DPB"].strip('"'))
    assert len(dpb) == 29 and dpb[:4] == b"\xff\xff\xff\xff" and dpb[-1:] == b"\x00"
    salt, digest = dpb[4:8], dpb[8:28]
    assert hashlib.sha1(addin_build.VBA_PROJECT_PASSWORD.encode() + salt).digest() == digest
    directory = decompress(cfb.get_stream_in_storage("VBA", "dir"))
    assert b"\x04\x00\x07\x00\x00\x00nianbao" in directory and b"MyAddin" not in directory
    # pyOpenVBA's own reading of the PROJECT stream agrees: password-protected (the base is not)
    from pyopenvba import ExcelFile
    with ExcelFile(built) as book:
        assert book.vba_project().protection.has_password
    with ExcelFile(addin_build.xlwings_base()) as book:
        assert not book.vba_project().protection.has_password


def test_protection_records_are_written_as_excel_writes_them():
    """xlwings' own add-in was locked by Excel with the password 「xlwings」: its records decode to the
    same layout, its hash is SHA-1(password + salt), and our encryption reproduces Excel's text exactly."""
    import hashlib

    import xlwings
    from pyopenvba.cfb import CFB
    with zipfile.ZipFile(Path(xlwings.__file__).parent / "addin" / "xlwings.xlam") as z:
        cfb = CFB.from_bytes(z.read("xl/vbaProject.bin"))
    text = cfb.get_stream("PROJECT").decode("cp1252").split("[Host Extender Info]")[0]
    kv = {k: v.strip('"') for k, v in (line.split("=", 1) for line in text.splitlines() if "=" in line)}
    assert kv["ID"] == addin_build.LOCKED_PROJECT_ID
    data = {k: addin_build.ovba_decrypt(kv[k]) for k in ("CMG", "DPB", "GC")}
    assert data["CMG"] == b"\x04\x00\x00\x00" and data["GC"] == b"\x00"
    dpb = data["DPB"]
    assert dpb[:4] == b"\xff\xff\xff\xff" and len(dpb) == 29 and dpb[-1:] == b"\x00"
    assert hashlib.sha1(b"xlwings" + dpb[4:8]).digest() == dpb[8:28]
    for k, plain in data.items():
        raw = bytes.fromhex(kv[k])
        seed = raw[0]
        # the filler bytes are free: take Excel's, then every other byte must come out the same
        key = sum(kv["ID"].encode()) & 0xFF
        filler, e1, e2, u1 = bytearray(), raw[2], raw[1], raw[0] ^ raw[2]
        for enc in raw[3:3 + (seed & 6) // 2]:
            b = enc ^ ((e2 + u1) & 0xFF)
            filler.append(b)
            e2, e1, u1 = e1, enc, b
        assert seed ^ raw[2] == key
        assert addin_build.ovba_encrypt(kv["ID"], plain, seed, bytes(filler)) == kv[k]
    # and our own record for the same password has Excel's layout
    ours = addin_build.password_record("xlwings")
    assert len(ours) == 29 and ours[:4] == dpb[:4] and hashlib.sha1(b"xlwings" + ours[4:8]).digest() == ours[8:28]


def test_settings_come_only_from_the_addin_and_the_user_file(vba):
    """A sheet 「nianbao.conf」 in a clerk's workbook, or a nianbao.conf file beside it, could choose the
    interpreter xlwings starts; both layers of xlwings' GetConfig are switched off in the build."""
    source = vba["xlwings"]
    body = source[source.index("Function GetConfig(configKey As String"):]
    body = body[:body.index("End Function")]
    assert 'SheetExists(ActiveWorkbook, PROJECT_NAME & ".conf")' not in body
    assert 'source = "directory"' not in body
    assert body.count("If False Then  ' nianbao:") == 2
    assert 'If source = "" Or source = "user" Then' in body  # %USERPROFILE%\.nianbao\nianbao.conf
    assert "If SheetExists(ThisWorkbook, PROJECT_NAME" in body  # the add-in's own sheet


# ---------------------------------------------------------------- the Python named in the VBA
def runpython_calls() -> list[tuple[str, str, int]]:
    """(module, function, number of arguments) for every Python command the ribbon runs (NbRun "...")."""
    calls = []
    for text in macro_files().values():
        for command in re.findall(r'^\s*NbRun\s+"([^"]*)"', text, re.M):
            assert command.isascii()
            tree = ast.parse(command)
            aliases = {}
            for node in tree.body:
                if isinstance(node, ast.Import):
                    for a in node.names:
                        aliases[a.asname or a.name] = a.name
                else:
                    call = node.value
                    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute), command
                    calls.append((aliases[call.func.value.id], call.func.attr, len(call.args)))
    return calls


def udf_calls() -> list[tuple[str, str]]:
    """(module, function) for every XLPy.CallUDF in macros/."""
    out = []
    for text in macro_files().values():
        out += re.findall(r'CallUDF\("([^"]+)",\s*"([^"]+)",\s*argsArray', text)
    return out


def test_vba_names_the_expected_entries():
    assert sorted(runpython_calls()) == sorted([("nianbao.addin.xl", n, 0)
                                                for n in ("check", "export", "publish", "new_year", "unlink", "show_help")])
    assert sorted(udf_calls()) == [("nianbao.addin.xl", "NB_FINDINGS"), ("nianbao.addin.xl", "NB_STATUS")]


# Imports every module named in the VBA with xlwings and its Windows parts blocked,
# checks each entry accepts the call as written, and reports what got imported.
PROBE = r"""
import inspect, json, sys
for name in ("xlwings", "win32com", "win32api", "pywintypes", "pythoncom"):
    sys.modules[name] = None  # any import of these now raises ImportError
calls = json.loads(sys.argv[1])
import importlib
problems = []
for module, func, nargs in calls:
    mod = importlib.import_module(module)
    f = mod.__dict__.get(func)
    if not callable(f):
        problems.append(f"{module}.{func} missing")
        continue
    try:
        inspect.signature(f).bind(*([None] * nargs))
    except TypeError as e:
        problems.append(f"{module}.{func}: {e}")
heavy = sorted(m for m in ("openpyxl", "docxtpl", "docx", "lxml", "pyopenvba") if m in sys.modules)
print(json.dumps({"problems": problems, "heavy": heavy}))
"""


def test_runpython_entries_exist_import_without_xlwings_and_accept_the_call():
    calls = runpython_calls()
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(calls)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result == {"problems": [], "heavy": []}


# xlwings' real decorators (its Windows-only module, with pywin32 stubbed out), applied to our worksheet
# functions as the UDF server applies them, and the VBA wrapper xlwings itself would generate.
UDF_PROBE = r"""
import io, json, sys, types
for name in ("pythoncom", "pywintypes"):
    m = types.ModuleType(name); m.CoInitialize = lambda: None; sys.modules[name] = m
client = types.ModuleType("win32com.client"); client.Dispatch = lambda *a: None
sys.modules["win32com"] = types.ModuleType("win32com"); sys.modules["win32com.client"] = client
import xlwings as xw
from xlwings import udfs
xw.func, xw.arg = udfs.xlfunc, udfs.xlarg
import nianbao.addin.xl as xl
out = {}
for name in sys.argv[1:]:
    info = getattr(xl, name).__xlfunc__
    buf = io.StringIO()
    udfs.generate_vba_wrapper("nianbao.addin.xl", types.SimpleNamespace(**{name: getattr(xl, name)}), buf,
                              types.SimpleNamespace(Name="nianbao.xlam"))
    out[name] = {"volatile": info["volatile"], "vba": buf.getvalue(),
                 "args": [(a["name"], a["vararg"], a["options"].get("convert").__name__
                           if a["options"].get("convert") else None) for a in info["args"]]}
print(json.dumps(out))
"""


def test_udf_entries_are_what_xlwings_expects():
    names = [func for _, func in udf_calls()]
    proc = subprocess.run([sys.executable, "-c", UDF_PROBE, *names], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    for name in names:
        # caller: xlwings' reserved name, filled in for the Nothing the VBA passes; then the ranges, as Ranges
        assert info[name]["args"] == [["caller", False, None], ["tables", True, "Range"]]
        assert info[name]["volatile"] is False
        generated = info[name]["vba"]
        assert f"Function {name}(ParamArray tables())" in generated and "Volatile" not in generated
        assert f'XLPy.CallUDF("nianbao.addin.xl", "{name}", argsArray' in generated
        # ours builds the same argument array, keeping ranges as ranges
        ours = macro_files()["NianbaoUdf"]
        assert "argsArray = Array(Nothing)" in generated and "argsArray = Array(Nothing)" in ours


def test_importing_the_entry_module_imports_nothing_heavy():
    code = ("import sys, nianbao.addin.xl; print(sorted(m for m in ('xlwings', 'openpyxl', 'docxtpl', 'docx', 'lxml') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
