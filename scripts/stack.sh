#!/usr/bin/env bash
# The portal's services on one machine, without Docker: PostgreSQL and Redis from
# Debian packages, Solr 9 from Maven Central (Solr's own JettySolrRunner), CKAN under
# gunicorn, the harvest consumers, CKAN's job worker and our scheduler.
# All state and logs live under .local/ (git-ignored). Every step is idempotent.
#
#   scripts/stack.sh run        provision, migrate, load seeds, start everything, wait
#   scripts/stack.sh test-env   provision the services and the isolated test databases/core
#   scripts/stack.sh stop       stop everything this checkout started
#   scripts/stack.sh status     what is running, on which port, with which log
#   scripts/stack.sh restart-service solr|redis|postgresql   (also stop-/start-service)
#
# Ports come from the environment (PG_PORT, REDIS_PORT, SOLR_PORT, CKAN_PORT), else from
# the values this checkout used last time (.local/ports.env), else the defaults below.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
LOGS="$LOCAL/log"
PIDS="$LOCAL/run"
CKAN_INI="$LOCAL/ckan.ini"
# TEST_SLOT=name gives a parallel test run its own databases, Redis DB and site id
# (.local/test-name.ini) on the same services; the Solr core is shared, CKAN scopes
# every index query and clear by site id.
TEST_SLOT="${TEST_SLOT:-}"
TEST_SUFFIX="${TEST_SLOT:+_$TEST_SLOT}"
TEST_INI="$LOCAL/test${TEST_SLOT:+-$TEST_SLOT}.ini"
mkdir -p "$LOGS" "$PIDS"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() {
  printf '\033[31mLỖI / ERROR: %s\033[0m\n' "$1" >&2
  [ $# -ge 2 ] && printf '  log: %s\n' "$2" >&2 && { tail -n 15 "$2" 2>/dev/null | sed 's/^/  | /' >&2 || true; }
  [ $# -ge 3 ] && printf '  fix: %s\n' "$3" >&2
  exit 1
}

# ---------------------------------------------------------------- configuration
load_settings() {
  local saved="$LOCAL/ports.env" k v
  declare -A defaults=([PG_PORT]=5433 [REDIS_PORT]=6380 [SOLR_PORT]=8983 [CKAN_PORT]=5000)
  for k in PG_PORT REDIS_PORT SOLR_PORT CKAN_PORT; do
    if [ -z "${!k:-}" ]; then
      v=""
      [ -f "$saved" ] && v="$(sed -n "s/^$k=//p" "$saved")"
      export "$k=${v:-${defaults[$k]}}"
    fi
  done
  printf 'PG_PORT=%s\nREDIS_PORT=%s\nSOLR_PORT=%s\nCKAN_PORT=%s\n' \
    "$PG_PORT" "$REDIS_PORT" "$SOLR_PORT" "$CKAN_PORT" > "$saved"

  # Secrets are generated once per checkout and kept in .local/secrets.env (0600).
  local secrets="$LOCAL/secrets.env"
  if [ ! -f "$secrets" ]; then
    umask 077
    {
      echo "DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
      echo "SECRET_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
      echo "ADMIN_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
    } > "$secrets"
    umask 022
  fi
  # shellcheck disable=SC1090
  . "$secrets"
  ADMIN_PASSWORD="${CKAN_ADMIN_PASSWORD:-$ADMIN_PASSWORD}"
  ADMIN_USER="${CKAN_ADMIN_USER:-admin}"
}

# ---------------------------------------------------------------- installation
# Each tool the stack needs is checked and installed on its own, so that one tool that
# is already there (or comes from another vendor, like Node.js's own npm) never drags
# another tool's package into a failing apt transaction.
#
# tool_packages TOOL prints the Debian packages that provide TOOL on a bare machine,
# given what this machine already has that replaces them (nothing for npm when the
# installed Node.js bundles it: Debian's npm conflicts with vendor Node.js packages).
tool_packages() {
  case "$1" in
    psql) echo postgresql ;;
    redis-server) echo redis-server ;;
    java) echo default-jdk-headless ;;
    mvn) echo maven ;;
    chromium) echo chromium ;;
    docker-compose) echo docker-compose ;;
    npm) node_bundles_npm || echo npm ;;
    *) die "internal: no package known for the tool '$1'" ;;
  esac
}
# A Node.js that is not Debian's own (e.g. a vendor's nodejs package) ships npm itself.
node_bundles_npm() {
  command -v node >/dev/null && pkg_installed nodejs &&
    dpkg -L nodejs 2>/dev/null | grep '/bin/npm$' >/dev/null  # (no -q: SIGPIPE under pipefail)
}
# Libraries and helpers that are packages rather than commands.
BASE_PACKAGES=(libpq-dev libmagic1 curl)
SERVICE_TOOLS=(psql redis-server java mvn)
TEST_TOOLS=(docker-compose chromium npm)

# Explains an apt failure from apt's own words: which kind it is and what fixes it.
apt_reason() {  # logfile
  local log="$1" errs
  errs="$(grep -E '^(E:|W:)| : (Depends|Conflicts|Breaks|PreDepends):' "$log" | head -n 8)"
  if grep -qE 'Conflicts:|Breaks:|held broken packages|Unable to correct problems' "$log"; then
    printf 'dependency conflict between Debian packages and what this machine has:\n%s\n' "$errs"
    echo "FIX: the packages named after 'Conflicts'/'Depends' clash with an installed package (often one from another vendor, e.g. NodeSource's nodejs). Remove or replace that package, or install the tool from the same vendor, then re-run."
  elif grep -qE 'Unable to locate package|has no installation candidate|is not available' "$log"; then
    printf 'package not found in the configured Debian archives:\n%s\n' "$errs"
    echo "FIX: run 'apt-get update'; check that /etc/apt/sources.list(.d) lists Debian bookworm 'main' (and bookworm-updates)."
  elif grep -qE 'Could not get lock|Unable to acquire the dpkg frontend lock' "$log"; then
    printf 'another apt or dpkg process holds the lock:\n%s\n' "$errs"
    echo "FIX: wait for the other apt/dpkg process to finish (ps aux | grep -E 'apt|dpkg'), then re-run."
  elif grep -qE 'Could not resolve|Failed to fetch|Temporary failure|Connection (timed out|refused)|Network is unreachable' "$log"; then
    printf 'network error reaching the Debian mirrors:\n%s\n' "$errs"
    echo "FIX: check this machine's network access (DNS, proxy) to the Debian mirrors in /etc/apt/sources.list, then re-run."
  elif grep -qE 'dpkg was interrupted' "$log"; then
    printf 'an earlier installation was interrupted:\n%s\n' "$errs"
    echo "FIX: run 'dpkg --configure -a', then re-run."
  else
    printf 'apt said:\n%s\n' "${errs:-$(tail -n 5 "$log")}"
    echo "FIX: read the full log above and correct what apt reports."
  fi
}

apt_fail() {  # what logfile
  local reason; reason="$(apt_reason "$2")"
  die "$1 failed: ${reason%%$'\n'FIX:*}" "$2" "${reason##*FIX: }"
}

apt_lists_fresh=""
apt_update_once() {
  [ -n "$apt_lists_fresh" ] && return 0
  apt-get update -q >> "$LOGS/apt.log" 2>&1 || apt_fail "apt-get update" "$LOGS/apt.log"
  apt_lists_fresh=1
}

# (dpkg -s also succeeds for a removed package whose configuration files remain)
pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

apt_install() {
  local missing=() pkg
  for pkg in "$@"; do pkg_installed "$pkg" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]} (log: $LOGS/apt.log)"
  [ "$(id -u)" = 0 ] || die "Debian packages missing: ${missing[*]}" "" \
    "run as root, or: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  : > "$LOGS/apt.log"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >> "$LOGS/apt.log" 2>&1 ||
    apt_fail "apt-get install ${missing[*]}" "$LOGS/apt.log"
}

# psql stands for the PostgreSQL server too: a client alone (postgresql-client) is not enough.
have_tool() {
  case "$1" in
    psql) command -v psql >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
    redis-server) command -v redis-server >/dev/null && command -v redis-cli >/dev/null ;;
    *) command -v "$1" >/dev/null ;;
  esac
}

ensure_tool() {  # tool: installs its packages unless the tool is there
  local pkgs
  have_tool "$1" && return 0
  pkgs="$(tool_packages "$1")"
  [ -n "$pkgs" ] || die "'$1' is missing although the installed Node.js should bundle it" "" \
    "reinstall Node.js from its vendor, or remove it so that Debian's nodejs and npm are used"
  # shellcheck disable=SC2086
  apt_install $pkgs
}

# A machine that already has a tool never runs its install step, so a set of packages
# that cannot be installed together would only show on a bare machine: ask apt to
# simulate installing all of them here.
check_bare_machine_install() {
  local pkgs=("${BASE_PACKAGES[@]}" python3-venv) tool log="$LOGS/apt-simulate.log"
  for tool in "${SERVICE_TOOLS[@]}" "${TEST_TOOLS[@]}"; do
    # shellcheck disable=SC2207
    pkgs+=($(tool_packages "$tool"))
  done
  say "Checking that apt can install every package a bare machine needs (simulated)"
  if ! apt-get install -s -q "${pkgs[@]}" > "$log" 2>&1; then
    # stale or empty package lists give "not found": refresh them once and ask again
    if grep -qE 'Unable to locate package|has no installation candidate' "$log" && [ "$(id -u)" = 0 ]; then
      apt_update_once; apt-get install -s -q "${pkgs[@]}" > "$log" 2>&1 && return 0
    fi
    apt_fail "simulated install of ${pkgs[*]}" "$log"
  fi
}

ensure_system() {
  apt_install "${BASE_PACKAGES[@]}"
  python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
  local tool
  for tool in "${SERVICE_TOOLS[@]}"; do ensure_tool "$tool"; done
}

ensure_venv() {
  local stamp="$VENV/.installed" want
  want="$(cat "$ROOT/requirements.txt" "$ROOT/setup.py" | sha1sum | cut -c1-40)"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  say "Installing Python dependencies into .venv (log: $LOGS/pip.log)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  { "$VENV/bin/pip" install -q --upgrade pip wheel "setuptools<81" &&
    "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt" &&
    "$VENV/bin/pip" install -q --no-deps -e "$ROOT"; } > "$LOGS/pip.log" 2>&1 ||
    die "pip install failed" "$LOGS/pip.log" "check network access to PyPI; libpq-dev must be installed for psycopg2"
  echo "$want" > "$stamp"
}

ensure_solr_lib() {
  local dir="$LOCAL/solr" stamp want
  stamp="$dir/lib/.pom"
  want="$(sha1sum "$ROOT/scripts/solr/pom.xml" "$ROOT/scripts/solr/SolrServer.java" | sha1sum | cut -c1-40)"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  say "Fetching Solr 9 from Maven Central (log: $LOGS/maven.log)"
  rm -rf "$dir/lib" "$dir/classes"
  mvn -B -q -f "$ROOT/scripts/solr/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir/lib" > "$LOGS/maven.log" 2>&1 ||
    die "Maven could not fetch Solr" "$LOGS/maven.log" "check network access to Maven Central"
  javac -nowarn -cp "$dir/lib/*" -d "$dir/classes" "$ROOT/scripts/solr/SolrServer.java" >> "$LOGS/maven.log" 2>&1 ||
    die "could not compile scripts/solr/SolrServer.java" "$LOGS/maven.log"
  echo "$want" > "$stamp"
}

# ---------------------------------------------------------------- process helpers
pid_alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

# Refuse to start on a port another program (or another checkout) holds.
check_port() {
  local name="$1" port="$2" var="$3" owner
  owner="$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n1)"
  [ -z "$owner" ] && return 0
  die "port $port needed by $name is already in use: $owner" "" \
    "stop that program, or choose another port: $var=<port> make run (a second checkout must use its own ports)"
}

start_bg() {  # name logfile command...
  local name="$1" log="$2"; shift 2
  pid_alive "$name" && return 0
  setsid nohup "$@" >> "$log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

wait_for() {  # what seconds logfile fix command...
  local what="$1" secs="$2" log="$3" fix="$4" i; shift 4
  for ((i = 0; i < secs; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "$what did not become ready in ${secs}s" "$log" "$fix"
}

stop_pid() {
  local name="$1" pid i
  pid_alive "$name" || { rm -f "$PIDS/$name.pid"; return 0; }
  pid="$(cat "$PIDS/$name.pid")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$PIDS/$name.pid"
  echo "stopped $name"
}

# ---------------------------------------------------------------- PostgreSQL
PG_BIN=""
# (from /, since the postgres user may not be able to enter the current directory)
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

pg_paths() {
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [ -n "$PG_BIN" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql" "" "apt-get install postgresql"
  # PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres'
  # user, which must be able to reach it. If the checkout is not reachable by that user
  # (e.g. under /root), the cluster lives in /var/lib/opendata-vn and .local/pg links to it.
  if [ ! -e "$LOCAL/pg" ] && [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$LOCAL"; then
    local alt="/var/lib/opendata-vn/pg-$(echo "$ROOT" | sha1sum | cut -c1-12)"
    mkdir -p "$alt"; ln -s "$alt" "$LOCAL/pg"
  fi
  mkdir -p "$LOCAL/pg"
  # resolved, so that the postgres user never walks through an unreachable checkout
  local base; base="$(readlink -f "$LOCAL/pg")"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$base"
  PGDATA="$base/data"; PGSOCK="$base/run"; PGLOG="$base/postgresql.log"
  touch "$PGLOG"; [ "$(id -u)" = 0 ] && chown postgres "$PGLOG"
  ln -sfn "$PGLOG" "$LOGS/postgresql.log"
  return 0
}

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

start_pg() {
  pg_paths
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "Creating the project's PostgreSQL cluster in $PGDATA"
    as_pg mkdir -p "$PGDATA" "$PGSOCK"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >> "$PGLOG" 2>&1 ||
      die "initdb failed" "$PGLOG"
  fi
  as_pg mkdir -p "$PGSOCK"
  if pg_running; then return 0; fi
  check_port PostgreSQL "$PG_PORT" PG_PORT
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 \
    -o "-p $PG_PORT -k $PGSOCK -c listen_addresses=127.0.0.1" start > /dev/null ||
    die "PostgreSQL did not start" "$PGLOG" "see the log; a stale postmaster.pid in $PGDATA can be removed if no postgres runs"
}

psql_super() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PG_PORT" -U postgres "$@"; }

provision_pg() {
  local role db owner
  for role in ckan datastore_rw datastore_ro; do
    psql_super -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='$role'" | grep -q 1 ||
      psql_super -d postgres -c "CREATE ROLE $role LOGIN"
    # (re)setting the password keeps it in step with .local/secrets.env
    psql_super -d postgres -c "ALTER ROLE $role PASSWORD '$DB_PASSWORD'" >/dev/null
  done
  for db in ckan:ckan datastore:datastore_rw "ckan_test$TEST_SUFFIX:ckan" \
            "datastore_test$TEST_SUFFIX:datastore_rw"; do
    owner="${db#*:}"; db="${db%%:*}"
    psql_super -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 ||
      psql_super -d postgres -c "CREATE DATABASE $db OWNER $owner ENCODING 'UTF8' TEMPLATE template0"
  done
}

# ---------------------------------------------------------------- Redis
start_redis() {
  mkdir -p "$LOCAL/redis"
  if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && pid_alive redis; then return 0; fi
  check_port Redis "$REDIS_PORT" REDIS_PORT
  say "Starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
    --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log" --dir "$LOCAL/redis" \
    --save "300 10" --appendonly no > /dev/null || die "Redis did not start" "$LOGS/redis.log"
  wait_for Redis 20 "$LOGS/redis.log" "see the log" sh -c "redis-cli -p $REDIS_PORT ping | grep -q PONG"
}

# ---------------------------------------------------------------- Solr
# The Solr home is rebuilt from config/solr on every start (cores keep their data/),
# so a changed schema is picked up; `run` then reindexes when the schema changed.
solr_home() {
  local home="$LOCAL/solr/home" core
  mkdir -p "$home"
  echo '<solr></solr>' > "$home/solr.xml"
  for core in ckan ckan_test; do
    mkdir -p "$home/$core"
    rm -rf "$home/$core/conf"; cp -r "$ROOT/config/solr" "$home/$core/conf"
    echo "name=$core" > "$home/$core/core.properties"
  done
}

solr_ready() { curl -sf "http://127.0.0.1:$SOLR_PORT/solr/$1/select?q=*:*&rows=0" >/dev/null; }

start_solr() {
  local conf stamp="$LOCAL/solr/started-config"
  conf="$(cat "$ROOT"/config/solr/* | sha1sum | cut -c1-40)"
  # A running Solr is kept unless config/solr changed since it started.
  if pid_alive solr && solr_ready ckan && solr_ready ckan_test && [ "$(cat "$stamp" 2>/dev/null)" = "$conf" ]; then
    return 0
  fi
  stop_pid solr >/dev/null
  check_port Solr "$SOLR_PORT" SOLR_PORT
  solr_home
  say "Starting Solr 9 on 127.0.0.1:$SOLR_PORT (cores ckan, ckan_test)"
  start_bg solr "$LOGS/solr.log" java -Xmx512m -Dsolr.log.dir="$LOGS/solr" \
    -Dlog4j2.configurationFile="$ROOT/scripts/solr/log4j2.xml" \
    -cp "$LOCAL/solr/classes:$LOCAL/solr/lib/*" SolrServer "$LOCAL/solr/home" "$SOLR_PORT"
  wait_for Solr 120 "$LOGS/solr.log" "check config/solr (schema.xml, solrconfig.xml) and that Java 17+ is installed" \
    sh -c "curl -sf 'http://127.0.0.1:$SOLR_PORT/solr/ckan/select?q=*:*&rows=0' && curl -sf 'http://127.0.0.1:$SOLR_PORT/solr/ckan_test/select?q=*:*&rows=0'"
  echo "$conf" > "$stamp"
}

# ---------------------------------------------------------------- CKAN
write_ini() {  # target base-ini database datastore-db solr-core redis-db site-url [site-id]
  cat > "$1" <<EOF
# Written by scripts/stack.sh for this checkout; edit $2 instead.
[app:main]
use = config:$ROOT/config/$2
sqlalchemy.url = postgresql://ckan:$DB_PASSWORD@127.0.0.1:$PG_PORT/$3
ckan.datastore.write_url = postgresql://datastore_rw:$DB_PASSWORD@127.0.0.1:$PG_PORT/$4
ckan.datastore.read_url = postgresql://datastore_ro:$DB_PASSWORD@127.0.0.1:$PG_PORT/$4
solr_url = http://127.0.0.1:$SOLR_PORT/solr/$5
ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/$6
ckan.site_url = $7
SECRET_KEY = $SECRET_KEY
ckanext.opendata_vn.seeds_path = $ROOT/catalog_seeds
${8:+ckan.site_id = $8}

EOF
  cat "$ROOT/config/logging.ini" >> "$1"
  chmod 600 "$1"
}

ckan_cmd() { local ini="$1"; shift; "$VENV/bin/ckan" -c "$ini" "$@"; }

migrate() {  # ini datastore-db
  local ini="$1" log="$LOGS/migrate.log"
  say "Migrating the database ($(basename "$ini")): ckan, activity, harvest"
  ckan_cmd "$ini" db upgrade >> "$log" 2>&1 || die "database migration failed" "$log"
  ckan_cmd "$ini" datastore set-permissions 2>>"$log" | psql_super -d "$2" >> "$log" 2>&1 ||
    die "DataStore permissions could not be set" "$log"
  # our catalogue overrides core JS strings too: rebuild the JS translation files
  ckan_cmd "$ini" translation js >> "$log" 2>&1 || die "JS translation build failed" "$log"
}

ensure_admin() {
  local log="$LOGS/migrate.log"
  if ! ckan_cmd "$CKAN_INI" user show "$ADMIN_USER" 2>/dev/null | grep -q "name=$ADMIN_USER"; then
    ckan_cmd "$CKAN_INI" user add "$ADMIN_USER" email="$ADMIN_USER@localhost" \
      password="$ADMIN_PASSWORD" fullname="Quản trị hệ thống" >> "$log" 2>&1 ||
      die "could not create the sysadmin" "$log"
  fi
  ckan_cmd "$CKAN_INI" sysadmin add "$ADMIN_USER" >> "$log" 2>&1 || true
}

reindex_if_schema_changed() {
  local stamp="$LOCAL/solr/indexed-schema" want
  want="$(cat "$ROOT"/config/solr/* | sha1sum | cut -c1-40)"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  say "Search schema changed: rebuilding the index"
  ckan_cmd "$CKAN_INI" search-index rebuild -c -q >> "$LOGS/migrate.log" 2>&1 ||
    die "search index rebuild failed" "$LOGS/migrate.log"
  echo "$want" > "$stamp"
}

start_ckan() {
  local url="http://127.0.0.1:$CKAN_PORT"
  if ! pid_alive web; then
    check_port CKAN "$CKAN_PORT" CKAN_PORT
    say "Starting CKAN (gunicorn) on $url"
    CKAN_INI="$CKAN_INI" start_bg web "$LOGS/ckan.log" "$VENV/bin/gunicorn" \
      --chdir "$ROOT/config" --bind "127.0.0.1:$CKAN_PORT" \
      --workers "${GUNICORN_WORKERS:-2}" --threads "${GUNICORN_THREADS:-4}" \
      --timeout 120 --graceful-timeout 20 wsgi:application
  fi
  # (ckanext-harvest's consumers, restarted by our wrapper when Redis or PostgreSQL restarts)
  start_bg gather "$LOGS/gather.log" "$VENV/bin/ckan" -c "$CKAN_INI" opendata harvest-consumer gather
  start_bg fetch "$LOGS/fetch.log" "$VENV/bin/ckan" -c "$CKAN_INI" opendata harvest-consumer fetch
  start_bg jobs "$LOGS/jobs.log" "$VENV/bin/ckan" -c "$CKAN_INI" jobs worker
  start_bg scheduler "$LOGS/scheduler.log" "$VENV/bin/ckan" -c "$CKAN_INI" opendata scheduler
  wait_for CKAN 120 "$LOGS/ckan.log" "see the log; the configuration is $CKAN_INI" \
    sh -c "curl -sf '$url/api/3/action/status_show' | grep -q '\"success\": true'"
  wait_for "CKAN search (Solr)" 60 "$LOGS/ckan.log" "is Solr running? see $LOGS/solr.log" \
    sh -c "curl -sf '$url/api/3/action/package_search?rows=0' | grep -q '\"success\": true'"
  local name
  for name in gather fetch jobs scheduler; do
    pid_alive "$name" || die "the $name worker exited" "$LOGS/$name.log" "see the log; the configuration is $CKAN_INI"
  done
}

# ---------------------------------------------------------------- commands
services() {
  load_settings
  ensure_system
  ensure_venv
  ensure_solr_lib
  start_pg
  provision_pg
  start_redis
  start_solr
}

cmd_run() {
  services
  write_ini "$CKAN_INI" development.ini ckan datastore ckan 0 "http://127.0.0.1:$CKAN_PORT"
  migrate "$CKAN_INI" datastore
  ensure_admin
  reindex_if_schema_changed
  say "Loading the catalog seeds (log: $LOGS/seeds.log)"
  ckan_cmd "$CKAN_INI" opendata load-seeds 2>&1 | tee -a "$LOGS/seeds.log" | tail -n 12 ||
    die "loading catalog_seeds/ failed" "$LOGS/seeds.log"
  [ "${PIPESTATUS[0]}" = 0 ] || die "loading catalog_seeds/ failed" "$LOGS/seeds.log"
  # the 2025 reorganisation (mergers, successors) through the succession logic; idempotent
  say "Applying the 2025 reorganisation (log: $LOGS/seeds.log)"
  ckan_cmd "$CKAN_INI" opendata apply-reorganisation 2>&1 | tee -a "$LOGS/seeds.log" | tail -n 3 ||
    die "applying catalog_seeds/reorganisation/ failed" "$LOGS/seeds.log"
  [ "${PIPESTATUS[0]}" = 0 ] || die "applying catalog_seeds/reorganisation/ failed" "$LOGS/seeds.log"
  # CKAN's processes are restarted so they run the current code and configuration;
  # the services and all data stay.
  local name
  for name in scheduler jobs fetch gather web; do stop_pid "$name" >/dev/null; done
  start_ckan
  cat <<EOF

  Cổng dữ liệu mở đang chạy / the portal is running:
    URL:        http://127.0.0.1:$CKAN_PORT
    quản trị:   $ADMIN_USER / $ADMIN_PASSWORD   (password kept in .local/secrets.env)
    logs:       $LOGS/
    dừng/stop:  make stop

EOF
}

cmd_test_env() {
  # docker-compose (Debian's) lets the suite check docker-compose.yml without an engine;
  # browser tests (tests/browser) use Debian's Chromium and axe-core from npm.
  local tool
  for tool in "${TEST_TOOLS[@]}"; do ensure_tool "$tool"; done
  check_bare_machine_install
  [ -d "$ROOT/node_modules/axe-core" ] || (cd "$ROOT" && npm ci --silent) || die "npm ci failed (axe-core for the browser tests)"
  services
  local redis_db=1
  [ -n "$TEST_SLOT" ] && redis_db=$(( 2 + $(echo "$TEST_SLOT" | cksum | cut -d' ' -f1) % 13 ))
  write_ini "$TEST_INI" test.ini "ckan_test$TEST_SUFFIX" "datastore_test$TEST_SUFFIX" ckan_test \
    "$redis_db" "http://test.ckan.net" "opendata_vn_test$TEST_SUFFIX"
  migrate "$TEST_INI" "datastore_test$TEST_SUFFIX"
}

cmd_stop() {
  local name
  for name in scheduler jobs fetch gather web solr; do stop_pid "$name"; done
  if pid_alive redis; then redis-cli -p "$(sed -n 's/^REDIS_PORT=//p' "$LOCAL/ports.env")" shutdown nosave >/dev/null 2>&1 || stop_pid redis; rm -f "$PIDS/redis.pid"; echo "stopped redis"; fi
  if [ -f "$LOCAL/pg/data/PG_VERSION" ]; then
    pg_paths
    if pg_running; then as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && echo "stopped postgresql"; fi
  fi
}

# One backing service stopped or started on its own (make chaos, tests/resilience):
# the other services and CKAN's processes keep running.
cmd_service() {  # stop|start|restart solr|redis|postgresql
  local action="$1" name="$2"
  load_settings
  case "$name" in solr|redis|postgresql) ;; *) die "unknown service '$name' (solr, redis, postgresql)" ;; esac
  if [ "$action" != start ]; then
    case "$name" in
      solr) stop_pid solr ;;
      redis) redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || stop_pid redis
             rm -f "$PIDS/redis.pid"; echo "stopped redis" ;;
      postgresql) pg_paths; if pg_running; then as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; fi
                  echo "stopped postgresql" ;;
    esac
  fi
  if [ "$action" != stop ]; then
    case "$name" in
      solr) start_solr ;;
      redis) start_redis ;;
      postgresql) start_pg ;;
    esac
  fi
}

cmd_status() {
  load_settings
  local name
  for name in web gather fetch jobs scheduler solr redis; do
    if pid_alive "$name"; then echo "running  $name (pid $(cat "$PIDS/$name.pid"))"; else echo "stopped  $name"; fi
  done
  pg_paths
  if pg_running; then echo "running  postgresql (port $PG_PORT)"; else echo "stopped  postgresql"; fi
  echo "ports: PG $PG_PORT, Redis $REDIS_PORT, Solr $SOLR_PORT, CKAN $CKAN_PORT; logs in $LOGS"
}

case "${1:-}" in
  run) cmd_run ;;
  test-env) cmd_test_env ;;
  services) services ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  stop-service|start-service|restart-service) cmd_service "${1%-service}" "${2:-}" ;;
  *) echo "usage: $0 run|test-env|services|stop|status|{stop,start,restart}-service solr|redis|postgresql" >&2; exit 2 ;;
esac
