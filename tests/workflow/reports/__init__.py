"""Tests of services/workflow/reports: the monthly report's files and charts."""
