"""Tests of services/intake/portal: the citizens' filing and tracking pages."""
