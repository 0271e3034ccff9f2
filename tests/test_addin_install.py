"""nianbao addin install: the startup-folder copy and the xlwings settings file (ANSI code page)."""
from __future__ import annotations

import sys
import zipfile

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
    assert conf.read_bytes().decode("gbk") == f'"INTERPRETER_WIN","{expected}"\r\n'
    assert "已安装加载项" in capsys.readouterr().out


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
