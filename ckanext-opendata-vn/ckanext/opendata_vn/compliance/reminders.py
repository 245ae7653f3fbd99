"""Reminders to focal officers: entries due within N days and entries overdue.

`ckan compliance remind` (run daily by cron) selects, per agency, the entries in
force (this year's catalog or plan, and the latest published decision) whose first
provision or next update is due within `reminder_days` days or already overdue, and emails the agency's focal officer (the organization's "focal officer
email" and every editor/admin with an email address) through CKAN's mailer. When
mail is not configured (`smtp.server` empty) it logs what it would send. Each
(dataset, recipient, day) is reminded at most once: sent reminders are recorded in
opendata_vn_reminder (unique key).
"""
from __future__ import annotations

import datetime
import logging
from collections import defaultdict

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.compliance import export, figures, settings
from ckanext.opendata_vn.core import clock

log = logging.getLogger(__name__)
_ = tk._


class ReminderSent(tk.BaseModel):
    __tablename__ = "opendata_vn_reminder"
    __table_args__ = (sa.UniqueConstraint("package_id", "recipient", "sent_on",
                                          name="opendata_vn_reminder_once_a_day"),)

    id = sa.Column(sa.UnicodeText, primary_key=True, default=clock.new_id)
    package_id = sa.Column(sa.UnicodeText, nullable=False)
    entry_id = sa.Column(sa.UnicodeText, nullable=True)
    agency_id = sa.Column(sa.UnicodeText, nullable=False, default="")
    recipient = sa.Column(sa.UnicodeText, nullable=False)
    kind = sa.Column(sa.UnicodeText, nullable=False)
    due_date = sa.Column(sa.Date, nullable=True)
    sent_on = sa.Column(sa.Date, nullable=False)
    delivered = sa.Column(sa.Boolean, nullable=False, default=False)
    created = sa.Column(sa.DateTime, nullable=False, default=clock.utcnow)


def mail_configured() -> bool:
    return bool((tk.config.get("smtp.server") or "").strip())


def recipients(agency_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """agency id → [(name, email)]: the focal officer of the organization record and
    the agency's editors and admins."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    if not agency_ids:
        return {}
    extras = defaultdict(dict)
    for gid, key, value in model.Session.query(model.GroupExtra.group_id, model.GroupExtra.key,
                                               model.GroupExtra.value).filter(
            model.GroupExtra.group_id.in_(agency_ids), model.GroupExtra.state == "active",
            model.GroupExtra.key.in_(["focal_officer_email", "focal_officer_name"])):
        extras[gid][key] = value
    for gid, values in extras.items():
        email = (values.get("focal_officer_email") or "").strip()
        if email:
            out[gid][email.lower()] = values.get("focal_officer_name") or email
    for gid, user in (model.Session.query(model.Member.group_id, model.User)
                      .join(model.User, model.User.id == model.Member.table_id)
                      .filter(model.Member.group_id.in_(agency_ids), model.Member.table_name == "user",
                              model.Member.state == "active", model.Member.capacity.in_(["editor", "admin"]),
                              model.User.state == "active")):
        if user.email:
            out[gid].setdefault(user.email.strip().lower(), user.display_name)
    return {gid: [(name, email) for email, name in people.items()] for gid, people in out.items()}


def select(as_of: datetime.date | None = None, days: int | None = None,
           province: str | None = None) -> list[dict]:
    """Per agency: the entries due within `days` days and those overdue, as of `as_of`."""
    as_of = as_of or settings.today()
    days = settings.reminder_days() if days is None else days
    horizon = as_of + datetime.timedelta(days=days)
    out = []
    for prov in ([province] if province else figures.provinces()):
        data = figures.load(prov)
        rows, year = _current_entries(data, as_of)
        by_agency: dict[str, dict] = {}
        for row in rows:
            if row["overdue"]:
                kind = "overdue"
            elif row["due"] and row["due"] <= horizon:
                kind = "due_soon"
            else:
                continue
            agency = by_agency.setdefault(row["agency_id"], {
                "agency_id": row["agency_id"], "agency_name": row["agency_name"],
                "agency_title": row["agency_title"], "province": prov, "year": year,
                "due_soon": [], "overdue": []})
            agency[kind].append(row)
        out.extend(by_agency.values())
    people = recipients([a["agency_id"] for a in out if a["agency_id"]])
    for agency in out:
        agency["recipients"] = people.get(agency["agency_id"], [])
    return sorted(out, key=lambda a: (a["province"], a["agency_title"]))


def _current_entries(data, as_of: datetime.date) -> tuple[list[dict], int | None]:
    """The duties in force on `as_of`: this year's catalog (its decision, else the plan
    covering it) plus the latest published decision of an earlier year (its datasets
    must still be kept up to date until a new catalog replaces it)."""
    years = [y for y in figures.available_years(data) if y <= as_of.year]
    if not years:
        return [], None
    year = max(years)
    rows = {r["package_id"]: r for r in figures.compute(data, year, as_of=as_of)["entries"]}
    decision_years = [c.year for c in data.catalogs if c.kind != "plan" and c.year <= as_of.year]
    if decision_years and max(decision_years) != year:
        for r in figures.compute(data, max(decision_years), as_of=as_of)["entries"]:
            rows[r["package_id"]] = r  # the decision states dates the plan does not
    return list(rows.values()), year


def _already_sent(package_ids: list[str], email: str, day: datetime.date) -> set[str]:
    return {pid for (pid,) in model.Session.query(ReminderSent.package_id).filter(
        ReminderSent.package_id.in_(package_ids), ReminderSent.recipient == email, ReminderSent.sent_on == day)}


def _line(row: dict) -> str:
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    if row["status"] == "update_overdue":
        what = _("quá hạn cập nhật {n} ngày (hạn {date})").format(n=row["days_late"], date=export._d(row["deadline"]))
    elif row["status"] == "not_provided_overdue":
        what = _("chưa cung cấp, quá hạn {n} ngày (hạn {date})").format(n=row["days_late"], date=export._d(row["due"]))
    elif row["published"]:
        what = _("đến hạn cập nhật ngày {date}").format(date=export._d(row["due"]))
    else:
        what = _("đến hạn cung cấp lần đầu ngày {date}").format(date=export._d(row["due"]))
    number = f"{row['number']}. " if row.get("number") else ""
    return f"- {number}{row['title']}: {what}\n  {site}/dataset/{row['package_name']}"


def message(agency: dict, name: str, due_soon: list[dict], overdue: list[dict]) -> tuple[str, str]:
    site_title = tk.config.get("ckan.site_title") or ""
    subject = _("[{site}] Nhắc hạn cung cấp, cập nhật dữ liệu mở: {agency}").format(
        site=site_title, agency=agency["agency_title"])
    parts = [_("Kính gửi {name},").format(name=name), "",
             _("Cổng dữ liệu mở nhắc {agency} về các tập dữ liệu trong danh mục năm {year}:").format(
                 agency=agency["agency_title"], year=agency["year"]), ""]
    if overdue:
        parts += [_("Đã quá hạn ({n}):").format(n=len(overdue)), *[_line(r) for r in overdue], ""]
    if due_soon:
        parts += [_("Sắp đến hạn ({n}):").format(n=len(due_soon)), *[_line(r) for r in due_soon], ""]
    parts += [_("Cập nhật dữ liệu, hoặc xác nhận dữ liệu vẫn còn đúng, trên cổng dữ liệu mở."), "",
              _("Thư này được gửi tự động; mỗi tập dữ liệu được nhắc không quá một lần mỗi ngày.")]
    return subject, "\n".join(parts)


def send(as_of: datetime.date | None = None, days: int | None = None, province: str | None = None,
         dry_run: bool = False) -> list[dict]:
    """Send (or log) the reminders; returns what was sent to whom."""
    from ckan.lib import mailer

    as_of = as_of or settings.today()
    use_mail = mail_configured()
    report = []
    for agency in select(as_of, days, province):
        if not agency["recipients"]:
            log.warning("No focal officer email for %s: %d overdue, %d due soon not reminded",
                        agency["agency_title"], len(agency["overdue"]), len(agency["due_soon"]))
            report.append({**_summary(agency), "recipient": None, "sent": False, "reason": "no_recipient"})
            continue
        rows = agency["overdue"] + agency["due_soon"]
        for name, email in agency["recipients"]:
            done = _already_sent([r["package_id"] for r in rows], email, as_of)
            overdue = [r for r in agency["overdue"] if r["package_id"] not in done]
            due_soon = [r for r in agency["due_soon"] if r["package_id"] not in done]
            if not overdue and not due_soon:
                report.append({**_summary(agency), "recipient": email, "sent": False, "reason": "already_sent"})
                continue
            subject, body = message(agency, name, due_soon, overdue)
            if dry_run:
                report.append({**_summary(agency, due_soon, overdue), "recipient": email, "sent": False,
                               "reason": "dry_run", "subject": subject, "body": body})
                continue
            delivered = False
            if use_mail:
                try:
                    mailer.mail_recipient(name, email, subject, body)
                    delivered = True
                except mailer.MailerException as e:
                    log.error("Reminder to %s not sent: %s", email, e)
                    report.append({**_summary(agency, due_soon, overdue), "recipient": email, "sent": False,
                                   "reason": "mail_error"})
                    continue
            else:
                log.info("Mail is not configured (smtp.server); reminder that would be sent to %s <%s>:\n"
                         "Subject: %s\n\n%s", name, email, subject, body)
            for kind, group in (("overdue", overdue), ("due_soon", due_soon)):
                for r in group:
                    model.Session.add(ReminderSent(
                        package_id=r["package_id"], entry_id=r["entry_id"], agency_id=agency["agency_id"] or "",
                        recipient=email, kind=kind, due_date=r["due"], sent_on=as_of, delivered=delivered))
            try:
                model.Session.commit()
            except sa.exc.IntegrityError:  # another run recorded the same reminder meanwhile
                model.Session.rollback()
            report.append({**_summary(agency, due_soon, overdue), "recipient": email, "sent": delivered,
                           "reason": "sent" if delivered else "logged", "subject": subject, "body": body})
    return report


def _summary(agency: dict, due_soon=None, overdue=None) -> dict:
    due_soon = agency["due_soon"] if due_soon is None else due_soon
    overdue = agency["overdue"] if overdue is None else overdue
    return {"agency": agency["agency_name"], "agency_title": agency["agency_title"],
            "province": agency["province"], "year": agency["year"],
            "due_soon": [r["package_name"] for r in due_soon], "overdue": [r["package_name"] for r in overdue]}
