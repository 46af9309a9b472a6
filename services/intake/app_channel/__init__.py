"""The app channel: the complainant's inbox, its live stream, and Web Push to their browsers.

Imports ``filing`` (schemas), the intake's models and database, and ``shared``; imported by
``filing``, the API, the portal and the tasks.
"""
