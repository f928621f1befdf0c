"""Imports point one way: api → workflows → recruitment (STYLE.md C2)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "recruitment": {"workflows", "api", "rest_framework", "django_filters", "drf_spectacular",
                    "dramatiq", "dramatiq_crontab", "oauth2_provider"},
    "workflows": {"api", "rest_framework", "django_filters", "drf_spectacular",
                  "oauth2_provider"},
}  # fmt: skip


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_lower_layers(package):
    violations = {
        str(path.relative_to(ROOT)): sorted(imported_top_level_modules(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
    }

    assert {path: bad for path, bad in violations.items() if bad} == {}


def test_nothing_imports_api():
    importers = [
        str(path.relative_to(ROOT))
        for package in FORBIDDEN
        for path in sorted((ROOT / package).rglob("*.py"))
        if "api" in imported_top_level_modules(path)
    ]

    assert importers == []
