"""The extension's shape, checked from its source: dependencies point one way.

Read with `ast` (no import runs): every `import` counts, including those inside
functions, so a cycle cannot hide behind a late import.

    core/               shared pieces every feature may use; imports no feature
    <feature>/          one package per feature, wired by its own wiring.py
    <feature>/__init__  PUBLIC: the modules other features may import
"""
from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = "ckanext.opendata_vn"
ROOT = Path(__file__).resolve().parents[2] / "ckanext-opendata-vn" / "ckanext" / "opendata_vn"
FEATURES = ("catalog", "workflow", "compliance", "harvest", "loader", "privacy", "dcat",
            "feedback", "portal", "province", "resilience", "security")
SHARED = "core"


def _modules() -> dict[str, Path]:
    mods = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        if rel.parts[0] == "migration":
            continue
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        mods[".".join((PACKAGE, *parts))] = path
    return mods


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up) + (f".{base}" if base else "")
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        found.update(n for n in names if n in MODULES and n != module)
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 3 or (len(parts) == 3 and parts[2] in (*FEATURES, SHARED)) else None


def _short(module: str) -> str:
    return module[len(PACKAGE) + 1:]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _public(feature: str) -> tuple[str, ...]:
    init = ROOT / feature / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PUBLIC" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    return ()


def test_the_reader_sees_every_import():
    # guards the checks below: a parser that found nothing would pass them all
    assert len(MODULES) > 100
    plugin = GRAPH[f"{PACKAGE}.plugin"]
    assert {f"{PACKAGE}.{f}.wiring" for f in FEATURES} <= plugin
    late = GRAPH[f"{PACKAGE}.catalog.cli"]   # its imports sit inside the commands
    assert f"{PACKAGE}.catalog.appendix" in late


def test_no_module_import_cycles():
    cycles = [[_short(m) for m in c] for c in _cycles(GRAPH)]
    assert cycles == []


def test_features_depend_on_each_other_one_way():
    features = defaultdict(set)
    for module, targets in GRAPH.items():
        src = _area(module)
        for target in targets:
            dst = _area(target)
            if src in FEATURES and dst in FEATURES and src != dst:
                features[src].add(dst)
    assert _cycles(features) == []


def test_core_imports_no_feature():
    wrong = sorted(f"{_short(m)} → {_short(t)}" for m, ts in GRAPH.items() if _area(m) == SHARED
                   for t in ts if _area(t) != SHARED)
    assert wrong == []


def test_features_import_only_each_others_public_modules():
    public = {f: {f"{PACKAGE}.{f}.{name}" for name in _public(f)} for f in FEATURES}
    wrong = sorted(f"{_short(m)} → {_short(t)}" for m, ts in GRAPH.items() for t in ts
                   if _area(m) in FEATURES and _area(t) in FEATURES and _area(m) != _area(t)
                   and t not in public[_area(t)])
    assert wrong == []


def test_public_lists_name_real_modules():
    for feature in FEATURES:
        for name in _public(feature):
            assert f"{PACKAGE}.{feature}.{name}" in MODULES, f"{feature}.PUBLIC names {name}"
        assert "wiring" not in _public(feature), "wiring is the plugin's, not another feature's"


@pytest.mark.parametrize("feature", FEATURES)
def test_every_feature_is_wired_the_same_way(feature):
    assert (ROOT / feature / "wiring.py").exists()
    source = (ROOT / "plugin.py").read_text(encoding="utf-8")
    listed = re.search(r"^FEATURES = \(([^)]*)\)", source, re.M).group(1)
    assert feature in re.findall(r"\w+", listed)
    # registrations are explicit dicts, never built from globals()
    for path in (ROOT / feature).glob("*.py"):
        assert "globals()" not in path.read_text(encoding="utf-8"), path.name


def test_only_the_plugin_imports_wiring():
    wrong = sorted(f"{_short(m)} → {_short(t)}" for m, ts in GRAPH.items() for t in ts
                   if t.endswith(".wiring") and m != f"{PACKAGE}.plugin")
    assert wrong == []
