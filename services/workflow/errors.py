"""The workflow's domain errors; shared.web.api_errors maps them to HTTP in one handler."""

from __future__ import annotations

from shared.web.api_errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized


class CaseNotFound(NotFound):
    code = "case_not_found"


class StepNotFound(NotFound):
    code = "step_not_found"


class WrongRole(Forbidden):
    code = "wrong_role"


class StepOutOfOrder(Conflict):
    code = "step_out_of_order"


class ConcurrentChange(Conflict):
    code = "concurrent_change"


class MissingInput(InvalidInput):
    code = "missing_input"


class BadCredentials(Unauthorized):
    code = "bad_credentials"


class InvalidToken(Unauthorized):
    code = "invalid_token"


class PathNotFound(NotFound):
    code = "path_not_found"


class InvalidOriginal(InvalidInput):
    code = "invalid_original"


class HeldByOther(Conflict):
    code = "held_by_other"


class CaseNotWaiting(Conflict):
    code = "case_not_waiting"


class InvalidFilter(InvalidInput):
    code = "invalid_filter"


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"


class NotResendable(Conflict):
    code = "not_resendable"


class InvalidReportRange(InvalidInput):
    code = "invalid_report_range"
