"""The README is a map a newcomer reads in five minutes, and the map must match the land: every
package it tours exists and every package is toured, every page it links exists. The SOP tables
of docs/WORKFLOW.md are generated from shared.sop and must match the code."""

from __future__ import annotations

import re
from pathlib import Path

from shared.runtime.settings.project import PROJECT_ROOT
from tools.sop_docs import PAGE, current_block, render

README = (PROJECT_ROOT / "README.md").read_text()


def test_the_workflow_page_sop_tables_match_the_sop_data() -> None:
    assert current_block(PAGE.read_text()) == render(), "run: .venv/bin/python -m tools.sop_docs"


def test_the_readme_is_short() -> None:
    assert len(README.splitlines()) < 200, "move the detail to a page under docs/"


def test_every_page_the_readme_and_the_docs_link_exists() -> None:
    pages = {PROJECT_ROOT / "README.md": README}
    pages |= {path: path.read_text() for path in (PROJECT_ROOT / "docs").glob("*.md")}
    for page, text in pages.items():
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (page.parent / target).exists(), f"{page.name} links {target}, which is missing"


def _toured() -> set[str]:
    tour = README.split("## A tour of the code", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([\w/.*]+)` \|", tour, flags=re.MULTILINE))


def _sub_packages() -> set[str]:
    """Every package below a service or shared (the top of a service is one row)."""
    found = set()
    for init in PROJECT_ROOT.glob("*/**/__init__.py"):
        folder = init.parent.relative_to(PROJECT_ROOT)
        if folder.parts[0] in {"shared", "services"} and len(folder.parts) == 2 + (
            folder.parts[0] == "services"
        ):
            found.add(f"{folder.as_posix()}/")
    return found


def test_the_tour_names_every_package_and_only_packages_that_exist() -> None:
    toured = _toured()
    missing = _sub_packages() - toured
    assert not missing, f"packages the README's tour does not name: {sorted(missing)}"
    for entry in toured:
        matches = list(PROJECT_ROOT.glob(entry.rstrip("/")))
        assert matches, f"the README's tour names {entry}, which does not exist"
        assert all(isinstance(m, Path) and m.exists() for m in matches)


def test_every_path_a_page_names_exists() -> None:
    """A file or folder of the project named in `code` on any page (``shared/sop.py``,
    ``services/*/``) is there: a move that forgets a page fails here."""
    pages = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
    pattern = r"`((?:shared|services|tools|tests|deploy|docs)/[\w./*-]*)`"
    missing = [
        f"{page.name}: {path}"
        for page in pages
        for path in re.findall(pattern, page.read_text())
        if not list(PROJECT_ROOT.glob(path.rstrip("/")))
    ]
    assert not missing, f"pages name paths that do not exist: {missing}"
