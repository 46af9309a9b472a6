"""`make chaos` (python -m tools.chaos): the desk under a seeded fault injector. Imports
tools.harness, shared/ and services/; tests/tools/chaos runs its short version (dev-only: not in
the wheel)."""
