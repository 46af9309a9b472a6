"""Developer and operator commands: ``make run`` (``run_embedded``, which becomes ``procfile``),
the SOP tables of docs/WORKFLOW.md (``sop_docs``), docs/CONFIGURATION.md
(``configuration_doc``), failed messages (``dead_letters``), the bench and chaos runners and
their harness.

May import anything in ``shared`` and the services; nothing but ``tests`` imports it.
"""
