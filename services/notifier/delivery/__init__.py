"""Delivering a notification: the fan-out that stores it and queues one try per channel, each
try's record, and the sweep that queues again a try the broker lost.

Imports ``channels``, the wording, the notifier's models and ``shared``; imported by the tasks.
"""
