"""Staff accounts: creating them, password hashes and tokens, logging in behind rate limits, and
the ``pengaduan-staff`` command.

Imports the workflow's models and ``shared``; imported by the API and the console.
"""
