"""What plugin.py registers for the web and deployment hardening: the response
headers (an app-wide after_request hook on a blueprint without routes), the login
throttle (IAuthenticator.login + CKAN's login signals) and the production secrets
check (IConfigurable.configure), and Secure cookies over https (IMiddleware)."""
from __future__ import annotations

from flask import Blueprint

from ckanext.opendata_vn.security import headers, production, throttle

security = Blueprint("opendata_vn_security", __name__)
security.after_app_request(headers.add_security_headers)

login = throttle.refused_login
make_middleware = headers.SecureCookies


def configure(config) -> None:
    production.check_config(config)
    throttle.connect_signals()


def get_blueprints() -> list:
    return [security]
