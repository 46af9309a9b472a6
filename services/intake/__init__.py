"""The citizens' side of the complaint desk: file a laporan pengaduan and follow it. Its domain
(``filing``, ``tracking``, ``app_channel``, models) is below its ``api``, ``portal``, ``tasks``
and ``worker``, and never imports them; imports ``shared`` only, imported by tools and tests.
"""
