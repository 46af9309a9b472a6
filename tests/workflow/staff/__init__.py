"""Tests of services/workflow/staff: accounts CLI, password hashes, tokens and login limits."""
