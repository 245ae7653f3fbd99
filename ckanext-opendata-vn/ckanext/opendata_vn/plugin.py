"""Plugin wiring only: which CKAN interfaces we implement and where they point."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.opendata_vn import cli, helpers
from ckanext.opendata_vn.logic import validators


class OpendataVnPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigDeclaration, inherit=True)
    p.implements(p.IClick)
    p.implements(p.ITemplateHelpers)
    p.implements(p.ITranslation)
    p.implements(p.IValidators)

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
