"""Tests of services/intake/app_channel: inbox, live events, Web Push and its journey."""
