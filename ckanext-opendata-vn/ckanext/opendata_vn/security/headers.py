"""Security headers on every response: a Content-Security-Policy our pages satisfy
(no inline script: every script is a static file served by the portal), no MIME
sniffing, a strict referrer policy, no framing by other sites (a resource view is
framed by our own resource page, so views allow 'self') and HSTS over https (behind
a trusted proxy too). The `Secure` flag of cookies is added by SecureCookies, around
the whole app: Flask writes the session and remember-me cookies after every
after_request hook."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.security import proxy

DEFAULT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; "
               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'self'; "
               "frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
# endpoints whose page is shown in an <iframe> of our own resource page
FRAMED_BY_US = ("resource.view", "dataset_resource.view")


def _policy(framed: bool) -> str:
    policy = str(tk.config.get("ckanext.opendata_vn.content_security_policy") or DEFAULT_CSP)
    if framed:
        policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    return policy


class SecureCookies:
    """WSGI wrapper (IMiddleware): every Set-Cookie of a response served over https
    gets `Secure`, so a session cookie never travels over plain http afterwards."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not proxy.is_https(environ):
            return self.app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [(name, value + "; Secure" if name.lower() == "set-cookie"
                        and "; secure" not in value.lower() else value) for name, value in headers]
            return start_response(status, headers, exc_info)
        return self.app(environ, secure_start_response)

    def __getattr__(self, name):  # CKAN reaches through middleware to the Flask app
        return getattr(self.app, name)


def add_security_headers(response):
    framed = (tk.request.endpoint or "") in FRAMED_BY_US
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _policy(framed))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
    if proxy.is_https():
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
