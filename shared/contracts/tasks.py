"""Stable task names that cross service boundaries (never derived from module paths).

The SOP's own step tasks are named by ``shared.sop.Step.arrive_task``.
"""

INTAKE_STATUS_TASK = "intake.complaint.status_changed"
INTAKE_ANSWERED_TASK = "intake.complaint.answered"
NOTIFY_TASK = "notifier.notification.send"
WORKFLOW_NOTIFIED_TASK = "workflow.record.notification"
