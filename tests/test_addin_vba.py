"""The add-in's own VBA, as built into nianbao.xlam, run in pyOpenVBA's VBA interpreter.

No Excel here, so the VBA is read back out of the built add-in with olevba and run against a small
stand-in for the few things it touches: ActiveWorkbook, Application (Protected View, the caller, the
Function Wizard), and xlwings' RunPython / XLPy, stubbed as a VBA module that records the call or
raises the run-time error the real one raises.  A run-time error that escaped our procedures would
be Excel's Debug dialog; here it is a VBARuntimeError and fails the test."""
from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from oletools.olevba import VBA_Parser
from pyopenvba.interpreter import NOTHING, HostBridge, Interpreter, VBAObject, member
from pyopenvba.interpreter._runtime import UNRESOLVED

from nianbao.addin import build as addin_build

ROOT = Path(__file__).resolve().parents[1]
TITLE = "政务公开年报"
NO_BOOK = "请先打开年报工作簿，再点「政务公开年报」选项卡的按钮。"


@pytest.fixture(scope="module")
def vba_source(tmp_path_factory) -> dict[str, str]:
    path = addin_build.build(tmp_path_factory.mktemp("vba"))
    parser = VBA_Parser(str(path))
    try:
        return {Path(stream).name: code.replace("\r\n", "\n") for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def callbacks() -> list[str]:
    """Every ribbon button's callback, from the ribbon definition."""
    root = ET.parse(ROOT / "macros" / "customUI14.xml").getroot()
    return [a.partition(".")[2] for a in addin_build.ribbon_actions(root)]


# ---------------------------------------------------------------- stand-ins
class Workbook(VBAObject):
    vba_type_name = "Workbook"


class ProtectedViewWindow(VBAObject):
    vba_type_name = "ProtectedViewWindow"


class Sheet(VBAObject):
    vba_type_name = "Worksheet"

    def __init__(self, book):
        self.book = book

    @member(name="Parent")
    def parent(self):
        return self.book


class Range(VBAObject):
    vba_type_name = "Range"

    def __init__(self, address: str, sheet: Sheet):
        self.address, self.sheet = address, sheet

    @member(name="Value", default=True)
    def value(self):
        return f"values of {self.address}"

    @member(name="Parent")
    def parent(self):
        return self.sheet


class Control(VBAObject):
    vba_type_name = "CommandBarControl"

    def __init__(self, enabled: bool):
        self.enabled = enabled

    @member(name="Enabled")
    def is_enabled(self):
        return self.enabled


class CommandBar(VBAObject):
    vba_type_name = "CommandBar"

    def __init__(self, enabled: bool):
        self.enabled = enabled

    @member(name="Controls")
    def controls(self, index):
        return Control(self.enabled)


class Application(VBAObject):
    vba_type_name = "Application"

    def __init__(self, protected_view, caller, wizard: bool):
        self.protected_view, self.caller, self.wizard = protected_view, caller, wizard

    @member(name="ActiveProtectedViewWindow")
    def active_protected_view_window(self):
        return self.protected_view

    @member(name="Caller")
    def the_caller(self):
        return self.caller

    @member(name="CommandBars")
    def command_bars(self, name):
        return CommandBar(not self.wizard)


class UdfServer(VBAObject):
    """What XLPy returns: the xlwings UDF server's CallUDF."""

    vba_type_name = "Object"

    def __init__(self):
        self.calls = []

    @member(name="CallUDF", kind="method")
    def call_udf(self, module, name, args, book, caller):
        self.calls.append((module, name, list(args.items), book, caller))
        return "2处错误，3处提示"


class Excel(HostBridge):
    def __init__(self, book=NOTHING, protected_view=NOTHING, caller=NOTHING, wizard=False):
        self.objects = {"activeworkbook": book, "application": Application(protected_view, caller, wizard),
                        "udfserver": UdfServer()}

    def global_object(self, name):
        return self.objects.get(name.lower(), UNRESOLVED)

    def has_global_member(self, name):
        return name.lower() in self.objects


# xlwings' entry points as our VBA calls them: RunPython records the command or raises the error the real
# one raises (91 with no workbook inside xlwings, 70 when Defender blocks cmd.exe); XLPy likewise.
XLWINGS_STUB = '''Attribute VB_Name = "xlwings"
Public Commands As String
Public FailWith As Long
Public Function RunPython(PythonCommand As String)
    If FailWith <> 0 Then Err.Raise FailWith, Description:="raised inside xlwings"
    Commands = Commands & PythonCommand & "|"
End Function
Function XLPy() As Object
    If FailWith <> 0 Then Err.Raise FailWith, Description:="Could not activate Python COM server"
    Set XLPy = UdfServer
End Function
Sub SetFailure(ByVal n As Long)
    FailWith = n
End Sub
Function RunCommands() As String
    RunCommands = Commands
End Function
'''


def interpreter(vba_source, host: Excel, fail_with: int = 0) -> Interpreter:
    vba = Interpreter(host)
    vba.add_module(XLWINGS_STUB, name="xlwings")
    for name in ("NianbaoRibbon", "NianbaoUdf"):
        vba.add_module(vba_source[name], name=name)
    vba.initialise()
    vba.run("SetFailure", [fail_with], module="xlwings")
    return vba


def commands(vba) -> list[str]:
    return [c for c in str(vba.run("RunCommands", module="xlwings")).split("|") if c]


# ---------------------------------------------------------------- the ribbon's guard
def test_every_button_with_no_workbook_open_says_so_in_chinese(vba_source):
    for callback in callbacks():
        vba = interpreter(vba_source, Excel())
        vba.run(callback, [NOTHING], module="NianbaoRibbon")
        assert vba.dialogs == [("MsgBox", NO_BOOK, TITLE, 48)], callback
        assert commands(vba) == []  # xlwings never reached (its ActiveWorkbook.FullName: error 91)


def test_every_button_in_protected_view_asks_to_enable_editing(vba_source):
    for callback in callbacks():
        vba = interpreter(vba_source, Excel(protected_view=ProtectedViewWindow()))
        vba.run(callback, [NOTHING], module="NianbaoRibbon")
        [(kind, text, title, _)] = vba.dialogs
        assert title == TITLE and "受保护的视图" in text and "启用编辑" in text, callback
        assert commands(vba) == []


def test_with_a_workbook_each_button_runs_its_python(vba_source):
    expected = {"NbCheck": "check", "NbExport": "export", "NbPublish": "publish", "NbNewYear": "new_year",
                "NbUnlink": "unlink",
                "NbHelp": "show_help"}
    assert sorted(callbacks()) == sorted(expected)
    for callback, function in expected.items():
        vba = interpreter(vba_source, Excel(book=Workbook()))
        vba.run(callback, [NOTHING], module="NianbaoRibbon")
        assert vba.dialogs == []
        assert commands(vba) == [f"import nianbao.addin.xl as m; m.{function}()"]


@pytest.mark.parametrize("number", [91, 53, 1004])
def test_a_run_time_error_inside_xlwings_becomes_a_chinese_message(vba_source, number):
    vba = interpreter(vba_source, Excel(book=Workbook()), fail_with=number)
    vba.run("NbCheck", [NOTHING], module="NianbaoRibbon")  # a VBARuntimeError here = the Debug dialog
    [(kind, text, title, style)] = vba.dialogs
    assert title == TITLE and text.startswith("操作未完成，Excel 宏出现错误：")
    assert f"{number} raised inside xlwings" in text and "常见问题" in text and "nianbao addin run" in text


def test_defender_blocking_cmd_is_named(vba_source):
    vba = interpreter(vba_source, Excel(book=Workbook()), fail_with=70)  # WScript.Run: permission denied
    vba.run("NbExport", [NOTHING], module="NianbaoRibbon")
    [(kind, text, title, style)] = vba.dialogs
    assert "阻止了 Excel 启动 cmd.exe" in text and "nianbao addin run check" in text


# ---------------------------------------------------------------- the worksheet functions
def test_the_functions_hand_the_ranges_themselves_to_python(vba_source):
    book = Workbook()
    sheet = Sheet(book)
    caller = Range("Z1", sheet)
    host = Excel(book=book, caller=caller)
    vba = interpreter(vba_source, host)
    tables = [Range("A1:C17", sheet), Range("A1:J31", sheet)]
    for name in ("NB_STATUS", "NB_FINDINGS"):
        assert vba.run(name, tables, module="NianbaoUdf") == "2处错误，3处提示"
    server = host.objects["udfserver"]
    assert [c[:2] for c in server.calls] == [("nianbao.addin.xl", "NB_STATUS"), ("nianbao.addin.xl", "NB_FINDINGS")]
    for _, _, args, passed_book, passed_caller in server.calls:
        # Nothing in the place of xlwings' "caller", then the Range objects (not their values)
        assert args[0] is NOTHING and args[1:] == tables
        assert passed_book is book and passed_caller is caller


def test_a_function_error_is_text_in_the_cell_never_a_dialog(vba_source):
    book = Workbook()
    vba = interpreter(vba_source, Excel(book=book, caller=Range("Z1", Sheet(book))), fail_with=1000)
    assert vba.run("NB_STATUS", [], module="NianbaoUdf") == "Could not activate Python COM server"
    assert vba.dialogs == []


def test_the_functions_wait_while_the_function_wizard_is_open(vba_source):
    book = Workbook()
    host = Excel(book=book, caller=Range("Z1", Sheet(book)), wizard=True)
    vba = interpreter(vba_source, host)
    vba.run("NB_STATUS", [Range("A1:C17", Sheet(book))], module="NianbaoUdf")
    assert host.objects["udfserver"].calls == []


def test_the_vba_has_no_volatile_call_and_no_direct_runpython_in_callbacks(vba_source):
    ribbon, udf = vba_source["NianbaoRibbon"], vba_source["NianbaoUdf"]
    code = [ln for ln in (ribbon + udf).splitlines() if ln.strip() and not ln.strip().startswith("'")]
    assert not [ln for ln in code if "Application.Volatile" in ln]
    assert [ln.strip() for ln in code if re.match(r"\s*RunPython\b", ln)] == ["RunPython pythonCommand"]
