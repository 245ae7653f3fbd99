"""Production refuses to start with a placeholder or short secret or password.

`ckanext.opendata_vn.environment = production` (config/production.ini) makes the
plugin check, when CKAN loads, SECRET_KEY and the passwords inside the database and
Redis URLs; `python -m ckanext.opendata_vn.security.production` checks the compose
environment (scripts/docker/ckan-entrypoint.sh runs it first), including the
passwords CKAN's config never sees (PostgreSQL superuser, first sysadmin)."""
from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

# words of the examples (.env.example, config/*.ini): a value containing one is not a secret
PLACEHOLDERS = ("change-me", "changeme", "change_me", "replace-me", "test-only", "example", "secret",
                "password", "xxxx")
MACHINE_MIN = 32   # generated secrets and service passwords (`openssl rand -hex 24`)
PERSON_MIN = 12    # the sysadmin's login password

# config key → the .env variable it comes from in the compose deployment
CONFIG_SECRETS = {
    "SECRET_KEY": ("CKAN_SECRET_KEY", MACHINE_MIN),
    "sqlalchemy.url": ("CKAN_DB_PASSWORD", MACHINE_MIN),
    "ckan.datastore.write_url": ("DATASTORE_RW_PASSWORD", MACHINE_MIN),
    "ckan.datastore.read_url": ("DATASTORE_RO_PASSWORD", MACHINE_MIN),
    "ckan.redis.url": ("the Redis password", MACHINE_MIN),
}
ENV_SECRETS = {
    "CKAN_SECRET_KEY": MACHINE_MIN, "POSTGRES_PASSWORD": MACHINE_MIN, "CKAN_DB_PASSWORD": MACHINE_MIN,
    "DATASTORE_RW_PASSWORD": MACHINE_MIN, "DATASTORE_RO_PASSWORD": MACHINE_MIN,
    "CKAN_SYSADMIN_PASSWORD": PERSON_MIN,
}


class WeakSecret(RuntimeError):
    pass


def weakness(value: str | None, minimum: int) -> str | None:
    """Why this value is not a usable secret, or None."""
    value = value or ""
    if not value:
        return "is empty"
    lowered = value.lower()
    for word in PLACEHOLDERS:
        if word in lowered:
            return f"still contains the placeholder {word!r}"
    if len(value) < minimum:
        return f"is {len(value)} characters long, at least {minimum} are needed"
    return None


def _url_password(url: str | None) -> str | None:
    try:
        return urlsplit(url or "").password
    except ValueError:
        return None


def config_problems(config) -> list[str]:
    problems = []
    for key, (variable, minimum) in CONFIG_SECRETS.items():
        if key == "SECRET_KEY":
            value = config.get(key)
        else:
            if not config.get(key):
                continue
            value = _url_password(config.get(key))
            if value is None and key == "ckan.redis.url":
                continue  # Redis without a password, on the compose network only
        reason = weakness(value, minimum)
        if reason:
            problems.append(f"{key} (set {variable} in .env) {reason}")
    return problems


def env_problems(environ) -> list[str]:
    return [f"{name} {reason}" for name, minimum in ENV_SECRETS.items()
            if name in environ and (reason := weakness(environ.get(name), minimum))]


def _refusal(problems: list[str]) -> str:
    return ("Refusing to start in production with weak secrets (generate each with "
            "`openssl rand -hex 24`):\n  - " + "\n  - ".join(problems))


def check_config(config) -> None:
    """IConfigurable.configure: raise when a production config holds a weak secret."""
    if str(config.get("ckanext.opendata_vn.environment") or "").strip().lower() != "production":
        return
    problems = config_problems(config)
    if problems:
        raise WeakSecret(_refusal(problems))


def main() -> int:
    problems = env_problems(os.environ)
    if problems:
        print(_refusal(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
