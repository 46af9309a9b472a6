"""Open311 GeoReport v2 for partner systems: their API keys (``partners``, the
``pengaduan-partner`` command in ``cli``), a service request's form read into a laporan
pengaduan (``requests_in``), the partner's own requests found and described (``service_requests``)
and the spec's JSON and XML (``formats``). The routes are ``services.intake.api.open311``.

Part of intake's domain: imports ``services.intake`` below its entry points and ``shared``;
imported by the API and by tests.
"""
