"""Tests of services/workflow/sla: office calendar, step clocks, the Mutu Baku sweep and report."""
