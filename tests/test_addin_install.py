"""nianbao addin install: the startup-folder copy and the xlwings settings file (ANSI code page)."""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from nianbao.cli import main
from nianbao.commands import addin as cmd
from nianbao.errors import InputError


def test_settings_are_written_as_vba_write_statements_keeping_other_keys():
    existing = '"PYTHONPATH","D:\\lib"\r\n"INTERPRETER_WIN","C:\\old\\python.exe"\r\n'
    text = cmd.conf_text({"INTERPRETER_WIN": "C:\\Python311\\python.exe"}, existing)
    assert text == '"PYTHONPATH","D:\\lib"\r\n"INTERPRETER_WIN","C:\\Python311\\python.exe"\r\n'


def test_settings_file_uses_the_ansi_code_page(tmp_path):
    conf = tmp_path / ".nianbao" / "nianbao.conf"
    exe = "C:\\Users\\张三\\Python311\\python.exe"
    cmd.write_conf(conf, {"INTERPRETER_WIN": exe}, "gbk")
    raw = conf.read_bytes()
    assert raw == f'"INTERPRETER_WIN","{exe}"\r\n'.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # VBA's Input # would misread UTF-8


def test_a_path_the_code_page_cannot_hold_is_refused_in_chinese(tmp_path):
    conf = tmp_path / "nianbao.conf"
    with pytest.raises(InputError, match="代码页"):
        cmd.write_conf(conf, {"INTERPRETER_WIN": "C:\\Users\\\U00020000\\python.exe"}, "gbk")
    assert not conf.exists()


def test_install_elsewhere_explains_what_to_do(capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["addin", "install"]) == 0
    out = capsys.readouterr().out
    assert "Windows" in out and "nianbao addin install" in out and "nianbao addin run check" in out


def test_install_on_windows_copies_to_xlstart_and_points_at_this_python(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "用户"))
    monkeypatch.setattr(cmd, "ansi_encoding", lambda: "gbk")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "Python311" / "pythonw.exe"))
    assert main(["addin", "install"]) == 0
    xlam = tmp_path / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "nianbao.xlam"
    with zipfile.ZipFile(xlam) as z:
        assert "customUI/customUI14.xml" in z.namelist()
    conf = tmp_path / "用户" / ".nianbao" / "nianbao.conf"
    expected = str(tmp_path / "Python311" / "python.exe")  # python.exe, not pythonw.exe
    lines = conf.read_bytes().decode("gbk").split("\r\n")
    assert lines[0] == f'"INTERPRETER_WIN","{expected}"'
    assert lines[1] == '"ADD_WORKBOOK_TO_PYTHONPATH","False"'
    assert lines[2] == f'"PYTHONPATH","{";".join(cmd.module_folders())}"' and lines[3:] == [""]
    out = capsys.readouterr().out
    assert "已安装加载项" in out
    # no xlwings DLL beside that python.exe: the install says what to do, and that the buttons work
    assert "找不到 xlwings 的 xlwings64-" in out and "按钮" in out and "照常可用" in out


def test_install_from_a_given_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    monkeypatch.setattr(cmd, "ansi_encoding", lambda: "gbk")
    src = tmp_path / "given.xlam"
    src.write_bytes(b"PK-not-checked")
    assert main(["addin", "install", "--file", str(src)]) == 0
    assert (tmp_path / "roaming" / "Microsoft" / "Excel" / "XLSTART" / "nianbao.xlam").read_bytes() == b"PK-not-checked"
    assert main(["addin", "install", "--file", str(tmp_path / "missing.xlam")]) == 2


def test_build_without_macros_folder_is_a_chinese_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NIANBAO_MACROS", str(tmp_path / "nowhere"))
    assert main(["addin", "build", "-o", str(tmp_path / "out")]) == 2
    assert "macros" in capsys.readouterr().err
    assert not (tmp_path / "out" / "nianbao.xlam").exists()


def test_build_output_is_reproducible(tmp_path):
    from nianbao.addin.build import build
    a = build(tmp_path / "a").read_bytes()
    b = build(tmp_path / "b").read_bytes()
    assert a == b
    assert not [p for p in (tmp_path / "a").iterdir() if p.name != "nianbao.xlam"]  # no working files left


# ---------------------------------------------------------------- the settings the add-in's Python starts with
def test_install_settings_keep_the_users_pythonpath_after_ours():
    existing = '"PYTHONPATH","D:\\mylib;D:\\other"\r\n"SHOW CONSOLE","True"\r\n'
    settings = cmd.install_settings(existing)
    ours = cmd.module_folders()
    assert settings["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"
    assert settings["PYTHONPATH"].split(";") == ours + ["D:\\mylib", "D:\\other"]
    text = cmd.conf_text(settings, existing)
    assert '"SHOW CONSOLE","True"' in text and text.count('"PYTHONPATH"') == 1


def _vba_settings(conf_text: str) -> dict[str, str]:
    """The settings file as xlwings' VBA reads it (``Input #`` of "KEY","VALUE" lines)."""
    out = {}
    for line in conf_text.splitlines():
        key, _, value = line.partition(",")
        out[key.strip('"').upper()] = value.strip('"')
    return out


# What xlwings' RunPython / UDF server runs first: xlwings.utils.prepare_sys_path with the string its VBA
# builds from the settings (add-workbook flag; workbook; add-in; three OneDrive/SharePoint settings;
# PYTHONPATH), in a Python started in the clerk's folder; then the add-in's import.
SYS_PATH_PROBE = r"""
import sys
import xlwings.utils
xlwings.utils.prepare_sys_path(sys.argv[1])
import nianbao
print(nianbao.__file__)
"""


@pytest.mark.parametrize("installed", [True, False])
def test_a_stray_module_beside_the_workbook_does_not_shadow_the_addin(tmp_path, installed):
    import os
    import subprocess
    folder = tmp_path / "年报"
    folder.mkdir()
    (folder / "nianbao.py").write_text("raise SystemExit('stray module imported')\n", encoding="utf-8")
    book = folder / "2024年报.xlsx"
    settings = _vba_settings(cmd.conf_text(cmd.install_settings())) if installed else {}
    args = ";".join([settings.get("ADD_WORKBOOK_TO_PYTHONPATH", "true"), str(book), "C:\\XLSTART\\nianbao.xlam",
                     "", "", "", settings.get("PYTHONPATH", "")])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", SYS_PATH_PROBE, args], cwd=folder, capture_output=True,
                          text=True, env=env)
    if installed:
        assert proc.returncode == 0, proc.stderr
        assert Path(proc.stdout.strip()).parent.name == "nianbao"  # the package, not the stray file
    else:  # xlwings' defaults: the stray file wins (what the settings prevent)
        assert "stray module imported" in proc.stderr


# ---------------------------------------------------------------- the worksheet functions' DLL
def _python(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "python.exe"
    exe.write_bytes(b"")
    return exe


def test_the_dll_beside_python_or_one_folder_up_is_found(tmp_path):
    dll = cmd.dll_names()[0]
    exe = _python(tmp_path / "Python311")
    (tmp_path / "Python311" / dll).write_bytes(b"MZ")
    assert cmd.dll_check(exe, installed=[]) == []
    venv_exe = _python(tmp_path / "env" / "Scripts")  # a virtualenv: the DLL sits in its root
    (tmp_path / "env" / cmd.dll_names()[1]).write_bytes(b"MZ")
    assert cmd.dll_check(venv_exe, installed=[]) == []


def test_a_dll_installed_elsewhere_is_named_with_what_to_do(tmp_path):
    exe = _python(tmp_path / "Program Files" / "Python311")
    user_base = tmp_path / "AppData" / "Roaming" / "Python"  # pip install --user
    user_base.mkdir(parents=True)
    found = user_base / cmd.dll_names()[0]
    found.write_bytes(b"MZ")
    lines = cmd.dll_check(exe, installed=[found])
    text = "\n".join(lines)
    assert "NB_STATUS" in text and str(exe.parent) in text and str(exe.parent.parent) in text
    assert f"它被安装在了 {user_base}" in text and f"复制到 {exe.parent}" in text
    assert lines[-1] == "功能区的按钮（校验、导出Word、新建下一年度）不需要这个文件，照常可用。"


def test_store_python_is_named(tmp_path):
    exe = _python(tmp_path / "AppData" / "Local" / "Microsoft" / "WindowsApps"
                  / "PythonSoftwareFoundation.Python.3.11_qbz5n2kfra8p0")
    (exe.parent / cmd.dll_names()[0]).write_bytes(b"MZ")
    assert cmd.dll_check(exe, installed=[]) == [cmd.STORE_PYTHON]
    assert "Microsoft Store" in cmd.STORE_PYTHON and "按钮照常可用" in cmd.STORE_PYTHON
