"""Tests of shared/web: the pages' common ground and the health endpoints."""
