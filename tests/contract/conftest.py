"""The contract tests' collection: one id per API operation."""

from __future__ import annotations

import pytest
from schemathesis.pytest.plugin import SchemathesisFunction


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # schemathesis makes one test per API operation and names each "...[POST /path]", but on
    # pytest 9.2 it cannot give them ids of their own: all of a function's operations share its
    # id. pytest-xdist schedules tests by id, so `make test` ran 3 of the 73 operations and
    # counted them as 3 tests, silently. Each gets the id its name says (a private attribute:
    # pytest 9.2 keeps the id there, and the public constructor is what schemathesis bypassed).
    for item in items:
        if isinstance(item, SchemathesisFunction) and item.parent is not None:
            item._id = item.parent.id.child(item.name)
