"""Compliance tracking: per-agency and provincial figures for a year (figures.py),
the annual report export (export.py), reminders to focal officers (reminders.py),
charts (charts.py, server-side SVG), pages, actions and the `ckan compliance` commands.
"""

# what other features may import: the personal-data guard mails an agency's focal
# officers as the reminders do (reminders.recipients, mail_configured)
PUBLIC = ("reminders",)
