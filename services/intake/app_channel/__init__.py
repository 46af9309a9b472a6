"""The app channel: the complainant's inbox, its live stream, and Web Push to their browsers.

Imports ``tracking``, the intake's models and ``shared``; imported by the API and the tasks.
"""
