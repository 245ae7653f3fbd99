#!/usr/bin/env bash
# Backup and restore of a whole portal: both databases, uploaded files, held (staged)
# tables and the configuration without its secrets, in one dated archive.
#
#   scripts/backup.sh backup  [--ini FILE] [--dir DIR]         prints the archive's path
#   scripts/backup.sh restore FILE [--ini FILE] [--yes]         rebuilds the portal of FILE
#
#   --ini   the CKAN configuration of the portal (default .local/ckan.ini, the `make run`
#           portal; in the image: $CKAN_INI). Its databases, storage path and site id are
#           what is saved, or what is replaced on restore.
#   --dir   where archives go (default $BACKUP_DIR, else .local/backups)
#   BACKUP_KEEP=N   keep the newest N archives of the directory (default 14; 0 keeps all)
#   PG_SUPERUSER_URL  restore only: a superuser connection (postgresql://postgres:…@db/postgres);
#           without it the local stack's cluster is used through its socket (scripts/stack.sh)
#
# The archive opendata-YYYYmmdd-HHMMSS.tar holds:
#   manifest.txt        when, from where (site id, CKAN version, commit) and the counts
#   ckan.dump, datastore.dump   pg_dump custom format (compressed, restorable table by table)
#   storage.sha256      SHA-256 of every file below storage/
#   storage/            ckan.storage_path: uploads (resources/, storage/), tables held for the
#                       personal-data review (privacy/); not what is rebuilt (webassets/,
#                       i18n/) or temporary (harvest_tmp/, privacy/tmp-*)
#   config/             config/*.ini of the checkout and the portal's ini, secrets redacted
# Restore: drops and recreates both databases (connections are closed), pg_restore, files
# (checked against storage.sha256), `ckan db upgrade` (a backup of an older version),
# DataStore permissions, then `ckan search-index rebuild` of the portal's site id.
# Redis holds only queues and limits: not saved (harvest jobs are re-created by the scheduler).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -x "$ROOT/.venv/bin/ckan" ]; then PY="$ROOT/.venv/bin/python"; CKAN="$ROOT/.venv/bin/ckan"
else PY="python3"; CKAN="ckan"; fi
STORAGE_EXCLUDES=(--exclude=./webassets --exclude=./i18n --exclude=./harvest_tmp --exclude='./privacy/tmp-*')

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'LỖI / ERROR: %s\n' "$1" >&2; [ $# -ge 2 ] && printf '  fix: %s\n' "$2" >&2; exit 1; }

# The portal's settings as CKAN reads them (the ini's `use =` chain, then CKAN_* variables).
read_config() {
  local out
  out="$("$PY" - "$1" <<'PY'
import os, shlex, sys
from ckan.cli import load_config
from ckan.config.environment import CONFIG_FROM_ENV_VARS
cfg = load_config(sys.argv[1])
for key, env in CONFIG_FROM_ENV_VARS.items():
    if os.environ.get(env):
        cfg[key] = os.environ[env]
for var, key in [("DB_URL", "sqlalchemy.url"), ("DS_URL", "ckan.datastore.write_url"),
                 ("DS_READ_URL", "ckan.datastore.read_url"), ("STORAGE", "ckan.storage_path"),
                 ("SITE_ID", "ckan.site_id")]:
    print(f"{var}={shlex.quote(str(cfg.get(key) or ''))}")
PY
)" || die "cannot read the configuration $1" "check the path given with --ini"
  eval "$out"
  [ -n "$DB_URL" ] && [ -n "$DS_URL" ] || die "$1 names no database (sqlalchemy.url, ckan.datastore.write_url)"
  [ -n "$STORAGE" ] || die "$1 has no ckan.storage_path" "set ckan.storage_path (uploads are kept there)"
}

db_name() { local u="${1%%\?*}"; echo "${u##*/}"; }
db_user() { local u="${1#*://}"; u="${u%%@*}"; echo "${u%%:*}"; }
# libpq's variables for a URL: the password never appears on a command line.
pg_env() {
  "$PY" - "$1" <<'PY'
import shlex, sys
from urllib.parse import unquote, urlsplit
u = urlsplit(sys.argv[1])
for var, value in [("PGHOST", u.hostname or ""), ("PGPORT", u.port or 5432), ("PGUSER", unquote(u.username or "")),
                   ("PGPASSWORD", unquote(u.password or "")), ("PGDATABASE", u.path.lstrip("/"))]:
    print(f"export {var}={shlex.quote(str(value))}")
PY
}
with_db() { local url="$1"; shift; (eval "$(pg_env "$url")"; "$@"); }

# A count per line for the manifest and the restore check.
counts() {  # db-url ds-url
  with_db "$1" psql -X -qtA <<'SQL'
SELECT 'datasets ' || count(*) FROM package WHERE state = 'active' AND type = 'dataset';
SELECT 'resources ' || count(*) FROM resource r JOIN package p ON p.id = r.package_id
  WHERE r.state = 'active' AND p.state = 'active';
SELECT 'catalog_entries ' || count(*) FROM opendata_vn_catalog_entry;
SQL
  # exact row counts of every DataStore table (one per resource)
  with_db "$2" psql -X -qtA -c "SELECT 'datastore_rows ' || coalesce(sum((xpath('/row/c/text()',
    query_to_xml(format('SELECT count(*) AS c FROM %I.%I', schemaname, tablename), false, true, '')))[1]::text::bigint), 0)
    FROM pg_tables WHERE schemaname = 'public'"
}

redact() {  # ini -> stdout: secrets and passwords in URLs removed
  sed -E -e 's#(://[^:/@]+):[^@]*@#\1:REDACTED@#g' \
    -e 's#^([[:space:]]*[^=#]*(secret|password|SECRET|PASSWORD|token)[^=]*=).*#\1 REDACTED#I' "$1"
}

cmd_backup() {
  local ini="$1" dir="$2" stamp work archive
  read_config "$ini"
  mkdir -p "$dir"
  stamp="$(date +%Y%m%d-%H%M%S)"
  archive="$dir/opendata-$stamp.tar"
  WORK="$(mktemp -d)"; work="$WORK"; trap 'rm -rf "$WORK"' EXIT
  say "Dumping the databases $(db_name "$DB_URL") and $(db_name "$DS_URL")"
  with_db "$DB_URL" pg_dump --format=custom --no-owner --no-acl --file="$work/ckan.dump"
  with_db "$DS_URL" pg_dump --format=custom --no-owner --no-acl --file="$work/datastore.dump"
  mkdir -p "$work/config" "$STORAGE"
  cp "$ROOT"/config/*.ini "$work/config/" 2>/dev/null || true
  redact "$ini" > "$work/config/portal.ini"
  tar -cf "$archive.part" -C "$work" ckan.dump datastore.dump config
  say "Archiving the files of $STORAGE"
  # A live portal changes files while tar reads them (exit 1): what was archived is what
  # the checksums below describe, so that is fine; any other failure is not.
  tar -rf "$archive.part" -C "$STORAGE" "${STORAGE_EXCLUDES[@]}" --transform 's#^\.#storage#' \
    --warning=no-file-changed --warning=no-file-removed . || [ $? -eq 1 ] || die "archiving $STORAGE failed"
  archived_sums "$archive.part" > "$work/storage.sha256"
  {
    echo "created $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "site_id $SITE_ID"
    echo "ckan $("$PY" -c 'import ckan; print(ckan.__version__)')"
    echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "files $(wc -l < "$work/storage.sha256")"
    counts "$DB_URL" "$DS_URL"
  } > "$work/manifest.txt"
  tar -rf "$archive.part" -C "$work" manifest.txt storage.sha256
  mv "$archive.part" "$archive"
  prune "$dir"
  say "Backup written: $archive ($(du -h "$archive" | cut -f1))"
  echo "$archive"
}

# SHA-256 of every file under storage/ as it is in the archive (sha256sum -c format).
archived_sums() {
  "$PY" - "$1" <<'PY'
import hashlib, sys, tarfile
with tarfile.open(sys.argv[1]) as tar:
    for member in tar:
        if member.isfile() and member.name.startswith("storage/"):
            digest, f = hashlib.sha256(), tar.extractfile(member)
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
            print(f"{digest.hexdigest()}  ./{member.name[len('storage/'):]}")
PY
}

prune() {
  local keep="${BACKUP_KEEP:-14}"
  [ "$keep" -gt 0 ] || return 0
  ls -1t "$1"/opendata-*.tar 2>/dev/null | tail -n +"$((keep + 1))" | xargs -r rm -f
}

# Superuser SQL: PG_SUPERUSER_URL, else the local stack's cluster via its socket.
super_psql() {  # tool arguments… (with -d for the database)
  local tool="$1"; shift
  if [ -n "${PG_SUPERUSER_URL:-}" ]; then
    (eval "$(pg_env "$PG_SUPERUSER_URL")"; "$tool" "$@"); return
  fi
  local sock port
  sock="$(readlink -f "$ROOT/.local/pg")/run"
  [ -d "$sock" ] || die "no superuser connection: the local cluster's socket $sock is missing" \
    "set PG_SUPERUSER_URL=postgresql://postgres:PASSWORD@HOST:PORT/postgres"
  port="$(eval "$(pg_env "$DB_URL")"; echo "$PGPORT")"
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$tool" --host="$sock" --port="$port" --username=postgres "$@")
  else
    "$tool" --host="$sock" --port="$port" --username=postgres "$@"
  fi
}

recreate_db() {  # url dumpfile
  local name owner
  name="$(db_name "$1")"; owner="$(db_user "$1")"
  [[ "$name" =~ ^[A-Za-z0-9_]+$ && "$owner" =~ ^[A-Za-z0-9_]+$ ]] || die "unexpected database or user name in $1"
  say "Recreating the database $name (owner $owner)"
  super_psql psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" \
    -c "CREATE DATABASE $name OWNER $owner ENCODING 'UTF8' TEMPLATE template0"
  super_psql pg_restore --exit-on-error --no-owner --no-acl --role="$owner" -d "$name" < "$2"
}

cmd_restore() {
  local file="$1" ini="$2" yes="$3" work
  [ -f "$file" ] || die "no such archive: $file" "give the path printed by 'make backup' (FILE=…)"
  read_config "$ini"
  WORK="$(mktemp -d)"; work="$WORK"; trap 'rm -rf "$WORK"' EXIT
  tar -xf "$file" -C "$work" manifest.txt ckan.dump datastore.dump storage.sha256 ||
    die "$file is not a portal backup (manifest.txt, ckan.dump, datastore.dump expected)"
  if [ "$yes" != 1 ]; then
    [ -t 0 ] || die "restore replaces $(db_name "$DB_URL"), $(db_name "$DS_URL") and $STORAGE" "add --yes (make restore … YES=1)"
    read -r -p "Replace the databases $(db_name "$DB_URL"), $(db_name "$DS_URL") and the files in $STORAGE? [y/N] " answer
    [ "$answer" = y ] || die "cancelled"
  fi
  say "Restoring $(basename "$file") ($(sed -n 's/^created //p' "$work/manifest.txt")) into $(basename "$ini")"
  recreate_db "$DB_URL" "$work/ckan.dump"
  recreate_db "$DS_URL" "$work/datastore.dump"
  say "Restoring the files into $STORAGE"
  mkdir -p "$STORAGE"
  (cd "$STORAGE" && rm -rf resources storage privacy)
  tar -xf "$file" -C "$STORAGE" --strip-components=1 storage
  (cd "$STORAGE" && sha256sum --quiet -c "$work/storage.sha256") || die "restored files differ from the archive's checksums"
  say "Migrating and setting the DataStore permissions"
  "$CKAN" -c "$ini" db upgrade >&2
  "$CKAN" -c "$ini" datastore set-permissions 2>/dev/null | super_psql psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null
  say "Rebuilding the search index (site $SITE_ID)"
  "$CKAN" -c "$ini" search-index rebuild -c -q >&2
  say "Restored. Counts of the backup:"
  grep -E '^(datasets|resources|catalog_entries|datastore_rows|files) ' "$work/manifest.txt" | sed 's/^/    /' >&2
}

main() {
  local cmd="${1:-}"; shift || true
  local ini="${CKAN_INI_FILE:-$ROOT/.local/ckan.ini}" dir="${BACKUP_DIR:-$ROOT/.local/backups}" file="" yes=0
  [ -n "${CKAN_INI:-}" ] && [ ! -f "$ini" ] && ini="$CKAN_INI"
  while [ $# -gt 0 ]; do
    case "$1" in
      --ini) ini="$2"; shift 2 ;;
      --dir) dir="$2"; shift 2 ;;
      --yes) yes=1; shift ;;
      -*) die "unknown option $1" ;;
      *) file="$1"; shift ;;
    esac
  done
  [ -f "$ini" ] || die "configuration not found: $ini" "start the portal once (make run) or give --ini FILE"
  case "$cmd" in
    backup) cmd_backup "$ini" "$dir" ;;
    restore) [ -n "$file" ] || die "which archive?" "make restore FILE=.local/backups/opendata-….tar"
             cmd_restore "$file" "$ini" "$yes" ;;
    *) echo "usage: $0 backup [--ini FILE] [--dir DIR] | restore FILE [--ini FILE] [--yes]" >&2; exit 2 ;;
  esac
}

main "$@"
