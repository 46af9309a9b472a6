"""The notifier: tells the complainant what happened to their laporan pengaduan. Its domain
(``channels``, ``delivery``, the wording, models) is below its ``tasks`` and ``worker``, and
never imports them; imports ``shared`` only, imported by tools and tests.
"""
