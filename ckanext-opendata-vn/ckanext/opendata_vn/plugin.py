"""Plugin wiring only: which CKAN interfaces we implement and where they point."""
from __future__ import annotations

from collections import OrderedDict

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.opendata_vn import cli, helpers, indexing, views
from ckanext.opendata_vn.catalog import themes
from ckanext.opendata_vn.logic import actions, auth, validators


@tk.blanket.config_declarations
class OpendataVnPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IClick)
    p.implements(p.ITemplateHelpers)
    p.implements(p.ITranslation)
    p.implements(p.IValidators)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")

    # IClick
    def get_commands(self):
        return cli.get_commands()

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.get_helpers()

    # IValidators
    def get_validators(self):
        return validators.get_validators()

    # IActions
    def get_actions(self):
        return actions.get_actions()

    # IAuthFunctions
    def get_auth_functions(self):
        return auth.get_auth_functions()

    # IBlueprint
    def get_blueprint(self):
        return views.get_blueprints()

    # IPackageController
    def after_dataset_create(self, context, pkg_dict):
        themes.sync_theme_membership(pkg_dict["id"], pkg_dict.get("theme"))

    def after_dataset_update(self, context, pkg_dict):
        if "theme" in pkg_dict:
            themes.sync_theme_membership(pkg_dict["id"], pkg_dict.get("theme"))

    def before_dataset_index(self, pkg_dict):
        return indexing.before_index(pkg_dict)

    def after_dataset_search(self, search_results, search_params):
        return helpers.label_facets(search_results)

    def after_dataset_show(self, context, pkg_dict):
        if not context.get("for_indexing") and pkg_dict.get("id"):
            pkg_dict["catalog_entries"] = indexing.catalog_entries(pkg_dict["id"])
        return pkg_dict

    # IFacets: the Decree 47 columns, Vietnamese labels (gettext for English)
    def dataset_facets(self, facets_dict, package_type):
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
