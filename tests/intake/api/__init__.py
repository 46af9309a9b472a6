"""Tests of services/intake/api: docs, body and client limits, request ids, hostile requests."""
