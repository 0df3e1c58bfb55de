#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster and create a throwaway test role and
# database. Prints the URL to use as STEPWISE_TEST_DATABASE_URL on stdout.
#
# stdout carries the URL and nothing else: every other output (pg_ctl's
# "Removed stale pid file.", psql notices) is sent to stderr, because callers
# capture stdout with $(...).
set -euo pipefail
exec 3>&1 1>&2

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  pg_createcluster "$version" main >/dev/null 3>&-
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  pg_ctlcluster "$version" main start 3>&-
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done

db="stepwise_test_$$"
password="stepwise-test"
psql_admin() { runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }
psql_admin -c "DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stepwise_test') THEN
    CREATE ROLE stepwise_test LOGIN CREATEDB PASSWORD '$password';
  END IF; END\$\$;" >&2
psql_admin -c "DROP DATABASE IF EXISTS $db" >&2
psql_admin -c "CREATE DATABASE $db OWNER stepwise_test" >&2
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "PostgreSQL did not come up on port $port" >&2; exit 1; }
echo "postgresql+psycopg://stepwise_test:$password@127.0.0.1:$port/$db" >&3
