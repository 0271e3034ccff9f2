"""Building the Excel add-in ``nianbao.xlam`` on any platform, without Excel.

The base is the ribbon add-in that ships inside the installed xlwings package
(Excel-authored, BSD licence, with xlwings' own VBA that matches the pinned
Python version).  It is copied at build time, never kept in the repository.
Steps, in this order:

1. copy the base ``.xlam`` into a working folder;
2. with pyopenvba: point xlwings' VBA at our settings name (``PROJECT_NAME``) and
   let it read settings only from the add-in and the user's settings file (never
   from the clerk's workbook or its folder), drop the base's sample ribbon module,
   add every ``macros/*.bas``;
3. last, rewrite the package: our ``customUI/customUI14.xml`` replaces the
   base's ribbon part, linked from ``_rels/.rels``; the VBA project is renamed
   ``nianbao`` and locked for viewing (``lock_project``), so that a clerk never
   lands in the VBA editor.  The ribbon goes last because tools that rewrite the
   package (openpyxl, for one) drop the ribbon relationship.

The result is written to a temporary file and renamed into place.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import InputError

ADDIN_NAME = "nianbao.xlam"
# xlwings reads its settings from %USERPROFILE%\.<PROJECT_NAME>\<PROJECT_NAME>.conf
# and from a sheet named "<PROJECT_NAME>.conf" in the add-in.
PROJECT_NAME = "nianbao"
BASE_FILE = "quickstart_addin_ribbon.xlam"
BASE_RIBBON_MODULE = "RibbonMyAddin"
BASE_PROJECT_NAME = "myaddin"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_FILE = "customUI14.xml"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
UI_REL_TYPES = ("http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
                "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility")
RIBBON_REL_TYPE = UI_REL_TYPES[0]
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DEFAULT_OUTPUT = Path("build") / "addin"
VBA_PART = "xl/vbaProject.bin"
# The VBA project's name (the base's is "MyAddin") and the password that locks it for viewing.  The
# password is no secret -- the source is macros/ -- the lock only keeps a clerk out of the VBA editor
# (a compile or run-time error then never opens the editor at a line of code).
VBA_PROJECT_NAME = "nianbao"
VBA_PROJECT_PASSWORD = "nianbao"
# Excel writes this project ID for a project locked with a password (xlwings' own add-in has it too).
LOCKED_PROJECT_ID = "{00000000-0000-0000-0000-000000000000}"
# Settings layers of xlwings' GetConfig that the clerk's workbook controls: a sheet named
# "nianbao.conf" in the active workbook and a nianbao.conf file in its folder could otherwise
# choose the Python interpreter or the module search path.  The build switches both off.
SETTINGS_LAYERS_OFF = (
    ('If SheetExists(ActiveWorkbook, PROJECT_NAME & ".conf") = True Then',
     "If False Then  ' nianbao: never from the active workbook"),
    ('If source = "" Or source = "directory" Then',
     "If False Then  ' nianbao: never from the workbook's folder"),
)


def macros_dir() -> Path:
    """The folder holding the VBA modules and the ribbon XML.

    An installed package carries them as ``nianbao.macros`` (pyproject maps the
    top-level ``macros/`` folder there); a source checkout or an editable install
    finds them at the top of the repository.  ``NIANBAO_MACROS`` overrides both.
    """
    env = os.environ.get("NIANBAO_MACROS")
    if env:
        return Path(env)
    installed = Path(__file__).resolve().parents[1] / "macros"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "macros"


def xlwings_base() -> Path:
    """The ribbon add-in base inside the installed xlwings package (not imported: it is slow)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise InputError("未安装 xlwings，无法生成加载项。请先运行：pip install xlwings==0.37.8")
    base = Path(spec.origin).parent / BASE_FILE
    if not base.is_file():
        raise InputError(f"已安装的 xlwings 中没有找到加载项模板 {BASE_FILE}，请重新安装 xlwings==0.37.8",
                         path=str(base))
    return base


def read_macros(folder: Path) -> tuple[dict[str, str], str]:
    """The VBA modules (name -> source with CRLF line ends) and the ribbon XML text.

    Refuses a module that is not ASCII (VBA stores code in code page 1252, so
    Chinese text would turn into question marks) or whose ``Attribute VB_Name``
    differs from its file name, and a ribbon that is not customUI14 XML.
    """
    if not folder.is_dir():
        raise InputError("找不到 VBA 源代码文件夹 macros/（安装不完整）。请重新安装 nianbao，"
                         "或用环境变量 NIANBAO_MACROS 指定该文件夹",
                         path=str(folder))
    modules: dict[str, str] = {}
    for bas in sorted(folder.glob("*.bas")):
        raw = bas.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as e:
            line = raw[:e.start].count(b"\n") + 1
            raise InputError(f"VBA 模块只能包含 ASCII 字符（中文请放在功能区 XML 中），第{line}行含有非 ASCII 字符",
                             path=str(bas)) from None
        name = bas.stem
        first = text.splitlines()[0] if text else ""
        if first.strip() != f'Attribute VB_Name = "{name}"':
            raise InputError(f'VBA 模块第一行应为 Attribute VB_Name = "{name}"', path=str(bas))
        modules[name] = "\r\n".join(text.replace("\r\n", "\n").split("\n"))
    if not modules:
        raise InputError("文件夹中没有 VBA 模块（*.bas）", path=str(folder))
    ribbon_path = folder / RIBBON_FILE
    try:
        ribbon = ribbon_path.read_bytes()
    except OSError:
        raise InputError("缺少功能区定义文件", path=str(ribbon_path)) from None
    check_ribbon(ribbon, str(ribbon_path))
    return modules, ribbon.decode("utf-8")


def check_ribbon(data: bytes, where: str) -> ET.Element:
    """Parse the ribbon XML; it must be a customUI element in the 2009/07 namespace."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise InputError(f"功能区 XML 格式错误（{e}）", path=where) from None
    if root.tag != f"{{{CUSTOMUI_NS}}}customUI":
        raise InputError(f"功能区 XML 的根元素应为 {CUSTOMUI_NS} 命名空间中的 customUI", path=where)
    return root


def ribbon_actions(root: ET.Element) -> list[str]:
    """Every ``onAction`` of the ribbon, e.g. ``NianbaoRibbon.NbCheck``."""
    return [el.attrib["onAction"] for el in root.iter() if "onAction" in el.attrib]


def build(output_dir: str | os.PathLike = DEFAULT_OUTPUT, macros: str | os.PathLike | None = None) -> Path:
    """Build ``nianbao.xlam`` into ``output_dir``; returns its path."""
    from pyopenvba import ExcelFile

    modules, ribbon = read_macros(Path(macros) if macros else macros_dir())
    base = xlwings_base()
    out_dir = Path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_NAME
    with tempfile.TemporaryDirectory(prefix="nianbao-addin-", dir=str(out_dir)) as work:
        work_dir = Path(work)
        copy = work_dir / BASE_FILE
        shutil.copyfile(base, copy)
        with_vba = work_dir / "with-vba.xlam"
        with ExcelFile(copy) as book:
            _set_project_name(book)
            project = book.vba_project()
            if BASE_RIBBON_MODULE in project.module_names():
                project.delete_module(BASE_RIBBON_MODULE)
            for name, source in modules.items():
                if name in project.module_names():
                    raise InputError(f"VBA 模块名「{name}」与 xlwings 自带模块重名，请改名", path=str(macros_dir()))
                project.add_module(name, source)
            book.save(with_vba)
        final = work_dir / ADDIN_NAME
        _add_ribbon(with_vba, final, ribbon)
        os.replace(final, target)
    return target


def _set_project_name(book) -> None:
    """Point xlwings' VBA at our settings file and sheet (``nianbao.conf``), read from the add-in and
    the user's settings file only (``SETTINGS_LAYERS_OFF``)."""
    source = book.get_module("xlwings")
    pattern = re.compile(r'(Public Const PROJECT_NAME As String = )"[^"]*"')
    if not pattern.search(source):
        raise InputError("xlwings 加载项模板中找不到 PROJECT_NAME 常量，xlwings 版本可能不匹配（需要 0.37.8）")
    source = pattern.sub(rf'\1"{PROJECT_NAME}"', source, count=1)
    for old, new in SETTINGS_LAYERS_OFF:
        if source.count(old) != 1:
            raise InputError("xlwings 加载项模板中的设置读取代码与预期不同，xlwings 版本可能不匹配（需要 0.37.8）")
        source = source.replace(old, new)
    book.set_module("xlwings", source)


# ---------------------------------------------------------------- naming and locking the VBA project
def ovba_encrypt(project_id: str, data: bytes, seed: int, ignored: bytes | None = None) -> str:
    """[MS-OVBA] 2.4.3.2 Data Encryption of a PROJECT-stream protection record (CMG, DPB, GC).

    ``seed`` decides how many filler bytes follow the header (0-3); their values are free (``ignored``,
    by default the seed repeated)."""
    version = 2
    key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted1, encrypted1, encrypted2 = key, seed ^ key, seed ^ version
    count = (seed & 6) // 2
    ignored = bytes([seed] * count) if ignored is None else ignored
    if len(ignored) != count:
        raise ValueError("wrong number of filler bytes for this seed")
    for byte in (*ignored, *len(data).to_bytes(4, "little"), *data):
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    return out.hex().upper()


def ovba_decrypt(text: str) -> bytes:
    """The data of a protection record ([MS-OVBA] 2.4.3.3), its length checked."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[:3]
    unencrypted1, encrypted1, encrypted2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    plain = plain[(seed & 6) // 2:]
    length = int.from_bytes(plain[:4], "little")
    if length != len(plain) - 4:
        raise ValueError("protection record length mismatch")
    return bytes(plain[4:])


def password_record(password: str) -> bytes:
    """[MS-OVBA] 2.3.1.16 ProjectPassword as a PasswordHash: 0xFF, the null-byte flags, a 4-byte salt and
    SHA-1(password + salt).  The salt is chosen, deterministically, so that neither it nor the hash holds
    a zero byte: every flag is then 1, exactly as in projects Excel locks."""
    n = 0
    while True:
        salt = hashlib.sha1(f"nianbao-vba-salt-{n}".encode("ascii")).digest()[:4]
        digest = hashlib.sha1(password.encode("cp1252") + salt).digest()
        if 0 not in salt and 0 not in digest:
            return b"\xff\xff\xff\xff" + salt + digest + b"\x00"
        n += 1


def lock_project(vba_bin: bytes, name: str = VBA_PROJECT_NAME, password: str = VBA_PROJECT_PASSWORD) -> bytes:
    """The vbaProject.bin with the project renamed (``dir`` PROJECTNAME and the PROJECT stream's Name)
    and locked for viewing with ``password`` (PROJECT stream ID, CMG, DPB and GC as Excel writes them)."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(vba_bin)
    directory = decompress(cfb.get_stream_in_storage("VBA", "dir"), stream_name="dir")
    cfb.write_stream_in_storage("VBA", "dir", compress(_renamed_dir(directory, name)))
    seed = hashlib.sha1(name.encode("ascii")).digest()[0]
    values = {
        "ID": f'"{LOCKED_PROJECT_ID}"',
        "Name": f'"{name}"',
        "CMG": '"' + ovba_encrypt(LOCKED_PROJECT_ID, (4).to_bytes(4, "little"), seed) + '"',  # fVBEProtected
        "DPB": '"' + ovba_encrypt(LOCKED_PROJECT_ID, password_record(password), seed) + '"',
        "GC": '"' + ovba_encrypt(LOCKED_PROJECT_ID, b"\x00", seed) + '"',  # not visible
    }
    lines = cfb.get_stream("PROJECT").decode("cp1252").split("\r\n")
    seen = set()
    for i, line in enumerate(lines):
        if line.startswith("["):
            break
        key = line.partition("=")[0]
        if key in values:
            lines[i] = f"{key}={values[key]}"
            seen.add(key)
    if seen != set(values):
        raise InputError("xlwings 加载项模板的 VBA 工程信息与预期不同，xlwings 版本可能不匹配（需要 0.37.8）")
    cfb.write_stream("PROJECT", "\r\n".join(lines).encode("cp1252"))
    return cfb.to_bytes()


def _renamed_dir(raw: bytes, name: str) -> bytes:
    """The decompressed ``dir`` stream with its PROJECTNAME record ([MS-OVBA] 2.3.4.2.1.6) set to ``name``.
    The records before it (PROJECTSYSKIND, PROJECTCOMPATVERSION, PROJECTLCID, PROJECTLCIDINVOKE,
    PROJECTCODEPAGE) are all Id, Size, Data."""
    pos = 0
    while pos + 6 <= len(raw):
        record = int.from_bytes(raw[pos:pos + 2], "little")
        size = int.from_bytes(raw[pos + 2:pos + 6], "little")
        if record == 0x0004:
            data = name.encode("ascii")
            return raw[:pos + 2] + len(data).to_bytes(4, "little") + data + raw[pos + 6 + size:]
        if record not in (0x0001, 0x004A, 0x0002, 0x0014, 0x0003):
            break
        pos += 6 + size
    raise InputError("xlwings 加载项模板的 VBA 工程目录与预期不同，xlwings 版本可能不匹配（需要 0.37.8）")


def _add_ribbon(src: Path, dest: Path, ribbon: str) -> None:
    """Copy the package, replacing its ribbon part(s) and their relationships with ours."""
    with zipfile.ZipFile(src) as zin:
        rels = ET.fromstring(zin.read("_rels/.rels"))
        old_parts = set()
        for rel in list(rels):
            if rel.get("Type") in UI_REL_TYPES:
                old_parts.add(rel.get("Target", "").lstrip("/"))
                rels.remove(rel)
        ids = {rel.get("Id") for rel in rels}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        ET.register_namespace("", PKG_REL_NS)
        ET.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship",
                      {"Id": f"rId{n}", "Type": RIBBON_REL_TYPE, "Target": RIBBON_PART})
        rels_xml = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + ET.tostring(rels)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                name = info.filename
                if name in old_parts or name == RIBBON_PART:
                    continue
                data = zin.read(name)
                if name == "_rels/.rels":
                    data = rels_xml
                elif name == VBA_PART:
                    data = lock_project(data)
                elif name == "xl/workbook.xml":
                    # The base's (inactive) settings sheet, renamed to match our PROJECT_NAME.
                    data = data.replace(f"_{BASE_PROJECT_NAME}.conf".encode(), f"_{PROJECT_NAME}.conf".encode())
                zout.writestr(info, data)
            # Same timestamp as the base's parts, so a build depends only on its inputs.
            stamp = zipfile.ZipInfo(RIBBON_PART, date_time=zin.getinfo("xl/workbook.xml").date_time)
            stamp.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(stamp, ribbon.encode("utf-8"))
