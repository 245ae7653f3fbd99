"""WSGI entry point for gunicorn: `gunicorn --paste`-free, reads CKAN_INI."""
import gc
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app
from ckan.config.environment import load_environment  # noqa: F401  (imported by make_app)
from logging.config import fileConfig

_ini = os.environ["CKAN_INI"]
fileConfig(_ini, disable_existing_loggers=False)
_config = CKANConfigLoader(_ini).get_config()
application = make_app(_config)

# Python's cyclic garbage collector walks every object CKAN has loaded (about a million)
# at each full collection, and a request allocating as much as a catalog page triggers
# several: a third of that page's time (benchmarks/README.md, run 5 of the load test). What is
# loaded now lives as long as the worker, so it is frozen out of the collector's walks,
# and collections run less often. PYTHON_GC_THRESHOLD="700,10,10" restores Python's default.
gc.collect()
gc.freeze()
gc.set_threshold(*(int(n) for n in os.environ.get("PYTHON_GC_THRESHOLD", "50000,20,20").split(",")))
