"""WSGI entry point for gunicorn: `gunicorn --paste`-free, reads CKAN_INI."""
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app
from ckan.config.environment import load_environment  # noqa: F401  (imported by make_app)
from logging.config import fileConfig

_ini = os.environ["CKAN_INI"]
fileConfig(_ini, disable_existing_loggers=False)
_config = CKANConfigLoader(_ini).get_config()
application = make_app(_config)
