"""The ground both web services stand on: the page layout, templates and static files, reading
request bodies, errors as HTTP answers, and readiness.

Imports ``shared.database``, ``shared.runtime`` and ``shared.sop``, not messaging; imported by
``shared.process`` and the services.
"""
