"""Web and deployment hardening: response headers (CSP, frames, HSTS, cookies), the
trusted reverse proxy, login throttling and the production secrets check."""
