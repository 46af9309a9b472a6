"""Tests of tools/bench: its figures, and `make bench` run end to end."""
