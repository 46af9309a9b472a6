"""Tests of shared/messaging: the broker transport, task routes, dead letters and sealing."""
