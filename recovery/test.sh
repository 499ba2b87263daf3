#!/usr/bin/env bash
# The recovery DAGs' Python tests (pytest) against a throwaway PostgreSQL 15 and moto's in-process S3.
# Installs sqlalchemy, psycopg2-binary and pytest from the machine's local wheel index into a venv that also sees
# the system site-packages (boto3, moto). Fails loudly, never skips: no PostgreSQL binaries, no wheel index or no moto
# is an error here. PYPI_INDEX overrides the index (a simple/ folder); RECOVERY_VENV the venv's place.
set -euo pipefail
cd "$(dirname "$0")"
export PYTHONDONTWRITEBYTECODE=1  # nothing written into the repository

fail() { echo "FATAL (recovery tests): $*" >&2; exit 1; }

pg_bin() {
  command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}
for binary in initdb pg_ctl; do
  [ -n "$(pg_bin "$binary")" ] || fail "PostgreSQL's $binary is neither on PATH nor in /usr/lib/postgresql/*/bin; install PostgreSQL 15"
done
major="$("$(pg_bin pg_ctl)" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
[ "$major" -ge 15 ] || fail "PostgreSQL $major found; the tests need 15 or newer"

index="${PYPI_INDEX:-}"
if [ -z "$index" ] && [ -d /opt/pypi/simple ]; then index=/opt/pypi/simple; fi
if [ -z "$index" ]; then
  index="$(find / -xdev -type d -path '*pypi/simple' 2>/dev/null | head -n 1 || true)"
fi
[ -n "$index" ] && [ -d "$index" ] || fail "no local Python wheel index (a */pypi/simple folder); set PYPI_INDEX"

venv="${RECOVERY_VENV:-${TMPDIR:-/tmp}/recovery-venv-$(id -u)}"
[ -x "$venv/bin/python" ] || python3 -m venv --system-site-packages "$venv"
# Only the local index: the machine's pip configuration may name other indexes and constraints.
PIP_CONFIG_FILE=/dev/null "$venv/bin/pip" install --quiet --disable-pip-version-check --index-url "file://$index" -r requirements-test.txt \
  || fail "could not install $(tr '\n' ' ' < requirements-test.txt | sed 's/#[^ ]*//g') from $index"
"$venv/bin/python" -c 'import boto3, moto' 2>/dev/null || fail "boto3 and moto must be installed for python3 (moto is not in the wheel index)"

# -p no:cacheprovider: nothing written into the repository; -rA would be long, the summary line is the last line.
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q tests "$@"
