#!/usr/bin/env bash
# System packages the project needs beyond Python: WeasyPrint's Pango (part of
# the base image here, checked anyway) and HarfBuzz's subsetter (without it
# WeasyPrint subsets the report fonts with fontTools, in Python: twice the CPU
# per report, docs/benchmarks.md), Chromium for the browser tests,
# PostgreSQL for the second database run, wrk for benchmarks, Node.js and npm for
# the OpenID provider of the SSO tests (scripts/install-oidc-provider.sh). The tests read
# PDFs back with pypdfium2 from PyPI, so no poppler. Idempotent; needs root.
set -euo pipefail

needed=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 chromium \
           postgresql wrk; do
  have "$pkg" || needed+=("$pkg")
done
# A node/npm already on the PATH (however installed) will do.
command -v node >/dev/null 2>&1 || needed+=(nodejs)
command -v npm >/dev/null 2>&1 || needed+=(npm)
if [ ${#needed[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing (${needed[*]}); run this script as root" >&2
  exit 1
fi
echo "installing: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
