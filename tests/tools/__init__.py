"""Tests of tools/: the bench and chaos runners, mirrored as tests/tools/<tool>/."""
