"""The workflow's domain errors; shared.web.api_errors maps them to HTTP in one handler."""

from __future__ import annotations

from shared.web.domain_errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
)


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


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"


class AttachmentUnavailable(DomainError):
    """The record knows the file but the store cannot give it back as it was stored: the
    object is gone, or its bytes no longer match the digest intake sent. Not the client's
    fault and not a crash of ours: the store's answer was bad (502), and operators are told."""

    status_code = 502
    code = "attachment_unavailable"


class AttachmentStoreDown(DomainError):
    """The store did not answer (an object store unreachable for a moment): try again."""

    status_code = 503
    code = "attachment_store_down"

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": "30"}


class InvalidReportMonth(InvalidInput):
    code = "invalid_report_month"


class InvalidReportFormat(InvalidInput):
    code = "invalid_report_format"
