"""`make chaos` (python -m tools.chaos): ``runner`` starts the ``system``, the ``people`` and the
``faults``, then reads the ``verdict`` into ``results``. Imports tools.harness, shared/ and
services/; tests/tools/chaos runs its short version; dev-only, so not in the wheel."""
