"""Tests of services/intake/tracking: codes, access tokens and the lookup's constant cost."""
