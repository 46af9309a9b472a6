"""The licensing services as a form's select offers them: grouped under the groups' labels
(``<optgroup>``), in the groups' order, each service by name. Both the portal's filing form and
the console's forms draw it from their own service's copy of the catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from shared.licensing_services import GROUP_LABELS, ServiceGroup

Choices = list[tuple[str, list[tuple[str, str]]]]


class Entry(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def group(self) -> str: ...


def grouped_choices(entries: Iterable[Entry]) -> Choices:
    """``[(group label, [(code, name), ...]), ...]``: the groups that hold any of ``entries``,
    their services by name."""
    listed = sorted(entries, key=lambda e: e.name.lower())
    return [
        (GROUP_LABELS[group], [(e.code, e.name) for e in listed if e.group == group.value])
        for group in ServiceGroup
        if any(e.group == group.value for e in listed)
    ]
