"""The ground both web services stand on: the page layout, templates and static files, reading
request bodies, errors as HTTP answers, and readiness.

Imports ``shared.runtime`` and ``shared.database``; imported by the intake and workflow APIs.
"""
