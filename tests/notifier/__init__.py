"""Tests of services/notifier: its worker, metrics and messages here, its parts in sub-packages."""
