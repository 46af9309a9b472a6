"""Staff accounts: creating them, password hashes and tokens, logging in behind rate limits, the
``pengaduan-staff`` command, and the production check for demo passwords.

Imports the workflow's models and database, and ``shared``; imported by ``cases``, ``sla``, the
API, the console, the worker and ``tools.run_embedded``.
"""
