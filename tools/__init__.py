"""Developer and operator commands: ``make run`` (``run_embedded``), the README's SOP tables
(``sop_docs``), failed messages (``dead_letters``), the bench and chaos runners.

May import anything in ``shared`` and the services; nothing but ``tests`` imports it.
"""
