"""Compliance actions (registered through compliance/wiring.py; auth functions in auth.py)."""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.compliance import figures, reminders
_ = tk._


def parse_params(data_dict: dict) -> dict:
    """province, year, as_of, theme, agency from an action call or a query string."""
    errors = {}
    out = {"province": vocab.nfc(data_dict.get("province") or "") or tk.config.get("ckanext.opendata_vn.province")}
    year = data_dict.get("year")
    if year not in (None, ""):
        try:
            out["year"] = int(year)
        except (TypeError, ValueError):
            errors["year"] = [_("Năm phải là số, vd. 2025.")]
    as_of = data_dict.get("as_of")
    if as_of not in (None, ""):
        try:
            out["as_of"] = as_of if isinstance(as_of, datetime.date) else datetime.date.fromisoformat(str(as_of))
        except ValueError:
            errors["as_of"] = [_("Ngày tính phải có dạng YYYY-MM-DD.")]
    theme = data_dict.get("theme") or ""
    if theme and theme not in vocab.THEME_BY_CODE:
        errors["theme"] = [_("Không có chủ đề \"{theme}\".").format(theme=theme)]
    out["theme"] = theme or None
    out["agency"] = data_dict.get("agency") or None
    if errors:
        raise tk.ValidationError(errors)
    return out


@tk.side_effect_free
def compliance_report(context, data_dict):
    """Compliance figures of a province for a year: per agency, for the province,
    the overdue list and (with_trend) the yearly and monthly series.

    :param province: default: the portal's province
    :param year: default: the current year (or the latest year with a catalog)
    :param as_of: reference date YYYY-MM-DD (default: today, or 31 Dec of a past year)
    :param theme: theme code (e.g. "giao-duc") to count that theme only
    :param agency: organization name or id to count that agency only
    :param with_trend: include "trend" (per year) and "monthly" (default false)
    :param include_entries: include every entry's status (default false)
    """
    tk.check_access("opendata_vn_compliance_report", context, data_dict)
    params = parse_params(data_dict)
    result = figures.report(**params, with_trend=tk.asbool(data_dict.get("with_trend", False)))
    if not tk.asbool(data_dict.get("include_entries", False)):
        result.pop("entries", None)
    _hide_unreadable_datasets([*result.get("entries", []), *result.get("overdue", [])], context)
    return figures.jsonable(result)


def _hide_unreadable_datasets(rows: list[dict], context: dict) -> None:
    """The figures are public, private datasets are not: a row whose dataset became
    private keeps its entry title (from the published catalog) but not the dataset's
    name and title, unless the caller may read that dataset."""
    from ckan import model
    ids = {r["package_id"] for r in rows}
    private = {i for (i,) in model.Session.query(model.Package.id).filter(
        model.Package.id.in_(ids), model.Package.private == True)} if ids else set()  # noqa: E712
    readable = {}
    for pkg_id in private:
        try:
            tk.check_access("package_show", {"model": model, "user": context.get("user") or ""}, {"id": pkg_id})
            readable[pkg_id] = True
        except tk.NotAuthorized:
            readable[pkg_id] = False
    for row in rows:
        if row["package_id"] in private and not readable[row["package_id"]]:
            row["package_name"] = row["dataset_title"] = None


@tk.side_effect_free
def reminder_list(context, data_dict):
    """Who would be reminded today (or on `as_of`) of which entries, without sending.

    :param as_of: YYYY-MM-DD; :param days: look-ahead (default reminder_days); :param province
    """
    tk.check_access("opendata_vn_reminder_list", context, data_dict)
    params = parse_params({"as_of": data_dict.get("as_of")})
    days = data_dict.get("days")
    rows = reminders.select(params.get("as_of"), int(days) if days not in (None, "") else None,
                            data_dict.get("province") or None)
    return figures.jsonable([{**{k: v for k, v in a.items() if k not in ("due_soon", "overdue")},
                              "due_soon": [r["package_name"] for r in a["due_soon"]],
                              "overdue": [r["package_name"] for r in a["overdue"]],
                              "recipients": [email for _n, email in a["recipients"]]} for a in rows])


def get_actions() -> dict:
    return {"opendata_vn_compliance_report": compliance_report, "opendata_vn_reminder_list": reminder_list}
