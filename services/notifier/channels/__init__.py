"""The channels a notification goes out on: one small interface, email (SMTP or a Maildir) and
SMS (two gateway formats, and the length of a text).

Imports the notifier's wording (``messages``) and ``shared``; imported by ``delivery``, the
metrics and the tasks.
"""
