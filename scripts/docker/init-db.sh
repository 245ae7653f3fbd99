#!/usr/bin/env bash
# PostgreSQL initialisation for docker-compose.yml, mounted into the postgres image's
# /docker-entrypoint-initdb.d/: it runs once, on the first start with an empty data
# volume. It creates the roles and databases of scripts/stack.sh's provision_pg:
#   ckan          owner of the database ckan
#   datastore_rw  owner of the database datastore
#   datastore_ro  read-only DataStore user
# The ckan service's entrypoint then migrates them and runs
# `ckan datastore set-permissions` on every start.
#
# Passwords come from the environment (.env). Changing them in .env later does not change
# the roles: use ALTER ROLE … PASSWORD in the db container, then restart the services.
# (No `exit` here and no `set -u`: the image sources *.sh files that are not executable.)
set -e

: "${CKAN_DB_PASSWORD:?CKAN_DB_PASSWORD is not set}"
: "${DATASTORE_RW_PASSWORD:?DATASTORE_RW_PASSWORD is not set}"
: "${DATASTORE_RO_PASSWORD:?DATASTORE_RO_PASSWORD is not set}"

# psql variables (:'name') quote the passwords as SQL literals.
psql -X -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v ckan_password="$CKAN_DB_PASSWORD" \
  -v rw_password="$DATASTORE_RW_PASSWORD" \
  -v ro_password="$DATASTORE_RO_PASSWORD" <<'SQL'
CREATE ROLE ckan LOGIN PASSWORD :'ckan_password';
CREATE ROLE datastore_rw LOGIN PASSWORD :'rw_password';
CREATE ROLE datastore_ro LOGIN PASSWORD :'ro_password';
CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE datastore OWNER datastore_rw ENCODING 'UTF8' TEMPLATE template0;
-- `ckan datastore set-permissions` revokes CONNECT on ckan from datastore_ro, which has
-- no effect while PUBLIC holds it (the default): only the owner connects to ckan.
REVOKE CONNECT ON DATABASE ckan FROM PUBLIC;
SQL
