"""Bounds on rendering a Word template: the package is checked before it is opened, and the sandboxed
Jinja rendering is limited in time, in the size of what it produces and (where the system allows) in
memory.  A template that exceeds a bound is refused with a Chinese message naming it.

The Jinja sandbox already blocks access to the program's internals; this module adds the limits a
sandbox does not have (``{% for %}`` loops over ``range(100000)`` nested, ``{{ 'x' * 2000000000 }}``).
"""
from __future__ import annotations

import contextlib
import ctypes
import sys
import threading
import zipfile
from typing import Any, Callable

from .. import zipparts
from ..errors import InputError

RENDER_SECONDS = 5                   # rendering every part of a template
MAX_OUTPUT_CHARS = 20 * 1024 * 1024  # all text a template renders (the built-in one renders ~0.3 MB)
MAX_VALUE_CHARS = 1024 * 1024        # one value made inside a template (a repeated string, a padded text)
MEMORY_HEADROOM = 384 * 1024 * 1024  # address space a rendering may add (Linux)
WIDTH_FILTERS = ("center", "indent", "wordwrap", "truncate", "format")
WIDTH_METHODS = ("center", "ljust", "rjust", "zfill", "expandtabs", "format", "join", "replace")


class RenderLimit(Exception):
    """A bound was hit; ``str()`` is the Chinese reason."""


def check_package(raw: bytes, path: str) -> None:
    """The template's zip parts within ``zipparts``' limits, and each XML part well-formed XML read
    without entities or network (a part python-docx would copy into the report unread, such as
    docProps/core.xml, cannot make the report unreadable)."""
    from lxml import etree
    zf = zipparts.check(raw, path, "Word 模板")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        try:
            data = zf.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise InputError("模板文件已损坏，无法读取其中的这一部分", path=path, where=f"部件 {info.filename}") from None
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as e:
            raise InputError(f"模板中的这一部分不是有效的 XML（第{e.lineno}行附近），Word 也无法打开",
                             path=path, where=f"部件 {info.filename}") from None
        if root is None or any(isinstance(n, etree._Entity) for n in root.iter()):
            raise InputError("模板中的这一部分含有未定义的实体引用，Word 无法打开", path=path,
                             where=f"部件 {info.filename}")


def _too_long(n: Any) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n > MAX_VALUE_CHARS


def _sized(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_VALUE_CHARS:
        raise RenderLimit(f"模板中生成的文本或列表过长（超过 {MAX_VALUE_CHARS // 1024 // 1024} M 字符）")
    return value


def environment(**options):
    """A sandboxed Jinja environment with the bounds of this module."""
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedTemplate(SandboxedEnvironment.template_class):  # type: ignore[name-defined]
        def render(self, *args, **kwargs) -> str:
            out, size = [], 0
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise RenderLimit(f"模板渲染出的内容过多（超过 {MAX_OUTPUT_CHARS // 1024 // 1024} M 字符），"
                                      "可能有过大的循环")
                out.append(chunk)
            return "".join(out)

    class BoundedEnvironment(SandboxedEnvironment):
        intercepted_binops = frozenset(("*", "**", "%", "+"))
        template_class = BoundedTemplate

        def call_binop(self, context, operator, left, right):
            if operator == "**" and (_too_long(right) or (isinstance(right, int) and right > 64)):
                raise RenderLimit("模板中的乘方过大")
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_VALUE_CHARS:
                        raise RenderLimit(f"模板中重复生成的文本过长（超过 {MAX_VALUE_CHARS // 1024 // 1024} M 字符）")
            if operator == "%" and isinstance(left, str) and _wide_format(left):
                raise RenderLimit("模板中的格式宽度过大")
            return _sized(super().call_binop(context, operator, left, right))

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
            name = getattr(__obj, "__name__", "")
            if name in WIDTH_METHODS and (any(_too_long(a) for a in args) or
                                          any(isinstance(a, str) and _wide_format(a) for a in args) or
                                          (isinstance(getattr(__obj, "__self__", None), str) and
                                           _wide_format(__obj.__self__))):
                raise RenderLimit("模板中的文本宽度或格式过大")
            return _sized(super().call(__context, __obj, *args, **kwargs))

    env = BoundedEnvironment(**options)
    for name in WIDTH_FILTERS:
        if name in env.filters:
            env.filters[name] = _bounded_filter(env.filters[name])
    return env


def _wide_format(text: str) -> bool:
    """A %-format or str.format spec with a width or precision of seven digits or more."""
    import re
    return re.search(r"[%:][^%:{}\s]{0,4}?\d{7,}", text) is not None


def _bounded_filter(func: Callable) -> Callable:
    def bounded(*args, **kwargs):
        if any(_too_long(a) for a in list(args) + list(kwargs.values())) or \
                any(isinstance(a, str) and _wide_format(a) for a in args[:2]):
            raise RenderLimit("模板中过滤器的宽度或格式过大")
        return _sized(func(*args, **kwargs))
    for attr in ("jinja_pass_arg",):  # keep how Jinja passes the context/environment
        if hasattr(func, attr):
            setattr(bounded, attr, getattr(func, attr))
    bounded.__name__ = getattr(func, "__name__", "filter")
    return bounded


@contextlib.contextmanager
def limits():
    """Bound the time (and, on Linux, the memory) of the rendering done in the ``with`` block; RenderLimit
    when a bound is hit.  The time bound interrupts the rendering thread between two steps of Python."""
    target = threading.get_ident()
    done = threading.Event()
    fired = []

    def watchdog():
        if not done.wait(RENDER_SECONDS):
            fired.append(True)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Timeout))

    timer = threading.Thread(target=watchdog, daemon=True)
    restore = _limit_memory()
    timer.start()
    try:
        yield
    except _Timeout:
        raise RenderLimit(f"模板渲染超过 {RENDER_SECONDS} 秒仍未完成（可能有过大的循环），已停止") from None
    except MemoryError:
        raise RenderLimit("模板渲染所需内存过多（可能有过大的循环或过长的文本），已停止") from None
    finally:
        done.set()
        timer.join()
        restore()
        if fired:  # the exception may still be pending if it fired just as the rendering ended
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


class _Timeout(BaseException):
    """Raised into the rendering thread by the watchdog (a BaseException: no template code catches it)."""


def _limit_memory() -> Callable[[], None]:
    if not sys.platform.startswith("linux"):
        return lambda: None
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[0])
        import os
        used = pages * os.sysconf("SC_PAGE_SIZE")
        want = used + MEMORY_HEADROOM
        if soft != resource.RLIM_INFINITY and soft <= want:
            return lambda: None
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (OSError, ValueError, ImportError):
        return lambda: None

    def restore():
        try:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        except (OSError, ValueError):
            pass
    return restore
