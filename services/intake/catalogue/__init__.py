"""Intake's copy of the licensing services catalogue the workflow keeps."""
