"""The Mutu Baku: office time, the clock of each step, the sweep that warns and escalates, and
the report with its chart.

Imports ``cases``, ``staff``, the workflow's models and ``shared``; imported by ``cases``, the
API, the console, the metrics and the tasks.
"""
