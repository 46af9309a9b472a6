"""Before a command starts anything: its settings, loaded and checked, or one message to act on.

``make run``, ``pengaduan-staff`` and ``python -m shared.database.migrations`` call
``settings_or_exit`` first. A malformed ``PENGADUAN_*`` value, or settings their processes would
refuse at start, then end the command before it starts a process or writes a file: one line per
problem naming its variable, how to fix it, exit status 2, and no traceback burying the line
that matters. The checks are the processes' own (``Settings.require_secrets``,
``shared.runtime.production_checks``), asked earlier here, never written twice."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from json import JSONDecodeError

from pydantic import ValidationError
from pydantic_settings import SettingsError

from shared.runtime.settings import Settings, UnusableSettings, get_settings
from shared.runtime.settings.project import VARIABLE_PREFIX
from shared.runtime.settings.sources import variable_at

# The convention for a usage or configuration error (argparse exits with it too).
EXIT_UNUSABLE = 2
SECRET_RECIPE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'  # noqa: S105 - a command
# The secrets a person makes up rather than receives (a mail password is given to them).
MADE_UP_SECRETS = ("PENGADUAN_JWT_SECRET", "PENGADUAN_JWT_PREVIOUS_SECRET")
NAMED_VARIABLE = re.compile(rf"\b{VARIABLE_PREFIX}\w+")
# shared.runtime.settings.sources names the variable whose JSON value does not parse.
VARIABLE_IN_PARSE_ERROR = re.compile(r'variable "(\w+)"')

# Raises UnusableSettings (a ProductionConfigError is one) naming what is wrong.
Check = Callable[[Settings], None]
# More ways out, for the settings as they are (e.g. what leaving the embedded default means).
Advice = Callable[[Settings], list[str]]


@dataclass(frozen=True)
class Wording:
    """What a refusal says around its problems, in the language of the command's own messages.
    The problems themselves stay as pydantic and the checks word them (English)."""

    heading: str | None = None  # None: "<command> refuses to start[ in production mode]:"
    how_to_fix: str = "How to fix:"
    fix_values: str = (
        "set each variable named above to a valid value, or unset it to take its default"
    )
    make_secret: str = (
        f"set {{name}} to a random secret, made with: {SECRET_RECIPE}"
        " (or put it in a file named {name} in /run/secrets or PENGADUAN_SECRETS_DIR)"
    )


def settings_or_exit(
    command: str, *checks: Check, advice: Advice | None = None, wording: Wording | None = None
) -> Settings:
    """The settings (kept by ``get_settings`` for the rest of the process), once every check
    passes; otherwise every problem on stderr and exit status 2."""
    wording = wording or Wording()
    settings = _loaded_or_exit(command, wording)
    try:
        for check in checks:
            check(settings)
    except UnusableSettings as refusal:
        raise refused(command, refusal, advice(settings) if advice else [], wording) from None
    return settings


def _loaded_or_exit(command: str, wording: Wording) -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        problems = validation_problems(exc)
    except SettingsError as exc:
        problems = [parse_problem(exc)]
    except UnusableSettings as exc:  # a secrets directory that is not one
        problems = exc.problems
    raise refused(command, UnusableSettings(problems), [wording.fix_values], wording)


def refused(
    command: str, refusal: UnusableSettings, advice: list[str], wording: Wording
) -> SystemExit:
    """Print the problems and how to fix them; the exit to raise, which shows no traceback."""
    lines = refusal.message(command).splitlines()
    if wording.heading is not None:
        lines[0] = wording.heading
    named = set(NAMED_VARIABLE.findall("\n".join(refusal.problems)))
    fixes = [wording.make_secret.format(name=name) for name in MADE_UP_SECRETS if name in named]
    fixes += advice
    if fixes:
        lines += [wording.how_to_fix, *(f"  - {fix}" for fix in fixes)]
    print("\n".join(lines), file=sys.stderr)
    return SystemExit(EXIT_UNUSABLE)


def validation_problems(error: ValidationError) -> list[str]:
    """One line per bad value, naming its variable; never the value (it may be a secret)."""
    return [
        f"{variable(problem['loc'])}: {problem['msg']}"
        for problem in error.errors(include_url=False, include_input=False)
    ]


def variable(loc: tuple[int | str, ...]) -> str:
    """The variable behind a field's error location: ``("office", "hours", "mon")`` is
    ``PENGADUAN_OFFICE_HOURS (mon)``."""
    name = variable_at(Settings, loc)
    if name is None:
        return f"{VARIABLE_PREFIX}*"
    inside = ".".join(str(part) for part in loc[2:])
    return f"{name} ({inside})" if inside else name


def parse_problem(error: SettingsError) -> str:
    found = VARIABLE_IN_PARSE_ERROR.search(str(error))
    if found is None:
        return str(error)
    cause = error.__cause__
    if isinstance(cause, JSONDecodeError):
        return f"{found.group(1)}: not valid JSON ({cause})"
    return f"{found.group(1)}: {cause or error}"
