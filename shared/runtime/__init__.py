"""What every process is run with: typed settings, log lines and their ids, the metrics server,
the production checks, the preflight of commands, and Celery's worker and beat set-up.

Imports ``shared.sop`` (and, for the worker and beat set-up, ``shared.messaging``); imported
by every service and tool.
"""
