#!/usr/bin/env bash
# Installs node-oidc-provider (npm) into var/oidc-provider/ (ignored by git): the real
# OpenID provider the SSO tests start (tests/fixtures/oidc.py). Idempotent: an
# install of the pinned version is kept. Prints the directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
version="9.13.3"
dir="var/oidc-provider"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed (apt-get install nodejs npm)" >&2
  exit 1
fi
mkdir -p "$dir"
if [ ! -f "$dir/node_modules/oidc-provider/package.json" ] ||
  ! grep -q "\"version\": \"$version\"" "$dir/node_modules/oidc-provider/package.json"; then
  [ -f "$dir/package.json" ] || echo '{"name":"stepwise-oidc-provider","private":true,"type":"module"}' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "oidc-provider@$version" >&2
fi
realpath "$dir"
