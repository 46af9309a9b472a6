# Pengaduan: two commands for people (`make run`, `make test`), a few for developers.
# Everything runs from .venv, which `make venv` builds (again only when pyproject.toml changes).

VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv run test backup restore chaos bench lint screenshots clean

venv: $(STAMP)

# python3.11 first; any python3 of 3.11 or newer otherwise.
$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x $(PY) ]; then \
		py=""; \
		for candidate in python3.11 python3; do \
			if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
				py=$$candidate; break; \
			fi; \
		done; \
		if [ -z "$$py" ]; then echo "make: Python 3.11 or newer is needed (python3.11 or python3)" >&2; exit 1; fi; \
		echo "creating $(VENV) with $$($$py --version)"; \
		$$py -m venv $(VENV); \
	fi
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	@touch $@

run: venv
	$(PY) -m tools.run_embedded

# PENGADUAN_TEST_DATABASE_URL / PENGADUAN_TEST_REDIS_URL, from the environment or the make
# command line, reach pytest as they are (make exports both kinds); unset, the tests start their
# own Redis and use SQLite. Extra pytest arguments: make test ARGS='-k journey -x'
# TEST_WORKERS pytest processes share the run, a test file each at a time (pytest-xdist's
# loadfile): the journeys spend most of their time waiting on workers and servers. Two share the
# two cores without starving each other (three ran the suite in 17 minutes, but a journey beside
# the bench test then waited past its minute). Each takes its own Redis db (tests/conftest.py);
# 0 runs in-process.
TEST_WORKERS ?= 2
test: venv
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(ARGS)

# Backups of the embedded default (docs/OPERATIONS.md, "Backups"), while make run runs or not:
# a set of var/'s databases, attachments, Redis and keys under backups/, then the sets beyond
# the retention (7 daily, 4 weekly, 12 monthly) pruned. make restore FROM=backups/<set> puts one
# back, make run stopped; ARGS reach the tool (ARGS=--force, ARGS='--to /mnt/usb').
backup: venv
	$(PY) -m tools.backup create --prune $(ARGS)

restore: venv
	@test -n "$(FROM)" || { echo "make restore FROM=backups/<set>: which set to restore" >&2; exit 2; }
	$(PY) -m tools.backup restore $(FROM) $(ARGS)

# The long chaos suite (docs/RELIABILITY.md, "Chaos suite"): 2,000 complaints, 100 faults by default;
# `make test` runs its short version (tests/tools/chaos/test_chaos_short.py). Arguments go
# through ARGS:
# make chaos ARGS='--complaints 500 --faults 60 --seed 42 --redis-outage 30'
chaos: venv
	$(PY) -m tools.chaos $(ARGS)

# Speed beside bare baselines in the same run (docs/BENCHMARKS.md, which it updates); on this
# machine's PostgreSQL and Redis when PENGADUAN_TEST_DATABASE_URL / _REDIS_URL are set.
# make bench ARGS='--seconds 10 --concurrency 16 --complaints 200 --scale 1,2,2:2:2'
bench: venv
	$(PY) -m tools.bench $(ARGS)

# The pictures in docs/screenshots: every page of the portal and the console (the table PAGES
# in tests/browser/test_every_page.py) at phone and desktop size, <page>-phone.png and
# <page>-desktop.png, taken by that test in Debian's chromium: apt-get install chromium.
screenshots: venv
	rm -f docs/screenshots/*.png
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest tests/browser/test_every_page.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# var/ holds the embedded default's data (databases, Redis, mail), backups/ its backups: never
# removed here.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build *.egg-info
	find . -path ./var -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
