"""Tests of shared/runtime: settings, logging, metrics server, preflight, production checks."""
