"""The SOP in motion: a case's arrival at a step, completing it, the other paths out, who holds
it, its record, its search, the worklists and backlogs, and what the notifier told its
complainant.

Imports ``sla``, ``staff``, the workflow's models and ``shared``; imported by ``sla``, the API,
the console, the metrics and the tasks, never the reverse.
"""
