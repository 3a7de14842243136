#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the tuner's tests and prints the lines
#   export DESCENT_TEST_POSTGRES_URL=postgres://descent:PASSWORD@127.0.0.1:PORT/descent_test
#   export DESCENT_TEST_POSTGRES_DIR=/tmp/descent-pg.XXXXXX
# on standard output (everything else goes to standard error). Use it as
#   eval "$(scripts/ci_postgres.sh)"   ...   scripts/ci_postgres.sh stop "$DESCENT_TEST_POSTGRES_DIR"
# PostgreSQL is installed from Debian's packages when missing (apt-get install -y postgresql).
# The cluster runs as the postgres user when this script runs as root (initdb refuses root),
# listens on 127.0.0.1 only, and requires a password (SCRAM), so the tests can check a wrong one.
set -euo pipefail

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  dir=${2:?usage: ci_postgres.sh stop DIR}
  bin=$(cat "$dir/bin")
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
  rm -rf "$dir"
  exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "ci_postgres: installing PostgreSQL (apt-get install -y postgresql)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

dir=$(mktemp -d /tmp/descent-pg.XXXXXX)
chmod 755 "$dir"
password="ci-$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" > "$dir/password"
echo "$bin" > "$dir/bin"
if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; fi

# A free port on loopback, starting at 55432.
port=55432
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

as_owner "$bin/initdb" -D "$dir/data" -U descent --pwfile="$dir/password" --auth=scram-sha-256 -E UTF8 >&2
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=100 -c fsync=off" start >&2
PGPASSWORD="$password" as_owner env PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U descent descent_test >&2

echo "export DESCENT_TEST_POSTGRES_URL=postgres://descent:$password@127.0.0.1:$port/descent_test"
echo "export DESCENT_TEST_POSTGRES_DIR=$dir"
