"""Compliance figures for a province and year, per agency and for the province.

Definitions (README "Compliance"):
- The year's catalog: the province's *published* catalogs of that year (decision and
  its amendments; a later one's values win for a dataset listed twice). A year with
  no decision falls back to the published plans whose period covers it.
- Agencies: the lead agency of each entry is the dataset's current owner (an agency's
  successor takes over its duties); co-providers are not counted.
- Published entry: its dataset is public and active and has at least one resource
  with data (a file or link) created on or before the reference date.
- First-provided: the entry's date as approved (else the dataset's `first_provided`);
  met when the first data resource came on or before it, missed when it came later or
  has not come and the date has passed, pending before the date, no_date without one.
- Up to date: a published entry's last update (latest of `data_updated`, resource
  creation/modification and confirmations on or before the reference date) plus the
  declared frequency (schedule.next_due) or the province's review rule, whichever is
  earlier, plus the grace days, is not past the reference date.
- Agencies providing open data: agencies of the year's catalog with at least one public
  dataset with data (in the catalog or not), against the plan target.
The reference date (`as_of`) is today for the current year and 31 December for a past
year. Figures for a past year use the timestamps known now (there is no history of
deletions or visibility changes).
"""
from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from ckan import model

from ckanext.opendata_vn.core import due_dates as schedule

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog.rows import parse_first_provided
from ckanext.opendata_vn.compliance import settings

Date = datetime.date
EXTRA_KEYS = ("data_updated", "first_provided", "update_frequency", "theme")


# ----------------------------------------------------------------- loaded data
@dataclass
class CatalogInfo:
    id: str
    key: str
    title: str
    kind: str
    year: int
    period: str
    document_number: str
    document_date: str
    created: datetime.datetime
    amends_id: str | None

    def years(self) -> set[int]:
        """Years the catalog covers: its year; a plan its whole period ("2023-2025",
        "đến năm 2025")."""
        if self.kind != "plan":
            return {self.year}
        found = [int(y) for y in re.findall(r"\b(20\d\d)\b", self.period or "")]
        if len(found) >= 2:
            return set(range(min(found), max(found) + 1))
        if len(found) == 1:
            end = found[0]
            return set(range(min(self.year, end), max(self.year, end) + 1))
        return {self.year}

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "kind": self.kind, "year": self.year,
                "document_number": self.document_number, "document_date": self.document_date}


@dataclass
class Dataset:
    id: str
    name: str
    title: str
    owner_org: str | None
    private: bool
    active: bool
    extras: dict = field(default_factory=dict)
    data_dates: list = field(default_factory=list)    # local dates a data resource was created
    update_dates: list = field(default_factory=list)  # resource created/modified, data_updated, confirmations


@dataclass
class Agency:
    id: str
    name: str
    title: str


@dataclass
class ProvinceData:
    province: str
    catalogs: list[CatalogInfo]
    entries: list[dict]                   # raw entry rows of the published catalogs
    datasets: dict[str, Dataset]          # entry datasets and the agencies' other datasets
    agencies: dict[str, Agency]
    successor: dict[str, str]             # org id → successor org id


def _local_date(value, tz) -> Date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(tz).date()
    if isinstance(value, Date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if len(text) <= 10:
            return Date.fromisoformat(text)
        return _local_date(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")), tz)
    except ValueError:
        return None


def load(province: str) -> ProvinceData:
    """Everything the figures need for one province, in a handful of queries."""
    tz = settings.timezone()
    conn = model.Session.connection()
    catalogs = [CatalogInfo(*row) for row in conn.execute(sa.text(
        "SELECT id, key, title, kind, year, period, document_number, document_date, created, amends_id "
        "FROM opendata_vn_catalog WHERE province = :p AND state = 'published' ORDER BY year, created"),
        {"p": province})]
    if not catalogs:
        return ProvinceData(province, [], [], {}, {}, {})
    catalog_ids = [c.id for c in catalogs]
    entries = [dict(row._mapping) for row in conn.execute(sa.text(
        "SELECT id, catalog_id, package_id, number, theme_number, theme, title, agency, first_provided, "
        "frequency, position FROM opendata_vn_catalog_entry WHERE catalog_id = ANY(:ids) "
        "ORDER BY position"), {"ids": catalog_ids})]
    entry_pkgs = list({e["package_id"] for e in entries})
    datasets: dict[str, Dataset] = {}
    for row in conn.execute(sa.text(
            "SELECT id, name, title, owner_org, private, state FROM package WHERE id = ANY(:ids)"),
            {"ids": entry_pkgs}):
        datasets[row.id] = Dataset(row.id, row.name, row.title, row.owner_org, bool(row.private),
                                   row.state == "active")
    # successor chains (org field `successor` holds the successor's name)
    successor = {}
    for row in conn.execute(sa.text(
            "SELECT ge.group_id, g2.id AS successor_id FROM group_extra ge "
            "JOIN \"group\" g2 ON g2.name = ge.value AND g2.state = 'active' "
            "WHERE ge.key = 'successor' AND ge.state = 'active' AND ge.value <> ''")):
        if row.group_id != row.successor_id:
            successor[row.group_id] = row.successor_id
    owner_ids = {_resolve(d.owner_org, successor) for d in datasets.values() if d.owner_org}
    # the agencies' other public datasets count for "provides open data"
    for row in conn.execute(sa.text(
            "SELECT id, name, title, owner_org, private, state FROM package "
            "WHERE owner_org = ANY(:orgs) AND state = 'active' AND NOT private AND type = 'dataset'"),
            {"orgs": list(owner_ids | set(successor))}):
        if row.id not in datasets:
            datasets[row.id] = Dataset(row.id, row.name, row.title, row.owner_org, False, True)
    ids = list(datasets)
    for row in conn.execute(sa.text(
            "SELECT package_id, key, value FROM package_extra WHERE package_id = ANY(:ids) "
            "AND key = ANY(:keys) AND state = 'active'"), {"ids": ids, "keys": list(EXTRA_KEYS)}):
        datasets[row.package_id].extras[row.key] = row.value
    for row in conn.execute(sa.text(
            "SELECT package_id, created, last_modified FROM resource WHERE package_id = ANY(:ids) "
            "AND state = 'active' AND coalesce(url, '') <> ''"), {"ids": ids}):
        ds = datasets[row.package_id]
        created = _local_date(row.created, tz)
        if created:
            ds.data_dates.append(created)
            ds.update_dates.append(created)
        modified = _local_date(row.last_modified, tz)
        if modified:
            ds.update_dates.append(modified)
    for row in conn.execute(sa.text(
            "SELECT package_id, created FROM opendata_vn_workflow_event WHERE action = 'confirm' "
            "AND package_id = ANY(:ids)"), {"ids": entry_pkgs}):
        if row.package_id in datasets:
            datasets[row.package_id].update_dates.append(_local_date(row.created, tz))
    for ds in datasets.values():
        updated = _local_date(ds.extras.get("data_updated"), tz)
        if updated:
            ds.update_dates.append(updated)
    org_ids = {d.owner_org for d in datasets.values() if d.owner_org} | set(successor.values())
    agencies = {row.id: Agency(row.id, row.name, row.title) for row in conn.execute(sa.text(
        "SELECT id, name, title FROM \"group\" WHERE id = ANY(:ids)"), {"ids": list(org_ids)})}
    return ProvinceData(province, catalogs, entries, datasets, agencies, successor)


def _resolve(org_id: str | None, successor: dict[str, str]) -> str | None:
    seen = set()
    while org_id in successor and org_id not in seen:
        seen.add(org_id)
        org_id = successor[org_id]
    return org_id


# ----------------------------------------------------------------- figures
def catalogs_for_year(data: ProvinceData, year: int) -> tuple[str, list[CatalogInfo]]:
    decisions = [c for c in data.catalogs if c.kind != "plan" and c.year == year]
    if decisions:
        return "decision", decisions
    plans = [c for c in data.catalogs if c.kind == "plan" and year in c.years()]
    return ("plan", plans) if plans else ("none", [])


def available_years(data: ProvinceData) -> list[int]:
    years = set()
    for c in data.catalogs:
        years |= c.years()
    return sorted(years)


def pick_year(data: ProvinceData) -> int:
    """This year if a catalog covers it, else the latest earlier year that has one."""
    this_year = settings.today().year
    past = [y for y in available_years(data) if y <= this_year]
    return this_year if this_year in past or not past else max(past)


def default_as_of(year: int) -> Date:
    today = settings.today()
    return today if year >= today.year else Date(year, 12, 31)


def _entry_status(entry: dict, ds: Dataset, province: str, as_of: Date, review_months, grace: int) -> dict:
    freq_match = vocab.match_frequency(entry["frequency"])
    freq = freq_match.frequency if freq_match and freq_match.matched else \
        vocab.FREQUENCY_BY_CODE.get(ds.extras.get("update_frequency") or "")
    first_due = parse_first_provided(entry["first_provided"]) if entry["first_provided"] else None
    if first_due is None:
        first_due = _local_date(ds.extras.get("first_provided"), datetime.timezone.utc)
    data_dates = [d for d in ds.data_dates if d <= as_of]
    first_data = min(data_dates) if data_dates else None
    published = ds.active and not ds.private and first_data is not None
    if first_due is None:
        first_status = "no_date"
    elif published:
        first_status = "met" if first_data <= first_due else "missed"
    elif as_of > first_due:
        first_status = "missed"
    else:
        first_status = "pending"
    last_update = update_due = deadline = None
    if published:
        last_update = max(d for d in ds.update_dates if d <= as_of)
        update_due = schedule.update_due(freq, last_update, review_months)
        deadline = update_due + datetime.timedelta(days=grace) if update_due else None
    if not published:
        status = "not_provided_overdue" if first_status == "missed" else "not_provided"
        due = first_due
        days_late = (as_of - first_due).days if status == "not_provided_overdue" else 0
    elif deadline and as_of > deadline:
        status, due, days_late = "update_overdue", update_due, (as_of - deadline).days
    else:
        status, due, days_late = "up_to_date", update_due, 0
    theme = vocab.match_theme(entry["theme"]) or vocab.THEME_BY_CODE.get(ds.extras.get("theme") or "")
    return {
        "entry_id": entry["id"], "package_id": ds.id, "package_name": ds.name, "title": entry["title"],
        "dataset_title": ds.title, "number": entry["number"], "theme_number": entry["theme_number"],
        "theme": theme.code if theme else "", "agency_as_listed": entry["agency"],
        "frequency": freq.code if freq else "", "frequency_text": entry["frequency"],
        "first_due": first_due, "first_data": first_data, "first_status": first_status,
        "published": published, "last_update": last_update, "update_due": update_due, "deadline": deadline,
        "status": status, "due": due, "days_late": days_late,
        "overdue": status in ("not_provided_overdue", "update_overdue"),
    }


def _share(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


def compute(data: ProvinceData, year: int, as_of: Date | None = None, theme: str | None = None,
            agency: str | None = None) -> dict:
    """The figures for one year (see the module docstring), optionally for one theme
    (code) and/or one agency (id or name)."""
    as_of = as_of or default_as_of(year)
    basis, catalogs = catalogs_for_year(data, year)
    review = settings.review_months(data.province)
    grace = settings.grace_days()
    order = {c.id: (c.document_date or "", c.created, i) for i, c in enumerate(catalogs)}
    # a dataset listed by several of the year's catalogs counts once; the later catalog's values win
    chosen: dict[str, dict] = {}
    for entry in sorted((e for e in data.entries if e["catalog_id"] in order),
                        key=lambda e: (order[e["catalog_id"]], e["position"])):
        chosen[entry["package_id"]] = entry
    agency_filter = None
    if agency:
        agency_filter = next((a.id for a in data.agencies.values() if agency in (a.id, a.name)), "-")
    rows = []
    for package_id, entry in chosen.items():
        ds = data.datasets.get(package_id)
        if ds is None or not ds.active:
            continue
        org_id = _resolve(ds.owner_org, data.successor)
        status = _entry_status(entry, ds, data.province, as_of, review, grace)
        if theme and status["theme"] != theme:
            continue
        if agency_filter and org_id != agency_filter:
            continue
        org = data.agencies.get(org_id)
        status.update(agency_id=org_id, agency_name=org.name if org else "",
                      agency_title=org.title if org else entry["agency"])
        rows.append(status)
    # agencies with duties this year, and those with at least one open dataset
    per_agency: dict[str, dict] = {}
    for row in rows:
        a = per_agency.setdefault(row["agency_id"], _agency_row(data, row["agency_id"]))
        a["entries"] += 1
        a["published"] += row["published"]
        a["first_" + row["first_status"]] += 1
        a["up_to_date"] += row["status"] == "up_to_date"
        a["update_overdue"] += row["status"] == "update_overdue"
        a["not_provided_overdue"] += row["status"] == "not_provided_overdue"
    open_by_agency = defaultdict(int)
    for ds in data.datasets.values():
        if not ds.active or ds.private or not any(d <= as_of for d in ds.data_dates):
            continue
        if theme:
            ds_theme = ds.extras.get("theme") or ""
            if ds_theme != theme:
                continue
        open_by_agency[_resolve(ds.owner_org, data.successor)] += 1
    for agency_id, a in per_agency.items():
        a["open_datasets"] = open_by_agency.get(agency_id, 0)
        a["provides_open_data"] = a["open_datasets"] > 0
        a["overdue"] = a["update_overdue"] + a["not_provided_overdue"]
        a["status"] = "late" if a["overdue"] else ("on_time" if a["published"] else "pending")
        a["published_share"] = _share(a["published"], a["entries"])
    agencies = sorted(per_agency.values(), key=lambda a: (-a["overdue"], a["title"]))
    providing = sum(1 for a in agencies if a["provides_open_data"])
    target = settings.target(data.province, year)
    keys = ("entries", "published", "first_met", "first_missed", "first_pending", "first_no_date",
            "up_to_date", "update_overdue", "not_provided_overdue", "overdue")
    totals = {k: sum(a[k] for a in agencies) for k in keys}
    totals.update(
        agencies=len(agencies), agencies_providing=providing, agencies_late=sum(a["status"] == "late" for a in agencies),
        share=_share(providing, len(agencies)), published_share=_share(totals["published"], totals["entries"]),
        target=target.as_dict() if target else None,
        target_met=target.met(providing, len(agencies)) if target else None)
    overdue = sorted((r for r in rows if r["overdue"]), key=lambda r: (-r["days_late"], r["agency_title"], r["title"]))
    return {
        "province": data.province, "year": year, "as_of": as_of, "basis": basis,
        "catalogs": [c.as_dict() for c in catalogs], "filters": {"theme": theme or "", "agency": agency or ""},
        "review_months": review, "grace_days": grace,
        "totals": totals, "agencies": agencies, "overdue": overdue, "entries": rows,
    }


def _agency_row(data: ProvinceData, agency_id: str | None) -> dict:
    org = data.agencies.get(agency_id)
    row = {"id": agency_id, "name": org.name if org else "", "title": org.title if org else ""}
    for key in ("entries", "published", "first_met", "first_missed", "first_pending", "first_no_date",
                "up_to_date", "update_overdue", "not_provided_overdue"):
        row[key] = 0
    return row


def trend(data: ProvinceData, theme: str | None = None, agency: str | None = None,
          until: int | None = None) -> list[dict]:
    """Provincial totals for every year the province has catalogs for (up to `until`)."""
    until = until or settings.today().year
    out = []
    for year in available_years(data):
        if year > until:
            continue
        t = compute(data, year, theme=theme, agency=agency)["totals"]
        out.append({"year": year, **{k: t[k] for k in (
            "entries", "published", "agencies", "agencies_providing", "share", "published_share",
            "up_to_date", "overdue", "target", "target_met")}})
    return out


def monthly(result: dict) -> list[dict]:
    """Cumulative published entries and providing agencies month by month in the year."""
    year, as_of = result["year"], result["as_of"]
    out = []
    for month in range(1, 13):
        start = Date(year, month, 1)
        if start > as_of:
            break
        end = min(schedule.add_months(start, 1) - datetime.timedelta(days=1), as_of)
        published = [r for r in result["entries"] if r["published"] and r["first_data"] <= end]
        out.append({"month": month, "label": f"{month:02d}/{year}", "published": len(published),
                    "agencies": len({r["agency_id"] for r in published})})
    return out


def report(province: str | None = None, year: int | None = None, as_of: Date | None = None,
           theme: str | None = None, agency: str | None = None, with_trend: bool = False) -> dict:
    """Load and compute: the figures the dashboard, the API and the export share."""
    import ckan.plugins.toolkit as tk
    province = vocab.nfc(province or tk.config.get("ckanext.opendata_vn.province"))
    data = load(province)
    year = int(year) if year else pick_year(data)
    result = compute(data, year, as_of=as_of, theme=theme or None, agency=agency or None)
    result["years"] = available_years(data)
    if with_trend:
        result["trend"] = trend(data, theme=theme or None, agency=agency or None)
        result["monthly"] = monthly(result)
    return result


def provinces() -> list[str]:
    from ckanext.opendata_vn.catalog.model import Catalog
    return [p for (p,) in model.Session.query(Catalog.province).filter(Catalog.state == "published")
            .distinct().order_by(Catalog.province)]


def jsonable(value):
    """Dates → ISO strings, recursively (for the API and the CSV)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (Date, datetime.datetime)):
        return value.isoformat()
    return value
