"""Meta-tests of the snap-in contract: every hook documented, typed and exercised; imports one-way."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import hooks
import hooks.specs
from core.events import EVENT_NAMES

ROOT = Path(__file__).resolve().parents[2]
SPECS = {
    name: func
    for name, func in inspect.getmembers(hooks.specs, inspect.isfunction)
    if name.startswith("snapdesk_")
}


def test_every_hook_is_classified_as_decision_or_event():
    assert set(SPECS) == set(hooks.DECISION_HOOKS) | set(hooks.EVENT_HOOKS.values())
    assert set(hooks.EVENT_HOOKS) <= set(EVENT_NAMES)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_is_documented_and_typed(name):
    func = SPECS[name]
    doc = inspect.getdoc(func) or ""
    assert "Kind:" in doc, f"{name}: say whether it is a decision or an event"
    signature = inspect.signature(func)
    for parameter in signature.parameters.values():
        assert parameter.annotation is not inspect.Parameter.empty, f"{name}({parameter.name}) has no type"
    assert signature.return_annotation is not inspect.Signature.empty, f"{name} has no return type"
    if name != "snapdesk_routes":
        assert "context" in signature.parameters


def _test_sources() -> dict[Path, str]:
    paths = list((ROOT / "tests").rglob("test_*.py")) + list((ROOT / "snapins").glob("*/tests/test_*.py"))
    return {p: p.read_text(encoding="utf-8") for p in paths if p.resolve() != Path(__file__).resolve()}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_is_exercised_by_a_test(name):
    users = [p for p, text in _test_sources().items() if f"def {name}(" in text or f'"{name}"' in text]
    assert users, f"no test implements or dispatches {name}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_hooks_imports_neither_core_nor_webapp():
    for path in (ROOT / "hooks").rglob("*.py"):
        assert not _imports(path) & {"core", "webapp", "flask"}, path


def test_core_never_imports_webapp():
    for path in (ROOT / "core").rglob("*.py"):
        assert "webapp" not in _imports(path), path


def test_snapins_import_only_the_contract():
    for path in (ROOT / "snapins").glob("*/snapdesk_*/**/*.py"):
        assert not _imports(path) & {"core", "webapp"}, path


def test_context_exposes_the_documented_services():
    fields = set(hooks.Context.__dataclass_fields__)
    assert {"workspace", "config", "contacts", "conversations", "tickets", "articles", "mail", "jobs", "urls", "log", "store"} <= fields
