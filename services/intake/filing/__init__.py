"""Filing a laporan pengaduan: what a citizen sends, storing it once (idempotency keys), and
keeping its status current as the workflow reports.

Imports ``tracking``, ``app_channel`` (live events), the intake's models and ``shared``;
imported by ``app_channel``, the API, the portal and the tasks.
"""
