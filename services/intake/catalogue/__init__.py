"""Intake's copy of the workflow's licensing services catalogue: kept by ``ServiceEntryV1``
(newest revision wins), listed publicly, checked when a filing names a ``service_code``; and a
complaint's service as the Kasi corrected it (``CaseServiceChangedV1``).

Imports intake's models and ``shared``; imported by ``filing``, the API, the portal and the
tasks.
"""
