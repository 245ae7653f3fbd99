"""What the plugin registers for the Decree 47 catalog itself: the dataset schema's
validators and facets, the catalog import/export actions and pages, the agency and
theme pages' helpers, the dataset hooks that keep theme membership and the search
index in step, and the `ckan opendata` catalog commands."""
from __future__ import annotations

from collections import OrderedDict

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.catalog import auth, cli, helpers, indexing, logic, themes, validators, views

get_actions = logic.get_actions
get_auth_functions = auth.get_auth_functions
get_helpers = helpers.get_helpers
get_validators = validators.get_validators
get_blueprints = views.get_blueprints
get_commands = cli.get_commands
before_dataset_index = indexing.before_index


def after_dataset_create(context, pkg_dict) -> None:
    themes.sync_theme_membership(pkg_dict["id"], pkg_dict.get("theme"))


def after_dataset_update(context, pkg_dict) -> None:
    if "theme" in pkg_dict:
        themes.sync_theme_membership(pkg_dict["id"], pkg_dict.get("theme"))


def after_dataset_search(search_results, search_params):
    return helpers.label_facets(search_results)


def after_dataset_show(context, pkg_dict):
    if not context.get("for_indexing") and pkg_dict.get("id"):
        pkg_dict["catalog_entries"] = indexing.catalog_entries(pkg_dict["id"], context.get("user"))
    return pkg_dict


def dataset_facets(facets_dict, package_type):
    """The Decree 47 columns, Vietnamese labels (gettext for English)."""
    _ = tk._
    return OrderedDict([
        ("groups", _("Chủ đề")),
        ("organization", _("Đơn vị chủ trì")),
        ("update_frequency", _("Tần suất cung cấp")),
        ("vocab_source_types", _("Nguồn dữ liệu")),
        ("vocab_catalog_year", _("Năm danh mục")),
        ("province", _("Tỉnh")),
        ("publication_status", _("Tình trạng")),
        ("res_format", _("Định dạng")),
        ("license_id", _("Giấy phép")),
    ])
