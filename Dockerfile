# The portal's CKAN image, used by every CKAN process in docker-compose.yml (web, harvest
# consumers, job worker, scheduler).
#
# Base: the official CKAN image (github.com/ckan/ckan-docker-base, ckan-2.11/Dockerfile).
# It is python:3.10-slim-bookworm with CKAN installed into the system Python (no venv):
# source in /srv/app/src/ckan, packages in /usr/local (owned by ckan-sys), APP_DIR=/srv/app,
# CKAN_INI=/srv/app/ckan.ini, storage /var/lib/ckan (owned by ckan), runtime user ckan,
# CMD /srv/app/start_ckan.sh (uWSGI). We keep the layout but use our own ini, entrypoint
# and gunicorn.
ARG CKAN_BASE_IMAGE=ckan/ckan-base:2.11
FROM ${CKAN_BASE_IMAGE}

USER root

# psql: the entrypoint pipes `ckan datastore set-permissions` into it (the base image
# only has libpq). Debian bookworm's client is PostgreSQL 15, the server's version.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*

# The repository (see .dockerignore) and the configuration directory. production.ini
# starts with `use = config:common.ini`, so config/ is copied whole.
ENV PORTAL_DIR=${SRC_DIR}/opendata-vn
COPY --chown=ckan-sys:ckan-sys . ${PORTAL_DIR}
COPY --chown=ckan-sys:ckan-sys config/ ${APP_DIR}/config/
COPY --chown=ckan-sys:ckan-sys scripts/docker/ckan-entrypoint.sh ${APP_DIR}/ckan-entrypoint.sh
COPY --chown=ckan-sys:ckan-sys scripts/docker/healthcheck.py ${APP_DIR}/healthcheck.py
RUN chmod 0755 ${APP_DIR}/ckan-entrypoint.sh
# Static files published for nginx (ckan_static volume; ckan.webassets.path points here).
RUN mkdir -p /srv/ckan-static && chown ckan:ckan /srv/ckan-static

# Install as ckan-sys, the owner of /usr/local, like the base image does.
USER ckan-sys
WORKDIR ${PORTAL_DIR}

# requirements.txt stays the one place for pins: everything in it but CKAN itself, which
# the base image installed with CKAN's own pinned requirements; those stay as they are
# (constraints from `pip freeze`), as `pip install -r requirements.txt` resolves them
# locally. The image must carry the CKAN version the portal is tested with, so a
# different one fails the build.
RUN want="$(sed -n 's/^ckan\[[^]]*\]==\([^ ;#]*\).*/\1/p' requirements.txt)" \
 && have="$(python3 -c 'import ckan; print(ckan.__version__)')" \
 && if [ "$want" != "$have" ]; then \
      echo "The base image has CKAN $have but requirements.txt pins $want:" \
           "build with --build-arg CKAN_BASE_IMAGE=ckan/ckan-base:$want or update the pin" >&2; \
      exit 1; \
    fi \
 && grep -v '^ckan\[' requirements.txt > /tmp/requirements-image.txt \
 && pip3 freeze --exclude-editable | grep -v ' @ ' > /tmp/constraints-image.txt \
 && pip3 install --no-cache-dir -c /tmp/constraints-image.txt -r /tmp/requirements-image.txt \
 && pip3 install --no-cache-dir --no-deps -e . \
 && rm /tmp/requirements-image.txt /tmp/constraints-image.txt \
 && pybabel compile --domain=ckanext-opendata_vn \
      --directory=ckanext-opendata-vn/ckanext/opendata_vn/i18n

USER ckan
WORKDIR ${APP_DIR}
ENV CKAN_INI=${APP_DIR}/config/production.ini

EXPOSE 5000

# Provisioning (migrations, DataStore permissions, sysadmin, catalog seeds), then
# gunicorn. The worker services of docker-compose.yml replace this with their command.
CMD ["/srv/app/ckan-entrypoint.sh"]
