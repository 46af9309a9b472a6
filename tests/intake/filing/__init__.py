"""Tests of services/intake/filing: filing, validation, idempotency, the licence reference."""
