"""What plugin.py registers for the web and deployment hardening: the response
headers (an app-wide after_request hook on a blueprint without routes), the login
throttle (IAuthenticator.login + CKAN's login signals) and the production secrets
check (IConfigurable.configure), and Secure cookies over https (IMiddleware)."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.security import headers, link_schemes, production, throttle

security = Blueprint("opendata_vn_security", __name__)
security.after_app_request(headers.add_security_headers)

login = throttle.refused_login
make_middleware = headers.SecureCookies
before_resource_show = link_schemes.before_resource_show


def update_config(config) -> None:
    # scripts replacing inline ones of core templates (assets/security_vn)
    tk.add_resource("../assets/security_vn", "security_vn")


def configure(config) -> None:
    production.check_config(config)
    throttle.connect_signals()


def get_blueprints() -> list:
    return [security]
