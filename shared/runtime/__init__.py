"""What every process is run with: typed settings, log lines and their ids, the metrics server,
the production checks, faults for the chaos tests, and the preflight of commands.

Imports ``shared.sop`` at most; imported by every layer above it, the services and the tools.
"""
