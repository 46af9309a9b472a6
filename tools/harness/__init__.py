"""The desk run for real, for the tests and the bench and chaos runners: service processes, a
private Redis, fresh databases, local SMTP and SMS servers. Imports shared/ and services/; imported
by tools.bench, tools.chaos and tests/ (dev-only: not in the wheel)."""
