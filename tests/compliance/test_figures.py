"""Compliance figures on the loaded seed catalogs, a few datasets published (conftest).

Worked out by hand from the documents:
- Bắc Giang's 2024 decision lists 36 datasets of 7 agencies (13 Sở Giáo dục và Đào tạo,
  5 Sở Khoa học và Công nghệ, 2 Sở Kế hoạch và Đầu tư, 1 Sở Văn hóa, Thể thao và Du lịch,
  5 Sở Tư pháp, 1 Sở Nội vụ, 9 Sở Tài chính). 29 rows say "01/01/2025" for the first
  provision; TT 29 and 31–36 (Sở Tài chính, cells lost in extraction) give no date and no
  frequency. Bắc Giang's review rule: update or confirm every 3 months; grace 10 days.
- As of 31/03/2025 with E1–E5 published (conftest.PUBLISHED):
  first provision met: E1 (15/12/2024), E3 (01/11/2024), E4 (01/10/2024) = 3;
  missed: E2 (10/02/2025, late) + 25 dated entries never provided = 26; no date: 7.
  Up to date: E2 (review due 10/05), E3 (confirmed 01/03 → 01/06), E5 (05/01 → 05/04) = 3.
  Overdue updates: E1 (annual, but the 3-month rule: 15/03 + 10 days → 6 days late on
  31/03) and E4 (quarterly from 20/12: 20/03 + 10 → 1 day late) = 2.
  Agencies with open data: Giáo dục (E1, E3), Khoa học (E2), Tài chính (E4, E5) = 3/7
  = 42.9 % against "trên 90%" for 2024: not met.
- Điện Biên's plan 2023–2025 lists 132 datasets of 15 agencies, no dates, no frequencies.
  D1 and D2 (two agencies) published in June 2023: 2/15 = 13.3 % — meets "tối thiểu 10%"
  (2023), not "tối thiểu 50%" (2024) nor 100 % (2025).
"""
from __future__ import annotations

import datetime

import pytest

from ckanext.opendata_vn.compliance import figures

D = datetime.date
pytestmark = pytest.mark.usefixtures("published_seed")


def by_name(result):
    return {a["name"]: a for a in result["agencies"]}


def test_bac_giang_2024_after_the_deadline():
    r = figures.report("Bắc Giang", 2024, as_of=D(2025, 3, 31))
    assert r["basis"] == "decision" and [c["key"] for c in r["catalogs"]] == ["bac-giang-2024"]
    assert (r["review_months"], r["grace_days"]) == (3, 10)
    t = r["totals"]
    assert {k: t[k] for k in ("entries", "published", "first_met", "first_missed", "first_pending",
                              "first_no_date", "up_to_date", "update_overdue", "not_provided_overdue",
                              "overdue")} == {
        "entries": 36, "published": 5, "first_met": 3, "first_missed": 26, "first_pending": 0,
        "first_no_date": 7, "up_to_date": 3, "update_overdue": 2, "not_provided_overdue": 25, "overdue": 27}
    assert (t["agencies"], t["agencies_providing"], t["share"], t["agencies_late"]) == (7, 3, 42.9, 7)
    assert t["target"]["op"] == ">" and t["target"]["value"] == 90 and t["target_met"] is False

    agencies = by_name(r)
    edu = agencies["bac-giang-so-giao-duc-va-dao-tao"]
    assert {k: edu[k] for k in ("entries", "published", "first_met", "first_missed", "up_to_date",
                                "update_overdue", "not_provided_overdue", "provides_open_data", "status")} == {
        "entries": 13, "published": 2, "first_met": 2, "first_missed": 11, "up_to_date": 1,
        "update_overdue": 1, "not_provided_overdue": 11, "provides_open_data": True, "status": "late"}
    finance = agencies["bac-giang-so-tai-chinh"]
    assert (finance["entries"], finance["published"], finance["first_met"], finance["first_missed"],
            finance["first_no_date"], finance["up_to_date"], finance["update_overdue"]) == (9, 2, 1, 1, 7, 1, 1)
    assert agencies["bac-giang-so-khoa-hoc-va-cong-nghe"]["first_missed"] == 5
    assert [a["provides_open_data"] for a in r["agencies"]].count(True) == 3
    assert agencies["bac-giang-so-noi-vu"]["provides_open_data"] is False

    # the overdue list: 25 never provided (89 days after 01/01/2025), then E1, then E4
    overdue = r["overdue"]
    assert [o["status"] for o in overdue[:25]] == ["not_provided_overdue"] * 25
    assert {o["days_late"] for o in overdue[:25]} == {89}
    e1, e4 = overdue[-2:]
    assert (e1["number"], e1["status"], e1["days_late"], e1["update_due"]) == ("1", "update_overdue", 6, D(2025, 3, 15))
    assert (e4["number"], e4["status"], e4["days_late"], e4["deadline"]) == ("28", "update_overdue", 1, D(2025, 3, 30))


def test_bac_giang_2024_at_year_end_by_default():
    """A past year is counted on 31 December: nothing was due yet, E2 and E5 came later."""
    r = figures.report("Bắc Giang", 2024)
    assert r["as_of"] == D(2024, 12, 31)
    t = r["totals"]
    assert (t["published"], t["first_met"], t["first_pending"], t["first_missed"], t["first_no_date"]) == (3, 3, 26, 0, 7)
    assert (t["up_to_date"], t["overdue"], t["agencies_providing"], t["agencies_late"]) == (3, 0, 2, 0)


def test_review_rule_is_per_province(monkeypatch):
    """Without Bắc Giang's 3-month rule E1 (annual) is up to date on 31/03/2025."""
    from ckan.common import config
    monkeypatch.setitem(config, "ckanext.opendata_vn.review_months", "{}")
    r = figures.report("Bắc Giang", 2024, as_of=D(2025, 3, 31))
    assert (r["totals"]["update_overdue"], r["totals"]["up_to_date"]) == (1, 4)   # only E4 (quarterly) is late
    monkeypatch.setitem(config, "ckanext.opendata_vn.update_grace_days", "0")
    monkeypatch.setitem(config, "ckanext.opendata_vn.review_months", '{"Bắc Giang": 3}')
    r = figures.report("Bắc Giang", 2024, as_of=D(2025, 3, 16))
    assert [o["number"] for o in r["overdue"] if o["status"] == "update_overdue"] == ["1"]


def test_filters_by_theme_and_agency():
    r = figures.report("Bắc Giang", 2024, as_of=D(2025, 3, 31), theme="giao-duc")
    assert (r["totals"]["entries"], r["totals"]["agencies"], r["totals"]["published"]) == (13, 1, 2)
    r = figures.report("Bắc Giang", 2024, as_of=D(2025, 3, 31), agency="bac-giang-so-tai-chinh")
    t = r["totals"]
    assert (t["entries"], t["agencies"], t["agencies_providing"], t["share"]) == (9, 1, 1, 100.0)
    assert figures.report("Bắc Giang", 2024, theme="y-te")["totals"]["entries"] == 0


def test_dien_bien_plan_targets_and_trend():
    r = figures.report("Điện Biên", 2023, with_trend=True)
    assert r["basis"] == "plan" and r["as_of"] == D(2023, 12, 31)
    t = r["totals"]
    assert (t["entries"], t["agencies"], t["agencies_providing"], t["share"]) == (132, 15, 2, 13.3)
    assert (t["published"], t["first_no_date"], t["up_to_date"], t["overdue"]) == (2, 132, 2, 0)
    assert (t["target"]["op"], t["target"]["value"], t["target_met"]) == (">=", 10, True)
    trend = {row["year"]: row for row in r["trend"]}
    assert [(trend[y]["share"], trend[y]["target"]["value"], trend[y]["target_met"]) for y in (2023, 2024, 2025)] == [
        (13.3, 10, True), (13.3, 50, False), (13.3, 100, False)]
    assert r["monthly"][4]["published"] == 0 and r["monthly"][5]["published"] == 2   # June 2023
    assert len(r["monthly"]) == 12


def test_bac_giang_years_use_the_decision_or_the_plan():
    r = figures.report("Bắc Giang", 2023)
    assert r["basis"] == "plan" and r["catalogs"][0]["key"] == "bac-giang-plan-2023-2025"
    assert r["totals"]["entries"] == 58
    assert r["totals"]["target"]["value"] == 70
    assert figures.report("Bắc Giang", 2024)["basis"] == "decision"
    assert figures.report("Hưng Yên", 2024)["totals"]["target"] is None   # no target configured
