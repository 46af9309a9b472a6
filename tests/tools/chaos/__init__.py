"""Tests of tools/chaos: the chaos suite's short version, part of `make test`."""
