"""Plugin wiring only: which CKAN interfaces we implement and where they point.

Every feature package has a `wiring.py` that says what it registers (actions, auth
functions, helpers, validators, blueprints, commands, dataset and resource hooks);
FEATURES lists them all, and the methods below merge them once, in that order.
"""
from __future__ import annotations

import functools

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.opendata_vn.catalog import wiring as catalog
from ckanext.opendata_vn.compliance import wiring as compliance
from ckanext.opendata_vn.core import cli
from ckanext.opendata_vn.dcat import wiring as dcat
from ckanext.opendata_vn.feedback import wiring as feedback
from ckanext.opendata_vn.harvest import wiring as harvest
from ckanext.opendata_vn.loader import wiring as loader
from ckanext.opendata_vn.portal import wiring as portal
from ckanext.opendata_vn.privacy import wiring as privacy
from ckanext.opendata_vn.province import wiring as province
from ckanext.opendata_vn.resilience import wiring as resilience
from ckanext.opendata_vn.security import wiring as security
from ckanext.opendata_vn.workflow import wiring as workflow

# The order matters three times: resource hooks run in it (the personal-data guard, then
# compliance's `data_updated`, then the loader queues a load); two features chaining the
# same action nest in it (the first is outermost: catalog's clean-up around the loader);
# and template folders are added in it (their ckan_extends overrides chain in that order).
FEATURES = (catalog, harvest, portal, feedback, privacy, workflow, compliance, dcat, security,
            resilience, province, loader)


def _each(hook: str):
    return [getattr(f, hook) for f in FEATURES if hasattr(f, hook)]


def _merged_dicts(name: str) -> dict:
    merged: dict = {}
    for part in (get() for get in _each(name)):
        clash = set(merged) & set(part)
        if clash:  # a second registration would silently hide the first
            raise RuntimeError(f"opendata_vn: {name} registered twice: {sorted(clash)}")
        merged.update(part)
    return merged


def _nest(outer, inner):
    """One chained action (or auth function) running `outer` around `inner`."""
    @functools.wraps(outer)
    def both(next_function, context, data_dict):
        return outer(functools.partial(inner, next_function), context, data_dict)
    return both


def _merged_chains(name: str, chained: str) -> dict:
    """Actions or auth functions: a name two features chain is nested, once."""
    merged: dict = {}
    for part in (get() for get in _each(name)):
        for key, function in part.items():
            if key not in merged:
                merged[key] = function
            elif getattr(merged[key], chained, False) and getattr(function, chained, False):
                merged[key] = _nest(merged[key], function)
            else:
                raise RuntimeError(f"opendata_vn: {name} registered {key} twice")
    return merged


@tk.blanket.config_declarations
class OpendataVnPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
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
    p.implements(p.IAuthenticator, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        for update in _each("update_config"):
            update(config)

    # IConfigurable
    def configure(self, config):
        for configure in _each("configure"):
            configure(config)

    # IClick
    def get_commands(self):
        return cli.command_groups(FEATURES)

    # ITemplateHelpers
    def get_helpers(self):
        return _merged_dicts("get_helpers")

    # IValidators
    def get_validators(self):
        return _merged_dicts("get_validators")

    # IActions
    def get_actions(self):
        return _merged_chains("get_actions", "chained_action")

    # IAuthFunctions
    def get_auth_functions(self):
        return _merged_chains("get_auth_functions", "chained_auth_function")

    # IBlueprint
    def get_blueprint(self):
        return [bp for get in _each("get_blueprints") for bp in get()]

    # IPackageController
    def after_dataset_create(self, context, pkg_dict):
        for hook in _each("after_dataset_create"):
            hook(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        for hook in _each("after_dataset_update"):
            hook(context, pkg_dict)

    def before_dataset_index(self, pkg_dict):
        for hook in _each("before_dataset_index"):
            pkg_dict = hook(pkg_dict)
        return pkg_dict

    def after_dataset_search(self, search_results, search_params):
        for hook in _each("after_dataset_search"):
            search_results = hook(search_results, search_params)
        return search_results

    def after_dataset_show(self, context, pkg_dict):
        for hook in _each("after_dataset_show"):
            pkg_dict = hook(context, pkg_dict)
        return pkg_dict

    # IResourceController
    def before_resource_create(self, context, resource):
        for hook in _each("before_resource_create"):
            hook(context, resource)

    def after_resource_create(self, context, resource):
        for hook in _each("after_resource_change"):
            hook(context, resource)

    def before_resource_update(self, context, current, resource):
        for hook in _each("before_resource_update"):
            hook(context, current, resource)

    def after_resource_update(self, context, resource):
        for hook in _each("after_resource_change"):
            hook(context, resource)

    def before_resource_show(self, resource_dict):
        for hook in _each("before_resource_show"):
            resource_dict = hook(resource_dict)
        return resource_dict

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        for hook in _each("dataset_facets"):
            facets_dict = hook(facets_dict, package_type)
        return facets_dict

    # IPermissionLabels: one feature (workflow) decides who reads private datasets
    def get_dataset_labels(self, dataset_obj):
        return workflow.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj):
        return workflow.get_user_dataset_labels(user_obj)

    # IAuthenticator, IMiddleware: one feature (security)
    def login(self):
        return security.login()

    def make_middleware(self, app, config):
        return security.make_middleware(app)

    # IDCATRDFHarvester: one feature (dcat)
    def before_create(self, harvest_object, dataset_dict, temp_dict):
        dcat.before_create(harvest_object, dataset_dict, temp_dict)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        dcat.before_update(harvest_object, dataset_dict, temp_dict)

    def before_download(self, url, harvest_job):
        return dcat.before_download(url, harvest_job)

    def update_session(self, session):
        return dcat.update_session(session)
