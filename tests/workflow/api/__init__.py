"""Tests of services/workflow/api: the staff API's case routes over HTTP."""
