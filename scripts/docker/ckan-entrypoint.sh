#!/usr/bin/env bash
# Start of the `ckan` service (docker-compose.yml): bring the databases up to date, make
# sure the sysadmin exists, load the catalog seeds, then serve CKAN with gunicorn.
# Every step is idempotent, so this runs on each start. The worker services do not run
# it: they start after this service is healthy.
#
# Environment: CKAN_INI (the Dockerfile sets it to /srv/app/config/production.ini) and,
# from docker-compose.yml / .env:
#   POSTGRES_PASSWORD              PostgreSQL superuser, for the DataStore permissions
#   CKAN_SYSADMIN_NAME/PASSWORD/EMAIL
#   GUNICORN_WORKERS (default 2)   GUNICORN_THREADS (default 4)   GUNICORN_TIMEOUT (default 120 s)
#   CKAN_PROVISION=0               serve only (the web replicas; ckan_init provisions)
# Arguments replace gunicorn, e.g. `docker compose run --rm ckan /srv/app/ckan-entrypoint.sh true`
# provisions only.
set -euo pipefail

say() { printf '==> %s\n' "$*"; }

# --keep-alive above nginx's upstream keepalive_timeout (60 s): gunicorn's 2 s default
# closes connections nginx is about to reuse (resets, 502s under load).
serve() {
  say "Starting gunicorn on :5000"
  exec gunicorn --chdir "${APP_DIR:-/srv/app}/config" wsgi:application \
    --bind 0.0.0.0:5000 \
    --workers "${GUNICORN_WORKERS:-2}" --threads "${GUNICORN_THREADS:-4}" \
    --timeout "${GUNICORN_TIMEOUT:-120}" --graceful-timeout 20 \
    --keep-alive 75 \
    --access-logfile - --error-logfile -
}

: "${CKAN_INI:?CKAN_INI is not set}"
# The web replicas only serve (CKAN_PROVISION=0): the one-shot ckan_init service has
# provisioned before them, as replicas migrating at the same time would race.
[ "${CKAN_PROVISION:-1}" = 0 ] && serve
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set}"
: "${CKAN_SYSADMIN_NAME:?CKAN_SYSADMIN_NAME is not set}"
: "${CKAN_SYSADMIN_PASSWORD:?CKAN_SYSADMIN_PASSWORD is not set}"
: "${CKAN_SYSADMIN_EMAIL:?CKAN_SYSADMIN_EMAIL is not set}"

say "Checking the secrets (no placeholder, long enough)"
python3 -m ckanext.opendata_vn.security.production

say "Migrating the database (CKAN core and plugins)"
ckan db upgrade

say "Setting the DataStore permissions"
# The generated SQL starts with \connect to the DataStore database; it needs a superuser.
ckan datastore set-permissions |
  PGPASSWORD="$POSTGRES_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 \
    -h "${POSTGRES_HOST:-db}" -U "${POSTGRES_USER:-postgres}" -d postgres

# Created once; later changes of CKAN_SYSADMIN_PASSWORD do not reset the password.
shown="$(ckan user show "$CKAN_SYSADMIN_NAME")"
if grep -qx 'User: None' <<<"$shown"; then
  say "Creating the sysadmin $CKAN_SYSADMIN_NAME"
  ckan user add "$CKAN_SYSADMIN_NAME" email="$CKAN_SYSADMIN_EMAIL" \
    password="$CKAN_SYSADMIN_PASSWORD" fullname="Quản trị hệ thống"
fi
ckan sysadmin add "$CKAN_SYSADMIN_NAME" >/dev/null

say "Building the JavaScript translations (our catalogue overrides core strings)"
ckan translation js || echo "warning: JS translations not rebuilt; UI scripts keep CKAN's own wording" >&2

# Static files for nginx (config/nginx/portal.conf): CKAN's public/ and the built
# webassets (ckan.webassets.path in production.ini) in the ckan_static volume.
if [ -d /srv/ckan-static ]; then
  say "Publishing the static files for nginx"
  ckan asset build
  public="$(python3 -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "public"))')"
  rm -rf /srv/ckan-static/public.new && cp -r "$public" /srv/ckan-static/public.new
  rm -rf /srv/ckan-static/public && mv /srv/ckan-static/public.new /srv/ckan-static/public
fi

say "Loading the catalog seeds"
ckan opendata load-seeds

if [ $# -gt 0 ]; then
  exec "$@"
fi

serve
