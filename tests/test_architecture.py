"""The package's structure is what docs/architecture.md draws, and it stays so.

* imports go one way: formats → model → rules → faces → loading/adapters → commands;
* only the xlwings adapter imports xlwings; there is no import cycle;
* no format fact outside ``formats/``: no format id literal and no data-key literal in the code;
* every module is listed in docs/architecture.md.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "addin" / "nianbao"
DOC = ROOT / "docs" / "architecture.md"

# Layers, lowest first: a module may import modules of its own layer or below, never above.
LAYERS = (
    ("errors", "formats", "safetext", "zipparts"),
    ("model", "files", "findings", "source", "carryover", "standard_text", "bound", "examples", "faults", "register"),
    ("rules",),
    ("workbook", "word", "web", "importers", "findings_text", "office", "addin.build"),
    ("loading", "review", "figure", "addin.actions", "addin.file_access", "addin.xl", "addin"),
    ("commands", "cli", "__main__"),
)
ROOT_MODULES = {"nianbao", "nianbao.__init__"}


def modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        out[name] = p
    return out


def layer(module: str) -> int:
    inner = module[len("nianbao."):] if module.startswith("nianbao.") else ""
    best = None
    for i, names in enumerate(LAYERS):
        for n in names:
            if inner == n or inner.startswith(n + "."):
                if best is None or len(n) > best[1]:
                    best = (i, len(n))
    assert best is not None, f"{module} is in no layer of {__file__}"
    return best[0]


def imports(module: str, path: Path) -> set[str]:
    """Every nianbao module (and xlwings) this module imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            for a in node.names:  # "from . import rules" imports the module nianbao.rules
                found.add(f"{target}.{a.name}")
    known = modules()
    out = set()
    for name in found:
        if name.split(".")[0] == "xlwings":
            out.add("xlwings")
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.add(name)
    return out


def graph() -> dict[str, set[str]]:
    return {m: imports(m, p) for m, p in modules().items()}


def test_imports_go_one_way():
    wrong = []
    for module, deps in graph().items():
        if module in ROOT_MODULES:
            continue
        for dep in deps - {"xlwings"} - ROOT_MODULES:
            if layer(dep) > layer(module):
                wrong.append(f"{module} (layer {layer(module)}) imports {dep} (layer {layer(dep)})")
    assert wrong == []


def test_only_the_xlwings_adapter_imports_xlwings():
    users = sorted(m for m, deps in graph().items() if "xlwings" in deps)
    assert users == ["nianbao.addin.xl"]


def test_no_import_cycles():
    g = {m: deps - {"xlwings"} - ROOT_MODULES for m, deps in graph().items()}
    # A package imports its own modules (its __init__ re-exports); those edges are not cycles.
    g = {m: {d for d in deps if not d.startswith(m + ".")} for m, deps in g.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m, path):
        state[m] = 1
        for d in sorted(g.get(m, ())):
            if state.get(d) == 1:
                cycle.extend(path[path.index(d):] + [d] if d in path else [m, d])
                return True
            if state.get(d) is None and visit(d, path + [d]):
                return True
        state[m] = 2
        return False

    for m in sorted(g):
        if state.get(m) is None and visit(m, [m]):
            break
    assert cycle == []


def test_rule_modules_do_not_import_each_other_but_base():
    g = graph()
    for m, deps in g.items():
        if m.startswith("nianbao.rules.") and m != "nianbao.rules.base":
            others = {d for d in deps if d.startswith("nianbao.rules") and d != "nianbao.rules.base"}
            assert others == set(), m


# ---------------------------------------------------------------- format facts live in formats/
def _literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


FORMAT_ID = re.compile(r"^(2019|2021)$")
DATA_KEY = re.compile(r"^(requests|active|appeals)\.")


def test_no_format_facts_outside_formats():
    found = []
    for module, path in modules().items():
        if module == "nianbao.formats" or module.startswith("nianbao.formats."):
            continue
        for line, text in _literals(path):
            if FORMAT_ID.match(text) or DATA_KEY.match(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert found == []


def test_the_literal_check_finds_planted_literals(tmp_path):
    planted = tmp_path / "m.py"
    planted.write_text('"""Doc 2021."""\nA = "2021"\nB = f"requests.{x}.total"\n', encoding="utf-8")
    texts = [t for _, t in _literals(planted)]
    assert any(FORMAT_ID.match(t) for t in texts) and any(DATA_KEY.match(t) for t in texts)
    assert "Doc 2021." not in texts


# ---------------------------------------------------------------- the drawing is complete
def test_architecture_doc_lists_every_module():
    text = DOC.read_text(encoding="utf-8")
    missing = [m for m in modules() if m not in ROOT_MODULES and f"`{m[len('nianbao.'):]}`" not in text]
    assert missing == []


@pytest.mark.parametrize("module", ["nianbao.rules.values", "nianbao.workbook.writer", "nianbao.addin.xl"])
def test_layers_are_known(module):
    assert 0 <= layer(module) < len(LAYERS)
