"""Versioned messages between services: JSON on the wire, validated on both ends.

A consumer validates the payload with the same model before it acts; a new field that old
consumers cannot ignore means a new version (``...V2``) and a new task name. Imports only
``shared.messaging.sealing``; imported by the rest of ``shared.messaging`` and the services.
"""

from shared.messaging.contracts.messages import (
    STAFF_KINDS,
    CaseStatusChangedV1,
    Channel,
    ChannelDeliveryV1,
    ComplainantReplyV1,
    ComplaintAnsweredV1,
    ComplaintFiledV1,
    InboxMessageV1,
    Message,
    NoticeUndeliverableV1,
    NotificationDeliveredV1,
    NotificationKind,
    NotificationRequestedV1,
    PushDeliveryV1,
    Reporter,
    ResendRequestedV1,
    StepHandoffV1,
)
from shared.messaging.contracts.tasks import (
    DELIVER_APP_TASK,
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    DELIVERY_SWEEP_TASK,
    INTAKE_ANSWERED_TASK,
    INTAKE_INBOX_TASK,
    INTAKE_PUSH_TASK,
    INTAKE_STATUS_TASK,
    INTAKE_UNDELIVERABLE_TASK,
    NOTIFY_TASK,
    RESEND_TASK,
    SLA_SWEEP_TASK,
    WORKFLOW_NOTIFIED_TASK,
)

__all__ = [
    "DELIVERY_SWEEP_TASK",
    "DELIVER_APP_TASK",
    "DELIVER_EMAIL_TASK",
    "DELIVER_SMS_TASK",
    "INTAKE_ANSWERED_TASK",
    "INTAKE_INBOX_TASK",
    "INTAKE_PUSH_TASK",
    "INTAKE_STATUS_TASK",
    "INTAKE_UNDELIVERABLE_TASK",
    "NOTIFY_TASK",
    "RESEND_TASK",
    "SLA_SWEEP_TASK",
    "STAFF_KINDS",
    "WORKFLOW_NOTIFIED_TASK",
    "CaseStatusChangedV1",
    "Channel",
    "ChannelDeliveryV1",
    "ComplainantReplyV1",
    "ComplaintAnsweredV1",
    "ComplaintFiledV1",
    "InboxMessageV1",
    "Message",
    "NoticeUndeliverableV1",
    "NotificationDeliveredV1",
    "NotificationKind",
    "NotificationRequestedV1",
    "PushDeliveryV1",
    "Reporter",
    "ResendRequestedV1",
    "StepHandoffV1",
]
