"""The layout stays a map: no module grows past what a reader takes in at once, and no folder of
a service fills up with loose modules beside its sub-packages (issue 20's bounds)."""

from __future__ import annotations

from pathlib import Path

from shared.runtime.settings.project import PROJECT_ROOT

MAX_MODULE_LINES = 400
MAX_LOOSE_MODULES = 10  # in a service's (or shared's) top folder, beside its sub-packages
CODE_ROOTS = ("shared", "services", "tools", "tests")


def _modules() -> list[Path]:
    return [
        path
        for root in CODE_ROOTS
        for path in (PROJECT_ROOT / root).rglob("*.py")
        if "migrations" not in path.relative_to(PROJECT_ROOT).parts
    ]


def test_no_module_outside_migrations_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(PROJECT_ROOT)): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these by concern (at most {MAX_MODULE_LINES} lines): {long}"


def test_no_top_folder_holds_more_than_ten_modules() -> None:
    tops = [PROJECT_ROOT / "shared", *(PROJECT_ROOT / "services").iterdir()]
    crowded = {
        str(top.relative_to(PROJECT_ROOT)): count
        for top in tops
        if top.is_dir() and (count := len(list(top.glob("*.py")))) > MAX_LOOSE_MODULES
    }
    assert not crowded, f"group these folders' modules into sub-packages: {crowded}"
