"""The tracking code every message carries, and how a person's typing of it is read.

Intake draws the codes (``services.intake.tracking.codes``); the citizen types them on the
portal and in the API's path, staff type them in the console's search and in a duplicate's
``original_tracking_code``. Every one of those goes through ``normalise_tracking_code``.
"""

from __future__ import annotations

import re

# Crockford's base32: digits and capitals without I, L, O and U, so nothing reads as another
# character (and no accidental words). Eight symbols give 40 random bits per code.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "PGD"
GROUPS = 2
GROUP_LENGTH = 4
CODE_PATTERN = re.compile(rf"^{PREFIX}(-[{ALPHABET}]{{{GROUP_LENGTH}}}){{{GROUPS}}}\Z")

# What a person may type for each symbol the alphabet leaves out.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# What may stand between the groups: spaces of any kind, dashes of any kind, dots.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.]+")


def normalise_tracking_code(typed: str) -> str:
    """The code as stored (``PGD-05HF-7RZG``) from what a person typed: any case, with or without
    dashes or spaces, with or without the prefix, O for 0, I or L for 1. What cannot be a code
    comes back trimmed and upper-cased, and matches no ``CODE_PATTERN``."""
    compact = _SEPARATORS.sub("", typed.strip().upper())
    symbols = GROUPS * GROUP_LENGTH
    body = compact.removeprefix(PREFIX) if len(compact) == len(PREFIX) + symbols else compact
    if len(body) != symbols:
        return typed.strip().upper()
    body = body.translate(_LOOKALIKES)
    groups = (body[i : i + GROUP_LENGTH] for i in range(0, symbols, GROUP_LENGTH))
    return "-".join((PREFIX, *groups))
