"""Web and deployment hardening: response headers (CSP, frames, HSTS, cookies), the
trusted reverse proxy, login throttling and the production secrets check."""

# what other features may import: the client address behind the trusted proxy (proxy) and
# the fixed-window counters of the feedback rate limits (rate_limit)
PUBLIC = ("proxy", "rate_limit")
