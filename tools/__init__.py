"""Developer tools: ``python -m tools.run_embedded`` is what ``make run`` starts."""
