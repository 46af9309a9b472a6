"""Staff passwords are argon2id hashes with argon2-cffi's recommended parameters (RFC 9106, low
memory), whatever cheaper ones the test process uses (tests/support/password_hashes.py)."""

from __future__ import annotations

import subprocess
import sys

from argon2 import Parameters, extract_parameters, profiles
from argon2.low_level import Type

from shared.runtime.settings.project import PROJECT_ROOT

# A process of its own, as the services run: the code's hasher, untouched by the test plugin.
HASH_IN_A_SERVICE_PROCESS = (
    "from services.workflow.staff.auth import hash_password, verify_password;"
    "h = hash_password('rahasia-kantor-123');"
    "assert verify_password(h, 'rahasia-kantor-123') and not verify_password(h, 'salah');"
    "print(h)"
)


def test_a_service_hashes_with_argon2id_at_the_recommended_cost() -> None:
    done = subprocess.run(
        [sys.executable, "-c", HASH_IN_A_SERVICE_PROCESS],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    parameters: Parameters = extract_parameters(done.stdout.strip())
    recommended = profiles.RFC_9106_LOW_MEMORY
    assert parameters.type is Type.ID
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        recommended.time_cost,
        recommended.memory_cost,
        recommended.parallelism,
    )
