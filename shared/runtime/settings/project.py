"""The facts every setting is built on: where the project lives, which services it has, and
the prefix of every variable."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("intake", "workflow", "notifier")
# Every setting is the environment variable (or secret file) of this prefix and its name.
VARIABLE_PREFIX = "PENGADUAN_"
