#!/usr/bin/env bash
# Starts a throw-away PostgreSQL and Redis on loopback for the token-storage tests, and stops them.
#
#   source .ci/test-services.sh   # installs (apt) if missing, starts both, exports
#                                 # GLOBUS_APP_TEST_POSTGRES_URL and GLOBUS_APP_TEST_REDIS_URL,
#                                 # and defines stop_test_services (call it from a trap)
#
# Both run from a temporary directory on free ports picked at start, so several work trees (or a
# developer's own servers) on one machine never collide. Nothing is kept: PostgreSQL uses a fresh
# cluster with trust authentication on 127.0.0.1 only, Redis has persistence off.

_gta_free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

_gta_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

if [ -z "$(_gta_pg_bin)" ] || ! command -v redis-server >/dev/null 2>&1; then
  echo "== installing Debian's postgresql and redis-server"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql redis-server
fi

GTA_SERVICES_DIR=$(mktemp -d /tmp/globus-app-services.XXXXXX)
chmod 755 "$GTA_SERVICES_DIR"
GTA_PG_BIN=$(_gta_pg_bin)
GTA_PG_PORT=$(_gta_free_port)
GTA_REDIS_PORT=$(_gta_free_port)

echo "== starting PostgreSQL on 127.0.0.1:$GTA_PG_PORT and Redis on 127.0.0.1:$GTA_REDIS_PORT"
mkdir -p "$GTA_SERVICES_DIR/pg"
chown postgres:postgres "$GTA_SERVICES_DIR/pg"
# initdb refuses to run as root: the cluster belongs to Debian's postgres user.
su postgres -s /bin/sh -c "'$GTA_PG_BIN/initdb' -D '$GTA_SERVICES_DIR/pg/data' --auth=trust -U postgres >'$GTA_SERVICES_DIR/pg/initdb.log' 2>&1"
su postgres -s /bin/sh -c "'$GTA_PG_BIN/pg_ctl' -D '$GTA_SERVICES_DIR/pg/data' -l '$GTA_SERVICES_DIR/pg/server.log' -w \
  -o \"-p $GTA_PG_PORT -c listen_addresses=127.0.0.1 -k '$GTA_SERVICES_DIR/pg' -c max_connections=200 -c fsync=off\" start >/dev/null"
redis-server --port "$GTA_REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
  --dir "$GTA_SERVICES_DIR" --pidfile "$GTA_SERVICES_DIR/redis.pid" --logfile "$GTA_SERVICES_DIR/redis.log"

export GLOBUS_APP_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$GTA_PG_PORT/postgres"
export GLOBUS_APP_TEST_REDIS_URL="redis://127.0.0.1:$GTA_REDIS_PORT"

stop_test_services() {
  echo "== stopping PostgreSQL and Redis"
  su postgres -s /bin/sh -c "'$GTA_PG_BIN/pg_ctl' -D '$GTA_SERVICES_DIR/pg/data' -m fast -w stop >/dev/null 2>&1" || true
  if [ -f "$GTA_SERVICES_DIR/redis.pid" ]; then kill "$(cat "$GTA_SERVICES_DIR/redis.pid")" 2>/dev/null || true; fi
  sleep 0.2
  rm -rf "$GTA_SERVICES_DIR"
}
