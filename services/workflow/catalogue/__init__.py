"""The licensing services catalogue (*katalog layanan*) the office edits: its entries, who may
change them, and each change sent on to intake as ``ServiceEntryV1`` through the outbox.

Imports the workflow's models, ``sla.clock`` and ``shared``; imported by ``cases`` (the Kasi's
correction of a case's service), the API and the console.
"""
