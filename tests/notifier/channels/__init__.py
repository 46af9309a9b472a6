"""Tests of services/notifier/channels: email and SMS against real local servers."""
