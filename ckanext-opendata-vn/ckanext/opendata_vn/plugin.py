"""Plugin wiring only: which CKAN interfaces we implement and where they point."""
from __future__ import annotations

from collections import OrderedDict

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.opendata_vn import cli, helpers, indexing, views
from ckanext.opendata_vn.catalog import themes
from ckanext.opendata_vn.logic import actions, auth, validators
from ckanext.opendata_vn.workflow import wiring as workflow_wiring
from ckanext.opendata_vn.harvest import wiring as harvest_wiring
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.opendata_vn.dcat import harvest as dcat_harvest
from ckanext.opendata_vn.dcat import actions as dcat_actions
from ckanext.opendata_vn.dcat import ui as dcat_ui
from ckanext.opendata_vn.portal import wiring as portal_wiring
from ckanext.opendata_vn.privacy import wiring as privacy_wiring


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
    p.implements(p.IPermissionLabels)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IDCATRDFHarvester, inherit=True)

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
            pkg_dict["catalog_entries"] = indexing.catalog_entries(pkg_dict["id"], context.get("user"))
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

    # Annual catalog workflow and compliance tracking (workflow/, compliance/): their
    # actions, auth functions and pages are merged with the ones registered above.
    _opendata_vn_base_actions = get_actions
    _opendata_vn_base_auth_functions = get_auth_functions
    _opendata_vn_base_blueprints = get_blueprint

    def get_actions(self):  # noqa: F811
        return {**self._opendata_vn_base_actions(), **workflow_wiring.get_actions()}

    def get_auth_functions(self):  # noqa: F811
        return {**self._opendata_vn_base_auth_functions(), **workflow_wiring.get_auth_functions()}

    def get_blueprint(self):  # noqa: F811
        return [*self._opendata_vn_base_blueprints(), *workflow_wiring.get_blueprints()]

    # Harvesting agency workbooks and APIs (harvest/): its actions, auth functions,
    # the dataset page's "Nguồn dữ liệu" tab and its template folder, merged in too.
    _opendata_vn_pre_harvest_update_config = update_config
    _opendata_vn_pre_harvest_actions = get_actions
    _opendata_vn_pre_harvest_auth_functions = get_auth_functions
    _opendata_vn_pre_harvest_blueprints = get_blueprint

    def update_config(self, config):  # noqa: F811
        self._opendata_vn_pre_harvest_update_config(config)
        harvest_wiring.update_config(config)

    def get_actions(self):  # noqa: F811
        return {**self._opendata_vn_pre_harvest_actions(), **harvest_wiring.get_actions()}

    def get_auth_functions(self):  # noqa: F811
        return {**self._opendata_vn_pre_harvest_auth_functions(), **harvest_wiring.get_auth_functions()}

    def get_blueprint(self):  # noqa: F811
        return [*self._opendata_vn_pre_harvest_blueprints(), *harvest_wiring.get_blueprints()]

    # Citizens' pages (portal/: home page figures, dataset preview and downloads, API
    # snippets, developer page) and feedback (feedback/: problem reports, ratings, data
    # requests and votes): their helpers, actions, auth functions and pages, merged in too.
    _opendata_vn_pre_portal_update_config = update_config
    _opendata_vn_pre_portal_helpers = get_helpers
    _opendata_vn_pre_portal_actions = get_actions
    _opendata_vn_pre_portal_auth_functions = get_auth_functions
    _opendata_vn_pre_portal_blueprints = get_blueprint

    def update_config(self, config):  # noqa: F811
        self._opendata_vn_pre_portal_update_config(config)
        portal_wiring.update_config(config)

    def get_helpers(self):  # noqa: F811
        return {**self._opendata_vn_pre_portal_helpers(), **portal_wiring.get_helpers()}

    def get_actions(self):  # noqa: F811
        return {**self._opendata_vn_pre_portal_actions(), **portal_wiring.get_actions()}

    def get_auth_functions(self):  # noqa: F811
        return {**self._opendata_vn_pre_portal_auth_functions(), **portal_wiring.get_auth_functions()}

    def get_blueprint(self):  # noqa: F811
        return [*self._opendata_vn_pre_portal_blueprints(), *portal_wiring.get_blueprints()]

    # IPermissionLabels: IT reviewers read every agency's private datasets
    def get_dataset_labels(self, dataset_obj):
        return workflow_wiring.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj):
        return workflow_wiring.get_user_dataset_labels(user_obj)

    # IResourceController: an uploaded file or changed data link sets `data_updated`;
    # first, an uploaded table with personal columns is held back (privacy/upload_guard.py:
    # no file, no link, so it is no data change either) and its review recorded after.
    def before_resource_create(self, context, resource):
        privacy_wiring.before_resource_create(context, resource)
        workflow_wiring.before_resource_create(context, resource)

    def after_resource_create(self, context, resource):
        privacy_wiring.after_resource_change(context, resource)
        workflow_wiring.after_resource_change(context, resource)

    def before_resource_update(self, context, current, resource):
        privacy_wiring.before_resource_update(context, current, resource)
        workflow_wiring.before_resource_update(context, current, resource)

    def after_resource_update(self, context, resource):
        privacy_wiring.after_resource_change(context, resource)
        workflow_wiring.after_resource_change(context, resource)

    # IDCATRDFHarvester (dcat/harvest.py): a DCAT-harvested dataset goes to its local
    # agency and keeps the catalog fields curated here
    def before_create(self, harvest_object, dataset_dict, temp_dict):
        dcat_harvest.before_create(harvest_object, dataset_dict, temp_dict)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        dcat_harvest.before_update(harvest_object, dataset_dict, temp_dict)

    # Vietnamese titles of the DCAT and CKAN harvest source types (dcat/ui.py)
    _opendata_vn_pre_dcat_helpers = get_helpers

    def get_helpers(self):  # noqa: F811
        return {**self._opendata_vn_pre_dcat_helpers(), **dcat_ui.get_helpers()}

    # /catalog.{ttl,jsonld,xml}: one query per page for catalog entries (dcat/actions.py)
    _opendata_vn_pre_dcat_actions = get_actions

    def get_actions(self):  # noqa: F811
        return {**self._opendata_vn_pre_dcat_actions(), **dcat_actions.get_actions()}

    # Personal data guard (privacy/, issue #8): the reviewers' page and decisions, the
    # DataStore read API and downloads refused for held-back resources, their template
    # helpers and template overrides, merged in too.
    _opendata_vn_pre_privacy_update_config = update_config
    _opendata_vn_pre_privacy_helpers = get_helpers
    _opendata_vn_pre_privacy_actions = get_actions
    _opendata_vn_pre_privacy_auth_functions = get_auth_functions
    _opendata_vn_pre_privacy_blueprints = get_blueprint

    def update_config(self, config):  # noqa: F811
        self._opendata_vn_pre_privacy_update_config(config)
        privacy_wiring.update_config(config)

    def get_helpers(self):  # noqa: F811
        return {**self._opendata_vn_pre_privacy_helpers(), **privacy_wiring.get_helpers()}

    def get_actions(self):  # noqa: F811
        return {**self._opendata_vn_pre_privacy_actions(), **privacy_wiring.get_actions()}

    def get_auth_functions(self):  # noqa: F811
        return {**self._opendata_vn_pre_privacy_auth_functions(), **privacy_wiring.get_auth_functions()}

    def get_blueprint(self):  # noqa: F811
        return [*self._opendata_vn_pre_privacy_blueprints(), *privacy_wiring.get_blueprints()]
