"""Developer tools: ``python -m tools.run_embedded`` is what ``make run`` starts;
``python -m tools.configuration_doc`` writes docs/CONFIGURATION.md from the settings."""
