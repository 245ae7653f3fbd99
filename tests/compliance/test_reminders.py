"""Reminders: which entries, to whom, once per dataset, recipient and day — sent through
CKAN's mailer to a real SMTP server on the loopback interface, or logged without one."""
from __future__ import annotations

import datetime
import logging

import pytest

from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.common import config
from ckan.tests import factories, helpers

from ckanext.opendata_vn.compliance import reminders

D = datetime.date
pytestmark = pytest.mark.usefixtures("published_seed")
FOCAL = "dau-moi.stc@bacgiang.example.gov.vn"


@pytest.fixture(scope="module")
def focal_officer(published_seed):
    """Sở Tài chính (Bắc Giang) names its focal officer on the organization record."""
    admin = {"user": factories.Sysadmin()["name"]}
    helpers.call_action("organization_patch", context=dict(admin), id="bac-giang-so-tai-chinh",
                        focal_officer_name="Nguyễn Thị Đầu Mối", focal_officer_email=FOCAL)
    yield FOCAL
    helpers.call_action("organization_patch", context=dict(admin), id="bac-giang-so-tai-chinh",
                        focal_officer_name="", focal_officer_email="")


def _body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_selection_due_soon_and_overdue(published_seed, focal_officer):
    """31/03/2025, 7 days ahead: the 2024 decision is still in force in 2025 (its plan has no dates)."""
    agencies = {a["agency_name"]: a for a in reminders.select(D(2025, 3, 31), 7, "Bắc Giang")}
    finance = agencies["bac-giang-so-tai-chinh"]
    names = lambda rows: sorted(r["package_name"] for r in rows)  # noqa: E731
    assert names(finance["due_soon"]) == [published_seed["E5"]["name"]]         # review due 05/04
    assert published_seed["E4"]["name"] in names(finance["overdue"])            # 1 day late
    assert len(finance["overdue"]) == 2                                         # E4 and TT 30 never provided
    assert (FOCAL, "Nguyễn Thị Đầu Mối") in [(e, n) for n, e in finance["recipients"]]
    edu = agencies["bac-giang-so-giao-duc-va-dao-tao"]
    assert len(edu["overdue"]) == 12 and edu["due_soon"] == []                  # E1 + 11 never provided
    science = agencies["bac-giang-so-khoa-hoc-va-cong-nghe"]
    assert published_seed["E2"]["name"] not in names(science["overdue"] + science["due_soon"])
    # a shorter horizon leaves E5 out; nothing is due before the first-provision date
    assert reminders.select(D(2025, 3, 31), 3, "Bắc Giang")
    assert [a for a in reminders.select(D(2025, 3, 31), 3, "Bắc Giang")
            if a["agency_name"] == "bac-giang-so-tai-chinh"][0]["due_soon"] == []
    early = reminders.select(D(2024, 12, 1), 7, "Bắc Giang")
    assert all(not a["overdue"] for a in early)


def test_sent_once_per_dataset_recipient_and_day(published_seed, focal_officer, smtp_server):
    first = reminders.send(D(2025, 3, 31), 7, "Bắc Giang")
    to_focal = [m for rcpt, m in smtp_server.messages if FOCAL in rcpt]
    assert len(to_focal) == 1
    msg = to_focal[0]
    assert "Sở Tài chính" in msg["Subject"]
    body = _body(msg)
    assert "Kính gửi Nguyễn Thị Đầu Mối" in body
    assert "Cân đối ngân sách địa phương" in body and "quá hạn cập nhật 1 ngày" in body
    assert "Sắp đến hạn (1)" in body
    assert any(r["recipient"] == FOCAL and r["reason"] == "sent" for r in first)
    sent = len(smtp_server.messages)
    assert sent >= 1

    # the same day again: nothing new is sent
    again = reminders.send(D(2025, 3, 31), 7, "Bắc Giang")
    assert len(smtp_server.messages) == sent
    assert {r["reason"] for r in again if r["recipient"]} == {"already_sent"}
    rows = model.Session.query(reminders.ReminderSent).filter_by(recipient=FOCAL, sent_on=D(2025, 3, 31)).all()
    assert sorted(r.kind for r in rows) == ["due_soon", "overdue", "overdue"] and all(r.delivered for r in rows)

    # the next day the entries are reminded again
    reminders.send(D(2025, 4, 1), 7, "Bắc Giang")
    assert len([m for rcpt, m in smtp_server.messages if FOCAL in rcpt]) == 2


def test_without_mail_the_reminder_is_logged(published_seed, focal_officer, monkeypatch, caplog):
    monkeypatch.setitem(config, "smtp.server", "")
    logger = logging.getLogger("ckanext.opendata_vn.compliance.reminders")
    logger.addHandler(caplog.handler)   # CKAN's logging config does not propagate to pytest's
    monkeypatch.setattr(logger, "disabled", False)   # fileConfig may have disabled it
    try:
        with caplog.at_level("INFO", logger=logger.name):
            result = reminders.send(D(2025, 4, 2), 7, "Bắc Giang")
    finally:
        logger.removeHandler(caplog.handler)
    assert any(r["recipient"] == FOCAL and r["reason"] == "logged" for r in result)
    assert any(FOCAL in rec.getMessage() and "Cân đối ngân sách" in rec.getMessage() for rec in caplog.records)
    assert not any(r["reason"] == "logged" for r in reminders.send(D(2025, 4, 2), 7, "Bắc Giang"))


def test_cli_dry_run(published_seed, focal_officer, cli):
    result = cli.invoke(ckan_cli, ["compliance", "remind", "--date", "2025-04-03", "--days", "7",
                                   "--province", "Bắc Giang", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert FOCAL in result.output and "dry_run" in result.output
    assert model.Session.query(reminders.ReminderSent).filter_by(sent_on=D(2025, 4, 3)).count() == 0
