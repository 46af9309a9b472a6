"""`make chaos`: the long chaos suite (the runner lives in tests/chaos/runner.py, beside the
short version that `make test` runs).

    python -m tools.chaos --complaints 500 --faults 60 [--seed N] [--redis-outage 30]
"""

from __future__ import annotations

import importlib
import sys


def main() -> int:
    # Imported by name: the runner is test code (tests.support), outside mypy's files.
    runner = importlib.import_module("tests.chaos.runner")
    status: int = runner.main(sys.argv[1:])
    return status


if __name__ == "__main__":
    sys.exit(main())
