"""The Mutu Baku: office time, the clock of each step, the sweep that warns and escalates, and
the report with its chart.

Imports the workflow's models and ``shared``; imported by ``cases``, the API, the console and
the tasks.
"""
