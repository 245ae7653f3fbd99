"""Agency and theme pages while Solr is unreachable.

CKAN's organization_show and group_show count the datasets with package_search even
when no dataset list is asked for, so every page that names an agency (a dataset
page's sidebar too) would fail. On a search error they are asked again with the counts
read from PostgreSQL (public datasets; CKAN's `dataset_counts` context key) and
without the dataset list; a page says once that search is unavailable.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import g, request

from ckan import model
from ckan.lib.search.common import SearchError
import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.resilience import search


def database_counts() -> dict:
    """{"owner_org": {org id: n}, "groups": {group name: n}} of public active datasets."""
    public = sa.and_(model.Package.state == "active", model.Package.private.is_(False),
                     model.Package.type == "dataset")
    by_org = (model.Session.query(model.Package.owner_org, sa.func.count())
              .filter(public).group_by(model.Package.owner_org))
    by_group = (model.Session.query(model.Group.name, sa.func.count())
                .join(model.Member, model.Member.group_id == model.Group.id)
                .join(model.Package, model.Package.id == model.Member.table_id)
                .filter(public, model.Member.table_name == "package", model.Member.state == "active",
                        model.Group.is_organization.is_(False))
                .group_by(model.Group.name))
    return {"owner_org": dict(by_org.all()), "groups": dict(by_group.all())}


def show_with_database_counts(original_action, context, data_dict):
    try:
        return original_action(context, data_dict)
    except SearchError:
        _tell_the_visitor()
        retry = dict(context, dataset_counts=database_counts())
        return original_action(retry, dict(data_dict, include_datasets=False))


def _tell_the_visitor() -> None:
    try:
        if request.path.startswith("/api/") or g.get("opendata_vn_search_notice"):
            return
        g.opendata_vn_search_notice = True
    except RuntimeError:  # outside a web request
        return
    tk.h.flash_notice(search.message())


@tk.side_effect_free
@tk.chained_action
def group_show(original_action, context, data_dict):
    return show_with_database_counts(original_action, context, data_dict)


@tk.side_effect_free
@tk.chained_action
def organization_show(original_action, context, data_dict):
    return show_with_database_counts(original_action, context, data_dict)


def get_actions() -> dict:
    return {"group_show": group_show, "organization_show": organization_show}
