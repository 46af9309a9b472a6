"""Tests of services/workflow/console: the console's session, worklist, case and other pages."""
