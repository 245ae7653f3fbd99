"""Plugin wiring only: which CKAN interfaces we implement and where they point.

Each feature package registers what it needs through a small module (`*/wiring.py`,
or `dcat/actions.py`, `dcat/ui.py`); the methods below merge them once, in one order.
"""
from __future__ import annotations

from collections import OrderedDict

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.opendata_vn import cli, helpers, indexing, views
from ckanext.opendata_vn.catalog import themes
from ckanext.opendata_vn.dcat import actions as dcat_actions
from ckanext.opendata_vn.dcat import harvest as dcat_harvest
from ckanext.opendata_vn.dcat import ui as dcat_ui
from ckanext.opendata_vn.harvest import wiring as harvest_wiring
from ckanext.opendata_vn.loader import wiring as loader_wiring
from ckanext.opendata_vn.logic import actions, auth, validators
from ckanext.opendata_vn.portal import wiring as portal_wiring
from ckanext.opendata_vn.privacy import wiring as privacy_wiring
from ckanext.opendata_vn.province import wiring as province_wiring
from ckanext.opendata_vn.resilience import wiring as resilience_wiring
from ckanext.opendata_vn.security import wiring as security_wiring
from ckanext.opendata_vn.workflow import wiring as workflow_wiring

# catalog workflow and compliance, harvesting, citizens' pages and feedback, personal data
# guard, web and deployment hardening, serving through service restarts, the province's
# identity and reorganisation
FEATURES = (workflow_wiring, harvest_wiring, portal_wiring, privacy_wiring, security_wiring,
            resilience_wiring, province_wiring, loader_wiring)


def _merged_dicts(name: str, *extra: dict) -> dict:
    merged: dict = {}
    for part in (*extra, *(getattr(f, name)() for f in FEATURES if hasattr(f, name))):
        clash = set(merged) & set(part)
        if clash:  # a second registration would silently hide the first
            raise RuntimeError(f"opendata_vn: {name} registered twice: {sorted(clash)}")
        merged.update(part)
    return merged


@tk.blanket.config_declarations
class OpendataVnPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IClick)
    p.implements(p.ITemplateHelpers)
    p.implements(p.ITranslation)
    p.implements(p.IValidators)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(IDCATRDFHarvester, inherit=True)
    p.implements(p.IConfigurable)
    p.implements(p.IAuthenticator, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurable: production refuses weak secrets; login throttle signals
    def configure(self, config):
        security_wiring.configure(config)

    # IAuthenticator: the login form refuses attempts while the account or address is throttled
    def login(self):
        return security_wiring.login()

    # IMiddleware: cookies served over https are Secure
    def make_middleware(self, app, config):
        return security_wiring.make_middleware(app)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        for feature in FEATURES:
            if hasattr(feature, "update_config"):
                feature.update_config(config)

    # IClick
    def get_commands(self):
        return cli.get_commands()

    # ITemplateHelpers
    def get_helpers(self):
        return _merged_dicts("get_helpers", helpers.get_helpers(), dcat_ui.get_helpers())

    # IValidators
    def get_validators(self):
        return validators.get_validators()

    # IActions
    def get_actions(self):
        return _merged_dicts("get_actions", actions.get_actions(), dcat_actions.get_actions())

    # IAuthFunctions
    def get_auth_functions(self):
        return _merged_dicts("get_auth_functions", auth.get_auth_functions())

    # IBlueprint
    def get_blueprint(self):
        return [*views.get_blueprints(), *(bp for f in FEATURES for bp in f.get_blueprints())]

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

    # IResourceController: an uploaded table with personal columns is held back first
    # (privacy: no file, no link, so it is no data change either); then an uploaded file
    # or changed data link sets `data_updated` (workflow/compliance); last, a table that
    # passed the guard is queued for its DataStore load (loader)
    def before_resource_create(self, context, resource):
        privacy_wiring.before_resource_create(context, resource)
        workflow_wiring.before_resource_create(context, resource)
        loader_wiring.before_resource_create(context, resource)

    def after_resource_create(self, context, resource):
        privacy_wiring.after_resource_change(context, resource)
        workflow_wiring.after_resource_change(context, resource)
        loader_wiring.after_resource_change(context, resource)

    def before_resource_update(self, context, current, resource):
        privacy_wiring.before_resource_update(context, current, resource)
        workflow_wiring.before_resource_update(context, current, resource)
        loader_wiring.before_resource_update(context, current, resource)

    def after_resource_update(self, context, resource):
        privacy_wiring.after_resource_change(context, resource)
        workflow_wiring.after_resource_change(context, resource)
        loader_wiring.after_resource_change(context, resource)

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

    # IPermissionLabels: IT reviewers read every agency's private datasets
    def get_dataset_labels(self, dataset_obj):
        return workflow_wiring.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj):
        return workflow_wiring.get_user_dataset_labels(user_obj)

    # IDCATRDFHarvester: a DCAT-harvested dataset goes to its local agency and keeps
    # the catalog fields curated here
    def before_create(self, harvest_object, dataset_dict, temp_dict):
        dcat_harvest.before_create(harvest_object, dataset_dict, temp_dict)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        dcat_harvest.before_update(harvest_object, dataset_dict, temp_dict)

    # and fetches only what safe_http allows (harvest/safe_http.py)
    def before_download(self, url, harvest_job):
        return dcat_harvest.before_download(url, harvest_job)

    def update_session(self, session):
        return dcat_harvest.update_session(session)
