"""Tests of services/workflow/cases: steps, claims, backlog, history, search and notifications."""
