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


def test_ribbon_has_the_tab_and_the_five_buttons():
    root = ET.parse(MACROS / "customUI14.xml").getroot()
    ns = {"c": CUSTOMUI_NS}
    tabs = root.findall(".//c:tab", ns)
    assert [t.get("label") for t in tabs] == ["政务公开年报"]
    labels = [b.get("label") for b in root.findall(".//c:button", ns)]
    assert labels == ["校验", "导出Word", "网页和一图读懂", "新建下一年度", "使用说明"]


def test_every_onaction_has_a_public_sub_taking_the_ribbon_control(vba):
    root = ET.parse(MACROS / "customUI14.xml").getroot()
    actions = addin_build.ribbon_actions(root)
    assert len(actions) == 5
    for action in actions:
        module, _, sub = action.partition(".")
        assert module in vba, action
        pattern = rf"^Public Sub {re.escape(sub)}\(control As IRibbonControl\)\s*$"
        assert re.search(pattern, vba[module], re.M | re.I), f"no Public Sub for {action}"


def test_each_ribbon_callback_is_one_runpython_line():
    text = macro_files()["NianbaoRibbon"]
    for body in re.findall(r"^Public Sub \w+\(control As IRibbonControl\)\n(.*?)^End Sub", text, re.M | re.S):
        lines = [ln for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("'")]
        assert len(lines) == 1 and lines[0].strip().startswith('RunPython "'), body


# ---------------------------------------------------------------- the Python named in the VBA
def runpython_calls() -> list[tuple[str, str, int]]:
    """(module, function, number of arguments) for every RunPython string in macros/."""
    calls = []
    for text in macro_files().values():
        for command in re.findall(r'RunPython\s+"([^"]*)"', text):
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


def udf_calls() -> list[tuple[str, str, int]]:
    """(module, function, number of arguments) for every XLPy.CallUDF in macros/."""
    out = []
    for text in macro_files().values():
        for module, func, args in re.findall(r'CallUDF\("([^"]+)",\s*"([^"]+)",\s*Array\(([^)]*)\)', text):
            out.append((module, func, len([a for a in args.split(",") if a.strip()])))
    return out


def test_vba_names_the_expected_entries():
    assert sorted(runpython_calls()) == sorted([("nianbao.addin.xl", n, 0)
                                                for n in ("check", "export", "publish", "new_year", "show_help")])
    assert sorted(udf_calls()) == [("nianbao.addin.xl", "NB_FINDINGS", 1), ("nianbao.addin.xl", "NB_STATUS", 1)]


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


def test_udf_entries_resolve_to_xlwings_functions_taking_the_caller():
    import inspect

    import nianbao.addin.xl as xl
    for module, func, nargs in udf_calls():
        assert module == "nianbao.addin.xl"
        f = getattr(xl, func)  # decorated on first access (imports xlwings, which works on Linux)
        params = list(inspect.signature(f).parameters)
        assert params == ["caller"]  # xlwings' reserved name: the VBA passes Nothing in its place
        assert len(params) == nargs


def test_importing_the_entry_module_imports_nothing_heavy():
    code = ("import sys, nianbao.addin.xl; print(sorted(m for m in ('xlwings', 'openpyxl', 'docxtpl', 'docx', 'lxml') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
