"""Tests of services/notifier/delivery: delivering, attempts, re-sends and the delivery sweep."""
