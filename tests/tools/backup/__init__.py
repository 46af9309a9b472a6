"""Tests of tools/backup: sets made and checked, restores refused, the retention."""
