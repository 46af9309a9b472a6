"""The portal's fixtures, for the privacy tests that use the form and the tracking page."""

from __future__ import annotations

from tests.intake.portal.conftest import portal, tracked

__all__ = ["portal", "tracked"]
