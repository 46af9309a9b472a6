"""The README's SOP tables are generated from shared.sop: they must match the code."""

from __future__ import annotations

from shared.runtime.settings.project import PROJECT_ROOT
from shared.sop_docs import current_block, render


def test_readme_sop_tables_match_the_sop_data() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert current_block(readme) == render(), "run: .venv/bin/python -m shared.sop_docs"
