"""A pytest plugin: staff passwords made and checked in the test process are hashed with
argon2-cffi's ``CHEAPEST`` profile (its own "for testing only" parameters), not the production
ones: those cost about 0.12 s of CPU a hash by design, and the suite makes thousands of staff
and logins (over half of the fast part's time, profiled). Still real argon2id hashes through the
code's own ``hash_password`` / ``verify_password``; processes a journey starts keep the
production parameters (argon2 verifies a hash by the parameters written in it), and
``tests/workflow/staff/test_password_hashes.py`` checks those are argon2's recommended ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, profiles

from services.workflow.staff import auth


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[PasswordHasher]:
    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        # The module's hasher and dummy hash are made on first use (``functools.cache``):
        # replaced here by functions returning the cheap ones.
        dummy = cheap.hash("pengaduan-dummy-password")
        patch.setattr(auth, "_hasher", lambda: cheap)
        patch.setattr(auth, "_dummy_hash", lambda: dummy)
        yield cheap
