"""What a citizen keeps to follow a laporan pengaduan: the tracking code, the access token, and
the tracking page's access cookie.

Imports the intake's models and ``shared.runtime``; imported by ``filing``, the API and the
portal.
"""
