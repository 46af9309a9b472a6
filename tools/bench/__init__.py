"""`make bench` (python -m tools.bench): ``runner`` runs the parts (``intake``, ``pipeline``) on
the processes of ``processes`` and writes ``report``; ``bare_api`` and ``bare_chain`` are the
baselines. Imports tools.harness, shared/ and services/; dev-only, so not in the wheel."""
