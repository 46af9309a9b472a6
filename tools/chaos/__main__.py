"""`make chaos`: the long chaos suite (tools/chaos/runner.py; `make test` runs its short version,
tests/tools/chaos/test_chaos_short.py).

    python -m tools.chaos --complaints 500 --faults 60 [--seed N] [--redis-outage 30]
"""

from __future__ import annotations

import sys

from tools.chaos.runner import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
