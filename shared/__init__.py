"""Code every Pengaduan service imports: settings, SOP, Celery app, database and contracts."""
