"""The words the messages are made of: channels, identity modes, how a complaint came in."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    APP = "app"
    WHATSAPP = "whatsapp"  # the WhatsApp Business Cloud API, to the complainant's phone


class Identity(StrEnum):
    """How much of themselves the complainant lets the office see (SP4N-LAPOR!'s modes; Perpres
    76/2013 asks that a complainant's identity be protected)."""

    SHOWN = "shown"  # the default: every role reads the name and contacts
    CONFIDENTIAL = "confidential"  # *rahasia*: only the Admin Pengaduan reads them
    ANONYMOUS = "anonymous"  # *anonim*: no name, no contact; the tracking page is the way back


class ReceivedVia(StrEnum):
    """How the Admin Pengaduan received a complaint they file for the complainant."""

    TELEPON = "telepon"
    LOKET = "loket"  # at the office's desk
    SURAT = "surat"  # by letter


class FiledVia(StrEnum):
    """How a complaint the complainant filed themselves reached intake (the monthly report
    counts complaints by it, beside ``ReceivedVia`` for those the Admin Pengaduan took)."""

    WEB = "web"  # the portal's form
    API = "api"  # ``POST /api/v1/complaints`` (the office's app, another client)
    OPEN311 = "open311"  # a partner system, through Open311 GeoReport v2
