"""`make bench`: the desk's speed beside bare baselines in the same run (tools/bench/runner.py).

python -m tools.bench [--seconds 10] [--concurrency 16] [--complaints 200]
    [--scale 1,2,2:2:2] [--redrive-seconds 120] [--linger-seconds 0.2]
"""

from __future__ import annotations

import sys

from tools.bench.runner import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
