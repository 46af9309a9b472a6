"""`make bench` (python -m tools.bench): the runner, and the bare FastAPI app and Celery chain it
measures the desk against. Imports tools.harness, shared/ and services/ (dev-only: not in the
wheel)."""
