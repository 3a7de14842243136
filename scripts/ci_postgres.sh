#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the tuner's tests and prints the lines
#   export DESCENT_TEST_POSTGRES_URL=postgres://descent:PASSWORD@127.0.0.1:PORT/descent_test
#   export DESCENT_TEST_POSTGRES_DIR=/tmp/descent-pg.XXXXXX
#   export DESCENT_TEST_POSTGRES_CA=/tmp/descent-pg.XXXXXX/server.crt     (when the server has TLS)
# on standard output (everything else goes to standard error). Use it as
#   eval "$(scripts/ci_postgres.sh)"   ...   scripts/ci_postgres.sh stop "$DESCENT_TEST_POSTGRES_DIR"
# PostgreSQL is installed from Debian's packages when missing (apt-get install -y postgresql).
# The cluster runs as the postgres user when this script runs as root (initdb refuses root),
# listens on 127.0.0.1 only, and requires a password (SCRAM), so the tests can check a wrong one.
# Each run makes its own cluster (a new data folder, the first free port from 55432), so it never
# touches another's; `stop DIR` stops only the cluster of DIR.
# TLS: with openssl present (and DESCENT_TEST_POSTGRES_TLS not 0) the server has ssl = on with a
# self-signed certificate for localhost and 127.0.0.1, which DESCENT_TEST_POSTGRES_CA names, so the
# tests can connect with sslmode=require and sslmode=verify-full&sslrootcert=$DESCENT_TEST_POSTGRES_CA.
# Environment: DESCENT_TEST_POSTGRES_PORT (the first port to try), DESCENT_TEST_POSTGRES_TLS (0: no TLS).
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
port=${DESCENT_TEST_POSTGRES_PORT:-55432}
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

as_owner "$bin/initdb" -D "$dir/data" -U descent --pwfile="$dir/password" --auth=scram-sha-256 -E UTF8 >&2
tls_options=""
if [ "${DESCENT_TEST_POSTGRES_TLS:-1}" != 0 ] && command -v openssl >/dev/null 2>&1; then
  # A self-signed certificate (its own CA) for the names the tests connect to; the key readable by the server only.
  openssl req -new -x509 -days 2 -nodes -newkey rsa:2048 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.crt" >&2 2>/dev/null
  chmod 600 "$dir/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir/server.key" "$dir/server.crt"; fi
  tls_options="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
fi
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=100 -c fsync=off $tls_options" start >&2
PGPASSWORD="$password" as_owner env PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U descent descent_test >&2

echo "export DESCENT_TEST_POSTGRES_URL=postgres://descent:$password@127.0.0.1:$port/descent_test"
echo "export DESCENT_TEST_POSTGRES_DIR=$dir"
if [ -n "$tls_options" ]; then echo "export DESCENT_TEST_POSTGRES_CA=$dir/server.crt"; fi
