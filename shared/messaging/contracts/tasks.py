"""Stable task names that cross service boundaries (never derived from module paths).

The SOP's own step tasks are named by ``shared.sop.Step.arrive_task``.
"""

INTAKE_STATUS_TASK = "intake.complaint.status_changed"
INTAKE_ANSWERED_TASK = "intake.complaint.answered"
# workflow -> intake: a complaint the Admin Pengaduan took by telephone, at the desk or by letter.
INTAKE_TAKEN_TASK = "intake.complaint.taken"
# notifier -> intake: a notice reached the complainant on none of their channels.
INTAKE_UNDELIVERABLE_TASK = "intake.notice.undeliverable"
# ... and when an operator's re-send of such a notice got through after all.
INTAKE_DELIVERED_TASK = "intake.notice.delivered"
# intake -> workflow: a file the complainant attached (ids and digest; the bytes are in the store).
WORKFLOW_ATTACHMENT_TASK = "workflow.case.attachment_added"
# intake -> workflow: the complainant rated the answer, or asked for the case to be reopened.
WORKFLOW_RATED_TASK = "workflow.case.rated"
WORKFLOW_REOPEN_TASK = "workflow.case.reopen_requested"
NOTIFY_TASK = "notifier.notification.send"
# V1, one report per channel: still consumed, for reports queued before the upgrade.
WORKFLOW_NOTIFIED_TASK = "workflow.record.notification"
# V2, one report per notification once its channels settled (``NotificationDeliveredV2``).
WORKFLOW_NOTIFIED_V2_TASK = "workflow.record.notifications"
# Fired by Celery beat (``shared.messaging.celery_app``): warn and escalate the steps past
# their time.
SLA_SWEEP_TASK = "workflow.sla.sweep"
# One task per channel, so a channel that is down delays only itself (the notifier's own queue).
DELIVER_EMAIL_TASK = "notifier.deliver.email"
DELIVER_SMS_TASK = "notifier.deliver.sms"
DELIVER_APP_TASK = "notifier.deliver.app"
DELIVER_WHATSAPP_TASK = "notifier.deliver.whatsapp"
RESEND_TASK = "notifier.delivery.resend"
# Fired by Celery beat: queue again the deliveries whose retry the broker lost.
DELIVERY_SWEEP_TASK = "notifier.delivery.sweep"
INTAKE_INBOX_TASK = "intake.inbox.deliver"
INTAKE_PUSH_TASK = "intake.push.send"
# intake API -> intake worker: a request for a one-time access link (any well-formed code).
INTAKE_ACCESS_LINK_TASK = "intake.access_link.requested"
# workflow -> intake: a catalogue entry as it now stands, and a case's corrected service.
INTAKE_SERVICE_ENTRY_TASK = "intake.catalogue.service_changed"
INTAKE_CASE_SERVICE_TASK = "intake.complaint.service_changed"
# intake -> workflow: the complainant's SKM survey answers for an answer.
WORKFLOW_SURVEY_TASK = "workflow.case.surveyed"
# intake -> workflow: the complainant asks for early erasure of their personal data.
WORKFLOW_ERASURE_TASK = "workflow.case.erasure_requested"
# workflow -> intake and notifier: erase the complainant's personal data of a case.
INTAKE_ERASE_TASK = "intake.complaint.erase"
NOTIFIER_ERASE_TASK = "notifier.complaint.erase"
# Fired daily by Celery beat: erase the personal data of cases closed longer than retention.
RETENTION_SWEEP_TASK = "workflow.privacy.retention_sweep"
