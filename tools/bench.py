"""`make bench`: the desk's speed beside bare baselines in the same run (the runner lives in
tests/bench/runner.py, beside the process helpers it shares with the tests).

    python -m tools.bench [--seconds 10] [--concurrency 16] [--complaints 200] [--scale 1,2]
"""

from __future__ import annotations

import importlib
import sys


def main() -> int:
    # Imported by name: the runner is test code (tests.support), outside mypy's files.
    runner = importlib.import_module("tests.bench.runner")
    status: int = runner.main(sys.argv[1:])
    return status


if __name__ == "__main__":
    sys.exit(main())
