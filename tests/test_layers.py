"""The package reads as the pipeline: imports run one way, present → analysis → graph → extract → core."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kg"
# Lower number = lower layer; a module may import only its own layer or lower ones.
LAYERS = {"core": 0, "extract": 1, "graph": 2, "analysis": 3, "present": 4, "cli": 5}


def layer_of(module: str) -> int:
    """Layer of a dotted module name inside ``kg`` (``kg.extract.read`` → 1, ``kg.model`` → 0)."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return LAYERS[parts[1]]
    if module in ("kg", "kg.cli", "kg.__main__"):  # the package facade and the CLI sit on top
        return LAYERS["cli"]
    return LAYERS["core"]


def imported_modules(path: Path) -> list[str]:
    """Every ``kg`` module a file imports, at any depth (lazy imports inside functions count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("kg"):
            packages = ("kg", "kg.extract", "kg.graph", "kg.analysis", "kg.present")
            if node.module in packages:  # `from kg import paths` imports the module kg.paths
                found += [f"{node.module}.{a.name}" for a in node.names]
            else:
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("kg")]
    return found


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    own = layer_of(module_name(path))
    higher = [m for m in imported_modules(path) if layer_of(m) > own]
    assert not higher, f"{module_name(path)} (layer {own}) imports higher layers: {higher}"


def test_the_layer_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from kg.present.reports import make_report\n", encoding="utf-8")
    assert layer_of(imported_modules(bad)[0]) > layer_of("kg.extract.read")


def test_every_stage_is_a_subpackage() -> None:
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} >= {"extract", "graph", "analysis", "present"}
